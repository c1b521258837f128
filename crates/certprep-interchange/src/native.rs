//! Imported questions → native bank Markdown. Every importer produces [`Draft`]s; this module
//! gives them ids, fills what the bank format requires and the source lacks (saying so),
//! renders them in the canonical layout, and keeps only items that `certprep-bank`'s parser
//! and file lint accept (the others are reported with the lint's reasons).

use std::collections::BTreeMap;

// Ids are looked up twice per imported item: a fast hasher (still seeded per process).
use foldhash::HashSet;
use std::io::Write;

use certprep_bank::syntax::{
    BankFile, Block, BlockHead, Entry, ItemDoc, Meta, MetaEntry, Pos, Section, SectionBody,
    SectionName, Spanned, Text,
};
use certprep_domain::item::Reference;
use certprep_domain::names::NameIndex;
use certprep_domain::{Catalog, Item, OutlineRef};
use chrono::NaiveDate;

use crate::{ImportOptions, Issue};

mod lean;
pub(crate) use lean::{LeanBody, LeanItem, LeanOpt};

/// What the candidate sees for a note or explanation the source did not have.
pub const NO_REASON: &str = "The imported source gives no reason for this choice.";
pub const NO_EXPLANATION: &str = "The imported source gives no explanation for this question.";

/// One option of a choice list or a drop-down slot.
#[derive(Debug, Clone, PartialEq)]
pub struct Opt {
    pub text: String,
    pub correct: bool,
    pub note: String,
}

impl Opt {
    pub fn new(text: impl Into<String>, correct: bool, note: impl Into<String>) -> Self {
        Opt {
            text: text.into(),
            correct,
            note: note.into(),
        }
    }
}

/// The answer part of an imported question, before labels are given.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// One correct option: `single`; several: `multiple` with `choose` = the number correct.
    Choice(Vec<Opt>),
    /// Actions with their position in the answer (`None`: not used) and a note.
    Order(Vec<(String, Option<u32>, String)>),
    /// Sources (text, note) and targets (text, index of its source, note).
    Match {
        sources: Vec<(String, String)>,
        targets: Vec<(String, usize, String)>,
    },
    /// One list of choices per `{{N}}` placeholder, numbered from 1 in order.
    Dropdown(Vec<Vec<Opt>>),
    /// Statements with their answer and note.
    YesNo(Vec<(String, bool, String)>),
    /// A yes/no problem–solution item: the proposed solution, whether it meets the goal, and
    /// an optional note. It needs [`Draft::series`].
    Solution(String, bool, String),
}

/// Values of the item's `meta` block the source carried itself (a certprep export does).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetaFields {
    pub difficulty: Option<u8>,
    pub reviewed: Option<NaiveDate>,
    pub version: Option<u32>,
    pub shuffle: Option<bool>,
    pub reuse: Option<bool>,
    pub objectives: BTreeMap<OutlineRef, Vec<String>>,
}

/// An imported question.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Where the question starts in the source.
    pub pos: Pos,
    /// The source's name or title of the question, if any.
    pub name: Option<String>,
    /// An id the source gave (GIFT `[id:…]`, a certprep export's id).
    pub id: Option<String>,
    pub category: Option<String>,
    pub stem: String,
    pub body: Body,
    pub explanation: String,
    pub references: Vec<Reference>,
    pub tags: Vec<String>,
    pub meta: MetaFields,
    /// For a `solution` item: its series' id and shared scenario.
    pub series: Option<(String, String)>,
    /// The file the question comes from, when it is not the imported file itself (an item
    /// file inside a QTI package): messages about it name this file.
    pub source: Option<String>,
}

impl Draft {
    pub fn new(pos: Pos, stem: String, body: Body) -> Self {
        Draft {
            pos,
            name: None,
            id: None,
            category: None,
            stem,
            body,
            explanation: String::new(),
            references: vec![],
            tags: vec![],
            meta: MetaFields::default(),
            series: None,
            source: None,
        }
    }

    /// How the item is named in messages before it has an id.
    pub fn label(&self) -> String {
        match (&self.id, &self.name) {
            (Some(id), _) => format!("`{id}`"),
            (None, Some(name)) => format!("`{}`", crate::text::one_line(name)),
            (None, None) => {
                let stem: String = crate::text::one_line(&self.stem).chars().take(40).collect();
                format!("\"{stem}\"")
            }
        }
    }
}

/// How an item's id is chosen once its place in the file is known (ids depend on the items
/// before it, so they are given in file order while the checks run on any thread).
#[derive(Debug, Clone, PartialEq)]
enum IdBase {
    /// The source's own id (`[id:…]`, a certprep export's): it names the item it replaces,
    /// so only this file's ids are avoided.
    Given(String),
    /// Derived from the source's id or name: ids taken elsewhere are avoided too.
    Derived(String),
    /// Neither: `PREFIX-NNN` from the question's number in the file.
    Numbered,
}

/// The part of an import that needs one draft only: what the bank format requires and the
/// source lacks, rendering, and the bank's parser, file lint and catalog checks. Shared by the
/// threads of a parallel import ([`Preparer::prepare`] takes `&self`).
pub struct Preparer<'a> {
    file: String,
    opts: &'a ImportOptions,
    prefix: String,
    names: Option<NameIndex<'a>>,
    /// `meta` values every imported item gets, formatted once.
    reviewed: String,
    default_difficulty: String,
    /// Whether the caller wants the items themselves, not only their text.
    keep_items: bool,
    /// What lean items share, once the first asks for it (`None`: the lean path is off).
    lean: std::sync::OnceLock<Option<lean::Parts>>,
}

