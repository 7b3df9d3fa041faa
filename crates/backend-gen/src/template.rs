//! `backend-gen new --template`: a local cargo-generate template through our pipeline: the name
//! validated once, the values checked (or asked on a terminal), the render in a child process into
//! a scratch folder beside the target, then our writer's stage, answers file, first commit and rename.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use backend_gen_core::answers::{ANSWERS_FILE, TemplateAnswers, TemplateSource, TemplateValue};
use backend_gen_core::name::{Identifier, NameError, ProjectName};
use backend_gen_core::words::RUST_RESERVED;
use backend_gen_core::write::{self, WriteOptions};
use backend_gen_core::{GENERATOR_VERSION, IdentifierRule, ProjectPlan, RelPath, SpecError};
use backend_gen_template::{Job, RenderFailure, TemplateConfig, TemplateError};
use serde_json::json;

use crate::child::Ended;
use crate::cli::Format;
use crate::commands::new::{inside_a_work_tree, publish};
use crate::commands::render_template::failure_path;
use crate::error::CliError;
use crate::settings::{NewSettings, TemplateInput};
use crate::{interrupt, prompt};

/// A render of a small template takes well under a second; this stops a script that never ends.
const RENDER_TIMEOUT: Duration = Duration::from_secs(120);

pub fn run(settings: &NewSettings, input: &TemplateInput) -> Result<String, CliError> {
    // A template is Rust, whatever the stacks are: Rust's rules apply to its name, not the stacks'.
    let name = ProjectName::parse(&input.name).map_err(SpecError::from)?;
    name.check(&IdentifierRule {
        ecosystem: "Rust",
        identifier: Identifier::Snake,
        reserved: RUST_RESERVED,
        why: "a Rust keyword or a crate every Rust program can name",
    })
    .map_err(SpecError::from)?;
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let options = WriteOptions { force: settings.force, ..WriteOptions::default() };
    // The target's refusals come first, before the template is read or anything renders.
    let staged = if settings.dry_run {
        write::preflight(&settings.target, settings.force)?;
        None
    } else {
        let _writing = interrupt::writing();
        let staged = write::stage_empty(&settings.target, &options)?;
        interrupt::remove_on_interrupt(staged.path());
        Some(staged)
    };
    // Beside the stage (one file system, for the final move), removed with it on any failure.
    let beside = staged.as_ref().and_then(|s| s.path().parent()).map_or_else(std::env::temp_dir, Path::to_path_buf);
    let scratch = {
        let _writing = interrupt::writing();
        let scratch = tempfile::Builder::new()
            .prefix(&format!(".{}.backend-gen-template-", name.raw))
            .tempdir_in(&beside)
            .map_err(|e| CliError::Internal(format!("could not create a folder in `{}`: {e}", beside.display())))?;
        interrupt::remove_on_interrupt(scratch.path());
        scratch
    };

    let copy = scratch.path().join("template");
    let exported = {
        let _writing = interrupt::writing();
        backend_gen_template::export(&input.path, input.commit.as_deref(), &copy)?
    };
    if backend_gen_template::dependency_names(&copy).contains(&name.snake) {
        return Err(SpecError::from(NameError::Reserved {
            name: name.raw.clone(),
            ecosystem: "Rust",
            identifier: name.snake.clone(),
            why: "a crate the template depends on, which the project's own crate would shadow",
            suggestion: format!("{}-service", name.kebab),
        })
        .into());
    }
    if exported.dirty {
        stderr_line!(
            "note: `{}` has uncommitted changes; its commit {} is rendered without them",
            exported.source.display(),
            exported.commit.as_deref().unwrap_or_default()
        );
    }
    if !exported.skipped.is_empty() {
        stderr_line!(
            "note: not copied from the template (symbolic links and submodules): {}",
            backend_gen_core::backticked(&exported.skipped)
        );
    }
    let config = TemplateConfig::load_and_check(&copy)?;
    let mut values = backend_gen_template::check_values(&config, &input.values)?;
    for placeholder in &config.placeholders {
        if placeholder.conditional || values.contains_key(&placeholder.name) {
            continue;
        }
        let value = match &placeholder.default {
            _ if interactive => prompt::placeholder(placeholder)?,
            Some(default) => backend_gen_template::parse_value(placeholder, default)?,
            None => return Err(missing(&config, &placeholder.name).into()),
        };
        values.insert(placeholder.name.clone(), value);
    }

    let mut allow_commands = settings.allow_commands;
    let mut attempt = 0;
    let destination = loop {
        attempt += 1;
        let destination = scratch.path().join(format!("out-{attempt}"));
        let job = Job {
            template: copy.clone(),
            destination: destination.clone(),
            scratch: scratch.path().to_owned(),
            name: name.raw.clone(),
            values: values.clone(),
            allow_commands,
        };
        // cargo-generate's own copy of the template goes to our scratch folder too.
        let _ = std::fs::remove_dir_all(scratch.path().join("tmp"));
        match render_in_child(&job, scratch.path())? {
            None => break destination,
            Some(RenderFailure::Missing { name }) if interactive && !values.contains_key(&name) => {
                let placeholder = config.placeholder(&name).ok_or_else(|| {
                    TemplateError::Render(format!("the template asks for `{name}`, which it does not declare"))
                })?;
                values.insert(name.clone(), prompt::placeholder(placeholder)?);
            }
            Some(RenderFailure::Missing { name }) => return Err(missing(&config, &name).into()),
            Some(RenderFailure::Commands) if interactive && !allow_commands && prompt::allow_commands()? => {
                allow_commands = true;
            }
            Some(RenderFailure::Commands) => return Err(TemplateError::Commands.into()),
            Some(RenderFailure::Failed(message)) => return Err(TemplateError::Render(message).into()),
        }
        // Each question answered or permission given makes the next attempt go further.
        std::fs::remove_dir_all(&destination).ok();
    };
    let rendered = backend_gen_template::output_folder(&destination, config.init)
        .ok_or_else(|| TemplateError::Render("cargo-generate wrote no project folder".to_owned()))?;
    if rendered.join(ANSWERS_FILE).exists() {
        return Err(
            TemplateError::Render(format!("the template writes `{ANSWERS_FILE}`, which is backend-gen's")).into()
        );
    }
    let answers = TemplateAnswers {
        generator_version: GENERATOR_VERSION.to_owned(),
        name: name.raw.clone(),
        template: TemplateSource { path: exported.source.display().to_string(), commit: exported.commit.clone() },
        values,
    };
    let report = Report { settings, answers: &answers, files: files(&rendered) };
    let Some(staged) = staged else { return Ok(report.describe(None)) };

    {
        let _writing = interrupt::writing();
        staged.adopt(&rendered)?;
        let mut plan = ProjectPlan::default();
        let path = RelPath::new(ANSWERS_FILE).map_err(|e| CliError::Internal(e.to_string()))?;
        plan.add_file(path, answers.to_toml(), false).map_err(|e| CliError::Internal(e.to_string()))?;
        staged.write(&plan, settings.fail_after_files)?;
    }
    publish(staged, settings.git && !inside_a_work_tree(&settings.target), &name.raw)?;
    let cargo = settings.target.join("Cargo.toml").is_file();
    Ok(report.describe(Some(if cargo { vec!["cargo test".to_owned()] } else { Vec::new() })))
}

