//! Plain items written straight to bank text: no syntax tree, no rendering, no lowering.
//!
//! A large import is mostly made of a few common shapes (a choice list, true/false, a
//! matching list) whose texts are single plain lines. For those, building the syntax tree,
//! rendering it and lowering it through the lint costs ten times what writing the text does.
//! [`Preparer::prepare_lean`] writes such an item directly, but only when it is sure that the
//! general path ([`Preparer::prepare`]) would write the very same text with the same warnings
//! and no error:
//! - every text is one plain line ([`plain`]): it reads back as written and the bank's text
//!   helpers leave it as it is;
//! - lists have the sizes, keys and distinct texts the lint asks for;
//! - no retired service name can occur: the caller clears the source the texts are cut from
//!   with [`NameIndex::may_occur`](certprep_domain::names::NameIndex::may_occur).
//!
//! Anything else gives `None`, and the item takes the general path. What every item of an
//! import shares (the meta lines after its type, the references) is written once, and checked
//! once by preparing probe items both ways ([`Parts::checked`]): when they differ, or the
//! probes are refused, the lean path stays off for the whole import.

use std::fmt::Write as _;

use certprep_bank::syntax::Pos;

use super::{
    Body, Draft, IdBase, ItemText, NO_EXPLANATION, NO_REASON, Opt, Outcome, Prepared, Preparer,
    id_base, label, placeholder_warning, reference_entry_text,
};

/// One option of a choice list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LeanOpt<'a> {
    pub text: &'a str,
    pub correct: bool,
    /// Empty when the source gives none.
    pub note: &'a str,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum LeanBody<'a> {
    /// A `single` item (one correct option) or a `multiple` one.
    Choice(&'a [LeanOpt<'a>]),
    /// A true/false question: a `dropdown` with the choices True and False after the stem.
    TrueFalse {
        answer: bool,
        true_note: &'a str,
        false_note: &'a str,
    },
    /// Sources, and targets with the index of their source.
    Match {
        sources: &'a [&'a str],
        targets: &'a [(&'a str, usize)],
    },
}

/// An imported question whose texts are borrowed from its source.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LeanItem<'a> {
    /// The source's name for it (its id is derived from it).
    pub name: Option<&'a str>,
    pub stem: &'a str,
    pub body: LeanBody<'a>,
    /// Empty when the source has none (a placeholder is written).
    pub explanation: &'a str,
}

/// What every lean item of an import shares, written once.
pub(super) struct Parts {
    /// The meta lines after `type:` (and `choose:` or `reuse:`), with the closing fence.
    meta_tail: String,
    /// The text from the heading line to the stem of a `single`, a `dropdown`, and a
    /// `match` item without and with `reuse`.
    single: String,
    dropdown: String,
    matching: [String; 2],
    /// The explanation placeholder and the references.
    no_explanation: String,
    /// The `### References` section.
    references: String,
}

impl Parts {
    fn new(preparer: &Preparer<'_>) -> Parts {
        let opts = preparer.opts;
        let mut meta_tail = String::new();
        for (outline, ids) in &opts.objectives {
            let _ = writeln!(meta_tail, "{outline}: {}", ids.join(", "));
        }
        let _ = writeln!(meta_tail, "difficulty: {}", preparer.default_difficulty);
        let _ = writeln!(meta_tail, "reviewed: {}", preparer.reviewed);
        meta_tail.push_str("```\n\n");
        let mut references = String::from("### References\n\n");
        for r in &opts.references {
            let _ = writeln!(references, "- {}", reference_entry_text(r));
        }
        references.push('\n');
        let head = |kind: &str| format!("\n```meta\ntype: {kind}\n{meta_tail}");
        Parts {
            single: head("single"),
            dropdown: head("dropdown"),
            matching: [head("match\nreuse: no"), head("match\nreuse: yes")],
            no_explanation: format!("### Explanation\n\n{NO_EXPLANATION}\n\n{references}"),
            meta_tail,
            references,
        }
    }

