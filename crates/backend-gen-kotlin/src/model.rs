//! The build model of a generated Micronaut service: one model, written as a Gradle (Kotlin DSL +
//! version catalog) or a Maven build by the core's writers.
//!
//! Micronaut's platform manages every `io.micronaut` version and most others (Flyway, H2, the
//! PostgreSQL driver, logback, JUnit, Kotest, kotlinx-coroutines): those entries are
//! [`Version::Managed`]. Annotation processors run through KSP under Gradle (the platform manages
//! them there) and kapt under Maven, whose processor paths bypass dependency management: they are
//! [`Version::Property`], the micronaut-parent property that holds the managed version, so no
//! version is written twice. `micronaut-inject-java` is kapt's, `micronaut-inject-kotlin` KSP's.

use std::collections::BTreeMap;

use backend_gen_core::build::Coordinates;
use backend_gen_core::build::{BuildModel, BuildTool, Dependency, Extension, KotlinCompiler, Plugin, Scope, Version};

use crate::pins::{self, Pins};

/// The JVM release the project targets: Micronaut 4's minimum, and the JDK verification runs.
pub(crate) const JVM: &str = "17";

/// The pins of the Maven build's own plugins, written into their `<plugin>` texts.
const MAVEN_PLUGIN_KEYS: &[&str] = &["jacoco", "ktlint-maven", "detekt-maven"];

/// The Kotlin release detekt 1.23.8 is built with: its Gradle configuration must resolve this one.
const DETEKT_KOTLIN: &str = "2.0.21";

/// The line-coverage floor the test task enforces (JaCoCo under Maven, Kover under Gradle), in percent.
pub(crate) const COVERAGE_FLOOR: u32 = 60;

fn managed(module: &str, scope: Scope) -> Dependency {
    Dependency::new(module, Version::Managed, scope)
}

fn named(module: &str, key: &str, scope: Scope) -> Dependency {
    Dependency::new(module, Version::Named(key.to_owned()), scope)
}

/// A processor whose version micronaut-parent holds in `property`.
fn processor(module: &str, property: &str, scope: Scope) -> Dependency {
    Dependency::new(module, Version::Property(property.to_owned()), scope)
}

/// A catalog alias of its own, where the artifact name alone would collide (`postgresql`).
fn aliased(mut dependency: Dependency, alias: &str) -> Dependency {
    dependency.alias = Some(alias.to_owned());
    dependency
}

fn only(mut dependency: Dependency, tool: BuildTool) -> Dependency {
    dependency.only = Some(tool);
    dependency
}

fn plugin(id: &str, coordinates: &str, key: &str, only: Option<BuildTool>, alias: &str) -> Plugin {
    Plugin {
        id: id.to_owned(),
        coordinates: Coordinates::parse(coordinates),
        version: Version::Named(key.to_owned()),
        only,
        alias: Some(alias.to_owned()),
    }
}

