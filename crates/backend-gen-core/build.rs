//! Rebuilds the crate when a shared partial changes: `include_dir!` alone does not tell cargo.

fn main() {
    println!("cargo:rerun-if-changed=../../generators/common");
}
