//! Moodle GIFT (<https://docs.moodle.org/en/GIFT_format>), read as Moodle's
//! `question/format/gift/format.php` reads it.
//!
//! [`parse`] gives the questions as GIFT has them (every type Moodle documents, with
//! categories, names, `[id:]`/`[tag:]` comments, weights, feedback and text formats); the
//! importer then maps them onto certprep's types:
//!
//! | GIFT | certprep |
//! |---|---|
//! | multiple choice, one right answer (`=`) | `single` (a missing-word gap or only two options: `dropdown`) |
//! | multiple response (`~%50%`…) or several `=` | `multiple` (`choose` = the answers with a positive weight) |
//! | true/false | `dropdown` with the choices True and False |
//! | matching | `match` (an answer without question is an unused source) |
//! | ordering (Moodle 4.4+) | `order` |
//! | short answer, numerical, essay, description | not imported (certprep has no free-text item), reported |
//!
//! Partial credit and penalties are approximated (certprep scores one point per correct
//! part) and reported. Per-answer feedback becomes the option's note, general feedback the
//! explanation. Comments `// certprep KEY: VALUE` (written by [`export`]) carry the native
//! fields GIFT has no place for, so native → GIFT → native keeps them.

use std::fmt::Write as _;

use certprep_bank::syntax::Pos;
use certprep_domain::item::{Choice, Reference};
use certprep_domain::{Item, ItemBody};

use crate::native::{Body, Draft, MetaFields, Opt, Prepared, Preparer};

mod lean;
use crate::text::{LineIndex, html_to_markdown, looks_like_html, one_line};
use crate::{ExportSource, Exported, ImportError, Issue};

/// A text field's format prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    Moodle,
    Html,
    Plain,
    Markdown,
}

impl TextFormat {
    pub fn name(self) -> &'static str {
        match self {
            TextFormat::Moodle => "moodle",
            TextFormat::Html => "html",
            TextFormat::Plain => "plain",
            TextFormat::Markdown => "markdown",
        }
    }
}

/// A text with escapes resolved, and its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GiftText {
    pub format: TextFormat,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// Written with `=` (rather than `~`).
    pub equals: bool,
    /// `%n%` as written (a percentage; may be negative or decimal).
    pub weight: Option<f64>,
    pub text: GiftText,
    pub feedback: Option<GiftText>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub question: GiftText,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Description,
    Essay,
    TrueFalse {
        answer: bool,
        /// The first feedback: shown for the wrong answer.
        wrong_feedback: Option<GiftText>,
        /// The second: shown for the right answer.
        right_feedback: Option<GiftText>,
    },
    MultipleChoice(Vec<Answer>),
    ShortAnswer(Vec<Answer>),
    Matching(Vec<Pair>),
    /// Answers as written (`3:2`, `1..5`, `=%50%1822:2#feedback`).
    Numerical(Vec<String>),
    /// Items in the right order (Moodle 4.4+ ordering question), after the `>…` options line.
    Ordering {
        options: String,
        items: Vec<GiftText>,
    },
}

impl Kind {
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Description => "description",
            Kind::Essay => "essay",
            Kind::TrueFalse { .. } => "true/false",
            Kind::MultipleChoice(_) => "multiple choice",
            Kind::ShortAnswer(_) => "short answer",
            Kind::Matching(_) => "matching",
            Kind::Numerical(_) => "numerical",
            Kind::Ordering { .. } => "ordering",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub pos: Pos,
    pub category: Option<String>,
    pub id: Option<String>,
    pub tags: Vec<String>,
    /// `// certprep KEY: VALUE` comments.
    pub certprep: Vec<(String, String)>,
    pub title: Option<String>,
    /// The text before the answers, and after them when the answers sit mid-sentence.
    pub stem: GiftText,
    pub after: Option<String>,
    pub kind: Kind,
    pub general_feedback: Option<GiftText>,
}

impl Question {
    /// The stem as gift-pegjs shows it: a gap `_____` where the answers were, when text
    /// follows them.
    pub fn stem_with_gap(&self) -> String {
        match &self.after {
            Some(after) => [self.stem.text.trim(), "_____", after.trim()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
            None => self.stem.text.trim().to_string(),
        }
    }
}

/// What a GIFT file holds, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Category { pos: Pos, path: String },
    Question(Box<Question>),
}

/// Characters a backslash escapes.
const SPECIAL: &[u8] = b"~=#{}:\\n";

/// The text with every escape sequence `\X` replaced by two `\x01` bytes, so searches for
/// control characters find unescaped ones only, at the same byte offsets.
fn mask(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 1 < bytes.len() && SPECIAL.contains(&bytes[i + 1]) {
            out.extend_from_slice(&[1, 1]);
            i += 2;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes, so this stays valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Resolves escapes: `\~ \= \# \{ \} \: \\` give the character, `\n` a newline; any other
/// backslash stays.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some(&n) if "~=#{}:\\".contains(n) => {
                    out.push(n);
                    chars.next();
                }
                Some('n') => {
                    out.push('\n');
                    chars.next();
                }
                _ => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes text for GIFT: control characters and backslashes, and newlines as `\n` (a GIFT
/// question may not hold a blank line).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

/// A question's lines: the text joined with `\n`, and where each line starts in the piece.
struct Block<'s> {
    /// The piece's own text when no comment line interrupts the lines, a copy otherwise.
    text: std::borrow::Cow<'s, str>,
    /// Where the text starts in the piece, while it is the piece's own.
    start: usize,
    /// The piece's line (from 0) the text starts on.
    line: u32,
    /// (byte offset in `text`, byte offset in the piece) of each line, once the text is a
    /// copy; empty before.
    lines: Vec<(usize, usize)>,
    comments: Vec<String>,
}

impl<'s> Block<'s> {
    fn file_offset(&self, offset: usize) -> usize {
        if self.lines.is_empty() {
            return self.start + offset;
        }
        let i = self
            .lines
            .partition_point(|(o, _)| *o <= offset)
            .saturating_sub(1);
        self.lines.get(i).map_or(0, |(o, f)| f + (offset - o))
    }

    /// Adds the line at `start` in `source`: the text stays the piece's own while the line
    /// follows the last one.
    fn push_line(&mut self, source: &'s str, line: &str, start: usize) {
        if let std::borrow::Cow::Borrowed(text) = self.text {
            if self.start + text.len() + 1 == start {
                self.text = std::borrow::Cow::Borrowed(&source[self.start..start + line.len()]);
                return;
            }
            // A comment line came between: the text is copied, with its lines' places.
            self.lines = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .map(|o| (o, self.start + o))
                .collect();
        }
        let text = self.text.to_mut();
        text.push('\n');
        self.lines.push((text.len(), start));
        text.push_str(line);
    }
}

/// The questions' blocks of lines, one at a time (blank lines separate them; comment lines
/// belong to the question after them).
struct Blocks<'s> {
    source: &'s str,
    lines: std::str::Split<'s, char>,
    offset: usize,
    /// Lines (from 0) read so far.
    line: u32,
    comments: Vec<String>,
}

