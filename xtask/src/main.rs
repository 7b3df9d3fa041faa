//! Workspace tasks, run as `cargo xtask <task>`: one module per task, each with `run(self)`.

mod bench;
mod browser;
mod ci;
mod conformance;
mod fixtures;
mod interrupt;
mod new_generator;
mod postgres;
mod process;
mod project;
mod resolve_names;
mod service;
mod step;
mod toolchain;
mod verify;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "backend-gen's workspace tasks")]
enum Task {
    /// Generate every fixture and run its stack's real toolchain on it.
    Verify(verify::Verify),
    /// Run the black-box contract suite against each stack's generated service.
    Conformance(conformance::Conformance),
    /// Everything CI checks: fmt, clippy, tests, then `verify --strict`.
    Ci(ci::Ci),
    /// Time `backend-gen new` (release build) and each stack's new → green loop, phase by phase.
    Bench(bench::Bench),
    /// Write (or `--check`) the package names of each stack's resolved dependency tree.
    ResolveNames(resolve_names::ResolveNames),
    /// Scaffold a new stack: its crate, template folder, fixture and registration line.
    NewGenerator(new_generator::NewGenerator),
}

fn main() -> ExitCode {
    let result = match Task::parse() {
        Task::Verify(task) => task.run(),
        Task::Conformance(task) => task.run(),
        Task::Ci(task) => task.run(),
        Task::Bench(task) => task.run(),
        Task::NewGenerator(task) => task.run(),
        Task::ResolveNames(task) => task.run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root, whatever folder `cargo xtask` was started from.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
