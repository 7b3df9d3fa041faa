//! Stack-neutral core of backend-gen: the project model and its validation, features and options, the
//! plan builder and template context, rendering, the build model and its writers, the one writer of
//! projects, the answers file, git, secrets, the service contract, and the test kit every stack runs.

pub mod answers;
pub mod build;
pub mod builder;
pub mod common;
pub mod context;
pub mod contract;
mod error;
pub mod feature;
pub mod git;
pub mod name;
pub mod option;
pub mod plan;
pub mod registry;
pub mod render;
pub mod secret;
pub mod spec;
pub mod stack;
mod suggest;
pub mod template;
pub mod testing;
pub mod verification;
pub mod words;
pub mod write;

pub use builder::PlanBuilder;
pub use error::GenerateError;
pub use plan::{ProjectPlan, RelPath};
pub use registry::{GENERATOR_VERSION, InvalidStack, Registry, Secrets};
pub use spec::{ProjectSpec, SpecError, SpecInput};
pub use stack::{Generator, IdentifierRule, Lockfile, Stack, StackInfo};
pub use suggest::{backticked, did_you_mean};
