//! The pure domain of certprep: exams and their dated outlines, items and their answer keys,
//! grading, outline comparison and bank coverage.
//!
//! Invariant: nothing here performs I/O or reads the clock. Callers pass "today" in.

pub mod arrange;
pub mod diff;
pub mod dispute;
pub mod exam;
pub mod form;
pub mod grading;
pub mod item;
pub mod names;
pub mod present;
pub mod report;
pub mod session;
pub mod stats;

pub use exam::{Catalog, Domain, Exam, ExamCode, ExamStatus, Objective, Outline, OutlineRef};
pub use grading::{Answer, Score, grade};
pub use item::{Bank, Item, ItemBody, ItemKind};
