//! `cargo xtask verify`: generate each fixture with the real binary, run the steps its generator
//! returns for it, start the service, and run the conformance suite against it.
//!
//! Chains run independently: within a chain a step that does not pass skips the later ones (with
//! the reason), but one chain never blocks another. The service starts once its `after` chain
//! has passed. Every step appears in the table as PASS, FAIL or SKIP, never as PASS unless it ran.

use std::collections::BTreeMap;
use std::time::Duration;

use backend_gen_core::contract::CONTRACT;
use backend_gen_core::verification::{Chain, Step};

use crate::browser;
use crate::conformance;
use crate::fixtures::TemplateFixture;
use crate::page;
use crate::postgres;
use crate::project::{Prepared, Project, Workbench};
use crate::service::Launch;
use crate::starter::{self, Starter};
use crate::step::{Status, StepResult};

#[derive(Debug, clap::Args)]
pub struct Verify {
    /// Only the fixtures of this stack.
    #[arg(long)]
    stack: Option<String>,
    /// Only this fixture (its file name in `fixtures/` without `.toml`).
    #[arg(long)]
    fixture: Option<String>,
    /// Treat a skipped step as a failure (as CI does), unless it is named by `--allow-skip`.
    #[arg(long)]
    strict: bool,
    /// A step that may SKIP under `--strict`: a known gap of this machine (repeatable). It is still
    /// shown as SKIP with its reason, never as PASS.
    #[arg(long = "allow-skip", value_name = "STEP")]
    allow_skip: Vec<String>,
    /// Keep the generated projects and print where they are.
    #[arg(long)]
    keep: bool,
}

/// Why `verify` failed.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("{0} verification step(s) failed")]
    Failed(usize),
    #[error(
        "step(s) skipped under --strict: {}; install what they need, or name a known gap with `--allow-skip STEP`",
        .0.join(", ")
    )]
    SkippedUnderStrict(Vec<String>),
}

/// One row of the table.
#[derive(Debug)]
struct Row {
    fixture: String,
    step: String,
    result: StepResult,
    /// A skip named by `--allow-skip`.
    allowed: bool,
}

/// The counts printed under the table.
#[derive(Debug, PartialEq, Eq)]
struct Totals {
    passed: usize,
    failed: usize,
    skipped: usize,
    allowed: usize,
}

impl Verify {
    pub fn run(self) -> anyhow::Result<()> {
        let Self { stack, fixture, strict, allow_skip, keep } = self;
        let bench = Workbench::open(stack.as_deref(), fixture.as_deref())?;
        let database_url = postgres::url_from_env();

        let mut rows = Vec::new();
        // The stacks whose whole PostgreSQL suite has run: once per stack, on its first fixture
        // (the `<stack>-default` one first) whose service starts.
        let mut suite_ran = std::collections::BTreeSet::new();
        // `backend-gen serve` for the run: every fixture is verified as its archive, once that is
        // shown to hold what `new` wrote (so both are verified at once).
        let starter = Starter::start(&bench.binary);
        for fixture in &bench.fixtures {
            let prepared = bench.prepare(fixture, "verify")?;
            println!("== {} ({}) in {}", fixture.id, prepared.stack.id, prepared.workdir.path().display());
            let whole_suite = !suite_ran.contains(prepared.stack.id);
            let (results, ran) =
                verify_fixture(&bench, &prepared, database_url.as_deref(), &allow_skip, whole_suite, starter.as_ref())?;
            if ran {
                suite_ran.insert(prepared.stack.id);
            }
            for (step, result, allowed) in results {
                rows.push(Row { fixture: fixture.id.clone(), step, result, allowed });
            }
            if keep {
                println!("   kept in {}", prepared.workdir.keep().display());
            }
        }
        if !bench.fixtures.is_empty() {
            println!("== serve (the page in a browser)");
            let result = match (&starter, browser::chromium()) {
                (Err(e), _) => StepResult::fail("`backend-gen serve` did not start", Duration::ZERO, format!("{e:#}")),
                (_, None) => {
                    StepResult::skip("Chromium is not installed (`apt-get install chromium`, as .ci/run does)")
                }
                (Ok(starter), Some(chromium)) => StepResult::timed(|| {
                    let report = page::check(&chromium, starter, &bench.binary, None)?;
                    println!(
                        "   the page loaded in {:.0} ms; its zip downloaded in {:.0} ms",
                        report.load.as_secs_f64() * 1000.0,
                        report.download.as_secs_f64() * 1000.0
                    );
                    Ok(())
                }),
            };
            println!(
                "   {:<5} page in Chromium ({:.1} s){}",
                result.status.label(),
                result.duration.as_secs_f64(),
                if result.reason.is_empty() { String::new() } else { format!(": {}", result.reason) }
            );
            let allowed = result.status == Status::Skip && allow_skip.iter().any(|s| s == "page in Chromium");
            rows.push(Row { fixture: "serve".to_owned(), step: "page in Chromium".to_owned(), result, allowed });
        }
        drop(starter);
        for template in &bench.templates {
            let workdir = template.workdir("verify")?;
            println!(
                "== {} (template {}) in {}",
                template.id,
                template.answers.template.path,
                workdir.path().display()
            );
            for (step, result) in verify_template(&bench, template, workdir.path())? {
                let allowed = result.status == Status::Skip && allow_skip.contains(&step);
                rows.push(Row { fixture: template.id.clone(), step, result, allowed });
            }
            if keep {
                println!("   kept in {}", workdir.keep().display());
            }
        }
        print_report(&rows);
        for unused in allow_skip.iter().filter(|name| !rows.iter().any(|r| r.allowed && &r.step == *name)) {
            println!("note: `--allow-skip {unused}` matched no skipped step; drop it if the gap is closed");
        }
        let totals = totals(&rows);
        println!(
            "verify: {} passed, {} failed, {} skipped ({} allowed by --allow-skip)",
            totals.passed, totals.failed, totals.skipped, totals.allowed
        );
        verdict(&rows, strict)?;
        Ok(())
    }
}