fn blocks(source: &str) -> Blocks<'_> {
    Blocks {
        source,
        lines: source.split('\n'),
        offset: 0,
        line: 0,
        comments: Vec::new(),
    }
}

/// A part of a GIFT file that reads alone exactly as it reads in the whole file (see
/// [`pieces`]), with the number of lines before it for positions in the file.
pub(crate) struct Piece<'a> {
    pub text: std::borrow::Cow<'a, str>,
    pub lines_before: u32,
}

impl Piece<'_> {
    fn lines(&self) -> u32 {
        let newlines = memchr::memchr_iter(b'\n', self.text.as_bytes()).count();
        u32::try_from(newlines).unwrap_or(u32::MAX)
    }
}

/// Cuts a GIFT file into pieces of about `size` bytes that read alone exactly as they read
/// in the whole file, so they can be read on several threads: a cut is at the start of a line
/// after a blank line, where the paragraph before that blank line holds no comment (comments
/// belong to the question after them, even across blank lines). Categories carry over a cut:
/// the caller applies them in file order.
pub(crate) fn pieces(source: &str, size: usize) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let (mut start, mut lines_before) = (0, 0u32);
    loop {
        let end = if source.len() - start > size {
            safe_cut(&source[start..], size).map(|cut| start + cut)
        } else {
            None
        };
        let piece = Piece {
            text: std::borrow::Cow::Borrowed(&source[start..end.unwrap_or(source.len())]),
            lines_before,
        };
        lines_before = lines_before.saturating_add(piece.lines());
        out.push(piece);
        match end {
            Some(end) => start = end,
            None => return out,
        }
    }
}

/// Reads a UTF-8 GIFT file piece by piece (see [`pieces`]), so that a large file is never held
/// whole: each piece is about `size` bytes, more when no safe cut comes sooner.
pub(crate) struct PieceReader<R> {
    input: R,
    /// Bytes read and not yet handed out: they start at a safe cut.
    pending: Vec<u8>,
    lines_before: u32,
    size: usize,
    /// The input has no more bytes.
    ended: bool,
    /// The last piece was handed out.
    done: bool,
}

impl<R: std::io::Read> PieceReader<R> {
    /// `input` must be UTF-8 with LF line ends (see [`crate::text::plain_utf8_lf`]); a
    /// byte-order mark is dropped.
    pub(crate) fn new(input: R, size: usize) -> Self {
        PieceReader {
            input,
            pending: Vec::new(),
            lines_before: 0,
            size: size.max(1),
            ended: false,
            done: false,
        }
    }

    /// Reads until `pending` holds `want` bytes or the input ends.
    fn fill(&mut self, want: usize) -> std::io::Result<()> {
        use std::io::Read as _;
        let before = self.pending.len();
        if before >= want || self.ended {
            return Ok(());
        }
        let missing = u64::try_from(want - before).unwrap_or(u64::MAX);
        self.pending.reserve(want - before);
        let read = (&mut self.input)
            .take(missing)
            .read_to_end(&mut self.pending)?;
        self.ended = u64::try_from(read).unwrap_or(u64::MAX) < missing;
        let first_bytes = before == 0 && self.lines_before == 0;
        if first_bytes && self.pending.starts_with("\u{feff}".as_bytes()) {
            self.pending.drain(..3);
        }
        Ok(())
    }

    fn next_piece(&mut self) -> std::io::Result<Option<Piece<'static>>> {
        if self.done {
            return Ok(None);
        }
        // A little more than a piece: the cut is usually within a few questions of `size`,
        // and what follows it is moved to the front for the next piece.
        let mut want = self.size.saturating_add(self.size / 16 + 4096);
        loop {
            self.fill(want)?;
            // Whole characters only: a cut is at a newline, never inside a character.
            let valid = match std::str::from_utf8(&self.pending) {
                Ok(t) => t.len(),
                Err(e) => e.valid_up_to(),
            };
            let text = std::str::from_utf8(&self.pending[..valid]).unwrap_or_default();
            let cut = (text.len() > self.size)
                .then(|| safe_cut(text, self.size))
                .flatten();
            let end = match (cut, self.ended) {
                (Some(cut), _) => cut,
                (None, false) => {
                    want = want.max(self.pending.len()).saturating_mul(2);
                    continue;
                }
                (None, true) => {
                    self.done = true;
                    if self.pending.is_empty() && self.lines_before > 0 {
                        return Ok(None);
                    }
                    self.pending.len()
                }
            };
            let rest = self.pending.split_off(end);
            let bytes = std::mem::replace(&mut self.pending, rest);
            let text = String::from_utf8(bytes).map_err(|e| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error())
            })?;
            let piece = Piece {
                text: std::borrow::Cow::Owned(text),
                lines_before: self.lines_before,
            };
            self.lines_before = self.lines_before.saturating_add(piece.lines());
            return Ok(Some(piece));
        }
    }
}

impl<R: std::io::Read> Iterator for PieceReader<R> {
    type Item = std::io::Result<Piece<'static>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_piece().transpose()
    }
}

/// The first safe cut (see [`pieces`]) after byte `from`: the start of a line that follows a
/// blank line, where the paragraph before the blank lines holds no comment.
fn safe_cut(source: &str, from: usize) -> Option<usize> {
    // `from` may fall inside a character: the search for the next newline goes by bytes.
    let next_newline = source
        .as_bytes()
        .get(from..)?
        .iter()
        .position(|b| *b == b'\n')?;
    let mut at = from + next_newline + 1;
    let mut after_blank = false;
    while at < source.len() {
        let end = source[at..].find('\n').map_or(source.len(), |i| at + i);
        if source[at..end].trim().is_empty() {
            after_blank = true;
        } else if after_blank && !paragraph_before_has_comment(source, at) {
            return Some(at);
        } else {
            after_blank = false;
        }
        at = end + 1;
    }
    None
}

/// Whether the last paragraph before byte `at` (the start of a line), blank lines skipped,
/// holds a comment line.
fn paragraph_before_has_comment(source: &str, at: usize) -> bool {
    source[..at]
        .rsplit('\n')
        .skip_while(|line| line.trim().is_empty())
        .take_while(|line| !line.trim().is_empty())
        .any(is_comment)
}

