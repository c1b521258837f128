//! Markdown checkbox banks, as popular public practice-test repositories write them
//! (Ditectrev's README banks, Ebazhanov's LinkedIn quizzes):
//!
//! ```text
//! #### Q12. Question text on one line
//!
//! ![Question 12](images/q12.png)        (optional images, code, more text)
//!
//! - [ ] wrong option
//! - [x] right option                     (several [x]: a multiple-response question)
//!
//! [Reference](https://…)                 (optional; `Explanation:` lines too)
//!
//! **[⬆ Back to Top](#table-of-contents)**
//! ```
//!
//! A question is a heading (any level) followed by checkbox lines before the next heading;
//! other headings (titles, tables of contents) are skipped, and so are navigation links
//! (links to `#…` anchors). `Q12.` and `12.` numbers are taken off the question text.
//! Only single- and multiple-response questions exist in this convention; with two options
//! only, a question becomes a `dropdown` (a `single` item needs three).

use certprep_bank::syntax::Pos;
use certprep_domain::item::Reference;

use crate::native::{Body, Draft, Opt};
use crate::{ImportError, Issue};

struct Question {
    pos: Pos,
    heading: String,
    stem: Vec<String>,
    options: Vec<Opt>,
    after: Vec<String>,
}

fn heading(line: &str) -> Option<&str> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = line[hashes..].strip_prefix(' ')?.trim();
    (!rest.is_empty()).then_some(rest)
}

fn checkbox(line: &str) -> Option<(bool, &str)> {
    let t = line.trim_start();
    let rest = t.strip_prefix("- [").or_else(|| t.strip_prefix("* ["))?;
    let (mark, text) = rest.split_at_checked(1)?;
    let text = text.strip_prefix("] ")?;
    match mark {
        "x" | "X" => Some((true, text.trim())),
        " " => Some((false, text.trim())),
        _ => None,
    }
}

/// `Q12. text`, `12. text`, `Question 12: text` → `text`.
fn strip_number(s: &str) -> &str {
    let t = s.trim();
    let after_q = t
        .strip_prefix("Question ")
        .or_else(|| t.strip_prefix('Q'))
        .unwrap_or(t);
    let digits = after_q.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return t;
    }
    let rest = &after_q[digits..];
    match rest.strip_prefix(['.', ':', ')']) {
        Some(r) if r.starts_with(' ') || r.is_empty() => r.trim(),
        _ => t,
    }
}

/// A navigation line: only links to anchors (`[⬆ Back to Top](#table-of-contents)`).
fn is_navigation(line: &str) -> bool {
    let t = line.trim().trim_matches('*').trim();
    t.starts_with('[') && t.contains("](#") && t.ends_with(')')
        || t.eq_ignore_ascii_case("back to top")
}

/// `[Reference](url)`, `Reference: url`, `Source: url`.
fn reference(line: &str) -> Option<Reference> {
    let t = line.trim().trim_start_matches(['-', '*', ' ']);
    if let Some(rest) = t.strip_prefix('[')
        && let Some((title, rest)) = rest.split_once("](")
        && let Some(url) = rest.strip_suffix(')')
        && url.starts_with("http")
    {
        return Some(Reference {
            title: Some(title.to_string()),
            url: url.to_string(),
        });
    }
    let lower = t.to_ascii_lowercase();
    for prefix in ["reference:", "references:", "source:", "ref:"] {
        if lower.starts_with(prefix) {
            let url = t[prefix.len()..].trim();
            if url.starts_with("http") && !url.contains(char::is_whitespace) {
                return Some(Reference {
                    title: None,
                    url: url.to_string(),
                });
            }
        }
    }
    None
}

