//! `cargo xtask bench-service`: what the contract layer costs. Per stack, its first servable
//! fixture's generated service (installed, in production mode) and the stack's bare twin (the
//! framework alone, same routes) are driven by wrk in alternating rounds, at 1 and 32 connections.
//! A benchmark, not a test: it asserts no figure, only that every answer was a 2xx.

mod cpus;
mod report;
mod wrk;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use backend_gen_core::contract::CONTRACT;
use backend_gen_core::secret::Secret;
use backend_gen_core::verification::BareTwin;

use self::cpus::Placement;
use self::report::{Memory, ReadOverProbe, RouteFigures, StackReport};
use self::wrk::{Run, Target};
use crate::conformance::Format;
use crate::conformance::http::{self, Request};
use crate::conformance::tokens::Tokens;
use crate::project::{Project, Workbench};
use crate::service::{Launch, Service};

/// High enough that the generated service's limiter never answers 429 during a run (16 666
/// requests a second for a whole minute), and the highest the Node and Kotlin services accept; said
/// in the output, since it is the one setting that differs from a default deployment.
const RATE_LIMIT_PER_MINUTE: u64 = 1_000_000;
/// Items created in each service before the run: the read and the page find rows.
const SEED_ITEMS: usize = 100;
/// The item the read route asks for (one of the seeded ones).
const READ_ID: usize = 42;
const CONNECTIONS: [u32; 2] = [1, 32];
/// A short unmeasured run per route and side before the rounds (pools, caches, JITs warm up).
const WARM_UP: Duration = Duration::from_secs(1);
const ITEM_BODY: &str = r#"{"name":"bench item","description":"made by cargo xtask bench-service","price_cents":1234}"#;

#[derive(Debug, clap::Args)]
pub struct BenchService {
    /// Only this stack (default: every stack whose generator ships a bare twin).
    #[arg(long)]
    stack: Option<String>,
    /// Length of each measured wrk run.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Rounds per route and connection count, each one run of the generated service and one of the twin.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// One benchmarked route.
struct Route {
    label: String,
    method: &'static str,
    path: String,
    /// Which token it sends: none, a reader's, or an admin's.
    auth: Auth,
    body: Option<&'static str>,
}

#[derive(Clone, Copy)]
enum Auth {
    None,
    Reader,
    Admin,
}

/// The liveness probe's label: the cheapest answer a framework gives.
fn probe_label() -> String {
    format!("GET {}", CONTRACT.paths.health_live)
}

/// The authenticated item read's label.
fn read_label() -> String {
    format!("GET {}/{{id}}", CONTRACT.paths.items)
}

fn routes() -> Vec<Route> {
    let items = CONTRACT.paths.items;
    let route = |label: String, method, path: String, auth, body| Route { label, method, path, auth, body };
    vec![
        route(probe_label(), "GET", CONTRACT.paths.health_live.to_owned(), Auth::None, None),
        route(read_label(), "GET", format!("{items}/{READ_ID}"), Auth::Reader, None),
        route(format!("GET {items}?limit=20"), "GET", format!("{items}?limit=20&offset=0"), Auth::Reader, None),
        // Last: its rows would otherwise grow the table the page counts.
        route(format!("POST {items}"), "POST", items.to_owned(), Auth::Admin, Some(ITEM_BODY)),
    ]
}

impl BenchService {
    pub fn run(self) -> Result<()> {
        let Self { stack, seconds, rounds, format } = self;
        ensure!(seconds > 0 && rounds > 0, "`--seconds` and `--rounds` must be at least 1");
        ensure!(wrk::available(), "wrk is not installed (Debian: `apt-get install wrk`; `.ci/run` installs it)");
        let mut bench = Workbench::open(stack.as_deref(), None)?;
        bench.fixtures = crate::fixtures::first_servable(std::mem::take(&mut bench.fixtures), &bench.registry)?;
        let mut plans = Vec::new();
        for fixture in &bench.fixtures {
            match fixture.bare_twin(&bench.registry)? {
                Some(twin) => plans.push((fixture, twin)),
                None if stack.is_some() => bail!("the {} stack ships no bare twin", fixture.answers.stack),
                None => eprintln!("bench-service: the {} stack ships no bare twin; skipped", fixture.answers.stack),
            }
        }
        ensure!(!plans.is_empty(), "no stack with a bare twin and a fixture this machine can serve");
        let placement = Placement::split()?;
        let service_cpus = placement.as_ref().map(|p| p.service.as_str());

        let mut reports = Vec::new();
        for (fixture, twin) in plans {
            let prepared = bench.prepare(fixture, "bench-service")?;
            eprintln!("bench-service: generating and installing `{}`", fixture.id);
            let project = prepared.generate_and_install(&bench.binary)?;
            let secret = Secret::generate()?;
            let generated = Launch::serve(&project, &prepared.verification.serve)?
                .on_cpus(service_cpus)
                .env("JWT_SECRET", secret.expose())
                .env("RATE_LIMIT_PER_MINUTE", RATE_LIMIT_PER_MINUTE.to_string())
                .start_ready(&prepared.workdir.path().join("generated"), CONTRACT.paths.health_live)?;
            let twin_dir = prepared.workdir.path().join("bare-twin");
            let embedded = &prepared.verification.serve.embedded_database_url;
            let bare = start_twin(&twin, &twin_dir, &project, embedded, service_cpus)?;
            let tokens = Tokens::mint(secret.expose(), &project.name.kebab, &project.name.kebab)?;
            let script = wrk::install_script(prepared.workdir.path())?;
            let load_cpus = placement.as_ref().map(|p| p.load.as_str());
            let measure =
                Measure { script: &script, load_cpus, generated: &generated, bare: &bare, tokens: &tokens, seconds };
            seed(&measure, generated.addr).context("seeding the generated service")?;
            seed(&measure, bare.addr).context("seeding the bare twin")?;

            let mut figures = Vec::new();
            for route in routes() {
                for connections in CONNECTIONS {
                    eprintln!(
                        "bench-service: {} {} at {connections} connection(s)",
                        fixture.answers.stack, route.label
                    );
                    figures.push(measure.route(&route, connections, rounds)?);
                }
            }
            let memory = Memory { generated_kib: generated.resident_kib(), bare_kib: bare.resident_kib() };
            let report = StackReport {
                stack: fixture.answers.stack.clone(),
                fixture: fixture.id.clone(),
                seconds_per_run: seconds,
                rounds,
                rate_limit_per_minute: RATE_LIMIT_PER_MINUTE,
                placement: placement.clone(),
                read_over_probe: ReadOverProbe::of(&figures, &read_label(), &probe_label()),
                routes: figures,
                memory,
            };
            if format == Format::Text {
                report::print_text(&report);
            }
            reports.push(report);
        }
        if format == Format::Json {
            println!("{}", serde_json::to_string_pretty(&serde_json::json!({ "stacks": reports }))?);
        }
        Ok(())
    }
}

/// Writes the twin's files into `dir` and starts it on the installed project's dependencies, on
/// `cpus` when given.
fn start_twin(
    twin: &BareTwin,
    dir: &Path,
    project: &Project,
    embedded_database_url: &str,
    cpus: Option<&str>,
) -> Result<Service> {
    std::fs::create_dir_all(dir)?;
    for (path, content) in &twin.files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, content)?;
    }
    let step = &twin.serve;
    let program = crate::process::locate(dir, &step.program)
        .with_context(|| format!("the bare twin's `{}` is not installed", step.program))?;
    let database = dir.join("bare.db").display().to_string();
    let mut env = step.env.clone();
    env.push(("PROJECT_DIR".to_owned(), project.dir.display().to_string()));
    env.push(("DATABASE_URL".to_owned(), embedded_database_url.replace("{path}", &database)));
    let launch = Launch {
        program,
        args: step.args.clone(),
        dir: dir.to_owned(),
        env,
        env_remove: Vec::new(),
        start_timeout: twin.start_timeout,
        embedded_database_url: embedded_database_url.to_owned(),
        cpus: cpus.map(str::to_owned),
    };
    launch.start_ready(&dir.join("twin"), CONTRACT.paths.health_live).context("starting the bare twin")
}

