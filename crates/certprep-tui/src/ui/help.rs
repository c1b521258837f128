//! The help overlay: every key of the current screen.

use super::*;

/// Every key of a screen, for its help page.
pub fn help_keys(app: &App) -> (&'static str, Vec<(&'static str, &'static str)>) {
    let item_kind = app
        .view
        .as_ref()
        .and_then(|v| v.current.as_ref())
        .map(|c| c.kind);
    match app.screen {
        Screen::Home => (
            "Home",
            vec![
                ("↑ ↓", "choose the exam"),
                ("n", "start the recommended next activity"),
                ("s", "study: one question at a time, with explanations"),
                (
                    "e",
                    "mock exam under the real rules (asks first if one is unfinished)",
                ),
                ("c", "practise only the questions you missed"),
                ("a", "the adaptive readiness check (at most 30 questions)"),
                ("R", "review the questions due (spaced repetition)"),
                ("r", "resume the first unfinished session listed"),
                ("p", "readiness in detail"),
                (
                    "w",
                    "is it worth it? advice, study plan, results and renewal",
                ),
                ("h", "history: every session, with its results"),
                ("?", "this help"),
                ("q esc", "quit"),
            ],
        ),
        Screen::Overview | Screen::CaseIntro => (
            "Before the questions",
            vec![
                ("enter space →", "go to the first question"),
                ("?", "this help"),
                ("q esc", "home (a timed session's clock keeps running)"),
            ],
        ),
        Screen::Item => {
            let answer: Vec<(&'static str, &'static str)> = match item_kind {
                Some(ItemKind::Single) => vec![
                    ("↑ ↓", "move between options"),
                    ("space", "choose the option"),
                ],
                Some(ItemKind::Multiple) => vec![
                    ("↑ ↓", "move between options"),
                    ("space", "tick or untick (never more than asked)"),
                ],
                Some(ItemKind::Order) => vec![
                    ("↑ ↓", "move between actions"),
                    ("space", "add to or remove from the sequence"),
                    ("+ -", "move the action earlier or later"),
                ],
                Some(ItemKind::Match) => vec![
                    ("↑ ↓", "move between targets"),
                    ("a–h", "put that source on the target"),
                    ("⌫", "clear the target"),
                ],
                Some(ItemKind::Dropdown) => vec![
                    ("↑ ↓", "move between drop-downs"),
                    ("space", "next choice"),
                    ("a–h", "pick a choice by letter"),
                    ("⌫", "clear"),
                ],
                Some(ItemKind::YesNo) => vec![
                    ("↑ ↓", "move between statements"),
                    ("y n", "answer Yes or No"),
                    ("⌫", "clear"),
                ],
                _ => vec![("y n", "answer Yes or No")],
            };
            let case = app
                .view
                .as_ref()
                .and_then(|v| v.current.as_ref())
                .is_some_and(|c| c.case_study.is_some());
            let session = app.session.as_ref();
            let pausable = session.is_some_and(|s| s.pausable);
            let timed = session.is_some_and(|s| s.time_limit_ms.is_some());
            let mut keys = answer;
            keys.extend([
                (
                    "1 2 3",
                    "how sure you are (feeds your reviews, never the score)",
                ),
                ("enter", "save (study: check the answer)"),
                (
                    "← →",
                    "previous / next question (asks before a section locks)",
                ),
                ("m", "mark for review"),
                ("v", "review screen"),
            ]);
            if case {
                keys.push(("t", "the case study's tabs; esc back to the question"));
            }
            let checked = app
                .view
                .as_ref()
                .and_then(|v| v.current.as_ref())
                .is_some_and(|c| c.feedback.is_some());
            if checked {
                keys.push(("!", "report a problem with the question (a wrong key…)"));
            }
            keys.extend([
                ("PgUp PgDn", "scroll"),
                ("S", "finish (asks first, with the counts)"),
            ]);
            if pausable {
                keys.push(("P", "pause the session"));
            }
            keys.push((
                "q esc",
                if timed {
                    "home (the clock keeps running)"
                } else {
                    "home (resume later with r)"
                },
            ));
            ("Question", keys)
        }
        Screen::Review => (
            "Review",
            vec![
                ("↑ ↓", "choose a question"),
                ("enter", "go to it"),
                ("S", "finish (asks first)"),
                ("v esc q", "back to the question"),
            ],
        ),
        Screen::Results => (
            "Results",
            vec![
                ("a", "answers and explanations, question by question"),
                ("↑ ↓ PgUp PgDn", "scroll"),
                ("h", "history"),
                ("q esc", "home"),
            ],
        ),
        Screen::Answers => (
            "Answers",
            vec![
                ("← →", "previous / next question"),
                ("↑ ↓ PgUp PgDn", "scroll"),
                (
                    "!",
                    "report a problem with the question (a wrong key, an ambiguity…)",
                ),
                ("q esc", "back to the results"),
            ],
        ),
        Screen::History => (
            "History",
            vec![
                ("↑ ↓", "choose a session"),
                ("enter", "open it: results (then a: answers), or resume it"),
                ("q esc", "home"),
            ],
        ),
        Screen::Readiness => (
            "Readiness",
            vec![("↑ ↓ PgUp PgDn", "scroll"), ("q esc", "home")],
        ),
        Screen::Advisor => (
            "Is it worth it?",
            vec![
                ("↑ ↓ PgUp PgDn", "scroll"),
                ("q esc", "home"),
                (
                    "certprep advise",
                    "answer the advisor's questions (in a shell)",
                ),
                (
                    "certprep plan",
                    "make a plan: --exam --date --hours-per-week [--ics]",
                ),
                ("certprep result record", "record the real exam's result"),
            ],
        ),
    }
}

