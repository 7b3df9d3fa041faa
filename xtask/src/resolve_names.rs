//! `cargo xtask resolve-names [--check]`: resolves each stack's pins with the stack's own tool and
//! writes every package name of the resolved tree into the stack's crate, so a project can never be
//! named after a package it depends on, directly or not. `--check` (run by CI) fails when the
//! written list is not what a fresh resolution gives.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};

#[derive(Debug, clap::Args)]
pub struct ResolveNames {
    /// Compare with the written lists instead of writing them; fail when they are stale.
    #[arg(long)]
    check: bool,
}

/// Where the Python stack's pins are and where its resolved names go.
const PYTHON_PINS: &str = "generators/python/versions/pyproject.toml";
const PYTHON_NAMES: &str = "crates/backend-gen-python/src/resolved.rs";

impl ResolveNames {
    pub fn run(self) -> Result<()> {
        let Self { check } = self;
        let root = crate::workspace_root();
        let names = python(&root.join(PYTHON_PINS))?;
        let source = python_source(&names);
        let path = root.join(PYTHON_NAMES);
        if check {
            let written = std::fs::read_to_string(&path).with_context(|| format!("reading `{PYTHON_NAMES}`"))?;
            ensure!(
                written == source,
                "`{PYTHON_NAMES}` is stale: the pins resolve to other packages; run `cargo xtask resolve-names` and commit"
            );
            println!(
                "{PYTHON_NAMES}: fresh ({} distributions, {} import names)",
                names.distributions.len(),
                names.imports.len()
            );
        } else {
            std::fs::write(&path, source)?;
            println!(
                "wrote {PYTHON_NAMES} ({} distributions, {} import names)",
                names.distributions.len(),
                names.imports.len()
            );
        }
        Ok(())
    }
}

/// The names a resolved Python environment holds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PythonNames {
    /// PEP 503-normalised distribution names (`python-dotenv`).
    pub distributions: BTreeSet<String>,
    /// Top-level import names (`dotenv`, `yaml`).
    pub imports: BTreeSet<String>,
}

/// Installs every dependency of the pins (runtime, dev group, every feature's extras, the build
/// backend) into a fresh environment with uv, then reads each installed distribution's metadata.
fn python(pins: &Path) -> Result<PythonNames> {
    let dir = tempfile::tempdir()?;
    std::fs::copy(pins, dir.path().join("pyproject.toml"))?;
    let uv = |args: &[&str]| -> Result<()> {
        let out = Command::new("uv")
            .args(args)
            .current_dir(dir.path())
            .output()
            .context("running `uv` (install it: `pip install uv`)")?;
        ensure!(out.status.success(), "uv {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
        Ok(())
    };
    uv(&["sync", "--quiet", "--all-extras", "--all-groups", "--no-install-project", "--no-python-downloads"])?;
    let manifest: toml_edit::DocumentMut = std::fs::read_to_string(pins)?.parse()?;
    let backend: Vec<&str> = manifest["build-system"]["requires"]
        .as_array()
        .context("the pins have no `build-system.requires`")?
        .iter()
        .filter_map(|r| r.as_str())
        .collect();
    let mut install = vec!["pip", "install", "--quiet", "--python", ".venv"];
    install.extend(backend);
    uv(&install)?;
    let lib = dir.path().join(".venv/lib");
    let python = std::fs::read_dir(&lib)?.next().context("no Python in the environment")??.path();
    read_site_packages(&python.join("site-packages"))
}

fn read_site_packages(site: &Path) -> Result<PythonNames> {
    let mut names = PythonNames::default();
    for entry in std::fs::read_dir(site)? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "dist-info") {
            continue;
        }
        let metadata = std::fs::read_to_string(path.join("METADATA"))?;
        let Some(name) = metadata.lines().find_map(|l| l.strip_prefix("Name: ")) else {
            bail!("`{}` has no Name", path.display());
        };
        names.distributions.insert(normalize(name));
        let record = std::fs::read_to_string(path.join("RECORD"))?;
        names.imports.extend(record.lines().filter_map(import_name));
    }
    Ok(names)
}

/// PEP 503: lower case, every run of `-`, `_` and `.` one `-`.
fn normalize(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The top-level module a RECORD line installs (`dotenv/main.py,…` → `dotenv`, `py.py,…` → `py`),
/// if it is one a project could be named after.
fn import_name(line: &str) -> Option<String> {
    let path = line.split(',').next()?;
    let (top, nested) = match path.split_once('/') {
        Some((top, _)) => (top, true),
        None => (path, false),
    };
    if top.ends_with(".dist-info") || top.ends_with(".data") || top.starts_with("..") || top == "__pycache__" {
        return None;
    }
    let module = if nested {
        top.to_owned()
    } else {
        let (stem, extension) = top.split_once('.')?;
        if !matches!(extension.rsplit('.').next(), Some("py" | "so" | "pyd")) {
            return None;
        }
        stem.to_owned()
    };
    let valid = module.starts_with(|c: char| c.is_ascii_alphabetic())
        && module.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then(|| module.to_ascii_lowercase())
}

fn python_source(names: &PythonNames) -> String {
    let list = |items: &BTreeSet<String>| {
        let mut out = String::new();
        for item in items {
            let _ = writeln!(out, "    \"{item}\",");
        }
        out
    };
    format!(
        "//! Every package name in the resolved dependency tree of a generated Python project (runtime, dev\n\
         //! group and every feature's extras). Generated by `cargo xtask resolve-names` from\n\
         //! `{PYTHON_PINS}`; CI checks it is fresh. Do not edit.\n\
         \n\
         /// Distribution names, PEP 503-normalised: the project's kebab name must be none of them.\n\
         pub(crate) const DISTRIBUTIONS: &[&str] = &[\n{}];\n\
         \n\
         /// Top-level import names: the project's package (its snake name) must shadow none of them.\n\
         pub(crate) const IMPORTS: &[&str] = &[\n{}];\n",
        list(&names.distributions),
        list(&names.imports)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribution_names_are_pep_503_normalised() {
        assert_eq!(normalize("Python_Dotenv"), "python-dotenv");
        assert_eq!(normalize("zope.interface"), "zope-interface");
        assert_eq!(normalize("a-_.b"), "a-b");
    }

    #[test]
    fn import_names_come_from_what_a_distribution_installs() {
        assert_eq!(import_name("dotenv/main.py,sha256=x,12").as_deref(), Some("dotenv"));
        assert_eq!(import_name("py.py,sha256=x,1").as_deref(), Some("py"));
        assert_eq!(import_name("_yaml/__init__.py,,").as_deref(), None, "not a name a project can take");
        assert_eq!(import_name("yaml/__init__.py,,").as_deref(), Some("yaml"));
        assert_eq!(import_name("httptools/parser.cpython-311-x86_64-linux-gnu.so,,").as_deref(), Some("httptools"));
        assert_eq!(import_name("mypy_extensions.py,,").as_deref(), Some("mypy_extensions"));
        for ignored in ["fastapi-0.1.dist-info/RECORD,,", "../../bin/uvicorn,,", "a1_coverage.pth,,", "6e__mypyc.so,,"]
        {
            assert_eq!(import_name(ignored), None, "{ignored}");
        }
    }
}
