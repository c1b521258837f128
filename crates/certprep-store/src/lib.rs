//! The storage interface. The engine never sees a database: interfaces load a session, let the
//! engine change it, and hand it back here. SQLite (`certprep-store-sqlite`) is the embedded
//! default; a PostgreSQL implementation follows for the team server.
//!
//! Durability contract: when `record_answer` returns `Ok`, the response row and the session
//! state are committed and synced; an interface acknowledges an answer only after that.

use std::collections::BTreeMap;

use async_trait::async_trait;
use certprep_domain::dispute::{Dispute, DisputeKind, Resolution};
use certprep_domain::form::ItemHistory;
use certprep_domain::grading::Answer;
use certprep_domain::session::{Confidence, Response, Session};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database at {path}: {message}")]
    Open { path: String, message: String },
    #[error("database migration failed: {0}")]
    Migrate(String),
    #[error("database error: {0}")]
    Database(String),
    #[error("no session `{0}`")]
    NotFound(String),
    #[error("no report #{0}")]
    NoReport(i64),
    #[error("stored session `{id}` cannot be read: {message}")]
    Corrupt { id: String, message: String },
    #[error("{0} already exists")]
    Conflict(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The outcome of a submitted session, kept beside it for history listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub scaled_score: u32,
    pub passed: bool,
    pub points: u32,
    pub max_points: u32,
}

/// One line of the history: a session without its item states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionSummary {
    pub id: String,
    pub user: String,
    pub exam: String,
    pub outline: String,
    pub mode: String,
    pub started_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub items: u32,
    pub answered: u32,
    pub outcome: Option<Outcome>,
    /// The fixed form the session was started on, if any.
    pub form: Option<String>,
}

impl SessionSummary {
    /// "812 pass" for a submitted mock exam, "practice: 47% of points" for submitted practice
    /// (not an exam form, so no scaled verdict), "12 of 40 answered" before submission.
    pub fn result_text(&self) -> String {
        match self.outcome {
            Some(o) if matches!(self.mode.as_str(), "study" | "custom") => format!(
                "practice: {}% of points",
                (o.points * 100).checked_div(o.max_points).unwrap_or(0)
            ),
            Some(o) => format!(
                "{} {}",
                o.scaled_score,
                if o.passed { "pass" } else { "fail" }
            ),
            None => format!("{} of {} answered", self.answered, self.items),
        }
    }
}

/// A row of the append-only response log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoggedResponse {
    pub id: i64,
    pub user: String,
    pub session_id: String,
    pub item_id: String,
    pub item_version: u32,
    pub outline: String,
    pub answer: Answer,
    pub points: u32,
    pub max_points: u32,
    pub time_spent_ms: u64,
    pub answered_at: DateTime<Utc>,
    pub confidence: Option<Confidence>,
}

/// A row of the response log as the backends read it (times in Unix milliseconds), shared so
/// that both map it to a `LoggedResponse` the same way.
pub struct ResponseRow {
    pub id: i64,
    pub user_id: String,
    pub session_id: String,
    pub item_id: String,
    pub item_version: i64,
    pub outline: String,
    pub answer: String,
    pub points: i64,
    pub max_points: i64,
    pub time_spent_ms: i64,
    pub answered_at: i64,
    pub confidence: Option<String>,
}

impl ResponseRow {
    pub fn logged(self) -> Result<LoggedResponse> {
        let answer = serde_json::from_str(&self.answer).map_err(|e| StoreError::Corrupt {
            id: format!("response {}", self.id),
            message: e.to_string(),
        })?;
        Ok(LoggedResponse {
            id: self.id,
            user: self.user_id,
            session_id: self.session_id,
            item_id: self.item_id,
            item_version: u32::try_from(self.item_version).unwrap_or(0),
            outline: self.outline,
            answer,
            points: u32::try_from(self.points).unwrap_or(0),
            max_points: u32::try_from(self.max_points).unwrap_or(0),
            time_spent_ms: u64::try_from(self.time_spent_ms).unwrap_or(0),
            answered_at: DateTime::from_timestamp_millis(self.answered_at).unwrap_or_default(),
            confidence: self.confidence.as_deref().and_then(Confidence::parse),
        })
    }
}

