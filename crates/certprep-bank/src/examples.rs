//! The complete examples of `docs/bank-format.md`: the bodies of its ````` ````markdown `````
//! fences. Tests use them as a small bank with one item of every type, so the specification and
//! the code cannot drift apart.

/// The text of every ````` ````markdown ````` fence of a document, in order.
pub fn markdown_examples(document: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in document.lines() {
        match (&mut current, line) {
            (None, "````markdown") => current = Some(vec![]),
            (Some(lines), "````") => {
                out.push(lines.join("\n"));
                current = None;
            }
            (Some(lines), _) => lines.push(line),
            (None, _) => {}
        }
    }
    out
}

/// The examples as one bank file: standalone items first under a title, then the groups.
pub fn examples_bank(document: &str) -> String {
    let mut examples = markdown_examples(document);
    examples.sort_by_key(|e| e.starts_with('#'));
    format!("# Examples\n\n{}", examples.join("\n\n"))
}
