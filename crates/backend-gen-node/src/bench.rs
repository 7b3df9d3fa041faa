//! The bare twin `cargo xtask bench-service` starts beside a generated Node service: Fastify alone
//! (`generators/node/bench/bare.mjs`), loading its libraries from the project's `node_modules` so
//! that they are the versions the project pins, and reading through the project's own SQLite
//! adapter from its build (`dist/db/database.js`, which the generated service's start builds).

use std::time::Duration;

use backend_gen_core::verification::{BareTwin, Step};

const BARE_APP: &str = include_str!("../../../generators/node/bench/bare.mjs");

pub(crate) fn bare_twin() -> BareTwin {
    // The shell replaces itself with node, so the signal xtask sends reaches the server.
    let serve = Step::new("bare twin", "sh", &["-c", "exec node bare.mjs"], Duration::ZERO);
    BareTwin {
        files: vec![("bare.mjs".to_owned(), BARE_APP.to_owned())],
        serve,
        start_timeout: Duration::from_secs(60),
    }
}