/// A user's spaced-repetition parameters, optimised from their own log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemoryParameters {
    pub parameters: Vec<f32>,
    /// How many responses the optimisation saw (it is redone when the log has grown enough).
    pub reviews: u32,
    pub computed_at: DateTime<Utc>,
}

/// The calibrated parameters of one item version, from the latest `certprep calibrate`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemCalibration {
    pub item_id: String,
    pub item_version: u32,
    pub a: f64,
    pub b: f64,
    /// Guessing (0 under the 2PL).
    pub c: f64,
    pub respondents: u32,
    pub misfit: bool,
    pub calibrated_at: DateTime<Utc>,
}

impl MemoryParameters {
    /// Reads the stored form (parameters as a JSON array).
    pub fn from_row(
        user: &str,
        json: &str,
        reviews: i64,
        computed_at: DateTime<Utc>,
    ) -> Result<Self> {
        let parameters = serde_json::from_str(json).map_err(|e| StoreError::Corrupt {
            id: format!("memory parameters of {user}"),
            message: e.to_string(),
        })?;
        Ok(MemoryParameters {
            parameters,
            reviews: u32::try_from(reviews).unwrap_or(0),
            computed_at,
        })
    }
}

#[async_trait]
pub trait Store: Send + Sync {
    /// Stores a new session.
    async fn create_session(&self, session: &Session) -> Result<()>;

    async fn load_session(&self, id: &str) -> Result<Session>;

    /// Saves the state of a session (navigation, marks, pauses, submission). Once a session
    /// has an outcome it keeps it: a later save never changes a submitted verdict.
    async fn save_session(&self, session: &Session, outcome: Option<Outcome>) -> Result<()>;

    /// Keeps the score report of a submitted session as it stood at submission (JSON); a second
    /// call leaves the first report in place.
    async fn freeze_report(&self, id: &str, report: &str) -> Result<()>;

    /// The report kept at submission, if any.
    async fn frozen_report(&self, id: &str) -> Result<Option<String>>;

    /// Appends a response to the log and saves the session, in one durable transaction.
    async fn record_answer(&self, session: &Session, response: &Response) -> Result<()>;

    /// The user's sessions, newest first.
    async fn sessions(&self, user: &str) -> Result<Vec<SessionSummary>>;

    /// The user's response log, oldest first.
    async fn responses(&self, user: &str) -> Result<Vec<LoggedResponse>>;

    /// Items the user marked for review in any session.
    async fn marked_items(&self, user: &str) -> Result<Vec<String>>;

    /// Every user's response log, by user then oldest first (for calibration and item analysis).
    async fn all_responses(&self) -> Result<Vec<LoggedResponse>>;

    /// Every user's sessions of one mode ("exam" for item analysis per form), whole.
    async fn sessions_in_mode(&self, mode: &str) -> Result<Vec<Session>>;

    /// The day the user plans to sit an exam, if they said.
    async fn exam_date(&self, user: &str, exam: &str) -> Result<Option<NaiveDate>>;

    async fn set_exam_date(&self, user: &str, exam: &str, date: NaiveDate) -> Result<()>;

    async fn memory_parameters(&self, user: &str) -> Result<Option<MemoryParameters>>;

    async fn save_memory_parameters(&self, user: &str, parameters: &MemoryParameters)
    -> Result<()>;

    /// The latest calibration, one row per item.
    async fn calibrations(&self) -> Result<Vec<ItemCalibration>>;

    /// Replaces the stored calibration with a new one, in one transaction.
    async fn save_calibrations(&self, items: &[ItemCalibration]) -> Result<()>;

    // Reports of a problem with an item, and their resolution.

