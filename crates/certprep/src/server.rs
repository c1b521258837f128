//! `certprep serve` and `certprep admin create`.

use std::io::Read as _;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use certprep_bank::Library;
use certprep_server::AppState;
use certprep_server::auth::hash_password;
use certprep_store::{Role, ServerStore};
use certprep_store_postgres::PgStore;

use crate::cli::ServeArgs;
use crate::session::{open_store, runtime};

pub(crate) async fn server_store(
    data_dir: Option<&Path>,
    url: Option<&str>,
) -> Result<Arc<dyn ServerStore>> {
    Ok(match url {
        Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
            Arc::new(PgStore::connect(u).await?)
        }
        Some(u) => {
            bail!("unsupported database URL `{u}`: expected postgres://… (SQLite is the default)")
        }
        None => Arc::new(open_store(data_dir).await?),
    })
}

/// Whether a `--bind` address only serves this machine (no network in between, so no TLS).
fn is_loopback(bind: &str) -> bool {
    let host = bind
        .rsplit_once(':')
        .map_or(bind, |(h, _)| h)
        .trim_start_matches('[')
        .trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

pub fn serve(library: Library, data_dir: Option<&Path>, args: ServeArgs) -> Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async {
        let store = server_store(data_dir, args.database_url.as_deref()).await?;
        let mut state = AppState::new(Arc::new(library), store);
        state.secure_cookies =
            args.secure_cookies || (!args.insecure_cookies && !is_loopback(&args.bind));
        state.trust_forwarded_for = args.behind_proxy;
        state.trusted_proxies = usize::from(args.trusted_proxies);
        state.login_failures_per_address = args.login_failures_per_address;
        state.login_failures_before_delay = args.login_failures_before_delay;
        state.registrations_per_address = args.registrations_per_address;
        let listener = tokio::net::TcpListener::bind(&args.bind)
            .await
            .with_context(|| format!("cannot listen on {}", args.bind))?;
        eprintln!("certprep serving on http://{}", listener.local_addr()?);
        certprep_server::serve(listener, state).await?;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn create_admin(data_dir: Option<&Path>, url: Option<&str>, email: &str) -> Result<ExitCode> {
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']);
    // The same rules as a sign-up: long enough, not the email, not a common password.
    certprep_server::api::check_password(password, &email.trim().to_lowercase())
        .map_err(|e| anyhow::anyhow!("the password (read from standard input): {}", e.message))?;
    let hash = hash_password(password).map_err(|e| anyhow::anyhow!(e.message))?;
    let rt = runtime()?;
    rt.block_on(async {
        let store = server_store(data_dir, url).await?;
        let id = uuid_v4();
        let account = store
            .create_account(
                &id,
                &email.trim().to_lowercase(),
                &hash,
                Role::Admin,
                chrono::Utc::now(),
            )
            .await?;
        println!("created {} ({})", account.email, account.role.as_str());
        Ok(ExitCode::SUCCESS)
    })
}

fn uuid_v4() -> String {
    certprep_server::auth::new_token()[..32].to_string()
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn only_loopback_binds_skip_secure_cookies() {
        for b in [
            "127.0.0.1:8080",
            "localhost:80",
            "[::1]:8080",
            "127.0.0.2:1",
        ] {
            assert!(is_loopback(b), "{b}");
        }
        for b in [
            "0.0.0.0:8080",
            "192.168.1.5:8080",
            "[::]:8080",
            "example.org:443",
        ] {
            assert!(!is_loopback(b), "{b}");
        }
    }
}