/// A comment line: it belongs to the question after it, even across blank lines.
fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with("//")
}

impl<'s> Iterator for Blocks<'s> {
    type Item = Block<'s>;

    fn next(&mut self) -> Option<Block<'s>> {
        let mut current: Option<Block<'s>> = None;
        for line in self.lines.by_ref() {
            let start = self.offset;
            self.offset += line.len() + 1;
            let line_number = self.line;
            self.line = self.line.saturating_add(1);
            let trimmed = line.trim();
            if is_comment(line) {
                self.comments.push(trimmed.to_string());
                continue;
            }
            if trimmed.is_empty() {
                if current.is_some() {
                    return current;
                }
                continue;
            }
            match &mut current {
                Some(block) => block.push_line(self.source, line, start),
                None => {
                    current = Some(Block {
                        text: std::borrow::Cow::Borrowed(line),
                        start,
                        line: line_number,
                        lines: Vec::new(),
                        comments: std::mem::take(&mut self.comments),
                    })
                }
            }
        }
        current
    }
}

/// Parses a GIFT file. Never fails: a question that cannot be read is an error issue at its
/// place, and parsing goes on with the next one.
pub fn parse(file: &str, source: &str, issues: &mut Vec<Issue>) -> Vec<Entry> {
    let mut out = Vec::new();
    parse_each(file, source, issues, &mut |entry, _| out.push(entry));
    out
}

/// Parses a GIFT file and hands each entry to `f` as soon as it is read (with the issues,
/// so that `f` can add its own).
pub fn parse_each(
    file: &str,
    source: &str,
    issues: &mut Vec<Issue>,
    f: &mut dyn FnMut(Entry, &mut Vec<Issue>),
) {
    let piece = Piece {
        text: std::borrow::Cow::Borrowed(source),
        lines_before: 0,
    };
    parse_piece(file, &piece, issues, f);
}

/// Parses the questions of a piece of a file (see [`pieces`]), or of the whole file.
/// Categories named before the piece are not known here: its questions carry only the
/// categories named inside it.
pub(crate) fn parse_piece(
    file: &str,
    piece: &Piece<'_>,
    issues: &mut Vec<Issue>,
    f: &mut dyn FnMut(Entry, &mut Vec<Issue>),
) {
    let mut no_lean = |_: &str, _: Pos| None::<std::convert::Infallible>;
    walk_piece(
        file,
        piece,
        issues,
        &mut no_lean,
        &mut |found, issues| match found {
            Found::Entry(entry) => f(entry, issues),
            Found::Lean(never) => match never {},
        },
    );
}

/// The position of a byte of a block's first line (as [`LineIndex::pos`] gives it).
fn first_line_pos(piece: &Piece<'_>, block: &Block<'_>, offset: usize) -> Pos {
    let line = piece
        .lines_before
        .saturating_add(block.line)
        .saturating_add(1);
    let before = block.text.get(..offset).map_or(0, |t| t.chars().count());
    Pos::new(line, u32::try_from(before + 1).unwrap_or(u32::MAX))
}

/// What [`walk_piece`] found: an entry, or a question its `lean` reader took.
enum Found<T> {
    Entry(Entry),
    Lean(T),
}

/// [`parse_piece`], offering each question that stands alone (no comment before it or
/// among its lines, no category line) to `lean` first: what it returns is handed on in the
/// question's place, and `None` leaves the question to the parser.
fn walk_piece<'t, T>(
    file: &str,
    piece: &'t Piece<'_>,
    issues: &mut Vec<Issue>,
    lean: &mut dyn FnMut(&'t str, Pos) -> Option<T>,
    f: &mut dyn FnMut(Found<T>, &mut Vec<Issue>),
) {
    // Built when a parsed question or a category needs positions (lean questions find
    // theirs from their block's line).
    let index = std::cell::OnceCell::new();
    let index = || index.get_or_init(|| LineIndex::after_lines(&piece.text, piece.lines_before));
    let mut category: Option<String> = None;
    for block in blocks(&piece.text) {
        let whole = block.text.as_ref();
        let lead = whole.len() - whole.trim_start().len();
        let categorised = whole[lead..].starts_with("$CATEGORY:");
        if let (std::borrow::Cow::Borrowed(text), true, false) =
            (&block.text, block.comments.is_empty(), categorised)
            && let Some(taken) = lean(text, first_line_pos(piece, &block, lead))
        {
            f(Found::Lean(taken), issues);
            continue;
        }
        let mut text = whole;
        let mut base = 0;
        if categorised {
            let line_end = text.find('\n').unwrap_or(text.len());
            let path = text[lead + "$CATEGORY:".len()..line_end].trim().to_string();
            let pos = index().pos(block.file_offset(lead));
            f(
                Found::Entry(Entry::Category {
                    pos,
                    path: path.clone(),
                }),
                issues,
            );
            category = Some(path);
            if line_end >= text.len() {
                continue;
            }
            base = line_end + 1;
            text = &text[base..];
        }
        let at = |offset: usize| index().pos(block.file_offset(base + offset));
        match question(text, &at) {
            Ok(Some(mut q)) => {
                q.category = category.clone();
                for c in &block.comments {
                    comment(c, &mut q);
                }
                f(Found::Entry(Entry::Question(Box::new(q))), issues);
            }
            Ok(None) => {}
            Err((offset, message)) => issues.push(Issue::error(file, at(offset), None, message)),
        }
    }
}

/// Reads `[id:…]`, `[tag:…]` and `certprep KEY: VALUE` from a comment line.
fn comment(line: &str, q: &mut Question) {
    let body = line.trim_start_matches('/').trim();
    if let Some(rest) = body.strip_prefix("certprep ") {
        if let Some((k, v)) = rest.split_once(':') {
            // `EXAM@DATE: ids` has a colon in neither part; a reference's URL has one.
            q.certprep
                .push((k.trim().to_string(), v.trim().to_string()));
        }
        return;
    }
    let mut rest = body;
    while let Some(start) = rest.find('[') {
        let Some(end) = rest[start..].find(']') else {
            break;
        };
        let inner = &rest[start + 1..start + end];
        if let Some(id) = inner.strip_prefix("id:") {
            q.id = Some(id.trim().to_string());
        } else if let Some(tag) = inner.strip_prefix("tag:") {
            q.tags.push(tag.trim().to_string());
        }
        rest = &rest[start + end + 1..];
    }
}

type Failure = (usize, String);

fn find_from(masked: &str, pat: &str, from: usize) -> Option<usize> {
    masked.get(from..)?.find(pat).map(|i| i + from)
}