    /// Stores a report; durable (committed and synced) before it returns, like an answer.
    async fn file_dispute(&self, dispute: &NewDispute) -> Result<Dispute>;
    /// Reports matching the filter, newest first.
    async fn disputes(&self, filter: &DisputeFilter) -> Result<Vec<Dispute>>;
    /// `StoreError::NoReport` when there is no report with this id.
    async fn dispute(&self, id: i64) -> Result<Dispute>;
    /// Closes (or re-closes) a report; `StoreError::NoReport` when there is none with this id.
    async fn resolve_dispute(&self, id: i64, resolve: &ResolveDispute) -> Result<Dispute>;

    // The real exam, the study plan and the advisor's profile.

    /// Stores a real exam result; durable before it returns.
    async fn record_exam_result(&self, result: &NewExamResult) -> Result<ExamResult>;
    /// One user's recorded results, or every user's with `None`, newest exam first.
    async fn exam_results(&self, user: Option<&str>) -> Result<Vec<ExamResult>>;
    /// Deletes one of the user's results (a mistaken entry); false when there is none.
    async fn delete_exam_result(&self, user: &str, id: i64) -> Result<bool>;
    /// The hours a week and first day of the user's plan for an exam.
    async fn study_plan(&self, user: &str, exam: &str) -> Result<Option<StoredPlan>>;
    async fn set_study_plan(&self, user: &str, exam: &str, plan: &StoredPlan) -> Result<()>;
    /// The advisor's profile as JSON, as the user last gave it.
    async fn advisor_profile(&self, user: &str) -> Result<Option<String>>;
    async fn set_advisor_profile(&self, user: &str, profile: &str) -> Result<()>;
}

/// A real exam result as the candidate records it, with certprep's last pass probability
/// before that day (kept as it stood, so the accuracy report never changes after the fact).
#[derive(Debug, Clone, PartialEq)]
pub struct NewExamResult {
    pub user: String,
    pub exam: String,
    pub taken_on: NaiveDate,
    pub passed: bool,
    pub score: Option<u32>,
    pub predicted: Option<f64>,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExamResult {
    pub id: i64,
    pub user: String,
    pub exam: String,
    pub taken_on: NaiveDate,
    pub passed: bool,
    pub score: Option<u32>,
    pub predicted: Option<f64>,
    pub recorded_at: DateTime<Utc>,
}

/// An exam result as both stores read it back, before its day is parsed.
#[derive(Debug, Clone)]
pub struct ExamResultRow {
    pub id: i64,
    pub user_id: String,
    pub exam: String,
    pub taken_on: String,
    pub passed: bool,
    pub score: Option<i64>,
    pub predicted: Option<f64>,
    pub recorded_at: i64,
}

impl ExamResultRow {
    pub fn into_result(self) -> Result<ExamResult> {
        let taken_on = NaiveDate::parse_from_str(&self.taken_on, "%Y-%m-%d").map_err(|e| {
            StoreError::Database(format!(
                "exam result {}: date {:?}: {e}",
                self.id, self.taken_on
            ))
        })?;
        Ok(ExamResult {
            id: self.id,
            user: self.user_id,
            exam: self.exam,
            taken_on,
            passed: self.passed,
            score: self.score.and_then(|s| u32::try_from(s).ok()),
            predicted: self.predicted,
            recorded_at: DateTime::from_timestamp_millis(self.recorded_at).unwrap_or_default(),
        })
    }
}

/// What a study plan is built on besides the exam date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StoredPlan {
    pub hours_per_week: f64,
    pub starts_on: NaiveDate,
}

/// A report as filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDispute {
    pub user: String,
    pub item_id: String,
    pub item_version: u32,
    pub session_id: Option<String>,
    pub kind: DisputeKind,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// An author's decision on a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveDispute {
    pub resolution: Resolution,
    pub note: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// Which reports to list; every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DisputeFilter {
    /// Only this reporter's.
    pub user: Option<String>,
    /// Only those not yet resolved.
    pub open_only: bool,
    /// Only those about this item.
    pub item_id: Option<String>,
}

