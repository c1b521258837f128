//! The home screen: exams, what to do next, readiness in a line, unfinished and recent sessions.

use super::*;

/// What to do next, from the history.
pub fn next_step(app: &App) -> String {
    if let Some(s) = app.resumable() {
        return format!(
            "Resume your unfinished {} session of {} (r).",
            s.mode,
            s.exam.to_uppercase()
        );
    }
    let last_exam = app
        .history
        .iter()
        .find(|s| s.mode == "exam" && s.outcome.is_some());
    match last_exam.and_then(|s| s.outcome) {
        None if app.history.is_empty() => {
            "Start with a study session (s): one question at a time, with explanations.".into()
        }
        None => "Take a timed mock exam (e) under the real exam's rules.".into(),
        Some(o) if o.scaled_score < 700 => format!(
            "Last mock exam: {}. Practise what you missed (c), then take another (e).",
            o.scaled_score
        ),
        Some(o) => format!(
            "Last mock exam: {} (pass). Confirm on a fresh form (e); aim for 800+.",
            o.scaled_score
        ),
    }
}

pub(super) fn percent(p: f64) -> String {
    format!("{:.0}%", p * 100.0)
}

/// Why a failed mock exam can sit beside a pass probability of 50% or more: what each measures.
pub fn failed_mock_note(score: u32, skipped: u32) -> String {
    if skipped > 0 {
        format!(
            "Your last mock exam ({score}, fail) counted {skipped} unanswered questions as wrong; readiness judges the questions you answered."
        )
    } else {
        format!(
            "Your last mock exam ({score}, fail) was one form on one day; readiness judges your first answer to every question you have seen. Another mock exam shows which is nearer."
        )
    }
}

/// Readiness in words: no probability before there is evidence for one.
pub fn readiness_line(r: &ReadinessReport) -> String {
    if r.items_answered < MIN_ITEMS_FOR_READINESS {
        return format!(
            "Readiness: answer at least {MIN_ITEMS_FOR_READINESS} questions first ({} so far)",
            r.items_answered
        );
    }
    format!(
        "Pass probability {} ({}–{}), judged from your first answer to {} questions",
        percent(r.assessment.pass_probability),
        percent(r.assessment.interval[0]).trim_end_matches('%'),
        percent(r.assessment.interval[1]),
        r.items_answered,
    )
}

/// "12 due for review", or when the next item falls due.
pub fn review_line(q: &ReviewQueue) -> String {
    match (q.due.len(), q.next_due) {
        (0, Some(at)) => format!(
            "Nothing due for review; the next question falls due {}",
            at.format("%Y-%m-%d %H:%M UTC")
        ),
        (0, None) => "Nothing to review yet".into(),
        (n, _) => format!("{n} due for review"),
    }
}

pub(super) fn home(frame: &mut Frame, app: &App) {
    let [top, body, msg, keys] = frame_parts(frame.area(), 2, app);
    let width = body.width as usize;
    header(
        frame,
        top,
        " certprep · practise for your certification exam".into(),
    );
    let mut lines = vec![Line::from(bold("Exams"))];
    for (i, e) in app.exams.iter().enumerate() {
        let marker = if i == app.exam_cursor { "> " } else { "  " };
        let room = width
            .saturating_sub(11 + e.status.chars().count())
            .clamp(10, 60);
        lines.push(Line::from(vec![
            Span::raw(marker),
            bold(format!("{:<7}", e.code.to_uppercase())),
            Span::raw(format!("{:<room$} ", truncate(&e.title, room))),
            dim(e.status.clone()),
        ]));
    }
    lines.push(Line::default());
    let insight = &app.insight;
    let next = match &insight.next {
        Some(next) => format!("{} (n)", next.reason),
        None => next_step(app),
    };
    lines.extend(text::wrap(
        &[(next, Style::default())],
        width,
        vec![bold("Next: ")],
        "      ",
    ));
    if let Some(r) = &insight.readiness {
        let mut spans = vec![Span::raw(readiness_line(r))];
        if r.items_answered >= MIN_ITEMS_FOR_READINESS {
            spans.push(dim(" (p)"));
        }
        lines.push(Line::from(spans));
        // A failed mock beside a high probability: say what each one measures.
        let last_mock = app
            .history
            .iter()
            .find(|s| s.mode == "exam" && s.exam == insight.exam)
            .and_then(|s| s.outcome.map(|o| (s, o)));
        if let Some((s, o)) = last_mock
            && !o.passed
            && r.items_answered >= MIN_ITEMS_FOR_READINESS
            && r.assessment.pass_probability >= 0.5
        {
            lines.extend(text::wrap(
                &[(
                    failed_mock_note(o.scaled_score, s.items.saturating_sub(s.answered)),
                    Style::default().fg(Color::DarkGray),
                )],
                width,
                vec![],
                "",
            ));
        }
    }
    if let Some(q) = &insight.queue {
        lines.push(Line::from(vec![
            Span::raw(review_line(q)),
            dim(if q.due.is_empty() { "" } else { " (R)" }),
        ]));
    }
    lines.extend(report_lines(app, width));
    for r in &app.reminders {
        lines.extend(text::wrap(
            &[(r.clone(), Style::default().fg(Color::Yellow))],
            width,
            vec![bold("Renewal: ")],
            "  ",
        ));
    }
    let unfinished = app.unfinished();
    if !unfinished.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(bold("Unfinished (r resumes the first)")));
        for s in unfinished {
            let left = match s.deadline {
                Some(d) => format!(
                    "{} left, the clock is running",
                    clock((d - app.now()).num_milliseconds().max(0))
                ),
                None => "untimed".into(),
            };
            lines.push(Line::from(format!(
                "  {} {:<6} started {} · {} of {} answered · {left}",
                s.exam.to_uppercase(),
                s.mode,
                s.started_at.format("%Y-%m-%d %H:%M"),
                s.answered,
                s.items
            )));
        }
    }
    lines.push(Line::default());
    lines.push(Line::from(bold("Recent sessions (h: all, with results)")));
    if app.history.is_empty() {
        lines.push(Line::from(dim("  none yet")));
    }
    for s in app.history.iter().take(5) {
        lines.push(Line::from(truncate(
            &format!(
                "  {}  {:<7} {:<8} {}",
                s.started_at.format("%Y-%m-%d %H:%M"),
                s.exam.to_uppercase(),
                s.mode,
                s.result_text()
            ),
            width,
        )));
    }
    scrolled(frame, body, app, lines, None, None);
    message(frame, msg, app);
    hints(
        frame,
        keys,
        "↑↓ exam  n do next  a adaptive check  p readiness  R review due  ? help\ns study  e mock exam  c redo missed  r resume  h history  w worth it?  q quit",
    );
}

/// The user's reports of problems with items: how many are open, and the authors' latest
/// answers, so a reporter sees how a report was resolved.
pub(super) fn report_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    if app.reports.is_empty() {
        return vec![];
    }
    let open = app.reports.iter().filter(|d| d.is_open()).count();
    let mut lines = vec![Line::from(format!(
        "Your reports: {} open, {} answered",
        open,
        app.reports.len() - open
    ))];
    for d in app.reports.iter().filter(|d| !d.is_open()).take(2) {
        let text = format!(
            "#{} {} ({}): {}",
            d.id,
            d.resolution.map_or("", |r| r.as_str()),
            d.item_id,
            d.resolution_note.as_deref().unwrap_or_default()
        );
        lines.extend(text::wrap(
            &[(text, Style::default().fg(Color::DarkGray))],
            width,
            vec![Span::raw("  ")],
            "    ",
        ));
    }
    lines
}
