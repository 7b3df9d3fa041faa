//! `backend-gen new`: validate, plan in memory, stage, commit to git, move into place.

use std::fmt::Write;
use std::path::Path;

use backend_gen_core::write::{self, StagedProject, WriteOptions};
use backend_gen_core::{ProjectPlan, ProjectSpec, Registry, Secrets, backticked, git};
use serde_json::json;

use crate::cli::{Format, NewArgs};
use crate::error::CliError;
use crate::interrupt;
use crate::settings::{NewSettings, Source};
use crate::stage::{self, Lockfile};
use crate::template;

pub fn run(args: NewArgs, registry: &Registry) -> Result<String, CliError> {
    let settings = NewSettings::resolve(args, registry)?;
    if !settings.dry_run {
        interrupt::install()?;
    }
    let input = match &settings.source {
        Source::Stack(input) => input,
        Source::Template(input) => return template::run(&settings, input),
    };
    let spec = registry.spec(input)?;
    // A dry run shows the plan without minting secrets nobody will keep.
    let secrets = if settings.dry_run { Secrets::ExampleOnly } else { Secrets::Fresh };
    let plan = registry.plan(&spec, secrets)?;

    if settings.dry_run {
        // The same refusals as a real run, so "Would create" is never a promise the run breaks.
        write::preflight(&settings.target, settings.force)?;
        return Ok(describe(&settings, &spec, &plan, None));
    }
    let options =
        WriteOptions { force: settings.force, fail_after_files: settings.fail_after_files, ..WriteOptions::default() };
    let git = settings.git && !inside_a_work_tree(&settings.target);
    let (staged, lockfile) = stage::stage(&spec, &plan, &settings.target, &options)?;
    if let Lockfile::Missing { path, why, hint } = &lockfile {
        stderr_line!(
            "note: no `{path}` was written: {why}. Run `{hint}` in the project and commit the file; until then its \
             CI and Dockerfile resolve the dependencies themselves."
        );
    }
    let locked = matches!(lockfile, Lockfile::Written(_));
    publish(staged, git, &spec.name.raw)?;
    Ok(describe(&settings, &spec, &plan, Some(spec.stack.generator().next_steps(&spec, locked))))
}

/// Whether `target` would land inside an existing git work tree, in which case it gets no repository
/// of its own (a nested one would leave the outer repository with a gitlink and none of the files).
pub(crate) fn inside_a_work_tree(target: &Path) -> bool {
    let existing = target.ancestors().skip(1).find(|p| p.as_os_str().is_empty() || p.exists());
    let start = existing.filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match git::enclosing_work_tree(start) {
        Some(outer) => {
            stderr_line!(
                "note: no git repository was made: `{}` is inside the git work tree `{}`; add its files there",
                target.display(),
                outer.display()
            );
            true
        }
        None => false,
    }
}

/// The plan as text or JSON; `next_steps` is `None` for a dry run.
fn describe(settings: &NewSettings, spec: &ProjectSpec, plan: &ProjectPlan, next_steps: Option<Vec<String>>) -> String {
    let target = settings.target.display().to_string();
    let features: Vec<_> = spec.features.iter().collect();
    if settings.format == Format::Json {
        let files: Vec<_> = plan.files.iter().map(|(p, f)| json!({"path": p, "bytes": f.contents.len()})).collect();
        let report = json!({
            "dry_run": settings.dry_run,
            "target": target,
            "name": spec.name,
            "stack": spec.stack,
            "features": features,
            "options": spec.options,
            "git": settings.git,
            "files": files,
            "build": plan.build,
            "next_steps": next_steps,
        });
        return serde_json::to_string_pretty(&report).unwrap_or_default() + "\n";
    }
    let mut out = String::new();
    let verb = if settings.dry_run { "Would create" } else { "Created" };
    let features = if features.is_empty() {
        "none".to_owned()
    } else {
        spec.features.iter().copied().collect::<Vec<_>>().join(", ")
    };
    let _ = writeln!(out, "{verb} `{target}`: stack {}, features: {features}", spec.stack);
    if settings.dry_run {
        for (path, file) in &plan.files {
            let _ = writeln!(out, "  {path} ({} bytes)", file.contents.len());
        }
        let _ =
            writeln!(out, "Nothing was written (--dry-run). A real run also writes `.env` with fresh secrets and the");
        let _ = writeln!(out, "lockfile the stack's own tool makes.");
    }
    if let Some(steps) = next_steps {
        let secrets: Vec<_> = plan.secret_variables().collect();
        if !secrets.is_empty() {
            let _ = writeln!(out, "Fresh secrets ({}) are in `{target}/.env` (git-ignored).", backticked(secrets));
        }
        let _ = writeln!(out, "Next:");
        let _ = writeln!(out, "  cd {target}");
        for step in steps {
            let _ = writeln!(out, "  {step}");
        }
    }
    out
}

/// The last steps of every generation, from our stacks or a template: the first commit (when
/// `git`), then the stage renamed onto the target; a replaced folder that could not be removed is
/// a warning naming it, as the project itself is in place.
pub(crate) fn publish(staged: StagedProject, git: bool, name: &str) -> Result<(), CliError> {
    let _writing = interrupt::writing();
    if git {
        git::init_and_commit(staged.path(), &format!("Generate {name} with backend-gen"))?;
    }
    let committed = staged.commit()?;
    if let Some(leftover) = committed.leftover {
        stderr_line!(
            "warning: the replaced folder could not be removed; the new project is in place, delete `{}` yourself",
            leftover.display()
        );
    }
    Ok(())
}
