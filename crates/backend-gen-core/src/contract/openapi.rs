//! The contract's OpenAPI document. Frameworks emit documents that differ in ways the contract does not
//! care about (descriptions, path-parameter names, titles, `$ref` layout), so served documents are
//! compared with it in the normal form of `normal_form.rs`, re-exported here for its callers.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::CONTRACT;
pub use super::normal_form::{differences, normalize};

const JSON: &str = "application/json";
const SECURITY_SCHEME: &str = "bearerAuth";

/// The OpenAPI 3.1 document every generated service serves at `/openapi.json` (up to normalisation).
pub fn document(title: &str, version: &str) -> Value {
    let c = &CONTRACT;
    let item_path = format!("{}/{{id}}", c.paths.items);
    let id_param = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    let mut paths = Map::new();
    paths.insert(
        c.paths.health_live.to_owned(),
        json!({"get": operation(None, false, &[("200", JSON, "HealthStatus")])}),
    );
    paths.insert(
        c.paths.health_ready.to_owned(),
        json!({"get": operation(None, false, &[("200", JSON, "ReadinessStatus"), ("503", JSON, "ReadinessStatus")])}),
    );
    let list_params = json!([
        {"name": "limit", "in": "query", "required": false,
         "schema": {"type": "integer", "minimum": 1, "maximum": c.items.limit_max, "default": c.items.limit_default}},
        {"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "default": 0}},
    ]);
    let mut list = operation(None, true, &[("200", JSON, "ItemPage"), ("422", "", "")]);
    list["parameters"] = list_params;
    list["operationId"] = json!(c.operation_ids.list);
    let mut create = operation(Some("ItemIn"), true, &[("201", JSON, "Item"), ("403", "", ""), ("422", "", "")]);
    create["operationId"] = json!(c.operation_ids.create);
    paths.insert(c.paths.items.to_owned(), json!({"get": list, "post": create}));

    let with_id = |mut op: Value, id: &str| {
        op["parameters"] = json!([id_param.clone()]);
        op["operationId"] = json!(id);
        op
    };
    paths.insert(
        item_path,
        json!({
            "get": with_id(operation(None, true, &[("200", JSON, "Item"), ("404", "", ""), ("422", "", "")]), c.operation_ids.get),
            "put": with_id(
                operation(Some("ItemIn"), true, &[("200", JSON, "Item"), ("403", "", ""), ("404", "", ""), ("422", "", "")]),
                c.operation_ids.replace,
            ),
            "delete": with_id(
                operation(None, true, &[("204", "", ""), ("403", "", ""), ("404", "", ""), ("422", "", "")]),
                c.operation_ids.delete,
            ),
        }),
    );

    json!({
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {SECURITY_SCHEME: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    })
}

/// One operation. `responses` lists `(status, media type, schema)` of its own answers; an error
/// status without a media type is a problem document. Every operation also documents 500, secured
/// ones 401 and 429, and those with a body 400, 413 and 415.
fn operation(body: Option<&str>, secured: bool, responses: &[(&str, &str, &str)]) -> Value {
    let mut all: BTreeMap<String, Value> = BTreeMap::new();
    for (status, media, schema) in responses {
        let answer = match (*media, status.starts_with('4') || status.starts_with('5')) {
            ("", true) => problem(status),
            ("", false) => json!({"description": "No content"}),
            (media, _) => json!({"description": "Answer", "content": {media: {"schema": reference(schema)}}}),
        };
        all.insert((*status).to_owned(), answer);
    }
    let mut extra = vec!["500"];
    if secured {
        extra.extend(["401", "429"]);
    }
    if body.is_some() {
        extra.extend(["400", "413", "415"]);
    }
    for status in extra {
        all.entry(status.to_owned()).or_insert_with(|| problem(status));
    }
    let mut op = json!({"responses": all});
    if secured {
        op["security"] = json!([{SECURITY_SCHEME: []}]);
    }
    if let Some(schema) = body {
        op["requestBody"] = json!({"required": true, "content": {JSON: {"schema": reference(schema)}}});
    }
    op
}

fn problem(status: &str) -> Value {
    let schema = if status == "422" { "ValidationProblem" } else { "Problem" };
    json!({"description": "Problem details (RFC 9457)", "content": {CONTRACT.problem.content_type: {"schema": reference(schema)}}})
}

fn reference(schema: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{schema}")})
}

fn schemas() -> Value {
    let i = &CONTRACT.items;
    let int = json!({"type": "integer"});
    let text = json!({"type": "string"});
    let time = json!({"type": "string", "format": "date-time"});
    let nullable_text = json!({"anyOf": [{"type": "string"}, {"type": "null"}]});
    let problem_fields = json!({
        "type": {"type": "string"}, "title": text, "status": int, "detail": text, "instance": text,
    });
    let mut validation_fields = problem_fields.clone();
    validation_fields["errors"] = json!({"type": "array", "items": reference("FieldError")});
    json!({
        "HealthStatus": object(json!({"status": text}), &["status"]),
        "ReadinessStatus": object(
            json!({"status": text, "checks": {"type": "object", "additionalProperties": text}}),
            &["status", "checks"],
        ),
        "Item": object(
            json!({"id": int, "name": text, "description": nullable_text, "price_cents": int,
                   "created_at": time, "updated_at": time}),
            &["id", "name", "description", "price_cents", "created_at", "updated_at"],
        ),
        "ItemIn": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": i.name_max},
                "description": {"anyOf": [{"type": "string", "maxLength": i.description_max}, {"type": "null"}]},
                "price_cents": {"type": "integer", "minimum": 0, "maximum": i.price_max},
            },
            "required": ["name", "price_cents"],
        },
        "ItemPage": object(
            json!({"items": {"type": "array", "items": reference("Item")}, "total": int, "limit": int, "offset": int}),
            &["items", "total", "limit", "offset"],
        ),
        "FieldError": object(json!({"field": text, "message": text}), &["field", "message"]),
        "Problem": object(problem_fields, &["type", "title", "status", "detail", "instance"]),
        "ValidationProblem": object(validation_fields, &["type", "title", "status", "detail", "instance", "errors"]),
    })
}

