//! The answers file `.backend-gen.toml`: what a project was generated from, so it can be generated again.
//!
//! Two shapes share the name: a stack's answers ([`Answers`]) and a third-party template's
//! ([`TemplateAnswers`], told apart by its `[template]` table); [`AnswersFile::parse`] reads either.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml_edit::{Array, DocumentMut, Item, Table, value};

use crate::feature::FeatureRequest;
use crate::spec::{ProjectSpec, SpecInput};

/// The answers file's name in every generated project.
pub const ANSWERS_FILE: &str = ".backend-gen.toml";

/// The answers file's contents. Features are listed in full, so defaults that change later
/// do not change what regenerating an old project gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    pub generator_version: String,
    pub name: String,
    pub stack: String,
    #[serde(default)]
    pub features: Vec<String>,
    #[serde(default)]
    pub options: BTreeMap<String, String>,
}

/// An answers file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("invalid answers file: {0}")]
pub struct AnswersError(String);

impl Answers {
    pub fn from_spec(spec: &ProjectSpec, generator_version: &str) -> Self {
        Self {
            generator_version: generator_version.to_owned(),
            name: spec.name.raw.clone(),
            stack: spec.stack.id().to_owned(),
            features: spec.features.iter().map(|f| (*f).to_owned()).collect(),
            options: spec.options.clone(),
        }
    }

    /// The input to validate; `name` overrides the recorded name. Features are exactly the recorded ones.
    pub fn into_input(self, name: Option<String>) -> SpecInput {
        SpecInput {
            name: name.unwrap_or(self.name),
            stack: self.stack,
            features: FeatureRequest { features: self.features, default_features: false },
            options: self.options,
        }
    }

    /// Whether the file was written by a newer backend-gen than `running` (dotted numeric versions):
    /// such a file may hold choices this version does not know, or render differently.
    pub fn is_newer_than(&self, running: &str) -> bool {
        newer(&self.generator_version, running)
    }

    pub fn parse(text: &str) -> Result<Self, AnswersError> {
        toml_edit::de::from_str(text).map_err(|e| AnswersError(e.to_string().trim_end().to_owned()))
    }

    /// Serialises with a header comment and a stable key order.
    pub fn to_toml(&self) -> String {
        let mut doc = DocumentMut::new();
        doc.decor_mut().set_prefix(HEADER);
        doc["generator_version"] = value(&self.generator_version);
        doc["name"] = value(&self.name);
        doc["stack"] = value(&self.stack);
        doc["features"] = value(self.features.iter().collect::<Array>());
        let mut options = Table::new();
        for (key, option) in &self.options {
            options[key] = value(option);
        }
        doc["options"] = Item::Table(options);
        doc.to_string()
    }
}

/// What a project rendered from a third-party (cargo-generate) template was generated from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateAnswers {
    pub generator_version: String,
    pub name: String,
    pub template: TemplateSource,
    /// Every placeholder's value, defaults included, so a template whose defaults change later
    /// still gives the same project.
    #[serde(default)]
    pub values: BTreeMap<String, TemplateValue>,
}

/// Where a template was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateSource {
    /// A local folder. Written absolute; a relative path is read relative to the answers file's folder.
    pub path: String,
    /// For a git repository, the commit whose tree was rendered (uncommitted changes are not used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// A placeholder's value, typed as the template declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TemplateValue {
    Bool(bool),
    Text(String),
    /// The choices of an `array` placeholder.
    List(Vec<String>),
}

impl TemplateValue {
    /// The value as `--define KEY=VALUE` spells it (a list joined with commas, as cargo-generate does).
    pub fn to_raw(&self) -> String {
        match self {
            Self::Bool(b) => b.to_string(),
            Self::Text(t) => t.clone(),
            Self::List(items) => items.join(","),
        }
    }
}

impl TemplateAnswers {
    pub fn parse(text: &str) -> Result<Self, AnswersError> {
        toml_edit::de::from_str(text).map_err(|e| AnswersError(e.to_string().trim_end().to_owned()))
    }

