//! Command-line types (clap) and nothing else: resolving them into settings happens in `settings`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

const EXAMPLES: &str = "\
Examples:
  backend-gen new orders --stack python              a FastAPI service in ./orders
  backend-gen new orders --stack python --feature compose --output ~/src
  backend-gen new orders --stack python --no-default-features --no-git
  backend-gen new orders --stack python --dry-run --format json
  backend-gen new --answers orders/.backend-gen.toml --output /tmp/again
  backend-gen new orders --template ./my-template --define port=9000   a local cargo-generate template
  backend-gen list
  backend-gen serve --port 8080                       the same projects from a web page and an HTTP API";

#[derive(Debug, Parser)]
#[command(name = "backend-gen", version, about, after_help = EXAMPLES, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a new backend service.
    #[command(after_help = EXAMPLES)]
    New(NewArgs),
    /// List the stacks, their features and options.
    List(ListArgs),
    /// Serve a web page and an HTTP API that generate the same projects as `new`, as archives.
    Serve(ServeArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Internal: render one cargo-generate job (JSON) in this child process, for `new --template`.
    #[command(hide = true)]
    RenderTemplate(RenderTemplateArgs),
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Project name; also the folder name. Prompted for on a terminal when missing.
    pub name: Option<String>,
    /// Stack to generate (see `backend-gen list`). Prompted for on a terminal when missing.
    #[arg(long, short)]
    pub stack: Option<String>,
    /// Enable a feature (repeat, or separate with commas).
    #[arg(long = "feature", short = 'f', value_name = "FEATURE", value_delimiter = ',')]
    pub features: Vec<String>,
    /// Do not enable the stack's default features.
    #[arg(long)]
    pub no_default_features: bool,
    /// Set a stack option (repeat for several); `backend-gen list` shows each stack's options.
    #[arg(long = "option", value_name = "KEY=VALUE")]
    pub options: Vec<String>,
    /// Render a local cargo-generate template (a folder or a local git repository) instead of a stack.
    #[arg(long, value_name = "PATH")]
    pub template: Option<String>,
    /// Set a template placeholder (repeat for several); the others are asked on a terminal.
    #[arg(long = "define", short = 'd', value_name = "KEY=VALUE")]
    pub defines: Vec<String>,
    /// Let a template's hooks run system commands (refused otherwise).
    #[arg(long)]
    pub allow_commands: bool,
    /// Take name, stack, features and options (or template and values) from an answers file
    /// (`.backend-gen.toml`); `NAME` may rename.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["stack", "features", "no_default_features", "options", "template", "defines"]
    )]
    pub answers: Option<PathBuf>,
    /// Folder in which the project folder is created.
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    pub output: PathBuf,
    /// Do not create a git repository.
    #[arg(long)]
    pub no_git: bool,
    /// Replace an existing, non-empty project folder (its contents are deleted).
    #[arg(long)]
    pub force: bool,
    /// Print the plan without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; anything but loopback makes the page reachable from other machines.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// Port to listen on; 0 picks a free one (the first line printed says which).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Archives one client address may download per minute (previews: ten times as many).
    #[arg(long, value_name = "N", default_value_t = std::num::NonZeroU32::new(60).unwrap_or(std::num::NonZeroU32::MIN))]
    pub rate_limit: std::num::NonZeroU32,
    /// Archives made at once; more wait their turn (default: the number of CPUs).
    #[arg(long, value_name = "N")]
    pub concurrency: Option<std::num::NonZeroUsize>,
}

#[derive(Debug, Args)]
pub struct RenderTemplateArgs {
    /// The job file the parent wrote.
    pub job: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}
