//! Syntax tree → domain items, with every check that needs only the file itself (types, keys,
//! labels, notes, references). Checks that need the catalog live in `lint`.

use std::collections::BTreeMap;

use certprep_domain::item::{
    Action, CaseStudy, Choice, Membership, Reference, Series, Slot, Source, Statement, Tab, Target,
};
use certprep_domain::{Item, ItemBody, ItemKind, OutlineRef};
use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::syntax::{
    BankFile, Block, BlockHead, Entry, ItemDoc, Meta, MetaEntry, Pos, Section, SectionBody,
    SectionName, Spanned, Text,
};

/// An item with the positions `lint` needs to report catalog problems.
#[derive(Debug, Clone)]
pub struct LoweredItem {
    /// `None` when the item has errors: it is still checked against the catalog, but not used.
    pub item: Option<Item>,
    pub id: String,
    pub file: String,
    pub id_pos: Pos,
    /// Each objective id as written, with the outline it names and where.
    pub objective_refs: Vec<(OutlineRef, Spanned<String>)>,
    /// Every text of the item (and of its group) that a reader sees.
    pub texts: Vec<Text>,
}

#[derive(Debug, Clone, Default)]
pub struct Lowered {
    pub items: Vec<LoweredItem>,
    pub case_studies: Vec<(CaseStudy, Pos)>,
    pub series: Vec<(Series, Pos)>,
}

pub fn lower(file: &str, bank: &BankFile, today: NaiveDate) -> (Lowered, Vec<Diagnostic>) {
    let mut cx = Lowerer {
        file,
        today,
        diagnostics: vec![],
        out: Lowered::default(),
    };
    for block in &bank.blocks {
        cx.block(block);
    }
    (cx.out, cx.diagnostics)
}

struct Lowerer<'f> {
    file: &'f str,
    today: NaiveDate,
    diagnostics: Vec<Diagnostic>,
    out: Lowered,
}

/// The metadata of an item after its group's values are merged in.
#[derive(Debug, Default, Clone)]
struct Fields {
    kind: Option<Spanned<ItemKind>>,
    difficulty: Option<u8>,
    tags: Vec<String>,
    reviewed: Option<NaiveDate>,
    version: u32,
    choose: Option<Spanned<u32>>,
    reuse: bool,
    shuffle: bool,
    title: Option<String>,
    objectives: BTreeMap<OutlineRef, Vec<Spanned<String>>>,
}

const ITEM_KEYS: &str =
    "type, difficulty, tags, reviewed, version, choose, reuse, shuffle or EXAM@DATE";
const GROUP_KEYS: &str = "title, difficulty, tags, reviewed or EXAM@DATE";

