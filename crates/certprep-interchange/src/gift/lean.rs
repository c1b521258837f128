//! GIFT questions of the common shapes read straight into a [`LeanItem`] whose texts are
//! slices of the file (see [`crate::native::LeanItem`] for what is then written).
//!
//! [`question`] reads a question only where it is sure to read it as [`super::question`] and
//! [`super::draft`] do, with no issue to report: no escape, HTML, format prefix, text after
//! the answer block or unsupported type; each text on one line; weights that give one key per
//! right answer without approximation. Anything else is `None` and left to the parser, and
//! the texts it gives are checked again by the lean writer.

use crate::native::{LeanBody, LeanItem, LeanOpt};

use super::{markers_in, weight};

/// Where a short `needle` first occurs in `haystack` (its first byte found with memchr: a
/// finder built per call costs more than the search).
fn find(haystack: &str, needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let bytes = haystack.as_bytes();
    memchr::memchr_iter(first, bytes).find(|&i| bytes.get(i + 1..i + 1 + rest.len()) == Some(rest))
}

/// Where a lean question's lists live while it is written.
#[derive(Default)]
pub(crate) struct Buffers<'a> {
    options: Vec<LeanOpt<'a>>,
    sources: Vec<&'a str>,
    targets: Vec<(&'a str, usize)>,
}

impl Buffers<'_> {
    /// Empties the lists for the next question (their room is kept).
    pub(crate) fn clear(&mut self) {
        self.options.clear();
        self.sources.clear();
        self.targets.clear();
    }
}

/// A question block (its lines as in the file, no comment or category line) as a lean item.
pub(crate) fn question<'a: 'b, 'b>(
    text: &'a str,
    buffers: &'b mut Buffers<'a>,
) -> Option<LeanItem<'b>> {
    // Escapes, HTML and character references change texts: the parser reads those.
    if memchr::memchr3(b'\\', b'<', b'&', text.as_bytes()).is_some() {
        return None;
    }
    let mut rest = text.trim_start();
    let mut name = None;
    if let Some(titled) = rest.strip_prefix("::") {
        let end = find(titled, b"::")?;
        name = Some(&titled[..end]);
        rest = &titled[end + 2..];
    }
    // A format prefix (`[html]`…) changes how the texts read.
    if rest.trim_start().starts_with('[') {
        return None;
    }
    let open = rest.find('{')?;
    let close = open + 1 + rest[open + 1..].find('}')?;
    let inner = &rest[open + 1..close];
    if inner.contains('{') || !rest[close + 1..].trim().is_empty() {
        return None;
    }
    let (answers, explanation) = match find(inner, b"####") {
        Some(i) => (&inner[..i], inner[i + 4..].trim()),
        None => (inner, ""),
    };
    let body = answer_body(answers, buffers)?;
    Some(LeanItem {
        name,
        stem: rest[..open].trim(),
        body,
        explanation,
    })
}

/// The answers as [`super::answer_kind`] reads them, for true/false, multiple choice and
/// matching.
fn answer_body<'a: 'b, 'b>(answers: &'a str, buffers: &'b mut Buffers<'a>) -> Option<LeanBody<'b>> {
    let t = answers.trim();
    if t.is_empty() || t.starts_with(['#', '>']) {
        return None;
    }
    let head = t.split('#').next().unwrap_or("").trim();
    let truth = ["T", "TRUE", "F", "FALSE"]
        .iter()
        .any(|h| head.eq_ignore_ascii_case(h));
    if truth {
        return Some(true_false(t, head));
    }
    let first_eq = answers.find('=');
    let no_tilde = memchr::memchr(b'~', answers.as_bytes()).is_none();
    if first_eq.is_some_and(|e| find(&answers[e..], b"->").is_some()) && no_tilde {
        return matching(answers, buffers);
    }
    if no_tilde {
        // Short answers (no `~`) are not imported.
        return None;
    }
    choice(answers, &mut buffers.options)
}

/// `{T}`, `{FALSE#feedback for the wrong answer#feedback for the right one}`.
fn true_false<'a>(t: &'a str, head: &str) -> LeanBody<'a> {
    let answer = head.starts_with(['T', 't']);
    let mut feedback = t.split('#').skip(1).map(str::trim);
    let wrong = feedback.next().unwrap_or("");
    let right = feedback.next().unwrap_or("");
    let (true_note, false_note) = if answer {
        (right, wrong)
    } else {
        (wrong, right)
    };
    LeanBody::TrueFalse {
        answer,
        true_note,
        false_note,
    }
}

/// `=question -> answer` pairs: answers are the sources (each once), questions the targets
/// (an answer without a question is an unused source).
fn matching<'a: 'b, 'b>(answers: &'a str, buffers: &'b mut Buffers<'a>) -> Option<LeanBody<'b>> {
    let Buffers {
        sources, targets, ..
    } = buffers;
    for (_, s, e) in markers_in(answers, b"=") {
        let segment = &answers[s..e];
        let arrow = find(segment, b"->")?;
        let answer_end = segment[arrow..]
            .find('#')
            .map_or(segment.len(), |h| arrow + h);
        let answer = segment[arrow + 2..answer_end].trim();
        let source = match sources.iter().position(|s| *s == answer) {
            Some(i) => i,
            None => {
                sources.push(answer);
                sources.len() - 1
            }
        };
        let question = segment[..arrow].trim();
        if !question.is_empty() {
            targets.push((question, source));
        }
    }
    Some(LeanBody::Match { sources, targets })
}

/// `=right ~wrong`, or weights (`~%50%a ~%50%b ~%-100%c`) that make each option with a
/// positive weight a key worth the same.
fn choice<'a: 'b, 'b>(answers: &'a str, options: &'b mut Vec<LeanOpt<'a>>) -> Option<LeanBody<'b>> {
    let first = markers_in(answers, b"=~")
        .next()
        .map_or(answers.len(), |p| p.1.saturating_sub(1));
    if !answers[..first].trim().is_empty() {
        return None;
    }
    let any_equals = markers_in(answers, b"=~").any(|(m, ..)| m == b'=');
    let (mut positive_total, mut previous_positive, mut even) = (0.0, None::<f64>, true);
    for (marker, s, e) in markers_in(answers, b"=~") {
        let segment = &answers[s..e];
        let lead = segment.len() - segment.trim_start().len();
        let (w, wlen) = weight(&segment[lead..]);
        let body = &segment[lead + wlen..];
        let (text, note) = match body.find('#') {
            Some(h) => (&body[..h], &body[h + 1..]),
            None => (body, ""),
        };
        let correct = if any_equals {
            let full = marker == b'=' && w.is_none_or(|w| w >= 99.99);
            if !full && w.is_some_and(|w| w > 0.0) {
                return None; // partial credit: the parser reports it
            }
            full
        } else {
            w.is_some_and(|w| w > 0.0)
        };
        if let Some(w) = w.filter(|w| *w > 0.0) {
            positive_total += w;
            // As the parser compares them: each with the one before.
            even &= previous_positive.is_none_or(|p| (p - w).abs() < 0.01);
            previous_positive = Some(w);
        }
        options.push(LeanOpt {
            text: text.trim(),
            correct,
            note: note.trim(),
        });
    }
    // Uneven weights, or weights that do not add up to 100%, are approximated and reported.
    if !any_equals && (!even || (positive_total - 100.0_f64).abs() > 0.5) {
        return None;
    }
    Some(LeanBody::Choice(options))
}
