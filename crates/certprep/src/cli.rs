//! The command line.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "certprep",
    version,
    about = "Prepare for certification exams: practice questions, exam rules, outlines and coverage.",
    after_help = "With no command, prints an overview of the exams and the bank."
)]
pub struct Cli {
    /// Add a folder of your own banks (`*.md`) and exams (`*.toml`); its items replace embedded
    /// items with the same id. May be given several times.
    #[arg(long = "bank", value_name = "DIR", global = true)]
    pub banks: Vec<PathBuf>,

    /// Treat this day as today (for statuses and review-date checks).
    #[arg(
        long,
        value_name = "YYYY-MM-DD",
        global = true,
        env = "CERTPREP_TODAY",
        hide = true
    )]
    pub today: Option<NaiveDate>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The exam catalog: status, retirement, successor, outlines.
    Exams(ExamsArgs),
    /// Check and measure question banks.
    #[command(subcommand)]
    Bank(BankCommand),
}

#[derive(Debug, Args)]
pub struct ExamsArgs {
    #[command(subcommand)]
    pub command: Option<ExamsCommand>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExamsCommand {
    /// One exam: facts, domains, weights and objectives of an outline version.
    Show {
        /// Exam code, such as AI-103.
        code: String,
        /// Outline version (default: the newest).
        #[arg(long, value_name = "YYYY-MM-DD")]
        outline: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// What changed between two outlines: `ai-102@2024-03-28 ai-102@2025-12-23`, or two exams.
    Diff {
        /// CODE or CODE@DATE (a bare code means its newest outline).
        from: String,
        /// CODE or CODE@DATE.
        to: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum BankCommand {
    /// Check bank files; with no path, the embedded bank. Exit status 1 when anything is wrong.
    Lint {
        /// Files or folders to check.
        paths: Vec<PathBuf>,
    },
    /// Items per domain, objective, type and difficulty for an exam outline, and the gaps.
    Stats {
        /// Exam code, such as AI-103.
        #[arg(long)]
        exam: String,
        /// Outline version (default: the newest).
        #[arg(long, value_name = "YYYY-MM-DD")]
        outline: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
}
