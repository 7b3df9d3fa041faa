//! How `cargo xtask verify` proves a generated project green: the stack's own toolchain, as steps
//! a generator returns for one spec (a Maven and a Gradle variant of one stack differ).
//!
//! This is test data for the workspace's harness, not part of the public CLI output.

use std::time::Duration;

/// The verification of one generated project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Independent chains (for example a Maven and a Gradle build of one project): within a chain,
    /// a step that does not pass blocks the later ones; a chain never blocks another.
    pub chains: Vec<Chain>,
    /// How the service is started once the chain named `serve.after` has passed.
    pub serve: Serve,
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

/// The command that serves the installed project in the foreground, reading `PORT` and `HOST`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Serve {
    /// The chain that must pass before the service can start.
    pub after: String,
    pub step: Step,
    /// How long the service may take to answer its health check.
    pub start_timeout: Duration,
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
}
