//! The `Generator` trait each stack implements, and the registry that turns input into plans.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::answers::{ANSWERS_FILE, Answers};
pub use crate::error::GenerateError;
use crate::feature::{self, Feature};
use crate::name::ProjectName;
use crate::plan::{ProjectPlan, RelPath};
use crate::secret::{RandomError, Secret};
use crate::spec::{ProjectSpec, SpecError, SpecInput};
use crate::verification::Verification;

/// The version written into every answers file.
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a stack offers, as plain data: listing, validation and prompts read it.
#[derive(Debug, Serialize)]
pub struct StackInfo {
    pub id: &'static str,
    pub summary: &'static str,
    pub features: &'static [Feature],
    pub options: &'static [OptionSpec],
    /// Import or package names the generated project depends on, which the project's own must not shadow.
    pub reserved_names: &'static [&'static str],
}

/// A stack-specific choice with a closed set of values (for example a build tool).
#[derive(Debug, Serialize)]
pub struct OptionSpec {
    pub key: &'static str,
    pub summary: &'static str,
    pub values: &'static [&'static str],
    pub default: &'static str,
}

/// A stack: builds the plan of a validated project, in memory.
pub trait Generator: Send + Sync + fmt::Debug {
    fn info(&self) -> &'static StackInfo;

    /// Builds every file and the build model. Must not touch the disk.
    fn plan(&self, spec: &ProjectSpec) -> Result<ProjectPlan, GenerateError>;

    /// Commands to run inside the new project folder, shown after generation.
    fn next_steps(&self, spec: &ProjectSpec) -> Vec<String>;

    /// How `cargo xtask verify` proves a project of this spec green with the stack's own toolchain.
    fn verification(&self, spec: &ProjectSpec) -> Verification;
}

/// Whether the plan gets a `.env` with freshly generated secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secrets {
    /// A new random value for every secret variable: what a real project gets.
    Fresh,
    /// Only `.env.example`: deterministic output for snapshots.
    Omit,
}

/// Every registered stack. Adding a stack is one more entry here, made by the binary.
#[derive(Debug)]
pub struct Registry {
    generators: Vec<&'static dyn Generator>,
}

impl Registry {
    pub fn new(generators: Vec<&'static dyn Generator>) -> Self {
        Self { generators }
    }

    pub fn stacks(&self) -> impl Iterator<Item = &'static StackInfo> + '_ {
        self.generators.iter().map(|g| g.info())
    }

    pub fn generator(&self, stack: &str) -> Option<&'static dyn Generator> {
        self.generators.iter().copied().find(|g| g.info().id == stack)
    }

    /// Validates input once, for every source of input alike.
    pub fn spec(&self, input: &SpecInput) -> Result<ProjectSpec, SpecError> {
        let name = ProjectName::parse(&input.name)?;
        let generator = self.generator(&input.stack).ok_or_else(|| SpecError::UnknownStack {
            stack: input.stack.clone(),
            valid: self.stacks().map(|s| format!("`{}`", s.id)).collect::<Vec<_>>().join(", "),
        })?;
        let info = generator.info();
        for identifier in [&name.snake, &name.kebab] {
            if info.reserved_names.contains(&identifier.as_str()) {
                return Err(SpecError::ShadowsDependency {
                    name: name.raw.clone(),
                    stack: info.id,
                    identifier: identifier.clone(),
                });
            }
        }
        let elsewhere = |feature: &str| {
            self.stacks().filter(|s| s.features.iter().any(|f| f.id == feature)).map(|s| s.id).collect()
        };
        let features = feature::resolve(info.id, info.features, &input.features, elsewhere)?;
        let options = resolve_options(info, &input.options)?;
        Ok(ProjectSpec { name, stack: info.id, features, options })
    }

    /// The whole plan: the stack's files, the answers file, `.env.example`, and `.env` with fresh secrets.
    pub fn plan(&self, spec: &ProjectSpec, secrets: Secrets) -> Result<ProjectPlan, GenerateError> {
        let generator = self.generator(spec.stack).ok_or_else(|| GenerateError::Data {
            file: spec.stack.to_owned(),
            message: "the spec names a stack that is not registered".to_owned(),
        })?;
        let mut plan = generator.plan(spec)?;
        let answers = Answers::from_spec(spec, GENERATOR_VERSION);
        plan.add_file(RelPath::new(ANSWERS_FILE)?, answers.to_toml(), false)?;
        let fresh = match secrets {
            Secrets::Fresh => Some(
                plan.secret_variables().map(|v| Ok((v, Secret::generate()?))).collect::<Result<_, RandomError>>()?,
            ),
            Secrets::Omit => None,
        };
        plan.add_env_files(fresh.as_ref())?;
        Ok(plan)
    }
}

