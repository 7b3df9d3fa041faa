//! `pyproject.toml` from the build model (PEP 621 `[project]`, PEP 735 `[dependency-groups]`, PEP 517
//! `[build-system]`), written with toml_edit. Requirements are one a line, so a version bump is a
//! one-line diff.
//!
//! Mapping: shipped scopes go to `project.dependencies`, everything else to the `dev` group;
//! annotation processing has no meaning here and is refused. Plugins are build backends: their
//! package goes to `build-system.requires`, their id to `build-backend`. `Pyproject` extensions are
//! TOML (`[tool.*]` tables) appended after the model's tables, comments and layout kept.
//!
//! Versions: an exact one is `==v`; a compatible one is the range a team can upgrade within,
//! `>=v,<next`, where next is `0.(x+1)` for a `0.x` version (pre-1.0 minors break) and the next
//! major otherwise, as `~=`/caret ranges do elsewhere.

use toml_edit::{Array, DocumentMut, Item, Table, value};

use super::{BuildError, BuildModel, BuildTool, Dependency, Phase};

const TOOL: BuildTool = BuildTool::Pyproject;

pub(super) fn write(model: &BuildModel) -> Result<String, BuildError> {
    let mut doc = DocumentMut::new();
    let mut project = Table::new();
    project["name"] = value(&model.project.name);
    project["version"] = value(&model.project.version);
    project["description"] = value(&model.project.description);
    // Every generated project has a README; PyPI shows it as the long description.
    project["readme"] = value("README.md");
    // PEP 639: an SPDX expression; the build backend ships the LICENSE file by itself.
    if let Some(license) = &model.project.license {
        project["license"] = value(license);
    }
    if let Some(runtime) = &model.runtime {
        project["requires-python"] = value(runtime);
    }
    let (shipped, dev): (Vec<_>, Vec<_>) = model.dependencies_for(TOOL).partition(|d| d.scope.is_shipped());
    project["dependencies"] = value(requirements(model, &shipped)?);
    if !model.scripts.is_empty() {
        let mut scripts = Table::new();
        for (name, target) in &model.scripts {
            scripts[name] = value(target);
        }
        project["scripts"] = Item::Table(scripts);
    }
    doc["project"] = Item::Table(project);

    if !dev.is_empty() {
        let mut groups = Table::new();
        groups["dev"] = value(requirements(model, &dev)?);
        doc["dependency-groups"] = Item::Table(groups);
    }
    let mut backends = model.plugins_for(TOOL);
    if let Some(backend) = backends.next() {
        let mut build_system = Table::new();
        let requirement = requirement(model, &backend.coordinates.to_string(), &[], &backend.version)?;
        build_system["requires"] = value(Array::from_iter([requirement]));
        build_system["build-backend"] = value(&backend.id);
        doc["build-system"] = Item::Table(build_system);
    }
    if let Some(extra) = backends.next() {
        return Err(BuildError::Unsupported { entry: extra.id.clone(), tool: TOOL, why: "one build backend at most" });
    }

    let mut manifest = doc.to_string();
    for extension in model.extensions_for(TOOL) {
        manifest.push('\n');
        manifest.push_str(extension.trim_start());
    }
    manifest.parse::<DocumentMut>().map_err(|e| BuildError::BadExtension { tool: TOOL, message: e.to_string() })?;
    Ok(manifest)
}

fn requirements(model: &BuildModel, dependencies: &[&Dependency]) -> Result<Array, BuildError> {
    let mut array = Array::new();
    for dependency in dependencies {
        if dependency.scope.phase == Phase::AnnotationProcessing {
            return Err(BuildError::Unsupported {
                entry: dependency.coordinates.to_string(),
                tool: TOOL,
                why: "Python has no annotation processing",
            });
        }
        let name = dependency.coordinates.to_string();
        array.push(requirement(model, &name, &dependency.extras, &dependency.version)?);
    }
    for item in array.iter_mut() {
        item.decor_mut().set_prefix("\n    ");
    }
    array.set_trailing("\n");
    array.set_trailing_comma(true);
    Ok(array)
}

/// `name[extra,...]==version`, or `name[extra,...]>=version,<next` for a compatible version (PEP 508).
fn requirement(
    model: &BuildModel,
    name: &str,
    extras: &[String],
    version: &super::Version,
) -> Result<String, BuildError> {
    let pinned = model.resolve(version).ok_or_else(|| match version {
        super::Version::Named(key) => BuildError::UnknownVersion { entry: name.to_owned(), key: key.clone() },
        _ => BuildError::Unmanaged { entry: name.to_owned(), tool: TOOL },
    })?;
    let extras = if extras.is_empty() { String::new() } else { format!("[{}]", extras.join(",")) };
    match version {
        super::Version::Compatible(_) => {
            let next = next_incompatible(pinned).ok_or_else(|| BuildError::Unsupported {
                entry: format!("{name} {pinned}"),
                tool: TOOL,
                why: "a compatible range needs a version that starts with numeric major and minor parts",
            })?;
            Ok(format!("{name}{extras}>={pinned},<{next}"))
        }
        _ => Ok(format!("{name}{extras}=={pinned}")),
    }
}

