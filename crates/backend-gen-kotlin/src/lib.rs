//! backend-gen's Kotlin stack: a Micronaut 4 service in Kotlin serving the contract, built with
//! Gradle (Kotlin DSL and a version catalog; the default) or Maven (`--option build=maven`), from
//! the same sources; Micronaut Data JDBC with Flyway on H2 or PostgreSQL, micronaut-security-jwt,
//! Bucket4j, logstash-logback-encoder; checked by ktlint, detekt and JUnit 5 with a coverage floor.
//!
//! Choices, and why:
//! - One option, `build`, picks the build tool: the sources are byte for byte the same, only the
//!   manifest files differ, and the core's writers make both from one build model (`model.rs`).
//! - Compile-time processing everywhere (KSP under Gradle, kapt under Maven): no reflection at
//!   run time, no all-open plugin (not published for Kotlin 2.4 under Maven): the classes Micronaut
//!   proxies are `open` in the source.
//! - Problem details come from our own `ErrorResponseProcessor` and handlers rather than
//!   micronaut-problem-json, whose Zalando shape has no `instance` and no `errors[]`.
//! - The SQL dialect of Micronaut Data is fixed at compile time; unquoted identifiers
//!   (`escape = false`) let one repository serve H2 and PostgreSQL.

mod bench;
mod imports;
mod model;
mod pins;
mod verification;

use backend_gen_core::build::BuildTool;
use backend_gen_core::feature::shared;
use backend_gen_core::name::Identifier;
use backend_gen_core::option::{OptionSpec, OptionValues};
use backend_gen_core::render::Renderer;
use backend_gen_core::verification::{BareTwin, Verification};
use backend_gen_core::words::{JAVA_RESERVED, KOTLIN_KEYWORDS, check_java_package};
use backend_gen_core::{GenerateError, Generator, IdentifierRule, PlanBuilder, ProjectSpec, StackInfo};
use include_dir::{Dir, include_dir};

/// Templates and pinned versions, embedded so an installed binary works from any folder.
pub(crate) static FILES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../generators/kotlin");

/// The option that picks the build tool.
const BUILD: &str = "build";
/// The option that gives the Maven group, and the package the project's segment is added to.
const GROUP: &str = "group";

static INFO: StackInfo = StackInfo {
    id: "kotlin",
    summary: "Micronaut 4 + Kotlin 2.4 (JVM 17), Gradle Kotlin DSL or Maven; Micronaut Data JDBC + Flyway (H2/PostgreSQL); ktlint, detekt, JUnit 5",
    features: &[shared::DOCKER, shared::GITHUB_ACTIONS, shared::COMPOSE],
    groups: &[],
    options: &[
        OptionSpec {
            key: BUILD,
            summary: "The build tool: Gradle (Kotlin DSL, version catalog) or Maven (micronaut-parent); the sources are the same",
            values: OptionValues::OneOf { values: &["gradle", "maven"] },
            default: "gradle",
        },
        OptionSpec {
            key: GROUP,
            summary: "The Maven group; the code's package is the group plus the project's name",
            values: OptionValues::Text { rule: "a lower-case Java package such as `com.acme`", check: check_group },
            default: "com.example",
        },
    ],
    identifiers: &[
        IdentifierRule {
            ecosystem: "Kotlin",
            identifier: Identifier::Flat,
            reserved: KOTLIN_KEYWORDS,
            why: "a Kotlin keyword, which a package segment cannot be",
        },
        IdentifierRule {
            ecosystem: "Java",
            identifier: Identifier::Flat,
            reserved: JAVA_RESERVED,
            why: "a Java reserved word, which a package segment of a JVM project cannot be",
        },
    ],
    templates: &FILES,
    port: 8080,
    database_example: "jdbc:h2:file:./data/app",
};

