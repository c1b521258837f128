//! The question screen and the layout of every item type, with the answer being edited.

use super::*;

pub(super) fn item_screen(frame: &mut Frame, app: &App) {
    let (Some(view), Some(item), Some(session)) = (
        &app.view,
        app.view.as_ref().and_then(|v| v.current.as_ref()),
        &app.session,
    ) else {
        return home(frame, app);
    };
    let [top, body, msg, keys] = frame_parts(frame.area(), 2, app);
    let time = match view.remaining_ms {
        Some(ms) if view.paused => format!("{} left (paused)", clock(ms)),
        Some(ms) => format!("{} left", clock(ms)),
        None => "untimed".into(),
    };
    let adaptive = session
        .adaptive
        .as_ref()
        .filter(|_| view.mode == Mode::Adaptive);
    let title = match adaptive {
        Some(record) => format!(
            " {} · Readiness check · question {} of at most {}",
            view.exam.to_uppercase(),
            item.position,
            record.max_items
        ),
        None => {
            // The section's name comes last: on a narrow terminal it is what gives way.
            let section = session
                .current_section()
                .filter(|_| session.sections.len() > 1)
                .map(|k| format!(" · {}", section_name(session, &app.service.library.bank, k)))
                .unwrap_or_default();
            format!(
                " {} {} · question {}/{}{} · {} answered{section}",
                view.exam.to_uppercase(),
                mode_label(view.mode),
                item.position,
                view.items.len(),
                if item.marked { " ★" } else { "" },
                view.answered,
            )
        }
    };
    header_with(frame, top, title, &time);
    let body_area = match &item.case_study {
        Some(case) => {
            let [tabs_area, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
            let mut titles = vec![Line::from("Question")];
            titles.extend(case.tabs.iter().map(|t| Line::from(t.name.clone())));
            frame.render_widget(
                Tabs::new(titles)
                    .select(app.tab)
                    .highlight_style(Style::default().add_modifier(Modifier::REVERSED)),
                tabs_area,
            );
            rest
        }
        None => body,
    };
    let width = body_area.width.saturating_sub(1) as usize;
    if app.tab > 0 {
        let lines = item
            .case_study
            .as_ref()
            .and_then(|c| c.tabs.get(app.tab - 1))
            .map(|t| text::markdown(&t.content, width))
            .unwrap_or_default();
        scrolled(frame, body_area, app, lines, None, None);
    } else {
        let laid = item_body(item, app.draft.as_ref(), view.mode, width);
        scrolled(frame, body_area, app, laid.lines, laid.cursor, laid.result);
    }
    message(frame, msg, app);
    hints(frame, keys, &item_hints(item, view.mode, app.tab > 0));
}

pub(super) fn mode_label(mode: Mode) -> &'static str {
    match mode {
        Mode::Exam => "mock exam",
        Mode::Study => "study",
        Mode::Custom => "practice",
        Mode::Adaptive => "readiness check",
    }
}

pub(super) fn item_hints(item: &PresentedItem, mode: Mode, reading_case: bool) -> String {
    if reading_case {
        return "t next tab  esc question  ↑↓ PgUp/PgDn scroll  ←→ prev/next  ? help".into();
    }
    let answer = match item.kind {
        ItemKind::Single => "↑↓ option  space choose",
        ItemKind::Multiple => "↑↓ option  space tick",
        ItemKind::Order => "↑↓ action  space add/remove  + - move",
        ItemKind::Match => "↑↓ target  a-h put source  ⌫ clear",
        ItemKind::Dropdown => "↑↓ drop-down  space next choice  a-h pick",
        ItemKind::YesNo => "↑↓ statement  y yes  n no",
        ItemKind::Solution => "y yes  n no",
    };
    let save = if item.feedback.is_some() {
        "checked  ! report a problem"
    } else if mode.gives_feedback() {
        "enter check"
    } else {
        "enter save"
    };
    let moves = if mode == Mode::Adaptive {
        "each answer is final   PgUp/PgDn scroll   ? help   q home (resume later)"
    } else {
        "←→ prev/next  m mark  v review  S finish  PgUp/PgDn scroll  ? help  q home"
    };
    format!(
        "{answer}  {save}  1-3 confidence{}\n{moves}",
        if item.case_study.is_some() {
            "  t case"
        } else {
            ""
        }
    )
}

