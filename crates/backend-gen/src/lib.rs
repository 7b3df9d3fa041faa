//! The `backend-gen` command: parses arguments, runs one command, maps errors to exit statuses.

/// `eprintln!` that ignores a closed stderr (`2>&1 | head`): a message nobody reads must not turn
/// the documented exit status (0, 1 or 2) into a panic's 101.
macro_rules! stderr_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod child;
pub mod cli;
mod commands;
mod error;
mod interrupt;
mod listing;
mod lock;
mod prompt;
pub mod registry;
pub mod serve;
mod settings;
mod stage;
mod template;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::error::CliError;

/// Runs the command line `args` (program name first) and returns the exit status.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        // clap prints help and version to stdout with status 0, usage errors to stderr with 2.
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let registry = match registry::registry() {
        Ok(registry) => registry,
        Err(e) => return report(&CliError::from(e)),
    };
    let result = match cli.command {
        Command::New(args) => commands::new::run(args, &registry),
        Command::List(args) => Ok(commands::list::run(args, &registry)),
        Command::RenderTemplate(args) => commands::render_template::run(&args),
        Command::Serve(args) => commands::serve::run(args, registry),
        Command::Completions(args) => {
            commands::completions::run(args);
            Ok(String::new())
        }
    };
    match result {
        Ok(output) => {
            let _ = std::io::stdout().write_all(output.as_bytes());
            ExitCode::SUCCESS
        }
        Err(error) => report(&error),
    }
}

fn report(error: &CliError) -> ExitCode {
    stderr_line!("error: {}", error.message());
    error.exit_code()
}
