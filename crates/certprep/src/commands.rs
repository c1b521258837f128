//! One function per command. Each loads what it needs, calls the library, and prints.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Result, anyhow, bail};
use certprep_bank::load::{Library, load, load_onto};
use certprep_domain::diff::{OutlineDiff, diff_outlines};
use certprep_domain::exam::Provenance;
use certprep_domain::form::FixedForm;
use certprep_domain::stats::{BankStats, Coverage, Gap, bank_stats};
use certprep_domain::{Exam, ExamCode, Outline, OutlineRef};
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::cli::{BankCommand, Cli, Command, ExamsArgs, ExamsCommand};
use crate::content::{embedded, embedded_library, load_all, read_paths};
use crate::table::table;
use crate::{learning, session};

pub fn run(cli: Cli) -> Result<ExitCode> {
    let today = cli
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let now = now(&cli);
    let advisor_now = day_now(&cli, today);
    let data_dir = cli.data_dir.as_deref();
    match cli.command {
        None if std::io::IsTerminal::is_terminal(&std::io::stdout()) => {
            let library = load_all(&cli.banks, today)?.library;
            session::tui(&library, cli.data_dir.as_deref(), None)
        }
        None => overview(&cli.banks, today),
        Some(Command::Tui { session: id }) => {
            let library = load_all(&cli.banks, today)?.library;
            session::tui(&library, cli.data_dir.as_deref(), id.as_deref())
        }
        Some(Command::Exams(args)) => exams(args, &cli.banks, today),
        Some(Command::Bank(BankCommand::Lint { paths })) => lint(&paths, today),
        Some(Command::Bank(BankCommand::Qa {
            paths,
            enforced,
            json,
        })) => crate::qa::qa(&paths, today, enforced, json),
        Some(Command::Bank(BankCommand::DraftForms {
            exam,
            count,
            items,
            seed,
        })) => crate::qa::draft_forms(&cli.banks, today, &exam, count, items, seed),
        Some(Command::Bank(BankCommand::Stats {
            exam,
            outline,
            json,
        })) => stats(&cli.banks, today, &exam, outline, json),
        Some(Command::Session(command)) => {
            let library = load_all(&cli.banks, today)?.library;
            session::run(command, &library, cli.data_dir.as_deref(), now)
        }
        Some(Command::Serve(args)) => {
            let library = load_all(&cli.banks, today)?.library;
            crate::server::serve(library, cli.data_dir.as_deref(), args)
        }
        Some(Command::Admin(crate::cli::AdminCommand::Create {
            email,
            database_url,
        })) => {
            crate::server::create_admin(cli.data_dir.as_deref(), database_url.as_deref(), &email)
        }
        Some(Command::Dispute {
            item,
            kind,
            note,
            session,
            json,
        }) => {
            let library = load_all(&cli.banks, today)?.library;
            let filing = crate::disputes::Filing {
                item: &item,
                kind: &kind,
                note: &note,
                session: session.as_deref(),
                json,
            };
            crate::disputes::file(&library, data_dir, filing, now)
        }
        Some(Command::Disputes {
            command,
            open,
            item,
            mine,
            database_url,
            json,
        }) => {
            let library = load_all(&cli.banks, today)?.library;
            let listing = crate::disputes::Listing {
                open,
                item: item.as_deref(),
                mine,
                database_url: database_url.as_deref(),
                json,
            };
            crate::disputes::run(&library, data_dir, command, listing, now)
        }
        Some(Command::History { json }) => {
            let library = load_all(&cli.banks, today)?.library;
            session::history(&library, cli.data_dir.as_deref(), json)
        }
        Some(Command::Review { exam, start, json }) => {
            let library = load_all(&cli.banks, today)?.library;
            learning::review(&library, data_dir, exam.as_deref(), start, json, now)
        }
        Some(Command::Readiness { exam, json }) => {
            let library = load_all(&cli.banks, today)?.library;
            learning::readiness(&library, data_dir, &exam, json, now)
        }
        Some(Command::Next { exam, start, json }) => {
            let library = load_all(&cli.banks, today)?.library;
            learning::next(&library, data_dir, &exam, start, json, now)
        }
        Some(Command::Plan {
            exam,
            date,
            hours_per_week,
            ics,
            json,
        }) => {
            let library = load_all(&cli.banks, today)?.library;
            if hours_per_week.is_some() || ics.is_some() {
                let request = crate::advise::PlanCommand {
                    exam: &exam,
                    date,
                    hours_per_week,
                    ics: ics.as_deref(),
                    json,
                };
                crate::advise::plan(&library, data_dir, request, advisor_now)
            } else {
                crate::advise::plan_or_date(&library, data_dir, &exam, date, json, advisor_now)
            }
        }
        Some(Command::Advise(args)) => {
            let library = load_all(&cli.banks, today)?.library;
            crate::advise::advise(&library, data_dir, args, advisor_now)
        }
        Some(Command::Import {
            files,
            out,
            format,
            objectives,
            references,
            difficulty,
            force,
            json,
        }) => {
            let library = load_all(&cli.banks, today)?.library;
            let command = crate::interchange::ImportCommand {
                files: &files,
                out: &out,
                format: format.as_deref(),
                objectives: &objectives,
                references: &references,
                difficulty,
                force,
                json,
            };
            crate::interchange::import(&library, command, today)
        }
        Some(Command::Export {
            format,
            exam,
            out,
            json,
        }) => {
            // `--bank DIR` without `--exam` exports that folder's items, not the embedded bank.
            let library = if cli.banks.is_empty() || exam.is_some() {
                load_all(&cli.banks, today)?.library
            } else {
                crate::content::load_banks_only(&cli.banks, today)?.library
            };
            crate::interchange::export(&library, &format, exam.as_deref(), &out, json)
        }
        Some(Command::Result { command }) => {
            let library = load_all(&cli.banks, today)?.library;
            crate::advise::result(&library, data_dir, command, advisor_now)
        }
        Some(Command::Calibrate {
            three_pl,
            database_url,
            json,
        }) => {
            let library = load_all(&cli.banks, today)?.library;
            learning::calibrate(
                &library,
                data_dir,
                database_url.as_deref(),
                three_pl,
                json,
                now,
            )
        }
        Some(Command::Bank(BankCommand::Health {
            database_url,
            flagged,
            json,
        })) => {
            let library = load_all(&cli.banks, today)?.library;
            learning::health(&library, data_dir, database_url.as_deref(), flagged, json)
        }
    }
}