/// A row of the disputes table as both stores read it (times in milliseconds).
#[derive(Debug, Clone)]
pub struct DisputeRow {
    pub id: i64,
    pub user_id: String,
    pub email: Option<String>,
    pub item_id: String,
    pub item_version: i64,
    pub session_id: Option<String>,
    pub kind: String,
    pub note: String,
    pub created_at: i64,
    pub resolution: Option<String>,
    pub resolution_note: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<i64>,
}

impl DisputeRow {
    pub fn dispute(self) -> Result<Dispute> {
        let corrupt = |what: &str, value: &str| StoreError::Corrupt {
            id: format!("dispute {}", self.id),
            message: format!("unknown {what} `{value}`"),
        };
        let kind = DisputeKind::parse(&self.kind).ok_or_else(|| corrupt("kind", &self.kind))?;
        let resolution = match self.resolution.as_deref() {
            Some(r) => Some(Resolution::parse(r).ok_or_else(|| corrupt("resolution", r))?),
            None => None,
        };
        Ok(Dispute {
            id: self.id,
            user: self.user_id,
            reporter_email: self.email,
            item_id: self.item_id,
            item_version: u32::try_from(self.item_version).unwrap_or(0),
            session_id: self.session_id,
            kind,
            note: self.note,
            created_at: DateTime::from_timestamp_millis(self.created_at).unwrap_or_default(),
            resolution,
            resolution_note: self.resolution_note,
            resolved_by: self.resolved_by,
            resolved_at: self.resolved_at.and_then(DateTime::from_timestamp_millis),
        })
    }
}

/// What an account may do. The first account on a new server is an admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Instructor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Instructor => "instructor",
            Role::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Role {
        match s {
            "admin" => Role::Admin,
            "instructor" => Role::Instructor,
            _ => Role::Member,
        }
    }
}

/// A person with a sign-in on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

/// Accounts, signed-in web sessions and rate-limit counters: everything the server keeps, so
/// that several server processes can share one database and no state lives in a process.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an account; the first account with an email becomes an admin, whatever `role`
    /// says. `StoreError::Conflict` when the email is taken.
    async fn create_account(
        &self,
        id: &str,
        email: &str,
        password_hash: &str,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<Account>;

    /// The account with this email (compared as given, which callers lower-case) and its hash.
    async fn account_by_email(&self, email: &str) -> Result<Option<(Account, String)>>;

    /// Records a signed-in session under the hash of its token.
    async fn create_web_session(
        &self,
        token_hash: &str,
        user_id: &str,
        csrf_token: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<()>;

    /// The account and CSRF token of an unexpired web session.
    async fn web_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(Account, String)>>;

    async fn delete_web_session(&self, token_hash: &str) -> Result<()>;

    /// Counts one more hit for `key` in the window starting at `window_start`; returns the count.
    async fn hit(&self, key: &str, window_start: DateTime<Utc>) -> Result<u32>;

    /// The hits counted for `key` in the window starting at `window_start`, counting none.
    async fn hits(&self, key: &str, window_start: DateTime<Utc>) -> Result<u32>;
}

/// A team and the caller's place in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Team {
    pub id: String,
    pub name: String,
    /// Shown to the team's instructors only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invite_code: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A person's role in one team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TeamRole {
    Member,
    Instructor,
}

impl TeamRole {
    pub fn as_str(self) -> &'static str {
        match self {
            TeamRole::Member => "member",
            TeamRole::Instructor => "instructor",
        }
    }
    pub fn parse(s: &str) -> TeamRole {
        if s == "instructor" {
            TeamRole::Instructor
        } else {
            TeamRole::Member
        }
    }
}

