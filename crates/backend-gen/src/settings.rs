//! Turns parsed arguments into settings: answers file read, prompts asked, every flag accounted for.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use backend_gen_core::answers::{Answers, AnswersFile, TemplateAnswers};
use backend_gen_core::feature::FeatureRequest;
use backend_gen_core::option;
use backend_gen_core::{GENERATOR_VERSION, Registry, SpecInput};

use crate::cli::{Format, NewArgs};
use crate::error::CliError;
use crate::prompt;

/// Hidden test hook: make the writer fail after this many files (see the CLI tests).
const FAIL_AFTER_FILES_ENV: &str = "BACKEND_GEN_FAIL_AFTER_FILES";

/// Everything `backend-gen new` needs, resolved.
#[derive(Debug)]
pub struct NewSettings {
    pub source: Source,
    pub target: PathBuf,
    pub git: bool,
    pub force: bool,
    pub dry_run: bool,
    pub format: Format,
    pub fail_after_files: Option<usize>,
    /// Let a template's hooks run system commands.
    pub allow_commands: bool,
}

/// What the project is generated from.
#[derive(Debug)]
pub enum Source {
    Stack(SpecInput),
    Template(TemplateInput),
}

/// A third-party template and the values given for its placeholders, unchecked.
#[derive(Debug)]
pub struct TemplateInput {
    pub name: String,
    pub path: PathBuf,
    /// The commit an answers file recorded (a git repository's `HEAD` otherwise).
    pub commit: Option<String>,
    /// Raw values, as `--define` spells them.
    pub values: BTreeMap<String, String>,
}

impl Source {
    pub fn name(&self) -> &str {
        match self {
            Self::Stack(input) => &input.name,
            Self::Template(input) => &input.name,
        }
    }
}

impl NewSettings {
    pub fn resolve(args: NewArgs, registry: &Registry) -> Result<Self, CliError> {
        // Destructured so that a new flag cannot be silently ignored.
        let NewArgs {
            name,
            stack,
            features,
            no_default_features,
            options,
            template,
            defines,
            allow_commands,
            answers,
            output,
            no_git,
            force,
            dry_run,
            format,
        } = args;

        let source = match (answers, template) {
            (Some(path), _) => {
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    CliError::User(format!("could not read the answers file `{}`: {e}", path.display()))
                })?;
                let answers =
                    AnswersFile::parse(&text).map_err(|e| CliError::User(format!("`{}`: {e}", path.display())))?;
                let (written_by, newer) = match &answers {
                    AnswersFile::Stack(a) => (&a.generator_version, a.is_newer_than(GENERATOR_VERSION)),
                    AnswersFile::Template(a) => (&a.generator_version, a.is_newer_than(GENERATOR_VERSION)),
                };
                if newer {
                    stderr_line!(
                        "warning: `{}` was written by backend-gen {written_by}, newer than this {GENERATOR_VERSION}; \
                         upgrade backend-gen if the project comes out different",
                        path.display(),
                    );
                }
                match answers {
                    AnswersFile::Stack(answers) => {
                        only_for_templates(allow_commands)?;
                        Source::Stack(Answers::into_input(answers, name))
                    }
                    AnswersFile::Template(answers) => Source::Template(template_input(answers, name, &path)),
                }
            }
            (None, Some(template)) => {
                if stack.is_some() {
                    return Err(CliError::User(
                        "`--template` and `--stack` cannot be used together: a project comes from one stack or from \
                         one template; drop one of them"
                            .to_owned(),
                    ));
                }
                if !features.is_empty() || no_default_features || !options.is_empty() {
                    return Err(CliError::User(
                        "`--feature`, `--no-default-features` and `--option` choose a stack's parts; a template takes \
                         `--define KEY=VALUE` for its placeholders"
                            .to_owned(),
                    ));
                }
                if backend_gen_template::is_remote(&template) {
                    let url = backend_gen_template::clone_url(&template);
                    return Err(backend_gen_template::TemplateError::Remote { given: template, url }.into());
                }
                let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
                let name = match name {
                    Some(name) => name,
                    None if interactive => prompt::name()?,
                    None => {
                        return Err(missing(
                            "the project name",
                            &format!("backend-gen new my-service --template {template}"),
                        ));
                    }
                };
                let values = defines.iter().map(|d| parse_define(d)).collect::<Result<BTreeMap<_, _>, _>>()?;
                Source::Template(TemplateInput { name, path: PathBuf::from(template), commit: None, values })
            }
            (None, None) => {
                if !defines.is_empty() {
                    return Err(CliError::User(format!(
                        "`--define {}` sets a template's placeholder; pass `--template PATH` too (a stack takes \
                         `--option KEY=VALUE`)",
                        defines[0]
                    )));
                }
                only_for_templates(allow_commands)?;
                let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
                let name = match name {
                    Some(name) => name,
                    None if interactive => prompt::name()?,
                    None => return Err(missing("the project name", "backend-gen new my-service --stack python")),
                };
                let requested = FeatureRequest { features, default_features: !no_default_features };
                let mut options =
                    options.iter().map(|o| option::parse_assignment(o)).collect::<Result<BTreeMap<_, _>, _>>()?;
                let (stack, features) = match stack {
                    Some(stack) => (stack, requested),
                    None if interactive => {
                        let (stack, features) = prompt::stack_and_features(registry, requested)?;
                        prompt::options(registry, &stack, &mut options)?;
                        (stack, features)
                    }
                    None => {
                        let example = registry.stacks().next().map_or("python", |s| s.id);
                        return Err(missing("`--stack`", &format!("backend-gen new {name} --stack {example}")));
                    }
                };
                Source::Stack(SpecInput { name, stack, features, options })
            }
        };

        let fail_after_files = std::env::var(FAIL_AFTER_FILES_ENV).ok().and_then(|v| v.parse().ok());
        Ok(Self {
            target: output.join(source.name()),
            source,
            git: !no_git,
            force,
            dry_run,
            format,
            fail_after_files,
            allow_commands,
        })
    }
}

/// `--allow-commands` without a template would be silently ignored: refused instead.
fn only_for_templates(allow_commands: bool) -> Result<(), CliError> {
    if allow_commands {
        return Err(CliError::User(
            "`--allow-commands` lets a template's hooks run commands; it applies only with `--template`".to_owned(),
        ));
    }
    Ok(())
}

/// A template's answers as input; a relative template path is read from the answers file's folder.
fn template_input(answers: TemplateAnswers, name: Option<String>, file: &std::path::Path) -> TemplateInput {
    let path = PathBuf::from(&answers.template.path);
    let path = if path.is_relative() { file.parent().unwrap_or(std::path::Path::new(".")).join(path) } else { path };
    TemplateInput {
        name: name.unwrap_or(answers.name),
        path,
        commit: answers.template.commit,
        values: answers.values.iter().map(|(k, v)| (k.clone(), v.to_raw())).collect(),
    }
}

fn parse_define(given: &str) -> Result<(String, String), CliError> {
    match given.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => Ok((key.trim().to_owned(), value.to_owned())),
        _ => Err(backend_gen_template::TemplateError::BadDefine(given.to_owned()).into()),
    }
}

fn missing(what: &str, example: &str) -> CliError {
    CliError::User(format!(
        "{what} is missing and standard input is not a terminal to ask for it; pass it, for example `{example}`"
    ))
}
