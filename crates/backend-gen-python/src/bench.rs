//! The bare twin `cargo xtask bench-service` starts beside a generated Python service: FastAPI
//! alone (`generators/python/bench/bare.py`), run by the project's own interpreter so that every
//! library is the version the project pins, and reading through the project's own engine.

use std::time::Duration;

use backend_gen_core::verification::{BareTwin, Step};

const BARE_APP: &str = include_str!("../../../generators/python/bench/bare.py");

/// The twin of the project named `package` (its import name): it reads through that package's
/// engine.
pub(crate) fn bare_twin(package: &str) -> BareTwin {
    // The shell replaces itself with Python, so the signal xtask sends reaches uvicorn.
    let serve = Step::new("bare twin", "sh", &["-c", "exec \"$PROJECT_DIR/.venv/bin/python\" bare.py"], Duration::ZERO)
        .env("PROJECT_PACKAGE", package);
    BareTwin { files: vec![("bare.py".to_owned(), BARE_APP.to_owned())], serve, start_timeout: Duration::from_secs(90) }
}