/// An item laid out for the screen: its lines, where the cursor's row is, where the result is.
pub struct Laid {
    pub lines: Vec<Line<'static>>,
    pub cursor: Option<(usize, usize)>,
    pub result: Option<usize>,
}

pub(super) fn cursor_span(on: bool) -> Span<'static> {
    if on { bold("> ") } else { Span::raw("  ") }
}

/// A row of the answer area: a marker, then the text wrapped with a hanging indent.
pub(super) fn row(
    out: &mut Vec<Line<'static>>,
    width: usize,
    lead: Vec<Span<'static>>,
    md: &str,
) -> (usize, usize) {
    let indent = " ".repeat(lead.iter().map(|s| s.content.chars().count()).sum());
    let first = out.len();
    out.extend(text::wrap(&text::inline(md), width, lead, &indent));
    (first, out.len() - 1)
}

pub(super) fn key_labels(item: &PresentedItem) -> Vec<Option<char>> {
    match item.feedback.as_ref().map(|f| &f.key) {
        Some(Answer::Choice(c)) => vec![Some(*c)],
        Some(Answer::Labels(v)) => v.clone(),
        _ => vec![],
    }
}

/// The question and the answer area, with the draft's choices and the cursor; and, once the
/// rules allow, each choice marked against the key and the explanation.
pub fn item_body(item: &PresentedItem, draft: Option<&Draft>, mode: Mode, width: usize) -> Laid {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut cursor = None;
    let empty = Draft::of(item);
    let d = draft.unwrap_or(&empty);
    let key = key_labels(item);
    let checked = item.feedback.is_some();
    if let Some(case) = &item.case_study {
        lines.push(Line::from(dim(truncate(
            &format!("Case study: {} (t shows its tabs)", case.title),
            width,
        ))));
    }
    if let Some(series) = &item.series {
        lines.extend(text::wrap(
            &[(
                series.note.to_string(),
                Style::default().fg(Color::DarkGray),
            )],
            width,
            vec![],
            "",
        ));
        lines.push(Line::default());
        lines.extend(text::markdown(&series.scenario, width));
        lines.push(Line::default());
    }
    lines.push(Line::from(vec![
        bold(format!("Question {}", item.position)),
        dim(format!("  {}", item.type_description)),
    ]));
    if item.kind == ItemKind::Dropdown {
        lines.extend(stem_with_slots(item, d, width));
    } else {
        lines.extend(text::markdown(&item.stem, width));
    }
    lines.push(Line::default());
    match item.kind {
        ItemKind::Single | ItemKind::Multiple => {
            if let Some(n) = item.choose {
                lines.push(Line::from(bold(format!(
                    "Choose {n} ({} chosen).",
                    d.labels.len()
                ))));
            }
            for (i, o) in item.options.iter().enumerate() {
                let chosen = d.labels.contains(&o.label);
                let mark = match (item.kind, chosen) {
                    (ItemKind::Single, true) => "(•) ",
                    (ItemKind::Single, false) => "( ) ",
                    (_, true) => "[x] ",
                    (_, false) => "[ ] ",
                };
                let verdict = checked.then(|| match (chosen, key.contains(&Some(o.label))) {
                    (true, true) => coloured("✓ ", Color::Green),
                    (true, false) => coloured("✗ ", Color::Red),
                    (false, true) => coloured("→ ", Color::Green),
                    (false, false) => Span::raw("  "),
                });
                let mut lead = vec![cursor_span(i == d.cursor)];
                lead.extend(verdict);
                lead.push(Span::raw(mark));
                lead.push(bold(format!("{}. ", o.label)));
                let span = row(&mut lines, width, lead, &o.text);
                if i == d.cursor {
                    cursor = Some(span);
                }
            }
            if checked {
                lines.push(Line::from(dim(
                    "✓ your correct choice · ✗ your wrong choice · → a key you did not choose",
                )));
            }
        }
        ItemKind::Order => {
            let places = item.places.unwrap_or(0);
            lines.push(Line::from(bold(format!(
                "Choose {places} actions and put them in order ({} chosen).",
                d.labels.len()
            ))));
            for (i, a) in item.actions.iter().enumerate() {
                let place = d
                    .labels
                    .iter()
                    .position(|l| *l == a.label)
                    .map_or_else(|| "[ ] ".to_string(), |p| format!("[{}] ", p + 1));
                let lead = vec![
                    cursor_span(i == d.cursor),
                    Span::raw(place),
                    bold(format!("{}. ", a.label)),
                ];
                let span = row(&mut lines, width, lead, &a.text);
                if i == d.cursor {
                    cursor = Some(span);
                }
            }
            let seq: Vec<String> = d.labels.iter().map(char::to_string).collect();
            lines.push(Line::from(vec![
                bold("Answer area: "),
                Span::raw(if seq.is_empty() {
                    "(empty)".into()
                } else {
                    seq.join(" → ")
                }),
            ]));
            if checked {
                let k: Vec<String> = key.iter().flatten().map(char::to_string).collect();
                lines.push(Line::from(vec![
                    bold("Correct order: "),
                    coloured(k.join(" → "), Color::Green),
                ]));
            }
        }
        ItemKind::Match => {
            lines.push(Line::from(bold(if item.reuse == Some(true) {
                "Sources (each may be used more than once)"
            } else {
                "Sources (each may be used once)"
            })));
            for s in &item.sources {
                row(
                    &mut lines,
                    width,
                    vec![Span::raw("  "), bold(format!("{}. ", s.label))],
                    &s.text,
                );
            }
            lines.push(Line::from(bold("Targets")));
            for (i, t) in item.targets.iter().enumerate() {
                let placed = d.parts.get(i).copied().flatten();
                let mut lead = vec![
                    cursor_span(i == d.cursor),
                    Span::raw(placed.map_or_else(|| "[ ] ".to_string(), |l| format!("[{l}] "))),
                ];
                if checked {
                    let right = placed.is_some() && placed == key.get(i).copied().flatten();
                    lead.push(if right {
                        coloured("✓ ", Color::Green)
                    } else {
                        coloured(
                            format!("✗ key {} ", key.get(i).copied().flatten().unwrap_or('?')),
                            Color::Red,
                        )
                    });
                }
                lead.push(Span::raw(format!("{}. ", t.number)));
                let span = row(&mut lines, width, lead, &t.text);
                if i == d.cursor {
                    cursor = Some(span);
                }
            }
        }
        ItemKind::Dropdown => {
            for (i, s) in item.slots.iter().enumerate() {
                let picked = d.parts.get(i).copied().flatten();
                let shown = picked
                    .and_then(|l| s.choices.iter().find(|c| c.label == l))
                    .map_or_else(
                        || "(choose)".to_string(),
                        |c| format!("{}. {}", c.label, text::plain_inline(&c.text)),
                    );
                let mut lead = vec![
                    cursor_span(i == d.cursor),
                    bold(format!("Drop-down {}: ", s.number)),
                ];
                if checked {
                    let right = picked.is_some() && picked == key.get(i).copied().flatten();
                    lead.push(if right {
                        coloured("✓ ", Color::Green)
                    } else {
                        coloured("✗ ", Color::Red)
                    });
                }
                let first = lines.len();
                lines.extend(text::wrap(
                    &[(format!("[{shown} ▾]"), Style::default())],
                    width,
                    lead,
                    "      ",
                ));
                if i == d.cursor && !checked {
                    for c in &s.choices {
                        row(
                            &mut lines,
                            width,
                            vec![Span::raw("      "), dim(format!("{}. ", c.label))],
                            &c.text,
                        );
                    }
                }
                if i == d.cursor {
                    cursor = Some((first, lines.len() - 1));
                }
            }
        }
        ItemKind::YesNo | ItemKind::Solution => {
            let answers = match item.feedback.as_ref().map(|f| &f.key) {
                Some(Answer::YesNo(v)) => v.clone(),
                Some(Answer::Bool(b)) => vec![Some(*b)],
                _ => vec![],
            };
            for (i, s) in item.statements.iter().enumerate() {
                let v = d.yes_no.get(i).copied().flatten();
                let lead = if item.kind == ItemKind::Solution {
                    vec![cursor_span(i == d.cursor), bold("Solution: ")]
                } else {
                    vec![
                        cursor_span(i == d.cursor),
                        Span::raw(format!("{}. ", s.number)),
                    ]
                };
                let (first, _) = row(&mut lines, width, lead, &s.text);
                if item.kind == ItemKind::Solution {
                    lines.push(Line::from("   Does the solution meet the goal?"));
                }
                let yes = if v == Some(true) { "(•)" } else { "( )" };
                let no = if v == Some(false) { "(•)" } else { "( )" };
                let mut spans = vec![Span::raw(format!("     Yes {yes}   No {no}"))];
                if checked {
                    let k = answers.get(i).copied().flatten();
                    spans.push(if v.is_some() && v == k {
                        coloured("   ✓", Color::Green)
                    } else {
                        coloured(
                            format!(
                                "   ✗ the answer is {}",
                                if k == Some(true) { "Yes" } else { "No" }
                            ),
                            Color::Red,
                        )
                    });
                }
                lines.push(Line::from(spans));
                if i == d.cursor {
                    cursor = Some((first, lines.len() - 1));
                }
            }
        }
    }
    if let Some(c) = d.confidence {
        lines.push(Line::from(dim(format!(
            "confidence: {}",
            Draft::confidence_label(c)
        ))));
    }
    if d.dirty && !checked {
        lines.push(Line::from(dim(match mode {
            Mode::Exam => "(not saved yet: enter or moving on saves it)",
            Mode::Adaptive => "(not saved yet: enter saves it, and it is final)",
            Mode::Study | Mode::Custom => "(enter checks your answer)",
        })));
    }
    let mut result = None;
    if let Some(f) = &item.feedback {
        lines.push(Line::default());
        result = Some(lines.len());
        let colour = if f.points == f.max_points {
            Color::Green
        } else {
            Color::Red
        };
        lines.push(Line::from(Span::styled(
            format!(
                "Result for question {}: {} of {} points",
                item.position, f.points, f.max_points
            ),
            Style::default().fg(colour).add_modifier(Modifier::BOLD),
        )));
        lines.extend(text::markdown(&f.explanation, width));
        for n in &f.notes {
            row(
                &mut lines,
                width,
                vec![Span::raw("• "), bold(format!("{}: ", n.part))],
                &n.note.replace('\n', " "),
            );
        }
        for r in &f.references {
            lines.push(Line::from(dim(truncate(&format!("→ {}", r.url), width))));
        }
    }
    Laid {
        lines,
        cursor,
        result,
    }
}

/// The stem of a drop-down item with each drop-down in its place, showing its choice.
pub(super) fn stem_with_slots(item: &PresentedItem, d: &Draft, width: usize) -> Vec<Line<'static>> {
    let mut stem = item.stem.clone();
    for (i, s) in item.slots.iter().enumerate() {
        let picked = d
            .parts
            .get(i)
            .copied()
            .flatten()
            .and_then(|l| s.choices.iter().find(|c| c.label == l))
            .map_or_else(
                || format!("▾{}", s.number),
                |c| format!("▾{} {}", s.number, text::plain_inline(&c.text)),
            );
        stem = stem.replace(&format!("{{{{{}}}}}", s.number), &format!("[{picked}]"));
    }
    text::markdown(&stem, width)
}
