//! `cargo xtask conformance`: one black-box suite, written against `CONTRACT.md`, run over real
//! HTTP against the generated service of every stack.

mod cases;
mod http;
mod tokens;

use std::net::Ipv4Addr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use backend_gen_core::StackInfo;
use backend_gen_core::contract::CONTRACT;
use backend_gen_core::secret::Secret;
use backend_gen_core::verification::Verification;
use serde::Serialize;

pub use self::cases::Failure;
use self::cases::{CASES, Ctx, ServiceConfig};
use self::tokens::Tokens;
use crate::fixtures;
use crate::process::Outcome;
use crate::project::{self, Project};
use crate::smoke::Service;

/// The service's settings during a run: low limits so the limits can be reached.
const ALLOWED_ORIGIN: &str = "https://app.example.com";
const RATE_LIMIT_PER_MINUTE: u32 = 10;
const MAX_BODY_BYTES: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Conformance {
    /// Only this stack (default: every stack with a `<stack>-default` fixture).
    #[arg(long)]
    stack: Option<String>,
    /// Run this fixture instead of each stack's `<stack>-default`.
    #[arg(long)]
    fixture: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Run the services against this PostgreSQL database (`postgresql://…`) instead of their embedded one.
    #[arg(long, value_name = "URL", env = DATABASE_URL_ENV)]
    database_url: Option<String>,
}

/// Where verification finds a PostgreSQL database for the services (`.ci/run` provides one).
pub const DATABASE_URL_ENV: &str = "BACKEND_GEN_TEST_DATABASE_URL";

/// The outcome of one case.
#[derive(Debug, Serialize)]
pub struct CaseResult {
    pub id: &'static str,
    pub passed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
}

/// One suite run against one generated service.
#[derive(Debug, Serialize)]
pub struct SuiteReport {
    pub stack: String,
    pub fixture: String,
    /// `postgresql` when run against `--database-url`, else the stack's embedded database.
    pub database: &'static str,
    pub seconds: f64,
    pub cases: Vec<CaseResult>,
}

impl SuiteReport {
    pub fn failed(&self) -> usize {
        self.cases.iter().filter(|c| !c.passed).count()
    }
}

impl Conformance {
    pub fn run(self) -> Result<()> {
        let Self { stack, fixture, format, database_url } = self;
        let mut fixtures = fixtures::load(stack.as_deref(), fixture.as_deref())?;
        if fixture.is_none() {
            fixtures.retain(|f| f.id == format!("{}-default", f.answers.stack));
        }
        anyhow::ensure!(!fixtures.is_empty(), "no `<stack>-default` fixture to run; pass `--fixture`");
        let binary = project::build_binary()?;
        let registry = backend_gen::registry::registry()?;

        let mut reports = Vec::new();
        for fixture in &fixtures {
            let info = fixture.stack(&registry)?;
            let workdir = fixture.workdir("conformance")?;
            let (project, (outcome, _, log)) = Project::generate(&binary, fixture, workdir.path())?;
            anyhow::ensure!(outcome == Outcome::Pass, "generating `{}` failed:\n{log}", fixture.id);
            let verification = fixture.verification(&registry)?;
            let chain = verification.chains.iter().find(|c| c.name == verification.serve.after);
            // The first step of the serving chain installs; the checks after it are `verify`'s job.
            if let Some(install) = chain.and_then(|c| c.steps.first()) {
                let (outcome, _, log) = project.run(install);
                anyhow::ensure!(outcome == Outcome::Pass, "installing `{}` failed:\n{log}", fixture.id);
            }
            let report = run_suite(&project, info, &verification, &fixture.id, database_url.as_deref())?;
            if format == Format::Text {
                print_report(&report);
            }
            reports.push(report);
        }
        if format == Format::Json {
            println!("{}", serde_json::to_string_pretty(&serde_json::json!({ "runs": reports }))?);
        } else if reports.len() > 1 {
            print_matrix(&reports);
        }
        let failed: usize = reports.iter().map(SuiteReport::failed).sum();
        let total: usize = reports.iter().map(|r| r.cases.len()).sum();
        if format == Format::Text {
            println!("conformance: {} passed, {failed} failed", total - failed);
        }
        if failed > 0 {
            bail!("{failed} conformance case(s) failed");
        }
        Ok(())
    }
}

