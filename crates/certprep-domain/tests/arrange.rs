//! Shuffled presentation on the real embedded bank: the key's displayed letter is spread evenly
//! over seeds, a pinned item never moves, and an answer given in the letters shown is graded and
//! logged in the author's letters, for every item type with letters.

use certprep_bank::Source;
use certprep_bank::load::{Library, load};
use certprep_domain::arrange::Arrangement;
use certprep_domain::form::{Form, FormSection, SectionKind};
use certprep_domain::grading::{Answer, key};
use certprep_domain::item::{Item, ItemBody};
use certprep_domain::present::present;
use certprep_domain::session::{Mode, NewSession, Session};
use certprep_domain::{ExamCode, ItemKind, OutlineRef};
use chrono::{DateTime, TimeZone, Utc};

fn library() -> Library {
    let files = certprep_content::files()
        .map(|f| Source::new(f.path, f.text))
        .collect();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    load(&[files], today, 0).library
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

/// A study session over `items`, shuffled with `seed`.
fn session(lib: &Library, items: &[&str], seed: u64) -> Session {
    let r: OutlineRef = "ai-103@2026-04-16"
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    Session::start(
        NewSession {
            id: format!("s{seed}"),
            user: "local".into(),
            exam: ExamCode::new("ai-103"),
            outline: &r,
            mode: Mode::Study,
            seed,
            time_limit_ms: None,
            pausable: true,
            open_book: true,
            shuffle: true,
        },
        &Form {
            sections: vec![FormSection {
                kind: SectionKind::Main,
                items: items.iter().map(|s| s.to_string()).collect(),
            }],
        },
        &lib.bank,
        t0(),
    )
}

/// Pearson's chi-square of counts against a uniform spread.
fn chi_square(counts: &[u32]) -> f64 {
    let total: u32 = counts.iter().sum();
    let expected = f64::from(total) / counts.len() as f64;
    counts
        .iter()
        .map(|c| (f64::from(*c) - expected).powi(2) / expected)
        .sum()
}

/// The critical value of chi-square with 3 degrees of freedom at p = 0.001: a uniform spread
/// exceeds it once in a thousand runs.
const CHI_SQUARE_3DF_P001: f64 = 16.27;

#[test]
fn the_keys_displayed_letter_is_spread_evenly_over_seeds() {
    let lib = library();
    let four_option_singles: Vec<&Item> = lib
        .bank
        .items
        .iter()
        .filter(|i| i.shuffle)
        .filter(|i| matches!(&i.body, ItemBody::Single { options } if options.len() == 4))
        .collect();
    assert!(four_option_singles.len() >= 20);
    // One item over 2,000 seeds, and every four-option single item over 1,000 seeds each.
    let item = four_option_singles[0];
    let mut counts = [0u32; 4];
    let key_text = match &item.body {
        ItemBody::Single { options } => options
            .iter()
            .find(|o| o.correct)
            .map(|o| o.text.clone())
            .unwrap_or_default(),
        _ => String::new(),
    };
    for seed in 0..2000 {
        let s = session(&lib, &[&item.id], seed);
        let shown = present(&s, &lib.bank, 0).unwrap_or_else(|| panic!("present"));
        let at = shown
            .options
            .iter()
            .position(|o| o.text == key_text)
            .unwrap_or_else(|| panic!("the key is shown"));
        counts[at] += 1;
    }
    let one_item = chi_square(&counts);
    let mut all = [0u32; 4];
    for item in &four_option_singles {
        for seed in 0..1000 {
            let a = Arrangement::draw(item, seed).unwrap_or_else(|| panic!("{}", item.id));
            if let Answer::Choice(c) = a.to_display(item, key(&item.body)) {
                all[usize::from(c as u8 - b'A')] += 1;
            }
        }
    }
    let every_item = chi_square(&all);
    eprintln!(
        "displayed key letter of {} over 2,000 seeds: A B C D = {counts:?}, chi-square {one_item:.2} (3 df); \
         {} four-option single items × 1,000 seeds: {all:?}, chi-square {every_item:.2}",
        item.id,
        four_option_singles.len()
    );
    assert_eq!(counts.iter().sum::<u32>(), 2000);
    assert!(one_item < CHI_SQUARE_3DF_P001, "{counts:?}: {one_item}");
    assert!(every_item < CHI_SQUARE_3DF_P001, "{all:?}: {every_item}");
}

#[test]
fn a_pinned_item_never_moves() {
    let mut lib = library();
    let id = lib
        .bank
        .items
        .iter()
        .find(|i| i.kind() == ItemKind::Single)
        .map(|i| i.id.clone())
        .unwrap_or_else(|| panic!("a single item"));
    if let Some(item) = lib.bank.items.iter_mut().find(|i| i.id == id) {
        item.shuffle = false;
    }
    let item = lib.bank.item(&id).unwrap_or_else(|| panic!("{id}"));
    let written: Vec<String> = match &item.body {
        ItemBody::Single { options } => options.iter().map(|o| o.text.clone()).collect(),
        _ => vec![],
    };
    for seed in 0..200 {
        let s = session(&lib, &[&id], seed);
        assert_eq!(s.items[0].arrangement, None);
        let shown = present(&s, &lib.bank, 0).unwrap_or_else(|| panic!("present"));
        let texts: Vec<String> = shown.options.iter().map(|o| o.text.clone()).collect();
        assert_eq!(texts, written, "seed {seed}");
    }
}

/// The parts of the presented item as shown: text per display letter (per slot for drop-downs).
fn shown_parts(s: &Session, lib: &Library) -> Vec<Vec<(char, String)>> {
    let p = present(s, &lib.bank, 0).unwrap_or_else(|| panic!("present"));
    let flat = |v: &[certprep_domain::present::Labelled]| {
        v.iter().map(|l| (l.label, l.text.clone())).collect()
    };
    if !p.slots.is_empty() {
        return p.slots.iter().map(|s| flat(&s.choices)).collect();
    }
    vec![flat(
        [&p.options, &p.actions, &p.sources]
            .into_iter()
            .find(|v| !v.is_empty())
            .map_or(&[][..], Vec::as_slice),
    )]
}

/// The authored text of a label (in a drop-down's slot `k`).
fn authored_text(item: &Item, label: char, slot: usize) -> String {
    let text = match &item.body {
        ItemBody::Single { options } | ItemBody::Multiple { options, .. } => options
            .iter()
            .find(|o| o.label == label)
            .map(|o| o.text.clone()),
        ItemBody::Order { actions } => actions
            .iter()
            .find(|a| a.label == label)
            .map(|a| a.text.clone()),
        ItemBody::Match { sources, .. } => sources
            .iter()
            .find(|s| s.label == label)
            .map(|s| s.text.clone()),
        ItemBody::Dropdown { slots } => slots[slot]
            .choices
            .iter()
            .find(|c| c.label == label)
            .map(|c| c.text.clone()),
        _ => None,
    };
    text.unwrap_or_default()
}

#[test]
fn an_answer_in_the_letters_shown_is_graded_and_logged_in_the_authors_letters() {
    let lib = library();
    for kind in [
        ItemKind::Single,
        ItemKind::Multiple,
        ItemKind::Order,
        ItemKind::Match,
        ItemKind::Dropdown,
    ] {
        let item = lib
            .bank
            .items
            .iter()
            .find(|i| i.kind() == kind && i.shuffle && i.group.is_none())
            .unwrap_or_else(|| panic!("no {kind:?} item"));
        // A seed whose arrangement moves at least one part, so letters really differ.
        let (mut s, parts) = (0..50)
            .map(|seed| {
                let s = session(&lib, &[&item.id], seed);
                let parts = shown_parts(&s, &lib);
                (s, parts)
            })
            .find(|(s, _)| {
                let a = s.items[0].arrangement.clone().unwrap_or_default();
                a.parts
                    .iter()
                    .enumerate()
                    .any(|(i, p)| usize::from(*p) != i)
                    || a.slots
                        .iter()
                        .any(|sl| sl.iter().enumerate().any(|(i, p)| usize::from(*p) != i))
            })
            .unwrap_or_else(|| panic!("no seed moves {}", item.id));
        // The candidate finds each key part by its text among the parts shown.
        let authored = key(&item.body);
        let by_text = |label: char, slot: usize| -> char {
            let text = authored_text(item, label, slot);
            parts[slot.min(parts.len() - 1)]
                .iter()
                .find(|(_, t)| *t == text)
                .map(|(l, _)| *l)
                .unwrap_or_else(|| panic!("{text} not shown"))
        };
        let dropdown = kind == ItemKind::Dropdown;
        let given = match authored.clone() {
            Answer::Choice(c) => Answer::Choice(by_text(c, 0)),
            Answer::Labels(v) => Answer::Labels(
                v.into_iter()
                    .enumerate()
                    .map(|(i, l)| l.map(|c| by_text(c, if dropdown { i } else { 0 })))
                    .collect(),
            ),
            other => other,
        };
        assert_ne!(given, authored, "{kind:?}: the letters shown differ");
        let response = s
            .answer(&lib.bank, &item.id, given.clone(), t0())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            response.answer,
            authored.normalise(item).unwrap_or_else(|e| panic!("{e}")),
            "{kind:?}: logged in the author's letters"
        );
        assert_eq!(
            response.points, response.max_points,
            "{kind:?}: graded right"
        );
        // Shown back in the candidate's letters, with the key in the same letters.
        let p = present(&s, &lib.bank, 0).unwrap_or_else(|| panic!("present"));
        let expected_shown = given.normalise(item).unwrap_or_else(|e| panic!("{e}"));
        let shown_back = match (&expected_shown, p.answer.clone()) {
            (Answer::Labels(_), Some(Answer::Labels(mut v))) if kind == ItemKind::Multiple => {
                v.sort_unstable();
                Some(Answer::Labels(v))
            }
            (_, other) => other,
        };
        let mut expected_sorted = expected_shown.clone();
        if let (ItemKind::Multiple, Answer::Labels(v)) = (kind, &mut expected_sorted) {
            v.sort_unstable();
        }
        assert_eq!(shown_back, Some(expected_sorted.clone()), "{kind:?}");
        let feedback = p.feedback.unwrap_or_else(|| panic!("study feedback"));
        assert_eq!(
            feedback.key, expected_sorted,
            "{kind:?}: key in display letters"
        );
    }
}

