//! The `auth.` cases: every way a bearer token can be missing or wrong (401), roles (403), and no
//! token read from the query string.

use backend_gen_core::contract::CONTRACT;
use serde_json::json;

use crate::conformance::check::{get, item_path};
use crate::conformance::http::Request;

cases! {
    "auth.read-without-token" => |ctx| ctx.send(get(CONTRACT.paths.items))?.unauthorized(),
    "auth.write-without-token" => |ctx| {
        ctx.send(Request::new("POST", CONTRACT.paths.items).json(&json!({"name": "x", "price_cents": 1})))?.unauthorized()
    },
    "auth.reader-can-read" => |ctx| ctx.send(ctx.reader(get(CONTRACT.paths.items)))?.status(200),
    "auth.write-without-role" => |ctx| {
        let request = ctx.reader(Request::new("POST", CONTRACT.paths.items)).json(&json!({"name": "x", "price_cents": 1}));
        ctx.send(request)?.problem(403).map(drop)
    },
    "auth.delete-without-role" => |ctx| {
        let item = ctx.create_item("protected")?;
        ctx.send(ctx.reader(Request::new("DELETE", &item_path(&item))))?.problem(403).map(drop)
    },
    "auth.malformed-token" => |ctx| ctx.send(get(CONTRACT.paths.items).bearer("not-a-jwt", "malformed token"))?.unauthorized(),
    "auth.not-bearer" => |ctx| ctx.send(get(CONTRACT.paths.items).header("Authorization", "Basic YWRtaW46YWRtaW4="))?.unauthorized(),
    "auth.expired" => |ctx| ctx.send(get(CONTRACT.paths.items).bearer(&ctx.tokens.expired, "expired token"))?.unauthorized(),
    "auth.not-yet-valid" => |ctx| {
        ctx.send(get(CONTRACT.paths.items).bearer(&ctx.tokens.not_yet_valid, "token with nbf in the future"))?.unauthorized()
    },
    "auth.wrong-signature" => |ctx| {
        ctx.send(get(CONTRACT.paths.items).bearer(&ctx.tokens.wrong_signature, "token signed with another key"))?.unauthorized()
    },
    "auth.alg-none" => |ctx| ctx.send(get(CONTRACT.paths.items).bearer(&ctx.tokens.alg_none, "alg none token"))?.unauthorized(),
    "auth.wrong-issuer" => |ctx| {
        ctx.send(get(CONTRACT.paths.items).bearer(&ctx.tokens.wrong_issuer, "token of another issuer"))?.unauthorized()
    },
    "auth.wrong-audience" => |ctx| {
        ctx.send(get(CONTRACT.paths.items).bearer(&ctx.tokens.wrong_audience, "token for another audience"))?.unauthorized()
    },
    "auth.without-exp" => |ctx| {
        ctx.send(get(CONTRACT.paths.items).bearer(&ctx.tokens.without_exp, "token without exp"))?.unauthorized()
    },
    "auth.token-in-query" => |ctx| {
        for parameter in ["access_token", "token", "jwt"] {
            let path = format!("{}?{parameter}={}", CONTRACT.paths.items, ctx.tokens.admin);
            let answer = ctx.send(get(&path))?;
            answer.unauthorized().map_err(|mut f| {
                f.request = format!("GET {}?{parameter}=<admin token>", CONTRACT.paths.items);
                f
            })?;
        }
        Ok(())
    },
}
