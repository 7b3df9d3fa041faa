//! `cargo xtask verify`: generate each fixture with the real binary, run its stack's toolchain on
//! it, start the service, and run the conformance suite against it.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use backend_gen_core::StackInfo;
use backend_gen_core::contract::CONTRACT;
use backend_gen_core::verification::Verification;

use crate::conformance;
use crate::fixtures::{self, Fixture};
use crate::process::{Outcome, StepResult};
use crate::project::{self, Project};
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
        let binary = project::build_binary()?;
        let registry = backend_gen::registry::registry()?;

        let mut results = Vec::new();
        for fixture in &fixtures {
            let info = fixture.stack(&registry)?;
            let workdir = fixture.workdir("verify")?;
            println!("== {} ({}) in {}", fixture.id, info.id, workdir.path().display());
            let verification = fixture.verification(&registry)?;
            results.extend(verify_fixture(&binary, fixture, info, &verification, workdir.path())?);
            if keep {
                println!("   kept in {}", workdir.keep().display());
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

fn verify_fixture(
    binary: &Path,
    fixture: &Fixture,
    info: &StackInfo,
    verification: &Verification,
    workdir: &Path,
) -> Result<Vec<StepResult>> {
    let mut results = Vec::new();
    let mut record = |step: &str, (outcome, duration, log): (Outcome, Duration, String)| {
        println!("   {:<5} {step} ({:.1} s)", outcome.label(), duration.as_secs_f64());
        results.push(StepResult { fixture: fixture.id.clone(), step: step.to_owned(), outcome, duration, log });
        outcome
    };

    let (project, generated) = Project::generate(binary, fixture, workdir)?;
    if record("generate", generated) != Outcome::Pass {
        return Ok(results);
    }
    // After a failure or a missing tool, later steps cannot mean anything: they are skipped, never passed.
    let mut blocked: Option<String> = None;
    for command in verification.chains.iter().flat_map(|c| &c.steps) {
        let result = match &blocked {
            Some(reason) => (Outcome::Skip, Duration::ZERO, reason.clone()),
            None => project.run(command),
        };
        if result.0 != Outcome::Pass && blocked.is_none() {
            blocked = Some(format!("an earlier step (`{}`) did not pass", command.name));
        }
        record(&command.name, result);
    }

    let skip = |reason: &String| (Outcome::Skip, Duration::ZERO, reason.clone());
    let live = match &blocked {
        Some(reason) => skip(reason),
        None => timed(|| smoke(&project, verification)),
    };
    if record("serve /health/live", live) != Outcome::Pass && blocked.is_none() {
        blocked = Some("the service did not start".to_owned());
    }
    let suite = |database_url: Option<&str>| match &blocked {
        Some(reason) => skip(reason),
        None => match conformance::run_suite(&project, info, verification, &fixture.id, database_url) {
            Ok(report) => conformance::as_step(&report),
            Err(e) => (Outcome::Fail, Duration::ZERO, format!("{e:#}")),
        },
    };
    record("conformance", suite(None));
    // The same migrations and SQL against PostgreSQL, once per stack (its default fixture).
    if fixture.id == format!("{}-default", info.id) {
        let result = match std::env::var(conformance::DATABASE_URL_ENV) {
            Ok(url) if !url.is_empty() => suite(Some(&url)),
            _ => {
                skip(&format!("no PostgreSQL: set {} to a database URL (.ci/run does)", conformance::DATABASE_URL_ENV))
            }
        };
        record("conformance postgresql", result);
    }
    Ok(results)
}

fn timed(check: impl FnOnce() -> Result<()>) -> (Outcome, Duration, String) {
    let started = Instant::now();
    match check() {
        Ok(()) => (Outcome::Pass, started.elapsed(), String::new()),
        Err(e) => (Outcome::Fail, started.elapsed(), format!("{e:#}")),
    }
}

/// Starts the service as its README says (with the generated `.env`) and waits for `/health/live`.
fn smoke(project: &Project, verification: &Verification) -> Result<()> {
    let serve = &verification.serve.step;
    let program =
        project.locate(serve).with_context(|| format!("`{}` does not exist after the install", serve.program))?;
    let log_path = project.dir.join(".smoke-service.log");
    let mut service = Service::start(&project.dir, &program, &serve.args, &[], &log_path)?;
    let waited = service.wait_until_ok(CONTRACT.paths.health_live);
    waited.map(drop).with_context(|| format!("service log:\n{}", service.log()))
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
