//! The registered stacks. Adding a stack is one line here and one dependency in Cargo.toml.

use backend_gen_core::{InvalidStack, Registry};

/// Every stack, its data checked (a stack whose data contradicts itself is a bug, reported as such).
pub fn registry() -> Result<Registry, InvalidStack> {
    Registry::new(vec![&backend_gen_python::PythonGenerator])
}
