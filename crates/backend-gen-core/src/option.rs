//! Options: a stack's choices that are not features, such as a Kotlin package. Each picks from a
//! closed list or is free text checked by a rule; both are validated once, in `Registry::spec`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::spec::SpecError;
use crate::stack::StackInfo;
use crate::suggest::{backticked, did_you_mean};

/// One option of a stack, set with `--option KEY=VALUE` or from an answers file.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct OptionSpec {
    pub key: &'static str,
    pub summary: &'static str,
    pub values: OptionValues,
    /// The value a project gets when none is given; must itself be valid.
    pub default: &'static str,
}

/// What an option accepts.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum OptionValues {
    /// Exactly one of these.
    OneOf { values: &'static [&'static str] },
    /// Free text the rule accepts; the rule's error completes "option `key` `value` …".
    Text {
        /// What the rule requires, for listings and prompts (`a Java package such as com.acme.orders`).
        rule: &'static str,
        #[serde(skip)]
        check: fn(&str) -> Result<(), String>,
    },
}

impl OptionSpec {
    /// Whether `value` is acceptable, with the reason when it is not.
    pub fn check(&self, value: &str) -> Result<(), SpecError> {
        let bad = |why: String| SpecError::BadOptionValue { key: self.key.to_owned(), value: value.to_owned(), why };
        match self.values {
            OptionValues::OneOf { values } if !values.contains(&value) => Err(bad(format!(
                "is not allowed{}; valid values: {}",
                did_you_mean(value, values.iter().copied()),
                backticked(values)
            ))),
            OptionValues::OneOf { .. } => Ok(()),
            OptionValues::Text { rule, check } => check(value).map_err(|why| bad(format!("{why} (expected {rule})"))),
        }
    }
}

/// Every option of the stack, defaults filled in; an unknown key or a bad value is refused.
pub fn resolve(info: &StackInfo, given: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, SpecError> {
    if let Some(key) = given.keys().find(|k| !info.options.iter().any(|o| o.key == k.as_str())) {
        return Err(SpecError::UnknownOption {
            key: key.clone(),
            stack: info.id,
            hint: did_you_mean(key, info.options.iter().map(|o| o.key)),
            valid: backticked(info.options.iter().map(|o| o.key)),
        });
    }
    let mut options = BTreeMap::new();
    for option in info.options {
        let value = given.get(option.key).map_or(option.default, String::as_str);
        option.check(value)?;
        options.insert(option.key.to_owned(), value.to_owned());
    }
    Ok(options)
}

/// Splits `KEY=VALUE` as `--option` takes it.
pub fn parse_assignment(text: &str) -> Result<(String, String), SpecError> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => Ok((key.trim().to_owned(), value.trim().to_owned())),
        _ => Err(SpecError::BadOptionSyntax { given: text.to_owned() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::check_java_package;

    const BUILD: OptionSpec = OptionSpec {
        key: "build",
        summary: "",
        values: OptionValues::OneOf { values: &["gradle", "maven"] },
        default: "gradle",
    };
    const GROUP: OptionSpec = OptionSpec {
        key: "group",
        summary: "",
        values: OptionValues::Text { rule: "a Java package such as `com.acme`", check: check_java_package },
        default: "com.example",
    };

    #[test]
    fn closed_values_suggest_a_near_miss() {
        let err = BUILD.check("mavne").expect_err("bad");
        assert_eq!(
            err.to_string(),
            "option `build` cannot be `mavne`: is not allowed (did you mean `maven`?); valid values: `gradle`, `maven`"
        );
        assert!(BUILD.check("maven").is_ok());
    }

    #[test]
    fn free_text_is_checked_by_its_rule() {
        assert!(GROUP.check("com.acme.orders").is_ok());
        let err = GROUP.check("com.static").expect_err("reserved word");
        assert!(
            err.to_string().starts_with("option `group` cannot be `com.static`: has the segment `static`"),
            "{err}"
        );
    }

    #[test]
    fn assignments_need_a_key_and_an_equals_sign() {
        assert_eq!(parse_assignment("group=com.acme").expect("ok"), ("group".to_owned(), "com.acme".to_owned()));
        assert!(parse_assignment("group").is_err());
        assert!(parse_assignment("=x").is_err());
    }
}
