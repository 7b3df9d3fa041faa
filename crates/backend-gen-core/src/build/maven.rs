//! `pom.xml` from the build model, written by a small XML writer (two-space indent, every text and
//! attribute escaped) and checked by parsing the result with roxmltree.
//!
//! Mapping:
//! - `<parent>` from `parent`, its version resolved to a literal (Maven does not interpolate a
//!   parent's version); `<relativePath/>` so Maven looks it up in the repositories only.
//! - `groupId` (may be left to the parent), `artifactId` and `name` from the project name, `version`,
//!   `description`.
//! - `<properties>`: `project.build.sourceEncoding` (UTF-8), `maven.compiler.release` (and
//!   `kotlin.compiler.jvmTarget` with Kotlin) from a numeric `runtime`, `exec.mainClass` from
//!   `main_class`; then the named versions and the properties, which win over those defaults. A
//!   named version is referenced as `${key}` wherever it is used, except in `<parent>`.
//! - `<dependencyManagement>` imports each platform (`type` pom, `scope` import) when there is no
//!   parent. With a parent, the parent is taken to manage what the platforms would (micronaut-parent
//!   inherits micronaut-platform), so the platforms are left to Gradle.
//! - Dependencies: main × compile → default scope (compile); compile-only and development-only →
//!   `provided`; runtime → `runtime`; test × compile, compile-only, runtime → `test`. Tooling and
//!   test × development-only have no Maven meaning and are refused. A managed version is left out
//!   and needs a parent or a platform. The same module listed in two scopes is written once, in the
//!   scope that covers both (Maven rejects duplicate declarations).
//! - Annotation processing runs through kapt: the `org.jetbrains.kotlin:kotlin-maven-plugin` gets a
//!   `kapt` execution whose `annotationProcessorPaths` list the main processors and a `test-kapt`
//!   execution for the test processors, besides its `compile` and `test-compile` executions, and the
//!   build's source folders become `src/main/kotlin` and `src/test/kotlin`. kapt resolves processor
//!   paths without dependency management, so a processor needs a named or exact version: a managed
//!   one is refused, as is a processor without the Kotlin plugin.
//! - `<build><plugins>` from the plugins Maven uses (a plugin `only` for another tool is skipped); a
//!   managed plugin version is left out and needs a parent's `pluginManagement` (a BOM does not
//!   manage plugins). `Maven` extensions are `<plugin>` elements inserted verbatim (re-indented) after
//!   the model's plugins; anything else there is refused.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{BuildError, BuildModel, BuildTool, Coordinates, Dependency, Phase, Plugin, Source, Version};

const TOOL: BuildTool = BuildTool::Maven;
const KOTLIN_GROUP: &str = "org.jetbrains.kotlin";
const KOTLIN_PLUGIN: &str = "kotlin-maven-plugin";