impl Lowerer<'_> {
    fn error(&mut self, pos: Pos, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::error(self.file, pos, message));
    }

    fn block(&mut self, block: &Block) {
        let group_fields = match &block.head {
            BlockHead::Plain(_) => Fields::default(),
            BlockHead::CaseStudy(id) | BlockHead::Series(id) => {
                self.check_id(id);
                match &block.meta {
                    Some(meta) => self.fields(meta, Fields::default(), true),
                    None => {
                        self.error(id.pos, "expected a ```meta block after the heading");
                        Fields::default()
                    }
                }
            }
        };
        let membership = match &block.head {
            BlockHead::Plain(_) => None,
            BlockHead::CaseStudy(id) => Some(Membership::CaseStudy(id.value.clone())),
            BlockHead::Series(id) => Some(Membership::Series(id.value.clone())),
        };
        let mut group_texts = vec![block.prose.clone()];
        group_texts.extend(block.tabs.iter().map(|t| t.content.clone()));
        let mut ids = Vec::new();
        for item in &block.items {
            if let Some(lowered) = self.item(item, &group_fields, membership.as_ref(), &group_texts)
            {
                ids.push(lowered.id.clone());
                self.out.items.push(lowered);
            }
        }
        match &block.head {
            BlockHead::Plain(_) => {}
            BlockHead::CaseStudy(id) => self.case_study(block, id, &group_fields, ids),
            BlockHead::Series(id) => self.series(block, id, ids),
        }
    }

    fn case_study(
        &mut self,
        block: &Block,
        id: &Spanned<String>,
        fields: &Fields,
        items: Vec<String>,
    ) {
        if block.tabs.is_empty() {
            self.error(
                id.pos,
                "a case study needs at least one `## Tab: NAME` section",
            );
        }
        for tab in block.tabs.iter().filter(|t| t.content.is_empty()) {
            self.error(tab.name.pos, format!("tab `{}` is empty", tab.name.value));
        }
        if block.items.is_empty() {
            self.error(id.pos, "a case study needs at least one `## Item:`");
        }
        let title = fields.title.clone().unwrap_or_else(|| {
            self.error(id.pos, "a case study needs `title:` in its meta block");
            id.value.clone()
        });
        let case = CaseStudy {
            id: id.value.clone(),
            title,
            intro: block.prose.text.clone(),
            tabs: block
                .tabs
                .iter()
                .map(|t| Tab {
                    name: t.name.value.clone(),
                    content: t.content.text.clone(),
                })
                .collect(),
            items,
        };
        self.out.case_studies.push((case, id.pos));
    }

    fn series(&mut self, block: &Block, id: &Spanned<String>, items: Vec<String>) {
        if block.prose.is_empty() {
            self.error(
                id.pos,
                "a series needs its shared scenario after the meta block",
            );
        }
        if block.items.len() < 2 {
            self.error(id.pos, "a series needs at least two items");
        }
        let series = Series {
            id: id.value.clone(),
            scenario: block.prose.text.clone(),
            items,
        };
        self.out.series.push((series, id.pos));
    }

    fn check_id(&mut self, id: &Spanned<String>) -> bool {
        let ok = !id.value.is_empty()
            && id
                .value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !id.value.starts_with('-');
        if !ok {
            self.error(
                id.pos,
                format!(
                    "invalid id `{}`: expected lower-case letters, digits and hyphens",
                    id.value
                ),
            );
        }
        ok
    }

    /// Reads a meta block on top of inherited fields.
    fn fields(&mut self, meta: &Meta, inherited: Fields, group: bool) -> Fields {
        let mut f = inherited;
        let mut seen: Vec<&str> = Vec::new();
        for entry in &meta.entries {
            let key = entry.key.value.as_str();
            if seen.contains(&key) {
                self.error(entry.key.pos, format!("`{key}` is given twice"));
                continue;
            }
            seen.push(key);
            self.field(&mut f, entry, group);
        }
        f
    }

    fn field(&mut self, f: &mut Fields, entry: &MetaEntry, group: bool) {
        let (key, value) = (entry.key.value.as_str(), &entry.value);
        let v = value.value.as_str();
        match key {
            "type" if !group => match ItemKind::from_name(v) {
                Some(kind) => f.kind = Some(Spanned::new(kind, value.pos)),
                None => self.error(
                    value.pos,
                    format!(
                        "unknown type `{v}`: expected single, multiple, order, match, dropdown, yesno or solution"
                    ),
                ),
            },
            "difficulty" => match v.parse::<u8>() {
                Ok(d @ 1..=5) => f.difficulty = Some(d),
                _ => self.error(value.pos, format!("difficulty must be 1 to 5, found `{v}`")),
            },
            "tags" => f.tags = split_list(v),
            "reviewed" => match certprep_domain::exam::parse_date(v) {
                Ok(d) if d > self.today => {
                    self.error(value.pos, format!("reviewed date {v} is in the future"))
                }
                Ok(d) => {
                    if (self.today - d).num_days() > 365 {
                        self.diagnostics.push(Diagnostic::warning(
                            self.file,
                            value.pos,
                            format!("last reviewed {v}, more than a year ago"),
                        ));
                    }
                    f.reviewed = Some(d);
                }
                Err(e) => self.error(value.pos, e),
            },
            "version" if !group => match v.parse::<u32>() {
                Ok(n) if n >= 1 => f.version = n,
                _ => self.error(value.pos, format!("version must be a positive integer, found `{v}`")),
            },
            "choose" if !group => match v.parse::<u32>() {
                Ok(n) => f.choose = Some(Spanned::new(n, value.pos)),
                Err(_) => self.error(value.pos, format!("choose must be a number, found `{v}`")),
            },
            "reuse" if !group => match yes_no(v) {
                Some(b) => f.reuse = b,
                None => self.error(value.pos, format!("reuse must be yes or no, found `{v}`")),
            },
            "shuffle" if !group => match yes_no(v) {
                Some(b) => f.shuffle = b,
                None => self.error(value.pos, format!("shuffle must be yes or no, found `{v}`")),
            },
            "title" if group => f.title = Some(v.to_string()),
            _ if key.contains('@') => self.objectives_field(f, entry),
            _ => self.error(
                entry.key.pos,
                format!(
                    "unknown key `{key}`: expected {}",
                    if group { GROUP_KEYS } else { ITEM_KEYS }
                ),
            ),
        }
    }

    fn objectives_field(&mut self, f: &mut Fields, entry: &MetaEntry) {
        let outline: OutlineRef = match entry.key.value.parse() {
            Ok(o) => o,
            Err(e) => return self.error(entry.key.pos, e.to_string()),
        };
        let mut ids = Vec::new();
        let mut offset = 0;
        for part in entry.value.value.split(',') {
            let lead = part.len() - part.trim_start().len();
            let id = part.trim();
            let pos = Pos::new(
                entry.value.pos.line,
                entry.value.pos.col + u32::try_from(offset + lead).unwrap_or(0),
            );
            offset += part.len() + 1;
            if !id.is_empty() {
                ids.push(Spanned::new(id.to_string(), pos));
            }
        }
        if ids.is_empty() {
            return self.error(
                entry.value.pos,
                format!("expected objective ids after `{outline}:`"),
            );
        }
        f.objectives.insert(outline, ids);
    }

    fn item(
        &mut self,
        doc: &ItemDoc,
        group: &Fields,
        membership: Option<&Membership>,
        group_texts: &[Text],
    ) -> Option<LoweredItem> {
        let errors_before = self.error_count();
        self.check_id(&doc.id);
        let mut inherited = group.clone();
        inherited.title = None;
        inherited.version = 1;
        inherited.shuffle = true;
        if matches!(membership, Some(Membership::Series(_))) {
            inherited.kind = Some(Spanned::new(ItemKind::Solution, doc.id.pos));
        }
        let f = match &doc.meta {
            Some(meta) => self.fields(meta, inherited, false),
            None if matches!(membership, Some(Membership::Series(_))) => inherited,
            None => {
                self.error(
                    doc.id.pos,
                    "expected a ```meta block after the `## Item:` heading",
                );
                return None;
            }
        };
        let Some(kind) = f.kind else {
            self.error(doc.id.pos, "missing `type:` in the meta block");
            return None;
        };
        self.check_membership(kind, membership);
        let difficulty = f.difficulty.unwrap_or_else(|| {
            self.error(
                doc.id.pos,
                "missing `difficulty:` (on the item or its group)",
            );
            0
        });
        let reviewed = f.reviewed.unwrap_or_else(|| {
            self.error(doc.id.pos, "missing `reviewed:` (on the item or its group)");
            NaiveDate::MIN
        });
        if f.objectives.is_empty() {
            self.error(
                doc.id.pos,
                "the item serves no outline: add an `EXAM@DATE: objective` line",
            );
        }
        if kind.value != ItemKind::Solution && doc.stem.is_empty() {
            self.error(
                doc.id.pos,
                "missing stem: expected the scenario and question after the meta block",
            );
        }
        let sections = self.sections(doc, kind.value);
        let body = self.body(doc, kind.value, &f, &sections);
        let explanation = self.explanation(doc, &sections);
        let references = self.references(doc, &sections);
        let valid = self.error_count() == errors_before;
        let mut texts = vec![doc.stem.clone(), explanation.clone()];
        texts.extend(group_texts.iter().cloned());
        texts.extend(sections.values().flat_map(|s| section_texts(s)));
        let objective_refs = f
            .objectives
            .iter()
            .flat_map(|(o, ids)| ids.iter().map(move |id| (o.clone(), id.clone())))
            .collect();
        let item = body.filter(|_| valid).map(|body| Item {
            id: doc.id.value.clone(),
            version: f.version,
            stem: doc.stem.text.clone(),
            body,
            explanation: explanation.text,
            references,
            objectives: f
                .objectives
                .clone()
                .iter()
                .map(|(o, ids)| (o.clone(), ids.iter().map(|i| i.value.clone()).collect()))
                .collect(),
            difficulty,
            tags: f.tags,
            reviewed,
            shuffle: f.shuffle,
            group: membership.cloned(),
        });
        Some(LoweredItem {
            item,
            id: doc.id.value.clone(),
            file: self.file.to_string(),
            id_pos: doc.id.pos,
            objective_refs,
            texts,
        })
    }

    fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    fn check_membership(&mut self, kind: Spanned<ItemKind>, membership: Option<&Membership>) {
        let in_series = matches!(membership, Some(Membership::Series(_)));
        if kind.value == ItemKind::Solution && !in_series {
            self.error(kind.pos, "a `solution` item belongs in a `# Series:` group");
        }
        if in_series && kind.value != ItemKind::Solution {
            self.error(
                kind.pos,
                format!(
                    "a series holds only `solution` items, found `{}`",
                    kind.value
                ),
            );
        }
    }

    /// The sections of an item by name, after checking that each belongs to its type.
    fn sections<'d>(&mut self, doc: &'d ItemDoc, kind: ItemKind) -> BTreeMap<String, &'d Section> {
        let mut by_name = BTreeMap::new();
        for section in &doc.sections {
            let name = section.name.value;
            let allowed = matches!(name, SectionName::Explanation | SectionName::References)
                || answer_sections(kind).iter().any(|a| same_kind(*a, name));
            if !allowed {
                self.error(
                    section.name.pos,
                    format!("a `{kind}` item has no `### {name}` section"),
                );
                continue;
            }
            if by_name.insert(name.to_string(), section).is_some() {
                self.error(section.name.pos, format!("`### {name}` is given twice"));
            }
        }
        by_name
    }

    fn entries_of<'d>(
        &mut self,
        doc: &ItemDoc,
        sections: &BTreeMap<String, &'d Section>,
        name: SectionName,
    ) -> Option<&'d [Entry]> {
        match sections.get(&name.to_string()).map(|s| &s.body) {
            Some(SectionBody::Entries(e)) => Some(e),
            _ => {
                self.error(doc.id.pos, format!("missing `### {name}` section"));
                None
            }
        }
    }

    fn body(
        &mut self,
        doc: &ItemDoc,
        kind: ItemKind,
        f: &Fields,
        sections: &BTreeMap<String, &Section>,
    ) -> Option<ItemBody> {
        match kind {
            ItemKind::Single => {
                let entries = self.entries_of(doc, sections, SectionName::Options)?;
                let options = self.choices(entries, 3);
                let keys = options.iter().filter(|o| o.correct).count();
                if keys != 1 {
                    self.error(
                        section_pos(sections, SectionName::Options),
                        format!("a `single` item needs exactly one `[x]` option, found {keys}"),
                    );
                }
                Some(ItemBody::Single { options })
            }
            ItemKind::Multiple => self.multiple(doc, f, sections),
            ItemKind::Order => self.order(doc, sections),
            ItemKind::Match => self.matching(doc, f, sections),
            ItemKind::Dropdown => self.dropdown(doc, sections),
            ItemKind::YesNo => {
                let entries = self.entries_of(doc, sections, SectionName::Statements)?;
                let statements =
                    self.statements(entries, section_pos(sections, SectionName::Statements), 2);
                Some(ItemBody::YesNo { statements })
            }
            ItemKind::Solution => {
                let entries = self.entries_of(doc, sections, SectionName::Solution)?;
                if entries.len() != 1 {
                    self.error(
                        section_pos(sections, SectionName::Solution),
                        format!("a `solution` item needs exactly one `- [yes]` or `- [no]` entry, found {}", entries.len()),
                    );
                }
                let mut statements =
                    self.statements(entries, section_pos(sections, SectionName::Solution), 1);
                // The explanation section carries the reasoning; a note here is optional.
                let statement = statements.drain(..).next()?;
                Some(ItemBody::Solution { statement })
            }
        }
    }

    fn multiple(
        &mut self,
        doc: &ItemDoc,
        f: &Fields,
        sections: &BTreeMap<String, &Section>,
    ) -> Option<ItemBody> {
        let Some(choose) = f.choose else {
            self.error(
                doc.id.pos,
                "a `multiple` item needs `choose: N` in its meta block",
            );
            return None;
        };
        let min = usize::try_from(choose.value)
            .unwrap_or(usize::MAX)
            .saturating_add(1);
        let entries = self.entries_of(doc, sections, SectionName::Options)?;
        let options = self.choices(entries, min);
        let keys = options.iter().filter(|o| o.correct).count();
        if choose.value < 2 {
            self.error(
                choose.pos,
                format!(
                    "`choose` must be at least 2 (use `type: single` for one), found {}",
                    choose.value
                ),
            );
        } else if keys != choose.value as usize {
            self.error(
                section_pos(sections, SectionName::Options),
                format!(
                    "`choose: {}` needs exactly {} `[x]` options, found {keys}",
                    choose.value, choose.value
                ),
            );
        }
        Some(ItemBody::Multiple {
            choose: choose.value,
            options,
        })
    }

    fn order(&mut self, doc: &ItemDoc, sections: &BTreeMap<String, &Section>) -> Option<ItemBody> {
        let entries = self.entries_of(doc, sections, SectionName::Actions)?;
        self.check_list(entries, 3, true);
        let mut actions = Vec::new();
        for e in entries {
            let position = match e.mark.as_ref().map(|m| m.value.trim()) {
                Some("") => None,
                Some(m) => match m.parse::<u32>() {
                    Ok(p) if p >= 1 => Some(p),
                    _ => {
                        self.mark_error(e, "a position (1, 2, …) or a blank `[ ]`");
                        None
                    }
                },
                None => {
                    self.mark_error(e, "a position (1, 2, …) or a blank `[ ]`");
                    None
                }
            };
            if position.is_none() {
                self.require_note(e, "unused action");
            }
            actions.push(Action {
                label: label_of(e),
                text: e.text.value.clone(),
                position,
                note: e.note.text.clone(),
            });
        }
        let mut positions: Vec<u32> = actions.iter().filter_map(|a| a.position).collect();
        positions.sort_unstable();
        let expected: Vec<u32> = (1..=u32::try_from(positions.len()).unwrap_or(0)).collect();
        let pos = section_pos(sections, SectionName::Actions);
        if positions.len() < 2 {
            self.error(
                pos,
                "a build list needs at least two actions in the answer, numbered from 1",
            );
        } else if positions != expected {
            let shown: Vec<String> = positions.iter().map(u32::to_string).collect();
            self.error(
                pos,
                format!(
                    "answer positions must run 1, 2, … without gaps or repeats, found {}",
                    shown.join(", ")
                ),
            );
        }
        Some(ItemBody::Order { actions })
    }

    fn matching(
        &mut self,
        doc: &ItemDoc,
        f: &Fields,
        sections: &BTreeMap<String, &Section>,
    ) -> Option<ItemBody> {
        let source_entries = self.entries_of(doc, sections, SectionName::Sources)?;
        let target_entries = self.entries_of(doc, sections, SectionName::Targets)?;
        self.check_list(source_entries, 2, true);
        self.check_list(target_entries, 2, false);
        let mut targets = Vec::new();
        for e in target_entries {
            let key = e
                .mark
                .as_ref()
                .map(|m| m.value.trim().to_string())
                .unwrap_or_default();
            let mut chars = key.chars();
            let (Some(k), None) = (chars.next(), chars.next()) else {
                self.mark_error(e, "the label of a source, such as `[A]`");
                continue;
            };
            if !source_entries
                .iter()
                .any(|s| s.label.as_ref().map(|l| l.value) == Some(k))
            {
                self.error(
                    e.pos,
                    format!("target names source `{k}`, which is not among the sources"),
                );
            }
            targets.push(Target {
                text: e.text.value.clone(),
                key: k,
                note: e.note.text.clone(),
            });
        }
        let mut sources = Vec::new();
        for e in source_entries {
            if e.mark.is_some() {
                self.error(e.pos, "a source has no key: write `- A. text`");
            }
            let label = label_of(e);
            let uses = targets.iter().filter(|t| t.key == label).count();
            if uses == 0 {
                self.require_note(e, "unused source");
            }
            if uses > 1 && !f.reuse {
                self.error(
                    e.pos,
                    format!("source `{label}` is used by {uses} targets but `reuse` is not `yes`"),
                );
            }
            sources.push(Source {
                label,
                text: e.text.value.clone(),
                note: e.note.text.clone(),
            });
        }
        Some(ItemBody::Match {
            reuse: f.reuse,
            sources,
            targets,
        })
    }

    fn dropdown(
        &mut self,
        doc: &ItemDoc,
        sections: &BTreeMap<String, &Section>,
    ) -> Option<ItemBody> {
        let placeholders = placeholders(&doc.stem.text);
        let mut slots = Vec::new();
        for section in doc
            .sections
            .iter()
            .filter(|s| matches!(s.name.value, SectionName::Slot(_)))
        {
            let SectionName::Slot(number) = section.name.value else {
                continue;
            };
            let SectionBody::Entries(entries) = &section.body else {
                continue;
            };
            let choices = self.choices(entries, 2);
            let keys = choices.iter().filter(|c| c.correct).count();
            if keys != 1 {
                self.error(
                    section.name.pos,
                    format!("slot {number} needs exactly one `[x]` choice, found {keys}"),
                );
            }
            if !placeholders.contains(&number) {
                self.error(
                    section.name.pos,
                    format!("slot {number} has no `{{{{{number}}}}}` placeholder in the stem"),
                );
            }
            slots.push(Slot { number, choices });
        }
        slots.sort_by_key(|s| s.number);
        for n in &placeholders {
            if !slots.iter().any(|s| s.number == *n) {
                self.error(
                    doc.stem.pos,
                    format!("placeholder `{{{{{n}}}}}` has no `### Slot {n}` section"),
                );
            }
        }
        let numbers: Vec<u32> = slots.iter().map(|s| s.number).collect();
        let expected: Vec<u32> = (1..=u32::try_from(numbers.len()).unwrap_or(0)).collect();
        if slots.is_empty() {
            self.error(
                doc.id.pos,
                "a `dropdown` item needs `{{1}}` in the stem and a `### Slot 1` section",
            );
        } else if numbers != expected {
            self.error(
                section_pos(sections, SectionName::Slot(numbers[0])),
                "slots must be numbered 1, 2, … without gaps",
            );
        }
        Some(ItemBody::Dropdown { slots })
    }

    /// Options of a single, multiple or slot list.
    fn choices(&mut self, entries: &[Entry], min: usize) -> Vec<Choice> {
        self.check_list(entries, min, true);
        let mut out = Vec::new();
        for e in entries {
            let correct = match e.mark.as_ref().map(|m| m.value.as_str()) {
                Some("x" | "X") => true,
                Some(" " | "") => false,
                _ => {
                    self.mark_error(e, "`[x]` for a key or `[ ]` for a distractor");
                    false
                }
            };
            if !correct {
                self.require_note(e, "distractor");
            }
            out.push(Choice {
                label: label_of(e),
                text: e.text.value.clone(),
                correct,
                note: e.note.text.clone(),
            });
        }
        out
    }

    fn statements(&mut self, entries: &[Entry], pos: Pos, min: usize) -> Vec<Statement> {
        self.check_count(entries, min, pos);
        self.check_distinct(entries);
        let mut out = Vec::new();
        for e in entries {
            if e.label.is_some() {
                self.error(e.pos, "a statement has no label: write `- [yes] text`");
            }
            let answer = match e.mark.as_ref().map(|m| m.value.trim().to_ascii_lowercase()) {
                Some(m) if m == "yes" => true,
                Some(m) if m == "no" => false,
                _ => {
                    self.mark_error(e, "`[yes]` or `[no]`");
                    false
                }
            };
            if min > 1 {
                self.require_note(e, "statement");
            }
            out.push(Statement {
                text: e.text.value.clone(),
                answer,
                note: e.note.text.clone(),
            });
        }
        out
    }

    /// Count, labels in order, and distinct texts.
    fn check_list(&mut self, entries: &[Entry], min: usize, labelled: bool) {
        let pos = entries.first().map_or(Pos::default(), |e| e.pos);
        self.check_count(entries, min, pos);
        self.check_distinct(entries);
        for (i, e) in entries.iter().enumerate() {
            let expected = char::from(b'A' + u8::try_from(i % 26).unwrap_or(0));
            match (&e.label, labelled) {
                (Some(l), true) if l.value != expected => {
                    self.error(l.pos, format!("expected label `{expected}.` here (labels run A, B, C, … in each list), found `{}.`", l.value));
                }
                (None, true) => self.error(
                    e.text.pos,
                    format!("expected label `{expected}.` before the text"),
                ),
                (Some(l), false) => self.error(l.pos, "a target has no label: write `- [A] text`"),
                _ => {}
            }
        }
    }

    fn check_count(&mut self, entries: &[Entry], min: usize, pos: Pos) {
        if entries.len() < min {
            self.error(
                pos,
                format!("expected at least {min} entries, found {}", entries.len()),
            );
        }
    }

    fn check_distinct(&mut self, entries: &[Entry]) {
        for (i, e) in entries.iter().enumerate() {
            let norm = normalise(&e.text.value);
            if norm.is_empty() {
                self.error(e.text.pos, "entry text is empty");
            } else if let Some(first) = entries[..i]
                .iter()
                .find(|p| normalise(&p.text.value) == norm)
            {
                self.error(
                    e.text.pos,
                    format!("duplicate entry: same text as line {}", first.pos.line),
                );
            }
        }
    }

    fn mark_error(&mut self, e: &Entry, expected: &str) {
        let (pos, found) = match &e.mark {
            Some(m) => (m.pos, format!("`[{}]`", m.value)),
            None => (e.pos, "no key".to_string()),
        };
        self.error(pos, format!("expected {expected}, found {found}"));
    }

    fn require_note(&mut self, e: &Entry, what: &str) {
        if e.note.is_empty() {
            self.error(
                e.pos,
                format!("{what} needs a note: an indented line under it saying why"),
            );
        }
    }

    fn explanation(&mut self, doc: &ItemDoc, sections: &BTreeMap<String, &Section>) -> Text {
        match sections.get("Explanation").map(|s| &s.body) {
            Some(SectionBody::Text(t)) if !t.is_empty() => t.clone(),
            Some(_) => {
                self.error(
                    section_pos(sections, SectionName::Explanation),
                    "the explanation is empty",
                );
                Text::default()
            }
            None => {
                self.error(doc.id.pos, "missing `### Explanation` section");
                Text::default()
            }
        }
    }

    fn references(
        &mut self,
        doc: &ItemDoc,
        sections: &BTreeMap<String, &Section>,
    ) -> Vec<Reference> {
        let Some(SectionBody::Entries(entries)) = sections.get("References").map(|s| &s.body)
        else {
            self.error(
                doc.id.pos,
                "missing `### References` section with a learn.microsoft.com link",
            );
            return vec![];
        };
        let mut out = Vec::new();
        for e in entries {
            match reference(&e.text.value) {
                Some(r)
                    if r.url.starts_with("https://") && !r.url.contains(char::is_whitespace) =>
                {
                    out.push(r)
                }
                _ => self.error(
                    e.text.pos,
                    "expected an https:// address or `[title](https://…)`",
                ),
            }
        }
        let on_learn = |r: &&Reference| r.url.starts_with("https://learn.microsoft.com/");
        if !out.iter().any(|r| on_learn(&r)) {
            self.error(
                section_pos(sections, SectionName::References),
                "at least one reference must be on https://learn.microsoft.com/",
            );
        } else if !out.iter().filter(on_learn).any(links_to_section) {
            // A page is long; the anchor lets anyone check the key in a minute.
            self.error(
                section_pos(sections, SectionName::References),
                "no reference links to the section that backs the key: add the heading's \
                 anchor to a learn.microsoft.com address (https://learn.microsoft.com/…/page#heading)",
            );
        }
        out
    }
}

