//! The acceptance test of the build model: one Micronaut-like model written for Gradle and for
//! Maven, each output parsed (toml_edit for the catalog, roxmltree for the pom) and checked entry by
//! entry. One model expresses both builds: `parent` (micronaut-parent) is Maven's, `platforms`
//! (micronaut-platform) is Gradle's and Maven's only when there is no parent; plugins that only one
//! tool uses say so with `only`.

use std::collections::BTreeMap;

use toml_edit::DocumentMut;

use super::{
    BuildModel, BuildProject, BuildTool, Coordinates, Dependency, Extension, KotlinCompiler, Plugin, Scope, Version,
    write,
};

const MICRONAUT: &str = "4.10.8";
const KOTLIN: &str = "2.4.21";
const KSP: &str = "2.3.4";
const MICRONAUT_GRADLE: &str = "4.6.2";

fn named(key: &str) -> Version {
    Version::Named(key.to_owned())
}

fn plugin(id: &str, coordinates: &str, version: Version, only: Option<BuildTool>, alias: &str) -> Plugin {
    Plugin { id: id.into(), coordinates: Coordinates::parse(coordinates), version, only, alias: Some(alias.into()) }
}

/// A Micronaut 4 Kotlin service as the Kotlin stack would build it.
pub(super) fn micronaut() -> BuildModel {
    BuildModel {
        project: BuildProject {
            group: Some("com.example".into()),
            name: "demo".into(),
            version: "0.1.0".into(),
            description: "A Micronaut service".into(),
            license: None,
        },
        runtime: Some("17".into()),
        parent: Some(Dependency::new("io.micronaut.platform:micronaut-parent", named("micronaut"), Scope::COMPILE)),
        platforms: vec![Dependency::new("io.micronaut.platform:micronaut-platform", named("micronaut"), Scope::COMPILE)],
        dependencies: vec![
            Dependency::new("io.micronaut:micronaut-http-server-netty", Version::Managed, Scope::COMPILE),
            Dependency::new("io.micronaut.serde:micronaut-serde-jackson", Version::Managed, Scope::COMPILE),
            // kapt's processor paths take no version from dependency management: they name the
            // property of micronaut-parent (inherited from micronaut-platform) that holds it.
            Dependency::new(
                "io.micronaut.serde:micronaut-serde-processor",
                Version::Property("micronaut.serialization.version".into()),
                Scope::ANNOTATION_PROCESSING,
            ),
            Dependency::new(
                "io.micronaut.data:micronaut-data-processor",
                Version::Property("micronaut.data.version".into()),
                Scope::ANNOTATION_PROCESSING,
            ),
            Dependency::new("org.jetbrains.kotlin:kotlin-stdlib", named("kotlin"), Scope::COMPILE),
            Dependency::new("ch.qos.logback:logback-classic", Version::Managed, Scope::RUNTIME),
            Dependency::new("io.micronaut.testresources:micronaut-test-resources-client", Version::Managed, Scope::DEVELOPMENT_ONLY),
            Dependency::new("io.micronaut.test:micronaut-test-junit5", Version::Managed, Scope::TEST),
            Dependency::new("org.junit.jupiter:junit-jupiter-engine", Version::Managed, Scope::TEST_RUNTIME),
        ],
        plugins: vec![
            plugin("org.jetbrains.kotlin.jvm", "org.jetbrains.kotlin:kotlin-maven-plugin", named("kotlin"), None, "kotlin-jvm"),
            plugin(
                "com.google.devtools.ksp",
                "com.google.devtools.ksp:symbol-processing-gradle-plugin",
                Version::Exact(KSP.into()),
                Some(BuildTool::Gradle),
                "ksp",
            ),
            plugin(
                "io.micronaut.application",
                "io.micronaut.gradle:micronaut-gradle-plugin",
                Version::Exact(MICRONAUT_GRADLE.into()),
                Some(BuildTool::Gradle),
                "micronaut-application",
            ),
            // micronaut-parent's pluginManagement gives its version (and `extensions`).
            plugin(
                "io.micronaut.maven",
                "io.micronaut.maven:micronaut-maven-plugin",
                Version::Managed,
                Some(BuildTool::Maven),
                "micronaut-maven",
            ),
        ],
        versions: [("kotlin", KOTLIN), ("micronaut", MICRONAUT)].map(|(k, v)| (k.to_owned(), v.to_owned())).into(),
        properties: [("micronaut.runtime".to_owned(), "netty".to_owned())].into(),
        main_class: Some("com.example.ApplicationKt".into()),
        extensions: vec![Extension {
            tool: BuildTool::Gradle,
            text: "micronaut {\n    version(libs.versions.micronaut.get())\n    runtime(\"netty\")\n    testRuntime(\"junit5\")\n}\n"
                .into(),
        }],
        ..BuildModel::default()
    }
}

