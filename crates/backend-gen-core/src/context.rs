//! The template context every stack's templates share: the project's identifiers, features, options,
//! the contract, the environment, configuration, and the contract's OpenAPI document with its normal
//! form; a stack's own fields (`PlanBuilder::set_context`) sit beside them at the top level.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::builder::PlanBuilder;
use crate::common::{self, ActionPin};
use crate::contract::{self, CONTRACT, Contract, EnvVar, openapi};
use crate::error::GenerateError;
use crate::name::ProjectName;
use crate::spec::ProjectSpec;

/// The version of a freshly generated project, in its manifest and its OpenAPI document.
pub const PROJECT_VERSION: &str = "0.1.0";

/// What `{{…}}` can name in a template.
#[derive(Debug, Serialize)]
pub struct TemplateContext<'a> {
    pub project: &'a ProjectName,
    /// Every feature of the stack, enabled or not, by id with `-` written `_` (`features.github_actions`).
    pub features: BTreeMap<String, bool>,
    /// Every option of the stack with its value (`options.group`).
    pub options: &'a BTreeMap<String, String>,
    pub contract: &'static Contract,
    pub env: &'a [EnvVar],
    /// The names of the variables `.env` holds fresh secrets for, in `env`'s order: a project's
    /// `init-env` command generates them from `.env.example` (a downloaded archive has no `.env`).
    pub secret_variables: Vec<&'static str>,
    pub port: u16,
    /// The default `DATABASE_URL`.
    pub database_url: &'static str,
    /// Configuration values contributed by the stack and its features (`config.database.kind`).
    pub config: &'a Map<String, Value>,
    /// The contract's OpenAPI document, pretty-printed: the projects' own tests compare the served one with it.
    pub contract_openapi: String,
    /// `openapi::normalize` of that document, so a stack's port of the normal form can prove it agrees.
    pub contract_openapi_normal: String,
    /// The GitHub Actions the generated CI workflows use, pinned to commits (`actions.checkout.sha`).
    pub actions: BTreeMap<String, ActionPin>,
    #[serde(flatten)]
    pub stack: &'a Map<String, Value>,
}

impl<'a> TemplateContext<'a> {
    pub fn new(spec: &'a ProjectSpec, plan: &'a PlanBuilder) -> Result<Self, GenerateError> {
        let info = spec.stack.info();
        let document = openapi::document(&spec.name.title, PROJECT_VERSION);
        let pretty = |value: &Value| {
            serde_json::to_string_pretty(value)
                .map_err(|e| GenerateError::Data { file: "contract OpenAPI document".into(), message: e.to_string() })
        };
        Ok(Self {
            project: &spec.name,
            features: info.features.iter().map(|f| (f.id.replace('-', "_"), spec.has(f.id))).collect(),
            options: &spec.options,
            contract: &CONTRACT,
            env: plan.environment(),
            secret_variables: contract::secret_names(plan.environment()).collect(),
            port: info.port,
            database_url: info.database_example,
            config: &plan.config,
            contract_openapi: pretty(&document)?,
            contract_openapi_normal: pretty(&openapi::normalize(&document))?,
            actions: common::actions()?,
            stack: &plan.context,
        })
    }
}
