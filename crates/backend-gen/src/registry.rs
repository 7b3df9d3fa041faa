//! The registered stacks. Adding a stack is one line in `STACKS` and its dependency in Cargo.toml
//! (`cargo xtask new-generator NAME` does both).

use backend_gen_core::{Generator, InvalidStack, Registry};

/// Every stack, one line each, in the order `list` and the prompts show them.
const STACKS: &[&'static dyn Generator] = &[
    &backend_gen_python::PythonGenerator, // stack: python
    &backend_gen_node::NodeGenerator,     // stack: node
    &backend_gen_kotlin::KotlinGenerator, // stack: kotlin
];

/// Every stack, its data checked (a stack whose data contradicts itself is a bug, reported as such).
pub fn registry() -> Result<Registry, InvalidStack> {
    Registry::new(STACKS.to_vec())
}