/// Fills `build` for the project of Maven group `group` whose code lives in `package` (`com.example.orders`).
pub(crate) fn contribute(build: &mut BuildModel, pins: &Pins, group: &str, package: &str) {
    let inject_java = |scope| {
        only(processor("io.micronaut:micronaut-inject-java", "micronaut.core.version", scope), BuildTool::Maven)
    };
    let inject_kotlin = |scope| only(managed("io.micronaut:micronaut-inject-kotlin", scope), BuildTool::Gradle);
    build.runtime = Some(JVM.to_owned());
    build.parent = Some(named("io.micronaut.platform:micronaut-parent", "micronaut", Scope::COMPILE));
    build.platforms.push(named("io.micronaut.platform:micronaut-platform", "micronaut", Scope::COMPILE));
    build.dependencies.extend([
        managed("io.micronaut:micronaut-http-server-netty", Scope::COMPILE),
        managed("io.micronaut.serde:micronaut-serde-jackson", Scope::COMPILE),
        managed("io.micronaut.kotlin:micronaut-kotlin-runtime", Scope::COMPILE),
        managed("io.micronaut.validation:micronaut-validation", Scope::COMPILE),
        managed("io.micronaut.security:micronaut-security-jwt", Scope::COMPILE),
        managed("io.micronaut.data:micronaut-data-jdbc", Scope::COMPILE),
        managed("io.micronaut.sql:micronaut-jdbc-hikari", Scope::COMPILE),
        managed("io.micronaut.flyway:micronaut-flyway", Scope::COMPILE),
        managed("io.swagger.core.v3:swagger-annotations", Scope::COMPILE),
        named("org.jetbrains.kotlin:kotlin-stdlib", "kotlin", Scope::COMPILE),
        managed("org.jetbrains.kotlinx:kotlinx-coroutines-core", Scope::COMPILE),
        managed("org.jetbrains.kotlinx:kotlinx-coroutines-reactor", Scope::COMPILE),
        named("com.bucket4j:bucket4j_jdk17-core", "bucket4j", Scope::COMPILE),
        managed("io.micronaut.openapi:micronaut-openapi-annotations", Scope::COMPILE_ONLY),
        managed("ch.qos.logback:logback-classic", Scope::RUNTIME),
        named("net.logstash.logback:logstash-logback-encoder", "logstash-logback-encoder", Scope::RUNTIME),
        managed("com.h2database:h2", Scope::RUNTIME),
        managed("org.postgresql:postgresql", Scope::RUNTIME),
        managed("org.flywaydb:flyway-database-postgresql", Scope::RUNTIME),
        named("org.webjars:swagger-ui", "swagger-ui", Scope::RUNTIME),
        managed("org.yaml:snakeyaml", Scope::RUNTIME),
        inject_java(Scope::ANNOTATION_PROCESSING),
        inject_kotlin(Scope::ANNOTATION_PROCESSING),
        processor(
            "io.micronaut.serde:micronaut-serde-processor",
            "micronaut.serialization.version",
            Scope::ANNOTATION_PROCESSING,
        ),
        processor(
            "io.micronaut.validation:micronaut-validation-processor",
            "micronaut.validation.version",
            Scope::ANNOTATION_PROCESSING,
        ),
        processor("io.micronaut.data:micronaut-data-processor", "micronaut.data.version", Scope::ANNOTATION_PROCESSING),
        processor(
            "io.micronaut.security:micronaut-security-annotations",
            "micronaut.security.version",
            Scope::ANNOTATION_PROCESSING,
        ),
        processor("io.micronaut.openapi:micronaut-openapi", "micronaut.openapi.version", Scope::ANNOTATION_PROCESSING),
        managed("io.micronaut:micronaut-http-client", Scope::TEST),
        managed("io.micronaut.test:micronaut-test-junit5", Scope::TEST),
        managed("io.kotest:kotest-assertions-core-jvm", Scope::TEST),
        aliased(managed("org.testcontainers:postgresql", Scope::TEST), "testcontainers-postgresql"),
        aliased(managed("org.testcontainers:junit-jupiter", Scope::TEST), "testcontainers-junit-jupiter"),
        managed("org.junit.jupiter:junit-jupiter-engine", Scope::TEST_RUNTIME),
        inject_java(Scope::TEST_ANNOTATION_PROCESSING),
        inject_kotlin(Scope::TEST_ANNOTATION_PROCESSING),
        processor(
            "io.micronaut.serde:micronaut-serde-processor",
            "micronaut.serialization.version",
            Scope::TEST_ANNOTATION_PROCESSING,
        ),
    ]);
    build.plugins.extend([
        plugin("org.jetbrains.kotlin.jvm", "org.jetbrains.kotlin:kotlin-maven-plugin", "kotlin", None, "kotlin-jvm"),
        plugin(
            "com.google.devtools.ksp",
            "com.google.devtools.ksp:symbol-processing-gradle-plugin",
            "ksp",
            Some(BuildTool::Gradle),
            "ksp",
        ),
        plugin(
            "io.micronaut.application",
            "io.micronaut.gradle:micronaut-gradle-plugin",
            "micronaut-gradle",
            Some(BuildTool::Gradle),
            "micronaut-application",
        ),
        plugin(
            "com.gradleup.shadow",
            "com.gradleup.shadow:shadow-gradle-plugin",
            "shadow",
            Some(BuildTool::Gradle),
            "shadow",
        ),
        plugin(
            "org.jetbrains.kotlinx.kover",
            "org.jetbrains.kotlinx:kover-gradle-plugin",
            "kover",
            Some(BuildTool::Gradle),
            "kover",
        ),
        plugin(
            "io.gitlab.arturbosch.detekt",
            "io.gitlab.arturbosch.detekt:detekt-gradle-plugin",
            "detekt",
            Some(BuildTool::Gradle),
            "detekt",
        ),
        plugin(
            "org.jlleitschuh.gradle.ktlint",
            "org.jlleitschuh.gradle:ktlint-gradle",
            "ktlint-gradle",
            Some(BuildTool::Gradle),
            "ktlint",
        ),
        // micronaut-parent's pluginManagement gives its version and `extensions`; it binds the shade
        // plugin into `package`, so `mvn package` makes the runnable jar.
        Plugin {
            id: "io.micronaut.maven".to_owned(),
            coordinates: Coordinates::parse("io.micronaut.maven:micronaut-maven-plugin"),
            version: Version::Managed,
            only: Some(BuildTool::Maven),
            alias: None,
        },
    ]);
    // Every pin a build reads from the catalog; the Maven plugins' versions go into their own text.
    for key in pins::KEYS.iter().filter(|key| !MAVEN_PLUGIN_KEYS.contains(key) && **key != "gradle") {
        build.versions.insert((*key).to_owned(), pins.get(key).to_owned());
    }
    build.main_class = Some(format!("{package}.ApplicationKt"));
    build.kotlin = Some(KotlinCompiler {
        explicit_api: true,
        args: vec!["-Xjsr305=strict".to_owned()],
        processor_options: BTreeMap::from([
            ("micronaut.processing.group".to_owned(), group.to_owned()),
            ("micronaut.processing.module".to_owned(), build.project.name.clone()),
        ]),
    });
    // Read by micronaut-parent: the runtime its run goal and packaging use, and no AOT or test
    // resources (neither is set up; both would fetch more at build time).
    let maven = build.tool_properties.entry(BuildTool::Maven).or_default();
    for (key, value) in [
        ("packaging", "jar"),
        ("micronaut.runtime", "netty"),
        ("micronaut.aot.enabled", "false"),
        ("micronaut.test.resources.enabled", "false"),
    ] {
        maven.insert(key.to_owned(), value.to_owned());
    }
    build.extensions.push(Extension { tool: BuildTool::Maven, text: maven_plugins(pins) });
    build.extensions.push(Extension { tool: BuildTool::Gradle, text: gradle_blocks(package) });
}

