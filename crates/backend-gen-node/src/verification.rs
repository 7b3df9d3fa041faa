//! How `cargo xtask verify` proves a generated Node project green: npm installs from the lockfile,
//! then Biome, `tsc --noEmit`, vitest with the coverage floor and the build; then the built output
//! serves.
//!
//! The steps run `node` and `npm` from `PATH`: `.ci/run` puts the verified Node release first on it.

use std::time::Duration;

use backend_gen_core::ProjectSpec;
use backend_gen_core::verification::{Chain, Serve, Step, Toolchain, Verification, shared_feature_checks};

const INSTALL_TIMEOUT: Duration = Duration::from_secs(600);
const CHECK_TIMEOUT: Duration = Duration::from_secs(300);
const NPM_CHAIN: &str = "npm";
/// The oldest Node the generated project declares in `engines` (vitest 5 needs it).
const MINIMUM_NODE: &str = "22";

const SERVE_SCRIPT: &str = "{ test -f dist/main.js || node node_modules/typescript/bin/tsc -p tsconfig.build.json; } && exec node dist/main.js";

/// A step that needs Node ≥ 22 on `PATH` (older or missing: the step is skipped, saying why).
fn step(name: &str, program: &str, args: &[&str], timeout: Duration) -> Step {
    Step::new(name, program, args, timeout).needs(Toolchain::new("node", &["--version"], MINIMUM_NODE))
}

pub(crate) fn verification(spec: &ProjectSpec) -> Verification {
    // A local binary of the project, run by node itself (no npx, no shell).
    let bin = |name: &str, script: &str, args: &[&str]| {
        let args: Vec<_> = [script].iter().chain(args).copied().collect();
        step(name, "node", &args, CHECK_TIMEOUT)
    };
    let steps = vec![
        // The lockfile made at generation; npm's cache is wherever `npm_config_cache` says (`.ci/run`
        // keeps one across runs).
        step("npm ci", "npm", &["ci", "--no-audit", "--no-fund"], INSTALL_TIMEOUT),
        bin("biome check", "node_modules/@biomejs/biome/bin/biome", &["check", "."]),
        bin("tsc --noEmit", "node_modules/typescript/bin/tsc", &["--noEmit", "-p", "tsconfig.json"]),
        bin("vitest", "node_modules/vitest/vitest.mjs", &["run", "--coverage"]),
        bin("build", "node_modules/typescript/bin/tsc", &["-p", "tsconfig.build.json"]),
    ];
    // The built output, served by node itself: the shell replaces itself with it, so the signal
    // xtask sends reaches the server. `cargo xtask conformance` runs only the install step before
    // it serves, so the build happens here when `verify`'s build step has not made `dist/` (once:
    // the start-up cases' instances share the project's `dist/`).
    let serve = Step::new("serve", "sh", &["-c", SERVE_SCRIPT], Duration::ZERO);
    let mut chains = vec![Chain { name: NPM_CHAIN.to_owned(), steps }];
    chains.extend(shared_feature_checks(spec));
    Verification {
        chains,
        serve: Serve {
            after: NPM_CHAIN.to_owned(),
            step: serve,
            start_timeout: Duration::from_secs(90),
            embedded_database_url: "sqlite:{path}".to_owned(),
        },
    }
}
