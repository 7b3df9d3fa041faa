//! How `cargo xtask verify` proves a generated Python project green: uv installs exactly the
//! verified versions, then ruff, mypy and the test task with its coverage floor (a single test file
//! runs without it), then the installed script serves.

use std::time::Duration;

use backend_gen_core::ProjectSpec;
use backend_gen_core::verification::{
    Chain, Serve, Step, Toolchain, Verification, pre_commit_step, shared_feature_checks,
};

const INSTALL_TIMEOUT: Duration = Duration::from_secs(600);
const CHECK_TIMEOUT: Duration = Duration::from_secs(300);
/// A cold first import (FastAPI, SQLAlchemy, Alembic) on two busy cores.
const START_TIMEOUT: Duration = Duration::from_secs(90);
const UV_CHAIN: &str = "uv";
/// The oldest uv whose lockfile and `--no-python-downloads` the generated project relies on.
const UV_MINIMUM: &str = "0.13";

/// Reads uv.lock and compares it with the `name==version` pins it is given: exit 1 on any difference.
const LOCK_HOLDS_PINS: &str = r#"import re, sys, tomllib
def norm(name): return re.sub(r"[-_.]+", "-", name).lower()
with open("uv.lock", "rb") as f:
    locked = {norm(p["name"]): p["version"] for p in tomllib.load(f)["package"]}
pins = [a.split("==", 1) for a in sys.argv[1:]]
wrong = [f"{n}: uv.lock has {locked.get(norm(n))}, the pin is {v}" for n, v in pins if locked.get(norm(n)) != v]
print("\n".join(wrong) or (f"uv.lock holds the {len(pins)} pins exactly" if pins else "no pins to compare"))
sys.exit(1 if wrong or not pins else 0)
"#;

/// The test task on one file must fail on the coverage floor, and say so (not fail for another reason).
const TASK_ENFORCES_FLOOR: &str = "out=$(make test ARGS=tests/test_models.py 2>&1); status=$?; printf '%s\n' \"$out\"; \
    [ $status -ne 0 ] && printf '%s' \"$out\" | grep -q 'Required test coverage of .* not reached'";

/// `pins`: the `(name, version)` pairs the lockfile made at generation must hold; `pre_commit`: the
/// pre-commit release that runs the project's hooks.
pub(crate) fn verification(spec: &ProjectSpec, pins: &[(String, String)], pre_commit: &str) -> Verification {
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
    let pins: Vec<String> = pins.iter().map(|(name, version)| format!("{name}=={version}")).collect();
    let lock_check: Vec<&str> =
        ["python", "-c", LOCK_HOLDS_PINS].into_iter().chain(pins.iter().map(String::as_str)).collect();
    let make = Toolchain::new("make", &["--version"], "3.81");
    let steps = vec![
        // `--locked`: the uv.lock generation wrote must exist and still match pyproject.toml.
        uv("uv sync --locked", &["sync", "--locked", "--no-python-downloads"], INSTALL_TIMEOUT),
        // pyproject.toml holds ranges; the lock made at generation holds exactly the verified versions.
        uv_run("uv.lock holds the pins", &lock_check),
        uv_run("ruff check", &["ruff", "check", "."]),
        uv_run("ruff format", &["ruff", "format", "--check", "."]),
        uv_run("mypy --strict", &["mypy", "--strict", "src", "tests"]),
        // A developer's run of one file passes without the coverage floor…
        uv_run("pytest one file", &["pytest", "tests/test_models.py"]),
        // …the test task (what CI runs) enforces it on the whole suite…
        Step::new("make test", "make", &["test"], CHECK_TIMEOUT)
            .env("UV_PYTHON_DOWNLOADS", "never")
            .needs(make.clone()),
        // …and really enforces it: the same task on one file fails on the floor.
        Step::new("make test enforces the floor", "sh", &["-c", TASK_ENFORCES_FLOOR], CHECK_TIMEOUT)
            .env("UV_PYTHON_DOWNLOADS", "never")
            .needs(make),
        // A team's first edit: a new migration made by the project's own tool passes its own checks.
        uv_run("new migration", &["alembic", "revision", "-m", "first edit"]),
        uv_run("ruff check after it", &["ruff", "check", "."]),
        uv_run("ruff format after it", &["ruff", "format", "--check", "."]),
        // The git hooks run the same linters, first edit included, and pass.
        pre_commit_step(pre_commit, CHECK_TIMEOUT),
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