    /// Whether the file was written by a newer backend-gen than `running`.
    pub fn is_newer_than(&self, running: &str) -> bool {
        newer(&self.generator_version, running)
    }

    /// Serialises with a header comment and a stable key order.
    pub fn to_toml(&self) -> String {
        let mut doc = DocumentMut::new();
        doc.decor_mut().set_prefix(HEADER);
        doc["generator_version"] = value(&self.generator_version);
        doc["name"] = value(&self.name);
        let mut template = Table::new();
        template["path"] = value(&self.template.path);
        if let Some(commit) = &self.template.commit {
            template["commit"] = value(commit);
        }
        doc["template"] = Item::Table(template);
        let mut values = Table::new();
        for (key, v) in &self.values {
            values[key] = match v {
                TemplateValue::Bool(b) => value(*b),
                TemplateValue::Text(t) => value(t),
                TemplateValue::List(items) => value(items.iter().collect::<Array>()),
            };
        }
        doc["values"] = Item::Table(values);
        doc.to_string()
    }
}

/// Either shape of answers file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswersFile {
    Stack(Answers),
    Template(TemplateAnswers),
}

impl AnswersFile {
    /// Reads a stack's answers, or a template's when the file has a `template` key.
    pub fn parse(text: &str) -> Result<Self, AnswersError> {
        let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| AnswersError(e.to_string()))?;
        if doc.contains_key("template") {
            TemplateAnswers::parse(text).map(Self::Template)
        } else {
            Answers::parse(text).map(Self::Stack)
        }
    }
}

const HEADER: &str = "# Written by backend-gen: what this project was generated from.\n\
                      # `backend-gen new --answers .backend-gen.toml` generates it again.\n";

fn newer(written_by: &str, running: &str) -> bool {
    let numbers = |v: &str| -> Vec<u64> { v.split(['.', '-', '+']).map_while(|p| p.parse().ok()).collect() };
    numbers(written_by) > numbers(running)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers() -> Answers {
        Answers {
            generator_version: "0.1.0".to_owned(),
            name: "My-Service.v2".to_owned(),
            stack: "python".to_owned(),
            features: vec!["docker".to_owned(), "github-actions".to_owned()],
            options: BTreeMap::from([("build".to_owned(), "maven".to_owned())]),
        }
    }

    #[test]
    fn round_trips() {
        let text = answers().to_toml();
        assert!(text.starts_with("# Written by backend-gen"));
        assert_eq!(Answers::parse(&text).expect("parses"), answers());
    }

    #[test]
    fn knows_a_file_from_a_newer_generator() {
        let mut newer = answers();
        newer.generator_version = "0.10.0".to_owned();
        assert!(newer.is_newer_than("0.9.3"));
        assert!(!answers().is_newer_than("0.1.0") && !answers().is_newer_than("0.2.0"));
    }

    #[test]
    fn refuses_unknown_keys_and_names_them() {
        let err = Answers::parse("generator_version = \"1\"\nname = \"a\"\nstack = \"python\"\nfeature = []\n")
            .expect_err("unknown key");
        assert!(err.to_string().contains("feature"), "{err}");
    }

    #[test]
    fn template_answers_round_trip_and_are_told_apart() {
        let answers = TemplateAnswers {
            generator_version: "0.1.0".to_owned(),
            name: "demo".to_owned(),
            template: TemplateSource { path: "/t/axum-min".to_owned(), commit: Some("abc".to_owned()) },
            values: BTreeMap::from([
                ("port".to_owned(), TemplateValue::Text("9000".to_owned())),
                ("tracing".to_owned(), TemplateValue::Bool(true)),
                ("extras".to_owned(), TemplateValue::List(vec!["a".to_owned(), "b".to_owned()])),
            ]),
        };
        let text = answers.to_toml();
        assert!(text.starts_with("# Written by backend-gen"), "{text}");
        assert_eq!(AnswersFile::parse(&text).expect("parses"), AnswersFile::Template(answers));
        assert!(matches!(AnswersFile::parse(&answers_text()).expect("parses"), AnswersFile::Stack(_)));
    }

    fn answers_text() -> String {
        answers().to_toml()
    }
}
