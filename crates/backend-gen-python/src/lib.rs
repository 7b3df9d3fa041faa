//! backend-gen's Python stack: a uv project serving the contract with FastAPI, pydantic v2,
//! SQLAlchemy 2 (async) and Alembic, checked by ruff, mypy --strict and pytest.

mod pins;
mod pyproject;
mod verification;

use std::collections::BTreeMap;

use backend_gen_core::contract::{self, CONTRACT, Contract, EnvVar, openapi};
use backend_gen_core::feature::{Feature, shared};
use backend_gen_core::name::ProjectName;
use backend_gen_core::render::Renderer;
use backend_gen_core::template::TemplateSet;
use backend_gen_core::verification::Verification;
use backend_gen_core::{GenerateError, Generator, ProjectPlan, ProjectSpec, RelPath, StackInfo};
use include_dir::{Dir, include_dir};
use serde::Serialize;

/// Templates and pinned versions, embedded so an installed binary works from any folder.
static FILES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../generators/python");

/// The `[tool.*]` tables of the generated `pyproject.toml`, as a template.
const TOOL_CONFIG: &str = "pyproject.tools.toml.hbs";

const DEFAULT_PORT: u16 = 8000;
/// The version of a freshly generated project, in its manifest and its OpenAPI document.
const PROJECT_VERSION: &str = "0.1.0";
const DATABASE_EXAMPLE: &str = "sqlite+aiosqlite:///./data/app.db";

static INFO: StackInfo = StackInfo {
    id: "python",
    summary: "uv + FastAPI + pydantic v2 + SQLAlchemy/Alembic; ruff, mypy --strict, pytest",
    features: &[shared::DOCKER, shared::GITHUB_ACTIONS, shared::COMPOSE],
    options: &[],
    reserved_names: pins::IMPORT_NAMES,
};

/// The Python stack's generator.
#[derive(Debug, Clone, Copy, Default)]
pub struct PythonGenerator;

/// Everything a Python template can refer to.
#[derive(Debug, Serialize)]
struct Context<'a> {
    project: &'a ProjectName,
    /// Every feature of the stack, enabled or not, by id with `-` written `_` (`features.github_actions`).
    features: BTreeMap<String, bool>,
    contract: &'static Contract,
    env: &'a [EnvVar],
    port: u16,
    database_url: &'static str,
    /// The contract's OpenAPI document, which the project's own tests compare the served one with.
    contract_openapi: String,
    /// The versions of tools the templates name outside the manifest (Dockerfile, CI).
    tools: BTreeMap<String, String>,
}

impl Generator for PythonGenerator {
    fn info(&self) -> &'static StackInfo {
        &INFO
    }

    fn plan(&self, spec: &ProjectSpec) -> Result<ProjectPlan, GenerateError> {
        let pins = pins::Pins::load(&FILES)?;
        let mut plan = ProjectPlan {
            dependencies: pins.dependencies.clone(),
            environment: contract::environment(DEFAULT_PORT, DATABASE_EXAMPLE, &spec.name.kebab),
            ..ProjectPlan::default()
        };
        if spec.has(shared::COMPOSE.id) {
            plan.environment.push(contract::compose_database_password());
        }
        let context = Context {
            project: &spec.name,
            features: INFO.features.iter().map(|f: &Feature| (f.id.replace('-', "_"), spec.has(f.id))).collect(),
            contract: &CONTRACT,
            env: &plan.environment,
            port: DEFAULT_PORT,
            database_url: DATABASE_EXAMPLE,
            contract_openapi: serde_json::to_string_pretty(&openapi::document(&spec.name.title, PROJECT_VERSION))
                .unwrap_or_default(),
            tools: pins.tools.clone(),
        };
        let renderer = Renderer::new();
        let templates = TemplateSet::new(&FILES, &spec.features).with_placeholder("__package__", &spec.name.snake);
        let files = templates.render(&renderer, &context)?;
        let tool_config = renderer.render(TOOL_CONFIG, embedded(TOOL_CONFIG)?, &context)?;
        for (path, file) in files {
            plan.add_file(path, file.contents, file.executable)?;
        }
        let manifest = pyproject::render(spec, &plan.dependencies, &pins.build_system, &tool_config)?;
        plan.add_file(RelPath::new("pyproject.toml")?, manifest, false)?;
        Ok(plan)
    }

    fn next_steps(&self, spec: &ProjectSpec) -> Vec<String> {
        vec!["uv sync".to_owned(), "uv run pytest".to_owned(), format!("uv run {}", spec.name.kebab)]
    }

    fn verification(&self, spec: &ProjectSpec) -> Verification {
        verification::verification(spec)
    }
}

