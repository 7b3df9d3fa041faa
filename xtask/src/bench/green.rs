//! new → green: a fresh project generated and taken through the commands its README's "Test and
//! check" section gives (install, lint, type-check, tests), each phase timed, with the package
//! caches already warm. Where the coverage floor has a task of its own that CI runs (Python's: its
//! tracer makes the suite far slower, so the developer's loop runs without it), that task is timed
//! after the loop and printed apart. Wall time is what a developer waits for; the CPU time of a
//! phase's processes is printed beside it because, on a shared machine, it moves less.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use nix::sys::resource::{UsageWho, getrusage};

use super::spread;
use crate::interrupt;
use crate::process::Group;

/// Long enough for a cold Maven build on two busy cores; a bench is run by hand, not in CI.
const PHASE_TIMEOUT: Duration = Duration::from_secs(3600);

/// One stack's loop.
#[derive(Debug)]
pub struct Loop {
    pub stack: &'static str,
    /// `backend-gen new` arguments beyond the stack.
    pub new_args: &'static [&'static str],
    phases: &'static [Phase],
    /// Timed after the loop in the same project and reported apart: what CI adds (the floor).
    ci: &'static [Phase],
}

#[derive(Debug)]
struct Phase {
    name: &'static str,
    command: &'static [&'static str],
}

const fn phase(name: &'static str, command: &'static [&'static str]) -> Phase {
    Phase { name, command }
}

/// Each stack's loop, in the words of its generated README (and CI workflow).
pub const STACKS: &[Loop] = &[
    Loop {
        stack: "python",
        new_args: &[],
        // `make check` runs lint, typecheck and test (no coverage) at once, one a core.
        phases: &[phase("install", &["make", "install"]), phase("lint, type-check, tests", &["make", "check"])],
        ci: &[phase("tests with the floor", &["make", "coverage"])],
    },
    Loop {
        stack: "node",
        new_args: &[],
        phases: &[
            phase("install", &["npm", "ci", "--no-audit", "--no-fund"]),
            phase("lint", &["npm", "run", "lint"]),
            phase("type-check", &["npm", "run", "typecheck"]),
            phase("tests", &["npm", "test"]),
        ],
        ci: &[],
    },
    // Maven, not Gradle (the default build), which this machine cannot run. `mvn verify` is the
    // README's one command: it compiles, tests with the floor, lints and packages in one JVM, so
    // its phases cannot be timed apart without changing what is measured.
    Loop {
        stack: "kotlin",
        new_args: &["--option", "build=maven"],
        phases: &[phase("compile, tests, lint, jar", &["mvn", "-B", "-ntp", "verify"])],
        ci: &[],
    },
];

/// A phase's wall and CPU time (user + system, of every process it waited for).
#[derive(Debug, Clone, Copy, Default)]
struct Timing {
    wall: Duration,
    cpu: Duration,
}

impl Loop {
    /// One untimed run (it fills the package caches), then `runs` timed ones; prints the medians.
    pub fn bench(&self, binary: &Path, runs: usize) -> Result<()> {
        let names: Vec<&str> = std::iter::once("new")
            .chain(self.phases.iter().map(|p| p.name))
            .chain(self.ci.iter().map(|p| p.name))
            .collect();
        let mut timings: Vec<Vec<Timing>> = Vec::with_capacity(runs);
        for run in 0..=runs {
            let label = if run == 0 { "warm-up".to_owned() } else { format!("run {run}/{runs}") };
            eprintln!("new → green, {}: {label} (load average {})", self.stack, load_average());
            let run_timings = self.run_once(binary)?;
            if run > 0 {
                timings.push(run_timings);
            }
        }
        println!("{}", self.report(&names, &timings));
        Ok(())
    }

    /// Generates a project in a scratch folder and takes it through every phase.
    fn run_once(&self, binary: &Path) -> Result<Vec<Timing>> {
        let scratch = tempfile::Builder::new().prefix("bench-green-").tempdir()?;
        interrupt::remove_on_interrupt(scratch.path());
        let mut generate = vec![binary.to_str().context("the binary's path is not UTF-8")?, "new", "demo"];
        generate.extend(["--stack", self.stack, "--no-git"]);
        generate.extend(self.new_args);
        generate.extend(["--output", scratch.path().to_str().context("the scratch path is not UTF-8")?]);
        let logs = scratch.path();
        let mut timings = vec![timed(scratch.path(), logs, "new", &generate)?];
        let project = scratch.path().join("demo");
        for phase in self.phases.iter().chain(self.ci) {
            timings.push(timed(&project, logs, phase.name, phase.command)?);
        }
        Ok(timings)
    }

    /// The table: one row a phase (median over the runs), the total, then CI's phases apart.
    fn report(&self, names: &[&str], timings: &[Vec<Timing>]) -> String {
        let secs = |d: Duration| format!("{:.1} s", d.as_secs_f64());
        let median =
            |pick: &dyn Fn(&[Timing]) -> Duration| spread(&mut timings.iter().map(|t| pick(t)).collect::<Vec<_>>()).0;
        let mut out = format!(
            "new → green, {} ({} timed run{}, medians; a fresh project, warm caches):\n  {:<28} {:>9} {:>9}\n",
            self.stack,
            timings.len(),
            if timings.len() == 1 { "" } else { "s" },
            "phase",
            "wall",
            "cpu"
        );
        let in_loop = names.len() - self.ci.len();
        let row = |out: &mut String, index: usize, name: &str| {
            let wall = median(&|t| t[index].wall);
            let cpu = median(&|t| t[index].cpu);
            let _ = writeln!(out, "  {name:<28} {:>9} {:>9}", secs(wall), secs(cpu));
        };
        for (index, name) in names.iter().enumerate().take(in_loop) {
            row(&mut out, index, name);
        }
        let wall = median(&|t| t[..in_loop].iter().map(|p| p.wall).sum());
        let cpu = median(&|t| t[..in_loop].iter().map(|p| p.cpu).sum());
        let _ = write!(out, "  {:<28} {:>9} {:>9}", "total", secs(wall), secs(cpu));
        if !self.ci.is_empty() {
            out.push_str("\n  in CI (its own task, not in the loop):\n");
            for (index, name) in names.iter().enumerate().skip(in_loop) {
                row(&mut out, index, name);
            }
            out.pop();
        }
        out
    }
}

/// Runs `command` in `dir`, its output in a log in `logs`; an error (with the log's end) when it fails.
fn timed(dir: &Path, logs: &Path, name: &str, command: &[&str]) -> Result<Timing> {
    let (program, args) = command.split_first().context("an empty command")?;
    let log_path = logs.join(format!("bench-{}.log", name.replace([' ', ','], "-")));
    let log = std::fs::File::create(&log_path)?;
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(dir).stdin(Stdio::null()).stdout(log.try_clone()?).stderr(log);
    // What a developer's shell has: Python writes its bytecode caches (this machine's sessions
    // turn that off, which makes every Python process compile every module it imports), and no
    // database of this machine's leaks into the project's tests.
    for variable in ["PYTHONDONTWRITEBYTECODE", "TEST_DATABASE_URL", "DATABASE_URL"] {
        cmd.env_remove(variable);
    }
    let cpu_before = children_cpu()?;
    let started = Instant::now();
    let mut group = Group::spawn(&mut cmd).with_context(|| format!("`{program}` could not start (is it on PATH?)"))?;
    let status = group.wait_timeout(PHASE_TIMEOUT)?;
    let wall = started.elapsed();
    let cpu = children_cpu()?.saturating_sub(cpu_before);
    let Some(status) = status else {
        group.stop(crate::process::GRACE);
        bail!("`{}` took longer than {} s", command.join(" "), PHASE_TIMEOUT.as_secs());
    };
    if !status.success() {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(40).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        bail!("`{}` failed ({status}) in {}:\n{}", command.join(" "), dir.display(), tail.join("\n"));
    }
    ensure!(wall > Duration::ZERO, "`{}` took no time", command.join(" "));
    Ok(Timing { wall, cpu })
}

/// User plus system time of every child process waited for so far (and of theirs).
fn children_cpu() -> Result<Duration> {
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN)?;
    let micros = |t: nix::sys::time::TimeVal| {
        Duration::from_secs(u64::try_from(t.tv_sec()).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec()).unwrap_or(0))
    };
    Ok(micros(usage.user_time()) + micros(usage.system_time()))
}

