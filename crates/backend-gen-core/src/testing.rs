//! The test kit every stack runs in one line (`assert_stack(&MyGenerator)`): what must hold for any
//! stack, checked on its plans, so a new stack cannot forget it (after Initializr's
//! `ProjectGeneratorTester`).

use std::collections::BTreeSet;

use include_dir::Dir;

use crate::feature::{FeatureRequest, shared};
use crate::option::OptionValues;
use crate::plan::ProjectPlan;
use crate::registry::{Registry, Secrets};
use crate::spec::{ProjectSpec, SpecError, SpecInput};
use crate::stack::Generator;

/// The plan of project `name` with `features` (and the defaults when `default_features`), secrets
/// left out: the starting point of a stack's plan-level tests. Panics on an invalid spec.
pub fn plan(generator: &'static dyn Generator, name: &str, features: &[&str], default_features: bool) -> ProjectPlan {
    plan_with(generator, name, features, default_features, &[])
}

/// Like [`plan`], with `options` (`("license", "mit")`).
pub fn plan_with(
    generator: &'static dyn Generator,
    name: &str,
    features: &[&str],
    default_features: bool,
    options: &[(&str, &str)],
) -> ProjectPlan {
    let (registry, spec) = registry_and_spec(generator, input(generator, name, features, default_features, options));
    registry.plan(&spec, Secrets::ExampleOnly).expect("a plan")
}

/// The spec of project `name` with `features`, as [`plan`] makes it: for a generator's lockfile and
/// verification. Panics on an invalid spec.
pub fn spec(generator: &'static dyn Generator, name: &str, features: &[&str], default_features: bool) -> ProjectSpec {
    registry_and_spec(generator, input(generator, name, features, default_features, &[])).1
}

fn registry_and_spec(generator: &'static dyn Generator, input: SpecInput) -> (Registry, ProjectSpec) {
    let registry = Registry::new(vec![generator]).expect("the stack's data is valid");
    let spec = registry.spec(&input).expect("a valid spec");
    (registry, spec)
}

fn input(
    generator: &'static dyn Generator,
    name: &str,
    features: &[&str],
    default_features: bool,
    options: &[(&str, &str)],
) -> SpecInput {
    SpecInput {
        name: name.to_owned(),
        stack: generator.info().id.to_owned(),
        features: FeatureRequest { features: features.iter().map(|f| (*f).to_owned()).collect(), default_features },
        options: options.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
    }
}

/// The text of `path` in `plan`; panics naming the path when it is missing.
pub fn text<'p>(plan: &'p ProjectPlan, path: &str) -> &'p str {
    &plan.file(path).unwrap_or_else(|| panic!("`{path}` is not in the plan")).contents
}

/// Panics with every problem `check_stack` finds.
pub fn assert_stack(generator: &'static dyn Generator) {
    let problems = check_stack(generator);
    assert!(problems.is_empty(), "stack `{}`:\n- {}", generator.info().id, problems.join("\n- "));
}

