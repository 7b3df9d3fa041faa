//! How `cargo xtask verify` proves a generated Node project green: npm installs from the lockfile
//! (which holds exactly the verified versions), then Biome, `tsc --noEmit`, the test task with its
//! coverage floor (a single test file runs without it) and the build; then the built output serves.
//!
//! The steps run `node` and `npm` from `PATH`: `.ci/run` puts the verified Node release first on it.

use std::time::Duration;

use backend_gen_core::ProjectSpec;
use backend_gen_core::verification::{
    Chain, Serve, Step, Toolchain, Verification, pre_commit_step, shared_feature_checks,
};

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

/// Reads package-lock.json and compares it with the `name=version` pins it is given: exit 1 on any
/// difference.
const LOCK_HOLDS_PINS: &str = r#"const lock = JSON.parse(require("node:fs").readFileSync("package-lock.json", "utf8"));
const pins = process.argv.slice(1).map((a) => [a.slice(0, a.lastIndexOf("=")), a.slice(a.lastIndexOf("=") + 1)]);
const wrong = pins
  .filter(([name, version]) => lock.packages[`node_modules/${name}`]?.version !== version)
  .map(([name, version]) => `${name}: package-lock.json has ${lock.packages[`node_modules/${name}`]?.version}, the pin is ${version}`);
console.log(wrong.join("\n") || (pins.length ? `package-lock.json holds the ${pins.length} pins exactly` : "no pins to compare"));
process.exit(wrong.length || !pins.length ? 1 : 0);
"#;

/// The test task on one file must fail on the coverage floor, and say so (not fail for another reason).
const TASK_ENFORCES_FLOOR: &str = "out=$(npm test -- test/health.test.ts 2>&1); status=$?; printf '%s\n' \"$out\"; \
    [ $status -ne 0 ] && printf '%s' \"$out\" | grep -q 'does not meet global threshold'";

/// `pins`: the `(name, version)` pairs the lockfile made at generation must hold; `pre_commit`: the
/// pre-commit release that runs the project's hooks.
pub(crate) fn verification(spec: &ProjectSpec, pins: &[(String, String)], pre_commit: &str) -> Verification {
    // A local binary of the project, run by node itself (no npx, no shell).
    let bin = |name: &str, script: &str, args: &[&str]| {
        let args: Vec<_> = [script].iter().chain(args).copied().collect();
        step(name, "node", &args, CHECK_TIMEOUT)
    };
    let pins: Vec<String> = pins.iter().map(|(name, version)| format!("{name}={version}")).collect();
    let lock_check: Vec<&str> = ["-e", LOCK_HOLDS_PINS].into_iter().chain(pins.iter().map(String::as_str)).collect();
    let steps = vec![
        // The lockfile made at generation; npm's cache is wherever `npm_config_cache` says (`.ci/run`
        // keeps one across runs).
        step("npm ci", "npm", &["ci", "--no-audit", "--no-fund"], INSTALL_TIMEOUT),
        // package.json holds caret ranges; the lock made at generation holds exactly the verified versions.
        step("package-lock.json holds the pins", "node", &lock_check, CHECK_TIMEOUT),
        bin("biome check", "node_modules/@biomejs/biome/bin/biome", &["check", "."]),
        bin("tsc --noEmit", "node_modules/typescript/bin/tsc", &["--noEmit", "-p", "tsconfig.json"]),
        // A developer's run of one file passes without the coverage floor…
        bin("vitest one file", "node_modules/vitest/vitest.mjs", &["run", "test/health.test.ts"]),
        // …the test task (what CI runs) enforces it on the whole suite…
        step("npm test", "npm", &["test"], CHECK_TIMEOUT),
        // …and really enforces it: the same task on one file fails on the floor.
        step("npm test enforces the floor", "sh", &["-c", TASK_ENFORCES_FLOOR], CHECK_TIMEOUT),
        bin("build", "node_modules/typescript/bin/tsc", &["-p", "tsconfig.build.json"]),
        // The git hooks run the same linters and pass.
        pre_commit_step(pre_commit, CHECK_TIMEOUT),
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
            init_env: step("init-env", "npm", &["run", "init-env"], CHECK_TIMEOUT),
        },
        database_tests: Some(bin(
            "vitest on postgresql",
            "node_modules/vitest/vitest.mjs",
            &["run", "test/postgres.test.ts"],
        )),
    }
}