pub(super) fn write(model: &BuildModel) -> Result<String, BuildError> {
    if let Some(name) = model.scripts.keys().next() {
        return Err(unsupported(name, "Maven has no named scripts; add a plugin execution instead"));
    }
    let kotlin = model.plugins_for(TOOL).any(is_kotlin_plugin);
    let managed = model.parent.is_some() || !model.platforms.is_empty();
    let mut xml = Xml::default();
    xml.out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.open_with(
        "project",
        &[
            ("xmlns", "http://maven.apache.org/POM/4.0.0"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", "http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd"),
        ],
    );
    xml.leaf("modelVersion", "4.0.0");

    if let Some(parent) = &model.parent {
        let entry = parent.coordinates.to_string();
        let version = match &parent.version {
            Version::Managed => return Err(BuildError::Unmanaged { entry, tool: TOOL }),
            version => model.resolve(version).ok_or_else(|| unknown(&entry, version))?,
        };
        xml.open("parent");
        coordinates(&mut xml, &parent.coordinates);
        xml.leaf("version", version);
        xml.empty("relativePath");
        xml.close("parent");
    }
    match (&model.project.group, &model.parent) {
        (Some(group), _) => xml.leaf("groupId", group),
        (None, Some(_)) => {} // inherited from the parent
        (None, None) => return Err(unsupported(&model.project.name, "a Maven project needs a group (groupId)")),
    }
    xml.leaf("artifactId", &model.project.name);
    xml.leaf("version", &model.project.version);
    xml.leaf("name", &model.project.name);
    if !model.project.description.is_empty() {
        xml.leaf("description", &model.project.description);
    }

    let properties = properties(model, kotlin)?;
    xml.open("properties");
    for (key, value) in &properties {
        xml.leaf(key, value);
    }
    xml.close("properties");

    if model.parent.is_none() && !model.platforms.is_empty() {
        xml.open("dependencyManagement");
        xml.open("dependencies");
        for platform in &model.platforms {
            if platform.version == Version::Managed {
                return Err(BuildError::Unmanaged { entry: platform.coordinates.to_string(), tool: TOOL });
            }
            xml.open("dependency");
            coordinates(&mut xml, &platform.coordinates);
            xml.leaf("version", &reference(model, &platform.coordinates, &platform.version)?);
            xml.leaf("type", "pom");
            xml.leaf("scope", "import");
            xml.close("dependency");
        }
        xml.close("dependencies");
        xml.close("dependencyManagement");
    }

    let dependencies = dependencies(model, managed)?;
    if !dependencies.is_empty() {
        xml.open("dependencies");
        for (dependency, scope) in dependencies {
            xml.open("dependency");
            coordinates(&mut xml, &dependency.coordinates);
            if dependency.version != Version::Managed {
                xml.leaf("version", &reference(model, &dependency.coordinates, &dependency.version)?);
            }
            if let Some(scope) = scope.name() {
                xml.leaf("scope", scope);
            }
            xml.close("dependency");
        }
        xml.close("dependencies");
    }

    let processors = processors(model, kotlin)?;
    let plugins: Vec<&Plugin> = model.plugins_for(TOOL).collect();
    let extensions: Vec<&str> = model.extensions_for(TOOL).collect();
    if kotlin || !plugins.is_empty() || !extensions.is_empty() {
        xml.open("build");
        if kotlin {
            xml.leaf("sourceDirectory", "${project.basedir}/src/main/kotlin");
            xml.leaf("testSourceDirectory", "${project.basedir}/src/test/kotlin");
        }
        xml.open("plugins");
        for plugin in plugins {
            xml.open("plugin");
            coordinates(&mut xml, &plugin.coordinates);
            match &plugin.version {
                Version::Managed if model.parent.is_none() => {
                    return Err(BuildError::Unmanaged { entry: plugin.coordinates.to_string(), tool: TOOL });
                }
                Version::Managed => {}
                version => xml.leaf("version", &reference(model, &plugin.coordinates, version)?),
            }
            if is_kotlin_plugin(plugin) {
                kotlin_executions(&mut xml, &processors);
            }
            xml.close("plugin");
        }
        for extension in &extensions {
            check_extension(extension)?;
            xml.raw(extension);
        }
        xml.close("plugins");
        xml.close("build");
    }
    xml.close("project");
    check(&xml.out)?;
    Ok(xml.out)
}

fn unsupported(entry: &str, why: &'static str) -> BuildError {
    BuildError::Unsupported { entry: entry.to_owned(), tool: TOOL, why }
}

fn unknown(entry: &str, version: &Version) -> BuildError {
    match version {
        Version::Named(key) => BuildError::UnknownVersion { entry: entry.to_owned(), key: key.clone() },
        _ => BuildError::Unmanaged { entry: entry.to_owned(), tool: TOOL },
    }
}

fn is_kotlin_plugin(plugin: &Plugin) -> bool {
    plugin.coordinates.group.as_deref() == Some(KOTLIN_GROUP) && plugin.coordinates.name == KOTLIN_PLUGIN
}

/// `<groupId>` (when there is one: a plugin may default to `org.apache.maven.plugins`) and `<artifactId>`.
fn coordinates(xml: &mut Xml, coordinates: &Coordinates) {
    if let Some(group) = &coordinates.group {
        xml.leaf("groupId", group);
    }
    xml.leaf("artifactId", &coordinates.name);
}

/// The text of a `<version>`: a literal, or `${key}` for a named version (a `<properties>` entry).
fn reference(model: &BuildModel, coordinates: &Coordinates, version: &Version) -> Result<String, BuildError> {
    match version {
        Version::Exact(version) => Ok(version.clone()),
        Version::Named(key) if model.versions.contains_key(key) => Ok(format!("${{{key}}}")),
        version => Err(unknown(&coordinates.to_string(), version)),
    }
}

/// The `<properties>`: defaults derived from the model, then named versions and properties.
fn properties(model: &BuildModel, kotlin: bool) -> Result<BTreeMap<String, String>, BuildError> {
    let mut properties = BTreeMap::from([("project.build.sourceEncoding".to_owned(), "UTF-8".to_owned())]);
    if let Some(runtime) = &model.runtime {
        runtime
            .parse::<u32>()
            .map_err(|_| unsupported(runtime, "the JVM runtime must be a release number such as `17`"))?;
        properties.insert("maven.compiler.release".into(), runtime.clone());
        if kotlin {
            properties.insert("kotlin.compiler.jvmTarget".into(), runtime.clone());
        }
    }
    if let Some(main_class) = &model.main_class {
        // Read by exec-maven-plugin, and by micronaut-parent's run and packaging configuration.
        properties.insert("exec.mainClass".into(), main_class.clone());
    }
    for (key, value) in &model.versions {
        properties.insert(key.clone(), value.clone());
    }
    for (key, value) in &model.properties {
        if let Some(version) = model.versions.get(key).filter(|version| *version != value) {
            return Err(BuildError::Conflict {
                name: key.clone(),
                tool: TOOL,
                first: format!("the named version {version}"),
                second: format!("the property {value}"),
            });
        }
        properties.insert(key.clone(), value.clone());
    }
    for key in properties.keys() {
        let valid = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !valid {
            return Err(unsupported(key, "a Maven property name must be an XML element name (letters, digits, `.-_`)"));
        }
    }
    Ok(properties)
}

/// A Maven dependency scope, ordered from the widest: merging two takes the one that covers both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MavenScope {
    Compile,
    Provided,
    Runtime,
    Test,
}