/// The first release a compatible range excludes: `0.(x+1)` after `0.x.y`, `(a+1)` after `a.b.c`.
fn next_incompatible(version: &str) -> Option<String> {
    let mut parts = version.split('.');
    let number = |part: Option<&str>| part.filter(|p| !p.is_empty()).and_then(|p| p.parse::<u64>().ok());
    let major = number(parts.next())?;
    let minor = number(parts.next())?;
    Some(if major == 0 { format!("0.{}", minor + 1) } else { (major + 1).to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{BuildProject, Coordinates, Extension, Plugin, Scope, Version};

    fn model() -> BuildModel {
        let mut uvicorn = Dependency::exact("uvicorn", "0.54.0", Scope::COMPILE);
        uvicorn.extras = vec!["standard".into()];
        BuildModel {
            project: BuildProject {
                group: None,
                name: "demo".into(),
                version: "0.1.0".into(),
                description: "Demo".into(),
                license: Some("Apache-2.0".into()),
            },
            runtime: Some(">=3.11".into()),
            dependencies: vec![
                Dependency::compatible("fastapi", "0.165.0", Scope::COMPILE),
                uvicorn,
                Dependency::compatible("pydantic", "2.14.4", Scope::COMPILE),
                Dependency::new("pytest", Version::Named("pytest".into()), Scope::TEST),
                Dependency::exact("ruff", "0.17.6", Scope::TOOLING),
            ],
            versions: [("pytest".to_owned(), "9.2.0".to_owned())].into(),
            plugins: vec![Plugin {
                id: "hatchling.build".into(),
                coordinates: Coordinates::parse("hatchling"),
                version: Version::Exact("1.33.0".into()),
                only: None,
                alias: None,
            }],
            scripts: [("demo".to_owned(), "demo.__main__:main".to_owned())].into(),
            extensions: vec![Extension { tool: BuildTool::Pyproject, text: "[tool.ruff]\nline-length = 100\n".into() }],
            ..BuildModel::default()
        }
    }

    #[test]
    fn writes_each_scope_where_pep_621_and_735_want_it() {
        let text = write(&model()).expect("writes");
        let doc: DocumentMut = text.parse().expect("TOML");
        let list = |item: &Item| -> Vec<String> {
            item.as_array().expect("array").iter().map(|v| v.as_str().expect("string").to_owned()).collect()
        };
        assert_eq!(
            list(&doc["project"]["dependencies"]),
            ["fastapi>=0.165.0,<0.166", "uvicorn[standard]==0.54.0", "pydantic>=2.14.4,<3"]
        );
        assert_eq!(list(&doc["dependency-groups"]["dev"]), ["pytest==9.2.0", "ruff==0.17.6"]);
        assert_eq!(list(&doc["build-system"]["requires"]), ["hatchling==1.33.0"]);
        assert_eq!(doc["build-system"]["build-backend"].as_str(), Some("hatchling.build"));
        assert_eq!(doc["project"]["requires-python"].as_str(), Some(">=3.11"));
        assert_eq!(doc["project"]["license"].as_str(), Some("Apache-2.0"));
        let mut unlicensed = model();
        unlicensed.project.license = None;
        assert!(!write(&unlicensed).expect("writes").contains("license"), "no license field without a license");
        assert_eq!(doc["project"]["scripts"]["demo"].as_str(), Some("demo.__main__:main"));
        assert_eq!(doc["tool"]["ruff"]["line-length"].as_integer(), Some(100));
        assert!(
            text.contains("dependencies = [\n    \"fastapi>=0.165.0,<0.166\",\n"),
            "one requirement a line:\n{text}"
        );
    }

    #[test]
    fn compatible_ranges_stop_before_the_next_breaking_release() {
        assert_eq!(next_incompatible("0.54.0").as_deref(), Some("0.55"));
        assert_eq!(next_incompatible("0.0.3").as_deref(), Some("0.1"));
        assert_eq!(next_incompatible("2.14.4").as_deref(), Some("3"));
        assert_eq!(next_incompatible("10.0").as_deref(), Some("11"));
        assert_eq!(next_incompatible("7"), None);
        assert_eq!(next_incompatible("1.x"), None);
        let mut odd = model();
        odd.dependencies.push(Dependency::compatible("odd", "2026a", Scope::COMPILE));
        assert!(matches!(write(&odd), Err(BuildError::Unsupported { .. })));
    }

    #[test]
    fn refuses_what_python_cannot_express() {
        let mut unknown = model();
        unknown.versions.clear();
        assert!(matches!(write(&unknown), Err(BuildError::UnknownVersion { .. })));
        let mut managed = model();
        managed.dependencies.push(Dependency::new("x", Version::Managed, Scope::COMPILE));
        assert!(matches!(write(&managed), Err(BuildError::Unmanaged { .. })));
        let mut processor = model();
        processor.dependencies.push(Dependency::exact("x", "1", Scope::ANNOTATION_PROCESSING));
        assert!(matches!(write(&processor), Err(BuildError::Unsupported { .. })));
        let mut bad = model();
        bad.extensions.push(Extension { tool: BuildTool::Pyproject, text: "[project]\nname = 1\n".into() });
        assert!(matches!(write(&bad), Err(BuildError::BadExtension { .. })));
    }
}
