//! Options: choices that are not features, such as a Kotlin package. Each picks from a closed list
//! or is free text checked by a rule; both are validated once, in `Registry::spec`. A few options
//! belong to every stack ([`COMMON`]: the license); a stack lists its own in `StackInfo::options`.

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

/// The key of the license option, which every stack has.
pub const LICENSE: &str = "license";
/// Who holds the copyright the LICENSE names; empty: `the <project> authors`.
pub const LICENSE_HOLDER: &str = "license-holder";
/// The year the LICENSE names; empty: none. An option rather than today's date, so that generating
/// again from the answers file gives the same bytes.
pub const LICENSE_YEAR: &str = "license-year";

/// The licenses `--option license=…` offers, with their SPDX identifiers; `none` writes no LICENSE.
pub const LICENSES: &[(&str, Option<&str>)] =
    &[("none", None), ("mit", Some("MIT")), ("apache-2.0", Some("Apache-2.0"))];

/// The options every stack has, before its own.
pub const COMMON: &[OptionSpec] = &[
    OptionSpec {
        key: LICENSE,
        summary: "The project's license: a LICENSE file and the manifest's license field; none: neither",
        values: OptionValues::OneOf { values: &["none", "mit", "apache-2.0"] },
        default: "none",
    },
    OptionSpec {
        key: LICENSE_HOLDER,
        summary: "The copyright holder the LICENSE names; empty: the <project> authors",
        values: OptionValues::Text { rule: "one line of text, such as `Acme Ltd`", check: check_one_line },
        default: "",
    },
    OptionSpec {
        key: LICENSE_YEAR,
        summary: "The year the LICENSE names; empty: no year",
        values: OptionValues::Text { rule: "a four-digit year such as `2026`, or nothing", check: check_year },
        default: "",
    },
];

/// The SPDX identifier of a `license` option value; `None` for `none` (or a value not offered).
pub fn spdx(license: &str) -> Option<&'static str> {
    LICENSES.iter().find(|(value, _)| *value == license).and_then(|(_, spdx)| *spdx)
}

/// Every option a project of this stack has: the common ones, then the stack's own.
pub fn all(info: &StackInfo) -> impl Iterator<Item = &'static OptionSpec> {
    COMMON.iter().chain(info.options)
}

fn check_one_line(value: &str) -> Result<(), String> {
    if value.chars().any(char::is_control) {
        return Err("holds a line break or another control character".to_owned());
    }
    if value.chars().count() > 200 {
        return Err("is longer than 200 characters".to_owned());
    }
    Ok(())
}

fn check_year(value: &str) -> Result<(), String> {
    if value.is_empty() || (value.len() == 4 && value.bytes().all(|b| b.is_ascii_digit())) {
        Ok(())
    } else {
        Err("is not a four-digit year".to_owned())
    }
}

/// Every option of the stack (the common ones included), defaults filled in; an unknown key or a
/// bad value is refused.
pub fn resolve(info: &StackInfo, given: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, SpecError> {
    if let Some(key) = given.keys().find(|k| !all(info).any(|o| o.key == k.as_str())) {
        return Err(SpecError::UnknownOption {
            key: key.clone(),
            stack: info.id,
            hint: did_you_mean(key, all(info).map(|o| o.key)),
            valid: backticked(all(info).map(|o| o.key)),
        });
    }
    let mut options = BTreeMap::new();
    for option in all(info) {
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
    fn the_license_options_check_their_values() {
        let option = |key: &str| COMMON.iter().find(|o| o.key == key).expect("common option");
        assert!(option(LICENSE).check("mit").is_ok() && option(LICENSE).check("apache-2.0").is_ok());
        let err = option(LICENSE).check("MIT").expect_err("values are lower case");
        assert!(err.to_string().contains("did you mean `mit`?"), "{err}");
        assert!(option(LICENSE).check("gpl-3.0").is_err());
        assert_eq!(option(LICENSE).default, "none");
        assert!(option(LICENSE_YEAR).check("2026").is_ok() && option(LICENSE_YEAR).check("").is_ok());
        assert!(option(LICENSE_YEAR).check("26").is_err() && option(LICENSE_YEAR).check("20x6").is_err());
        assert!(option(LICENSE_HOLDER).check("Acme Ltd").is_ok());
        assert!(option(LICENSE_HOLDER).check("Acme\nLtd").is_err());
        assert_eq!((spdx("mit"), spdx("apache-2.0"), spdx("none")), (Some("MIT"), Some("Apache-2.0"), None));
        for (value, _) in LICENSES {
            assert!(option(LICENSE).check(value).is_ok(), "`{value}` is offered");
        }
    }

    #[test]
    fn assignments_need_a_key_and_an_equals_sign() {
        assert_eq!(parse_assignment("group=com.acme").expect("ok"), ("group".to_owned(), "com.acme".to_owned()));
        assert!(parse_assignment("group").is_err());
        assert!(parse_assignment("=x").is_err());
    }
}
