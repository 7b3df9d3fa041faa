//! A Gradle Kotlin DSL build from the build model: `build.gradle.kts`, `settings.gradle.kts`,
//! `gradle/libs.versions.toml` (the version catalog, written with toml_edit) and `gradle.properties`.
//! Every coordinate and version lives in the catalog; the build script only names catalog entries,
//! so a dependency bot updates one file.
//!
//! Mapping of scopes to configurations:
//!
//! | scope | main | test |
//! |---|---|---|
//! | compile | `implementation` | `testImplementation` |
//! | compile-only | `compileOnly` | `testCompileOnly` |
//! | runtime | `runtimeOnly` | `testRuntimeOnly` |
//! | annotation processing | `ksp` | `kspTest` |
//! | development-only | `developmentOnly` | refused |
//! | tooling | refused | refused |
//!
//! Tooling is refused rather than skipped: Gradle has no configuration for it (its linters are
//! plugins), and dropping a dependency silently would hide a generator mistake. `developmentOnly`
//! is not a Gradle built-in: the Micronaut (or Spring Boot) application plugin defines it.
//!
//! Catalog: `[versions]` holds the model's named versions and, under the plugin's alias, the exact
//! version of each plugin (catalog plugins take `version.ref`); `[libraries]` holds platforms and
//! dependencies as `module = "group:name"` with `version.ref` (named), `version` (exact) or no
//! version (managed, which needs a platform; a [`Version::Property`] is managed here too, the
//! parent's property being Maven's); `[plugins]` holds `id` and `version.ref`. An alias is
//! the entry's `alias`, else derived from the artifact name (libraries) or plugin id (plugins), dots
//! and underscores turned to dashes. Gradle treats `-`, `_` and `.` alike in aliases, so two
//! different entries whose aliases differ only there are refused; the same module with the same
//! version in two scopes shares one entry.
//!
//! Build script: plugins by `alias(libs.plugins.x)` (plus `application` when there is a main
//! class, so `application { }` always has its extension); `group`, `version` and `description` from
//! the project; Maven Central; each platform as `implementation(platform(libs.x))`, and also on
//! `ksp`, `kspTest` and `developmentOnly` when those hold managed entries, because those
//! configurations do not extend `implementation` and would otherwise resolve without the BOM;
//! `application { mainClass.set(..) }`; `kotlin { }` with `jvmToolchain(N)` from a numeric `runtime`
//! and, from the model's [`KotlinCompiler`], `explicitApi()` (main sources only) and
//! `compilerOptions { freeCompilerArgs.addAll(..) }` (a `java { toolchain }` block instead when no
//! Kotlin plugin is applied); `ksp { arg(..) }` with the processors' options when the KSP plugin is
//! applied; then each `Gradle` extension verbatim, at the end (for blocks such as `micronaut { }`).
//! The parent build is Maven's notion and is ignored here: a Gradle build takes managed versions
//! from `platforms`.
//!
//! Settings: `pluginManagement` with the Gradle Plugin Portal and Maven Central, and
//! `rootProject.name`. `gradle.properties`: the model's `properties`, then its Gradle-only
//! `tool_properties`, escaped for `java.util.Properties` (which Gradle reads as ISO-8859-1).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

use super::{
    BuildError, BuildModel, BuildTool, Coordinates, Dependency, KotlinCompiler, Phase, Plugin, Source, Version,
};

const TOOL: BuildTool = BuildTool::Gradle;

/// The four files of a Gradle build.
#[derive(Debug)]
pub(super) struct Files {
    pub build: String,
    pub settings: String,
    pub catalog: String,
    pub properties: String,
}

pub(super) fn write(model: &BuildModel) -> Result<Files, BuildError> {
    if let Some(name) = model.scripts.keys().next() {
        return Err(unsupported(name, "Gradle has no named scripts; use a task in a Gradle extension"));
    }
    let mut catalog = Catalog::new(model)?;
    let platforms = model.platforms.iter().map(|platform| catalog.library(platform)).collect::<Result<Vec<_>, _>>()?;
    let mut lines = Vec::new();
    for dependency in model.dependencies_for(TOOL) {
        let configuration = configuration(dependency)?;
        if dependency.version.is_managed() && platforms.is_empty() {
            return Err(BuildError::Unmanaged { entry: dependency.coordinates.to_string(), tool: TOOL });
        }
        lines.push((configuration, catalog.library(dependency)?));
    }
    let plugins = model.plugins_for(TOOL).map(|plugin| catalog.plugin(plugin)).collect::<Result<Vec<_>, _>>()?;

    Ok(Files {
        build: build_script(model, &plugins, &platforms, lines)?,
        settings: settings(model),
        catalog: catalog.write(),
        properties: properties(model)?,
    })
}

