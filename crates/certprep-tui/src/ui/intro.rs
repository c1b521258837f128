//! The screens before the questions: a mock exam's overview and a case study's introduction.

use super::*;

pub(super) fn overview(frame: &mut Frame, app: &App) {
    let [top, body, msg, keys] = frame_parts(frame.area(), 1, app);
    let Some(session) = &app.session else {
        return home(frame, app);
    };
    let bank = &app.service.library.bank;
    let exam = app.service.exam(session.exam.as_str()).ok();
    header(
        frame,
        top,
        format!(" {} · Mock exam · overview", session.exam.display()),
    );
    let width = body.width as usize;
    let mut lines = vec![
        Line::from(bold(exam.map_or_else(String::new, |e| e.title.clone()))),
        Line::default(),
        Line::from(format!(
            "{} questions · {} of exam time · pass at {} of 1000",
            session.items.len(),
            session.time_limit_ms.map_or_else(
                || "no limit".into(),
                |ms| clock(i64::try_from(ms).unwrap_or(0))
            ),
            exam.map_or(700, |e| e.passing_score)
        )),
        Line::default(),
        Line::from(bold("Sections, in order")),
    ];
    for (k, s) in session.sections.iter().enumerate() {
        lines.push(Line::from(format!(
            "  {}. {} ({})",
            k + 1,
            section_name(session, bank, k),
            count(s.items.len(), "question")
        )));
    }
    lines.push(Line::default());
    for rule in [
        "The clock is running now, and keeps running while the app is closed.",
        "Inside a section you can move freely, mark questions for review and change answers.",
        "Leaving a section locks it: you are asked first, with its unanswered and marked questions.",
        "An answered question of a yes/no series cannot be revisited.",
        "Unanswered questions earn nothing; there is no penalty for guessing.",
    ] {
        lines.extend(text::wrap(
            &[(rule.to_string(), Style::default())],
            width,
            vec![Span::raw("• ")],
            "  ",
        ));
    }
    if session.open_book {
        lines.extend(text::wrap(
            &[(
                certprep_service::OPEN_BOOK_NOTE.to_string(),
                Style::default().fg(Color::DarkGray),
            )],
            width,
            vec![Span::raw("• ")],
            "  ",
        ));
    }
    scrolled(frame, body, app, lines, None, None);
    message(frame, msg, app);
    hints(
        frame,
        keys,
        "enter begin   ? help   q home (the clock keeps running)",
    );
}

pub(super) fn case_intro(frame: &mut Frame, app: &App) {
    let [top, body, msg, keys] = frame_parts(frame.area(), 1, app);
    let Some(session) = &app.session else {
        return home(frame, app);
    };
    let section = session.current_section().unwrap_or(0);
    let name = section_name(session, &app.service.library.bank, section);
    header(frame, top, format!(" {} · {name}", session.exam.display()));
    let width = body.width as usize;
    let questions = session.sections.get(section).map_or(0, |s| s.items.len());
    let mut lines = vec![Line::from(bold(name)), Line::default()];
    for p in [
        format!("This case study has {}. It is not timed separately: the exam's clock goes on.", count(questions, "question")),
        "Answer from the case material: t shows its tabs from any question, and your answer stays as it is.".to_string(),
        "Information in one question does not carry over to the others.".to_string(),
        "You can move freely between the case's questions and mark them for review.".to_string(),
        "Once you leave the case study you cannot return to it.".to_string(),
    ] {
        lines.extend(text::wrap(&[(p, Style::default())], width, vec![Span::raw("• ")], "  "));
    }
    scrolled(frame, body, app, lines, None, None);
    message(frame, msg, app);
    hints(frame, keys, "enter first question   ? help   q home");
}