/// Why the later steps of a fixture cannot run.
#[derive(Debug, Clone)]
struct Blocker {
    reason: String,
    /// The step that blocks was a skip allowed by `--allow-skip`: the skips it causes are part of
    /// the same known gap (a skipped `gradle build` also skips `gradle test`).
    gap: bool,
}

impl Blocker {
    fn new(reason: impl Into<String>, gap: bool) -> Self {
        Self { reason: reason.into(), gap }
    }
}

/// A step's name, its result, and whether it is an allowed skip.
type Recorded = (String, StepResult, bool);

/// Every step of one fixture, in order, with its result and whether it is an allowed skip; and
/// whether the whole PostgreSQL suite ran on it (asked for by `whole_suite`, it runs only when the
/// service starts; the stack's next fixture takes it over otherwise).
fn verify_fixture(
    bench: &Workbench,
    prepared: &Prepared<'_>,
    database_url: Option<&str>,
    allow_skip: &[String],
    whole_suite: bool,
    starter: Result<&Starter, &anyhow::Error>,
) -> anyhow::Result<(Vec<Recorded>, bool)> {
    let mut results = Vec::new();
    let mut record = |step: &str, result: StepResult, gap: bool| {
        let status = result.status;
        let allowed = status == Status::Skip && (gap || allow_skip.iter().any(|name| name == step));
        let reason = if result.reason.is_empty() { String::new() } else { format!(": {}", result.reason) };
        println!("   {:<5} {step} ({:.1} s){reason}", status.label(), result.duration.as_secs_f64());
        results.push((step.to_owned(), result, allowed));
        (status, allowed)
    };

    let (mut project, generated) = prepared.generate(&bench.binary)?;
    if record("generate", generated, false).0 != Status::Pass {
        return Ok((results, false));
    }
    // The fixture goes on as `serve`'s archive of the same answers, once it is shown to hold what
    // `new` wrote; a failure here leaves `new`'s output to verify.
    let into = prepared.workdir.path().join("archive");
    let mut unpacked = None;
    let result = match starter {
        Err(e) => StepResult::fail("`backend-gen serve` did not start", Duration::ZERO, format!("{e:#}")),
        Ok(starter) => StepResult::timed(|| {
            let dir = starter::unpack(&starter.zip(&prepared.fixture.answers)?, &into)?;
            starter::same_project(&project.dir, &dir)?;
            unpacked = Some(dir);
            Ok(())
        }),
    };
    record("archive = new", result, false);
    if let Some(dir) = unpacked {
        // Without `.env`: the steps run as on a fresh clone, and `init-env` makes it before serving.
        project = Project { dir, name: project.name };
    }
    let verification = &prepared.verification;
    let ends = run_chains(&verification.chains, |step| project.run(step), &mut record);

    let serve = &verification.serve;
    let fixture = &prepared.fixture.id;
    let serve_name = format!("{} /health/live", serve.step.name);
    let blocked = match ends.get(&serve.after) {
        // A generator bug, not a missing tool: it must not pass as a skip.
        None => {
            let reason = format!("the serve step waits for chain `{}`, which the verification lacks", serve.after);
            record(&serve_name, StepResult::fail(reason, std::time::Duration::ZERO, String::new()), false);
            Some(Blocker::new("the service has no chain to wait for", false))
        }
        Some(end) => {
            let mut blocked =
                end.as_ref().map(|b| Blocker::new(format!("chain `{}` did not pass", serve.after), b.gap));
            // An archive has no `.env`: the project's own command makes one, as its README says.
            if !project.dir.join(".env").exists() {
                let (result, gap) = match &blocked {
                    Some(b) => (StepResult::skip(b.reason.clone()), b.gap),
                    None => (project.run(&serve.init_env), false),
                };
                let name = serve.init_env.name.clone();
                if let ((status, allowed), None) = (record(&name, result, gap), &blocked)
                    && status != Status::Pass
                {
                    blocked = Some(Blocker::new(format!("`{name}` did not pass"), allowed));
                }
            }
            let (live, gap) = match &blocked {
                Some(b) => (StepResult::skip(b.reason.clone()), b.gap),
                None => (StepResult::timed(|| smoke(&project, prepared)), false),
            };
            match (record(&serve_name, live, gap), blocked) {
                ((Status::Pass, _), blocked) => blocked,
                (_, Some(blocked)) => Some(blocked),
                ((_, allowed), None) => Some(Blocker::new("the service did not start", allowed)),
            }
        }
    };
    let suite = |database_url: Option<&str>| match &blocked {
        Some(b) => (StepResult::skip(b.reason.clone()), b.gap),
        None => match conformance::run_suite(&project, prepared.stack, verification, fixture, database_url) {
            Ok(report) => (conformance::as_step(&report), false),
            Err(e) => (StepResult::fail("the suite could not run", std::time::Duration::ZERO, format!("{e:#}")), false),
        },
    };
    let (result, gap) = suite(None);
    record("conformance", result, gap);
    let (result, gap) = match (&blocked, browser::chromium()) {
        (Some(b), _) => (StepResult::skip(b.reason.clone()), b.gap),
        (None, None) => {
            (StepResult::skip("Chromium is not installed (`apt-get install chromium`, as .ci/run does)"), false)
        }
        (None, Some(chromium)) => (StepResult::timed(|| docs_in_a_browser(&project, prepared, &chromium)), false),
    };
    record("docs in a browser", result, gap);

    // PostgreSQL: the whole suite once per stack (its first fixture whose service starts), and the
    // migrations of every other fixture, each on a freshly reset schema of the same database.
    let default = whole_suite && blocked.is_none();
    let name = if default { "conformance postgresql" } else { "migrate postgresql" };
    let (result, gap) = match (database_url, &blocked) {
        (None, _) => (
            StepResult::skip(format!("no PostgreSQL: set {} to a database URL (.ci/run does)", postgres::URL_ENV)),
            false,
        ),
        (Some(_), Some(b)) => (StepResult::skip(b.reason.clone()), b.gap),
        (Some(url), None) if default => suite(Some(url)),
        (Some(url), None) => (StepResult::timed(|| postgres::migrate(&project, verification, url)), false),
    };
    record(name, result, gap);

    // The project's own PostgreSQL tests, on the same database emptied again (default fixture only:
    // the other fixtures import the same modules in their embedded-database test runs).
    if let (true, Some(tests)) = (default, &verification.database_tests) {
        let (result, gap) = match (database_url, &blocked) {
            (None, _) => (
                StepResult::skip(format!("no PostgreSQL: set {} to a database URL (.ci/run does)", postgres::URL_ENV)),
                false,
            ),
            (Some(_), Some(b)) => (StepResult::skip(b.reason.clone()), b.gap),
            (Some(url), None) => match postgres::reset_schema(url) {
                Ok(()) => (project.run(&postgres::with_test_database(tests, url)), false),
                Err(e) => (
                    StepResult::fail("the schema could not be reset", std::time::Duration::ZERO, format!("{e:#}")),
                    false,
                ),
            },
        };
        record(&tests.name, result, gap);
    }
    Ok((results, default && database_url.is_some()))
}

