//! The `headers.` cases: security headers on every answer, no framework names, `X-Request-Id`.

use backend_gen_core::contract::CONTRACT;

use crate::conformance::check::{get, is_safe_request_id, security_headers};

cases! {
    "headers.security-on-success" => |ctx| security_headers(&ctx.send(get(CONTRACT.paths.health_live))?),
    "headers.security-on-error" => |ctx| security_headers(&ctx.send(get("/no/such/route"))?),
    "headers.security-on-api" => |ctx| security_headers(&ctx.send(ctx.reader(get(CONTRACT.paths.items)))?),
    "headers.no-framework-names" => |ctx| {
        for request in [get(CONTRACT.paths.health_live), get("/no/such/route"), ctx.reader(get(CONTRACT.paths.items))] {
            let answer = ctx.send(request)?;
            answer.check(answer.response.header("x-powered-by").is_none(), "no `X-Powered-By` header")?;
            let server = answer.response.header("server").unwrap_or_default();
            answer.check(!server.contains('/') && !server.chars().any(|c| c.is_ascii_digit()), "no versioned `Server` header")?;
        }
        Ok(())
    },
    "headers.request-id-echoed" => |ctx| {
        let id = "conformance-Abc.123_x";
        ctx.send(get(CONTRACT.paths.health_live).header(CONTRACT.request_id.header, id))?.header(CONTRACT.request_id.header, id)
    },
    "headers.request-id-replaced" => |ctx| {
        for unsafe_id in ["bad id with spaces", "<script>", &"a".repeat(129)] {
            let answer = ctx.send(get(CONTRACT.paths.health_live).header(CONTRACT.request_id.header, unsafe_id))?;
            let got = answer.response.header(CONTRACT.request_id.header).unwrap_or_default();
            answer.check(is_safe_request_id(got) && got != unsafe_id, "a newly generated, safe `X-Request-Id`")?;
        }
        Ok(())
    },
    "headers.request-id-generated" => |ctx| {
        let answer = ctx.send(get("/no/such/route"))?;
        let got = answer.response.header(CONTRACT.request_id.header).unwrap_or_default();
        answer.check(is_safe_request_id(got), "a generated `X-Request-Id`, also on an error")
    },
}
