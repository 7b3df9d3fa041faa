//! The build model: what a project depends on and how it is built, in terms every build tool maps to
//! its own. A stack and its features fill one `BuildModel`; one writer per build tool serialises it,
//! once, after everyone has contributed.
//!
//! How a [`Scope`] maps to each tool (after micronaut-starter's `Phase` and Initializr's `DependencyScope`):
//!
//! | scope | pyproject | package.json | Gradle | Maven |
//! |---|---|---|---|---|
//! | main × compile | `dependencies` | `dependencies` | `implementation` | `compile` |
//! | main × compile-only | `dependencies` | `dependencies` | `compileOnly` | `provided` |
//! | main × runtime | `dependencies` | `dependencies` | `runtimeOnly` | `runtime` |
//! | main × annotation processing | — | — | `ksp` | kapt `annotationProcessorPaths` |
//! | main × development-only | dev group | `devDependencies` | `developmentOnly` | `provided` |
//! | main × tooling | dev group | `devDependencies` | — | — |
//! | test × compile | dev group | `devDependencies` | `testImplementation` | `test` |
//! | test × runtime | dev group | `devDependencies` | `testRuntimeOnly` | `test` |
//! | test × annotation processing | — | — | `kspTest` | kapt `test-kapt` execution |
//! | test × compile-only | dev group | `devDependencies` | `testCompileOnly` | `test` |
//!
//! What a tool cannot express is refused by its writer with a `BuildError`, never dropped: for
//! example tooling and extras under Gradle and Maven, managed versions under npm and PyPI.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// Everything the build tool's manifest says, tool-neutral.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BuildModel {
    pub project: BuildProject,
    /// The runtime version the project needs, in its ecosystem's notation: `>=3.11` (Python),
    /// `>=22` (Node engines), `17` (JVM target).
    pub runtime: Option<String>,
    /// A parent build to inherit from (Maven's `<parent>`, such as `micronaut-parent`).
    pub parent: Option<Dependency>,
    /// Bills of materials whose versions `Version::Managed` dependencies take.
    pub platforms: Vec<Dependency>,
    pub dependencies: Vec<Dependency>,
    pub plugins: Vec<Plugin>,
    /// Named exact versions shared by several entries: a Gradle catalog's `[versions]`, Maven `<properties>`.
    pub versions: BTreeMap<String, String>,
    /// Build properties: Maven `<properties>`, `gradle.properties`.
    pub properties: BTreeMap<String, String>,
    /// Properties only one tool reads (micronaut-parent's `micronaut.runtime`), written after the
    /// shared ones; see [`BuildModel::properties_for`].
    pub tool_properties: BTreeMap<BuildTool, BTreeMap<String, String>>,
    /// How Kotlin sources are compiled, when the project has them.
    pub kotlin: Option<KotlinCompiler>,
    /// Entry points or commands by name: `[project.scripts]`, package.json `scripts`.
    pub scripts: BTreeMap<String, String>,
    /// The class that starts a JVM application (`com.example.ApplicationKt`).
    pub main_class: Option<String>,
    /// Text only one tool understands, which its writer adds verbatim in its place (a Gradle
    /// `micronaut { }` block, the `[tool.*]` tables of a pyproject, package.json fields).
    pub extensions: Vec<Extension>,
}

/// The project's own coordinates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BuildProject {
    /// Maven `groupId` / Gradle `group`; `None` for ecosystems without one.
    pub group: Option<String>,
    /// The distribution, package or artifact name.
    pub name: String,
    pub version: String,
    pub description: String,
    /// The SPDX identifier of the project's license (`MIT`); `None` writes no license field.
    pub license: Option<String>,
}

/// A module of a package registry: `group:name` on Maven Central, `name` on PyPI and npm.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Coordinates {
    pub group: Option<String>,
    pub name: String,
}

impl Coordinates {
    /// `group:name`, or a group-less `name` (`fastapi`, `@fastify/cors`).
    pub fn parse(text: &str) -> Self {
        match text.split_once(':') {
            Some((group, name)) => Self { group: Some(group.to_owned()), name: name.to_owned() },
            None => Self { group: None, name: text.to_owned() },
        }
    }
}