/// A draft after [`Preparer::prepare`], waiting for its id and place in the file. It holds
/// only what that needs (the thread that prepared it frees the rest).
pub struct Prepared {
    pos: Pos,
    source: Option<String>,
    category: Option<String>,
    series: Option<(String, String)>,
    base: IdBase,
    warnings: Vec<String>,
    outcome: Outcome,
}

impl Prepared {
    /// Sets the category: a reader that works on part of a file knows it only in file order.
    pub fn set_category(&mut self, category: Option<String>) {
        self.category = category;
    }
}

enum Outcome {
    /// The bank format cannot hold it (the warnings say why).
    Dropped,
    /// The bank's checks refuse it, for these reasons.
    Refused(Vec<String>),
    /// The item's text as written in the file, and the item when the caller keeps them.
    Kept(Option<Box<Item>>, ItemText),
}

/// An item's text as written in the file.
#[derive(Debug, Clone, PartialEq)]
enum ItemText {
    /// Its own text after its heading line `## Item: ID`.
    Own(String),
    /// Bytes of the text a reader wrote its piece's lean items into (see
    /// [`Finisher::commit_in`]): from `heading` to `body` its heading line under the
    /// provisional id (empty when it has none), from `body` to `end` the rest.
    InPiece {
        heading: usize,
        body: usize,
        end: usize,
    },
}

impl<'a> Preparer<'a> {
    pub fn new(file: &str, opts: &'a ImportOptions, keep_items: bool) -> Self {
        let prefix = opts
            .id_prefix
            .clone()
            .filter(|p| crate::text::is_id(p))
            .unwrap_or_else(|| {
                let stem = file.rsplit(['/', '\\']).next().unwrap_or(file);
                let stem = stem.split('.').next().unwrap_or(stem);
                let s = crate::text::slug(stem);
                if s.is_empty() {
                    "imported".to_string()
                } else {
                    s
                }
            });
        Preparer {
            file: file.to_string(),
            opts,
            prefix,
            names: opts.library.as_ref().map(|l| NameIndex::new(&l.names)),
            reviewed: opts.reviewed().to_string(),
            default_difficulty: opts.difficulty.to_string(),
            keep_items,
            lean: std::sync::OnceLock::new(),
        }
    }

    /// Whether a retired service name may occur in `text` (see
    /// [`NameIndex::may_occur`]); never without a library to check against.
    pub(crate) fn names_may_occur(&self, text: &str) -> bool {
        self.names.as_ref().is_some_and(|n| n.may_occur(text))
    }

    /// Checks one draft under a provisional id; [`Finisher::commit`] gives the final one (the
    /// id is the item's heading line and `id` only, and any id it can get is as valid).
    pub fn prepare(&self, draft: Draft) -> Prepared {
        let base = id_base(
            draft.id.as_deref(),
            draft.name.as_deref(),
            &self.prefix,
            self.opts.id_prefix.is_some(),
        );
        let checked_id = match &base {
            IdBase::Given(id) | IdBase::Derived(id) => id.clone(),
            IdBase::Numbered => format!("{}-000", self.prefix),
        };
        let (warnings, outcome) = self.check_as(&draft, &checked_id);
        Prepared {
            pos: draft.pos,
            source: draft.source,
            category: draft.category,
            series: draft.series,
            base,
            warnings,
            outcome,
        }
    }

    fn check_as(&self, draft: &Draft, id: &str) -> (Vec<String>, Outcome) {
        let mut warnings = Vec::new();
        let doc = to_doc(draft, id, self, &mut |m: String| warnings.push(m));
        let Some(doc) = doc else {
            return (warnings, Outcome::Dropped);
        };
        let catalog = self
            .opts
            .library
            .as_ref()
            .map(|l| &l.catalog)
            .zip(self.names.as_ref());
        let outcome = match check(doc, draft.series.as_ref(), self.opts.today, catalog) {
            Ok((item, body)) => {
                Outcome::Kept(self.keep_items.then(|| Box::new(item)), ItemText::Own(body))
            }
            Err(reasons) => Outcome::Refused(reasons),
        };
        (warnings, outcome)
    }
}

/// Turns prepared drafts into bank text in file order: each gets its id, and a kept item is
/// written to `out` as soon as its place in the file is known, so a large import holds a few
/// items at a time, not the whole bank.
pub struct Finisher<'a> {
    preparer: &'a Preparer<'a>,
    /// Ids of this file, and ids taken elsewhere, which only derived ids avoid: an id the
    /// source gives (`[id:…]`, a certprep export's) names the item it replaces.
    used: HashSet<String>,
    taken: HashSet<String>,
    drafts_seen: usize,
    out: &'a mut dyn Write,
    /// Newlines held back: the file ends with exactly one blank line, as `render` ends.
    trailing: usize,
    /// Bytes of the current piece's text (see [`Finisher::commit_in`]) that follow what was
    /// written, to be written in one go when something else comes or the piece ends.
    span: Option<std::ops::Range<usize>>,
    /// The block last written to the file (an item that fits it is written straight after).
    open: Option<Open>,
    /// A series being read: written when it ends, or refused when it has one item.
    series: Option<PendingSeries>,
    pub issues: Vec<Issue>,
    /// Where issues go as they are found (a long import shows them while it runs); without
    /// one they are kept in `issues`. Given to [`Finisher::new`].
    sink: Option<&'a mut dyn FnMut(Issue)>,
    pub warnings: usize,
    pub errors: usize,
    /// The kept items, when the caller wants them (see [`Preparer::new`]); their ids always.
    pub items: Vec<Item>,
    pub ids: Vec<String>,
    /// Drafts written by the lean path.
    pub lean_items: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Open {
    /// A plain block and its heading (`Category: …`, `Questions`, or none).
    Plain(Option<String>),
    Series(String),
}

