//! Loading content in layers (the embedded content first, then each `--bank DIR`), and the
//! checks that need everything loaded: unique ids, objectives against the catalog, current
//! service names.

use std::collections::HashMap;

use certprep_domain::form::FixedForm;
use certprep_domain::names::{NameIndex, RetiredName};
use certprep_domain::{Bank, Catalog, OutlineRef};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::{LoadedExam, parse_exam, parse_names};
use crate::diag::{self, Diagnostic};
use crate::forms::{LoadedForm, check_forms, parse_forms};
use crate::lower::{LoweredItem, lower};
use crate::parse::parse;
use crate::qa::{QaTargets, parse_targets};
use crate::syntax::Pos;

/// A content file: its path as shown in messages, and its text.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: String,
    pub text: String,
}

impl Source {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// What kind of content a file holds, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Exam,
    ServiceNames,
    /// Fixed practice forms: TOML files in a `forms` folder.
    Forms,
    /// The content QA bounds (`qa.toml`).
    QaTargets,
    Bank,
    /// The advisor's facts, rules and objective maps (`advisor/*.toml`): read by
    /// `certprep-advisor`, not by the bank loader.
    Advisor,
    Other,
}

pub fn kind_of(path: &str) -> SourceKind {
    let mut parts = path.rsplit(['/', '\\']);
    let name = parts.next().unwrap_or(path);
    let folder = parts.next().unwrap_or("");
    if name == "services.toml" {
        SourceKind::ServiceNames
    } else if name == "qa.toml" {
        SourceKind::QaTargets
    } else if folder == "forms" && name.ends_with(".toml") {
        SourceKind::Forms
    } else if folder == "advisor" {
        SourceKind::Advisor
    } else if name.ends_with(".toml") {
        SourceKind::Exam
    } else if name.ends_with(".md") && !name.eq_ignore_ascii_case("README.md") {
        SourceKind::Bank
    } else {
        SourceKind::Other
    }
}

/// Everything one run of the program knows: exams, items, fixed forms, the names no longer
/// current, and the bounds content QA holds the bank to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Library {
    pub catalog: Catalog,
    pub bank: Bank,
    pub names: Vec<RetiredName>,
    #[serde(default)]
    pub forms: Vec<FixedForm>,
    #[serde(default)]
    pub qa: Option<QaTargets>,
    /// The advisor's files (`advisor/*.toml`) as text: `certprep-advisor` reads and checks them.
    #[serde(default)]
    pub advisor: Vec<AdvisorFile>,
}

/// One of the advisor's data files, kept as text for `certprep-advisor`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AdvisorFile {
    pub path: String,
    pub text: String,
}