/// The answer sections each type takes.
fn answer_sections(kind: ItemKind) -> &'static [SectionName] {
    match kind {
        ItemKind::Single | ItemKind::Multiple => &[SectionName::Options],
        ItemKind::Order => &[SectionName::Actions],
        ItemKind::Match => &[SectionName::Sources, SectionName::Targets],
        ItemKind::Dropdown => &[SectionName::Slot(0)],
        ItemKind::YesNo => &[SectionName::Statements],
        ItemKind::Solution => &[SectionName::Solution],
    }
}

fn same_kind(a: SectionName, b: SectionName) -> bool {
    std::mem::discriminant(&a) == std::mem::discriminant(&b)
}

fn section_pos(sections: &BTreeMap<String, &Section>, name: SectionName) -> Pos {
    sections
        .get(&name.to_string())
        .map_or(Pos::default(), |s| s.name.pos)
}

fn section_texts(section: &Section) -> Vec<Text> {
    match &section.body {
        SectionBody::Text(t) => vec![t.clone()],
        SectionBody::Entries(entries) if section.name.value == SectionName::References => {
            let _ = entries;
            vec![]
        }
        SectionBody::Entries(entries) => entries
            .iter()
            .flat_map(|e| {
                [
                    Text {
                        text: e.text.value.clone(),
                        pos: e.text.pos,
                        indent: 0,
                    },
                    e.note.clone(),
                ]
            })
            .collect(),
    }
}

