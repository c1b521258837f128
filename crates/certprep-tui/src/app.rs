//! The terminal app's state and what each key does. Rendering lives in `ui`; every change to a
//! session goes through the service, so an answer is saved before the screen says so.
//!
//! Nothing surprises the candidate: moving out of a section that locks, finishing, and starting
//! an exam while another is unfinished each ask first, with the counts that matter; a refused
//! move says why; `?` lists every key of the screen; and keys act only on what is shown.

use std::cell::Cell;

use certprep_domain::dispute::{Dispute, DisputeKind, NOTE_MAX_CHARS};
use certprep_domain::form::{CustomFilter, SectionKind};
use certprep_domain::report::Report;
use certprep_domain::session::{Confidence, Mode, Session};
use certprep_service::learning::{ReadinessReport, Recommendation, ReviewQueue, recommend};
use certprep_service::{Service, ServiceError, SessionView, StartRequest};
use certprep_store::SessionSummary;
use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::draft::Draft;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Home,
    /// Before an exam's first question: what it holds and its rules.
    Overview,
    /// Before a case study's first question: how case studies work.
    CaseIntro,
    Item,
    Review,
    Results,
    History,
    /// After submission: each item with the candidate's answer, the key and the explanations.
    Answers,
    /// Pass probability, ability per domain, its trend and the weakest objectives.
    Readiness,
    /// Is it worth it: the advice, the study plan with progress, results and renewal.
    Advisor,
}

/// What the advisor screen shows for one exam, loaded when it opens.
#[derive(Debug, Clone)]
pub struct AdvisorView {
    pub exam: String,
    /// The advice for the profile the user gave (`certprep advise` or the web), or why not.
    pub advice: Result<certprep_advisor::Advice, String>,
    pub plan: Option<certprep_service::advisor::PlanView>,
    pub results: Vec<certprep_service::advisor::ResultView>,
}

/// A question the app asks before doing something that cannot be undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Finish the session.
    Submit,
    /// Leave the current section (it locks) for the item at this position.
    Leave { to: usize },
    /// Start a new exam although one of this exam is unfinished.
    NewExam,
}

/// A report of a problem with an item, being written (`!` where the answer is shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDraft {
    pub item_id: String,
    pub session_id: Option<String>,
    pub kind: Option<DisputeKind>,
    pub note: String,
}

/// What the learning model says about the exam under the home screen's cursor: loaded when the
/// home screen is shown or the cursor moves, never on a tick.
#[derive(Debug, Clone, Default)]
pub struct Insight {
    pub exam: String,
    pub readiness: Option<ReadinessReport>,
    pub queue: Option<ReviewQueue>,
    pub next: Option<Recommendation>,
}

/// One exam on the home screen.
#[derive(Debug, Clone)]
pub struct ExamEntry {
    pub code: String,
    pub title: String,
    pub status: String,
}

pub type Clock<'a> = Box<dyn Fn() -> DateTime<Utc> + 'a>;

pub struct App<'a> {
    pub service: Service<'a>,
    runtime: &'a tokio::runtime::Runtime,
    clock: Clock<'a>,
    pub screen: Screen,
    pub exams: Vec<ExamEntry>,
    pub exam_cursor: usize,
    pub history: Vec<SessionSummary>,
    pub history_cursor: usize,
    pub session: Option<Session>,
    pub view: Option<SessionView>,
    pub draft: Option<Draft>,
    /// 0 shows the question; 1.. show the case study's tabs.
    pub tab: usize,
    /// The first line shown of a scrolled screen. The drawing keeps it inside the content and,
    /// after a cursor move, around the cursor.
    pub scroll: Cell<u16>,
    /// The last scroll that still shows content, as the drawing measured it.
    pub max_scroll: Cell<u16>,
    /// Bring the cursor into view at the next drawing (set by cursor moves, not by scrolling).
    pub follow: Cell<bool>,
    /// Bring the result of a checked answer into view at the next drawing.
    pub to_result: Cell<bool>,
    pub review_cursor: usize,
    pub answers_cursor: usize,
    pub report: Option<Report>,
    pub message: Option<String>,
    pub confirm: Option<Confirm>,
    /// The help screen of the current screen is open.
    pub help: bool,
    /// A report being written: every key goes to it until it is sent or abandoned.
    pub report_draft: Option<ReportDraft>,
    /// The user's own reports, newest first (the home screen shows their answers).
    pub reports: Vec<Dispute>,
    /// Renewal windows open or opening soon, and credentials lapsing (the home screen says so).
    pub reminders: Vec<String>,
    pub insight: Insight,
    pub advisor: Option<AdvisorView>,
    /// The advisor's questions, being answered (`e` on the advisor screen).
    pub profile_form: Option<crate::profile_form::ProfileForm>,
    pub quit: bool,
}

