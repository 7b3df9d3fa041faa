//! `GenerateError`: a generator could not build its plan. Always a bug in backend-gen's code or data
//! (templates, pins), never the user's mistake: those are refused earlier, as `SpecError`.

use crate::build::BuildError;
use crate::plan::{DuplicateFile, UnsafePath};
use crate::render::RenderError;
use crate::secret::RandomError;

/// A generator failed to build its plan: a bug in the generator or its templates, not a user error.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Path(#[from] UnsafePath),
    #[error(transparent)]
    Duplicate(#[from] DuplicateFile),
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error("the {stack} stack writes a `.env` that its `.gitignore` does not ignore, so git would commit its secrets")]
    EnvNotIgnored { stack: &'static str },
    #[error("generator data `{file}` is invalid: {message}")]
    Data { file: String, message: String },
    /// The operating system's random source failed: the environment's fault, not a bug.
    #[error(transparent)]
    Random(#[from] RandomError),
}
