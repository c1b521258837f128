//! Snapshot tests of every screen at 80×24 (the main ones also at 120×40), on the examples of the bank-format specification
//! (one item of every type, a case study and a series), with a fixed clock.

use std::sync::atomic::{AtomicI64, Ordering};

use certprep_bank::Source;
use certprep_bank::load::{Library, SourceKind, kind_of, load};
use certprep_domain::form::{Form, FormSection, SectionKind};
use certprep_domain::session::{Mode, NewSession, Session};
use certprep_domain::{ExamCode, OutlineRef};
use certprep_service::Service;
use certprep_store::Store;
use certprep_store_sqlite::SqliteStore;
use certprep_tui::{App, Screen, ui};
use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const SPEC: &str = include_str!("../../../docs/bank-format.md");

fn spec_bank() -> String {
    certprep_bank::examples::examples_bank(SPEC)
}

fn library() -> Library {
    let mut files: Vec<Source> = certprep_content::files()
        .filter(|f| !matches!(kind_of(f.path), SourceKind::Bank | SourceKind::Forms))
        .map(|f| Source::new(f.path, f.text))
        .collect();
    files.push(Source::new("examples.md", spec_bank()));
    let loaded = load(
        &[files],
        chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default(),
        0,
    );
    assert!(loaded.errors().next().is_none(), "{:?}", loaded.diagnostics);
    loaded.library
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

struct Harness {
    library: Library,
    store: SqliteStore,
    runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
    clock: AtomicI64,
}

impl Harness {
    fn new() -> Self {
        Self::with(library())
    }

    /// Over the embedded bank, which can fill a real exam form.
    fn embedded() -> Self {
        Self::with(
            serde_json::from_str(certprep_content::LIBRARY_JSON).unwrap_or_else(|e| panic!("{e}")),
        )
    }

    fn with(library: Library) -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let store = runtime
            .block_on(SqliteStore::open(&dir.path().join("t.db")))
            .unwrap_or_else(|e| panic!("{e}"));
        Harness {
            library,
            store,
            runtime,
            _dir: dir,
            clock: AtomicI64::new(t0().timestamp_millis()),
        }
    }

    fn app(&self) -> App<'_> {
        let service = Service::new(&self.library, &self.store, "local");
        App::new(
            service,
            &self.runtime,
            Box::new(|| {
                DateTime::from_timestamp_millis(self.clock.load(Ordering::SeqCst))
                    .unwrap_or_default()
            }),
        )
    }

    fn advance_minutes(&self, m: i64) {
        self.clock.fetch_add(m * 60_000, Ordering::SeqCst);
    }

    /// A stored session over the given items, in one section, or a case study's section, with
    /// every part in its written order (so snapshots stay readable against the specification).
    fn session(&self, mode: Mode, sections: Vec<(SectionKind, Vec<&str>)>) -> String {
        self.session_with(mode, sections, false, 1)
    }

    fn session_with(
        &self,
        mode: Mode,
        sections: Vec<(SectionKind, Vec<&str>)>,
        shuffle: bool,
        seed: u64,
    ) -> String {
        let r: OutlineRef = "ai-103@2026-04-16"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let form = Form {
            sections: sections
                .into_iter()
                .map(|(kind, items)| FormSection {
                    kind,
                    items: items.into_iter().map(String::from).collect(),
                })
                .collect(),
        };
        let timed = mode == Mode::Exam;
        let session = Session::start(
            NewSession {
                id: format!("s-{}", self.clock.fetch_add(1, Ordering::SeqCst)),
                user: "local".into(),
                exam: ExamCode::new("ai-103"),
                outline: &r,
                mode,
                seed,
                time_limit_ms: timed.then_some(100 * 60_000),
                pausable: !timed,
                open_book: true,
                shuffle,
            },
            &form,
            &self.library.bank,
            DateTime::from_timestamp_millis(self.clock.load(Ordering::SeqCst)).unwrap_or_default(),
        );
        self.runtime
            .block_on(self.store.create_session(&session))
            .unwrap_or_else(|e| panic!("{e}"));
        session.id
    }
}

fn render(app: &App) -> String {
    render_at(app, 80, 24)
}

/// The screen at another terminal size: the layout must use the room, not only fit 80×24.
fn render_at(app: &App, width: u16, height: u16) -> String {
    let mut terminal =
        Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| panic!("{e}"));
    terminal
        .draw(|f| ui::draw(f, app))
        .unwrap_or_else(|e| panic!("{e}"));
    terminal.backend().to_string()
}