struct PendingSeries {
    id: String,
    scenario: String,
    items: Vec<Kept>,
}

/// An item that passed the checks, with its text as written in the file after its heading.
struct Kept {
    /// The file it comes from when not the imported file itself (see [`Draft::source`]).
    source: Option<String>,
    pos: Pos,
    id: String,
    /// The id is the one the item was prepared under (its text may already hold its heading).
    as_prepared: bool,
    text: ItemText,
    /// Boxed: a kept draft is moved several times on its way out.
    item: Option<Box<Item>>,
}

impl<'a> Finisher<'a> {
    pub fn new(
        preparer: &'a Preparer<'a>,
        out: &'a mut dyn Write,
        sink: Option<&'a mut dyn FnMut(Issue)>,
    ) -> Self {
        let opts = preparer.opts;
        let mut taken: HashSet<String> = opts.taken_ids.iter().cloned().collect();
        if let Some(library) = &opts.library {
            taken.extend(library.bank.items.iter().map(|i| i.id.clone()));
            taken.extend(library.bank.series.iter().map(|s| s.id.clone()));
            taken.extend(library.bank.case_studies.iter().map(|c| c.id.clone()));
        }
        Finisher {
            preparer,
            used: HashSet::default(),
            taken,
            drafts_seen: 0,
            out,
            trailing: 0,
            span: None,
            open: None,
            series: None,
            issues: Vec::new(),
            sink,
            warnings: 0,
            errors: 0,
            items: Vec::new(),
            ids: Vec::new(),
            lean_items: 0,
        }
    }

    /// Counts an issue and hands it to the sink (or keeps it): the readers' own issues go
    /// through here too, so that they are shown in file order with the items'.
    pub fn report(&mut self, issue: Issue) {
        if issue.is_error() {
            self.errors += 1;
        } else {
            self.warnings += 1;
        }
        match &mut self.sink {
            Some(sink) => sink(issue),
            None => self.issues.push(issue),
        }
    }

    /// Checks one draft and writes it, or reports why it is not imported.
    pub fn push(&mut self, draft: Draft) -> std::io::Result<()> {
        let prepared = self.preparer.prepare(draft);
        self.commit(prepared)
    }

    /// Gives a prepared draft its id and writes it, or reports why it is not imported.
    /// Drafts must be committed in file order.
    pub fn commit(&mut self, prepared: Prepared) -> std::io::Result<()> {
        self.commit_in(prepared, "")
    }

    /// [`Finisher::commit`] for a draft of a piece whose lean items were written into `piece`
    /// ([`Preparer::prepare_lean`]): a run of them under their provisional ids is written
    /// from `piece` in one go, without copying each. [`Finisher::end_piece`] must follow the
    /// piece's last draft.
    pub fn commit_in(&mut self, prepared: Prepared, piece: &str) -> std::io::Result<()> {
        self.drafts_seen += 1;
        let Prepared {
            pos,
            source,
            category,
            series,
            base,
            warnings,
            outcome,
        } = prepared;
        // Lean items are the ones written into their piece's text.
        let lean = matches!(outcome, Outcome::Kept(_, ItemText::InPiece { .. }));
        self.lean_items += usize::from(lean);
        // A kept item reserves its id as it gets it; a refused one does not.
        let kept = matches!(outcome, Outcome::Kept(..));
        let (id, as_prepared) = self.unique_id(base, kept);
        let preparer = self.preparer;
        let from = source.as_deref().unwrap_or(&preparer.file);
        for w in warnings {
            self.report(Issue::warning(from, pos, Some(id.clone()), w));
        }
        let (item, text) = match outcome {
            Outcome::Dropped => return Ok(()),
            Outcome::Refused(reasons) => {
                self.report(Issue::error(
                    from,
                    pos,
                    Some(id),
                    format!("not imported: {}", reasons.join("; ")),
                ));
                return Ok(());
            }
            Outcome::Kept(item, text) => (item, text),
        };
        let item = item.map(|mut i| {
            i.id.clone_from(&id);
            i
        });
        let kept = Kept {
            source,
            pos,
            id,
            as_prepared,
            text,
            item,
        };
        match series {
            Some((series_id, scenario)) => {
                // The items before it are written before its series is.
                self.write_span(piece)?;
                if self.series.as_ref().is_some_and(|s| s.id == series_id) {
                    if let Some(s) = &mut self.series {
                        s.items.push(kept);
                    }
                    return Ok(());
                }
                self.end_series()?;
                self.series = Some(PendingSeries {
                    id: series_id,
                    scenario,
                    items: vec![kept],
                });
                Ok(())
            }
            None => {
                self.end_series()?;
                self.write_plain(kept, category, piece)
            }
        }
    }

    /// Writes what is left of the piece the last drafts were committed from.
    pub fn end_piece(&mut self, piece: &str) -> std::io::Result<()> {
        self.write_span(piece)
    }

    /// Writes the run of lean items held back from `piece`, before anything else is written.
    fn write_span(&mut self, piece: &str) -> std::io::Result<()> {
        match self.span.take() {
            Some(span) => self.write(piece.get(span).unwrap_or_default()),
            None => Ok(()),
        }
    }

