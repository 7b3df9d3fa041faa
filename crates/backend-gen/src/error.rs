//! Errors as the user sees them: a message with values in backticks, and an exit status.

use std::process::ExitCode;

use backend_gen_core::answers::AnswersError;
use backend_gen_core::git::GitError;
use backend_gen_core::write::WriteError;
use backend_gen_core::{GenerateError, InvalidStack, SpecError};
use backend_gen_template::TemplateError;

/// A failure of one command.
#[derive(Debug)]
pub enum CliError {
    /// Something the user can fix; exit status 2.
    User(String),
    /// A bug or an environment failure; exit status 1.
    Internal(String),
}

impl CliError {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Self::User(_) => ExitCode::from(2),
            Self::Internal(_) => ExitCode::from(1),
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Self::User(m) | Self::Internal(m) => m,
        }
    }
}

impl From<SpecError> for CliError {
    fn from(e: SpecError) -> Self {
        Self::User(e.to_string())
    }
}

impl From<AnswersError> for CliError {
    fn from(e: AnswersError) -> Self {
        Self::User(e.to_string())
    }
}

impl From<WriteError> for CliError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::TargetNotEmpty(_)
            | WriteError::TargetNotADirectory(_)
            | WriteError::BadOutput { .. }
            | WriteError::NotPlain { .. } => Self::User(e.to_string()),
            // The message itself says where both projects are: "nothing was written" would be false.
            WriteError::SwapFailed { .. } => Self::Internal(e.to_string()),
            WriteError::Io { .. } => Self::Internal(format!("{e}; nothing was written")),
        }
    }
}

impl From<GenerateError> for CliError {
    fn from(e: GenerateError) -> Self {
        match e {
            GenerateError::Random(_) => Self::Internal(format!("{e}; nothing was written")),
            _ => Self::Internal(format!("{e} (a bug in backend-gen; please report it)")),
        }
    }
}

impl From<GitError> for CliError {
    fn from(e: GitError) -> Self {
        Self::Internal(format!("{e}; nothing was written (pass `--no-git` to skip git)"))
    }
}

impl From<TemplateError> for CliError {
    fn from(e: TemplateError) -> Self {
        match e {
            // The template is the user's input: refusing it, or its values, is theirs to fix.
            TemplateError::Io { .. } => Self::Internal(format!("{e}; nothing was written")),
            _ => Self::User(e.to_string()),
        }
    }
}

impl From<InvalidStack> for CliError {
    fn from(e: InvalidStack) -> Self {
        Self::Internal(format!("{e} (a bug in backend-gen; please report it)"))
    }
}
