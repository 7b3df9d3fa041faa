//! `cargo xtask bench`: wall time of `backend-gen new` (release build), as figures, not assertions.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Result, ensure};

use crate::project::{Profile, build_binary};

#[derive(Debug, clap::Args)]
pub struct Bench {
    /// Number of timed runs (after one warm-up run).
    #[arg(long, default_value_t = 30)]
    runs: usize,
    #[arg(long, default_value = "python")]
    stack: String,
}

impl Bench {
    pub fn run(self) -> Result<()> {
        let Self { runs, stack } = self;
        ensure!(runs > 0, "`--runs` must be at least 1");
        let binary = build_binary(Profile::Release)?;

        let mut times = Vec::with_capacity(runs);
        for run in 0..=runs {
            let dir = tempfile::tempdir()?;
            let started = Instant::now();
            let out = Command::new(&binary)
                .args(["new", "demo", "--stack", &stack, "--no-git", "--output"])
                .arg(dir.path())
                .output()?;
            let elapsed = started.elapsed();
            ensure!(out.status.success(), "run {run} failed: {}", String::from_utf8_lossy(&out.stderr));
            if run > 0 {
                times.push(elapsed);
            }
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let median =
            if runs % 2 == 1 { ms(times[runs / 2]) } else { (ms(times[runs / 2 - 1]) + ms(times[runs / 2])) / 2.0 };
        println!(
            "backend-gen new demo --stack {stack} --no-git: {runs} runs, median {median:.2} ms, min {:.2} ms, max {:.2} ms",
            ms(times[0]),
            ms(times[runs - 1])
        );
        Ok(())
    }
}
