//! One verification step run in a project: its toolchain probed, its deadline kept, and what
//! happened summed up as a status, a one-line reason, a duration and a log.

use std::path::Path;
use std::time::{Duration, Instant};

use backend_gen_core::verification::Step;

use crate::process::{self, Finished};
use crate::toolchain;

/// How many lines of a failed step's output the report keeps.
const LOG_TAIL_LINES: usize = 80;

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    Skip,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Self::Pass => "PASS",
            Self::Fail => "FAIL",
            Self::Skip => "SKIP",
        }
    }
}

/// What running (or not running) a step produced.
#[derive(Debug, Clone)]
pub struct StepResult {
    pub status: Status,
    /// One line: why it failed or was skipped; empty for a pass.
    pub reason: String,
    pub duration: Duration,
    /// The tail of its output when it failed.
    pub log: String,
}

impl StepResult {
    pub fn pass(duration: Duration) -> Self {
        Self { status: Status::Pass, reason: String::new(), duration, log: String::new() }
    }

    pub fn skip(reason: impl Into<String>) -> Self {
        Self { status: Status::Skip, reason: reason.into(), duration: Duration::ZERO, log: String::new() }
    }

    pub fn fail(reason: impl Into<String>, duration: Duration, log: impl Into<String>) -> Self {
        Self { status: Status::Fail, reason: reason.into(), duration, log: log.into() }
    }

    /// The result of a check that ran in-process: its error chain is the log.
    pub fn timed(check: impl FnOnce() -> anyhow::Result<()>) -> Self {
        let started = Instant::now();
        match check() {
            Ok(()) => Self::pass(started.elapsed()),
            Err(e) => {
                let reason = e.root_cause().to_string().lines().next().unwrap_or_default().to_owned();
                Self::fail(reason, started.elapsed(), format!("{e:#}"))
            }
        }
    }
}

/// Runs `step` in `dir`: a missing or too old toolchain, or a missing program, is a SKIP.
pub fn run(dir: &Path, step: &Step) -> StepResult {
    if let Some(Err(reason)) = step.toolchain.as_ref().map(|t| toolchain::probe(t, dir)) {
        return StepResult::skip(reason);
    }
    let Some(program) = process::locate(dir, &step.program) else {
        return StepResult::skip(format!("`{}` is not installed (not on PATH)", step.program));
    };
    let command = format!("$ {} {}", step.program, step.args.join(" "));
    match process::run(dir, &program, &step.args, &step.env, step.timeout) {
        Err(e) => StepResult::fail(format!("could not start `{}`: {e}", step.program), Duration::ZERO, command),
        Ok(captured) => {
            let log = || format!("{command}\n{}", process::tail(&captured.output, LOG_TAIL_LINES));
            match captured.finished {
                Finished::Exited(status) if status.success() => StepResult::pass(captured.duration),
                Finished::Exited(status) => StepResult::fail(format!("exited with {status}"), captured.duration, log()),
                Finished::TimedOut(limit) => StepResult::fail(
                    format!("still running after its {} s timeout: killed", limit.as_secs()),
                    captured.duration,
                    log(),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use backend_gen_core::verification::Toolchain;

    use super::*;

    fn sh(script: &str, timeout: Duration) -> Step {
        Step::new("sh", "sh", &["-c", script], timeout)
    }

    #[test]
    fn a_step_passes_fails_or_times_out() {
        let dir = Path::new(".");
        assert_eq!(run(dir, &sh("true", Duration::from_secs(30))).status, Status::Pass);
        let failed = run(dir, &sh("echo broken; exit 1", Duration::from_secs(30)));
        assert_eq!(failed.status, Status::Fail);
        assert!(failed.log.contains("broken"), "{failed:?}");
        let hung = run(dir, &sh("echo waiting; sleep 300", Duration::from_millis(300)));
        assert_eq!(hung.status, Status::Fail);
        assert!(hung.reason.contains("timeout") && hung.log.contains("waiting"), "{hung:?}");
    }

    #[test]
    fn a_step_whose_toolchain_is_too_old_is_skipped() {
        let mut step = sh("exit 1", Duration::from_secs(30));
        step.toolchain = Some(Toolchain {
            program: "sh".to_owned(),
            version_args: vec!["-c".to_owned(), "echo Gradle 4.4.1".to_owned()],
            minimum: "8.0".to_owned(),
        });
        let skipped = run(Path::new("."), &step);
        assert_eq!(skipped.status, Status::Skip);
        assert!(skipped.reason.contains("4.4.1"), "{skipped:?}");
    }
}
