//! Bank file → syntax tree. Never panics; every problem becomes a diagnostic saying what was
//! expected, and parsing goes on so one run reports as much as it can.

use crate::diag::Diagnostic;
use crate::syntax::{
    BankFile, Block, BlockHead, Entry, ItemDoc, Meta, MetaEntry, Pos, Section, SectionBody,
    SectionName, Spanned, TabDoc, Text,
};

/// A line of the file with what it is for the structure.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    no: u32,
    text: &'a str,
    heading: Option<(u8, &'a str)>,
    /// Inside a code fence (or its opening or closing line): never structure.
    code: bool,
}

/// Where the lines under the latest heading go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    BlockProse,
    Tab,
    Item,
    Section,
    /// Under a heading that was rejected: the lines are dropped (the heading was reported).
    Skip,
    /// Under a rejected `###` heading of an item: dropped too, but later `###` sections count.
    SkipSection,
}

pub fn parse(file: &str, source: &str) -> (BankFile, Vec<Diagnostic>) {
    let mut parser = Parser {
        file,
        diagnostics: vec![],
        bank: BankFile::default(),
    };
    let lines = parser.classify(source);
    parser.build(&lines);
    parser.require_an_item(&lines);
    (parser.bank, parser.diagnostics)
}

struct Parser<'f> {
    file: &'f str,
    diagnostics: Vec<Diagnostic>,
    bank: BankFile,
}

