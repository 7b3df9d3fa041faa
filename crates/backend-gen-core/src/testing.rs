//! The test kit every stack runs in one line (`assert_stack(&MyGenerator)`): what must hold for any
//! stack, checked on its plans, so a new stack cannot forget it (after Initializr's
//! `ProjectGeneratorTester`).

use std::collections::BTreeSet;

use include_dir::Dir;

use crate::feature::FeatureRequest;
use crate::option::OptionValues;
use crate::registry::{Registry, Secrets};
use crate::spec::{SpecError, SpecInput};
use crate::stack::Generator;

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
/// - its verification names each step once and serves after a chain it has.
pub fn check_stack(generator: &'static dyn Generator) -> Vec<String> {
    let info = generator.info();
    let registry = match Registry::new(vec![generator]) {
        Ok(registry) => registry,
        Err(e) => return vec![e.to_string()],
    };
    let mut problems = folder_problems(info.templates, generator);

    let ids: Vec<_> = info.features.iter().map(|f| f.id).collect();
    let mut option_sets = vec![Vec::new()];
    for option in info.options {
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
    problems.sort();
    problems.dedup();
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
        let Some(option) = info.options.iter().find(|o| o.key == key) else {
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
