//! Running one command of a verification: timed, its output kept for the report.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use backend_gen_core::verification::Toolchain;

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
    run_with_env(dir, program, args, &[])
}

/// [`run`] with extra environment variables (a step's `env`).
pub fn run_with_env(
    dir: &Path,
    program: &Path,
    args: &[String],
    env: &[(String, String)],
) -> (Outcome, Duration, String) {
    let started = Instant::now();
    let output = Command::new(program).args(args).envs(env.iter().map(|(k, v)| (k, v))).current_dir(dir).output();
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

/// Why `toolchain` cannot serve a step: not on `PATH`, its version unreadable, or older than its minimum.
pub fn missing_toolchain(dir: &Path, toolchain: &Toolchain) -> Option<String> {
    let Some(program) = locate(dir, &toolchain.program) else {
        return Some(format!("`{}` is not installed (not on PATH)", toolchain.program));
    };
    let output = match Command::new(&program).args(&toolchain.version_args).output() {
        Ok(output) => output,
        Err(e) => return Some(format!("`{}` could not be started ({e})", program.display())),
    };
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let (Some(found), Some(minimum)) = (first_version(&text), first_version(&toolchain.minimum)) else {
        return Some(format!("`{}` printed no version", program.display()));
    };
    (found < minimum).then(|| {
        let shown = found.iter().map(u64::to_string).collect::<Vec<_>>().join(".");
        format!("`{}` is {shown}, older than the {} this step needs", program.display(), toolchain.minimum)
    })
}

/// The first dotted number in `text` (`v24.22.3` → `[24, 22, 3]`), padded to three parts so that
/// `22` and `22.0.0` compare equal.
fn first_version(text: &str) -> Option<Vec<u64>> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let rest = &text[start..];
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
    let mut parts: Vec<u64> = rest[..end].split('.').map_while(|p| p.parse().ok()).collect();
    parts.resize(parts.len().max(3), 0);
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_and_compared_numerically() {
        assert_eq!(first_version("v24.22.3\n"), Some(vec![24, 22, 3]));
        assert_eq!(first_version("22"), Some(vec![22, 0, 0]));
        assert!(first_version("v20.20.2") < first_version("22"));
        assert!(first_version("v24.22.3") >= first_version("22"));
        assert!(first_version("10.0") > first_version("9.12"));
        assert_eq!(first_version("no digits"), None);
    }

    #[test]
    fn a_missing_toolchain_is_named() {
        let toolchain = Toolchain {
            program: "no-such-tool-anywhere".into(),
            version_args: vec!["--version".into()],
            minimum: "1".into(),
        };
        let why = missing_toolchain(Path::new("."), &toolchain).expect("missing");
        assert!(why.contains("`no-such-tool-anywhere` is not installed"), "{why}");
    }
}
