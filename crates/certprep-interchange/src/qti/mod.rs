//! IMS QTI 2.1, 2.2 and 3.0 (<https://www.imsglobal.org/spec/qti/v3p0/impl>), read with
//! quick-xml and the zip crate; QTI 3.0 written as a content package.
//!
//! **What is read.** A lone item file (`assessmentItem` / `qti-assessment-item`); a content
//! package, as a zip with `imsmanifest.xml` ([`crate::import`]) or as the files of its
//! unpacked folder ([`crate::import_package`]). In a package the manifest's tests are walked
//! (each section's title path becomes the items' category), and items the manifest lists
//! outside any test are read too; a package without a manifest is read through its tests, or
//! its item files when it has none. Items reached only through a test are found by their
//! `href`, relative to the test.
//!
//! | QTI interaction | certprep |
//! |---|---|
//! | `choiceInteraction`, one correct choice | `single` (two choices: a one-slot `dropdown`) |
//! | `choiceInteraction`, several correct | `multiple` |
//! | `orderInteraction` | `order` (choices outside the correct order are unused actions) |
//! | `matchInteraction` | `match` (the side whose choices have one partner is the targets); a second set of exactly Yes and No is a `yesno` grid |
//! | `associateInteraction` | `match` when the key's pairs are disjoint (the first of each pair is a target) |
//! | `inlineChoiceInteraction` (one or more, alone) | `dropdown`, one slot per interaction |
//! | text entry, hotspot, gap match, hottext, slider, extended text, graphic, select point, position object, upload, drawing, media, end attempt, custom/PCI | not imported, reported |
//!
//! The key is the `correctResponse`, or the mapping's positive entries when there is none;
//! response-processing templates are recognised by name (`match_correct`, `map_response`,
//! `map_response_point`) whatever their URL, and custom processing is not interpreted
//! (scores become one point per correct part). `modalFeedback` and feedback blocks become
//! the explanation; `feedbackInline` inside a choice, or any feedback whose identifier is a
//! choice's, becomes that choice's note. Template (cloned) items, items with several
//! interactions and items without a key are reported and not imported. Relative media paths
//! (`img`, `object`) are kept as written, with a warning naming them; MathML is kept as its
//! text; a shared stimulus (`assessmentStimulusRef`) is copied before the stem.
//!
//! Export writes a QTI 3.0 content package, or a QTI 2.1 one (the same documents translated
//! element by element, `v21`).

mod export;
pub mod item;
mod v21;
pub mod xml;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;

use certprep_bank::syntax::Pos;

pub use export::Version;
pub(crate) use export::export;
use item::{Context, resolve};
use xml::El;

use crate::native::Draft;
use crate::{ImportError, Issue};

/// Largest file read from a zip, and largest total (a guard against zip bombs).
const MAX_ENTRY: u64 = 64 << 20;
const MAX_TOTAL: u64 = 512 << 20;

/// Whether bytes look like a QTI document or package (for format detection).
pub fn looks_like_qti(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"PK\x03\x04") {
        return bytes.windows(15).any(|w| w == b"imsmanifest.xml");
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    [
        "<assessmentItem",
        "<qti-assessment-item",
        "<assessmentTest",
        "<qti-assessment-test",
        "imsqti_",
        "imsqtiasi_v3p0",
        "<questestinterop",
        "qtiv3p0/imscp",
    ]
    .iter()
    .any(|m| head.contains(m))
}

