//! The `certprep` binary: parses the command line, loads the content, and hands each command to
//! the library crates. It owns presentation (tables, JSON) and nothing else.

mod advise;
mod cli;
mod commands;
mod content;
mod disputes;
mod files;
mod interchange;
mod learning;
mod qa;
mod server;
mod session;
mod table;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: many small allocations (importing and loading banks) cost far less than with the
/// system allocator. Built without transparent huge pages (`no_thp` in Cargo.toml): on machines
/// with THP `always` every arena was committed in 2 MiB pages, which doubled a command's memory;
/// see docs/PERFORMANCE.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            // A refusal (bad input, an exam rule) is 1; anything else is 2.
            if e.downcast_ref::<session::Refused>().is_some() {
                ExitCode::FAILURE
            } else {
                ExitCode::from(2)
            }
        }
    }
}
