//! `cargo xtask bench`: wall time of `backend-gen new` (release build), and of a generated
//! project's own loop from `new` to green, phase by phase; figures, not assertions.

mod green;

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Result, ensure};

use crate::project::{Profile, build_binary};

#[derive(Debug, clap::Args)]
pub struct Bench {
    /// Timed runs of `backend-gen new` (after one warm-up run).
    #[arg(long, default_value_t = 30)]
    runs: usize,
    /// A stack to measure (python, node, kotlin), again for more; every stack when none is named.
    #[arg(long = "stack")]
    stacks: Vec<String>,
    /// What to time: `new` alone, `green` (new → green, by phase), or both.
    #[arg(long, value_enum, default_value_t = Measure::All)]
    measure: Measure,
    /// Timed new → green runs per stack, each in a fresh project, after one untimed run that
    /// fills the package caches (so the figures are the warm ones).
    #[arg(long, default_value_t = 1)]
    green_runs: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Measure {
    New,
    Green,
    All,
}

impl Bench {
    pub fn run(self) -> Result<()> {
        let Self { runs, stacks, measure, green_runs } = self;
        ensure!(runs > 0 && green_runs > 0, "`--runs` and `--green-runs` must be at least 1");
        let stacks =
            if stacks.is_empty() { green::STACKS.iter().map(|s| s.stack.to_owned()).collect() } else { stacks };
        let binary = build_binary(Profile::Release)?;
        for stack in &stacks {
            let loop_ = green::STACKS.iter().find(|s| s.stack == stack);
            if matches!(measure, Measure::New | Measure::All) {
                let extra = loop_.map_or(&[][..], |s| s.new_args);
                time_new(&binary, stack, extra, runs)?;
            }
            if matches!(measure, Measure::Green | Measure::All) {
                let Some(loop_) = loop_ else {
                    anyhow::bail!("no new → green loop is known for stack `{stack}`");
                };
                loop_.bench(&binary, green_runs)?;
            }
        }
        Ok(())
    }
}

/// `runs` timed runs of `backend-gen new` for `stack`, after one untimed run; prints the median.
fn time_new(binary: &std::path::Path, stack: &str, extra: &[&str], runs: usize) -> Result<()> {
    let mut times = Vec::with_capacity(runs);
    for run in 0..=runs {
        let dir = tempfile::tempdir()?;
        let started = Instant::now();
        let out = Command::new(binary)
            .args(["new", "demo", "--stack", stack, "--no-git"])
            .args(extra)
            .arg("--output")
            .arg(dir.path())
            .output()?;
        let elapsed = started.elapsed();
        ensure!(out.status.success(), "run {run} failed: {}", String::from_utf8_lossy(&out.stderr));
        if run > 0 {
            times.push(elapsed);
        }
    }
    let (median, min, max) = spread(&mut times);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "backend-gen new demo --stack {stack} {}--no-git: {runs} runs, median {:.2} ms, min {:.2} ms, max {:.2} ms",
        extra.iter().map(|a| format!("{a} ")).collect::<String>(),
        ms(median),
        ms(min),
        ms(max)
    );
    Ok(())
}

/// Median, minimum and maximum of `times` (sorted in place; not empty).
fn spread(times: &mut [Duration]) -> (Duration, Duration, Duration) {
    times.sort();
    let n = times.len();
    let median = if n % 2 == 1 { times[n / 2] } else { (times[n / 2 - 1] + times[n / 2]) / 2 };
    (median, times[0], times[n - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_takes_the_middle_of_an_odd_or_even_count() {
        let secs = Duration::from_secs;
        assert_eq!(spread(&mut [secs(3), secs(1), secs(2)]), (secs(2), secs(1), secs(3)));
        assert_eq!(spread(&mut [secs(4), secs(1), secs(2), secs(3)]), (Duration::from_millis(2500), secs(1), secs(4)));
    }
}