    /// The parts, when lean items come out exactly as the general path writes them: probe
    /// items of every lean shape are prepared both ways and must be kept, with the same text,
    /// id and warnings. Off when the caller keeps the items themselves (only the general path
    /// builds them).
    pub(super) fn checked(preparer: &Preparer<'_>) -> Option<Parts> {
        if preparer.keep_items {
            return None;
        }
        let parts = Parts::new(preparer);
        let all_agree = probes().iter().all(|(lean, draft)| {
            let general = preparer.prepare(draft.clone());
            let mut piece = String::new();
            let written = preparer.write_lean(&parts, Pos::default(), lean, &mut piece);
            written.is_some_and(|w| same(&w, &piece, &general))
        });
        all_agree.then_some(parts)
    }
}

/// Whether a lean item (written into `piece`) is what the general path prepared.
fn same(lean: &Prepared, piece: &str, general: &Prepared) -> bool {
    let (
        Outcome::Kept(_, ItemText::InPiece { body, end, .. }),
        Outcome::Kept(_, ItemText::Own(own)),
    ) = (&lean.outcome, &general.outcome)
    else {
        return false;
    };
    lean.base == general.base
        && lean.warnings == general.warnings
        && piece.get(*body..*end) == Some(own.as_str())
}

/// One probe of each lean shape, with placeholders and without, as a lean item and as the
/// draft the general path takes.
fn probes() -> Vec<(LeanItem<'static>, Draft)> {
    const SINGLE: &[LeanOpt<'static>] = &[
        LeanOpt {
            text: "Alpha",
            correct: true,
            note: "",
        },
        LeanOpt {
            text: "Beta",
            correct: false,
            note: "",
        },
        LeanOpt {
            text: "Gamma",
            correct: false,
            note: "Not this one.",
        },
    ];
    const MULTIPLE: &[LeanOpt<'static>] = &[
        LeanOpt {
            text: "Alpha",
            correct: true,
            note: "Yes.",
        },
        LeanOpt {
            text: "Beta",
            correct: true,
            note: "",
        },
        LeanOpt {
            text: "Gamma",
            correct: false,
            note: "No.",
        },
    ];
    const SOURCES: &[&str] = &["Alpha", "Beta", "Gamma"];
    const TARGETS: &[(&str, usize)] = &[("One", 0), ("Two", 1), ("Three", 1)];
    let choice = |options: &[LeanOpt<'_>]| {
        Body::Choice(
            options
                .iter()
                .map(|o| Opt::new(o.text, o.correct, o.note))
                .collect(),
        )
    };
    let lean = |stem: &'static str, body, explanation: &'static str| LeanItem {
        name: Some("Probe"),
        stem,
        body,
        explanation,
    };
    let draft = |stem: &str, body, explanation: &str| {
        let mut d = Draft::new(Pos::default(), stem.to_string(), body);
        d.name = Some("Probe".into());
        d.explanation = explanation.to_string();
        d
    };
    vec![
        (
            lean("Which one?", LeanBody::Choice(SINGLE), ""),
            draft("Which one?", choice(SINGLE), ""),
        ),
        (
            lean("Which two?", LeanBody::Choice(MULTIPLE), "Because."),
            draft("Which two?", choice(MULTIPLE), "Because."),
        ),
        (
            lean(
                "Is it so?",
                LeanBody::TrueFalse {
                    answer: false,
                    true_note: "",
                    false_note: "",
                },
                "",
            ),
            draft(
                "Is it so?\n\n{{1}}",
                Body::Dropdown(vec![vec![
                    Opt::new("True", false, ""),
                    Opt::new("False", true, ""),
                ]]),
                "",
            ),
        ),
        (
            lean(
                "Match them.",
                LeanBody::Match {
                    sources: SOURCES,
                    targets: TARGETS,
                },
                "Because.",
            ),
            draft(
                "Match them.",
                Body::Match {
                    sources: SOURCES
                        .iter()
                        .map(|s| (s.to_string(), String::new()))
                        .collect(),
                    targets: TARGETS
                        .iter()
                        .map(|(t, s)| (t.to_string(), *s, String::new()))
                        .collect(),
                },
                "Because.",
            ),
        ),
    ]
}

