//! The render itself: cargo-generate's library on our copy of the template, into a folder of ours,
//! silent (values come from our file, nothing is asked), with no git, no formatting and no parent
//! workspace edit. Meant to run in a child process (`backend-gen render-template`), which its
//! parent can time out: a template's scripts have no time limit.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use backend_gen_core::answers::TemplateValue;
use cargo_generate::{GenerateArgs, TemplatePath, Vcs};
use serde::{Deserialize, Serialize};
use toml_edit::{Array, DocumentMut, Item, Table, value};

use crate::error::RenderFailure;

/// One render, as the parent hands it to the child (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// Our copy of the template.
    pub template: PathBuf,
    /// An empty folder; cargo-generate writes the project into it (see [`output_folder`]).
    pub destination: PathBuf,
    /// A scratch folder for the values file and cargo-generate's own (empty) configuration.
    pub scratch: PathBuf,
    pub name: String,
    pub values: BTreeMap<String, TemplateValue>,
    pub allow_commands: bool,
}

/// Renders `job` with cargo-generate. Runs in the child process.
pub fn render(job: &Job) -> Result<(), RenderFailure> {
    let failed = |e: std::io::Error| RenderFailure::Failed(e.to_string());
    fs::create_dir_all(&job.destination).map_err(failed)?;
    // An explicit, empty configuration: none of the user's favourites or defaults apply.
    let config = job.scratch.join("cargo-generate-config.toml");
    fs::write(&config, "").map_err(failed)?;
    let values = job.scratch.join("values.toml");
    fs::write(&values, values_file(&job.values)).map_err(failed)?;
    let args = GenerateArgs {
        template_path: TemplatePath { path: Some(job.template.display().to_string()), ..TemplatePath::default() },
        name: Some(job.name.clone()),
        silent: true,
        quiet: true,
        continue_on_error: false,
        vcs: Some(Vcs::None),
        template_values_file: Some(values.display().to_string()),
        config: Some(config),
        destination: Some(job.destination.clone()),
        allow_commands: job.allow_commands,
        // Never edit a Cargo workspace around the destination, never run rustfmt on the output.
        no_workspace: true,
        no_fmt: true,
        ..GenerateArgs::default()
    };
    cargo_generate::generate(args).map(|_| ()).map_err(|e| classify(&format!("{e:#}")))
}

/// The `[values]` file cargo-generate reads, typed as the placeholders are.
fn values_file(values: &BTreeMap<String, TemplateValue>) -> String {
    let mut table = Table::new();
    for (key, v) in values {
        table[key] = match v {
            TemplateValue::Bool(b) => value(*b),
            TemplateValue::Text(t) => value(t),
            TemplateValue::List(items) => value(items.iter().collect::<Array>()),
        };
    }
    let mut doc = DocumentMut::new();
    doc["values"] = Item::Table(table);
    doc.to_string()
}

/// Tells cargo-generate's failures apart by their messages (the version is pinned exactly, and the
/// CLI tests exercise each message).
fn classify(chain: &str) -> RenderFailure {
    const MISSING: &str = "is missing default value in config file running in silent mode";
    if chain.contains("Cannot prompt for system command confirmation in silent mode") {
        return RenderFailure::Commands;
    }
    if let Some(at) = chain.find(MISSING) {
        let before = &chain[..at];
        if let Some(name) = before.rsplit('`').nth(1) {
            return RenderFailure::Missing { name: name.to_owned() };
        }
    }
    RenderFailure::Failed(strip_styles(chain))
}

/// cargo-generate styles its messages for a terminal; ours go through our own error line.
fn strip_styles(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out.replace(['⚠', '🔧', '⛔', '✨', '🤷'], "").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where the rendered project is in `destination`: the destination itself for a template that sets
/// `init`, otherwise the one folder cargo-generate made there.
pub fn output_folder(destination: &Path, init: bool) -> Option<PathBuf> {
    if init {
        return Some(destination.to_owned());
    }
    let mut folders = fs::read_dir(destination).ok()?.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir());
    let first = folders.next()?;
    folders.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_cargo_generate_failures() {
        let missing = "Error: variable `log_level` is missing default value in config file running in silent mode";
        assert_eq!(classify(missing), RenderFailure::Missing { name: "log_level".to_owned() });
        let commands = "⛔ Failed executing script: /t/pre.rhai: Cannot prompt for system command confirmation in \
                        silent mode. Use --allow-commands if you want to allow the template to run system commands";
        assert_eq!(classify(commands), RenderFailure::Commands);
        assert_eq!(classify("\u{1b}[31mboom\u{1b}[0m  here"), RenderFailure::Failed("boom here".to_owned()));
    }

    #[test]
    fn writes_typed_values() {
        let values = BTreeMap::from([
            ("on".to_owned(), TemplateValue::Bool(true)),
            ("port".to_owned(), TemplateValue::Text("9000".to_owned())),
        ]);
        assert_eq!(values_file(&values), "[values]\non = true\nport = \"9000\"\n");
    }
}