/// Starts the installed project's service with the suite's settings (and `database_url`, if any),
/// runs every case, stops it.
pub fn run_suite(
    project: &Project,
    info: &StackInfo,
    verification: &Verification,
    fixture: &str,
    database_url: Option<&str>,
) -> Result<SuiteReport> {
    let started = Instant::now();
    let serve = &verification.serve.step;
    let program =
        project.locate(serve).with_context(|| format!("`{}` does not exist after the install", serve.program))?;
    let secret = Secret::generate()?;
    let config = ServiceConfig {
        secret: secret.expose().to_owned(),
        issuer: project.name.kebab.clone(),
        title: project.name.title.clone(),
        allowed_origin: ALLOWED_ORIGIN,
        rate_limit_per_minute: RATE_LIMIT_PER_MINUTE,
        max_body_bytes: MAX_BODY_BYTES,
        log_path: project.dir.join(".conformance-service.log"),
    };
    let tokens = Tokens::mint(&config.secret, &config.issuer, &config.issuer)?;
    let mut env = vec![
        ("JWT_SECRET", config.secret.clone()),
        ("CORS_ORIGINS", ALLOWED_ORIGIN.to_owned()),
        ("RATE_LIMIT_PER_MINUTE", RATE_LIMIT_PER_MINUTE.to_string()),
        ("MAX_BODY_BYTES", MAX_BODY_BYTES.to_string()),
    ];
    env.extend(database_url.map(|url| ("DATABASE_URL", url.to_owned())));
    let mut service = Service::start(&project.dir, &program, &serve.args, &env, &config.log_path)?;
    service.wait_until_ok(CONTRACT.paths.health_ready).with_context(|| format!("service log:\n{}", service.log()))?;

    let mut results = Vec::with_capacity(CASES.len());
    for (index, case) in CASES.iter().enumerate() {
        let ctx = Ctx { server: service.addr, source: source_address(index), tokens: &tokens, config: &config };
        // A panicking case is a failed case; the service is stopped either way when `service` drops.
        let failure = match catch_unwind(AssertUnwindSafe(|| (case.run)(&ctx))) {
            Ok(Ok(())) => None,
            Ok(Err(failure)) => Some(failure),
            Err(panic) => Some(Failure {
                request: "(the case itself)".into(),
                expected: "no panic".into(),
                received: panic.downcast_ref::<String>().cloned().unwrap_or_else(|| "a panic".into()),
            }),
        };
        results.push(CaseResult { id: case.id, passed: failure.is_none(), failure });
    }
    drop(service);
    Ok(SuiteReport {
        stack: info.id.to_owned(),
        fixture: fixture.to_owned(),
        database: if database_url.is_some() { "postgresql" } else { "embedded" },
        seconds: started.elapsed().as_secs_f64(),
        cases: results,
    })
}

/// `127.1.x.y`: loopback addresses, one per case, so each case has its own rate-limit bucket.
fn source_address(index: usize) -> Ipv4Addr {
    let index = u16::try_from(index).unwrap_or(u16::MAX);
    let [high, low] = (index + 1).to_be_bytes();
    Ipv4Addr::new(127, 1, high, low)
}

pub fn print_report(report: &SuiteReport) {
    println!(
        "== conformance: {} ({}, {} database), {} cases in {:.1} s",
        report.fixture,
        report.stack,
        report.database,
        report.cases.len(),
        report.seconds
    );
    for case in &report.cases {
        match &case.failure {
            None => println!("   PASS  {}", case.id),
            Some(f) => {
                println!("   FAIL  {}", case.id);
                println!("         request:  {}", f.request);
                println!("         expected: {}", f.expected);
                println!("         received: {}", f.received);
            }
        }
    }
}

fn print_matrix(reports: &[SuiteReport]) {
    print!("\n{:<32}", "case");
    for report in reports {
        print!(" {:<10}", report.stack);
    }
    println!();
    for (index, case) in CASES.iter().enumerate() {
        print!("{:<32}", case.id);
        for report in reports {
            let cell = report.cases.get(index).map_or("-", |c| if c.passed { "PASS" } else { "FAIL" });
            print!(" {cell:<10}");
        }
        println!();
    }
}

/// Used by `verify`: the suite as one step with a count, its failures as the step's log.
pub fn as_step(report: &SuiteReport) -> (Outcome, Duration, String) {
    let failed = report.failed();
    let mut log = String::new();
    for case in report.cases.iter().filter(|c| !c.passed) {
        if let Some(f) = &case.failure {
            log.push_str(&format!(
                "FAIL {}\n  request:  {}\n  expected: {}\n  received: {}\n",
                case.id, f.request, f.expected, f.received
            ));
        }
    }
    let outcome = if failed == 0 { Outcome::Pass } else { Outcome::Fail };
    (outcome, Duration::from_secs_f64(report.seconds), log)
}
