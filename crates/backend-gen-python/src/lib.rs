//! backend-gen's Python stack: a uv project serving the contract with FastAPI, pydantic v2,
//! SQLAlchemy 2 (async) and Alembic, checked by ruff, mypy --strict and pytest.

mod pins;
mod pyproject;

use std::collections::BTreeMap;

use backend_gen_core::contract::{self, CONTRACT, Contract, EnvVar};
use backend_gen_core::feature::{Feature, shared};
use backend_gen_core::name::ProjectName;
use backend_gen_core::render::Renderer;
use backend_gen_core::template::TemplateSet;
use backend_gen_core::{Command, GenerateError, Generator, ProjectPlan, ProjectSpec, RelPath, StackInfo, Verification};
use include_dir::{Dir, include_dir};
use serde::Serialize;

/// Templates and pinned versions, embedded so an installed binary works from any folder.
static FILES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../generators/python");

/// The `[tool.*]` tables of the generated `pyproject.toml`, as a template.
const TOOL_CONFIG: &str = "pyproject.tools.toml.hbs";

const DEFAULT_PORT: u16 = 8000;
const DATABASE_EXAMPLE: &str = "sqlite+aiosqlite:///./data/app.db";

static INFO: StackInfo = StackInfo {
    id: "python",
    summary: "uv + FastAPI + pydantic v2 + SQLAlchemy/Alembic; ruff, mypy --strict, pytest",
    features: &[shared::DOCKER, shared::GITHUB_ACTIONS, shared::COMPOSE],
    options: &[],
    reserved_names: pins::IMPORT_NAMES,
    verification: Verification {
        install: Command { name: "uv sync", program: "uv", args: &["sync", "--no-python-downloads"] },
        checks: &[
            Command { name: "ruff check", program: "uv", args: &["run", "--no-sync", "ruff", "check", "."] },
            Command {
                name: "ruff format",
                program: "uv",
                args: &["run", "--no-sync", "ruff", "format", "--check", "."],
            },
            Command {
                name: "mypy --strict",
                program: "uv",
                args: &["run", "--no-sync", "mypy", "--strict", "src", "tests"],
            },
            Command { name: "pytest", program: "uv", args: &["run", "--no-sync", "pytest"] },
        ],
        // The script itself, not `uv run`, so stopping the process stops the server.
        serve: Command { name: "serve", program: ".venv/bin/{kebab}", args: &[] },
    },
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
}

fn embedded(path: &str) -> Result<&'static str, GenerateError> {
    FILES.get_file(path).and_then(|f| f.contents_utf8()).ok_or_else(|| GenerateError::Data {
        file: path.to_owned(),
        message: "missing from generators/python".to_owned(),
    })
}