impl Parser<'_> {
    fn error(&mut self, pos: Pos, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::error(self.file, pos, message));
    }

    /// Splits the source into lines and finds the headings that are not inside code fences.
    fn classify<'s>(&mut self, source: &'s str) -> Vec<Line<'s>> {
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        let mut lines = Vec::new();
        let mut fence: Option<(char, usize, u32)> = None;
        for (i, raw) in source.split('\n').enumerate() {
            let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let text = raw.strip_suffix('\r').unwrap_or(raw);
            let mut heading = None;
            let mut code = true;
            match fence {
                Some((ch, len, _)) => {
                    if closes_fence(text, ch, len) {
                        fence = None;
                    }
                }
                None => {
                    if let Some((ch, len)) = opens_fence(text) {
                        fence = Some((ch, len, no));
                    } else {
                        heading = heading_of(text);
                        code = false;
                    }
                }
            }
            lines.push(Line {
                no,
                text,
                heading,
                code,
            });
        }
        if let Some((ch, len, no)) = fence {
            let marker: String = std::iter::repeat_n(ch, len).collect();
            self.error(
                Pos::new(no, 1),
                format!("unclosed code fence: expected a closing `{marker}` line"),
            );
        }
        lines
    }

    fn build(&mut self, lines: &[Line<'_>]) {
        let mut target = Target::BlockProse;
        let mut pending: Vec<Line<'_>> = Vec::new();
        for line in lines {
            let Some((level, title)) = line.heading else {
                pending.push(*line);
                continue;
            };
            let in_item = matches!(target, Target::Item | Target::Section | Target::SkipSection);
            if level == 3 && !in_item {
                // A `###` inside a case-study tab or prose is just Markdown.
                pending.push(*line);
                continue;
            }
            self.flush(target, &pending);
            pending.clear();
            target = match level {
                1 => self.open_block(line.no, title),
                2 => self.open_level2(line.no, title),
                _ => self.open_section(line.no, title),
            };
        }
        self.flush(target, &pending);
    }

    fn open_block(&mut self, no: u32, title: &str) -> Target {
        let col = |prefix: &str| u32::try_from(2 + prefix.len() + 1).unwrap_or(u32::MAX);
        let head = if let Some(id) = title.strip_prefix("Case study:") {
            BlockHead::CaseStudy(Spanned::new(
                id.trim().to_string(),
                Pos::new(no, col("Case study: ")),
            ))
        } else if let Some(id) = title.strip_prefix("Series:") {
            BlockHead::Series(Spanned::new(
                id.trim().to_string(),
                Pos::new(no, col("Series: ")),
            ))
        } else {
            BlockHead::Plain(Some(Spanned::new(title.to_string(), Pos::new(no, 3))))
        };
        self.bank.blocks.push(Block::new(head));
        Target::BlockProse
    }

    fn current_block(&mut self) -> &mut Block {
        if self.bank.blocks.is_empty() {
            self.bank.blocks.push(Block::new(BlockHead::Plain(None)));
        }
        let last = self.bank.blocks.len() - 1;
        &mut self.bank.blocks[last]
    }

    fn open_level2(&mut self, no: u32, title: &str) -> Target {
        if let Some(id) = title.strip_prefix("Item:") {
            let id = Spanned::new(id.trim().to_string(), Pos::new(no, 10));
            self.current_block().items.push(ItemDoc {
                id,
                meta: None,
                stem: Text::default(),
                sections: vec![],
            });
            return Target::Item;
        }
        if let Some(name) = title.strip_prefix("Tab:") {
            let block = self.current_block();
            if matches!(block.head, BlockHead::CaseStudy(_)) && block.items.is_empty() {
                block.tabs.push(TabDoc {
                    name: Spanned::new(name.trim().to_string(), Pos::new(no, 9)),
                    content: Text::default(),
                });
                return Target::Tab;
            }
            self.error(
                Pos::new(no, 1),
                "a `## Tab:` heading belongs in a case study, before its first `## Item:`",
            );
            return Target::Skip;
        }
        self.error(
            Pos::new(no, 1),
            format!("expected `## Item: ID` or `## Tab: NAME`, found `## {title}`"),
        );
        Target::Skip
    }

    fn open_section(&mut self, no: u32, title: &str) -> Target {
        let Some(name) = SectionName::parse(title) else {
            self.error(
                Pos::new(no, 5),
                format!(
                    "unknown section `### {title}`: expected Options, Actions, Sources, Targets, \
                     Slot N, Statements, Solution, Explanation or References"
                ),
            );
            return Target::SkipSection;
        };
        let body = if name.has_entries() {
            SectionBody::Entries(vec![])
        } else {
            SectionBody::Text(Text::default())
        };
        if let Some(item) = self.current_block().items.last_mut() {
            item.sections.push(Section {
                name: Spanned::new(name, Pos::new(no, 5)),
                body,
            });
        }
        Target::Section
    }

    /// A bank file with content but no item is a mistake (a missing `## Item:` heading), not
    /// an empty bank: say so where the content starts.
    fn require_an_item(&mut self, lines: &[Line<'_>]) {
        let has_item = self.bank.blocks.iter().any(|b| !b.items.is_empty());
        if has_item {
            return;
        }
        if let Some(first) = lines.iter().find(|l| !l.text.trim().is_empty()) {
            self.error(
                Pos::new(first.no, 1),
                "this file holds no item: each question starts with a `## Item: ID` heading \
                 (see docs/bank-format.md)",
            );
        }
    }

    /// Option lines and item sections belong to an item; outside one they would be silently
    /// dropped, so they are errors at their place.
    fn stray_item_parts(&mut self, lines: &[Line<'_>]) {
        for line in lines.iter().filter(|l| !l.code) {
            let text = line.text.trim_start();
            let indent = line.text.len() - text.len();
            if let Some((3, title)) = line.heading
                && SectionName::parse(title).is_some()
            {
                self.error(
                    Pos::new(line.no, 1),
                    format!(
                        "`### {title}` outside any item: put it under an `## Item: ID` heading"
                    ),
                );
            } else if is_entry_line(text) {
                self.error(
                    Pos::new(line.no, col(indent)),
                    "an option line outside any item: options belong under `### Options` (or \
                     Actions, Sources, Targets, Slot N, Statements) of an `## Item: ID`",
                );
            }
        }
    }

    fn flush(&mut self, target: Target, lines: &[Line<'_>]) {
        match target {
            Target::Skip | Target::SkipSection => {}
            Target::BlockProse => {
                self.stray_item_parts(lines);
                if self.bank.blocks.is_empty() && lines.iter().all(|l| l.text.trim().is_empty()) {
                    return;
                }
                let is_group = !matches!(self.current_block().head, BlockHead::Plain(_));
                let (meta, rest) = if is_group {
                    self.split_meta(lines)
                } else {
                    (None, lines)
                };
                let prose = text_of(rest);
                let block = self.current_block();
                block.meta = meta;
                block.prose = prose;
            }
            Target::Tab => {
                let content = text_of(lines);
                if let Some(tab) = self.current_block().tabs.last_mut() {
                    tab.content = content;
                }
            }
            Target::Item => {
                let (meta, rest) = self.split_meta(lines);
                let stem = text_of(rest);
                if let Some(item) = self.current_block().items.last_mut() {
                    item.meta = meta;
                    item.stem = stem;
                }
            }
            Target::Section => self.flush_section(lines),
        }
    }

    fn flush_section(&mut self, lines: &[Line<'_>]) {
        let Some(name) = self
            .current_block()
            .items
            .last()
            .and_then(|i| i.sections.last())
            .map(|s| s.name.value)
        else {
            return;
        };
        let body = if name.has_entries() {
            SectionBody::Entries(self.entries(lines, name == SectionName::References))
        } else {
            SectionBody::Text(text_of(lines))
        };
        if let Some(section) = self
            .current_block()
            .items
            .last_mut()
            .and_then(|i| i.sections.last_mut())
        {
            section.body = body;
        }
    }

    /// Takes a leading ```` ```meta ```` block off the lines, if there is one.
    fn split_meta<'a, 'l>(&mut self, lines: &'a [Line<'l>]) -> (Option<Meta>, &'a [Line<'l>]) {
        let Some(start) = lines.iter().position(|l| !l.text.trim().is_empty()) else {
            return (None, lines);
        };
        let first = lines[start];
        if first.text.trim_end() != "```meta" {
            return (None, lines);
        }
        let mut meta = Meta {
            entries: vec![],
            pos: Pos::new(first.no, 1),
        };
        for (i, line) in lines.iter().enumerate().skip(start + 1) {
            if line.text.trim() == "```" {
                return (Some(meta), &lines[i + 1..]);
            }
            if line.text.trim().is_empty() {
                continue;
            }
            match self.meta_entry(line) {
                Some(entry) => meta.entries.push(entry),
                None => continue,
            }
        }
        // `classify` already reported the unclosed fence.
        (Some(meta), &lines[lines.len()..])
    }

    fn meta_entry(&mut self, line: &Line<'_>) -> Option<MetaEntry> {
        let indent = line.text.len() - line.text.trim_start().len();
        let Some((key, value)) = line.text.split_once(':') else {
            self.error(
                Pos::new(line.no, col(indent)),
                format!(
                    "expected `key: value` in the meta block, found `{}`",
                    line.text.trim()
                ),
            );
            return None;
        };
        let value_start = key.len() + 1 + (value.len() - value.trim_start().len());
        Some(MetaEntry {
            key: Spanned::new(key.trim().to_string(), Pos::new(line.no, col(indent))),
            value: Spanned::new(
                value.trim().to_string(),
                Pos::new(line.no, col_of(line.text, value_start)),
            ),
        })
    }

    fn entries(&mut self, lines: &[Line<'_>], plain: bool) -> Vec<Entry> {
        let mut entries: Vec<Entry> = Vec::new();
        let mut note_lines: Vec<(u32, &str)> = Vec::new();
        let finish = |entries: &mut Vec<Entry>, note_lines: &mut Vec<(u32, &str)>| {
            if let Some(entry) = entries.last_mut() {
                entry.note = note_text(note_lines);
            }
            note_lines.clear();
        };
        for line in lines {
            if let Some(rest) = line.text.strip_prefix("- ") {
                finish(&mut entries, &mut note_lines);
                if let Some(entry) = self.entry(line.no, rest, plain) {
                    entries.push(entry);
                }
            } else if line.text.trim().is_empty() {
                if !entries.is_empty() {
                    note_lines.push((line.no, ""));
                }
            } else if line.text.starts_with("  ") && !entries.is_empty() {
                note_lines.push((line.no, &line.text[2..]));
            } else {
                let found: String = line.text.trim().chars().take(40).collect();
                self.error(
                    Pos::new(line.no, 1),
                    format!(
                        "expected a list entry starting with `- ` (or a note indented by two \
                         spaces under one), found `{found}`"
                    ),
                );
            }
        }
        finish(&mut entries, &mut note_lines);
        entries
    }

    /// One `- [mark] L. text` line; `rest` is what follows `- `.
    fn entry(&mut self, no: u32, rest: &str, plain: bool) -> Option<Entry> {
        let pos = Pos::new(no, 1);
        let mut offset = 2; // bytes of the line before `rest`
        let mut rest = rest;
        let mut mark = None;
        if !plain && rest.starts_with('[') {
            let Some(close) = rest.find(']') else {
                self.error(
                    Pos::new(no, 3),
                    "expected `]` closing the key in square brackets",
                );
                return None;
            };
            mark = Some(Spanned::new(rest[1..close].to_string(), Pos::new(no, 4)));
            let after = &rest[close + 1..];
            let Some(after) = after.strip_prefix(' ') else {
                self.error(
                    Pos::new(no, col(offset + close + 1)),
                    "expected a space and the entry's text after the key",
                );
                return None;
            };
            offset += close + 2;
            rest = after;
        }
        let mut label = None;
        let mut chars = rest.chars();
        if !plain
            && let (Some(l), Some('.'), Some(' ')) = (chars.next(), chars.next(), chars.next())
            && l.is_ascii_uppercase()
        {
            label = Some(Spanned::new(l, Pos::new(no, col(offset))));
            offset += 3;
            rest = &rest[3..];
        }
        let text = rest.trim_end();
        Some(Entry {
            pos,
            mark,
            label,
            text: Spanned::new(text.to_string(), Pos::new(no, col(offset))),
            note: Text::default(),
        })
    }
}

/// A 1-based column from a 0-based byte offset into an ASCII prefix.
fn col(offset: usize) -> u32 {
    u32::try_from(offset + 1).unwrap_or(u32::MAX)
}

/// A 1-based column (in characters) of a byte offset into `line`.
fn col_of(line: &str, offset: usize) -> u32 {
    let prefix = line.get(..offset).unwrap_or(line);
    u32::try_from(prefix.chars().count() + 1).unwrap_or(u32::MAX)
}

fn opens_fence(text: &str) -> Option<(char, usize)> {
    let trimmed = text.trim_start_matches(' ');
    if text.len() - trimmed.len() > 3 {
        return None;
    }
    let ch = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = trimmed.chars().take_while(|c| *c == ch).count();
    // A backtick fence's info string may not contain backticks (CommonMark).
    let info_ok = ch == '~' || !trimmed[len..].contains('`');
    (len >= 3 && info_ok).then_some((ch, len))
}

fn closes_fence(text: &str, ch: char, len: usize) -> bool {
    let trimmed = text.trim_start_matches(' ');
    if text.len() - trimmed.len() > 3 {
        return false;
    }
    let run = trimmed.chars().take_while(|c| *c == ch).count();
    run >= len && trimmed[run * ch.len_utf8()..].trim().is_empty()
}

/// `- [x] A. …`, `- [ ] B. …`, `- [2] C. …`, `- [B] 1. …`: the shape of an entry of an item's list.
fn is_entry_line(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("- [") else {
        return false;
    };
    let Some((mark, after)) = rest.split_once(']') else {
        return false;
    };
    let mark_ok =
        mark.chars().count() <= 2 && mark.chars().all(|c| c == ' ' || c.is_ascii_alphanumeric());
    let label = after.trim_start();
    let labelled = label.split_once('.').is_some_and(|(l, _)| {
        !l.is_empty() && l.len() <= 2 && l.chars().all(|c| c.is_ascii_alphanumeric())
    });
    mark_ok && labelled
}

fn heading_of(text: &str) -> Option<(u8, &str)> {
    for (level, prefix) in [(3u8, "### "), (2, "## "), (1, "# ")] {
        if let Some(rest) = text.strip_prefix(prefix) {
            let rest = rest.trim();
            return (!rest.is_empty()).then_some((level, rest));
        }
    }
    None
}

/// The lines as one text, without leading and trailing blank lines.
fn text_of(lines: &[Line<'_>]) -> Text {
    let Some(first) = lines.iter().position(|l| !l.text.trim().is_empty()) else {
        return Text::default();
    };
    let last = lines
        .iter()
        .rposition(|l| !l.text.trim().is_empty())
        .unwrap_or(first);
    let text = lines[first..=last]
        .iter()
        .map(|l| l.text.trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    Text {
        text,
        pos: Pos::new(lines[first].no, 1),
        indent: 0,
    }
}

fn note_text(lines: &[(u32, &str)]) -> Text {
    let Some(first) = lines.iter().position(|(_, l)| !l.trim().is_empty()) else {
        return Text::default();
    };
    let last = lines
        .iter()
        .rposition(|(_, l)| !l.trim().is_empty())
        .unwrap_or(first);
    let text = lines[first..=last]
        .iter()
        .map(|(_, l)| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    Text {
        text,
        pos: Pos::new(lines[first].0, 3),
        indent: 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_inside_code_fences_are_code() {
        let src = "# T\n\n## Item: a\n\n```meta\ntype: single\n```\n\nStem\n\n```python\n# comment\n## not a heading\n```\n\n### Explanation\n\nBecause.\n";
        let (bank, diags) = parse("f.md", src);
        assert!(diags.is_empty(), "{diags:?}");
        let item = &bank.blocks[0].items[0];
        assert!(item.stem.text.contains("## not a heading"));
        assert_eq!(item.sections.len(), 1);
    }

    #[test]
    fn reports_positions_of_bad_lines() {
        let src =
            "## Item: a\n\n```meta\ntype single\n```\n### Options\n\n- [x A. one\noops\n### Wat\n";
        let (_, diags) = parse("f.md", src);
        let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            vec![
                "f.md:4:1: expected `key: value` in the meta block, found `type single`",
                "f.md:8:3: expected `]` closing the key in square brackets",
                "f.md:9:1: expected a list entry starting with `- ` (or a note indented by two spaces under one), found `oops`",
                "f.md:10:5: unknown section `### Wat`: expected Options, Actions, Sources, Targets, Slot N, Statements, Solution, Explanation or References",
            ]
        );
    }

    #[test]
    fn entries_carry_marks_labels_and_notes() {
        let src = "## Item: a\n\n### Options\n\n- [x] A. right\n- [ ] B. wrong\n  because\n\n  more\n- C. plain\n";
        let (bank, diags) = parse("f.md", src);
        assert!(diags.is_empty(), "{diags:?}");
        let SectionBody::Entries(entries) = &bank.blocks[0].items[0].sections[0].body else {
            panic!("expected entries");
        };
        assert_eq!(
            entries[0].mark.as_ref().map(|m| m.value.as_str()),
            Some("x")
        );
        assert_eq!(
            entries[1].mark.as_ref().map(|m| m.value.as_str()),
            Some(" ")
        );
        assert_eq!(entries[1].note.text, "because\n\nmore");
        assert_eq!(entries[1].note.pos.line, 7);
        assert_eq!(entries[2].mark, None);
        assert_eq!(entries[2].label.as_ref().map(|l| l.value), Some('C'));
        assert_eq!(entries[2].text.pos.col, 6);
    }
}