fn missing(config: &TemplateConfig, name: &str) -> TemplateError {
    let prompt = config.placeholder(name).map_or_else(|| name.to_owned(), |p| p.prompt.clone());
    TemplateError::Missing { name: name.to_owned(), prompt }
}

/// Runs `backend-gen render-template JOB` with a time limit; `None` when it rendered.
fn render_in_child(job: &Job, scratch: &Path) -> Result<Option<RenderFailure>, CliError> {
    let internal =
        |what: &str, e: &dyn std::fmt::Display| CliError::Internal(format!("{what}: {e}; nothing was written"));
    let job_path = scratch.join("job.json");
    let json = serde_json::to_string(job).map_err(|e| internal("could not write the render job", &e))?;
    std::fs::write(&job_path, json).map_err(|e| internal("could not write the render job", &e))?;
    let tmp = scratch.join("tmp");
    std::fs::create_dir_all(&tmp).map_err(|e| internal("could not create a folder", &e))?;
    let exe = std::env::current_exe().map_err(|e| internal("could not find backend-gen itself", &e))?;
    let mut command = Command::new(exe);
    command.arg("render-template").arg(&job_path).env("TMPDIR", &tmp).current_dir(scratch);
    // Values come from our file only: none from cargo-generate's environment variables.
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("CARGO_GENERATE") {
            command.env_remove(key);
        }
    }
    // cargo-generate refuses to run without some user name for its `authors` value.
    if ["CARGO_NAME", "GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME", "USER", "USERNAME", "NAME"]
        .iter()
        .all(|v| std::env::var_os(v).is_none())
    {
        command.env("CARGO_NAME", "backend-gen");
    }
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| internal("could not start the render", &e))?;
    let (status, output) = match crate::child::wait(child, RENDER_TIMEOUT) {
        Ended::Exited(status, output) => (status, output),
        Ended::TimedOut => {
            return Err(TemplateError::Render(format!(
                "it took longer than {} s (a hook or filter script that never ends?)",
                RENDER_TIMEOUT.as_secs()
            ))
            .into());
        }
    };
    if status.success() {
        return Ok(None);
    }
    match std::fs::read_to_string(failure_path(&job_path)).ok().and_then(|t| serde_json::from_str(&t).ok()) {
        Some(failure) => Ok(Some(failure)),
        None => Ok(Some(RenderFailure::Failed(output.trim().lines().last().unwrap_or("no message").to_owned()))),
    }
}

