//! The pinned versions of `generators/python/versions/pyproject.toml`, read into the build model.
//!
//! The pins live in a real `pyproject.toml` so the usual dependency bots can update them;
//! `cargo xtask verify` then proves the update still builds.

use std::collections::BTreeMap;

use backend_gen_core::{Dependency, GenerateError, Scope};
use include_dir::Dir;
use toml_edit::{DocumentMut, Item};

const PINS_FILE: &str = "versions/pyproject.toml";

/// Import names of the generated project's dependencies: a project package with one of these
/// names would shadow the dependency.
pub(crate) const IMPORT_NAMES: &[&str] = &[
    "aiosqlite",
    "alembic",
    "anyio",
    "asyncpg",
    "coverage",
    "fastapi",
    "greenlet",
    "hatchling",
    "httpx",
    "jwt",
    "mypy",
    "pydantic",
    "pydantic_settings",
    "pytest",
    "pytest_cov",
    "ruff",
    "sqlalchemy",
    "starlette",
    "typing_extensions",
    "uvicorn",
];

/// What the pins file says.
#[derive(Debug, Clone)]
pub(crate) struct Pins {
    pub dependencies: Vec<Dependency>,
    /// `[build-system]` of the generated project, copied verbatim.
    pub build_system: Item,
    /// Tool versions templates name outside the manifest (`[tool.backend-gen]`).
    pub tools: BTreeMap<String, String>,
}

impl Pins {
    pub fn load(files: &Dir<'static>) -> Result<Self, GenerateError> {
        let bad = |message: String| GenerateError::Data { file: PINS_FILE.to_owned(), message };
        let text = files.get_file(PINS_FILE).and_then(|f| f.contents_utf8()).ok_or_else(|| bad("missing".into()))?;
        let doc: DocumentMut = text.parse().map_err(|e| bad(format!("{e}")))?;

        let mut dependencies = Vec::new();
        let groups = [
            (Scope::Runtime, doc.get("project").and_then(|p| p.get("dependencies"))),
            (Scope::Dev, doc.get("dependency-groups").and_then(|g| g.get("dev"))),
        ];
        for (scope, list) in groups {
            let list = list.and_then(Item::as_array).ok_or_else(|| bad(format!("no {scope:?} dependency list")))?;
            for requirement in list.iter() {
                let requirement = requirement.as_str().ok_or_else(|| bad("requirements must be strings".into()))?;
                dependencies.push(parse_requirement(requirement, scope).map_err(bad)?);
            }
        }
        let build_system = doc.get("build-system").cloned().ok_or_else(|| bad("no [build-system]".into()))?;
        let tools = doc
            .get("tool")
            .and_then(|t| t.get("backend-gen"))
            .and_then(Item::as_table_like)
            .ok_or_else(|| bad("no [tool.backend-gen]".into()))?
            .iter()
            .map(|(k, v)| (k.to_owned(), v.as_str().unwrap_or_default().to_owned()))
            .collect();
        Ok(Self { dependencies, build_system, tools })
    }
}

/// `name[extra,...]==version`: only exact pins are accepted, so no generated project floats.
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
    Ok(Dependency { name: name.trim().to_owned(), version: version.to_owned(), scope, extras })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_pins_are_exact_and_complete() {
        let pins = Pins::load(&crate::FILES).expect("pins load");
        let names: Vec<_> = pins.dependencies.iter().map(|d| d.name.as_str()).collect();
        for needed in ["fastapi", "pydantic", "sqlalchemy", "alembic", "pyjwt", "pytest", "ruff", "mypy"] {
            assert!(names.contains(&needed), "{needed} missing from {names:?}");
        }
        assert!(pins.tools.contains_key("uv"));
    }

    #[test]
    fn requirements_must_be_exact_pins() {
        let dep = parse_requirement("uvicorn[standard]==0.54.0", Scope::Runtime).expect("exact");
        assert_eq!(
            (dep.name.as_str(), dep.version.as_str(), dep.extras),
            ("uvicorn", "0.54.0", vec!["standard".to_owned()])
        );
        assert!(parse_requirement("fastapi>=0.100", Scope::Runtime).is_err());
        assert!(parse_requirement("fastapi==0.1,<1", Scope::Runtime).is_err());
    }
}
