//! `ProjectSpec`: the one validated description of a project, whether it came from flags,
//! prompts or an answers file.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::feature::{FeatureError, FeatureRequest};
use crate::name::{NameError, ProjectName};
use crate::stack::Stack;

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
    /// The stack, resolved once: generating needs no second lookup by id.
    pub stack: Stack,
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
    #[error("unknown stack `{stack}`{hint}; valid stacks: {valid}")]
    UnknownStack { stack: String, hint: String, valid: String },
    #[error(transparent)]
    Feature(#[from] FeatureError),
    #[error("unknown option `{key}` for stack `{stack}`{hint}; valid options: {valid}")]
    UnknownOption { key: String, stack: &'static str, hint: String, valid: String },
    #[error("option `{key}` cannot be `{value}`: {why}")]
    BadOptionValue { key: String, value: String, why: String },
    #[error("`{given}` is not an option assignment; write `--option KEY=VALUE` with a key `backend-gen list` shows")]
    BadOptionSyntax { given: String },
}
