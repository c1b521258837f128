//! The score report, the answers after submission, and the history with its chart.

use super::*;

pub(super) fn bar(percent: f64) -> String {
    let filled = ((percent / 100.0) * BAR_WIDTH as f64)
        .round()
        .clamp(0.0, BAR_WIDTH as f64) as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(BAR_WIDTH - filled))
}

pub(super) fn results(frame: &mut Frame, app: &App) {
    let [top, body, msg, keys] = frame_parts(frame.area(), 1, app);
    let Some(r) = &app.report else {
        return home(frame, app);
    };
    let bank = &app.service.library.bank;
    let width = body.width as usize;
    header(
        frame,
        top,
        format!(" Results · {} · {}", r.exam.to_uppercase(), r.mode),
    );
    let limit = r.time_limit_ms.map_or_else(String::new, |l| {
        format!(" of {}", clock(i64::try_from(l).unwrap_or(0)))
    });
    let mut lines = adaptive_lines(r, width);
    if matches!(r.mode.as_str(), "study" | "custom") {
        lines.push(Line::from(bold(format!(
            "Practice score: {} of {} points ({:.0}%)",
            r.points, r.max_points, r.percent
        ))));
        lines.extend(text::wrap(
            &[("A practice session is not an exam form, so it has no scaled score or verdict; a mock exam (e) has.".into(), Style::default().fg(Color::DarkGray))],
            width,
            vec![],
            "",
        ));
    } else {
        let verdict = if r.passed {
            Span::styled(
                "PASS",
                Style::default()
                    .fg(Color::Green)
                    .add_modifier(Modifier::BOLD),
            )
        } else {
            Span::styled(
                "FAIL",
                Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            )
        };
        lines.push(Line::from(vec![
            bold(format!("Score {} / 1000  ", r.scaled_score)),
            verdict,
            Span::raw(format!("  ({} to pass)", r.passing_score)),
        ]));
    }
    lines.extend(text::wrap(
        &[(
            format!(
                "{} of {} points ({:.0}%) · {} of {} answered · time {}{}",
                r.points,
                r.max_points,
                r.percent,
                r.answered,
                r.items_total,
                clock(r.time_used_ms),
                limit
            ),
            Style::default(),
        )],
        width,
        vec![],
        "",
    ));
    if let Some(m) = &r.model {
        lines.extend(text::wrap(
            &[(
                format!(
                    "The calibrated item model estimates {} / 1000 for a typical form (ability {} ± {:.2}; {} of {} questions calibrated); the verdict above comes from your points.",
                    m.scaled,
                    signed(m.theta),
                    m.se,
                    m.calibrated_items,
                    r.items_total
                ),
                Style::default().fg(Color::DarkGray),
            )],
            width,
            vec![],
            "",
        ));
    }
    lines.push(Line::default());
    lines.push(Line::from(bold("Skill areas")));
    let title_room = width.saturating_sub(BAR_WIDTH + 8).clamp(10, 60);
    for d in &r.domains {
        let pct = if d.max_points == 0 {
            "  n/a".to_string()
        } else {
            format!("{:>4.0}%", d.percent)
        };
        lines.push(Line::from(format!(
            "{:<title_room$} {} {pct}",
            truncate(&d.title, title_room),
            bar(d.percent)
        )));
    }
    if !r.weakest.is_empty() {
        let titles: Vec<String> = r
            .weakest
            .iter()
            .map(|id| {
                r.domains
                    .iter()
                    .find(|d| &d.id == id)
                    .map_or_else(|| id.clone(), |d| d.title.clone())
            })
            .collect();
        lines.extend(text::wrap(
            &[(titles.join("; "), Style::default())],
            width,
            vec![bold("Weakest: ")],
            "  ",
        ));
    }
    lines.extend(text::wrap(
        &[(r.note.clone(), Style::default().fg(Color::DarkGray))],
        width,
        vec![],
        "",
    ));
    lines.push(Line::default());
    lines.push(Line::from(bold("Objectives, weakest first")));
    let mut objectives: Vec<_> = r.objectives.iter().collect();
    objectives.sort_by(|a, b| a.percent.total_cmp(&b.percent).then(a.id.cmp(&b.id)));
    for o in objectives {
        lines.push(Line::from(truncate(
            &format!(
                "{:>4.0}%  {:>2}/{:<2} {}",
                o.percent, o.points, o.max_points, o.title
            ),
            width,
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(bold("Questions (a: answers and explanations)")));
    for (i, it) in r.items.iter().enumerate() {
        let stem = bank
            .item(&it.item_id)
            .map_or_else(String::new, |x| x.stem.clone());
        let lead = format!(
            "Q{:<3} {}/{} {} {}",
            i + 1,
            it.points,
            it.max_points,
            clock(i64::try_from(it.time_spent_ms).unwrap_or(0)),
            match (it.answered, it.partial) {
                (true, _) => "",
                (false, true) => "partly answered ",
                (false, false) => "unanswered ",
            }
        );
        let room = width.saturating_sub(lead.chars().count() + 1).max(8);
        lines.push(Line::from(format!("{lead} {}", text::excerpt(&stem, room))));
    }
    scrolled(frame, body, app, lines, None, None);
    message(frame, msg, app);
    hints(
        frame,
        keys,
        "a answers and explanations   ↑↓ PgUp/PgDn scroll   h history   ? help   q home",
    );
}

/// The decision of an adaptive check, first on its results screen.
pub(super) fn adaptive_lines(r: &Report, width: usize) -> Vec<Line<'static>> {
    let Some(v) = &r.adaptive else {
        return vec![];
    };
    let colour = match v.outcome {
        AdaptiveOutcome::Pass => Color::Green,
        AdaptiveOutcome::Fail => Color::Red,
        AdaptiveOutcome::Undecided => Color::Yellow,
    };
    let style = Style::default().fg(colour).add_modifier(Modifier::BOLD);
    let mut lines = text::wrap(&[(v.describe(), style)], width, vec![], "");
    lines.push(Line::default());
    lines
}

pub(super) fn answers(frame: &mut Frame, app: &App) {
    let [top, body, msg, keys] = frame_parts(frame.area(), 1, app);
    let Some(item) = app.answered_item() else {
        return home(frame, app);
    };
    let total = app.session.as_ref().map_or(0, |s| s.items.len());
    header(
        frame,
        top,
        format!(
            " Answers · question {} of {total} · submitted, read-only",
            item.position
        ),
    );
    let width = body.width.saturating_sub(1) as usize;
    let laid = item_body(&item, None, Mode::Study, width);
    scrolled(frame, body, app, laid.lines, None, None);
    message(frame, msg, app);
    hints(
        frame,
        keys,
        "←→ question   ↑↓ PgUp/PgDn scroll   ! report a problem   ? help   q results",
    );
}

pub(super) fn history(frame: &mut Frame, app: &App) {
    let [top, body, msg, keys] = frame_parts(frame.area(), 1, app);
    header(
        frame,
        top,
        " History · mock exam scores, oldest to newest; every session below".into(),
    );
    let chart_height = if body.height >= 20 { 12 } else { 9 };
    let [chart_area, list_area] =
        Layout::vertical([Constraint::Length(chart_height), Constraint::Min(1)]).areas(body);
    let mocks: Vec<(chrono::NaiveDate, f64)> = app
        .history
        .iter()
        .rev()
        .filter(|s| matches!(s.mode.as_str(), "exam" | "adaptive"))
        .filter_map(|s| {
            s.outcome.map(|o| {
                (
                    s.submitted_at.unwrap_or(s.started_at).date_naive(),
                    f64::from(o.scaled_score),
                )
            })
        })
        .collect();
    let scored: Vec<(f64, f64)> = mocks
        .iter()
        .enumerate()
        .map(|(i, (_, s))| (i as f64 + 1.0, *s))
        .collect();
    let n = (scored.len() as f64 + 1.0).max(2.0);
    let pass = [(0.0, 700.0), (n, 700.0)];
    // Points as dots so a single mock exam shows; the line between them only when there are two.
    let mut datasets = vec![
        Dataset::default()
            .name("pass 700")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(Color::Red))
            .data(&pass),
        Dataset::default()
            .name("mock exam")
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(
                Style::default()
                    .fg(Color::Cyan)
                    .add_modifier(Modifier::BOLD),
            )
            .data(&scored),
    ];
    if scored.len() > 1 {
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::default().fg(Color::Cyan))
                .data(&scored),
        );
    }
    let first = mocks
        .first()
        .map_or_else(|| "no mock exam yet".to_string(), |(d, _)| d.to_string());
    let last = mocks
        .last()
        .map_or_else(String::new, |(d, _)| d.to_string());
    // Axis labels are spread evenly, so only evenly spaced values are honest; the legend names
    // the pass line's 700.
    let chart = Chart::new(datasets)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title("Mock exam scores"),
        )
        .x_axis(
            Axis::default()
                .title("exam")
                .bounds([0.0, n])
                .labels(vec![Line::from(first), Line::from(last)]),
        )
        .y_axis(Axis::default().bounds([0.0, 1000.0]).labels(vec![
            Line::from("0"),
            Line::from("500"),
            Line::from("1000"),
        ]))
        .legend_position(Some(LegendPosition::TopLeft))
        .hidden_legend_constraints((Constraint::Percentage(100), Constraint::Percentage(100)));
    frame.render_widget(chart, chart_area);
    let width = list_area.width as usize;
    let height = list_area.height as usize;
    let start = app.history_cursor.saturating_sub(height.saturating_sub(1));
    let lines: Vec<Line> = app
        .history
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, s)| {
            Line::from(vec![
                cursor_span(i == app.history_cursor),
                Span::raw(truncate(
                    &format!(
                        "{}  {:<7} {:<8} {}{}",
                        s.started_at.format("%Y-%m-%d %H:%M"),
                        s.exam.to_uppercase(),
                        s.mode,
                        s.result_text(),
                        s.form
                            .as_deref()
                            .map(|f| format!("  form {f}"))
                            .unwrap_or_default()
                    ),
                    width.saturating_sub(2),
                )),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list_area);
    message(frame, msg, app);
    hints(
        frame,
        keys,
        "↑↓ session   enter open (results, then a: answers)   ? help   q home",
    );
}
