//! A stack as data (`StackInfo`) and as behaviour (the `Generator` trait), and `Stack`, the resolved
//! handle a `ProjectSpec` carries so nothing looks a stack up by its id twice.

use std::fmt;

use include_dir::Dir;
use serde::{Serialize, Serializer};

use crate::builder::PlanBuilder;
use crate::error::GenerateError;
use crate::feature::{Feature, FeatureGroup};
use crate::name::Identifier;
use crate::option::OptionSpec;
use crate::render::Renderer;
use crate::spec::ProjectSpec;
use crate::verification::{BareTwin, Step, Verification};

/// What a stack offers, as plain data: listing, validation and prompts read it.
#[derive(Debug)]
pub struct StackInfo {
    pub id: &'static str,
    pub summary: &'static str,
    pub features: &'static [Feature],
    /// One-of groups among `features`.
    pub groups: &'static [FeatureGroup],
    pub options: &'static [OptionSpec],
    /// Names the project's identifiers must not take in this stack's ecosystem (keywords, standard
    /// library, the generated project's own dependencies). Every registered stack's rules apply to
    /// every project, so a name accepted for one stack works for all.
    pub identifiers: &'static [IdentifierRule],
    /// The stack's template folder (`generators/<stack>/`): `base/`, `features/<id>/`,
    /// `options/<key>/<value>/` (see `template.rs`).
    pub templates: &'static Dir<'static>,
    /// The default `PORT` of the stack's services (`CONTRACT.md`, configuration).
    pub port: u16,
    /// The default `DATABASE_URL`, as `.env.example` shows it.
    pub database_example: &'static str,
}

/// A list of words one identifier of the project name must not be.
#[derive(Debug, Clone, Copy)]
pub struct IdentifierRule {
    /// Who refuses the name: `Python`, `Kotlin`, `npm`.
    pub ecosystem: &'static str,
    pub identifier: Identifier,
    /// Compared without regard to ASCII case.
    pub reserved: &'static [&'static str],
    /// Why, completing "`x` is …": `a Python keyword`.
    pub why: &'static str,
}

/// A stack: adds its part to the plan of a validated project, in memory.
///
/// The core does the rest (`Registry::plan`): the contract's environment, each feature's
/// contributions and template folder, rendering, the build manifest, the answers and `.env` files.
pub trait Generator: Send + Sync + fmt::Debug {
    fn info(&self) -> &'static StackInfo;

    /// The stack's own part of the plan: its build model (pins), build tool, template placeholders
    /// and context fields. Must not touch the disk.
    fn contribute(&self, spec: &ProjectSpec, plan: &mut PlanBuilder) -> Result<(), GenerateError>;

    /// Registers the template helpers the stack needs beyond the core's (see `render.rs`).
    fn register_helpers(&self, _renderer: &mut Renderer) {}

    /// The command that writes the project's lockfile with the stack's own tool (`uv lock`), run in
    /// the staged project before its first commit so that commit holds the lockfile its CI and
    /// Dockerfile use. `None` when the stack has no lockfile. When the tool is missing or fails,
    /// generation goes on and says so; the project's CI and Dockerfile work without the lockfile.
    fn lockfile(&self, _spec: &ProjectSpec) -> Option<Lockfile> {
        None
    }

    /// Commands to run inside the new project folder, shown after generation. `locked` says
    /// whether the [`Generator::lockfile`] command wrote its file: without it, an install that
    /// only reads a lockfile (`npm ci`, `uv sync --locked`) would fail, so the steps must resolve.
    fn next_steps(&self, spec: &ProjectSpec, locked: bool) -> Vec<String>;

    /// How `cargo xtask verify` proves a project of this spec green with the stack's own toolchain.
    fn verification(&self, spec: &ProjectSpec) -> Verification;

    /// The stack's bare twin for `cargo xtask bench-service` (see [`BareTwin`]); `None` for a
    /// stack that has none yet.
    fn bare_twin(&self, _spec: &ProjectSpec) -> Option<BareTwin> {
        None
    }
}

/// How a stack's tool writes a project's lockfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lockfile {
    /// The file it writes, relative to the project (`uv.lock`).
    pub path: &'static str,
    /// The command, run in the project folder.
    pub step: Step,
}

/// A registered stack, resolved once by `Registry::spec`; compares and serialises as its id.
#[derive(Clone, Copy)]
pub struct Stack(&'static dyn Generator);

impl Stack {
    pub(crate) fn new(generator: &'static dyn Generator) -> Self {
        Self(generator)
    }

    pub fn id(self) -> &'static str {
        self.0.info().id
    }

    pub fn info(self) -> &'static StackInfo {
        self.0.info()
    }

    pub fn generator(self) -> &'static dyn Generator {
        self.0
    }
}

impl PartialEq for Stack {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
    }
}

impl Eq for Stack {}

impl fmt::Debug for Stack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Stack({})", self.id())
    }
}

impl fmt::Display for Stack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Stack {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}
