//! One QTI assessment item (2.1, 2.2 or 3.0, names already normalised) → a [`Draft`].

use std::collections::BTreeMap;

use certprep_bank::syntax::Pos;

use super::xml::{El, html};
use crate::Issue;
use crate::native::{Body, Draft, Opt};
use crate::text::{LineIndex, html_to_markdown, one_line};

/// Where an item comes from, and what the package around it provides.
pub(crate) struct Context<'a> {
    /// The item file as shown in messages (`package.zip/items/choice.xml`).
    pub file: &'a str,
    /// The item's path inside its package (`items/choice.xml`), for media paths; empty for a
    /// file imported alone.
    pub path: &'a str,
    pub category: Option<String>,
    /// A shared stimulus by its `href` (relative to the item): its body as Markdown.
    pub stimulus: &'a dyn Fn(&str) -> Option<String>,
    /// Whether a file exists in the package (`None`: the item was imported alone).
    pub exists: Option<&'a dyn Fn(&str) -> bool>,
}

/// A response declaration: its key and its mapping.
#[derive(Debug, Default)]
struct Decl {
    cardinality: String,
    correct: Vec<String>,
    mapping: Vec<(String, f64)>,
}

fn pair_key(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn declarations(root: &El) -> BTreeMap<String, Decl> {
    let mut out = BTreeMap::new();
    for d in root.all("responseDeclaration") {
        let Some(id) = d.attr("identifier") else {
            continue;
        };
        let correct = d
            .child("correctResponse")
            .map(|c| {
                c.all("value")
                    .map(|v| pair_key(&v.deep_text()))
                    .filter(|v| !v.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let mapping = d
            .child("mapping")
            .map(|m| {
                m.all("mapEntry")
                    .filter_map(|e| {
                        Some((
                            pair_key(e.attr("mapKey")?),
                            e.attr("mappedValue")?.trim().parse().ok()?,
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.insert(
            id.to_string(),
            Decl {
                cardinality: d.attr("cardinality").unwrap_or("single").to_string(),
                correct,
                mapping,
            },
        );
    }
    out
}

/// The name of a response-processing template, whatever its URL: the last path component
/// without extension (`…/rptemplates/match_correct.xml` → `match_correct`).
pub fn template_name(url: &str) -> String {
    let last = url
        .trim()
        .trim_end_matches('/')
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("");
    last.strip_suffix(".xml").unwrap_or(last).to_string()
}

const TEMPLATES: [&str; 4] = [
    "match_correct",
    "map_response",
    "map_response_point",
    "match_correct_point",
];

const SUPPORTED: [&str; 5] = [
    "choiceInteraction",
    "orderInteraction",
    "matchInteraction",
    "associateInteraction",
    "inlineChoiceInteraction",
];

/// `textEntryInteraction` → `text entry`.
fn interaction_words(name: &str) -> String {
    let base = name.strip_suffix("Interaction").unwrap_or(name);
    let mut out = String::new();
    for c in base.chars() {
        if c.is_ascii_uppercase() {
            out.push(' ');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn is_relative(src: &str) -> bool {
    let s = src.trim();
    !(s.is_empty()
        || s.contains("://")
        || s.starts_with("data:")
        || s.starts_with('/')
        || s.starts_with('#'))
}

/// A path relative to a file, inside the package: `items/a.xml` + `img/b.png` → `items/img/b.png`.
pub fn resolve(base_file: &str, href: &str) -> String {
    let href = href.trim().replace('\\', "/").replace("%20", " ");
    let href = href.split(['?', '#']).next().unwrap_or("").to_string();
    let mut parts: Vec<&str> = base_file.split('/').collect();
    parts.pop();
    for p in href.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join("/")
}

/// What rendering an item's content found besides its text.
#[derive(Default)]
struct Found {
    /// Feedback elements outside choices: (identifier, Markdown).
    feedback: Vec<(String, String)>,
    media: Vec<String>,
    math: bool,
    /// Media objects (`object`, `audio`, `video`), which Markdown cannot show.
    objects: Vec<String>,
    printed: usize,
    hidden_rubric: usize,
}

/// Renders flow content as Markdown; `interaction` says what to write for an interaction
/// (`None`: drop it).
fn markdown(
    nodes: &[super::xml::Node],
    found: &mut Found,
    interaction: &mut dyn FnMut(&El) -> Option<String>,
) -> String {
    let mut langs: Vec<String> = Vec::new();
    let mut special = |e: &El| -> Option<String> {
        match e.name.as_str() {
            "pre" => {
                let lang = e
                    .attr("class")
                    .unwrap_or("")
                    .split_whitespace()
                    .find_map(|c| c.strip_prefix("language-"))
                    .unwrap_or("");
                langs.push(lang.to_string());
                None
            }
            n if n.ends_with("Interaction") => Some(interaction(e).unwrap_or_default()),
            "feedbackInline" | "feedbackBlock" => {
                let mut inner = Found::default();
                let text = markdown(&e.children, &mut inner, &mut |_| None);
                found.media.extend(inner.media);
                found.feedback.push((
                    e.attr("identifier").unwrap_or("").to_string(),
                    text.to_string(),
                ));
                Some(String::new())
            }
            "rubricBlock" => {
                let view = e.attr("view").unwrap_or("candidate");
                if view.contains("candidate") {
                    None
                } else {
                    found.hidden_rubric += 1;
                    Some(String::new())
                }
            }
            "printedVariable" => {
                found.printed += 1;
                Some(String::new())
            }
            "img" => {
                if let Some(src) = e.attr("src")
                    && is_relative(src)
                {
                    found.media.push(src.to_string());
                }
                None
            }
            "object" | "audio" | "video" | "source" => {
                for a in ["data", "src"] {
                    if let Some(src) = e.attr(a) {
                        found.objects.push(src.to_string());
                    }
                }
                None
            }
            "math" => {
                found.math = true;
                None
            }
            "prompt" => Some(String::new()),
            _ => None,
        }
    };
    let md = html_to_markdown(&html(nodes, &mut special)).replace(super::export::INDENT, " ");
    if langs.iter().all(String::is_empty) {
        return md;
    }
    // Give each opening fence its language back.
    let mut langs = langs.into_iter();
    let mut open = false;
    md.split('\n')
        .map(|l| {
            if l == "```" {
                open = !open;
                if open && let Some(lang) = langs.next() {
                    return format!("```{lang}");
                }
            }
            l.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn label_of(root: &El) -> Option<String> {
    root.attr("identifier")
        .or(root.attr("title"))
        .map(|s| format!("`{}`", one_line(s)))
}

/// The item as a draft, or `None` when it is reported (as a warning when certprep has no
/// type for it, as an error when it is broken).
pub(crate) fn draft(
    ctx: &Context<'_>,
    source: &str,
    root: &El,
    issues: &mut Vec<Issue>,
) -> Option<Draft> {
    let index = LineIndex::new(source);
    let pos = index.pos(root.offset);
    let label = label_of(root);
    let warn = |issues: &mut Vec<Issue>, m: String| {
        issues.push(Issue::warning(ctx.file, pos, label.clone(), m));
    };
    let refuse = |issues: &mut Vec<Issue>, m: String| {
        issues.push(Issue::error(
            ctx.file,
            pos,
            label.clone(),
            format!("not imported: {m}"),
        ));
    };
    if root.child("templateProcessing").is_some() || root.child("templateDeclaration").is_some() {
        warn(
            issues,
            "template (cloned) item not imported: its values are drawn when it is delivered, and certprep items are fixed".into(),
        );
        return None;
    }
    let Some(body) = root.child("itemBody") else {
        warn(
            issues,
            "no item body: nothing to import (not imported)".into(),
        );
        return None;
    };
    let mut interactions = Vec::new();
    body.find_all(&|e| e.name.ends_with("Interaction"), &mut interactions);
    if interactions.is_empty() {
        warn(
            issues,
            "no interaction: an information page, not a question (not imported)".into(),
        );
        return None;
    }
    let unsupported: Vec<&str> = interactions
        .iter()
        .map(|e| e.name.as_str())
        .filter(|n| !SUPPORTED.contains(n))
        .collect();
    if !unsupported.is_empty() {
        let mut names: Vec<String> = unsupported
            .iter()
            .map(|n| format!("{} ({n})", interaction_words(n)))
            .collect();
        names.dedup();
        warn(
            issues,
            format!(
                "not imported: certprep has no item type for the {} interaction",
                names.join(", ")
            ),
        );
        return None;
    }
    let inline: Vec<&El> = interactions
        .iter()
        .copied()
        .filter(|e| e.name == "inlineChoiceInteraction")
        .collect();
    let block: Vec<&El> = interactions
        .iter()
        .copied()
        .filter(|e| e.name != "inlineChoiceInteraction")
        .collect();
    if block.len() > 1 || (!block.is_empty() && !inline.is_empty()) {
        warn(
            issues,
            format!(
                "not imported: the item has {} interactions, and a certprep item has one (or only drop-downs)",
                interactions.len()
            ),
        );
        return None;
    }
    let decls = declarations(root);
    // Response processing: a template by name, or custom rules (only the key is read).
    if let Some(rp) = root.child("responseProcessing") {
        let url = rp.attr("template").or(rp.attr("templateLocation"));
        if let Some(url) = url {
            let name = template_name(url);
            if !TEMPLATES.contains(&name.as_str()) {
                warn(
                    issues,
                    format!(
                        "response-processing template `{name}` is not a standard one: the key is read from the correct response"
                    ),
                );
            }
        }
    }
    if root.attr("adaptive") == Some("true") {
        warn(
            issues,
            "adaptive item: imported as one attempt with its correct response".into(),
        );
    }
    let key_of = |e: &El, issues: &mut Vec<Issue>| -> Option<Vec<String>> {
        match key_of(e, &decls) {
            Ok((key, note)) => {
                if let Some(note) = note {
                    warn(issues, note);
                }
                Some(key)
            }
            Err(m) => {
                refuse(issues, m);
                None
            }
        }
    };
    let mut found = Found::default();
    let mut draft_body: Option<Body> = None;
    let mut shuffle: Option<bool> = None;
    let mut reuse: Option<bool> = None;
    // Choices whose notes come from feedback elsewhere in the item, by identifier.
    let mut note_slots: Vec<(String, NoteRef)> = Vec::new();
    let texts = |e: &El, found: &mut Found| -> (String, String) {
        let mut inner = Found::default();
        let text = markdown(&e.children, &mut inner, &mut |_| None);
        found.media.extend(inner.media);
        found.objects.extend(inner.objects);
        found.math |= inner.math;
        let note = inner
            .feedback
            .into_iter()
            .map(|(_, t)| t)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        (text, note)
    };
    if let Some(&e) = block.first() {
        let key = key_of(e, issues)?;
        let rid = e.attr("responseIdentifier").unwrap_or("RESPONSE");
        let decl = decls.get(rid)?;
        if e.attr("shuffle") == Some("false") {
            shuffle = Some(false);
        }
        let unknown = |ids: &[&str], issues: &mut Vec<Issue>| -> bool {
            let bad: Vec<String> = key
                .iter()
                .flat_map(|k| k.split(' '))
                .filter(|k| !ids.contains(k))
                .map(|k| format!("`{k}`"))
                .collect();
            if bad.is_empty() {
                false
            } else {
                refuse(
                    issues,
                    format!(
                        "the correct response names {}, which the interaction does not offer",
                        bad.join(", ")
                    ),
                );
                true
            }
        };
        match e.name.as_str() {
            "choiceInteraction" => {
                let choices: Vec<&El> = e.all("simpleChoice").collect();
                let ids: Vec<&str> = choices
                    .iter()
                    .map(|c| c.attr("identifier").unwrap_or(""))
                    .collect();
                if unknown(&ids, issues) {
                    return None;
                }
                let mut options = Vec::new();
                for (i, c) in choices.iter().enumerate() {
                    let (text, note) = texts(c, &mut found);
                    note_slots.push((ids[i].to_string(), NoteRef::Option(0, i)));
                    options.push(Opt::new(text, key.iter().any(|k| k == ids[i]), note));
                }
                let values: Vec<f64> = decl
                    .mapping
                    .iter()
                    .filter(|(_, v)| *v > 0.0)
                    .map(|(_, v)| *v)
                    .collect();
                if values.windows(2).any(|w| (w[0] - w[1]).abs() > 1e-9)
                    || decl.mapping.iter().any(|(_, v)| *v < 0.0)
                {
                    warn(issues, "the mapping's scores approximated: each choice in the key is worth one point, and wrong choices cost nothing".into());
                }
                if decl.cardinality == "single" && key.len() > 1 {
                    warn(
                        issues,
                        "a single response with several correct values: imported as a multiple-answer item".into(),
                    );
                }
                if options.len() == 2 && key.len() == 1 {
                    warn(issues, "two choices only: imported as a drop-down (a `single` item needs three options)".into());
                    draft_body = Some(Body::Dropdown(vec![options]));
                    note_slots.iter_mut().for_each(|(_, r)| {
                        if let NoteRef::Option(_, i) = *r {
                            *r = NoteRef::Slot(0, i);
                        }
                    });
                } else {
                    draft_body = Some(Body::Choice(options));
                }
            }
            "orderInteraction" => {
                let choices: Vec<&El> = e.all("simpleChoice").collect();
                let ids: Vec<&str> = choices
                    .iter()
                    .map(|c| c.attr("identifier").unwrap_or(""))
                    .collect();
                if unknown(&ids, issues) {
                    return None;
                }
                let mut actions = Vec::new();
                for (i, c) in choices.iter().enumerate() {
                    let (text, note) = texts(c, &mut found);
                    let position = key
                        .iter()
                        .position(|k| k == ids[i])
                        .and_then(|p| u32::try_from(p + 1).ok());
                    note_slots.push((ids[i].to_string(), NoteRef::Action(i)));
                    actions.push((text, position, note));
                }
                draft_body = Some(Body::Order(actions));
            }
            "matchInteraction" => {
                let sets: Vec<&El> = e.all("simpleMatchSet").collect();
                let [first, second] = sets.as_slice() else {
                    refuse(
                        issues,
                        format!(
                            "a match interaction needs two match sets, this one has {}",
                            sets.len()
                        ),
                    );
                    return None;
                };
                let a: Vec<&El> = first.all("simpleAssociableChoice").collect();
                let b: Vec<&El> = second.all("simpleAssociableChoice").collect();
                let a_ids: Vec<&str> = a
                    .iter()
                    .map(|c| c.attr("identifier").unwrap_or(""))
                    .collect();
                let b_ids: Vec<&str> = b
                    .iter()
                    .map(|c| c.attr("identifier").unwrap_or(""))
                    .collect();
                let all_ids: Vec<&str> = a_ids.iter().chain(b_ids.iter()).copied().collect();
                if unknown(&all_ids, issues) {
                    return None;
                }
                let pairs: Vec<(String, String)> = key
                    .iter()
                    .filter_map(|k| {
                        let (x, y) = k.split_once(' ')?;
                        Some((x.to_string(), y.to_string()))
                    })
                    .collect();
                // Pairs written target-first or the other way round.
                let pairs: Vec<(String, String)> = pairs
                    .into_iter()
                    .map(|(x, y)| {
                        if b_ids.contains(&x.as_str()) && a_ids.contains(&y.as_str()) {
                            (y, x)
                        } else {
                            (x, y)
                        }
                    })
                    .collect();
                let a_text: Vec<(String, String)> =
                    a.iter().map(|c| texts(c, &mut found)).collect();
                let b_text: Vec<(String, String)> =
                    b.iter().map(|c| texts(c, &mut found)).collect();
                let count = |id: &str, first: bool| {
                    pairs
                        .iter()
                        .filter(|(x, y)| if first { x == id } else { y == id })
                        .count()
                };
                let yes_no = b_text.len() == 2 && {
                    let mut t: Vec<String> = b_text
                        .iter()
                        .map(|(t, _)| t.trim().to_lowercase())
                        .collect();
                    t.sort();
                    t == ["no", "yes"]
                };
                if yes_no && a_ids.iter().all(|id| count(id, true) == 1) {
                    let statements = a_ids
                        .iter()
                        .enumerate()
                        .map(|(i, id)| {
                            let answer = pairs
                                .iter()
                                .find(|(x, _)| x == id)
                                .and_then(|(_, y)| b_ids.iter().position(|b| b == y))
                                .is_some_and(|j| b_text[j].0.trim().eq_ignore_ascii_case("yes"));
                            note_slots.push((id.to_string(), NoteRef::Statement(i)));
                            (a_text[i].0.clone(), answer, a_text[i].1.clone())
                        })
                        .collect();
                    draft_body = Some(Body::YesNo(statements));
                } else {
                    // Targets are the side whose choices each have exactly one partner.
                    let (t_ids, t_text, s_ids, s_text, swapped) = if a_ids
                        .iter()
                        .all(|id| count(id, true) <= 1)
                    {
                        (&a_ids, &a_text, &b_ids, &b_text, false)
                    } else if b_ids.iter().all(|id| count(id, false) <= 1) {
                        (&b_ids, &b_text, &a_ids, &a_text, true)
                    } else {
                        warn(issues, "not imported: choices on both sides match several others, and a certprep target has one source".into());
                        return None;
                    };
                    if swapped {
                        warn(issues, "the second match set is used as the targets: each of its choices has one partner".into());
                    }
                    let sources: Vec<(String, String)> = s_text.to_vec();
                    for (j, id) in s_ids.iter().enumerate() {
                        note_slots.push((id.to_string(), NoteRef::Source(j)));
                    }
                    let mut targets = Vec::new();
                    let mut dropped = Vec::new();
                    for (i, id) in t_ids.iter().enumerate() {
                        let partner = pairs.iter().find_map(|(x, y)| {
                            if swapped {
                                (y == id).then_some(x)
                            } else {
                                (x == id).then_some(y)
                            }
                        });
                        match partner.and_then(|p| s_ids.iter().position(|s| s == p)) {
                            Some(j) => {
                                note_slots.push((id.to_string(), NoteRef::Target(targets.len())));
                                targets.push((t_text[i].0.clone(), j, t_text[i].1.clone()));
                            }
                            None => dropped.push(format!("`{}`", one_line(&t_text[i].0))),
                        }
                    }
                    if !dropped.is_empty() {
                        warn(
                            issues,
                            format!(
                                "{} matched to nothing in the key: dropped (a certprep target needs its source)",
                                dropped.join(", ")
                            ),
                        );
                    }
                    let sources_el = if swapped { &a } else { &b };
                    reuse = Some(
                        sources_el
                            .iter()
                            .any(|c| c.attr("matchMax").is_some_and(|m| m.trim() != "1")),
                    );
                    draft_body = Some(Body::Match { sources, targets });
                }
            }
            "associateInteraction" => {
                let choices: Vec<&El> = e.all("simpleAssociableChoice").collect();
                let ids: Vec<&str> = choices
                    .iter()
                    .map(|c| c.attr("identifier").unwrap_or(""))
                    .collect();
                if unknown(&ids, issues) {
                    return None;
                }
                let pairs: Vec<(String, String)> = key
                    .iter()
                    .filter_map(|k| {
                        let (x, y) = k.split_once(' ')?;
                        Some((x.to_string(), y.to_string()))
                    })
                    .collect();
                let mut seen: Vec<&str> = Vec::new();
                for (x, y) in &pairs {
                    if seen.contains(&x.as_str()) || seen.contains(&y.as_str()) || x == y {
                        warn(issues, "not imported: a choice belongs to several pairs of the key, so the associate interaction is not a match".into());
                        return None;
                    }
                    seen.push(x);
                    seen.push(y);
                }
                let text: Vec<(String, String)> =
                    choices.iter().map(|c| texts(c, &mut found)).collect();
                let is_target = |id: &str| pairs.iter().any(|(x, _)| x == id);
                let source_ids: Vec<&str> =
                    ids.iter().copied().filter(|id| !is_target(id)).collect();
                let sources: Vec<(String, String)> = ids
                    .iter()
                    .enumerate()
                    .filter(|(_, id)| !is_target(id))
                    .map(|(i, _)| text[i].clone())
                    .collect();
                let mut targets = Vec::new();
                for (i, id) in ids.iter().enumerate() {
                    if let Some((_, y)) = pairs.iter().find(|(x, _)| x == id)
                        && let Some(j) = source_ids.iter().position(|s| s == y)
                    {
                        note_slots.push((id.to_string(), NoteRef::Target(targets.len())));
                        targets.push((text[i].0.clone(), j, text[i].1.clone()));
                    }
                }
                for (j, id) in source_ids.iter().enumerate() {
                    note_slots.push((id.to_string(), NoteRef::Source(j)));
                }
                warn(issues, "associate interaction imported as a match: the first choice of each pair in the key is a target, the other choices are sources".into());
                reuse = Some(false);
                draft_body = Some(Body::Match { sources, targets });
            }
            _ => {}
        }
    }
    // Slot numbers: `RESPONSE_1`… when the responses are so numbered (a certprep export,
    // where a placeholder may come before a lower one), else the document order.
    let numbers: Vec<usize> = {
        let suffixes: Vec<Option<usize>> = inline
            .iter()
            .map(|e| {
                e.attr("responseIdentifier")
                    .and_then(|r| r.rsplit_once('_'))
                    .and_then(|(_, n)| n.parse().ok())
            })
            .collect();
        let mut sorted: Vec<usize> = suffixes.iter().flatten().copied().collect();
        sorted.sort_unstable();
        if sorted.len() == inline.len() && sorted.iter().enumerate().all(|(i, n)| *n == i + 1) {
            suffixes.into_iter().flatten().collect()
        } else {
            (1..=inline.len()).collect()
        }
    };
    let mut slots: Vec<Vec<Opt>> = vec![Vec::new(); inline.len()];
    for (k, e) in inline.iter().enumerate() {
        let n = numbers[k] - 1;
        let key = key_of(e, issues)?;
        if e.attr("shuffle") == Some("false") {
            shuffle = Some(false);
        }
        let choices: Vec<&El> = e.all("inlineChoice").collect();
        let ids: Vec<&str> = choices
            .iter()
            .map(|c| c.attr("identifier").unwrap_or(""))
            .collect();
        if let Some(bad) = key.iter().find(|k| !ids.contains(&k.as_str())) {
            refuse(
                issues,
                format!(
                    "the correct response names `{bad}`, which drop-down {} does not offer",
                    n + 1
                ),
            );
            return None;
        }
        let mut options = Vec::new();
        for (i, c) in choices.iter().enumerate() {
            let (text, note) = texts(c, &mut found);
            note_slots.push((ids[i].to_string(), NoteRef::Slot(n, i)));
            options.push(Opt::new(text, key.iter().any(|k| k == ids[i]), note));
        }
        slots[n] = options;
    }
    if !inline.is_empty() {
        draft_body = Some(Body::Dropdown(slots));
    }
    let mut body_value = draft_body?;
    // The stem: the body with block interactions replaced by their prompt, drop-downs by
    // their `{{n}}` placeholder.
    if let Some(prompt) = block.first().and_then(|e| e.child("prompt")) {
        let mut inner = Found::default();
        let _ = markdown(&prompt.children, &mut inner, &mut |_| None);
        found.media.extend(inner.media);
        found.math |= inner.math;
    }
    let mut stem = markdown(&body.children, &mut found, &mut |e| {
        if e.name == "inlineChoiceInteraction" {
            let k = inline
                .iter()
                .position(|i| i.offset == e.offset)
                .unwrap_or(0);
            let n = numbers.get(k).copied().unwrap_or(k + 1);
            Some(format!("{{{{{n}}}}}"))
        } else {
            e.child("prompt").map(|p| {
                let mut special = |_: &El| None;
                format!("<p>{}</p>", html(&p.children, &mut special))
            })
        }
    });
    if let Body::Dropdown(slots) = &body_value
        && slots.len() == 1
        && !stem.contains("{{1}}")
    {
        stem = format!("{}\n\n{{{{1}}}}", stem.trim_end());
    }
    // A shared stimulus goes before the stem.
    for s in root.all("assessmentStimulusRef") {
        let href = s.attr("href").unwrap_or("");
        match (ctx.stimulus)(href) {
            Some(text) if !text.trim().is_empty() => {
                warn(
                    issues,
                    format!("shared stimulus `{href}` copied before the stem"),
                );
                stem = format!("{text}\n\n{stem}");
            }
            _ => warn(
                issues,
                format!("shared stimulus `{href}` not found (import the whole package): dropped"),
            ),
        }
    }
    // Feedback outside choices: a note when it names a choice, else the explanation.
    let mut parts: Vec<(String, String)> = Vec::new();
    for (id, text) in std::mem::take(&mut found.feedback) {
        if text.trim().is_empty() {
            continue;
        }
        match note_slots.iter().find(|(c, _)| *c == id) {
            Some((_, r)) => add_note(&mut body_value, *r, &text),
            None => parts.push((id, text)),
        }
    }
    for m in root.all("modalFeedback") {
        let mut inner = Found::default();
        let text = markdown(&m.children, &mut inner, &mut |_| None);
        found.media.extend(inner.media);
        if text.trim().is_empty() {
            continue;
        }
        let id = m.attr("identifier").unwrap_or("").to_string();
        match note_slots.iter().find(|(c, _)| *c == id) {
            Some((_, r)) => add_note(&mut body_value, *r, &text),
            None => parts.push((m.attr("title").map(str::to_string).unwrap_or(id), text)),
        }
    }
    let explanation = match parts.as_slice() {
        [] => String::new(),
        [(_, only)] => only.clone(),
        many => many
            .iter()
            .map(|(l, t)| {
                if l.is_empty() {
                    t.clone()
                } else {
                    format!("**{}:** {t}", one_line(l))
                }
            })
            .collect::<Vec<_>>()
            .join("\n\n"),
    };
    if !found.media.is_empty() {
        let mut media = std::mem::take(&mut found.media);
        media.dedup();
        let listed: Vec<String> = media
            .iter()
            .map(|m| {
                let in_package = resolve(ctx.path, m);
                let missing = ctx.exists.is_some_and(|f| !f(&in_package));
                match (ctx.path.is_empty(), missing) {
                    (true, _) => format!("`{m}`"),
                    (false, false) => format!("`{m}` (`{in_package}` in the package)"),
                    (false, true) => format!("`{m}` (missing from the package)"),
                }
            })
            .collect();
        warn(
            issues,
            format!(
                "relative media path(s) kept as written: {}; copy the file(s) beside the bank file",
                listed.join(", ")
            ),
        );
    }
    if !found.objects.is_empty() {
        let mut objects = std::mem::take(&mut found.objects);
        objects.dedup();
        warn(
            issues,
            format!(
                "media object(s) dropped (Markdown shows images only; their fallback text is kept): {}",
                objects
                    .iter()
                    .map(|o| format!("`{o}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    if found.math {
        warn(
            issues,
            "MathML kept as its plain text: check the formulas".into(),
        );
    }
    if found.printed > 0 {
        warn(
            issues,
            format!("{} printed variable(s) dropped", found.printed),
        );
    }
    if found.hidden_rubric > 0 {
        warn(
            issues,
            format!(
                "{} rubric block(s) not meant for the candidate dropped",
                found.hidden_rubric
            ),
        );
    }
    let mut d = Draft::new(pos, stem, body_value);
    d.source = Some(ctx.file.to_string());
    d.id = root
        .attr("identifier")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    d.name = root.attr("title").map(one_line).filter(|s| !s.is_empty());
    d.category = ctx.category.clone();
    d.explanation = explanation;
    d.meta.shuffle = shuffle;
    d.meta.reuse = reuse;
    for c in root.comments() {
        let Some(rest) = c.strip_prefix("certprep ") else {
            continue;
        };
        let Some((k, v)) = rest.split_once(':') else {
            continue;
        };
        let (k, v) = (k.trim(), v.trim());
        if k == "id" {
            d.id = Some(v.to_string());
        } else if k == "tags" {
            d.tags = v
                .split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect();
        } else if k == "reference" {
            d.references
                .push(crate::gift::parse_reference(&v.replace("%2D%2D", "--")));
        } else if let Err(m) =
            crate::gift::apply_field(&mut d.meta, &mut d.references, k, &v.replace("- -", "--"))
        {
            warn(issues, m);
        }
    }
    Some(d)
}

/// An interaction's key: its correct response, or the answers its mapping scores above zero
/// (with a note saying so); `Err` with the reason when there is neither.
fn key_of(e: &El, decls: &BTreeMap<String, Decl>) -> Result<(Vec<String>, Option<String>), String> {
    let rid = e.attr("responseIdentifier").unwrap_or("RESPONSE");
    let Some(d) = decls.get(rid) else {
        return Err(format!(
            "the interaction's response `{rid}` is not declared"
        ));
    };
    if !d.correct.is_empty() {
        return Ok((d.correct.clone(), None));
    }
    let positive: Vec<String> = d
        .mapping
        .iter()
        .filter(|(_, v)| *v > 0.0)
        .map(|(k, _)| k.clone())
        .collect();
    if positive.is_empty() {
        return Err(format!(
            "the response `{rid}` has no correct response (nor a mapping that scores any answer), so the key is unknown"
        ));
    }
    Ok((
        positive,
        Some(format!(
            "the response `{rid}` has no correct response: the key is the answers its mapping scores above zero"
        )),
    ))
}

/// Where a choice's note goes in the body.
#[derive(Debug, Clone, Copy)]
enum NoteRef {
    Option(usize, usize),
    Slot(usize, usize),
    Action(usize),
    Source(usize),
    Target(usize),
    Statement(usize),
}

fn add_note(body: &mut Body, r: NoteRef, text: &str) {
    let push = |note: &mut String| {
        if note.trim().is_empty() {
            *note = text.to_string();
        } else {
            note.push_str("\n\n");
            note.push_str(text);
        }
    };
    match (body, r) {
        (Body::Choice(options), NoteRef::Option(_, i)) => {
            if let Some(o) = options.get_mut(i) {
                push(&mut o.note);
            }
        }
        (Body::Dropdown(slots), NoteRef::Slot(s, i) | NoteRef::Option(s, i)) => {
            if let Some(o) = slots.get_mut(s).and_then(|c| c.get_mut(i)) {
                push(&mut o.note);
            }
        }
        (Body::Order(actions), NoteRef::Action(i)) => {
            if let Some(a) = actions.get_mut(i) {
                push(&mut a.2);
            }
        }
        (Body::Match { sources, .. }, NoteRef::Source(i)) => {
            if let Some(s) = sources.get_mut(i) {
                push(&mut s.1);
            }
        }
        (Body::Match { targets, .. }, NoteRef::Target(i)) => {
            if let Some(t) = targets.get_mut(i) {
                push(&mut t.2);
            }
        }
        (Body::YesNo(statements), NoteRef::Statement(i)) => {
            if let Some(s) = statements.get_mut(i) {
                push(&mut s.2);
            }
        }
        _ => {}
    }
}

/// The position of an element, for messages about a test or manifest.
pub(crate) fn pos_of(source: &str, el: &El) -> Pos {
    crate::text::pos_at(source, el.offset)
}
