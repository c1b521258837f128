//! Import and export of question-bank formats.
//!
//! Importers read a foreign file (bytes in any common encoding: UTF-8 with or without BOM,
//! UTF-16 with BOM, legacy encodings detected with chardetng; CRLF or LF) and produce native
//! bank Markdown that `certprep-bank`'s parser and lint accept: each question becomes an item
//! when certprep has its type, and anything dropped or approximated is an [`Issue`] at the
//! question's `file:line:col`, naming it. Exporters start from a loaded
//! [`certprep_bank::Library`].
//!
//! | format | import | export |
//! |---|---|---|
//! | Moodle GIFT ([`gift`]) | every type Moodle documents (short answer, numerical, essay and description reported, not imported) | yes, lossless through `// certprep` comments |
//! | Markdown checkbox banks ([`markdown`]) | yes | — |
//! | CSV ([`csv_format`]): Moodle qformat_csv layouts, generic quiz sheets, certprep CSV | yes | certprep CSV (lossless) |
//! | Moodle XML ([`moodle_xml`]) | yes | yes, lossless through `<!-- certprep -->` comments |
//! | Anki text ([`anki`]) | yes (a note becomes a single-answer item) | yes (Basic notes) |
//! | Anki package `.apkg` ([`apkg`]) | no (refused with a clear message) | yes ([`export_apkg`]: one note per item in an SQLite collection) |
//! | IMS QTI 2.1, 2.2, 3.0 ([`qti`]): items, tests with sections, content packages (zip, or an unpacked folder through [`import_package`]) | choice, order, match, associate (as match), inline choice (as drop-down); other interactions reported | QTI 3.0 or 2.1 content package (zip) |
//!
//! **What a foreign format lacks.** The bank lint requires what GIFT or Moodle never carry:
//! an outline objective, a learn.microsoft.com reference, an explanation, a reason under every
//! distractor. [`ImportOptions`] supplies the first two (the caller asks the user for them);
//! a missing explanation or distractor reason is written as an explicit placeholder
//! ([`native::NO_EXPLANATION`], [`native::NO_REASON`]) and reported as a warning naming the
//! item, so the author knows what to write. An item that still fails the lint (too few
//! options, no key, duplicate options, a retired service name…) is not imported: it is an
//! error issue with the lint's reasons.
//!
//! Like `certprep-bank`, this crate reads no files and no clock: callers hand in bytes and
//! today's date, and write what they get back.

use std::collections::BTreeMap;
use std::fmt;

use certprep_bank::Library;
use certprep_bank::syntax::Pos;
use certprep_domain::item::Reference;
use certprep_domain::{Item, OutlineRef};
use chrono::NaiveDate;

pub mod anki;
pub mod apkg;
pub mod csv_format;
pub mod gift;
pub mod markdown;
pub mod moodle_xml;
pub mod native;
mod ordered;
pub mod qti;
pub mod text;

