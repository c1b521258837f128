//! Drawing the screens. Pure functions of the app state, so snapshot tests can render them on a
//! test backend. Everything fits 80×24; longer content scrolls (PgUp/PgDn).

use certprep_domain::item::ItemKind;
use certprep_domain::present::PresentedItem;
use certprep_domain::session::Mode;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Tabs, Wrap};

use certprep_domain::report::Report;
use certprep_domain::session::AdaptiveOutcome;
use certprep_service::learning::{ReadinessReport, ReviewQueue};

use crate::app::{App, Screen};
use crate::draft::Draft;

const BAR_WIDTH: usize = 20;

pub fn draw(frame: &mut Frame, app: &App) {
    match app.screen {
        Screen::Home => home(frame, app),
        Screen::Item => item_screen(frame, app),
        Screen::Review => review(frame, app),
        Screen::Results => results(frame, app),
        Screen::History => history(frame, app),
        Screen::Answers => answers(frame, app),
        Screen::Readiness => readiness(frame, app),
    }
}

fn bold(s: impl Into<String>) -> Span<'static> {
    Span::styled(s.into(), Style::default().add_modifier(Modifier::BOLD))
}

fn dim(s: impl Into<String>) -> Span<'static> {
    Span::styled(s.into(), Style::default().fg(Color::DarkGray))
}

/// Wrapped text scrolled down by `scroll` lines: the body of the item, answer and result screens.
fn scrolled<'a>(text: impl Into<Text<'a>>, scroll: u16) -> Paragraph<'a> {
    Paragraph::new(text)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
}

fn clock(ms: i64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

/// Header, body, message line and key hints.
fn frame_parts(area: Rect, hint_lines: u16) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(hint_lines),
    ])
    .areas(area)
}

fn header(frame: &mut Frame, area: Rect, text: String) {
    let style = Style::default().add_modifier(Modifier::REVERSED);
    frame.render_widget(Paragraph::new(Line::from(text)).style(style), area);
}

fn hints(frame: &mut Frame, area: Rect, text: &str) {
    frame.render_widget(
        Paragraph::new(Text::from(
            text.lines()
                .map(|l| Line::from(dim(l.to_string())))
                .collect::<Vec<_>>(),
        )),
        area,
    );
}

fn message(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(m) = &app.message {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                m.clone(),
                Style::default().fg(Color::Yellow),
            ))),
            area,
        );
    }
}

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
            "Start with a study session (s): one item at a time, with explanations.".into()
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

fn percent(p: f64) -> String {
    format!("{:.0}%", p * 100.0)
}

/// "Pass probability 62% (35–84%) from 40 items", or a prompt while nothing is answered.
pub fn readiness_line(r: &ReadinessReport) -> String {
    if r.items_answered == 0 {
        return "Readiness: answer some items first".into();
    }
    format!(
        "Pass probability {} ({}–{}) from {} item{}",
        percent(r.assessment.pass_probability),
        percent(r.assessment.interval[0]).trim_end_matches('%'),
        percent(r.assessment.interval[1]),
        r.items_answered,
        if r.items_answered == 1 { "" } else { "s" }
    )
}

/// "12 due for review", or when the next item falls due.
pub fn review_line(q: &ReviewQueue) -> String {
    match (q.due.len(), q.next_due) {
        (0, Some(at)) => format!(
            "Nothing due for review; the next item falls due {}",
            at.format("%Y-%m-%d %H:%M UTC")
        ),
        (0, None) => "Nothing to review yet".into(),
        (n, _) => format!("{n} due for review"),
    }
}

