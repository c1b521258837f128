//! The terminal app's state and what each key does. Rendering lives in `ui`; every change to a
//! session goes through the service, so an answer is saved before the screen says so.

use certprep_domain::form::CustomFilter;
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
    Item,
    Review,
    Results,
    History,
    /// After submission: each item with the candidate's answer, the key and the explanations.
    Answers,
    /// Pass probability, ability per domain, its trend and the weakest objectives.
    Readiness,
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
    pub session: Option<Session>,
    pub view: Option<SessionView>,
    pub draft: Option<Draft>,
    /// 0 shows the question; 1.. show the case study's tabs.
    pub tab: usize,
    pub scroll: u16,
    pub review_cursor: usize,
    pub answers_cursor: usize,
    pub report: Option<Report>,
    pub message: Option<String>,
    pub confirm_submit: bool,
    pub insight: Insight,
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
            session: None,
            view: None,
            draft: None,
            tab: 0,
            scroll: 0,
            review_cursor: 0,
            answers_cursor: 0,
            report: None,
            message: None,
            confirm_submit: false,
            insight: Insight::default(),
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
            Ok(h) => self.history = h,
            Err(e) => self.message = Some(e.to_string()),
        }
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
        self.scroll = 0;
        self.message = None;
        self.load_history();
        self.load_insight();
        self.screen = Screen::Home;
    }

    fn fail(&mut self, e: ServiceError) {
        self.message = Some(e.to_string());
    }

    /// Opens a session (new or resumed) on its current item.
    pub fn open(&mut self, session: Session) {
        self.tab = 0;
        self.scroll = 0;
        self.confirm_submit = false;
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
            let (cursor, confidence) = kept.unwrap_or((0, None));
            d.cursor = cursor.min(Draft::rows(item).saturating_sub(1));
            d.confidence = confidence;
            d
        });
        self.view = Some(view);
        self.session = Some(session);
    }

    fn show_results(&mut self, session: &Session) {
        self.scroll = 0;
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
        if expired && matches!(self.screen, Screen::Item | Screen::Review) {
            self.message = Some("Time is up: the exam was submitted.".into());
            self.reload();
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
                    "Answer recorded ({} answered); the check picks the next item.",
                    ack.answered
                ));
                self.reload();
                if self.screen == Screen::Results {
                    self.message = None;
                }
                true
            }
            Ok(ack) => {
                self.message = Some(match &ack.result {
                    Some(r) => r.feedback.as_ref().map_or_else(
                        || "Saved.".to_string(),
                        |f| format!("Saved: {} of {} points.", f.points, f.max_points),
                    ),
                    None => format!("Saved ({} of {} answered).", ack.answered, ack.total),
                });
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

    fn goto(&mut self, position: usize) {
        if !self.save() {
            return;
        }
        let Some(id) = self.session_id() else { return };
        let now = self.now();
        match self.block(self.service.goto_position(&id, position, now)) {
            Ok(s) => {
                self.tab = 0;
                self.scroll = 0;
                self.draft = None;
                self.set_session(s);
                self.screen = Screen::Item;
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
                self.open(s);
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

    /// The session to resume from the home screen: the newest one not yet submitted.
    pub fn resumable(&self) -> Option<&SessionSummary> {
        self.history.iter().find(|s| s.submitted_at.is_none())
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.save();
            self.quit = true;
            return;
        }
        match self.screen {
            Screen::Home => self.home_key(key),
            Screen::Item => self.item_key(key),
            Screen::Review => self.review_key(key),
            Screen::Answers => self.answers_key(key),
            Screen::Results | Screen::History => self.results_key(key),
            Screen::Readiness => self.readiness_key(key),
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
        match key.code {
            KeyCode::Up => self.move_exam_cursor(self.exam_cursor.saturating_sub(1)),
            KeyCode::Down => self.move_exam_cursor(self.exam_cursor + 1),
            KeyCode::Char('n') => self.start_next(),
            KeyCode::Char('a') => self.start(Mode::Adaptive, CustomFilter::default()),
            KeyCode::Char('R') => self.start_review(),
            KeyCode::Char('p') => {
                if self.insight.readiness.is_none() {
                    self.load_insight();
                }
                if self.insight.readiness.is_some() {
                    self.scroll = 0;
                    self.screen = Screen::Readiness;
                }
            }
            KeyCode::Char('s') => self.start(Mode::Study, CustomFilter::default()),
            KeyCode::Char('e') => self.start(Mode::Exam, CustomFilter::default()),
            KeyCode::Char('c') => self.start(
                Mode::Custom,
                CustomFilter {
                    only_missed: true,
                    ..CustomFilter::default()
                },
            ),
            KeyCode::Char('r') => match self.resumable().map(|s| s.id.clone()) {
                Some(id) => self.open_id(&id),
                None => self.message = Some("No unfinished session to resume.".into()),
            },
            KeyCode::Char('h') => {
                self.load_history();
                self.screen = Screen::History;
            }
            KeyCode::Char('q') | KeyCode::Esc => self.quit = true,
            _ => {}
        }
    }

    fn item_key(&mut self, key: KeyEvent) {
        let Some(item) = self.view.as_ref().and_then(|v| v.current.clone()) else {
            self.go_home();
            return;
        };
        if self.confirm_submit {
            self.confirm_submit = false;
            if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                self.submit();
            } else {
                self.message = Some("Not submitted.".into());
            }
            return;
        }
        let mut draft = self.draft.clone().unwrap_or_else(|| Draft::of(&item));
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
        match key.code {
            KeyCode::Char(c @ '1'..='3') => draft.set_confidence(match c {
                '1' => Confidence::Low,
                '2' => Confidence::Medium,
                _ => Confidence::High,
            }),
            KeyCode::Right => {
                let next = self.session.as_ref().and_then(Session::next_position);
                match next {
                    Some(p) => self.goto(p),
                    None => {
                        self.message = Some("Last item: press v to review or S to submit.".into())
                    }
                }
                return;
            }
            KeyCode::Left => {
                if let Some(p) = self.session.as_ref().and_then(Session::previous_position) {
                    self.goto(p);
                }
                return;
            }
            KeyCode::Up => draft.up(),
            KeyCode::Down => draft.down(&item),
            KeyCode::Char(' ') => draft.toggle(&item),
            KeyCode::Char('y') if is_yes_no(&item) => draft.set_yes_no(true),
            KeyCode::Char('n') if is_yes_no(&item) => draft.set_yes_no(false),
            KeyCode::Char('+') => draft.shift(&item, -1),
            KeyCode::Char('-') => draft.shift(&item, 1),
            KeyCode::Backspace | KeyCode::Delete => draft.clear(&item),
            KeyCode::Char(c @ 'a'..='h') if draft.letter(&item, c) => {}
            KeyCode::Enter => {
                self.draft = Some(draft);
                self.save();
                return;
            }
            KeyCode::Char('m') => return self.mark(&item.item_id),
            KeyCode::Char('v') => {
                if self.save() {
                    self.review_cursor = 0;
                    self.screen = Screen::Review;
                }
                return;
            }
            KeyCode::Char('t') => {
                let tabs = item.case_study.as_ref().map_or(0, |c| c.tabs.len());
                self.tab = if tabs == 0 {
                    0
                } else {
                    (self.tab + 1) % (tabs + 1)
                };
                self.scroll = 0;
                return;
            }
            KeyCode::PageDown => self.scroll = self.scroll.saturating_add(5),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(5),
            KeyCode::Char('S') => {
                if self.save() {
                    self.confirm_submit = true;
                    self.message =
                        Some("Submit the session? y to submit, any other key to go on.".into());
                }
                return;
            }
            KeyCode::Char('P') => return self.toggle_pause(),
            KeyCode::Esc | KeyCode::Char('q') => {
                self.save();
                self.go_home();
                return;
            }
            _ => return,
        }
        self.draft = Some(draft);
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
                self.screen = Screen::Results;
                self.message = None;
                self.reload();
                self.screen = Screen::Results;
                self.load_history();
            }
            Err(e) => self.fail(e),
        }
    }

    fn review_key(&mut self, key: KeyEvent) {
        let entries = self.view.as_ref().map_or(0, |v| v.review.len());
        match key.code {
            KeyCode::Up => self.review_cursor = self.review_cursor.saturating_sub(1),
            KeyCode::Down => {
                self.review_cursor = (self.review_cursor + 1).min(entries.saturating_sub(1))
            }
            KeyCode::Enter => {
                if let Some(p) = self
                    .view
                    .as_ref()
                    .and_then(|v| v.review.get(self.review_cursor))
                    .map(|e| e.position)
                {
                    self.goto(p);
                }
            }
            KeyCode::Char('S') => {
                self.screen = Screen::Item;
                self.confirm_submit = true;
                self.message =
                    Some("Submit the session? y to submit, any other key to go on.".into());
            }
            KeyCode::Esc | KeyCode::Char('v') => self.screen = Screen::Item,
            _ => {}
        }
    }

    fn answers_key(&mut self, key: KeyEvent) {
        let total = self.session.as_ref().map_or(0, |s| s.items.len());
        match key.code {
            KeyCode::Right => {
                self.answers_cursor = (self.answers_cursor + 1).min(total.saturating_sub(1))
            }
            KeyCode::Left => self.answers_cursor = self.answers_cursor.saturating_sub(1),
            KeyCode::PageDown => self.scroll = self.scroll.saturating_add(5),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(5),
            KeyCode::Char('q') | KeyCode::Esc => {
                self.scroll = 0;
                self.screen = Screen::Results;
            }
            _ => return,
        }
        if matches!(key.code, KeyCode::Left | KeyCode::Right) {
            self.scroll = 0;
        }
    }

    /// The item shown on the answers screen, with its feedback (the session is submitted).
    pub fn answered_item(&self) -> Option<certprep_domain::present::PresentedItem> {
        let session = self.session.as_ref().filter(|s| s.is_submitted())?;
        certprep_domain::present::present(session, &self.service.library.bank, self.answers_cursor)
    }

    fn results_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Char('a')
                if self.screen == Screen::Results
                    && self.session.as_ref().is_some_and(Session::is_submitted) =>
            {
                self.answers_cursor = 0;
                self.scroll = 0;
                self.screen = Screen::Answers;
            }
            KeyCode::PageDown | KeyCode::Down => {
                self.scroll =
                    self.scroll
                        .saturating_add(if key.code == KeyCode::Down { 1 } else { 10 })
            }
            KeyCode::PageUp | KeyCode::Up => {
                self.scroll =
                    self.scroll
                        .saturating_sub(if key.code == KeyCode::Up { 1 } else { 10 })
            }
            KeyCode::Char('h') => {
                self.load_history();
                self.scroll = 0;
                self.screen = Screen::History;
            }
            KeyCode::Char('q') | KeyCode::Esc => self.go_home(),
            _ => {}
        }
    }

    fn readiness_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::PageDown => self.scroll = self.scroll.saturating_add(10),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            KeyCode::Down => self.scroll = self.scroll.saturating_add(1),
            KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::Char('q') | KeyCode::Esc => {
                self.scroll = 0;
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
