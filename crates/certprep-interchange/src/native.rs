//! Imported questions → native bank Markdown. Every importer produces [`Draft`]s; this module
//! gives them ids, fills what the bank format requires and the source lacks (saying so),
//! renders them in the canonical layout, and keeps only items that `certprep-bank`'s parser
//! and file lint accept (the others are reported with the lint's reasons).

use std::collections::{BTreeMap, HashSet};

use certprep_bank::syntax::{
    BankFile, Block, BlockHead, Entry, ItemDoc, Meta, MetaEntry, Pos, Section, SectionBody,
    SectionName, Spanned, Text,
};
use certprep_domain::item::Reference;
use certprep_domain::{Item, OutlineRef};
use chrono::NaiveDate;

use crate::{ImportOptions, Issue};

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

/// The result of turning drafts into bank text.
pub struct Finished {
    pub items: Vec<Item>,
    pub markdown: String,
}

/// Gives ids, fills required parts, renders, and keeps what the bank's parser and lint accept.
pub fn finish(
    file: &str,
    drafts: Vec<Draft>,
    opts: &ImportOptions,
    issues: &mut Vec<Issue>,
) -> Finished {
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
    // Ids of this file, and ids taken elsewhere, which only derived ids avoid: an id the
    // source gives (`[id:…]`, a certprep export's) names the item it replaces.
    let mut used: HashSet<String> = HashSet::new();
    let mut taken: HashSet<String> = opts.taken_ids.iter().cloned().collect();
    if let Some(library) = &opts.library {
        taken.extend(library.bank.items.iter().map(|i| i.id.clone()));
        taken.extend(library.bank.series.iter().map(|s| s.id.clone()));
        taken.extend(library.bank.case_studies.iter().map(|c| c.id.clone()));
    }
    // Items that pass the parser and the file lint, with their category.
    let mut kept: Vec<Kept> = Vec::new();
    for (n, draft) in drafts.into_iter().enumerate() {
        let id = choose_id(
            &draft,
            &prefix,
            n + 1,
            opts.id_prefix.is_some(),
            &mut used,
            &taken,
        );
        let from = draft.source.clone().unwrap_or_else(|| file.to_string());
        let at = |message: String| Issue::warning(&from, draft.pos, Some(id.clone()), message);
        let Some(doc) = to_doc(&draft, &id, opts, &mut |m| issues.push(at(m))) else {
            continue;
        };
        match check(&doc, draft.series.as_ref(), opts.today) {
            Ok(item) => kept.push(Kept {
                file: from.clone(),
                pos: draft.pos,
                category: draft.category.clone(),
                series: draft.series.clone(),
                doc,
                item,
            }),
            Err(reasons) => {
                used.remove(&id);
                issues.push(Issue::error(
                    &from,
                    draft.pos,
                    Some(id.clone()),
                    format!("not imported: {}", reasons.join("; ")),
                ));
            }
        }
    }
    if let Some(library) = &opts.library {
        let rejected = check_catalog(&kept, library, opts.today);
        let mut i = 0;
        kept.retain(|k| {
            let reasons = rejected.get(&i);
            i += 1;
            match reasons {
                Some(reasons) => {
                    issues.push(Issue::error(
                        &k.file,
                        k.pos,
                        Some(k.doc.id.value.clone()),
                        format!("not imported: {}", reasons.join("; ")),
                    ));
                    false
                }
                None => true,
            }
        });
    }
    // A series needs two items: refuse the solution items left alone.
    let series_size = |id: &str, kept: &[Kept]| {
        kept.iter()
            .filter(|k| k.series.as_ref().is_some_and(|s| s.0 == id))
            .count()
    };
    let lonely: Vec<usize> = kept
        .iter()
        .enumerate()
        .filter(|(_, k)| {
            k.series
                .as_ref()
                .is_some_and(|s| series_size(&s.0, &kept) < 2)
        })
        .map(|(i, _)| i)
        .collect();
    for i in lonely.iter().rev() {
        let k = kept.remove(*i);
        issues.push(Issue::error(
            &k.file,
            k.pos,
            Some(k.doc.id.value.clone()),
            "not imported: a series needs at least two items, and only this one of its series was imported",
        ));
    }
    let mut blocks: Vec<Block> = Vec::new();
    let mut items = Vec::new();
    for k in kept {
        let same = match (&k.series, blocks.last().map(|b| &b.head)) {
            (Some((id, _)), Some(BlockHead::Series(head))) => head.value == *id,
            (Some(_), _) => false,
            (None, Some(BlockHead::Plain(t))) => {
                let title = t.as_ref().map(|t| t.value.as_str());
                blocks.last().is_some_and(|b| head_title(b) == k.category)
                    || (k.category.is_none() && title == Some("Questions"))
            }
            (None, _) => false,
        };
        if !same {
            match &k.series {
                Some(series) => blocks.push(series_block(series, vec![])),
                None => {
                    let after_group = blocks
                        .last()
                        .is_some_and(|b| !matches!(b.head, BlockHead::Plain(_)));
                    let title = match k.category {
                        Some(c) => Some(heading_title(&c)),
                        // Items after a series need a heading, or they would join it.
                        None if after_group => Some("Questions".to_string()),
                        None => None,
                    };
                    blocks.push(Block::new(BlockHead::Plain(
                        title.map(|t| Spanned::new(t, Pos::default())),
                    )));
                }
            }
        }
        if let Some(block) = blocks.last_mut() {
            block.items.push(k.doc);
        }
        items.push(k.item);
    }
    let markdown = if blocks.is_empty() {
        String::new()
    } else {
        let mut text = certprep_bank::render(&BankFile { blocks });
        text.push('\n');
        text
    };
    Finished { items, markdown }
}

