//! The build model and one writer per build tool. Writers run once, last, in `Registry::plan`,
//! after the stack and every feature have contributed; each returns the manifest files it owns.

mod gradle;
mod maven;
#[cfg(test)]
mod micronaut_tests;
mod model;
mod npm;
mod pyproject;

pub use model::{
    BuildModel, BuildProject, BuildTool, Coordinates, Dependency, Extension, KotlinCompiler, Phase, Plugin, Scope,
    Source, Version,
};

use crate::plan::RelPath;

/// A build model a writer cannot serialise: a generator bug, named so it is easy to find.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("`{entry}` refers to the named version `{key}`, which the build model does not define")]
    UnknownVersion { entry: String, key: String },
    #[error("`{entry}` has a managed version, but the {tool:?} build has no platform or parent to manage it")]
    Unmanaged { entry: String, tool: BuildTool },
    #[error("`{entry}` cannot be written for {tool:?}: {why}")]
    Unsupported { entry: String, tool: BuildTool, why: &'static str },
    #[error("the {tool:?} extension text is not valid: {message}")]
    BadExtension { tool: BuildTool, message: String },
    /// Two different entries would share one name in the manifest (a catalog alias, a package, a
    /// module, a property), so one would silently replace the other.
    #[error("`{name}` stands for both `{first}` and `{second}` in the {tool:?} build; one would replace the other")]
    Conflict { name: String, tool: BuildTool, first: String, second: String },
}

/// Serialises `model` for `tool`: every manifest file that tool reads, by path. Pyproject:
/// `pyproject.toml`; npm: `package.json`; Gradle: `build.gradle.kts`, `settings.gradle.kts`,
/// `gradle/libs.versions.toml` and `gradle.properties`; Maven: `pom.xml`.
pub fn write(tool: BuildTool, model: &BuildModel) -> Result<Vec<(RelPath, String)>, BuildError> {
    let file = |path: &str, text: String| (RelPath::new(path).expect("writer paths are constant and safe"), text);
    Ok(match tool {
        BuildTool::Pyproject => vec![file("pyproject.toml", pyproject::write(model)?)],
        BuildTool::Npm => vec![file("package.json", npm::write(model)?)],
        BuildTool::Gradle => {
            let gradle::Files { build, settings, catalog, properties } = gradle::write(model)?;
            vec![
                file("build.gradle.kts", build),
                file("settings.gradle.kts", settings),
                file("gradle/libs.versions.toml", catalog),
                file("gradle.properties", properties),
            ]
        }
        BuildTool::Maven => vec![file("pom.xml", maven::write(model)?)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_returns_the_files_it_owns() {
        let model = BuildModel {
            project: BuildProject {
                group: Some("com.example".into()),
                name: "demo".into(),
                version: "0.1.0".into(),
                description: String::new(),
                license: None,
            },
            ..BuildModel::default()
        };
        for (tool, paths) in [
            (BuildTool::Pyproject, &["pyproject.toml"][..]),
            (BuildTool::Npm, &["package.json"]),
            (
                BuildTool::Gradle,
                &["build.gradle.kts", "settings.gradle.kts", "gradle/libs.versions.toml", "gradle.properties"],
            ),
            (BuildTool::Maven, &["pom.xml"]),
        ] {
            let files = write(tool, &model).unwrap_or_else(|e| panic!("{tool:?}: {e}"));
            let written: Vec<String> = files.iter().map(|(path, _)| path.to_string()).collect();
            assert_eq!(written, paths, "{tool:?}");
        }
    }
}
