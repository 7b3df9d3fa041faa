//! The `logs.` cases: JSON lines on stdout, one for every request (with its route template, client
//! address and user agent), and no secret in any output.

use std::path::Path;

use backend_gen_core::contract::CONTRACT;
use serde_json::{Value, json};

use crate::conformance::check::{Checked, Ctx, get, item_path, output_failure};

cases! {
    "logs.request-lines" => |ctx| {
        let id = "conformance-log-probe-1";
        ctx.send(ctx.reader(get(CONTRACT.paths.items)).header(CONTRACT.request_id.header, id))?.status(200)?;
        let found = request_line(ctx, id);
        let ok = found.as_ref().is_some_and(|l| {
            l["method"] == "GET" && l["path"] == CONTRACT.paths.items && l["status"] == 200
                && l["time"].is_string() && l["level"].is_string() && l["duration_ms"].is_number()
        });
        log_check("stdout", ok, "a JSON line with time, level, request_id, method GET, the path, status 200, duration_ms", found)
    },
    // The route template, not the path with its ids: one value per route for dashboards. The
    // template is spelled as the service's own OpenAPI document spells the route's path.
    "logs.route-template" => |ctx| {
        let item = ctx.create_item("logged by its route")?;
        let path = item_path(&item);
        let (id, agent) = ("conformance-log-route-1", "conformance-suite/1 (route probe)");
        let request = ctx.reader(get(&path)).header(CONTRACT.request_id.header, id).header("User-Agent", agent);
        ctx.send(request)?.status(200)?;
        let document = ctx.send(get(CONTRACT.paths.openapi))?.json()?;
        let templates: Vec<&str> = document["paths"].as_object().map(|p| p.keys().map(String::as_str).collect()).unwrap_or_default();
        let found = request_line(ctx, id);
        let ok = found.as_ref().is_some_and(|l| {
            let route = l["route"].as_str().unwrap_or_default();
            route != path && route.starts_with(&format!("{}/{{", CONTRACT.paths.items)) && templates.contains(&route)
                && l["path"] == path.as_str() && l["client"] == ctx.source.to_string().as_str() && l["user_agent"] == agent
        });
        let expected = format!(
            "the request's line with `route` the OpenAPI path template of `{path}` (one of {templates:?}), `path` `{path}`, \
             `client` `{}` and `user_agent` `{agent}`",
            ctx.source
        );
        log_check("stdout", ok, &expected, found)
    },
    "logs.every-line-json" => |ctx| {
        let lines = service_log(ctx);
        let bad: Vec<_> = lines.iter().filter(|l| {
            let parsed = serde_json::from_str::<Value>(l).ok();
            let base = parsed.as_ref().is_some_and(|v| v["time"].is_string() && v["level"].is_string());
            let request_line = parsed.as_ref().is_some_and(|v| v.get("method").is_some());
            let complete = parsed.as_ref().is_some_and(|v| {
                ["request_id", "path", "status", "duration_ms"].iter().all(|k| v.get(*k).is_some())
            });
            !base || (request_line && !complete)
        }).take(3).collect();
        let ok = !lines.is_empty() && bad.is_empty();
        log_check("stdout", ok, "every line a JSON object with time and level; request lines with request_id, method, path, status, duration_ms", bad.first().map(|l| json!(l)))
    },
    "logs.no-secrets" => |ctx| {
        // Both streams: a secret printed by the runtime before logging starts leaks as much.
        let text = read(&ctx.config.stdout_path) + read(&ctx.config.stderr_path).as_str();
        let mut leaked: Vec<&str> = ctx.tokens.all().into_iter().filter(|t| text.contains(*t)).map(|_| "a bearer token").collect();
        if text.contains(&ctx.config.secret) {
            leaked.push("JWT_SECRET");
        }
        log_check("stdout and stderr", leaked.is_empty(), "no token and not the JWT_SECRET", (!leaked.is_empty()).then(|| json!(leaked)))
    },
}

/// The access line of the request with id `id`.
fn request_line(ctx: &Ctx<'_>, id: &str) -> Option<Value> {
    service_log(ctx).iter().filter_map(|l| serde_json::from_str::<Value>(l).ok()).find(|l| l["request_id"] == id)
}

/// The service's stdout so far, one entry a non-empty line. Read after a pause: a service may
/// write its request line just after answering.
fn service_log(ctx: &Ctx<'_>) -> Vec<String> {
    std::thread::sleep(std::time::Duration::from_millis(200));
    read(&ctx.config.stdout_path).lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn log_check(stream: &str, ok: bool, expected: &str, evidence: Option<Value>) -> Checked {
    if ok {
        return Ok(());
    }
    Err(output_failure(stream, expected, evidence.map_or_else(|| "no such line".to_owned(), |e| e.to_string())))
}