fn press(app: &mut App, keys: &[KeyCode]) {
    for k in keys {
        app.on_key(KeyEvent::new(*k, KeyModifiers::NONE));
    }
}

fn chars(s: &str) -> Vec<KeyCode> {
    s.chars().map(KeyCode::Char).collect()
}

const ALL: [&str; 6] = [
    "example-single-001",
    "example-multiple-001",
    "example-order-001",
    "example-match-001",
    "example-dropdown-001",
    "example-yesno-001",
];

#[test]
fn home_screen() {
    let h = Harness::new();
    let app = h.app();
    insta::assert_snapshot!("home_empty", render(&app));
}

#[test]
fn every_item_type_in_exam_mode_with_answers_in_progress() {
    let h = Harness::new();
    let id = h.session(Mode::Exam, vec![(SectionKind::Main, ALL.to_vec())]);
    let mut app = h.app();
    app.open_id(&id);
    // single: choose B
    press(&mut app, &[KeyCode::Down, KeyCode::Char(' ')]);
    insta::assert_snapshot!("item_single", render(&app));
    // multiple: tick A and B, save, move on
    press(
        &mut app,
        &[
            KeyCode::Right,
            KeyCode::Char(' '),
            KeyCode::Down,
            KeyCode::Char(' '),
        ],
    );
    insta::assert_snapshot!("item_multiple", render(&app));
    // order: add C, D, A; then move A up one place
    press(
        &mut app,
        &[
            KeyCode::Right,
            KeyCode::Down,
            KeyCode::Down,
            KeyCode::Char(' '),
            KeyCode::Down,
            KeyCode::Char(' '),
            KeyCode::Up,
            KeyCode::Up,
            KeyCode::Up,
            KeyCode::Char(' '),
            KeyCode::Char('+'),
        ],
    );
    insta::assert_snapshot!("item_order", render(&app));
    // match: B on target 1, A on target 2
    let mut keys = vec![
        KeyCode::Right,
        KeyCode::Char('b'),
        KeyCode::Down,
        KeyCode::Char('a'),
    ];
    press(&mut app, &keys);
    insta::assert_snapshot!("item_match", render(&app));
    // dropdown: slot 1 cycles to A, slot 2 picks B by letter
    keys = vec![
        KeyCode::Right,
        KeyCode::Char(' '),
        KeyCode::Down,
        KeyCode::Char('b'),
    ];
    press(&mut app, &keys);
    insta::assert_snapshot!("item_dropdown", render(&app));
    // yes/no: yes, no
    press(
        &mut app,
        &[
            KeyCode::Right,
            KeyCode::Char('y'),
            KeyCode::Down,
            KeyCode::Char('n'),
        ],
    );
    insta::assert_snapshot!("item_yesno", render(&app));
    press(&mut app, &[KeyCode::Enter, KeyCode::Char('m')]);
    press(&mut app, &[KeyCode::Char('v')]);
    assert_eq!(app.screen, Screen::Review);
    insta::assert_snapshot!("review", render(&app));
    press(
        &mut app,
        &[KeyCode::Esc, KeyCode::Char('S'), KeyCode::Char('y')],
    );
    assert_eq!(app.screen, Screen::Results);
    insta::assert_snapshot!("results", render(&app));
    press(&mut app, &[KeyCode::PageDown]);
    insta::assert_snapshot!("results_objectives_and_time", render(&app));
    press(
        &mut app,
        &[
            KeyCode::PageUp,
            KeyCode::Char('a'),
            KeyCode::Right,
            KeyCode::Right,
        ],
    );
    assert_eq!(app.screen, Screen::Answers);
    insta::assert_snapshot!("answers_after_submission", render(&app));
    press(&mut app, &[KeyCode::Char('q')]);
    assert_eq!(app.screen, Screen::Results);
    let report = app.report.clone().unwrap_or_else(|| panic!("no report"));
    // Saved answers, graded: single B (1 of 1), multiple A+B (2 of 2), order C,A,D against
    // C,D,A (1 of 3), match B,A,– (2 of 3), dropdown A,B (2 of 2), yes/no yes,no,– (2 of 3).
    assert_eq!((report.points, report.max_points), (10, 14));
    press(&mut app, &[KeyCode::Char('h')]);
    insta::assert_snapshot!("history", render(&app));
    // A past session in the history opens on its results, then its answers.
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(app.screen, Screen::Results);
    press(&mut app, &[KeyCode::Char('a')]);
    assert_eq!(app.screen, Screen::Answers);
    press(&mut app, &[KeyCode::Char('q'), KeyCode::Char('h')]);
    assert_eq!(app.screen, Screen::History);
    press(&mut app, &[KeyCode::Char('q')]);
    insta::assert_snapshot!("home_with_history", render(&app));
}