#[test]
fn a_resumed_session_shows_the_same_order() {
    let lib = library();
    let ids: Vec<&str> = lib
        .bank
        .items
        .iter()
        .filter(|i| i.group.is_none())
        .take(10)
        .map(|i| i.id.as_str())
        .collect();
    let s = session(&lib, &ids, 77);
    let stored = serde_json_roundtrip(&s);
    for position in 0..ids.len() {
        assert_eq!(
            present(&s, &lib.bank, position),
            present(&stored, &lib.bank, position)
        );
    }
}

fn serde_json_roundtrip(s: &Session) -> Session {
    let json = serde_json::to_string(s).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_session_stored_before_shuffling_keeps_the_written_order() {
    let lib = library();
    let item = lib
        .bank
        .items
        .iter()
        .find(|i| i.kind() == ItemKind::Single && i.group.is_none())
        .unwrap_or_else(|| panic!("single"));
    let s = session(&lib, &[&item.id], 5);
    let mut json: serde_json::Value = serde_json::to_value(&s).unwrap_or_else(|e| panic!("{e}"));
    // What a stored session of an earlier version looks like: no arrangement, no flag.
    json.as_object_mut().map(|o| o.remove("shuffled"));
    json["items"][0]
        .as_object_mut()
        .map(|o| o.remove("arrangement"));
    let old: Session = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
    assert!(!old.shuffled);
    let shown = present(&old, &lib.bank, 0).unwrap_or_else(|| panic!("present"));
    let written: Vec<char> = match &item.body {
        ItemBody::Single { options } => options.iter().map(|o| o.label).collect(),
        _ => vec![],
    };
    assert_eq!(
        shown.options.iter().map(|o| o.label).collect::<Vec<_>>(),
        written
    );
}