fn unsupported(entry: &str, why: &'static str) -> BuildError {
    BuildError::Unsupported { entry: entry.to_owned(), tool: TOOL, why }
}

/// The configurations in the order the build script lists them.
const CONFIGURATIONS: [&str; 9] = [
    "implementation",
    "compileOnly",
    "runtimeOnly",
    "ksp",
    "developmentOnly",
    "testImplementation",
    "testCompileOnly",
    "testRuntimeOnly",
    "kspTest",
];

/// Configurations that do not extend `implementation`: a managed entry there needs the platform
/// added to the configuration itself.
const OUTSIDE_IMPLEMENTATION: [&str; 3] = ["ksp", "developmentOnly", "kspTest"];

fn configuration(dependency: &Dependency) -> Result<&'static str, BuildError> {
    let entry = dependency.coordinates.to_string();
    if !dependency.extras.is_empty() {
        return Err(unsupported(&entry, "extras have no meaning for a Maven module"));
    }
    Ok(match (dependency.scope.source, dependency.scope.phase) {
        (Source::Main, Phase::Compile) => "implementation",
        (Source::Main, Phase::CompileOnly) => "compileOnly",
        (Source::Main, Phase::Runtime) => "runtimeOnly",
        (Source::Main, Phase::AnnotationProcessing) => "ksp",
        (Source::Main, Phase::DevelopmentOnly) => "developmentOnly",
        (Source::Test, Phase::Compile) => "testImplementation",
        (Source::Test, Phase::CompileOnly) => "testCompileOnly",
        (Source::Test, Phase::Runtime) => "testRuntimeOnly",
        (Source::Test, Phase::AnnotationProcessing) => "kspTest",
        (Source::Test, Phase::DevelopmentOnly) => {
            return Err(unsupported(&entry, "Gradle has no development-only configuration for tests"));
        }
        (_, Phase::Tooling) => {
            return Err(unsupported(&entry, "Gradle has no configuration for tools; add the tool as a plugin"));
        }
    })
}

