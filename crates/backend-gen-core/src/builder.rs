//! `PlanBuilder`: the one place a stack and its features contribute to a project before anything is
//! rendered: the build model, environment variables, configuration values, template folders,
//! placeholders and context fields, and whole files that override or remove rendered ones.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::build::{BuildModel, BuildTool, Dependency};
use crate::contract::EnvVar;
use crate::error::GenerateError;
use crate::plan::RelPath;

/// What the stack and the enabled features have contributed so far; `Registry::plan` renders it.
#[derive(Debug, Default)]
pub struct PlanBuilder {
    /// The build model every contribution adds to; its writer runs last.
    pub build: BuildModel,
    /// Which writer serialises `build`; `None` writes no manifest.
    pub build_tool: Option<BuildTool>,
    pub(crate) environment: Vec<EnvVar>,
    pub(crate) config: Map<String, Value>,
    pub(crate) context: Map<String, Value>,
    pub(crate) template_folders: Vec<String>,
    pub(crate) placeholders: Vec<(&'static str, String)>,
    pub(crate) overrides: BTreeMap<RelPath, String>,
    pub(crate) removed: BTreeSet<RelPath>,
}

impl PlanBuilder {
    pub fn add_dependency(&mut self, dependency: Dependency) {
        self.build.dependencies.push(dependency);
    }

    /// An environment variable of the service: documented in `.env.example` and the README, and
    /// given a fresh random value in `.env` when `secret`. A later variable of the same name replaces it.
    pub fn add_env(&mut self, var: EnvVar) {
        self.environment.retain(|v| v.name != var.name);
        self.environment.push(var);
    }

    /// Drops the variable `name`: a feature that replaces what it configures (an OIDC feature
    /// replacing `JWT_SECRET` with an issuer URL).
    pub fn remove_env(&mut self, name: &str) {
        self.environment.retain(|v| v.name != name);
    }

    /// A configuration value templates read as `config.<key>` (`config.database.kind` for the key
    /// `database.kind`); a later value replaces an earlier one.
    pub fn set_config(&mut self, key: &str, value: impl Into<Value>) {
        let mut segments = key.split('.').peekable();
        let mut map = &mut self.config;
        while let Some(segment) = segments.next() {
            if segments.peek().is_none() {
                map.insert(segment.to_owned(), value.into());
                return;
            }
            let entry = map.entry(segment.to_owned()).or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            let Value::Object(next) = entry else { return };
            map = next;
        }
    }

    /// A field of the stack's own in the template context, beside the core's (`project`, `env`, …).
    pub fn set_context(&mut self, key: &str, value: impl Serialize) -> Result<(), GenerateError> {
        let value = serde_json::to_value(value)
            .map_err(|e| GenerateError::Data { file: format!("context field `{key}`"), message: e.to_string() })?;
        self.context.insert(key.to_owned(), value);
        Ok(())
    }

    /// Renders the stack's template folder `folder` too (after `base/`, before the features' folders).
    pub fn add_template_folder(&mut self, folder: &str) {
        self.template_folders.push(folder.to_owned());
    }

    /// Replaces the path segment `segment` (such as `__package__`) by `value` in every template path.
    pub fn placeholder(&mut self, segment: &'static str, value: &str) {
        self.placeholders.push((segment, value.to_owned()));
    }

    /// A whole file that replaces whatever the templates render at `path`, or adds it.
    pub fn override_file(&mut self, path: RelPath, contents: impl Into<String>) {
        self.removed.remove(&path);
        self.overrides.insert(path, contents.into());
    }

    /// Drops the file the templates render at `path`.
    pub fn remove_file(&mut self, path: RelPath) {
        self.overrides.remove(&path);
        self.removed.insert(path);
    }

    /// The environment so far, in the order it was added.
    pub fn environment(&self) -> &[EnvVar] {
        &self.environment
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::contract::compose_database_password;

    #[test]
    fn config_keys_nest_and_later_values_win() {
        let mut plan = PlanBuilder::default();
        plan.set_config("database.kind", "sqlite");
        plan.set_config("database.kind", "postgres");
        plan.set_config("database.pool", 5);
        assert_eq!(Value::Object(plan.config), json!({"database": {"kind": "postgres", "pool": 5}}));
    }

    #[test]
    fn env_vars_are_unique_by_name_and_files_either_override_or_go() {
        let mut plan = PlanBuilder::default();
        plan.add_env(compose_database_password());
        plan.add_env(compose_database_password());
        assert_eq!(plan.environment().len(), 1);
        plan.remove_env("POSTGRES_PASSWORD");
        assert!(plan.environment().is_empty());
        let path = RelPath::new("a.txt").expect("safe");
        plan.remove_file(path.clone());
        plan.override_file(path.clone(), "x");
        assert!(plan.removed.is_empty() && plan.overrides.contains_key(&path));
    }
}
