//! The pinned versions of `generators/node/versions/package.json`, read into the build model.
//!
//! The pins live in a real `package.json` so the usual dependency bots can update them; `cargo
//! xtask verify --stack node` then proves the update still builds. Each pin is exact there; a
//! generated project gets it as a caret range (`^5.12.8`), and the lockfile made at generation holds
//! the pin itself (`lib.rs`, `lockfile`). `dependencies` ship,
//! `devDependencies` are tooling; `engines.node` becomes the model's runtime; the `backend-gen`
//! object holds versions templates name outside the manifest (the Node release verified, the
//! Docker image tag).

use std::collections::BTreeMap;

use backend_gen_core::GenerateError;
use backend_gen_core::build::{Dependency, Scope};
use include_dir::Dir;
use serde_json::Value;

const PINS_FILE: &str = "versions/package.json";

#[derive(Debug, Clone)]
pub(crate) struct Pins {
    pub dependencies: Vec<Dependency>,
    /// `engines.node`: the Node versions the generated project declares.
    pub engines: String,
    /// `backend-gen`: tool versions templates name.
    pub tools: BTreeMap<String, String>,
}

impl Pins {
    pub fn load(files: &Dir<'static>) -> Result<Self, GenerateError> {
        Self::parse(backend_gen_core::template::embedded_text(files, PINS_FILE)?)
    }

    fn parse(text: &str) -> Result<Self, GenerateError> {
        let bad = |message: String| GenerateError::Data { file: PINS_FILE.to_owned(), message };
        let doc: Value = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        let strings = |key: &str| -> Result<Vec<(String, String)>, GenerateError> {
            let object =
                doc.get(key).and_then(Value::as_object).ok_or_else(|| bad(format!("`{key}` must be an object")))?;
            object
                .iter()
                .map(|(name, version)| {
                    let version =
                        version.as_str().ok_or_else(|| bad(format!("`{key}.{name}` must be a version string")))?;
                    Ok((name.clone(), version.to_owned()))
                })
                .collect()
        };
        let mut dependencies = Vec::new();
        for (key, scope) in [("dependencies", Scope::COMPILE), ("devDependencies", Scope::TOOLING)] {
            for (name, version) in strings(key)? {
                if !is_exact(&version) {
                    return Err(bad(format!("`{key}.{name}` must pin one exact version, not `{version}`")));
                }
                dependencies.push(Dependency::compatible(&name, &version, scope));
            }
        }
        let engines = doc
            .pointer("/engines/node")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("`engines.node` must be a string".into()))?
            .to_owned();
        let tools = strings("backend-gen")?.into_iter().collect();
        Ok(Self { dependencies, engines, tools })
    }

    /// `(name, version)` of each pin: the versions the lockfile made at generation must hold.
    pub fn verified(&self) -> Vec<(String, String)> {
        let pins = self.dependencies.iter();
        pins.filter_map(|d| Some((d.coordinates.to_string(), d.verified_version()?.to_owned()))).collect()
    }
}

/// `1.2.3` or `1.2.3-rc.1`: no range operators, no tags.
fn is_exact(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<_> = core.split('.').collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_pins_are_exact_and_complete() {
        let pins = Pins::load(&crate::FILES).expect("pins load");
        let names: Vec<_> = pins.dependencies.iter().map(|d| d.coordinates.name.as_str()).collect();
        for needed in ["fastify", "zod", "kysely", "jose", "typescript", "vitest", "@biomejs/biome"] {
            assert!(names.contains(&needed), "{needed} missing from {names:?}");
        }
        assert_eq!(pins.engines, ">=22");
        assert!(pins.tools.contains_key("node"));
    }

    #[test]
    fn ranges_and_tags_are_refused_by_name() {
        for version in ["^5.0.0", "5.x", "latest", ">=1.0.0", "1.2"] {
            let text = format!(
                r#"{{"engines": {{"node": ">=22"}}, "dependencies": {{"fastify": "{version}"}}, "devDependencies": {{}}, "backend-gen": {{}}}}"#
            );
            let err = Pins::parse(&text).expect_err(version);
            assert!(err.to_string().contains("`dependencies.fastify`"), "{err}");
        }
        assert!(is_exact("1.2.3") && is_exact("1.0.0-rc.1"));
    }
}
