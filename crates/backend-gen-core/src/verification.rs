//! How `cargo xtask verify` proves a generated project green: the stack's own toolchain, as steps
//! a generator returns for one spec (a Maven and a Gradle variant of one stack differ).
//!
//! This is test data for the workspace's harness, not part of the public CLI output.

use std::time::Duration;

use crate::feature::shared;
use crate::spec::ProjectSpec;

/// The verification of one generated project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Independent chains (for example a Maven and a Gradle build of one project): within a chain,
    /// a step that does not pass blocks the later ones; a chain never blocks another.
    pub chains: Vec<Chain>,
    /// How the service is started once the chain named `serve.after` has passed.
    pub serve: Serve,
    /// The project's own tests that need a PostgreSQL database, run after `serve.after` has
    /// passed with `TEST_DATABASE_URL` set to an emptied database, when the harness has one (the
    /// contract's "the same migrations run on SQLite/H2 and on PostgreSQL", seen from inside).
    /// The step must fail, not skip, when that variable names a database it cannot use.
    pub database_tests: Option<Step>,
}

/// Steps that run in order, each needing the ones before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub name: String,
    pub steps: Vec<Step>,
}

/// One command run in the project folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Unique within the verification: `--allow-skip` names steps by it.
    pub name: String,
    /// A name looked up on `PATH`, or a path relative to the project folder.
    pub program: String,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// A step still running after this is killed and reported as failed.
    pub timeout: Duration,
    /// The tool the step needs; missing or too old, the step is skipped with the reason.
    pub toolchain: Option<Toolchain>,
}

/// A tool a step needs, and the oldest version that will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toolchain {
    pub program: String,
    /// Arguments that make it print its version (`--version`).
    pub version_args: Vec<String>,
    /// Dotted numeric version (`8.0`): the first such number in the probe's output is compared with it.
    pub minimum: String,
}

/// A stack's bare twin, for `cargo xtask bench-service`: the same framework serving the same four
/// benchmarked routes (live health, item read, item page, item create) over the same database
/// and an equivalent model, without the contract layer (no auth, security headers, rate limiter,
/// request ids or logging), so the benchmark can say what that layer costs. Where it can, it reads
/// through the generated project's own database set-up (an engine, a driver adapter), so that a
/// faster set-up counts on both sides. It lives outside the generated project and uses the
/// project's installed dependencies, so its versions are the pins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BareTwin {
    /// The twin's files (path relative to its own folder, content).
    pub files: Vec<(String, String)>,
    /// Runs in the twin's folder in the foreground until stopped. It reads `PROJECT_DIR` (the
    /// installed generated project), `PORT`, `HOST` and `DATABASE_URL` (in the form of
    /// [`Serve::embedded_database_url`], a database of its own that it creates its table in).
    pub serve: Step,
    /// How long it may take to answer its live health route (a build included, if it needs one).
    pub start_timeout: Duration,
}

/// The command that serves the installed project in the foreground, reading `PORT` and `HOST`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Serve {
    /// The chain that must pass before the service can start.
    pub after: String,
    /// Runs until stopped, so its `timeout` is not used: `start_timeout` bounds the start.
    pub step: Step,
    /// How long the service may take to answer its health check.
    pub start_timeout: Duration,
    /// The `DATABASE_URL` of a new embedded database in the file `{path}` (an absolute path the
    /// harness chooses): how the start-up cases give instances a fresh database of their own.
    pub embedded_database_url: String,
    /// The project's own command that writes `.env` from `.env.example` with fresh secrets, as its
    /// README gives it: what a downloaded archive or a fresh clone, which have no `.env`, run first.
    pub init_env: Step,
}

impl Step {
    /// A step with no environment and no toolchain probe.
    pub fn new(name: &str, program: &str, args: &[&str], timeout: Duration) -> Self {
        Self {
            name: name.to_owned(),
            program: program.to_owned(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            env: Vec::new(),
            timeout,
            toolchain: None,
        }
    }

    /// Adds an environment variable (a tool's cache folder, a switch that keeps it offline).
    #[must_use]
    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Makes the step need `toolchain`: without it, or with an older one, the step is skipped.
    #[must_use]
    pub fn needs(mut self, toolchain: Toolchain) -> Self {
        self.toolchain = Some(toolchain);
        self
    }
}

/// The name of the chain [`shared_feature_checks`] returns.
pub const SHARED_CHECKS_CHAIN: &str = "ci files";

/// The linters users' own CI would run on what the shared features write, for every stack: the
/// workflow of `github-actions` (actionlint, zizmor's security audits) and the Dockerfile of `docker`
/// (hadolint). `None` when the project has neither. Each stack adds this chain to its verification;
/// the test kit checks that it does.
pub fn shared_feature_checks(spec: &ProjectSpec) -> Option<Chain> {
    let timeout = Duration::from_secs(120);
    let mut steps = Vec::new();
    if spec.has(shared::GITHUB_ACTIONS.id) {
        // actionlint finds workflows through git; the generated folder may have no repository yet.
        steps.push(
            Step::new("actionlint", "sh", &["-c", "actionlint .github/workflows/*.yml"], timeout)
                .needs(Toolchain::new("actionlint", &["-version"], "1.7")),
        );
        // `.github`, not only the workflows: zizmor also audits the Dependabot configuration.
        steps.push(Step::new("zizmor", "zizmor", &["--offline", "--quiet", ".github"], timeout).needs(Toolchain::new(
            "zizmor",
            &["--version"],
            "1.32",
        )));
    }
    if spec.has(shared::DOCKER.id) {
        steps.push(Step::new("hadolint", "hadolint", &["Dockerfile"], timeout).needs(Toolchain::new(
            "hadolint",
            &["--version"],
            "2.12",
        )));
    }
    (!steps.is_empty()).then(|| Chain { name: SHARED_CHECKS_CHAIN.to_owned(), steps })
}

/// Runs a generated project's `.pre-commit-config.yaml` on all its files with pre-commit `version`
/// (from PyPI, through uvx: every stack's hooks are local, so nothing else is fetched). pre-commit
/// reads the files git tracks, so the step makes the (scratch) project a repository first.
pub fn pre_commit_step(version: &str, timeout: Duration) -> Step {
    let script = format!(
        "git init -q . && git add -A && uvx --from pre-commit=={version} pre-commit run --all-files --show-diff-on-failure"
    );
    Step::new("pre-commit hooks", "sh", &["-c", &script], timeout)
        .env("UV_PYTHON_DOWNLOADS", "never")
        .needs(Toolchain::new("uv", &["--version"], "0.13"))
}

impl Toolchain {
    /// `program` probed with `version_args`, at least `minimum` (`"8.0"`).
    pub fn new(program: &str, version_args: &[&str], minimum: &str) -> Self {
        Self {
            program: program.to_owned(),
            version_args: version_args.iter().map(|a| (*a).to_owned()).collect(),
            minimum: minimum.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_fill_every_field() {
        let step = Step::new("gradle build", "gradle", &["build"], Duration::from_secs(5))
            .env("GRADLE_USER_HOME", "/cache")
            .needs(Toolchain::new("gradle", &["--version"], "8.0"));
        assert_eq!(step.env, [("GRADLE_USER_HOME".to_owned(), "/cache".to_owned())]);
        let toolchain = step.toolchain.expect("a toolchain");
        assert_eq!((toolchain.program.as_str(), toolchain.minimum.as_str()), ("gradle", "8.0"));
        assert_eq!(toolchain.version_args, ["--version"]);
    }
}
