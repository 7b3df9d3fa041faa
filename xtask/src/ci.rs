//! `cargo xtask ci`: the README's test command; what CI runs after installing the toolchains.

use std::process::Command;

use anyhow::{Result, ensure};

#[derive(Debug, clap::Args)]
pub struct Ci {}

impl Ci {
    pub fn run(self) -> Result<()> {
        let Self {} = self;
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let steps: [&[&str]; 6] = [
            &["fmt", "--all", "--", "--check"],
            &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
            &["test", "--workspace"],
            // The slow tests `cargo test` skips: the stack scaffold built in a copy of the workspace, the
            // Micronaut-like pom built by real Maven.
            &["test", "--workspace", "--", "--ignored"],
            // The names a project may not take come from a resolution: it must match today's.
            &["xtask", "resolve-names", "--check"],
            &["xtask", "verify", "--strict"],
        ];
        for args in steps {
            println!("==> cargo {}", args.join(" "));
            let status = Command::new(&cargo).args(args).current_dir(crate::workspace_root()).status()?;
            ensure!(status.success(), "`cargo {}` failed", args.join(" "));
        }
        Ok(())
    }
}
