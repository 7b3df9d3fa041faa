//! Handlebars rendering in strict mode, with helpers that quote a value for the language it lands in.
//!
//! HTML escaping is off: templates produce code, and a value is escaped by the helper that names
//! its target (`{{py_str name}}`, `{{toml_str name}}`, `{{json name}}`, `{{kotlin_str name}}`).

use handlebars::{Handlebars, HelperDef, handlebars_helper, no_escape};
use serde::Serialize;

use crate::common::COMMON;

/// A template that failed to render; names the template so a generator bug is easy to find.
#[derive(Debug, thiserror::Error)]
#[error("template `{template}` failed to render: {message}")]
pub struct RenderError {
    pub template: String,
    pub message: String,
}

/// Renders templates; build one per generation and reuse it for every file.
#[derive(Debug)]
pub struct Renderer {
    handlebars: Handlebars<'static>,
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

impl Renderer {
    pub fn new() -> Self {
        let mut handlebars = Handlebars::new();
        handlebars.set_strict_mode(true);
        handlebars.register_escape_fn(no_escape);
        handlebars.register_helper("json", Box::new(json));
        handlebars.register_helper("py_str", Box::new(py_str));
        handlebars.register_helper("toml_str", Box::new(toml_str));
        handlebars.register_helper("kotlin_str", Box::new(kotlin_str));
        handlebars.register_helper("join", Box::new(join));
        // Partials every stack's templates can use (`{{> config_table}}`): `generators/common/partials/`,
        // one `NAME.<ext>.hbs` file each, registered as `NAME`.
        for partial in COMMON.get_dir("partials").map(|d| d.files()).into_iter().flatten() {
            let file_name = partial.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let name = file_name.split('.').next().unwrap_or_default().to_owned();
            // A partial that is not UTF-8 or does not parse is caught by the test below, not at run time.
            if let Some(text) = partial.contents_utf8() {
                let _ = handlebars.register_partial(&name, text);
            }
        }
        Self { handlebars }
    }

    /// Adds a helper a stack's templates need (a `yaml_str`, an `xml` escape). A later helper of the
    /// same name replaces the earlier one.
    pub fn register_helper(&mut self, name: &str, helper: Box<dyn HelperDef + Send + Sync + 'static>) {
        self.handlebars.register_helper(name, helper);
    }

    /// Renders `template` (named `name` in errors) with `context`.
    pub fn render(&self, name: &str, template: &str, context: &impl Serialize) -> Result<String, RenderError> {
        self.handlebars
            .render_template(template, context)
            .map_err(|e| RenderError { template: name.to_owned(), message: e.to_string() })
    }
}

handlebars_helper!(json: |value: Json| serde_json::to_string(value).unwrap_or_default());
handlebars_helper!(py_str: |value: str| python_string(value));
handlebars_helper!(toml_str: |value: str| toml_string(value));
handlebars_helper!(kotlin_str: |value: str| kotlin_string(value));
handlebars_helper!(join: |items: array, separator: str| items
    .iter()
    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
    .collect::<Vec<_>>()
    .join(separator));

/// A Python string literal, quoted as `ruff format` leaves it (its `quote-style = "double"`, as
/// Black's): in double quotes, unless the value holds more double quotes than single ones, which
/// then take fewer escapes in single quotes.
pub fn python_string(value: &str) -> String {
    let quote = if value.matches('"').count() > value.matches('\'').count() { '\'' } else { '"' };
    quoted_in(quote, value, |c| match c {
        '\\' => Some("\\\\".to_owned()),
        c if c == quote => Some(format!("\\{quote}")),
        c if c.is_control() => Some(format!("\\u{:04x}", u32::from(c))),
        _ => None,
    })
}

/// A TOML basic string.
pub fn toml_string(value: &str) -> String {
    quoted(value, |c| match c {
        '\\' => Some("\\\\".to_owned()),
        '"' => Some("\\\"".to_owned()),
        c if c.is_control() => Some(format!("\\u{:04X}", u32::from(c))),
        _ => None,
    })
}

/// A Kotlin string literal; `$` is escaped so a value never becomes a string template.
pub fn kotlin_string(value: &str) -> String {
    quoted(value, |c| match c {
        '\\' => Some("\\\\".to_owned()),
        '"' => Some("\\\"".to_owned()),
        '$' => Some("\\$".to_owned()),
        c if c.is_control() => Some(format!("\\u{:04x}", u32::from(c))),
        _ => None,
    })
}

fn quoted(value: &str, escape: impl Fn(char) -> Option<String>) -> String {
    quoted_in('"', value, escape)
}

fn quoted_in(quote: char, value: &str, escape: impl Fn(char) -> Option<String>) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push(quote);
    for c in value.chars() {
        match escape(c) {
            Some(escaped) => out.push_str(&escaped),
            None => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn strict_mode_refuses_missing_variables() {
        let err = Renderer::new().render("t.hbs", "{{missing}}", &json!({})).expect_err("strict");
        assert_eq!(err.template, "t.hbs");
    }

    #[test]
    fn common_partials_are_registered_and_stack_helpers_can_be_added() {
        let mut renderer = Renderer::new();
        let partials = COMMON.get_dir("partials").map(|d| d.files().count()).unwrap_or_default();
        assert_eq!(renderer.handlebars.get_templates().len(), partials, "every partial parses");
        let table = renderer
            .render(
                "t",
                "{{> config_table}}",
                &json!({"env": [{"name": "PORT", "example": "1", "secret": false, "description": "d"}]}),
            )
            .expect("renders");
        assert!(table.contains("| `PORT` | `1` | d |"), "{table}");
        handlebars_helper!(shout: |v: str| v.to_uppercase());
        renderer.register_helper("shout", Box::new(shout));
        assert_eq!(renderer.render("t", "{{shout v}}", &json!({"v": "hi"})).expect("renders"), "HI");
    }

    #[test]
    fn no_html_escaping() {
        let out = Renderer::new().render("t", "{{v}}", &json!({"v": "<a & 'b'>"})).expect("renders");
        assert_eq!(out, "<a & 'b'>");
    }

    #[test]
    fn helpers_quote_for_their_language() {
        let context = json!({"v": "a\"b\\c$d\n"});
        let render = |t: &str| Renderer::new().render("t", t, &context).expect("renders");
        assert_eq!(render("{{py_str v}}"), r#"'a"b\\c$d\u000a'"#);
        // Single quotes when they save escapes, as ruff format would rewrite the literal.
        let python = |v: &str| Renderer::new().render("t", "{{py_str v}}", &json!({ "v": v })).expect("renders");
        assert_eq!(python(r#"Bearer realm="api""#), r#"'Bearer realm="api"'"#);
        assert_eq!(python(r#"it's "x""#), r#"'it\'s "x"'"#);
        assert_eq!(python(r#"it's "x" and 'y'"#), r#""it's \"x\" and 'y'""#);
        assert_eq!(render("{{toml_str v}}"), r#""a\"b\\c$d\u000A""#);
        assert_eq!(render("{{kotlin_str v}}"), r#""a\"b\\c\$d\u000a""#);
        assert_eq!(render("{{json v}}"), r#""a\"b\\c$d\n""#);
        assert_eq!(Renderer::new().render("t", "{{join v \", \"}}", &json!({"v": ["a", 1]})).expect("join"), "a, 1");
    }
}
