//! One test per lint check, each with the exact message it prints.

mod common;

use common::messages;

/// A valid single-choice item; tests change one thing in it.
const VALID: &str = "\
# Bank

## Item: t-001

```meta
type: single
ai-103@2026-04-16: secure-access
difficulty: 2
reviewed: 2026-11-01
```

Contoso needs keyless access. What should it use?

### Options

- [x] A. A managed identity
- [ ] B. An API key in code
  Keys are secrets.
- [ ] C. A SAS token
  SAS is for Storage.

### Explanation

Managed identities need no secret.

### References

- https://learn.microsoft.com/azure/ai-services/authentication#overview
";

fn with(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "fixture lacks {from:?}");
    VALID.replacen(from, to, 1)
}

fn assert_messages(text: &str, expected: &[&str]) {
    assert_eq!(messages(text), expected);
}

#[test]
fn valid_item_is_clean() {
    assert_messages(VALID, &[]);
}

#[test]
fn ids_must_be_unique() {
    let text = format!("{VALID}\n{}", VALID.replacen("# Bank\n", "", 1));
    assert_messages(
        &text,
        &["t.md:31:10: duplicate id `t-001`: first defined at t.md:3:10"],
    );
}

#[test]
fn ids_must_be_well_formed() {
    assert_messages(
        &with("## Item: t-001", "## Item: T_001"),
        &["t.md:3:10: invalid id `T_001`: expected lower-case letters, digits and hyphens"],
    );
}

#[test]
fn single_needs_exactly_one_key() {
    assert_messages(
        &with("- [ ] C. A SAS token", "- [x] C. A SAS token"),
        &["t.md:14:5: a `single` item needs exactly one `[x]` option, found 2"],
    );
}

#[test]
fn multiple_needs_choose_keys() {
    let text = with("type: single", "type: multiple\nchoose: 2");
    assert_messages(
        &text,
        &["t.md:15:5: `choose: 2` needs exactly 2 `[x]` options, found 1"],
    );
}

#[test]
fn multiple_needs_choose() {
    assert_messages(
        &with("type: single", "type: multiple"),
        &["t.md:3:10: a `multiple` item needs `choose: N` in its meta block"],
    );
}

#[test]
fn options_must_be_distinct() {
    assert_messages(
        &with("- [ ] C. A SAS token", "- [ ] C. a  managed identity"),
        &["t.md:19:10: duplicate entry: same text as line 16"],
    );
}

#[test]
fn labels_run_in_order() {
    assert_messages(
        &with("- [ ] C. A SAS token", "- [ ] D. A SAS token"),
        &["t.md:19:7: expected label `C.` here (labels run A, B, C, … in each list), found `D.`"],
    );
}

#[test]
fn distractors_need_notes() {
    assert_messages(
        &with("  SAS is for Storage.\n", ""),
        &["t.md:19:1: distractor needs a note: an indented line under it saying why"],
    );
}

#[test]
fn explanation_is_required() {
    assert_messages(
        &with(
            "### Explanation\n\nManaged identities need no secret.\n\n",
            "",
        ),
        &["t.md:3:10: missing `### Explanation` section"],
    );
}

#[test]
fn a_learn_reference_is_required() {
    assert_messages(
        &with(
            "https://learn.microsoft.com/azure/ai-services/authentication",
            "https://example.com/auth",
        ),
        &["t.md:26:5: at least one reference must be on https://learn.microsoft.com/"],
    );
}

#[test]
fn objectives_must_exist_in_the_named_outline() {
    assert_messages(
        &with(
            "ai-103@2026-04-16: secure-access",
            "ai-103@2026-04-16: secure-acess",
        ),
        &["t.md:7:20: objective `secure-acess` does not exist in outline ai-103@2026-04-16"],
    );
    assert_messages(
        &with("ai-103@2026-04-16", "ai-103@2025-01-01"),
        &["t.md:7:20: exam `ai-103` has no outline dated 2025-01-01: expected one of 2026-04-16"],
    );
    assert_messages(
        &with(
            "ai-103@2026-04-16: secure-access",
            "ai-103@2026-04-16: create-resource",
        ),
        &["t.md:7:20: objective `create-resource` does not exist in outline ai-103@2026-04-16"],
    );
}