/// A text every step of the general path leaves as it is and the bank's parser reads back
/// as written: one line that starts with a letter or digit (not like a label, `A. `), with
/// single spaces and no other blank or control character.
pub(crate) fn plain(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    if b.len() >= 3 && first.is_ascii_uppercase() && b[1] == b'.' && b[2] == b' ' {
        return false;
    }
    if !first.is_ascii_alphanumeric() {
        return first >= 0x80 && plain_unicode(s);
    }
    // One pass over the bytes; the first beyond ASCII hands the text to the slower check.
    let mut previous = first;
    for &c in &b[1..] {
        if c >= 0x80 {
            return plain_unicode(s);
        }
        if c < b' ' || c == 0x7f || (c == b' ' && previous == b' ') {
            return false;
        }
        previous = c;
    }
    previous != b' '
}

/// [`plain`] for a text with characters beyond ASCII.
fn plain_unicode(s: &str) -> bool {
    if !s.chars().next().is_some_and(char::is_alphanumeric) {
        return false;
    }
    let mut after_space = false;
    for c in s.chars() {
        if c == ' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else if c.is_whitespace() || c.is_control() {
            return false;
        } else {
            after_space = false;
        }
    }
    !after_space
}

/// A note: empty, or plain.
fn plain_note(s: &str) -> bool {
    s.is_empty() || plain(s)
}

/// Whether no two texts are the same once case is ignored, as the lint compares them.
fn all_distinct<'t>(n: usize, text: impl Fn(usize) -> &'t str) -> bool {
    let same = |a: &str, b: &str| {
        if a.is_ascii() && b.is_ascii() {
            a.eq_ignore_ascii_case(b)
        } else {
            a.to_lowercase() == b.to_lowercase()
        }
    };
    (0..n).all(|i| (0..i).all(|j| !same(text(i), text(j))))
}

/// `- [x] A. ` … `- [ ] Z. `: the start of an option's line, for its key and place.
fn option_start(correct: bool, i: usize) -> &'static str {
    const KEYS: &str = "- [x] A. - [x] B. - [x] C. - [x] D. - [x] E. - [x] F. - [x] G. \
                        - [x] H. - [x] I. - [x] J. - [x] K. - [x] L. - [x] M. - [x] N. \
                        - [x] O. - [x] P. - [x] Q. - [x] R. - [x] S. - [x] T. - [x] U. \
                        - [x] V. - [x] W. - [x] X. - [x] Y. - [x] Z. ";
    const OTHERS: &str = "- [ ] A. - [ ] B. - [ ] C. - [ ] D. - [ ] E. - [ ] F. - [ ] G. \
                          - [ ] H. - [ ] I. - [ ] J. - [ ] K. - [ ] L. - [ ] M. - [ ] N. \
                          - [ ] O. - [ ] P. - [ ] Q. - [ ] R. - [ ] S. - [ ] T. - [ ] U. \
                          - [ ] V. - [ ] W. - [ ] X. - [ ] Y. - [ ] Z. ";
    let all = if correct { KEYS } else { OTHERS };
    let at = (i % 26) * 9;
    all.get(at..at + 9).unwrap_or("- [ ] ?. ")
}

/// Writes bank lines for a note: the note, the placeholder when it is required and missing
/// (counted in `filled`), or nothing.
fn note(out: &mut String, note: &str, required: bool, filled: &mut usize) {
    let text = if note.is_empty() && required {
        *filled += 1;
        NO_REASON
    } else {
        note
    };
    if !text.is_empty() {
        out.push_str("  ");
        out.push_str(text);
        out.push('\n');
    }
}

