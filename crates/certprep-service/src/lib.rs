//! The use cases every interface shares: start a session, show it, answer, mark, move, pause,
//! submit, list history. Each loads the session from the store, lets the pure engine change it,
//! and saves it back before returning, so an interface acknowledges only what is durable.
//!
//! The terminal app, the scriptable `certprep session` commands and the web server all call
//! these functions; none of them talks to the engine and the store separately.

pub mod advisor;
pub mod disputes;
pub mod learning;
pub mod teams;

use std::collections::BTreeMap;

use certprep_bank::Library;
use certprep_domain::form::{CustomFilter, FixedForm, FormError, assemble_exam, select_custom};
use certprep_domain::grading::Answer;
use certprep_domain::present::{PresentedItem, present};
use certprep_domain::report::{Report, report};
use certprep_domain::session::{
    AdaptiveRecord, Confidence, Mode, NewSession, ReviewEntry, RuleError, Session,
};
use certprep_domain::{Exam, ExamCode, Outline, OutlineRef};
use certprep_store::{Outcome, SessionSummary, Store, StoreError, item_history};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("unknown exam `{0}`")]
    UnknownExam(String),
    #[error("unknown form `{0}`: `certprep exams show EXAM` lists the fixed forms")]
    UnknownForm(String),
    #[error("{exam} has no outline dated {date}")]
    UnknownOutline { exam: String, date: NaiveDate },
    #[error(transparent)]
    Form(#[from] FormError),
    #[error(transparent)]
    Rule(#[from] RuleError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Invalid(String),
    /// Not now: the state of things forbids it (a report before the answer was shown).
    #[error("{0}")]
    Conflict(String),
}

impl ServiceError {
    /// Whether the caller asked for something the rules or the input forbid (a 4xx), rather
    /// than something failing underneath (a 5xx).
    pub fn is_client_error(&self) -> bool {
        !matches!(
            self,
            ServiceError::Store(
                StoreError::Database(_)
                    | StoreError::Open { .. }
                    | StoreError::Migrate(_)
                    | StoreError::Corrupt { .. }
            )
        )
    }
}

pub type Result<T> = std::result::Result<T, ServiceError>;

/// What the candidate asks for when starting a session.
#[derive(Debug, Clone, Default)]
pub struct StartRequest {
    pub exam: String,
    pub outline: Option<NaiveDate>,
    pub mode: Option<Mode>,
    pub seed: Option<u64>,
    pub filter: CustomFilter,
    /// Time limit in minutes for custom practice (exams take the catalog's duration).
    pub minutes: Option<u32>,
    pub pausable: bool,
    /// A fixed form (published practice test) by id instead of a random one; exam or study
    /// mode (exam by default).
    pub form: Option<String>,
    /// Show each item's options, actions, sources and drop-down choices in an order drawn from
    /// the seed (the default), or as written with `Some(false)` (authors checking their items).
    pub shuffle: Option<bool>,
}

/// One line of the session's item list, without anything that reveals correctness.
#[derive(Debug, Clone, Serialize)]
pub struct ItemLine {
    pub position: usize,
    pub item_id: String,
    pub section: usize,
    /// Every part answered.
    pub answered: bool,
    /// Answered in part: some parts are still open.
    pub partial: bool,
    pub marked: bool,
    /// Whether the rules let the candidate go to it now.
    pub reachable: bool,
}

/// A session as interfaces show it. In exam mode nothing in it reveals a key before submission.
#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    pub session_id: String,
    pub exam: String,
    pub outline: String,
    pub mode: Mode,
    pub status: &'static str,
    pub started_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub remaining_ms: Option<i64>,
    pub paused: bool,
    pub pausable: bool,
    pub open_book: Option<&'static str>,
    /// Whether items show their parts in the session's own seeded order (lettered as shown).
    pub shuffled: bool,
    pub items: Vec<String>,
    pub lines: Vec<ItemLine>,
    pub answered: usize,
    pub current: Option<PresentedItem>,
    pub review: Vec<ReviewEntry>,
}

pub const OPEN_BOOK_NOTE: &str = "Open book: on the real exam you may open Microsoft Learn \
(learn.microsoft.com) in a window beside the exam; no extra time is given.";

/// The result of an answer: what the interface may show right away.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerAck {
    pub session_id: String,
    pub item_id: String,
    pub accepted: bool,
    pub answered: usize,
    pub total: usize,
    /// Present in study and custom modes only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<PresentedItem>,
}

pub struct Service<'a> {
    pub library: &'a Library,
    pub store: &'a dyn Store,
    pub user: String,
}