/// Creates the items the read and page routes find, checking each answer.
fn seed(measure: &Measure<'_>, addr: SocketAddr) -> Result<()> {
    for n in 0..SEED_ITEMS {
        let request = Request::new("POST", CONTRACT.paths.items)
            .bearer(&measure.tokens.admin, "admin")
            .json(&serde_json::json!({"name": format!("item {n}"), "description": "seeded", "price_cents": n}));
        let answer = http::send(addr, Ipv4Addr::LOCALHOST, &request)?;
        ensure!(answer.status == 201, "creating an item answered {}: {}", answer.status, answer.text());
    }
    Ok(())
}

/// What every run of one stack shares.
struct Measure<'a> {
    script: &'a Path,
    /// Where wrk runs (`taskset -c` form), away from the service's CPU.
    load_cpus: Option<&'a str>,
    generated: &'a Service,
    bare: &'a Service,
    tokens: &'a Tokens,
    seconds: u64,
}

impl Measure<'_> {
    /// One route at one connection count: a warm-up per side, then `rounds` rounds, each side once
    /// per round, the side that goes first alternating so a drifting machine favours neither.
    fn route(&self, route: &Route, connections: u32, rounds: usize) -> Result<RouteFigures> {
        let token = match route.auth {
            Auth::None => None,
            Auth::Reader => Some(self.tokens.reader.as_str()),
            Auth::Admin => Some(self.tokens.admin.as_str()),
        };
        let target = Target { method: route.method, path: &route.path, token, body: route.body };
        let sides = [("generated", self.generated), ("bare twin", self.bare)];
        for (name, service) in sides {
            self.once(name, service, route, &target, connections, WARM_UP)?;
        }
        let (mut generated, mut bare) = (Vec::new(), Vec::new());
        let duration = Duration::from_secs(self.seconds);
        for round in 0..rounds {
            let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
            for side in order {
                let (name, service) = sides[side];
                let run = self.once(name, service, route, &target, connections, duration)?;
                if side == 0 { generated.push(run) } else { bare.push(run) }
            }
        }
        Ok(RouteFigures::new(route.label.clone(), connections, &generated, &bare))
    }

    /// One wrk run; any answer that is not a 2xx fails the benchmark.
    fn once(
        &self,
        name: &str,
        service: &Service,
        route: &Route,
        target: &Target<'_>,
        connections: u32,
        duration: Duration,
    ) -> Result<Run> {
        let cpu_before = service.cpu_ms();
        let mut run = wrk::run(self.script, self.load_cpus, service.addr, target, connections, duration)
            .with_context(|| format!("{name}: `{}` at {connections} connection(s)\n{}", route.label, service.logs()))?;
        run.service_cpu_ms = service.cpu_ms().saturating_sub(cpu_before);
        if run.non2xx > 0 {
            bail!(
                "{name}: `{}` answered {} of {} requests with a status other than 2xx at {connections} connection(s)\n{}",
                route.label,
                run.non2xx,
                run.requests,
                service.logs()
            );
        }
        ensure!(run.requests > 0, "{name}: `{}` answered no request at {connections} connection(s)", route.label);
        Ok(run)
    }
}
