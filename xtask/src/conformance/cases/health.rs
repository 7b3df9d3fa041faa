//! The `health.` cases: liveness and readiness with the database check.

use backend_gen_core::contract::CONTRACT;
use serde_json::json;

use crate::conformance::check::get;

cases! {
    "health.live" => |ctx| {
        let answer = ctx.send(get(CONTRACT.paths.health_live))?;
        answer.status(200)?;
        answer.check(answer.json()? == json!({"status": "ok"}), r#"body {"status":"ok"}"#)
    },
    "health.ready" => |ctx| {
        let answer = ctx.send(get(CONTRACT.paths.health_ready))?;
        answer.status(200)?;
        let body = answer.json()?;
        answer.check(body["status"] == "ok" && body["checks"]["database"] == "ok", r#"body {"status":"ok","checks":{"database":"ok"}}"#)
    },
}
