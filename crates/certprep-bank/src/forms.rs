//! Fixed practice forms (`content/forms/*.toml`): TOML → [`FixedForm`]s, and the checks that
//! need the bank and the catalog, reported as `file:line:col`.
//!
//! ```toml
//! [[forms]]
//! id = "ai-103-a"
//! title = "Practice test A"
//! outline = "ai-103@2026-04-16"
//! items = ["ga-deploy-batch-001", "ga-ser-toolcall", "cs-woodgrove"]   # items, series, case studies
//! ```

use std::collections::HashSet;

use certprep_domain::form::FixedForm;
use certprep_domain::{Bank, Catalog, OutlineRef};
use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostic, pos_of_offset};
use crate::syntax::Pos;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForms {
    forms: Vec<RawForm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForm {
    id: Spanned<String>,
    title: String,
    outline: Spanned<String>,
    items: Vec<Spanned<String>>,
}

/// A form read from a file, with where each part was written (for the checks that follow).
#[derive(Debug, Clone)]
pub struct LoadedForm {
    pub form: FixedForm,
    pub file: String,
    pub pos: Pos,
    pub entry_pos: Vec<Pos>,
}

pub fn parse_forms(file: &str, text: &str) -> Result<Vec<LoadedForm>, Vec<Diagnostic>> {
    let raw: RawForms = toml::from_str(text).map_err(|e| {
        let pos = e
            .span()
            .map_or(Pos::default(), |s| pos_of_offset(text, s.start));
        vec![Diagnostic::error(file, pos, e.message().trim())]
    })?;
    let at = |offset: usize| pos_of_offset(text, offset);
    let mut errors = Vec::new();
    let mut forms = Vec::new();
    for f in raw.forms {
        let pos = at(f.id.span().start);
        let outline: OutlineRef = match f.outline.get_ref().parse() {
            Ok(o) => o,
            Err(e) => {
                errors.push(Diagnostic::error(
                    file,
                    at(f.outline.span().start),
                    format!("outline: {e}"),
                ));
                continue;
            }
        };
        let id = f.id.into_inner();
        if !is_slug(&id) {
            errors.push(Diagnostic::error(
                file,
                pos,
                format!("invalid form id `{id}`: expected lower-case letters, digits and hyphens"),
            ));
            continue;
        }
        forms.push(LoadedForm {
            entry_pos: f.items.iter().map(|e| at(e.span().start)).collect(),
            form: FixedForm {
                id,
                title: f.title,
                outline,
                entries: f.items.into_iter().map(Spanned::into_inner).collect(),
            },
            file: file.to_string(),
            pos,
        });
    }
    if errors.is_empty() {
        Ok(forms)
    } else {
        Err(errors)
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Checks forms against the loaded bank and catalog. Returns the forms without errors and the
/// problems found; a form with an error is left out, as an item with an error is.
pub fn check_forms(
    forms: Vec<LoadedForm>,
    bank: &Bank,
    catalog: &Catalog,
) -> (Vec<FixedForm>, Vec<Diagnostic>) {
    let mut kept = Vec::new();
    let mut diagnostics = Vec::new();
    let mut ids = HashSet::new();
    for loaded in forms {
        let mut problems = Vec::new();
        if !ids.insert(loaded.form.id.clone()) {
            problems.push(Diagnostic::error(
                &loaded.file,
                loaded.pos,
                format!("duplicate form id `{}`", loaded.form.id),
            ));
        }
        let outline_ref = &loaded.form.outline;
        match catalog
            .exam(&outline_ref.exam)
            .and_then(|e| Some((e, e.outline(outline_ref.date)?)))
        {
            None => problems.push(Diagnostic::error(
                &loaded.file,
                loaded.pos,
                format!(
                    "form `{}`: no outline {outline_ref} in the catalog",
                    loaded.form.id
                ),
            )),
            Some((exam, outline)) => {
                let range = (exam.questions.min, exam.questions.max);
                for p in loaded.form.check(bank, outline, range) {
                    let pos = p
                        .entry
                        .and_then(|i| loaded.entry_pos.get(i).copied())
                        .unwrap_or(loaded.pos);
                    problems.push(Diagnostic::error(
                        &loaded.file,
                        pos,
                        format!("form `{}`: {}", loaded.form.id, p.message),
                    ));
                }
            }
        }
        if problems.is_empty() {
            kept.push(loaded.form);
        }
        diagnostics.extend(problems);
    }
    (kept, diagnostics)
}
