//! The `docs.` cases: `/openapi.json` against the contract's document in normal form, its
//! `operationId`s and integer bounds (which the normal form leaves out), and `/docs`.

use backend_gen_core::contract::{CONTRACT, openapi};
use serde_json::{Value, json};

use crate::conformance::check::{Checked, Ctx, Exchange, Failure, get};

/// The served document and the exchange that brought it.
fn served(ctx: &Ctx<'_>) -> Result<(Exchange, Value), Failure> {
    let answer = ctx.send(get(CONTRACT.paths.openapi))?;
    answer.status(200)?;
    let document = answer.json()?;
    Ok((answer, document))
}

/// `/api/v1/items/{item_id}` and `/api/v1/items/{id}` are one path: parameter names are free.
fn same_path(a: &str, b: &str) -> bool {
    let segments =
        |p: &str| p.split('/').map(|s| if s.starts_with('{') { "{}" } else { s }).collect::<Vec<_>>().join("/");
    segments(a) == segments(b)
}

/// Every operation of the contract's document carries its `operationId` in the served one.
fn operation_ids(ctx: &Ctx<'_>) -> Checked {
    let (answer, served) = served(ctx)?;
    let contract = openapi::document(&ctx.config.title, "0.1.0");
    let mut wrong = Vec::new();
    for (path, item) in contract["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(expected) = operation["operationId"].as_str() else { continue };
            let found = served["paths"]
                .as_object()
                .into_iter()
                .flatten()
                .find(|(p, _)| same_path(p, path))
                .and_then(|(_, i)| i[method]["operationId"].as_str());
            if found != Some(expected) {
                wrong.push(format!(
                    "{} {path}: {expected} (served {})",
                    method.to_uppercase(),
                    found.unwrap_or("none")
                ));
            }
        }
    }
    answer.check(wrong.is_empty(), format!("the contract's operationIds: {}", wrong.join("; ")))
}

/// A schema with its `$ref` followed (one level is all the contract's documents use).
fn resolve<'a>(schema: &'a Value, document: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => document.pointer(pointer).unwrap_or(&Value::Null),
        None => schema,
    }
}

/// Every `integer` schema in `node`, with the path to it, recursively.
fn integer_schemas<'a>(node: &'a Value, at: String, out: &mut Vec<(String, &'a Value)>) {
    match node {
        Value::Object(map) => {
            let typed = |t: &Value| t == "integer" || t.as_array().is_some_and(|a| a.iter().any(|v| v == "integer"));
            if map.get("type").is_some_and(typed) {
                out.push((at.clone(), node));
            }
            for (key, value) in map {
                integer_schemas(value, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (index, value) in items.iter().enumerate() {
                integer_schemas(value, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// Bounds of integer schemas are integers (`100000000`, not `100000000.0`), and the contract's own
/// bounds are served: `limit` 1..limit_max, `offset` ≥ 0, `price_cents` 0..price_max.
fn integer_bounds(ctx: &Ctx<'_>) -> Checked {
    let (answer, served) = served(ctx)?;
    let mut schemas = Vec::new();
    integer_schemas(&served, String::new(), &mut schemas);
    let floats: Vec<String> = schemas
        .iter()
        .flat_map(|(at, schema)| {
            ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "default"]
                .into_iter()
                .filter(|key| schema[*key].is_number() && !(schema[*key].is_i64() || schema[*key].is_u64()))
                .map(move |key| format!("{at}/{key} = {}", schema[key]))
        })
        .collect();
    answer.check(floats.is_empty(), format!("integer bounds written as integers, not {}", floats.join(", ")))?;
    let items = &CONTRACT.items;
    let list = &served["paths"][CONTRACT.paths.items]["get"];
    let parameter = |name: &str| {
        list["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == name)
            .map(|p| resolve(&p["schema"], &served))
    };
    let body = resolve(
        &served["paths"][CONTRACT.paths.items]["post"]["requestBody"]["content"]["application/json"]["schema"],
        &served,
    );
    let price = resolve(&body["properties"]["price_cents"], &served);
    let limit = parameter("limit").unwrap_or(&Value::Null);
    let offset = parameter("offset").unwrap_or(&Value::Null);
    let expected = [
        ("the `limit` parameter's minimum", &limit["minimum"], json!(1)),
        ("the `limit` parameter's maximum", &limit["maximum"], json!(items.limit_max)),
        ("the `offset` parameter's minimum", &offset["minimum"], json!(0)),
        ("`price_cents`' minimum", &price["minimum"], json!(0)),
        ("`price_cents`' maximum", &price["maximum"], json!(items.price_max)),
    ];
    for (what, served, contract) in expected {
        answer.check(*served == contract, format!("{what}: {contract} (served {served})"))?;
    }
    Ok(())
}

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
    "docs.operation-ids" => operation_ids,
    "docs.integer-bounds" => integer_bounds,
    "docs.swagger-ui" => |ctx| {
        let answer = ctx.send(get(CONTRACT.paths.docs))?;
        answer.status(200)?;
        answer.check(answer.response.header("content-type").is_some_and(|c| c.starts_with("text/html")), "Content-Type text/html")?;
        answer.check(answer.response.text().to_lowercase().contains("swagger"), "a Swagger UI page")
    },
}
