//! The fixtures in `fixtures/`: answers files that snapshot tests and verification generate.

use std::path::PathBuf;

use anyhow::{Context, Result};
use backend_gen_core::answers::Answers;
use backend_gen_core::verification::Verification;
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

/// Every fixture, by stack, each stack's `<stack>-default` first and then by id, optionally narrowed to one stack and one fixture id.
pub fn load(stack: Option<&str>, fixture: Option<&str>) -> Result<Vec<Fixture>> {
    let dir = crate::workspace_root().join("fixtures");
    let mut fixtures = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading `{}`", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let text = std::fs::read_to_string(&path)?;
        let answers = Answers::parse(&text).with_context(|| format!("fixture `{}`", path.display()))?;
        let wanted = stack.is_none_or(|s| s == answers.stack) && fixture.is_none_or(|f| f == id);
        if wanted {
            fixtures.push(Fixture { id, path, answers });
        }
    }
    fixtures
        .sort_by(|a, b| (&a.answers.stack, !a.is_default(), &a.id).cmp(&(&b.answers.stack, !b.is_default(), &b.id)));
    anyhow::ensure!(
        !fixtures.is_empty(),
        "no fixture matches (stack {stack:?}, fixture {fixture:?}) in `{}`",
        dir.display()
    );
    Ok(fixtures)
}