impl MavenScope {
    /// The `<scope>` text; `None` for compile, Maven's default.
    fn name(self) -> Option<&'static str> {
        match self {
            Self::Compile => None,
            Self::Provided => Some("provided"),
            Self::Runtime => Some("runtime"),
            Self::Test => Some("test"),
        }
    }

    /// The scope that puts a module everywhere either scope would.
    fn merge(self, other: Self) -> Self {
        match (self, other) {
            (a, b) if a == b => a,
            (Self::Test, other) | (other, Self::Test) => other,
            _ => Self::Compile,
        }
    }
}

/// The `<dependencies>` in the model's order, each module once; `None` for processors, which go to kapt.
fn scope(dependency: &Dependency) -> Result<Option<MavenScope>, BuildError> {
    let entry = dependency.coordinates.to_string();
    if !dependency.extras.is_empty() {
        return Err(unsupported(&entry, "extras have no meaning for a Maven module"));
    }
    Ok(Some(match (dependency.scope.source, dependency.scope.phase) {
        (_, Phase::AnnotationProcessing) => return Ok(None),
        (_, Phase::Tooling) => return Err(unsupported(&entry, "Maven has no scope for tools; add a plugin")),
        (Source::Test, Phase::DevelopmentOnly) => {
            return Err(unsupported(&entry, "Maven has no development-only scope for tests"));
        }
        (Source::Main, Phase::Compile) => MavenScope::Compile,
        (Source::Main, Phase::CompileOnly | Phase::DevelopmentOnly) => MavenScope::Provided,
        (Source::Main, Phase::Runtime) => MavenScope::Runtime,
        (Source::Test, Phase::Compile | Phase::CompileOnly | Phase::Runtime) => MavenScope::Test,
    }))
}