/// The current time, or `--now` / `CERTPREP_NOW` (for tests that need time to pass).
fn now(cli: &Cli) -> chrono::DateTime<chrono::Utc> {
    cli.now.unwrap_or_else(chrono::Utc::now)
}

/// Now for the commands that reason in days (advice, plans, results): `--today` moves it to
/// that day's noon when no instant is given.
fn day_now(cli: &Cli, today: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    match (cli.now, cli.today) {
        (Some(now), _) => now,
        (None, Some(day)) => day
            .and_hms_opt(12, 0, 0)
            .map_or_else(chrono::Utc::now, |t| t.and_utc()),
        (None, None) => {
            let _ = today;
            chrono::Utc::now()
        }
    }
}

fn print_json(value: &impl serde::Serialize) -> Result<ExitCode> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(ExitCode::SUCCESS)
}

fn overview(banks: &[std::path::PathBuf], today: NaiveDate) -> Result<ExitCode> {
    let library = load_all(banks, today)?.library;
    print!("{}", exam_table(&library, today));
    println!();
    for exam in library.catalog.exams() {
        let Some(outline) = exam.current_outline() else {
            continue;
        };
        let r = exam.outline_ref(outline);
        let count = library.bank.serving(&r).count();
        println!(
            "{count:>4} practice items for {} (outline {})",
            exam.code.display(),
            outline.date
        );
    }
    println!(
        "\nNext: `certprep exams show ai-103`, `certprep bank stats --exam ai-103`, `certprep --help`."
    );
    Ok(ExitCode::SUCCESS)
}

