//! backend-gen's Python stack: a uv project serving the contract with FastAPI, pydantic v2,
//! SQLAlchemy 2 (async) and Alembic, checked by ruff, mypy --strict and pytest.

mod bench;
mod pins;
mod resolved;
mod verification;
mod words;

use std::time::Duration;

use backend_gen_core::build::{BuildTool, Extension};
use backend_gen_core::feature::shared;
use backend_gen_core::name::Identifier;
use backend_gen_core::render::Renderer;
use backend_gen_core::verification::{BareTwin, Step, Verification};
use backend_gen_core::{GenerateError, Generator, IdentifierRule, Lockfile, PlanBuilder, ProjectSpec, StackInfo};
use include_dir::{Dir, include_dir};

/// Templates and pinned versions, embedded so an installed binary works from any folder.
static FILES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../generators/python");

/// The `[tool.*]` tables of the generated `pyproject.toml`, as a template.
const TOOL_CONFIG: &str = "pyproject.tools.toml.hbs";

static INFO: StackInfo = StackInfo {
    id: "python",
    summary: "uv + FastAPI + pydantic v2 + SQLAlchemy/Alembic; ruff, mypy --strict, pytest",
    features: &[shared::DOCKER, shared::GITHUB_ACTIONS, shared::COMPOSE],
    groups: &[],
    options: &[],
    identifiers: &[
        IdentifierRule {
            ecosystem: "Python",
            identifier: Identifier::Snake,
            reserved: words::PYTHON_KEYWORDS,
            why: "a Python keyword",
        },
        IdentifierRule {
            ecosystem: "Python",
            identifier: Identifier::Snake,
            reserved: words::PYTHON_STDLIB,
            why: "a Python standard-library module it would shadow",
        },
        IdentifierRule {
            ecosystem: "Python",
            identifier: Identifier::Snake,
            reserved: resolved::IMPORTS,
            why: "the import name of a package in the generated project's dependency tree, which it would shadow",
        },
        IdentifierRule {
            ecosystem: "Python",
            identifier: Identifier::Snake,
            reserved: &["tests"],
            why: "the generated project's own test package, which its package would collide with",
        },
        IdentifierRule {
            ecosystem: "PyPI",
            identifier: Identifier::Kebab,
            reserved: resolved::DISTRIBUTIONS,
            why: "a package in the generated project's dependency tree",
        },
    ],
    templates: &FILES,
    port: 8000,
    database_example: "sqlite+aiosqlite:///./data/app.db",
};

/// The Python stack's generator.
#[derive(Debug, Clone, Copy, Default)]
pub struct PythonGenerator;