/// Everything wrong with a stack, checked without touching the disk:
/// - its data is valid (`Registry::new`);
/// - every `features/<id>/` folder is a listed feature, every `options/<key>/<value>/` a listed value;
/// - every combination of features (those `resolve` accepts) with every closed option value plans,
///   with fresh secrets in a git-ignored `.env`;
/// - no file rendered from a template keeps template syntax (`${{ }}`, GitHub Actions', is not);
/// - its verification names each step once and serves after a chain it has;
/// - the shared features add their files, and only they do (`shared_feature_problems`).
pub fn check_stack(generator: &'static dyn Generator) -> Vec<String> {
    let info = generator.info();
    let registry = match Registry::new(vec![generator]) {
        Ok(registry) => registry,
        Err(e) => return vec![e.to_string()],
    };
    let mut problems = folder_problems(info.templates, generator);

    let ids: Vec<_> = info.features.iter().map(|f| f.id).collect();
    let mut option_sets = vec![Vec::new()];
    for option in crate::option::all(info) {
        let values: Vec<&str> = match option.values {
            OptionValues::OneOf { values } => values.to_vec(),
            OptionValues::Text { .. } => vec![option.default],
        };
        option_sets = option_sets
            .iter()
            .flat_map(|set: &Vec<(String, String)>| {
                values.iter().map(move |v| {
                    let mut set = set.clone();
                    set.push((option.key.to_owned(), (*v).to_owned()));
                    set
                })
            })
            .collect();
    }
    let mut seen = BTreeSet::new();
    for mask in 0..(1u64 << ids.len()) {
        let chosen: Vec<_> =
            ids.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, id)| (*id).to_owned()).collect();
        for options in &option_sets {
            let input = SpecInput {
                name: "kit-demo".to_owned(),
                stack: info.id.to_owned(),
                features: FeatureRequest { features: chosen.clone(), default_features: false },
                options: options.iter().cloned().collect(),
            };
            let spec = match registry.spec(&input) {
                Ok(spec) => spec,
                // Combinations the stack refuses by design are not combinations a user can get.
                Err(SpecError::Feature(_)) => continue,
                Err(e) => {
                    problems.push(format!("{chosen:?} {options:?}: {e}"));
                    continue;
                }
            };
            if !seen.insert((spec.features.clone(), spec.options.clone())) {
                continue;
            }
            let label = format!("features {:?}, options {:?}", spec.features, spec.options);
            match registry.plan(&spec, Secrets::Fresh) {
                Err(e) => problems.push(format!("{label}: {e}")),
                Ok(plan) => {
                    if plan.file(".env").is_none() {
                        problems.push(format!("{label}: no `.env`"));
                    }
                    for (path, file) in plan.files.iter().filter(|(_, f)| f.rendered) {
                        if file.contents.replace("${{", "").contains("{{") {
                            problems.push(format!("{label}: `{path}` still holds template syntax"));
                        }
                    }
                }
            }
            let verification = generator.verification(&spec);
            let mut names = BTreeSet::new();
            for step in verification.chains.iter().flat_map(|c| &c.steps) {
                if !names.insert(step.name.as_str()) {
                    problems.push(format!("{label}: verification step `{}` is named twice", step.name));
                }
            }
            let expected = crate::verification::shared_feature_checks(&spec);
            if expected.as_ref().is_some_and(|chain| !verification.chains.contains(chain)) {
                problems.push(format!(
                    "{label}: the verification lacks the shared features' checks (`shared_feature_checks`)"
                ));
            }
            if !verification.serve.embedded_database_url.contains("{path}") {
                problems.push(format!("{label}: the embedded database URL has no `{{path}}`"));
            }
            if !verification.chains.iter().any(|c| c.name == verification.serve.after) {
                problems.push(format!(
                    "{label}: the service is served after the unknown chain `{}`",
                    verification.serve.after
                ));
            }
        }
    }
    problems.extend(shared_feature_problems(&registry, generator));
    problems.extend(license_problems(&registry, generator));
    problems.sort();
    problems.dedup();
    problems
}

/// What the shared features promise in every stack that lists them: `docker` a Dockerfile and a
/// `.dockerignore`, `github-actions` a workflow, `compose` a compose file whose PostgreSQL password
/// comes from `.env` (and `docker` with it); none of them without the feature.
fn shared_feature_problems(registry: &Registry, generator: &'static dyn Generator) -> Vec<String> {
    let info = generator.info();
    let listed = |id: &str| info.features.iter().any(|f| f.id == id);
    let plan_of = |features: &[&str]| {
        let input = SpecInput {
            name: "kit-demo".to_owned(),
            stack: info.id.to_owned(),
            features: FeatureRequest {
                features: features.iter().map(|f| (*f).to_owned()).collect(),
                default_features: false,
            },
            options: Default::default(),
        };
        registry.spec(&input).ok().and_then(|spec| registry.plan(&spec, Secrets::ExampleOnly).ok())
    };
    let mut problems = Vec::new();
    let Some(bare) = plan_of(&[]) else { return problems };
    let workflows = |plan: &ProjectPlan| plan.files.keys().any(|p| p.as_str().starts_with(".github/workflows/"));
    for (path, feature) in [
        ("Dockerfile", shared::DOCKER.id),
        (".dockerignore", shared::DOCKER.id),
        ("docker-compose.yml", shared::COMPOSE.id),
    ] {
        if bare.file(path).is_some() {
            problems.push(format!("`{path}` is written without the `{feature}` feature"));
        }
    }
    if workflows(&bare) {
        problems.push("a workflow is written without the `github-actions` feature".to_owned());
    }
    if listed(shared::DOCKER.id)
        && let Some(plan) = plan_of(&[shared::DOCKER.id])
    {
        for path in ["Dockerfile", ".dockerignore"] {
            if plan.file(path).is_none() {
                problems.push(format!("the `docker` feature writes no `{path}`"));
            }
        }
    }
    if listed(shared::GITHUB_ACTIONS.id) && plan_of(&[shared::GITHUB_ACTIONS.id]).is_some_and(|p| !workflows(&p)) {
        problems.push("the `github-actions` feature writes no workflow".to_owned());
    }
    if listed(shared::COMPOSE.id)
        && let Some(plan) = plan_of(&[shared::COMPOSE.id])
    {
        let compose = plan.file("docker-compose.yml").map(|f| f.contents.as_str()).unwrap_or_default();
        if !compose.contains("${POSTGRES_PASSWORD:?") {
            problems.push("the `compose` feature's PostgreSQL password does not come from `.env`".to_owned());
        }
        if plan.file("Dockerfile").is_none() {
            problems.push("`compose` comes without the `docker` it requires".to_owned());
        }
        if !plan.file(".env.example").is_some_and(|f| f.contents.contains("POSTGRES_PASSWORD=")) {
            problems.push("`.env.example` lacks `POSTGRES_PASSWORD` with `compose`".to_owned());
        }
    }
    problems
}