/// Checks the `group` option: a Java package (`check_java_package`) that the project's own linters
/// also accept as the start of its package: ktlint's `package-name` rule (lower-case letters and
/// digits) and detekt's default `PackageNaming` pattern `[a-z]+(\.[a-z][A-Za-z0-9]*)*` (a first
/// segment of letters only). A group either refuses would generate a project that fails `mvn verify`.
fn check_group(value: &str) -> Result<(), String> {
    for (index, segment) in value.split('.').enumerate().filter(|(_, segment)| !segment.is_empty()) {
        let lint_safe = segment.starts_with(|c: char| c.is_ascii_lowercase())
            && segment.chars().all(|c| c.is_ascii_lowercase() || (index > 0 && c.is_ascii_digit()));
        if !lint_safe {
            return Err(format!(
                "has the segment `{segment}`: the project's ktlint and detekt accept lower-case letters and digits only, \
                 each segment starting with a letter (the first one letters only)"
            ));
        }
    }
    // Then the Java rules the linters do not know: empty segments, reserved words, platform roots.
    check_java_package(value)
}

/// The build tool a project's `build` option picks.
fn build_tool(spec: &ProjectSpec) -> BuildTool {
    match spec.options.get(BUILD).map(String::as_str) {
        Some("maven") => BuildTool::Maven,
        _ => BuildTool::Gradle,
    }
}

/// The project's package: its group and its name's flat form (`com.example.myservicev2`).
fn package(spec: &ProjectSpec) -> String {
    let group = spec.options.get(GROUP).map_or("com.example", String::as_str);
    format!("{group}.{}", spec.name.flat)
}

/// The Kotlin stack's generator.
#[derive(Debug, Clone, Copy, Default)]
pub struct KotlinGenerator;

impl Generator for KotlinGenerator {
    fn info(&self) -> &'static StackInfo {
        &INFO
    }

    fn contribute(&self, spec: &ProjectSpec, plan: &mut PlanBuilder) -> Result<(), GenerateError> {
        let pins = pins::Pins::load(&FILES)?;
        let package = package(spec);
        let group = spec.options.get(GROUP).map_or("com.example", String::as_str);
        plan.build.project.group = Some(group.to_owned());
        model::contribute(&mut plan.build, &pins, group, &package);
        let tool = build_tool(spec);
        plan.build_tool = Some(tool);
        plan.placeholder("__package__", &package.replace('.', "/"));
        let kotlin = serde_json::json!({
            "package": package,
            "maven": tool == BuildTool::Maven,
            "jar": jar(spec),
            "coverage_floor": model::COVERAGE_FLOOR,
            "jvm": model::JVM,
            "jvm_flags": verification::JVM_FLAGS,
        });
        plan.set_context("kotlin", &kotlin)?;
        plan.set_context("versions", pins.all())
    }

    fn register_helpers(&self, renderer: &mut Renderer) {
        renderer.register_helper("kotlin_imports", Box::new(imports::KotlinImports));
    }

    fn next_steps(&self, spec: &ProjectSpec, _locked: bool) -> Vec<String> {
        // The README's commands, in its order.
        let serve = format!("java {} -jar {}", verification::JVM_FLAGS, jar(spec));
        match build_tool(spec) {
            BuildTool::Maven => vec!["mvn verify".to_owned(), serve],
            _ => {
                let gradle = pins::Pins::load(&FILES).map(|p| p.get("gradle").to_owned()).unwrap_or_default();
                vec![format!("gradle wrapper --gradle-version {gradle}"), "./gradlew check shadowJar".to_owned(), serve]
            }
        }
    }

    fn verification(&self, spec: &ProjectSpec) -> Verification {
        verification::verification(spec, build_tool(spec), &jar(spec))
    }

    fn bare_twin(&self, spec: &ProjectSpec) -> Option<BareTwin> {
        (build_tool(spec) == BuildTool::Maven).then(|| bench::bare_twin(&package(spec), &jar(spec)))
    }
}

