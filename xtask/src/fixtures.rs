//! The fixtures in `fixtures/`: answers files that snapshot tests and verification generate. Most
//! name a stack; a template fixture (`[template]`, its template under `fixtures/templates/`) names a
//! third-party cargo-generate template, verified with cargo.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use backend_gen_core::answers::{Answers, AnswersFile, TemplateAnswers};
use backend_gen_core::verification::{BareTwin, Chain, Step, Toolchain, Verification};
use backend_gen_core::{Registry, StackInfo};

#[derive(Debug)]
pub struct Fixture {
    /// The file name without `.toml`.
    pub id: String,
    pub path: PathBuf,
    pub answers: Answers,
}

impl Fixture {
    /// The stack this fixture is generated with.
    pub fn stack(&self, registry: &Registry) -> Result<&'static StackInfo> {
        registry
            .stacks()
            .find(|s| s.id == self.answers.stack)
            .with_context(|| format!("fixture `{}` names the unregistered stack `{}`", self.id, self.answers.stack))
    }

    /// How its stack verifies this fixture's project.
    pub fn verification(&self, registry: &Registry) -> Result<Verification> {
        let spec =
            registry.spec(&self.answers.clone().into_input(None)).with_context(|| format!("fixture `{}`", self.id))?;
        Ok(spec.stack.generator().verification(&spec))
    }

    /// Its stack's bare twin for `bench-service`, if the stack ships one.
    pub fn bare_twin(&self, registry: &Registry) -> Result<Option<BareTwin>> {
        let spec =
            registry.spec(&self.answers.clone().into_input(None)).with_context(|| format!("fixture `{}`", self.id))?;
        Ok(spec.stack.generator().bare_twin(&spec))
    }

    /// Whether this is its stack's `<stack>-default` fixture.
    pub fn is_default(&self) -> bool {
        self.id == format!("{}-default", self.answers.stack)
    }

    /// Whether this machine has every tool the chain before the service needs (a Gradle build on a
    /// machine without Gradle cannot serve; its verification reports that as a skip).
    pub fn servable(&self, registry: &Registry) -> Result<bool> {
        let verification = self.verification(registry)?;
        let chain = verification.chains.iter().find(|c| c.name == verification.serve.after);
        let dir = std::env::temp_dir();
        Ok(chain.is_some_and(|chain| {
            chain.steps.iter().filter_map(|s| s.toolchain.as_ref()).all(|t| crate::toolchain::probe(t, &dir).is_ok())
        }))
    }

    /// A temporary folder for `task` to generate this fixture in, removed on drop or interrupt.
    pub fn workdir(&self, task: &str) -> Result<tempfile::TempDir> {
        let dir = tempfile::Builder::new().prefix(&format!("{task}-{}-", self.id)).tempdir()?;
        crate::interrupt::remove_on_interrupt(dir.path());
        Ok(dir)
    }
}

/// Per stack, the first of `fixtures` (its `<stack>-default` first) this machine can serve: a
/// Kotlin project's default Gradle build cannot serve where no Gradle is installed, its Maven build
/// can, and both serve the same sources.
pub fn first_servable(fixtures: Vec<Fixture>, registry: &Registry) -> Result<Vec<Fixture>> {
    let mut chosen = std::collections::BTreeSet::new();
    let mut kept = Vec::new();
    for fixture in fixtures {
        if !chosen.contains(&fixture.answers.stack) && fixture.servable(registry)? {
            chosen.insert(fixture.answers.stack.clone());
            kept.push(fixture);
        }
    }
    Ok(kept)
}

/// A fixture rendered from a third-party template.
#[derive(Debug)]
pub struct TemplateFixture {
    /// The file name without `.toml`.
    pub id: String,
    pub path: PathBuf,
    pub answers: TemplateAnswers,
}

impl TemplateFixture {
    /// The checks of a Rust template's project: cargo's build, tests, lints and format check, with
    /// a target folder kept under the workspace's own, so a second run builds nothing again.
    pub fn verification(&self) -> Vec<Chain> {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| crate::workspace_root().join("target"), PathBuf::from)
            .join("verify-templates")
            .join(&self.id);
        let target = target.display().to_string();
        // The templates' projects use edition 2024.
        let cargo = Toolchain::new("cargo", &["--version"], "1.85");
        let step = |name: &str, args: &[&str], minutes: u64| {
            Step::new(name, "cargo", args, Duration::from_secs(minutes * 60))
                .env("CARGO_TARGET_DIR", &target)
                .needs(cargo.clone())
        };
        let steps = vec![
            step("cargo build", &["build"], 15),
            step("cargo test", &["test"], 10),
            step("cargo clippy", &["clippy", "--all-targets", "--", "-D", "warnings"], 10),
            step("cargo fmt --check", &["fmt", "--check"], 2),
        ];
        vec![Chain { name: "cargo".to_owned(), steps }]
    }

    /// A temporary folder for `task` to generate this fixture in, removed on drop or interrupt.
    pub fn workdir(&self, task: &str) -> Result<tempfile::TempDir> {
        let dir = tempfile::Builder::new().prefix(&format!("{task}-{}-", self.id)).tempdir()?;
        crate::interrupt::remove_on_interrupt(dir.path());
        Ok(dir)
    }
}

/// The template fixtures, optionally narrowed to one id; none when `stack` names a stack (a
/// template is no stack).
pub fn load_templates(stack: Option<&str>, fixture: Option<&str>) -> Result<Vec<TemplateFixture>> {
    let mut templates: Vec<_> = read_all()?
        .into_iter()
        .filter_map(|(id, path, answers)| match answers {
            AnswersFile::Template(answers) => Some(TemplateFixture { id, path, answers }),
            AnswersFile::Stack(_) => None,
        })
        .filter(|t| stack.is_none() && fixture.is_none_or(|f| f == t.id))
        .collect();
    templates.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(templates)
}

/// Every answers file in `fixtures/`: its id, path and contents.
fn read_all() -> Result<Vec<(String, PathBuf, AnswersFile)>> {
    let dir = crate::workspace_root().join("fixtures");
    let mut all = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading `{}`", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let text = std::fs::read_to_string(&path)?;
        let answers = AnswersFile::parse(&text).with_context(|| format!("fixture `{}`", path.display()))?;
        all.push((id, path, answers));
    }
    Ok(all)
}

/// Every fixture, by stack, each stack's `<stack>-default` first and then by id, optionally narrowed to one stack and one fixture id.
/// Template fixtures are not among them (see [`load_templates`]); the list may be empty.
pub fn load(stack: Option<&str>, fixture: Option<&str>) -> Result<Vec<Fixture>> {
    let mut fixtures = Vec::new();
    for (id, path, answers) in read_all()? {
        let AnswersFile::Stack(answers) = answers else { continue };
        let answers: Answers = answers;
        let wanted = stack.is_none_or(|s| s == answers.stack) && fixture.is_none_or(|f| f == id);
        if wanted {
            fixtures.push(Fixture { id, path, answers });
        }
    }
    fixtures
        .sort_by(|a, b| (&a.answers.stack, !a.is_default(), &a.id).cmp(&(&b.answers.stack, !b.is_default(), &b.id)));
    Ok(fixtures)
}