    /// The id from its base: numbered from the draft's place, with `-2`, `-3`… when taken
    /// (and reserved for this file with `reserve`); and whether it is the provisional id the
    /// draft was prepared under.
    fn unique_id(&mut self, base: IdBase, reserve: bool) -> (String, bool) {
        let given = matches!(base, IdBase::Given(_) | IdBase::Derived(_));
        let (base, avoid_taken) = match base {
            IdBase::Given(id) => (id, false),
            IdBase::Derived(id) => (id, true),
            IdBase::Numbered => (
                format!("{}-{:03}", self.preparer.prefix, self.drafts_seen),
                true,
            ),
        };
        let mut free = |id: &str| {
            if avoid_taken && self.taken.contains(id) {
                false
            } else if reserve {
                self.used.insert(id.to_string())
            } else {
                !self.used.contains(id)
            }
        };
        if free(&base) {
            return (base, given);
        }
        let id = (2..)
            .map(|k| format!("{base}-{k}"))
            .find(|id| free(id))
            .unwrap_or(base);
        (id, false)
    }

    /// Writes what is pending and returns the number of items imported.
    pub fn end(mut self) -> std::io::Result<FinishedCounts> {
        if self.span.is_some() {
            // Items would be missing from the file: never silently.
            return Err(std::io::Error::other(
                "items of the last piece were not written (end_piece was not called)",
            ));
        }
        self.end_series()?;
        if !self.ids.is_empty() {
            self.out.write_all(b"\n\n")?;
        }
        Ok(FinishedCounts {
            items: std::mem::take(&mut self.items),
            ids: std::mem::take(&mut self.ids),
            issues: std::mem::take(&mut self.issues),
            warnings: self.warnings,
            errors: self.errors,
            lean_items: self.lean_items,
        })
    }

    /// Where a plain item goes: after the open block when it has the item's category,
    /// otherwise under a new heading.
    fn write_plain(
        &mut self,
        kept: Kept,
        category: Option<String>,
        piece: &str,
    ) -> std::io::Result<()> {
        let same = match &self.open {
            Some(Open::Plain(title)) => {
                let shown = title.as_ref().map(|t| {
                    t.strip_prefix("Category: ")
                        .map(str::to_string)
                        .unwrap_or_else(|| t.clone())
                });
                shown == category || (category.is_none() && title.as_deref() == Some("Questions"))
            }
            _ => false,
        };
        if !same {
            let title = match &category {
                Some(c) => Some(heading_title(c)),
                // Items after a series need a heading, or they would join it.
                None if self.open.is_some() => Some("Questions".to_string()),
                None => None,
            };
            let head = Block::new(BlockHead::Plain(
                title.clone().map(|t| Spanned::new(t, Pos::default())),
            ));
            self.write_span(piece)?;
            self.write(&certprep_bank::render_block_head(&head))?;
            self.open = Some(Open::Plain(title));
        }
        self.write_item(kept, piece)
    }

    /// A series with two items or more is written; a lonely one is refused.
    fn end_series(&mut self) -> std::io::Result<()> {
        let Some(series) = self.series.take() else {
            return Ok(());
        };
        if series.items.len() < 2 {
            for k in series.items {
                self.used.remove(&k.id);
                self.report(Issue::error(
                    k.source.as_deref().unwrap_or(&self.preparer.file),
                    k.pos,
                    Some(k.id),
                    "not imported: a series needs at least two items, and only this one of its series was imported",
                ));
            }
            return Ok(());
        }
        let head = series_block(&(series.id.clone(), series.scenario), vec![]);
        self.write(&certprep_bank::render_block_head(&head))?;
        self.open = Some(Open::Series(series.id));
        for k in series.items {
            // Series items are never lean: their text is their own.
            self.write_item(k, "")?;
        }
        Ok(())
    }

    fn write_item(&mut self, kept: Kept, piece: &str) -> std::io::Result<()> {
        match kept.text {
            ItemText::Own(body) => {
                self.write_span(piece)?;
                self.write_heading(&kept.id)?;
                self.write(&body)?;
            }
            ItemText::InPiece { heading, body, end } => {
                // A lean item's text holds its heading line under the provisional id.
                let under_its_id = kept.as_prepared && heading < body;
                let follows = self.span.as_ref().is_some_and(|s| s.end == heading);
                if under_its_id && follows {
                    self.span = self.span.take().map(|s| s.start..end);
                } else {
                    self.write_span(piece)?;
                    if under_its_id {
                        self.flush_trailing()?;
                        self.span = Some(heading..end);
                    } else {
                        self.write_heading(&kept.id)?;
                        self.span = Some(body..end);
                    }
                }
            }
        }
        self.ids.push(kept.id);
        self.items.extend(kept.item.map(|i| *i));
        Ok(())
    }

    fn write_heading(&mut self, id: &str) -> std::io::Result<()> {
        self.flush_trailing()?;
        self.out.write_all(b"## Item: ")?;
        self.out.write_all(id.as_bytes())?;
        self.out.write_all(b"\n")
    }