/// A question-bank format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Gift,
    MoodleXml,
    Csv,
    Markdown,
    AnkiText,
    /// IMS QTI: 2.1, 2.2 and 3.0 read, 3.0 written (a content package).
    Qti,
    /// IMS QTI 2.1 written (a content package); read as [`Format::Qti`].
    Qti21,
    /// An Anki deck package (`.apkg`), written with [`export_apkg`] (async: the collection
    /// is an SQLite database); not read.
    Apkg,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Gift,
        Format::MoodleXml,
        Format::Csv,
        Format::Markdown,
        Format::AnkiText,
        Format::Qti,
        Format::Qti21,
        Format::Apkg,
    ];

    /// The name used on the command line: `gift`, `moodle-xml`, `csv`, `markdown`,
    /// `anki-txt`, `qti` (QTI 3.0 on export), `qti21`, `apkg`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Gift => "gift",
            Format::MoodleXml => "moodle-xml",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::AnkiText => "anki-txt",
            Format::Qti => "qti",
            Format::Qti21 => "qti21",
            Format::Apkg => "apkg",
        }
    }

    /// A format by its name; `qti3` is also accepted for [`Format::Qti`] (what it exports).
    pub fn from_name(name: &str) -> Option<Format> {
        if name == "qti3" {
            return Some(Format::Qti);
        }
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether [`export`] (or [`export_apkg`] for `.apkg`) writes this format.
    pub fn can_export(self) -> bool {
        !matches!(self, Format::Markdown)
    }

    /// Whether [`import`] reads this format.
    pub fn can_import(self) -> bool {
        !matches!(self, Format::Apkg)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found while importing or exporting: where, which item, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub file: String,
    /// 1-based; 0 when the format has no lines (a whole-file or export problem).
    pub line: u32,
    pub col: u32,
    pub severity: Severity,
    /// The item's id (or the source's name for it), when the issue concerns one.
    pub item: Option<String>,
    pub message: String,
}

impl Issue {
    pub fn warning(file: &str, pos: Pos, item: Option<String>, message: impl Into<String>) -> Self {
        Issue::new(file, pos, Severity::Warning, item, message)
    }

    pub fn error(file: &str, pos: Pos, item: Option<String>, message: impl Into<String>) -> Self {
        Issue::new(file, pos, Severity::Error, item, message)
    }

    fn new(
        file: &str,
        pos: Pos,
        severity: Severity,
        item: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Issue {
            file: file.to_string(),
            line: pos.line,
            col: pos.col,
            severity,
            item,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.col)?;
        }
        f.write_str(": ")?;
        if self.severity == Severity::Warning {
            f.write_str("warning: ")?;
        }
        if let Some(item) = &self.item {
            write!(f, "item {item}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// A file that cannot be imported at all. Problems with single questions are [`Issue`]s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: {message}")]
    Encoding { file: String, message: String },
    #[error("{file}:{line}:{col}: {message}")]
    Syntax {
        file: String,
        line: u32,
        col: u32,
        message: String,
    },
    #[error("{file}: {message}")]
    Unrecognised { file: String, message: String },
    #[error("{file}: cannot write the bank file: {message}")]
    Write { file: String, message: String },
    #[error("{file}: cannot read: {message}")]
    Read { file: String, message: String },
}

impl ImportError {
    pub(crate) fn syntax(file: &str, pos: Pos, message: impl Into<String>) -> Self {
        ImportError::Syntax {
            file: file.to_string(),
            line: pos.line,
            col: pos.col,
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("{0} cannot be exported (it is an import-only format)")]
    ImportOnly(Format),
    #[error("nothing to export: {0}")]
    Empty(String),
    #[error("writing {format}: {message}")]
    Write { format: Format, message: String },
    #[error("{0} is written by its own exporter (`export_apkg`)")]
    OwnExporter(Format),
}

/// What a foreign format does not carry but every native item needs.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Today: reviewed dates after it are refused, as the lint does.
    pub today: NaiveDate,
    /// The `reviewed:` date written on imported items (default: today).
    pub reviewed: Option<NaiveDate>,
    /// `difficulty:` for items whose source has none (default 3).
    pub difficulty: u8,
    /// The `EXAM@DATE: objectives` lines written on items whose source has none. The bank
    /// lint refuses an item that serves no outline.
    pub objectives: BTreeMap<OutlineRef, Vec<String>>,
    /// References added to items whose source has no learn.microsoft.com reference. The bank
    /// lint refuses an item without one.
    pub references: Vec<Reference>,
    /// Prefix for generated ids (default: the file name as a slug).
    pub id_prefix: Option<String>,
    /// The library the items will join (its catalog and service names): when given, items
    /// are also checked as `certprep bank lint` checks them (objectives exist, service names
    /// are current for their outlines), and refused with its reasons otherwise.
    pub library: Option<Library>,
    /// Ids already in use (files imported before this one, the target folder): generated and
    /// source ids avoid them (and the ids of [`ImportOptions::library`]) with a `-2`, `-3`…
    /// suffix, so items never replace existing ones by accident.
    pub taken_ids: std::collections::BTreeSet<String>,
}

impl ImportOptions {
    pub fn new(today: NaiveDate) -> Self {
        ImportOptions {
            today,
            reviewed: None,
            difficulty: 3,
            objectives: BTreeMap::new(),
            references: vec![],
            id_prefix: None,
            library: None,
            taken_ids: std::collections::BTreeSet::new(),
        }
    }

    pub(crate) fn reviewed(&self) -> NaiveDate {
        self.reviewed.unwrap_or(self.today)
    }
}

/// The result of importing one file.
#[derive(Debug, Clone)]
pub struct Imported {
    pub format: Format,
    /// The items, as `certprep-bank` reads them back from [`Imported::markdown`].
    pub items: Vec<Item>,
    /// The bank file to write (`DIR/<name>.md`); empty when no item was imported.
    pub markdown: String,
    /// Warnings (approximations, placeholders, dropped parts) and errors (questions not
    /// imported), each at its place in the source.
    pub issues: Vec<Issue>,
    /// The encoding the file was decoded from when it was not UTF-8.
    pub encoding: Option<&'static str>,
}

impl Imported {
    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| !i.is_error())
    }

    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.is_error())
    }
}

/// Guesses a file's format from its name and first bytes.
/// A file name that says GIFT, whatever its content.
fn named_gift(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    lower.ends_with(".gift") || lower.ends_with(".gift.txt")
}