pub(crate) fn drafts(
    file: &str,
    source: &str,
    issues: &mut Vec<Issue>,
) -> Result<Vec<Draft>, ImportError> {
    let mut questions: Vec<Question> = Vec::new();
    let mut current: Option<Question> = None;
    let mut fence = false;
    for (i, line) in source.lines().enumerate() {
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
        }
        if !fence && let Some(h) = heading(line) {
            if let Some(q) = current.take() {
                questions.push(q);
            }
            current = Some(Question {
                pos: Pos::new(no, 1),
                heading: h.to_string(),
                stem: vec![],
                options: vec![],
                after: vec![],
            });
            continue;
        }
        let Some(q) = current.as_mut() else { continue };
        if !fence
            && q.after.is_empty()
            && let Some((correct, text)) = checkbox(line)
        {
            q.options.push(Opt::new(text, correct, ""));
            continue;
        }
        if q.options.is_empty() {
            q.stem.push(line.to_string());
        } else if !line.trim().is_empty() || !q.after.is_empty() {
            // A line indented under an option continues it.
            if !fence && q.after.is_empty() && line.starts_with("  ") && !line.trim().is_empty() {
                if let Some(last) = q.options.last_mut() {
                    last.text.push(' ');
                    last.text.push_str(line.trim());
                }
                continue;
            }
            q.after.push(line.to_string());
        }
    }
    if let Some(q) = current.take() {
        questions.push(q);
    }
    let questions: Vec<Question> = questions
        .into_iter()
        .filter(|q| !q.options.is_empty())
        .collect();
    if questions.is_empty() {
        return Err(ImportError::Unrecognised {
            file: file.to_string(),
            message: "no checkbox question found: expected a heading followed by `- [ ]` / `- [x]` options".into(),
        });
    }
    let mut images = false;
    let mut out = Vec::new();
    for q in questions {
        let title = strip_number(&q.heading).to_string();
        let mut stem = title.clone();
        let body = crate::text::tidy(&q.stem.join("\n"));
        images |= body.contains("![");
        if !body.is_empty() {
            stem.push_str("\n\n");
            stem.push_str(&body);
        }
        let mut references = Vec::new();
        let mut explanation = Vec::new();
        for line in &q.after {
            if is_navigation(line) {
                continue;
            }
            if let Some(r) = reference(line) {
                references.push(r);
                continue;
            }
            let t = line.trim();
            let t = t
                .strip_prefix("**Explanation:**")
                .or_else(|| t.strip_prefix("**Explanation**:"))
                .or_else(|| t.strip_prefix("Explanation:"))
                .map_or(line.as_str(), str::trim);
            explanation.push(t.to_string());
        }
        let correct = q.options.iter().filter(|o| o.correct).count();
        let name = Some(format!(
            "`{}`",
            crate::text::one_line(&q.heading)
                .chars()
                .take(40)
                .collect::<String>()
        ));
        if correct == 0 {
            issues.push(Issue::error(
                file,
                q.pos,
                name,
                "not imported: no option is marked `[x]`",
            ));
            continue;
        }
        let body = if correct == 1 && q.options.len() == 2 {
            issues.push(Issue::warning(
                file,
                q.pos,
                name,
                "two options only: imported as a drop-down (a `single` item needs three)",
            ));
            stem.push_str("\n\n{{1}}");
            Body::Dropdown(vec![q.options])
        } else {
            Body::Choice(q.options)
        };
        let mut d = Draft::new(q.pos, stem, body);
        d.references = references;
        d.explanation = crate::text::tidy(&explanation.join("\n"));
        out.push(d);
    }
    if images {
        issues.push(Issue::warning(
            file,
            Pos::default(),
            None,
            "questions show images by relative path: copy the image folders next to the bank file",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_questions_and_skips_navigation() {
        let src = "# Bank\n\n## Table of Contents\n\n| [Q1](#q1) |\n\n### Q1. Which one?\n\n![x](img/a.png)\n\n- [ ] a\n- [x] b\n- [ ] c\n\n[Reference](https://example.com/a)\n\n**[⬆ Back to Top](#table-of-contents)**\n\n### Two?\n\n```\n# code\n```\n\n- [x] a\n- [x] b\n- [ ] c\n";
        let mut issues = vec![];
        let d = drafts("t.md", src, &mut issues).expect("questions");
        assert_eq!(d.len(), 2);
        assert!(
            d[0].stem.starts_with("Which one?\n\n![x](img/a.png)"),
            "{}",
            d[0].stem
        );
        assert_eq!(d[0].references.len(), 1);
        assert!(d[0].explanation.is_empty(), "{}", d[0].explanation);
        assert!(d[1].stem.contains("# code"));
        let Body::Choice(o) = &d[1].body else {
            panic!("{:?}", d[1].body)
        };
        assert_eq!(o.iter().filter(|o| o.correct).count(), 2);
    }
}