    fn flush_trailing(&mut self) -> std::io::Result<()> {
        for _ in 0..std::mem::take(&mut self.trailing) {
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    /// Writes text, holding its trailing newlines back until more text follows.
    fn write(&mut self, text: &str) -> std::io::Result<()> {
        let body = text.trim_end_matches('\n');
        if body.is_empty() {
            self.trailing += text.len();
            return Ok(());
        }
        self.flush_trailing()?;
        self.out.write_all(body.as_bytes())?;
        self.trailing = text.len() - body.len();
        Ok(())
    }
}

/// What a [`Finisher`] kept, once it ends.
pub struct FinishedCounts {
    pub items: Vec<Item>,
    pub ids: Vec<String>,
    pub issues: Vec<Issue>,
    pub warnings: usize,
    pub errors: usize,
    /// Drafts written by the lean path.
    pub lean_items: usize,
}

/// A `# Series:` block with its scenario and an empty meta block (items carry their own).
fn series_block((id, scenario): &(String, String), items: Vec<ItemDoc>) -> Block {
    Block {
        meta: Some(Meta {
            entries: vec![],
            pos: Pos::default(),
        }),
        prose: text(block_text(scenario)),
        items,
        ..Block::new(BlockHead::Series(Spanned::new(id.clone(), Pos::default())))
    }
}

/// A lint message as the reader of the source is told it.
fn reason(message: &str) -> String {
    match message.split_once(": same text as line") {
        // Lines of the rendered item mean nothing to the reader of the source.
        Some((head, _)) => format!("{head}: two answers have the same text"),
        None => message.to_string(),
    }
}

/// Whether the bank's parser reads the rendered item back as this same tree: every line of
/// its texts starts with a letter or digit (or a `{{N}}` gap) and has no blank at its end, so
/// no line can open a heading, list, fence or meta block, or lose anything to trimming; stem
/// and explanation may hold several such lines and blank lines between them, the other texts
/// one line. (The `reads_back_as_is_means_the_same_item` property test holds this against the
/// parser.)
pub(crate) fn reads_back_as_is(doc: &ItemDoc) -> bool {
    fn line(s: &str) -> bool {
        (s.starts_with("{{") || s.chars().next().is_some_and(char::is_alphanumeric))
            && !s.contains('\r')
            && s.trim_end() == s
    }
    fn one_line(s: &str) -> bool {
        line(s) && !s.contains('\n')
    }
    fn paragraphs(s: &str) -> bool {
        s.split('\n').all(|l| l.is_empty() || line(l))
            && one_line(s.lines().next().unwrap_or(""))
            && !s.ends_with('\n')
    }
    let meta_ok = doc.meta.as_ref().is_some_and(|m| {
        m.entries
            .iter()
            .all(|e| one_line(&e.key.value) && one_line(&e.value.value))
    });
    meta_ok
        && paragraphs(&doc.stem.text)
        && doc.sections.iter().all(|section| match &section.body {
            SectionBody::Text(t) => paragraphs(&t.text),
            SectionBody::Entries(entries) => entries
                .iter()
                .all(|e| one_line(&e.text.value) && (e.note.is_empty() || one_line(&e.note.text))),
        })
}

/// Errors about a series as a whole, which one item checked alone always has.
fn about_one_item(message: &str) -> bool {
    message == "a series needs at least two items"
}

/// A category path as a plain `# ` heading (never one that opens a case study or series).
fn heading_title(category: &str) -> String {
    format!("Category: {}", crate::text::one_line(category))
}

/// How the id of a draft with this source id and name is chosen.
fn id_base(id: Option<&str>, name: Option<&str>, prefix: &str, prefixed: bool) -> IdBase {
    if let Some(id) = id.filter(|i| crate::text::is_id(i)) {
        return IdBase::Given(id.to_string());
    }
    id.map(crate::text::slug)
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.chars().all(|c| c.is_ascii_digit()) {
                format!("{prefix}-{s}")
            } else {
                s
            }
        })
        .or_else(|| name.map(crate::text::slug).filter(|s| !s.is_empty()))
        .map(|s| {
            if prefixed && !s.starts_with(prefix) {
                IdBase::Derived(format!("{prefix}-{s}"))
            } else {
                IdBase::Derived(s)
            }
        })
        .unwrap_or(IdBase::Numbered)
}

/// Markdown for a stem or explanation: no line may open an item heading, fences are closed.
pub fn block_text(s: &str) -> String {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for line in s.lines() {
        let trimmed = line.trim_start();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) {
                fence = None;
            }
            out.push(line.to_string());
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let ch = trimmed.chars().next().unwrap_or('`');
            let len = trimmed.chars().take_while(|c| *c == ch).count();
            fence = Some(std::iter::repeat_n(ch, len).collect());
            out.push(line.to_string());
            continue;
        }
        if ["# ", "## ", "### "]
            .iter()
            .any(|h| line.strip_prefix(h).is_some_and(|r| !r.trim().is_empty()))
        {
            out.push(format!("\\{line}"));
        } else {
            out.push(line.to_string());
        }
    }
    if let Some(f) = fence {
        out.push(f);
    }
    let joined = out
        .iter()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    joined.trim_matches('\n').to_string()
}

/// One-line entry text; `unlabelled` entries must not start like a label (`A. `).
pub fn entry_text(s: &str, unlabelled: bool) -> String {
    let t = crate::text::one_line(s);
    let mut chars = t.chars();
    if unlabelled
        && let (Some(l), Some('.'), Some(' ')) = (chars.next(), chars.next(), chars.next())
        && l.is_ascii_uppercase()
    {
        return format!("{l}\\.{}", &t[2..]);
    }
    t
}

fn note_text(s: &str) -> String {
    block_text(s)
}

fn label(i: usize) -> char {
    char::from(b'A' + u8::try_from(i % 26).unwrap_or(0))
}

fn text(s: String) -> Text {
    Text {
        text: s,
        pos: Pos::default(),
        indent: 0,
    }
}

fn entry(mark: Option<String>, label: Option<char>, t: String, note: String) -> Entry {
    Entry {
        pos: Pos::default(),
        mark: mark.map(|m| Spanned::new(m, Pos::default())),
        label: label.map(|l| Spanned::new(l, Pos::default())),
        text: Spanned::new(t, Pos::default()),
        note: Text {
            text: note,
            pos: Pos::default(),
            indent: 2,
        },
    }
}

