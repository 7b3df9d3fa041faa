//! `cargo xtask ci`: the README's test command; what CI runs after installing the toolchains.

use std::process::Command;

use anyhow::{Result, ensure};

#[derive(Debug, clap::Args)]
pub struct Ci {
    /// Passed on to `verify --strict`: a step that may SKIP on this machine (a known gap, repeatable).
    #[arg(long = "allow-skip", value_name = "STEP")]
    allow_skip: Vec<String>,
}

impl Ci {
    pub fn run(self) -> Result<()> {
        let Self { allow_skip } = self;
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut verify = vec!["xtask", "verify", "--strict"];
        for step in &allow_skip {
            verify.extend(["--allow-skip", step.as_str()]);
        }
        let steps: [&[&str]; 7] = [
            &["fmt", "--all", "--", "--check"],
            &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
            &["test", "--workspace"],
            // The slow tests `cargo test` skips: the stack scaffold built in a copy of the workspace, the
            // Micronaut-like pom built by real Maven.
            &["test", "--workspace", "--", "--ignored"],
            // The names a project may not take come from a resolution: it must match today's.
            &["xtask", "resolve-names", "--check"],
            &verify,
            // The service benchmark runs (a smoke run: 2 s per figure, one round) and every answer is
            // a 2xx; its figures gate nothing. Python only: about a minute; Node would add its build,
            // and Kotlin a Maven build of its bare twin (minutes), for no more proof that the command works.
            &["xtask", "bench-service", "--stack", "python", "--seconds", "2", "--rounds", "1"],
        ];
        for args in steps {
            println!("==> cargo {}", args.join(" "));
            let status = Command::new(&cargo).args(args).current_dir(crate::workspace_root()).status()?;
            ensure!(status.success(), "`cargo {}` failed", args.join(" "));
        }
        Ok(())
    }
}
