//! Entry point of the `backend-gen` binary.

use std::process::ExitCode;

fn main() -> ExitCode {
    backend_gen::run(std::env::args_os())
}