fn section(name: SectionName, entries: Vec<Entry>) -> Section {
    Section {
        name: Spanned::new(name, Pos::default()),
        body: SectionBody::Entries(entries),
    }
}

fn meta_entry(key: &str, value: String) -> MetaEntry {
    MetaEntry {
        key: Spanned::new(key.to_string(), Pos::default()),
        value: Spanned::new(value, Pos::default()),
    }
}

/// The item as a syntax tree, with placeholders for required notes the source lacks.
fn to_doc(
    draft: &Draft,
    id: &str,
    preparer: &Preparer<'_>,
    warn: &mut dyn FnMut(String),
) -> Option<ItemDoc> {
    let opts = preparer.opts;
    let mut filled_notes = 0;
    let mut note = |s: &str, required: bool| -> String {
        let n = note_text(s);
        if n.is_empty() && required {
            filled_notes += 1;
            NO_REASON.to_string()
        } else {
            n
        }
    };
    let mut meta: Vec<MetaEntry> = Vec::new();
    let mut sections = Vec::new();
    let mut stem = block_text(&draft.stem);
    let too_many = |n: usize| n > 26;
    match &draft.body {
        Body::Choice(options) => {
            if too_many(options.len()) {
                warn("more than 26 options: the bank format labels options A to Z".into());
                return None;
            }
            let correct = options.iter().filter(|o| o.correct).count();
            if correct == 1 {
                meta.push(meta_entry("type", "single".into()));
            } else {
                meta.push(meta_entry("type", "multiple".into()));
                meta.push(meta_entry("choose", correct.to_string()));
            }
            let entries = options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    entry(
                        Some(if o.correct { "x" } else { " " }.into()),
                        Some(label(i)),
                        entry_text(&o.text, false),
                        note(&o.note, !o.correct),
                    )
                })
                .collect();
            sections.push(section(SectionName::Options, entries));
        }
        Body::Order(actions) => {
            if too_many(actions.len()) {
                warn("more than 26 actions: the bank format labels actions A to Z".into());
                return None;
            }
            meta.push(meta_entry("type", "order".into()));
            let entries = actions
                .iter()
                .enumerate()
                .map(|(i, (t, p, n))| {
                    entry(
                        Some(p.map_or(" ".to_string(), |p| p.to_string())),
                        Some(label(i)),
                        entry_text(t, false),
                        note(n, p.is_none()),
                    )
                })
                .collect();
            sections.push(section(SectionName::Actions, entries));
        }
        Body::Match { sources, targets } => {
            if too_many(sources.len()) {
                warn("more than 26 sources: the bank format labels sources A to Z".into());
                return None;
            }
            meta.push(meta_entry("type", "match".into()));
            let mut uses = vec![0usize; sources.len()];
            for (_, s, _) in targets {
                if let Some(u) = uses.get_mut(*s) {
                    *u += 1;
                }
            }
            let reuse = draft.meta.reuse.unwrap_or(false) || uses.iter().any(|u| *u > 1);
            meta.push(meta_entry("reuse", if reuse { "yes" } else { "no" }.into()));
            let source_entries = sources
                .iter()
                .enumerate()
                .map(|(i, (t, n))| {
                    entry(
                        None,
                        Some(label(i)),
                        entry_text(t, false),
                        note(n, uses[i] == 0),
                    )
                })
                .collect();
            let target_entries = targets
                .iter()
                .map(|(t, s, n)| {
                    entry(
                        Some(label(*s).to_string()),
                        None,
                        entry_text(t, true),
                        note(n, false),
                    )
                })
                .collect();
            sections.push(section(SectionName::Sources, source_entries));
            sections.push(section(SectionName::Targets, target_entries));
        }
        Body::Dropdown(slots) => {
            meta.push(meta_entry("type", "dropdown".into()));
            for (i, choices) in slots.iter().enumerate() {
                if too_many(choices.len()) {
                    warn(
                        "more than 26 choices in a slot: the bank format labels them A to Z".into(),
                    );
                    return None;
                }
                let entries = choices
                    .iter()
                    .enumerate()
                    .map(|(k, o)| {
                        entry(
                            Some(if o.correct { "x" } else { " " }.into()),
                            Some(label(k)),
                            entry_text(&o.text, false),
                            note(&o.note, !o.correct),
                        )
                    })
                    .collect();
                sections.push(section(
                    SectionName::Slot(u32::try_from(i + 1).unwrap_or(u32::MAX)),
                    entries,
                ));
            }
        }
        Body::Solution(t, answer, n) => {
            meta.push(meta_entry("type", "solution".into()));
            let e = entry(
                Some(if *answer { "yes" } else { "no" }.into()),
                None,
                entry_text(t, true),
                note(n, false),
            );
            sections.push(section(SectionName::Solution, vec![e]));
        }
        Body::YesNo(statements) => {
            meta.push(meta_entry("type", "yesno".into()));
            let entries = statements
                .iter()
                .map(|(t, a, n)| {
                    entry(
                        Some(if *a { "yes" } else { "no" }.into()),
                        None,
                        entry_text(t, true),
                        note(n, true),
                    )
                })
                .collect();
            sections.push(section(SectionName::Statements, entries));
        }
    }
    if let Some(shuffle) = draft.meta.shuffle.filter(|s| !s)
        && !matches!(draft.body, Body::YesNo(_) | Body::Solution(..))
    {
        meta.push(meta_entry(
            "shuffle",
            if shuffle { "yes" } else { "no" }.into(),
        ));
    }
    let objectives = if draft.meta.objectives.is_empty() {
        &opts.objectives
    } else {
        &draft.meta.objectives
    };
    for (outline, ids) in objectives {
        meta.push(meta_entry(&outline.to_string(), ids.join(", ")));
    }
    meta.push(meta_entry(
        "difficulty",
        draft
            .meta
            .difficulty
            .map_or_else(|| preparer.default_difficulty.clone(), |d| d.to_string()),
    ));
    let tags: Vec<String> = draft
        .tags
        .iter()
        .map(|t| crate::text::one_line(&t.replace(',', " ")))
        .filter(|t| !t.is_empty())
        .collect();
    if !tags.is_empty() {
        meta.push(meta_entry("tags", tags.join(", ")));
    }
    meta.push(meta_entry(
        "reviewed",
        draft
            .meta
            .reviewed
            .map_or_else(|| preparer.reviewed.clone(), |d| d.to_string()),
    ));
    if let Some(v) = draft.meta.version.filter(|v| *v > 1) {
        meta.push(meta_entry("version", v.to_string()));
    }
    let mut explanation = block_text(&draft.explanation);
    let no_explanation = explanation.is_empty();
    if no_explanation {
        explanation = NO_EXPLANATION.to_string();
    }
    sections.push(Section {
        name: Spanned::new(SectionName::Explanation, Pos::default()),
        body: SectionBody::Text(text(explanation)),
    });
    let mut references: Vec<Reference> = draft
        .references
        .iter()
        .filter(|r| r.url.starts_with("https://") && !r.url.contains(char::is_whitespace))
        .cloned()
        .collect();
    let dropped = draft.references.len() - references.len();
    if dropped > 0 {
        warn(format!(
            "{dropped} reference(s) dropped: the bank format takes https:// addresses only"
        ));
    }
    // The lint wants a Learn link to the section that backs the key (an anchor): when the
    // source's own links don't point to one, the references given for the import are added.
    let on_learn = |r: &Reference| {
        r.url.starts_with("https://learn.microsoft.com/")
            && certprep_bank::lower::links_to_section(r)
    };
    if !references.iter().any(on_learn) {
        if references
            .iter()
            .any(|r| r.url.starts_with("https://learn.microsoft.com/"))
            && !opts.references.is_empty()
        {
            warn(
                "the source's Learn links point to no section: the import's references are added"
                    .into(),
            );
        }
        references.extend(
            opts.references
                .iter()
                .filter(|r| !references.contains(r))
                .cloned()
                .collect::<Vec<_>>(),
        );
    }
    let reference_entries = references
        .iter()
        .map(|r| entry(None, None, reference_entry_text(r), String::new()))
        .collect();
    sections.push(section(SectionName::References, reference_entries));
    if let Some(w) = placeholder_warning(no_explanation, filled_notes) {
        warn(w);
    }
    if let Body::Dropdown(_) = draft.body
        && stem.is_empty()
    {
        stem = "{{1}}".into();
    }
    Some(ItemDoc {
        id: Spanned::new(id.to_string(), Pos::default()),
        meta: Some(Meta {
            entries: meta,
            pos: Pos::default(),
        }),
        stem: text(stem),
        sections,
    })
}