fn home(frame: &mut Frame, app: &App) {
    let [top, body, msg, keys] = frame_parts(frame.area(), 2);
    header(
        frame,
        top,
        " certprep · practise for your certification exam".into(),
    );
    let mut lines = vec![Line::from(bold("Exams")), Line::default()];
    for (i, e) in app.exams.iter().enumerate() {
        let marker = if i == app.exam_cursor { "> " } else { "  " };
        let title: String = if e.title.chars().count() > 40 {
            e.title.chars().take(39).chain(['…']).collect()
        } else {
            e.title.clone()
        };
        lines.push(Line::from(vec![
            Span::raw(marker),
            bold(format!("{:<7}", e.code.to_uppercase())),
            Span::raw(format!("{title:<41}")),
            dim(e.status.clone()),
        ]));
    }
    lines.push(Line::default());
    let insight = &app.insight;
    lines.push(Line::from(match &insight.next {
        Some(next) => vec![bold("Next: "), Span::raw(next.reason.clone()), dim(" (n)")],
        None => vec![bold("Next: "), Span::raw(next_step(app))],
    }));
    if let Some(r) = &insight.readiness {
        lines.push(Line::from(vec![
            Span::raw(readiness_line(r)),
            dim(if r.items_answered == 0 {
                ""
            } else {
                " (p details)"
            }),
        ]));
    }
    if let Some(q) = &insight.queue {
        lines.push(Line::from(vec![
            Span::raw(review_line(q)),
            dim(if q.due.is_empty() {
                ""
            } else {
                " (R to review)"
            }),
        ]));
    }
    if let Some(s) = app.resumable() {
        lines.push(Line::from(vec![
            Span::raw(format!(
                "Unfinished {} session of {}",
                s.mode,
                s.exam.to_uppercase()
            )),
            dim(" (r to resume)"),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(bold("Recent sessions")));
    if app.history.is_empty() {
        lines.push(Line::from(dim("  none yet")));
    }
    for s in app.history.iter().take(6) {
        let result = s.result_text();
        lines.push(Line::from(format!(
            "  {}  {:<7} {:<8} {}",
            s.started_at.format("%Y-%m-%d %H:%M"),
            s.exam.to_uppercase(),
            s.mode,
            result
        )));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
    message(frame, msg, app);
    hints(
        frame,
        keys,
        "↑↓ exam  n do next  a adaptive check  p readiness  R review due items\ns study  e mock exam (timed)  c practise missed  r resume  h history  q quit",
    );
}

fn item_screen(frame: &mut Frame, app: &App) {
    let (Some(view), Some(item)) = (
        &app.view,
        app.view.as_ref().and_then(|v| v.current.as_ref()),
    ) else {
        return home(frame, app);
    };
    let [top, body, msg, keys] = frame_parts(frame.area(), 2);
    let time = match view.remaining_ms {
        Some(ms) if view.paused => format!("{} left (paused)", clock(ms)),
        Some(ms) => format!("{} left", clock(ms)),
        None => "untimed".into(),
    };
    let adaptive = app.session.as_ref().and_then(|s| s.adaptive.as_ref());
    if let Some(record) = adaptive.filter(|_| view.mode == Mode::Adaptive) {
        header(
            frame,
            top,
            format!(
                " {} · Adaptive readiness check · item {} of at most {}{}",
                view.exam.to_uppercase(),
                item.position,
                record.max_items,
                if view.remaining_ms.is_some() {
                    format!(" · {time}")
                } else {
                    String::new()
                }
            ),
        );
    } else {
        header(
            frame,
            top,
            format!(
                " {} {} · item {}/{} · {} answered · {}{}",
                view.exam.to_uppercase(),
                format!("{:?}", view.mode).to_lowercase(),
                item.position,
                view.items.len(),
                view.answered,
                time,
                if item.marked { " · ★ marked" } else { "" }
            ),
        );
    }
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
    let text = if app.tab > 0 {
        item.case_study
            .as_ref()
            .and_then(|c| c.tabs.get(app.tab - 1))
            .map(|t| Text::from(markdown_lines(&t.content)))
            .unwrap_or_default()
    } else {
        Text::from(item_lines(item, app.draft.as_ref(), view.mode))
    };
    frame.render_widget(scrolled(text, app.scroll), body_area);
    message(frame, msg, app);
    hints(
        frame,
        keys,
        &item_hints(item.kind, view.mode, item.case_study.is_some()),
    );
}

fn item_hints(kind: ItemKind, mode: Mode, case: bool) -> String {
    let answer = match kind {
        ItemKind::Single => "↑↓ option  space choose",
        ItemKind::Multiple => "↑↓ option  space tick",
        ItemKind::Order => "↑↓ action  space add/remove  + - move",
        ItemKind::Match => "↑↓ target  a-h put source  ⌫ clear",
        ItemKind::Dropdown => "↑↓ slot  space next choice  a-h pick",
        ItemKind::YesNo => "↑↓ statement  y yes  n no",
        ItemKind::Solution => "y yes  n no",
    };
    let save = if mode.gives_feedback() {
        "enter check"
    } else {
        "enter save"
    };
    let moves = if mode == Mode::Adaptive {
        "each answer is final: no going back   PgUp/PgDn scroll   q home (resume later)"
    } else {
        "←→ prev/next  m mark  v review  S submit  PgUp/PgDn scroll  q home"
    };
    format!(
        "{answer}  {save}  1-3 confidence{}\n{moves}",
        if case { "  t tabs" } else { "" }
    )
}

/// Markdown shown as text: paragraphs re-flowed (authors wrap lines at their own width), list
/// items, tables and headings kept on their own lines, code fences kept as is and coloured.
fn markdown_lines(md: &str) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut paragraph = String::new();
    let mut in_code = false;
    let flush = |out: &mut Vec<Line<'static>>, paragraph: &mut String| {
        if !paragraph.is_empty() {
            out.push(Line::from(std::mem::take(paragraph)));
        }
    };
    for l in md.lines() {
        let trimmed = l.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            flush(&mut out, &mut paragraph);
            in_code = !in_code;
            out.push(Line::from(dim(l.to_string())));
        } else if in_code {
            out.push(Line::from(Span::styled(
                l.to_string(),
                Style::default().fg(Color::Cyan),
            )));
        } else if trimmed.is_empty() {
            flush(&mut out, &mut paragraph);
            out.push(Line::default());
        } else if starts_block(trimmed) {
            flush(&mut out, &mut paragraph);
            paragraph.push_str(l);
        } else {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(if paragraph.is_empty() { l } else { trimmed });
        }
    }
    flush(&mut out, &mut paragraph);
    out
}

/// Whether a Markdown line starts a new block (a list item, table row, heading or quote).
fn starts_block(line: &str) -> bool {
    let numbered = line
        .split_once(". ")
        .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    numbered
        || ["- ", "* ", "+ ", "|", "#", ">"]
            .iter()
            .any(|p| line.starts_with(p))
}

fn cursor(on: bool) -> Span<'static> {
    if on { bold("> ") } else { Span::raw("  ") }
}

