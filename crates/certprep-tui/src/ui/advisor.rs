//! Is it worth it: the advice for the profile the user gave, the study plan with planned and
//! logged hours per week, and the real results with renewal. Answers are given with
//! `certprep advise` (questions in a shell) or on the web; this screen reads them.

use certprep_advisor::{PlanStatus, money, trim_number};

use super::*;
use crate::app::AdvisorView;

/// A bar of `cells` for `value` of `max`.
fn bar(value: f64, max: f64, cells: usize) -> String {
    let n = if max > 0.0 {
        ((value / max) * cells as f64).round() as usize
    } else {
        0
    };
    "█".repeat(n.min(cells))
}

fn para(lines: &mut Vec<Line<'static>>, text: String, width: usize, indent: &str) {
    lines.extend(text::wrap(
        &[(text, Style::default())],
        width,
        vec![Span::raw(indent.to_string())],
        indent,
    ));
}

/// The advisor screen's text at a width.
pub fn advisor_lines(v: &AdvisorView, width: usize) -> Vec<Line<'static>> {
    let mut lines = vec![];
    match &v.advice {
        Ok(a) => {
            lines.push(Line::from(vec![
                bold(format!("{}: ", a.exam.to_uppercase())),
                bold(a.recommendation_label.to_uppercase()),
            ]));
            for r in &a.reasons {
                let mark = if r.recommends.is_some() { "! " } else { "+ " };
                lines.extend(text::wrap(
                    &[(r.text.clone(), Style::default())],
                    width,
                    vec![Span::raw(mark.to_string())],
                    "  ",
                ));
            }
            if !a.not_weighed.is_empty() {
                lines.extend(text::wrap(
                    &[(
                        format!(
                            "Not weighed (you did not say): {}. Press e to answer.",
                            a.not_weighed.join(", ")
                        ),
                        Style::default().fg(Color::DarkGray),
                    )],
                    width,
                    vec![],
                    "",
                ));
            }
            lines.push(Line::default());
            let c = &a.cost;
            lines.push(Line::from(bold(format!(
                "Cost {}–{}",
                money(c.min, &c.currency),
                money(c.max, &c.currency)
            ))));
            for i in &c.items {
                let range = i.range_text();
                let flag = i.standing();
                lines.push(Line::from(format!(
                    "  {:<32} {:>14}  {flag}",
                    i.label, range
                )));
            }
            lines.push(Line::default());
            lines.push(Line::from(bold(format!(
                "Time {}–{} hours",
                a.hours.min, a.hours.max
            ))));
            for r in a.hours.reasoning.iter().skip(1) {
                para(&mut lines, r.clone(), width, "  ");
            }
            if let Some(co) = &a.carry_over {
                lines.push(Line::default());
                para(
                    &mut lines,
                    format!(
                        "{:.0}% of {} carries over to {}; {} of its objectives are new to you.",
                        co.share * 100.0,
                        co.basis,
                        co.to.split('@').next().unwrap_or(&co.to).to_uppercase(),
                        co.new_to_you.len()
                    ),
                    width,
                    "",
                );
            }
        }
        Err(e) => para(&mut lines, format!("No advice: {e}"), width, ""),
    }
    lines.push(Line::default());
    match &v.plan {
        Some(view) => {
            let p = &view.plan;
            let colour = match p.status {
                PlanStatus::Reachable => Color::Green,
                PlanStatus::Tight => Color::Yellow,
                PlanStatus::Unreachable => Color::Red,
            };
            lines.push(Line::from(bold(format!(
                "Plan to {}: {} h a week, {} weeks",
                p.exam_date,
                trim_number(p.hours_per_week),
                p.weeks.len()
            ))));
            lines.extend(text::wrap(
                &[(p.message.clone(), Style::default().fg(colour))],
                width,
                vec![],
                "",
            ));
            para(&mut lines, view.progress.message.clone(), width, "");
            let top = view
                .progress
                .weeks
                .iter()
                .map(|w| w.planned.max(w.logged))
                .fold(0.0, f64::max);
            let cells = width.saturating_sub(24).clamp(4, 30);
            for w in view.progress.weeks.iter().filter(|w| w.start <= view.today) {
                lines.push(Line::from(vec![
                    Span::raw(format!("  W{:<2} plan  ", w.number)),
                    coloured(
                        format!("{:<cells$}", bar(w.planned, top, cells)),
                        Color::Blue,
                    ),
                    Span::raw(format!(" {:>5}", trim_number(w.planned))),
                ]));
                lines.push(Line::from(vec![
                    Span::raw("      done  ".to_string()),
                    coloured(
                        format!("{:<cells$}", bar(w.logged, top, cells)),
                        Color::Green,
                    ),
                    Span::raw(format!(
                        " {:>5}",
                        trim_number((w.logged * 4.0).round() / 4.0 + 0.0)
                    )),
                ]));
            }
            if let Some(w) = p
                .weeks
                .iter()
                .find(|w| w.start <= view.today && view.today <= w.end)
            {
                lines.push(Line::from(bold(format!(
                    "This week ({} h)",
                    trim_number(w.hours)
                ))));
                for a in &w.activities {
                    para(
                        &mut lines,
                        format!("{} h  {}", trim_number(a.hours), a.label),
                        width,
                        "  ",
                    );
                }
            }
        }
        None => para(
            &mut lines,
            format!(
                "No study plan yet: certprep plan --exam {} --date YYYY-MM-DD --hours-per-week N",
                v.exam
            ),
            width,
            "",
        ),
    }
    lines.push(Line::default());
    if v.results.is_empty() {
        para(
            &mut lines,
            "Sat the exam? Record it: certprep result record --exam CODE --date YYYY-MM-DD --outcome pass|fail".into(),
            width,
            "",
        );
    }
    for r in &v.results {
        lines.push(Line::from(bold(format!(
            "{} on {}: {}{}",
            r.result.exam.to_uppercase(),
            r.result.taken_on,
            if r.result.passed {
                "passed"
            } else {
                "not passed"
            },
            r.result
                .score
                .map(|s| format!(" ({s})"))
                .unwrap_or_default()
        ))));
        para(&mut lines, r.comparison.clone(), width, "  ");
        if let Some(renewal) = &r.renewal {
            para(&mut lines, renewal.message.clone(), width, "  ");
        }
    }
    lines
}

