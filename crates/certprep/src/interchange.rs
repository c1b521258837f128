//! `certprep import` and `certprep export`: question banks from and to other tools (Moodle
//! GIFT and XML, IMS QTI, CSV, Markdown checkbox banks, Anki text and packages) through
//! `certprep-interchange`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use certprep_bank::Library;
use certprep_domain::OutlineRef;
use certprep_domain::item::Reference;
use certprep_interchange::{Format, ImportOptions, Issue};
use chrono::NaiveDate;
use serde_json::json;

use crate::session::{Refused, print_json};

/// What `certprep import` was given.
pub struct ImportCommand<'a> {
    pub files: &'a [PathBuf],
    pub out: &'a Path,
    pub format: Option<&'a str>,
    pub objectives: &'a [String],
    pub references: &'a [String],
    pub difficulty: Option<u8>,
    pub force: bool,
    pub json: bool,
}

fn format_named(name: &str) -> Result<Format> {
    Format::from_name(name).ok_or_else(|| {
        Refused(format!(
            "{name:?} is not a format: gift, moodle-xml, qti (qti3), qti21, csv, markdown, anki-txt or apkg"
        ))
        .into()
    })
}

/// `EXAM@DATE:obj1,obj2` into the objectives map.
fn objectives(args: &[String]) -> Result<BTreeMap<OutlineRef, Vec<String>>> {
    let mut map = BTreeMap::new();
    for arg in args {
        let (outline, ids) = arg.split_once(':').ok_or_else(|| {
            Refused(format!(
                "--objective {arg}: write EXAM@DATE:OBJECTIVE[,OBJECTIVE…], such as ai-103@2026-04-16:rag"
            ))
        })?;
        let outline: OutlineRef = outline
            .trim()
            .parse()
            .map_err(|e| Refused(format!("--objective {arg}: {e}")))?;
        let ids: Vec<String> = ids
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if ids.is_empty() {
            return Err(Refused(format!("--objective {arg}: name at least one objective")).into());
        }
        map.entry(outline).or_insert_with(Vec::new).extend(ids);
    }
    Ok(map)
}