fn build_script(
    model: &BuildModel,
    plugins: &[String],
    platforms: &[String],
    mut lines: Vec<(&'static str, String)>,
) -> Result<String, BuildError> {
    // Gradle has no license field outside publishing; the SPDX file tag names it (SPDX 2.3, annex H).
    let mut out =
        model.project.license.as_ref().map(|id| format!("// SPDX-License-Identifier: {id}\n\n")).unwrap_or_default();
    out.push_str("plugins {\n");
    for plugin in plugins {
        let _ = writeln!(out, "    alias({plugin})");
    }
    if model.main_class.is_some() {
        out.push_str("    application\n");
    }
    out.push_str("}\n\n");

    if let Some(group) = &model.project.group {
        let _ = writeln!(out, "group = {}", kotlin_string(group));
    }
    let _ = writeln!(out, "version = {}", kotlin_string(&model.project.version));
    if !model.project.description.is_empty() {
        let _ = writeln!(out, "description = {}", kotlin_string(&model.project.description));
    }
    out.push_str("\nrepositories {\n    mavenCentral()\n}\n");

    if !platforms.is_empty() || !lines.is_empty() {
        // Platforms first, then one configuration after another, each in the model's order.
        let managed_in = |configuration: &str| {
            model
                .dependencies_for(TOOL)
                .any(|d| d.version.is_managed() && configuration == self::configuration(d).unwrap_or_default())
        };
        let mut platform_lines = Vec::new();
        for platform in platforms {
            platform_lines.push(format!("implementation(platform({platform}))"));
            for configuration in OUTSIDE_IMPLEMENTATION.into_iter().filter(|c| managed_in(c)) {
                platform_lines.push(format!("{configuration}(platform({platform}))"));
            }
        }
        lines.sort_by_key(|(configuration, _)| CONFIGURATIONS.iter().position(|c| c == configuration));
        // A module listed twice in one configuration is declared once.
        let mut seen = std::collections::BTreeSet::new();
        lines.retain(|line| seen.insert(line.clone()));
        out.push_str("\ndependencies {\n");
        for line in platform_lines.into_iter().chain(lines.into_iter().map(|(c, accessor)| format!("{c}({accessor})")))
        {
            let _ = writeln!(out, "    {line}");
        }
        out.push_str("}\n");
    }

    if let Some(main_class) = &model.main_class {
        let _ = write!(out, "\napplication {{\n    mainClass.set({})\n}}\n", kotlin_string(main_class));
    }
    let release: Option<u32> = match &model.runtime {
        Some(runtime) => Some(
            runtime
                .parse()
                .map_err(|_| unsupported(runtime, "the JVM runtime must be a release number such as `17`"))?,
        ),
        None => None,
    };
    if plugins_of_kotlin(model) {
        let mut body = String::new();
        if let Some(release) = release {
            let _ = writeln!(body, "    jvmToolchain({release})");
        }
        kotlin_compiler(&mut body, model.kotlin.as_ref());
        if !body.is_empty() {
            let _ = write!(out, "\nkotlin {{\n{body}}}\n");
        }
    } else if let Some(release) = release {
        let _ = write!(
            out,
            "\njava {{\n    toolchain {{\n        languageVersion.set(JavaLanguageVersion.of({release}))\n    }}\n}}\n"
        );
    }
    if model.plugins_for(TOOL).any(|p| p.id == "com.google.devtools.ksp") {
        ksp_options(&mut out, model.kotlin.as_ref());
    }
    for extension in model.extensions_for(TOOL) {
        out.push('\n');
        out.push_str(extension.trim());
        out.push('\n');
    }
    Ok(out)
}

/// The `kotlin { }` block after its toolchain: explicit API (the Kotlin Gradle plugin applies it to
/// main sources only) and the compiler arguments, for every compilation.
fn kotlin_compiler(out: &mut String, compiler: Option<&KotlinCompiler>) {
    let Some(compiler) = compiler else { return };
    if compiler.explicit_api {
        out.push_str("    explicitApi()\n");
    }
    if !compiler.args.is_empty() {
        let args: Vec<String> = compiler.args.iter().map(|a| kotlin_string(a)).collect();
        let _ = write!(out, "    compilerOptions {{\n        freeCompilerArgs.addAll({})\n    }}\n", args.join(", "));
    }
}

/// `ksp { arg(..) }` for the processors' options, when there are some: KSP passes them to every
/// processor, main and test.
fn ksp_options(out: &mut String, compiler: Option<&KotlinCompiler>) {
    let Some(compiler) = compiler.filter(|c| !c.processor_options.is_empty()) else { return };
    out.push_str("\nksp {\n");
    for (key, value) in &compiler.processor_options {
        let _ = writeln!(out, "    arg({}, {})", kotlin_string(key), kotlin_string(value));
    }
    out.push_str("}\n");
}

/// Whether a Kotlin Gradle plugin (JVM, multiplatform...) is applied, so the `kotlin { }` extension exists.
fn plugins_of_kotlin(model: &BuildModel) -> bool {
    model.plugins_for(TOOL).any(|p| p.id.starts_with("org.jetbrains.kotlin."))
}

fn settings(model: &BuildModel) -> String {
    // `pluginManagement` must be the first block of a settings script.
    format!(
        "pluginManagement {{\n    repositories {{\n        gradlePluginPortal()\n        mavenCentral()\n    }}\n}}\n\n\
         rootProject.name = {}\n",
        kotlin_string(&model.project.name)
    )
}

fn properties(model: &BuildModel) -> Result<String, BuildError> {
    let mut out = String::new();
    for (key, value) in model.properties_for(TOOL)? {
        let _ = writeln!(out, "{}={}", properties_escape(key, true), properties_escape(value, false));
    }
    Ok(out)
}

/// `text` as a `java.util.Properties` key or value: separators escaped in keys, a leading space kept,
/// everything outside printable ASCII as `\uXXXX` (the file is read as ISO-8859-1).
fn properties_escape(text: &str, key: bool) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' ' if key || i == 0 => out.push_str("\\ "),
            '=' | ':' | '#' | '!' if key || i == 0 => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ => {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out
}

/// `text` as a Kotlin string literal: `$` would start a template.
fn kotlin_string(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One library or plugin of the catalog.
#[derive(Debug, PartialEq)]
struct Entry {
    alias: String,
    /// `group:name` of a library, the id of a plugin.
    target: String,
    version: Option<CatalogVersion>,
}

#[derive(Debug, Clone, PartialEq)]
enum CatalogVersion {
    Ref(String),
    Literal(String),
}

/// The version catalog being filled; entries keyed by their normalised alias.
#[derive(Debug)]
struct Catalog {
    versions: BTreeMap<String, String>,
    libraries: BTreeMap<String, Entry>,
    plugins: BTreeMap<String, Entry>,
}

impl Catalog {
    fn new(model: &BuildModel) -> Result<Self, BuildError> {
        for key in model.versions.keys() {
            check_alias(key, "version")?;
        }
        Ok(Self { versions: model.versions.clone(), libraries: BTreeMap::new(), plugins: BTreeMap::new() })
    }

    /// Adds a library (or platform) and returns its accessor, `libs.a.b`.
    fn library(&mut self, dependency: &Dependency) -> Result<String, BuildError> {
        let Coordinates { group: Some(group), name } = &dependency.coordinates else {
            return Err(unsupported(&dependency.coordinates.name, "a Maven module needs a group (`group:name`)"));
        };
        let target = format!("{group}:{name}");
        let alias = dependency.alias.clone().unwrap_or_else(|| derive_alias(name));
        check_alias(&alias, "library")?;
        let version = match &dependency.version {
            // The parent's property is Maven's way to name a managed version; the platform manages it here.
            Version::Managed | Version::Property(_) => None,
            // A catalog pins exactly, as Gradle builds do: a compatible version is its verified one.
            Version::Exact(v) | Version::Compatible(v) => Some(CatalogVersion::Literal(v.clone())),
            Version::Named(key) => {
                if !self.versions.contains_key(key) {
                    return Err(BuildError::UnknownVersion { entry: target, key: key.clone() });
                }
                Some(CatalogVersion::Ref(key.clone()))
            }
        };
        insert(&mut self.libraries, Entry { alias, target, version }).map(|accessor| format!("libs.{accessor}"))
    }

    /// Adds a plugin and returns its accessor, `libs.plugins.a.b`.
    fn plugin(&mut self, plugin: &Plugin) -> Result<String, BuildError> {
        let alias = plugin.alias.clone().unwrap_or_else(|| derive_alias(&plugin.id));
        check_alias(&alias, "plugin")?;
        let key = match &plugin.version {
            Version::Managed | Version::Property(_) => {
                return Err(BuildError::Unmanaged { entry: plugin.id.clone(), tool: TOOL });
            }
            Version::Named(key) if self.versions.contains_key(key) => key.clone(),
            Version::Named(key) => {
                return Err(BuildError::UnknownVersion { entry: plugin.id.clone(), key: key.clone() });
            }
            // Catalog plugins take `version.ref`: an exact version gets a key named like the plugin.
            Version::Exact(version) | Version::Compatible(version) => match self.versions.get(&alias) {
                Some(existing) if existing != version => {
                    return Err(BuildError::Conflict {
                        name: alias,
                        tool: TOOL,
                        first: format!("version {existing}"),
                        second: format!("{} {version}", plugin.id),
                    });
                }
                _ => {
                    self.versions.insert(alias.clone(), version.clone());
                    alias.clone()
                }
            },
        };
        let entry = Entry { alias, target: plugin.id.clone(), version: Some(CatalogVersion::Ref(key)) };
        insert(&mut self.plugins, entry).map(|accessor| format!("libs.plugins.{accessor}"))
    }

    fn write(&self) -> String {
        let mut doc = DocumentMut::new();
        if !self.versions.is_empty() {
            let mut versions = Table::new();
            for (key, version) in &self.versions {
                versions[key] = toml_edit::value(version);
            }
            doc["versions"] = Item::Table(versions);
        }
        for (name, entries, target_key) in [("libraries", &self.libraries, "module"), ("plugins", &self.plugins, "id")]
        {
            if entries.is_empty() {
                continue;
            }
            let mut table = Table::new();
            for entry in entries.values() {
                let mut inline = InlineTable::new();
                inline.insert(target_key, Value::from(entry.target.as_str()));
                match &entry.version {
                    Some(CatalogVersion::Literal(version)) => {
                        inline.insert("version", Value::from(version.as_str()));
                    }
                    Some(CatalogVersion::Ref(key)) => {
                        // `version.ref = "key"`, as Gradle's documentation writes it.
                        let mut reference = InlineTable::new();
                        reference.insert("ref", Value::from(key.as_str()));
                        reference.set_dotted(true);
                        inline.insert("version", Value::InlineTable(reference));
                    }
                    None => {}
                }
                table[entry.alias.as_str()] = toml_edit::value(inline);
            }
            doc[name] = Item::Table(table);
        }
        doc.to_string()
    }
}

/// Adds `entry` unless an equal one is there; refuses a different entry under the same normalised
/// alias. Returns the accessor path (`a.b.c`).
fn insert(entries: &mut BTreeMap<String, Entry>, entry: Entry) -> Result<String, BuildError> {
    let accessor = entry.alias.replace(['-', '_'], ".");
    match entries.get(&accessor) {
        Some(existing) if *existing != entry => Err(BuildError::Conflict {
            second: describe(&entry),
            name: entry.alias,
            tool: TOOL,
            first: describe(existing),
        }),
        Some(_) => Ok(accessor),
        None => {
            entries.insert(accessor.clone(), entry);
            Ok(accessor)
        }
    }
}

fn describe(entry: &Entry) -> String {
    match &entry.version {
        Some(CatalogVersion::Literal(v)) => format!("{}:{v}", entry.target),
        Some(CatalogVersion::Ref(key)) => format!("{} (version `{key}`)", entry.target),
        None => format!("{} (managed)", entry.target),
    }
}

/// The alias derived from an artifact name or plugin id: `micronaut-http-server-netty`,
/// `org-jetbrains-kotlin-jvm`.
fn derive_alias(name: &str) -> String {
    name.replace(['.', '_'], "-").to_lowercase()
}

/// Gradle's rules for catalog aliases: a lowercase letter first, then letters, digits and `-_.`
/// separators between identifiers that start with a letter (so the accessor is Kotlin); no
/// identifier the generated accessors reserve.
fn check_alias(alias: &str, kind: &'static str) -> Result<(), BuildError> {
    let segments: Vec<&str> = alias.split(['-', '_', '.']).collect();
    let well_formed = alias.len() >= 2
        && alias.starts_with(|c: char| c.is_ascii_lowercase())
        && segments.iter().all(|s| s.starts_with(|c: char| c.is_ascii_alphabetic()))
        && segments.iter().all(|s| s.chars().all(|c| c.is_ascii_alphanumeric()))
        && !segments.iter().any(|s| matches!(*s, "extensions" | "convention" | "class"))
        && (kind == "version" || !matches!(segments[0], "bundles" | "versions" | "plugins"));
    if well_formed {
        Ok(())
    } else {
        Err(unsupported(
            alias,
            "not a valid Gradle catalog alias (lowercase letter first; identifiers that start with a letter, \
             separated by `-`; not `bundles`, `versions`, `plugins`, `class`, `convention` or `extensions`); set `alias`",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{BuildProject, Extension, Scope};

    fn model() -> BuildModel {
        let mut kotlin_jvm = Plugin {
            id: "org.jetbrains.kotlin.jvm".into(),
            coordinates: Coordinates::parse("org.jetbrains.kotlin:kotlin-maven-plugin"),
            version: Version::Named("kotlin".into()),
            only: None,
            alias: None,
        };
        kotlin_jvm.alias = Some("kotlin-jvm".into());
        BuildModel {
            project: BuildProject {
                group: Some("com.example".into()),
                name: "demo".into(),
                version: "0.1.0".into(),
                description: "A $demo \"service\"".into(),
                license: None,
            },
            runtime: Some("17".into()),
            platforms: vec![Dependency::exact("io.micronaut.platform:micronaut-platform", "4.10.8", Scope::COMPILE)],
            dependencies: vec![
                Dependency::new("io.micronaut:micronaut-http-server-netty", Version::Managed, Scope::COMPILE),
                Dependency::new(
                    "io.micronaut.serde:micronaut-serde-processor",
                    Version::Managed,
                    Scope::ANNOTATION_PROCESSING,
                ),
                Dependency::new("org.jetbrains.kotlin:kotlin-stdlib", Version::Named("kotlin".into()), Scope::COMPILE),
                Dependency::exact("org.yaml:snakeyaml", "2.5", Scope::RUNTIME),
                Dependency::new("io.micronaut.test:micronaut-test-junit5", Version::Managed, Scope::TEST),
            ],
            plugins: vec![
                kotlin_jvm,
                Plugin {
                    id: "com.google.devtools.ksp".into(),
                    coordinates: Coordinates::parse("com.google.devtools.ksp:symbol-processing-gradle-plugin"),
                    version: Version::Exact("2.3.4".into()),
                    only: Some(BuildTool::Gradle),
                    alias: Some("ksp".into()),
                },
            ],
            versions: [("kotlin".to_owned(), "2.4.21".to_owned())].into(),
            properties: [("micronautVersion".to_owned(), "4.10.8".to_owned())].into(),
            main_class: Some("com.example.ApplicationKt".into()),
            extensions: vec![Extension {
                tool: BuildTool::Gradle,
                text: "micronaut {\n    runtime(\"netty\")\n}\n".into(),
            }],
            ..BuildModel::default()
        }
    }

    fn catalog(files: &Files) -> DocumentMut {
        files.catalog.parse().expect("TOML")
    }

    /// `configuration(accessor)` lines of the `dependencies { }` block.
    pub(crate) fn dependency_lines(build: &str) -> Vec<(String, String)> {
        let block = build.split_once("\ndependencies {\n").map(|(_, rest)| rest).unwrap_or_default();
        let block = block.split_once("\n}\n").map(|(block, _)| block).unwrap_or(block);
        block
            .lines()
            .filter_map(|line| line.trim().strip_suffix(')')?.split_once('('))
            .map(|(configuration, argument)| (configuration.to_owned(), argument.to_owned()))
            .collect()
    }

    #[test]
    fn maps_every_scope_to_its_configuration() {
        let mut model = model();
        model.dependencies = [
            (Scope::COMPILE, "implementation"),
            (Scope::COMPILE_ONLY, "compileOnly"),
            (Scope::RUNTIME, "runtimeOnly"),
            (Scope::ANNOTATION_PROCESSING, "ksp"),
            (Scope::DEVELOPMENT_ONLY, "developmentOnly"),
            (Scope::TEST, "testImplementation"),
            (Scope { source: Source::Test, phase: Phase::CompileOnly }, "testCompileOnly"),
            (Scope::TEST_RUNTIME, "testRuntimeOnly"),
            (Scope::TEST_ANNOTATION_PROCESSING, "kspTest"),
        ]
        .iter()
        .map(|(scope, configuration)| Dependency::exact(&format!("g:{configuration}"), "1", *scope))
        .collect();
        let files = write(&model).expect("writes");
        for (configuration, accessor) in dependency_lines(&files.build) {
            if !accessor.starts_with("platform(") {
                assert_eq!(accessor, format!("libs.{}", configuration.to_lowercase()), "{}", files.build);
            }
        }
        assert_eq!(dependency_lines(&files.build).len(), 1 + 9, "{}", files.build);
    }

    #[test]
    fn writes_the_catalog_with_references_literals_and_managed_entries() {
        let files = write(&model()).expect("writes");
        let doc = catalog(&files);
        assert_eq!(doc["versions"]["kotlin"].as_str(), Some("2.4.21"));
        assert_eq!(doc["versions"]["ksp"].as_str(), Some("2.3.4"), "an exact plugin version gets a key");
        let libraries = &doc["libraries"];
        assert_eq!(
            libraries["micronaut-platform"]["module"].as_str(),
            Some("io.micronaut.platform:micronaut-platform")
        );
        assert_eq!(libraries["micronaut-platform"]["version"].as_str(), Some("4.10.8"));
        assert_eq!(libraries["kotlin-stdlib"]["version"]["ref"].as_str(), Some("kotlin"));
        assert!(libraries["micronaut-http-server-netty"].get("version").is_none(), "managed: no version");
        assert_eq!(doc["plugins"]["kotlin-jvm"]["id"].as_str(), Some("org.jetbrains.kotlin.jvm"));
        assert_eq!(doc["plugins"]["kotlin-jvm"]["version"]["ref"].as_str(), Some("kotlin"));
        assert!(
            files.catalog.contains(
                "kotlin-stdlib = { module = \"org.jetbrains.kotlin:kotlin-stdlib\", version.ref = \"kotlin\" }"
            ),
            "Gradle's documented spelling:\n{}",
            files.catalog
        );
        assert!(files.catalog.contains("\n\n[libraries]\n") && !files.catalog.contains("\n\n\n"), "{}", files.catalog);
    }

    #[test]
    fn the_build_script_names_catalog_entries_and_adds_the_platform_where_it_is_needed() {
        let files = write(&model()).expect("writes");
        let lines = dependency_lines(&files.build);
        let expected: Vec<(String, String)> = [
            ("implementation", "platform(libs.micronaut.platform)"),
            ("ksp", "platform(libs.micronaut.platform)"),
            ("implementation", "libs.micronaut.http.server.netty"),
            ("implementation", "libs.kotlin.stdlib"),
            ("runtimeOnly", "libs.snakeyaml"),
            ("ksp", "libs.micronaut.serde.processor"),
            ("testImplementation", "libs.micronaut.test.junit5"),
        ]
        .iter()
        .map(|(c, a)| ((*c).to_owned(), (*a).to_owned()))
        .collect();
        assert_eq!(lines, expected, "{}", files.build);
        let build = &files.build;
        assert!(
            build.starts_with(
                "plugins {\n    alias(libs.plugins.kotlin.jvm)\n    alias(libs.plugins.ksp)\n    application\n}\n"
            ),
            "{build}"
        );
        assert!(build.contains("\ngroup = \"com.example\"\nversion = \"0.1.0\"\n"), "{build}");
        assert!(build.contains("description = \"A \\$demo \\\"service\\\"\"\n"), "Kotlin-escaped: {build}");
        assert!(build.contains("application {\n    mainClass.set(\"com.example.ApplicationKt\")\n}\n"), "{build}");
        assert!(build.contains("kotlin {\n    jvmToolchain(17)\n}\n"), "{build}");
        assert!(build.ends_with("\nmicronaut {\n    runtime(\"netty\")\n}\n"), "extensions last: {build}");
    }

    #[test]
    fn writes_settings_and_properties() {
        let mut model = model();
        model.project.name = "odd \"name\"".into();
        model.properties.insert("key with=sep".into(), " café\\".into());
        let files = write(&model).expect("writes");
        assert_eq!(
            files.settings,
            "pluginManagement {\n    repositories {\n        gradlePluginPortal()\n        mavenCentral()\n    }\n}\n\n\
             rootProject.name = \"odd \\\"name\\\"\"\n"
        );
        assert_eq!(files.properties, "key\\ with\\=sep=\\ caf\\u00e9\\\\\nmicronautVersion=4.10.8\n");
    }

    #[test]
    fn without_kotlin_the_toolchain_is_java_s() {
        let mut model = model();
        model.plugins.clear();
        let build = write(&model).expect("writes").build;
        assert!(
            build.contains("java {\n    toolchain {\n        languageVersion.set(JavaLanguageVersion.of(17))\n"),
            "{build}"
        );
        model.runtime = Some(">=17".into());
        assert!(matches!(write(&model), Err(BuildError::Unsupported { .. })));
    }

    #[test]
    fn a_module_used_twice_shares_one_entry_but_different_entries_may_not_share_an_alias() {
        let mut model = model();
        model.dependencies.push(Dependency::new(
            "org.jetbrains.kotlin:kotlin-stdlib",
            Version::Named("kotlin".into()),
            Scope::TEST,
        ));
        // Listed twice in one configuration, with another entry between: declared once.
        let stdlib = model.dependencies[2].clone();
        model.dependencies.push(stdlib);
        let files = write(&model).expect("writes");
        let uses = dependency_lines(&files.build).into_iter().filter(|(_, a)| a == "libs.kotlin.stdlib").count();
        assert_eq!(uses, 2, "once per configuration:\n{}", files.build);
        assert!(dependency_lines(&files.build).contains(&("testImplementation".into(), "libs.kotlin.stdlib".into())));
        assert_eq!(catalog(&files)["libraries"].as_table().expect("table").len(), 6);

        model.dependencies.push(Dependency::exact("org.other:kotlin_stdlib", "1", Scope::COMPILE));
        assert!(matches!(write(&model), Err(BuildError::Conflict { name, .. }) if name == "kotlin-stdlib"));

        let mut aliased = self::model();
        aliased.dependencies.push(Dependency::exact("org.other:kotlin_stdlib", "1", Scope::COMPILE));
        aliased.dependencies.last_mut().expect("pushed").alias = Some("other-stdlib".into());
        assert!(write(&aliased).is_ok());

        let mut plugin_version = self::model();
        plugin_version.versions.insert("ksp".into(), "1.0.0".into());
        assert!(matches!(write(&plugin_version), Err(BuildError::Conflict { .. })));
    }

    #[test]
    fn refuses_what_gradle_cannot_express() {
        let refused = |change: &dyn Fn(&mut BuildModel)| {
            let mut model = model();
            change(&mut model);
            write(&model).expect_err("refused")
        };
        assert!(matches!(refused(&|m| m.platforms.clear()), BuildError::Unmanaged { .. }));
        assert!(matches!(refused(&|m| m.versions.clear()), BuildError::UnknownVersion { .. }));
        assert!(matches!(refused(&|m| m.plugins[0].version = Version::Managed), BuildError::Unmanaged { .. }));
        for scope in [Scope::TOOLING, Scope { source: Source::Test, phase: Phase::DevelopmentOnly }] {
            assert!(matches!(
                refused(&|m| m.dependencies.push(Dependency::exact("g:a", "1", scope))),
                BuildError::Unsupported { .. }
            ));
        }
        assert!(matches!(
            refused(&|m| m.dependencies.push(Dependency::exact("nogroup", "1", Scope::COMPILE))),
            BuildError::Unsupported { .. }
        ));
        assert!(matches!(refused(&|m| m.dependencies[0].extras.push("x".into())), BuildError::Unsupported { .. }));
        assert!(matches!(
            refused(&|m| {
                m.scripts.insert("run".into(), "x".into());
            }),
            BuildError::Unsupported { .. }
        ));
        for alias in ["Upper", "plugins-x", "a--b", "my-class", "log4j-1-2", "x"] {
            assert!(
                matches!(refused(&|m| m.dependencies[0].alias = Some(alias.into())), BuildError::Unsupported { .. }),
                "{alias}"
            );
        }
    }

    #[test]
    fn a_property_version_is_the_platform_s_here() {
        let mut model = model();
        model.dependencies[1].version = Version::Property("micronaut.serialization.version".into());
        let files = write(&model).expect("writes");
        let doc = catalog(&files);
        let processor = &doc["libraries"]["micronaut-serde-processor"];
        assert_eq!(processor["module"].as_str(), Some("io.micronaut.serde:micronaut-serde-processor"));
        assert!(processor.get("version").is_none(), "no version: the platform gives it\n{}", files.catalog);
        assert!(!files.catalog.contains("micronaut.serialization"), "{}", files.catalog);
        assert!(!files.build.contains("micronaut.serialization"), "{}", files.build);
        assert!(
            dependency_lines(&files.build).contains(&("ksp".into(), "platform(libs.micronaut.platform)".into())),
            "managed, so the platform reaches ksp:\n{}",
            files.build
        );

        let mut unmanaged = model.clone();
        unmanaged.platforms.clear();
        unmanaged.dependencies.retain(|d| d.version != Version::Managed);
        assert!(matches!(write(&unmanaged), Err(BuildError::Unmanaged { entry, .. }) if entry.contains("serde")));
        model.plugins[1].version = Version::Property("ksp.version".into());
        assert!(matches!(write(&model), Err(BuildError::Unmanaged { .. })));
    }

    #[test]
    fn gradle_only_properties_follow_the_shared_ones() {
        let mut model = model();
        let own = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        model.tool_properties.insert(BuildTool::Gradle, own(&[("kotlin.code.style", "official"), ("a.b", "c")]));
        model.tool_properties.insert(BuildTool::Maven, own(&[("micronaut.runtime", "netty")]));
        let files = write(&model).expect("writes");
        assert_eq!(files.properties, "micronautVersion=4.10.8\na.b=c\nkotlin.code.style=official\n");

        // The same value twice is written once; another value would replace the shared one.
        model
            .tool_properties
            .get_mut(&BuildTool::Gradle)
            .expect("inserted")
            .insert("micronautVersion".into(), "4.10.8".into());
        assert_eq!(write(&model).expect("writes").properties.matches("micronautVersion").count(), 1);
        model
            .tool_properties
            .get_mut(&BuildTool::Gradle)
            .expect("inserted")
            .insert("micronautVersion".into(), "4.9.0".into());
        assert!(matches!(write(&model), Err(BuildError::Conflict { name, .. }) if name == "micronautVersion"));
    }

    #[test]
    fn the_kotlin_compiler_settings_go_to_the_kotlin_and_ksp_extensions() {
        let mut model = model();
        model.kotlin = Some(KotlinCompiler {
            explicit_api: true,
            args: vec!["-Xjsr305=strict".into(), "-Xopt=$x".into()],
            processor_options: [("micronaut.processing.group", "com.example"), ("micronaut.processing.module", "demo")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .into(),
        });
        let build = write(&model).expect("writes").build;
        assert!(
            build.contains(
                "\nkotlin {\n    jvmToolchain(17)\n    explicitApi()\n    compilerOptions {\n        \
                 freeCompilerArgs.addAll(\"-Xjsr305=strict\", \"-Xopt=\\$x\")\n    }\n}\n\n\
                 ksp {\n    arg(\"micronaut.processing.group\", \"com.example\")\n    \
                 arg(\"micronaut.processing.module\", \"demo\")\n}\n"
            ),
            "{build}"
        );
        assert!(build.ends_with("\nmicronaut {\n    runtime(\"netty\")\n}\n"), "extensions last: {build}");

        // Only what is asked for; the `kotlin { }` block needs no runtime to carry the settings.
        let mut plain = model.clone();
        plain.kotlin = Some(KotlinCompiler { explicit_api: true, ..KotlinCompiler::default() });
        plain.runtime = None;
        let build = write(&plain).expect("writes").build;
        assert!(build.contains("\nkotlin {\n    explicitApi()\n}\n"), "{build}");
        assert!(!build.contains("compilerOptions") && !build.contains("ksp {"), "{build}");
        plain.kotlin = None;
        assert!(!write(&plain).expect("writes").build.contains("kotlin {"), "nothing to say: no block");

        // KSP's options need the KSP plugin, whose extension `ksp { }` is.
        model.plugins.retain(|p| p.id != "com.google.devtools.ksp");
        model.dependencies.retain(|d| d.scope.phase != Phase::AnnotationProcessing);
        let build = write(&model).expect("writes").build;
        assert!(build.contains("    explicitApi()\n"), "{build}");
        assert!(!build.contains("ksp {") && !build.contains("arg("), "{build}");
    }

    #[test]
    fn the_parent_is_maven_s_and_the_gradle_build_ignores_it() {
        let mut model = model();
        model.parent = Some(Dependency::exact("io.micronaut.platform:micronaut-parent", "4.10.8", Scope::COMPILE));
        assert_eq!(write(&model).expect("writes").build, write(&self::model()).expect("writes").build);
    }

    #[test]
    fn derives_aliases_from_artifact_names_and_plugin_ids() {
        assert_eq!(derive_alias("jakarta.annotation_api"), "jakarta-annotation-api");
        assert_eq!(derive_alias("org.jetbrains.kotlin.jvm"), "org-jetbrains-kotlin-jvm");
        assert!(check_alias("micronaut-http-server-netty", "library").is_ok());
        assert!(check_alias("versions", "version").is_ok());
    }
}
