//! Rebuilds the crate when a template changes: `include_dir!` alone does not tell cargo.

fn main() {
    println!("cargo:rerun-if-changed=../../generators/kotlin");
}
