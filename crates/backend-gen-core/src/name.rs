//! The project name, validated once, and the identifiers each ecosystem derives from it.

use std::fmt;

use serde::Serialize;

use crate::stack::IdentifierRule;

/// Longest accepted project name: long enough for real names, short enough that a generated line
/// holding it (an import, a constant) stays within every stack's line-length limit, whatever the name.
pub const MAX_NAME_LEN: usize = 40;

/// Why a project name was refused; every variant names the value and what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("the project name is empty; pass a name such as `my-service`")]
    Empty,
    #[error("the project name `{name}` is {len} characters long; use at most {MAX_NAME_LEN}")]
    TooLong { name: String, len: usize },
    #[error(
        "`{name}` is a path, not a name; pass a plain name such as `{suggestion}` and choose the folder with `--output`"
    )]
    Path { name: String, suggestion: String },
    #[error("`{name}` contains `{bad}`; use ASCII letters, digits, `-`, `_` and `.` only, for example `{suggestion}`")]
    BadCharacter { name: String, bad: char, suggestion: String },
    #[error("`{name}` must start with a letter and end with a letter or digit; try `{suggestion}`")]
    BadEdge { name: String, suggestion: String },
    #[error("`{name}` gives the {ecosystem} identifier `{identifier}`, which is {why}; try `{suggestion}`")]
    Reserved { name: String, ecosystem: &'static str, identifier: String, why: &'static str, suggestion: String },
}

/// A validated project name and every identifier derived from it.
///
/// Derivation splits the name into lower-case words at `-`, `_`, `.` and lower-to-upper case changes,
/// so `My-Service.v2` and `my_service_v2` give the same identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectName {
    /// The name exactly as the user typed it; also the folder name.
    pub raw: String,
    /// `my-service-v2`: PyPI distribution (PEP 503 normalised), npm package, Docker image, JWT issuer.
    pub kebab: String,
    /// `my_service_v2`: Python import package, database file names.
    pub snake: String,
    /// `myservicev2`: the project's segment of a Kotlin/Java package.
    pub flat: String,
    /// `MyServiceV2`: class-name prefix.
    pub pascal: String,
    /// `My Service V2`: titles in documentation and OpenAPI.
    pub title: String,
}

/// Which derived identifier a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Identifier {
    Kebab,
    Snake,
    Flat,
}

impl ProjectName {
    /// Validates the shape of `raw` and derives every identifier. The words each ecosystem reserves
    /// are the stacks' to check (`StackInfo::identifiers`, applied by `Registry::spec`).
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        if raw.is_empty() {
            return Err(NameError::Empty);
        }
        let len = raw.chars().count();
        if len > MAX_NAME_LEN {
            return Err(NameError::TooLong { name: raw.to_owned(), len });
        }
        if raw.contains(['/', '\\']) || raw.starts_with('.') {
            let last = raw.rsplit(['/', '\\']).find(|s| !s.is_empty() && !s.starts_with('.'));
            return Err(NameError::Path { name: raw.to_owned(), suggestion: suggest(last.unwrap_or("my-service")) });
        }
        if let Some(bad) = raw.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
            return Err(NameError::BadCharacter { name: raw.to_owned(), bad, suggestion: suggest(raw) });
        }
        let starts_with_letter = raw.starts_with(|c: char| c.is_ascii_alphabetic());
        let ends_with_alnum = raw.ends_with(|c: char| c.is_ascii_alphanumeric());
        if !starts_with_letter || !ends_with_alnum {
            return Err(NameError::BadEdge { name: raw.to_owned(), suggestion: suggest(raw) });
        }

        let words = split_words(raw);
        let name = Self {
            raw: raw.to_owned(),
            kebab: words.join("-"),
            snake: words.join("_"),
            flat: words.concat(),
            pascal: words.iter().map(|w| capitalize(w)).collect(),
            title: words.iter().map(|w| capitalize(w)).collect::<Vec<_>>().join(" "),
        };
        Ok(name)
    }

    /// The identifier `which` names.
    pub fn identifier(&self, which: Identifier) -> &str {
        match which {
            Identifier::Kebab => &self.kebab,
            Identifier::Snake => &self.snake,
            Identifier::Flat => &self.flat,
        }
    }

    /// Refuses the name when the identifier `rule` looks at is one of its reserved words.
    pub fn check(&self, rule: &IdentifierRule) -> Result<(), NameError> {
        let identifier = self.identifier(rule.identifier);
        if rule.reserved.iter().any(|r| r.eq_ignore_ascii_case(identifier)) {
            return Err(NameError::Reserved {
                name: self.raw.clone(),
                ecosystem: rule.ecosystem,
                identifier: identifier.to_owned(),
                why: rule.why,
                suggestion: format!("{}-service", self.kebab),
            });
        }
        Ok(())
    }
}