impl fmt::Display for Coordinates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.group {
            Some(group) => write!(f, "{group}:{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// Which version of a dependency: generated projects never float into an unverified release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "value")]
pub enum Version {
    /// This exact version.
    Exact(String),
    /// The version verification proved, and the later releases its ecosystem calls compatible, so a
    /// team can upgrade within them: PEP 440 `>=v,<next` (next is `0.(x+1)` for `0.x`, else the next
    /// major), npm `^v`; Gradle and Maven write `v` exactly, as those ecosystems pin. The lockfile made
    /// at generation holds `v` itself (see [`Dependency::verified_version`]).
    Compatible(String),
    /// The named version `BuildModel::versions[key]`, shared with other entries.
    Named(String),
    /// Whatever a platform (BOM) or the parent build manages.
    Managed,
    /// Managed, as [`Version::Managed`]; where a tool bypasses dependency management (kapt's
    /// `annotationProcessorPaths`), the parent build's property of this name gives the version
    /// (`micronaut.data.version`), so the version is still written only once, by the parent. A
    /// build without a parent must define the property itself (`properties`, `tool_properties`).
    Property(String),
}

impl Version {
    /// Whether a platform or parent decides the version ([`Version::Managed`] or [`Version::Property`]).
    pub fn is_managed(&self) -> bool {
        matches!(self, Self::Managed | Self::Property(_))
    }
}

/// Main code or tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    Main,
    Test,
}

/// When a dependency is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// To compile and to run.
    Compile,
    /// To compile only; provided at run time.
    CompileOnly,
    /// To run only.
    Runtime,
    /// To run annotation processors at compile time (KSP, kapt).
    AnnotationProcessing,
    /// Only while developing (hot reload, a dev server); never shipped.
    DevelopmentOnly,
    /// Tools around the code: linters, formatters, type checkers. Never shipped.
    Tooling,
}

/// Where a dependency is needed: main or test, crossed with the phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Scope {
    pub source: Source,
    pub phase: Phase,
}

impl Scope {
    pub const COMPILE: Self = Self { source: Source::Main, phase: Phase::Compile };
    pub const COMPILE_ONLY: Self = Self { source: Source::Main, phase: Phase::CompileOnly };
    pub const RUNTIME: Self = Self { source: Source::Main, phase: Phase::Runtime };
    pub const ANNOTATION_PROCESSING: Self = Self { source: Source::Main, phase: Phase::AnnotationProcessing };
    pub const DEVELOPMENT_ONLY: Self = Self { source: Source::Main, phase: Phase::DevelopmentOnly };
    pub const TOOLING: Self = Self { source: Source::Main, phase: Phase::Tooling };
    pub const TEST: Self = Self { source: Source::Test, phase: Phase::Compile };
    pub const TEST_RUNTIME: Self = Self { source: Source::Test, phase: Phase::Runtime };
    pub const TEST_ANNOTATION_PROCESSING: Self = Self { source: Source::Test, phase: Phase::AnnotationProcessing };

    /// Whether the running service needs it: ecosystems with only "dependencies" and "dev
    /// dependencies" (PyPI, npm) put everything else in the dev list.
    pub fn is_shipped(self) -> bool {
        self.source == Source::Main && matches!(self.phase, Phase::Compile | Phase::CompileOnly | Phase::Runtime)
    }
}

/// One entry of the build model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependency {
    pub coordinates: Coordinates,
    pub version: Version,
    pub scope: Scope,
    /// Optional parts of the package: Python extras (`uvicorn[standard]`).
    pub extras: Vec<String>,
    /// The Gradle catalog alias; derived from the name when `None`.
    pub alias: Option<String>,
    /// `Some` when only that tool's build needs it (Micronaut's `inject-java` for kapt under Maven,
    /// `inject-kotlin` for KSP under Gradle).
    pub only: Option<BuildTool>,
}

impl Dependency {
    /// An exactly pinned dependency without extras.
    pub fn exact(coordinates: &str, version: &str, scope: Scope) -> Self {
        Self::new(coordinates, Version::Exact(version.to_owned()), scope)
    }

    /// A dependency on `version` and the compatible releases after it ([`Version::Compatible`]).
    pub fn compatible(coordinates: &str, version: &str, scope: Scope) -> Self {
        Self::new(coordinates, Version::Compatible(version.to_owned()), scope)
    }

    /// The one version the lockfile made at generation must hold: the exact or compatible version;
    /// `None` for a named or managed one.
    pub fn verified_version(&self) -> Option<&str> {
        match &self.version {
            Version::Exact(v) | Version::Compatible(v) => Some(v),
            Version::Named(_) | Version::Managed | Version::Property(_) => None,
        }
    }

