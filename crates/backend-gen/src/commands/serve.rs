//! `backend-gen serve`: flags into limits, then the server until Ctrl-C.

use backend_gen_core::Registry;

use crate::cli::ServeArgs;
use crate::error::CliError;
use crate::serve::{self, Limits};

pub fn run(args: ServeArgs, registry: Registry) -> Result<String, CliError> {
    let ServeArgs { host, port, rate_limit, concurrency } = args;
    let defaults = Limits::default();
    let limits = Limits {
        per_client_per_minute: rate_limit,
        concurrent: concurrency.map_or(defaults.concurrent, usize::from),
        ..defaults
    };
    serve::run(host, port, registry, limits)
}