/// Drafts of a lone QTI file (one item), or why it cannot be read alone.
pub(crate) fn drafts(
    file: &str,
    source: &str,
    issues: &mut Vec<Issue>,
) -> Result<Vec<Draft>, ImportError> {
    let root = xml::parse(file, source)?;
    let refuse = |message: &str| {
        Err(ImportError::Unrecognised {
            file: file.to_string(),
            message: message.to_string(),
        })
    };
    match root.name.as_str() {
        "assessmentItem" => {
            let ctx = Context {
                file,
                path: "",
                category: None,
                stimulus: &|_| None,
                exists: None,
            };
            Ok(item::draft(&ctx, source, &root, issues)
                .into_iter()
                .collect())
        }
        "assessmentTest" => refuse(
            "this is a QTI assessment test: its items are separate files, so import the content package (the .zip, or its unpacked folder) instead of the test alone",
        ),
        "assessmentSection" => refuse(
            "this is a QTI assessment section: import the content package (the .zip, or its unpacked folder) it belongs to",
        ),
        "manifest" => refuse(
            "this is a content package's manifest: import the package (the .zip, or its unpacked folder) instead",
        ),
        "assessmentStimulus" => refuse(
            "this is a QTI shared stimulus (a passage items refer to), not a question: import the package of the items that use it",
        ),
        "questestinterop" => refuse(
            "this is QTI 1.x (`<questestinterop>`), which is not read: export QTI 2.1 or 3.0 from the source tool",
        ),
        "quiz" => refuse("this is Moodle XML, not QTI: use --format moodle-xml"),
        other => refuse(&format!(
            "expected a QTI assessment item (`<assessmentItem>` or `<qti-assessment-item>`), found `<{other}>`"
        )),
    }
}

/// A package's files: the XML ones with their bytes, every name for media checks.
pub(crate) struct Package {
    name: String,
    xml: BTreeMap<String, Vec<u8>>,
    names: BTreeSet<String>,
}

fn clean_path(p: &str) -> String {
    resolve("", p)
}

impl Package {
    /// From the files of an unpacked folder (paths relative to it).
    pub fn from_files(name: &str, files: Vec<(String, Vec<u8>)>) -> Self {
        let mut xml = BTreeMap::new();
        let mut names = BTreeSet::new();
        for (path, bytes) in files {
            let path = clean_path(&path);
            names.insert(path.clone());
            if path.to_ascii_lowercase().ends_with(".xml") {
                xml.insert(path, bytes);
            }
        }
        Package {
            name: name.trim_end_matches(['/', '\\']).to_string(),
            xml,
            names,
        }
    }

    /// From a zip archive in memory.
    pub fn from_zip(
        name: &str,
        bytes: &[u8],
        issues: &mut Vec<Issue>,
    ) -> Result<Self, ImportError> {
        let unreadable = |e: &dyn std::fmt::Display| ImportError::Unrecognised {
            file: name.to_string(),
            message: format!("not a readable zip archive: {e}"),
        };
        let mut archive =
            zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
        let mut xml = BTreeMap::new();
        let mut names = BTreeSet::new();
        let mut total: u64 = 0;
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).map_err(|e| unreadable(&e))?;
            if entry.is_dir() {
                continue;
            }
            let Some(path) = entry.enclosed_name() else {
                issues.push(Issue::warning(
                    name,
                    Pos::default(),
                    None,
                    format!(
                        "zip entry `{}` skipped: its path leaves the package",
                        entry.name().unwrap_or_default()
                    ),
                ));
                continue;
            };
            let path = clean_path(&path.to_string_lossy());
            names.insert(path.clone());
            if !path.to_ascii_lowercase().ends_with(".xml") {
                continue;
            }
            if entry.size() > MAX_ENTRY || total + entry.size() > MAX_TOTAL {
                issues.push(Issue::warning(
                    name,
                    Pos::default(),
                    None,
                    format!("`{path}` skipped: larger than the package size limit"),
                ));
                continue;
            }
            let mut data = Vec::new();
            (&mut entry)
                .take(MAX_ENTRY + 1)
                .read_to_end(&mut data)
                .map_err(|e| ImportError::Unrecognised {
                    file: format!("{name}/{path}"),
                    message: format!("cannot unpack: {e}"),
                })?;
            total += data.len() as u64;
            xml.insert(path, data);
        }
        Ok(Package {
            name: name.to_string(),
            xml,
            names,
        })
    }

    fn shown(&self, path: &str) -> String {
        format!("{}/{path}", self.name)
    }

    /// A file's text and root element, or the issue that stops it.
    fn read(&self, path: &str) -> Result<(String, El), ImportError> {
        let shown = self.shown(path);
        let Some(bytes) = self.xml.get(path) else {
            return Err(ImportError::Unrecognised {
                file: shown,
                message: "not in the package".into(),
            });
        };
        let text = crate::text::decode(&shown, bytes)?.text.into_owned();
        let root = xml::parse(&shown, &text)?;
        Ok((text, root))
    }
}