fn embedded(path: &str) -> Result<&'static str, GenerateError> {
    FILES.get_file(path).and_then(|f| f.contents_utf8()).ok_or_else(|| GenerateError::Data {
        file: path.to_owned(),
        message: "missing from generators/python".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use backend_gen_core::feature::FeatureRequest;
    use backend_gen_core::{Registry, Scope, Secrets, SpecInput};

    use super::*;

    fn plan(name: &str, features: &[&str], default_features: bool) -> ProjectPlan {
        let registry = Registry::new(vec![&PythonGenerator]);
        let input = SpecInput {
            name: name.to_owned(),
            stack: "python".to_owned(),
            features: FeatureRequest { features: features.iter().map(|f| (*f).to_owned()).collect(), default_features },
            options: BTreeMap::new(),
        };
        let spec = registry.spec(&input).expect("valid spec");
        registry.plan(&spec, Secrets::Omit).expect("plan")
    }

    fn text<'p>(plan: &'p ProjectPlan, path: &str) -> &'p str {
        &plan.file(path).unwrap_or_else(|| panic!("`{path}` is not in the plan")).contents
    }

    #[test]
    fn every_identifier_lands_where_its_ecosystem_wants_it() {
        let plan = plan("My-Service.v2", &[], true);
        assert!(plan.file("src/my_service_v2/app.py").is_some());
        let manifest = text(&plan, "pyproject.toml");
        assert!(manifest.contains("name = \"my-service-v2\""), "{manifest}");
        assert!(manifest.contains("my-service-v2 = \"my_service_v2.__main__:main\""), "{manifest}");
        assert!(text(&plan, "src/my_service_v2/settings.py").contains("PROJECT_NAME = \"my-service-v2\""));
        assert!(text(&plan, "src/my_service_v2/app.py").contains("TITLE = \"My Service V2\""));
    }

    #[test]
    fn the_build_model_holds_exact_pins_in_their_scopes() {
        let plan = plan("demo", &[], true);
        let runtime: Vec<_> = plan.dependencies(Scope::Runtime).map(|d| d.name.as_str()).collect();
        let dev: Vec<_> = plan.dependencies(Scope::Dev).map(|d| d.name.as_str()).collect();
        assert!(runtime.contains(&"fastapi") && runtime.contains(&"alembic") && !runtime.contains(&"pytest"));
        assert!(dev.contains(&"pytest") && dev.contains(&"mypy") && !dev.contains(&"fastapi"));
        let manifest = text(&plan, "pyproject.toml");
        for dependency in &plan.dependencies {
            assert!(
                manifest.contains(&format!("=={}\"", dependency.version)),
                "{} is not pinned exactly",
                dependency.name
            );
        }
        assert!(manifest.contains("requires-python = \">=3.11\""));
    }

    #[test]
    fn features_add_their_files_and_nothing_else() {
        let defaults = plan("demo", &[], true);
        assert!(defaults.file("Dockerfile").is_some() && defaults.file(".github/workflows/ci.yml").is_some());
        assert!(defaults.file("docker-compose.yml").is_none());

        let bare = plan("demo", &[], false);
        assert!(bare.file("Dockerfile").is_none() && bare.file(".dockerignore").is_none());
        assert!(bare.file(".github/workflows/ci.yml").is_none());
        assert!(!text(&bare, "README.md").contains("docker build"));

        let compose = plan("demo", &["compose"], false);
        assert!(compose.file("Dockerfile").is_some(), "compose requires docker");
        assert!(text(&compose, "docker-compose.yml").contains("${POSTGRES_PASSWORD:?"));
        assert!(text(&compose, ".env.example").contains("POSTGRES_PASSWORD="));
    }

    #[test]
    fn contract_values_reach_the_code() {
        let plan = plan("demo", &[], true);
        let contract = text(&plan, "src/demo/contract.py");
        for header in CONTRACT.security_headers {
            assert!(contract.contains(&format!("\"{}\": \"{}\"", header.name, header.value)), "{}", header.name);
        }
        assert!(contract.contains(&format!("PLACEHOLDER_JWT_SECRET: Final = \"{}\"", CONTRACT.jwt.secret_placeholder)));
        assert!(text(&plan, ".env.example").contains(&format!("JWT_SECRET={}", CONTRACT.jwt.secret_placeholder)));
        assert!(text(&plan, ".gitignore").lines().any(|l| l == ".env"), ".env must be git-ignored");
    }

    #[test]
    fn every_feature_combination_renders_completely() {
        let ids: Vec<_> = INFO.features.iter().map(|f| f.id).collect();
        for mask in 0..(1u32 << ids.len()) {
            let chosen: Vec<_> =
                ids.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, id)| *id).collect();
            let plan = plan("demo", &chosen, false);
            for (path, file) in &plan.files {
                assert!(!file.contents.contains("{{"), "{chosen:?}: `{path}` still holds template syntax");
            }
            let manifest = text(&plan, "pyproject.toml");
            assert!(manifest.parse::<toml_edit::DocumentMut>().is_ok(), "{chosen:?}: pyproject.toml is not TOML");
        }
    }
}