    pub fn new(coordinates: &str, version: Version, scope: Scope) -> Self {
        Self {
            coordinates: Coordinates::parse(coordinates),
            version,
            scope,
            extras: Vec::new(),
            alias: None,
            only: None,
        }
    }
}

/// A build plugin or build backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plugin {
    /// Gradle plugin id (`org.jetbrains.kotlin.jvm`); the PEP 517 backend object (`hatchling.build`).
    pub id: String,
    /// The artifact: a Maven plugin (`org.jetbrains.kotlin:kotlin-maven-plugin`), the backend's PyPI package.
    pub coordinates: Coordinates,
    pub version: Version,
    /// `Some` when only that tool uses the plugin (KSP is Gradle-only, kapt Maven-only).
    pub only: Option<BuildTool>,
    /// The Gradle catalog alias; derived from the id when `None`.
    pub alias: Option<String>,
}

/// The build tools with a writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BuildTool {
    /// `pyproject.toml` (PEP 621, PEP 735 dependency groups, PEP 517 build system).
    Pyproject,
    /// `package.json`.
    Npm,
    /// `build.gradle.kts`, `settings.gradle.kts`, `gradle/libs.versions.toml`, `gradle.properties`.
    Gradle,
    /// `pom.xml`.
    Maven,
}

/// How Kotlin sources compile, in terms of the Kotlin compiler's own switches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KotlinCompiler {
    /// Explicit API mode, strict, for main sources only: tests are exempt, as with the Kotlin Gradle
    /// plugin's `explicitApi()` (<https://kotlinlang.org/docs/api-guidelines-simplicity.html>).
    pub explicit_api: bool,
    /// Free compiler arguments for every source set (`-Xjsr305=strict`).
    pub args: Vec<String>,
    /// Options every annotation processor receives: kapt `annotationProcessorArgs`, KSP `arg(key, value)`.
    pub processor_options: BTreeMap<String, String>,
}

/// Text for one tool's manifest, placed where that tool's writer documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extension {
    pub tool: BuildTool,
    pub text: String,
}

impl BuildModel {
    /// The dependencies `tool` builds with, in the order they were added.
    pub fn dependencies_for(&self, tool: BuildTool) -> impl Iterator<Item = &Dependency> {
        self.dependencies.iter().filter(move |d| d.only.is_none_or(|only| only == tool))
    }

    /// The dependencies in `scope`, in the order they were added.
    pub fn in_scope(&self, scope: Scope) -> impl Iterator<Item = &Dependency> {
        self.dependencies.iter().filter(move |d| d.scope == scope)
    }

    /// The plugins `tool` uses.
    pub fn plugins_for(&self, tool: BuildTool) -> impl Iterator<Item = &Plugin> {
        self.plugins.iter().filter(move |p| p.only.is_none_or(|only| only == tool))
    }

    /// The properties `tool` writes: the shared `properties`, then that tool's own
    /// (`tool_properties`) that the shared ones do not already hold. A tool's property that gives a
    /// shared one another value is refused: one would silently replace the other.
    pub fn properties_for(&self, tool: BuildTool) -> Result<Vec<(&str, &str)>, super::BuildError> {
        let mut properties: Vec<(&str, &str)> = self.properties.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        for (key, value) in self.tool_properties.get(&tool).into_iter().flatten() {
            match self.properties.get(key) {
                Some(shared) if shared != value => {
                    return Err(super::BuildError::Conflict {
                        name: key.clone(),
                        tool,
                        first: format!("the property {shared}"),
                        second: format!("the {tool:?} property {value}"),
                    });
                }
                Some(_) => {}
                None => properties.push((key, value)),
            }
        }
        Ok(properties)
    }

    /// The extension texts for `tool`, in the order they were added.
    pub fn extensions_for(&self, tool: BuildTool) -> impl Iterator<Item = &str> {
        self.extensions.iter().filter(move |e| e.tool == tool).map(|e| e.text.as_str())
    }

    /// The version text of `version`: exact, or the named version's value; `None` when managed
    /// or when the name is not in `versions` (a generator bug the writers report).
    pub fn resolve<'a>(&'a self, version: &'a Version) -> Option<&'a str> {
        match version {
            Version::Exact(v) | Version::Compatible(v) => Some(v),
            Version::Named(key) => self.versions.get(key).map(String::as_str),
            Version::Managed | Version::Property(_) => None,
        }
    }
}
