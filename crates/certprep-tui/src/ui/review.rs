//! The review screen of the current section, with the other sections summarised.

use super::*;

/// Cursor, question number, status and mark before each review line's excerpt.
pub(super) const REVIEW_LEAD_WIDTH: usize = 2 + 5 + 11 + 2;

pub(super) fn review(frame: &mut Frame, app: &App) {
    let [top, body, msg, keys] = frame_parts(frame.area(), 1, app);
    let (Some(view), Some(session)) = (&app.view, &app.session) else {
        return home(frame, app);
    };
    let bank = &app.service.library.bank;
    let width = body.width as usize;
    let section = session.current_section().unwrap_or(0);
    let unanswered = view.review.iter().filter(|e| !e.answered).count();
    let marked = view.review.iter().filter(|e| e.marked).count();
    header(
        frame,
        top,
        format!(
            " Review · {} · {unanswered} unanswered · {marked} marked",
            section_name(session, bank, section)
        ),
    );
    let mut lines = Vec::new();
    let mut cursor = None;
    for (i, e) in view.review.iter().enumerate() {
        let stem = bank.item(&e.item_id).map_or_else(String::new, |it| {
            text::excerpt(&it.stem, width.saturating_sub(REVIEW_LEAD_WIDTH).max(10))
        });
        let status = if e.answered {
            Span::raw("answered   ")
        } else if e.partial {
            coloured("PARTLY     ", Color::Yellow)
        } else {
            coloured("UNANSWERED ", Color::Red)
        };
        if i == app.review_cursor {
            cursor = Some((lines.len(), lines.len()));
        }
        lines.push(Line::from(vec![
            cursor_span(i == app.review_cursor),
            bold(format!("Q{:<4}", e.position)),
            status,
            Span::raw(if e.marked { "★ " } else { "  " }),
            Span::raw(stem),
        ]));
    }
    if view.review.len() < session.sections[section].items.len() {
        lines.push(Line::from(dim(
            "Questions of a yes/no series are not listed: they cannot be revisited.",
        )));
    }
    let others: Vec<usize> = (0..session.sections.len())
        .filter(|k| *k != section)
        .collect();
    if !others.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(bold("Other sections")));
        for k in others {
            let s = session.section_summary(k);
            let text = format!(
                "{}: {}, {} answered, {} unanswered, {} marked{}",
                section_name(session, bank, k),
                count(s.items, "question"),
                s.answered,
                s.unanswered(),
                s.marked,
                if s.locked {
                    " · locked (you left it)"
                } else if k > section {
                    " · ahead"
                } else {
                    ""
                }
            );
            lines.extend(text::wrap(
                &[(text, Style::default())],
                width,
                vec![Span::raw("  ")],
                "    ",
            ));
        }
    }
    scrolled(frame, body, app, lines, cursor, None);
    message(frame, msg, app);
    hints(
        frame,
        keys,
        "↑↓ question   enter go to it   S finish   ? help   v/esc back",
    );
}