/// A reference as its entry in the `### References` section.
fn reference_entry_text(r: &Reference) -> String {
    match &r.title {
        Some(title) => format!(
            "[{}]({})",
            crate::text::one_line(&title.replace(['[', ']'], "")),
            r.url
        ),
        None => r.url.clone(),
    }
}

/// The warning for placeholders written where the source has no explanation or no note.
fn placeholder_warning(no_explanation: bool, filled_notes: usize) -> Option<String> {
    let what = match (no_explanation, filled_notes) {
        (false, 0) => return None,
        (true, 0) => "no explanation".to_string(),
        (false, n) => format!("no reason for {n} choice(s) that need one"),
        (true, n) => format!("no explanation and no reason for {n} choice(s) that need one"),
    };
    Some(format!(
        "the source has {what}: placeholder text written, edit it before use"
    ))
}

/// Renders one item and runs the bank's parser, file lint and (given a catalog) the checks
/// against the catalog and service names on it, as `certprep bank lint` does: the item and
/// its text as written in the file after its `## Item: ID` line, or the reasons it is refused.
fn check(
    doc: ItemDoc,
    series: Option<&(String, String)>,
    today: NaiveDate,
    catalog: Option<(&Catalog, &NameIndex<'_>)>,
) -> Result<(Item, String), Vec<String>> {
    let mut item_text = certprep_bank::render_item_text(&doc);
    // The item is checked inside a block like the one it is written in: its series, or a
    // titled block (so that nothing before it can claim it).
    let mut block = match series {
        Some(s) => series_block(s, vec![]),
        None => Block::new(BlockHead::Plain(Some(Spanned::new(
            "Item".to_string(),
            Pos::default(),
        )))),
    };
    let (lowered, mut diags) = if series.is_none() && reads_back_as_is(&doc) {
        // Its text reads back as this very tree, so the tree is lowered as it is.
        block.items.push(doc);
        let file = BankFile {
            blocks: vec![block],
        };
        certprep_bank::lower::lower("item.md", &file, today)
    } else {
        let rendered = certprep_bank::render_block_head(&block) + &item_text;
        let (tree, mut diags) = certprep_bank::parse("item.md", &rendered);
        let (lowered, more) = certprep_bank::lower::lower("item.md", &tree, today);
        diags.extend(more);
        (lowered, diags)
    };
    let lowered = lowered.items.into_iter().next();
    if let (Some((catalog, names)), Some(l)) = (catalog, &lowered) {
        diags.extend(certprep_bank::load::check_item(l, catalog, names));
    }
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error() && !about_one_item(&d.message))
        .map(|d| reason(&d.message))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let item = lowered
        .and_then(|l| l.item)
        .ok_or_else(|| vec!["the bank parser found no item".to_string()])?;
    // The renderer's first line is the heading; the id is given at commit.
    let heading = item_text.find('\n').map_or(item_text.len(), |i| i + 1);
    item_text.drain(..heading);
    Ok((item, item_text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Lowers a rendered item the long way (written, then read by the bank's parser) and the
    /// short way (the tree as it is): items and messages.
    fn both_ways(doc: &ItemDoc) -> [(Option<Item>, Vec<String>); 2] {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default();
        let rendered = format!("# Item\n\n{}", certprep_bank::render_item_text(doc));
        let (tree, mut diags) = certprep_bank::parse("item.md", &rendered);
        let (read, more) = certprep_bank::lower::lower("item.md", &tree, today);
        diags.extend(more);
        let mut block = Block::new(BlockHead::Plain(Some(Spanned::new(
            "Item".to_string(),
            Pos::default(),
        ))));
        block.items.push(doc.clone());
        let (direct, direct_diags) = certprep_bank::lower::lower(
            "item.md",
            &BankFile {
                blocks: vec![block],
            },
            today,
        );
        let messages = |d: Vec<certprep_bank::diag::Diagnostic>| {
            d.into_iter()
                .map(|d| reason(&d.message))
                .collect::<Vec<_>>()
        };
        let item =
            |l: certprep_bank::lower::Lowered| l.items.into_iter().next().and_then(|i| i.item);
        [
            (item(read), messages(diags)),
            (item(direct), messages(direct_diags)),
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        // Mostly one line of printable ASCII (every Markdown and bank-syntax character) and
        // letters beyond it, starting with a letter: items whose every text reads back as it
        // is; sometimes anything, with newlines: items that do not.
        prop_oneof![
            12 => "[A-Za-z0-9é][ -~é]{0,24}",
            3 => "[A-Za-z0-9é{][ -~é]{0,12}(\\n\\n?[A-Za-z0-9é{#>`~\\- ][ -~é]{0,12}){0,3}",
            1 => "[A-Za-z0-9é#`~>*\\-\\[ ][ -~é\\n]{0,24}",
        ]
    }

    fn opt() -> impl Strategy<Value = Opt> {
        (text(), any::<bool>(), text()).prop_map(|(t, c, n)| Opt::new(t, c, n))
    }

    fn body() -> impl Strategy<Value = Body> {
        prop_oneof![
            prop::collection::vec(opt(), 1..6).prop_map(Body::Choice),
            prop::collection::vec((text(), any::<bool>(), text()), 1..4).prop_map(Body::YesNo),
            (
                prop::collection::vec((text(), text()), 1..4),
                prop::collection::vec((text(), 0usize..4, text()), 1..4)
            )
                .prop_map(|(sources, targets)| Body::Match { sources, targets }),
            prop::collection::vec((text(), prop::option::of(1u32..4), text()), 1..5)
                .prop_map(Body::Order),
            prop::collection::vec(prop::collection::vec(opt(), 1..4), 1..3)
                .prop_map(Body::Dropdown),
        ]
    }

    /// An item that `reads_back_as_is` gives the same item and messages lowered as it is as
    /// when written and read back, which is what a later `bank lint` does.
    #[test]
    fn reads_back_as_is_means_the_same_item() {
        let cases: u32 = std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(600);
        let opts = crate::options_for_tests();
        let preparer = Preparer::new("t.gift", &opts, true);
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(cases));
        let compared = std::cell::Cell::new(0u32);
        let strategy = (text(), body(), text(), prop::collection::vec(text(), 0..3));
        let result = runner.run(&strategy, |(stem, body, explanation, tags)| {
            let mut draft = Draft::new(Pos::default(), stem, body);
            draft.explanation = explanation;
            draft.tags = tags;
            if let Some(doc) = to_doc(&draft, "t-001", &preparer, &mut |_| {})
                && reads_back_as_is(&doc)
            {
                let [read, direct] = both_ways(&doc);
                prop_assert_eq!(read, direct);
                compared.set(compared.get() + 1);
            }
            Ok(())
        });
        assert!(result.is_ok(), "{result:?}");
        // Most cases must be items that read back as they are, or the test shows nothing.
        assert!(
            compared.get() >= cases / 4,
            "only {} of {cases} cases compared",
            compared.get()
        );
    }

    #[test]
    fn plain_items_read_back_as_is_and_others_do_not() {
        let opts = ImportOptions::new(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default());
        let preparer = Preparer::new("t.gift", &opts, false);
        let plain = Draft::new(
            Pos::default(),
            "Which service indexes the manuals?".into(),
            Body::Choice(vec![
                Opt::new("Azure AI Search", true, ""),
                Opt::new("Azure Blob Storage", false, "It holds files."),
            ]),
        );
        let doc = to_doc(&plain, "t-001", &preparer, &mut |_| {});
        assert!(doc.as_ref().is_some_and(reads_back_as_is));
        let mut two_lines = plain.clone();
        two_lines.stem = "Which service\n- [x] A. indexes?".into();
        let doc = to_doc(&two_lines, "t-001", &preparer, &mut |_| {});
        assert!(doc.as_ref().is_some_and(|d| !reads_back_as_is(d)));
    }
}
