//! The figures of `bench-service`: per route and connection count, the generated service and its
//! bare twin over the rounds and their ratio, printed as a table or as JSON.

use serde::Serialize;

use super::cpus::Placement;
use super::wrk::Run;

/// One side (generated or bare) of one route at one connection count, over the rounds.
#[derive(Debug, Serialize)]
pub struct Side {
    /// Medians over the rounds: one slow round on a shared machine does not move them.
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// The service's CPU time per request (user and system, its whole process group).
    pub cpu_ms_per_request: f64,
    pub requests: u64,
    pub socket_errors: u64,
}

impl Side {
    pub fn of(runs: &[Run]) -> Self {
        Self {
            rps: median(runs.iter().map(Run::rps)),
            p50_ms: median(runs.iter().map(|r| r.p50_us as f64 / 1000.0)),
            p99_ms: median(runs.iter().map(|r| r.p99_us as f64 / 1000.0)),
            cpu_ms_per_request: median(runs.iter().map(Run::cpu_ms_per_request)),
            requests: runs.iter().map(|r| r.requests).sum(),
            socket_errors: runs.iter().map(|r| r.socket_errors).sum(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct RouteFigures {
    /// `GET /health/live`, as a person reads it.
    pub route: String,
    pub connections: u32,
    pub generated: Side,
    pub bare: Side,
    /// Generated requests per second over the bare twin's: the median of each round's ratio, each
    /// round's two runs taken back to back so the machine's drift cancels.
    pub ratio: f64,
    /// Bare CPU time per request over the generated one's, the same way: the generated service's
    /// efficiency, the figure a shared machine disturbs least (1.0: the contract layer costs nothing).
    pub cpu_ratio: f64,
}

impl RouteFigures {
    pub fn new(route: String, connections: u32, generated: &[Run], bare: &[Run]) -> Self {
        let ratio =
            median(generated.iter().zip(bare).map(|(g, b)| if b.rps() > 0.0 { g.rps() / b.rps() } else { 0.0 }));
        let cpu_ratio = median(generated.iter().zip(bare).map(|(g, b)| {
            if g.cpu_ms_per_request() > 0.0 { b.cpu_ms_per_request() / g.cpu_ms_per_request() } else { 0.0 }
        }));
        Self { route, connections, generated: Side::of(generated), bare: Side::of(bare), ratio, cpu_ratio }
    }
}

/// The authenticated item read's requests per second over the bare twin's `/health/live` at one
/// connection count: what reading a row costs next to the framework's cheapest answer (issue 14
/// asks for at least 0.5). Unlike `RouteFigures::ratio`, its two figures come from runs minutes
/// apart, so the machine's drift does not cancel in it.
#[derive(Debug, Serialize)]
pub struct ReadOverProbe {
    pub connections: u32,
    pub ratio: f64,
}

impl ReadOverProbe {
    /// One per connection count at which both the generated `read` and the bare `probe` (route
    /// labels) were measured, in the order of `routes`.
    pub fn of(routes: &[RouteFigures], read: &str, probe: &str) -> Vec<Self> {
        routes
            .iter()
            .filter(|r| r.route == read)
            .filter_map(|r| {
                let bare_probe = routes.iter().find(|p| p.route == probe && p.connections == r.connections)?;
                (bare_probe.bare.rps > 0.0)
                    .then(|| Self { connections: r.connections, ratio: r.generated.rps / bare_probe.bare.rps })
            })
            .collect()
    }
}

/// Resident memory after the run, in KiB: the sum of `VmRSS` over each service's process group.
#[derive(Debug, Serialize)]
pub struct Memory {
    pub generated_kib: u64,
    pub bare_kib: u64,
}

#[derive(Debug, Serialize)]
pub struct StackReport {
    pub stack: String,
    pub fixture: String,
    pub seconds_per_run: u64,
    pub rounds: usize,
    /// `RATE_LIMIT_PER_MINUTE` given to the generated service, so its limiter never answers 429.
    pub rate_limit_per_minute: u64,
    /// Where the service and wrk ran; `None`: not pinned (one CPU, or no `taskset`).
    pub placement: Option<Placement>,
    pub routes: Vec<RouteFigures>,
    pub read_over_probe: Vec<ReadOverProbe>,
    pub memory: Memory,
}

pub fn print_text(report: &StackReport) {
    println!(
        "\n== bench-service: {} ({}), {} round(s) of {} s per figure, generated and bare twin alternating",
        report.stack, report.fixture, report.rounds, report.seconds_per_run
    );
    println!(
        "   RATE_LIMIT_PER_MINUTE={} for the generated service, so its rate limiter does not interfere",
        report.rate_limit_per_minute
    );
    match &report.placement {
        Some(p) => println!(
            "   the service and its twin on CPU {} (one under load at a time), wrk on CPU {} (taskset): the load generator takes none of the server's time",
            p.service, p.load
        ),
        None => println!("   not pinned (fewer than two CPUs, or no taskset): wrk and the service share the CPUs"),
    }
    println!(
        "{:<26} {:>5} | {:>9} {:>7} {:>8} {:>7} | {:>9} {:>7} {:>8} {:>7} | {:>5} {:>5}",
        "route",
        "conns",
        "gen rps",
        "p50 ms",
        "p99 ms",
        "cpu ms",
        "bare rps",
        "p50 ms",
        "p99 ms",
        "cpu ms",
        "ratio",
        "cpu"
    );
    for r in &report.routes {
        println!(
            "{:<26} {:>5} | {:>9.1} {:>7.2} {:>8.2} {:>7.3} | {:>9.1} {:>7.2} {:>8.2} {:>7.3} | {:>5.2} {:>5.2}",
            r.route,
            r.connections,
            r.generated.rps,
            r.generated.p50_ms,
            r.generated.p99_ms,
            r.generated.cpu_ms_per_request,
            r.bare.rps,
            r.bare.p50_ms,
            r.bare.p99_ms,
            r.bare.cpu_ms_per_request,
            r.ratio,
            r.cpu_ratio
        );
        if r.generated.socket_errors + r.bare.socket_errors > 0 {
            println!(
                "   socket errors (connect, read, write, timeout): generated {}, bare {}",
                r.generated.socket_errors, r.bare.socket_errors
            );
        }
    }
    println!(
        "ratio: generated rps / bare rps; cpu: bare CPU per request / generated CPU per request (medians of the rounds')"
    );
    if !report.read_over_probe.is_empty() {
        let figures: Vec<String> = report
            .read_over_probe
            .iter()
            .map(|r| format!("{:.2} at {} connection(s)", r.ratio, r.connections))
            .collect();
        println!(
            "item read / bare /health/live: {} (generated item read rps over the twin's probe rps, runs minutes apart)",
            figures.join(", ")
        );
    }
    println!(
        "resident memory after the run: generated {:.1} MiB, bare twin {:.1} MiB",
        report.memory.generated_kib as f64 / 1024.0,
        report.memory.bare_kib as f64 / 1024.0
    );
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(requests: u64) -> Run {
        Run {
            requests,
            duration_us: 1_000_000,
            p50_us: 1000,
            p99_us: 3000,
            non2xx: 0,
            socket_errors: 0,
            service_cpu_ms: 50,
        }
    }

    #[test]
    fn the_ratio_is_the_median_of_each_rounds_ratio() {
        let figures =
            RouteFigures::new("GET /".into(), 1, &[run(90), run(40), run(100)], &[run(100), run(50), run(100)]);
        assert!((figures.ratio - 0.9).abs() < 1e-9, "{}", figures.ratio);
        // The same CPU time over fewer requests: 0.9 again, from (50/100) / (50/90).
        assert!((figures.cpu_ratio - 0.9).abs() < 1e-9, "{}", figures.cpu_ratio);
        assert!((figures.generated.rps - 90.0).abs() < 1e-9);
        assert_eq!(figures.generated.requests, 230);
        assert!((median([1.0, 2.0].into_iter()) - 1.5).abs() < 1e-9);
    }

    #[test]
    fn the_read_is_set_against_the_bare_probe_at_the_same_connections() {
        let routes = vec![
            RouteFigures::new("probe".into(), 1, &[run(900)], &[run(1000)]),
            RouteFigures::new("probe".into(), 32, &[run(1500)], &[run(2000)]),
            RouteFigures::new("read".into(), 1, &[run(250)], &[run(100)]),
            RouteFigures::new("read".into(), 32, &[run(400)], &[run(100)]),
            RouteFigures::new("read".into(), 8, &[run(400)], &[run(100)]), // no probe at 8
        ];
        let ratios = ReadOverProbe::of(&routes, "read", "probe");
        let found: Vec<(u32, f64)> = ratios.iter().map(|r| (r.connections, r.ratio)).collect();
        assert_eq!(found, vec![(1, 0.25), (32, 0.2)]);
    }
}