/// What each dependency must become in each build.
struct Expected {
    module: &'static str,
    /// Gradle configuration and the catalog's version: `Some("ref:key")`, `Some("=1.0")` or `None`.
    gradle: (&'static str, Option<&'static str>),
    /// Maven scope (`compile` when left to the default, `kapt` for a processor path) and `<version>`.
    maven: (&'static str, Option<&'static str>),
}

const EXPECTED: [Expected; 9] = [
    Expected {
        module: "io.micronaut:micronaut-http-server-netty",
        gradle: ("implementation", None),
        maven: ("compile", None),
    },
    Expected {
        module: "io.micronaut.serde:micronaut-serde-jackson",
        gradle: ("implementation", None),
        maven: ("compile", None),
    },
    Expected {
        module: "io.micronaut.serde:micronaut-serde-processor",
        gradle: ("ksp", None),
        maven: ("kapt", Some("${micronaut.serialization.version}")),
    },
    Expected {
        module: "io.micronaut.data:micronaut-data-processor",
        gradle: ("ksp", None),
        maven: ("kapt", Some("${micronaut.data.version}")),
    },
    Expected {
        module: "org.jetbrains.kotlin:kotlin-stdlib",
        gradle: ("implementation", Some("ref:kotlin")),
        maven: ("compile", Some("${kotlin.version}")),
    },
    Expected { module: "ch.qos.logback:logback-classic", gradle: ("runtimeOnly", None), maven: ("runtime", None) },
    Expected {
        module: "io.micronaut.testresources:micronaut-test-resources-client",
        gradle: ("developmentOnly", None),
        maven: ("provided", None),
    },
    Expected {
        module: "io.micronaut.test:micronaut-test-junit5",
        gradle: ("testImplementation", None),
        maven: ("test", None),
    },
    Expected {
        module: "org.junit.jupiter:junit-jupiter-engine",
        gradle: ("testRuntimeOnly", None),
        maven: ("test", None),
    },
];

fn files(tool: BuildTool) -> BTreeMap<String, String> {
    write(tool, &micronaut())
        .expect("the Micronaut model writes")
        .into_iter()
        .map(|(p, t)| (p.to_string(), t))
        .collect()
}

/// `configuration(argument)` pairs of the build script's `dependencies { }` block.
fn gradle_dependencies(build: &str) -> Vec<(String, String)> {
    let block = build.split_once("\ndependencies {\n").map(|(_, rest)| rest).expect("a dependencies block");
    let block = block.split_once("\n}\n").map(|(block, _)| block).expect("closed");
    block
        .lines()
        .map(|line| {
            let (configuration, argument) =
                line.trim().strip_suffix(')').and_then(|l| l.split_once('(')).expect("call");
            (configuration.to_owned(), argument.to_owned())
        })
        .collect()
}