pub fn detect(file: &str, bytes: &[u8]) -> Option<Format> {
    let lower = file.to_ascii_lowercase();
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_string();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if named_gift(file) {
        return Some(Format::Gift);
    }
    if (lower.ends_with(".xml") || lower.ends_with(".zip")) && qti::looks_like_qti(bytes) {
        return Some(Format::Qti);
    }
    if lower.ends_with(".xml") {
        return (head.contains("<quiz") || head.contains("<question")).then_some(Format::MoodleXml);
    }
    if lower.ends_with(".csv") {
        return Some(Format::Csv);
    }
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        return Some(Format::Markdown);
    }
    if qti::looks_like_qti(bytes) {
        return Some(Format::Qti);
    }
    if head.starts_with("<?xml") || head.starts_with("<quiz") {
        return Some(Format::MoodleXml);
    }
    if head
        .lines()
        .any(|l| l.starts_with("#separator:") || l.starts_with("#html:"))
    {
        return Some(Format::AnkiText);
    }
    if lower.ends_with(".txt") || lower.ends_with(".tsv") {
        let gift_like = head.contains('{') && head.contains('}')
            || head
                .lines()
                .any(|l| l.starts_with("::") || l.starts_with("$CATEGORY:"));
        return Some(if gift_like {
            Format::Gift
        } else {
            Format::AnkiText
        });
    }
    None
}

/// Packages this crate does not read yet, with what to do instead.
fn unsupported_package(file: &str, bytes: &[u8]) -> Option<String> {
    let lower = file.to_ascii_lowercase();
    let zip = bytes.starts_with(b"PK\x03\x04");
    if lower.ends_with(".apkg") || lower.ends_with(".colpkg") {
        return Some(
            "Anki packages (.apkg) are not read yet: in Anki, export the deck as \
             \"Notes in Plain Text\" and import that file (format anki-txt)"
                .into(),
        );
    }
    if zip && !qti::looks_like_qti(bytes) {
        return Some(
            "this zip holds no imsmanifest.xml, so it is not a QTI content package (and Anki \
             decks, .apkg, are not read yet): import the questions as QTI, GIFT, Moodle XML, \
             CSV, Markdown or Anki text"
                .into(),
        );
    }
    None
}

/// Imports one file. `file` is the path as shown in messages; `format` is detected when
/// `None`. An `Err` means nothing in the file could be read; questions that could not be
/// imported are errors in [`Imported::issues`].
pub fn import(
    file: &str,
    bytes: &[u8],
    format: Option<Format>,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let mut markdown = Vec::new();
    let streamed = import_with(file, bytes, format, opts, &mut markdown, true, None)?;
    Ok(Imported {
        format: streamed.format,
        items: streamed.items,
        markdown: String::from_utf8(markdown).unwrap_or_default(),
        issues: streamed.issues,
        encoding: streamed.encoding,
    })
}

/// What [`import_to`] wrote.
#[derive(Debug, Clone)]
pub struct ImportSummary {
    pub format: Format,
    /// The ids of the items written, in order.
    pub ids: Vec<String>,
    /// How many issues were reported of each kind.
    pub warnings: usize,
    pub errors: usize,
    pub encoding: Option<&'static str>,
}

/// Imports one file as [`import`] does, writing the bank file to `out` item by item as the
/// source is read (for GIFT, question by question) and handing each issue to `report` as it
/// is found, so memory does not grow with the bank. Nothing is written when no item is
/// imported.
pub fn import_to(
    file: &str,
    bytes: &[u8],
    format: Option<Format>,
    opts: &ImportOptions,
    out: &mut dyn std::io::Write,
    report: &mut dyn FnMut(Issue),
) -> Result<ImportSummary, ImportError> {
    let streamed = import_with(file, bytes, format, opts, out, false, Some(&mut *report))?;
    // What the readers found (few: questions they could not read) comes after.
    let (mut warnings, mut errors) = (streamed.warnings, streamed.errors);
    for issue in streamed.issues {
        if issue.is_error() {
            errors += 1;
        } else {
            warnings += 1;
        }
        report(issue);
    }
    Ok(ImportSummary {
        format: streamed.format,
        ids: streamed.ids,
        warnings,
        errors,
        encoding: streamed.encoding,
    })
}

