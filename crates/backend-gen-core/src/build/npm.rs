//! `package.json` from the build model, written with serde_json: two-space indent, a trailing
//! newline, and a fixed key order so that a regenerated manifest diffs cleanly.
//!
//! Mapping: `name`, `version`, `description` from the project; `private: true` (a generated service
//! is not published); `engines.node` from `runtime`; `scripts` from the scripts; shipped scopes
//! ([`Scope::is_shipped`](super::Scope::is_shipped)) go to `dependencies`, every other scope to
//! `devDependencies`, each map sorted by package name. Exact versions are written as they are,
//! compatible ones as caret ranges (`^5.12.8`). npm has no BOM, parent build, build plugin, extras, Maven group or annotation processing:
//! a model that uses any of them is refused rather than half written.
//!
//! `Npm` extensions are JSON objects whose keys are merged in at the top level (`{"type":
//! "module"}`). `type` takes its conventional place after `private`; other keys follow
//! `devDependencies`, in the order the extensions were added. An extension may not set a key the
//! model writes, nor one another extension set.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

use super::{BuildError, BuildModel, BuildTool, Dependency, Phase, Version};

const TOOL: BuildTool = BuildTool::Npm;

/// The top-level keys in the order they are written; extension keys not listed here come last.
const ORDER: [&str; 10] = [
    "name",
    "version",
    "description",
    "license",
    "private",
    "type",
    "engines",
    "scripts",
    "dependencies",
    "devDependencies",
];

/// Keys the writer fills from the model, which an extension must not replace.
const FROM_MODEL: [&str; 9] =
    ["name", "version", "description", "license", "private", "engines", "scripts", "dependencies", "devDependencies"];

pub(super) fn write(model: &BuildModel) -> Result<String, BuildError> {
    refuse_what_npm_cannot_express(model)?;
    let mut fields: Vec<(String, Value)> = vec![
        ("name".into(), model.project.name.clone().into()),
        ("version".into(), model.project.version.clone().into()),
        ("description".into(), model.project.description.clone().into()),
        ("private".into(), true.into()),
    ];
    // An SPDX identifier; without a license the field is left out (the package is private anyway).
    if let Some(license) = &model.project.license {
        fields.push(("license".into(), license.clone().into()));
    }
    if let Some(node) = &model.runtime {
        fields.push(("engines".into(), Value::Object(Map::from_iter([("node".to_owned(), node.clone().into())]))));
    }
    if !model.scripts.is_empty() {
        let scripts = model.scripts.iter().map(|(name, command)| (name.clone(), Value::from(command.clone())));
        fields.push(("scripts".into(), Value::Object(scripts.collect())));
    }
    let (dependencies, dev_dependencies) = dependency_maps(model)?;
    if !dependencies.is_empty() {
        fields.push(("dependencies".into(), Value::Object(dependencies)));
    }
    if !dev_dependencies.is_empty() {
        fields.push(("devDependencies".into(), Value::Object(dev_dependencies)));
    }
    for extension in model.extensions_for(TOOL) {
        let object = match serde_json::from_str::<Value>(extension) {
            Ok(Value::Object(object)) => object,
            Ok(_) => return Err(bad("an npm extension must be a JSON object".into())),
            Err(e) => return Err(bad(e.to_string())),
        };
        for (key, value) in object {
            if FROM_MODEL.contains(&key.as_str()) {
                return Err(bad(format!("`{key}` is written from the build model")));
            }
            if fields.iter().any(|(k, _)| *k == key) {
                return Err(bad(format!("`{key}` is set by two extensions")));
            }
            fields.push((key, value));
        }
    }
    // A stable sort: listed keys by their rank, the rest after them in the order added.
    fields.sort_by_key(|(key, _)| ORDER.iter().position(|k| k == key).unwrap_or(ORDER.len()));

    let mut text = serde_json::to_string_pretty(&Ordered(&fields))
        .map_err(|e| bad(format!("cannot serialise package.json: {e}")))?;
    text.push('\n');
    Ok(text)
}

fn bad(message: String) -> BuildError {
    BuildError::BadExtension { tool: TOOL, message }
}

fn refuse_what_npm_cannot_express(model: &BuildModel) -> Result<(), BuildError> {
    let unsupported = |entry: &str, why| Err(BuildError::Unsupported { entry: entry.to_owned(), tool: TOOL, why });
    if let Some(parent) = &model.parent {
        return unsupported(&parent.coordinates.to_string(), "npm has no parent build");
    }
    if let Some(platform) = model.platforms.first() {
        return unsupported(&platform.coordinates.to_string(), "npm has no platform (BOM) to manage versions");
    }
    if let Some(plugin) = model.plugins_for(TOOL).next() {
        return unsupported(&plugin.id, "npm has no build plugins; build tools are devDependencies");
    }
    if let Some(main_class) = &model.main_class {
        return unsupported(main_class, "a main class is a JVM notion; npm starts what `scripts` say");
    }
    Ok(())
}

/// A package name → version map; serde_json's map is ordered by key, so it comes out sorted.
type Packages = Map<String, Value>;

