//! A stack's template folder: `base/` for every project, `options/<key>/<value>/` for each option's
//! value and `features/<id>/` for each enabled feature, in that order.
//!
//! Naming rules, the same for every stack:
//! - a file ending in `.hbs` is rendered (and loses the suffix); any other file is copied as is;
//! - a path segment starting with `dot.` becomes a dotfile (`dot.gitignore` → `.gitignore`), so the
//!   templates' own ignore files never act on this repository;
//! - a placeholder segment (`__package__`) is replaced by a value the stack chooses.

use std::collections::BTreeSet;

use include_dir::{Dir, DirEntry};
use serde::Serialize;

use crate::error::GenerateError;
use crate::plan::{PlannedFile, RelPath};
use crate::render::Renderer;

/// The text of the file `path` of a stack's embedded folder `files` (its pins, a template the stack
/// renders itself); a missing or non-UTF-8 file is a `GenerateError::Data` naming the path.
pub fn embedded_text(files: &Dir<'static>, path: &str) -> Result<&'static str, GenerateError> {
    files.get_file(path).and_then(|f| f.contents_utf8()).ok_or_else(|| GenerateError::Data {
        file: path.to_owned(),
        message: "missing from the stack's folder, or not UTF-8".to_owned(),
    })
}

/// The templates that apply to one project.
#[derive(Debug)]
pub struct TemplateSet<'a> {
    roots: Vec<&'a Dir<'static>>,
    placeholders: Vec<(&'static str, String)>,
}

impl<'a> TemplateSet<'a> {
    /// The given folders of `files` that exist, in order (`base`, then what options and features add).
    pub fn new(files: &'a Dir<'static>, folders: impl IntoIterator<Item = String>) -> Self {
        let roots = folders.into_iter().filter_map(|folder| files.get_dir(folder)).collect();
        Self { roots, placeholders: Vec::new() }
    }

    /// The folders a project of `features` and `options` gets: `base`, `options/<key>/<value>`,
    /// `features/<id>`, plus `extra` (a stack's own choice) after `base`.
    pub fn folders<'f>(
        features: impl IntoIterator<Item = &'f str>,
        options: impl IntoIterator<Item = (&'f str, &'f str)>,
        extra: &[String],
    ) -> Vec<String> {
        let mut folders = vec!["base".to_owned()];
        folders.extend(extra.iter().cloned());
        folders.extend(options.into_iter().map(|(key, value)| format!("options/{key}/{value}")));
        folders.extend(features.into_iter().map(|id| format!("features/{id}")));
        folders
    }

    pub fn with_placeholders(mut self, placeholders: &[(&'static str, String)]) -> Self {
        self.placeholders.extend(placeholders.iter().cloned());
        self
    }

    /// Renders every template, in path order; two templates with one output path are a generator bug.
    pub fn render(
        &self,
        renderer: &Renderer,
        context: &impl Serialize,
    ) -> Result<Vec<(RelPath, PlannedFile)>, GenerateError> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for root in &self.roots {
            let mut files = Vec::new();
            collect_files(root, &mut files);
            for file in files {
                let relative = file.path().strip_prefix(root.path()).unwrap_or(file.path());
                let source = relative.to_string_lossy().replace('\\', "/");
                let contents = file.contents_utf8().ok_or_else(|| GenerateError::Data {
                    file: file.path().display().to_string(),
                    message: "templates must be UTF-8 text".to_owned(),
                })?;
                let rendered = source.ends_with(".hbs");
                let (output, contents) = match source.strip_suffix(".hbs") {
                    Some(stripped) => {
                        (stripped.to_owned(), renderer.render(&file.path().display().to_string(), contents, context)?)
                    }
                    None => (source.clone(), contents.to_owned()),
                };
                let path = RelPath::new(self.map_path(&output))?;
                if !seen.insert(path.clone()) {
                    return Err(crate::plan::DuplicateFile(path).into());
                }
                let executable = contents.starts_with("#!");
                out.push((
                    path,
                    PlannedFile { contents: contents.replace("\r\n", "\n"), executable, rendered, private: false },
                ));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    fn map_path(&self, path: &str) -> String {
        path.split('/')
            .map(|segment| {
                let segment = match segment.strip_prefix("dot.") {
                    Some(rest) => format!(".{rest}"),
                    None => segment.to_owned(),
                };
                self.placeholders.iter().find(|(p, _)| *p == segment).map_or(segment, |(_, v)| v.clone())
            })
            .collect::<Vec<_>>()
            .join("/")
    }
}

fn collect_files<'d>(dir: &'d Dir<'static>, out: &mut Vec<&'d include_dir::File<'static>>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(sub) => collect_files(sub, out),
            DirEntry::File(file) => out.push(file),
        }
    }
}

#[cfg(test)]
mod tests {
    use include_dir::include_dir;
    use serde_json::json;

    use super::*;

    static FIXTURE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/tests/template-fixture");

    fn render(features: &[&'static str]) -> Vec<(String, String)> {
        let folders = TemplateSet::folders(features.iter().copied(), [], &[]);
        TemplateSet::new(&FIXTURE, folders)
            .with_placeholders(&[("__package__", "my_pkg".to_owned())])
            .render(&Renderer::new(), &json!({"name": "demo"}))
            .expect("renders")
            .into_iter()
            .map(|(p, f)| (p.to_string(), f.contents))
            .collect()
    }

    #[test]
    fn maps_names_and_renders_only_hbs_files() {
        let files = render(&[]);
        let paths: Vec<_> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, [".gitignore", "raw.txt", "src/my_pkg/app.py"]);
        assert_eq!(files[2].1, "NAME = \"demo\"\n");
        assert_eq!(files[1].1, "{{kept}}\n");
    }

    #[test]
    fn adds_the_folders_of_enabled_features() {
        let files = render(&["extra"]);
        assert!(files.iter().any(|(p, c)| p == "extra.txt" && c == "extra demo\n"));
    }
}
