//! A template's `cargo-generate.toml` as backend-gen reads it: the placeholders to ask for and check,
//! the paths that must stay inside the template, and the one setting our copy drops (`vcs`: our own
//! git module makes the repository).
//!
//! cargo-generate reads the same file again to render; this reading only decides what to ask and
//! what to refuse before anything runs.

use std::fs;
use std::path::{Component, Path};

use regex::Regex;
use toml_edit::{DocumentMut, Item, Value};

use crate::error::{TemplateError, io_error};

/// The file cargo-generate reads in a template's root.
pub const CONFIG_FILE: &str = "cargo-generate.toml";

/// What backend-gen needs to know of a template before rendering it.
#[derive(Debug, Clone)]
pub struct TemplateConfig {
    /// Top-level placeholders first, in file order, then those of `[conditional.*]` blocks.
    pub placeholders: Vec<Placeholder>,
    /// `[template] init = true`: cargo-generate renders into the destination itself, not a subfolder.
    pub init: bool,
}

/// One value a template asks for.
#[derive(Debug, Clone)]
pub struct Placeholder {
    pub name: String,
    pub prompt: String,
    pub kind: Kind,
    /// The default as `--define` would spell it.
    pub default: Option<String>,
    /// Declared in a `[conditional.'…']` block: asked for only when its condition holds, which only
    /// cargo-generate evaluates.
    pub conditional: bool,
}

/// A placeholder's type.
#[derive(Debug, Clone)]
pub enum Kind {
    Bool,
    /// `string`, `text` or `editor`: free text (checked by `regex`) or one of `choices`.
    Text {
        choices: Vec<String>,
        regex: Option<Regex>,
    },
    /// `array`: any number of `choices`, comma-separated.
    List {
        choices: Vec<String>,
    },
}

impl TemplateConfig {
    /// Reads `dir/cargo-generate.toml` (a template without one asks nothing), refuses paths that
    /// leave the template, and removes `[template] vcs` from the file in `dir`, which is our copy.
    pub fn load_and_check(dir: &Path) -> Result<Self, TemplateError> {
        let path = dir.join(CONFIG_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(io_error("read", &path)(e)),
        };
        let mut doc: DocumentMut =
            text.parse().map_err(|e: toml_edit::TomlError| TemplateError::BadConfig(e.to_string()))?;
        check_paths(&doc)?;
        crate::config::check_filters(dir, dir)?;
        let config = Self::parse(&doc)?;
        if let Some(template) = doc.get_mut("template").and_then(Item::as_table_like_mut)
            && template.remove("vcs").is_some()
        {
            fs::write(&path, doc.to_string()).map_err(io_error("write", &path))?;
        }
        Ok(config)
    }

    fn parse(doc: &DocumentMut) -> Result<Self, TemplateError> {
        let mut placeholders = Vec::new();
        if let Some(table) = doc.get("placeholders").and_then(Item::as_table_like) {
            for (name, item) in table.iter() {
                placeholders.push(placeholder(name, item, false)?);
            }
        }
        if let Some(blocks) = doc.get("conditional").and_then(Item::as_table_like) {
            for (_, block) in blocks.iter() {
                let Some(table) = block.get("placeholders").and_then(Item::as_table_like) else { continue };
                for (name, item) in table.iter() {
                    if !placeholders.iter().any(|p: &Placeholder| p.name == name) {
                        placeholders.push(placeholder(name, item, true)?);
                    }
                }
            }
        }
        let init = doc.get("template").and_then(|t| t.get("init")).and_then(Item::as_bool).unwrap_or(false);
        Ok(Self { placeholders, init })
    }

    /// The placeholder called `name`.
    pub fn placeholder(&self, name: &str) -> Option<&Placeholder> {
        self.placeholders.iter().find(|p| p.name == name)
    }
}

fn placeholder(name: &str, item: &Item, conditional: bool) -> Result<Placeholder, TemplateError> {
    let bad = |why: &str| TemplateError::BadConfig(format!("placeholder `{name}` {why}"));
    let table = item.as_table_like().ok_or_else(|| bad("is not a table"))?;
    let string = |key: &str| table.get(key).and_then(Item::as_str).map(str::to_owned);
    // cargo-generate refuses a placeholder without a prompt; refused here first, in our words.
    let prompt = string("prompt").ok_or_else(|| bad("has no `prompt`"))?;
    let choices: Vec<String> = match table.get("choices").and_then(Item::as_array) {
        Some(array) => array
            .iter()
            .map(|choice| match choice {
                Value::String(s) => Ok(s.value().clone()),
                Value::InlineTable(t) => t
                    .get("value")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| bad("has a choice without `value`")),
                _ => Err(bad("has a choice that is not a string")),
            })
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let kind = match string("type").as_deref() {
        Some("bool") => Kind::Bool,
        Some("string" | "text" | "editor") => {
            let regex = match string("regex") {
                Some(r) => Some(Regex::new(&r).map_err(|e| bad(&format!("has an invalid regex: {e}")))?),
                None => None,
            };
            Kind::Text { choices, regex }
        }
        Some("array") => Kind::List { choices },
        Some(other) => return Err(bad(&format!("has the unknown type `{other}`"))),
        None => return Err(bad("has no `type`")),
    };
    let default = table.get("default").and_then(Item::as_value).map(|v| match v {
        Value::String(s) => s.value().clone(),
        Value::Boolean(b) => b.value().to_string(),
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(","),
        other => other.to_string().trim().to_owned(),
    });
    Ok(Placeholder { name: name.to_owned(), prompt, kind, default, conditional })
}