#[test]
fn series_item_and_study_feedback() {
    let h = Harness::new();
    let id = h.session(
        Mode::Study,
        vec![(
            SectionKind::Main,
            vec!["example-series-1", "example-series-2"],
        )],
    );
    let mut app = h.app();
    app.open_id(&id);
    press(&mut app, &chars("n"));
    insta::assert_snapshot!("item_solution", render(&app));
    press(&mut app, &[KeyCode::Enter]);
    insta::assert_snapshot!("study_feedback", render(&app));
}

#[test]
fn case_study_question_and_tabs() {
    let h = Harness::new();
    let id = h.session(
        Mode::Exam,
        vec![(
            SectionKind::CaseStudy("example-case".into()),
            vec!["example-case-1"],
        )],
    );
    let mut app = h.app();
    app.open_id(&id);
    insta::assert_snapshot!("case_study_question", render(&app));
    press(&mut app, &chars("tt"));
    insta::assert_snapshot!("case_study_tab", render(&app));
}

#[test]
fn the_clock_submits_at_the_deadline() {
    let h = Harness::new();
    let id = h.session(Mode::Exam, vec![(SectionKind::Main, ALL.to_vec())]);
    let mut app = h.app();
    app.open_id(&id);
    h.advance_minutes(101);
    app.tick();
    assert_eq!(app.screen, Screen::Results);
    assert_eq!(
        app.message.as_deref(),
        Some("Time is up: the exam was submitted.")
    );
}

/// Keys that give some valid answer to an item of any type: space picks the first option (or
/// flips Yes/No, or cycles a slot), y answers Yes, a puts source A on the first target.
fn answer_any(app: &mut App) {
    press(
        app,
        &[
            KeyCode::Char(' '),
            KeyCode::Char('y'),
            KeyCode::Char('a'),
            KeyCode::Enter,
        ],
    );
}

fn current_item(app: &App) -> Option<String> {
    app.view
        .as_ref()
        .and_then(|v| v.current.as_ref())
        .map(|c| c.item_id.clone())
}

#[test]
fn keys_1_to_3_set_the_confidence_and_it_is_recorded() {
    use certprep_domain::session::Confidence;
    let h = Harness::new();
    let id = h.session(Mode::Exam, vec![(SectionKind::Main, ALL.to_vec())]);
    let mut app = h.app();
    app.open_id(&id);
    // single: choose the first option, say "sure", save.
    press(&mut app, &[KeyCode::Char(' '), KeyCode::Char('3')]);
    let screen = render(&app);
    assert!(screen.contains("confidence: sure"), "{screen}");
    press(&mut app, &[KeyCode::Enter]);
    // The footer keeps the confidence once saved.
    assert!(render(&app).contains("confidence: sure"));
    // multiple: a guess.
    press(
        &mut app,
        &[KeyCode::Right, KeyCode::Char(' '), KeyCode::Char('1')],
    );
    assert!(render(&app).contains("confidence: guess"));
    press(&mut app, &[KeyCode::Enter]);
    // order: no confidence given.
    press(
        &mut app,
        &[KeyCode::Right, KeyCode::Char(' '), KeyCode::Enter],
    );
    // Back on the first item, the confidence given with its answer shows again.
    press(&mut app, &[KeyCode::Left, KeyCode::Left]);
    assert!(
        render(&app).contains("confidence: sure"),
        "{}",
        render(&app)
    );
    // Changing only the confidence is a change that enter saves.
    press(&mut app, &[KeyCode::Char('2')]);
    assert!(render(&app).contains("confidence: medium"));
    assert!(app.draft.as_ref().is_some_and(|d| d.dirty));
    press(&mut app, &[KeyCode::Enter]);
    let log = h
        .runtime
        .block_on(h.store.responses("local"))
        .unwrap_or_else(|e| panic!("{e}"));
    let recorded: Vec<(&str, Option<Confidence>)> = log
        .iter()
        .map(|r| (r.item_id.as_str(), r.confidence))
        .collect();
    assert_eq!(
        recorded,
        vec![
            ("example-single-001", Some(Confidence::High)),
            ("example-multiple-001", Some(Confidence::Low)),
            ("example-order-001", None),
            ("example-single-001", Some(Confidence::Medium)),
        ]
    );
}

