//! The public view of the registered stacks: what `list --format json` and `serve`'s `/metadata`
//! promise, and nothing internal.

use backend_gen_core::feature::{Feature, FeatureGroup};
use backend_gen_core::option::{self, OptionSpec};
use backend_gen_core::{GENERATOR_VERSION, Registry, StackInfo};
use serde::Serialize;

/// One stack: its features (with requires, conflicts, group and default), groups and options.
#[derive(Debug, Serialize)]
pub struct StackListing {
    pub id: &'static str,
    pub summary: &'static str,
    pub features: &'static [Feature],
    pub groups: &'static [FeatureGroup],
    /// The options every stack has, then the stack's own.
    pub options: Vec<&'static OptionSpec>,
}

impl From<&'static StackInfo> for StackListing {
    fn from(info: &'static StackInfo) -> Self {
        let StackInfo { id, summary, features, groups, .. } = info;
        Self { id, summary, features, groups, options: option::all(info).collect() }
    }
}

/// Every stack, in the registry's order, and the version of the generator that lists them.
#[derive(Debug, Serialize)]
pub struct Listing {
    pub generator_version: &'static str,
    pub stacks: Vec<StackListing>,
}

impl Listing {
    pub fn of(registry: &Registry) -> Self {
        Self { generator_version: GENERATOR_VERSION, stacks: registry.stacks().map(StackListing::from).collect() }
    }
}
