//! The `Registry` of stacks: validates input into a `ProjectSpec` once, for every source of input,
//! and turns a spec into a whole `ProjectPlan`: the stack's and features' contributions, rendering,
//! the build manifest, the answers file and the environment files.

use std::collections::BTreeSet;

use crate::answers::{ANSWERS_FILE, Answers};
use crate::build::{self, BuildProject};
use crate::builder::PlanBuilder;
use crate::common::{self, COMMON};
use crate::context::{PROJECT_VERSION, TemplateContext};
use crate::contract;
use crate::error::GenerateError;
use crate::feature;
use crate::name::ProjectName;
use crate::option;
use crate::plan::{PlannedFile, ProjectPlan, RelPath};
use crate::render::Renderer;
use crate::secret::{RandomError, Secret};
use crate::spec::{ProjectSpec, SpecError, SpecInput};
use crate::stack::{Generator, Stack, StackInfo};
use crate::suggest::{backticked, did_you_mean};
use crate::template::TemplateSet;

/// The version written into every answers file.
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Whether the plan gets a `.env` with freshly generated secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secrets {
    /// A new random value for every secret variable: what a real project gets.
    Fresh,
    /// No `.env` at all, only `.env.example`: deterministic output for snapshots and previews.
    ExampleOnly,
}

/// A stack whose data contradicts itself: a bug in backend-gen, found when the stack is registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stack `{stack}` is not valid: {}", problems.join("; "))]
pub struct InvalidStack {
    pub stack: &'static str,
    pub problems: Vec<String>,
}

/// Every registered stack. Adding a stack is one more entry here, made by the binary.
#[derive(Debug)]
pub struct Registry {
    generators: Vec<&'static dyn Generator>,
}

impl Registry {
    /// Registers `generators` after checking each one's data: unique stack ids, features that name
    /// only listed features and groups, option defaults their own rules accept.
    pub fn new(generators: Vec<&'static dyn Generator>) -> Result<Self, InvalidStack> {
        let mut ids = BTreeSet::new();
        for generator in &generators {
            let info = generator.info();
            let mut problems = feature::validate(info.features, info.groups);
            if !ids.insert(info.id) {
                problems.push("another stack has the same id".to_owned());
            }
            for option in info.options {
                if let Err(e) = option.check(option.default) {
                    problems.push(format!("the default of option `{}`: {e}", option.key));
                }
                if option::COMMON.iter().any(|common| common.key == option.key) {
                    problems.push(format!("option `{}` is one every stack has already", option.key));
                }
            }
            if !problems.is_empty() {
                return Err(InvalidStack { stack: info.id, problems });
            }
        }
        Ok(Self { generators })
    }

    pub fn stacks(&self) -> impl Iterator<Item = &'static StackInfo> + '_ {
        self.generators.iter().map(|g| g.info())
    }

    pub fn stack(&self, id: &str) -> Option<Stack> {
        self.generators.iter().copied().find(|g| g.info().id == id).map(Stack::new)
    }

    /// Validates a project name alone (its shape and every registered stack's identifier rules): what
    /// [`Registry::spec`] checks first, and all a third-party template's project needs.
    pub fn name(&self, raw: &str) -> Result<ProjectName, SpecError> {
        let name = ProjectName::parse(raw)?;
        for rule in self.stacks().flat_map(|s| s.identifiers) {
            name.check(rule)?;
        }
        Ok(name)
    }

    /// Validates input once, for every source of input alike: the name's shape and every registered
    /// stack's identifier rules, the stack, the features, the options.
    pub fn spec(&self, input: &SpecInput) -> Result<ProjectSpec, SpecError> {
        let name = self.name(&input.name)?;
        let stack = self.stack(&input.stack).ok_or_else(|| SpecError::UnknownStack {
            stack: input.stack.clone(),
            hint: did_you_mean(&input.stack, self.stacks().map(|s| s.id)),
            valid: backticked(self.stacks().map(|s| s.id)),
        })?;
        let info = stack.info();
        let elsewhere = |feature: &str| {
            self.stacks().filter(|s| s.features.iter().any(|f| f.id == feature)).map(|s| s.id).collect()
        };
        let features = feature::resolve(info.id, info.features, info.groups, &input.features, elsewhere)?;
        let options = option::resolve(info, &input.options)?;
        Ok(ProjectSpec { name, stack, features, options })
    }

