//! `cargo xtask verify`: generate each fixture with the real binary, then run its stack's toolchain.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use backend_gen_core::contract::CONTRACT;
use backend_gen_core::name::ProjectName;
use backend_gen_core::{Command, StackInfo};

use crate::fixtures::{self, Fixture};
use crate::process::{self, Outcome, StepResult};
use crate::smoke::Service;

#[derive(Debug, clap::Args)]
pub struct Verify {
    /// Only the fixtures of this stack.
    #[arg(long)]
    stack: Option<String>,
    /// Only this fixture (its file name in `fixtures/` without `.toml`).
    #[arg(long)]
    fixture: Option<String>,
    /// Treat a skipped step (missing toolchain) as a failure, as CI does.
    #[arg(long)]
    strict: bool,
    /// Keep the generated projects and print where they are.
    #[arg(long)]
    keep: bool,
}

impl Verify {
    pub fn run(self) -> Result<()> {
        let Self { stack, fixture, strict, keep } = self;
        let fixtures = fixtures::load(stack.as_deref(), fixture.as_deref())?;
        let binary = build_binary()?;
        let registry = backend_gen::registry::registry();

        let mut results = Vec::new();
        for fixture in &fixtures {
            let info = registry.stacks().find(|s| s.id == fixture.answers.stack).with_context(|| {
                format!("fixture `{}` names the unregistered stack `{}`", fixture.id, fixture.answers.stack)
            })?;
            let workdir = tempfile::Builder::new().prefix(&format!("verify-{}-", fixture.id)).tempdir()?;
            println!("== {} ({}) in {}", fixture.id, info.id, workdir.path().display());
            results.extend(verify_fixture(&binary, fixture, info, workdir.path())?);
            if keep {
                let kept = workdir.keep();
                println!("   kept in {}", kept.display());
            }
        }
        print_report(&results);

        let failed = results.iter().filter(|r| r.outcome == Outcome::Fail).count();
        let skipped = results.iter().filter(|r| r.outcome == Outcome::Skip).count();
        let passed = results.len() - failed - skipped;
        println!("verify: {passed} passed, {failed} failed, {skipped} skipped");
        if failed > 0 {
            bail!("{failed} verification step(s) failed");
        }
        if strict && skipped > 0 {
            bail!("{skipped} verification step(s) skipped under --strict: install the missing toolchains");
        }
        Ok(())
    }
}

/// Builds the real binary once, so each fixture is generated exactly as a user would.
fn build_binary() -> Result<PathBuf> {
    let root = crate::workspace_root();
    let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["build", "--quiet", "--package", "backend-gen"])
        .current_dir(&root)
        .status()?;
    anyhow::ensure!(status.success(), "building backend-gen failed");
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Ok(target.join("debug").join("backend-gen"))
}

fn verify_fixture(binary: &Path, fixture: &Fixture, info: &StackInfo, workdir: &Path) -> Result<Vec<StepResult>> {
    let name = ProjectName::parse(&fixture.answers.name)?;
    let project = workdir.join(&name.raw);
    let mut results = Vec::new();
    let mut record = |step: &str, outcome, duration, log: String| {
        println!("   {:<5} {step} ({:.1} s)", Outcome::label(outcome), Duration::as_secs_f64(&duration));
        results.push(StepResult { fixture: fixture.id.clone(), step: step.to_owned(), outcome, duration, log });
        outcome
    };

    let args = [
        "new".to_owned(),
        "--answers".to_owned(),
        fixture.path.display().to_string(),
        "--output".to_owned(),
        workdir.display().to_string(),
        "--no-git".to_owned(),
    ];
    let (outcome, duration, log) = process::run(workdir, &binary.display().to_string(), &args, &[]);
    if record("generate", outcome, duration, log) != Outcome::Pass {
        return Ok(results);
    }

    let mut blocked: Option<String> = None;
    for step in info.verification.steps {
        if let Some(reason) = &blocked {
            record(step.name, Outcome::Skip, Duration::ZERO, reason.clone());
            continue;
        }
        let Some(program) = process::locate(&project, step.program) else {
            let reason = format!("`{}` is not installed (not on PATH)", step.program);
            blocked = Some(reason.clone());
            record(step.name, Outcome::Skip, Duration::ZERO, reason);
            continue;
        };
        let (outcome, duration, log) =
            process::run(&project, &program.display().to_string(), &expand(step, &name), &[]);
        if record(step.name, outcome, duration, log) == Outcome::Fail {
            blocked = Some(format!("an earlier step (`{}`) failed", step.name));
        }
    }

    let serve = &info.verification.serve;
    let step = "serve /health/live";
    match (&blocked, process::locate(&project, &expand_program(serve, &name))) {
        (Some(reason), _) => {
            record(step, Outcome::Skip, Duration::ZERO, reason.clone());
        }
        (None, None) => {
            record(step, Outcome::Fail, Duration::ZERO, format!("`{}` does not exist after the build", serve.program));
        }
        (None, Some(program)) => {
            let started = Instant::now();
            let (outcome, log) = match smoke(&project, &program, &expand(serve, &name)) {
                Ok(()) => (Outcome::Pass, String::new()),
                Err(e) => (Outcome::Fail, format!("{e:#}")),
            };
            record(step, outcome, started.elapsed(), log);
        }
    }
    Ok(results)
}

fn smoke(project: &Path, program: &Path, args: &[String]) -> Result<()> {
    let mut service = Service::start(project, program, args, &[])?;
    let waited = service.wait_until_ok(CONTRACT.paths.health_live);
    waited.map(|_| ()).with_context(|| format!("service log:\n{}", service.log()))
}

fn expand(command: &Command, name: &ProjectName) -> Vec<String> {
    command.args.iter().map(|a| a.replace("{kebab}", &name.kebab).replace("{snake}", &name.snake)).collect()
}

fn expand_program(command: &Command, name: &ProjectName) -> String {
    command.program.replace("{kebab}", &name.kebab).replace("{snake}", &name.snake)
}

fn print_report(results: &[StepResult]) {
    println!("\n{:<24} {:<22} {:<6} {:>9}", "fixture", "step", "result", "seconds");
    for r in results {
        println!("{:<24} {:<22} {:<6} {:>9.1}", r.fixture, r.step, r.outcome.label(), r.duration.as_secs_f64());
    }
    for r in results.iter().filter(|r| r.outcome != Outcome::Pass) {
        println!("\n---- {} / {}: {} ----\n{}", r.fixture, r.step, r.outcome.label(), r.log.trim_end());
    }
}