impl Generator for PythonGenerator {
    fn info(&self) -> &'static StackInfo {
        &INFO
    }

    fn contribute(&self, spec: &ProjectSpec, plan: &mut PlanBuilder) -> Result<(), GenerateError> {
        let pins = pins::Pins::load(&FILES)?;
        let name = &spec.name;
        let build = &mut plan.build;
        // uv cannot download other Pythons on the machines that verify it: 3.11 is what is proved.
        build.runtime = Some(">=3.11".to_owned());
        build.dependencies.extend(pins.for_spec(spec));
        build.plugins.push(pins.backend);
        build.scripts.insert(name.kebab.clone(), format!("{}.__main__:main", name.snake));
        let tools = embedded(TOOL_CONFIG)?;
        let tool_config = Renderer::new().render(TOOL_CONFIG, tools, &serde_json::json!({ "project": name }))?;
        build.extensions.push(Extension { tool: BuildTool::Pyproject, text: tool_config });
        plan.build_tool = Some(BuildTool::Pyproject);
        plan.placeholder("__package__", &name.snake);
        plan.set_context("tools", &pins.tools)
    }

    fn lockfile(&self, spec: &ProjectSpec) -> Option<Lockfile> {
        // `contribute` has already failed on pins that do not load: nothing is left to lock then.
        let pins = pins::Pins::load(&FILES).ok()?;
        // uv resolves for every platform and Python the project allows: the lock needs no interpreter.
        // pyproject.toml allows compatible ranges; `--upgrade-package name==version` makes this one
        // lock take each verified version exactly, without a constraint that would outlive the run
        // (uv records `constraint-dependencies` in uv.lock, so `uv lock --upgrade` could never move).
        let mut args = vec!["lock".to_owned(), "--quiet".to_owned(), "--no-python-downloads".to_owned()];
        for (name, version) in pins::verified(&pins.for_spec(spec)) {
            args.extend(["--upgrade-package".to_owned(), format!("{name}=={version}")]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let step = Step::new("uv lock", "uv", &args, Duration::from_secs(180));
        Some(Lockfile { path: "uv.lock", step })
    }

    fn next_steps(&self, _: &ProjectSpec, locked: bool) -> Vec<String> {
        // `make install` is `uv sync --locked`; without uv.lock, `uv sync` resolves and writes one.
        let install = if locked { "make install" } else { "uv sync" };
        [install, "make check", "make dev"].map(str::to_owned).to_vec()
    }

    fn verification(&self, spec: &ProjectSpec) -> Verification {
        // Pins that do not load leave the lock check nothing to compare, which it reports as a failure.
        let pins = pins::Pins::load(&FILES).ok();
        let locked = pins.as_ref().map(|p| pins::verified(&p.for_spec(spec))).unwrap_or_default();
        let pre_commit = pins.as_ref().and_then(|p| p.tools.get("pre_commit")).map_or("", String::as_str);
        verification::verification(spec, &locked, pre_commit)
    }

    fn bare_twin(&self, spec: &ProjectSpec) -> Option<BareTwin> {
        Some(bench::bare_twin(&spec.name.snake))
    }
}

fn embedded(path: &str) -> Result<&'static str, GenerateError> {
    backend_gen_core::template::embedded_text(&FILES, path)
}

#[cfg(test)]
mod tests {
    use backend_gen_core::ProjectPlan;
    use backend_gen_core::build::Version;
    use backend_gen_core::contract::CONTRACT;

    use backend_gen_core::testing::{self, text};

    use super::*;

    fn plan(name: &str, features: &[&str], default_features: bool) -> ProjectPlan {
        testing::plan(&PythonGenerator, name, features, default_features)
    }

    #[test]
    fn every_identifier_lands_where_its_ecosystem_wants_it() {
        let plan = plan("My-Service.v2", &[], true);
        assert!(plan.file("src/my_service_v2/app.py").is_some());
        let manifest = text(&plan, "pyproject.toml");
        assert!(manifest.contains("name = \"my-service-v2\""), "{manifest}");
        assert!(manifest.contains("my-service-v2 = \"my_service_v2.__main__:main\""), "{manifest}");
        assert!(text(&plan, "src/my_service_v2/platform/settings.py").contains("PROJECT_NAME = \"my-service-v2\""));
        assert!(text(&plan, "src/my_service_v2/app.py").contains("TITLE = \"My Service V2\""));
    }

    #[test]
    fn the_bare_twin_imports_the_engine_of_the_package_it_is_benchmarked_against() {
        let spec = testing::spec(&PythonGenerator, "My-Service.v2", &[], true);
        let twin = PythonGenerator.bare_twin(&spec).expect("the Python stack ships a twin");
        assert!(twin.serve.env.contains(&("PROJECT_PACKAGE".to_owned(), "my_service_v2".to_owned())), "{twin:?}");
        let (_, app) = &twin.files[0];
        assert!(app.contains("os.environ['PROJECT_PACKAGE']}.platform.db"), "{app}");
        assert!(
            text(&plan("My-Service.v2", &[], true), "src/my_service_v2/platform/db.py").contains("def create_engine(")
        );
    }