/// The question and the answer area, with the draft's choices and the cursor.
pub fn item_lines(item: &PresentedItem, draft: Option<&Draft>, mode: Mode) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(case) = &item.case_study {
        lines.push(Line::from(dim(format!(
            "Case study: {} (t shows its tabs)",
            case.title
        ))));
    }
    if let Some(series) = &item.series {
        lines.push(Line::from(dim(series.note.to_string())));
        lines.push(Line::default());
        lines.extend(markdown_lines(&series.scenario));
        lines.push(Line::default());
    }
    lines.extend(markdown_lines(&item.stem));
    lines.push(Line::default());
    let empty = Draft::of(item);
    let d = draft.unwrap_or(&empty);
    match item.kind {
        ItemKind::Single | ItemKind::Multiple => {
            if let Some(n) = item.choose {
                lines.push(Line::from(bold(format!("Choose {n}."))));
            }
            for (i, o) in item.options.iter().enumerate() {
                let chosen = d.labels.contains(&o.label);
                let mark = match (item.kind, chosen) {
                    (ItemKind::Single, true) => "(•)",
                    (ItemKind::Single, false) => "( )",
                    (_, true) => "[x]",
                    (_, false) => "[ ]",
                };
                lines.push(Line::from(vec![
                    cursor(i == d.cursor),
                    Span::raw(format!("{mark} {}. {}", o.label, o.text)),
                ]));
            }
        }
        ItemKind::Order => {
            for (i, a) in item.actions.iter().enumerate() {
                let place = d
                    .labels
                    .iter()
                    .position(|l| *l == a.label)
                    .map_or_else(|| "[ ]".to_string(), |p| format!("[{}]", p + 1));
                lines.push(Line::from(vec![
                    cursor(i == d.cursor),
                    Span::raw(format!("{place} {}. {}", a.label, a.text)),
                ]));
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
        }
        ItemKind::Match => {
            lines.push(Line::from(bold(if item.reuse == Some(true) {
                "Sources (each may be used more than once)"
            } else {
                "Sources (each used at most once)"
            })));
            for s in &item.sources {
                lines.push(Line::from(format!("  {}. {}", s.label, s.text)));
            }
            lines.push(Line::from(bold("Targets")));
            for (i, t) in item.targets.iter().enumerate() {
                let placed = d
                    .parts
                    .get(i)
                    .copied()
                    .flatten()
                    .map_or_else(|| "[ ]".to_string(), |l| format!("[{l}]"));
                lines.push(Line::from(vec![
                    cursor(i == d.cursor),
                    Span::raw(format!("{placed} {}. {}", t.number, t.text)),
                ]));
            }
        }
        ItemKind::Dropdown => {
            for (i, s) in item.slots.iter().enumerate() {
                let picked = d.parts.get(i).copied().flatten();
                let shown = picked
                    .and_then(|l| s.choices.iter().find(|c| c.label == l))
                    .map_or_else(
                        || "(choose)".to_string(),
                        |c| format!("{}. {}", c.label, c.text),
                    );
                lines.push(Line::from(vec![
                    cursor(i == d.cursor),
                    bold(format!("{{{{{}}}}} ", s.number)),
                    Span::raw(format!("[{shown} ▾]")),
                ]));
                let choices: Vec<String> = s
                    .choices
                    .iter()
                    .map(|c| format!("{}. {}", c.label, c.text))
                    .collect();
                lines.push(Line::from(dim(format!("      {}", choices.join("  |  ")))));
            }
        }
        ItemKind::YesNo | ItemKind::Solution => {
            if item.kind == ItemKind::Solution {
                lines.push(Line::from(bold("Solution:")));
            }
            for (i, s) in item.statements.iter().enumerate() {
                let v = d.yes_no.get(i).copied().flatten();
                let yes = if v == Some(true) { "(•)" } else { "( )" };
                let no = if v == Some(false) { "(•)" } else { "( )" };
                lines.push(Line::from(vec![
                    cursor(i == d.cursor),
                    Span::raw(format!("{}. {}", s.number, s.text)),
                ]));
                lines.push(Line::from(format!("     Yes {yes}   No {no}")));
            }
            if item.kind == ItemKind::Solution {
                lines.push(Line::from(dim("Does the solution meet the goal?")));
            }
        }
    }
    if let Some(c) = d.confidence {
        lines.push(Line::from(dim(format!(
            "confidence: {}",
            Draft::confidence_label(c)
        ))));
    }
    if d.dirty {
        lines.push(Line::from(dim(match mode {
            Mode::Exam => "(not saved: enter saves)",
            Mode::Adaptive => "(not saved: enter saves it, and it is final)",
            Mode::Study | Mode::Custom => "(enter checks your answer)",
        })));
    }
    if let Some(f) = &item.feedback {
        lines.push(Line::default());
        let style = if f.points == f.max_points {
            Color::Green
        } else {
            Color::Red
        };
        lines.push(Line::from(Span::styled(
            format!(
                "Result: {} of {} points. Key: {}",
                f.points,
                f.max_points,
                f.key.describe()
            ),
            Style::default().fg(style).add_modifier(Modifier::BOLD),
        )));
        lines.extend(markdown_lines(&f.explanation));
        for n in &f.notes {
            lines.push(Line::from(format!(
                "• {}: {}",
                n.part,
                n.note.replace('\n', " ")
            )));
        }
        for r in &f.references {
            lines.push(Line::from(dim(format!("→ {}", r.url))));
        }
    }
    lines
}

