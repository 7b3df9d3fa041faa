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
//!   `main_class`; then the named versions, the properties and the Maven-only `tool_properties`,
//!   which win over those defaults. A named version is referenced as `${key}` wherever it is used,
//!   except in `<parent>`; two entries written under one property name with different values are
//!   refused.
//! - `<dependencyManagement>` imports each platform (`type` pom, `scope` import) when there is no
//!   parent. With a parent, the parent is taken to manage what the platforms would (micronaut-parent
//!   inherits micronaut-platform), so the platforms are left to Gradle.
//! - Dependencies: main × compile → default scope (compile); compile-only and development-only →
//!   `provided`; runtime → `runtime`; test × compile, compile-only, runtime → `test`. Tooling and
//!   test × development-only have no Maven meaning and are refused. A managed version (or a
//!   [`Version::Property`]) is left out and needs a parent or a platform. The same module listed in
//!   two scopes is written once, in the scope that covers both (Maven rejects duplicate
//!   declarations).
//! - Annotation processing runs through kapt: the `org.jetbrains.kotlin:kotlin-maven-plugin` gets a
//!   `kapt` execution whose `annotationProcessorPaths` list the main processors and a `test-kapt`
//!   execution for the test processors, besides its `compile` and `test-compile` executions, and the
//!   build's source folders become `src/main/kotlin` and `src/test/kotlin`. kapt resolves processor
//!   paths without dependency management, so a processor needs a named or exact version, or the
//!   parent's property that holds it ([`Version::Property`], written `${name}`; without a parent
//!   the pom itself must define it): a plainly managed one is refused, as is a processor without
//!   the Kotlin plugin. The plugin's `<configuration>` sets `jvmTarget` to
//!   `${kotlin.compiler.jvmTarget}` when the pom defines it and holds the model's
//!   [`KotlinCompiler`] arguments; explicit API is appended on the main `compile` execution only,
//!   so tests stay exempt; both kapt executions get the processors' options
//!   (`annotationProcessorArgs`, `key=value`); each execution lists its `sourceDirs` (the test
//!   compilation also reads what `test-kapt` generated). maven-compiler-plugin follows the model's
//!   plugins with `<proc>none</proc>` and its own compilations off (phase `none`), as Kotlin's
//!   Maven documentation prescribes for kapt.
//! - The Kotlin plugin's named version is written as the property `kotlin.version`, the name
//!   Kotlin's Maven documentation uses and the one a parent such as micronaut-parent reads to manage
//!   the Kotlin libraries: the project's Kotlin then wins over the parent's.
//! - `<build><plugins>` from the plugins Maven uses (a plugin `only` for another tool is skipped); a
//!   managed plugin version (or a [`Version::Property`]) is left out and needs a parent's
//!   `pluginManagement` (a BOM does not manage plugins). `Maven` extensions are `<plugin>` elements
//!   inserted verbatim (re-indented) after the model's plugins; anything else there is refused.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{
    BuildError, BuildModel, BuildTool, Coordinates, Dependency, KotlinCompiler, Phase, Plugin, Source, Version,
};