/// `dependencies` and `devDependencies`.
fn dependency_maps(model: &BuildModel) -> Result<(Packages, Packages), BuildError> {
    let mut shipped = Map::new();
    let mut dev = Map::new();
    // Shipped entries first, so that a package also listed for development is written once, in
    // `dependencies`, where npm installs it for both.
    let (first, second): (Vec<&Dependency>, Vec<&Dependency>) =
        model.dependencies_for(TOOL).partition(|d| d.scope.is_shipped());
    for dependency in first.into_iter().chain(second) {
        let name = package_name(dependency)?;
        let version = version(model, dependency)?;
        let existing = shipped.get(&name).or_else(|| dev.get(&name));
        if let Some(existing) = existing {
            if existing.as_str() == Some(version.as_str()) {
                continue;
            }
            return Err(BuildError::Conflict {
                name: name.clone(),
                tool: TOOL,
                first: format!("{name}@{}", existing.as_str().unwrap_or_default()),
                second: format!("{name}@{version}"),
            });
        }
        let map = if dependency.scope.is_shipped() { &mut shipped } else { &mut dev };
        map.insert(name, version.into());
    }
    Ok((shipped, dev))
}

fn package_name(dependency: &Dependency) -> Result<String, BuildError> {
    let entry = dependency.coordinates.to_string();
    let unsupported = |why| Err(BuildError::Unsupported { entry: entry.clone(), tool: TOOL, why });
    if dependency.coordinates.group.is_some() {
        return unsupported("npm packages have no group; a scoped package is named `@scope/name`");
    }
    if !dependency.extras.is_empty() {
        return unsupported("npm packages have no extras");
    }
    if dependency.scope.phase == Phase::AnnotationProcessing {
        return unsupported("JavaScript has no annotation processing");
    }
    Ok(dependency.coordinates.name.clone())
}

fn version(model: &BuildModel, dependency: &Dependency) -> Result<String, BuildError> {
    let entry = || dependency.coordinates.to_string();
    match &dependency.version {
        Version::Managed | Version::Property(_) => Err(BuildError::Unmanaged { entry: entry(), tool: TOOL }),
        Version::Named(key) => model
            .resolve(&dependency.version)
            .map(str::to_owned)
            .ok_or_else(|| BuildError::UnknownVersion { entry: entry(), key: key.clone() }),
        Version::Exact(version) => Ok(version.clone()),
        // npm's caret range: `^1.2.3` allows 1.x from 1.2.3 on, `^0.2.3` allows 0.2.x from 0.2.3 on.
        Version::Compatible(version) => Ok(format!("^{version}")),
    }
}

/// Top-level fields serialised in the order given; serde_json's own map would sort them (the
/// workspace does not enable `preserve_order`, which would change every other JSON it writes).
struct Ordered<'a>(&'a [(String, Value)]);