#[test]
fn gradle_writes_its_four_files() {
    let files = files(BuildTool::Gradle);
    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(paths, ["build.gradle.kts", "gradle.properties", "gradle/libs.versions.toml", "settings.gradle.kts"]);
    assert!(files["settings.gradle.kts"].contains("rootProject.name = \"demo\""));
    assert_eq!(files["gradle.properties"], "micronaut.runtime=netty\n");
}

#[test]
fn gradle_maps_every_entry_through_the_catalog() {
    let files = files(BuildTool::Gradle);
    let catalog: DocumentMut = files["gradle/libs.versions.toml"].parse().expect("TOML");
    let libraries = catalog["libraries"].as_table().expect("[libraries]");
    let build = &files["build.gradle.kts"];
    let lines = gradle_dependencies(build);

    for expected in &EXPECTED {
        // Find the catalog entry by its module, then the build script's use of its accessor.
        let (alias, entry) = libraries
            .iter()
            .find(|(_, entry)| entry["module"].as_str() == Some(expected.module))
            .unwrap_or_else(|| panic!("{} is in the catalog", expected.module));
        let version = match (entry.get("version").and_then(|v| v.as_str()), entry.get("version").map(|v| &v["ref"])) {
            (Some(literal), _) => Some(format!("={literal}")),
            (None, Some(reference)) => reference.as_str().map(|key| format!("ref:{key}")),
            (None, None) => None,
        };
        assert_eq!(version.as_deref(), expected.gradle.1, "catalog version of {}", expected.module);
        let accessor = format!("libs.{}", alias.replace('-', "."));
        let configurations: Vec<&str> =
            lines.iter().filter(|(_, argument)| *argument == accessor).map(|(c, _)| c.as_str()).collect();
        assert_eq!(configurations, [expected.gradle.0], "configuration of {}:\n{build}", expected.module);
    }
    assert_eq!(libraries.len(), EXPECTED.len() + 1, "the entries and the platform, nothing else");

    assert_eq!(libraries["micronaut-platform"]["module"].as_str(), Some("io.micronaut.platform:micronaut-platform"));
    assert_eq!(libraries["micronaut-platform"]["version"]["ref"].as_str(), Some("micronaut"));
    let platform: Vec<&str> = lines
        .iter()
        .filter(|(_, argument)| argument == "platform(libs.micronaut.platform)")
        .map(|(c, _)| c.as_str())
        .collect();
    assert_eq!(platform, ["implementation", "ksp", "developmentOnly"], "the BOM reaches every managed configuration");

    let versions = catalog["versions"].as_table().expect("[versions]");
    assert_eq!(versions["kotlin"].as_str(), Some(KOTLIN));
    assert_eq!(versions["micronaut"].as_str(), Some(MICRONAUT));
    let plugins = catalog["plugins"].as_table().expect("[plugins]");
    for (alias, id, version_key, version) in [
        ("kotlin-jvm", "org.jetbrains.kotlin.jvm", "kotlin", KOTLIN),
        ("ksp", "com.google.devtools.ksp", "ksp", KSP),
        ("micronaut-application", "io.micronaut.application", "micronaut-application", MICRONAUT_GRADLE),
    ] {
        assert_eq!(plugins[alias]["id"].as_str(), Some(id));
        assert_eq!(plugins[alias]["version"]["ref"].as_str(), Some(version_key));
        assert_eq!(versions[version_key].as_str(), Some(version));
        assert!(build.contains(&format!("    alias(libs.plugins.{})\n", alias.replace('-', "."))), "{build}");
    }
    assert_eq!(plugins.len(), 3, "the Maven-only plugin stays out");
    assert_eq!(versions.len(), 4, "the named versions and one per plugin; the processors' are the platform's");
    assert!(build.contains("mainClass.set(\"com.example.ApplicationKt\")"));
    assert!(build.contains("kotlin {\n    jvmToolchain(17)\n}"));
    assert!(build.trim_end().ends_with("testRuntime(\"junit5\")\n}"), "the micronaut block comes last:\n{build}");
}

/// Child elements of `node` named `name`.
fn children<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'input>> {
    node.children().filter(move |n| n.has_tag_name(name))
}