/// Where a test or manifest named a file: (file as shown, position).
type NamedAt = Option<(String, Pos)>;

/// Which files to read, in order, with their category and where they were named.
struct Plan {
    items: Vec<(String, Option<String>, NamedAt)>,
}

/// A walk through a package's tests.
struct Walk<'a> {
    pkg: &'a Package,
    plan: &'a mut Plan,
    issues: &'a mut Vec<Issue>,
}

fn find_manifest(pkg: &Package) -> Option<String> {
    if pkg.xml.contains_key("imsmanifest.xml") {
        return Some("imsmanifest.xml".into());
    }
    let mut found: Vec<&String> = pkg
        .xml
        .keys()
        .filter(|p| p.ends_with("/imsmanifest.xml"))
        .collect();
    found.sort_by_key(|p| p.matches('/').count());
    found.first().map(|p| (*p).clone())
}

fn walk_section(
    w: &mut Walk<'_>,
    section: &El,
    file: &str,
    source: &str,
    path: &[String],
    depth: usize,
) {
    let pkg = w.pkg;
    let mut path = path.to_vec();
    if let Some(title) = section.attr("title").map(crate::text::one_line)
        && !title.is_empty()
    {
        path.push(title);
    }
    let category = (!path.is_empty()).then(|| path.join("/"));
    let shown = pkg.shown(file);
    for child in section.children() {
        let pos = item::pos_of(source, child);
        match child.name.as_str() {
            "selection" => {
                let n = child.attr("select").unwrap_or("some");
                w.issues.push(Issue::warning(
                    &shown,
                    pos,
                    None,
                    format!(
                        "section `{}` delivers {n} of its items at random: all of them are imported",
                        section.attr("identifier").unwrap_or("")
                    ),
                ));
            }
            "assessmentItemRef" => {
                let href = child.attr("href").unwrap_or("");
                w.plan.items.push((
                    resolve(file, href),
                    category.clone(),
                    Some((shown.clone(), pos)),
                ));
            }
            "assessmentSection" if depth < 32 => {
                walk_section(w, child, file, source, &path, depth + 1);
            }
            "assessmentSectionRef" if depth < 32 => {
                let target = resolve(file, child.attr("href").unwrap_or(""));
                match pkg.read(&target) {
                    Ok((text, root)) if root.name == "assessmentSection" => {
                        walk_section(w, &root, &target, &text, &path, depth + 1);
                    }
                    Ok(_) => w.issues.push(Issue::error(
                        &shown,
                        pos,
                        None,
                        format!("section file `{target}` does not hold an assessment section"),
                    )),
                    Err(e) => w.issues.push(Issue::error(
                        &shown,
                        pos,
                        None,
                        format!("section file `{target}` not read: {e}"),
                    )),
                }
            }
            _ => {}
        }
    }
}

fn walk_test(pkg: &Package, file: &str, plan: &mut Plan, issues: &mut Vec<Issue>) {
    let (text, root) = match pkg.read(file) {
        Ok(r) => r,
        Err(e) => {
            issues.push(Issue::error(
                &pkg.shown(file),
                Pos::default(),
                None,
                format!("test not read: {e}"),
            ));
            return;
        }
    };
    let title: Vec<String> = root
        .attr("title")
        .map(crate::text::one_line)
        .filter(|t| !t.is_empty())
        .into_iter()
        .collect();
    let mut w = Walk { pkg, plan, issues };
    for part in root.all("testPart") {
        for section in part.all("assessmentSection") {
            walk_section(&mut w, section, file, &text, &title, 0);
        }
        for r in part.all("assessmentSectionRef") {
            let mut wrapper = El {
                name: "assessmentSection".into(),
                ..El::default()
            };
            wrapper.children.push(xml::Node::El(r.clone()));
            walk_section(&mut w, &wrapper, file, &text, &title, 0);
        }
    }
}