fn dependencies(model: &BuildModel, managed: bool) -> Result<Vec<(&Dependency, MavenScope)>, BuildError> {
    let mut written: Vec<(&Dependency, MavenScope)> = Vec::new();
    for dependency in model.dependencies_for(TOOL) {
        let Some(scope) = scope(dependency)? else { continue };
        let entry = dependency.coordinates.to_string();
        if dependency.coordinates.group.is_none() {
            return Err(unsupported(&entry, "a Maven module needs a group (`group:name`)"));
        }
        if dependency.version == Version::Managed && !managed {
            return Err(BuildError::Unmanaged { entry, tool: TOOL });
        }
        match written.iter_mut().find(|(d, _)| d.coordinates == dependency.coordinates) {
            Some((existing, _)) if existing.version != dependency.version => {
                return Err(BuildError::Conflict {
                    name: entry,
                    tool: TOOL,
                    first: format!("{:?}", existing.version),
                    second: format!("{:?}", dependency.version),
                });
            }
            Some((_, existing)) => *existing = existing.merge(scope),
            None => written.push((dependency, scope)),
        }
    }
    Ok(written)
}

/// The main and the test annotation processors, each as `(coordinates, version text)`.
#[derive(Debug, Default)]
struct Processors {
    main: Vec<(Coordinates, String)>,
    test: Vec<(Coordinates, String)>,
}

fn processors(model: &BuildModel, kotlin: bool) -> Result<Processors, BuildError> {
    let mut processors = Processors::default();
    for dependency in model.dependencies_for(TOOL).filter(|d| d.scope.phase == Phase::AnnotationProcessing) {
        let entry = dependency.coordinates.to_string();
        if !kotlin {
            return Err(unsupported(
                &entry,
                "annotation processing under Maven runs through kapt; add the plugin org.jetbrains.kotlin:kotlin-maven-plugin",
            ));
        }
        if dependency.coordinates.group.is_none() {
            return Err(unsupported(&entry, "a Maven module needs a group (`group:name`)"));
        }
        if dependency.version == Version::Managed {
            return Err(unsupported(
                &entry,
                "kapt's annotationProcessorPaths take no version from a parent or BOM; give the processor a named or exact version",
            ));
        }
        let version = reference(model, &dependency.coordinates, &dependency.version)?;
        let list = if dependency.scope.source == Source::Main { &mut processors.main } else { &mut processors.test };
        if !list.iter().any(|(c, _)| *c == dependency.coordinates) {
            list.push((dependency.coordinates.clone(), version));
        }
    }
    Ok(processors)
}

/// The Kotlin plugin's executions: kapt before compile, for main and for test sources.
fn kotlin_executions(xml: &mut Xml, processors: &Processors) {
    xml.open("executions");
    for (id, goal, paths) in [
        ("kapt", "kapt", Some(&processors.main)),
        ("compile", "compile", None),
        ("test-kapt", "test-kapt", Some(&processors.test)),
        ("test-compile", "test-compile", None),
    ] {
        if paths.is_some_and(|paths| paths.is_empty()) {
            continue;
        }
        xml.open("execution");
        xml.leaf("id", id);
        xml.open("goals");
        xml.leaf("goal", goal);
        xml.close("goals");
        if let Some(paths) = paths {
            xml.open("configuration");
            xml.open("annotationProcessorPaths");
            for (coordinates, version) in paths {
                xml.open("annotationProcessorPath");
                self::coordinates(xml, coordinates);
                xml.leaf("version", version);
                xml.close("annotationProcessorPath");
            }
            xml.close("annotationProcessorPaths");
            xml.close("configuration");
        }
        xml.close("execution");
    }
    xml.close("executions");
}

