//! How `cargo xtask verify` proves a generated Python project green: uv installs, then ruff, mypy
//! and pytest, then the installed script serves.

use std::time::Duration;

use backend_gen_core::ProjectSpec;
use backend_gen_core::verification::{Chain, Serve, Step, Verification};

const INSTALL_TIMEOUT: Duration = Duration::from_secs(600);
const CHECK_TIMEOUT: Duration = Duration::from_secs(300);
const UV_CHAIN: &str = "uv";

pub(crate) fn verification(spec: &ProjectSpec) -> Verification {
    let uv_run = |name: &str, args: &[&str]| {
        let args: Vec<_> = ["run", "--no-sync"].iter().chain(args).copied().collect();
        Step::new(name, "uv", &args, CHECK_TIMEOUT)
    };
    let steps = vec![
        Step::new("uv sync", "uv", &["sync", "--no-python-downloads"], INSTALL_TIMEOUT),
        uv_run("ruff check", &["ruff", "check", "."]),
        uv_run("ruff format", &["ruff", "format", "--check", "."]),
        uv_run("mypy --strict", &["mypy", "--strict", "src", "tests"]),
        uv_run("pytest", &["pytest"]),
    ];
    // The script itself, not `uv run`, so stopping the process stops the server.
    let serve = Step::new("serve", &format!(".venv/bin/{}", spec.name.kebab), &[], Duration::ZERO);
    Verification {
        chains: vec![Chain { name: UV_CHAIN.to_owned(), steps }],
        serve: Serve { after: UV_CHAIN.to_owned(), step: serve, start_timeout: Duration::from_secs(90) },
    }
}
