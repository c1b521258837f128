//! Text laid out for a terminal of a given width: Markdown rendered (headings, emphasis, code
//! spans and blocks, lists, quotes, tables), words wrapped without splitting a word or an
//! address, continuation lines indented under their first line, code kept as written and
//! clipped with a marker instead of wrapped to column 0, and anything cut short ending in "…".

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

/// The marker at the end of a code line that goes on beyond the screen.
pub const CLIPPED: char = '→';

fn width_of(s: &str) -> usize {
    s.chars().count()
}

/// Cuts `s` to `width` characters, ending in "…" when something was cut.
pub fn truncate(s: &str, width: usize) -> String {
    if width_of(s) <= width {
        return s.to_string();
    }
    s.chars()
        .take(width.saturating_sub(1))
        .chain(['…'])
        .collect()
}

/// A run of text with one style: the unit the wrapper moves words of.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    style: Style,
}

/// Wraps styled pieces to `width`, the first line after `first`, the next ones after `rest`
/// (a hanging indent). A word longer than a line is never split: it is cut with "…".
pub fn wrap(
    pieces: &[(String, Style)],
    width: usize,
    first: Vec<Span<'static>>,
    rest: &str,
) -> Vec<Line<'static>> {
    let first_width: usize = first.iter().map(|s| width_of(&s.content)).sum();
    let rest_width = width_of(rest);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut current: Vec<Span<'static>> = first;
    let mut used = first_width;
    let mut at_start = true;
    let indent = |used: &mut usize| {
        *used = rest_width;
        vec![Span::raw(rest.to_string())]
    };
    // Words with their style; a space between words belongs to no word.
    let mut words: Vec<Vec<Piece>> = Vec::new();
    let mut word: Vec<Piece> = Vec::new();
    for (text, style) in pieces {
        for (i, part) in text.split(' ').enumerate() {
            if i > 0 && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            if !part.is_empty() {
                word.push(Piece {
                    text: part.to_string(),
                    style: *style,
                });
            }
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    for w in words {
        let len: usize = w.iter().map(|p| width_of(&p.text)).sum();
        let space = usize::from(!at_start);
        if !at_start && used + space + len > width {
            lines.push(Line::from(std::mem::replace(
                &mut current,
                indent(&mut used),
            )));
            at_start = true;
        }
        if !at_start {
            current.push(Span::raw(" "));
            used += 1;
        }
        let room = width.saturating_sub(used).max(1);
        if len > room {
            // A word (an address, a long identifier) wider than the line: cut it, never split.
            let joined: String = w.iter().map(|p| p.text.as_str()).collect();
            current.push(Span::styled(truncate(&joined, room), w[0].style));
            used += room;
        } else {
            for p in w {
                current.push(Span::styled(p.text, p.style));
            }
            used += len;
        }
        at_start = false;
    }
    lines.push(Line::from(current));
    lines
}

/// Markdown laid out at `width` columns.
pub fn markdown(md: &str, width: usize) -> Vec<Line<'static>> {
    let width = width.max(10);
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut pieces: Vec<(String, Style)> = Vec::new();
    let mut style = Style::default();
    let mut styles: Vec<Style> = Vec::new();
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut item_prefix: Option<String> = None;
    let mut quote = 0usize;
    let mut code: Option<String> = None;
    let mut heading = false;
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut in_table = false;
    let flush = |out: &mut Vec<Line<'static>>,
                 pieces: &mut Vec<(String, Style)>,
                 item_prefix: &mut Option<String>,
                 lists: &[Option<u64>],
                 quote: usize| {
        if pieces.is_empty() && item_prefix.is_none() {
            return;
        }
        let depth = lists.len().saturating_sub(1);
        let quote_bar = "│ ".repeat(quote);
        let (first, rest) = match item_prefix.take() {
            Some(p) => {
                let lead = format!("{quote_bar}{}{p}", "  ".repeat(depth));
                let hang = format!(
                    "{quote_bar}{}",
                    " ".repeat(width_of(&lead) - width_of(&quote_bar))
                );
                (lead, hang)
            }
            None if !lists.is_empty() => {
                let lead = format!("{quote_bar}{}", "  ".repeat(depth + 1));
                (lead.clone(), lead)
            }
            None => (quote_bar.clone(), quote_bar),
        };
        out.extend(wrap(pieces, width, vec![Span::raw(first)], &rest));
        pieces.clear();
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(md, options) {
        match event {
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => {
                flush(&mut out, &mut pieces, &mut item_prefix, &lists, quote);
                if lists.is_empty() {
                    out.push(Line::default());
                }
            }
            Event::Start(Tag::Heading { .. }) => heading = true,
            Event::End(TagEnd::Heading(_)) => {
                heading = false;
                let text: Vec<(String, Style)> = pieces
                    .drain(..)
                    .map(|(t, s)| (t, s.add_modifier(Modifier::BOLD | Modifier::UNDERLINED)))
                    .collect();
                out.extend(wrap(&text, width, vec![], ""));
                out.push(Line::default());
            }
            Event::Start(Tag::Emphasis) => {
                styles.push(style);
                style = style.add_modifier(Modifier::ITALIC);
            }
            Event::Start(Tag::Strong) => {
                styles.push(style);
                style = style.add_modifier(Modifier::BOLD);
            }
            Event::Start(Tag::Strikethrough) => {
                styles.push(style);
                style = style.add_modifier(Modifier::CROSSED_OUT);
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => {
                style = styles.pop().unwrap_or_default();
            }
            Event::Start(Tag::Link { .. }) => {
                styles.push(style);
                style = style.add_modifier(Modifier::UNDERLINED);
            }
            Event::End(TagEnd::Link) => style = styles.pop().unwrap_or_default(),
            Event::Start(Tag::List(start)) => {
                flush(&mut out, &mut pieces, &mut item_prefix, &lists, quote);
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut out, &mut pieces, &mut item_prefix, &lists, quote);
                lists.pop();
                if lists.is_empty() {
                    out.push(Line::default());
                }
            }
            Event::Start(Tag::Item) => {
                flush(&mut out, &mut pieces, &mut item_prefix, &lists, quote);
                item_prefix = Some(match lists.last_mut() {
                    Some(Some(n)) => {
                        let p = format!("{n}. ");
                        *n += 1;
                        p
                    }
                    _ => "• ".to_string(),
                });
            }
            Event::End(TagEnd::Item) => {
                flush(&mut out, &mut pieces, &mut item_prefix, &lists, quote);
            }
            Event::Start(Tag::BlockQuote(_)) => {
                flush(&mut out, &mut pieces, &mut item_prefix, &lists, quote);
                quote += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                flush(&mut out, &mut pieces, &mut item_prefix, &lists, quote);
                quote = quote.saturating_sub(1);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                flush(&mut out, &mut pieces, &mut item_prefix, &lists, quote);
                code = Some(match kind {
                    CodeBlockKind::Fenced(lang) => lang.to_string(),
                    CodeBlockKind::Indented => String::new(),
                });
            }
            Event::End(TagEnd::CodeBlock) => {
                code = None;
                out.push(Line::default());
            }
            Event::Text(t) if code.is_some() => {
                let indent = "  ".repeat(lists.len());
                for l in t.lines() {
                    out.push(code_line(&format!("{indent}{l}"), width));
                }
            }
            Event::Start(Tag::Table(_)) => {
                flush(&mut out, &mut pieces, &mut item_prefix, &lists, quote);
                in_table = true;
            }
            Event::End(TagEnd::Table) => {
                in_table = false;
                out.push(Line::default());
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                let text = truncate(&row.join(" │ "), width);
                out.push(Line::from(text));
            }
            Event::Start(Tag::TableCell) => cell.clear(),
            Event::End(TagEnd::TableCell) => row.push(cell.trim().to_string()),
            Event::Text(t) if in_table => cell.push_str(&t),
            Event::Code(t) if in_table => cell.push_str(&t),
            Event::Text(t) => pieces.push((t.to_string(), style)),
            Event::Code(t) => pieces.push((t.to_string(), style.fg(Color::Cyan))),
            Event::SoftBreak => pieces.push((" ".to_string(), style)),
            Event::HardBreak => flush(&mut out, &mut pieces, &mut item_prefix, &lists, quote),
            Event::Html(h) | Event::InlineHtml(h) => pieces.push((h.to_string(), style)),
            Event::Rule => out.push(Line::from("─".repeat(width.min(40)))),
            _ => {}
        }
    }
    flush(&mut out, &mut pieces, &mut item_prefix, &lists, quote);
    let _ = heading;
    while out
        .last()
        .is_some_and(|l| l.spans.iter().all(|s| s.content.trim().is_empty()))
    {
        out.pop();
    }
    out
}

/// One line of inline Markdown (an option, a statement, a choice) as styled pieces for
/// [`wrap`]: code spans coloured, emphasis kept, no backtick or asterisk left.
pub fn inline(md: &str) -> Vec<(String, Style)> {
    let mut out = Vec::new();
    let mut style = Style::default();
    let mut styles = Vec::new();
    for event in Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Emphasis) => {
                styles.push(style);
                style = style.add_modifier(Modifier::ITALIC);
            }
            Event::Start(Tag::Strong) => {
                styles.push(style);
                style = style.add_modifier(Modifier::BOLD);
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong) => {
                style = styles.pop().unwrap_or_default()
            }
            Event::Text(t) => out.push((t.to_string(), style)),
            Event::Code(t) => out.push((t.to_string(), style.fg(Color::Cyan))),
            Event::SoftBreak | Event::HardBreak => out.push((" ".to_string(), style)),
            Event::Html(h) | Event::InlineHtml(h) => out.push((h.to_string(), style)),
            _ => {}
        }
    }
    out
}