#[test]
fn a_starts_the_adaptive_check_which_moves_on_until_it_decides() {
    let h = Harness::new();
    let mut app = h.app();
    press(&mut app, &chars("a"));
    assert_eq!(app.screen, Screen::Item, "{:?}", app.message);
    assert!(app.is_adaptive());
    insta::assert_snapshot!("item_adaptive", render(&app));
    let mut seen: Vec<String> = vec![];
    for _ in 0..=30 {
        if app.screen != Screen::Item {
            break;
        }
        let item = current_item(&app).unwrap_or_else(|| panic!("no item"));
        assert!(!seen.contains(&item), "{item} came twice");
        seen.push(item.clone());
        // No going back or skipping ahead, and no review screen.
        press(
            &mut app,
            &[KeyCode::Left, KeyCode::Right, KeyCode::Char('v')],
        );
        assert_eq!(app.screen, Screen::Item);
        assert_eq!(current_item(&app).as_deref(), Some(item.as_str()));
        answer_any(&mut app);
    }
    assert_eq!(app.screen, Screen::Results, "{:?}", app.message);
    assert!(seen.len() <= 30);
    let report = app.report.clone().unwrap_or_else(|| panic!("no report"));
    let verdict = report.adaptive.unwrap_or_else(|| panic!("no verdict"));
    assert_eq!(verdict.items_used as usize, seen.len());
    insta::assert_snapshot!("results_adaptive", render(&app));
}

#[test]
fn home_with_a_recommendation_and_due_reviews_then_readiness() {
    let h = Harness::new();
    let id = h.session(Mode::Study, vec![(SectionKind::Main, ALL.to_vec())]);
    let mut app = h.app();
    app.open_id(&id);
    // Three items today, three tomorrow: two points on the readiness trend.
    for n in 0..ALL.len() {
        if n == 3 {
            h.advance_minutes(24 * 60);
        }
        answer_any(&mut app);
        press(&mut app, &[KeyCode::Right]);
    }
    // Two months on, everything is due again.
    h.advance_minutes(60 * 24 * 60);
    press(&mut app, &[KeyCode::Char('q')]);
    assert_eq!(app.screen, Screen::Home);
    let due = app.insight.queue.as_ref().map_or(0, |q| q.due.len());
    assert_eq!(due, ALL.len());
    assert!(app.insight.next.is_some());
    insta::assert_snapshot!("home_recommendation_and_due", render(&app));
    press(&mut app, &chars("p"));
    assert_eq!(app.screen, Screen::Readiness);
    insta::assert_snapshot!("readiness", render(&app));
    press(&mut app, &[KeyCode::PageDown]);
    insta::assert_snapshot!("readiness_scrolled", render(&app));
    press(&mut app, &[KeyCode::Esc]);
    assert_eq!(app.screen, Screen::Home);
    // Moving the cursor loads the other exam's readiness, queue and recommendation.
    press(&mut app, &[KeyCode::Down]);
    assert_eq!(app.insight.exam, "ai-102");
    assert!(render(&app).contains("> AI-102"));
    press(&mut app, &[KeyCode::Up]);
    assert_eq!(app.insight.exam, "ai-103");
    // R reviews the due items in a study session.
    press(&mut app, &chars("R"));
    assert_eq!(app.screen, Screen::Item, "{:?}", app.message);
    let session = app.session.clone().unwrap_or_else(|| panic!("no session"));
    assert_eq!(session.mode, Mode::Study);
    assert_eq!(session.items.len(), due);
    // n starts the recommended activity.
    press(&mut app, &chars("q"));
    press(&mut app, &chars("n"));
    assert_eq!(app.screen, Screen::Item, "{:?}", app.message);
}

#[test]
fn review_with_nothing_due_says_when_the_next_item_falls_due() {
    let h = Harness::new();
    let mut app = h.app();
    press(&mut app, &chars("R"));
    assert_eq!(app.screen, Screen::Home);
    assert_eq!(
        app.message.as_deref(),
        Some("nothing to review yet: answer some items first")
    );
    let id = h.session(Mode::Study, vec![(SectionKind::Main, ALL.to_vec())]);
    app.open_id(&id);
    answer_any(&mut app);
    press(&mut app, &chars("qR"));
    assert_eq!(app.screen, Screen::Home);
    let message = app.message.clone().unwrap_or_default();
    assert!(message.contains("the next item falls due"), "{message}");
}