fn child<'a, 'input>(node: roxmltree::Node<'a, 'input>, name: &'a str) -> roxmltree::Node<'a, 'input> {
    children(node, name).next().unwrap_or_else(|| panic!("<{name}> in <{}>", node.tag_name().name()))
}

fn text<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.children().find(|n| n.has_tag_name(name)).and_then(|n| n.text())
}

fn module(node: roxmltree::Node<'_, '_>) -> String {
    format!("{}:{}", text(node, "groupId").unwrap_or_default(), text(node, "artifactId").unwrap_or_default())
}

#[test]
fn maven_maps_every_entry_to_a_scope_or_to_kapt() {
    let files = files(BuildTool::Maven);
    assert_eq!(files.keys().collect::<Vec<_>>(), ["pom.xml"]);
    let pom = &files["pom.xml"];
    let doc = roxmltree::Document::parse(pom).expect("XML");
    let project = doc.root_element();

    let parent = child(project, "parent");
    assert_eq!(module(parent), "io.micronaut.platform:micronaut-parent");
    assert_eq!(text(parent, "version"), Some(MICRONAUT), "a literal: Maven does not interpolate a parent's version");
    assert_eq!(children(project, "dependencyManagement").count(), 0, "the parent manages versions");

    let properties = child(project, "properties");
    let names: Vec<&str> = properties.children().filter(|n| n.is_element()).map(|n| n.tag_name().name()).collect();
    assert_eq!(
        names,
        [
            "exec.mainClass",
            "kotlin.compiler.jvmTarget",
            "kotlin.version",
            "maven.compiler.release",
            "micronaut.runtime",
            "project.build.sourceEncoding"
        ],
        "the processors' versions are the parent's properties, not the pom's"
    );
    // `kotlin.version` is also the property micronaut-parent manages the Kotlin libraries with: ours wins.
    for (key, value) in [("kotlin.version", KOTLIN), ("micronaut.runtime", "netty")] {
        assert_eq!(text(properties, key), Some(value), "property {key}");
    }
    assert_eq!(text(properties, "exec.mainClass"), Some("com.example.ApplicationKt"));

    let dependencies: Vec<_> = children(child(project, "dependencies"), "dependency").collect();
    let plugins: Vec<_> = children(child(child(project, "build"), "plugins"), "plugin").collect();
    let kotlin =
        plugins.iter().find(|p| module(**p) == "org.jetbrains.kotlin:kotlin-maven-plugin").expect("kotlin plugin");
    let kapt = children(child(*kotlin, "executions"), "execution")
        .find(|e| text(*e, "id") == Some("kapt"))
        .expect("a kapt execution");
    let paths: Vec<_> =
        children(child(child(kapt, "configuration"), "annotationProcessorPaths"), "annotationProcessorPath").collect();

    for expected in &EXPECTED {
        let (scope, node) = if expected.maven.0 == "kapt" {
            let path = paths.iter().find(|p| module(**p) == expected.module);
            ("kapt", *path.unwrap_or_else(|| panic!("{} is a kapt processor path", expected.module)))
        } else {
            let found: Vec<_> = dependencies.iter().filter(|d| module(**d) == expected.module).collect();
            assert_eq!(found.len(), 1, "{} declared once", expected.module);
            (text(*found[0], "scope").unwrap_or("compile"), *found[0])
        };
        assert_eq!(scope, expected.maven.0, "scope of {}", expected.module);
        assert_eq!(text(node, "version"), expected.maven.1, "version of {}", expected.module);
    }
    assert_eq!(dependencies.len() + paths.len(), EXPECTED.len(), "nothing else");

    let artifacts: Vec<String> = plugins.iter().map(|p| module(*p)).collect();
    assert_eq!(
        artifacts,
        [
            "org.jetbrains.kotlin:kotlin-maven-plugin",
            "io.micronaut.maven:micronaut-maven-plugin",
            "org.apache.maven.plugins:maven-compiler-plugin"
        ]
    );
    assert_eq!(text(*kotlin, "version"), Some("${kotlin.version}"));
    assert_eq!(text(plugins[1], "version"), None, "managed by micronaut-parent");
    assert_eq!(text(plugins[2], "version"), None, "managed by micronaut-parent");
    assert_eq!(text(child(plugins[2], "configuration"), "proc"), Some("none"), "javac runs no processor");
    let off: Vec<_> = children(child(plugins[2], "executions"), "execution")
        .map(|e| (text(e, "id").unwrap_or_default(), text(e, "phase").unwrap_or_default()))
        .collect();
    assert_eq!(off, [("default-compile", "none"), ("default-testCompile", "none")], "kotlin-maven-plugin compiles");

    // Each execution reads its sources; the test compilation also what test-kapt generated.
    let executions: Vec<(&str, Vec<&str>)> = children(child(*kotlin, "executions"), "execution")
        .map(|e| {
            let dirs = children(child(child(e, "configuration"), "sourceDirs"), "sourceDir");
            (text(e, "id").unwrap_or_default(), dirs.map(|d| d.text().unwrap_or_default()).collect())
        })
        .collect();
    assert_eq!(
        executions,
        [
            ("kapt", vec!["${project.basedir}/src/main/kotlin"]),
            ("compile", vec!["${project.basedir}/src/main/kotlin"]),
            (
                "test-compile",
                vec!["${project.basedir}/src/test/kotlin", "${project.basedir}/target/generated-sources/kapt/test"]
            ),
        ],
        "no test processors: no test-kapt"
    );
}