/// Coverage floor, ktlint and detekt under Maven, all bound to `verify`.
fn maven_plugins(pins: &Pins) -> String {
    let floor = format!("{:.2}", f64::from(COVERAGE_FLOOR) / 100.0);
    format!(
        r#"<plugin>
  <groupId>org.jacoco</groupId>
  <artifactId>jacoco-maven-plugin</artifactId>
  <version>{jacoco}</version>
  <executions>
    <execution>
      <id>prepare</id>
      <goals>
        <goal>prepare-agent</goal>
      </goals>
    </execution>
    <execution>
      <id>report</id>
      <phase>verify</phase>
      <goals>
        <goal>report</goal>
      </goals>
    </execution>
    <execution>
      <id>coverage-floor</id>
      <phase>verify</phase>
      <goals>
        <goal>check</goal>
      </goals>
      <configuration>
        <rules>
          <rule>
            <element>BUNDLE</element>
            <limits>
              <limit>
                <counter>LINE</counter>
                <value>COVEREDRATIO</value>
                <minimum>{floor}</minimum>
              </limit>
            </limits>
          </rule>
        </rules>
      </configuration>
    </execution>
  </executions>
</plugin>
{ktlint}
{detekt}"#,
        jacoco = pins.get("jacoco"),
        ktlint =
            checked_at_verify("com.github.gantsign.maven:ktlint-maven-plugin", pins.get("ktlint-maven"), "ktlint", ""),
        detekt = checked_at_verify(
            "com.github.ozsie:detekt-maven-plugin",
            pins.get("detekt-maven"),
            "detekt",
            "<buildUponDefaultConfig>true</buildUponDefaultConfig>\n    <config>${project.basedir}/detekt.yml</config>",
        ),
    )
}

/// A Maven plugin whose `check` goal runs at `verify`, with its `<configuration>` when there is one.
fn checked_at_verify(module: &str, version: &str, id: &str, configuration: &str) -> String {
    let (group, artifact) = module.split_once(':').unwrap_or(("", module));
    let configuration = if configuration.is_empty() {
        String::new()
    } else {
        format!("\n  <configuration>\n    {configuration}\n  </configuration>")
    };
    format!(
        r#"<plugin>
  <groupId>{group}</groupId>
  <artifactId>{artifact}</artifactId>
  <version>{version}</version>{configuration}
  <executions>
    <execution>
      <id>{id}</id>
      <phase>verify</phase>
      <goals>
        <goal>check</goal>
      </goals>
    </execution>
  </executions>
</plugin>"#
    )
}

/// The Micronaut, Kover and detekt blocks of `build.gradle.kts`.
fn gradle_blocks(package: &str) -> String {
    format!(
        r#"micronaut {{
    version(libs.versions.micronaut.get())
    runtime("netty")
    testRuntime("junit5")
    processing {{
        incremental(true)
        annotations("{package}.*")
    }}
}}

kover {{
    reports {{
        verify {{
            rule {{
                minBound({COVERAGE_FLOOR})
            }}
        }}
    }}
}}

detekt {{
    buildUponDefaultConfig = true
    config.setFrom(files("detekt.yml"))
}}

// detekt 1.23 runs on the Kotlin it was built with (2.0.21); the Kotlin plugin would align its
// classpath to the project's Kotlin, which detekt refuses (detekt's documentation, "Gradle").
configurations.matching {{ it.name == "detekt" }}.configureEach {{
    resolutionStrategy.eachDependency {{
        if (requested.group == "org.jetbrains.kotlin") {{
            useVersion("{DETEKT_KOTLIN}")
        }}
    }}
}}

// `gradle check` runs the tests, the coverage floor, ktlint and detekt.
tasks.named("check") {{
    dependsOn("koverVerify")
}}"#
    )
}