/// The runnable jar each build makes, relative to the project: Maven's shaded jar in `target/`,
/// the shadow plugin's in `build/libs/`.
fn jar(spec: &ProjectSpec) -> String {
    let version = backend_gen_core::context::PROJECT_VERSION;
    match build_tool(spec) {
        BuildTool::Maven => format!("target/{}-{version}.jar", spec.name.kebab),
        _ => format!("build/libs/{}-{version}-all.jar", spec.name.kebab),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use backend_gen_core::feature::FeatureRequest;
    use backend_gen_core::testing::{self, text};
    use backend_gen_core::{ProjectPlan, Registry, SpecInput};

    use super::*;

    fn plan(name: &str, options: &[(&str, &str)]) -> ProjectPlan {
        testing::plan_with(&KotlinGenerator, name, &[], true, options)
    }

    fn input(name: &str, options: &[(&str, &str)]) -> SpecInput {
        SpecInput {
            name: name.to_owned(),
            stack: "kotlin".to_owned(),
            features: FeatureRequest { features: Vec::new(), default_features: true },
            options: options.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        }
    }

    /// Every file but the build's own manifests, by path.
    fn sources(plan: &ProjectPlan) -> BTreeMap<&str, &str> {
        const MANIFESTS: &[&str] =
            &["pom.xml", "build.gradle.kts", "settings.gradle.kts", "gradle/libs.versions.toml", "gradle.properties"];
        plan.files
            .iter()
            .filter(|(path, _)| !MANIFESTS.contains(&path.as_str()))
            .map(|(path, file)| (path.as_str(), file.contents.as_str()))
            .collect()
    }

    #[test]
    fn passes_the_core_test_kit() {
        backend_gen_core::testing::assert_stack(&KotlinGenerator);
    }

    #[test]
    fn gradle_and_maven_builds_share_their_sources_byte_for_byte() {
        let gradle = plan("orders", &[]);
        let maven = plan("orders", &[(BUILD, "maven")]);
        for manifest in ["build.gradle.kts", "settings.gradle.kts", "gradle/libs.versions.toml", "gradle.properties"] {
            assert!(gradle.file(manifest).is_some() && maven.file(manifest).is_none(), "{manifest}");
        }
        assert!(maven.file("pom.xml").is_some() && gradle.file("pom.xml").is_none());
        let (gradle, maven) = (sources(&gradle), sources(&maven));
        let differ: Vec<&str> = gradle
            .keys()
            .chain(maven.keys())
            .filter(|path| gradle.get(*path) != maven.get(*path))
            .copied()
            .filter(|path| {
                !["README.md", "Dockerfile", ".github/workflows/ci.yml", ".github/dependabot.yml", ".backend-gen.toml"]
                    .contains(path)
            })
            .collect();
        assert!(differ.is_empty(), "only the manifests and the files that name the build tool may differ: {differ:?}");
        assert!(gradle.keys().any(|p| p.starts_with("src/main/kotlin/")), "the sources are compared");
    }

    #[test]
    fn the_package_is_the_group_and_the_flat_name() {
        let plan = plan("My-Service.v2", &[(GROUP, "io.acme.shop")]);
        let application = text(&plan, "src/main/kotlin/io/acme/shop/myservicev2/Application.kt");
        assert!(application.starts_with("package io.acme.shop.myservicev2\n"), "{application}");
        assert_eq!(plan.build.project.group.as_deref(), Some("io.acme.shop"));
        assert_eq!(plan.build.main_class.as_deref(), Some("io.acme.shop.myservicev2.ApplicationKt"));
        assert!(plan.files.keys().all(|p| !p.as_str().contains("__package__")));
    }

    /// ktlint's `max-line-length` (140, the limit `detekt.yml` also sets; package and import lines
    /// are exempt) must hold for the longest name and a long group, not only for `demo`.
    #[test]
    fn no_kotlin_line_outgrows_ktlint_s_limit_with_the_longest_name() {
        let name = "a".repeat(backend_gen_core::name::MAX_NAME_LEN);
        let plan = plan(&name, &[(GROUP, "org.example.department.division.platform.services")]);
        let mut checked = 0;
        for (path, file) in plan.files.iter().filter(|(path, _)| path.as_str().ends_with(".kt")) {
            for (number, line) in file.contents.lines().enumerate() {
                if line.starts_with("package ") || line.starts_with("import ") {
                    continue;
                }
                assert!(
                    line.chars().count() <= 140,
                    "{path}:{}: {} characters:\n{line}",
                    number + 1,
                    line.chars().count()
                );
                checked += 1;
            }
        }
        assert!(checked > 1000, "the sources were checked ({checked} lines)");
    }

    /// ktlint's `import-ordering` must hold whatever the group sorts before or after (`aa.`, `io.acme.`
    /// between `io.kotest` and `io.micronaut`, `zz.`): a template that imports the project's own
    /// package outside `{{#kotlin_imports}}` passes for `com.example` and fails for others.
    #[test]
    fn every_kotlin_file_s_imports_are_in_ktlint_s_order_whatever_the_group() {
        for group in ["aa.shop", "io.lavender", "zz.shop"] {
            let plan = plan("orders", &[(GROUP, group)]);
            let mut checked = 0;
            for (path, file) in plan.files.iter().filter(|(path, _)| path.as_str().ends_with(".kt")) {
                let imports: String = file
                    .contents
                    .lines()
                    .filter(|line| line.starts_with("import "))
                    .map(|line| format!("{line}\n"))
                    .collect();
                assert_eq!(imports, imports::sort(&imports), "{path} with the group `{group}`");
                checked += usize::from(imports.contains(group));
            }
            assert!(checked > 5, "files importing the project's own package were checked ({checked})");
        }
    }

    #[test]
    fn the_bare_twin_borrows_the_maven_build_and_lives_in_the_package() {
        let registry = Registry::new(vec![&KotlinGenerator]).expect("valid stack");
        let maven = registry.spec(&input("orders", &[(GROUP, "io.acme"), (BUILD, "maven")])).expect("spec");
        let twin = KotlinGenerator.bare_twin(&maven).expect("a Maven build has a twin");
        let main = twin.files.iter().find(|(path, _)| path == "src/main/kotlin/io/acme/orders/Application.kt");
        assert!(main.is_some_and(|(_, text)| text.contains("package io.acme.orders\n")), "{:?}", twin.files);
        assert!(twin.serve.args.iter().any(|a| a.contains("pom.xml") && a.contains(&jar(&maven))));
        let gradle = registry.spec(&input("orders", &[])).expect("spec");
        assert!(KotlinGenerator.bare_twin(&gradle).is_none(), "a Gradle build has no pom to borrow");
    }

    #[test]
    fn bad_groups_and_names_that_are_keywords_are_refused() {
        let registry = Registry::new(vec![&KotlinGenerator]).expect("valid stack");
        // Java packages the project's own linters would refuse are refused here (exit 2), not in `mvn verify`.
        for group in [
            "com..acme",
            "com.2fast",
            "com.acme-shop",
            "org.int",
            "com.fun",
            "Com.Acme",
            "com.acme_corp",
            "x1.acme",
            "kotlin",
            "java.shop",
        ] {
            let err = registry.spec(&input("orders", &[(GROUP, group)])).expect_err(group);
            assert!(err.to_string().contains(group), "{err}");
        }
        for group in ["com.acme", "io.acme.shop2", "org"] {
            assert!(registry.spec(&input("orders", &[(GROUP, group)])).is_ok(), "`{group}` is a lint-safe group");
        }
        for name in ["object", "package", "when", "class"] {
            assert!(registry.spec(&input(name, &[])).is_err(), "`{name}` is a keyword");
        }
        let err = registry.spec(&input("orders", &[(BUILD, "ant")])).expect_err("an unknown build");
        assert!(err.to_string().contains("gradle"), "{err}");
    }

    #[test]
    fn maven_takes_every_processor_version_from_the_parent() {
        let plan = plan("orders", &[(BUILD, "maven")]);
        let pom = text(&plan, "pom.xml");
        for property in [
            "micronaut.core.version",
            "micronaut.serialization.version",
            "micronaut.validation.version",
            "micronaut.data.version",
            "micronaut.security.version",
            "micronaut.openapi.version",
        ] {
            assert!(pom.contains(&format!("<version>${{{property}}}</version>")), "{property}:\n{pom}");
        }
        assert!(pom.contains("<kotlin.version>2.4.21</kotlin.version>"), "the project's Kotlin wins over the parent's");
        assert!(pom.contains("<artifactId>micronaut-inject-java</artifactId>"));
        assert!(!pom.contains("micronaut-inject-kotlin"), "KSP's processor is Gradle's");
        assert!(!pom.contains("micronaut-gradle") && !pom.contains("kover"), "no Gradle-only entry:\n{pom}");
        for plugin in ["jacoco-maven-plugin", "ktlint-maven-plugin", "detekt-maven-plugin", "micronaut-maven-plugin"] {
            assert!(pom.contains(plugin), "{plugin}");
        }
    }

    #[test]
    fn gradle_runs_ksp_and_the_checks() {
        let plan = plan("orders", &[]);
        let build = text(&plan, "build.gradle.kts");
        for line in [
            "ksp(libs.micronaut.inject.kotlin)",
            "kspTest(libs.micronaut.serde.processor)",
            "explicitApi()",
            "minBound(60)",
        ] {
            assert!(build.contains(line), "{line}:\n{build}");
        }
        assert!(!build.contains("inject.java"), "kapt's processor is Maven's");
        let settings = text(&plan, "settings.gradle.kts");
        assert!(settings.contains("gradlePluginPortal()"), "the Micronaut plugins are on the Portal only");
    }

    #[test]
    fn next_steps_and_verification_follow_the_build() {
        let registry = Registry::new(vec![&KotlinGenerator]).expect("valid stack");
        let maven = registry.spec(&input("orders", &[(BUILD, "maven")])).expect("a spec");
        let gradle = registry.spec(&input("orders", &[])).expect("a spec");
        let serve = "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar";
        assert_eq!(
            KotlinGenerator.next_steps(&maven, false),
            ["mvn verify", &format!("{serve} target/orders-0.1.0.jar")]
        );
        assert_eq!(
            KotlinGenerator.next_steps(&gradle, false),
            [
                "gradle wrapper --gradle-version 8.14.3",
                "./gradlew check shadowJar",
                &format!("{serve} build/libs/orders-0.1.0-all.jar")
            ]
        );

        let steps = |spec| -> Vec<String> {
            KotlinGenerator
                .verification(spec)
                .chains
                .iter()
                .flat_map(|c| c.steps.iter().map(|s| s.name.clone()))
                .collect()
        };
        assert!(steps(&maven).contains(&"mvn verify".to_owned()));
        let gradle_steps = steps(&gradle);
        assert!(gradle_steps.contains(&"catalog on Maven Central".to_owned()), "{gradle_steps:?}");
        let verification = KotlinGenerator.verification(&gradle);
        let check =
            verification.chains.iter().flat_map(|c| &c.steps).find(|s| s.name == verification::GRADLE_BUILD_STEP);
        let toolchain = check.and_then(|s| s.toolchain.as_ref()).expect("gradle check needs Gradle");
        assert_eq!((toolchain.program.as_str(), toolchain.minimum.as_str()), ("gradle", "8.0"));
        assert!(verification.serve.step.args.iter().any(|a| a.contains("build/libs/orders-0.1.0-all.jar")));
    }
}