/// Refuses the paths cargo-generate joins to its copy of the template and then deletes or runs
/// (`ignore` entries, hook scripts, sub-templates): an absolute path or a `..` would reach outside.
fn check_paths(doc: &DocumentMut) -> Result<(), TemplateError> {
    let mut listed: Vec<(String, String)> = Vec::new();
    let mut collect = |what: &str, item: Option<&Item>| {
        for path in item.and_then(Item::as_array).into_iter().flatten().filter_map(Value::as_str) {
            listed.push((what.to_owned(), path.to_owned()));
        }
    };
    let template = doc.get("template");
    collect("the `ignore` entry", template.and_then(|t| t.get("ignore")));
    collect("the sub-template", template.and_then(|t| t.get("sub_templates")));
    for phase in ["init", "pre", "post"] {
        collect(&format!("the {phase} hook"), doc.get("hooks").and_then(|h| h.get(phase)));
    }
    if let Some(blocks) = doc.get("conditional").and_then(Item::as_table_like) {
        for (_, block) in blocks.iter() {
            collect("the `ignore` entry", block.get("ignore"));
        }
    }
    match listed.into_iter().find(|(_, path)| !inside(path)) {
        Some((what, path)) => Err(TemplateError::Escapes { what, path }),
        None => Ok(()),
    }
}

/// Whether `path`, joined to a folder, stays inside it.
fn inside(path: &str) -> bool {
    !path.is_empty() && Path::new(path).components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Refuses a file that passes anything but a quoted relative path to the `rhai` filter
/// (`{{ "script.rhai" | rhai }}`): cargo-generate runs that script and then deletes it.
pub(crate) fn check_filters(root: &Path, dir: &Path) -> Result<(), TemplateError> {
    let any_use = Regex::new(r"\|\s*rhai\b").expect("valid regex");
    let literal = Regex::new(r#"(?:"([^"]*)"|'([^']*)')\s*\|\s*rhai\b"#).expect("valid regex");
    for entry in fs::read_dir(dir).map_err(io_error("read", dir))? {
        let path = entry.map_err(io_error("read", dir))?.path();
        if path.is_dir() {
            check_filters(root, &path)?;
            continue;
        }
        let Ok(text) = fs::read_to_string(&path) else { continue };
        let uses = any_use.find_iter(&text).count();
        let checked = literal
            .captures_iter(&text)
            .filter(|c| c.get(1).or_else(|| c.get(2)).is_some_and(|m| inside(m.as_str())))
            .count();
        if uses > checked {
            let file = path.strip_prefix(root).unwrap_or(&path).display().to_string();
            return Err(TemplateError::ComputedFilterPath { file });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(config: &str) -> Result<TemplateConfig, TemplateError> {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join(CONFIG_FILE), config).expect("write");
        TemplateConfig::load_and_check(dir.path())
    }

    #[test]
    fn reads_placeholders_in_order_with_types_choices_and_defaults() {
        let config = load(
            r#"
            [placeholders.port]
            type = "string"
            prompt = "Port?"
            regex = "^[0-9]+$"
            default = "8080"
            [placeholders.framework]
            type = "string"
            choices = ["axum", { value = "actix", label = "Actix Web" }]
            prompt = "Framework?"
            [placeholders.tracing]
            type = "bool"
            prompt = "Tracing?"
            default = true
            [conditional.'tracing'.placeholders.level]
            type = "string"
            prompt = "Level?"
            choices = ["info", "debug"]
            "#,
        )
        .expect("valid");
        let names: Vec<_> = config.placeholders.iter().map(|p| (p.name.as_str(), p.conditional)).collect();
        assert_eq!(names, [("port", false), ("framework", false), ("tracing", false), ("level", true)]);
        assert_eq!(config.placeholder("tracing").and_then(|p| p.default.as_deref()), Some("true"));
        assert!(
            matches!(&config.placeholder("framework").expect("p").kind, Kind::Text { choices, .. } if choices == &["axum", "actix"])
        );
    }

    #[test]
    fn refuses_paths_that_leave_the_template() {
        for config in [
            "[template]\nignore = [\"../../victim\"]",
            "[template]\nignore = [\"/etc\"]",
            "[hooks]\npre = [\"../x.rhai\"]",
            "[hooks]\npost = [\"/tmp/x.rhai\"]",
            "[conditional.'true']\nignore = [\"a/../../b\"]",
        ] {
            let err = load(config).expect_err(config);
            assert!(matches!(err, TemplateError::Escapes { .. }), "{config}: {err}");
        }
        load("[template]\nignore = [\"target\", \"./docs\"]\n[hooks]\npre = [\"hooks/pre.rhai\"]").expect("inside");
    }

    #[test]
    fn refuses_a_computed_rhai_filter_path_and_drops_vcs() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join(CONFIG_FILE), "[template]\nvcs = \"Git\"\nignore = [\"x\"]\n").expect("write");
        fs::write(dir.path().join("ok.txt"), "{{ \"filters/a.rhai\" | rhai }}").expect("write");
        TemplateConfig::load_and_check(dir.path()).expect("a literal path inside");
        let kept = fs::read_to_string(dir.path().join(CONFIG_FILE)).expect("read");
        assert!(!kept.contains("vcs") && kept.contains("ignore"), "{kept}");
        fs::write(dir.path().join("bad.txt"), "{{ script | rhai }}").expect("write");
        let err = TemplateConfig::load_and_check(dir.path()).expect_err("computed");
        assert!(err.to_string().contains("`bad.txt`"), "{err}");
        fs::write(dir.path().join("bad.txt"), "{{ '../x.rhai' | rhai }}").expect("write");
        TemplateConfig::load_and_check(dir.path()).expect_err("outside");
    }
}