#[test]
fn items_must_serve_an_outline() {
    assert_messages(
        &with("ai-103@2026-04-16: secure-access\n", ""),
        &["t.md:3:10: the item serves no outline: add an `EXAM@DATE: objective` line"],
    );
}

#[test]
fn renamed_services_are_flagged_for_outlines_after_the_rename() {
    assert_messages(
        &with(
            "Contoso needs keyless access.",
            "Contoso uses Form Recognizer and Azure AI Studio.",
        ),
        &[
            "t.md:12:14: `Form Recognizer` is not a current name for outline ai-103@2026-04-16 (renamed or retired 2023-07-12): write `Document Intelligence`",
            "t.md:12:34: `Azure AI Studio` is not a current name for outline ai-103@2026-04-16 (renamed or retired 2024-11-19): write `Azure AI Foundry (now Microsoft Foundry)`",
        ],
    );
    // "formerly" is allowed, and so is a role name that kept the old brand.
    assert_messages(
        &with(
            "Contoso needs keyless access.",
            "Document Intelligence (formerly Form Recognizer) and the Cognitive Services OpenAI User role.",
        ),
        &[],
    );
    // The same name is fine for an outline that predates the rename.
    let old = with(
        "ai-103@2026-04-16: secure-access",
        "ai-102@2024-03-28: manage-auth",
    )
    .replace(
        "Contoso needs keyless access.",
        "Contoso uses Azure AI Studio.",
    );
    assert_messages(&old, &[]);
}

#[test]
fn difficulty_and_dates_are_checked() {
    assert_messages(
        &with("difficulty: 2", "difficulty: 7"),
        &[
            "t.md:3:10: missing `difficulty:` (on the item or its group)",
            "t.md:8:13: difficulty must be 1 to 5, found `7`",
        ],
    );
    assert_messages(
        &with("reviewed: 2026-11-01", "reviewed: 2027-01-01"),
        &[
            "t.md:3:10: missing `reviewed:` (on the item or its group)",
            "t.md:9:11: reviewed date 2027-01-01 is in the future",
        ],
    );
    assert_messages(
        &with("reviewed: 2026-11-01", "reviewed: 2025-01-01"),
        &["t.md:9:11: warning: last reviewed 2025-01-01, more than a year ago"],
    );
}

#[test]
fn unknown_keys_and_types_are_reported() {
    assert_messages(
        &with("difficulty: 2", "difficulty: 2\ncolour: blue"),
        &[
            "t.md:9:1: unknown key `colour`: expected type, difficulty, tags, reviewed, version, choose, reuse, shuffle or EXAM@DATE",
        ],
    );
    assert_messages(
        &with("type: single", "type: essay"),
        &[
            "t.md:3:10: missing `type:` in the meta block",
            "t.md:6:7: unknown type `essay`: expected single, multiple, order, match, dropdown, yesno or solution",
        ],
    );
}

const ORDER: &str = "\
## Item: t-order

```meta
type: order
ai-103@2026-04-16: ingest-index
difficulty: 3
reviewed: 2026-11-01
```

Put the steps in order.

### Actions

- [2] A. Create the index
- [ ] B. Create a knowledge store
  Not needed to index.
- [1] C. Create the data source
- [3] D. Create the indexer

### Explanation

The indexer needs the other two.

### References

- https://learn.microsoft.com/azure/search/search-howto-create-indexers#overview
";

#[test]
fn order_positions_run_without_gaps() {
    assert_messages(ORDER, &[]);
    assert_messages(
        &ORDER.replace("- [3] D.", "- [4] D."),
        &["t.md:12:5: answer positions must run 1, 2, … without gaps or repeats, found 1, 2, 4"],
    );
    assert_messages(
        &ORDER.replace("- [ ] B.", "- [x] B."),
        &["t.md:15:4: expected a position (1, 2, …) or a blank `[ ]`, found `[x]`"],
    );
    assert_messages(
        &ORDER.replace("  Not needed to index.\n", ""),
        &["t.md:15:1: unused action needs a note: an indented line under it saying why"],
    );
}

const MATCH: &str = "\
## Item: t-match

```meta
type: match
ai-103@2026-04-16: choose-services
difficulty: 2
reviewed: 2026-11-01
```

Match each need to a service.

### Sources

