//! certprep's native content formats.
//!
//! - [`parse`] and [`render`]: bank Markdown ⇄ syntax tree ([`syntax`]), lossless.
//! - [`lower`]: syntax tree → domain items, with the per-file lint checks.
//! - [`catalog`]: exam catalog and service-name TOML → domain types.
//! - [`load`]: layers of files → a [`load::Library`], with the cross-file checks.
//! - [`forms`]: fixed practice forms, checked against the bank and the outline's weights.
//! - [`qa`]: content QA over a loaded bank: lint, near-duplicates, answer cues, coverage.
//!
//! Everything here works on text handed in by the caller: this crate reads no files, so the
//! embedded content and a user's `--bank DIR` go through the same code.

pub mod catalog;
pub mod diag;
pub mod examples;
pub mod forms;
pub mod load;
pub mod lower;
pub mod parse;
pub mod qa;
pub mod render;
pub mod syntax;

pub use diag::{Diagnostic, Severity};
pub use load::{AdvisorFile, Library, Loaded, Source, load, load_onto};
pub use parse::parse;
pub use render::{render, render_block_head, render_item_text};
