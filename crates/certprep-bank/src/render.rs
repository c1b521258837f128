//! Syntax tree → bank file text, in the canonical layout of `docs/bank-format.md`.
//! `parse(render(tree)) == tree` for every tree `parse` can produce.

use std::fmt::Write as _;

use crate::syntax::{BankFile, Block, BlockHead, Entry, ItemDoc, Meta, SectionBody, Text};

pub fn render(bank: &BankFile) -> String {
    let mut out = String::new();
    for block in &bank.blocks {
        render_block(&mut out, block);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// A block's head, meta, prose and tabs without its items; followed by
/// [`render_item_text`] of each item it is what [`render`] writes for the block, so a large
/// file can be written item by item.
pub fn render_block_head(block: &Block) -> String {
    let mut out = String::new();
    render_head(&mut out, block);
    out
}

/// One item as [`render`] writes it inside its block.
pub fn render_item_text(item: &ItemDoc) -> String {
    let mut out = String::new();
    render_item(&mut out, item);
    out
}

fn render_block(out: &mut String, block: &Block) {
    render_head(out, block);
    for item in &block.items {
        render_item(out, item);
    }
}

fn render_head(out: &mut String, block: &Block) {
    match &block.head {
        BlockHead::Plain(Some(title)) => paragraph(out, &format!("# {}", title.value)),
        BlockHead::Plain(None) => {}
        BlockHead::CaseStudy(id) => paragraph(out, &format!("# Case study: {}", id.value)),
        BlockHead::Series(id) => paragraph(out, &format!("# Series: {}", id.value)),
    }
    render_meta(out, block.meta.as_ref());
    text(out, &block.prose);
    for tab in &block.tabs {
        paragraph(out, &format!("## Tab: {}", tab.name.value));
        text(out, &tab.content);
    }
}

fn render_item(out: &mut String, item: &ItemDoc) {
    paragraph(out, &format!("## Item: {}", item.id.value));
    render_meta(out, item.meta.as_ref());
    text(out, &item.stem);
    for section in &item.sections {
        paragraph(out, &format!("### {}", section.name.value));
        match &section.body {
            SectionBody::Text(t) => text(out, t),
            SectionBody::Entries(entries) if entries.is_empty() => {}
            SectionBody::Entries(entries) => {
                for entry in entries {
                    render_entry(out, entry);
                }
                out.push('\n');
            }
        }
    }
}

fn render_meta(out: &mut String, meta: Option<&Meta>) {
    let Some(meta) = meta else { return };
    out.push_str("```meta\n");
    for entry in &meta.entries {
        let _ = writeln!(out, "{}: {}", entry.key.value, entry.value.value);
    }
    out.push_str("```\n\n");
}

fn render_entry(out: &mut String, entry: &Entry) {
    out.push_str("- ");
    if let Some(mark) = &entry.mark {
        let _ = write!(out, "[{}] ", mark.value);
    }
    if let Some(label) = &entry.label {
        let _ = write!(out, "{}. ", label.value);
    }
    out.push_str(&entry.text.value);
    out.push('\n');
    if !entry.note.is_empty() {
        for line in entry.note.text.split('\n') {
            if !line.is_empty() {
                out.push_str("  ");
                out.push_str(line);
            }
            out.push('\n');
        }
    }
}

fn paragraph(out: &mut String, line: &str) {
    out.push_str(line);
    out.push_str("\n\n");
}

fn text(out: &mut String, t: &Text) {
    if !t.is_empty() {
        out.push_str(&t.text);
        out.push_str("\n\n");
    }
}