    /// The whole plan, in memory: the contract's environment; the stack's contribution, then each
    /// enabled feature's; every template rendered; the build manifest written last from the build
    /// model; the answers file, `.env.example` and, with fresh secrets, `.env`.
    ///
    /// Refuses (as a generator bug) a plan whose `.gitignore` does not ignore `.env`.
    pub fn plan(&self, spec: &ProjectSpec, secrets: Secrets) -> Result<ProjectPlan, GenerateError> {
        let info = spec.stack.info();
        let generator = spec.stack.generator();
        let mut builder = PlanBuilder::default();
        // Every stack's manifest names the project the same way; a stack may add a group.
        builder.build.project = BuildProject {
            group: None,
            name: spec.name.kebab.clone(),
            version: PROJECT_VERSION.to_owned(),
            description: format!("{}: a backend service", spec.name.title),
            license: spec.options.get(option::LICENSE).and_then(|l| option::spdx(l)).map(str::to_owned),
        };
        license_context(spec, &mut builder)?;
        for var in contract::environment(info.port, info.database_example, &spec.name.kebab) {
            builder.add_env(var);
        }
        generator.contribute(spec, &mut builder)?;
        for feature in info.features.iter().filter(|f| spec.has(f.id)) {
            for apply in feature.apply {
                apply(spec, &mut builder)?;
            }
        }

        let mut renderer = Renderer::new();
        generator.register_helpers(&mut renderer);
        let context = TemplateContext::new(spec, &builder)?;
        let options = spec.options.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        let folders = TemplateSet::folders(spec.features.iter().copied(), options, &builder.template_folders);
        // Every stack's templates first (`generators/common/templates/`: CHANGELOG.md, LICENSE), then
        // the stack's own, which may replace one of them.
        let common_folders = folders.iter().map(|f| format!("{}/{f}", common::TEMPLATES));
        let common = TemplateSet::new(&COMMON, common_folders).render(&renderer, &context)?;
        let rendered = TemplateSet::new(info.templates, folders)
            .with_placeholders(&builder.placeholders)
            .render(&renderer, &context)?;

        let mut plan = ProjectPlan::default();
        let rendered = common.into_iter().chain(rendered);
        for (path, file) in rendered.filter(|(path, _)| !builder.removed.contains(path)) {
            plan.files.insert(path, file);
        }
        for (path, contents) in std::mem::take(&mut builder.overrides) {
            plan.files.insert(
                path,
                PlannedFile {
                    contents: contents.replace("\r\n", "\n"),
                    executable: false,
                    rendered: false,
                    private: false,
                },
            );
        }
        if let Some(tool) = builder.build_tool {
            for (path, text) in build::write(tool, &builder.build)? {
                plan.add_file(path, text, false)?;
            }
        }
        plan.build = builder.build;
        plan.environment = builder.environment;

        let answers = Answers::from_spec(spec, GENERATOR_VERSION);
        plan.add_file(RelPath::new(ANSWERS_FILE)?, answers.to_toml(), false)?;
        let fresh = match secrets {
            Secrets::Fresh => Some(
                plan.secret_variables().map(|v| Ok((v, Secret::generate()?))).collect::<Result<_, RandomError>>()?,
            ),
            Secrets::ExampleOnly => None,
        };
        plan.add_env_files(fresh.as_ref())?;
        if !plan.ignores_env_file() {
            return Err(GenerateError::EnvNotIgnored { stack: info.id });
        }
        Ok(plan)
    }
}