/// Splits a leading `[format]` off a text.
fn format_prefix(s: &str) -> (Option<TextFormat>, &str) {
    let t = s.trim_start();
    for (prefix, f) in [
        ("[html]", TextFormat::Html),
        ("[moodle]", TextFormat::Moodle),
        ("[plain]", TextFormat::Plain),
        ("[markdown]", TextFormat::Markdown),
    ] {
        if t.get(..prefix.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
        {
            return (Some(f), &t[prefix.len()..]);
        }
    }
    (None, s)
}

/// A text field: its own format or the inherited one, escapes resolved. Outside Markdown a
/// line break in the file is a space (`\n` gives a real newline).
fn gift_text(raw: &str, inherited: TextFormat) -> GiftText {
    let (own, rest) = format_prefix(raw);
    let format = own.unwrap_or(inherited);
    let text = if format == TextFormat::Markdown {
        rest.lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        rest.split('\n')
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ")
    };
    GiftText {
        format,
        text: unescape(text.trim()),
    }
}

fn question(text: &str, at: &dyn Fn(usize) -> Pos) -> Result<Option<Question>, Failure> {
    let masked = mask(text);
    let mut start = masked.len() - masked.trim_start().len();
    let mut title = None;
    if masked[start..].starts_with("::") {
        let Some(end) = find_from(&masked, "::", start + 2) else {
            return Err((
                start,
                "a question name opened with `::` is not closed by `::`".into(),
            ));
        };
        title = Some(one_line(&unescape(&text[start + 2..end])));
        start = end + 2;
    }
    let (format, _) = format_prefix(&text[start..]);
    let format_skip = if format.is_some() {
        let t = &text[start..];
        let lead = t.len() - t.trim_start().len();
        lead + t[lead..].find(']').map_or(0, |i| i + 1)
    } else {
        0
    };
    let stem_start = start + format_skip;
    let format = format.unwrap_or(TextFormat::Moodle);
    let pos = at(masked.len() - masked.trim_start().len());
    let Some(open) = find_from(&masked, "{", stem_start) else {
        if masked[stem_start..].contains('}') {
            let close = find_from(&masked, "}", stem_start).unwrap_or(stem_start);
            return Err((
                close,
                "a `}` closes no answer block: write `\\}` for a literal brace".into(),
            ));
        }
        let stem = gift_text(&text[stem_start..], format);
        if stem.text.is_empty() && title.is_none() {
            return Ok(None);
        }
        return Ok(Some(new_question(
            pos,
            title,
            stem,
            None,
            Kind::Description,
            None,
        )));
    };
    let Some(close) = find_from(&masked, "}", open + 1) else {
        return Err((
            open,
            "the answer block opened here has no closing `}`".into(),
        ));
    };
    if let Some(second) = find_from(&masked[..close], "{", open + 1) {
        return Err((
            second,
            "a `{` inside an answer block: write `\\{` for a literal brace".into(),
        ));
    }
    let stem = gift_text(&text[stem_start..open], format);
    let after_raw = &text[close + 1..];
    let after = unescape(&one_line(after_raw));
    let after = (!after.is_empty()).then_some(after);
    let inner = &text[open + 1..close];
    let inner_masked = &masked[open + 1..close];
    let (answers, answers_masked, general) = match inner_masked.find("####") {
        Some(i) => (
            &inner[..i],
            &inner_masked[..i],
            Some(gift_text(&inner[i + 4..], format)),
        ),
        None => (inner, inner_masked, None),
    };
    let offset = open + 1;
    let kind = answer_kind(answers, answers_masked, format).map_err(|(o, m)| (offset + o, m))?;
    Ok(Some(new_question(pos, title, stem, after, kind, general)))
}

fn new_question(
    pos: Pos,
    title: Option<String>,
    stem: GiftText,
    after: Option<String>,
    kind: Kind,
    general_feedback: Option<GiftText>,
) -> Question {
    Question {
        pos,
        category: None,
        id: None,
        tags: vec![],
        certprep: vec![],
        title,
        stem,
        after,
        kind,
        general_feedback: general_feedback.filter(|g| !g.text.is_empty()),
    }
}

fn answer_kind(raw: &str, masked: &str, format: TextFormat) -> Result<Kind, Failure> {
    let lead = masked.len() - masked.trim_start().len();
    let t = masked.trim();
    if t.is_empty() {
        return Ok(Kind::Essay);
    }
    if t.starts_with('#') {
        let body = &raw[lead + 1..];
        let parts = split_markers(body, &masked[lead + 1..], b"=");
        let answers: Vec<String> =
            if parts.is_empty() || !masked[lead + 1..].trim_start().starts_with('=') {
                vec![one_line(&unescape(body))]
            } else {
                parts
                    .iter()
                    .map(|(_, s, _)| one_line(&unescape(&body[*s..])))
                    .collect()
            };
        return Ok(Kind::Numerical(
            answers.into_iter().filter(|a| !a.is_empty()).collect(),
        ));
    }
    if t.starts_with('>') {
        let body = &raw[lead + 1..];
        let mut lines = body.lines();
        let options = lines.next().unwrap_or("").trim().to_string();
        let items = lines
            .map(|l| gift_text(l, format))
            .filter(|t| !t.text.is_empty())
            .collect();
        return Ok(Kind::Ordering { options, items });
    }
    let head = t
        .split('#')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_uppercase();
    if matches!(head.as_str(), "T" | "TRUE" | "F" | "FALSE") {
        let body = &raw[lead..];
        let m = &masked[lead..];
        let hashes: Vec<usize> = m.match_indices('#').map(|(i, _)| i).collect();
        let feedback = |k: usize| -> Option<GiftText> {
            let s = *hashes.get(k)? + 1;
            let e = hashes.get(k + 1).copied().unwrap_or(body.len());
            let f = gift_text(&body[s..e], format);
            (!f.text.is_empty()).then_some(f)
        };
        return Ok(Kind::TrueFalse {
            answer: head.starts_with('T'),
            wrong_feedback: feedback(0),
            right_feedback: feedback(1),
        });
    }
    let first_eq = masked.find('=');
    let is_matching = first_eq.is_some_and(|e| masked[e..].contains("->")) && !masked.contains('~');
    if is_matching {
        let mut pairs = Vec::new();
        for (_, s, e) in split_markers(raw, masked, b"=") {
            let seg = &raw[s..e];
            let seg_m = &masked[s..e];
            let Some(arrow) = seg_m.find("->") else {
                return Err((s, "a matching answer needs `question -> answer`".into()));
            };
            let answer_end = seg_m[arrow..].find('#').map_or(seg.len(), |h| arrow + h);
            pairs.push(Pair {
                question: gift_text(&seg[..arrow], format),
                answer: one_line(&unescape(&seg[arrow + 2..answer_end])),
            });
        }
        return Ok(Kind::Matching(pairs));
    }
    if !masked.contains(['=', '~']) {
        // One right short answer needs no `=` (gift-pegjs reads `{One}` so).
        let (text, feedback) = match masked.find('#') {
            Some(h) => (&raw[..h], Some(&raw[h + 1..])),
            None => (raw, None),
        };
        let text = gift_text(text, format);
        return Ok(Kind::ShortAnswer(vec![Answer {
            equals: true,
            weight: None,
            feedback: feedback
                .map(|f| gift_text(f, format))
                .filter(|f| !f.text.is_empty()),
            text,
        }]));
    }
    let parts = split_markers(raw, masked, b"=~");
    if let Some(stray) = masked[..parts
        .first()
        .map_or(masked.len(), |p| p.1.saturating_sub(1))]
        .trim()
        .chars()
        .next()
    {
        let at = masked.find(stray).unwrap_or(0);
        return Err((
            at,
            format!("expected `=` or `~` before an answer, found `{stray}`"),
        ));
    }
    let mut answers = Vec::new();
    let mut has_tilde = false;
    for (marker, s, e) in parts {
        has_tilde |= marker == b'~';
        let seg = &raw[s..e];
        let seg_m = &masked[s..e];
        let lead = seg_m.len() - seg_m.trim_start().len();
        let (weight, wlen) = weight(&seg_m[lead..]);
        let body = &seg[lead + wlen..];
        let body_m = &seg_m[lead + wlen..];
        let (text, feedback) = match body_m.find('#') {
            Some(h) => (&body[..h], Some(&body[h + 1..])),
            None => (body, None),
        };
        let text = gift_text(text, format);
        // Feedback takes the question's format, not the answer's (as Moodle and gift-pegjs).
        answers.push(Answer {
            equals: marker == b'=',
            weight,
            feedback: feedback
                .map(|f| gift_text(f, format))
                .filter(|f| !f.text.is_empty()),
            text,
        });
    }
    Ok(if has_tilde {
        Kind::MultipleChoice(answers)
    } else {
        Kind::ShortAnswer(answers)
    })
}

/// `%50%`, `%-100%`, `%33.33333%` at the start of an answer: the weight and its length.
fn weight(s: &str) -> (Option<f64>, usize) {
    let Some(rest) = s.strip_prefix('%') else {
        return (None, 0);
    };
    let Some(end) = rest.find('%') else {
        return (None, 0);
    };
    match rest[..end].trim().parse::<f64>() {
        Ok(w) if w.is_finite() => (Some(w), end + 2),
        _ => (None, 0),
    }
}

/// The answers of a block: (marker, start after the marker, end) for each unescaped marker.
fn split_markers(_raw: &str, masked: &str, markers: &[u8]) -> Vec<(u8, usize, usize)> {
    markers_in(masked, markers).collect()
}

/// [`split_markers`] one answer at a time.
fn markers_in<'m>(
    masked: &'m str,
    markers: &'m [u8],
) -> impl Iterator<Item = (u8, usize, usize)> + 'm {
    let bytes = masked.as_bytes();
    // `->` of a matching answer is not a marker, nor `=` inside it.
    let is_marker = move |i: &usize| !(bytes[*i] == b'=' && bytes.get(i + 1) == Some(&b'>'));
    let next_from = move |from: usize| -> Option<usize> {
        let rest = bytes.get(from..)?;
        match *markers {
            [a] => memchr::memchr_iter(a, rest)
                .map(|i| from + i)
                .find(is_marker),
            [a, b] => memchr::memchr2_iter(a, b, rest)
                .map(|i| from + i)
                .find(is_marker),
            _ => (from..bytes.len()).find(|i| markers.contains(&bytes[*i]) && is_marker(i)),
        }
    };
    let mut next = next_from(0);
    std::iter::from_fn(move || {
        let at = next?;
        next = next_from(at + 1);
        Some((bytes[at], at + 1, next.unwrap_or(bytes.len())))
    })
}

