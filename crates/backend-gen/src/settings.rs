//! Turns parsed arguments into settings: answers file read, prompts asked, every flag accounted for.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use backend_gen_core::answers::Answers;
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
    pub input: SpecInput,
    pub target: PathBuf,
    pub git: bool,
    pub force: bool,
    pub dry_run: bool,
    pub format: Format,
    pub fail_after_files: Option<usize>,
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
            answers,
            output,
            no_git,
            force,
            dry_run,
            format,
        } = args;

        let input = match answers {
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    CliError::User(format!("could not read the answers file `{}`: {e}", path.display()))
                })?;
                let answers =
                    Answers::parse(&text).map_err(|e| CliError::User(format!("`{}`: {e}", path.display())))?;
                if answers.is_newer_than(GENERATOR_VERSION) {
                    stderr_line!(
                        "warning: `{}` was written by backend-gen {}, newer than this {GENERATOR_VERSION}; \
                         upgrade backend-gen if the project comes out different",
                        path.display(),
                        answers.generator_version
                    );
                }
                answers.into_input(name)
            }
            None => {
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
                SpecInput { name, stack, features, options }
            }
        };

        let fail_after_files = std::env::var(FAIL_AFTER_FILES_ENV).ok().and_then(|v| v.parse().ok());
        Ok(Self { target: output.join(&input.name), input, git: !no_git, force, dry_run, format, fail_after_files })
    }
}

fn missing(what: &str, example: &str) -> CliError {
    CliError::User(format!(
        "{what} is missing and standard input is not a terminal to ask for it; pass it, for example `{example}`"
    ))
}
