//! `backend-gen completions SHELL`.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: CompletionsArgs) {
    let CompletionsArgs { shell } = args;
    clap_complete::generate(shell, &mut Cli::command(), "backend-gen", &mut std::io::stdout());
}
