//! What every request can reach: the content, the store, the clock and the settings. Nothing
//! here changes after start-up, so several processes behind a load balancer behave as one.

use std::sync::Arc;

use certprep_bank::Library;
use certprep_store::ServerStore;
use chrono::{DateTime, Utc};

pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

#[derive(Clone)]
pub struct AppState {
    pub library: Arc<Library>,
    pub store: Arc<dyn ServerStore>,
    pub clock: Clock,
    /// Mark cookies Secure (set when the server is reached over TLS, directly or via a proxy).
    pub secure_cookies: bool,
    /// Sign-in and sign-up attempts allowed per minute, per client address and per email.
    pub auth_attempts_per_minute: u32,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it;
    /// otherwise a client could pick its own address and escape the rate limits).
    pub trust_forwarded_for: bool,
}

impl AppState {
    pub fn new(library: Arc<Library>, store: Arc<dyn ServerStore>) -> Self {
        AppState {
            library,
            store,
            clock: Arc::new(Utc::now),
            secure_cookies: false,
            auth_attempts_per_minute: 10,
            trust_forwarded_for: false,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Whether cookies of this request must be Secure: always with `--secure-cookies`, and
    /// behind a trusted proxy when it says the client came over HTTPS.
    pub fn secure(&self, headers: &axum::http::HeaderMap) -> bool {
        self.secure_cookies
            || (self.trust_forwarded_for
                && headers
                    .get("x-forwarded-proto")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|p| p.eq_ignore_ascii_case("https")))
    }
}