/// The drafts of a package's items.
pub(crate) fn package_drafts(
    pkg: &Package,
    issues: &mut Vec<Issue>,
) -> Result<Vec<Draft>, ImportError> {
    let mut plan = Plan { items: vec![] };
    let mut tests: Vec<String> = Vec::new();
    let mut listed: Vec<(String, NamedAt)> = Vec::new();
    if let Some(manifest) = find_manifest(pkg) {
        let (text, root) = pkg.read(&manifest)?;
        if root.name != "manifest" {
            return Err(ImportError::Unrecognised {
                file: pkg.shown(&manifest),
                message: format!("expected a `<manifest>`, found `<{}>`", root.name),
            });
        }
        let resources: Vec<&El> = root
            .child("resources")
            .map(|r| r.all("resource").collect())
            .unwrap_or_default();
        for r in resources {
            let kind = r.attr("type").unwrap_or("").to_ascii_lowercase();
            let Some(href) = r.attr("href") else { continue };
            let path = resolve(&manifest, href);
            let at = Some((pkg.shown(&manifest), item::pos_of(&text, r)));
            if kind.contains("imsqti_test") {
                tests.push(path);
            } else if kind.contains("imsqti_item") {
                listed.push((path, at));
            }
        }
        if tests.is_empty() && listed.is_empty() {
            return Err(ImportError::Unrecognised {
                file: pkg.shown(&manifest),
                message: "the manifest lists no QTI test or item resource (is this a QTI package?)"
                    .into(),
            });
        }
    } else {
        for path in pkg.xml.keys() {
            let Ok((_, root)) = pkg.read(path) else {
                continue;
            };
            match root.name.as_str() {
                "assessmentTest" => tests.push(path.clone()),
                "assessmentItem" => listed.push((path.clone(), None)),
                _ => {}
            }
        }
        if tests.is_empty() && listed.is_empty() {
            return Err(ImportError::Unrecognised {
                file: pkg.name.clone(),
                message: "no imsmanifest.xml, and no QTI test or item file: this is not a QTI content package".into(),
            });
        }
    }
    for t in &tests {
        walk_test(pkg, t, &mut plan, issues);
    }
    // Items listed outside any test.
    let reached: BTreeSet<String> = plan.items.iter().map(|(p, ..)| p.clone()).collect();
    for (path, at) in listed {
        if !reached.contains(&path) {
            plan.items.push((path, None, at));
        }
    }
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for (path, category, at) in plan.items {
        if !done.insert(path.clone()) {
            continue;
        }
        let shown = pkg.shown(&path);
        let (text, root) = match pkg.read(&path) {
            Ok(r) => r,
            Err(e) => {
                let (file, pos) = at.unwrap_or((shown.clone(), Pos::default()));
                let message = match &e {
                    ImportError::Unrecognised { message, .. }
                        if message == "not in the package" =>
                    {
                        format!("not imported: item file `{path}` is not in the package")
                    }
                    other => format!("not imported: item file `{path}`: {other}"),
                };
                issues.push(Issue::error(&file, pos, None, message));
                continue;
            }
        };
        if root.name != "assessmentItem" {
            issues.push(Issue::error(
                &shown,
                Pos::new(1, 1),
                None,
                format!(
                    "not imported: expected an assessment item, found `<{}>`",
                    root.name
                ),
            ));
            continue;
        }
        let stimulus = |href: &str| -> Option<String> {
            let target = resolve(&path, href);
            let (_, root) = pkg.read(&target).ok()?;
            let body = root.child("stimulusBody")?;
            let mut special = |_: &El| None;
            Some(crate::text::html_to_markdown(&xml::html(
                &body.children,
                &mut special,
            )))
        };
        let exists = |p: &str| pkg.names.contains(p);
        let ctx = Context {
            file: &shown,
            path: &path,
            category,
            stimulus: &stimulus,
            exists: Some(&exists),
        };
        if let Some(d) = item::draft(&ctx, &text, &root, issues) {
            out.push(d);
        }
    }
    Ok(out)
}