fn exams(args: ExamsArgs, banks: &[std::path::PathBuf], today: NaiveDate) -> Result<ExitCode> {
    let library = load_all(banks, today)?.library;
    match args.command {
        None if args.json => {
            let all: Vec<Value> = library
                .catalog
                .exams()
                .iter()
                .map(|e| exam_json(e, &e.outlines, today))
                .collect();
            print_json(&all)
        }
        None => {
            print!("{}", exam_table(&library, today));
            Ok(ExitCode::SUCCESS)
        }
        Some(ExamsCommand::Show {
            code,
            outline,
            json,
        }) => {
            let exam = find_exam(&library, &code)?;
            let outline = pick_outline(exam, outline)?;
            let outline_ref = exam.outline_ref(outline);
            let forms: Vec<&FixedForm> = library
                .forms
                .iter()
                .filter(|f| f.outline == outline_ref)
                .collect();
            if json || args.json {
                let mut value = exam_json(exam, std::slice::from_ref(outline), today);
                value["forms"] = forms
                    .iter()
                    .map(|f| {
                        json!({
                            "id": f.id,
                            "title": f.title,
                            "outline": f.outline,
                            "items": f.form(&library.bank).len(),
                        })
                    })
                    .collect();
                print_json(&value)
            } else {
                print!("{}", exam_text(exam, outline, today));
                if !forms.is_empty() {
                    println!(
                        "\nFixed practice forms (`certprep session start --exam {} --form ID`):",
                        exam.code
                    );
                    for f in &forms {
                        println!(
                            "  {:<12} {} ({} items)",
                            f.id,
                            f.title,
                            f.form(&library.bank).len()
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
        }
        Some(ExamsCommand::Diff { from, to, json }) => {
            let diff = diff(&library, &from, &to)?;
            if json || args.json {
                print_json(&diff)
            } else {
                print!("{}", diff_text(&diff));
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}

fn find_exam<'a>(library: &'a Library, code: &str) -> Result<&'a Exam> {
    library.catalog.exam(&ExamCode::new(code)).ok_or_else(|| {
        let known: Vec<String> = library
            .catalog
            .exams()
            .iter()
            .map(|e| e.code.display())
            .collect();
        anyhow!(
            "unknown exam `{code}`: expected one of {}",
            known.join(", ")
        )
    })
}

fn pick_outline(exam: &Exam, date: Option<NaiveDate>) -> Result<&Outline> {
    let found = match date {
        Some(d) => exam.outline(d),
        None => exam.current_outline(),
    };
    found.ok_or_else(|| {
        let dates: Vec<String> = exam.outlines.iter().map(|o| o.date.to_string()).collect();
        anyhow!(
            "{} has no outline dated {}: expected one of {}",
            exam.code.display(),
            date.map_or_else(String::new, |d| d.to_string()),
            dates.join(", ")
        )
    })
}

/// `CODE` (newest outline) or `CODE@DATE`.
fn resolve<'a>(library: &'a Library, spec: &str) -> Result<(OutlineRef, &'a Outline)> {
    let (code, date) = match spec.split_once('@') {
        Some((code, date)) => {
            let date =
                certprep_domain::exam::parse_date(date).map_err(|e| anyhow!("`{spec}`: {e}"))?;
            (code, Some(date))
        }
        None => (spec, None),
    };
    let exam = find_exam(library, code)?;
    let outline = pick_outline(exam, date)?;
    Ok((exam.outline_ref(outline), outline))
}

fn diff(library: &Library, from: &str, to: &str) -> Result<OutlineDiff> {
    let (from_ref, from_outline) = resolve(library, from)?;
    let (to_ref, to_outline) = resolve(library, to)?;
    Ok(diff_outlines(
        &from_ref,
        from_outline,
        &to_ref,
        to_outline,
        &library.bank,
    ))
}

fn status_text(exam: &Exam, today: NaiveDate) -> String {
    let status = exam.status_on(today);
    match &exam.retirement {
        Some(r) => {
            let successor = r
                .successor
                .as_ref()
                .map_or_else(String::new, |s| format!(", successor {}", s.display()));
            format!("{status} {}{successor}", r.on)
        }
        None => status.to_string(),
    }
}

fn exam_table(library: &Library, today: NaiveDate) -> String {
    let rows: Vec<Vec<String>> = library
        .catalog
        .exams()
        .iter()
        .map(|e| {
            let outlines: Vec<String> = e.outlines.iter().map(|o| o.date.to_string()).collect();
            vec![
                e.code.display(),
                e.title.clone(),
                status_text(e, today),
                outlines.join(", "),
            ]
        })
        .collect();
    table(&["EXAM", "TITLE", "STATUS", "OUTLINES"], &rows)
}

fn unverified(p: &Provenance) -> String {
    match (&p.note, p.verified) {
        (Some(note), false) => format!(" (unverified: {note})"),
        (None, false) => " (unverified)".to_string(),
        (Some(note), true) => format!(" ({note})"),
        (None, true) => String::new(),
    }
}

fn exam_text(exam: &Exam, outline: &Outline, today: NaiveDate) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}  {}", exam.code.display(), exam.title);
    let _ = writeln!(s, "Credential: {} ({})", exam.credential, exam.level);
    let _ = writeln!(s, "Status: {}", status_text(exam, today));
    if let Some(r) = &exam.retirement
        && let Some(note) = &r.provenance.note
    {
        let flag = if r.provenance.verified {
            ""
        } else {
            " (unverified)"
        };
        let _ = writeln!(s, "  {note}{flag}");
    }
    let _ = writeln!(
        s,
        "Price: about {} {}{}",
        exam.price.currency,
        exam.price.amount,
        unverified(&exam.price.provenance)
    );
    let _ = writeln!(
        s,
        "Duration: {} minutes of exam time{}{}",
        exam.duration.minutes,
        exam.duration
            .seat_minutes
            .map_or_else(String::new, |m| format!(", {m} minutes of seat time")),
        unverified(&exam.duration.provenance)
    );
    let _ = writeln!(
        s,
        "Questions: {}–{}{}",
        exam.questions.min,
        exam.questions.max,
        unverified(&exam.questions.provenance)
    );
    let _ = writeln!(
        s,
        "Passing score: {} of {} (scaled; not a percentage){}",
        exam.passing_score,
        exam.max_score,
        if exam.open_book {
            ". Open book: Microsoft Learn is available during the exam."
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "Passing standard for estimates: {}% of a blueprint form's points{}",
        exam.passing_standard.percent,
        unverified(&exam.passing_standard.provenance)
    );
    let others: Vec<String> = exam
        .outlines
        .iter()
        .filter(|o| o.date != outline.date)
        .map(|o| o.date.to_string())
        .collect();
    let _ = writeln!(
        s,
        "\nSkills outline {}{}{}",
        outline.date,
        if others.is_empty() {
            String::new()
        } else {
            format!(" (other versions: {})", others.join(", "))
        },
        unverified(&outline.provenance)
    );
    for (n, d) in outline.domains.iter().enumerate() {
        let _ = writeln!(
            s,
            "\n{}. {}  {}–{}%  [{}]{}",
            n + 1,
            d.title,
            d.weight_min,
            d.weight_max,
            d.id,
            unverified(&d.provenance)
        );
        for g in &d.groups {
            let _ = writeln!(s, "   {}", g.title);
            for o in &g.objectives {
                let _ = writeln!(s, "     {:<24} {}", o.id, o.title);
                if let Some(why) = &o.retired {
                    let _ = writeln!(s, "     {:<24} (service retired: {why})", "");
                }
            }
        }
    }
    s
}

fn provenance_json(p: &Provenance) -> Value {
    json!({ "verified": p.verified, "note": p.note })
}

fn exam_json(exam: &Exam, outlines: &[Outline], today: NaiveDate) -> Value {
    let outlines: Vec<Value> = outlines
        .iter()
        .map(|o| {
            json!({
                "date": o.date,
                "verified": o.provenance.verified,
                "note": o.provenance.note,
                "domains": o.domains.iter().map(|d| json!({
                    "id": d.id,
                    "title": d.title,
                    "weight_min": d.weight_min,
                    "weight_max": d.weight_max,
                    "verified": d.provenance.verified,
                    "note": d.provenance.note,
                    "groups": d.groups.iter().map(|g| json!({
                        "title": g.title,
                        "objectives": g.objectives,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "code": exam.code,
        "title": exam.title,
        "credential": exam.credential,
        "level": exam.level,
        "status": exam.status_on(today),
        "available_from": exam.available_from,
        "retired_on": exam.retirement.as_ref().map(|r| r.on),
        "successor": exam.retirement.as_ref().and_then(|r| r.successor.clone()),
        "retirement": exam.retirement.as_ref().map(|r| provenance_json(&r.provenance)),
        "price": { "amount": exam.price.amount, "currency": exam.price.currency, "verified": exam.price.provenance.verified, "note": exam.price.provenance.note },
        "duration": { "minutes": exam.duration.minutes, "seat_minutes": exam.duration.seat_minutes, "verified": exam.duration.provenance.verified, "note": exam.duration.provenance.note },
        "questions": { "min": exam.questions.min, "max": exam.questions.max, "verified": exam.questions.provenance.verified, "note": exam.questions.provenance.note },
        "passing_score": exam.passing_score,
        "passing_standard": { "percent": exam.passing_standard.percent, "verified": exam.passing_standard.provenance.verified, "note": exam.passing_standard.provenance.note },
        "max_score": exam.max_score,
        "open_book": exam.open_book,
        "outlines": outlines,
    })
}

fn diff_text(diff: &OutlineDiff) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "From {} to {}", diff.from, diff.to);
    let section = |s: &mut String, title: &str, lines: Vec<String>| {
        let _ = writeln!(s, "\n{title} ({})", lines.len());
        for line in lines {
            let _ = writeln!(s, "  {line}");
        }
    };
    section(
        &mut s,
        "Domains added",
        diff.domains_added
            .iter()
            .map(|d| {
                format!(
                    "+ {}  {} ({}–{}%)",
                    d.id, d.title, d.weight_min, d.weight_max
                )
            })
            .collect(),
    );
    section(
        &mut s,
        "Domains removed",
        diff.domains_removed
            .iter()
            .map(|d| {
                format!(
                    "- {}  {} ({}–{}%)",
                    d.id, d.title, d.weight_min, d.weight_max
                )
            })
            .collect(),
    );
    section(
        &mut s,
        "Domains reweighted",
        diff.reweighted
            .iter()
            .map(|r| {
                format!(
                    "~ {}  {}–{}% → {}–{}%",
                    r.id, r.from.0, r.from.1, r.to.0, r.to.1
                )
            })
            .collect(),
    );
    section(
        &mut s,
        "Objectives added",
        diff.objectives_added
            .iter()
            .map(|o| format!("+ {:<24} {}  [{}]", o.id, o.title, o.domain))
            .collect(),
    );
    section(
        &mut s,
        "Objectives removed",
        diff.objectives_removed
            .iter()
            .map(|o| {
                let orphans = if o.orphaned_items.is_empty() {
                    String::new()
                } else {
                    format!(
                        "\n      leaves without an objective: {}",
                        o.orphaned_items.join(", ")
                    )
                };
                format!(
                    "- {:<24} {}  [{}]{orphans}",
                    o.objective.id, o.objective.title, o.objective.domain
                )
            })
            .collect(),
    );
    section(
        &mut s,
        "Objectives moved",
        diff.objectives_moved
            .iter()
            .map(|m| format!("> {:<24} {} → {}", m.id, m.from_domain, m.to_domain))
            .collect(),
    );
    section(
        &mut s,
        "Objectives retitled",
        diff.objectives_renamed
            .iter()
            .map(|r| format!("~ {:<24} \"{}\" → \"{}\"", r.id, r.from_title, r.to_title))
            .collect(),
    );
    let _ = writeln!(
        s,
        "\nItems serving {}: {} carry over, {} would serve no objective of {}{}",
        diff.from,
        diff.items_carried_over,
        diff.items_orphaned.len(),
        diff.to,
        if diff.items_orphaned.is_empty() {
            String::new()
        } else {
            format!(": {}", diff.items_orphaned.join(", "))
        }
    );
    s
}

fn lint(paths: &[std::path::PathBuf], today: NaiveDate) -> Result<ExitCode> {
    // The given files are checked on top of the embedded content (their items may serve its
    // outlines and sit in its case studies), but the count is of their own items.
    let (loaded, own_ids) = if paths.is_empty() {
        (load(&[embedded()], today, 0), None)
    } else {
        let own = read_paths(paths)?;
        if own.is_empty() {
            bail!("no bank (*.md) or exam (*.toml) files under the given paths");
        }
        let ids: std::collections::BTreeSet<String> = own
            .iter()
            .flat_map(|f| f.text.lines())
            .filter_map(|l| l.strip_prefix("## Item:").map(|id| id.trim().to_string()))
            .collect();
        (load_onto(embedded_library()?, &[own], today, 0), Some(ids))
    };
    for d in &loaded.diagnostics {
        println!("{d}");
    }
    let errors = loaded.errors().count();
    let warnings = loaded.diagnostics.len() - errors;
    let items = match &own_ids {
        Some(ids) => loaded
            .library
            .bank
            .items
            .iter()
            .filter(|i| ids.contains(&i.id))
            .count(),
        None => loaded.library.bank.items.len(),
    };
    eprintln!("{items} valid item(s); {errors} error(s), {warnings} warning(s)");
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn stats(
    banks: &[std::path::PathBuf],
    today: NaiveDate,
    code: &str,
    outline: Option<NaiveDate>,
    json: bool,
) -> Result<ExitCode> {
    let library = load_all(banks, today)?.library;
    let exam = find_exam(&library, code)?;
    let outline = pick_outline(exam, outline)?;
    let stats = bank_stats(&library.bank, &exam.outline_ref(outline), outline);
    if json {
        return print_json(&stats);
    }
    print!("{}", stats_text(exam, &stats));
    Ok(ExitCode::SUCCESS)
}

fn stats_text(exam: &Exam, stats: &BankStats) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} outline {}: {} items ({} case studies, {} series)\n",
        exam.code.display(),
        stats.outline.date,
        stats.total,
        stats.case_studies,
        stats.series
    );
    let rows: Vec<Vec<String>> = stats
        .by_domain
        .iter()
        .map(|d| {
            vec![
                d.domain.clone(),
                d.count.to_string(),
                format!("{:.1}%", d.share),
                format!("{}–{}%", d.weight_min, d.weight_max),
                match d.coverage {
                    Coverage::Under => "under",
                    Coverage::Within => "within",
                    Coverage::Over => "over",
                }
                .to_string(),
            ]
        })
        .collect();
    s.push_str(&table(
        &["DOMAIN", "ITEMS", "SHARE", "WEIGHT", "COVERAGE"],
        &rows,
    ));
    s.push_str("\nItems per objective (an item may serve several):\n");
    for d in &stats.by_domain {
        let _ = writeln!(s, "  {}", d.title);
        for o in &d.objectives {
            let _ = writeln!(s, "    {:>3}  {:<24} {}", o.count, o.id, o.title);
            if let Some(why) = &o.retired {
                let _ = writeln!(
                    s,
                    "         {:<24} service retired, no items expected: {why}",
                    ""
                );
            }
        }
    }
    let types: Vec<String> = stats
        .by_type
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    let _ = writeln!(s, "\nBy type: {}", types.join(", "));
    let levels: Vec<String> = stats
        .by_difficulty
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    let _ = writeln!(s, "By difficulty (1 easy – 5 hard): {}", levels.join(", "));
    let _ = writeln!(s, "\nGaps ({}):", stats.gaps.len());
    for gap in &stats.gaps {
        let line = match gap {
            Gap::Objective { domain, id, title } => {
                format!("no item for objective {id} ({title}) [{domain}]")
            }
            Gap::DomainUnder {
                domain,
                share,
                weight_min,
            } => {
                format!(
                    "domain {domain} has {share:.1}% of the items, below its {weight_min}% minimum"
                )
            }
            Gap::Type { name } => format!("no {name} item"),
        };
        let _ = writeln!(s, "  - {line}");
    }
    s
}