- A. Azure AI Search
- B. Azure Translator
- C. Azure Speech
  No audio is involved.

### Targets

- [A] Search documents
- [B] Translate text

### Explanation

Each service does one job.

### References

- https://learn.microsoft.com/azure/search/search-what-is-azure-search#overview
";

#[test]
fn match_keys_name_sources_and_respect_reuse() {
    assert_messages(MATCH, &[]);
    assert_messages(
        &MATCH.replace("- [B] Translate text", "- [E] Translate text"),
        &[
            "t.md:15:1: unused source needs a note: an indented line under it saying why",
            "t.md:22:1: target names source `E`, which is not among the sources",
        ],
    );
    let twice = MATCH.replace("- [B] Translate text", "- [A] Find text");
    assert_messages(
        &twice,
        &[
            "t.md:14:1: source `A` is used by 2 targets but `reuse` is not `yes`",
            "t.md:15:1: unused source needs a note: an indented line under it saying why",
        ],
    );
    let reusable = twice
        .replace("type: match", "type: match\nreuse: yes")
        .replace(
            "- B. Azure Translator",
            "- B. Azure Translator\n  Nothing to translate.",
        );
    assert_messages(&reusable, &[]);
}

const DROPDOWN: &str = "\
## Item: t-drop

```meta
type: dropdown
ai-103@2026-04-16: connect-app
difficulty: 3
reviewed: 2026-11-01
```

Complete the code.

```python
credential = {{1}}()
client = project.{{2}}()
```

### Slot 1

- [x] A. DefaultAzureCredential
- [ ] B. AzureKeyCredential
  Wraps a key.

### Slot 2

- [ ] A. get_search_client
  Not a method.
- [x] B. get_openai_client

### Explanation

Entra ID, then the OpenAI client.

### References

- https://learn.microsoft.com/azure/ai-foundry/how-to/develop/sdk-overview#overview
";

#[test]
fn dropdown_slots_match_placeholders() {
    assert_messages(DROPDOWN, &[]);
    assert_messages(
        &DROPDOWN.replace("client = project.{{2}}()", "client = project.get()"),
        &["t.md:23:5: slot 2 has no `{{2}}` placeholder in the stem"],
    );
    assert_messages(
        &DROPDOWN.replace("credential = {{1}}()", "credential = {{3}}()"),
        &[
            "t.md:10:1: placeholder `{{3}}` has no `### Slot 3` section",
            "t.md:17:5: slot 1 has no `{{1}}` placeholder in the stem",
        ],
    );
    assert_messages(
        &DROPDOWN.replace("- [ ] B. AzureKeyCredential", "- [x] B. AzureKeyCredential"),
        &["t.md:17:5: slot 1 needs exactly one `[x]` choice, found 2"],
    );
}

const GRID: &str = "\
## Item: t-grid

```meta
type: yesno
ai-103@2026-04-16: guardrails
difficulty: 2
reviewed: 2026-11-01
```

Select Yes or No.

### Statements

- [yes] Filters see prompts.
  They do.
- [no] Blocklists replace categories.
  They add to them.

### Explanation

Both directions are filtered.

### References

- https://learn.microsoft.com/azure/ai-foundry/openai/concepts/content-filter#overview
";

#[test]
fn statements_need_yes_or_no_and_notes() {
    assert_messages(GRID, &[]);
    assert_messages(
        &GRID.replace("- [no] Blocklists", "- [maybe] Blocklists"),
        &["t.md:16:4: expected `[yes]` or `[no]`, found `[maybe]`"],
    );
    assert_messages(
        &GRID.replace("  They do.\n", ""),
        &["t.md:14:1: statement needs a note: an indented line under it saying why"],
    );
}

const SERIES: &str = "\
# Series: t-series

```meta
ai-103@2026-04-16: rag
difficulty: 3
reviewed: 2026-11-01
```

Answers must be grounded in the company's articles.

## Item: t-series-1

### Solution

- [no] Raise the temperature.

### Explanation

Temperature does not ground answers.

### References

- https://learn.microsoft.com/azure/ai-foundry/concepts/retrieval-augmented-generation#overview

## Item: t-series-2

### Solution

- [yes] Retrieve passages and add them to the prompt.

### Explanation

That is RAG.

### References

