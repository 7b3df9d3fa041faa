//! Interactive questions, asked only on a terminal and only for choices the flags left open.

use std::collections::BTreeMap;

use backend_gen_core::Registry;
use backend_gen_core::answers::TemplateValue;
use backend_gen_core::feature::FeatureRequest;
use backend_gen_core::name::ProjectName;
use backend_gen_core::option::{self, OptionValues};
use backend_gen_template::{Kind, Placeholder};
use dialoguer::{Confirm, Input, MultiSelect, Select};

use crate::error::CliError;

fn prompt_error(e: dialoguer::Error) -> CliError {
    CliError::User(format!("prompt aborted: {e}"))
}

/// Asks for a project name until it is valid.
pub fn name() -> Result<String, CliError> {
    Input::<String>::new()
        .with_prompt("Project name")
        .validate_with(|input: &String| ProjectName::parse(input).map(|_| ()).map_err(|e| e.to_string()))
        .interact_text()
        .map_err(prompt_error)
}

/// Asks for the stack, then for its features (defaults pre-selected) unless `--feature` chose some.
pub fn stack_and_features(
    registry: &Registry,
    requested: FeatureRequest,
) -> Result<(String, FeatureRequest), CliError> {
    let stacks: Vec<_> = registry.stacks().collect();
    let labels: Vec<_> = stacks.iter().map(|s| format!("{:<8} {}", s.id, s.summary)).collect();
    let index = Select::new().with_prompt("Stack").items(&labels).default(0).interact().map_err(prompt_error)?;
    let stack = stacks[index];
    if !requested.features.is_empty() {
        return Ok((stack.id.to_owned(), requested));
    }
    let labels: Vec<_> = stack.features.iter().map(|f| format!("{:<16} {}", f.id, f.summary)).collect();
    let defaults: Vec<_> = stack.features.iter().map(|f| f.default && requested.default_features).collect();
    let chosen = MultiSelect::new()
        .with_prompt("Features (space toggles, enter accepts)")
        .items(&labels)
        .defaults(&defaults)
        .interact()
        .map_err(prompt_error)?;
    // What the user ticked is the whole selection: defaults they unticked stay off.
    let features = chosen.into_iter().map(|i| stack.features[i].id.to_owned()).collect();
    Ok((stack.id.to_owned(), FeatureRequest { features, default_features: false }))
}

/// Asks for each option of `stack` that `--option` left open: a choice among closed values, or text
/// checked by the option's rule until it passes.
pub fn options(registry: &Registry, stack: &str, given: &mut BTreeMap<String, String>) -> Result<(), CliError> {
    let Some(info) = registry.stacks().find(|s| s.id == stack) else { return Ok(()) };
    for option in option::all(info) {
        // Options are asked in order, so the license is known before who holds it and since when.
        let unlicensed = given.get(option::LICENSE).is_none_or(|l| option::spdx(l).is_none());
        let about_license = [option::LICENSE_HOLDER, option::LICENSE_YEAR].contains(&option.key);
        if given.contains_key(option.key) || (about_license && unlicensed) {
            continue;
        }
        let prompt = format!("{} ({})", option.key, option.summary);
        let value = match option.values {
            OptionValues::OneOf { values } => {
                let default = values.iter().position(|v| *v == option.default).unwrap_or(0);
                let index = Select::new()
                    .with_prompt(prompt)
                    .items(values)
                    .default(default)
                    .interact()
                    .map_err(prompt_error)?;
                values[index].to_owned()
            }
            OptionValues::Text { .. } => Input::<String>::new()
                .with_prompt(prompt)
                .default(option.default.to_owned())
                .validate_with(|input: &String| option.check(input).map_err(|e| e.to_string()))
                .interact_text()
                .map_err(prompt_error)?,
        };
        given.insert(option.key.to_owned(), value);
    }
    Ok(())
}

/// Asks for a template placeholder's value, its default pre-selected, until it is valid.
pub fn placeholder(placeholder: &Placeholder) -> Result<TemplateValue, CliError> {
    let prompt = format!("{} ({})", placeholder.prompt, placeholder.name);
    let default = placeholder.default.as_deref();
    match &placeholder.kind {
        Kind::Bool => Confirm::new()
            .with_prompt(prompt)
            .default(default == Some("true"))
            .interact()
            .map(TemplateValue::Bool)
            .map_err(prompt_error),
        Kind::Text { choices, .. } if !choices.is_empty() => {
            let index = default.and_then(|d| choices.iter().position(|c| c == d)).unwrap_or(0);
            let chosen =
                Select::new().with_prompt(prompt).items(choices).default(index).interact().map_err(prompt_error)?;
            Ok(TemplateValue::Text(choices[chosen].clone()))
        }
        Kind::Text { .. } => {
            let mut input = Input::<String>::new().with_prompt(prompt).validate_with(|value: &String| {
                backend_gen_template::parse_value(placeholder, value).map(|_| ()).map_err(|e| e.to_string())
            });
            if let Some(default) = default {
                input = input.default(default.to_owned());
            }
            input.interact_text().map(TemplateValue::Text).map_err(prompt_error)
        }
        Kind::List { choices } => {
            let defaults: Vec<_> =
                choices.iter().map(|c| default.is_some_and(|d| d.split(',').any(|x| x.trim() == c))).collect();
            let chosen = MultiSelect::new()
                .with_prompt(format!("{prompt} (space toggles, enter accepts)"))
                .items(choices)
                .defaults(&defaults)
                .interact()
                .map_err(prompt_error)?;
            Ok(TemplateValue::List(chosen.into_iter().map(|i| choices[i].clone()).collect()))
        }
    }
}

/// Asks whether a template's hooks may run system commands (no unless the user says yes).
pub fn allow_commands() -> Result<bool, CliError> {
    Confirm::new()
        .with_prompt("The template's hooks run system commands. Let them run?")
        .default(false)
        .interact()
        .map_err(prompt_error)
}