/// Writes the model's pom with a one-line Kotlin program and runs Maven on it: the pom resolves
/// from Maven Central and kapt and the Kotlin compiler run. Needs `mvn` and the network.
#[test]
#[ignore = "runs Maven against Maven Central: cargo test -p backend-gen-core -- --ignored"]
fn maven_builds_the_micronaut_pom() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let pom = write(BuildTool::Maven, &micronaut()).expect("writes").remove(0).1;
    std::fs::write(dir.path().join("pom.xml"), pom).expect("pom.xml");
    let sources = dir.path().join("src/main/kotlin/com/example");
    std::fs::create_dir_all(&sources).expect("source folder");
    std::fs::write(sources.join("Application.kt"), "package com.example\n\nfun main() {}\n").expect("source");
    let output = std::process::Command::new("mvn")
        .args(["-B", "dependency:resolve", "test-compile"])
        .current_dir(dir.path())
        .output()
        .expect("mvn runs");
    let log = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "mvn failed:\n{log}\n{}", String::from_utf8_lossy(&output.stderr));
    // The plugin lines show which goals really ran, with which Kotlin.
    let goals: Vec<&str> =
        log.lines().filter(|l| l.contains("--- kotlin-maven-plugin:") || l.starts_with("[WARNING]")).collect();
    println!("{}", goals.join("\n"));
    assert!(goals.iter().any(|l| l.contains(&format!("kotlin-maven-plugin:{KOTLIN}:kapt (kapt)"))), "kapt ran:\n{log}");
    assert!(dir.path().join("target/classes/com/example/ApplicationKt.class").is_file(), "Kotlin compiled:\n{log}");
}

#[test]
fn a_dependency_one_tool_needs_reaches_only_that_tools_build() {
    let mut model = micronaut();
    let mut inject_java =
        Dependency::exact("io.micronaut:micronaut-inject-java", "4.10.8", Scope::ANNOTATION_PROCESSING);
    inject_java.only = Some(BuildTool::Maven);
    model.dependencies.push(inject_java);
    let text = |tool| write(tool, &model).expect("writes").into_iter().map(|(_, t)| t).collect::<String>();
    assert!(!text(BuildTool::Gradle).contains("micronaut-inject-java"));
    assert!(text(BuildTool::Maven).contains("<artifactId>micronaut-inject-java</artifactId>"));
}

