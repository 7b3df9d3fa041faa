//! Placeholder values from `--define`, an answers file or a prompt, checked against the template's
//! declaration (type, choices, regex) before anything is rendered, so a bad value is refused with
//! our wording and nothing written.

use std::collections::BTreeMap;

use backend_gen_core::answers::TemplateValue;
use backend_gen_core::{backticked, did_you_mean};

use crate::config::{Kind, Placeholder, TemplateConfig};
use crate::error::TemplateError;

/// Checks every given value (raw, as `--define` spells it) against its placeholder and types it.
/// A key the template does not declare is refused, with the closest name.
pub fn check_values(
    config: &TemplateConfig,
    given: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, TemplateValue>, TemplateError> {
    given
        .iter()
        .map(|(key, raw)| {
            let placeholder = config.placeholder(key).ok_or_else(|| TemplateError::UnknownPlaceholder {
                key: key.clone(),
                hint: did_you_mean(key, config.placeholders.iter().map(|p| p.name.as_str())),
                valid: backticked(config.placeholders.iter().map(|p| p.name.as_str())),
            })?;
            Ok((key.clone(), parse_value(placeholder, raw)?))
        })
        .collect()
}

/// `raw` as a value of `placeholder`, or why it is not one.
pub fn parse_value(placeholder: &Placeholder, raw: &str) -> Result<TemplateValue, TemplateError> {
    let bad = |why: String| TemplateError::BadValue { key: placeholder.name.clone(), value: raw.to_owned(), why };
    match &placeholder.kind {
        Kind::Bool => raw.parse().map(TemplateValue::Bool).map_err(|_| bad("write `true` or `false`".to_owned())),
        Kind::Text { choices, .. } if !choices.is_empty() => {
            if choices.iter().any(|c| c == raw) {
                Ok(TemplateValue::Text(raw.to_owned()))
            } else {
                Err(bad(format!(
                    "choose one of {}{}",
                    backticked(choices.iter()),
                    did_you_mean(raw, choices.iter().map(String::as_str))
                )))
            }
        }
        Kind::Text { regex, .. } => match regex {
            // cargo-generate accepts a value the regex matches anywhere; so do we.
            Some(regex) if !regex.is_match(raw) => Err(bad(format!("it must match the regex `{regex}`"))),
            _ => Ok(TemplateValue::Text(raw.to_owned())),
        },
        Kind::List { choices } => {
            let items: Vec<String> =
                raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
            match items.iter().find(|item| !choices.contains(item)) {
                Some(item) => Err(bad(format!("`{item}` is not one of {}", backticked(choices.iter())))),
                None => Ok(TemplateValue::List(items)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> TemplateConfig {
        let text = |choices: &[&str], regex: Option<&str>| Kind::Text {
            choices: choices.iter().map(|c| (*c).to_owned()).collect(),
            regex: regex.map(|r| regex::Regex::new(r).expect("regex")),
        };
        let placeholder = |name: &str, kind| Placeholder {
            name: name.to_owned(),
            prompt: name.to_owned(),
            kind,
            default: None,
            conditional: false,
        };
        TemplateConfig {
            placeholders: vec![
                placeholder("port", text(&[], Some("^[0-9]+$"))),
                placeholder("framework", text(&["axum", "actix"], None)),
                placeholder("tracing", Kind::Bool),
                placeholder("extras", Kind::List { choices: vec!["a".to_owned(), "b".to_owned()] }),
            ],
            init: false,
        }
    }

    fn given(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn types_good_values() {
        let values =
            check_values(&config(), &given(&[("port", "9000"), ("tracing", "false"), ("extras", "b,a")])).expect("ok");
        assert_eq!(values["port"], TemplateValue::Text("9000".to_owned()));
        assert_eq!(values["tracing"], TemplateValue::Bool(false));
        assert_eq!(values["extras"], TemplateValue::List(vec!["b".to_owned(), "a".to_owned()]));
    }

    #[test]
    fn refuses_bad_values_naming_them() {
        for (key, value, expected) in [
            ("port", "90x", "regex"),
            ("framework", "axim", "did you mean `axum`"),
            ("tracing", "yes", "`true` or `false`"),
            ("extras", "a,c", "`c`"),
        ] {
            let err = check_values(&config(), &given(&[(key, value)])).expect_err(value);
            let message = err.to_string();
            assert!(message.contains(&format!("`{key}`")) && message.contains(&format!("`{value}`")), "{message}");
            assert!(message.contains(expected), "{message}");
        }
        let err = check_values(&config(), &given(&[("prot", "1")])).expect_err("unknown");
        assert!(err.to_string().contains("did you mean `port`"), "{err}");
    }
}