- https://learn.microsoft.com/azure/ai-foundry/concepts/retrieval-augmented-generation#overview
";

#[test]
fn series_hold_only_solutions_and_solutions_only_series() {
    assert_messages(SERIES, &[]);
    assert_messages(
        &SERIES.replace(
            "- [no] Raise the temperature.",
            "- [no] Raise the temperature.\n- [yes] And retrieve.",
        ),
        &["t.md:13:5: a `solution` item needs exactly one `- [yes]` or `- [no]` entry, found 2"],
    );
    assert_messages(
        &VALID.replace("type: single", "type: solution"),
        &[
            "t.md:3:10: missing `### Solution` section",
            "t.md:6:7: a `solution` item belongs in a `# Series:` group",
            "t.md:14:5: a `solution` item has no `### Options` section",
        ],
    );
}

#[test]
fn case_studies_need_a_title_and_tabs() {
    let case = "\
# Case study: t-case

```meta
difficulty: 3
reviewed: 2026-11-01
```

## Item: t-case-1
";
    let msgs = messages(case);
    assert!(
        msgs.contains(
            &"t.md:1:15: a case study needs at least one `## Tab: NAME` section".to_string()
        ),
        "{msgs:?}"
    );
    assert!(
        msgs.contains(&"t.md:1:15: a case study needs `title:` in its meta block".to_string()),
        "{msgs:?}"
    );
}

#[test]
fn structure_errors_say_what_was_expected() {
    assert_messages(
        &with("### Options", "### Choices"),
        &[
            "t.md:3:10: missing `### Options` section",
            "t.md:14:5: unknown section `### Choices`: expected Options, Actions, Sources, Targets, Slot N, Statements, Solution, Explanation or References",
        ],
    );
    assert_messages(
        &with("```meta\n", "").replacen("reviewed: 2026-11-01\n```\n", "reviewed: 2026-11-01\n", 1),
        &["t.md:3:10: expected a ```meta block after the `## Item:` heading"],
    );
}

#[test]
fn a_reference_must_link_to_the_section_that_backs_the_key() {
    let text = with(
        "- https://learn.microsoft.com/azure/ai-services/authentication#overview",
        "- https://learn.microsoft.com/azure/ai-services/authentication",
    );
    assert_messages(
        &text,
        &[
            "t.md:26:5: no reference links to the section that backs the key: add the heading's anchor to a learn.microsoft.com address (https://learn.microsoft.com/…/page#heading)",
        ],
    );
    // An anchor on another site does not count; an empty anchor does not either.
    let text = with(
        "- https://learn.microsoft.com/azure/ai-services/authentication#overview",
        "- https://learn.microsoft.com/azure/ai-services/authentication#\n- https://example.com/page#section",
    );
    assert_eq!(messages(&text).len(), 1, "{:?}", messages(&text));
}

#[test]
fn a_file_with_content_but_no_item_is_an_error() {
    let text = "Notes about the bank\n\n- [x] A. An option\n  - [ ] B. Another\n\n### Options\n";
    assert_messages(
        text,
        &[
            "t.md:1:1: this file holds no item: each question starts with a `## Item: ID` heading (see docs/bank-format.md)",
            "t.md:3:1: an option line outside any item: options belong under `### Options` (or Actions, Sources, Targets, Slot N, Statements) of an `## Item: ID`",
            "t.md:4:3: an option line outside any item: options belong under `### Options` (or Actions, Sources, Targets, Slot N, Statements) of an `## Item: ID`",
            "t.md:6:1: `### Options` outside any item: put it under an `## Item: ID` heading",
        ],
    );
}

#[test]
fn option_lines_before_the_first_item_are_errors_but_prose_and_code_are_not() {
    let text = format!(
        "# Bank\n\nSome prose, a list:\n\n- one\n- two\n\n```\n- [x] A. inside code\n### Options\n```\n\n- [ ] B. stray\n\n{}",
        VALID.replacen("# Bank\n", "", 1)
    );
    assert_messages(
        &text,
        &[
            "t.md:13:1: an option line outside any item: options belong under `### Options` (or Actions, Sources, Targets, Slot N, Statements) of an `## Item: ID`",
        ],
    );
}

#[test]
fn an_empty_file_is_no_error() {
    assert_messages("\n\n", &[]);
}
