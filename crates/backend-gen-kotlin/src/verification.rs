//! How `cargo xtask verify` proves a generated Kotlin project green.
//!
//! Maven variant, for real: `mvn verify` compiles (kapt), runs the tests with the JaCoCo floor,
//! ktlint and detekt, and packages the runnable jar, which then serves. Gradle variant, as far as
//! these machines allow (no Gradle distribution and no Gradle Plugin Portal is reachable): every
//! catalog entry Maven Central publishes resolves through Maven, and `gradle check` runs where a
//! Gradle ≥ 8 is on `PATH` (elsewhere a SKIP with its reason, which CI names as a known gap). Its
//! sources equal the Maven variant's byte for byte (a plan-level test in `lib.rs`).

use std::time::Duration;

use backend_gen_core::ProjectSpec;
use backend_gen_core::build::BuildTool;
use backend_gen_core::verification::{Chain, Serve, Step, Toolchain, Verification, shared_feature_checks};

/// A cold build resolves a few hundred megabytes into `~/.m2` before it compiles.
const BUILD_TIMEOUT: Duration = Duration::from_secs(1200);
/// A JVM start with Flyway on two busy cores: 10 to 22 s measured, so a wide margin.
const START_TIMEOUT: Duration = Duration::from_secs(120);
const MAVEN_CHAIN: &str = "maven";
const GRADLE_CHAIN: &str = "gradle";
/// The step name CI passes to `--allow-skip` on machines without Gradle.
pub(crate) const GRADLE_BUILD_STEP: &str = "gradle check";

/// Resolves the Gradle catalog's entries through Maven; see the script's docstring.
const CATALOG_RESOLVES: &str = include_str!("catalog_resolves.py");

/// Runs `PostgresTest` alone and fails unless surefire's report shows it ran, not skipped: JUnit
/// skips it when `TEST_DATABASE_URL` is unset, and a skipped test must not pass for a run.
const POSTGRES_TEST: &str = "mvn -B -ntp -o -q test -Dtest=PostgresTest -Djacoco.skip=true \
    && report=$(cat target/surefire-reports/TEST-*.PostgresTest.xml) \
    && printf '%s' \"$report\" | grep -q 'tests=\"1\"' && printf '%s' \"$report\" | grep -q 'skipped=\"0\"' \
    && echo 'PostgresTest ran on TEST_DATABASE_URL'";

/// JVM flags for a fast start on small machines: C1 only and the serial collector (about 45 % less
/// start-up CPU measured on two cores); the README's serve command and the Dockerfile use them too.
pub(crate) const JVM_FLAGS: &str = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

/// A Maven step; Maven itself reports a JDK older than the pom's release (17) as an error.
fn maven(name: &str, args: &[&str], timeout: Duration) -> Step {
    Step::new(name, "mvn", args, timeout).needs(Toolchain::new("mvn", &["--version"], "3.8"))
}

/// The verification of a project whose build tool is `tool` and whose runnable jar is `jar`.
pub(crate) fn verification(spec: &ProjectSpec, tool: BuildTool, jar: &str) -> Verification {
    let mut chains = Vec::new();
    let (after, build) = if tool == BuildTool::Maven {
        // One Maven run: compile (kapt), test-compile, the tests with the JaCoCo floor, the shaded
        // jar, ktlint and detekt (all bound to `verify` by the pom).
        chains.push(Chain {
            name: MAVEN_CHAIN.to_owned(),
            steps: vec![maven("mvn verify", &["-B", "-ntp", "verify"], BUILD_TIMEOUT)],
        });
        (MAVEN_CHAIN, "mvn -B -ntp -q -DskipTests package")
    } else {
        let catalog = Step::new("catalog on Maven Central", "python3", &["-c", CATALOG_RESOLVES], BUILD_TIMEOUT)
            .needs(Toolchain::new("mvn", &["--version"], "3.8"));
        let check = Step::new(GRADLE_BUILD_STEP, "gradle", &["--no-daemon", "-q", "check", "shadowJar"], BUILD_TIMEOUT)
            .needs(Toolchain::new("gradle", &["--version"], "8.0"));
        chains.push(Chain { name: GRADLE_CHAIN.to_owned(), steps: vec![catalog, check] });
        (GRADLE_CHAIN, "gradle --no-daemon -q shadowJar")
    };
    chains.extend(shared_feature_checks(spec));
    // The shell replaces itself with the JVM, so the signal xtask sends reaches the service.
    // `cargo xtask conformance` runs only the chain's first step before it serves: the jar is built
    // here when that step has not made it.
    let script = format!("{{ test -f {jar} || {build}; }} && exec java {JVM_FLAGS} -jar {jar}");
    Verification {
        chains,
        serve: Serve {
            after: after.to_owned(),
            step: Step::new("serve", "sh", &["-c", &script], Duration::ZERO),
            start_timeout: START_TIMEOUT,
            embedded_database_url: "jdbc:h2:file:{path}".to_owned(),
            // The jar the chain built, as the README runs it.
            init_env: Step::new("init-env", "java", &["-jar", jar, "init-env"], Duration::from_secs(60)),
        },
        // The project's own PostgreSQL test (`PostgresTest`, enabled by `TEST_DATABASE_URL`), from
        // the build `mvn verify` made; under Gradle, where the build is a known gap here, none.
        database_tests: (tool == BuildTool::Maven).then(|| {
            Step::new("mvn test on postgresql", "sh", &["-c", POSTGRES_TEST], BUILD_TIMEOUT).needs(Toolchain::new(
                "mvn",
                &["--version"],
                "3.8",
            ))
        }),
    }
}
