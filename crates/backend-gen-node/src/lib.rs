//! backend-gen's Node stack: a Fastify 5 + TypeScript (strict, ESM) service serving the contract,
//! with zod schemas (validation, types and OpenAPI from one schema), Kysely over node:sqlite or
//! PostgreSQL, jose for JWTs, pino logs; checked by Biome, tsc and vitest.
//!
//! Choices, and why:
//! - zod 4 with fastify-type-provider-zod rather than TypeBox: one schema also normalises input
//!   (`trim()` before the length check, as the contract counts a name "after trimming"), refines
//!   (no NUL) with a message per field, and is what most TypeScript teams already write; its JSON
//!   Schema feeds @fastify/swagger. The price: a nullable scalar comes out as `type: [x, "null"]`,
//!   rewritten to the contract's `anyOf` in `app.ts`.
//! - Kysely rather than Drizzle: its SQLite dialect takes any synchronous driver, so Node's built-in
//!   `node:sqlite` serves (no native build; better-sqlite3 compiles for minutes here), and its
//!   migrator takes PostgreSQL's advisory lock; one migration history takes the dialect.
//! - Headers, CORS and the rate limit are hooks of `platform/http.ts` rather than @fastify/helmet,
//!   @fastify/cors and @fastify/rate-limit: the contract's exact values (no CORS header at all for
//!   another origin, RateLimit headers on API errors, 405 with `Allow`) took fewer lines than the
//!   plugins' overrides, and three fewer shipped dependencies.

mod bench;
mod pins;
mod resolved;
mod verification;

use std::time::Duration;

use backend_gen_core::build::{BuildTool, Extension};
use backend_gen_core::feature::shared;
use backend_gen_core::name::Identifier;
use backend_gen_core::verification::{BareTwin, Step, Verification};
use backend_gen_core::words::NODE_RESERVED;
use backend_gen_core::{GenerateError, Generator, IdentifierRule, Lockfile, PlanBuilder, ProjectSpec, StackInfo};
use include_dir::{Dir, include_dir};

/// Templates and pinned versions, embedded so an installed binary works from any folder.
static FILES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../generators/node");

static INFO: StackInfo = StackInfo {
    id: "node",
    summary: "Fastify 5 + TypeScript (strict, ESM) + zod + Kysely (node:sqlite/PostgreSQL); Biome, tsc, vitest",
    features: &[shared::DOCKER, shared::GITHUB_ACTIONS, shared::COMPOSE],
    groups: &[],
    options: &[],
    identifiers: &[
        IdentifierRule {
            ecosystem: "npm",
            identifier: Identifier::Kebab,
            reserved: NODE_RESERVED,
            why: "a Node.js core module (or a name npm refuses) it would shadow",
        },
        IdentifierRule {
            ecosystem: "npm",
            identifier: Identifier::Snake,
            reserved: &["node_modules"],
            why: "the folder npm installs into, which a project folder must not be",
        },
        IdentifierRule {
            ecosystem: "npm",
            identifier: Identifier::Kebab,
            reserved: resolved::PACKAGES,
            why: "a package in the generated Node project's dependency tree, which it would shadow",
        },
    ],
    templates: &FILES,
    port: 3000,
    database_example: "sqlite:./data/app.db",
};

/// The npm scripts of every generated project: the README and CI name them.
const SCRIPTS: &[(&str, &str)] = &[
    ("dev", "tsx watch src/main.ts"),
    ("build", "tsc -p tsconfig.build.json"),
    ("start", "node dist/main.js"),
    ("test", "vitest run --coverage"),
    ("test:watch", "vitest"),
    ("lint", "biome check ."),
    ("format", "biome format --write ."),
    ("typecheck", "tsc --noEmit -p tsconfig.json"),
    ("migrate", "tsx src/migrate.ts"),
    ("token", "tsx src/token.ts"),
    ("init-env", "tsx src/init-env.ts"),
];

/// The Node stack's generator.
#[derive(Debug, Clone, Copy, Default)]
pub struct NodeGenerator;