/// An item that passed the checks, waiting for its block.
struct Kept {
    file: String,
    pos: Pos,
    category: Option<String>,
    series: Option<(String, String)>,
    doc: ItemDoc,
    item: Item,
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

/// One item alone in a file, inside its series when it has one.
fn alone(doc: &ItemDoc, series: Option<&(String, String)>) -> BankFile {
    let block = match series {
        Some(s) => series_block(s, vec![doc.clone()]),
        // A titled block, so that an item after a series does not join it.
        None => Block {
            items: vec![doc.clone()],
            ..Block::new(BlockHead::Plain(Some(Spanned::new(
                "Item".into(),
                Pos::default(),
            ))))
        },
    };
    BankFile {
        blocks: vec![block],
    }
}

/// Errors about a series as a whole, which one item checked alone always has.
fn about_one_item(message: &str) -> bool {
    message == "a series needs at least two items"
}

fn head_title(block: &Block) -> Option<String> {
    match &block.head {
        BlockHead::Plain(Some(t)) => Some(t.value.clone()),
        _ => None,
    }
    .map(|t| {
        t.strip_prefix("Category: ")
            .map(str::to_string)
            .unwrap_or(t)
    })
}

/// A category path as a plain `# ` heading (never one that opens a case study or series).
fn heading_title(category: &str) -> String {
    format!("Category: {}", crate::text::one_line(category))
}

fn choose_id(
    draft: &Draft,
    prefix: &str,
    n: usize,
    prefixed: bool,
    used: &mut HashSet<String>,
    taken: &HashSet<String>,
) -> String {
    let given = draft
        .id
        .as_deref()
        .filter(|i| crate::text::is_id(i))
        .map(str::to_string);
    let derived = || {
        draft
            .id
            .as_deref()
            .map(crate::text::slug)
            .filter(|s| !s.is_empty())
            .map(|s| {
                if s.chars().all(|c| c.is_ascii_digit()) {
                    format!("{prefix}-{s}")
                } else {
                    s
                }
            })
            .or_else(|| {
                draft
                    .name
                    .as_deref()
                    .map(crate::text::slug)
                    .filter(|s| !s.is_empty())
            })
            .map(|s| {
                if prefixed && !s.starts_with(prefix) {
                    format!("{prefix}-{s}")
                } else {
                    s
                }
            })
            .unwrap_or_else(|| format!("{prefix}-{n:03}"))
    };
    let (base, avoid_taken) = match given {
        Some(id) => (id, false),
        None => (derived(), true),
    };
    let mut id = base.clone();
    let mut k = 2;
    while used.contains(&id) || (avoid_taken && taken.contains(&id)) {
        id = format!("{base}-{k}");
        k += 1;
    }
    used.insert(id.clone());
    id
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
    opts: &ImportOptions,
    warn: &mut dyn FnMut(String),
) -> Option<ItemDoc> {
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
        draft.meta.difficulty.unwrap_or(opts.difficulty).to_string(),
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
        draft.meta.reviewed.unwrap_or(opts.reviewed()).to_string(),
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
        .map(|r| {
            let t = match &r.title {
                Some(title) => format!(
                    "[{}]({})",
                    crate::text::one_line(&title.replace(['[', ']'], "")),
                    r.url
                ),
                None => r.url.clone(),
            };
            entry(None, None, t, String::new())
        })
        .collect();
    sections.push(section(SectionName::References, reference_entries));
    if filled_notes > 0 || no_explanation {
        let mut parts = Vec::new();
        if no_explanation {
            parts.push("no explanation".to_string());
        }
        if filled_notes > 0 {
            parts.push(format!(
                "no reason for {filled_notes} choice(s) that need one"
            ));
        }
        warn(format!(
            "the source has {}: placeholder text written, edit it before use",
            parts.join(" and ")
        ));
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

/// Loads the kept items against a library's catalog and service names, as `bank lint`
/// does: the errors of each item (by its index).
fn check_catalog(
    kept: &[Kept],
    library: &certprep_bank::Library,
    today: NaiveDate,
) -> BTreeMap<usize, Vec<String>> {
    let mut text = String::new();
    let mut starts = Vec::new();
    let mut lines = 1usize;
    for (i, k) in kept.iter().enumerate() {
        starts.push(u32::try_from(lines).unwrap_or(u32::MAX));
        // Each item alone: its series under an id of its own, so ids stay unique.
        let series = k
            .series
            .as_ref()
            .map(|(id, scenario)| (format!("{id}-check-{i}"), scenario.clone()));
        let rendered = certprep_bank::render(&alone(&k.doc, series.as_ref()));
        lines += rendered.matches('\n').count() + 2;
        text.push_str(&rendered);
        text.push_str("\n\n");
    }
    let base = certprep_bank::Library {
        catalog: library.catalog.clone(),
        names: library.names.clone(),
        ..Default::default()
    };
    let loaded = certprep_bank::load_onto(
        base,
        &[vec![certprep_bank::Source::new("import.md", text)]],
        today,
        0,
    );
    let mut out: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for d in loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && !about_one_item(&d.message))
    {
        let i = starts.partition_point(|s| *s <= d.line).saturating_sub(1);
        out.entry(i).or_default().push(d.message.clone());
    }
    out
}

/// Renders one item alone and runs the bank's parser and file lint on it.
fn check(
    doc: &ItemDoc,
    series: Option<&(String, String)>,
    today: NaiveDate,
) -> Result<Item, Vec<String>> {
    let rendered = certprep_bank::render(&alone(doc, series));
    let (tree, mut diags) = certprep_bank::parse("item.md", &rendered);
    let (lowered, more) = certprep_bank::lower::lower("item.md", &tree, today);
    diags.extend(more);
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error() && !about_one_item(&d.message))
        .map(|d| match d.message.split_once(": same text as line") {
            // Lines of the rendered item mean nothing to the reader of the source.
            Some((head, _)) => format!("{head}: two answers have the same text"),
            None => d.message.clone(),
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    lowered
        .items
        .into_iter()
        .next()
        .and_then(|l| l.item)
        .ok_or_else(|| vec!["the bank parser found no item".to_string()])
}