impl<'a> Service<'a> {
    pub fn new(library: &'a Library, store: &'a dyn Store, user: impl Into<String>) -> Self {
        Service {
            library,
            store,
            user: user.into(),
        }
    }

    pub fn exam(&self, code: &str) -> Result<&'a Exam> {
        self.library
            .catalog
            .exam(&ExamCode::new(code))
            .ok_or_else(|| ServiceError::UnknownExam(code.to_string()))
    }

    fn outline(
        &self,
        exam: &'a Exam,
        date: Option<NaiveDate>,
    ) -> Result<(OutlineRef, &'a Outline)> {
        let outline = match date {
            Some(d) => exam.outline(d),
            None => exam.current_outline(),
        }
        .ok_or_else(|| ServiceError::UnknownOutline {
            exam: exam.code.display(),
            date: date.unwrap_or_default(),
        })?;
        Ok((exam.outline_ref(outline), outline))
    }

    fn outline_of(&self, session: &Session) -> Result<(&'a Exam, OutlineRef, &'a Outline)> {
        let exam = self.exam(session.exam.as_str())?;
        let outline_ref: OutlineRef =
            session
                .outline
                .parse()
                .map_err(|e: certprep_domain::exam::OutlineRefError| {
                    ServiceError::Invalid(e.to_string())
                })?;
        let (r, o) = self.outline(exam, Some(outline_ref.date))?;
        Ok((exam, r, o))
    }

    pub async fn start(&self, request: StartRequest, now: DateTime<Utc>) -> Result<Session> {
        if let Some(form_id) = &request.form {
            return self.start_fixed(&request, form_id, now).await;
        }
        let exam = self.exam(&request.exam)?;
        let (outline_ref, outline) = self.outline(exam, request.outline)?;
        let mode = request.mode.unwrap_or(Mode::Study);
        let seed = request
            .seed
            .unwrap_or_else(|| u64::try_from(now.timestamp_micros()).unwrap_or(0));
        let bank = &self.library.bank;
        let form = match mode {
            Mode::Exam => {
                // A shorter form keeps the weights; forms too short to respect them are refused.
                let range = request
                    .filter
                    .count
                    .map_or((exam.questions.min, exam.questions.max), |n| (n, n));
                assemble_exam(bank, &outline_ref, outline, range, seed)?
            }
            // The adaptive check picks its items one at a time, after each answer.
            Mode::Adaptive => certprep_domain::form::Form { sections: vec![] },
            Mode::Study | Mode::Custom => {
                let history = if needs_history(&request.filter) {
                    item_history(self.store, &self.user, now).await?
                } else {
                    BTreeMap::new()
                };
                select_custom(bank, &outline_ref, outline, &request.filter, &history, seed)?
            }
        };
        let time_limit_ms = match mode {
            Mode::Exam => Some(u64::from(exam.duration.minutes) * 60_000),
            _ => request.minutes.map(|m| u64::from(m) * 60_000),
        };
        let mut session = Session::start(
            NewSession {
                id: uuid::Uuid::new_v4().to_string(),
                user: self.user.clone(),
                exam: exam.code.clone(),
                outline: &outline_ref,
                mode,
                seed,
                time_limit_ms,
                pausable: request.pausable || (mode != Mode::Exam && time_limit_ms.is_none()),
                open_book: exam.open_book,
                shuffle: request.shuffle.unwrap_or(true),
            },
            &form,
            bank,
            now,
        );
        if mode == Mode::Adaptive {
            session.adaptive = Some(AdaptiveRecord {
                max_items: learning::ADAPTIVE_MAX_ITEMS as u32,
                verdict: None,
            });
            self.adaptive_step(&mut session, now).await?;
        }
        if session.items.is_empty() {
            return Err(FormError::NothingSelected.into());
        }
        self.store.create_session(&session).await?;
        Ok(session)
    }

    /// Starts a session on a fixed form: the same items, in the same order, for everyone.
    async fn start_fixed(
        &self,
        request: &StartRequest,
        form_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Session> {
        let fixed = self
            .library
            .form(form_id)
            .ok_or_else(|| ServiceError::UnknownForm(form_id.to_string()))?;
        let exam = self.exam(&request.exam)?;
        if fixed.outline.exam != exam.code {
            return Err(ServiceError::Invalid(format!(
                "form `{form_id}` belongs to {}, not {}",
                fixed.outline.exam.display(),
                exam.code.display()
            )));
        }
        let (outline_ref, _) = self.outline(exam, Some(fixed.outline.date))?;
        let mode = match request.mode {
            None | Some(Mode::Exam) => Mode::Exam,
            Some(Mode::Study) => Mode::Study,
            Some(other) => {
                return Err(ServiceError::Invalid(format!(
                    "a fixed form is sat as an exam or practised in study mode, not in {} mode",
                    other.as_str()
                )));
            }
        };
        let time_limit_ms = match mode {
            Mode::Exam => Some(u64::from(exam.duration.minutes) * 60_000),
            _ => request.minutes.map(|m| u64::from(m) * 60_000),
        };
        let mut session = Session::start(
            NewSession {
                id: uuid::Uuid::new_v4().to_string(),
                user: self.user.clone(),
                exam: exam.code.clone(),
                outline: &outline_ref,
                mode,
                // The form fixes the items and their order; the seed only arranges each
                // item's options, so a retake does not reward remembered positions.
                seed: request
                    .seed
                    .unwrap_or_else(|| u64::try_from(now.timestamp_micros()).unwrap_or(0)),
                time_limit_ms,
                pausable: request.pausable || (mode != Mode::Exam && time_limit_ms.is_none()),
                open_book: exam.open_book,
                shuffle: request.shuffle.unwrap_or(true),
            },
            &fixed.form(&self.library.bank),
            &self.library.bank,
            now,
        );
        session.form = Some(fixed.id.clone());
        if session.items.is_empty() {
            return Err(FormError::NothingSelected.into());
        }
        self.store.create_session(&session).await?;
        Ok(session)
    }

    /// The fixed forms of an exam's current outline.
    pub fn forms(&self, exam: &str) -> Result<Vec<&'a FixedForm>> {
        let exam = self.exam(exam)?;
        let (outline_ref, _) = self.outline(exam, None)?;
        Ok(self
            .library
            .forms
            .iter()
            .filter(|f| f.outline == outline_ref)
            .collect())
    }

    /// Loads a session of this user, submitting it first if its deadline has passed.
    pub async fn load(&self, id: &str, now: DateTime<Utc>) -> Result<Session> {
        let mut session = match self.store.load_session(id).await {
            Ok(s) if s.user == self.user => s,
            // Another user's session is reported as missing: its existence is not disclosed.
            Ok(_) | Err(StoreError::NotFound(_)) => {
                return Err(StoreError::NotFound(id.to_string()).into());
            }
            Err(e) => return Err(e.into()),
        };
        if session.enforce_deadline(now) {
            self.save(&session, now).await?;
        }
        Ok(session)
    }

    async fn save(&self, session: &Session, now: DateTime<Utc>) -> Result<()> {
        let outcome = if session.is_submitted() {
            let r = self.report(session, now).await?;
            Some(Outcome {
                scaled_score: r.scaled_score,
                passed: r.passed,
                points: r.points,
                max_points: r.max_points,
            })
        } else {
            None
        };
        self.store.save_session(session, outcome).await?;
        if session.is_submitted() {
            // The report as it stands at submission is the one shown from now on.
            let r = self.report(session, now).await?;
            let json =
                serde_json::to_string(&r).map_err(|e| ServiceError::Invalid(e.to_string()))?;
            self.store.freeze_report(&session.id, &json).await?;
        }
        Ok(())
    }

    /// Runs a rule-checked change, saving the session even when the rule refuses (a refusal at
    /// the deadline submits the session, and that must be kept).
    async fn change<T>(
        &self,
        id: &str,
        now: DateTime<Utc>,
        op: impl FnOnce(&mut Session) -> std::result::Result<T, RuleError>,
    ) -> Result<(Session, T)> {
        let mut session = self.load(id, now).await?;
        let before = session.clone();
        let result = op(&mut session);
        if session != before {
            self.save(&session, now).await?;
        }
        Ok((session, result?))
    }

    pub async fn answer(
        &self,
        id: &str,
        item_id: &str,
        answer: Answer,
        confidence: Option<Confidence>,
        now: DateTime<Utc>,
    ) -> Result<AnswerAck> {
        let mut session = self.load(id, now).await?;
        let response = match session.answer(&self.library.bank, item_id, answer, now) {
            Ok(r) => {
                if let Some(p) = session.position_of(item_id) {
                    session.states[p].confidence = confidence;
                }
                r.with_confidence(confidence)
            }
            Err(e) => {
                if session.is_submitted() {
                    self.save(&session, now).await?;
                }
                return Err(e.into());
            }
        };
        if session.mode == Mode::Adaptive {
            // The next item (or the verdict) is saved with the answer, in one transaction.
            self.adaptive_step(&mut session, now).await?;
        }
        self.store.record_answer(&session, &response).await?;
        if session.is_submitted() {
            // The check decided: keep its outcome beside the session for the history.
            self.save(&session, now).await?;
        }
        let position = session.position_of(item_id).unwrap_or_default();
        let result = session
            .mode
            .gives_feedback()
            .then(|| present(&session, &self.library.bank, position))
            .flatten();
        Ok(AnswerAck {
            session_id: session.id.clone(),
            item_id: item_id.to_string(),
            accepted: true,
            answered: session.answered_count(),
            total: session.items.len(),
            result,
        })
    }

    pub async fn goto(&self, id: &str, item_id: &str, now: DateTime<Utc>) -> Result<Session> {
        Ok(self.change(id, now, |s| s.goto_item(item_id, now)).await?.0)
    }

    pub async fn goto_position(
        &self,
        id: &str,
        position: usize,
        now: DateTime<Utc>,
    ) -> Result<Session> {
        Ok(self.change(id, now, |s| s.goto(position, now)).await?.0)
    }

    pub async fn mark(
        &self,
        id: &str,
        item_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(Session, bool)> {
        self.change(id, now, |s| s.toggle_mark(item_id, now)).await
    }

    /// "Reset Answer": clears an item's answer where the rules still allow a change.
    pub async fn reset_answer(
        &self,
        id: &str,
        item_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Session> {
        Ok(self
            .change(id, now, |s| s.reset_answer(item_id, now))
            .await?
            .0)
    }

    pub async fn pause(&self, id: &str, now: DateTime<Utc>) -> Result<Session> {
        Ok(self.change(id, now, |s| s.pause(now)).await?.0)
    }

    pub async fn resume(&self, id: &str, now: DateTime<Utc>) -> Result<Session> {
        Ok(self.change(id, now, |s| s.resume(now)).await?.0)
    }

    pub async fn submit(&self, id: &str, now: DateTime<Utc>) -> Result<Report> {
        let mut session = self.load(id, now).await?;
        if !session.is_submitted() {
            session.submit(now)?;
            self.save(&session, now).await?;
        }
        self.report(&session, now).await
    }

    /// The score report. A submitted session's report is the one kept at submission, so its
    /// verdict never changes afterwards; the scaled score and verdict come from points, with
    /// the calibrated model's estimate beside them (see `Report::with_model_estimate`).
    pub async fn report(&self, session: &Session, now: DateTime<Utc>) -> Result<Report> {
        if session.is_submitted()
            && let Some(json) = self.store.frozen_report(&session.id).await?
            && let Ok(frozen) = serde_json::from_str::<Report>(&json)
        {
            return Ok(frozen);
        }
        let (exam, outline_ref, outline) = self.outline_of(session)?;
        let standard = exam.passing_standard.share();
        let raw = report(
            session,
            &self.library.bank,
            &outline_ref,
            outline,
            exam.passing_score,
            standard,
            now,
        );
        let model = self.item_model().await?;
        Ok(
            match self.model_score(session, exam, &outline_ref, outline, &model) {
                Some(score) => raw.with_model_estimate(score, standard),
                None => raw,
            },
        )
    }

    pub fn view(&self, session: &Session, now: DateTime<Utc>) -> SessionView {
        let lines = session
            .items
            .iter()
            .enumerate()
            .map(|(p, i)| ItemLine {
                position: p + 1,
                item_id: i.item_id.clone(),
                section: i.section,
                answered: session.is_answered(p),
                partial: session.is_partial(p),
                marked: session.states[p].marked,
                reachable: !session.is_submitted() && session.can_visit(p).is_ok(),
            })
            .collect();
        SessionView {
            session_id: session.id.clone(),
            exam: session.exam.to_string(),
            outline: session.outline.clone(),
            mode: session.mode,
            status: if session.is_submitted() {
                "submitted"
            } else if session.paused_at.is_some() {
                "paused"
            } else {
                "in_progress"
            },
            started_at: session.started_at,
            deadline: session.deadline(now),
            remaining_ms: session.remaining_ms(now),
            paused: session.paused_at.is_some(),
            pausable: session.pausable,
            open_book: session.open_book.then_some(OPEN_BOOK_NOTE),
            shuffled: session.shuffled,
            items: session.items.iter().map(|i| i.item_id.clone()).collect(),
            lines,
            answered: session.answered_count(),
            current: present(session, &self.library.bank, session.current),
            review: session.review(),
        }
    }

    pub async fn history(&self) -> Result<Vec<SessionSummary>> {
        Ok(self.store.sessions(&self.user).await?)
    }
}

fn needs_history(filter: &CustomFilter) -> bool {
    filter.only_missed || filter.only_marked || filter.only_unseen
}