pub(super) fn help(frame: &mut Frame, app: &App) {
    let (title, keys) = help_keys(app);
    let area = frame.area();
    let width = area.width.min(76);
    let height = (u16::try_from(keys.len()).unwrap_or(20) + 3).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let inner = width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = keys
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                bold(format!(" {:<14}", k)),
                Span::raw(truncate(what, inner.saturating_sub(15))),
            ])
        })
        .collect();
    lines.push(Line::from(dim(" any key closes this help")));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" Keys · {title} ")),
        ),
        popup,
    );
}

/// The report form over the question: what is wrong (1–5) and a note typed in place.
pub(super) fn report_form(frame: &mut Frame, app: &App) {
    let Some(draft) = &app.report_draft else {
        return;
    };
    let area = frame.area();
    let width = area.width.min(76);
    let inner = width.saturating_sub(2) as usize;
    let mut lines = vec![Line::from(dim(truncate(
        &format!("Question {}", draft.item_id),
        inner,
    )))];
    lines.push(Line::from(bold("What is wrong? (1–5)")));
    for (n, kind) in certprep_domain::dispute::DisputeKind::ALL
        .iter()
        .enumerate()
    {
        let chosen = draft.kind == Some(*kind);
        lines.push(Line::from(vec![
            Span::raw(format!(" {} {} ", if chosen { ">" } else { " " }, n + 1)),
            if chosen {
                bold(kind.describe())
            } else {
                Span::raw(kind.describe())
            },
        ]));
    }
    lines.push(Line::from(bold(
        "Your note (type it; what you found, and where)",
    )));
    let mut note = text::wrap(
        &[(format!("{}▏", draft.note), Style::default())],
        inner.saturating_sub(1),
        vec![Span::raw(" ")],
        " ",
    );
    // The end of a long note stays in view, where the typing happens.
    let room = usize::from(
        area.height
            .saturating_sub(u16::try_from(lines.len()).unwrap_or(0) + 5),
    )
    .max(1);
    if note.len() > room {
        note = note.split_off(note.len() - room);
    }
    lines.extend(note);
    lines.push(Line::from(dim(" enter send · esc abandon · ⌫ delete")));
    let height = (u16::try_from(lines.len()).unwrap_or(20) + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Report a problem with this question "),
        ),
        popup,
    );
}