/// Generates a template fixture with the real binary and runs its cargo chain: no service, no
/// contract (a third-party template promises neither).
fn verify_template(
    bench: &Workbench,
    template: &TemplateFixture,
    workdir: &std::path::Path,
) -> anyhow::Result<Vec<(String, StepResult)>> {
    let mut results = Vec::new();
    let mut record = |step: &str, result: StepResult, _gap: bool| {
        let status = result.status;
        let reason = if result.reason.is_empty() { String::new() } else { format!(": {}", result.reason) };
        println!("   {:<5} {step} ({:.1} s){reason}", status.label(), result.duration.as_secs_f64());
        results.push((step.to_owned(), result));
        (status, false)
    };
    let (project, generated) = Project::generate_template(&bench.binary, template, workdir)?;
    if record("generate", generated, false).0 == Status::Pass {
        run_chains(&template.verification(), |step| project.run(step), &mut record);
    }
    Ok(results)
}

/// Runs each chain in turn. Within a chain, the first step that does not pass makes the later ones
/// SKIP with the reason; the next chain starts afresh. Returns how each chain ended: `None` when it
/// passed, else what blocked it.
///
/// `record` takes a step's name, its result and whether it inherits an allowed gap, and returns
/// its status and whether its skip is allowed.
fn run_chains(
    chains: &[Chain],
    mut run: impl FnMut(&Step) -> StepResult,
    record: &mut impl FnMut(&str, StepResult, bool) -> (Status, bool),
) -> BTreeMap<String, Option<Blocker>> {
    let mut ends = BTreeMap::new();
    for chain in chains {
        let mut blocked: Option<Blocker> = None;
        for step in &chain.steps {
            let (result, gap) = match &blocked {
                Some(b) => (StepResult::skip(b.reason.clone()), b.gap),
                None => (run(step), false),
            };
            let (status, allowed) = record(&step.name, result, gap);
            if status != Status::Pass && blocked.is_none() {
                blocked = Some(Blocker::new(format!("`{}` ({}) did not pass", step.name, status.label()), allowed));
            }
        }
        ends.insert(chain.name.clone(), blocked);
    }
    ends
}