/// [`import_to`] from a file as it is read: a GIFT file (named `.gift`, or given as GIFT) in
/// UTF-8 with LF line ends is read and checked piece by piece and never held whole, so a large
/// bank takes little memory; any other file is read whole first. `open` opens the file, each
/// time from its start: a GIFT file is first checked to be plain UTF-8 with LF ends (its two
/// halves at once), so that nothing is written from a file that then turns out not to be.
pub fn import_stream<R>(
    file: &str,
    open: impl Fn() -> std::io::Result<R> + Sync,
    format: Option<Format>,
    opts: &ImportOptions,
    out: &mut dyn std::io::Write,
    report: &mut dyn FnMut(Issue),
) -> Result<ImportSummary, ImportError>
where
    R: std::io::Read + std::io::Seek + Send,
{
    let gift = format.map_or_else(|| named_gift(file), |f| f == Format::Gift);
    let read = |e: std::io::Error| read_error(file, &e);
    let streamable = gift && text::plain_utf8_lf_in_halves(&open).map_err(read)?;
    let mut input = open().map_err(read)?;
    if !streamable {
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes).map_err(read)?;
        return import_to(file, &bytes, format, opts, out, report);
    }
    let pieces = gift::PieceReader::new(input, GIFT_PIECE_BYTES);
    let kept = import_gift(file, pieces, opts, out, false, true, Some(report))?;
    Ok(ImportSummary {
        format: Format::Gift,
        ids: kept.ids,
        warnings: kept.warnings,
        errors: kept.errors,
        encoding: None,
    })
}

struct Streamed {
    format: Format,
    items: Vec<Item>,
    ids: Vec<String>,
    /// Issues not handed to the sink (all of them without one).
    issues: Vec<Issue>,
    /// Issues handed to the sink.
    warnings: usize,
    errors: usize,
    encoding: Option<&'static str>,
}

fn write_error(file: &str, e: &std::io::Error) -> ImportError {
    ImportError::Write {
        file: file.to_string(),
        message: e.to_string(),
    }
}

/// How much of a GIFT file one thread reads at a time: a few hundred questions, so that the
/// threads share the work evenly and only a few pieces wait in memory.
const GIFT_PIECE_BYTES: usize = 64 * 1024;

/// Imports a GIFT file: its pieces are read and checked on every core, and their items given
/// ids and written in file order. The readers' issues are reported in their place.
fn import_gift<'p>(
    file: &str,
    pieces: impl Iterator<Item = std::io::Result<gift::Piece<'p>>> + Send,
    opts: &ImportOptions,
    out: &mut dyn std::io::Write,
    keep_items: bool,
    lean: bool,
    sink: Option<&mut dyn FnMut(Issue)>,
) -> Result<native::FinishedCounts, ImportError> {
    let preparer = native::Preparer::new(file, opts, keep_items);
    let mut finisher = native::Finisher::new(&preparer, out, sink.map(|s| s as _));
    let mut category: Option<String> = None;
    let (mut entries, mut unreadable) = (0usize, false);
    // The texts lean items were written into, once written out, are used again: a large
    // import then needs no fresh memory for them.
    let written_texts = std::sync::Mutex::new(Vec::<String>::new());
    let used_text = || match written_texts.lock() {
        Ok(mut texts) => texts.pop().unwrap_or_default(),
        Err(_) => String::new(),
    };
    ordered::map_in_order(
        pieces,
        |piece| piece.map(|p| gift::read_piece(file, &p, &preparer, lean, used_text())),
        |read| {
            let piece = read.map_err(|e| read_error(file, &e))?;
            entries += piece.entries;
            let lean_text = piece.lean_text.as_str();
            for r in piece.reads {
                match r {
                    gift::Read::Category(c) => category = Some(c),
                    gift::Read::Question(mut prepared) => {
                        prepared.set_category(category.clone());
                        finisher
                            .commit_in(prepared, lean_text)
                            .map_err(|e| write_error(file, &e))?;
                    }
                    gift::Read::Issue(issue) => {
                        unreadable |= issue.is_error();
                        finisher.report(issue);
                    }
                }
            }
            finisher
                .end_piece(lean_text)
                .map_err(|e| write_error(file, &e))?;
            if let Ok(mut texts) = written_texts.lock()
                && texts.len() < 8
            {
                texts.push(piece.lean_text);
            }
            Ok(())
        },
    )?;
    if entries == 0 && !unreadable {
        return Err(gift::nothing_read(file));
    }
    finisher.end().map_err(|e| write_error(file, &e))
}

fn read_error(file: &str, e: &std::io::Error) -> ImportError {
    ImportError::Read {
        file: file.to_string(),
        message: e.to_string(),
    }
}

/// Feeds drafts to a [`native::Finisher`] writing to `out`.
fn finish_all(
    file: &str,
    drafts: Vec<native::Draft>,
    opts: &ImportOptions,
    out: &mut dyn std::io::Write,
    keep_items: bool,
    sink: Option<&mut dyn FnMut(Issue)>,
) -> Result<native::FinishedCounts, ImportError> {
    let preparer = native::Preparer::new(file, opts, keep_items);
    let mut finisher = native::Finisher::new(&preparer, out, sink.map(|s| s as _));
    for draft in drafts {
        finisher.push(draft).map_err(|e| write_error(file, &e))?;
    }
    finisher.end().map_err(|e| write_error(file, &e))
}

