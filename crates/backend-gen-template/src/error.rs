//! Why a template was refused or could not be rendered: every variant but `Io` is the user's to fix.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// A template refused, a value refused, or a render that failed.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error(
        "`{given}` is a remote template; only local templates are supported in this build (it has no network \
         code): clone it first (`git clone {url} my-template`) and pass the folder: `--template my-template`"
    )]
    Remote { given: String, url: String },
    #[error(
        "the template `{0}` is not a folder; pass the folder of a cargo-generate template (or of a local git clone)"
    )]
    NotAFolder(PathBuf),
    #[error(
        "the template repository `{path}` has no commit `{commit}`; fetch it, or edit the answers file's `template.commit`"
    )]
    MissingCommit { path: PathBuf, commit: String },
    #[error("the template's `cargo-generate.toml` is invalid: {0}; fix the template")]
    BadConfig(String),
    #[error(
        "the template is refused: {what} `{path}` leaves the template folder (an absolute path or a `..`); \
         nothing was written; fix the template"
    )]
    Escapes { what: String, path: String },
    #[error(
        "the template is refused: `{file}` passes a computed path to the `rhai` filter, which could name a file \
         outside the template; nothing was written; write the script's path as a quoted relative path"
    )]
    ComputedFilterPath { file: String },
    #[error("the template has no placeholder `{key}`{hint}; its placeholders: {valid}")]
    UnknownPlaceholder { key: String, hint: String, valid: String },
    #[error("placeholder `{key}` cannot be `{value}`: {why}")]
    BadValue { key: String, value: String, why: String },
    #[error(
        "placeholder `{name}` ({prompt}) has no value and standard input is not a terminal to ask for it; \
         pass it, for example `--define {name}=VALUE`"
    )]
    Missing { name: String, prompt: String },
    #[error(
        "the template's hooks run system commands, which are refused; nothing was written. Read its hooks, and \
         pass `--allow-commands` to let them run"
    )]
    Commands,
    #[error("`{0}` is not a placeholder assignment; write `--define KEY=VALUE`")]
    BadDefine(String),
    #[error("the template could not be rendered; nothing was written: {0}")]
    Render(String),
    #[error("could not {action} `{path}`: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// How a render in the child process failed, as it tells its parent (JSON in a file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RenderFailure {
    /// A placeholder (of a conditional block: the others are complete before the render) has no value.
    Missing { name: String },
    /// A hook tried to run a system command without `allow_commands`.
    Commands,
    /// Anything else cargo-generate reported, its whole chain.
    Failed(String),
}

pub(crate) fn io_error(action: &'static str, path: &std::path::Path) -> impl FnOnce(std::io::Error) -> TemplateError {
    let path = path.to_owned();
    move |source| TemplateError::Io { action, path, source }
}
