//! Every example in `docs/bank-format.md` is a complete, valid item that lints clean and
//! round-trips, so the specification cannot drift from the parser.

mod common;

use certprep_bank::{parse, render};

const SPEC: &str = include_str!("../../../docs/bank-format.md");

fn examples() -> Vec<String> {
    certprep_bank::examples::markdown_examples(SPEC)
}

#[test]
fn every_example_lints_clean_and_round_trips() {
    let examples = examples();
    assert_eq!(examples.len(), 8, "one example per type plus a case study");
    for example in &examples {
        assert_eq!(common::messages(example), Vec::<String>::new(), "{example}");
        let (tree, _) = parse("spec.md", example);
        assert_eq!(parse("spec.md", &render(&tree)).0, tree);
    }
}

#[test]
fn the_examples_cover_every_type() {
    let all = examples().join("\n\n");
    let loaded = common::lint(&all);
    let mut kinds: Vec<&str> = loaded
        .library
        .bank
        .items
        .iter()
        .map(|i| i.kind().name())
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(
        kinds,
        [
            "dropdown", "match", "multiple", "order", "single", "solution", "yesno"
        ]
    );
    assert_eq!(loaded.library.bank.case_studies.len(), 1);
    assert_eq!(loaded.library.bank.series.len(), 1);
}
