//! The registered stacks. Adding a stack is one line here and one dependency in Cargo.toml.

use backend_gen_core::Registry;

pub fn registry() -> Registry {
    Registry::new(vec![&backend_gen_python::PythonGenerator])
}
