//! Accounts and sign-in: Argon2id password hashes, random session tokens kept only as hashes,
//! cookies, CSRF protection for cookie-authenticated requests, and rate limits kept in the
//! database so every server process enforces the same counts.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use certprep_store::Account;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

pub const COOKIE: &str = "certprep_session";
pub const SESSION_DAYS: i64 = 14;

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let salt =
        SaltString::encode_b64(&bytes).map_err(|e| ApiError::internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(format!("password hashing failed: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of a random password, made once with the same parameters as real ones: a sign-in for
/// an unknown email is checked against it, so it costs the same time as a wrong password.
pub fn unknown_account_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&new_token()).unwrap_or_default())
}

/// A fresh random token (256 bits, hex).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Tokens are stored only as their SHA-256, so a copy of the database signs nobody in.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The `Set-Cookie` value of a session: HttpOnly, SameSite=Lax, Secure when served over TLS.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        SESSION_DAYS * 86_400,
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn session_expiry(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::days(SESSION_DAYS)
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
}

/// The token of `Authorization: Bearer …`; the scheme is case-insensitive (RFC 9110).
fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .then(|| token.trim().to_string())
}

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// A browser cookie: ambient, so state-changing requests need CSRF protection.
    Cookie,
    /// An `Authorization: Bearer` token sent by a script: not ambient.
    Bearer,
}

/// The signed-in caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account: Account,
    pub token_hash: String,
    pub csrf_token: String,
    pub credential: Credential,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (token, credential) = match (bearer_token(&parts.headers), cookie_token(&parts.headers))
        {
            (Some(t), _) => (t, Credential::Bearer),
            (None, Some(t)) => (t, Credential::Cookie),
            (None, None) => return Err(ApiError::unauthorized()),
        };
        let hash = token_hash(&token);
        let (account, csrf_token) = state
            .store
            .web_session(&hash, state.now())
            .await
            .map_err(ApiError::from)?
            .ok_or_else(ApiError::unauthorized)?;
        if credential == Credential::Cookie && is_state_changing(&parts.method) {
            check_csrf(&parts.headers, &csrf_token, state.secure(&parts.headers))?;
        }
        Ok(Caller {
            account,
            token_hash: hash,
            csrf_token,
            credential,
        })
    }
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A cookie-authenticated change must come from our own pages: a same-origin `Origin` header
/// (JSON calls from the page) or the session's CSRF token in `X-CSRF-Token` (forms and scripts).
pub fn check_csrf(headers: &HeaderMap, csrf_token: &str, https: bool) -> Result<(), ApiError> {
    let token_ok = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| constant_time_eq(t.as_bytes(), csrf_token.as_bytes()));
    if token_ok || same_origin(headers, https) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "cross-site request refused: send a same-origin Origin header or the X-CSRF-Token of your session",
        ))
    }
}

/// Whether the `Origin` header names this site: the scheme the request came over (https when
/// the server is reached over TLS) and the host it was sent to. An `http://` page of the same
/// host cannot act for an `https://` session.
pub fn same_origin(headers: &HeaderMap, https: bool) -> bool {
    let (Some(origin), Some(host)) = (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) else {
        return false;
    };
    let scheme = if https { "https" } else { "http" };
    origin.eq_ignore_ascii_case(&format!("{scheme}://{host}"))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Fixed one-minute windows: at most `limit` attempts per key per minute.
pub async fn rate_limit(state: &AppState, key: &str, limit: u32) -> Result<(), ApiError> {
    let now = state.now();
    let window = DateTime::from_timestamp(now.timestamp() - now.timestamp().rem_euclid(60), 0)
        .unwrap_or(now);
    let hits = state.store.hit(key, window).await.map_err(ApiError::from)?;
    if hits > limit {
        return Err(ApiError::too_many(
            "too many attempts: wait a minute and try again",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_and_hashes_are_argon2id() {
        let hash = hash_password("correct horse battery").unwrap_or_default();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn origin_must_match_host() {
        let mut h = HeaderMap::new();
        h.insert(
            header::HOST,
            "example.test:8080"
                .parse()
                .unwrap_or_else(|_| header::HeaderValue::from_static("")),
        );
        h.insert(
            header::ORIGIN,
            "http://example.test:8080"
                .parse()
                .unwrap_or_else(|_| header::HeaderValue::from_static("")),
        );
        assert!(same_origin(&h, false));
        assert!(
            !same_origin(&h, true),
            "an http page cannot act for an https session"
        );
        h.insert(
            header::ORIGIN,
            "https://example.test:8080"
                .parse()
                .unwrap_or_else(|_| header::HeaderValue::from_static("")),
        );
        assert!(same_origin(&h, true));
        assert!(!same_origin(&h, false));
        h.insert(
            header::ORIGIN,
            "http://evil.test"
                .parse()
                .unwrap_or_else(|_| header::HeaderValue::from_static("")),
        );
        assert!(!same_origin(&h, false));
    }
}