const TOOL: BuildTool = BuildTool::Maven;
const KOTLIN_GROUP: &str = "org.jetbrains.kotlin";
const KOTLIN_PLUGIN: &str = "kotlin-maven-plugin";
/// The property kotlin-maven-plugin's `jvmTarget` reads.
const JVM_TARGET: &str = "kotlin.compiler.jvmTarget";

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
    if let Some(license) = &model.project.license {
        // The SPDX id as the name, and its page on spdx.org (Maven's POM reference: `licenses`).
        xml.open("licenses");
        xml.open("license");
        xml.leaf("name", license);
        xml.leaf("url", &format!("https://spdx.org/licenses/{license}.html"));
        xml.close("license");
        xml.close("licenses");
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
            if platform.version.is_managed() {
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
            if !dependency.version.is_managed() {
                xml.leaf("version", &reference(model, &dependency.coordinates, &dependency.version)?);
            }
            if let Some(scope) = scope.name() {
                xml.leaf("scope", scope);
            }
            xml.close("dependency");
        }
        xml.close("dependencies");
    }

    let processors = processors(model, kotlin, &properties)?;
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
                // A parent's pluginManagement gives the version: Maven does not bypass it for plugins.
                version if version.is_managed() && model.parent.is_none() => {
                    return Err(BuildError::Unmanaged { entry: plugin.coordinates.to_string(), tool: TOOL });
                }
                version if version.is_managed() => {}
                version => xml.leaf("version", &reference(model, &plugin.coordinates, version)?),
            }
            if is_kotlin_plugin(plugin) {
                let jvm_target = properties.contains_key(JVM_TARGET);
                kotlin_configuration(&mut xml, model.kotlin.as_ref(), jvm_target, &processors);
            }
            xml.close("plugin");
        }
        if kotlin {
            compiler_off(&mut xml);
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

/// The text of a `<version>`: a literal, `${key}` for a named version (a `<properties>` entry), or
/// `${name}` for a parent's property.
fn reference(model: &BuildModel, coordinates: &Coordinates, version: &Version) -> Result<String, BuildError> {
    match version {
        Version::Exact(version) | Version::Compatible(version) => Ok(version.clone()),
        Version::Named(key) if model.versions.contains_key(key) => Ok(format!("${{{}}}", property_name(model, key))),
        Version::Property(name) => Ok(format!("${{{name}}}")),
        version => Err(unknown(&coordinates.to_string(), version)),
    }
}

/// The `<properties>` name of the named version `key`: `kotlin.version` for the Kotlin plugin's.
fn property_name<'a>(model: &BuildModel, key: &'a str) -> &'a str {
    let kotlin = model.plugins_for(TOOL).find(|p| is_kotlin_plugin(p)).map(|p| &p.version);
    match kotlin {
        Some(Version::Named(kotlin)) if kotlin == key => "kotlin.version",
        _ => key,
    }
}