#[test]
fn a_tool_s_own_properties_reach_only_that_tool_s_build() {
    let mut model = micronaut();
    let own = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    model.tool_properties.insert(BuildTool::Maven, own(&[("micronaut.aot.enabled", "false")]));
    model.tool_properties.insert(BuildTool::Gradle, own(&[("org.gradle.caching", "true")]));
    let files = |tool| write(tool, &model).expect("writes").into_iter().map(|(p, t)| (p.to_string(), t)).collect();
    let gradle: BTreeMap<String, String> = files(BuildTool::Gradle);
    assert_eq!(gradle["gradle.properties"], "micronaut.runtime=netty\norg.gradle.caching=true\n");
    assert!(!gradle.values().any(|text| text.contains("micronaut.aot.enabled")), "Maven's stay out of Gradle");

    let maven: BTreeMap<String, String> = files(BuildTool::Maven);
    let doc = roxmltree::Document::parse(&maven["pom.xml"]).expect("XML");
    let properties = child(doc.root_element(), "properties");
    assert_eq!(text(properties, "micronaut.aot.enabled"), Some("false"));
    assert_eq!(text(properties, "micronaut.runtime"), Some("netty"), "the shared ones too");
    assert!(!maven["pom.xml"].contains("org.gradle.caching"), "Gradle's stay out of Maven");
}

#[test]
fn the_kotlin_compiler_settings_mean_the_same_in_both_builds() {
    let mut model = micronaut();
    model.kotlin = Some(KotlinCompiler {
        explicit_api: true,
        args: vec!["-Xjsr305=strict".into()],
        processor_options: [("micronaut.processing.group", "com.example"), ("micronaut.processing.module", "demo")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into(),
    });

    let build = write(BuildTool::Gradle, &model).expect("writes").remove(0).1;
    assert!(
        build.contains(
            "\nkotlin {\n    jvmToolchain(17)\n    explicitApi()\n    compilerOptions {\n        \
             freeCompilerArgs.addAll(\"-Xjsr305=strict\")\n    }\n}\n"
        ),
        "{build}"
    );
    assert!(
        build.contains(
            "\nksp {\n    arg(\"micronaut.processing.group\", \"com.example\")\n    \
             arg(\"micronaut.processing.module\", \"demo\")\n}\n"
        ),
        "{build}"
    );
    assert!(build.trim_end().ends_with("testRuntime(\"junit5\")\n}"), "the micronaut block still comes last:\n{build}");

    let pom = write(BuildTool::Maven, &model).expect("writes").remove(0).1;
    let doc = roxmltree::Document::parse(&pom).expect("XML");
    let plugins: Vec<_> = children(child(child(doc.root_element(), "build"), "plugins"), "plugin").collect();
    let kotlin = plugins[0];
    let texts = |node: roxmltree::Node<'_, '_>, list: &str, item: &str| -> Vec<String> {
        children(node, list)
            .flat_map(|l| children(l, item).map(|n| n.text().unwrap_or_default().to_owned()).collect::<Vec<_>>())
            .collect()
    };
    assert_eq!(texts(child(kotlin, "configuration"), "args", "arg"), ["-Xjsr305=strict"], "every compilation");
    let execution =
        |id: &str| children(child(kotlin, "executions"), "execution").find(|e| text(*e, "id") == Some(id)).expect(id);
    assert_eq!(texts(child(execution("compile"), "configuration"), "args", "arg"), ["-Xexplicit-api=strict"]);
    for id in ["kapt", "test-compile"] {
        assert!(texts(child(execution(id), "configuration"), "args", "arg").is_empty(), "{id}");
    }
    assert_eq!(
        texts(child(execution("kapt"), "configuration"), "annotationProcessorArgs", "annotationProcessorArg"),
        ["micronaut.processing.group=com.example", "micronaut.processing.module=demo"]
    );
}