#[test]
fn a_larger_terminal_uses_the_room() {
    let h = Harness::new();
    let id = h.session(Mode::Exam, vec![(SectionKind::Main, ALL.to_vec())]);
    let mut app = h.app();
    app.open_id(&id);
    press(&mut app, &[KeyCode::Down, KeyCode::Char(' ')]);
    insta::assert_snapshot!("item_single_120x40", render_at(&app, 120, 40));
    press(&mut app, &[KeyCode::Char('?')]);
    assert!(app.help);
    insta::assert_snapshot!("help_item_120x40", render_at(&app, 120, 40));
    insta::assert_snapshot!("help_item", render(&app));
    // Any key closes the help and does nothing else: the answer is still B.
    press(&mut app, &[KeyCode::Up]);
    assert!(!app.help);
    press(&mut app, &[KeyCode::Char('m'), KeyCode::Char('v')]);
    insta::assert_snapshot!("review_120x40", render_at(&app, 120, 40));
    press(
        &mut app,
        &[KeyCode::Esc, KeyCode::Char('S'), KeyCode::Char('y')],
    );
    assert_eq!(app.screen, Screen::Results);
    insta::assert_snapshot!("results_120x40", render_at(&app, 120, 40));
    let report = app.report.clone().unwrap_or_else(|| panic!("no report"));
    assert_eq!(report.items[0].points, 1, "the help key changed the answer");
}

#[test]
fn a_choice_beyond_the_stated_number_is_refused_with_the_reason() {
    let h = Harness::new();
    let id = h.session(
        Mode::Exam,
        vec![(SectionKind::Main, vec!["example-multiple-001"])],
    );
    let mut app = h.app();
    app.open_id(&id);
    press(
        &mut app,
        &[
            KeyCode::Char(' '),
            KeyCode::Down,
            KeyCode::Char(' '),
            KeyCode::Down,
            KeyCode::Char(' '),
        ],
    );
    assert_eq!(
        app.message.as_deref(),
        Some("Choose 2: clear a choice (space on it) before choosing another.")
    );
    let screen = render(&app);
    assert!(screen.contains("[x] A."), "{screen}");
    assert!(screen.contains("[x] B."), "{screen}");
    assert!(screen.contains("[ ] C."), "{screen}");
    // Clearing one makes room.
    press(
        &mut app,
        &[
            KeyCode::Up,
            KeyCode::Char(' '),
            KeyCode::Down,
            KeyCode::Char(' '),
        ],
    );
    let screen = render(&app);
    assert!(
        screen.contains("[ ] B.") && screen.contains("[x] C."),
        "{screen}"
    );
}

#[test]
fn a_source_used_once_is_refused_where_reuse_is_off() {
    let h = Harness::new();
    let id = h.session(
        Mode::Exam,
        vec![(SectionKind::Main, vec!["example-match-001"])],
    );
    let mut app = h.app();
    app.open_id(&id);
    press(
        &mut app,
        &[KeyCode::Char('a'), KeyCode::Down, KeyCode::Char('a')],
    );
    let message = app.message.clone().unwrap_or_default();
    assert!(message.starts_with("A is already on target 1"), "{message}");
    let screen = render(&app);
    assert!(screen.contains("[ ] 2."), "{screen}");
}

#[test]
fn keys_while_reading_the_case_do_not_touch_the_answer() {
    let h = Harness::new();
    let id = h.session(
        Mode::Exam,
        vec![(
            SectionKind::CaseStudy("example-case".into()),
            vec!["example-case-1"],
        )],
    );
    let mut app = h.app();
    app.open_id(&id);
    press(
        &mut app,
        &[KeyCode::Char('t'), KeyCode::Char(' '), KeyCode::Char('a')],
    );
    assert_eq!(
        app.message.as_deref(),
        Some("You are reading the case study: t or esc shows the question.")
    );
    assert!(
        app.draft.as_ref().is_none_or(|d| !d.dirty),
        "{:?}",
        app.draft
    );
    press(&mut app, &[KeyCode::Esc]);
    assert_eq!(
        app.screen,
        Screen::Item,
        "esc leaves the case, not the exam"
    );
    assert!(render(&app).contains("( ) A."));
}