/// Parses each extension on its own inside a `<plugins>` element: a malformed fragment shows here,
/// and so does one that closes `<plugins>` early or puts anything but `<plugin>` elements there.
fn check_extension(text: &str) -> Result<(), BuildError> {
    let bad = |message: String| BuildError::BadExtension { tool: TOOL, message };
    let wrapped = format!("<plugins>\n{text}\n</plugins>");
    let doc = roxmltree::Document::parse(&wrapped).map_err(|e| bad(e.to_string()))?;
    if let Some(other) = doc.root_element().children().find(|n| n.is_element() && !n.has_tag_name("plugin")) {
        return Err(bad(format!(
            "only <plugin> elements may go in <build><plugins>, not <{}>",
            other.tag_name().name()
        )));
    }
    Ok(())
}

/// Parses the whole pom: the writer's own output must be well-formed whatever the model held.
fn check(pom: &str) -> Result<(), BuildError> {
    roxmltree::Document::parse(pom)
        .map(drop)
        .map_err(|e| BuildError::BadExtension { tool: TOOL, message: format!("the pom is not well-formed: {e}") })
}

/// A small indenting XML writer; element names are the writer's own or checked property names.
#[derive(Debug, Default)]
struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn open(&mut self, tag: &str) {
        self.open_with(tag, &[]);
    }

    fn open_with(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        self.indent();
        let _ = write!(self.out, "<{tag}");
        for (name, value) in attributes {
            let _ = write!(self.out, " {name}=\"{}\"", escape(value));
        }
        self.out.push_str(">\n");
        self.depth += 1;
    }

    fn close(&mut self, tag: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        let _ = writeln!(self.out, "</{tag}>");
    }

    fn leaf(&mut self, tag: &str, text: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{tag}>{}</{tag}>", escape(text));
    }

    fn empty(&mut self, tag: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{tag}/>");
    }

    /// `text` as given, each line indented to the current depth (whitespace between elements is
    /// not significant in a pom).
    fn raw(&mut self, text: &str) {
        let lines: Vec<&str> = text.trim_matches('\n').lines().collect();
        let common =
            lines.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
        for line in lines {
            if line.trim().is_empty() {
                self.out.push('\n');
            } else {
                self.indent();
                self.out.push_str(line.get(common..).unwrap_or(line.trim_start()).trim_end());
                self.out.push('\n');
            }
        }
    }
}