/// Starts the service as its README says (in its folder, with its generated `.env`, nothing else
/// set) and waits for `/health/live` within the stack's start-up timeout.
fn smoke(project: &Project, prepared: &Prepared<'_>) -> anyhow::Result<()> {
    let launch = Launch::serve(project, &prepared.verification.serve)?;
    let mut service = launch.start_ready(&project.dir.join(".smoke-service"), CONTRACT.paths.health_live)?;
    service.stop();
    Ok(())
}

/// Starts the service and checks its `/docs` in headless Chromium.
fn docs_in_a_browser(project: &Project, prepared: &Prepared<'_>, chromium: &std::path::Path) -> anyhow::Result<()> {
    let launch = Launch::serve(project, &prepared.verification.serve)?;
    let mut service = launch.start_ready(&project.dir.join(".browser-service"), CONTRACT.paths.health_live)?;
    let checked = browser::check_docs(chromium, service.addr);
    service.stop();
    checked
}

fn totals(rows: &[Row]) -> Totals {
    let count = |status| rows.iter().filter(|r| r.result.status == status).count();
    Totals {
        passed: count(Status::Pass),
        failed: count(Status::Fail),
        skipped: count(Status::Skip),
        allowed: rows.iter().filter(|r| r.allowed).count(),
    }
}

/// Any failure fails the run; under `--strict` so does a skip that `--allow-skip` does not name.
fn verdict(rows: &[Row], strict: bool) -> Result<(), VerifyError> {
    let totals = totals(rows);
    if totals.failed > 0 {
        return Err(VerifyError::Failed(totals.failed));
    }
    let unallowed: Vec<String> = rows
        .iter()
        .filter(|r| r.result.status == Status::Skip && !r.allowed)
        .map(|r| format!("{} / {}", r.fixture, r.step))
        .collect();
    if strict && !unallowed.is_empty() {
        return Err(VerifyError::SkippedUnderStrict(unallowed));
    }
    Ok(())
}

