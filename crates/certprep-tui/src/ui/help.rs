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