impl<'a> App<'a> {
    pub fn new(
        service: Service<'a>,
        runtime: &'a tokio::runtime::Runtime,
        clock: Clock<'a>,
    ) -> Self {
        let today = clock().date_naive();
        let exams = service
            .library
            .catalog
            .exams()
            .iter()
            .rev()
            .map(|e| ExamEntry {
                code: e.code.to_string(),
                title: e.title.clone(),
                status: match &e.retirement {
                    Some(r) if r.on <= today => format!(
                        "retired {}{}",
                        r.on,
                        r.successor
                            .as_ref()
                            .map_or_else(String::new, |s| format!(" → {}", s.display()))
                    ),
                    Some(r) => format!("retires {}", r.on),
                    None => e.status_on(today).to_string(),
                },
            })
            .collect();
        let mut app = App {
            service,
            runtime,
            clock,
            screen: Screen::Home,
            exams,
            exam_cursor: 0,
            history: vec![],
            history_cursor: 0,
            session: None,
            view: None,
            draft: None,
            tab: 0,
            scroll: Cell::new(0),
            max_scroll: Cell::new(u16::MAX),
            follow: Cell::new(true),
            to_result: Cell::new(false),
            review_cursor: 0,
            answers_cursor: 0,
            report: None,
            message: None,
            confirm: None,
            help: false,
            report_draft: None,
            reports: vec![],
            insight: Insight::default(),
            advisor: None,
            reminders: vec![],
            profile_form: None,
            quit: false,
        };
        app.load_history();
        app.load_insight();
        app
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    fn block<T>(&self, fut: impl std::future::Future<Output = T>) -> T {
        self.runtime.block_on(fut)
    }

    fn load_history(&mut self) {
        match self.block(self.service.history()) {
            Ok(h) => {
                self.history_cursor = self.history_cursor.min(h.len().saturating_sub(1));
                self.history = h;
            }
            Err(e) => self.message = Some(e.to_string()),
        }
        match self.block(self.service.my_disputes()) {
            Ok(r) => self.reports = r,
            Err(e) => self.message = Some(e.to_string()),
        }
        let now = self.now();
        self.reminders = self
            .block(self.service.renewal_reminders(now))
            .unwrap_or_default();
    }

    /// The code of the exam under the home screen's cursor.
    pub fn selected_exam(&self) -> Option<String> {
        self.exams.get(self.exam_cursor).map(|e| e.code.clone())
    }

    /// Loads readiness, the review queue and the recommendation for the selected exam.
    pub fn load_insight(&mut self) {
        let Some(exam) = self.selected_exam() else {
            self.insight = Insight::default();
            return;
        };
        let now = self.now();
        let readiness = self.block(self.service.readiness(&exam, now));
        let queue = self.block(self.service.review_queue(Some(&exam), now));
        let mut insight = Insight {
            exam: exam.clone(),
            ..Insight::default()
        };
        let mut errors = vec![];
        match readiness {
            Ok(r) => insight.readiness = Some(r),
            Err(e) => errors.push(e.to_string()),
        }
        match queue {
            Ok(q) => insight.queue = Some(q),
            Err(e) => errors.push(e.to_string()),
        }
        let outline = self
            .service
            .exam(&exam)
            .ok()
            .and_then(|e| e.current_outline());
        if let (Some(r), Some(q), Some(outline)) = (&insight.readiness, &insight.queue, outline) {
            insight.next = Some(recommend(&exam, q.due.len(), r, outline));
        }
        errors.dedup();
        if !errors.is_empty() {
            self.message = Some(errors.join("; "));
        }
        self.insight = insight;
    }

    /// Back to the home screen, with fresh history and insight.
    fn go_home(&mut self) {
        self.reset_scroll();
        self.message = None;
        self.confirm = None;
        self.load_history();
        self.load_insight();
        self.screen = Screen::Home;
    }

    fn reset_scroll(&self) {
        self.scroll.set(0);
        self.follow.set(true);
    }

    fn fail(&mut self, e: ServiceError) {
        self.message = Some(friendly(&e));
    }

    /// Opens a session (resumed) on its current item.
    pub fn open(&mut self, session: Session) {
        self.tab = 0;
        self.reset_scroll();
        self.confirm = None;
        if session.is_submitted() {
            self.show_results(&session);
        } else {
            self.screen = Screen::Item;
        }
        self.set_session(session);
    }

    pub fn open_id(&mut self, id: &str) {
        let now = self.now();
        match self.block(self.service.load(id, now)) {
            Ok(s) => self.open(s),
            Err(e) => self.fail(e),
        }
    }

    fn set_session(&mut self, session: Session) {
        let now = self.now();
        let view = self.service.view(&session, now);
        // On the same item (after a save or a mark), the cursor and the confidence stay.
        let kept = self
            .draft
            .as_ref()
            .filter(|_| {
                self.view
                    .as_ref()
                    .map(|v| v.current.as_ref().map(|c| c.position))
                    == Some(view.current.as_ref().map(|c| c.position))
            })
            .map(|d| (d.cursor, d.confidence));
        self.draft = view.current.as_ref().map(|item| {
            let mut d = Draft::of(item);
            // Elsewhere the confidence is the one saved with the item's answer (Draft::of).
            if let Some((cursor, confidence)) = kept {
                d.cursor = cursor.min(Draft::rows(item).saturating_sub(1));
                d.confidence = confidence.or(d.confidence);
            }
            d
        });
        self.view = Some(view);
        self.session = Some(session);
    }

    fn show_results(&mut self, session: &Session) {
        self.reset_scroll();
        match self.block(self.service.report(session, self.now())) {
            Ok(r) => self.report = Some(r),
            Err(e) => self.fail(e),
        }
        self.screen = Screen::Results;
        self.load_history();
    }

    fn session_id(&self) -> Option<String> {
        self.session.as_ref().map(|s| s.id.clone())
    }

    /// Reloads the session (applying the deadline) after a change.
    fn reload(&mut self) {
        let Some(id) = self.session_id() else { return };
        let now = self.now();
        match self.block(self.service.load(&id, now)) {
            Ok(s) if s.is_submitted() => {
                self.show_results(&s);
                self.set_session(s);
            }
            Ok(s) => self.set_session(s),
            Err(e) => self.fail(e),
        }
    }

    /// Called every tick: submits at the deadline and refreshes the clock.
    pub fn tick(&mut self) {
        let expired = self
            .session
            .as_ref()
            .is_some_and(|s| !s.is_submitted() && s.is_expired(self.now()));
        if expired
            && matches!(
                self.screen,
                Screen::Item | Screen::Review | Screen::Overview | Screen::CaseIntro
            )
        {
            self.confirm = None;
            self.reload();
            self.message = Some("Time is up: the exam was submitted.".into());
        } else if let Some(session) = self.session.clone() {
            let now = self.now();
            if let Some(view) = &mut self.view {
                view.remaining_ms = session.remaining_ms(now);
            }
        }
    }

    /// Saves the draft if it changed. Returns false if the save was refused.
    pub fn save(&mut self) -> bool {
        let (Some(draft), Some(id), Some(item)) = (
            self.draft.clone(),
            self.session_id(),
            self.view
                .as_ref()
                .and_then(|v| v.current.as_ref())
                .map(|c| c.item_id.clone()),
        ) else {
            return true;
        };
        if !draft.dirty {
            return true;
        }
        let Some(answer) = draft.answer() else {
            return true;
        };
        let now = self.now();
        match self.block(
            self.service
                .answer(&id, &item, answer, draft.confidence, now),
        ) {
            Ok(ack) if self.is_adaptive() => {
                self.message = Some(format!(
                    "Answer recorded ({} answered); the check picks the next question.",
                    ack.answered
                ));
                self.reload();
                self.reset_scroll();
                if self.screen == Screen::Results {
                    self.message = None;
                }
                true
            }
            Ok(ack) => {
                self.message = Some(match &ack.result {
                    Some(r) => r.feedback.as_ref().map_or_else(
                        || "Saved.".to_string(),
                        |f| format!("Checked: {} of {} points (below).", f.points, f.max_points),
                    ),
                    None => format!("Saved ({} of {} answered).", ack.answered, ack.total),
                });
                if ack.result.as_ref().is_some_and(|r| r.feedback.is_some()) {
                    self.to_result.set(true);
                }
                self.reload();
                true
            }
            Err(e) => {
                self.fail(e);
                self.reload();
                false
            }
        }
    }

    /// Moves to another item, saving the answer first; a move out of a section that locks asks
    /// first.
    fn go_to(&mut self, position: usize) {
        if !self.save() {
            return;
        }
        if let Some(session) = &self.session
            && let Some(section) = session.would_lock(position)
        {
            let s = session.section_summary(section);
            self.confirm = Some(Confirm::Leave { to: position });
            self.message = Some(format!(
                "Leave {}? It locks: {} unanswered, {} marked. y leave · v review it · any other key stays",
                crate::ui::section_name(session, &self.service.library.bank, section),
                s.unanswered(),
                s.marked
            ));
            return;
        }
        self.move_to(position);
    }

    /// Moves to an item without asking (the rules are the engine's).
    fn move_to(&mut self, position: usize) {
        let Some(id) = self.session_id() else { return };
        let now = self.now();
        let entering_case = self.session.as_ref().is_some_and(|s| {
            let from = s.current_section();
            let to = s.items.get(position).map(|i| i.section);
            to.is_some_and(|t| {
                Some(t) != from
                    && matches!(s.sections[t].kind, SectionKind::CaseStudy(_))
                    && s.sections[t].items.first() == Some(&position)
            })
        });
        match self.block(self.service.goto_position(&id, position, now)) {
            Ok(s) => {
                self.tab = 0;
                self.reset_scroll();
                self.draft = None;
                self.message = None;
                self.set_session(s);
                self.screen = if entering_case {
                    Screen::CaseIntro
                } else {
                    Screen::Item
                };
            }
            Err(e) => {
                self.fail(e);
                self.reload();
            }
        }
    }

    /// Whether the open session is an adaptive readiness check.
    pub fn is_adaptive(&self) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.mode == Mode::Adaptive)
    }

    /// Unfinished sessions of the selected exam, exams first.
    pub fn unfinished(&self) -> Vec<&SessionSummary> {
        let exam = self.selected_exam().unwrap_or_default();
        let mut out: Vec<&SessionSummary> = self
            .history
            .iter()
            .filter(|s| s.submitted_at.is_none() && s.exam == exam)
            .collect();
        out.sort_by_key(|s| (s.mode != "exam", std::cmp::Reverse(s.started_at)));
        out
    }

    fn start(&mut self, mode: Mode, filter: CustomFilter) {
        let Some(exam) = self.selected_exam() else {
            return;
        };
        self.start_request(StartRequest {
            exam,
            mode: Some(mode),
            filter,
            ..StartRequest::default()
        });
    }

    fn start_request(&mut self, request: StartRequest) {
        let now = self.now();
        let started = self.block(self.service.start(request, now));
        self.started(started);
    }

    fn started(&mut self, started: Result<Session, ServiceError>) {
        match started {
            Ok(s) => {
                self.message = None;
                self.draft = None;
                let exam = s.mode == Mode::Exam;
                self.open(s);
                if exam {
                    self.screen = Screen::Overview;
                }
            }
            Err(e) => self.fail(e),
        }
    }

    /// R: a study session of the items due for review in the selected exam.
    fn start_review(&mut self) {
        let Some(exam) = self.selected_exam() else {
            return;
        };
        let now = self.now();
        let started = self.block(self.service.start_review(&exam, now));
        self.started(started);
    }

    /// n: the recommended activity.
    fn start_next(&mut self) {
        match self.insight.next.clone() {
            Some(next) => {
                let now = self.now();
                let started = self.block(self.service.start_recommended(&next, now));
                self.started(started);
            }
            None => {
                self.message = Some("No recommendation for this exam yet.".into());
            }
        }
    }

    /// The session to resume from the home screen: the selected exam's unfinished exam first,
    /// then its newest unfinished session.
    pub fn resumable(&self) -> Option<&SessionSummary> {
        self.unfinished().into_iter().next()
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.save();
            self.quit = true;
            return;
        }
        if self.help {
            // Any key closes the help screen; it does nothing else.
            self.help = false;
            return;
        }
        if self.report_draft.is_some() {
            return self.report_key(key);
        }
        if self.profile_form.is_some() {
            return self.profile_key(key);
        }
        if key.code == KeyCode::Char('?') {
            self.help = true;
            return;
        }
        match self.screen {
            Screen::Home => self.home_key(key),
            Screen::Overview | Screen::CaseIntro => self.intro_key(key),
            Screen::Item => self.item_key(key),
            Screen::Review => self.review_key(key),
            Screen::Answers => self.answers_key(key),
            Screen::Results => self.results_key(key),
            Screen::History => self.history_key(key),
            Screen::Readiness => self.readiness_key(key),
            Screen::Advisor => match key.code {
                KeyCode::Char('e') => {
                    let profile = self
                        .block(self.service.saved_profile())
                        .ok()
                        .flatten()
                        .unwrap_or_default();
                    self.profile_form = Some(crate::profile_form::ProfileForm::new(profile));
                }
                _ => self.readiness_key(key),
            },
        }
    }

    fn move_exam_cursor(&mut self, to: usize) {
        let to = to.min(self.exams.len().saturating_sub(1));
        if to != self.exam_cursor {
            self.exam_cursor = to;
            self.message = None;
            self.load_insight();
        }
    }

    fn home_key(&mut self, key: KeyEvent) {
        if self.confirm == Some(Confirm::NewExam) {
            self.confirm = None;
            match key.code {
                KeyCode::Char('y') => self.start(Mode::Exam, CustomFilter::default()),
                KeyCode::Char('r') => self.resume(),
                _ => self.message = Some("No new exam started.".into()),
            }
            return;
        }
        match key.code {
            KeyCode::Up => self.move_exam_cursor(self.exam_cursor.saturating_sub(1)),
            KeyCode::Down => self.move_exam_cursor(self.exam_cursor + 1),
            KeyCode::Char('n') => match self.insight.next.as_ref().map(|n| &n.activity) {
                // A mock exam starts a clock of an hour or more: never without asking.
                Some(certprep_service::learning::Activity::MockExam) => self.ask_new_exam(),
                _ => self.start_next(),
            },
            KeyCode::Char('a') => self.start(Mode::Adaptive, CustomFilter::default()),
            KeyCode::Char('R') => self.start_review(),
            KeyCode::Char('p') => {
                if self.insight.readiness.is_none() {
                    self.load_insight();
                }
                if self.insight.readiness.is_some() {
                    self.reset_scroll();
                    self.screen = Screen::Readiness;
                }
            }
            KeyCode::Char('s') => self.start(Mode::Study, CustomFilter::default()),
            KeyCode::Char('w') => self.open_advisor(),
            KeyCode::Char('e') => self.ask_new_exam(),
            KeyCode::Char('c') => self.start(
                Mode::Custom,
                CustomFilter {
                    only_missed: true,
                    ..CustomFilter::default()
                },
            ),
            KeyCode::Char('r') => self.resume(),
            KeyCode::Char('h') => {
                self.load_history();
                self.history_cursor = 0;
                self.screen = Screen::History;
            }
            KeyCode::Char('q') | KeyCode::Esc => self.quit = true,
            _ => {}
        }
    }

    /// The advisor's questions: enter saves the answers and shows the new advice.
    fn profile_key(&mut self, key: KeyEvent) {
        let Some(form) = self.profile_form.as_mut() else {
            return;
        };
        match key.code {
            KeyCode::Esc => {
                self.profile_form = None;
                self.message = Some("Your answers are as they were.".into());
            }
            KeyCode::Up => form.up(),
            KeyCode::Down | KeyCode::Tab => form.down(),
            KeyCode::Left => form.choose(false),
            KeyCode::Right | KeyCode::Char(' ') => form.choose(true),
            KeyCode::Backspace => form.backspace(),
            KeyCode::Char(c) => form.type_char(c),
            KeyCode::Enter => {
                form.commit_typing();
                let profile = form.profile.clone();
                match self.block(self.service.save_profile(&profile)) {
                    Ok(()) => {
                        self.profile_form = None;
                        self.open_advisor();
                        self.message = Some("Saved. The advice is for what you said.".into());
                    }
                    // The form stays open with the reason, so nothing typed is lost.
                    Err(e) => self.message = Some(e.to_string()),
                }
            }
            _ => {}
        }
    }

    /// `w`: the advice for the profile the user gave, the plan with progress, and results.
    fn open_advisor(&mut self) {
        let Some(exam) = self.selected_exam() else {
            return;
        };
        let now = self.now();
        let profile = self
            .block(self.service.saved_profile())
            .ok()
            .flatten()
            .unwrap_or_default();
        let advice = self
            .block(self.service.advise(&exam, &profile, now))
            .map_err(|e| e.to_string());
        let plan = self
            .block(self.service.study_plan(&exam, None, None, now))
            .ok();
        let results = self.block(self.service.results(now)).unwrap_or_default();
        self.advisor = Some(AdvisorView {
            exam,
            advice,
            plan,
            results,
        });
        self.reset_scroll();
        self.screen = Screen::Advisor;
    }

    /// A mock exam's clock starts when it is created, so `e` (and `n` when it recommends one)
    /// asks first, offering to resume an unfinished exam instead.
    fn ask_new_exam(&mut self) {
        let now = self.now();
        let running = self
            .unfinished()
            .into_iter()
            .find(|s| s.mode == "exam")
            .map(|s| {
                let left = s
                    .deadline
                    .map_or(0, |d| (d - now).num_milliseconds().max(0));
                crate::ui::clock(left)
            });
        let exam = self.selected_exam().unwrap_or_default().to_uppercase();
        self.confirm = Some(Confirm::NewExam);
        self.message = Some(match running {
            Some(left) => format!(
                "A mock exam of {exam} is unfinished ({left} left). r resume it · y start a new one anyway · any other key cancels"
            ),
            None => {
                let minutes = self
                    .service
                    .exam(&exam.to_lowercase())
                    .map_or(0, |e| e.duration.minutes);
                format!(
                    "Start a mock exam of {exam} now? Its {} clock starts at once and keeps running if you leave. y start · any other key cancels",
                    crate::ui::clock(i64::from(minutes) * 60_000)
                )
            }
        });
    }

    fn resume(&mut self) {
        match self.resumable().map(|s| s.id.clone()) {
            Some(id) => self.open_id(&id),
            None => self.message = Some("No unfinished session of this exam to resume.".into()),
        }
    }

    fn intro_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Right => {
                self.message = None;
                self.screen = Screen::Item;
            }
            KeyCode::Char('q') | KeyCode::Esc => self.leave_session(),
            _ => {}
        }
    }

    /// q during a session: home, saying that a timed session's clock keeps running.
    fn leave_session(&mut self) {
        self.save();
        let left = self
            .session
            .as_ref()
            .filter(|s| !s.is_submitted())
            .and_then(|s| {
                s.remaining_ms(self.now())
                    .map(|ms| (s.paused_at.is_some(), ms))
            });
        self.go_home();
        self.message = match left {
            Some((false, ms)) => Some(format!(
                "Left the session: its clock keeps running ({} left). r resumes it.",
                crate::ui::clock(ms)
            )),
            Some((true, _)) => Some("Left the session, paused: r resumes it.".into()),
            None => None,
        };
    }

    fn item_key(&mut self, key: KeyEvent) {
        let Some(item) = self.view.as_ref().and_then(|v| v.current.clone()) else {
            self.go_home();
            return;
        };
        if let Some(confirm) = self.confirm.take() {
            return self.answer_confirm(confirm, key);
        }
        if self.is_adaptive()
            && matches!(
                key.code,
                KeyCode::Left | KeyCode::Right | KeyCode::Char('v') | KeyCode::Char('S')
            )
        {
            self.message = Some(
                "The adaptive check moves on after each answer and submits itself when it decides."
                    .into(),
            );
            return;
        }
        // Navigation, scrolling and the case-study tabs work on any pane.
        match key.code {
            KeyCode::Right => return self.next(),
            KeyCode::Left => return self.previous(),
            KeyCode::Char('t') => {
                let tabs = item.case_study.as_ref().map_or(0, |c| c.tabs.len());
                self.tab = if tabs == 0 {
                    0
                } else {
                    (self.tab + 1) % (tabs + 1)
                };
                self.reset_scroll();
                return;
            }
            KeyCode::PageDown => return self.scroll_by(8),
            KeyCode::PageUp => return self.scroll_by(-8),
            KeyCode::Char('v') => {
                if self.save() {
                    self.review_cursor = 0;
                    self.reset_scroll();
                    self.screen = Screen::Review;
                }
                return;
            }
            KeyCode::Char('S') => return self.ask_submit(),
            KeyCode::Char('P') => return self.toggle_pause(),
            KeyCode::Esc if self.tab > 0 => {
                self.tab = 0;
                return;
            }
            KeyCode::Esc | KeyCode::Char('q') => return self.leave_session(),
            _ => {}
        }
        // Everything else answers the question: only while the question is shown.
        if self.tab > 0 {
            self.message =
                Some("You are reading the case study: t or esc shows the question.".into());
            return;
        }
        if item.feedback.is_some() && key.code == KeyCode::Char('!') {
            return self.start_report(&item.item_id);
        }
        if item.feedback.is_some()
            && !matches!(key.code, KeyCode::Up | KeyCode::Down | KeyCode::Char('m'))
        {
            self.message =
                Some("Checked: in study mode the answer is final. → next question.".into());
            return;
        }
        let mut draft = self.draft.clone().unwrap_or_else(|| Draft::of(&item));
        let refused = match key.code {
            KeyCode::Char(c @ '1'..='3') => {
                draft.set_confidence(match c {
                    '1' => Confidence::Low,
                    '2' => Confidence::Medium,
                    _ => Confidence::High,
                });
                None
            }
            KeyCode::Up => {
                draft.up();
                self.follow.set(true);
                None
            }
            KeyCode::Down => {
                draft.down(&item);
                self.follow.set(true);
                None
            }
            KeyCode::Char(' ') => draft.toggle(&item).err(),
            KeyCode::Char('y') if is_yes_no(&item) => {
                draft.set_yes_no(true);
                None
            }
            KeyCode::Char('n') if is_yes_no(&item) => {
                draft.set_yes_no(false);
                None
            }
            KeyCode::Char('+') => {
                draft.shift(&item, -1);
                None
            }
            KeyCode::Char('-') => {
                draft.shift(&item, 1);
                None
            }
            KeyCode::Backspace | KeyCode::Delete => {
                draft.clear(&item);
                None
            }
            KeyCode::Char(c @ 'a'..='h') => draft.letter(&item, c).err(),
            KeyCode::Enter => {
                self.draft = Some(draft);
                self.save();
                return;
            }
            KeyCode::Char('m') => return self.mark(&item.item_id),
            _ => return,
        };
        match refused {
            Some(why) => self.message = Some(why),
            None => self.draft = Some(draft),
        }
    }

    /// `!` on an item whose answer is shown: start a report of a problem with it.
    fn start_report(&mut self, item_id: &str) {
        self.report_draft = Some(ReportDraft {
            item_id: item_id.to_string(),
            session_id: self.session.as_ref().map(|s| s.id.clone()),
            kind: None,
            note: String::new(),
        });
        self.message = None;
    }

    /// Keys while a report is written: 1–5 say what is wrong, typing writes the note, enter
    /// sends, esc abandons. Nothing else happens meanwhile.
    fn report_key(&mut self, key: KeyEvent) {
        let Some(mut draft) = self.report_draft.take() else {
            return;
        };
        self.message = None;
        match key.code {
            KeyCode::Esc => {
                self.message = Some("Report abandoned.".into());
                return;
            }
            KeyCode::Enter => return self.send_report(draft),
            KeyCode::Backspace => {
                draft.note.pop();
            }
            KeyCode::Char(c @ '1'..='5') if draft.note.is_empty() => {
                let index = usize::from(c as u8 - b'1');
                draft.kind = DisputeKind::ALL.get(index).copied();
            }
            KeyCode::Char(c) => {
                if draft.note.chars().count() < NOTE_MAX_CHARS {
                    draft.note.push(c);
                } else {
                    self.message = Some(format!("The note is at its {NOTE_MAX_CHARS} characters."));
                }
            }
            _ => {}
        }
        self.report_draft = Some(draft);
    }

    fn send_report(&mut self, draft: ReportDraft) {
        let Some(kind) = draft.kind else {
            self.message = Some("Choose what is wrong first: keys 1 to 5.".into());
            self.report_draft = Some(draft);
            return;
        };
        let now = self.now();
        let sent = self.block(self.service.file_dispute(
            &draft.item_id,
            kind,
            &draft.note,
            draft.session_id.as_deref(),
            now,
        ));
        match sent {
            Ok(d) => {
                self.message = Some(format!(
                    "Report #{} sent. The home screen shows the authors' answer.",
                    d.id
                ));
                if let Ok(r) = self.block(self.service.my_disputes()) {
                    self.reports = r;
                }
            }
            Err(e) => {
                // Kept as typed: the candidate fixes it and sends again.
                self.message = Some(format!("Not sent: {e}."));
                self.report_draft = Some(draft);
            }
        }
    }

    fn answer_confirm(&mut self, confirm: Confirm, key: KeyEvent) {
        let yes = matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y'));
        match confirm {
            Confirm::Submit if yes => self.submit(),
            Confirm::Leave { to } if yes => self.move_to(to),
            Confirm::Leave { .. } if key.code == KeyCode::Char('v') => {
                self.message = None;
                self.review_cursor = 0;
                self.screen = Screen::Review;
            }
            Confirm::Leave { .. } => self.message = Some("Stayed in the section.".into()),
            _ => self.message = Some("Not submitted: the session goes on.".into()),
        }
    }

    fn next(&mut self) {
        match self.session.as_ref().and_then(Session::next_position) {
            Some(p) => self.go_to(p),
            None => {
                self.save();
                self.message = Some("Last question: v reviews your answers, S finishes.".into());
            }
        }
    }

    fn previous(&mut self) {
        let Some(session) = &self.session else { return };
        match session.previous_position() {
            Some(p) => self.go_to(p),
            None if session.current > 0 => {
                let why = match session.can_visit(session.current - 1) {
                    Err(e) => friendly_rule(&e),
                    Ok(()) => "This is the first question you can return to.".into(),
                };
                self.save();
                self.message = Some(why);
            }
            None => self.message = Some("This is the first question.".into()),
        }
    }

    fn scroll_by(&mut self, lines: i32) {
        self.follow.set(false);
        let now = i32::from(self.scroll.get());
        let max = i32::from(self.max_scroll.get());
        self.scroll
            .set(u16::try_from((now + lines).clamp(0, max.max(0))).unwrap_or(0));
    }

    fn ask_submit(&mut self) {
        if !self.save() {
            return;
        }
        let Some(s) = &self.session else { return };
        let unanswered = (0..s.items.len()).filter(|p| !s.is_answered(*p)).count();
        let marked = s.states.iter().filter(|st| st.marked).count();
        self.confirm = Some(Confirm::Submit);
        self.screen = Screen::Item;
        self.message = Some(format!(
            "Finish now? {unanswered} unanswered, {marked} marked; no answer can change after. y finish · any other key goes on"
        ));
    }

    fn mark(&mut self, item_id: &str) {
        let Some(id) = self.session_id() else { return };
        let now = self.now();
        match self.block(self.service.mark(&id, item_id, now)) {
            Ok((s, marked)) => {
                self.message = Some(
                    if marked {
                        "Marked for review."
                    } else {
                        "Unmarked."
                    }
                    .into(),
                );
                let draft = self.draft.clone();
                self.set_session(s);
                if draft.as_ref().is_some_and(|d| d.dirty) {
                    self.draft = draft;
                }
            }
            Err(e) => self.fail(e),
        }
    }

    fn toggle_pause(&mut self) {
        let Some(id) = self.session_id() else { return };
        let paused = self.session.as_ref().is_some_and(|s| s.paused_at.is_some());
        let now = self.now();
        let result = if paused {
            self.block(self.service.resume(&id, now))
        } else {
            self.block(self.service.pause(&id, now))
        };
        match result {
            Ok(s) => {
                self.message = Some(
                    if paused {
                        "Resumed."
                    } else {
                        "Paused: press P to resume."
                    }
                    .into(),
                );
                self.set_session(s);
            }
            Err(e) => self.fail(e),
        }
    }

    fn submit(&mut self) {
        let Some(id) = self.session_id() else { return };
        let now = self.now();
        match self.block(self.service.submit(&id, now)) {
            Ok(report) => {
                self.report = Some(report);
                self.message = None;
                self.reload();
                self.reset_scroll();
                self.screen = Screen::Results;
                self.load_history();
            }
            Err(e) => self.fail(e),
        }
    }

    fn review_key(&mut self, key: KeyEvent) {
        let entries = self.view.as_ref().map_or(0, |v| v.review.len());
        match key.code {
            KeyCode::Up => {
                self.review_cursor = self.review_cursor.saturating_sub(1);
                self.follow.set(true);
            }
            KeyCode::Down => {
                self.review_cursor = (self.review_cursor + 1).min(entries.saturating_sub(1));
                self.follow.set(true);
            }
            KeyCode::Enter => {
                if let Some(p) = self
                    .view
                    .as_ref()
                    .and_then(|v| v.review.get(self.review_cursor))
                    .map(|e| e.position.saturating_sub(1))
                {
                    self.go_to(p);
                    self.screen = Screen::Item;
                }
            }
            KeyCode::Char('S') => self.ask_submit(),
            KeyCode::Esc | KeyCode::Char('v') | KeyCode::Char('q') => {
                self.reset_scroll();
                self.screen = Screen::Item;
            }
            _ => {}
        }
    }

    fn answers_key(&mut self, key: KeyEvent) {
        let total = self.session.as_ref().map_or(0, |s| s.items.len());
        match key.code {
            KeyCode::Right => {
                self.answers_cursor = (self.answers_cursor + 1).min(total.saturating_sub(1));
                self.reset_scroll();
            }
            KeyCode::Left => {
                self.answers_cursor = self.answers_cursor.saturating_sub(1);
                self.reset_scroll();
            }
            KeyCode::PageDown | KeyCode::Down => {
                self.scroll_by(if key.code == KeyCode::Down { 1 } else { 8 })
            }
            KeyCode::PageUp | KeyCode::Up => {
                self.scroll_by(if key.code == KeyCode::Up { -1 } else { -8 })
            }
            KeyCode::Char('q') | KeyCode::Esc => {
                self.reset_scroll();
                self.screen = Screen::Results;
            }
            KeyCode::Char('!') => {
                if let Some(item) = self.answered_item() {
                    self.start_report(&item.item_id);
                }
            }
            _ => {}
        }
    }

    /// The item shown on the answers screen, with its feedback (the session is submitted).
    pub fn answered_item(&self) -> Option<certprep_domain::present::PresentedItem> {
        let session = self.session.as_ref().filter(|s| s.is_submitted())?;
        certprep_domain::present::present(session, &self.service.library.bank, self.answers_cursor)
    }

    fn results_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Char('a') if self.session.as_ref().is_some_and(Session::is_submitted) => {
                self.answers_cursor = 0;
                self.reset_scroll();
                self.screen = Screen::Answers;
            }
            KeyCode::PageDown | KeyCode::Down => {
                self.scroll_by(if key.code == KeyCode::Down { 1 } else { 10 })
            }
            KeyCode::PageUp | KeyCode::Up => {
                self.scroll_by(if key.code == KeyCode::Up { -1 } else { -10 })
            }
            KeyCode::Char('h') => {
                self.load_history();
                self.reset_scroll();
                self.screen = Screen::History;
            }
            KeyCode::Char('q') | KeyCode::Esc => self.go_home(),
            _ => {}
        }
    }

    fn history_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Up => self.history_cursor = self.history_cursor.saturating_sub(1),
            KeyCode::Down => {
                self.history_cursor =
                    (self.history_cursor + 1).min(self.history.len().saturating_sub(1))
            }
            // A past session opens on its results (then `a`: its answers); an unfinished one resumes.
            KeyCode::Enter => {
                if let Some(id) = self.history.get(self.history_cursor).map(|s| s.id.clone()) {
                    self.open_id(&id);
                }
            }
            KeyCode::Char('q') | KeyCode::Esc => self.go_home(),
            _ => {}
        }
    }

    fn readiness_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::PageDown => self.scroll_by(10),
            KeyCode::PageUp => self.scroll_by(-10),
            KeyCode::Down => self.scroll_by(1),
            KeyCode::Up => self.scroll_by(-1),
            KeyCode::Char('q') | KeyCode::Esc => {
                self.reset_scroll();
                self.screen = Screen::Home;
            }
            _ => {}
        }
    }
}

fn is_yes_no(item: &certprep_domain::present::PresentedItem) -> bool {
    matches!(
        item.kind,
        certprep_domain::item::ItemKind::YesNo | certprep_domain::item::ItemKind::Solution
    )
}

/// A refusal of the rules in the exam screen's words: questions by number, never by id.
pub fn friendly_rule(e: &certprep_domain::session::RuleError) -> String {
    use certprep_domain::session::RuleError as R;
    match e {
        R::SectionLocked(_) => {
            "The questions before this one are locked: you left their section.".into()
        }
        R::SeriesFinal(_) => {
            "That question of a yes/no series is behind you: series questions cannot be revisited."
                .into()
        }
        R::SeriesOrder { .. } => {
            "Yes/no series questions come one after another: take the next one first.".into()
        }
        R::AdaptiveFinal(_) => "Each answer of the readiness check is final.".into(),
        R::UnknownItem(_) => "That question is not part of this session.".into(),
        R::InvalidAnswer { message, .. } => format!("Not saved: {message}."),
        other => other.to_string(),
    }
}

fn friendly(e: &ServiceError) -> String {
    match e {
        ServiceError::Rule(r) => friendly_rule(r),
        other => other.to_string(),
    }
}