fn import_with(
    file: &str,
    bytes: &[u8],
    format: Option<Format>,
    opts: &ImportOptions,
    out: &mut dyn std::io::Write,
    keep_items: bool,
    sink: Option<&mut dyn FnMut(Issue)>,
) -> Result<Streamed, ImportError> {
    let format = format.map(|f| if f == Format::Qti21 { Format::Qti } else { f });
    if format == Some(Format::Apkg) {
        return Err(ImportError::Unrecognised {
            file: file.to_string(),
            message: unsupported_package("deck.apkg", bytes).unwrap_or_default(),
        });
    }
    // A zip given as QTI is read as a package even without a manifest (through its tests).
    let qti_zip = format == Some(Format::Qti) && bytes.starts_with(b"PK\x03\x04");
    if let Some(message) = unsupported_package(file, bytes).filter(|_| !qti_zip) {
        return Err(ImportError::Unrecognised {
            file: file.to_string(),
            message,
        });
    }
    let format = match format.or_else(|| detect(file, bytes)) {
        Some(f) => f,
        None => {
            return Err(ImportError::Unrecognised {
                file: file.to_string(),
                message: "cannot tell the format from the file name or content: give it \
                          (gift, moodle-xml, csv, markdown, anki-txt, qti)"
                    .into(),
            });
        }
    };
    if format == Format::Qti && bytes.starts_with(b"PK\x03\x04") {
        let mut issues = Vec::new();
        let package = qti::Package::from_zip(file, bytes, &mut issues)?;
        let drafts = qti::package_drafts(&package, &mut issues)?;
        let kept = finish_all(file, drafts, opts, out, keep_items, sink)?;
        issues.extend(kept.issues);
        return Ok(Streamed {
            format: Format::Qti,
            items: kept.items,
            ids: kept.ids,
            issues,
            warnings: kept.warnings,
            errors: kept.errors,
            encoding: None,
        });
    }
    let decoded = text::decode(file, bytes)?;
    let mut issues = Vec::new();
    if let Some(enc) = decoded.encoding {
        issues.push(Issue::warning(
            file,
            Pos::default(),
            None,
            format!("the file is not UTF-8: read as {enc}"),
        ));
    }
    let kept = if format == Format::Gift {
        let pieces = gift::pieces(decoded.text.as_ref(), GIFT_PIECE_BYTES);
        import_gift(
            file,
            pieces.into_iter().map(Ok),
            opts,
            out,
            keep_items,
            true,
            sink,
        )?
    } else {
        let drafts = match format {
            Format::MoodleXml => moodle_xml::drafts(file, &decoded.text, &mut issues)?,
            Format::Csv => csv_format::drafts(file, &decoded.text, &mut issues)?,
            Format::Markdown => markdown::drafts(file, &decoded.text, &mut issues)?,
            Format::AnkiText => anki::drafts(file, &decoded.text, &mut issues)?,
            Format::Qti | Format::Qti21 => qti::drafts(file, &decoded.text, &mut issues)?,
            Format::Gift | Format::Apkg => {
                return Err(ImportError::Unrecognised {
                    file: file.to_string(),
                    message: "Anki packages (.apkg) are written, not read".into(),
                });
            }
        };
        finish_all(file, drafts, opts, out, keep_items, sink)?
    };
    issues.extend(kept.issues);
    Ok(Streamed {
        format,
        items: kept.items,
        ids: kept.ids,
        issues,
        warnings: kept.warnings,
        errors: kept.errors,
        encoding: decoded.encoding,
    })
}

/// Imports an unpacked QTI content package: `files` are its files as (path relative to the
/// package folder, bytes), as the caller read them (media files may be given with no bytes:
/// only their names are used). `name` is the folder as shown in messages. The manifest's
/// tests and items are read (see [`qti`]); without a manifest, the tests among the files, or
/// the item files when there is no test.
pub fn import_package(
    name: &str,
    files: Vec<(String, Vec<u8>)>,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let package = qti::Package::from_files(name, files);
    finish_package(name, &package, opts, Vec::new())
}

fn finish_package(
    file: &str,
    package: &qti::Package,
    opts: &ImportOptions,
    mut issues: Vec<Issue>,
) -> Result<Imported, ImportError> {
    let drafts = qti::package_drafts(package, &mut issues)?;
    let mut markdown = Vec::new();
    let kept = finish_all(file, drafts, opts, &mut markdown, true, None)?;
    issues.extend(kept.issues);
    Ok(Imported {
        format: Format::Qti,
        items: kept.items,
        markdown: String::from_utf8(markdown).unwrap_or_default(),
        issues,
        encoding: None,
    })
}