fn object(properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": properties, "required": required})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_covers_every_route_of_the_contract() {
        let normal = normalize(&document("Demo", "0.1.0"));
        let operations = normal["operations"].as_object().expect("operations");
        let keys: Vec<_> = operations.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "DELETE /api/v1/items/{}",
                "GET /api/v1/items",
                "GET /api/v1/items/{}",
                "GET /health/live",
                "GET /health/ready",
                "POST /api/v1/items",
                "PUT /api/v1/items/{}",
            ]
        );
        let create = &operations["POST /api/v1/items"];
        let statuses: Vec<_> = create["responses"].as_object().expect("responses").keys().map(String::as_str).collect();
        assert_eq!(statuses, ["201", "400", "401", "403", "413", "415", "422", "429", "500"]);
        assert_eq!(create["request"][JSON]["required"], json!(["name", "price_cents"]));
        assert_eq!(
            create["responses"]["422"][CONTRACT.problem.content_type]["required"],
            json!(["detail", "errors", "instance", "status", "title", "type"])
        );
        assert_eq!(normal["security_schemes"], json!(["http bearer"]));
        assert_eq!(operations["GET /health/live"]["secured"], json!(false));
    }

    #[test]
    fn normal_form_ignores_names_and_descriptions_but_not_fields() {
        let doc = document("Demo", "0.1.0");
        let mut renamed = serde_json::to_string(&doc).expect("serialises").replace("{id}", "{item_id}");
        renamed = renamed.replace("\"description\":\"Answer\"", "\"description\":\"OK\"");
        assert!(renamed.contains("\"description\":\"OK\""), "the rename must change something");
        let renamed: Value = serde_json::from_str(&renamed).expect("parses");
        assert!(differences(&normalize(&doc), &normalize(&renamed)).is_empty());

        let mut broken = doc.clone();
        broken["components"]["schemas"]["Item"]["required"] = json!(["id"]);
        let found = differences(&normalize(&doc), &normalize(&broken));
        assert!(found.iter().any(|d| d.contains("GET /api/v1/items/{}/responses/200")), "{found:?}");
    }
}