/// A GIFT text as Markdown.
fn markdown(t: &GiftText) -> String {
    match t.format {
        TextFormat::Markdown => t.text.clone(),
        TextFormat::Html => html_to_markdown(&t.text),
        TextFormat::Moodle if looks_like_html(&t.text) => html_to_markdown(&t.text),
        TextFormat::Moodle | TextFormat::Plain => t.text.clone(),
    }
}

/// What reading a piece of a GIFT file gave, in file order.
pub(crate) enum Read<T> {
    /// `$CATEGORY:`: the questions after it (in this piece and the next) are in it.
    Category(String),
    /// A question, as [`read_piece`] prepared it.
    Question(T),
    /// A question that could not be read, or something dropped from one.
    Issue(Issue),
}

/// What [`read_piece`] read: the prepared questions, categories and issues in file order,
/// the text of the lean items (see [`crate::native::Finisher::commit_in`]), and the number of
/// entries (questions and categories).
pub(crate) struct PieceRead {
    pub reads: Vec<Read<Prepared>>,
    pub lean_text: String,
    pub entries: usize,
}

/// Reads the questions of a piece (see [`pieces`]) and prepares each. A question's category
/// is set by the caller from the [`Read::Category`]s. With `lean`, questions of the common
/// shapes are written directly ([`lean::question`]), the others parsed.
/// `lean_text` is where lean items are written (a used one may be given again: it is emptied).
pub(crate) fn read_piece(
    file: &str,
    piece: &Piece<'_>,
    preparer: &Preparer<'_>,
    lean: bool,
    mut lean_text: String,
) -> PieceRead {
    let mut reads = Vec::new();
    let mut entries = 0usize;
    let mut issues = Vec::new();
    lean_text.clear();
    if lean {
        // Lean items take about twice the bytes of their questions.
        lean_text.reserve(piece.text.len() * 5 / 2);
    }
    // One search of the piece clears all its questions of retired service names, in the
    // common case; otherwise each question's text is searched.
    let piece_cleared = lean && !preparer.names_may_occur(&piece.text);
    let mut buffers = lean::Buffers::default();
    let mut take_lean = |text, pos| {
        if !lean {
            return None;
        }
        buffers.clear();
        let item = lean::question(text, &mut buffers)?;
        let cleared = piece_cleared || !preparer.names_may_occur(text);
        preparer.prepare_lean(pos, &item, cleared, &mut lean_text)
    };
    walk_piece(
        file,
        piece,
        &mut issues,
        &mut take_lean,
        &mut |found, issues| {
            entries += 1;
            reads.extend(issues.drain(..).map(Read::Issue));
            match found {
                Found::Lean(prepared) => reads.push(Read::Question(prepared)),
                Found::Entry(Entry::Category { path, .. }) => reads.push(Read::Category(path)),
                Found::Entry(Entry::Question(q)) => {
                    let d = draft(file, &q, issues);
                    reads.extend(issues.drain(..).map(Read::Issue));
                    if let Some(d) = d {
                        reads.push(Read::Question(preparer.prepare(d)));
                    }
                }
            }
        },
    );
    reads.extend(issues.into_iter().map(Read::Issue));
    PieceRead {
        reads,
        lean_text,
        entries,
    }
}

