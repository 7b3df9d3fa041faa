//! The normal form in which a served OpenAPI document is compared with the contract's: what the
//! contract fixes, and nothing a framework may word its own way.
//!
//! The algorithm, which every stack's own port must follow (the projects' tests check their port
//! against the normal form backend-gen renders beside the document):
//! - every operation under `paths` (methods get, put, post, delete, patch, head, options) becomes
//!   one entry keyed `METHOD /path`, with path parameters written `{}` (their names are free);
//! - an operation keeps: `secured` (a non-empty `security`), its parameters as a sorted list
//!   (`path` for a path parameter, else `in:name`), the shape of its request body and of each
//!   response by status code and media type;
//! - a shape resolves `$ref`s, unwraps a union whose other branches are all `null` (nullable), keeps
//!   an object's fields (each shaped) and its sorted `required` list, an array's item shape, `map`
//!   for an object without properties, the scalar type's name, or `any`; depth is capped at 16;
//! - the security schemes become `type scheme` strings (`http bearer`), in document order.

use serde_json::{Map, Value, json};

/// The parts of an OpenAPI document the contract fixes, in a form that compares with `==`.
pub fn normalize(doc: &Value) -> Value {
    let mut operations = Map::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if !matches!(method.as_str(), "get" | "put" | "post" | "delete" | "patch" | "head" | "options") {
                continue;
            }
            let mut parameters: Vec<String> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| match p["in"].as_str() {
                    // Path parameters are positional: their names are the framework's business.
                    Some("path") => "path".to_owned(),
                    place => format!("{}:{}", place.unwrap_or("?"), p["name"].as_str().unwrap_or("?")),
                })
                .collect();
            parameters.sort();
            let responses: Map<String, Value> = op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(status, answer)| (status.clone(), content_shapes(&answer["content"], doc)))
                .collect();
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            let key = format!("{} {}", method.to_uppercase(), normalize_path(path));
            operations.insert(
                key,
                json!({
                    "secured": secured,
                    "parameters": parameters,
                    "request": content_shapes(&op["requestBody"]["content"], doc),
                    "responses": responses,
                }),
            );
        }
    }
    let schemes: Vec<String> = doc["components"]["securitySchemes"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, s)| {
            format!("{} {}", s["type"].as_str().unwrap_or("?"), s["scheme"].as_str().unwrap_or("?").to_lowercase())
        })
        .collect();
    json!({"security_schemes": schemes, "operations": operations})
}

fn normalize_path(path: &str) -> String {
    path.split('/')
        .map(|segment| if segment.starts_with('{') && segment.ends_with('}') { "{}" } else { segment })
        .collect::<Vec<_>>()
        .join("/")
}

fn content_shapes(content: &Value, doc: &Value) -> Value {
    let shapes: Map<String, Value> = content
        .as_object()
        .into_iter()
        .flatten()
        .map(|(media, body)| (media.clone(), shape(&body["schema"], doc, 0)))
        .collect();
    Value::Object(shapes)
}

/// Fields and required lists of a schema, with `$ref`s resolved and nullable unions unwrapped.
fn shape(schema: &Value, doc: &Value, depth: usize) -> Value {
    if depth > 16 {
        return json!("recursive");
    }
    if let Some(reference) = schema["$ref"].as_str() {
        let target =
            reference.strip_prefix('#').map_or(&Value::Null, |pointer| doc.pointer(pointer).unwrap_or(&Value::Null));
        return shape(target, doc, depth + 1);
    }
    for union in ["anyOf", "oneOf", "allOf"] {
        if let Some(branches) = schema[union].as_array() {
            let shaped: Vec<Value> =
                branches.iter().filter(|b| b["type"] != "null").map(|b| shape(b, doc, depth + 1)).collect();
            return if shaped.len() == 1 {
                shaped.into_iter().next().unwrap_or_default()
            } else {
                json!({union: shaped})
            };
        }
    }
    if let Some(properties) = schema["properties"].as_object() {
        let fields: Map<String, Value> =
            properties.iter().map(|(name, s)| (name.clone(), shape(s, doc, depth + 1))).collect();
        let mut required: Vec<&str> =
            schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        required.sort_unstable();
        return json!({"fields": fields, "required": required});
    }
    match schema["type"].as_str() {
        Some("array") => json!({"array": shape(&schema["items"], doc, depth + 1)}),
        Some("object") => json!("map"),
        Some(scalar) => json!(scalar),
        None => json!("any"),
    }
}

/// Where two normalised documents differ, one line each, for a failure report.
pub fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff(expected, actual, String::new(), &mut out);
    out
}

fn diff(expected: &Value, actual: &Value, at: String, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                match a.get(key) {
                    Some(other) => diff(value, other, format!("{at}/{key}"), out),
                    None => out.push(format!("{at}/{key}: missing")),
                }
            }
            for key in a.keys().filter(|k| !e.contains_key(*k)) {
                out.push(format!("{at}/{key}: not in the contract"));
            }
        }
        _ if expected != actual => out.push(format!("{at}: expected {expected}, got {actual}")),
        _ => {}
    }
}