/// The bytes of an export, and what could not be carried.
#[derive(Debug, Clone)]
pub struct Exported {
    pub bytes: Vec<u8>,
    /// How many items were written (an item split into several questions counts once).
    pub items: usize,
    pub issues: Vec<Issue>,
}

/// Exports the items of a library, or only those serving an outline of `exam` when given.
pub fn export(
    library: &Library,
    exam: Option<&str>,
    format: Format,
) -> Result<Exported, ExportError> {
    let source = select(library, exam)?;
    match format {
        Format::Gift => Ok(gift::export(&source)),
        Format::MoodleXml => moodle_xml::export(&source),
        Format::Csv => csv_format::export(&source),
        Format::AnkiText => Ok(anki::export(&source)),
        Format::Qti => qti::export(&source, qti::Version::V30),
        Format::Qti21 => qti::export(&source, qti::Version::V21),
        Format::Apkg => Err(ExportError::OwnExporter(format)),
        Format::Markdown => Err(ExportError::ImportOnly(format)),
    }
}

/// Exports the library's items (or one exam's) as an Anki package (`.apkg`). Async because
/// the collection is an SQLite database built with sqlx; `now` stamps the notes and cards.
pub async fn export_apkg(
    library: &Library,
    exam: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Exported, ExportError> {
    let source = select(library, exam)?;
    apkg::export(&source, exam, now).await
}

/// The items to export: every item, or those serving `exam`; none is an error.
fn select<'a>(library: &'a Library, exam: Option<&str>) -> Result<ExportSource<'a>, ExportError> {
    let items: Vec<&Item> = library
        .bank
        .items
        .iter()
        .filter(|i| exam.is_none_or(|code| i.objectives.keys().any(|o| o.exam.as_str() == code)))
        .collect();
    if items.is_empty() {
        return Err(ExportError::Empty(match exam {
            Some(code) => format!("no item serves exam `{code}`"),
            None => "the bank holds no item".into(),
        }));
    }
    Ok(ExportSource { items, library })
}

/// What exporters read: the chosen items and the library they come from (for the scenario
/// of a series and the tabs of a case study).
pub(crate) struct ExportSource<'a> {
    pub items: Vec<&'a Item>,
    pub library: &'a Library,
}

impl ExportSource<'_> {
    /// Text to put before an item's stem: its series' scenario or case study's tabs.
    pub fn context(&self, item: &Item) -> Option<String> {
        use certprep_domain::item::Membership;
        match item.group.as_ref()? {
            Membership::Series(id) => self
                .library
                .bank
                .series
                .iter()
                .find(|s| &s.id == id)
                .map(|s| s.scenario.clone()),
            Membership::CaseStudy(id) => self
                .library
                .bank
                .case_studies
                .iter()
                .find(|c| &c.id == id)
                .map(|c| {
                    let mut out = format!("**Case study: {}**", c.title);
                    if !c.intro.trim().is_empty() {
                        out.push_str("\n\n");
                        out.push_str(&c.intro);
                    }
                    for tab in &c.tabs {
                        out.push_str(&format!("\n\n**{}**\n\n{}", tab.name, tab.content));
                    }
                    out
                }),
        }
    }

    /// The stem with the group's text before it.
    pub fn full_stem(&self, item: &Item) -> String {
        match self.context(item) {
            Some(c) if item.stem.trim().is_empty() => c,
            Some(c) => format!("{c}\n\n{}", item.stem),
            None => item.stem.clone(),
        }
    }
}

/// A category for an exported item: its first outline and objective (`ai-102/plan-manage`).
pub(crate) fn category_of(item: &Item) -> Option<String> {
    let (outline, ids) = item.objectives.iter().next()?;
    Some(match ids.first() {
        Some(id) => format!("{}/{}", outline.exam.as_str(), id),
        None => outline.exam.as_str().to_string(),
    })
}

/// A GIFT import of `pieces` into memory: the bank text, what the import kept, the issues.
/// With `lean`, questions of the common shapes are written directly (as `certprep import`
/// does), without it all are parsed.
fn read_gift_pieces<'p>(
    pieces: impl Iterator<Item = std::io::Result<gift::Piece<'p>>> + Send,
    opts: &ImportOptions,
    keep_items: bool,
    lean: bool,
) -> (
    String,
    Result<native::FinishedCounts, ImportError>,
    Vec<String>,
) {
    let mut out = Vec::new();
    let mut issues = Vec::new();
    let mut sink = |i: Issue| issues.push(i.to_string());
    let result = import_gift(
        "t.gift",
        pieces,
        opts,
        &mut out,
        keep_items,
        lean,
        Some(&mut sink),
    );
    (String::from_utf8_lossy(&out).into_owned(), result, issues)
}

