//! The command line.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "certprep",
    version,
    about = "Prepare for certification exams: practice questions, exam rules, outlines and coverage.",
    after_help = "With no command, opens the terminal app (or, when output is not a terminal, prints an overview)."
)]
pub struct Cli {
    /// Add a folder of your own banks (`*.md`) and exams (`*.toml`); its items replace embedded
    /// items with the same id. May be given several times.
    #[arg(long = "bank", value_name = "DIR", global = true)]
    pub banks: Vec<PathBuf>,

    /// Treat this day as today (for statuses and review-date checks).
    #[arg(
        long,
        value_name = "YYYY-MM-DD",
        global = true,
        env = "CERTPREP_TODAY",
        hide = true
    )]
    pub today: Option<NaiveDate>,

    /// Treat this instant as now (RFC 3339), for tests of deadlines.
    #[arg(
        long,
        value_name = "TIME",
        global = true,
        env = "CERTPREP_NOW",
        hide = true
    )]
    pub now: Option<chrono::DateTime<chrono::Utc>>,

    /// Where certprep keeps its database (default: your data directory, such as
    /// ~/.local/share/certprep).
    #[arg(long, value_name = "DIR", global = true, env = "CERTPREP_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The exam catalog: status, retirement, successor, outlines.
    Exams(ExamsArgs),
    /// Check and measure question banks.
    #[command(subcommand)]
    Bank(BankCommand),
    /// Practice and exam sessions, scriptable with JSON (the terminal app uses the same engine).
    #[command(subcommand)]
    Session(SessionCommand),
    /// The terminal app (also what `certprep` with no command opens in a terminal).
    Tui {
        /// Open this session directly.
        #[arg(long)]
        session: Option<String>,
    },
    /// The web server: JSON API on SQLite by default, or PostgreSQL with --database-url.
    Serve(ServeArgs),
    /// Server accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Your sessions, newest first, with their scores.
    History {
        #[arg(long)]
        json: bool,
    },
    /// Items due for spaced-repetition review (FSRS), most forgotten first; --start opens them.
    Review {
        /// Only items of this exam's current outline (needed with --start).
        #[arg(long)]
        exam: Option<String>,
        /// Start a study session of the due items.
        #[arg(long)]
        start: bool,
        #[arg(long)]
        json: bool,
    },
    /// How ready you are: the probability of passing a real form, with its interval, ability
    /// per domain, the trend, and recall per objective on your exam date.
    Readiness {
        #[arg(long)]
        exam: String,
        #[arg(long)]
        json: bool,
    },
    /// The one activity most worth doing next (due reviews, a weak objective, a mock exam…).
    Next {
        #[arg(long)]
        exam: String,
        /// Start it.
        #[arg(long)]
        start: bool,
        #[arg(long)]
        json: bool,
    },
    /// Is the certification worth it for you? The cost and time, a recommendation with its
    /// reasons, the alternatives, and for a retired exam what carries over to its successor.
    /// Asks about you in a terminal; flags answer for scripts. Your answers are remembered.
    Advise(AdviseArgs),
    /// Your study plan: the exam day and the hours a week you have become a week-by-week plan
    /// (domains by weight and weakness, mock exams, checks, review) with progress against it.
    /// With only --date, records the day you plan to sit the exam.
    Plan {
        #[arg(long)]
        exam: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Hours you can study a week (saved with the plan).
        #[arg(long, value_name = "N")]
        hours_per_week: Option<f64>,
        /// Also write the plan as an iCalendar file (.ics) to import into a calendar.
        #[arg(long, value_name = "FILE")]
        ics: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Import question banks from other tools into native bank files (one `.md` per file in
    /// --out): Moodle GIFT, Moodle XML, CSV, Markdown checkbox banks, Anki text. Anything dropped
    /// or approximated is reported at its `file:line:col`.
    Import {
        files: Vec<PathBuf>,
        /// The folder for the bank files (use it with --bank).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// gift, moodle-xml, csv, markdown, anki-txt or qti (default: detected).
        #[arg(long)]
        format: Option<String>,
        /// The outline objectives of items that name none, such as ai-103@2026-04-16:rag.
        #[arg(long = "objective", value_name = "EXAM@DATE:ID[,ID…]")]
        objectives: Vec<String>,
        /// A learn.microsoft.com reference for items that have none.
        #[arg(long = "reference", value_name = "URL")]
        references: Vec<String>,
        /// Difficulty (1–5) of items whose source has none.
        #[arg(long)]
        difficulty: Option<u8>,
        /// Replace bank files that already exist in --out.
        #[arg(long)]
        force: bool,
        #[arg(long)]
        json: bool,
    },
    /// Export the bank (or one exam's items, or only the items of the `--bank` folders) to
    /// another tool's format.
    Export {
        /// qti3 (or qti), qti21, gift, moodle-xml, csv, anki-txt or apkg.
        #[arg(long)]
        format: String,
        /// Only the items that serve this exam (such as ai-103).
        #[arg(long)]
        exam: Option<String>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The real exam: record its result (certprep shows how its prediction compared), list
    /// your results with each credential's expiry and renewal, or delete a mistaken entry.
    Result {
        #[command(subcommand)]
        command: ResultCommand,
    },
    /// Report a problem with an item whose answer you have seen: a wrong key, an ambiguous
    /// question, outdated facts, a typo. Authors see it in `certprep disputes` and bank health.
    Dispute {
        /// The item's id (shown with its answer, and by `session show --json`).
        item: String,
        /// wrong-key, ambiguous, outdated, typo or other.
        #[arg(long)]
        kind: String,
        /// What is wrong and why (at most 2,000 characters).
        #[arg(long)]
        note: String,
        /// The session the item was answered in (default: found from your answers).
        #[arg(long)]
        session: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Reports of problems with items, newest first: the author's queue, with resolutions.
    #[command(args_conflicts_with_subcommands = true)]
    Disputes {
        #[command(subcommand)]
        command: Option<DisputesCommand>,
        /// Only reports not yet resolved.
        #[arg(long)]
        open: bool,
        /// Only reports about this item.
        #[arg(long)]
        item: Option<String>,
        /// Only your own reports (with the answers authors gave).
        #[arg(long)]
        mine: bool,
        /// postgres://… to read a team server's reports (default: the local SQLite file);
        /// resolve those on the web.
        #[arg(long, env = "CERTPREP_DATABASE_URL")]
        database_url: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Calibrate the bank's items (IRT, marginal maximum likelihood) from every user's
    /// responses in the database, and store the result for readiness and score reports.
    Calibrate {
        /// Fit the three-parameter model (with guessing) instead of the 2PL.
        #[arg(long)]
        three_pl: bool,
        /// postgres://… to calibrate a team server's database (default: the local SQLite file).
        #[arg(long, env = "CERTPREP_DATABASE_URL")]
        database_url: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Start a session; prints its id, items, deadline and first item.
    Start(StartArgs),
    /// The session's state and current item (in exam mode, no key before submission).
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Answer an item; the answer is durable before this command prints anything.
    Answer {
        id: String,
        /// The item to answer (omit with --stdin).
        item: Option<String>,
        /// The answer as JSON: "B", ["A","C"], [true,false,null], true … (see docs/answers.md).
        #[arg(long)]
        answer: Option<String>,
        /// How sure you are: low (a guess), medium or high; spaced repetition uses it.
        #[arg(long, conflicts_with = "stdin")]
        confidence: Option<String>,
        /// Read `ITEM_ID JSON` lines from standard input: each gets one JSON line back (the
        /// acknowledgement, or `{"line","input","error"}`); every valid line is answered, and the
        /// exit status is 1 at the end if any line was refused.
        #[arg(long, conflicts_with_all = ["item", "answer"])]
        stdin: bool,
        #[arg(long)]
        json: bool,
    },
    /// Mark or unmark an item for review.
    Mark {
        id: String,
        item: String,
        #[arg(long)]
        json: bool,
    },
    /// Go to an item (refused where the exam rules forbid it).
    Goto {
        id: String,
        item: String,
        #[arg(long)]
        json: bool,
    },
    /// The review screen: unanswered and marked items of the current section.
    Review {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Pause a pausable session.
    Pause { id: String },
    /// Resume a paused session.
    Resume { id: String },
    /// Submit and print the score report.
    Submit {
        id: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// Exam code, such as AI-103.
    #[arg(long)]
    pub exam: String,
    /// study (feedback after each item), exam (timed simulation under the real rules), custom,
    /// or adaptive (the adaptive readiness check: items picked near the cut until pass or fail
    /// is decided). Default: study, or exam with --form.
    #[arg(long)]
    pub mode: Option<String>,
    /// A fixed form (published practice test) instead of a random one: the same items for
    /// everyone, so attempts can be compared. `certprep exams show EXAM` lists them.
    #[arg(long)]
    pub form: Option<String>,
    /// Outline version (default: the newest).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub outline: Option<NaiveDate>,
    /// Seed for the form or the order; the same seed gives the same session.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Only items of this domain (repeatable).
    #[arg(long = "domain")]
    pub domains: Vec<String>,
    /// Only items of this objective (repeatable).
    #[arg(long = "objective")]
    pub objectives: Vec<String>,
    /// Only items whose latest answer was not fully right.
    #[arg(long)]
    pub missed: bool,
    /// Only items you marked for review in earlier sessions.
    #[arg(long)]
    pub marked: bool,
    /// Only items you have never answered.
    #[arg(long)]
    pub unseen: bool,
    /// At most this many items.
    #[arg(long)]
    pub count: Option<u32>,
    /// Time limit in minutes (custom and study; an exam takes the catalog's duration).
    #[arg(long)]
    pub minutes: Option<u32>,
    /// Allow pausing the clock (practice); the real exam's clock never stops.
    #[arg(long)]
    pub pausable: bool,
    /// Show each item's options, actions, sources and drop-down choices as written, instead of
    /// in an order drawn from the seed (for authors checking their items).
    #[arg(long)]
    pub written_order: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum DisputesCommand {
    /// Close a report with a note the reporter will read.
    Resolve {
        id: i64,
        /// fixed, rejected or duplicate.
        #[arg(long = "as", value_name = "RESOLUTION")]
        resolution: String,
        /// Why: what was fixed, why the item stands, or which report it duplicates.
        #[arg(long)]
        note: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ExamsArgs {
    #[command(subcommand)]
    pub command: Option<ExamsCommand>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExamsCommand {
    /// One exam: facts, domains, weights and objectives of an outline version.
    Show {
        /// Exam code, such as AI-103.
        code: String,
        /// Outline version (default: the newest).
        #[arg(long, value_name = "YYYY-MM-DD")]
        outline: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// What changed between two outlines: `ai-102@2024-03-28 ai-102@2025-12-23`, or two exams.
    Diff {
        /// CODE or CODE@DATE (a bare code means its newest outline).
        from: String,
        /// CODE or CODE@DATE.
        to: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum BankCommand {
    /// Check bank files; with no path, the embedded bank. Exit status 1 when anything is wrong.
    Lint {
        /// Files or folders to check.
        paths: Vec<PathBuf>,
    },
    /// Items per domain, objective, type and difficulty for an exam outline, and the gaps.
    Stats {
        /// Exam code, such as AI-103.
        #[arg(long)]
        exam: String,
        /// Outline version (default: the newest).
        #[arg(long, value_name = "YYYY-MM-DD")]
        outline: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Item analysis for authors from every user's responses: facility, discrimination,
    /// point-biserial, distractors, reliability per form, and flags.
    Health {
        /// postgres://… for a team server's database (default: the local SQLite file).
        #[arg(long, env = "CERTPREP_DATABASE_URL")]
        database_url: Option<String>,
        /// Only flagged items.
        #[arg(long)]
        flagged: bool,
        #[arg(long)]
        json: bool,
    },
    /// Content QA in one report: lint, near-duplicate items, answer cues, coverage against the
    /// weights and per-objective minimums, fixed forms, item types, case studies, series and
    /// difficulty, against the bounds in `content/qa.toml`. Exit status 1 when a check fails.
    Qa {
        /// Also check these files or folders (your own banks) with the embedded content.
        paths: Vec<PathBuf>,
        /// Fail only when a check listed under `enforce` in qa.toml fails (what CI runs).
        #[arg(long)]
        enforced: bool,
        #[arg(long)]
        json: bool,
    },
    /// Draft fixed forms for an exam from the bank: disjoint, balanced to the outline's weights,
    /// printed as TOML to review and save under `content/forms/`.
    DraftForms {
        #[arg(long)]
        exam: String,
        /// How many forms.
        #[arg(long, default_value_t = 3)]
        count: u32,
        /// Items per form (default: the middle of the exam's question range).
        #[arg(long)]
        items: Option<u32>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// postgres://… to run on PostgreSQL (several servers may share it); default: the embedded
    /// SQLite store in the data directory.
    #[arg(long, env = "CERTPREP_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Mark cookies Secure. The default whenever --bind is not a loopback address: users then
    /// reach the server over the network, which must be HTTPS.
    #[arg(long, conflicts_with = "insecure_cookies")]
    pub secure_cookies: bool,
    /// Do not mark cookies Secure even off loopback (a plain-HTTP test network only).
    #[arg(long)]
    pub insecure_cookies: bool,
    /// Trust X-Forwarded-For for client addresses (only behind a proxy that sets it).
    #[arg(long)]
    pub behind_proxy: bool,
    /// With --behind-proxy: how many proxies append to X-Forwarded-For; the client is the entry
    /// that many places from the right.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub trusted_proxies: u16,
    /// Failed sign-ins per minute from one address before it must wait (successes never count).
    #[arg(long, default_value_t = 20)]
    pub login_failures_per_address: u32,
    /// Failed sign-ins per minute to one account before each attempt on it waits longer (1 s,
    /// 2 s, 4 s… 16 s); a correct password still signs in.
    #[arg(long, default_value_t = 5)]
    pub login_failures_before_delay: u32,
    /// Sign-ups per minute from one address.
    #[arg(long, default_value_t = 30)]
    pub registrations_per_address: u32,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an admin account; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, env = "CERTPREP_DATABASE_URL")]
        database_url: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct AdviseArgs {
    /// The exam (default: the newest exam that can be taken).
    #[arg(long)]
    pub exam: Option<String>,
    /// software-engineer, cloud-engineer, data-engineer, data-scientist, solution-architect,
    /// consultant, it-pro, researcher, student, manager or other.
    #[arg(long)]
    pub role: Option<String>,
    /// Years of professional experience.
    #[arg(long)]
    pub years: Option<u32>,
    /// Your foundations, comma-separated: software, cloud, data (or none).
    #[arg(long)]
    pub foundations: Option<String>,
    /// The cloud your employer uses: azure, azure-planned, aws, gcp, other or none.
    #[arg(long)]
    pub employer_cloud: Option<String>,
    /// You work for a Microsoft partner organisation or a system integrator (yes/no).
    #[arg(long, value_name = "yes|no")]
    pub partner: Option<String>,
    /// Your work is consulting or client-facing (yes/no).
    #[arg(long, value_name = "yes|no")]
    pub client_facing: Option<String>,
    /// financial-services, healthcare, government, retail, manufacturing, technology,
    /// education or other.
    #[arg(long)]
    pub industry: Option<String>,
    #[arg(long, value_name = "N")]
    pub hours_per_week: Option<f64>,
    /// What you can spend, in your currency.
    #[arg(long, value_name = "AMOUNT")]
    pub budget: Option<u32>,
    /// Your currency (three letters, such as EUR); certprep's figures are in USD.
    #[arg(long)]
    pub currency: Option<String>,
    /// Units of your currency per US dollar, to convert certprep's figures.
    #[arg(long, value_name = "RATE")]
    pub usd_rate: Option<f64>,
    /// The exam fee in your country, in your currency.
    #[arg(long, value_name = "AMOUNT")]
    pub fee: Option<u32>,
    /// Your own figure for a cost line, such as course=0 (lines: course, book, labs).
    #[arg(long = "cost", value_name = "LINE=AMOUNT")]
    pub costs: Vec<String>,
    /// Do not ask; use the flags and what you said before.
    #[arg(long)]
    pub no_questions: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ResultCommand {
    /// Record the real exam's result.
    Record {
        #[arg(long)]
        exam: String,
        /// The day you sat it.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: NaiveDate,
        /// pass or fail.
        #[arg(long, value_name = "pass|fail")]
        outcome: String,
        /// The score on the report (1–1000), if you know it.
        #[arg(long)]
        score: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Your results, with each credential's expiry and renewal.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Delete a result recorded by mistake.
    Delete { id: i64 },
}
