//! The `auth.` cases: every way a bearer token can be missing or wrong (401), roles (403), and no
//! token read from the query string.

use backend_gen_core::contract::CONTRACT;
use serde_json::json;

use crate::conformance::check::{Checked, Ctx, get, item_path};
use crate::conformance::http::Request;

/// What an anonymous (or badly authenticated) writer may send: 401 comes before any look at it.
fn bodies(ctx: &Ctx<'_>) -> [(&'static str, Vec<u8>); 3] {
    [
        ("application/json", b"{\"name\": ".to_vec()),
        ("text/plain", b"name=x&price_cents=1".to_vec()),
        ("application/json", vec![b' '; ctx.config.max_body_bytes + 1]),
    ]
}

/// Every body of `bodies` to POST and PUT, sent with `authorization` (none when `None`): 401 each,
/// its challenge naming `invalid_token` when a token was sent.
fn authentication_comes_first(ctx: &Ctx<'_>, authorization: Option<(&str, &str)>) -> Checked {
    for (media, body) in bodies(ctx) {
        for (method, path) in
            [("POST", CONTRACT.paths.items.to_owned()), ("PUT", format!("{}/1", CONTRACT.paths.items))]
        {
            let mut request = Request::new(method, &path).raw_body(media, body.clone());
            if let Some((token, label)) = authorization {
                request = request.bearer(token, label);
            }
            let answer = ctx.send(request)?;
            let refused = if authorization.is_some() { answer.refused_token() } else { answer.unauthorized() };
            refused.map_err(|mut f| {
                f.expected =
                    format!("401 before the body is looked at ({media}, {} bytes): {}", body.len(), f.expected);
                f
            })?;
        }
    }
    Ok(())
}

cases! {
    "auth.first-anonymous" => |ctx| authentication_comes_first(ctx, None),
    "auth.first-bad-token" => |ctx| authentication_comes_first(ctx, Some(("not-a-jwt", "malformed token"))),
    "auth.first-expired-token" => |ctx| authentication_comes_first(ctx, Some((&ctx.tokens.expired, "expired token"))),
    "auth.read-without-token" => |ctx| ctx.send(get(CONTRACT.paths.items))?.unauthorized(),
    "auth.write-without-token" => |ctx| {
        ctx.send(Request::new("POST", CONTRACT.paths.items).json(&json!({"name": "x", "price_cents": 1})))?.unauthorized()
    },
    "auth.reader-can-read" => |ctx| ctx.send(ctx.reader(get(CONTRACT.paths.items)))?.status(200),
    "auth.write-without-role" => |ctx| {
        let request = ctx.reader(Request::new("POST", CONTRACT.paths.items)).json(&json!({"name": "x", "price_cents": 1}));
        ctx.send(request)?.forbidden()
    },
    // The contract's roles are an array of strings: a string claim grants no role (Micronaut's
    // default roles finder takes one, other stacks' readers do not).
    "auth.roles-not-an-array" => |ctx| {
        let request = Request::new("POST", CONTRACT.paths.items)
            .bearer(&ctx.tokens.roles_not_an_array, "token whose roles claim is a string")
            .json(&json!({"name": "x", "price_cents": 1}));
        ctx.send(request)?.forbidden()
    },
    "auth.delete-without-role" => |ctx| {
        let item = ctx.create_item("protected")?;
        ctx.send(ctx.reader(Request::new("DELETE", &item_path(&item))))?.forbidden()
    },
    "auth.malformed-token" => |ctx| ctx.send(get(CONTRACT.paths.items).bearer("not-a-jwt", "malformed token"))?.refused_token(),
    // The scheme without a token is no token at all: the challenge without an error code.
    "auth.scheme-alone" => |ctx| ctx.send(get(CONTRACT.paths.items).header("Authorization", "Bearer"))?.unauthorized(),
    // Auth-schemes are case-insensitive (RFC 9110, section 11.1); RFC 6750 puts `1*SP` after it.
    "auth.scheme-case-and-spacing" => |ctx| {
        for scheme in ["bearer", "BEARER", "Bearer "] {
            ctx.send(get(CONTRACT.paths.items).scheme(scheme, &ctx.tokens.reader, "reader token"))?.status(200)?;
        }
        Ok(())
    },
    // Whitespace around a field value is not part of it (RFC 9110, section 5.5).
    "auth.token-then-whitespace" => |ctx| {
        for after in [" ", "\t"] {
            ctx.send(get(CONTRACT.paths.items).around("Bearer ", &ctx.tokens.reader, after, "reader token"))?.status(200)?;
        }
        Ok(())
    },
    // Only spaces part the scheme from its token (RFC 6750's `1*SP`): after a tab or a no-break space
    // (byte 0xA0, no whitespace to HTTP) comes a malformed token, refused as any other; so is a
    // no-break space alone. The scheme followed by whitespace alone is no token at all.
    "auth.token-after-other-whitespace" => |ctx| {
        for before in ["Bearer \t", "Bearer \u{a0}"] {
            ctx.send(get(CONTRACT.paths.items).around(before, &ctx.tokens.reader, "", "reader token"))?.refused_token()?;
        }
        ctx.send(get(CONTRACT.paths.items).header("Authorization", "Bearer \u{a0}"))?.refused_token()?;
        ctx.send(get(CONTRACT.paths.items).header("Authorization", "Bearer \t"))?.unauthorized()
    },
    "auth.not-bearer" => |ctx| ctx.send(get(CONTRACT.paths.items).header("Authorization", "Basic YWRtaW46YWRtaW4="))?.unauthorized(),
    "auth.expired" => |ctx| ctx.send(get(CONTRACT.paths.items).bearer(&ctx.tokens.expired, "expired token"))?.refused_token(),
    "auth.not-yet-valid" => |ctx| {
        ctx.send(get(CONTRACT.paths.items).bearer(&ctx.tokens.not_yet_valid, "token with nbf in the future"))?.refused_token()
    },
    "auth.wrong-signature" => |ctx| {
        ctx.send(get(CONTRACT.paths.items).bearer(&ctx.tokens.wrong_signature, "token signed with another key"))?.refused_token()
    },
    "auth.alg-none" => |ctx| ctx.send(get(CONTRACT.paths.items).bearer(&ctx.tokens.alg_none, "alg none token"))?.refused_token(),
    "auth.wrong-issuer" => |ctx| {
        ctx.send(get(CONTRACT.paths.items).bearer(&ctx.tokens.wrong_issuer, "token of another issuer"))?.refused_token()
    },
    "auth.wrong-audience" => |ctx| {
        ctx.send(get(CONTRACT.paths.items).bearer(&ctx.tokens.wrong_audience, "token for another audience"))?.refused_token()
    },
    "auth.without-exp" => |ctx| {
        ctx.send(get(CONTRACT.paths.items).bearer(&ctx.tokens.without_exp, "token without exp"))?.refused_token()
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