/// What the common templates and the license option promise in every stack: a CHANGELOG.md; no
/// LICENSE and no license field unless one is chosen; with one, its LICENSE text and its SPDX id in
/// the manifest.
fn license_problems(registry: &Registry, generator: &'static dyn Generator) -> Vec<String> {
    let plan_of = |license: &str| {
        let input = SpecInput {
            name: "kit-demo".to_owned(),
            stack: generator.info().id.to_owned(),
            features: FeatureRequest { features: Vec::new(), default_features: false },
            options: [(crate::option::LICENSE.to_owned(), license.to_owned())].into(),
        };
        registry.spec(&input).ok().and_then(|spec| registry.plan(&spec, Secrets::ExampleOnly).ok())
    };
    let mut problems = Vec::new();
    for (license, spdx) in crate::option::LICENSES {
        let Some(plan) = plan_of(license) else {
            problems.push(format!("no plan with `--option license={license}`"));
            continue;
        };
        if plan.file("CHANGELOG.md").is_none_or(|f| !f.contents.contains("## [Unreleased]")) {
            problems.push("no CHANGELOG.md with an `## [Unreleased]` section".to_owned());
        }
        let manifest = plan.files.iter().find(|(path, _)| {
            ["pyproject.toml", "package.json", "pom.xml", "build.gradle.kts"].contains(&path.as_str())
        });
        let licensed_manifest = manifest.is_some_and(|(_, f)| f.contents.contains("license"));
        match (spdx, plan.file("LICENSE")) {
            (None, Some(_)) => problems.push("a LICENSE is written though none was chosen".to_owned()),
            (None, None) if licensed_manifest => {
                problems.push("the manifest names a license though none was chosen".to_owned());
            }
            (Some(id), None) => problems.push(format!("`--option license={license}` writes no LICENSE ({id})")),
            (Some(id), Some(_)) if manifest.is_some_and(|(_, f)| !f.contents.contains(id)) => {
                problems.push(format!("`--option license={license}`: the manifest lacks the SPDX id `{id}`"));
            }
            _ => {}
        }
    }
    problems
}

fn folder_problems(templates: &Dir<'static>, generator: &dyn Generator) -> Vec<String> {
    let info = generator.info();
    let mut problems = Vec::new();
    let names = |path: &str| -> Vec<String> {
        templates
            .get_dir(path)
            .map(|d| d.dirs().filter_map(|s| s.path().file_name()).map(|n| n.to_string_lossy().into_owned()).collect())
            .unwrap_or_default()
    };
    if templates.get_dir("base").is_none() {
        problems.push("the template folder has no `base/`".to_owned());
    }
    for id in names("features") {
        if !info.features.iter().any(|f| f.id == id) {
            problems.push(format!("`features/{id}/` belongs to no listed feature"));
        }
    }
    for key in names("options") {
        let Some(option) = crate::option::all(info).find(|o| o.key == key) else {
            problems.push(format!("`options/{key}/` belongs to no listed option"));
            continue;
        };
        for value in names(&format!("options/{key}")) {
            if option.check(&value).is_err() {
                problems.push(format!("`options/{key}/{value}/` is not a value of option `{key}`"));
            }
        }
    }
    problems
}