impl Generator for NodeGenerator {
    fn info(&self) -> &'static StackInfo {
        &INFO
    }

    fn contribute(&self, _: &ProjectSpec, plan: &mut PlanBuilder) -> Result<(), GenerateError> {
        let pins = pins::Pins::load(&FILES)?;
        let build = &mut plan.build;
        build.runtime = Some(pins.engines.clone());
        build.dependencies.extend(pins.dependencies);
        build.scripts.extend(SCRIPTS.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        build.extensions.push(Extension { tool: BuildTool::Npm, text: r#"{"type": "module"}"#.to_owned() });
        plan.build_tool = Some(BuildTool::Npm);
        plan.set_context("tools", &pins.tools)
    }

    fn lockfile(&self, _: &ProjectSpec) -> Option<Lockfile> {
        // `contribute` has already failed on pins that do not load: nothing is left to lock then.
        let pins = pins::Pins::load(&FILES).ok()?;
        // Resolves from the registry without installing or running any package's scripts.
        // package.json allows caret ranges; naming each package at its verified version
        // (`fastify@5.12.8`) makes npm lock exactly that version and keep package.json as written
        // (the same `^` range, in the same map), so `npm ci` accepts the lock and `npm update` can
        // later move within the ranges. The save flags override a user's `save-exact`.
        let mut args: Vec<String> = [
            "install",
            "--package-lock-only",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--save-prefix=^",
            "--save-exact=false",
        ]
        .map(str::to_owned)
        .to_vec();
        args.extend(pins.verified().into_iter().map(|(name, version)| format!("{name}@{version}")));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let step = Step::new("npm install --package-lock-only", "npm", &args, Duration::from_secs(180));
        Some(Lockfile { path: "package-lock.json", step })
    }

    fn next_steps(&self, _: &ProjectSpec, locked: bool) -> Vec<String> {
        // `npm ci` refuses to run without package-lock.json; `npm install` resolves and writes it.
        let install = if locked { "npm ci" } else { "npm install" };
        [install, "npm test", "npm run dev"].map(str::to_owned).to_vec()
    }

    fn verification(&self, spec: &ProjectSpec) -> Verification {
        // Pins that do not load leave the lock check nothing to compare, which it reports as a failure.
        let pins = pins::Pins::load(&FILES).ok();
        let locked = pins.as_ref().map(pins::Pins::verified).unwrap_or_default();
        let pre_commit = pins.as_ref().and_then(|p| p.tools.get("pre_commit")).map_or("", String::as_str);
        verification::verification(spec, &locked, pre_commit)
    }

    fn bare_twin(&self, _: &ProjectSpec) -> Option<BareTwin> {
        Some(bench::bare_twin())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use backend_gen_core::build::Version;
    use backend_gen_core::contract::CONTRACT;
    use backend_gen_core::feature::FeatureRequest;
    use backend_gen_core::{ProjectPlan, Registry, SpecInput};

    use backend_gen_core::testing::{self, text};

    use super::*;

    fn input(name: &str, features: &[&str], default_features: bool) -> SpecInput {
        SpecInput {
            name: name.to_owned(),
            stack: "node".to_owned(),
            features: FeatureRequest { features: features.iter().map(|f| (*f).to_owned()).collect(), default_features },
            options: BTreeMap::new(),
        }
    }

    fn plan(name: &str, features: &[&str], default_features: bool) -> ProjectPlan {
        testing::plan(&NodeGenerator, name, features, default_features)
    }

    #[test]
    fn the_package_name_and_title_come_from_the_project_name() {
        let plan = plan("My-Service.v2", &[], true);
        let manifest: serde_json::Value = serde_json::from_str(text(&plan, "package.json")).expect("JSON");
        assert_eq!(manifest["name"], "my-service-v2");
        let contract = text(&plan, "src/platform/contract.ts");
        assert!(contract.contains("export const PROJECT_NAME = \"my-service-v2\";"), "{contract}");
        assert!(contract.contains("export const PROJECT_TITLE = \"My Service V2\";"), "{contract}");
    }

    #[test]
    fn names_that_shadow_a_core_module_or_a_dependency_are_refused() {
        let registry = Registry::new(vec![&NodeGenerator]).expect("valid stack");
        for name in ["fs", "http", "fastify", "zod", "kysely", "pino", "vitest"] {
            let err = registry.spec(&input(name, &[], true)).expect_err(name);
            assert!(err.to_string().contains(name), "{err}");
        }
        assert!(registry.spec(&input("orders", &[], true)).is_ok());
    }

    #[test]
    fn the_resolved_tree_lists_every_unscoped_pin() {
        let plan = plan("demo", &[], true);
        for dependency in &plan.build.dependencies {
            let name = dependency.coordinates.name.as_str();
            assert!(name.starts_with('@') || resolved::PACKAGES.contains(&name), "`{name}` missing from resolved.rs");
        }
    }

    #[test]
    fn the_manifest_holds_every_pin_of_the_build_model_where_its_scope_says() {
        let plan = plan("demo", &[], true);
        let manifest: serde_json::Value = serde_json::from_str(text(&plan, "package.json")).expect("JSON");
        assert_eq!(manifest["type"], "module");
        assert_eq!(manifest["engines"]["node"], ">=22");
        for script in ["dev", "build", "start", "test", "lint", "format", "typecheck"] {
            assert!(manifest["scripts"][script].is_string(), "script `{script}`");
        }
        let mut count = 0;
        for dependency in &plan.build.dependencies {
            // A caret range from the verified version: a team upgrades within it (`npm update`).
            let Version::Compatible(version) = &dependency.version else { panic!("{dependency:?} is not compatible") };
            let map = if dependency.scope.is_shipped() { "dependencies" } else { "devDependencies" };
            assert_eq!(manifest[map][&dependency.coordinates.name], format!("^{version}"), "{dependency:?}");
            count += 1;
        }
        let listed = |key: &str| manifest[key].as_object().map_or(0, serde_json::Map::len);
        assert_eq!(listed("dependencies") + listed("devDependencies"), count, "nothing but the model");
    }

    #[test]
    fn the_bare_twin_imports_the_sqlite_adapter_the_project_builds() {
        // CI's bench-service smoke runs the Python stack only: this is what keeps the Node twin's
        // import in step with the generated project's module and export.
        let spec = testing::spec(&NodeGenerator, "demo", &[], true);
        let twin = NodeGenerator.bare_twin(&spec).expect("the Node stack ships a twin");
        let (_, app) = &twin.files[0];
        assert!(app.contains(r#""dist/db/database.js""#) && app.contains("{ openSqlite }"), "{app}");
        let plan = plan("demo", &[], true);
        assert!(text(&plan, "src/db/database.ts").contains("export function openSqlite("));
        let build: serde_json::Value = serde_json::from_str(text(&plan, "tsconfig.build.json")).expect("JSON");
        assert_eq!(build["compilerOptions"]["rootDir"], "src", "src/db/database.ts builds to dist/db/database.js");
        assert_eq!(build["compilerOptions"]["outDir"], "dist");
    }

    #[test]
    fn the_image_runs_as_the_node_user_with_a_health_check() {
        let plan = plan("demo", &["docker"], false);
        let dockerfile = text(&plan, "Dockerfile");
        assert!(dockerfile.contains("USER 1000:1000"), "the image's non-root node user");
        assert!(dockerfile.contains("HEALTHCHECK"));
    }

    #[test]
    fn contract_values_reach_the_code() {
        let plan = plan("demo", &[], true);
        let contract = text(&plan, "src/platform/contract.ts");
        for header in CONTRACT.security_headers {
            assert!(contract.contains(&format!("  \"{}\": \"{}\",", header.name, header.value)), "{}", header.name);
        }
        assert!(contract.contains(&format!("PLACEHOLDER_JWT_SECRET = \"{}\";", CONTRACT.jwt.secret_placeholder)));
        assert!(contract.contains(&format!("ITEMS_PATH = \"{}\";", CONTRACT.paths.items)));
        assert!(text(&plan, ".env.example").contains(&format!("JWT_SECRET={}", CONTRACT.jwt.secret_placeholder)));
        assert!(text(&plan, ".env.example").contains("DATABASE_URL=sqlite:./data/app.db"));
        assert!(text(&plan, ".gitignore").lines().any(|l| l == ".env"), ".env must be git-ignored");
        let normal: serde_json::Value =
            serde_json::from_str(text(&plan, "test/contract_openapi.normal.json")).expect("the normal form is JSON");
        assert!(normal["operations"]["GET /api/v1/items"].is_object());
    }

    #[test]
    fn the_lockfile_takes_every_pin_exactly_without_running_scripts() {
        let spec = Registry::new(vec![&NodeGenerator]).expect("valid").spec(&input("demo", &[], true)).expect("spec");
        let lock = NodeGenerator.lockfile(&spec).expect("a lockfile");
        assert_eq!(lock.path, "package-lock.json");
        assert_eq!(lock.step.program, "npm");
        for flag in ["--package-lock-only", "--ignore-scripts", "--save-prefix=^", "--save-exact=false"] {
            assert!(lock.step.args.iter().any(|a| a == flag), "{flag}");
        }
        let plan = plan("demo", &[], true);
        let named: Vec<&String> = lock.step.args.iter().filter(|a| !a.starts_with('-') && *a != "install").collect();
        let expected: Vec<String> = plan
            .build
            .dependencies
            .iter()
            .map(|d| format!("{}@{}", d.coordinates, d.verified_version().expect("one version")))
            .collect();
        assert_eq!(named, expected.iter().collect::<Vec<_>>(), "each package named at its verified version");
    }

    #[test]
    fn verification_checks_the_lock_and_the_coverage_floor_then_serves_the_built_output() {
        let spec = Registry::new(vec![&NodeGenerator]).expect("valid").spec(&input("demo", &[], true)).expect("spec");
        let verification = NodeGenerator.verification(&spec);
        let steps = &verification.chains[0].steps;
        let names: Vec<_> = steps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "npm ci",
                "package-lock.json holds the pins",
                "biome check",
                "tsc --noEmit",
                "vitest one file",
                "npm test",
                "npm test enforces the floor",
                "build",
                "pre-commit hooks"
            ]
        );
        let check = &steps[1];
        assert!(check.args.iter().any(|a| a.starts_with("fastify=")), "{:?}", check.args);
        assert!(!steps[4].args.iter().any(|a| a == "--coverage"), "one file runs without the floor");
        assert!(verification.serve.step.args.iter().any(|a| a.contains("exec node dist/main.js")));
    }

    #[test]
    fn dependabot_and_the_hooks_cover_what_the_project_has() {
        let plan = plan("demo", &["compose"], true);
        let dependabot = text(&plan, ".github/dependabot.yml");
        for ecosystem in ["npm", "github-actions", "docker", "docker-compose"] {
            assert!(dependabot.contains(&format!("- package-ecosystem: {ecosystem}\n")), "{ecosystem}:\n{dependabot}");
        }
        let hooks = text(&plan, ".pre-commit-config.yaml");
        assert!(hooks.contains("- repo: local") && !hooks.contains("rev:"), "local hooks, nothing fetched");
        assert!(hooks.contains("npx --no-install biome check") && hooks.contains("npx --no-install tsc --noEmit"));
        let manifest: serde_json::Value = serde_json::from_str(text(&plan, "package.json")).expect("JSON");
        for task in ["dev", "test", "lint", "format", "typecheck", "migrate", "token"] {
            assert!(manifest["scripts"][task].is_string(), "the task `{task}` the Python Makefile has too");
        }
        assert!(!manifest["scripts"]["test:watch"].as_str().unwrap_or_default().contains("--coverage"));
    }

    #[test]
    fn passes_the_core_test_kit() {
        backend_gen_core::testing::assert_stack(&NodeGenerator);
    }
}
