//! `ProjectSpec`: the one validated description of a project, whether it came from flags,
//! prompts or an answers file.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::feature::{FeatureError, FeatureRequest};
use crate::name::{NameError, ProjectName};

/// Unvalidated input, as the CLI or an answers file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecInput {
    pub name: String,
    pub stack: String,
    pub features: FeatureRequest,
    pub options: BTreeMap<String, String>,
}

/// A project that can be generated: every value checked, every feature resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectSpec {
    pub name: ProjectName,
    pub stack: &'static str,
    pub features: BTreeSet<&'static str>,
    /// Every option of the stack, defaults filled in.
    pub options: BTreeMap<String, String>,
}

impl ProjectSpec {
    pub fn has(&self, feature: &str) -> bool {
        self.features.contains(feature)
    }
}

/// Why a project description was refused. All of these are the user's to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error(transparent)]
    Name(#[from] NameError),
    #[error("unknown stack `{stack}`; valid stacks: {valid}")]
    UnknownStack { stack: String, valid: String },
    #[error(
        "`{name}` would make the {stack} package `{identifier}` shadow a dependency of the generated project; try `{name}-service`"
    )]
    ShadowsDependency { name: String, stack: &'static str, identifier: String },
    #[error(transparent)]
    Feature(#[from] FeatureError),
    #[error("unknown option `{key}` for stack `{stack}`; valid options: {valid}")]
    UnknownOption { key: String, stack: &'static str, valid: String },
    #[error("option `{key}` cannot be `{value}`; valid values: {valid}")]
    BadOptionValue { key: String, value: String, valid: String },
}
