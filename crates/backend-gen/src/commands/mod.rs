//! One module per subcommand; each takes its arguments and returns what to print or a `CliError`.

pub mod completions;
pub mod list;
pub mod new;
pub mod render_template;
pub mod serve;