impl fmt::Display for ProjectName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// Lower-case words of a name, split at separators and at lower-to-upper case changes.
fn split_words(raw: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous: Option<char> = None;
    for c in raw.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
        } else {
            let camel_boundary =
                c.is_ascii_uppercase() && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if camel_boundary && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            current.push(c.to_ascii_lowercase());
        }
        previous = Some(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// A valid name close to what the user typed, for error messages.
fn suggest(raw: &str) -> String {
    let words = split_words(&raw.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    let mut kebab = words.join("-");
    if kebab.is_empty() {
        return "my-service".to_owned();
    }
    if !kebab.starts_with(|c: char| c.is_ascii_alphabetic()) {
        kebab = format!("service-{kebab}");
    }
    kebab.truncate(MAX_NAME_LEN);
    kebab.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_name_yields_every_identifier() {
        let name = ProjectName::parse("My-Service.v2").expect("valid");
        assert_eq!(name.kebab, "my-service-v2");
        assert_eq!(name.snake, "my_service_v2");
        assert_eq!(name.flat, "myservicev2");
        assert_eq!(name.pascal, "MyServiceV2");
        assert_eq!(name.title, "My Service V2");
    }

    #[test]
    fn camel_case_splits_into_words() {
        let name = ProjectName::parse("orderAPI2Gateway").expect("valid");
        assert_eq!(name.kebab, "order-api2-gateway");
    }

    #[test]
    fn refuses_empty_long_and_non_ascii() {
        assert_eq!(ProjectName::parse(""), Err(NameError::Empty));
        assert!(matches!(ProjectName::parse(&"a".repeat(41)), Err(NameError::TooLong { len: 41, .. })));
        assert!(matches!(ProjectName::parse("café"), Err(NameError::BadCharacter { bad: 'é', .. })));
        assert!(matches!(ProjectName::parse("my service"), Err(NameError::BadCharacter { bad: ' ', .. })));
    }

    #[test]
    fn refuses_paths_with_a_plain_suggestion() {
        for path in ["../x", "a/b", "./demo", "..", "C:\\x"] {
            assert!(matches!(ProjectName::parse(path), Err(NameError::Path { .. })), "{path}");
        }
        let Err(NameError::Path { suggestion, .. }) = ProjectName::parse("../orders") else { panic!() };
        assert_eq!(suggestion, "orders");
    }

    #[test]
    fn refuses_bad_edges() {
        let Err(NameError::BadEdge { suggestion, .. }) = ProjectName::parse("2fast") else { panic!() };
        assert_eq!(suggestion, "service-2fast");
        assert!(matches!(ProjectName::parse("demo-"), Err(NameError::BadEdge { .. })));
    }

    #[test]
    fn rules_refuse_reserved_identifiers_with_a_suggestion() {
        let rule = IdentifierRule {
            ecosystem: "Kotlin",
            identifier: Identifier::Flat,
            reserved: &["object"],
            why: "a keyword",
        };
        let err = ProjectName::parse("Ob-ject").expect("shape").check(&rule).expect_err("reserved");
        assert_eq!(
            err.to_string(),
            "`Ob-ject` gives the Kotlin identifier `object`, which is a keyword; try `ob-ject-service`"
        );
        assert!(ProjectName::parse("objects").expect("shape").check(&rule).is_ok());
    }
}