/// `license.spdx`, `license.holder` and `license.year` for the LICENSE templates, from the options:
/// the holder defaults to `the <project> authors`, the year to none (never today's date, so the
/// same answers file gives the same bytes).
fn license_context(spec: &ProjectSpec, builder: &mut PlanBuilder) -> Result<(), GenerateError> {
    let value = |key: &str| spec.options.get(key).map(String::as_str).unwrap_or_default();
    let holder = match value(option::LICENSE_HOLDER) {
        "" => format!("the {} authors", spec.name.kebab),
        holder => holder.to_owned(),
    };
    builder.set_context(
        "license",
        serde_json::json!({
            "spdx": option::spdx(value(option::LICENSE)),
            "holder": holder,
            "year": value(option::LICENSE_YEAR),
        }),
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use include_dir::{Dir, include_dir};

    use super::*;
    use crate::build::{BuildTool, Dependency, Scope};
    use crate::feature::{Feature, FeatureRequest, shared};
    use crate::name::Identifier;
    use crate::option::{OptionSpec, OptionValues};
    use crate::stack::IdentifierRule;
    use crate::verification::{Chain, Serve, Step, Verification};

    static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/tests/fake-stack");

    #[derive(Debug)]
    struct Fake(&'static StackInfo);

    const POSTGRES: Feature = Feature {
        apply: &[|_, plan| {
            plan.set_config("database.kind", "postgres");
            plan.add_dependency(Dependency::exact("asyncpg", "0.32.0", Scope::COMPILE));
            Ok(())
        }],
        ..Feature::new("postgres", "")
    };

    static FAKE: StackInfo = StackInfo {
        id: "fake",
        summary: "a stack for tests",
        features: &[shared::DOCKER, shared::COMPOSE, POSTGRES],
        groups: &[],
        options: &[OptionSpec {
            key: "build",
            summary: "",
            values: OptionValues::OneOf { values: &["gradle", "maven"] },
            default: "gradle",
        }],
        identifiers: &[IdentifierRule {
            ecosystem: "Fake",
            identifier: Identifier::Snake,
            reserved: &["fastapi"],
            why: "a dependency it would shadow",
        }],
        templates: &TEMPLATES,
        port: 8123,
        database_example: "sqlite:///x.db",
    };

    static BROKEN: StackInfo = StackInfo { id: "broken", features: &[shared::COMPOSE], ..FAKE };
    static FAKE_GENERATOR: Fake = Fake(&FAKE);
    static BROKEN_GENERATOR: Fake = Fake(&BROKEN);

    impl Generator for Fake {
        fn info(&self) -> &'static StackInfo {
            self.0
        }
        fn contribute(&self, spec: &ProjectSpec, plan: &mut PlanBuilder) -> Result<(), GenerateError> {
            plan.set_config("database.kind", "sqlite");
            plan.set_context("flavour", "vanilla")?;
            plan.build.project.name = spec.name.kebab.clone();
            plan.build_tool = Some(BuildTool::Pyproject);
            if spec.name.kebab == "forgets-env" {
                plan.override_file(RelPath::new(".gitignore")?, "target/\n");
            }
            Ok(())
        }
        fn next_steps(&self, _: &ProjectSpec, _: bool) -> Vec<String> {
            Vec::new()
        }
        fn verification(&self, spec: &ProjectSpec) -> Verification {
            let step = |name| Step::new(name, "true", &[], Duration::from_secs(1));
            let mut chains = vec![Chain { name: "build".into(), steps: vec![step("install")] }];
            chains.extend(crate::verification::shared_feature_checks(spec));
            Verification {
                chains,
                serve: Serve {
                    after: "build".into(),
                    step: step("serve"),
                    start_timeout: Duration::from_secs(1),
                    embedded_database_url: "sqlite:///{path}".into(),
                    init_env: step("init-env"),
                },
                database_tests: None,
            }
        }
    }

    fn registry() -> Registry {
        Registry::new(vec![&FAKE_GENERATOR]).expect("valid stack")
    }

    fn input(name: &str, stack: &str, features: &[&str], options: &[(&str, &str)]) -> SpecInput {
        SpecInput {
            name: name.to_owned(),
            stack: stack.to_owned(),
            features: FeatureRequest {
                features: features.iter().map(|f| (*f).to_owned()).collect(),
                default_features: false,
            },
            options: options.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        }
    }

    fn text<'p>(plan: &'p ProjectPlan, path: &str) -> &'p str {
        &plan.file(path).unwrap_or_else(|| panic!("no `{path}`")).contents
    }

    #[test]
    fn registration_refuses_contradictory_stack_data() {
        let err = Registry::new(vec![&BROKEN_GENERATOR]).expect_err("compose requires an unlisted docker");
        assert_eq!(
            err.to_string(),
            "stack `broken` is not valid: feature `compose` names `docker`, which the stack does not list"
        );
        let err = Registry::new(vec![&FAKE_GENERATOR, &FAKE_GENERATOR]).expect_err("two stacks, one id");
        assert!(err.problems.iter().any(|p| p.contains("same id")));
    }

    #[test]
    fn spec_resolves_features_fills_option_defaults_and_keeps_its_stack() {
        let spec = registry().spec(&input("demo", "fake", &["compose"], &[])).expect("valid");
        assert_eq!(spec.features.iter().copied().collect::<Vec<_>>(), ["compose", "docker"]);
        assert_eq!(spec.options["build"], "gradle");
        assert_eq!(spec.stack.id(), "fake");
    }

    #[test]
    fn spec_refuses_bad_stack_option_and_reserved_names_with_suggestions() {
        let registry = registry();
        let err = registry.spec(&input("demo", "fkae", &[], &[])).expect_err("stack");
        assert_eq!(err.to_string(), "unknown stack `fkae` (did you mean `fake`?); valid stacks: `fake`");
        let err = registry.spec(&input("demo", "fake", &[], &[("biuld", "maven")])).expect_err("key");
        assert_eq!(
            err.to_string(),
            "unknown option `biuld` for stack `fake` (did you mean `build`?); valid options: `license`, \
             `license-holder`, `license-year`, `build`"
        );
        let err = registry.spec(&input("demo", "fake", &[], &[("license", "gpl")])).expect_err("license");
        assert!(err.to_string().starts_with("option `license` cannot be `gpl`"), "{err}");
        let err = registry.spec(&input("demo", "fake", &[], &[("build", "ant")])).expect_err("value");
        assert!(matches!(err, SpecError::BadOptionValue { .. }));
        let err = registry.spec(&input("Fastapi", "fake", &[], &[])).expect_err("reserved");
        assert_eq!(
            err.to_string(),
            "`Fastapi` gives the Fake identifier `fastapi`, which is a dependency it would shadow; try `fastapi-service`"
        );
    }

    #[test]
    fn plan_applies_contributions_folders_and_writes_the_manifest_last() {
        let registry = registry();
        let spec =
            registry.spec(&input("demo", "fake", &["compose", "postgres"], &[("build", "maven")])).expect("valid");
        let plan = registry.plan(&spec, Secrets::ExampleOnly).expect("plan");
        let readme = text(&plan, "README.md");
        assert!(readme.starts_with("# Demo on port 8123\n"), "{readme}");
        assert!(
            readme.contains("| `POSTGRES_PASSWORD` | placeholder; a fresh secret in `.env` |"),
            "the compose feature's variable: {readme}"
        );
        assert!(readme.contains("build: maven, database: postgres, flavour: vanilla"), "{readme}");
        assert!(text(&plan, "docker-compose.yml").starts_with("services: demo\n"));
        assert_eq!(text(&plan, "pom.txt"), "maven build\n");
        assert!(
            text(&plan, "pyproject.toml").contains("\"asyncpg==0.32.0\""),
            "a feature's dependency reaches the manifest"
        );
        assert_eq!(plan.build.dependencies.len(), 1);
        let answers = Answers::parse(text(&plan, ANSWERS_FILE)).expect("answers");
        assert_eq!(answers.features, ["compose", "docker", "postgres"]);
        assert_eq!(answers.options["build"], "maven");
        assert_eq!(answers.options["license"], "none", "the default is recorded, so it is chosen again");
        assert!(plan.file(".env.example").is_some() && plan.file(".env").is_none());
        assert!(plan.file("LICENSE").is_none(), "no LICENSE unless one is chosen");
        assert!(text(&plan, "CHANGELOG.md").contains("## [Unreleased]"), "every stack gets the common templates");

        let plain = registry
            .plan(&registry.spec(&input("demo", "fake", &[], &[])).expect("valid"), Secrets::Fresh)
            .expect("plan");
        assert!(plain.file("docker-compose.yml").is_none() && plain.file("pom.txt").is_none());
        assert!(text(&plain, ".env").contains("JWT_SECRET="), "fresh secrets");
    }

    #[test]
    fn a_chosen_license_writes_its_text_and_its_spdx_id_from_the_answers_alone() {
        let registry = registry();
        let options = [("license", "mit"), ("license-holder", "Acme Ltd"), ("license-year", "2026")];
        let spec = registry.spec(&input("demo", "fake", &[], &options)).expect("valid");
        let plan = registry.plan(&spec, Secrets::ExampleOnly).expect("plan");
        let license = text(&plan, "LICENSE");
        assert!(license.starts_with("MIT License\n\nCopyright (c) 2026 Acme Ltd\n"), "{license}");
        assert!(text(&plan, "pyproject.toml").contains("license = \"MIT\""));
        let again = registry.spec(&input("demo", "fake", &[], &[("license", "apache-2.0")])).expect("valid");
        let apache = registry.plan(&again, Secrets::ExampleOnly).expect("plan");
        let license = text(&apache, "LICENSE");
        assert!(license.contains("Apache License\n                           Version 2.0, January 2004"), "{license}");
        assert!(license.contains("   Copyright the demo authors\n"), "no year unless given: {license}");
        assert!(text(&apache, "pyproject.toml").contains("license = \"Apache-2.0\""));
        // The answers file alone gives the same LICENSE again: no date is read while generating.
        let answers = Answers::parse(text(&plan, ANSWERS_FILE)).expect("answers");
        assert_eq!(answers.options["license-year"], "2026");
        let replay = registry.spec(&input("demo", "fake", &[], &options)).expect("valid");
        assert_eq!(registry.plan(&replay, Secrets::ExampleOnly).expect("plan").files, plan.files);
    }

    #[test]
    fn the_fake_stack_passes_the_test_kit() {
        crate::testing::assert_stack(&FAKE_GENERATOR);
    }

    #[test]
    fn plan_refuses_an_env_file_git_would_commit() {
        let registry = registry();
        let spec = registry.spec(&input("forgets-env", "fake", &[], &[])).expect("valid");
        let err = registry.plan(&spec, Secrets::Fresh).expect_err("refused");
        assert!(matches!(err, GenerateError::EnvNotIgnored { stack: "fake" }), "{err}");
    }
}
