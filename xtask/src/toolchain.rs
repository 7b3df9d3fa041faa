//! Whether the tool a step needs is here and new enough: a missing or too old tool makes the step
//! a SKIP with the reason (Debian's `gradle` 4.4 on PATH is too old, not a failure of the project).

use std::path::Path;
use std::time::Duration;

use backend_gen_core::verification::Toolchain;

use crate::process::{self, Finished};

/// A version probe (`gradle --version` starts a JVM) gets this long.
const PROBE_TIMEOUT: Duration = Duration::from_secs(120);

/// `Ok` when `toolchain` is installed in at least its minimum version, else why the step cannot run.
pub fn probe(toolchain: &Toolchain, dir: &Path) -> Result<(), String> {
    let Toolchain { program, version_args, minimum } = toolchain;
    let Some(path) = process::locate(dir, program) else {
        return Err(format!("`{program}` is not installed (not on PATH); needs {minimum} or newer"));
    };
    let captured = process::run(dir, &path, version_args, &[], PROBE_TIMEOUT)
        .map_err(|e| format!("`{program} {}` could not run: {e}", version_args.join(" ")))?;
    if !matches!(captured.finished, Finished::Exited(status) if status.success()) {
        return Err(format!("`{program} {}` failed: {}", version_args.join(" "), process::tail(&captured.output, 5)));
    }
    check_version(program, &captured.output, minimum)
}

/// Compares the first dotted number of `output` with `minimum`.
fn check_version(program: &str, output: &str, minimum: &str) -> Result<(), String> {
    let Some(found) = first_version(output) else {
        return Err(format!("`{program}` printed no version number"));
    };
    let wanted = parse_version(minimum).ok_or_else(|| format!("the minimum `{minimum}` is not a dotted version"))?;
    if at_least(&found, &wanted) {
        Ok(())
    } else {
        let found: Vec<_> = found.iter().map(u64::to_string).collect();
        Err(format!("`{program}` is {}, older than the {minimum} this step needs", found.join(".")))
    }
}

/// The first number with at least one dot (`4.4.1` in `Gradle 4.4.1`, `24.1.0` in `v24.1.0`).
fn first_version(text: &str) -> Option<Vec<u64>> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|word| word.trim_matches('.'))
        .filter(|word| word.contains('.'))
        .find_map(parse_version)
}

fn parse_version(text: &str) -> Option<Vec<u64>> {
    text.split('.').map(|part| part.parse().ok()).collect()
}

/// Component by component; a missing component counts as 0 (`8` = `8.0.0`).
fn at_least(found: &[u64], minimum: &[u64]) -> bool {
    let len = found.len().max(minimum.len());
    let pad = |v: &[u64]| (0..len).map(|i| v.get(i).copied().unwrap_or(0)).collect::<Vec<_>>();
    pad(found) >= pad(minimum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_dotted_number() {
        assert_eq!(first_version("\nGradle 4.4.1\n\nBuild time: 2012"), Some(vec![4, 4, 1]));
        assert_eq!(first_version("v24.1.0"), Some(vec![24, 1, 0]));
        assert_eq!(first_version("uv 0.13.9 (x86_64)"), Some(vec![0, 13, 9]));
        assert_eq!(first_version("Apache Maven 3.8.7 (b89d5959)"), Some(vec![3, 8, 7]));
        assert_eq!(first_version("version 12 only."), None);
    }

    #[test]
    fn compares_versions_numerically() {
        assert!(at_least(&[8, 10], &[8, 2]));
        assert!(at_least(&[8], &[8, 0]));
        assert!(!at_least(&[4, 4, 1], &[8, 0]));
        assert!(!at_least(&[0, 9], &[0, 13]));
        assert!(at_least(&[0, 13, 9], &[0, 13]));
    }

    #[test]
    fn an_old_tool_is_a_skip_with_the_reason() {
        let reason = check_version("gradle", "Gradle 4.4.1", "8.0").expect_err("too old");
        assert!(reason.contains("4.4.1") && reason.contains("8.0"), "{reason}");
        assert!(check_version("gradle", "Gradle 8.14", "8.0").is_ok());
        assert!(check_version("gradle", "no number", "8.0").is_err());
    }

    #[test]
    fn a_missing_tool_is_a_skip_with_the_reason() {
        let toolchain = Toolchain {
            program: "backend-gen-no-such-tool".to_owned(),
            version_args: vec!["--version".to_owned()],
            minimum: "1.0".to_owned(),
        };
        let reason = probe(&toolchain, Path::new(".")).expect_err("missing");
        assert!(reason.contains("not installed"), "{reason}");
    }

    #[test]
    fn an_installed_tool_is_probed() {
        let toolchain = Toolchain {
            program: "sh".to_owned(),
            version_args: vec!["-c".to_owned(), "echo tool 2.5.1".to_owned()],
            minimum: "2.5".to_owned(),
        };
        assert_eq!(probe(&toolchain, Path::new(".")), Ok(()));
    }
}
