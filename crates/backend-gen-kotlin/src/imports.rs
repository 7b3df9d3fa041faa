//! `{{#kotlin_imports}}…{{/kotlin_imports}}`: renders a block of `import` lines and orders them as
//! ktlint's `ktlint_official` style requires (its `import-ordering` rule, IntelliJ's layout
//! `*,java.**,javax.**,kotlin.**,^`): every other import in lexicographic order, then `java.`,
//! `javax.` and `kotlin.` imports, then aliased ones. The project's own imports start with the
//! package a user chose (`io.acme.shop.…`), so their place among the others is known only once the
//! package is: a fixed order in the template would fail ktlint for some groups.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderError, RenderErrorReason,
    Renderable, StringOutput,
};

/// The block helper; register it as `kotlin_imports`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KotlinImports;

impl HelperDef for KotlinImports {
    fn call<'reg: 'rc, 'rc>(
        &self,
        helper: &Helper<'rc>,
        registry: &'reg Handlebars<'reg>,
        context: &'rc Context,
        render_context: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let Some(block) = helper.template() else { return Ok(()) };
        let mut rendered = StringOutput::new();
        block.render(registry, context, render_context, &mut rendered)?;
        let text = rendered
            .into_string()
            .map_err(|e| RenderError::from(RenderErrorReason::Other(format!("imports are not UTF-8: {e}"))))?;
        out.write(&sort(&text))?;
        Ok(())
    }
}

/// The import lines of `text` in ktlint's order, one per line; blank lines are dropped (the rule
/// allows none between imports).
pub(crate) fn sort(text: &str) -> String {
    let mut imports: Vec<&str> = text.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
    imports.sort_by_cached_key(|line| {
        let path = line.trim_start_matches("import ").trim();
        let rank = if path.contains(" as ") {
            4
        } else if path.starts_with("java.") {
            1
        } else if path.starts_with("javax.") {
            2
        } else if path.starts_with("kotlin.") {
            3
        } else {
            0
        };
        (rank, path.replace('`', ""))
    });
    imports.dedup();
    let mut out = imports.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_like_ktlint_official_whatever_the_project_package() {
        let text = "import java.time.Instant\nimport io.micronaut.http.HttpStatus\nimport zz.shop.orders.platform.Config\n\
                    import kotlin.math.max\nimport io.micronaut.http.annotation.Get\nimport aa.shop.orders.Problem\n\
                    import javax.sql.DataSource\nimport com.example.Thing as Other\n";
        assert_eq!(
            sort(text),
            "import aa.shop.orders.Problem\nimport io.micronaut.http.HttpStatus\nimport io.micronaut.http.annotation.Get\n\
             import zz.shop.orders.platform.Config\nimport java.time.Instant\nimport javax.sql.DataSource\n\
             import kotlin.math.max\nimport com.example.Thing as Other\n"
        );
    }

    #[test]
    fn the_helper_renders_its_block_sorted() {
        let mut renderer = backend_gen_core::render::Renderer::new();
        renderer.register_helper("kotlin_imports", Box::new(KotlinImports));
        let template = "package {{p}}\n\n{{#kotlin_imports}}\nimport {{p}}.platform.Config\nimport io.micronaut.http.HttpStatus\n{{/kotlin_imports}}\n\nclass X\n";
        let out = renderer.render("t", template, &serde_json::json!({ "p": "aa.b" })).expect("renders");
        assert_eq!(
            out,
            "package aa.b\n\nimport aa.b.platform.Config\nimport io.micronaut.http.HttpStatus\n\nclass X\n"
        );
        let out = renderer.render("t", template, &serde_json::json!({ "p": "zz.b" })).expect("renders");
        assert_eq!(
            out,
            "package zz.b\n\nimport io.micronaut.http.HttpStatus\nimport zz.b.platform.Config\n\nclass X\n"
        );
    }
}