/// Every file under a package folder, as (path relative to it with `/`, bytes).
fn package_files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).with_context(|| format!("cannot read {}", d.display()))?;
        for entry in entries {
            let path = entry
                .with_context(|| format!("cannot read {}", d.display()))?
                .path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                out.push((relative, bytes));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn print_issue(issue: &Issue) {
    eprintln!("{issue}");
}

/// How many issues with the same severity and message are shown in full.
const SHOWN_PER_MESSAGE: usize = 10;

/// Shows an import's issues as they are found, on one buffered stream: the first
/// [`SHOWN_PER_MESSAGE`] with each message in full, and the rest counted and summed up at the
/// end, so that a bank where every question lacks an explanation gives a dozen lines, not one
/// per question (`--json` lists every issue).
struct IssuePrinter {
    out: std::io::BufWriter<std::io::Stderr>,
    /// How many issues had each message: warnings, errors (looked up once per issue: a
    /// fast hasher).
    seen: foldhash::HashMap<String, [usize; 2]>,
}

impl IssuePrinter {
    fn new() -> Self {
        IssuePrinter {
            out: std::io::BufWriter::new(std::io::stderr()),
            seen: foldhash::HashMap::default(),
        }
    }

    fn show(&mut self, issue: &Issue) {
        use std::io::Write as _;
        // Looked up by reference: the message is copied once per kind, not once per issue.
        let counts = match self.seen.get_mut(&issue.message) {
            Some(counts) => counts,
            None => self.seen.entry(issue.message.clone()).or_default(),
        };
        let count = &mut counts[usize::from(issue.is_error())];
        *count += 1;
        if *count <= SHOWN_PER_MESSAGE {
            // A closed stderr is no reason to stop an import.
            let _ = writeln!(self.out, "{issue}");
        }
    }

    /// Sums up what was not shown, and empties the buffer.
    fn finish(&mut self) {
        use std::io::Write as _;
        let mut hidden: Vec<_> = self
            .seen
            .drain()
            .flat_map(|(message, counts)| {
                ["warning", "error"]
                    .into_iter()
                    .zip(counts)
                    .map(move |(kind, n)| (kind, message.clone(), n))
            })
            .filter(|(_, _, n)| *n > SHOWN_PER_MESSAGE)
            .collect();
        // Warnings before errors, as they are counted.
        hidden.sort_by(|a, b| (a.0 == "error", &a.1).cmp(&(b.0 == "error", &b.1)));
        for (kind, message, n) in hidden {
            let _ = writeln!(
                self.out,
                "… and {} more {kind}(s) like the above: {message}",
                n - SHOWN_PER_MESSAGE
            );
        }
        let _ = self.out.flush();
    }
}

pub fn import(library: &Library, c: ImportCommand<'_>, today: NaiveDate) -> Result<ExitCode> {
    let format = c.format.map(format_named).transpose()?;
    let mut opts = ImportOptions::new(today);
    opts.objectives = objectives(c.objectives)?;
    opts.references = c
        .references
        .iter()
        .map(|url| Reference {
            title: None,
            url: url.clone(),
        })
        .collect();
    if let Some(d) = c.difficulty {
        opts.difficulty = d;
    }
    opts.library = Some(library.clone());
    let mut reports = Vec::new();
    let mut any_error = false;
    for (k, file) in c.files.iter().enumerate() {
        let shown = file.display().to_string();
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "imported".into());
        let target = c.out.join(format!("{stem}.md"));
        if target.exists() && !c.force {
            return Err(Refused(format!(
                "{} exists: give --force to replace it, or another --out folder",
                target.display()
            ))
            .into());
        }
        // The bank file is written item by item beside its target, and renamed over it only
        // when the import ends with at least one item: an error leaves nothing half-written.
        let mut bank_file = crate::files::AtomicFile::create(&target)?;
        // Issues are shown as they are found; `--json` also keeps them for its report.
        let mut kept_issues: Vec<String> = Vec::new();
        let mut printer = IssuePrinter::new();
        let mut report = |issue: Issue| {
            printer.show(&issue);
            if c.json {
                kept_issues.push(issue.to_string());
            }
        };
        let result = if file.is_dir() {
            // A folder is an unpacked content package (imsmanifest.xml and the files it names).
            certprep_interchange::import_package(&shown, package_files(file)?, &opts).and_then(
                |imported| {
                    bank_file
                        .writer()
                        .write_all(imported.markdown.as_bytes())
                        .map_err(|e| certprep_interchange::ImportError::Write {
                            file: shown.clone(),
                            message: e.to_string(),
                        })?;
                    for issue in &imported.issues {
                        report(issue.clone());
                    }
                    Ok(certprep_interchange::ImportSummary {
                        format: imported.format,
                        ids: imported.items.iter().map(|i| i.id.clone()).collect(),
                        warnings: imported.warnings().count(),
                        errors: imported.errors().count(),
                        encoding: imported.encoding,
                    })
                },
            )
        } else {
            // Read as it comes: a large GIFT file is never held whole.
            std::fs::File::open(file).with_context(|| format!("cannot read {shown}"))?;
            certprep_interchange::import_stream(
                &shown,
                || std::fs::File::open(file),
                format,
                &opts,
                bank_file.writer(),
                &mut report,
            )
        };
        printer.finish();
        let imported = match result {
            Ok(i) => i,
            Err(e) => {
                any_error = true;
                eprintln!("{e}");
                reports.push(json!({ "file": shown, "error": e.to_string() }));
                continue;
            }
        };
        let written = !imported.ids.is_empty();
        if written {
            bank_file.commit()?;
        }
        let errors = imported.errors;
        any_error |= errors > 0;
        if !c.json {
            println!(
                "{shown}: {} item(s) imported as {}{} ({} warning(s), {errors} not imported)",
                imported.ids.len(),
                imported.format.name(),
                if written {
                    format!(" → {}", target.display())
                } else {
                    String::new()
                },
                imported.warnings
            );
        }
        reports.push(json!({
            "file": shown,
            "format": imported.format.name(),
            "items": imported.ids.len(),
            "warnings": imported.warnings,
            "errors": errors,
            "encoding": imported.encoding,
            "written": written.then(|| target.display().to_string()),
            "issues": kept_issues,
        }));
        // Later files must not reuse this one's ids.
        if k + 1 < c.files.len() {
            opts.taken_ids.extend(imported.ids);
        }
    }
    if c.json {
        print_json(&reports)?;
    }
    Ok(if any_error {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

pub fn export(
    library: &Library,
    format: &str,
    exam: Option<&str>,
    out: &Path,
    json_out: bool,
) -> Result<ExitCode> {
    let format = format_named(format)?;
    let exported = if format == Format::Apkg {
        let now = chrono::Utc::now();
        crate::session::runtime()?.block_on(certprep_interchange::export_apkg(library, exam, now))
    } else {
        certprep_interchange::export(library, exam, format)
    }
    .map_err(|e| Refused(e.to_string()))?;
    for issue in &exported.issues {
        print_issue(issue);
    }
    crate::files::write_atomically(out, &exported.bytes)?;
    if json_out {
        print_json(&json!({
            "format": format.name(),
            "items": exported.items,
            "warnings": exported.issues.len(),
            "written": out.display().to_string(),
        }))?;
    } else {
        println!(
            "{} item(s) written to {} as {} ({} warning(s))",
            exported.items,
            out.display(),
            format.name(),
            exported.issues.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
