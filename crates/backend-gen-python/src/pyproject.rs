//! The generated `pyproject.toml`, written from the build model with toml_edit.

use backend_gen_core::{Dependency, GenerateError, ProjectSpec, Scope};
use toml_edit::{Array, DocumentMut, Item, Table, value};

/// PEP 621 metadata, the exact pins of the build model, and the tools' configuration
/// (rendered from `pyproject.tools.toml.hbs`, appended after the build model's tables).
pub(crate) fn render(
    spec: &ProjectSpec,
    dependencies: &[Dependency],
    build_system: &Item,
    tool_config: &str,
) -> Result<String, GenerateError> {
    let name = &spec.name;
    let mut doc = DocumentMut::new();

    let mut project = Table::new();
    project["name"] = value(&name.kebab);
    project["version"] = value(crate::PROJECT_VERSION);
    project["description"] = value(format!("{}: a backend service", name.title));
    project["readme"] = value("README.md");
    project["requires-python"] = value(">=3.11");
    project["dependencies"] = value(requirements(dependencies, Scope::Runtime));
    let mut scripts = Table::new();
    scripts[&name.kebab] = value(format!("{}.__main__:main", name.snake));
    project["scripts"] = Item::Table(scripts);
    doc["project"] = Item::Table(project);

    let mut groups = Table::new();
    groups["dev"] = value(requirements(dependencies, Scope::Dev));
    doc["dependency-groups"] = Item::Table(groups);
    doc["build-system"] = build_system.clone();

    // Appended as text, so the tools' comments and layout survive; parsed once to prove it is TOML.
    let manifest = format!("{doc}\n{}", tool_config.trim_start());
    manifest.parse::<DocumentMut>().map_err(|e| GenerateError::Data {
        file: "pyproject.tools.toml.hbs".to_owned(),
        message: format!("renders an invalid pyproject.toml: {e}"),
    })?;
    Ok(manifest)
}

/// One requirement a line, so diffs of a version bump stay one line long.
fn requirements(dependencies: &[Dependency], scope: Scope) -> Array {
    let mut array: Array = dependencies
        .iter()
        .filter(|d| d.scope == scope)
        .map(|d| {
            let extras = if d.extras.is_empty() { String::new() } else { format!("[{}]", d.extras.join(",")) };
            format!("{}{extras}=={}", d.name, d.version)
        })
        .collect();
    for item in array.iter_mut() {
        item.decor_mut().set_prefix("\n    ");
    }
    array.set_trailing("\n");
    array.set_trailing_comma(true);
    array
}
