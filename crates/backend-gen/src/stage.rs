//! A stack's project in its stage: the plan's files, then the lockfile the stack's own tool makes.
//! `new` publishes the stage; `serve` packs it into an archive. One path, so both give the same files.

use std::path::Path;

use backend_gen_core::write::{self, StagedProject, WriteOptions};
use backend_gen_core::{ProjectPlan, ProjectSpec};

use crate::error::CliError;
use crate::{interrupt, lock};

/// What became of the stack's lockfile.
#[derive(Debug)]
pub enum Lockfile {
    /// The stack has none.
    None,
    /// Written at this path, relative to the project.
    Written(&'static str),
    /// Not written: the project is complete without it; `hint` says how to make it.
    Missing { path: &'static str, why: String, hint: String },
}

/// Writes `plan` into a stage beside `target`, then runs the stack's lockfile command in it.
///
/// Errors: the writer's (a bad or non-empty target, an I/O failure); a lockfile that could not be
/// made is not one (see [`Lockfile::Missing`]).
pub fn stage(
    spec: &ProjectSpec,
    plan: &ProjectPlan,
    target: &Path,
    options: &WriteOptions,
) -> Result<(StagedProject, Lockfile), CliError> {
    let staged = {
        let _writing = interrupt::writing();
        let staged = write::stage_empty(target, options)?;
        interrupt::remove_on_interrupt(staged.path());
        staged.write(plan, options.fail_after_files)?;
        staged
    };
    let lockfile = match spec.stack.generator().lockfile(spec) {
        None => Lockfile::None,
        Some(lockfile) => match lock::write(staged.path(), &lockfile) {
            Ok(()) => Lockfile::Written(lockfile.path),
            Err(why) => Lockfile::Missing {
                path: lockfile.path,
                why,
                hint: format!("{} {}", lockfile.step.program, lockfile.step.args.join(" ")),
            },
        },
    };
    Ok((staged, lockfile))
}
