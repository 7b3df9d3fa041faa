//! How `cargo xtask verify` proves a generated Node project green: npm installs from the lockfile,
//! then Biome, `tsc --noEmit`, vitest with the coverage floor and the build; then the built output
//! serves.
//!
//! The steps run `node` and `npm` from `PATH`: `.ci/run` puts the verified Node release first on it.

use std::time::Duration;

use backend_gen_core::verification::{Chain, Serve, Step, Toolchain, Verification};

const INSTALL_TIMEOUT: Duration = Duration::from_secs(600);
const CHECK_TIMEOUT: Duration = Duration::from_secs(300);
const NPM_CHAIN: &str = "npm";
/// The oldest Node the generated project declares in `engines` (vitest 5 needs it).
const MINIMUM_NODE: &str = "22";

/// A step that needs Node ≥ 22 on `PATH` (older or missing: the step is skipped, saying why).
fn step(name: &str, program: &str, args: &[&str], timeout: Duration) -> Step {
    Step::new(name, program, args, timeout).needs(Toolchain::new("node", &["--version"], MINIMUM_NODE))
}

pub(crate) fn verification() -> Verification {
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
    // Build, then replace the shell with node, so the signal xtask sends reaches the server. The
    // build is repeated here (TypeScript 7 takes a second or two) because `cargo xtask conformance`
    // runs only the install step before it serves.
    let serve = Step::new(
        "serve",
        "sh",
        &["-c", "node node_modules/typescript/bin/tsc -p tsconfig.build.json && exec node dist/main.js"],
        Duration::ZERO,
    );
    Verification {
        chains: vec![Chain { name: NPM_CHAIN.to_owned(), steps }],
        serve: Serve { after: NPM_CHAIN.to_owned(), step: serve, start_timeout: Duration::from_secs(90) },
    }
}