/// The error for a file with no GIFT question in it.
pub(crate) fn nothing_read(file: &str) -> ImportError {
    ImportError::Unrecognised {
        file: file.to_string(),
        message:
            "no GIFT question found (questions are separated by blank lines; answers go in `{…}`)"
                .into(),
    }
}

fn name_of(q: &Question) -> Option<String> {
    q.id.clone()
        .map(|i| format!("[id:{i}]"))
        .or_else(|| q.title.clone())
        .map(|n| format!("`{n}`"))
        .or_else(|| {
            let s: String = one_line(&q.stem.text).chars().take(40).collect();
            Some(format!("\"{s}\""))
        })
}

fn draft(file: &str, q: &Question, issues: &mut Vec<Issue>) -> Option<Draft> {
    let name = name_of(q);
    let mut warn = |m: String| issues.push(Issue::warning(file, q.pos, name.clone(), m));
    let stem = markdown(&q.stem);
    let after = q.after.as_deref().map(|a| {
        // Moodle's fixtures leave `";` after a closing brace: not part of a sentence.
        if a.chars().all(|c| matches!(c, '"' | '\'' | ';')) {
            warn(format!("stray `{a}` after the answer block ignored"));
            String::new()
        } else {
            a.to_string()
        }
    });
    let gap = after.as_deref().is_some_and(|a| !a.is_empty());
    let with_gap = |filler: &str| -> String {
        match after.as_deref().filter(|a| !a.is_empty()) {
            Some(a) => format!("{} {filler} {a}", stem.trim_end())
                .trim()
                .to_string(),
            None => stem.clone(),
        }
    };
    let (stem, body) = match &q.kind {
        Kind::Description | Kind::Essay | Kind::ShortAnswer(_) | Kind::Numerical(_) => {
            issues.push(Issue::warning(
                file,
                q.pos,
                name,
                format!(
                    "{} question not imported: certprep has no item type for it",
                    q.kind.name()
                ),
            ));
            return None;
        }
        Kind::TrueFalse {
            answer,
            wrong_feedback,
            right_feedback,
        } => {
            let right = right_feedback.as_ref().map(markdown).unwrap_or_default();
            let wrong = wrong_feedback.as_ref().map(markdown).unwrap_or_default();
            let (t, f) = if *answer {
                (right, wrong)
            } else {
                (wrong, right)
            };
            let stem = if gap {
                with_gap("{{1}}")
            } else {
                format!("{}\n\n{{{{1}}}}", stem.trim_end())
            };
            (
                stem,
                Body::Dropdown(vec![vec![
                    Opt::new("True", *answer, t),
                    Opt::new("False", !*answer, f),
                ]]),
            )
        }
        Kind::MultipleChoice(answers) => {
            let options = choice_options(answers, &mut warn);
            let correct = options.iter().filter(|o| o.correct).count();
            if correct == 1 && (gap || options.len() == 2) {
                let stem = if gap {
                    with_gap("{{1}}")
                } else {
                    format!("{}\n\n{{{{1}}}}", stem.trim_end())
                };
                if !gap {
                    warn(
                        "two options only: imported as a drop-down (a `single` item needs three)"
                            .into(),
                    );
                }
                (stem, Body::Dropdown(vec![options]))
            } else {
                (with_gap("_____"), Body::Choice(options))
            }
        }
        Kind::Matching(pairs) => {
            let mut sources: Vec<(String, String)> = Vec::new();
            let mut targets = Vec::new();
            for p in pairs {
                let idx = match sources.iter().position(|(s, _)| *s == p.answer) {
                    Some(i) => i,
                    None => {
                        sources.push((p.answer.clone(), String::new()));
                        sources.len() - 1
                    }
                };
                let question = markdown(&p.question);
                if !question.trim().is_empty() {
                    targets.push((question, idx, String::new()));
                }
            }
            (with_gap("_____"), Body::Match { sources, targets })
        }
        Kind::Ordering { items, .. } => {
            let actions = items
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    (
                        markdown(t),
                        Some(u32::try_from(i + 1).unwrap_or(u32::MAX)),
                        String::new(),
                    )
                })
                .collect();
            (with_gap("_____"), Body::Order(actions))
        }
    };
    let mut d = Draft::new(q.pos, stem, body);
    d.name = q.title.clone();
    d.id = q.id.clone();
    d.category = q.category.clone();
    d.tags = q.tags.clone();
    d.explanation = q
        .general_feedback
        .as_ref()
        .map(markdown)
        .unwrap_or_default();
    apply_certprep(&q.certprep, &mut d, &mut warn);
    Some(d)
}

/// Applies `// certprep KEY: VALUE` comments to a draft.
fn apply_certprep(pairs: &[(String, String)], d: &mut Draft, warn: &mut dyn FnMut(String)) {
    for (k, v) in pairs {
        if let Err(m) = apply_field(&mut d.meta, &mut d.references, k, v) {
            warn(m);
        }
    }
}

/// One native field carried by a foreign format (GIFT comments, certprep CSV columns).
pub(crate) fn apply_field(
    meta: &mut MetaFields,
    references: &mut Vec<Reference>,
    key: &str,
    value: &str,
) -> Result<(), String> {
    let bad = |what: &str| format!("certprep `{key}: {value}` ignored: {what}");
    match key {
        "difficulty" => meta.difficulty = Some(value.parse().map_err(|_| bad("expected 1 to 5"))?),
        "reviewed" => {
            meta.reviewed = Some(certprep_domain::exam::parse_date(value).map_err(|e| bad(&e))?)
        }
        "version" => meta.version = Some(value.parse().map_err(|_| bad("expected a number"))?),
        "shuffle" | "reuse" => {
            let b = match value {
                "yes" => true,
                "no" => false,
                _ => return Err(bad("expected yes or no")),
            };
            if key == "shuffle" {
                meta.shuffle = Some(b);
            } else {
                meta.reuse = Some(b);
            }
        }
        "reference" => references.push(parse_reference(value)),
        _ if key.contains('@') => {
            let outline = key
                .parse()
                .map_err(|e: certprep_domain::exam::OutlineRefError| bad(&e.0))?;
            let ids: Vec<String> = value
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            meta.objectives.insert(outline, ids);
        }
        _ => return Err(bad("unknown key")),
    }
    Ok(())
}

