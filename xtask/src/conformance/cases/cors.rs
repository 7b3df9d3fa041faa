//! The `cors.` cases: the allowed origin gets its exact echo, any other origin no CORS header at all.

use backend_gen_core::contract::CONTRACT;

use crate::conformance::check::{get, no_cors_headers};
use crate::conformance::http::Request;

cases! {
    "cors.allowed-origin" => |ctx| {
        let answer = ctx.send(ctx.reader(get(CONTRACT.paths.items)).header("Origin", ctx.config.allowed_origin))?;
        answer.status(200)?;
        answer.header("access-control-allow-origin", ctx.config.allowed_origin)
    },
    "cors.allowed-preflight" => |ctx| {
        let request = Request::new("OPTIONS", CONTRACT.paths.items)
            .header("Origin", ctx.config.allowed_origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization, content-type");
        let answer = ctx.send(request)?;
        answer.check((200..300).contains(&answer.response.status), "a 2xx preflight answer")?;
        answer.header("access-control-allow-origin", ctx.config.allowed_origin)?;
        let methods = answer.response.header("access-control-allow-methods").unwrap_or_default().to_uppercase();
        answer.check(methods.contains("POST"), "`Access-Control-Allow-Methods` including POST")
    },
    "cors.other-origin" => |ctx| {
        let answer = ctx.send(ctx.reader(get(CONTRACT.paths.items)).header("Origin", "https://evil.example"))?;
        no_cors_headers(&answer)
    },
    "cors.other-origin-preflight" => |ctx| {
        let request = Request::new("OPTIONS", CONTRACT.paths.items)
            .header("Origin", "https://evil.example")
            .header("Access-Control-Request-Method", "DELETE");
        no_cors_headers(&ctx.send(request)?)
    },
}
