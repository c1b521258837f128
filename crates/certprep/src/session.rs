//! `certprep session …` and `certprep history`: the scriptable interface over the service.

use std::io::{BufRead, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use certprep_bank::Library;
use certprep_domain::form::CustomFilter;
use certprep_domain::grading::Answer;
use certprep_domain::present::PresentedItem;
use certprep_domain::report::Report;
use certprep_domain::session::{Confidence, Mode};
use certprep_service::{Service, ServiceError, SessionView, StartRequest};
use certprep_store_sqlite::SqliteStore;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cli::{SessionCommand, StartArgs};

/// The one local user of the terminal app and the scriptable interface.
pub const LOCAL_USER: &str = "local";

/// The database file in the data directory.
pub fn database_path(data_dir: Option<&Path>) -> Result<PathBuf> {
    let dir = match data_dir {
        Some(d) => d.to_path_buf(),
        None => dirs::data_dir()
            .map(|d| d.join("certprep"))
            .ok_or_else(|| {
                anyhow!("no data directory: pass --data-dir DIR or set CERTPREP_DATA_DIR")
            })?,
    };
    Ok(dir.join("certprep.db"))
}

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub async fn open_store(data_dir: Option<&Path>) -> Result<SqliteStore> {
    let path = database_path(data_dir)?;
    Ok(SqliteStore::open(&path).await?)
}

pub fn print_view(view: &SessionView, json: bool) -> Result<ExitCode> {
    if json {
        print_json(view)?;
    } else {
        print!("{}", view_text(view));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn print_json(value: &impl Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Rule refusals and bad input exit with status 1 and a clear message; other failures with 2.
pub fn refusal(e: ServiceError) -> anyhow::Error {
    if e.is_client_error() {
        anyhow::Error::new(Refused(e.to_string()))
    } else {
        anyhow::Error::new(e)
    }
}

/// An error that is the user's or the rules' doing: printed as is, exit status 1.
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

pub fn run(
    command: SessionCommand,
    library: &Library,
    data_dir: Option<&Path>,
    now: DateTime<Utc>,
) -> Result<ExitCode> {
    let rt = runtime()?;
    rt.block_on(async {
        let store = open_store(data_dir).await?;
        let service = Service::new(library, &store, LOCAL_USER);
        match command {
            SessionCommand::Start(args) => start(&service, args, now).await,
            SessionCommand::Show { id, json } => {
                let session = service.load(&id, now).await.map_err(refusal)?;
                print_view(&service.view(&session, now), json)
            }
            SessionCommand::Answer {
                id, stdin: true, ..
            } => answer_stream(&service, &id).await,
            SessionCommand::Answer {
                id,
                item,
                answer,
                confidence,
                json,
                ..
            } => {
                let item = item.ok_or_else(|| anyhow!("give the item id, or --stdin"))?;
                let answer = parse_answer(
                    answer
                        .as_deref()
                        .ok_or_else(|| anyhow!("give --answer JSON"))?,
                )?;
                let ack = service
                    .answer(
                        &id,
                        &item,
                        answer,
                        parse_confidence(confidence.as_deref())?,
                        now,
                    )
                    .await
                    .map_err(refusal)?;
                if json {
                    print_json(&ack)?;
                } else {
                    println!("recorded ({} of {} answered)", ack.answered, ack.total);
                    if let Some(result) = &ack.result {
                        print!("{}", item_text(result));
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            SessionCommand::Mark { id, item, json } => {
                let (_, marked) = service.mark(&id, &item, now).await.map_err(refusal)?;
                if json {
                    print_json(
                        &serde_json::json!({ "session_id": id, "item_id": item, "marked": marked }),
                    )?;
                } else {
                    println!(
                        "{item} {}",
                        if marked {
                            "marked for review"
                        } else {
                            "unmarked"
                        }
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
            SessionCommand::Goto { id, item, json } => {
                let session = service.goto(&id, &item, now).await.map_err(refusal)?;
                print_view(&service.view(&session, now), json)
            }
            SessionCommand::Review { id, json } => {
                let session = service.load(&id, now).await.map_err(refusal)?;
                let review = session.review();
                if json {
                    print_json(&review)?;
                } else {
                    for e in review {
                        println!(
                            "{:>3}  {:<28} {}{}",
                            e.position,
                            e.item_id,
                            if e.answered { "answered" } else { "UNANSWERED" },
                            if e.marked { "  [marked]" } else { "" }
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            SessionCommand::Pause { id } => {
                service.pause(&id, now).await.map_err(refusal)?;
                println!("paused");
                Ok(ExitCode::SUCCESS)
            }
            SessionCommand::Resume { id } => {
                service.resume(&id, now).await.map_err(refusal)?;
                println!("resumed");
                Ok(ExitCode::SUCCESS)
            }
            SessionCommand::Submit { id, json } => {
                let report = service.submit(&id, now).await.map_err(refusal)?;
                if json {
                    print_json(&report)?
                } else {
                    print!("{}", report_text(&report))
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}

pub fn tui(library: &Library, data_dir: Option<&Path>, session: Option<&str>) -> Result<ExitCode> {
    let rt = runtime()?;
    let store = rt.block_on(open_store(data_dir))?;
    let service = Service::new(library, &store, LOCAL_USER);
    certprep_tui::run(service, &rt, session).context("terminal error")?;
    Ok(ExitCode::SUCCESS)
}

pub fn history(library: &Library, data_dir: Option<&Path>, json: bool) -> Result<ExitCode> {
    let rt = runtime()?;
    rt.block_on(async {
        let store = open_store(data_dir).await?;
        let service = Service::new(library, &store, LOCAL_USER);
        let sessions = service.history().await?;
        if json {
            print_json(&sessions)?;
            return Ok(ExitCode::SUCCESS);
        }
        if sessions.is_empty() {
            println!("No sessions yet: try `certprep session start --exam ai-103 --mode study`.");
        }
        for s in sessions {
            let score = s.result_text();
            let form = s
                .form
                .as_deref()
                .map(|f| format!("  form {f}"))
                .unwrap_or_default();
            println!(
                "{}  {}  {:<6} {:<7} {}{form}",
                s.started_at.format("%Y-%m-%d %H:%M"),
                s.id,
                s.exam,
                s.mode,
                score
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}

async fn start(service: &Service<'_>, args: StartArgs, now: DateTime<Utc>) -> Result<ExitCode> {
    let mode_name =
        args.mode
            .as_deref()
            .unwrap_or(if args.form.is_some() { "exam" } else { "study" });
    let mode = Mode::parse(mode_name).ok_or_else(|| {
        Refused(format!(
            "unknown mode `{mode_name}`: expected study, exam, custom or adaptive"
        ))
    })?;
    let request = StartRequest {
        exam: args.exam,
        outline: args.outline,
        mode: Some(mode),
        seed: args.seed,
        filter: CustomFilter {
            domains: args.domains,
            objectives: args.objectives,
            only_missed: args.missed,
            only_marked: args.marked,
            only_unseen: args.unseen,
            items: vec![],
            count: args.count,
        },
        minutes: args.minutes,
        pausable: args.pausable,
        form: args.form,
        shuffle: Some(!args.written_order),
    };
    let session = service.start(request, now).await.map_err(refusal)?;
    let view = service.view(&session, now);
    if args.json {
        print_json(&view)?;
    } else {
        println!(
            "Session {} started ({} items).",
            view.session_id,
            view.items.len()
        );
        print!("{}", view_text(&view));
    }
    Ok(ExitCode::SUCCESS)
}

/// `ITEM_ID JSON` per line; one JSON line back per input line, flushed once the answer is
/// durable: the acknowledgement, or `{"line", "input", "error"}` for a line that was refused.
/// Every valid line is answered, whatever the lines around it; the exit status is 1 when any
/// line was refused, so a script can still tell. A store failure stops at once (status 2).
async fn answer_stream(service: &Service<'_>, id: &str) -> Result<ExitCode> {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let mut refused = 0usize;
    for (index, line) in stdin.lock().lines().enumerate() {
        let line = line?;
        let input = line.trim();
        if input.is_empty() {
            continue;
        }
        let number = index + 1;
        let reply = match answer_line(service, id, input).await {
            Ok(ack) => serde_json::to_value(&ack)?,
            Err(LineError::Refused(error)) => {
                refused += 1;
                serde_json::json!({ "line": number, "input": input, "error": error })
            }
            Err(LineError::Failed(e)) => return Err(e.context(format!("line {number}"))),
        };
        writeln!(out, "{reply}")?;
        out.flush()?;
    }
    if refused > 0 {
        return Err(anyhow::Error::new(Refused(format!(
            "{refused} line(s) refused; every other line was answered"
        ))));
    }
    Ok(ExitCode::SUCCESS)
}

/// Why one line of `--stdin` was not answered: its own fault, or the store's.
enum LineError {
    Refused(String),
    Failed(anyhow::Error),
}

async fn answer_line(
    service: &Service<'_>,
    id: &str,
    input: &str,
) -> std::result::Result<certprep_service::AnswerAck, LineError> {
    let Some((item, answer)) = input.split_once(char::is_whitespace) else {
        return Err(LineError::Refused(format!(
            "expected `ITEM_ID JSON`, found `{input}`"
        )));
    };
    let answer = parse_answer(answer.trim()).map_err(|e| LineError::Refused(e.to_string()))?;
    service
        .answer(id, item, answer, None, Utc::now())
        .await
        .map_err(|e| {
            if e.is_client_error() {
                LineError::Refused(e.to_string())
            } else {
                LineError::Failed(anyhow::Error::new(e))
            }
        })
}

fn parse_confidence(text: Option<&str>) -> Result<Option<Confidence>> {
    text.map(|t| {
        Confidence::parse(t).ok_or_else(|| {
            anyhow::Error::new(Refused(format!(
                "unknown confidence `{t}`: expected low, medium or high"
            )))
        })
    })
    .transpose()
}

fn parse_answer(json: &str) -> Result<Answer> {
    serde_json::from_str(json).map_err(|e| {
        anyhow::Error::new(Refused(format!(
            "cannot read the answer `{json}` as JSON ({e}); see docs/answers.md for each type's shape"
        )))
    })
}

fn minutes(ms: i64) -> String {
    format!("{}:{:02}", ms / 60_000, (ms / 1000) % 60)
}

pub fn view_text(view: &SessionView) -> String {
    let mut s = String::new();
    let clock = view.remaining_ms.map_or_else(
        || "untimed".to_string(),
        |ms| format!("{} left", minutes(ms)),
    );
    s.push_str(&format!(
        "{} {} · {} · {} of {} answered · {} · {}\n",
        view.exam.to_uppercase(),
        view.outline,
        format!("{:?}", view.mode).to_lowercase(),
        view.answered,
        view.items.len(),
        clock,
        view.status
    ));
    if let Some(note) = view.open_book {
        s.push_str(note);
        s.push('\n');
    }
    if let Some(item) = &view.current {
        s.push('\n');
        s.push_str(&item_text(item));
    }
    s
}

pub fn item_text(item: &PresentedItem) -> String {
    let mut s = format!(
        "Item {} [{}] {}\n",
        item.position, item.item_id, item.type_description
    );
    if let Some(case) = &item.case_study {
        s.push_str(&format!(
            "Case study: {} (tabs: {})\n",
            case.title,
            case.tabs
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(series) = &item.series {
        s.push_str(&format!("{}\n\n{}\n", series.note, series.scenario));
    }
    s.push_str(&format!("\n{}\n\n", item.stem));
    if let Some(n) = item.choose {
        s.push_str(&format!("Choose {n}.\n"));
    }
    for o in item.options.iter().chain(&item.actions) {
        s.push_str(&format!("  {}. {}\n", o.label, o.text));
    }
    if !item.sources.is_empty() {
        s.push_str("Sources:\n");
        for o in &item.sources {
            s.push_str(&format!("  {}. {}\n", o.label, o.text));
        }
        s.push_str("Targets:\n");
        for t in &item.targets {
            s.push_str(&format!("  {}. {}\n", t.number, t.text));
        }
    }
    for slot in &item.slots {
        let choices: Vec<String> = slot
            .choices
            .iter()
            .map(|c| format!("{}. {}", c.label, c.text))
            .collect();
        s.push_str(&format!(
            "  {{{{{}}}}}: {}\n",
            slot.number,
            choices.join(" | ")
        ));
    }
    for st in &item.statements {
        s.push_str(&format!("  {}. {}  (Yes/No)\n", st.number, st.text));
    }
    if let Some(f) = &item.feedback {
        s.push_str(&format!(
            "\nResult: {} of {} points. Key: {}\n{}\n",
            f.points,
            f.max_points,
            f.key.describe(),
            f.explanation
        ));
        for n in &f.notes {
            s.push_str(&format!("  {}: {}\n", n.part, n.note.replace('\n', " ")));
        }
        for r in &f.references {
            s.push_str(&format!("  → {}\n", r.url));
        }
    }
    s
}

pub fn report_text(r: &Report) -> String {
    let mut s = format!(
        "Score {} of 1000 (pass at {}): {}\n{} of {} points ({:.1}%), {} of {} items answered, time used {}\n\n",
        r.scaled_score,
        r.passing_score,
        if r.passed { "PASS" } else { "FAIL" },
        r.points,
        r.max_points,
        r.percent,
        r.answered,
        r.items_total,
        minutes(r.time_used_ms)
    );
    for d in &r.domains {
        let bar = "█".repeat((d.percent / 5.0).round() as usize);
        s.push_str(&format!("{:<58} {:>5.1}%  {}\n", d.title, d.percent, bar));
    }
    if !r.weakest.is_empty() {
        s.push_str(&format!("\nWeakest areas: {}\n", r.weakest.join(", ")));
    }
    if let Some(v) = &r.adaptive {
        s.push_str(&format!("\n{}\n", v.describe()));
    }
    s.push_str(&format!("\n{}\n", r.note));
    s
}
