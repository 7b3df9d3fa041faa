//! Stack-neutral core of backend-gen: the project model and its validation, features, the in-memory
//! plan, rendering, the one writer, the answers file, git, secrets and the service contract.

pub mod answers;
pub mod build;
pub mod contract;
mod error;
pub mod feature;
pub mod generator;
pub mod git;
pub mod name;
pub mod plan;
pub mod render;
mod reserved;
pub mod secret;
pub mod spec;
pub mod template;
pub mod verification;
pub mod write;

pub use generator::{GENERATOR_VERSION, GenerateError, Generator, OptionSpec, Registry, Secrets, StackInfo};
pub use plan::{Dependency, ProjectPlan, RelPath, Scope};
pub use spec::{ProjectSpec, SpecError, SpecInput};