/// The one-minute load average and the core count: how busy the machine was.
fn load_average() -> String {
    let load = std::fs::read_to_string("/proc/loadavg").ok();
    let one = load.as_deref().and_then(|l| l.split_whitespace().next()).unwrap_or("unknown");
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZeroUsize::get);
    format!("{one} on {cores} cores")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stack_has_a_loop_of_named_commands() {
        for stack in STACKS {
            assert!(!stack.phases.is_empty(), "{}", stack.stack);
            for phase in stack.phases.iter().chain(stack.ci) {
                assert!(!phase.command.is_empty() && !phase.name.is_empty(), "{}", stack.stack);
            }
        }
    }

    #[test]
    fn the_report_keeps_ci_phases_out_of_the_total() {
        let python = STACKS.iter().find(|s| s.stack == "python").expect("python");
        let names: Vec<&str> = std::iter::once("new")
            .chain(python.phases.iter().map(|p| p.name))
            .chain(python.ci.iter().map(|p| p.name))
            .collect();
        let second = |s| Timing { wall: Duration::from_secs(s), cpu: Duration::from_secs(s) };
        let run: Vec<Timing> = (1..=u64::try_from(names.len()).expect("few")).map(second).collect();
        let report = python.report(&names, &[run]);
        let total: u64 = (1..=u64::try_from(names.len() - python.ci.len()).expect("few")).sum();
        let line = |name: &str| report.lines().find(|l| l.trim_start().starts_with(name)).expect("a row");
        assert!(line("total").contains(&format!(" {total}.0 s")), "{report}");
        let (_, ci) = report.split_once("in CI").expect("a CI part");
        assert!(ci.contains("tests with the floor"), "{report}");
    }

    #[test]
    fn a_phase_times_its_command_and_reports_a_failure_with_its_log() {
        let dir = tempfile::tempdir().expect("a scratch folder");
        let work = dir.path();
        let ok = timed(work, work, "ok", &["sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done"])
            .expect("it passes");
        assert!(ok.wall > Duration::ZERO && ok.cpu > Duration::ZERO, "{ok:?}");
        let error =
            timed(work, work, "bad", &["sh", "-c", "echo the reason; exit 3"]).expect_err("it fails").to_string();
        assert!(error.contains("the reason") && error.contains("exit status: 3"), "{error}");
    }
}
