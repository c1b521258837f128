//! The exam catalog (`content/exams/<code>.toml`) and the list of service names that are no
//! longer current (`content/services.toml`): TOML → domain types, with `file:line:col` errors.

use std::collections::HashSet;

use certprep_domain::exam::{
    Domain, Duration, Exam, ExamCode, Objective, Outline, PassingStandard, Price, Provenance,
    QuestionCount, Retirement, SkillGroup,
};
use certprep_domain::names::RetiredName;
use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostic, pos_of_offset};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExam {
    code: Spanned<String>,
    title: String,
    credential: String,
    level: String,
    passing_score: u32,
    max_score: u32,
    #[serde(default)]
    passing_standard: Option<Spanned<PassingStandard>>,
    #[serde(default)]
    open_book: bool,
    available_from: Option<toml::value::Datetime>,
    available_note: Option<String>,
    retirement: Option<RawRetirement>,
    price: Price,
    duration: Duration,
    questions: Spanned<QuestionCount>,
    outlines: Vec<RawOutline>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetirement {
    on: toml::value::Datetime,
    successor: Option<String>,
    #[serde(default = "yes")]
    verified: bool,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutline {
    date: Spanned<toml::value::Datetime>,
    #[serde(default = "yes")]
    verified: bool,
    note: Option<String>,
    domains: Vec<RawDomain>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDomain {
    id: Spanned<String>,
    title: String,
    weight_min: Spanned<u32>,
    weight_max: u32,
    #[serde(default = "yes")]
    verified: bool,
    note: Option<String>,
    groups: Vec<RawGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    title: String,
    objectives: Vec<RawObjective>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjective {
    id: Spanned<String>,
    title: String,
    /// Why the objective's service is gone, when it is.
    retired: Option<String>,
}

fn yes() -> bool {
    true
}

/// An exam read from a file, with where its successor is named (checked once all exams are in).
#[derive(Debug, Clone)]
pub struct LoadedExam {
    pub exam: Exam,
    pub file: String,
}

pub fn parse_exam(file: &str, text: &str) -> Result<LoadedExam, Vec<Diagnostic>> {
    let raw: RawExam = toml::from_str(text).map_err(|e| vec![toml_error(file, text, &e)])?;
    let mut errors = Vec::new();
    let at = |offset: usize| pos_of_offset(text, offset);
    let code = raw.code.get_ref();
    if code.is_empty()
        || code
            .chars()
            .any(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    {
        errors.push(Diagnostic::error(
            file,
            at(raw.code.span().start),
            format!("invalid exam code `{code}`: expected lower-case letters, digits and hyphens"),
        ));
    }
    let q = raw.questions.get_ref();
    if q.min == 0 || q.min > q.max {
        errors.push(Diagnostic::error(
            file,
            at(raw.questions.span().start),
            format!(
                "question count range {}–{} is empty or starts at 0",
                q.min, q.max
            ),
        ));
    }
    if let Some(standard) = &raw.passing_standard
        && !(1..=99).contains(&standard.get_ref().percent)
    {
        errors.push(Diagnostic::error(
            file,
            at(standard.span().start),
            "passing_standard.percent must lie between 1 and 99",
        ));
    }
    if raw.passing_score > raw.max_score {
        errors.push(Diagnostic::error(
            file,
            Default::default(),
            "passing_score is above max_score",
        ));
    }
    let mut outlines = Vec::new();
    let mut dates = HashSet::new();
    for o in raw.outlines {
        let date_pos = at(o.date.span().start);
        let Some(date) = to_date(o.date.get_ref()) else {
            errors.push(Diagnostic::error(
                file,
                date_pos,
                "expected an outline date as YYYY-MM-DD",
            ));
            continue;
        };
        if !dates.insert(date) {
            errors.push(Diagnostic::error(
                file,
                date_pos,
                format!("outline {date} is given twice"),
            ));
        }
        outlines.push(outline(file, text, date, o, &mut errors));
    }
    if outlines.is_empty() {
        errors.push(Diagnostic::error(
            file,
            Default::default(),
            "an exam needs at least one `[[outlines]]` entry",
        ));
    }
    outlines.sort_by_key(|o| std::cmp::Reverse(o.date));
    let retirement = raw.retirement.and_then(|r| {
        let on = to_date(&r.on)?;
        Some(Retirement {
            on,
            successor: r.successor.as_deref().map(ExamCode::new),
            provenance: Provenance {
                verified: r.verified,
                note: r.note,
            },
        })
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(LoadedExam {
        exam: Exam {
            code: ExamCode::new(raw.code.get_ref()),
            title: raw.title,
            credential: raw.credential,
            level: raw.level,
            passing_score: raw.passing_score,
            max_score: raw.max_score,
            passing_standard: raw
                .passing_standard
                .map(Spanned::into_inner)
                .unwrap_or_default(),
            open_book: raw.open_book,
            available_from: raw.available_from.as_ref().and_then(to_date),
            available_note: raw.available_note,
            retirement,
            price: raw.price,
            duration: raw.duration,
            questions: raw.questions.into_inner(),
            outlines,
        },
        file: file.to_string(),
    })
}

fn outline(
    file: &str,
    text: &str,
    date: NaiveDate,
    raw: RawOutline,
    errors: &mut Vec<Diagnostic>,
) -> Outline {
    let at = |offset: usize| pos_of_offset(text, offset);
    let mut domain_ids = HashSet::new();
    let mut objective_ids = HashSet::new();
    let mut domains = Vec::new();
    for d in raw.domains {
        if !domain_ids.insert(d.id.get_ref().clone()) {
            errors.push(Diagnostic::error(
                file,
                at(d.id.span().start),
                format!(
                    "domain `{}` is given twice in outline {date}",
                    d.id.get_ref()
                ),
            ));
        }
        if *d.weight_min.get_ref() > d.weight_max || d.weight_max > 100 {
            errors.push(Diagnostic::error(
                file,
                at(d.weight_min.span().start),
                format!(
                    "weight range {}–{} is not a range within 0–100",
                    d.weight_min.get_ref(),
                    d.weight_max
                ),
            ));
        }
        let groups = d
            .groups
            .into_iter()
            .map(|g| SkillGroup {
                title: g.title,
                objectives: g
                    .objectives
                    .into_iter()
                    .map(|o| {
                        if !objective_ids.insert(o.id.get_ref().clone()) {
                            errors.push(Diagnostic::error(
                                file,
                                at(o.id.span().start),
                                format!(
                                    "objective `{}` is given twice in outline {date}",
                                    o.id.get_ref()
                                ),
                            ));
                        }
                        Objective {
                            id: o.id.into_inner(),
                            title: o.title,
                            retired: o.retired,
                        }
                    })
                    .collect(),
            })
            .collect();
        domains.push(Domain {
            id: d.id.into_inner(),
            title: d.title,
            weight_min: d.weight_min.into_inner(),
            weight_max: d.weight_max,
            groups,
            provenance: Provenance {
                verified: d.verified,
                note: d.note,
            },
        });
    }
    Outline {
        date,
        domains,
        provenance: Provenance {
            verified: raw.verified,
            note: raw.note,
        },
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNames {
    names: Vec<RawName>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawName {
    name: String,
    replaced_by: String,
    since: toml::value::Datetime,
    #[serde(default)]
    allowed_in: Vec<String>,
    #[serde(default = "yes")]
    verified: bool,
    note: Option<String>,
}

pub fn parse_names(file: &str, text: &str) -> Result<Vec<RetiredName>, Vec<Diagnostic>> {
    let raw: RawNames = toml::from_str(text).map_err(|e| vec![toml_error(file, text, &e)])?;
    Ok(raw
        .names
        .into_iter()
        .filter_map(|n| {
            Some(RetiredName {
                since: to_date(&n.since)?,
                name: n.name,
                replaced_by: n.replaced_by,
                allowed_in: n.allowed_in,
                provenance: Provenance {
                    verified: n.verified,
                    note: n.note,
                },
            })
        })
        .collect())
}

fn to_date(d: &toml::value::Datetime) -> Option<NaiveDate> {
    let date = d.date?;
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
}

fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> Diagnostic {
    let pos = e
        .span()
        .map_or(Default::default(), |s| pos_of_offset(text, s.start));
    // The toml error's message is one line that says what was expected.
    Diagnostic::error(file, pos, e.message().trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_toml_errors_with_positions() {
        let errs = parse_exam("x.toml", "code = \"a-1\"\ntitle = 3\n")
            .err()
            .unwrap_or_default();
        assert_eq!(
            errs[0].to_string(),
            "x.toml:2:9: invalid type: integer `3`, expected a string"
        );
    }

    /// The embedded AI-103 file with its passing standard replaced.
    fn with_standard(table: &str) -> String {
        let text = include_str!("../../../content/exams/ai-103.toml");
        let start = text.find("[passing_standard]").unwrap_or(0);
        let end = text[start..].find("\n\n").map_or(text.len(), |e| start + e);
        format!("{}{table}{}", &text[..start], &text[end..])
    }

    #[test]
    fn the_passing_standard_is_read_checked_and_defaulted() {
        let exam = parse_exam(
            "ai-103.toml",
            &with_standard("[passing_standard]\npercent = 65"),
        )
        .unwrap_or_else(|e| panic!("{e:?}"))
        .exam;
        assert_eq!(exam.passing_standard.percent, 65);
        assert!(exam.passing_standard.provenance.verified);
        let errs = parse_exam(
            "ai-103.toml",
            &with_standard("[passing_standard]\npercent = 100"),
        )
        .err()
        .unwrap_or_default();
        assert!(
            errs.iter().any(|e| e
                .to_string()
                .contains("passing_standard.percent must lie between 1 and 99")),
            "{errs:?}"
        );
        let exam = parse_exam("ai-103.toml", &with_standard(""))
            .unwrap_or_else(|e| panic!("{e:?}"))
            .exam;
        assert_eq!(exam.passing_standard, PassingStandard::default());
        assert!(!exam.passing_standard.provenance.verified);
    }
}
