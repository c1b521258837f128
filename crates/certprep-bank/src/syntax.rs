//! The syntax tree of a bank file: what the author wrote, with positions, before any meaning is
//! given to it. `parse` builds it, `render` prints it back, `lower` turns it into domain items.
//!
//! Positions are not content: two trees that differ only in positions compare equal, so that
//! "parse, render, parse" can be checked for identity.

use std::fmt;

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, Default, Eq)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }
}

impl PartialEq for Pos {
    /// Always equal: positions locate content, they are not part of it.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> Spanned<T> {
    pub fn new(value: T, pos: Pos) -> Self {
        Spanned { value, pos }
    }
}

/// A run of Markdown lines. `pos` is where its first character stands; lines after the first
/// start at column `indent + 1` (notes are indented by two spaces in the file).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    pub text: String,
    pub pos: Pos,
    pub indent: u32,
}

impl Text {
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// The file position of a byte offset inside the text.
    pub fn pos_of(&self, offset: usize) -> Pos {
        let before = &self.text[..offset.min(self.text.len())];
        let newlines = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count();
        let col = if newlines == 0 {
            self.pos.col as usize + col
        } else {
            self.indent as usize + col + 1
        };
        Pos::new(
            self.pos.line + u32::try_from(newlines).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaEntry {
    pub key: Spanned<String>,
    pub value: Spanned<String>,
}

/// The ```` ```meta ```` block: `key: value` lines in the order written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Meta {
    pub entries: Vec<MetaEntry>,
    pub pos: Pos,
}

impl Meta {
    pub fn get(&self, key: &str) -> Option<&MetaEntry> {
        self.entries.iter().find(|e| e.key.value == key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BankFile {
    pub blocks: Vec<Block>,
}

/// What a level-1 heading opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockHead {
    /// `# Title`, or no heading at all for items at the top of a file.
    Plain(Option<Spanned<String>>),
    CaseStudy(Spanned<String>),
    Series(Spanned<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub head: BlockHead,
    pub meta: Option<Meta>,
    /// Text after the heading (and meta): a case study's introduction, a series' scenario.
    pub prose: Text,
    pub tabs: Vec<TabDoc>,
    pub items: Vec<ItemDoc>,
}

impl Block {
    pub fn new(head: BlockHead) -> Self {
        Block {
            head,
            meta: None,
            prose: Text::default(),
            tabs: vec![],
            items: vec![],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabDoc {
    pub name: Spanned<String>,
    pub content: Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemDoc {
    pub id: Spanned<String>,
    pub meta: Option<Meta>,
    pub stem: Text,
    pub sections: Vec<Section>,
}

/// The `###` sections an item may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionName {
    Options,
    Actions,
    Sources,
    Targets,
    Slot(u32),
    Statements,
    Solution,
    Explanation,
    References,
}

impl SectionName {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "Options" => SectionName::Options,
            "Actions" => SectionName::Actions,
            "Sources" => SectionName::Sources,
            "Targets" => SectionName::Targets,
            "Statements" => SectionName::Statements,
            "Solution" => SectionName::Solution,
            "Explanation" => SectionName::Explanation,
            "References" => SectionName::References,
            _ => {
                let n = s.strip_prefix("Slot ")?.trim();
                let n: u32 = n.parse().ok()?;
                SectionName::Slot(n)
            }
        })
    }

    /// Whether the section holds a list of entries (rather than free Markdown).
    pub fn has_entries(self) -> bool {
        !matches!(self, SectionName::Explanation)
    }
}

impl fmt::Display for SectionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SectionName::Options => f.write_str("Options"),
            SectionName::Actions => f.write_str("Actions"),
            SectionName::Sources => f.write_str("Sources"),
            SectionName::Targets => f.write_str("Targets"),
            SectionName::Slot(n) => write!(f, "Slot {n}"),
            SectionName::Statements => f.write_str("Statements"),
            SectionName::Solution => f.write_str("Solution"),
            SectionName::Explanation => f.write_str("Explanation"),
            SectionName::References => f.write_str("References"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub name: Spanned<SectionName>,
    pub body: SectionBody,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionBody {
    Entries(Vec<Entry>),
    Text(Text),
}

/// One list line, `- [mark] L. text`, with the indented note under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub pos: Pos,
    /// What the square brackets hold (`x`, ``, `2`, `B`, `yes`), or `None` without brackets.
    pub mark: Option<Spanned<String>>,
    pub label: Option<Spanned<char>>,
    pub text: Spanned<String>,
    pub note: Text,
}