/// Teams and their members.
#[async_trait]
pub trait TeamStore: Send + Sync {
    /// Creates a team with its creator as instructor.
    async fn create_team(
        &self,
        id: &str,
        name: &str,
        invite_code: &str,
        creator: &str,
        now: DateTime<Utc>,
    ) -> Result<Team>;
    /// Adds a member by invite code (joining twice keeps the first role). `NotFound` for a bad code.
    async fn join_team(
        &self,
        invite_code: &str,
        user_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(Team, TeamRole)>;
    /// The teams of a user, with the user's role in each.
    async fn teams_of(&self, user_id: &str) -> Result<Vec<(Team, TeamRole)>>;
    /// A team and the user's role in it; `None` when the user is not in it.
    async fn membership(&self, team_id: &str, user_id: &str) -> Result<Option<(Team, TeamRole)>>;
    /// The members of a team with their roles.
    async fn members(&self, team_id: &str) -> Result<Vec<(Account, TeamRole)>>;
}

/// What the server needs of a backend.
pub trait ServerStore: Store + AccountStore + TeamStore {}

impl<T: Store + AccountStore + TeamStore> ServerStore for T {}

/// Whether a session's answers are still sealed: an exam or an adaptive check in progress
/// (not submitted, time not up). Nothing shown anywhere may move with the correctness of such
/// an answer, or a candidate could re-answer an item and watch a figure to learn its key.
pub fn is_sealed(
    mode: &str,
    submitted: bool,
    deadline: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    matches!(mode, "exam" | "adaptive") && !submitted && deadline.is_none_or(|d| d > now)
}

/// The user's responses without those of sealed sessions.
pub async fn settled_responses(
    store: &dyn Store,
    user: &str,
    now: DateTime<Utc>,
) -> Result<Vec<LoggedResponse>> {
    let sealed: std::collections::BTreeSet<String> = store
        .sessions(user)
        .await?
        .into_iter()
        .filter(|s| is_sealed(&s.mode, s.submitted_at.is_some(), s.deadline, now))
        .map(|s| s.id)
        .collect();
    let mut log = store.responses(user).await?;
    log.retain(|r| !sealed.contains(&r.session_id));
    Ok(log)
}

/// Every user's responses without those of sealed sessions (for item analysis and calibration).
pub async fn settled_all_responses(
    store: &dyn Store,
    now: DateTime<Utc>,
) -> Result<Vec<LoggedResponse>> {
    let mut sealed = std::collections::BTreeSet::new();
    for mode in ["exam", "adaptive"] {
        for s in store.sessions_in_mode(mode).await? {
            let deadline = s.deadline(now);
            if is_sealed(mode, s.is_submitted(), deadline, now) {
                sealed.insert(s.id);
            }
        }
    }
    let mut log = store.all_responses().await?;
    log.retain(|r| !sealed.contains(&r.session_id));
    Ok(log)
}

/// What earlier sessions say about each item: answered, latest answer missed, ever marked.
/// Answers of sealed sessions are left out until the exam ends, so "practise what you missed"
/// cannot reveal a key either.
pub async fn item_history(
    store: &dyn Store,
    user: &str,
    now: DateTime<Utc>,
) -> Result<BTreeMap<String, ItemHistory>> {
    let mut history: BTreeMap<String, ItemHistory> = BTreeMap::new();
    for r in settled_responses(store, user, now).await? {
        let h = history.entry(r.item_id).or_default();
        h.answered = true;
        h.missed = r.points < r.max_points;
    }
    for id in store.marked_items(user).await? {
        history.entry(id).or_default().marked = true;
    }
    Ok(history)
}

/// The summary columns of a session, computed the same way by every backend.
pub fn summary_of(
    session: &Session,
    outcome: Option<Outcome>,
    now: DateTime<Utc>,
) -> SessionSummary {
    SessionSummary {
        id: session.id.clone(),
        user: session.user.clone(),
        exam: session.exam.to_string(),
        outline: session.outline.clone(),
        mode: session.mode.as_str().to_string(),
        started_at: session.started_at,
        deadline: session.deadline(now),
        submitted_at: session.submitted_at,
        items: u32::try_from(session.items.len()).unwrap_or(u32::MAX),
        answered: u32::try_from(session.answered_count()).unwrap_or(u32::MAX),
        outcome,
        form: session.form.clone(),
    }
}