impl Preparer<'_> {
    /// The item as [`Preparer::prepare`] would prepare it, written directly; `None` when it is
    /// not sure to come out the same (see the module's documentation), or when the lean path
    /// is off for this import. `names_cleared`: no retired service name may occur in any of
    /// the item's texts.
    /// The item's text is written at the end of `piece`, which the caller hands to
    /// [`super::Finisher::commit_in`] with it.
    pub(crate) fn prepare_lean(
        &self,
        pos: Pos,
        item: &LeanItem<'_>,
        names_cleared: bool,
        piece: &mut String,
    ) -> Option<Prepared> {
        if !names_cleared && self.names.is_some() {
            return None;
        }
        let parts = self.lean.get_or_init(|| Parts::checked(self)).as_ref()?;
        self.write_lean(parts, pos, item, piece)
    }

    /// Writes the item at the end of `piece` (its heading line under its provisional id,
    /// when it has one, then the rest), or leaves `piece` as it was and gives `None`.
    fn write_lean(
        &self,
        parts: &Parts,
        pos: Pos,
        item: &LeanItem<'_>,
        piece: &mut String,
    ) -> Option<Prepared> {
        let base = id_base(None, item.name, &self.prefix, self.opts.id_prefix.is_some());
        let heading = piece.len();
        let Some((body, filled)) = write_lean_text(parts, item, &base, piece) else {
            piece.truncate(heading);
            return None;
        };
        Some(Prepared {
            pos,
            source: None,
            category: None,
            series: None,
            base,
            warnings: placeholder_warning(item.explanation.is_empty(), filled)
                .into_iter()
                .collect(),
            outcome: Outcome::Kept(
                None,
                ItemText::InPiece {
                    heading,
                    body,
                    end: piece.len(),
                },
            ),
        })
    }
}

/// Writes the item's text at the end of `out`: where the text after its heading line starts,
/// and how many placeholder notes were written. `None` when the item is not sure to come out
/// as the general path writes it (what was written is then to be dropped).
fn write_lean_text(
    parts: &Parts,
    item: &LeanItem<'_>,
    base: &IdBase,
    out: &mut String,
) -> Option<(usize, usize)> {
    if !plain(item.stem) || !plain_note(item.explanation) {
        return None;
    }
    out.reserve(lean_size(item) + parts.meta_tail.len() + parts.references.len() + 256);
    if let IdBase::Given(id) | IdBase::Derived(id) = base {
        out.push_str("## Item: ");
        out.push_str(id);
        out.push('\n');
    }
    let body = out.len();
    let mut filled = 0;
    match item.body {
        LeanBody::Choice(options) => choice(out, parts, item.stem, options, &mut filled)?,
        LeanBody::TrueFalse {
            answer,
            true_note,
            false_note,
        } => {
            if !plain_note(true_note) || !plain_note(false_note) {
                return None;
            }
            out.push_str(&parts.dropdown);
            out.push_str(item.stem);
            out.push_str("\n\n{{1}}\n\n### Slot 1\n\n");
            let mark = |correct: bool| if correct { "- [x] " } else { "- [ ] " };
            out.push_str(mark(answer));
            out.push_str("A. True\n");
            note(out, true_note, !answer, &mut filled);
            out.push_str(mark(!answer));
            out.push_str("B. False\n");
            note(out, false_note, answer, &mut filled);
            out.push('\n');
        }
        LeanBody::Match { sources, targets } => {
            matching(out, parts, item.stem, sources, targets, &mut filled)?
        }
    }
    if item.explanation.is_empty() {
        out.push_str(&parts.no_explanation);
    } else {
        out.push_str("### Explanation\n\n");
        out.push_str(item.explanation);
        out.push_str("\n\n");
        out.push_str(&parts.references);
    }
    Some((body, filled))
}

/// About how many bytes an item's own texts take.
fn lean_size(item: &LeanItem<'_>) -> usize {
    let texts = match item.body {
        LeanBody::Choice(options) => options
            .iter()
            .map(|o| o.text.len() + o.note.len() + 16)
            .sum(),
        LeanBody::TrueFalse {
            true_note,
            false_note,
            ..
        } => true_note.len() + false_note.len() + 64,
        LeanBody::Match { sources, targets } => {
            sources.iter().map(|s| s.len() + 8).sum::<usize>()
                + targets.iter().map(|(t, _)| t.len() + 8).sum::<usize>()
        }
    };
    item.stem.len() + item.explanation.len() + texts
}

