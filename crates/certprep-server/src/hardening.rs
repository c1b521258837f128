//! What every request and response passes through, whatever the route: input that no handler
//! should see (control characters in a path or query, which PostgreSQL and header parsing
//! refuse with a 500), error bodies that always say what went wrong in the form the client
//! reads (JSON for the API, a page for the browser), and no caching of anything personal.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Whether `s` holds a control character (NUL, newline, escape…). Form text may keep tabs and
/// line breaks; paths, ids and single-line fields may not.
pub fn has_control(s: &str, allow_line_breaks: bool) -> bool {
    s.chars()
        .any(|c| c.is_control() && !(allow_line_breaks && matches!(c, '\t' | '\n' | '\r')))
}

/// A path of this site to send a browser back to: relative, starting with one `/`, and with no
/// character a browser could read as leaving the site (`//host`, `/\host`, a tab or newline
/// that browsers drop, turning `/\t/evil.example` into `//evil.example`).
pub fn local_path(p: &str) -> Option<&str> {
    let ok = p.starts_with('/')
        && !p.starts_with("//")
        && !p.contains('\\')
        && !p.chars().any(|c| c.is_control() || c.is_whitespace());
    let second = p.chars().nth(1);
    (ok && second != Some('/')).then_some(p)
}

/// Whether the client reads JSON errors: the API, the health check, and the page scripts that
/// save answers in the background.
fn wants_json(path: &str, request: &axum::http::HeaderMap) -> bool {
    path.starts_with("/api/")
        || path == "/healthz"
        || request
            .get("x-requested-with")
            .is_some_and(|v| v.as_bytes() == b"fetch")
}

/// Rejects a path or query holding a control character (after percent-decoding) with a 400,
/// before any handler or database sees it.
pub async fn reject_control_characters(request: Request, next: Next) -> Response {
    let uri = request.uri();
    let decoded = |s: &str| {
        percent_decode(s)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_else(|| s.to_string())
    };
    let path = decoded(uri.path());
    let query = uri.query().map(decoded).unwrap_or_default();
    if has_control(&path, false) || has_control(&query, false) {
        return ApiError::bad_request(
            "the address holds a control character (such as NUL or a line break): remove it",
        )
        .into_response();
    }
    next.run(request).await
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(out)
}

/// Gives every error a body in the client's form: a JSON `{"error"}` for the API (also for the
/// framework's own 404, 405, 413 and path-parse errors, which are plain text or empty), and a
/// page for the browser (never raw JSON or text). Personal responses are never cached.
pub async fn error_bodies_and_caching(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let json = wants_json(&path, request.headers());
    let response = next.run(request).await;
    let mut response = if response.status().is_client_error() || response.status().is_server_error()
    {
        with_error_body(response, json).await
    } else {
        response
    };
    let public = path.starts_with("/static/") || path.starts_with("/favicon") || path == "/healthz";
    if !public {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

async fn with_error_body(response: Response, json: bool) -> Response {
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let is_json = content_type.starts_with("application/json");
    let is_html = content_type.starts_with("text/html");
    if (json && is_json) || (!json && is_html) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let message = message_of(status, &text, is_json);
    let mut fresh = if json {
        ApiError::new(status, message).into_response()
    } else {
        crate::pages::render_problem(&None, status, title_of(status), &message, None, None)
    };
    // Headers the handler chose (a rate limit's Retry-After, an Allow list) stay.
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            fresh.headers_mut().insert(name.clone(), value.clone());
        }
    }
    *fresh.status_mut() = status;
    fresh
}

/// What to tell the client: the JSON error's message or the framework's text when it is short
/// and plain, else the status's meaning.
fn message_of(status: StatusCode, text: &str, is_json: bool) -> String {
    if is_json
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(text)
        && let Some(m) = v["error"].as_str()
    {
        return m.to_string();
    }
    let text = text.trim();
    if !is_json && !text.is_empty() && text.len() <= 300 && !has_control(text, false) {
        return text.to_string();
    }
    match status {
        StatusCode::NOT_FOUND => "no such page or endpoint".into(),
        StatusCode::METHOD_NOT_ALLOWED => {
            "this address does not take that method (see the OpenAPI document at /api/openapi.json)"
                .into()
        }
        StatusCode::PAYLOAD_TOO_LARGE => "the request body is too large".into(),
        s => s
            .canonical_reason()
            .map_or_else(|| format!("error {}", s.as_u16()), |r| r.to_lowercase()),
    }
}

fn title_of(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::METHOD_NOT_ALLOWED => "Not here",
        s if s.is_client_error() => "That cannot be done",
        _ => "Something went wrong",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_same_site_relative_paths_are_local() {
        for ok in ["/", "/s/abc/i/1", "/disputes?open=1", "/readiness/ai-103#x"] {
            assert_eq!(local_path(ok), Some(ok), "{ok}");
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "https://evil.example",
            "evil",
            "",
            "/ /x",
            "/\u{0}x",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn control_characters_are_found() {
        assert!(has_control("a\u{0}b", true));
        assert!(has_control("a\nb", false));
        assert!(!has_control("a\nb\tc", true));
        assert!(!has_control("plain text, é", false));
    }

    #[test]
    fn percent_decoding_finds_hidden_controls() {
        assert_eq!(percent_decode("/s/%00"), Some(b"/s/\0".to_vec()));
        assert_eq!(percent_decode("%0Ax"), Some(b"\nx".to_vec()));
        assert_eq!(percent_decode("%zz"), None);
    }
}
