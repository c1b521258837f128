//! `certprep dispute` and `certprep disputes`: reporting a problem with an item, and the
//! author's queue. On the local store the one user is both candidate and author; a team
//! server's reports can be read here and are resolved on the web, by its instructors.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use certprep_bank::load::Library;
use certprep_domain::dispute::{Dispute, DisputeKind, Resolution};
use certprep_service::Service;
use chrono::{DateTime, Utc};

use crate::cli::DisputesCommand;
use crate::server::server_store;
use crate::session::{LOCAL_USER, Refused, open_store, print_json, refusal, runtime};
use crate::table::truncate;

/// What `certprep dispute` was given.
pub struct Filing<'a> {
    pub item: &'a str,
    pub kind: &'a str,
    pub note: &'a str,
    pub session: Option<&'a str>,
    pub json: bool,
}

pub fn file(
    library: &Library,
    data_dir: Option<&Path>,
    filing: Filing<'_>,
    now: DateTime<Utc>,
) -> Result<ExitCode> {
    let Filing {
        item,
        kind,
        note,
        session,
        json,
    } = filing;
    let kind = DisputeKind::parse(kind).ok_or_else(|| {
        Refused(format!(
            "unknown kind `{kind}`: expected wrong-key, ambiguous, outdated, typo or other"
        ))
    })?;
    runtime()?.block_on(async {
        let store = open_store(data_dir).await?;
        let service = Service::new(library, &store, LOCAL_USER);
        let filed = service
            .file_dispute(item, kind, note, session, now)
            .await
            .map_err(refusal)?;
        if json {
            print_json(&filed)?;
        } else {
            println!(
                "Report {} filed on {} (version {}): {}. `certprep disputes --mine` shows its answer.",
                filed.id,
                filed.item_id,
                filed.item_version,
                filed.kind.describe()
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// The filters of `certprep disputes`.
pub struct Listing<'a> {
    pub open: bool,
    pub item: Option<&'a str>,
    pub mine: bool,
    pub database_url: Option<&'a str>,
    pub json: bool,
}

pub fn run(
    library: &Library,
    data_dir: Option<&Path>,
    command: Option<DisputesCommand>,
    listing: Listing<'_>,
    now: DateTime<Utc>,
) -> Result<ExitCode> {
    match command {
        Some(DisputesCommand::Resolve {
            id,
            resolution,
            note,
            json,
        }) => resolve(library, data_dir, id, &resolution, &note, json, now),
        None => list(library, data_dir, listing),
    }
}

fn list(library: &Library, data_dir: Option<&Path>, l: Listing<'_>) -> Result<ExitCode> {
    runtime()?.block_on(async {
        let store = server_store(data_dir, l.database_url).await?;
        let service = Service::new(library, &*store, LOCAL_USER);
        let mut reports = if l.mine {
            service.my_disputes().await.map_err(refusal)?
        } else {
            service
                .all_disputes(l.open, l.item)
                .await
                .map_err(refusal)?
        };
        reports.retain(|d| (!l.open || d.is_open()) && l.item.is_none_or(|i| d.item_id == i));
        if l.json {
            print_json(&reports)?;
        } else {
            print!("{}", listing_text(library, &reports));
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn resolve(
    library: &Library,
    data_dir: Option<&Path>,
    id: i64,
    resolution: &str,
    note: &str,
    json: bool,
    now: DateTime<Utc>,
) -> Result<ExitCode> {
    let resolution = Resolution::parse(resolution).ok_or_else(|| {
        Refused(format!(
            "unknown resolution `{resolution}`: expected fixed, rejected or duplicate"
        ))
    })?;
    runtime()?.block_on(async {
        let store = open_store(data_dir).await?;
        let service = Service::new(library, &store, LOCAL_USER);
        let resolved = service
            .resolve_dispute(id, resolution, note, now)
            .await
            .map_err(refusal)?;
        if json {
            print_json(&resolved)?;
        } else {
            println!(
                "Report {} on {}: {}.",
                resolved.id,
                resolved.item_id,
                resolution.as_str()
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn listing_text(library: &Library, reports: &[Dispute]) -> String {
    if reports.is_empty() {
        return "No reports.\n".to_string();
    }
    let mut s = String::new();
    for d in reports {
        let current = library.bank.item(&d.item_id).map(|i| i.version);
        let status = match (d.resolution, current) {
            (None, _) => "OPEN".to_string(),
            (Some(r), _) => r.as_str().to_string(),
        };
        let stale = match current {
            Some(v) if v > d.item_version => format!(" (now version {v})"),
            None => " (no longer in the bank)".to_string(),
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "#{:<4} {}  {:<9} {:<10} {} v{}{stale}  by {}",
            d.id,
            d.created_at.format("%Y-%m-%d"),
            status,
            d.kind.as_str(),
            d.item_id,
            d.item_version,
            d.reporter_email.as_deref().unwrap_or(&d.user)
        );
        let _ = writeln!(s, "      {}", truncate(&d.note, 200));
        if let (Some(r), Some(note)) = (d.resolution, &d.resolution_note) {
            let _ = writeln!(
                s,
                "      → {}{}: {}",
                r.as_str(),
                d.resolved_at
                    .map(|t| format!(" {}", t.format("%Y-%m-%d")))
                    .unwrap_or_default(),
                truncate(note, 200)
            );
        }
    }
    s
}
