//! The hidden `render-template JOB`: the child process of `new --template`, which renders one job
//! with cargo-generate and leaves its failure, typed, in `JOB.failure.json` for the parent.

use backend_gen_template::{Job, RenderFailure};

use crate::cli::RenderTemplateArgs;
use crate::error::CliError;

/// The file beside `job` where a failure is written.
pub fn failure_path(job: &std::path::Path) -> std::path::PathBuf {
    job.with_extension("failure.json")
}

pub fn run(args: &RenderTemplateArgs) -> Result<String, CliError> {
    let text = std::fs::read_to_string(&args.job)
        .map_err(|e| CliError::Internal(format!("could not read the job `{}`: {e}", args.job.display())))?;
    let job: Job = serde_json::from_str(&text)
        .map_err(|e| CliError::Internal(format!("invalid job `{}`: {e}", args.job.display())))?;
    match backend_gen_template::render(&job) {
        Ok(()) => Ok(String::new()),
        Err(failure) => {
            let json = serde_json::to_string(&failure).unwrap_or_default();
            let _ = std::fs::write(failure_path(&args.job), json);
            let message = match failure {
                RenderFailure::Failed(m) => m,
                other => format!("{other:?}"),
            };
            Err(CliError::Internal(message))
        }
    }
}