/// An import into memory: the bank text, the ids (or the error), the issues.
#[doc(hidden)]
pub type ImportRead = (String, Vec<String>, Vec<String>);

/// What a GIFT import of `text` gives read whole, cut into pieces of about `piece_bytes`,
/// read in such pieces from a reader, and read whole with every question parsed (no lean
/// path): the bank text, ids (or the error) and issues of each, which must agree (the
/// `gift_pieces` fuzz target holds them to it), and how many items the lean path wrote in the
/// first.
#[doc(hidden)]
pub fn gift_read_four_ways(
    text: &str,
    piece_bytes: usize,
    opts: &ImportOptions,
) -> ([ImportRead; 4], usize) {
    let mut lean_items = 0;
    let mut summed = |(text, result, issues): (String, Result<native::FinishedCounts, _>, _)| {
        let ids = result.map_or_else(
            |e: ImportError| vec![format!("error: {e}")],
            |d| {
                lean_items = lean_items.max(d.lean_items);
                d.ids
            },
        );
        (text, ids, issues)
    };
    let whole = || {
        std::iter::once(Ok(gift::Piece {
            text: std::borrow::Cow::Borrowed(text),
            lines_before: 0,
        }))
    };
    let ways = [
        summed(read_gift_pieces(whole(), opts, false, true)),
        summed(read_gift_pieces(
            gift::pieces(text, piece_bytes).into_iter().map(Ok),
            opts,
            false,
            true,
        )),
        summed(read_gift_pieces(
            gift::PieceReader::new(std::io::Cursor::new(text), piece_bytes),
            opts,
            false,
            true,
        )),
        summed(read_gift_pieces(whole(), opts, false, false)),
    ];
    (ways, lean_items)
}

/// Options with which the bank lint accepts an item that has no objective or reference of its
/// own (the tests' drafts have none).
#[cfg(test)]
pub(crate) fn options_for_tests() -> ImportOptions {
    let mut opts = ImportOptions::new(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default());
    if let Ok(outline) = "ai-103@2026-04-16".parse() {
        opts.objectives.insert(outline, vec!["rag".to_string()]);
    }
    opts.references.push(certprep_domain::item::Reference {
        title: None,
        url: "https://learn.microsoft.com/azure/search/search-what-is-azure-search#why-use-azure-ai-search".into(),
    });
    opts
}

#[cfg(test)]
mod gift_piece_tests {
    use super::*;

    /// The bank file, ids and issues of a GIFT import read in pieces of `piece_bytes`.
    fn imported(text: &str, piece_bytes: usize) -> (String, Vec<String>, Vec<String>) {
        imported_from(gift::pieces(text, piece_bytes).into_iter().map(Ok))
    }

    /// The same, the pieces read from a reader as `certprep import` reads a file.
    fn imported_while_read(text: &str, piece_bytes: usize) -> (String, Vec<String>, Vec<String>) {
        imported_from(gift::PieceReader::new(
            std::io::Cursor::new(text),
            piece_bytes,
        ))
    }