#[test]
fn leaving_a_section_asks_first_and_locks_it() {
    let h = Harness::new();
    let id = h.session(
        Mode::Exam,
        vec![
            (
                SectionKind::Main,
                vec!["example-single-001", "example-multiple-001"],
            ),
            (
                SectionKind::CaseStudy("example-case".into()),
                vec!["example-case-1"],
            ),
        ],
    );
    let mut app = h.app();
    app.open_id(&id);
    press(
        &mut app,
        &[KeyCode::Char(' '), KeyCode::Right, KeyCode::Char('m')],
    );
    press(&mut app, &[KeyCode::Right]);
    insta::assert_snapshot!("section_warning", render(&app));
    let message = app.message.clone().unwrap_or_default();
    assert!(
        message.contains("It locks: 1 unanswered, 1 marked"),
        "{message}"
    );
    // Any other key stays.
    press(&mut app, &[KeyCode::Char('x')]);
    assert_eq!(app.message.as_deref(), Some("Stayed in the section."));
    assert_eq!(current_item(&app).as_deref(), Some("example-multiple-001"));
    // y leaves: the case study's introduction, then its question; the section is locked.
    press(&mut app, &[KeyCode::Right, KeyCode::Char('y')]);
    assert_eq!(app.screen, Screen::CaseIntro);
    insta::assert_snapshot!("case_intro", render(&app));
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(app.screen, Screen::Item);
    assert_eq!(current_item(&app).as_deref(), Some("example-case-1"));
    press(&mut app, &[KeyCode::Left]);
    assert_eq!(current_item(&app).as_deref(), Some("example-case-1"));
    assert_eq!(
        app.message.as_deref(),
        Some("The questions before this one are locked: you left their section.")
    );
    press(&mut app, &[KeyCode::Char('v')]);
    let screen = render(&app);
    assert!(screen.contains("1 marked · locked"), "{screen}");
}

#[test]
fn a_mock_exam_begins_with_an_overview_of_its_rules() {
    let h = Harness::embedded();
    let mut app = h.app();
    // The clock starts with the exam, so e asks first.
    press(&mut app, &chars("e"));
    assert_eq!(app.screen, Screen::Home);
    let message = app.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("Start a mock exam of AI-103 now? Its 1:40:00 clock starts at once"),
        "{message}"
    );
    press(&mut app, &chars("x"));
    assert_eq!(app.message.as_deref(), Some("No new exam started."));
    press(&mut app, &chars("ey"));
    assert_eq!(app.screen, Screen::Overview, "{:?}", app.message);
    insta::assert_snapshot!("exam_overview", render(&app));
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(app.screen, Screen::Item);
    // q leaves for home, saying the clock keeps running, and the exam is listed as unfinished.
    press(&mut app, &chars("q"));
    assert_eq!(app.screen, Screen::Home);
    let message = app.message.clone().unwrap_or_default();
    assert!(message.contains("its clock keeps running"), "{message}");
    assert!(render(&app).contains("Unfinished"));
    // Another e offers to resume the unfinished exam first; r does.
    press(&mut app, &chars("e"));
    let message = app.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("A mock exam of AI-103 is unfinished ("),
        "{message}"
    );
    let first = app.session.as_ref().map(|s| s.id.clone());
    press(&mut app, &chars("r"));
    assert_eq!(app.screen, Screen::Item, "{:?}", app.message);
    assert_eq!(app.session.as_ref().map(|s| s.id.clone()), first);
}

#[test]
fn content_past_the_edge_is_signalled_and_the_cursor_scrolls_into_view() {
    let h = Harness::new();
    let id = h.session(Mode::Exam, vec![(SectionKind::Main, ALL.to_vec())]);
    let mut app = h.app();
    app.open_id(&id);
    let screen = render_at(&app, 80, 14);
    assert!(screen.contains("↓ more below: PgDn"), "{screen}");
    assert!(!screen.contains("D. Generate"), "{screen}");
    // Moving the cursor to D brings it into view.
    press(&mut app, &[KeyCode::Down, KeyCode::Down, KeyCode::Down]);
    let screen = render_at(&app, 80, 14);
    assert!(screen.contains("> ( ) D. Generate"), "{screen}");
    assert!(screen.contains("↑ more above"), "{screen}");
}

#[test]
fn a_failed_mock_beside_a_high_probability_says_what_each_measures() {
    let skipped = ui::failed_mock_note(412, 9);
    assert!(skipped.contains("412, fail") && skipped.contains("counted 9 unanswered"));
    let answered = ui::failed_mock_note(650, 0);
    assert!(
        answered.contains("one form on one day") && !answered.contains("unanswered"),
        "{answered}"
    );
}