impl Serialize for Ordered<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{BuildProject, Coordinates, Extension, Plugin, Scope};

    fn model() -> BuildModel {
        BuildModel {
            project: BuildProject {
                group: None,
                name: "demo".into(),
                version: "0.1.0".into(),
                description: "Demo \"service\"".into(),
                license: Some("MIT".into()),
            },
            runtime: Some(">=22".into()),
            dependencies: vec![
                Dependency::compatible("fastify", "5.12.8", Scope::COMPILE),
                Dependency::exact("@fastify/cors", "11.4.3", Scope::RUNTIME),
                Dependency::exact("vitest", "4.1.12", Scope::TEST),
                Dependency::new("typescript", Version::Named("typescript".into()), Scope::TOOLING),
                Dependency::exact("tsx", "4.20.0", Scope::DEVELOPMENT_ONLY),
                Dependency::exact("@biomejs/biome", "2.6.8", Scope::TOOLING),
            ],
            versions: [("typescript".to_owned(), "7.0.2".to_owned())].into(),
            scripts: [
                ("test".to_owned(), "vitest run".to_owned()),
                ("build".to_owned(), "tsc -p tsconfig.json".to_owned()),
            ]
            .into(),
            extensions: vec![Extension { tool: BuildTool::Npm, text: r#"{"type": "module"}"#.into() }],
            ..BuildModel::default()
        }
    }

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).expect("JSON")
    }

    /// The top-level keys in document order: serde_json's map sorts, so read them off the text.
    fn top_level_keys(text: &str) -> Vec<String> {
        text.lines()
            .filter_map(|line| line.strip_prefix("  \""))
            .filter_map(|rest| rest.split_once('"'))
            .map(|(key, _)| key.to_owned())
            .collect()
    }

    #[test]
    fn writes_each_scope_to_its_map_with_resolved_versions() {
        let json = parse(&write(&model()).expect("writes"));
        assert_eq!(json["dependencies"], serde_json::json!({"@fastify/cors": "11.4.3", "fastify": "^5.12.8"}));
        assert_eq!(
            json["devDependencies"],
            serde_json::json!({"@biomejs/biome": "2.6.8", "tsx": "4.20.0", "typescript": "7.0.2", "vitest": "4.1.12"})
        );
        assert_eq!(json["engines"]["node"], ">=22");
        assert_eq!(json["private"], true);
        assert_eq!(json["type"], "module");
        assert_eq!(json["description"], "Demo \"service\"");
        assert_eq!(json["scripts"]["test"], "vitest run");
    }

    #[test]
    fn keys_come_in_a_stable_order_with_two_space_indent_and_a_final_newline() {
        let mut model = model();
        model.extensions.insert(0, Extension { tool: BuildTool::Npm, text: r#"{"author": "Acme"}"#.into() });
        let text = write(&model).expect("writes");
        assert_eq!(
            top_level_keys(&text),
            [
                "name",
                "version",
                "description",
                "license",
                "private",
                "type",
                "engines",
                "scripts",
                "dependencies",
                "devDependencies",
                "author"
            ]
        );
        assert!(text.starts_with("{\n  \"name\": \"demo\",\n"), "{text}");
        assert!(text.ends_with("}\n"), "{text}");
        let dependencies = text.find("\"@fastify/cors\"").expect("cors") < text.find("\"fastify\"").expect("fastify");
        assert!(dependencies, "dependency maps are sorted by name:\n{text}");
        assert_eq!(write(&model), Ok(text), "deterministic");
    }

    #[test]
    fn leaves_out_empty_sections() {
        let model = BuildModel {
            project: BuildProject { name: "bare".into(), version: "1.0.0".into(), ..BuildProject::default() },
            ..BuildModel::default()
        };
        assert_eq!(top_level_keys(&write(&model).expect("writes")), ["name", "version", "description", "private"]);
    }

    #[test]
    fn a_package_listed_for_shipping_and_for_development_is_written_once_where_it_ships() {
        let mut model = model();
        model.dependencies.push(Dependency::compatible("fastify", "5.12.8", Scope::TEST));
        let json = parse(&write(&model).expect("writes"));
        assert_eq!(json["dependencies"]["fastify"], "^5.12.8");
        assert!(json["devDependencies"].get("fastify").is_none());

        model.dependencies.push(Dependency::exact("fastify", "5.0.0", Scope::TEST));
        assert!(matches!(write(&model), Err(BuildError::Conflict { name, .. }) if name == "fastify"));
    }

    #[test]
    fn refuses_what_npm_cannot_express() {
        let refused = |change: &dyn Fn(&mut BuildModel)| {
            let mut model = model();
            change(&mut model);
            write(&model).expect_err("refused")
        };
        assert!(matches!(
            refused(&|m| m.dependencies.push(Dependency::new("zod", Version::Managed, Scope::COMPILE))),
            BuildError::Unmanaged { .. }
        ));
        assert!(matches!(refused(&|m| m.versions.clear()), BuildError::UnknownVersion { .. }));
        assert!(matches!(
            refused(&|m| m.dependencies.push(Dependency::exact("a:b", "1", Scope::COMPILE))),
            BuildError::Unsupported { .. }
        ));
        assert!(matches!(
            refused(&|m| m.dependencies.push(Dependency::exact("x", "1", Scope::ANNOTATION_PROCESSING))),
            BuildError::Unsupported { .. }
        ));
        assert!(matches!(
            refused(&|m| m.dependencies[0].extras.push("standard".into())),
            BuildError::Unsupported { .. }
        ));
        assert!(matches!(
            refused(&|m| m.platforms.push(Dependency::new("a:bom", Version::Exact("1".into()), Scope::COMPILE))),
            BuildError::Unsupported { .. }
        ));
        assert!(matches!(
            refused(&|m| m.parent = Some(Dependency::exact("a:parent", "1", Scope::COMPILE))),
            BuildError::Unsupported { .. }
        ));
        assert!(matches!(
            refused(&|m| m.plugins.push(Plugin {
                id: "x".into(),
                coordinates: Coordinates::parse("x"),
                version: Version::Exact("1".into()),
                only: None,
                alias: None,
            })),
            BuildError::Unsupported { .. }
        ));
        assert!(matches!(refused(&|m| m.main_class = Some("Main".into())), BuildError::Unsupported { .. }));
    }

    #[test]
    fn a_plugin_for_another_tool_is_not_npm_s_business() {
        let mut model = model();
        model.plugins.push(Plugin {
            id: "org.jetbrains.kotlin.jvm".into(),
            coordinates: Coordinates::parse("org.jetbrains.kotlin:kotlin-maven-plugin"),
            version: Version::Exact("2.4.21".into()),
            only: Some(BuildTool::Gradle),
            alias: None,
        });
        assert!(write(&model).is_ok());
    }

    #[test]
    fn refuses_extensions_that_are_not_objects_or_replace_what_the_model_writes() {
        for text in ["[1]", "{", r#"{"dependencies": {}}"#, r#"{"private": false}"#, r#"{"type": "commonjs"}"#] {
            let mut model = model();
            model.extensions.push(Extension { tool: BuildTool::Npm, text: text.into() });
            assert!(matches!(write(&model), Err(BuildError::BadExtension { .. })), "{text}");
        }
        let mut other_tool = model();
        other_tool.extensions.push(Extension { tool: BuildTool::Gradle, text: "micronaut { }".into() });
        assert!(write(&other_tool).is_ok(), "another tool's extension is ignored");
    }
}
