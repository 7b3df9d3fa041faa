//! Third-party cargo-generate templates for backend-gen: where a template comes from (a local folder
//! or git repository, copied into a folder of ours), what it asks (its placeholders), what it may
//! not do (paths that leave it), and the render itself, through the cargo-generate library.
//!
//! The render runs in a child process (see `backend-gen`'s hidden `render-template` command): a
//! template's scripts have no time limit of their own, and cargo-generate reads its environment.

mod config;
mod error;
mod render;
mod source;
mod values;

pub use config::{Kind, Placeholder, TemplateConfig};
pub use error::{RenderFailure, TemplateError};
pub use render::{Job, output_folder, render};
pub use source::{Exported, clone_url, dependency_names, export, is_remote};
pub use values::{check_values, parse_value};
