//! The `docs.` cases: `/openapi.json` against the contract's document in normal form, and `/docs`.

use backend_gen_core::contract::{CONTRACT, openapi};

use crate::conformance::check::{Failure, get};

cases! {
    "docs.openapi-document" => |ctx| {
        let answer = ctx.send(get(CONTRACT.paths.openapi))?;
        answer.status(200)?;
        let served = answer.json()?;
        let version = served["openapi"].as_str().unwrap_or_default();
        answer.check(version == "3.1.0" || version == "3.0.3", "an OpenAPI 3.1.0 (or 3.0.3) document")?;
        let contract = openapi::document(&ctx.config.title, "0.1.0");
        let differences = openapi::differences(&openapi::normalize(&contract), &openapi::normalize(&served));
        if differences.is_empty() {
            return Ok(());
        }
        Err(Failure {
            request: answer.request.describe(),
            expected: "the contract's document (paths, methods, statuses, schema fields, required lists)".into(),
            received: format!("{} difference(s): {}", differences.len(), differences.join("; ")),
        })
    },
    "docs.swagger-ui" => |ctx| {
        let answer = ctx.send(get(CONTRACT.paths.docs))?;
        answer.status(200)?;
        answer.check(answer.response.header("content-type").is_some_and(|c| c.starts_with("text/html")), "Content-Type text/html")?;
        answer.check(answer.response.text().to_lowercase().contains("swagger"), "a Swagger UI page")
    },
}
