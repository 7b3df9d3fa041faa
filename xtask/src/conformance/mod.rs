//! `cargo xtask conformance`: one black-box suite, written against `CONTRACT.md`, run over real
//! HTTP against the generated service of every stack.

mod cases;
mod check;
pub(crate) mod http;
pub(crate) mod tokens;

use std::net::Ipv4Addr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use backend_gen_core::StackInfo;
use backend_gen_core::contract::CONTRACT;
use backend_gen_core::secret::Secret;
use backend_gen_core::verification::Verification;
use serde::Serialize;

use self::check::{Ctx, Failure, ServiceConfig};
use self::tokens::Tokens;
use crate::postgres;
use crate::project::{Project, Workbench};
use crate::service::Launch;
use crate::step::StepResult;

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
    /// Its `public` schema is emptied before each run.
    #[arg(long, value_name = "URL", env = postgres::URL_ENV)]
    database_url: Option<String>,
}

/// The outcome of one case.
#[derive(Debug, Serialize)]
pub struct CaseResult {
    pub id: &'static str,
    pub passed: bool,
    pub seconds: f64,
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
        let mut bench = Workbench::open(stack.as_deref(), fixture.as_deref())?;
        if fixture.is_none() {
            bench.fixtures = crate::fixtures::first_servable(std::mem::take(&mut bench.fixtures), &bench.registry)?;
        }
        anyhow::ensure!(!bench.fixtures.is_empty(), "no fixture this machine can serve; pass `--fixture`");

        let mut reports = Vec::new();
        for fixture in &bench.fixtures {
            let prepared = bench.prepare(fixture, "conformance")?;
            let project = prepared.generate_and_install(&bench.binary)?;
            let report =
                run_suite(&project, prepared.stack, &prepared.verification, &fixture.id, database_url.as_deref())?;
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
    stack: &StackInfo,
    verification: &Verification,
    fixture: &str,
    database_url: Option<&str>,
) -> Result<SuiteReport> {
    let started = Instant::now();
    if let Some(url) = database_url {
        // Another stack's (or an earlier run's) tables would meet this stack's migrations.
        postgres::reset_schema(url)?;
    }
    let secret = Secret::generate()?;
    let mut launch = Launch::serve(project, &verification.serve)?
        .env("JWT_SECRET", secret.expose())
        .env("CORS_ORIGINS", ALLOWED_ORIGIN)
        .env("RATE_LIMIT_PER_MINUTE", RATE_LIMIT_PER_MINUTE.to_string())
        .env("MAX_BODY_BYTES", MAX_BODY_BYTES.to_string());
    if let Some(url) = database_url {
        launch = launch.env("DATABASE_URL", postgres::as_managed_databases_give_it(url));
    }
    let service = launch.start_ready(&project.dir.join(".conformance-service"), CONTRACT.paths.health_ready)?;
    let config = ServiceConfig {
        secret: secret.expose().to_owned(),
        issuer: project.name.kebab.clone(),
        title: project.name.title.clone(),
        allowed_origin: ALLOWED_ORIGIN,
        rate_limit_per_minute: RATE_LIMIT_PER_MINUTE,
        max_body_bytes: MAX_BODY_BYTES,
        stdout_path: service.stdout_path.clone(),
        stderr_path: service.stderr_path.clone(),
    };
    let tokens = Tokens::mint(&config.secret, &config.issuer, &config.issuer)?;

    let mut results = Vec::new();
    for (index, case) in cases::all().enumerate() {
        let ctx = Ctx {
            server: service.addr,
            source: source_address(index),
            tokens: &tokens,
            config: &config,
            launch: &launch,
        };
        let case_started = Instant::now();
        // A panicking case is a failed case; the service is stopped either way when `service` drops.
        let failure = match catch_unwind(AssertUnwindSafe(|| (case.run)(&ctx))) {
            Ok(Ok(())) => None,
            Ok(Err(failure)) => Some(failure),
            Err(panic) => Some(Failure {
                request: "(the case itself)".into(),
                expected: "no panic".into(),
                received: panic_message(panic.as_ref()),
            }),
        };
        let seconds = case_started.elapsed().as_secs_f64();
        results.push(CaseResult { id: case.id, passed: failure.is_none(), seconds, failure });
    }
    drop(service);
    Ok(SuiteReport {
        stack: stack.id.to_owned(),
        fixture: fixture.to_owned(),
        database: if database_url.is_some() { "postgresql" } else { "embedded" },
        seconds: started.elapsed().as_secs_f64(),
        cases: results,
    })
}

/// A panic's message: `panic!("{x}")` carries a `String`, `panic!("literal")` a `&str`.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic without a message".into())
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
            None => println!("   PASS  {} ({:.1} s)", case.id, case.seconds),
            Some(f) => {
                println!("   FAIL  {} ({:.1} s)", case.id, case.seconds);
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
    for (index, case) in cases::all().enumerate() {
        print!("{:<32}", case.id);
        for report in reports {
            let cell = report.cases.get(index).map_or("-", |c| if c.passed { "PASS" } else { "FAIL" });
            print!(" {cell:<10}");
        }
        println!();
    }
}

/// Used by `verify`: the suite as one step with a count, its failures as the step's log.
pub fn as_step(report: &SuiteReport) -> StepResult {
    let failed = report.failed();
    let duration = Duration::from_secs_f64(report.seconds);
    if failed == 0 {
        return StepResult::pass(duration);
    }
    let mut log = String::new();
    for case in report.cases.iter().filter(|c| !c.passed) {
        if let Some(f) = &case.failure {
            log.push_str(&format!(
                "FAIL {}\n  request:  {}\n  expected: {}\n  received: {}\n",
                case.id, f.request, f.expected, f.received
            ));
        }
    }
    StepResult::fail(format!("{failed} of {} cases failed", report.cases.len()), duration, log)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_messages_are_reported_whatever_their_type() {
        let literal = catch_unwind(|| panic!("a literal")).expect_err("panics");
        assert_eq!(panic_message(literal.as_ref()), "a literal");
        let formatted = catch_unwind(|| panic!("{} formatted", 1)).expect_err("panics");
        assert_eq!(panic_message(formatted.as_ref()), "1 formatted");
    }
}