/// Every file under `dir` with its size, sorted by path.
fn files(dir: &Path) -> Vec<(String, u64)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path: PathBuf = entry.path();
            match entry.metadata() {
                Ok(meta) if meta.is_dir() => stack.push(path),
                Ok(meta) => {
                    let relative = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                    found.push((relative, meta.len()));
                }
                Err(_) => {}
            }
        }
    }
    found.sort();
    found
}

struct Report<'a> {
    settings: &'a NewSettings,
    answers: &'a TemplateAnswers,
    files: Vec<(String, u64)>,
}

impl Report<'_> {
    /// The result as text or JSON; `next_steps` is `None` for a dry run.
    fn describe(&self, next_steps: Option<Vec<String>>) -> String {
        let Self { settings, answers, files } = self;
        let target = settings.target.display().to_string();
        let template = &answers.template;
        if settings.format == Format::Json {
            let values: BTreeMap<_, _> = answers.values.iter().collect();
            let files: Vec<_> = files.iter().map(|(p, b)| json!({"path": p, "bytes": b})).collect();
            let report = json!({
                "dry_run": settings.dry_run,
                "target": target,
                "name": answers.name,
                "template": {"path": template.path, "commit": template.commit},
                "values": values,
                "git": settings.git,
                "files": files,
                "next_steps": next_steps,
            });
            return serde_json::to_string_pretty(&report).unwrap_or_default() + "\n";
        }
        let mut out = String::new();
        let verb = if settings.dry_run { "Would create" } else { "Created" };
        let commit =
            template.commit.as_deref().map(|c| format!(" at commit {}", &c[..c.len().min(12)])).unwrap_or_default();
        let values: Vec<_> = answers.values.iter().map(|(k, v)| format!("{k}={}", TemplateValue::to_raw(v))).collect();
        let values = if values.is_empty() { "none".to_owned() } else { values.join(", ") };
        let _ = writeln!(out, "{verb} `{target}` from the template `{}`{commit}; values: {values}", template.path);
        if settings.dry_run {
            for (path, bytes) in files {
                let _ = writeln!(out, "  {path} ({bytes} bytes)");
            }
            let _ = writeln!(out, "Nothing was written (--dry-run). A real run also writes `{ANSWERS_FILE}`.");
        }
        if let Some(steps) = next_steps {
            let _ = writeln!(out, "Next:");
            let _ = writeln!(out, "  cd {target}");
            for step in steps {
                let _ = writeln!(out, "  {step}");
            }
        }
        out
    }
}