fn label_of(e: &Entry) -> char {
    e.label.as_ref().map_or('?', |l| l.value)
}

fn split_list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn yes_no(v: &str) -> Option<bool> {
    match v {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The numbers of the `{{N}}` placeholders in a stem, in order, each once.
pub fn placeholders(stem: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut rest = stem;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let closed = !digits.is_empty() && after[digits.len()..].starts_with("}}");
        if let Some(n) = closed.then(|| digits.parse::<u32>().ok()).flatten()
            && !out.contains(&n)
        {
            out.push(n);
        }
        rest = after;
    }
    out
}

/// Whether an address points into a page (`…/page#heading`), not only at the page.
/// Whether a reference points to a section of its page (an anchor), as the lint requires.
pub fn links_to_section(r: &Reference) -> bool {
    r.url
        .split_once('#')
        .is_some_and(|(page, anchor)| !page.ends_with('/') && !anchor.is_empty())
}

/// `https://…` or `[title](https://…)`.
fn reference(s: &str) -> Option<Reference> {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix('[') {
        let (title, rest) = rest.split_once("](")?;
        let url = rest.strip_suffix(')')?;
        return Some(Reference {
            title: Some(title.to_string()),
            url: url.to_string(),
        });
    }
    Some(Reference {
        title: None,
        url: s.to_string(),
    })
}