pub(super) fn advisor(frame: &mut Frame, app: &App) {
    let [top, body, msg, keys] = frame_parts(frame.area(), 1, app);
    let Some(v) = &app.advisor else {
        return home(frame, app);
    };
    header(
        frame,
        top,
        format!(" Is it worth it? · {}", v.exam.to_uppercase()),
    );
    let lines = advisor_lines(v, body.width as usize);
    scrolled(frame, body, app, lines, None, None);
    message(frame, msg, app);
    hints(
        frame,
        keys,
        "↑↓ PgUp/PgDn scroll   e your answers   ? help   q home",
    );
    if app.profile_form.is_some() {
        profile_form(frame, app);
    }
}

/// The advisor's questions over the advisor screen.
fn profile_form(frame: &mut Frame, app: &App) {
    use crate::profile_form::Field;
    let Some(form) = &app.profile_form else {
        return;
    };
    let area = frame.area();
    let width = area.width.min(64);
    let mut lines: Vec<Line<'static>> = Field::ALL
        .iter()
        .enumerate()
        .map(|(n, field)| {
            let here = n == form.cursor;
            let value = match (&form.typing, here) {
                (Some(t), true) => format!("{t}▏"),
                _ => form.value(*field),
            };
            let text = format!(
                " {} {:<32} {value}",
                if here { ">" } else { " " },
                field.label()
            );
            if here {
                Line::from(bold(text))
            } else {
                Line::from(text)
            }
        })
        .collect();
    lines.push(Line::from(dim(
        " ↑↓ question · ←→ space choose · digits type",
    )));
    lines.push(Line::from(dim(" enter save · esc cancel")));
    let height = (u16::try_from(lines.len()).unwrap_or(14) + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" About you (the advisor's questions) "),
        ),
        popup,
    );
}
