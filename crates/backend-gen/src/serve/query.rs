//! The query string of `/starter.zip`, `/starter.tgz` and `/preview`, read into the same input
//! `backend-gen new` builds from its flags: `name`, `stack`, `feature` (repeatable or
//! comma-separated), `option` (`KEY=VALUE`, repeatable) and `no-default-features`.

use std::collections::BTreeMap;

use backend_gen_core::SpecInput;
use backend_gen_core::feature::FeatureRequest;
use backend_gen_core::option;

use crate::error::CliError;

/// The parameters, as the page's share links and the curl help spell them.
pub const PARAMETERS: [&str; 5] = ["name", "stack", "feature", "option", "no-default-features"];

/// Reads `query` (`application/x-www-form-urlencoded`, as browsers and curl write it).
///
/// Errors: an unknown or repeated parameter, a missing `name` or `stack`, a `no-default-features`
/// that is not a boolean, and an `option` without `=`: each a user error whose message names the
/// value in backticks. Feature and option values are checked later, by the core, as for `new`.
pub fn parse(query: &str) -> Result<SpecInput, CliError> {
    let mut name = None;
    let mut stack = None;
    let mut features = Vec::new();
    let mut options = BTreeMap::new();
    let mut default_features = true;
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "name" => once(&mut name, "name", value.into_owned())?,
            "stack" => once(&mut stack, "stack", value.into_owned())?,
            // As `--feature a,b`: commas separate, empty pieces are dropped.
            "feature" => features.extend(value.split(',').filter(|f| !f.is_empty()).map(str::to_owned)),
            "option" => {
                let (key, value) = option::parse_assignment(&value)?;
                options.insert(key, value);
            }
            "no-default-features" => default_features = !boolean(&value)?,
            unknown => {
                return Err(CliError::User(format!(
                    "unknown parameter `{unknown}`; valid parameters: {}",
                    backend_gen_core::backticked(PARAMETERS)
                )));
            }
        }
    }
    let example = "?name=orders&stack=python";
    let name =
        name.ok_or_else(|| CliError::User(format!("the parameter `name` is missing; add it, as in `{example}`")))?;
    let stack =
        stack.ok_or_else(|| CliError::User(format!("the parameter `stack` is missing; add it, as in `{example}`")))?;
    Ok(SpecInput { name, stack, features: FeatureRequest { features, default_features }, options })
}

fn once(slot: &mut Option<String>, key: &str, value: String) -> Result<(), CliError> {
    if slot.replace(value).is_some() {
        return Err(CliError::User(format!("the parameter `{key}` is given twice; give it once")));
    }
    Ok(())
}

/// A flag parameter: present with no value (`&no-default-features`) or a usual spelling of a boolean.
fn boolean(value: &str) -> Result<bool, CliError> {
    match value {
        "" | "1" | "true" | "on" | "yes" => Ok(true),
        "0" | "false" | "off" | "no" => Ok(false),
        other => Err(CliError::User(format!(
            "`no-default-features={other}` is not a boolean; use `true` or `false`, or give the flag alone"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(query: &str) -> String {
        match parse(query) {
            Err(CliError::User(message)) => message,
            other => panic!("{query}: {other:?}"),
        }
    }

    #[test]
    fn reads_what_the_flags_of_new_say() {
        let input =
            parse("name=orders&stack=python&feature=compose,docker&feature=&option=license%3Dmit&no-default-features")
                .expect("ok");
        assert_eq!(input.name, "orders");
        assert_eq!(input.stack, "python");
        assert_eq!(input.features.features, ["compose", "docker"]);
        assert!(!input.features.default_features);
        assert_eq!(input.options, BTreeMap::from([("license".to_owned(), "mit".to_owned())]));
        assert!(parse("name=a&stack=b&no-default-features=false").expect("ok").features.default_features);
    }

    #[test]
    fn refuses_what_it_cannot_read_naming_the_value() {
        assert!(refused("stack=python").contains("`name` is missing"));
        assert!(refused("name=a").contains("`stack` is missing"));
        assert!(refused("name=a&name=b&stack=python").contains("`name` is given twice"));
        assert!(refused("name=a&stack=python&features=compose").contains("unknown parameter `features`"));
        assert!(refused("name=a&stack=python&no-default-features=maybe").contains("`no-default-features=maybe`"));
        assert!(refused("name=a&stack=python&option=license").contains("`license`"));
    }
}