/// Escapes text and attribute values: `&`, `<`, `>` and both quotes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{BuildProject, Extension, Scope};

    fn kotlin_plugin() -> Plugin {
        Plugin {
            id: "org.jetbrains.kotlin.jvm".into(),
            coordinates: Coordinates::parse("org.jetbrains.kotlin:kotlin-maven-plugin"),
            version: Version::Named("kotlin".into()),
            only: None,
            alias: Some("kotlin-jvm".into()),
        }
    }

    fn model() -> BuildModel {
        BuildModel {
            project: BuildProject {
                group: Some("com.example".into()),
                name: "demo".into(),
                version: "0.1.0".into(),
                description: "Orders & <more>".into(),
                license: None,
            },
            runtime: Some("17".into()),
            platforms: vec![Dependency::exact("io.micronaut.platform:micronaut-platform", "4.10.8", Scope::COMPILE)],
            dependencies: vec![
                Dependency::new("io.micronaut:micronaut-http-server-netty", Version::Managed, Scope::COMPILE),
                Dependency::new("org.jetbrains.kotlin:kotlin-stdlib", Version::Named("kotlin".into()), Scope::COMPILE),
                Dependency::exact(
                    "io.micronaut.serde:micronaut-serde-processor",
                    "2.16.2",
                    Scope::ANNOTATION_PROCESSING,
                ),
                Dependency::exact("io.micronaut:micronaut-inject-java", "4.10.15", Scope::TEST_ANNOTATION_PROCESSING),
                Dependency::new("jakarta.annotation:jakarta.annotation-api", Version::Managed, Scope::COMPILE_ONLY),
                Dependency::new("ch.qos.logback:logback-classic", Version::Managed, Scope::RUNTIME),
                Dependency::new("io.micronaut:micronaut-http-client", Version::Managed, Scope::DEVELOPMENT_ONLY),
                Dependency::new("io.micronaut.test:micronaut-test-junit5", Version::Managed, Scope::TEST),
                Dependency::new("org.junit.jupiter:junit-jupiter-engine", Version::Managed, Scope::TEST_RUNTIME),
            ],
            plugins: vec![kotlin_plugin()],
            versions: [("kotlin".to_owned(), "2.4.21".to_owned())].into(),
            properties: [("micronaut.runtime".to_owned(), "netty".to_owned())].into(),
            main_class: Some("com.example.ApplicationKt".into()),
            ..BuildModel::default()
        }
    }

    /// The text of `path` (child element names from the root), or `None`.
    fn text<'a>(node: roxmltree::Node<'a, 'a>, path: &[&str]) -> Option<&'a str> {
        let mut node = node;
        for name in path {
            node = node.children().find(|n| n.has_tag_name(*name))?;
        }
        node.text()
    }

    fn children<'a, 'input>(node: roxmltree::Node<'a, 'input>, name: &'a str) -> Vec<roxmltree::Node<'a, 'input>> {
        node.children().filter(|n| n.has_tag_name(name)).collect()
    }

    /// `(groupId:artifactId, version, scope)` of each `<dependency>` under `node`.
    fn entries(node: roxmltree::Node<'_, '_>) -> Vec<(String, Option<String>, Option<String>)> {
        node.children()
            .filter(|n| n.is_element())
            .map(|d| {
                (
                    format!(
                        "{}:{}",
                        text(d, &["groupId"]).unwrap_or_default(),
                        text(d, &["artifactId"]).unwrap_or_default()
                    ),
                    text(d, &["version"]).map(str::to_owned),
                    text(d, &["scope"]).map(str::to_owned),
                )
            })
            .collect()
    }

    fn owned(items: &[(&str, Option<&str>, Option<&str>)]) -> Vec<(String, Option<String>, Option<String>)> {
        items.iter().map(|(c, v, s)| ((*c).to_owned(), v.map(str::to_owned), s.map(str::to_owned))).collect()
    }

    #[test]
    fn maps_scopes_and_versions_to_dependencies() {
        let pom = write(&model()).expect("writes");
        let doc = roxmltree::Document::parse(&pom).expect("XML");
        let project = doc.root_element();
        let dependencies = children(project, "dependencies")[0];
        assert_eq!(
            entries(dependencies),
            owned(&[
                ("io.micronaut:micronaut-http-server-netty", None, None),
                ("org.jetbrains.kotlin:kotlin-stdlib", Some("${kotlin}"), None),
                ("jakarta.annotation:jakarta.annotation-api", None, Some("provided")),
                ("ch.qos.logback:logback-classic", None, Some("runtime")),
                ("io.micronaut:micronaut-http-client", None, Some("provided")),
                ("io.micronaut.test:micronaut-test-junit5", None, Some("test")),
                ("org.junit.jupiter:junit-jupiter-engine", None, Some("test")),
            ])
        );
        assert_eq!(
            entries(children(children(project, "dependencyManagement")[0], "dependencies")[0]),
            owned(&[("io.micronaut.platform:micronaut-platform", Some("4.10.8"), Some("import"))])
        );
        assert_eq!(text(project, &["dependencyManagement", "dependencies", "dependency", "type"]), Some("pom"));
    }

    #[test]
    fn writes_the_project_and_its_properties_escaped() {
        let pom = write(&model()).expect("writes");
        let doc = roxmltree::Document::parse(&pom).expect("XML");
        let project = doc.root_element();
        assert_eq!(project.tag_name().namespace(), Some("http://maven.apache.org/POM/4.0.0"));
        assert_eq!(text(project, &["modelVersion"]), Some("4.0.0"));
        assert_eq!(text(project, &["groupId"]), Some("com.example"));
        assert_eq!(text(project, &["artifactId"]), Some("demo"));
        assert_eq!(text(project, &["version"]), Some("0.1.0"));
        assert_eq!(text(project, &["description"]), Some("Orders & <more>"));
        assert!(pom.contains("<description>Orders &amp; &lt;more&gt;</description>"), "{pom}");
        let properties = &children(project, "properties")[0];
        let properties: Vec<(&str, &str)> = properties
            .children()
            .filter(|n| n.is_element())
            .map(|n| (n.tag_name().name(), n.text().unwrap_or_default()))
            .collect();
        assert_eq!(
            properties,
            [
                ("exec.mainClass", "com.example.ApplicationKt"),
                ("kotlin", "2.4.21"),
                ("kotlin.compiler.jvmTarget", "17"),
                ("maven.compiler.release", "17"),
                ("micronaut.runtime", "netty"),
                ("project.build.sourceEncoding", "UTF-8"),
            ]
        );
        assert!(pom.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns="), "{pom}");
        assert!(pom.ends_with("</project>\n"));
        assert_eq!(write(&model()), Ok(pom), "deterministic");
    }

    #[test]
    fn kapt_runs_the_processors_with_their_versions_before_each_compilation() {
        let pom = write(&model()).expect("writes");
        let doc = roxmltree::Document::parse(&pom).expect("XML");
        let build = children(doc.root_element(), "build")[0];
        assert_eq!(text(build, &["sourceDirectory"]), Some("${project.basedir}/src/main/kotlin"));
        assert_eq!(text(build, &["testSourceDirectory"]), Some("${project.basedir}/src/test/kotlin"));
        let plugin = children(children(build, "plugins")[0], "plugin")[0];
        assert_eq!(text(plugin, &["artifactId"]), Some("kotlin-maven-plugin"));
        assert_eq!(text(plugin, &["version"]), Some("${kotlin}"));
        let executions = children(children(plugin, "executions")[0], "execution");
        let ids: Vec<_> = executions.iter().map(|e| text(*e, &["id"]).unwrap_or_default()).collect();
        assert_eq!(ids, ["kapt", "compile", "test-kapt", "test-compile"]);
        let paths = |execution: roxmltree::Node<'_, '_>| {
            entries(children(children(execution, "configuration")[0], "annotationProcessorPaths")[0])
        };
        assert_eq!(
            paths(executions[0]),
            owned(&[("io.micronaut.serde:micronaut-serde-processor", Some("2.16.2"), None)])
        );
        assert_eq!(paths(executions[2]), owned(&[("io.micronaut:micronaut-inject-java", Some("4.10.15"), None)]));
        assert_eq!(text(executions[2], &["goals", "goal"]), Some("test-kapt"));
    }

    #[test]
    fn with_a_parent_the_platform_import_is_left_out_and_plugins_may_be_managed() {
        let mut model = model();
        model.parent = Some(Dependency::new(
            "io.micronaut.platform:micronaut-parent",
            Version::Named("micronaut".into()),
            Scope::COMPILE,
        ));
        model.versions.insert("micronaut".into(), "4.10.8".into());
        model.project.group = None;
        model.plugins.push(Plugin {
            id: "io.micronaut.maven".into(),
            coordinates: Coordinates::parse("io.micronaut.maven:micronaut-maven-plugin"),
            version: Version::Managed,
            only: Some(BuildTool::Maven),
            alias: None,
        });
        let pom = write(&model).expect("writes");
        let doc = roxmltree::Document::parse(&pom).expect("XML");
        let project = doc.root_element();
        assert_eq!(text(project, &["parent", "artifactId"]), Some("micronaut-parent"));
        assert_eq!(text(project, &["parent", "version"]), Some("4.10.8"), "a parent's version is never a property");
        assert!(children(children(project, "parent")[0], "relativePath").len() == 1);
        assert!(children(project, "groupId").is_empty(), "inherited from the parent");
        assert!(children(project, "dependencyManagement").is_empty());
        let plugins = children(children(children(project, "build")[0], "plugins")[0], "plugin");
        assert_eq!(text(plugins[1], &["artifactId"]), Some("micronaut-maven-plugin"));
        assert_eq!(text(plugins[1], &["version"]), None);
    }

    #[test]
    fn a_module_in_two_scopes_is_declared_once_in_the_wider_one() {
        let mut model = model();
        model.dependencies.push(Dependency::new("ch.qos.logback:logback-classic", Version::Managed, Scope::TEST));
        model.dependencies.push(Dependency::new(
            "jakarta.annotation:jakarta.annotation-api",
            Version::Managed,
            Scope::RUNTIME,
        ));
        let pom = write(&model).expect("writes");
        let doc = roxmltree::Document::parse(&pom).expect("XML");
        let all = entries(children(doc.root_element(), "dependencies")[0]);
        let logback: Vec<_> = all.iter().filter(|(c, ..)| c == "ch.qos.logback:logback-classic").collect();
        assert_eq!(logback, [&("ch.qos.logback:logback-classic".to_owned(), None, Some("runtime".to_owned()))]);
        let jakarta: Vec<_> = all.iter().filter(|(c, ..)| c.starts_with("jakarta.")).collect();
        assert_eq!(jakarta.len(), 1);
        assert_eq!(jakarta[0].2, None, "provided + runtime = compile");

        model.dependencies.push(Dependency::exact("ch.qos.logback:logback-classic", "1.5.0", Scope::TEST));
        assert!(matches!(write(&model), Err(BuildError::Conflict { .. })));
    }

    #[test]
    fn extensions_go_inside_the_plugins_and_must_be_plugins() {
        let mut model = model();
        let plugin = "  <plugin>\n    <artifactId>maven-surefire-plugin</artifactId>\n    <version>3.5.4</version>\n  </plugin>\n";
        model.extensions.push(Extension { tool: BuildTool::Maven, text: plugin.into() });
        let pom = write(&model).expect("writes");
        // Re-indented to its place, its own relative indentation kept.
        assert!(pom.contains("\n      <plugin>\n        <artifactId>maven-surefire-plugin</artifactId>\n"), "{pom}");
        let doc = roxmltree::Document::parse(&pom).expect("XML");
        let plugins = children(children(children(doc.root_element(), "build")[0], "plugins")[0], "plugin");
        assert_eq!(text(plugins[1], &["artifactId"]), Some("maven-surefire-plugin"));

        for bad in ["<plugin>", "</plugins><dependencies/><plugins>", "<dependency/>"] {
            let mut model = self::model();
            model.extensions.push(Extension { tool: BuildTool::Maven, text: bad.into() });
            assert!(matches!(write(&model), Err(BuildError::BadExtension { .. })), "{bad}");
        }
    }

    #[test]
    fn refuses_what_maven_cannot_express() {
        let refused = |change: &dyn Fn(&mut BuildModel)| {
            let mut model = model();
            change(&mut model);
            write(&model).expect_err("refused")
        };
        assert!(matches!(refused(&|m| m.platforms.clear()), BuildError::Unmanaged { .. }));
        assert!(matches!(refused(&|m| m.versions.clear()), BuildError::UnknownVersion { .. }));
        assert!(matches!(refused(&|m| m.plugins[0].version = Version::Managed), BuildError::Unmanaged { .. }));
        assert!(matches!(
            refused(&|m| m.dependencies[2].version = Version::Managed),
            BuildError::Unsupported { why, .. } if why.contains("kapt")
        ));
        assert!(matches!(refused(&|m| m.plugins.clear()), BuildError::Unsupported { why, .. } if why.contains("kapt")));
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
        assert!(matches!(refused(&|m| m.project.group = None), BuildError::Unsupported { .. }));
        assert!(matches!(refused(&|m| m.runtime = Some(">=17".into())), BuildError::Unsupported { .. }));
        assert!(matches!(
            refused(&|m| {
                m.properties.insert("bad key".into(), "x".into());
            }),
            BuildError::Unsupported { .. }
        ));
        assert!(matches!(
            refused(&|m| {
                m.properties.insert("kotlin".into(), "1.9".into());
            }),
            BuildError::Conflict { .. }
        ));
        assert!(matches!(
            refused(&|m| {
                m.scripts.insert("run".into(), "x".into());
            }),
            BuildError::Unsupported { .. }
        ));
        assert!(matches!(refused(&|m| m.dependencies[0].extras.push("x".into())), BuildError::Unsupported { .. }));
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape(r#"a<b>&"c"'d'"#), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
    }
}