/// A `single` item (one correct option, three options or more) or a `multiple` one (more
/// options than keys), up to 26 options with distinct plain texts.
fn choice(
    out: &mut String,
    parts: &Parts,
    stem: &str,
    options: &[LeanOpt<'_>],
    filled: &mut usize,
) -> Option<()> {
    let keys = options.iter().filter(|o| o.correct).count();
    let fits = match keys {
        0 => false,
        1 => options.len() >= 3,
        k => options.len() > k,
    };
    if !fits
        || options.len() > 26
        || !options.iter().all(|o| plain(o.text) && plain_note(o.note))
        || !all_distinct(options.len(), |i| options[i].text)
    {
        return None;
    }
    if keys == 1 {
        out.push_str(&parts.single);
    } else {
        let _ = writeln!(out, "\n```meta\ntype: multiple\nchoose: {keys}");
        out.push_str(&parts.meta_tail);
    }
    out.push_str(stem);
    out.push_str("\n\n### Options\n\n");
    for (i, o) in options.iter().enumerate() {
        out.push_str(option_start(o.correct, i));
        out.push_str(o.text);
        out.push('\n');
        note(out, o.note, !o.correct, filled);
    }
    out.push('\n');
    Some(())
}

/// A `match` item: two to 26 sources and two targets or more, each list with distinct plain
/// texts; `reuse` when a source serves several targets.
fn matching(
    out: &mut String,
    parts: &Parts,
    stem: &str,
    sources: &[&str],
    targets: &[(&str, usize)],
    filled: &mut usize,
) -> Option<()> {
    if sources.len() < 2
        || sources.len() > 26
        || targets.len() < 2
        || !sources.iter().all(|s| plain(s))
        || !targets.iter().all(|(t, s)| plain(t) && *s < sources.len())
        || !all_distinct(sources.len(), |i| sources[i])
        || !all_distinct(targets.len(), |i| targets[i].0)
    {
        return None;
    }
    let mut uses = [0usize; 26];
    for (_, s) in targets {
        uses[*s] += 1;
    }
    let reuse = uses.iter().any(|u| *u > 1);
    out.push_str(&parts.matching[usize::from(reuse)]);
    out.push_str(stem);
    out.push_str("\n\n### Sources\n\n");
    for (i, s) in sources.iter().enumerate() {
        out.push_str("- ");
        out.push(label(i));
        out.push_str(". ");
        out.push_str(s);
        out.push('\n');
        note(out, "", uses[i] == 0, filled);
    }
    out.push_str("\n### Targets\n\n");
    for (t, s) in targets {
        out.push_str("- [");
        out.push(label(*s));
        out.push_str("] ");
        out.push_str(t);
        out.push('\n');
    }
    out.push('\n');
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn option_starts_are_what_the_renderer_writes() {
        for i in 0..26 {
            for correct in [true, false] {
                let mark = if correct { 'x' } else { ' ' };
                assert_eq!(
                    option_start(correct, i),
                    format!("- [{mark}] {}. ", label(i))
                );
            }
        }
    }

    /// The fast byte check and the character check agree, on ASCII and beyond.
    fn plain_by_characters(s: &str) -> bool {
        let b = s.as_bytes();
        if b.len() >= 3 && b[0].is_ascii_uppercase() && b[1] == b'.' && b[2] == b' ' {
            return false;
        }
        plain_unicode(s)
    }

    proptest! {
        #[test]
        fn plain_checks_bytes_as_it_checks_characters(s in "[ -~\t\n\u{a0}é日A-C.]{0,12}") {
            prop_assert_eq!(plain(&s), plain_by_characters(&s));
        }
    }

    #[test]
    fn the_lean_path_is_on_unless_items_are_kept() {
        let opts = crate::options_for_tests();
        let preparer = Preparer::new("t.gift", &opts, false);
        assert!(Parts::checked(&preparer).is_some());
        let keeping = Preparer::new("t.gift", &opts, true);
        assert!(Parts::checked(&keeping).is_none());
        // Without the objective the lint wants, the probes are refused: the lean path is off.
        let mut bare = crate::options_for_tests();
        bare.objectives.clear();
        assert!(Parts::checked(&Preparer::new("t.gift", &bare, false)).is_none());
    }
}