    #[test]
    fn the_manifest_holds_a_compatible_range_from_every_pin_where_its_scope_says() {
        let plan = plan("demo", &[], true);
        let manifest: toml_edit::DocumentMut = text(&plan, "pyproject.toml").parse().expect("TOML");
        let list = |item: &toml_edit::Item| -> Vec<String> {
            item.as_array().expect("a list").iter().map(|v| v.as_str().expect("a string").to_owned()).collect()
        };
        let shipped = list(&manifest["project"]["dependencies"]);
        let dev = list(&manifest["dependency-groups"]["dev"]);
        // A team upgrades within the range; 0.x versions stop at the next minor, others at the next major.
        assert!(shipped.contains(&"uvicorn[standard]>=0.54.0,<0.55".to_owned()), "{shipped:?}");
        assert!(shipped.iter().any(|r| r.starts_with("pydantic>=2.") && r.ends_with(",<3")), "{shipped:?}");
        for dependency in &plan.build.dependencies {
            let Version::Compatible(version) = &dependency.version else { panic!("{dependency:?} is not compatible") };
            let extras =
                if dependency.extras.is_empty() { String::new() } else { format!("[{}]", dependency.extras.join(",")) };
            let prefix = format!("{}{extras}>={version},<", dependency.coordinates);
            let (here, there) = if dependency.scope.is_shipped() { (&shipped, &dev) } else { (&dev, &shipped) };
            assert!(
                here.iter().any(|r| r.starts_with(&prefix)) && !there.iter().any(|r| r.starts_with(&prefix)),
                "{prefix}"
            );
        }
        assert_eq!(shipped.len() + dev.len(), plan.build.dependencies.len(), "nothing but the model");
        assert_eq!(manifest["project"]["requires-python"].as_str(), Some(">=3.11"));
        assert_eq!(manifest["build-system"]["build-backend"].as_str(), Some("uv_build"));
        let backend = list(&manifest["build-system"]["requires"]);
        assert!(backend[0].starts_with("uv_build>=0.") && backend[0].contains(",<0."), "one minor series: {backend:?}");
    }

    #[test]
    fn the_lockfile_takes_every_pin_exactly_and_records_no_constraint() {
        let plan = plan("demo", &["compose"], true);
        let spec = testing::spec(&PythonGenerator, "demo", &["compose"], true);
        let lock = PythonGenerator.lockfile(&spec).expect("a lockfile");
        assert_eq!((lock.path, lock.step.program.as_str()), ("uv.lock", "uv"));
        let pinned: Vec<String> = lock
            .step
            .args
            .windows(2)
            .filter(|pair| pair[0] == "--upgrade-package")
            .map(|pair| pair[1].clone())
            .collect();
        let expected: Vec<String> = plan
            .build
            .dependencies
            .iter()
            .map(|d| format!("{}=={}", d.coordinates, d.verified_version().expect("one version")))
            .collect();
        assert_eq!(pinned, expected, "one `--upgrade-package name==version` a dependency");
        let manifest = text(&plan, "pyproject.toml");
        assert!(!manifest.contains("constraint"), "nothing that would hold `uv lock --upgrade` back:\n{manifest}");
        let verification = PythonGenerator.verification(&spec);
        let check = verification.chains[0].steps.iter().find(|s| s.name == "uv.lock holds the pins").expect("step");
        assert!(expected.iter().all(|pin| check.args.contains(pin)), "the verify step compares every pin");
    }

    #[test]
    fn only_the_coverage_task_enforces_the_floor_and_ci_runs_it() {
        let plan = plan("demo", &[], true);
        let manifest: toml_edit::DocumentMut = text(&plan, "pyproject.toml").parse().expect("TOML");
        let addopts = manifest["tool"]["pytest"]["ini_options"]["addopts"].as_str().expect("addopts");
        assert!(!addopts.contains("--cov"), "every pytest run would enforce the floor: {addopts}");
        assert!(manifest["tool"]["coverage"]["report"]["fail_under"].as_integer().is_some());
        let makefile = text(&plan, "Makefile");
        let recipe = |task: &str| -> Vec<&str> {
            let start = makefile.find(&format!("\n{task}: ")).unwrap_or_else(|| panic!("task `{task}`:\n{makefile}"));
            makefile[start + 1..].lines().skip(1).take_while(|l| l.starts_with('\t')).collect()
        };
        // The loop while a developer works runs without coverage (Python 3.11's tracer makes the
        // suite about 2.5 times slower); the coverage task runs the whole suite with the floor.
        assert_eq!(recipe("test"), ["\tuv run pytest $(ARGS)"], "{makefile}");
        assert_eq!(recipe("coverage"), ["\tuv run pytest --cov --cov-report=term-missing $(ARGS)"], "{makefile}");
        let check = recipe("check").concat();
        assert!(["--jobs", " lint typecheck test"].iter().all(|part| check.contains(part)), "{check}");
        for task in ["dev", "test", "coverage", "check", "lint", "format", "typecheck", "migrate", "token"] {
            assert!(makefile.lines().any(|l| l.starts_with(&format!("{task}: "))), "task `{task}`:\n{makefile}");
        }
        // The floor cannot be skipped: CI runs the coverage task, and so does verification, which
        // also checks that the task fails on the floor.
        let workflow = text(&plan, ".github/workflows/ci.yml");
        assert!(workflow.contains("run: make coverage\n"), "CI runs the coverage task:\n{workflow}");
        assert!(!workflow.contains("run: make test\n"), "CI would skip the floor:\n{workflow}");
        let spec = testing::spec(&PythonGenerator, "demo", &[], true);
        let verification = PythonGenerator.verification(&spec);
        let steps = &verification.chains[0].steps;
        assert!(steps.iter().any(|s| s.program == "make" && s.args == ["coverage"]), "verify runs the floor");
        let enforced = steps.iter().find(|s| s.name == "make coverage enforces the floor").expect("the floor step");
        assert!(enforced.args.iter().any(|a| a.contains("make coverage ARGS=") && a.contains("not reached")));
    }

