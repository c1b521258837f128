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
    /// Failed sign-ins allowed per minute from one client address before it is refused (a
    /// class behind one address signs in freely: successes do not count).
    pub login_failures_per_address: u32,
    /// Failed sign-ins to one account per minute before every further attempt on it waits,
    /// longer each time (a correct password still passes: the owner is slowed, never locked
    /// out, and a guesser gets a few tries a minute).
    pub login_failures_before_delay: u32,
    /// Sign-ups allowed per minute from one client address.
    pub registrations_per_address: u32,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it;
    /// otherwise a client could pick its own address and escape the rate limits).
    pub trust_forwarded_for: bool,
    /// How many proxies in front of the server append to `X-Forwarded-For`: the client is the
    /// entry that many places from the right (the ones further left are the client's own).
    pub trusted_proxies: usize,
}

impl AppState {
    pub fn new(library: Arc<Library>, store: Arc<dyn ServerStore>) -> Self {
        AppState {
            library,
            store,
            clock: Arc::new(Utc::now),
            secure_cookies: false,
            login_failures_per_address: 20,
            login_failures_before_delay: 5,
            registrations_per_address: 30,
            trust_forwarded_for: false,
            trusted_proxies: 1,
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