#[test]
fn shuffled_options_are_answered_as_shown_and_recorded_as_written() {
    let h = Harness::new();
    // A seed that moves the key (B, "Enable a managed identity…") away from B.
    let (id, key_row) = (1..50)
        .find_map(|seed| {
            let id = h.session_with(
                Mode::Study,
                vec![(SectionKind::Main, vec!["example-single-001"])],
                true,
                seed,
            );
            let app = h.app();
            let mut app = app;
            app.open_id(&id);
            let item = app.view.as_ref().and_then(|v| v.current.clone())?;
            let row = item
                .options
                .iter()
                .position(|o| o.text.starts_with("Enable a managed identity"))?;
            (row != 1).then_some((id, row))
        })
        .unwrap_or_else(|| panic!("no seed moves the key"));
    let mut app = h.app();
    app.open_id(&id);
    insta::assert_snapshot!("item_shuffled", render(&app));
    for _ in 0..key_row {
        press(&mut app, &[KeyCode::Down]);
    }
    press(&mut app, &[KeyCode::Char(' '), KeyCode::Enter]);
    let screen = render_at(&app, 80, 40);
    assert!(screen.contains("1 of 1 point"), "{screen}");
    // The feedback names the options by the letters shown.
    insta::assert_snapshot!("study_feedback_shuffled", screen);
    let log = h
        .runtime
        .block_on(h.store.responses("local"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        log.last().map(|r| r.answer.clone()),
        Some(certprep_domain::grading::Answer::Choice('B')),
        "recorded in the author's letter"
    );
}

#[test]
fn a_problem_is_reported_from_a_checked_answer_and_its_resolution_shows_on_home() {
    use certprep_domain::dispute::{DisputeKind, Resolution};
    let h = Harness::new();
    let id = h.session(
        Mode::Study,
        vec![(SectionKind::Main, vec!["example-single-001"])],
    );
    let mut app = h.app();
    app.open_id(&id);
    // Before the answer is shown, ! reports nothing.
    press(&mut app, &chars("!"));
    assert!(app.report_draft.is_none());
    press(&mut app, &[KeyCode::Char(' '), KeyCode::Enter]);
    press(&mut app, &chars("!"));
    assert!(app.report_draft.is_some());
    // Enter before choosing what is wrong says so and keeps the form.
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(
        app.message.as_deref(),
        Some("Choose what is wrong first: keys 1 to 5.")
    );
    press(&mut app, &chars("1The page says B is right"));
    insta::assert_snapshot!("report_form", render(&app));
    press(&mut app, &[KeyCode::Enter]);
    assert!(app.report_draft.is_none());
    let message = app.message.clone().unwrap_or_default();
    assert!(message.starts_with("Report #1 sent"), "{message}");
    let filed = h
        .runtime
        .block_on(h.store.dispute(1))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(filed.kind, DisputeKind::WrongKey);
    assert_eq!(filed.note, "The page says B is right");
    assert_eq!(filed.session_id.as_deref(), Some(id.as_str()));
    press(&mut app, &chars("q"));
    assert!(render(&app).contains("Your reports: 1 open, 0 answered"));
    // An author answers it; the reporter reads the answer on the home screen.
    let author = Service::new(&h.library, &h.store, "author");
    h.runtime
        .block_on(author.resolve_dispute(
            1,
            Resolution::Rejected,
            "B would need a key; A is keyless.",
            t0(),
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    press(&mut app, &chars("h"));
    press(&mut app, &chars("q"));
    let home = render(&app);
    assert!(home.contains("Your reports: 0 open, 1 answered"), "{home}");
    assert!(
        home.contains("#1 rejected (example-single-001): B would need a key"),
        "{home}"
    );
}

/// `w`: the advice for the profile given (with `certprep advise`), the plan with planned and
/// logged hours, and the real results with renewal; readable at 80×24 and 120×40.
#[test]
fn w_shows_the_advice_the_plan_and_results() {
    let h = Harness::embedded();
    let service = Service::new(&h.library, &h.store, "local");
    let profile = certprep_advisor::Profile {
        role: Some(certprep_advisor::Role::CloudEngineer),
        years: Some(4),
        foundations: Some(certprep_advisor::Foundations {
            software: true,
            cloud: true,
            data: true,
        }),
        employer_cloud: Some(certprep_advisor::EmployerCloud::Azure),
        partner: Some(true),
        hours_per_week: Some(8.0),
        budget: Some(500),
        ..certprep_advisor::Profile::default()
    };
    h.runtime
        .block_on(service.save_profile(&profile))
        .unwrap_or_else(|e| panic!("{e}"));
    let exam_day = chrono::NaiveDate::from_ymd_opt(2027, 2, 26).unwrap_or_default();
    h.runtime
        .block_on(service.study_plan("ai-103", Some(exam_day), Some(8.0), t0()))
        .unwrap_or_else(|e| panic!("{e}"));
    let passed = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
    h.runtime
        .block_on(service.record_result("ai-102", passed, true, Some(760), t0()))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut app = h.app();
    assert_eq!(app.selected_exam().as_deref(), Some("ai-103"));
    // The home screen says the AI-102 credential cannot be renewed.
    let home = render_at(&app, 120, 40);
    assert!(home.contains("Renewal: AI-102"), "{home}");
    press(&mut app, &chars("w"));
    assert_eq!(app.screen, Screen::Advisor, "{:?}", app.message);
    let top = render(&app);
    assert!(top.contains("AI-103: GO AHEAD"), "{top}");
    insta::assert_snapshot!("advisor_80x24", top);
    press(&mut app, &[KeyCode::PageDown, KeyCode::PageDown]);
    let lower = render(&app);
    insta::assert_snapshot!("advisor_80x24_plan", lower);
    insta::assert_snapshot!("advisor_120x40", render_at(&app, 120, 40));
    // Every part is reachable by scrolling: the plan, this week's work and the AI-102 result.
    let mut seen = String::new();
    press(&mut app, &[KeyCode::Home]);
    for _ in 0..12 {
        seen.push_str(&render(&app));
        press(&mut app, &[KeyCode::PageDown]);
    }
    for words in [
        "Plan to 2027-02-26",
        "This week",
        "AI-102 on 2026-03-02: passed (760)",
        "cannot be renewed",
    ] {
        assert!(seen.contains(words), "{words} missing:\n{seen}");
    }
    press(&mut app, &chars("q"));
    assert_eq!(app.screen, Screen::Home);
}

/// `e` on the advisor screen asks the advisor's questions; enter saves them and the advice
/// follows; esc leaves the answers as they were.
#[test]
fn the_advisors_questions_are_answered_in_the_app() {
    let h = Harness::embedded();
    let mut app = h.app();
    press(&mut app, &chars("w"));
    assert_eq!(app.screen, Screen::Advisor);
    press(&mut app, &chars("e"));
    assert!(app.profile_form.is_some());
    insta::assert_snapshot!("advisor_questions", render(&app));
    // Role: → to the first role (software engineer); years: 7; the three foundations;
    // employer's cloud: → twice (azure planned); hours: 6.
    press(&mut app, &[KeyCode::Right, KeyCode::Down]);
    press(&mut app, &chars("7"));
    press(
        &mut app,
        &[
            KeyCode::Down,
            KeyCode::Char(' '),
            KeyCode::Down,
            KeyCode::Char(' '),
        ],
    );
    press(
        &mut app,
        &[
            KeyCode::Down,
            KeyCode::Char(' '),
            KeyCode::Down,
            KeyCode::Right,
            KeyCode::Right,
        ],
    );
    for _ in 0..4 {
        press(&mut app, &[KeyCode::Down]);
    }
    press(&mut app, &chars("6"));
    press(&mut app, &[KeyCode::Enter]);
    assert!(app.profile_form.is_none(), "{:?}", app.message);
    assert_eq!(app.screen, Screen::Advisor);
    let saved = h
        .runtime
        .block_on(Service::new(&h.library, &h.store, "local").saved_profile())
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_default();
    assert_eq!(saved.role, Some(certprep_advisor::Role::SoftwareEngineer));
    assert_eq!(saved.years, Some(7));
    assert_eq!(saved.foundations.map(|f| f.count()), Some(3));
    assert_eq!(
        saved.employer_cloud,
        Some(certprep_advisor::EmployerCloud::AzurePlanned)
    );
    assert_eq!(saved.hours_per_week, Some(6.0));
    let screen = render(&app);
    assert!(screen.contains("Time 80–115 hours"), "{screen}");
    // esc: nothing changes.
    press(&mut app, &chars("e"));
    press(&mut app, &[KeyCode::Right, KeyCode::Esc]);
    assert!(app.profile_form.is_none());
    let after = h
        .runtime
        .block_on(Service::new(&h.library, &h.store, "local").saved_profile())
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_default();
    assert_eq!(after, saved);
}
