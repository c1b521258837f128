//! Readiness in detail: the pass probability in words, ability by domain, the trend.

use super::*;

pub(super) const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A probability series as one character per point.
pub fn sparkline(values: impl IntoIterator<Item = f64>) -> String {
    values
        .into_iter()
        .map(|p| {
            let i = (p.clamp(0.0, 1.0) * (SPARKS.len() - 1) as f64).round() as usize;
            SPARKS[i.min(SPARKS.len() - 1)]
        })
        .collect()
}

/// A signed ability with two decimals, without a "-0.00".
pub(super) fn signed(x: f64) -> String {
    let x = if x.abs() < 0.005 { 0.0 } else { x };
    format!("{x:+.2}")
}

/// The readiness screen's text at a width: plain words first, the ability scale below.
pub fn readiness_lines(r: &ReadinessReport, width: usize) -> Vec<Line<'static>> {
    let mut lines = vec![];
    let plain = |t: String| (t, Style::default());
    if r.items_answered < MIN_ITEMS_FOR_READINESS {
        lines.push(Line::from(bold("Pass probability: not yet.")));
        lines.extend(text::wrap(
            &[plain(format!(
                "Answer at least {MIN_ITEMS_FOR_READINESS} questions before it means anything; you have answered {}. The adaptive check (a on the home screen) finds your level in about 15 questions.",
                r.items_answered
            ))],
            width,
            vec![],
            "",
        ));
    } else {
        let p = r.assessment.pass_probability;
        let words = match p {
            p if p >= 0.8 => "You are likely to pass today.",
            p if p >= 0.5 => "You are more likely than not to pass, but not by much.",
            p if p >= 0.2 => "You are not yet likely to pass.",
            _ => "You would very likely not pass yet.",
        };
        lines.push(Line::from(bold(words)));
        lines.extend(text::wrap(
            &[plain(format!(
                "Pass probability {} (95%: {}–{}): the chance of reaching the passing standard on a real form, judged from your first answer to {} questions. A mock exam's report decides the same thing on one form.",
                percent(p),
                percent(r.assessment.interval[0]),
                percent(r.assessment.interval[1]),
                r.items_answered
            ))],
            width,
            vec![],
            "",
        ));
    }
    lines.push(Line::default());
    lines.extend(text::wrap(
        &[(
            format!(
                "On the ability scale: {} ± {:.2} against the cut {} (above it with {} probability); expected {} of a form's points (about {} / 1000; pass at {}%).",
                signed(r.assessment.theta),
                r.assessment.se,
                signed(r.assessment.cut),
                percent(r.assessment.above_cut),
                percent(r.assessment.expected_share),
                r.scaled_estimate,
                r.passing_standard
            ),
            Style::default().fg(Color::DarkGray),
        )],
        width,
        vec![],
        "",
    ));
    lines.push(Line::default());
    let name = width.saturating_sub(38).clamp(12, 50);
    lines.push(Line::from(vec![
        bold(format!("{:<name$}", "Skill areas")),
        dim(format!(
            " {:>6} {:>12} {:>9} {:>5}",
            "weight", "ability ± SE", "above cut", "items"
        )),
    ]));
    for d in &r.domains {
        lines.push(Line::from(format!(
            "{:<name$} {:>6} {:>12} {:>9} {:>5}",
            truncate(&d.title, name),
            format!("{:.0}%", d.weight),
            if d.items_answered == 0 {
                "–".to_string()
            } else {
                format!("{} ± {:.2}", signed(d.theta), d.se)
            },
            if d.items_answered == 0 {
                "–".to_string()
            } else {
                percent(d.above_cut)
            },
            d.items_answered
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(bold(
        "Trend (pass probability per day with answers)",
    )));
    match (r.timeline.first(), r.timeline.last()) {
        (Some(first), Some(last)) => {
            lines.push(Line::from(vec![
                coloured(
                    sparkline(r.timeline.iter().map(|p| p.pass_probability)),
                    Color::Cyan,
                ),
                Span::raw(format!(
                    "  {} → {}",
                    first.date.format("%Y-%m-%d"),
                    last.date.format("%Y-%m-%d")
                )),
            ]));
            for p in r.timeline.iter().rev().take(5) {
                lines.push(Line::from(truncate(
                    &format!(
                        "  {}  {:>4} ({}–{})  ability {} ± {:.2}  {} questions",
                        p.date.format("%Y-%m-%d"),
                        percent(p.pass_probability),
                        percent(p.interval[0]),
                        percent(p.interval[1]),
                        signed(p.theta),
                        p.se,
                        p.items_answered
                    ),
                    width,
                )));
            }
        }
        _ => lines.push(Line::from(dim("  no answers yet"))),
    }
    lines.push(Line::default());
    lines.push(Line::from(bold(truncate(
        &match r.exam_date {
            Some(d) => format!("Weakest recall on your exam date, {d}"),
            None => format!(
                "Weakest recall today (set an exam date: certprep plan --exam {} --date …)",
                r.exam
            ),
        },
        width,
    ))));
    let mut objectives: Vec<_> = r
        .objectives
        .iter()
        .filter(|o| o.projection.items > 0)
        .collect();
    objectives.sort_by(|a, b| {
        a.projection
            .expected_recall
            .total_cmp(&b.projection.expected_recall)
            .then(a.id.cmp(&b.id))
    });
    for o in objectives.iter().take(5) {
        lines.push(Line::from(truncate(
            &format!(
                "{:>4}  {}/{} studied  {}",
                percent(o.projection.expected_recall),
                o.projection.studied,
                o.projection.items,
                o.title
            ),
            width,
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(dim(format!(
        "{} of {} questions of the outline are calibrated.",
        r.calibrated_items, r.outline_items
    ))));
    if let Some(note) = &r.standard_note {
        lines.extend(text::wrap(
            &[(note.clone(), Style::default().fg(Color::DarkGray))],
            width,
            vec![],
            "",
        ));
    }
    lines.extend(text::wrap(
        &[(r.note.to_string(), Style::default().fg(Color::DarkGray))],
        width,
        vec![],
        "",
    ));
    lines
}

pub(super) fn readiness(frame: &mut Frame, app: &App) {
    let [top, body, msg, keys] = frame_parts(frame.area(), 1, app);
    let Some(r) = &app.insight.readiness else {
        return home(frame, app);
    };
    header(
        frame,
        top,
        format!(
            " Readiness · {} · outline {}",
            r.exam.to_uppercase(),
            r.outline
        ),
    );
    let lines = readiness_lines(r, body.width as usize);
    scrolled(frame, body, app, lines, None, None);
    message(frame, msg, app);
    hints(frame, keys, "↑↓ PgUp/PgDn scroll   ? help   q home");
}