impl Library {
    /// A fixed form by id.
    pub fn form(&self, id: &str) -> Option<&FixedForm> {
        self.forms.iter().find(|f| f.id == id)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub library: Library,
    /// Problems found; items with errors are left out of the library.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// Loads layers of sources. Inside one layer every id must be unique; a later layer's exam,
/// item, case study or series replaces an earlier one with the same code or id.
/// Only sources of layers from `report_from` on are reported (so `bank lint FILE` does not
/// repeat the embedded bank's warnings).
pub fn load(layers: &[Vec<Source>], today: NaiveDate, report_from: usize) -> Loaded {
    load_onto(Library::default(), layers, today, report_from)
}

/// Loads layers of sources on top of a library that was already checked (the embedded
/// content, checked when the binary was built): only the layers' own content is checked, so
/// start-up does not grow with the embedded bank.
pub fn load_onto(
    base: Library,
    layers: &[Vec<Source>],
    today: NaiveDate,
    report_from: usize,
) -> Loaded {
    let mut loaded = Loaded::default();
    let Library {
        catalog: base_catalog,
        bank: base_bank,
        names: base_names,
        forms: base_forms,
        qa: base_qa,
        advisor: base_advisor,
    } = base;
    loaded.library.names = base_names;
    loaded.library.qa = base_qa;
    loaded.library.advisor = base_advisor;
    let mut exams: Vec<(LoadedExam, usize)> = Vec::new();
    let mut items: Vec<(LoweredItem, usize)> = Vec::new();
    let mut forms: Vec<LoadedForm> = Vec::new();
    let mut kept = Bank {
        items: base_bank.items,
        ..Bank::default()
    };
    loaded.library.bank = Bank {
        items: vec![],
        ..base_bank
    };
    for (layer_no, layer) in layers.iter().enumerate() {
        let report = layer_no >= report_from;
        let mut diagnostics = Vec::new();
        let mut layer_bank = Bank::default();
        let mut layer_items: Vec<LoweredItem> = Vec::new();
        let mut group_ids: Vec<(String, String, Pos)> = Vec::new();
        for source in layer {
            match kind_of(&source.path) {
                SourceKind::Exam => match parse_exam(&source.path, &source.text) {
                    Ok(exam) => exams.push((exam, layer_no)),
                    Err(d) => diagnostics.extend(d),
                },
                SourceKind::ServiceNames => match parse_names(&source.path, &source.text) {
                    Ok(names) => loaded.library.names.extend(names),
                    Err(d) => diagnostics.extend(d),
                },
                SourceKind::Forms => match parse_forms(&source.path, &source.text) {
                    // A later layer's form replaces an earlier one with the same id.
                    Ok(new) => {
                        forms.retain(|f| new.iter().all(|n| n.form.id != f.form.id));
                        forms.extend(new);
                    }
                    Err(d) => diagnostics.extend(d),
                },
                SourceKind::QaTargets => match parse_targets(&source.path, &source.text) {
                    Ok(targets) => loaded.library.qa = Some(targets),
                    Err(d) => diagnostics.extend(d),
                },
                SourceKind::Bank => {
                    let (tree, d) = parse(&source.path, &source.text);
                    diagnostics.extend(d);
                    let (lowered, d) = lower(&source.path, &tree, today);
                    diagnostics.extend(d);
                    for (case, pos) in lowered.case_studies {
                        group_ids.push((case.id.clone(), source.path.clone(), pos));
                        layer_bank.case_studies.push(case);
                    }
                    for (series, pos) in lowered.series {
                        group_ids.push((series.id.clone(), source.path.clone(), pos));
                        layer_bank.series.push(series);
                    }
                    layer_items.extend(lowered.items);
                }
                SourceKind::Advisor => {
                    // A later layer's file replaces an earlier one of the same name.
                    let name = source
                        .path
                        .rsplit(['/', '\\'])
                        .next()
                        .unwrap_or(&source.path);
                    loaded.library.advisor.retain(|f| !f.path.ends_with(name));
                    loaded.library.advisor.push(AdvisorFile {
                        path: source.path.clone(),
                        text: source.text.clone(),
                    });
                }
                SourceKind::Other => {}
            }
        }
        check_unique_ids(&layer_items, &group_ids, &mut diagnostics);
        items.extend(layer_items.into_iter().map(|i| (i, layer_no)));
        loaded.library.bank.overlay(layer_bank);
        if report {
            loaded.diagnostics.extend(diagnostics);
        }
    }
    let catalog = Catalog::new(
        base_catalog
            .exams()
            .iter()
            .cloned()
            .chain(exams.iter().map(|(e, _)| e.exam.clone())),
    );
    for (exam, layer_no) in &exams {
        if *layer_no >= report_from {
            loaded.diagnostics.extend(check_successor(exam, &catalog));
        }
    }
    let mut valid_items = Vec::with_capacity(items.len());
    let names = loaded.library.names.clone();
    let names = NameIndex::new(&names);
    for (item, layer_no) in items {
        let mut problems = check_item(&item, &catalog, &names);
        let has_error = problems.iter().any(Diagnostic::is_error);
        if layer_no >= report_from {
            loaded.diagnostics.append(&mut problems);
        }
        if let Some(valid) = item.item.filter(|_| !has_error) {
            valid_items.push(valid);
        }
    }
    // One overlay for all: a later item with an id replaces an earlier one, in order.
    kept.overlay(Bank {
        items: valid_items,
        ..Bank::default()
    });
    loaded.library.bank.items = kept.items;
    let reported_files: Vec<&str> = layers
        .iter()
        .skip(report_from)
        .flatten()
        .map(|s| s.path.as_str())
        .collect();
    let (mut checked_forms, form_problems) = check_forms(forms, &loaded.library.bank, &catalog);
    loaded.diagnostics.extend(
        form_problems
            .into_iter()
            .filter(|d| reported_files.contains(&d.file.as_str())),
    );
    let mut all_forms = base_forms;
    all_forms.retain(|f| checked_forms.iter().all(|n| n.id != f.id));
    all_forms.append(&mut checked_forms);
    loaded.library.forms = all_forms;
    loaded.library.catalog = catalog;
    diag::sort(&mut loaded.diagnostics);
    // Group texts are checked with each of the group's items; say each problem once.
    loaded.diagnostics.dedup();
    loaded
}

fn check_unique_ids(
    items: &[LoweredItem],
    groups: &[(String, String, Pos)],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut first: HashMap<&str, (&str, Pos)> = HashMap::new();
    let all = items
        .iter()
        .map(|i| (i.id.as_str(), i.file.as_str(), i.id_pos))
        .chain(
            groups
                .iter()
                .map(|(id, f, p)| (id.as_str(), f.as_str(), *p)),
        );
    for (id, file, pos) in all {
        match first.get(id) {
            Some((f, p)) => diagnostics.push(Diagnostic::error(
                file,
                pos,
                format!("duplicate id `{id}`: first defined at {f}:{p}"),
            )),
            None => {
                first.insert(id, (file, pos));
            }
        }
    }
}

fn check_successor(exam: &LoadedExam, catalog: &Catalog) -> Vec<Diagnostic> {
    let Some(successor) = exam
        .exam
        .retirement
        .as_ref()
        .and_then(|r| r.successor.as_ref())
    else {
        return vec![];
    };
    if catalog.exam(successor).is_some() {
        return vec![];
    }
    vec![Diagnostic::error(
        &exam.file,
        Pos::new(1, 1),
        format!(
            "successor `{successor}` of `{}` is not in the catalog",
            exam.exam.code
        ),
    )]
}

/// Checks against the catalog: every outline and objective exists; no name is out of date.
/// (What `bank lint` checks of one item beyond the file: importers run it on each item.)
pub fn check_item(item: &LoweredItem, catalog: &Catalog, names: &NameIndex<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (outline_ref, id) in &item.objective_refs {
        let Some(exam) = catalog.exam(&outline_ref.exam) else {
            out.push(Diagnostic::error(
                &item.file,
                id.pos,
                format!("unknown exam `{}`", outline_ref.exam),
            ));
            continue;
        };
        let Some(outline) = exam.outline(outline_ref.date) else {
            let dates: Vec<String> = exam.outlines.iter().map(|o| o.date.to_string()).collect();
            out.push(Diagnostic::error(
                &item.file,
                id.pos,
                format!(
                    "exam `{}` has no outline dated {}: expected one of {}",
                    outline_ref.exam,
                    outline_ref.date,
                    dates.join(", ")
                ),
            ));
            continue;
        };
        if outline.objective(&id.value).is_none() {
            out.push(Diagnostic::error(
                &item.file,
                id.pos,
                format!(
                    "objective `{}` does not exist in outline {outline_ref}",
                    id.value
                ),
            ));
        }
    }
    // Report each stale name once per place, naming the earliest outline that rules it out.
    let mut outlines: Vec<&OutlineRef> = item
        .objective_refs
        .iter()
        .map(|(o, _)| o)
        .filter(|o| catalog.outline(o).is_some())
        .collect();
    outlines.sort_by_key(|o| o.date);
    outlines.dedup();
    let mut seen = Vec::new();
    for outline in outlines {
        for text in &item.texts {
            for hit in names.outdated(&text.text, outline.date) {
                let pos = text.pos_of(hit.offset);
                if seen.contains(&(pos.line, pos.col)) {
                    continue;
                }
                seen.push((pos.line, pos.col));
                out.push(Diagnostic::error(
                    &item.file,
                    pos,
                    format!(
                        "`{}` is not a current name for outline {outline} (renamed or retired {}): write `{}`",
                        hit.name.name, hit.name.since, hit.name.replaced_by
                    ),
                ));
            }
        }
    }
    out
}