    #[test]
    fn contract_values_reach_the_code() {
        let plan = plan("demo", &[], true);
        let contract = text(&plan, "src/demo/platform/contract.py");
        for header in CONTRACT.security_headers {
            assert!(contract.contains(&format!("\"{}\": \"{}\"", header.name, header.value)), "{}", header.name);
        }
        assert!(contract.contains(&format!("PLACEHOLDER_JWT_SECRET: Final = \"{}\"", CONTRACT.jwt.secret_placeholder)));
        assert!(text(&plan, ".env.example").contains(&format!("JWT_SECRET={}", CONTRACT.jwt.secret_placeholder)));
        assert!(text(&plan, ".gitignore").lines().any(|l| l == ".env"), ".env must be git-ignored");
    }

    #[test]
    fn dependabot_and_the_hooks_cover_what_the_project_has() {
        let full = plan("demo", &["compose"], true);
        let dependabot = text(&full, ".github/dependabot.yml");
        for ecosystem in ["uv", "github-actions", "docker", "docker-compose"] {
            assert!(dependabot.contains(&format!("- package-ecosystem: {ecosystem}\n")), "{ecosystem}:\n{dependabot}");
        }
        let bare = plan("demo", &["github-actions"], false);
        let dependabot = text(&bare, ".github/dependabot.yml");
        assert!(!dependabot.contains("docker"), "no image to update without docker:\n{dependabot}");
        let hooks = text(&bare, ".pre-commit-config.yaml");
        assert!(hooks.contains("- repo: local") && !hooks.contains("rev:"), "local hooks, nothing fetched");
        for command in ["uv run ruff check", "uv run ruff format", "uv run mypy --strict"] {
            assert!(hooks.contains(command), "{command}:\n{hooks}");
        }
        let workflow = text(&full, ".github/workflows/ci.yml");
        assert!(workflow.contains("services:\n      # ") && workflow.contains("image: postgres:"), "{workflow}");
        assert!(workflow.contains("DATABASE_URL: postgresql://ci:ci@127.0.0.1:5432/ci"), "{workflow}");
    }

    #[test]
    fn the_readme_recipe_that_verification_follows_is_there() {
        let plan = plan("demo", &[], true);
        let readme = text(&plan, "README.md");
        let recipe = &readme[readme.find("## Add a resource").expect("the section")..];
        for path in ["src/demo/tags/models.py", "src/demo/tags/routes.py", "src/demo/app.py", "tests/test_tags.py"] {
            assert!(recipe.contains(&format!("`{path}`")), "{path}");
        }
        let verification = PythonGenerator.verification(&testing::spec(&PythonGenerator, "demo", &[], true));
        let steps: Vec<_> = verification.chains[0].steps.iter().map(|s| s.name.as_str()).collect();
        assert!(steps.contains(&"add a resource by the README"), "{steps:?}");
    }

    #[test]
    fn passes_the_core_test_kit() {
        backend_gen_core::testing::assert_stack(&PythonGenerator);
    }
}
