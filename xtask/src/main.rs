//! Workspace tasks, run as `cargo xtask <task>`: one module per task, each with `run(self)`.

mod bench;
mod bench_service;
mod browser;
mod ci;
mod conformance;
mod fixtures;
mod interrupt;
mod new_generator;
mod page;
mod postgres;
mod process;
mod project;
mod resolve_names;
mod service;
mod starter;
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
    /// Drive `backend-gen serve`'s page in headless Chromium; `--screenshots DIR` writes the README's.
    Page(PageTask),
    /// Drive each stack's generated service and its bare twin with wrk; print what the contract layer costs.
    BenchService(bench_service::BenchService),
    /// Write (or `--check`) the package names of each stack's resolved dependency tree.
    ResolveNames(resolve_names::ResolveNames),
    /// Scaffold a new stack: its crate, template folder, fixture and registration line.
    NewGenerator(new_generator::NewGenerator),
}

#[derive(Debug, clap::Args)]
struct PageTask {
    /// Write `serve-light.png` and `serve-dark.png` into this folder.
    #[arg(long, value_name = "DIR")]
    screenshots: Option<PathBuf>,
}

impl PageTask {
    fn run(self) -> anyhow::Result<()> {
        let chromium = browser::chromium().ok_or_else(|| anyhow::anyhow!("Chromium is not installed"))?;
        let binary = project::build_binary(project::Profile::Debug)?;
        let starter = starter::Starter::start(&binary)?;
        let report = page::check(&chromium, &starter, &binary, self.screenshots.as_deref())?;
        println!(
            "page: loaded in {:.0} ms, zip downloaded in {:.0} ms; every check passed",
            report.load.as_secs_f64() * 1000.0,
            report.download.as_secs_f64() * 1000.0
        );
        Ok(())
    }
}

fn main() -> ExitCode {
    let result = match Task::parse() {
        Task::Verify(task) => task.run(),
        Task::Conformance(task) => task.run(),
        Task::Ci(task) => task.run(),
        Task::Bench(task) => task.run(),
        Task::Page(task) => task.run(),
        Task::BenchService(task) => task.run(),
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
