//! The `errors.` cases: the problem status of each error row of the contract.

use backend_gen_core::contract::CONTRACT;
use serde_json::json;

use crate::conformance::check::get;
use crate::conformance::http::Request;

cases! {
    "errors.malformed-json" => |ctx| {
        let request = ctx.admin(Request::new("POST", CONTRACT.paths.items)).raw_body("application/json", b"{\"name\": ".to_vec());
        ctx.send(request)?.problem(400).map(drop)
    },
    "errors.not-json" => |ctx| {
        let request = ctx.admin(Request::new("POST", CONTRACT.paths.items)).raw_body("text/plain", b"name=answer&price_cents=1".to_vec());
        ctx.send(request)?.problem(415).map(drop)
    },
    "errors.body-too-large" => |ctx| {
        let padding = "x".repeat(ctx.config.max_body_bytes + 1);
        let request = ctx.admin(Request::new("POST", CONTRACT.paths.items)).json(&json!({"name": "x", "description": padding, "price_cents": 1}));
        ctx.send(request)?.problem(413).map(drop)
    },
    "errors.unknown-route" => |ctx| ctx.send(get("/no/such/route"))?.problem(404).map(drop),
    "errors.wrong-method" => |ctx| {
        let answer = ctx.send(ctx.admin(Request::new("PATCH", CONTRACT.paths.items)).json(&json!({})))?;
        answer.problem(405)?;
        let allow = answer.response.header("allow").unwrap_or_default().to_uppercase();
        let methods: Vec<_> = allow.split(',').map(str::trim).collect();
        answer.check(methods.contains(&"GET") && methods.contains(&"POST"), "header `Allow` listing GET and POST")
    },
}
