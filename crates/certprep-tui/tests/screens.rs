//! Snapshot tests of every screen at 80×24, on the examples of the bank-format specification
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
        .filter(|f| kind_of(f.path) != SourceKind::Bank)
        .map(|f| Source::new(f.path, f.text))
        .collect();
    files.push(Source::new("examples.md", spec_bank()));
    let loaded = load(
        &[files],
        chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default(),
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
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let store = runtime
            .block_on(SqliteStore::open(&dir.path().join("t.db")))
            .unwrap_or_else(|e| panic!("{e}"));
        Harness {
            library: library(),
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

    /// A stored session over the given items, in one section, or a case study's section.
    fn session(&self, mode: Mode, sections: Vec<(SectionKind, Vec<&str>)>) -> String {
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
                seed: 1,
                time_limit_ms: timed.then_some(100 * 60_000),
                pausable: !timed,
                open_book: true,
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
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap_or_else(|e| panic!("{e}"));
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
