//! How `cargo xtask verify` proves a generated Python project green: uv installs, then ruff, mypy
//! and pytest, then the installed script serves.

use std::time::Duration;

use backend_gen_core::ProjectSpec;
use backend_gen_core::verification::{Chain, Serve, Step, Toolchain, Verification, shared_feature_checks};

const INSTALL_TIMEOUT: Duration = Duration::from_secs(600);
const CHECK_TIMEOUT: Duration = Duration::from_secs(300);
/// A cold first import (FastAPI, SQLAlchemy, Alembic) on two busy cores.
const START_TIMEOUT: Duration = Duration::from_secs(90);
const UV_CHAIN: &str = "uv";
/// The oldest uv whose lockfile and `--no-python-downloads` the generated project relies on.
const UV_MINIMUM: &str = "0.13";

pub(crate) fn verification(spec: &ProjectSpec) -> Verification {
    // Every step runs through uv; uv may not download Pythons here (only the machine's 3.11).
    let uv = |name: &str, args: &[&str], timeout| {
        Step::new(name, "uv", args, timeout).env("UV_PYTHON_DOWNLOADS", "never").needs(Toolchain::new(
            "uv",
            &["--version"],
            UV_MINIMUM,
        ))
    };
    let uv_run = |name: &str, args: &[&str]| {
        let args: Vec<_> = ["run", "--no-sync"].iter().chain(args).copied().collect();
        uv(name, &args, CHECK_TIMEOUT)
    };
    let steps = vec![
        // `--locked`: the uv.lock generation wrote must exist and still match pyproject.toml.
        uv("uv sync --locked", &["sync", "--locked", "--no-python-downloads"], INSTALL_TIMEOUT),
        uv_run("ruff check", &["ruff", "check", "."]),
        uv_run("ruff format", &["ruff", "format", "--check", "."]),
        uv_run("mypy --strict", &["mypy", "--strict", "src", "tests"]),
        uv_run("pytest", &["pytest"]),
        // A team's first edit: a new migration made by the project's own tool passes its own checks.
        uv_run("new migration", &["alembic", "revision", "-m", "first edit"]),
        uv_run("ruff check after it", &["ruff", "check", "."]),
        uv_run("ruff format after it", &["ruff", "format", "--check", "."]),
    ];
    // The script itself, not `uv run`: one process less between the signal and the server
    // (xtask stops the whole process group either way).
    let serve = Step::new("serve", &format!(".venv/bin/{}", spec.name.kebab), &[], Duration::ZERO);
    let mut chains = vec![Chain { name: UV_CHAIN.to_owned(), steps }];
    chains.extend(shared_feature_checks(spec));
    Verification {
        chains,
        serve: Serve {
            after: UV_CHAIN.to_owned(),
            step: serve,
            start_timeout: START_TIMEOUT,
            embedded_database_url: "sqlite+aiosqlite:///{path}".to_owned(),
        },
    }
}