fn print_report(rows: &[Row]) {
    println!("\n{:<24} {:<24} {:<6} {:>8}  reason", "fixture", "step", "result", "seconds");
    for row in rows {
        let Row { fixture, step, result, allowed } = row;
        let reason = match (allowed, result.reason.as_str()) {
            (true, reason) => format!("known gap (--allow-skip): {reason}"),
            (false, reason) => reason.to_owned(),
        };
        let seconds = result.duration.as_secs_f64();
        println!("{fixture:<24} {step:<24} {:<6} {seconds:>8.1}  {reason}", result.status.label());
    }
    for row in rows.iter().filter(|r| r.result.status == Status::Fail) {
        println!(
            "\n---- {} / {}: FAIL: {} ----\n{}",
            row.fixture,
            row.step,
            row.result.reason,
            row.result.log.trim_end()
        );
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn chain(name: &str, steps: &[&str]) -> Chain {
        let steps = steps.iter().map(|s| Step::new(s, "true", &[], Duration::from_secs(1))).collect();
        Chain { name: name.to_owned(), steps }
    }

    /// Runs the chains with fixed results per step name and `allowed` as `--allow-skip`; returns
    /// each step's status and whether its skip is allowed, and the chains that passed.
    fn simulate(
        chains: &[Chain],
        fixed: &[(&str, Status)],
        allowed: &[&str],
    ) -> (Vec<(String, Status, bool)>, Vec<String>) {
        let mut seen = Vec::new();
        let run = |step: &Step| {
            let status = fixed.iter().find(|(n, _)| *n == step.name).map_or(Status::Pass, |(_, s)| *s);
            StepResult { status, reason: String::new(), duration: Duration::ZERO, log: String::new() }
        };
        let mut record = |name: &str, result: StepResult, gap: bool| {
            let ok = result.status == Status::Skip && (gap || allowed.contains(&name));
            seen.push((name.to_owned(), result.status, ok));
            (result.status, ok)
        };
        let ends = run_chains(chains, run, &mut record);
        (seen, ends.into_iter().filter(|(_, end)| end.is_none()).map(|(name, _)| name).collect())
    }

    #[test]
    fn a_step_that_does_not_pass_skips_the_rest_of_its_chain_only() {
        let chains = [chain("gradle", &["gradle build", "gradle test"]), chain("maven", &["mvn verify", "mvn test"])];
        let (seen, passed) = simulate(&chains, &[("gradle build", Status::Skip)], &[]);
        let statuses: Vec<_> = seen.iter().map(|(n, s, _)| (n.as_str(), *s)).collect();
        assert_eq!(
            statuses,
            [
                ("gradle build", Status::Skip),
                ("gradle test", Status::Skip),
                ("mvn verify", Status::Pass),
                ("mvn test", Status::Pass)
            ]
        );
        assert_eq!(passed, ["maven"]);
        assert!(seen.iter().all(|(_, _, allowed)| !allowed), "nothing was named by --allow-skip");
    }

    #[test]
    fn the_skips_an_allowed_skip_causes_are_allowed_too() {
        let chains = [chain("gradle", &["gradle build", "gradle test"]), chain("maven", &["mvn verify"])];
        let (seen, _) = simulate(&chains, &[("gradle build", Status::Skip)], &["gradle build"]);
        let allowed: Vec<_> = seen.iter().map(|(n, _, a)| (n.as_str(), *a)).collect();
        assert_eq!(allowed, [("gradle build", true), ("gradle test", true), ("mvn verify", false)]);
        // A failure is never a gap, even when the step is named.
        let (seen, _) = simulate(&chains, &[("gradle build", Status::Fail)], &["gradle build"]);
        assert!(seen.iter().all(|(_, _, allowed)| !allowed));
    }

    #[test]
    fn a_failure_in_one_chain_leaves_the_other_running() {
        let chains = [chain("a", &["a1", "a2"]), chain("b", &["b1"])];
        let (seen, passed) = simulate(&chains, &[("a1", Status::Fail)], &[]);
        assert_eq!(seen[1], ("a2".to_owned(), Status::Skip, false));
        assert_eq!(seen[2], ("b1".to_owned(), Status::Pass, false));
        assert_eq!(passed, ["b"]);
    }

    fn row(step: &str, status: Status, allowed: bool) -> Row {
        let result = StepResult { status, reason: "why".to_owned(), duration: Duration::ZERO, log: String::new() };
        Row { fixture: "kotlin-default".to_owned(), step: step.to_owned(), result, allowed }
    }

    #[test]
    fn under_strict_only_allowed_skips_pass() {
        let allowed = [row("mvn verify", Status::Pass, false), row("gradle build", Status::Skip, true)];
        assert!(verdict(&allowed, true).is_ok());
        let unallowed = [row("mvn verify", Status::Pass, false), row("gradle build", Status::Skip, false)];
        assert!(matches!(verdict(&unallowed, true), Err(VerifyError::SkippedUnderStrict(s)) if s.len() == 1));
        assert!(verdict(&unallowed, false).is_ok(), "without --strict a skip is reported, not an error");
        let failed = [row("mvn verify", Status::Fail, false), row("gradle build", Status::Skip, true)];
        assert!(matches!(verdict(&failed, false), Err(VerifyError::Failed(1))));
    }

    #[test]
    fn an_allowed_skip_is_counted_as_a_skip_never_a_pass() {
        let rows = [row("gradle build", Status::Skip, true), row("mvn verify", Status::Pass, false)];
        assert_eq!(totals(&rows), Totals { passed: 1, failed: 0, skipped: 1, allowed: 1 });
    }
}
