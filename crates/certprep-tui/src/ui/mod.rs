//! Drawing the screens. Pure functions of the app state (the scroll the drawing settles on is
//! written back through cells), so snapshot tests render them on a test backend. Everything fits
//! 80×24 and uses more room when there is more; text is laid out by `text` (Markdown rendered,
//! words never split), and the view follows the cursor.

use certprep_domain::form::SectionKind;
use certprep_domain::grading::Answer;
use certprep_domain::item::{Bank, ItemKind};
use certprep_domain::present::PresentedItem;
use certprep_domain::report::Report;
use certprep_domain::session::{AdaptiveOutcome, Mode, Session};
use certprep_service::learning::{MIN_ITEMS_FOR_READINESS, ReadinessReport, ReviewQueue};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{
    Axis, Block, Borders, Chart, Clear, Dataset, GraphType, LegendPosition, Paragraph, Tabs,
};

use crate::app::{App, Screen};
use crate::draft::Draft;
use crate::text::{self, truncate};

const BAR_WIDTH: usize = 20;

// One module per screen; they share the helpers below through `use super::*`.
mod advisor;
mod help;
mod home;
mod intro;
mod item;
mod readiness;
mod results;
mod review;

pub use advisor::*;
pub use help::*;
pub use home::*;
use intro::*;
pub use item::*;
pub use readiness::*;
use results::*;
use review::*;

pub fn draw(frame: &mut Frame, app: &App) {
    if frame.area().width < 20 || frame.area().height < 6 {
        frame.render_widget(Paragraph::new("Enlarge the window."), frame.area());
        return;
    }
    match app.screen {
        Screen::Home => home(frame, app),
        Screen::Overview => overview(frame, app),
        Screen::CaseIntro => case_intro(frame, app),
        Screen::Item => item_screen(frame, app),
        Screen::Review => review(frame, app),
        Screen::Results => results(frame, app),
        Screen::History => history(frame, app),
        Screen::Answers => answers(frame, app),
        Screen::Readiness => readiness(frame, app),
        Screen::Advisor => advisor(frame, app),
    }
    if app.report_draft.is_some() {
        report_form(frame, app);
    }
    if app.help {
        help(frame, app);
    }
}

/// "1 question", "3 questions".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn bold(s: impl Into<String>) -> Span<'static> {
    Span::styled(s.into(), Style::default().add_modifier(Modifier::BOLD))
}

fn dim(s: impl Into<String>) -> Span<'static> {
    Span::styled(s.into(), Style::default().fg(Color::DarkGray))
}

fn coloured(s: impl Into<String>, colour: Color) -> Span<'static> {
    Span::styled(s.into(), Style::default().fg(colour))
}

pub fn clock(ms: i64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

/// What a candidate calls a section of a session.
pub fn section_name(session: &Session, bank: &Bank, section: usize) -> String {
    match session.sections.get(section).map(|s| &s.kind) {
        Some(SectionKind::CaseStudy(id)) => format!(
            "Case study: {}",
            bank.case_studies
                .iter()
                .find(|c| &c.id == id)
                .map_or(id.as_str(), |c| c.title.as_str())
        ),
        _ if session.mode == Mode::Exam => "Standalone questions".into(),
        _ => "Questions".into(),
    }
}

/// Header, body, message lines and key hints. The message gets as many lines as it needs (up to
/// three), so a warning is never cut short.
fn frame_parts(area: Rect, hint_lines: u16, app: &App) -> [Rect; 4] {
    let message_lines = app.message.as_deref().map_or(1, |m| {
        message_lines(m, area.width as usize)
            .len()
            .clamp(1, MESSAGE_LINES_AT_MOST)
    });
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(u16::try_from(message_lines).unwrap_or(1)),
        Constraint::Length(hint_lines),
    ])
    .areas(area)
}

const MESSAGE_LINES_AT_MOST: usize = 3;

fn message_lines(m: &str, width: usize) -> Vec<Line<'static>> {
    text::wrap(
        &[(m.to_string(), Style::default().fg(Color::Yellow))],
        width,
        vec![],
        "",
    )
}

fn header(frame: &mut Frame, area: Rect, text: String) {
    header_with(frame, area, text, "");
}

/// A header whose right part (the clock) always shows in full; the left part gives way.
fn header_with(frame: &mut Frame, area: Rect, left: String, right: &str) {
    let style = Style::default().add_modifier(Modifier::REVERSED);
    let width = area.width as usize;
    let right_width = right.chars().count();
    let room = width.saturating_sub(right_width + 1);
    let left = truncate(&left, room);
    let gap = width.saturating_sub(left.chars().count() + right_width);
    let text = if right.is_empty() {
        left
    } else {
        format!("{left}{}{right} ", " ".repeat(gap.saturating_sub(1)))
    };
    frame.render_widget(Paragraph::new(Line::from(text)).style(style), area);
}

fn hints(frame: &mut Frame, area: Rect, text: &str) {
    let width = area.width as usize;
    frame.render_widget(
        Paragraph::new(Text::from(
            text.lines()
                .map(|l| Line::from(dim(truncate(l, width))))
                .collect::<Vec<_>>(),
        )),
        area,
    );
}

fn message(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(m) = &app.message {
        let lines: Vec<Line> = message_lines(m, area.width as usize)
            .into_iter()
            .take(MESSAGE_LINES_AT_MOST)
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
    }
}

/// Renders `lines` into `area`, scrolled: the scroll stays inside the content and, when asked,
/// moves just enough to show `keep` (the cursor's lines) or starts at `result`.
fn scrolled(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    lines: Vec<Line<'static>>,
    keep: Option<(usize, usize)>,
    result: Option<usize>,
) {
    let height = area.height as usize;
    let max = lines.len().saturating_sub(height);
    let mut scroll = app.scroll.get() as usize;
    if app.to_result.get()
        && let Some(r) = result
    {
        scroll = r;
        app.to_result.set(false);
        app.follow.set(false);
    } else if app.follow.get()
        && let Some((first, last)) = keep
    {
        if first < scroll {
            scroll = first.saturating_sub(1);
        } else if last >= scroll + height {
            scroll = (last + 2).saturating_sub(height).min(first);
        }
    }
    let scroll = scroll.min(max);
    app.scroll.set(u16::try_from(scroll).unwrap_or(u16::MAX));
    app.max_scroll.set(u16::try_from(max).unwrap_or(u16::MAX));
    let shown: Vec<Line<'static>> = lines.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(shown), area);
    // Content past the edge is never silent: an option below the fold must not go unseen.
    if scroll > 0 {
        more_marker(frame, area, area.y, " ↑ more above ");
    }
    if scroll < max {
        more_marker(
            frame,
            area,
            area.y + area.height.saturating_sub(1),
            " ↓ more below: PgDn ",
        );
    }
}

fn more_marker(frame: &mut Frame, area: Rect, y: u16, text: &str) {
    let width = u16::try_from(text.chars().count())
        .unwrap_or(0)
        .min(area.width);
    let marker = Rect {
        x: area.x + area.width - width,
        y,
        width,
        height: 1,
    };
    frame.render_widget(Clear, marker);
    frame.render_widget(
        Paragraph::new(Line::from(text.to_string())).style(
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::REVERSED),
        ),
        marker,
    );
}
