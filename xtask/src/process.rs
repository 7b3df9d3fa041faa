//! Running one command of a verification: timed, its output kept for the report.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail,
    Skip,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Self::Pass => "PASS",
            Self::Fail => "FAIL",
            Self::Skip => "SKIP",
        }
    }
}

/// One row of the report.
#[derive(Debug)]
pub struct StepResult {
    pub fixture: String,
    pub step: String,
    pub outcome: Outcome,
    pub duration: Duration,
    /// Output of a failed step, or why it was skipped.
    pub log: String,
}

/// Runs `program args` in `dir` and captures its output.
pub fn run(dir: &Path, program: &Path, args: &[String]) -> (Outcome, Duration, String) {
    let started = Instant::now();
    let output = Command::new(program).args(args).current_dir(dir).output();
    let duration = started.elapsed();
    match output {
        Ok(out) => {
            let log = format!(
                "$ {} {}\n{}{}",
                program.display(),
                args.join(" "),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            (if out.status.success() { Outcome::Pass } else { Outcome::Fail }, duration, log)
        }
        Err(e) => (Outcome::Fail, duration, format!("could not start `{}`: {e}", program.display())),
    }
}

/// Where `program` lives: a path relative to `dir`, or a name searched on `PATH`.
pub fn locate(dir: &Path, program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let path = dir.join(program);
        return path.is_file().then_some(path);
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|p| p.join(program))
        .find(|p| p.is_file())
}
