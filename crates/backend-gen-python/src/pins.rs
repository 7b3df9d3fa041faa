//! The pinned versions of `generators/python/versions/pyproject.toml`, read into the build model.
//!
//! The pins live in a real `pyproject.toml` so the usual dependency bots can update them;
//! `cargo xtask verify` then proves the update still builds. Each pin is exact there; a generated
//! project gets it as a compatible range starting at that version (`>=0.165.0,<0.166`), and the
//! lockfile made at generation holds the pin itself (`lib.rs`, `lockfile`).

use std::collections::BTreeMap;

use backend_gen_core::build::{Dependency, Plugin, Scope, Version};
use backend_gen_core::{GenerateError, ProjectSpec};
use include_dir::Dir;
use toml_edit::{DocumentMut, Item};

const PINS_FILE: &str = "versions/pyproject.toml";

/// What the pins file says, as build-model entries.
#[derive(Debug, Clone)]
pub(crate) struct Pins {
    /// `project.dependencies` (shipped) and `dependency-groups.dev` (tooling and tests).
    pub dependencies: Vec<Dependency>,
    /// `project.optional-dependencies`, one list per feature id: what that feature adds.
    pub features: BTreeMap<String, Vec<Dependency>>,
    /// `build-system`: the PEP 517 backend.
    pub backend: Plugin,
    /// Tool versions templates name outside the manifest (`[tool.backend-gen]`).
    pub tools: BTreeMap<String, String>,
}

impl Pins {
    pub fn load(files: &Dir<'static>) -> Result<Self, GenerateError> {
        Self::parse(backend_gen_core::template::embedded_text(files, PINS_FILE)?)
    }

    fn parse(text: &str) -> Result<Self, GenerateError> {
        let bad = |message: String| GenerateError::Data { file: PINS_FILE.to_owned(), message };
        let doc: DocumentMut = text.parse().map_err(|e| bad(format!("{e}")))?;
        let list = |item: Option<&Item>, scope: Scope, what: &str| -> Result<Vec<Dependency>, GenerateError> {
            let list = item.and_then(Item::as_array).ok_or_else(|| bad(format!("`{what}` must be a list")))?;
            list.iter()
                .map(|requirement| {
                    let requirement = requirement.as_str().ok_or_else(|| bad(format!("`{what}` must hold strings")))?;
                    parse_requirement(requirement, scope).map_err(bad)
                })
                .collect()
        };

        let project = doc.get("project");
        let mut dependencies =
            list(project.and_then(|p| p.get("dependencies")), Scope::COMPILE, "project.dependencies")?;
        let dev = doc.get("dependency-groups").and_then(|g| g.get("dev"));
        dependencies.extend(list(dev, Scope::TOOLING, "dependency-groups.dev")?);
        let mut features = BTreeMap::new();
        if let Some(optional) = project.and_then(|p| p.get("optional-dependencies")).and_then(Item::as_table_like) {
            for (feature, item) in optional.iter() {
                let what = format!("project.optional-dependencies.{feature}");
                features.insert(feature.to_owned(), list(Some(item), Scope::COMPILE, &what)?);
            }
        }

        let build_system = doc.get("build-system").ok_or_else(|| bad("no [build-system]".into()))?;
        let backend_id = build_system.get("build-backend").and_then(Item::as_str);
        let requires = list(build_system.get("requires"), Scope::TOOLING, "build-system.requires")?;
        let (Some(backend_id), [requirement]) = (backend_id, requires.as_slice()) else {
            return Err(bad("[build-system] needs `build-backend` and exactly one pinned `requires` entry".into()));
        };
        let (Version::Compatible(version) | Version::Exact(version)) = &requirement.version else {
            return Err(bad("[build-system] `requires` must pin one version".into()));
        };
        // The backend is uv's own, as a range within one minor series (the bound `uv init` writes
        // for `uv_build`): a uv inside it builds the project itself, with no isolated build environment
        // to resolve and install (a fresh project's install went from about 1.1 s to 0.2 s); another
        // uv installs `uv_build` from the index. An exact pin would miss every uv but that one.
        let backend = Plugin {
            id: backend_id.to_owned(),
            coordinates: requirement.coordinates.clone(),
            version: Version::Compatible(version.clone()),
            only: None,
            alias: None,
        };

        let table = doc
            .get("tool")
            .and_then(|t| t.get("backend-gen"))
            .and_then(Item::as_table_like)
            .ok_or_else(|| bad("no [tool.backend-gen]".into()))?;
        let mut tools = BTreeMap::new();
        for (key, value) in table.iter() {
            let version = value.as_str().ok_or_else(|| bad(format!("`tool.backend-gen.{key}` must be a string")))?;
            tools.insert(key.to_owned(), version.to_owned());
        }
        Ok(Self { dependencies, features, backend, tools })
    }