/// The `<properties>`: defaults derived from the model, then named versions (under the name
/// [`property_name`] gives) and properties, which win over those defaults.
fn properties(model: &BuildModel, kotlin: bool) -> Result<BTreeMap<String, String>, BuildError> {
    let mut properties = BTreeMap::from([("project.build.sourceEncoding".to_owned(), "UTF-8".to_owned())]);
    if let Some(runtime) = &model.runtime {
        runtime
            .parse::<u32>()
            .map_err(|_| unsupported(runtime, "the JVM runtime must be a release number such as `17`"))?;
        properties.insert("maven.compiler.release".into(), runtime.clone());
        if kotlin {
            properties.insert(JVM_TARGET.into(), runtime.clone());
        }
    }
    if let Some(main_class) = &model.main_class {
        // Read by exec-maven-plugin, and by micronaut-parent's run and packaging configuration.
        properties.insert("exec.mainClass".into(), main_class.clone());
    }
    // Named versions by the property they are written as: two must not share one.
    let mut named: BTreeMap<&str, &str> = BTreeMap::new();
    // Only the named versions this pom refers to: a Gradle-only plugin's version has no reader here.
    let used = |key: &str| {
        let named = |version: &Version| matches!(version, Version::Named(k) if k == key);
        model.dependencies_for(TOOL).any(|d| named(&d.version))
            || model.plugins_for(TOOL).any(|p| named(&p.version))
            || (model.parent.is_none() && model.platforms.iter().any(|p| named(&p.version)))
    };
    for (key, value) in model.versions.iter().filter(|(key, _)| used(key)) {
        let name = property_name(model, key);
        if let Some(other) = named.insert(name, value).filter(|other| *other != value) {
            return Err(BuildError::Conflict {
                name: name.to_owned(),
                tool: TOOL,
                first: format!("the named version {other}"),
                second: format!("the named version {key} = {value}"),
            });
        }
        properties.insert(name.to_owned(), value.clone());
    }
    for (key, value) in model.properties_for(TOOL)? {
        if let Some(version) = named.get(key).filter(|version| **version != value) {
            return Err(BuildError::Conflict {
                name: key.to_owned(),
                tool: TOOL,
                first: format!("the named version {version}"),
                second: format!("the property {value}"),
            });
        }
        properties.insert(key.to_owned(), value.to_owned());
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
        if dependency.version.is_managed() && !managed {
            return Err(BuildError::Unmanaged { entry, tool: TOOL });
        }
        match written.iter_mut().find(|(d, _)| d.coordinates == dependency.coordinates) {
            // Managed either way, the module is written without a version: no conflict.
            Some((existing, _))
                if existing.version != dependency.version
                    && !(existing.version.is_managed() && dependency.version.is_managed()) =>
            {
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

/// `properties` are the pom's own: a processor's [`Version::Property`] must be one of them or come
/// from the parent.
fn processors(
    model: &BuildModel,
    kotlin: bool,
    properties: &BTreeMap<String, String>,
) -> Result<Processors, BuildError> {
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
        match &dependency.version {
            Version::Managed => {
                return Err(unsupported(
                    &entry,
                    "kapt's annotationProcessorPaths take no version from a parent or BOM; give the processor a named or exact version, or the parent's property",
                ));
            }
            Version::Property(name) if model.parent.is_none() && !properties.contains_key(name) => {
                return Err(unsupported(
                    &entry,
                    "the processor's version property is neither the pom's nor a parent's (a BOM import brings no properties)",
                ));
            }
            _ => {}
        }
        let version = reference(model, &dependency.coordinates, &dependency.version)?;
        let list = if dependency.scope.source == Source::Main { &mut processors.main } else { &mut processors.test };
        if !list.iter().any(|(c, _)| *c == dependency.coordinates) {
            list.push((dependency.coordinates.clone(), version));
        }
    }
    Ok(processors)
}

/// The Kotlin plugin's configuration and executions: kapt before compile, for main and for test
/// sources, each with the source folders it reads. `jvm_target`: whether the pom defines
/// `kotlin.compiler.jvmTarget` (a reference to an undefined property would reach the compiler as is).
fn kotlin_configuration(xml: &mut Xml, compiler: Option<&KotlinCompiler>, jvm_target: bool, processors: &Processors) {
    let default = KotlinCompiler::default();
    let compiler = compiler.unwrap_or(&default);
    let sources = |xml: &mut Xml, dirs: &[&str]| {
        xml.open("sourceDirs");
        for dir in dirs {
            xml.leaf("sourceDir", &format!("${{project.basedir}}/{dir}"));
        }
        xml.close("sourceDirs");
    };
    if jvm_target || !compiler.args.is_empty() {
        xml.open("configuration");
        if jvm_target {
            xml.leaf("jvmTarget", &format!("${{{JVM_TARGET}}}"));
        }
        if !compiler.args.is_empty() {
            xml.open("args");
            for arg in &compiler.args {
                xml.leaf("arg", arg);
            }
            xml.close("args");
        }
        xml.close("configuration");
    }
    xml.open("executions");
    for (id, paths, dirs) in [
        ("kapt", Some(&processors.main), &["src/main/kotlin"][..]),
        ("compile", None, &["src/main/kotlin"]),
        ("test-kapt", Some(&processors.test), &["src/test/kotlin"]),
        ("test-compile", None, &["src/test/kotlin", "target/generated-sources/kapt/test"]),
    ] {
        if paths.is_some_and(|paths| paths.is_empty()) {
            continue;
        }
        xml.open("execution");
        xml.leaf("id", id);
        xml.open("goals");
        xml.leaf("goal", id);
        xml.close("goals");
        xml.open("configuration");
        if id == "compile" && compiler.explicit_api {
            // Appended to the plugin-wide arguments, for this execution only: tests stay exempt.
            xml.open_with("args", &[("combine.children", "append")]);
            xml.leaf("arg", "-Xexplicit-api=strict");
            xml.close("args");
        }
        sources(xml, dirs);
        if let Some(paths) = paths {
            xml.open("annotationProcessorPaths");
            for (coordinates, version) in paths {
                xml.open("annotationProcessorPath");
                self::coordinates(xml, coordinates);
                xml.leaf("version", version);
                xml.close("annotationProcessorPath");
            }
            xml.close("annotationProcessorPaths");
            // Every processor receives the options, main and test, as KSP's `arg`s reach both.
            if !compiler.processor_options.is_empty() {
                xml.open("annotationProcessorArgs");
                for (key, value) in &compiler.processor_options {
                    xml.leaf("annotationProcessorArg", &format!("{key}={value}"));
                }
                xml.close("annotationProcessorArgs");
            }
        }
        xml.close("configuration");
        xml.close("execution");
    }
    xml.close("executions");
}

/// maven-compiler-plugin with its own compilations off: kotlin-maven-plugin compiles everything
/// (and runs the processors through kapt), so javac must not run them a second time.
fn compiler_off(xml: &mut Xml) {
    xml.open("plugin");
    xml.leaf("groupId", "org.apache.maven.plugins");
    xml.leaf("artifactId", "maven-compiler-plugin");
    xml.open("configuration");
    xml.leaf("proc", "none");
    xml.close("configuration");
    xml.open("executions");
    for id in ["default-compile", "default-testCompile"] {
        xml.open("execution");
        xml.leaf("id", id);
        xml.leaf("phase", "none");
        xml.close("execution");
    }
    xml.close("executions");
    xml.close("plugin");
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
                ("org.jetbrains.kotlin:kotlin-stdlib", Some("${kotlin.version}"), None),
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
                ("kotlin.compiler.jvmTarget", "17"),
                ("kotlin.version", "2.4.21"),
                ("maven.compiler.release", "17"),
                ("micronaut.runtime", "netty"),
                ("project.build.sourceEncoding", "UTF-8"),
            ]
        );
        assert!(pom.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns="), "{pom}");
        assert!(pom.ends_with("</project>\n"));
        assert_eq!(write(&model()), Ok(pom), "deterministic");
    }

    /// The `<sourceDir>`s of an execution.
    fn source_dirs<'a>(execution: roxmltree::Node<'a, 'a>) -> Vec<&'a str> {
        let configuration = children(execution, "configuration")[0];
        children(children(configuration, "sourceDirs")[0], "sourceDir")
            .iter()
            .map(|d| d.text().unwrap_or_default())
            .collect()
    }

    /// The texts of the `item` children of `path` under `node` (empty when `path` is missing).
    fn list<'a>(node: roxmltree::Node<'a, 'a>, path: &[&str], item: &'a str) -> Vec<&'a str> {
        let mut node = node;
        for name in path {
            match node.children().find(|n| n.has_tag_name(*name)) {
                Some(child) => node = child,
                None => return Vec::new(),
            }
        }
        children(node, item).iter().map(|n| n.text().unwrap_or_default()).collect()
    }

    /// Each execution of the Kotlin plugin in `pom`, by id.
    fn kotlin_executions(doc: &roxmltree::Document<'_>) -> Vec<(String, roxmltree::NodeId)> {
        let build = children(doc.root_element(), "build")[0];
        let plugin = children(children(build, "plugins")[0], "plugin")[0];
        children(children(plugin, "executions")[0], "execution")
            .iter()
            .map(|e| (text(*e, &["id"]).unwrap_or_default().to_owned(), e.id()))
            .collect()
    }

    #[test]
    fn kapt_runs_the_processors_with_their_versions_before_each_compilation() {
        let pom = write(&model()).expect("writes");
        let doc = roxmltree::Document::parse(&pom).expect("XML");
        let build = children(doc.root_element(), "build")[0];
        assert_eq!(text(build, &["sourceDirectory"]), Some("${project.basedir}/src/main/kotlin"));
        assert_eq!(text(build, &["testSourceDirectory"]), Some("${project.basedir}/src/test/kotlin"));
        let plugins = children(children(build, "plugins")[0], "plugin");
        let plugin = plugins[0];
        assert_eq!(text(plugin, &["artifactId"]), Some("kotlin-maven-plugin"));
        assert_eq!(text(plugin, &["version"]), Some("${kotlin.version}"), "the property Kotlin's documentation names");
        let configuration = children(plugin, "configuration")[0];
        assert_eq!(text(configuration, &["jvmTarget"]), Some("${kotlin.compiler.jvmTarget}"));
        assert!(children(configuration, "args").is_empty(), "no compiler settings in the model: no arguments");

        let executions = children(children(plugin, "executions")[0], "execution");
        let ids: Vec<_> = executions.iter().map(|e| text(*e, &["id"]).unwrap_or_default()).collect();
        assert_eq!(ids, ["kapt", "compile", "test-kapt", "test-compile"]);
        for execution in &executions {
            assert_eq!(list(*execution, &["goals"], "goal"), [text(*execution, &["id"]).unwrap_or_default()]);
            assert!(list(*execution, &["configuration", "args"], "arg").is_empty(), "no explicit API asked for");
            assert!(children(children(*execution, "configuration")[0], "annotationProcessorArgs").is_empty());
        }
        let main = ["${project.basedir}/src/main/kotlin"];
        let test = ["${project.basedir}/src/test/kotlin"];
        assert_eq!(source_dirs(executions[0]), main);
        assert_eq!(source_dirs(executions[1]), main);
        assert_eq!(source_dirs(executions[2]), test);
        assert_eq!(
            source_dirs(executions[3]),
            ["${project.basedir}/src/test/kotlin", "${project.basedir}/target/generated-sources/kapt/test"],
            "the test compilation reads what test-kapt generated"
        );
        let paths = |execution: roxmltree::Node<'_, '_>| {
            entries(children(children(execution, "configuration")[0], "annotationProcessorPaths")[0])
        };
        assert_eq!(
            paths(executions[0]),
            owned(&[("io.micronaut.serde:micronaut-serde-processor", Some("2.16.2"), None)])
        );
        assert_eq!(paths(executions[2]), owned(&[("io.micronaut:micronaut-inject-java", Some("4.10.15"), None)]));
        for compile in [executions[1], executions[3]] {
            assert!(children(children(compile, "configuration")[0], "annotationProcessorPaths").is_empty());
        }

        // javac compiles and processes nothing: kotlin-maven-plugin and kapt do it all.
        assert_eq!(plugins.len(), 2, "{pom}");
        let compiler = plugins[1];
        assert_eq!(text(compiler, &["groupId"]), Some("org.apache.maven.plugins"));
        assert_eq!(text(compiler, &["artifactId"]), Some("maven-compiler-plugin"));
        assert_eq!(text(compiler, &["configuration", "proc"]), Some("none"));
        let off: Vec<_> = children(children(compiler, "executions")[0], "execution")
            .iter()
            .map(|e| (text(*e, &["id"]).unwrap_or_default(), text(*e, &["phase"]).unwrap_or_default()))
            .collect();
        assert_eq!(off, [("default-compile", "none"), ("default-testCompile", "none")]);

        // Without processors for one side, that side's kapt execution is left out.
        let mut model = model();
        model.dependencies.retain(|d| d.scope.source == Source::Main);
        let pom = write(&model).expect("writes");
        let doc = roxmltree::Document::parse(&pom).expect("XML");
        let ids: Vec<String> = kotlin_executions(&doc).into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["kapt", "compile", "test-compile"]);
    }

    #[test]
    fn the_kotlin_compiler_settings_reach_their_executions() {
        let mut model = model();
        model.kotlin = Some(KotlinCompiler {
            explicit_api: true,
            args: vec!["-Xjsr305=strict".into(), "-Xannotation-default-target=param-property".into()],
            processor_options: [("micronaut.processing.group", "com.example"), ("micronaut.processing.module", "demo")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .into(),
        });
        let pom = write(&model).expect("writes");
        let doc = roxmltree::Document::parse(&pom).expect("XML");
        let build = children(doc.root_element(), "build")[0];
        let plugin = children(children(build, "plugins")[0], "plugin")[0];
        // Plugin-wide: every execution, main and test, compiles with these.
        assert_eq!(
            list(plugin, &["configuration", "args"], "arg"),
            ["-Xjsr305=strict", "-Xannotation-default-target=param-property"]
        );
        assert_eq!(text(plugin, &["configuration", "jvmTarget"]), Some("${kotlin.compiler.jvmTarget}"));
        let executions = children(children(plugin, "executions")[0], "execution");
        let by_id = |id: &str| *executions.iter().find(|e| text(**e, &["id"]) == Some(id)).expect(id);

        // Explicit API: appended to the plugin's arguments, on the main compilation only.
        let compile = by_id("compile");
        let args = children(children(compile, "configuration")[0], "args")[0];
        assert_eq!(args.attribute("combine.children"), Some("append"), "kept with the plugin-wide arguments");
        assert_eq!(list(compile, &["configuration", "args"], "arg"), ["-Xexplicit-api=strict"]);
        for id in ["kapt", "test-kapt", "test-compile"] {
            assert!(list(by_id(id), &["configuration", "args"], "arg").is_empty(), "{id}: tests stay exempt");
        }
        assert_eq!(pom.matches("-Xexplicit-api=strict").count(), 1, "{pom}");

        // The processors' options, for the main and the test processors.
        for id in ["kapt", "test-kapt"] {
            assert_eq!(
                list(by_id(id), &["configuration", "annotationProcessorArgs"], "annotationProcessorArg"),
                ["micronaut.processing.group=com.example", "micronaut.processing.module=demo"],
                "{id}"
            );
        }
        for id in ["compile", "test-compile"] {
            assert!(
                list(by_id(id), &["configuration", "annotationProcessorArgs"], "annotationProcessorArg").is_empty()
            );
        }

        // Without a runtime the pom defines no `kotlin.compiler.jvmTarget`, so nothing refers to it.
        model.runtime = None;
        let pom = write(&model).expect("writes");
        assert!(!pom.contains("jvmTarget"), "{pom}");
        model.kotlin = None;
        let pom = write(&model).expect("writes");
        let doc = roxmltree::Document::parse(&pom).expect("XML");
        let plugin = children(children(children(doc.root_element(), "build")[0], "plugins")[0], "plugin")[0];
        assert!(children(plugin, "configuration").is_empty(), "nothing to configure plugin-wide:\n{pom}");
    }

    #[test]
    fn a_property_version_is_left_to_the_parent_except_in_kapt_paths() {
        let mut model = model();
        model.parent = Some(Dependency::exact("io.micronaut.platform:micronaut-parent", "4.10.8", Scope::COMPILE));
        let data = Version::Property("micronaut.data.version".into());
        model.dependencies.push(Dependency::new("io.micronaut.data:micronaut-data-jdbc", data.clone(), Scope::COMPILE));
        model.dependencies.push(Dependency::new(
            "io.micronaut.data:micronaut-data-processor",
            data.clone(),
            Scope::ANNOTATION_PROCESSING,
        ));
        model.dependencies.push(Dependency::new(
            "io.micronaut.data:micronaut-data-processor",
            data,
            Scope::TEST_ANNOTATION_PROCESSING,
        ));
        let pom = write(&model).expect("writes");
        let doc = roxmltree::Document::parse(&pom).expect("XML");
        let project = doc.root_element();
        let declared = entries(children(project, "dependencies")[0]);
        assert!(declared.contains(&("io.micronaut.data:micronaut-data-jdbc".to_owned(), None, None)), "{declared:?}");
        assert!(children(children(project, "properties")[0], "micronaut.data.version").is_empty(), "the parent's");
        for (id, execution) in kotlin_executions(&doc).into_iter().filter(|(id, _)| id.ends_with("kapt")) {
            let execution = doc.get_node(execution).expect("node");
            let paths = entries(children(children(execution, "configuration")[0], "annotationProcessorPaths")[0]);
            assert!(
                paths.contains(&(
                    "io.micronaut.data:micronaut-data-processor".to_owned(),
                    Some("${micronaut.data.version}".to_owned()),
                    None
                )),
                "{id}: {paths:?}"
            );
        }

        // A plainly managed processor is still refused: kapt would resolve it without a version.
        let mut managed = model.clone();
        managed.dependencies.last_mut().expect("pushed").version = Version::Managed;
        assert!(matches!(write(&managed), Err(BuildError::Unsupported { why, .. }) if why.contains("kapt")));

        // Without a parent, only a property the pom defines may give a processor's version.
        let mut orphan = model.clone();
        orphan.parent = None;
        assert!(matches!(write(&orphan), Err(BuildError::Unsupported { why, .. }) if why.contains("property")));
        orphan.properties.insert("micronaut.data.version".into(), "4.14.3".into());
        assert!(write(&orphan).expect("writes").contains("<version>${micronaut.data.version}</version>"));

        // The same module managed one way in one scope and the other in another is one declaration.
        let mut twice = model;
        twice.dependencies.push(Dependency::new(
            "io.micronaut.data:micronaut-data-jdbc",
            Version::Managed,
            Scope::TEST,
        ));
        let pom = write(&twice).expect("writes");
        assert_eq!(pom.matches("<artifactId>micronaut-data-jdbc</artifactId>").count(), 1, "{pom}");
    }

    #[test]
    fn maven_only_properties_join_the_shared_ones() {
        let mut model = model();
        model.tool_properties.insert(
            BuildTool::Maven,
            [("micronaut.runtime", "netty"), ("micronaut.aot.enabled", "false")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .into(),
        );
        model.tool_properties.insert(BuildTool::Gradle, [("org.gradle.caching".to_owned(), "true".to_owned())].into());
        let pom = write(&model).expect("writes");
        let doc = roxmltree::Document::parse(&pom).expect("XML");
        let properties = children(doc.root_element(), "properties")[0];
        assert_eq!(text(properties, &["micronaut.aot.enabled"]), Some("false"));
        assert_eq!(children(properties, "micronaut.runtime").len(), 1, "the same value twice is one property");
        assert!(!pom.contains("org.gradle.caching"), "Gradle's stay out:\n{pom}");

        model
            .tool_properties
            .get_mut(&BuildTool::Maven)
            .expect("inserted")
            .insert("micronaut.runtime".into(), "jetty".into());
        assert!(matches!(write(&model), Err(BuildError::Conflict { name, .. }) if name == "micronaut.runtime"));
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
        let artifacts: Vec<_> = plugins.iter().map(|p| text(*p, &["artifactId"]).unwrap_or_default()).collect();
        assert_eq!(artifacts, ["kotlin-maven-plugin", "maven-compiler-plugin", "maven-surefire-plugin"]);

        for bad in ["<plugin>", "</plugins><dependencies/><plugins>", "<dependency/>"] {
            let mut model = self::model();
            model.extensions.push(Extension { tool: BuildTool::Maven, text: bad.into() });
            assert!(matches!(write(&model), Err(BuildError::BadExtension { .. })), "{bad}");
        }
    }

    #[test]
    fn writes_only_the_named_versions_it_uses_and_the_license() {
        let mut model = model();
        model.versions.insert("ksp".into(), "2.3.4".into());
        model.project.license = Some("MIT".into());
        let pom = write(&model).expect("a pom");
        assert!(!pom.contains("<ksp>"), "a version no Maven entry names stays out:\n{pom}");
        assert!(
            pom.contains(
                "<licenses>\n    <license>\n      <name>MIT</name>\n      <url>https://spdx.org/licenses/MIT.html</url>"
            ),
            "{pom}"
        );
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
        // The Kotlin plugin's named version is the property `kotlin.version`: that name is taken.
        assert!(matches!(
            refused(&|m| {
                m.properties.insert("kotlin.version".into(), "1.9".into());
            }),
            BuildError::Conflict { name, .. } if name == "kotlin.version"
        ));
        assert!(matches!(
            refused(&|m| {
                m.versions.insert("kotlin.version".into(), "1.9".into());
                m.dependencies.push(Dependency::new("g:a", Version::Named("kotlin.version".into()), Scope::COMPILE));
            }),
            BuildError::Conflict { name, .. } if name == "kotlin.version"
        ));
        assert!(matches!(
            refused(&|m| {
                m.versions.insert("serde".into(), "2.16.2".into());
                m.dependencies.push(Dependency::new("g:a", Version::Named("serde".into()), Scope::COMPILE));
                m.properties.insert("serde".into(), "2.15".into());
            }),
            BuildError::Conflict { name, .. } if name == "serde"
        ));
        assert!(matches!(
            refused(&|m| m.plugins[0].version = Version::Property("kotlin.version".into())),
            BuildError::Unmanaged { .. }
        ));
        assert!(matches!(
            refused(&|m| m.platforms[0].version = Version::Property("micronaut.version".into())),
            BuildError::Unmanaged { .. }
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
