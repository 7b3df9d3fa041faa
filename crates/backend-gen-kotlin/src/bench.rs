//! The bare twin `cargo xtask bench-service` starts beside a generated Kotlin service: Micronaut
//! alone (`generators/kotlin/bench/`), in the project's package, built by the project's own
//! `pom.xml` (so at the pinned versions, offline from what the project's build downloaded) and run
//! with the same JVM flags. Only for Maven builds: a Gradle build has no pom to borrow, and the
//! benchmark serves the Maven fixture where no Gradle is installed.

use std::time::Duration;

use backend_gen_core::verification::{BareTwin, Step};

use crate::verification::JVM_FLAGS;

const APPLICATION: &str = include_str!("../../../generators/kotlin/bench/Application.kt");
const BARE: &str = include_str!("../../../generators/kotlin/bench/Bare.kt");
const SETTINGS: &str = include_str!("../../../generators/kotlin/bench/application.yml");
const LOGBACK: &str = include_str!("../../../generators/kotlin/bench/logback.xml");
/// A kapt build of the twin on two busy cores, then a JVM start.
const START_TIMEOUT: Duration = Duration::from_secs(900);

/// The twin of a project whose code is in `package` and whose Maven build makes `jar`.
pub(crate) fn bare_twin(package: &str, jar: &str) -> BareTwin {
    let folder = format!("src/main/kotlin/{}", package.replace('.', "/"));
    let source = |text: &str| text.replace("__package__", package);
    let files = vec![
        (format!("{folder}/Application.kt"), source(APPLICATION)),
        (format!("{folder}/Bare.kt"), source(BARE)),
        ("src/main/resources/application.yml".to_owned(), SETTINGS.to_owned()),
        ("src/main/resources/logback.xml".to_owned(), LOGBACK.to_owned()),
    ];
    // The project's pom names the same main class (`<package>.ApplicationKt`) and jar; its tests,
    // coverage and linters run at `verify`, after `package`.
    let script = format!(
        "cp \"$PROJECT_DIR/pom.xml\" \"$PROJECT_DIR/openapi.properties\" . \
         && {{ test -f {jar} || mvn -B -ntp -q -o -DskipTests package; }} && exec java {JVM_FLAGS} -jar {jar}"
    );
    BareTwin {
        files,
        serve: Step::new("bare twin", "sh", &["-c", &script], Duration::ZERO),
        start_timeout: START_TIMEOUT,
    }
}