/// `[title](url)` or a bare URL.
pub(crate) fn parse_reference(s: &str) -> Reference {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix('[')
        && let Some((title, rest)) = rest.split_once("](")
        && let Some(url) = rest.strip_suffix(')')
    {
        return Reference {
            title: Some(title.to_string()),
            url: url.to_string(),
        };
    }
    Reference {
        title: None,
        url: s.to_string(),
    }
}

pub(crate) fn reference_text(r: &Reference) -> String {
    match &r.title {
        Some(t) => format!("[{t}]({})", r.url),
        None => r.url.clone(),
    }
}

/// The options of a multiple-choice question, with weights turned into a key.
fn choice_options(answers: &[Answer], warn: &mut dyn FnMut(String)) -> Vec<Opt> {
    let any_equals = answers.iter().any(|a| a.equals);
    let full = |a: &Answer| a.weight.is_none_or(|w| w >= 99.99);
    let mut partial = Vec::new();
    let options: Vec<Opt> = answers
        .iter()
        .map(|a| {
            let correct = if any_equals {
                let c = a.equals && full(a);
                if !c && a.weight.is_some_and(|w| w > 0.0) {
                    partial.push(one_line(&a.text.text));
                }
                c
            } else {
                a.weight.is_some_and(|w| w > 0.0)
            };
            Opt::new(
                markdown(&a.text),
                correct,
                a.feedback.as_ref().map(markdown).unwrap_or_default(),
            )
        })
        .collect();
    if !partial.is_empty() {
        warn(format!(
            "partial credit dropped: {} counted as wrong (certprep has one key per single-answer item)",
            partial
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !any_equals {
        let positive: Vec<f64> = answers
            .iter()
            .filter_map(|a| a.weight)
            .filter(|w| *w > 0.0)
            .collect();
        let even = positive.windows(2).all(|w| (w[0] - w[1]).abs() < 0.01);
        let total: f64 = positive.iter().sum();
        if !even || (total - 100.0).abs() > 0.5 {
            warn(format!(
                "weights {} approximated: each option with a positive weight is a key worth one point",
                positive
                    .iter()
                    .map(|w| format!("{w}%"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    options
}

// ---------------------------------------------------------------------------------------
// Export

fn header(out: &mut String, item: &Item, id: &str) {
    let _ = writeln!(out, "// [id:{id}]");
    if !item.tags.is_empty() {
        let tags: Vec<String> = item
            .tags
            .iter()
            .map(|t| format!("[tag:{}]", t.replace(']', "")))
            .collect();
        let _ = writeln!(out, "// {}", tags.join(" "));
    }
    let _ = writeln!(out, "// certprep difficulty: {}", item.difficulty);
    let _ = writeln!(out, "// certprep reviewed: {}", item.reviewed);
    if item.version > 1 {
        let _ = writeln!(out, "// certprep version: {}", item.version);
    }
    if !item.shuffle {
        let _ = writeln!(out, "// certprep shuffle: no");
    }
    if let ItemBody::Match { reuse: true, .. } = item.body {
        let _ = writeln!(out, "// certprep reuse: yes");
    }
    for (outline, ids) in &item.objectives {
        let _ = writeln!(out, "// certprep {outline}: {}", ids.join(", "));
    }
    for r in &item.references {
        let _ = writeln!(
            out,
            "// certprep reference: {}",
            one_line(&reference_text(r))
        );
    }
}

fn md(s: &str) -> String {
    format!("[markdown]{}", escape(s))
}

fn feedback(note: &str) -> String {
    if note.trim().is_empty() {
        String::new()
    } else {
        format!("#{}", escape(note))
    }
}

fn general(item: &Item) -> String {
    if item.explanation.trim().is_empty() {
        String::new()
    } else {
        format!("\n\t####{}", md(&item.explanation))
    }
}

fn choices(out: &mut String, options: &[Choice], weights: Option<&str>) {
    for o in options {
        let marker = match (weights, o.correct) {
            (None, true) => "=".to_string(),
            (None, false) => "~".to_string(),
            (Some(w), true) => format!("~%{w}%"),
            (Some(_), false) => "~%-100%".to_string(),
        };
        let _ = write!(out, "\n\t{marker}{}{}", escape(&o.text), feedback(&o.note));
    }
}

/// A weight as GIFT writes it: `50`, `33.33333`.
fn percent(n: u32) -> String {
    if n == 0 {
        return "100".into();
    }
    let w = 100.0 / f64::from(n);
    let s = format!("{w:.5}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub(crate) fn export(source: &ExportSource<'_>) -> Exported {
    let mut out = String::from(
        "// Exported by certprep. Text is Markdown; `// certprep` comments keep the\n// fields GIFT has no place for, so certprep can import this file without loss.\n\n",
    );
    let mut issues = Vec::new();
    let mut count = 0;
    let mut last_category: Option<String> = None;
    for item in &source.items {
        let category = crate::category_of(item);
        if category.is_some() && category != last_category {
            let _ = writeln!(
                out,
                "$CATEGORY: $course$/top/{}\n",
                category.clone().unwrap_or_default()
            );
            last_category = category;
        }
        let stem = source.full_stem(item);
        if let Some(certprep_domain::item::Membership::CaseStudy(id)) = &item.group {
            issues.push(Issue::warning(
                "gift",
                Pos::default(),
                Some(item.id.clone()),
                format!("item of case study `{id}`: the case study's title and tabs are written before its stem"),
            ));
        }
        let warn = |m: &str| Issue::warning("gift", Pos::default(), Some(item.id.clone()), m);
        let mut q = String::new();
        match &item.body {
            ItemBody::Single { options } => {
                header(&mut q, item, &item.id);
                let _ = write!(q, "::{}::{}{{", escape(&item.id), md(&stem));
                choices(&mut q, options, None);
                let _ = write!(q, "{}\n}}\n\n", general(item));
            }
            ItemBody::Multiple { choose, options } => {
                header(&mut q, item, &item.id);
                let _ = write!(q, "::{}::{}{{", escape(&item.id), md(&stem));
                choices(&mut q, options, Some(&percent(*choose)));
                let _ = write!(q, "{}\n}}\n\n", general(item));
            }
            ItemBody::Dropdown { slots }
                if slots.len() == 1 && stem.matches("{{1}}").count() == 1 =>
            {
                header(&mut q, item, &item.id);
                let slot = &slots[0];
                let tf = slot.choices.len() == 2
                    && slot.choices[0].text == "True"
                    && slot.choices[1].text == "False"
                    && stem.trim_end().ends_with("\n\n{{1}}");
                if tf {
                    let truth = slot.choices[0].correct;
                    let (right, wrong) = if truth {
                        (&slot.choices[0].note, &slot.choices[1].note)
                    } else {
                        (&slot.choices[1].note, &slot.choices[0].note)
                    };
                    let before = stem.trim_end().trim_end_matches("{{1}}").trim_end();
                    let _ = write!(
                        q,
                        "::{}::{}{{{}#{}#{}{}\n}}\n\n",
                        escape(&item.id),
                        md(before),
                        if truth { "TRUE" } else { "FALSE" },
                        escape(wrong),
                        escape(right),
                        general(item)
                    );
                } else {
                    let (before, after) = stem.split_once("{{1}}").unwrap_or((&stem, ""));
                    let _ = write!(q, "::{}::{}{{", escape(&item.id), md(before));
                    choices(&mut q, &slot.choices, None);
                    let _ = write!(q, "{}\n}}{}\n\n", general(item), escape(after));
                }
            }
            ItemBody::Dropdown { .. } => {
                issues.push(warn("not exported: GIFT has no question with several drop-down gaps (use Moodle XML)"));
                continue;
            }
            ItemBody::Order { .. } => {
                // Moodle's GIFT has no ordering question: other readers (gift-pegjs, Moodle)
                // take `{>N …}` for a short answer whose only right answer is the whole list.
                issues.push(warn(
                    "not exported: GIFT has no ordering question (use Moodle XML or QTI)",
                ));
                continue;
            }
            ItemBody::Match {
                sources, targets, ..
            } => {
                if sources.iter().any(|s| !s.note.trim().is_empty())
                    || targets.iter().any(|t| !t.note.trim().is_empty())
                {
                    issues.push(warn("notes on sources and targets dropped: GIFT matching has no per-answer feedback"));
                }
                header(&mut q, item, &item.id);
                let _ = write!(q, "::{}::{}{{", escape(&item.id), md(&stem));
                let text_of = |k: char| {
                    sources
                        .iter()
                        .find(|s| s.label == k)
                        .map(|s| s.text.as_str())
                        .unwrap_or("")
                };
                for t in targets {
                    let _ = write!(q, "\n\t={} -> {}", escape(&t.text), escape(text_of(t.key)));
                }
                for s in sources
                    .iter()
                    .filter(|s| targets.iter().all(|t| t.key != s.label))
                {
                    let _ = write!(q, "\n\t= -> {}", escape(&s.text));
                }
                let _ = write!(q, "{}\n}}\n\n", general(item));
            }
            ItemBody::YesNo { statements } => {
                issues.push(warn(&format!(
                    "yes/no grid written as {} true/false questions `{}-1`…",
                    statements.len(),
                    item.id
                )));
                for (i, s) in statements.iter().enumerate() {
                    let id = format!("{}-{}", item.id, i + 1);
                    header(&mut q, item, &id);
                    let text = format!("{stem}\n\n{}", s.text);
                    tf(&mut q, &id, &text, s.answer, &s.note, item);
                }
            }
            ItemBody::Solution { statement } => {
                header(&mut q, item, &item.id);
                let text = format!(
                    "{stem}\n\n**Solution:** {}\n\nDoes the solution meet the goal?",
                    statement.text
                );
                tf(
                    &mut q,
                    &item.id,
                    &text,
                    statement.answer,
                    &statement.note,
                    item,
                );
            }
        }
        count += 1;
        out.push_str(&q);
    }
    Exported {
        bytes: out.into_bytes(),
        items: count,
        issues,
    }
}

fn tf(q: &mut String, id: &str, text: &str, answer: bool, note: &str, item: &Item) {
    // The note explains the statement whatever was answered: show it both ways.
    let _ = write!(
        q,
        "::{}::{}{{{}#{}#{}{}\n}}\n\n",
        escape(id),
        md(text),
        if answer { "TRUE" } else { "FALSE" },
        escape(note),
        escape(note),
        general(item)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(src: &str) -> Question {
        let mut issues = vec![];
        let entries = parse("t.gift", src, &mut issues);
        assert!(issues.is_empty(), "{issues:?}");
        match entries.into_iter().next() {
            Some(Entry::Question(q)) => *q,
            other => panic!("expected a question, got {other:?}"),
        }
    }

    #[test]
    fn escapes_and_weights() {
        let q = one(
            "::A\\: b::Which \\{x\\}? {\n ~%-50%\\= 2 #no\n ~%33.33333%three\n =%50%half # meh\n}",
        );
        assert_eq!(q.title.as_deref(), Some("A: b"));
        assert_eq!(q.stem.text, "Which {x}?");
        let Kind::MultipleChoice(a) = &q.kind else {
            panic!("{:?}", q.kind)
        };
        assert_eq!(a[0].weight, Some(-50.0));
        assert_eq!(a[0].text.text, "= 2");
        assert_eq!(a[0].feedback.as_ref().map(|f| f.text.as_str()), Some("no"));
        assert_eq!(a[1].weight, Some(33.33333));
        assert!(a[2].equals);
    }

    #[test]
    fn true_false_feedback_order() {
        let q = one("Grant is buried.{FALSE#wrong one#right one####general}");
        assert_eq!(
            q.kind,
            Kind::TrueFalse {
                answer: false,
                wrong_feedback: Some(GiftText {
                    format: TextFormat::Moodle,
                    text: "wrong one".into()
                }),
                right_feedback: Some(GiftText {
                    format: TextFormat::Moodle,
                    text: "right one".into()
                }),
            }
        );
        assert_eq!(q.general_feedback.map(|g| g.text), Some("general".into()));
    }

    #[test]
    fn unclosed_block_is_an_error_with_position() {
        let mut issues = vec![];
        parse("t.gift", "Q1 {=a ~b}\n\nQ2 {=a\n~b\n", &mut issues);
        assert_eq!(issues.len(), 1);
        assert_eq!(
            issues[0].to_string(),
            "t.gift:3:4: the answer block opened here has no closing `}`"
        );
    }

    #[test]
    fn escape_round_trips() {
        let s = "a {b} ~c =d #e :f \\g\nh";
        assert_eq!(unescape(&escape(s)), s);
    }
}
