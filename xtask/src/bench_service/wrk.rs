//! One wrk run against one route: wrk (a well-kept load generator, not ours) with the Lua script
//! beside this file, which prints the figures as a JSON line.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

const SCRIPT: &str = include_str!("wrk.lua");
const MARKER: &str = "BENCH_JSON ";

/// What one run measured.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
pub struct Run {
    pub requests: u64,
    pub duration_us: u64,
    pub p50_us: u64,
    pub p99_us: u64,
    /// Answers whose status is not 2xx: a benchmark of error answers measures nothing.
    pub non2xx: u64,
    /// Connect, read, write errors and timeouts.
    pub socket_errors: u64,
    /// CPU time the service used during the run (not wrk's output: measured from `/proc`), in ms.
    #[serde(default)]
    pub service_cpu_ms: u64,
}

impl Run {
    pub fn rps(&self) -> f64 {
        if self.duration_us == 0 { 0.0 } else { self.requests as f64 / (self.duration_us as f64 / 1e6) }
    }

    /// The service's CPU time per request: unlike the rate, it hardly moves when other programs
    /// share the machine.
    pub fn cpu_ms_per_request(&self) -> f64 {
        if self.requests == 0 { 0.0 } else { self.service_cpu_ms as f64 / self.requests as f64 }
    }
}

/// A request wrk repeats.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub token: Option<&'a str>,
    pub body: Option<&'a str>,
}

/// Writes the Lua script into `dir` and returns its path.
pub fn install_script(dir: &Path) -> Result<std::path::PathBuf> {
    let path = dir.join("bench-wrk.lua");
    std::fs::write(&path, SCRIPT)?;
    Ok(path)
}

/// Whether wrk is on `PATH` (`.ci/run` installs Debian's package).
pub fn available() -> bool {
    Command::new("wrk").arg("--version").output().is_ok()
}

/// Runs wrk on `cpus` (`taskset -c` form; `None`: anywhere) with one thread (the server is the
/// thing measured; one wrk thread outruns it) and `connections` keep-alive connections for
/// `duration`.
pub fn run(
    script: &Path,
    cpus: Option<&str>,
    addr: SocketAddr,
    target: &Target<'_>,
    connections: u32,
    duration: Duration,
) -> Result<Run> {
    let mut command = crate::process::command_on("wrk", cpus);
    command
        .args(["-t1", "-c", &connections.to_string(), "-d", &format!("{}s", duration.as_secs().max(1))])
        .args(["--timeout", "10s", "-s"])
        .arg(script)
        .env("BENCH_METHOD", target.method)
        .env_remove("BENCH_TOKEN")
        .env_remove("BENCH_BODY");
    // In the environment, not a `-H` argument: any user can read a process's arguments.
    if let Some(token) = target.token {
        command.env("BENCH_TOKEN", token);
    }
    if let Some(body) = target.body {
        command.env("BENCH_BODY", body);
    }
    command.arg(format!("http://{addr}{}", target.path));
    let output = command.output().context("running wrk (Debian: `apt-get install wrk`)")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("wrk failed ({}):\n{stdout}{}", output.status, String::from_utf8_lossy(&output.stderr));
    }
    parse(&stdout).with_context(|| format!("reading wrk's output:\n{stdout}"))
}

fn parse(stdout: &str) -> Result<Run> {
    let line = stdout.lines().find_map(|l| l.strip_prefix(MARKER)).context("no figures line")?;
    Ok(serde_json::from_str(line)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_figures_line_is_found_among_wrks_own() {
        let out = "Running 1s test @ http://127.0.0.1:1/\n  1 threads and 1 connections\n\
            BENCH_JSON {\"requests\":200,\"duration_us\":2000000,\"p50_us\":450,\"p99_us\":900,\"non2xx\":0,\"socket_errors\":1}\n";
        let run = parse(out).expect("parses");
        assert_eq!((run.requests, run.p50_us, run.socket_errors), (200, 450, 1));
        assert!((run.rps() - 100.0).abs() < 1e-9);
        assert!(parse("Running 1s test\n").is_err());
    }
}