fn resolve_options(info: &StackInfo, given: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, SpecError> {
    let valid_keys = || info.options.iter().map(|o| format!("`{}`", o.key)).collect::<Vec<_>>().join(", ");
    if let Some(key) = given.keys().find(|k| !info.options.iter().any(|o| o.key == k.as_str())) {
        let valid = if info.options.is_empty() { "none".to_owned() } else { valid_keys() };
        return Err(SpecError::UnknownOption { key: key.clone(), stack: info.id, valid });
    }
    let mut options = BTreeMap::new();
    for option in info.options {
        let value = given.get(option.key).map_or(option.default, String::as_str);
        if !option.values.contains(&value) {
            return Err(SpecError::BadOptionValue {
                key: option.key.to_owned(),
                value: value.to_owned(),
                valid: option.values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "),
            });
        }
        options.insert(option.key.to_owned(), value.to_owned());
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    use crate::feature::{FeatureRequest, shared};
    use crate::verification::{Serve, Step};

    #[derive(Debug)]
    struct Fake;

    static FAKE: StackInfo = StackInfo {
        id: "fake",
        summary: "a stack for tests",
        features: &[shared::DOCKER, shared::COMPOSE],
        options: &[OptionSpec { key: "build", summary: "", values: &["a", "b"], default: "a" }],
        reserved_names: &["fastapi"],
    };

    impl Generator for Fake {
        fn info(&self) -> &'static StackInfo {
            &FAKE
        }
        fn plan(&self, _: &ProjectSpec) -> Result<ProjectPlan, GenerateError> {
            Ok(ProjectPlan::default())
        }
        fn next_steps(&self, _: &ProjectSpec) -> Vec<String> {
            Vec::new()
        }
        fn verification(&self, _: &ProjectSpec) -> Verification {
            let serve = Step::new("serve", "true", &[], Duration::from_secs(1));
            Verification {
                chains: Vec::new(),
                serve: Serve { after: String::new(), step: serve, start_timeout: Duration::ZERO },
            }
        }
    }

    fn input(name: &str, stack: &str, options: &[(&str, &str)]) -> SpecInput {
        SpecInput {
            name: name.to_owned(),
            stack: stack.to_owned(),
            features: FeatureRequest { features: vec!["compose".to_owned()], default_features: false },
            options: options.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        }
    }

    #[test]
    fn spec_resolves_features_and_fills_option_defaults() {
        let spec = Registry::new(vec![&Fake]).spec(&input("demo", "fake", &[])).expect("valid");
        assert_eq!(spec.features.into_iter().collect::<Vec<_>>(), ["compose", "docker"]);
        assert_eq!(spec.options["build"], "a");
    }

    #[test]
    fn spec_refuses_bad_stack_option_and_shadowing_names() {
        let registry = Registry::new(vec![&Fake]);
        let err = registry.spec(&input("demo", "ruby", &[])).expect_err("stack");
        assert_eq!(err.to_string(), "unknown stack `ruby`; valid stacks: `fake`");
        let err = registry.spec(&input("demo", "fake", &[("build", "c")])).expect_err("value");
        assert!(matches!(err, SpecError::BadOptionValue { .. }));
        let err = registry.spec(&input("demo", "fake", &[("colour", "c")])).expect_err("key");
        assert!(matches!(err, SpecError::UnknownOption { .. }));
        let err = registry.spec(&input("fastapi", "fake", &[])).expect_err("shadow");
        assert!(matches!(err, SpecError::ShadowsDependency { .. }));
    }

    #[test]
    fn plan_adds_answers_and_env_files() {
        let registry = Registry::new(vec![&Fake]);
        let spec = registry.spec(&input("demo", "fake", &[])).expect("valid");
        let plan = registry.plan(&spec, Secrets::Omit).expect("plan");
        let answers = Answers::parse(&plan.file(ANSWERS_FILE).expect("answers").contents).expect("parses");
        assert_eq!(answers.features, ["compose", "docker"]);
        assert!(plan.file(".env.example").is_some());
        assert!(plan.file(".env").is_none());
    }
}