    /// The dependencies of a project of `spec`: the base pins and those of each enabled feature.
    pub fn for_spec(&self, spec: &ProjectSpec) -> Vec<Dependency> {
        let features = spec.features.iter().flat_map(|f| self.features.get(*f).into_iter().flatten());
        self.dependencies.iter().chain(features).cloned().collect()
    }
}

/// `(name, version)` of each dependency: the versions the lockfile made at generation must hold.
pub(crate) fn verified(dependencies: &[Dependency]) -> Vec<(String, String)> {
    dependencies.iter().filter_map(|d| Some((d.coordinates.to_string(), d.verified_version()?.to_owned()))).collect()
}

/// `name[extra,...]==version`: only exact pins are accepted, so no generated project starts from an
/// unverified version; the dependency is compatible from that version on.
fn parse_requirement(requirement: &str, scope: Scope) -> Result<Dependency, String> {
    let (spec, version) =
        requirement.split_once("==").ok_or_else(|| format!("`{requirement}` is not pinned with `==`"))?;
    let (name, extras) = match spec.split_once('[') {
        Some((name, rest)) => {
            let extras = rest.strip_suffix(']').ok_or_else(|| format!("`{requirement}` has unclosed extras"))?;
            (name, extras.split(',').map(|e| e.trim().to_owned()).collect())
        }
        None => (spec, Vec::new()),
    };
    if version.is_empty() || version.contains([',', '<', '>', '=', '*', ' ']) {
        return Err(format!("`{requirement}` must pin one exact version"));
    }
    let mut dependency = Dependency::compatible(name.trim(), version, scope);
    dependency.extras = extras;
    Ok(dependency)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_pins_are_exact_and_complete() {
        let pins = Pins::load(&crate::FILES).expect("pins load");
        let names: Vec<_> = pins.dependencies.iter().map(|d| d.coordinates.name.as_str()).collect();
        for needed in ["fastapi", "pydantic", "sqlalchemy", "alembic", "pyjwt", "pytest", "ruff", "mypy"] {
            assert!(names.contains(&needed), "{needed} missing from {names:?}");
        }
        assert_eq!(pins.backend.id, "uv_build");
        // The uv the templates name (Dockerfile, CI) must fall in the backend's range, so that it
        // builds the project itself: the same minor series, at or after the pinned backend.
        let Version::Compatible(backend) = &pins.backend.version else { panic!("{:?}", pins.backend.version) };
        let uv = &pins.tools["uv"];
        let numbers = |v: &str| v.split('.').map(|p| p.parse::<u64>().expect("numeric")).collect::<Vec<_>>();
        let (backend, uv) = (numbers(backend), numbers(uv));
        assert!(uv[..2] == backend[..2] && uv >= backend, "uv {uv:?} is outside uv_build's range from {backend:?}");
        for feature in pins.features.keys() {
            assert!(crate::INFO.features.iter().any(|f| f.id == feature), "pins for the unlisted feature `{feature}`");
        }
    }

    #[test]
    fn requirements_must_be_exact_pins() {
        let dep = parse_requirement("uvicorn[standard]==0.54.0", Scope::COMPILE).expect("exact");
        assert_eq!(dep.coordinates.name, "uvicorn");
        assert_eq!(dep.version, Version::Compatible("0.54.0".into()));
        assert_eq!(dep.extras, ["standard"]);
        assert!(parse_requirement("fastapi>=0.100", Scope::COMPILE).is_err());
        assert!(parse_requirement("fastapi==0.1,<1", Scope::COMPILE).is_err());
    }

    #[test]
    fn a_tool_pin_that_is_not_a_string_is_refused_by_name() {
        let text = "[project]\ndependencies = []\n[dependency-groups]\ndev = []\n[build-system]\nrequires = [\"uv_build==0.13.6\"]\nbuild-backend = \"uv_build\"\n[tool.backend-gen]\npython = 3.11\n";
        let err = Pins::parse(text).expect_err("a float");
        assert!(err.to_string().contains("`tool.backend-gen.python` must be a string"), "{err}");
    }
}