fn answers(frame: &mut Frame, app: &App) {
    let [top, body, msg, keys] = frame_parts(frame.area(), 1);
    let Some(item) = app.answered_item() else {
        return home(frame, app);
    };
    let total = app.session.as_ref().map_or(0, |s| s.items.len());
    let mut lines = vec![Line::from(dim(format!(
        "Your answer: {}",
        item.answer.as_ref().map_or_else(
            || "none".to_string(),
            certprep_domain::grading::Answer::describe
        )
    )))];
    lines.extend(item_lines(&item, None, Mode::Study));
    header(
        frame,
        top,
        format!(
            " Answers · item {}/{} · {}",
            item.position, total, item.item_id
        ),
    );
    frame.render_widget(scrolled(lines, app.scroll), body);
    message(frame, msg, app);
    hints(frame, keys, "←→ item   PgUp/PgDn scroll   q results");
}

fn review(frame: &mut Frame, app: &App) {
    let [top, body, msg, keys] = frame_parts(frame.area(), 1);
    let Some(view) = &app.view else {
        return home(frame, app);
    };
    let unanswered = view.review.iter().filter(|e| !e.answered).count();
    let marked = view.review.iter().filter(|e| e.marked).count();
    header(
        frame,
        top,
        format!(
            " Review · {unanswered} unanswered · {marked} marked · yes/no series items are not listed"
        ),
    );
    let height = body.height as usize;
    let start = app.review_cursor.saturating_sub(height.saturating_sub(1));
    let lines: Vec<Line> = view
        .review
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, e)| {
            Line::from(vec![
                cursor(i == app.review_cursor),
                Span::raw(format!("{:>3}  {:<30} ", e.position + 1, e.item_id)),
                if e.answered {
                    Span::raw("answered  ")
                } else {
                    Span::styled("UNANSWERED", Style::default().fg(Color::Red))
                },
                Span::raw(if e.marked { "  ★ marked" } else { "" }),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
    message(frame, msg, app);
    hints(
        frame,
        keys,
        "↑↓ item   enter go to item   S submit   v/esc back",
    );
}

fn bar(percent: f64) -> String {
    let filled = ((percent / 100.0) * BAR_WIDTH as f64)
        .round()
        .clamp(0.0, BAR_WIDTH as f64) as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(BAR_WIDTH - filled))
}

fn results(frame: &mut Frame, app: &App) {
    let [top, body, msg, keys] = frame_parts(frame.area(), 1);
    let Some(r) = &app.report else {
        return home(frame, app);
    };
    header(
        frame,
        top,
        format!(" Results · {} · {}", r.exam.to_uppercase(), r.mode),
    );
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
    let limit = r.time_limit_ms.map_or_else(String::new, |l| {
        format!(" of {}", clock(i64::try_from(l).unwrap_or(0)))
    });
    let mut lines = adaptive_lines(r);
    lines.extend([
        Line::from(vec![
            bold(format!("Score {} / 1000  ", r.scaled_score)),
            verdict,
            Span::raw(format!("  ({} to pass)", r.passing_score)),
        ]),
        Line::from(format!(
            "{} of {} points ({:.0}%) · {} of {} answered · time {}{}",
            r.points,
            r.max_points,
            r.percent,
            r.answered,
            r.items_total,
            clock(r.time_used_ms),
            limit
        )),
        Line::default(),
        Line::from(bold("Skill areas")),
    ]);
    if let Some(m) = &r.model {
        lines.insert(
            lines.len() - 2,
            Line::from(dim(if m.calibrated_items >= r.items_total {
                format!(
                    "Scaled score from the calibrated model: ability {} ± {:.2}, every item calibrated.",
                    signed(m.theta),
                    m.se
                )
            } else {
                format!(
                    "Scaled score from the calibrated model: ability {} ± {:.2}; {} of {} items calibrated, the others use their author's difficulty.",
                    signed(m.theta),
                    m.se,
                    m.calibrated_items,
                    r.items_total
                )
            })),
        );
    }
    for d in &r.domains {
        let title: String = d.title.chars().take(44).collect();
        let pct = if d.max_points == 0 {
            "  n/a".to_string()
        } else {
            format!("{:>4.0}%", d.percent)
        };
        lines.push(Line::from(format!("{title:<45} {} {pct}", bar(d.percent))));
    }
    lines.push(Line::default());
    if !r.weakest.is_empty() {
        lines.push(Line::from(vec![
            bold("Weakest: "),
            Span::raw(r.weakest.join(", ")),
        ]));
    }
    let slowest = r.items.iter().max_by_key(|i| i.time_spent_ms);
    if let (Some(last), Some(slow)) = (r.pacing.last(), slowest) {
        lines.push(Line::from(format!(
            "Pacing: {} answered in {}; slowest item {} ({})",
            last.answered,
            clock(last.elapsed_ms),
            slow.item_id,
            clock(i64::try_from(slow.time_spent_ms).unwrap_or(0))
        )));
    }
    lines.push(Line::from(dim(r.note.clone())));
    lines.push(Line::default());
    lines.push(Line::from(bold("Objectives, weakest first")));
    let mut objectives: Vec<_> = r.objectives.iter().collect();
    objectives.sort_by(|a, b| a.percent.total_cmp(&b.percent).then(a.id.cmp(&b.id)));
    for o in objectives {
        let title: String = o.title.chars().take(52).collect();
        lines.push(Line::from(format!(
            "{:>4.0}%  {:>2}/{:<2} {title}",
            o.percent, o.points, o.max_points
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(bold("Time per item")));
    for (i, item) in r.items.iter().enumerate() {
        lines.push(Line::from(format!(
            "{:>3}. {:<30} {}  {}/{}{}",
            i + 1,
            item.item_id,
            clock(i64::try_from(item.time_spent_ms).unwrap_or(0)),
            item.points,
            item.max_points,
            if item.answered { "" } else { "  unanswered" }
        )));
    }
    frame.render_widget(scrolled(lines, app.scroll), body);
    message(frame, msg, app);
    hints(
        frame,
        keys,
        "a answers and explanations   PgUp/PgDn more   h history   q home",
    );
}

/// The decision of an adaptive check, first on its results screen.
fn adaptive_lines(r: &Report) -> Vec<Line<'static>> {
    let Some(v) = &r.adaptive else {
        return vec![];
    };
    let colour = match v.outcome {
        AdaptiveOutcome::Pass => Color::Green,
        AdaptiveOutcome::Fail => Color::Red,
        AdaptiveOutcome::Undecided => Color::Yellow,
    };
    vec![
        Line::from(Span::styled(
            v.describe(),
            Style::default().fg(colour).add_modifier(Modifier::BOLD),
        )),
        Line::default(),
    ]
}

const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

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
fn signed(x: f64) -> String {
    let x = if x.abs() < 0.005 { 0.0 } else { x };
    format!("{x:+.2}")
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() > width {
        s.chars()
            .take(width.saturating_sub(1))
            .chain(['…'])
            .collect()
    } else {
        s.to_string()
    }
}

/// The readiness screen's text (scrolled by the caller).
pub fn readiness_lines(r: &ReadinessReport) -> Vec<Line<'static>> {
    let mut lines = vec![];
    if r.items_answered == 0 {
        lines.push(Line::from(bold("Readiness: answer some items first")));
        lines.push(Line::from(
            "The adaptive check (a on the home screen) finds your level in about 15 items.",
        ));
    } else {
        lines.push(Line::from(vec![
            bold(format!(
                "Pass probability {}",
                percent(r.assessment.pass_probability)
            )),
            Span::raw(format!(
                "  (95%: {}–{})  from {} items",
                percent(r.assessment.interval[0]),
                percent(r.assessment.interval[1]),
                r.items_answered
            )),
        ]));
    }
    lines.push(Line::from(format!(
        "Ability {} ± {:.2} against the cut {} (above it with {} probability)",
        signed(r.assessment.theta),
        r.assessment.se,
        signed(r.assessment.cut),
        percent(r.assessment.above_cut)
    )));
    lines.push(Line::from(format!(
        "Expected {} of a form's points (about {} / 1000; pass at {}% of the points)",
        percent(r.assessment.expected_share),
        r.scaled_estimate,
        r.passing_standard
    )));
    lines.push(Line::default());
    lines.push(Line::from(vec![
        bold(format!("{:<36}", "Skill areas")),
        dim(format!(
            " {:>6}  {:>12}  {:>9}  {:>5}",
            "weight", "ability ± SE", "above cut", "items"
        )),
    ]));
    for d in &r.domains {
        lines.push(Line::from(format!(
            "{:<36} {:>6}  {:>12}  {:>9}  {:>5}",
            truncate(&d.title, 36),
            format!("{:.0}%", d.weight),
            format!("{} ± {:.2}", signed(d.theta), d.se),
            percent(d.above_cut),
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
                Span::styled(
                    sparkline(r.timeline.iter().map(|p| p.pass_probability)),
                    Style::default().fg(Color::Cyan),
                ),
                Span::raw(format!(
                    "  {} → {}",
                    first.date.format("%Y-%m-%d"),
                    last.date.format("%Y-%m-%d")
                )),
            ]));
            for p in r.timeline.iter().rev().take(5) {
                lines.push(Line::from(format!(
                    "  {}  {:>4} ({}–{})  ability {} ± {:.2}  {} items",
                    p.date.format("%Y-%m-%d"),
                    percent(p.pass_probability),
                    percent(p.interval[0]),
                    percent(p.interval[1]),
                    signed(p.theta),
                    p.se,
                    p.items_answered
                )));
            }
        }
        _ => lines.push(Line::from(dim("  no answers yet"))),
    }
    lines.push(Line::default());
    lines.push(Line::from(bold(match r.exam_date {
        Some(d) => format!("Weakest recall on your exam date, {d}"),
        None => format!(
            "Weakest recall today (set an exam date: certprep plan --exam {} --date …)",
            r.exam
        ),
    })));
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
        lines.push(Line::from(format!(
            "{:>4}  {}/{} studied  {}",
            percent(o.projection.expected_recall),
            o.projection.studied,
            o.projection.items,
            truncate(&o.title, 56)
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(dim(format!(
        "{} of {} items of the outline are calibrated.",
        r.calibrated_items, r.outline_items
    ))));
    if let Some(note) = &r.standard_note {
        lines.push(Line::from(dim(note.clone())));
    }
    lines.push(Line::from(dim(r.note)));
    lines
}

fn readiness(frame: &mut Frame, app: &App) {
    let [top, body, msg, keys] = frame_parts(frame.area(), 1);
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
    frame.render_widget(scrolled(readiness_lines(r), app.scroll), body);
    message(frame, msg, app);
    hints(frame, keys, "↑↓ PgUp/PgDn scroll   q home");
}

fn history(frame: &mut Frame, app: &App) {
    let [top, body, msg, keys] = frame_parts(frame.area(), 1);
    header(
        frame,
        top,
        " History · scaled scores of submitted sessions, oldest to newest".into(),
    );
    let [chart_area, list_area] =
        Layout::vertical([Constraint::Length(11), Constraint::Min(1)]).areas(body);
    let mut scored: Vec<(f64, f64)> = app
        .history
        .iter()
        .rev()
        .filter_map(|s| s.outcome.map(|o| f64::from(o.scaled_score)))
        .enumerate()
        .map(|(i, score)| (i as f64 + 1.0, score))
        .collect();
    if scored.len() == 1 {
        scored.insert(0, (0.0, scored[0].1));
    }
    let n = scored.len().max(2) as f64;
    let pass = [(0.0, 700.0), (n, 700.0)];
    let datasets = vec![
        Dataset::default()
            .name("score")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(Color::Cyan))
            .data(&scored),
        Dataset::default()
            .name("pass 700")
            .marker(Marker::Dot)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(Color::DarkGray))
            .data(&pass),
    ];
    let chart = Chart::new(datasets)
        .block(Block::default().borders(Borders::ALL).title("Score trend"))
        .x_axis(Axis::default().bounds([0.0, n]))
        .y_axis(Axis::default().bounds([0.0, 1000.0]).labels(vec![
            Line::from("0"),
            Line::from("700"),
            Line::from("1000"),
        ]));
    frame.render_widget(chart, chart_area);
    let lines: Vec<Line> = app
        .history
        .iter()
        .take(list_area.height as usize)
        .map(|s| {
            let result = s.result_text();
            Line::from(format!(
                "{}  {:<7} {:<7} {}",
                s.started_at.format("%Y-%m-%d %H:%M"),
                s.exam.to_uppercase(),
                s.mode,
                result
            ))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list_area);
    message(frame, msg, app);
    hints(frame, keys, "q home");
}
