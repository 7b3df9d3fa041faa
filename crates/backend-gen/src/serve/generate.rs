//! The project a request asks for, made as `new` makes it (the same validation, plan and lockfile
//! step) but with `.env.example` only: an archive passes through networks and browser caches, so
//! it never holds a live secret.

use backend_gen_core::write::WriteOptions;
use backend_gen_core::{ProjectPlan, ProjectSpec, Registry, Secrets, SpecInput};
use serde::Serialize;

use super::archive::{self, Entry, Format};
use crate::error::CliError;
use crate::stage::{self, Lockfile};

/// A spec and its plan, checked by the core as `new` checks its flags.
///
/// Errors: the CLI's, word for word (`CliError::User` for what the user can fix).
pub fn plan(registry: &Registry, input: &SpecInput) -> Result<(ProjectSpec, ProjectPlan), CliError> {
    let spec = registry.spec(input)?;
    let plan = registry.plan(&spec, Secrets::ExampleOnly)?;
    Ok((spec, plan))
}

/// The project as an archive: the plan's files and the stack's lockfile, in one folder named
/// after the project. Blocking (it writes a stage and runs the lockfile command): call it off the
/// async runtime.
pub fn archive(spec: &ProjectSpec, plan: &ProjectPlan, format: Format) -> Result<Vec<u8>, CliError> {
    let scratch =
        tempfile::tempdir().map_err(|e| CliError::Internal(format!("could not make a temporary folder: {e}")))?;
    let target = scratch.path().join(&spec.name.raw);
    let (staged, lockfile) = stage::stage(spec, plan, &target, &WriteOptions::default())?;
    let mut entries = Vec::with_capacity(plan.files.len() + 1);
    for (path, file) in &plan.files {
        if file.private {
            // Secrets::ExampleOnly plans no private file; packing one would break the promise above.
            return Err(CliError::Internal(format!(
                "`{path}` holds secrets and is never packed (a bug in backend-gen)"
            )));
        }
        entries.push(Entry {
            path: path.to_string(),
            contents: file.contents.clone().into_bytes(),
            executable: file.executable,
        });
    }
    match lockfile {
        Lockfile::Written(path) => {
            let contents = std::fs::read(staged.path().join(path))
                .map_err(|e| CliError::Internal(format!("could not read the lockfile `{path}`: {e}")))?;
            entries.push(Entry { path: path.to_owned(), contents, executable: false });
        }
        Lockfile::Missing { path, why, .. } => {
            stderr_line!("note: `{}` is packed without `{path}`: {why}", spec.name.raw)
        }
        Lockfile::None => {}
    }
    archive::pack(&spec.name.raw, &entries, format).map_err(|e| CliError::Internal(e.to_string()))
}

/// `/preview`: what the archive will hold, for the page's explore view.
#[derive(Debug, Serialize)]
pub struct Preview<'a> {
    pub name: &'a str,
    pub stack: &'a str,
    /// The features the project gets: the chosen ones, the defaults and what they require.
    pub features: Vec<&'static str>,
    pub options: &'a std::collections::BTreeMap<String, String>,
    pub files: Vec<PreviewFile<'a>>,
    /// The lockfile the archive adds, made by the stack's tool when the archive is made.
    pub lockfile: Option<PreviewLockfile>,
    /// The project's command that creates `.env` with fresh secrets (an archive has none).
    pub init_env: String,
}

#[derive(Debug, Serialize)]
pub struct PreviewFile<'a> {
    pub path: &'a str,
    pub executable: bool,
    pub contents: &'a str,
}

#[derive(Debug, Serialize)]
pub struct PreviewLockfile {
    pub path: &'static str,
    /// The program that writes it (`uv`, `npm`).
    pub tool: String,
}

impl<'a> Preview<'a> {
    pub fn of(spec: &'a ProjectSpec, plan: &'a ProjectPlan) -> Self {
        Self {
            name: &spec.name.raw,
            stack: spec.stack.id(),
            features: spec.features.iter().copied().collect(),
            options: &spec.options,
            files: plan
                .files
                .iter()
                .map(|(path, file)| PreviewFile {
                    path: path.as_str(),
                    executable: file.executable,
                    contents: &file.contents,
                })
                .collect(),
            lockfile: spec
                .stack
                .generator()
                .lockfile(spec)
                .map(|lock| PreviewLockfile { path: lock.path, tool: lock.step.program.clone() }),
            init_env: {
                let step = spec.stack.generator().verification(spec).serve.init_env;
                std::iter::once(step.program).chain(step.args).collect::<Vec<_>>().join(" ")
            },
        }
    }
}