    fn imported_from<'p>(
        pieces: impl Iterator<Item = std::io::Result<gift::Piece<'p>>> + Send,
    ) -> (String, Vec<String>, Vec<String>) {
        read_with(pieces, true)
    }

    /// The bank file, ids and issues of an import, with the lean path or every question
    /// parsed.
    fn read_with<'p>(
        pieces: impl Iterator<Item = std::io::Result<gift::Piece<'p>>> + Send,
        lean: bool,
    ) -> (String, Vec<String>, Vec<String>) {
        let (text, result, issues) = read_gift_pieces(pieces, &options_for_tests(), false, lean);
        let ids = match result {
            Ok(done) => done.ids,
            Err(e) => vec![format!("error: {e}")],
        };
        (text, ids, issues)
    }

    /// The same file read whole with every question parsed (no lean path).
    fn parsed(text: &str) -> (String, Vec<String>, Vec<String>) {
        let whole = gift::Piece {
            text: std::borrow::Cow::Borrowed(text),
            lines_before: 0,
        };
        read_with(std::iter::once(Ok(whole)), false)
    }

    /// Questions that carry state across blank lines: categories, comments (which belong to
    /// the next question, even from inside another block), untitled questions (numbered
    /// ids), repeated titles (suffixed ids), unreadable and unsupported questions.
    fn tricky_file() -> String {
        let mut s = String::new();
        for i in 0..40 {
            match i % 8 {
                0 => s.push_str(&format!("$CATEGORY: $course$/Part {i}\n\n")),
                1 => s.push_str(&format!("// [id:given-{i}] [tag:t{i}]\n::Q{i}:: Pick {i} {{=right {i} ~wrong a ~wrong b}}\n\n")),
                2 => s.push_str(&format!("::Same:: Untitled? no, titled {i} {{\n// a comment inside\n=yes {i}\n~no\n~maybe\n}}\n \n\t\n")),
                3 => s.push_str(&format!("Untitled question {i} {{=one ~two ~three}}\n\n// a lonely comment\n\n")),
                4 => s.push_str(&format!("::Broken {i}:: no closing brace {{=a ~b\n\n::Ünïcödé {i}:: Ещё вопрос № {i} — 日本語? {{=да ~нет ~может быть}}\n\n")),
                5 => s.push_str(&format!("::Essay {i}:: Write about it. {{}}\n\n")),
                6 => s.push_str(&format!("::Same:: The sky is blue {i}. {{T}}\n\n")),
                _ => s.push_str(&format!("::M{i}:: Match {i}. {{=a{i} -> x =b{i} -> y =c{i} -> z}}\n\n\n")),
            }
        }
        s
    }

    #[test]
    fn pieces_read_as_the_whole_file_reads() {
        let text = tricky_file();
        let whole = imported(&text, usize::MAX);
        assert_eq!(parsed(&text), whole, "every question parsed");
        assert!(whole.1.len() > 15, "{:?}", whole.1);
        assert!(
            whole.2.iter().any(|i| i.contains("no closing")),
            "{:?}",
            whole.2
        );
        for size in [1, 7, 40, 64, 300, 1000] {
            assert!(gift::pieces(&text, size).len() > 1 || size >= text.len());
            assert_eq!(imported(&text, size), whole, "pieces of {size} bytes");
            assert_eq!(
                imported_while_read(&text, size),
                whole,
                "read in pieces of {size} bytes"
            );
        }
    }

    /// `import_stream` (what `certprep import` calls) gives what `import_to` gives on the
    /// bytes: plain UTF-8 read in pieces; a byte-order mark, CRLF, another encoding or no
    /// question at all read whole, or refused as whole.
    #[test]
    fn a_file_read_as_it_comes_imports_as_read_whole() {
        let text = tricky_file();
        let variants: Vec<(&str, Vec<u8>)> = vec![
            ("utf-8", text.clone().into_bytes()),
            (
                "bom",
                [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            ),
            ("crlf", text.replace('\n', "\r\n").into_bytes()),
            (
                "latin-1",
                text.replace("Pick", "Choisissez l\u{e0}")
                    .chars()
                    .map(|c| c as u8)
                    .collect(),
            ),
            ("no end of line", text.trim_end().as_bytes().to_vec()),
            ("no question", b"// only a comment\n".to_vec()),
            ("empty", Vec::new()),
            ("binary", b"PK\x03\x04\0\0".to_vec()),
        ];
        let opts = options_for_tests();
        let run = |bytes: &[u8], stream: bool| {
            let mut out = Vec::new();
            let mut issues = Vec::new();
            let mut sink = |i: Issue| issues.push(i.to_string());
            let result = if stream {
                import_stream(
                    "t.gift",
                    || Ok(std::io::Cursor::new(bytes)),
                    None,
                    &opts,
                    &mut out,
                    &mut sink,
                )
            } else {
                import_to("t.gift", bytes, None, &opts, &mut out, &mut sink)
            };
            let summary = result.map(|s| (s.format, s.ids, s.warnings, s.errors, s.encoding));
            (summary, String::from_utf8_lossy(&out).into_owned(), issues)
        };
        for (name, bytes) in variants {
            let whole = run(&bytes, false);
            assert_eq!(run(&bytes, true), whole, "{name}");
        }
    }

    #[test]
    fn corpus_files_read_in_pieces_as_whole() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/gift");
        if !dir.is_dir() {
            eprintln!("no corpus at {}: skipped", dir.display());
            return;
        }
        let mut files = 0;
        let mut folders = vec![dir.clone()];
        let mut paths = Vec::new();
        while let Some(d) = folders.pop() {
            for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "gift" || e == "txt") {
                    paths.push(path);
                }
            }
        }
        for path in paths {
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let Ok(decoded) = text::decode("t.gift", &bytes) else {
                continue;
            };
            let text = decoded.text.as_ref();
            let whole = imported(text, usize::MAX);
            assert_eq!(
                parsed(text),
                whole,
                "{} with every question parsed",
                path.display()
            );
            for size in [1, 64, 512] {
                assert_eq!(
                    imported(text, size),
                    whole,
                    "{} in pieces of {size} bytes",
                    path.display()
                );
                if !text.contains('\r') {
                    assert_eq!(
                        imported_while_read(text, size),
                        whole,
                        "{} read in pieces of {size} bytes",
                        path.display()
                    );
                }
            }
            files += 1;
        }
        assert!(files > 0, "no GIFT file in {}", dir.display());
    }
}
