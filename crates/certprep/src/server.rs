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

pub fn serve(library: Library, data_dir: Option<&Path>, args: ServeArgs) -> Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async {
        let store = server_store(data_dir, args.database_url.as_deref()).await?;
        let mut state = AppState::new(Arc::new(library), store);
        state.secure_cookies = args.secure_cookies;
        state.trust_forwarded_for = args.behind_proxy;
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
    if password.chars().count() < 10 {
        bail!("the password (read from standard input) needs at least 10 characters");
    }
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