/// The plain words of inline Markdown, for one-line listings.
pub fn plain_inline(md: &str) -> String {
    inline(md)
        .into_iter()
        .map(|(t, _)| t)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first words of a question (its stem, Markdown) on one line of at most `width`.
pub fn excerpt(md: &str, width: usize) -> String {
    let text: String = plain(&markdown(md, 10_000)).join(" ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate(&text, width)
}

/// One line of code as written (its indentation kept), clipped at `width` with a marker.
pub fn code_line(line: &str, width: usize) -> Line<'static> {
    let style = Style::default().fg(Color::Cyan);
    let line = line.replace('\t', "    ");
    if width_of(&line) <= width {
        return Line::from(Span::styled(line, style));
    }
    let kept: String = line.chars().take(width.saturating_sub(1)).collect();
    Line::from(vec![
        Span::styled(kept, style),
        Span::styled(CLIPPED.to_string(), Style::default().fg(Color::Yellow)),
    ])
}

/// The plain text of laid-out lines, for tests and for measuring.
pub fn plain(lines: &[Line<'_>]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_wrap_without_splitting_words_and_render_emphasis() {
        let lines = markdown(
            "The **quick** brown fox jumps over the `lazy` dog again and again.",
            20,
        );
        let text = plain(&lines);
        assert_eq!(
            text,
            vec![
                "The quick brown fox",
                "jumps over the lazy",
                "dog again and again."
            ]
        );
        assert!(
            lines[0]
                .spans
                .iter()
                .any(|s| s.content == "quick" && s.style.add_modifier.contains(Modifier::BOLD))
        );
        assert!(!text.concat().contains('`') && !text.concat().contains("**"));
    }

    #[test]
    fn a_long_address_is_cut_with_an_ellipsis_not_split() {
        let text = plain(&markdown(
            "See https://learn.microsoft.com/azure/foundry/openai/how-to/reasoning#reasoning-effort now",
            30,
        ));
        assert_eq!(text[0], "See");
        assert!(
            text[1].ends_with('…') && text[1].chars().count() == 30,
            "{text:?}"
        );
        assert_eq!(text[2], "now");
    }

    #[test]
    fn code_keeps_its_indentation_and_is_clipped_with_a_marker() {
        let md = "```python\ndef f():\n    return client.chat.completions.create(model=m)\n```";
        let text = plain(&markdown(md, 30));
        assert_eq!(text[0], "def f():");
        assert!(text[1].starts_with("    return"), "{text:?}");
        assert!(
            text[1].ends_with(CLIPPED) && text[1].chars().count() == 30,
            "{text:?}"
        );
    }

    #[test]
    fn headings_lists_and_hanging_indents() {
        let md = "### Requirements\n\n- Keep every claim inside the tenant, which the regulator requires.\n- Short.";
        let lines = markdown(md, 30);
        let text = plain(&lines);
        assert_eq!(text[0], "Requirements");
        assert!(!text.concat().contains('#'));
        assert_eq!(text[2], "• Keep every claim inside the");
        assert!(text[3].starts_with("  tenant"), "{text:?}");
        assert_eq!(text.last().map(String::as_str), Some("• Short."));
    }
}
