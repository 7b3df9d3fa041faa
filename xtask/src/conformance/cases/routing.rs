//! The `routing.` cases: what the contract says of paths and methods beyond each route: a trailing
//! slash is an unknown route, never a redirect; no answer builds a URL from `Host` or
//! `X-Forwarded-*`; every GET route answers HEAD; a 405 lists HEAD wherever it lists GET.

use backend_gen_core::contract::CONTRACT;
use serde_json::json;

use crate::conformance::check::{Checked, Ctx, Exchange, get, item_path};
use crate::conformance::http::Request;

/// A host no answer may repeat.
const EVIL_HOST: &str = "evil.example";

cases! {
    "routing.trailing-slash-is-404" => |ctx| {
        let path = format!("{}/", CONTRACT.paths.items);
        for request in [get(&path).host(EVIL_HOST), ctx.reader(get(&path)).host(EVIL_HOST)] {
            let answer = ctx.send(request)?;
            answer.problem(404)?;
            answer.check(answer.response.header("location").is_none(), "no `Location`: never a redirect")?;
        }
        Ok(())
    },
    "routing.no-url-from-host" => |ctx| {
        let lie = |request: Request| {
            request
                .host(EVIL_HOST)
                .header("X-Forwarded-Host", EVIL_HOST)
                .header("X-Forwarded-Proto", "https")
                .header("Forwarded", "host=evil.example;proto=https")
        };
        let body = json!({"name": "hosted", "price_cents": 1});
        let created = ctx.send(lie(ctx.admin(Request::new("POST", CONTRACT.paths.items)).json(&body)))?;
        created.status(201)?;
        let item = created.json()?;
        created.header("location", &item_path(&item))?;
        let item_slash = format!("{}/", item_path(&item));
        let paths = [CONTRACT.paths.health_live, CONTRACT.paths.openapi, CONTRACT.paths.docs, "/no/such/route", &item_slash];
        for path in paths {
            never_names_the_host(&ctx.send(lie(ctx.reader(get(path))))?)?;
        }
        never_names_the_host(&created)
    },
    "routing.head-on-get-routes" => |ctx| {
        let item = ctx.create_item("head")?;
        let item = item_path(&item);
        let open = [CONTRACT.paths.health_live, CONTRACT.paths.health_ready, CONTRACT.paths.openapi, CONTRACT.paths.docs];
        for path in open {
            head_like_get(ctx, get(path))?;
        }
        for path in [CONTRACT.paths.items, item.as_str()] {
            head_like_get(ctx, ctx.reader(get(path)))?;
            let anonymous = ctx.send(Request::new("HEAD", path))?;
            // No body to read as a problem: the status and the challenge alone.
            anonymous.status(401)?;
            anonymous.challenge(CONTRACT.jwt.bearer_challenge)?;
        }
        Ok(())
    },
    "routing.allow-lists-head-with-get" => |ctx| {
        let item = ctx.create_item("allow")?;
        let cases = [
            (CONTRACT.paths.items.to_owned(), &["GET", "HEAD", "POST"][..]),
            (item_path(&item), &["GET", "HEAD", "PUT", "DELETE"][..]),
            (CONTRACT.paths.health_live.to_owned(), &["GET", "HEAD"][..]),
        ];
        for (path, expected) in cases {
            let answer = ctx.send(ctx.admin(Request::new("PATCH", &path)).json(&json!({})))?;
            answer.problem(405)?;
            let allow = answer.response.header("allow").unwrap_or_default().to_uppercase();
            let methods: Vec<_> = allow.split(',').map(str::trim).collect();
            answer.check(expected.iter().all(|m| methods.contains(m)), format!("header `Allow` listing {}", expected.join(", ")))?;
        }
        Ok(())
    },
}

/// `HEAD` answers as `GET` does, with no body: the same status and the same representation headers.
fn head_like_get(ctx: &Ctx<'_>, get_request: Request) -> Checked {
    let got = ctx.send(get_request.clone())?;
    let mut head_request = get_request;
    head_request.method = "HEAD".to_owned();
    let head = ctx.send(head_request)?;
    head.status(got.response.status)?;
    head.check(head.response.body.is_empty(), "no body in an answer to HEAD")?;
    let content_type = got.response.header("content-type").unwrap_or_default();
    head.check(
        head.response.header("content-type") == Some(content_type),
        format!("GET's `Content-Type: {content_type}`"),
    )?;
    for header in CONTRACT.security_headers.iter().filter(|h| h.name != "Content-Security-Policy") {
        head.header(header.name, header.value)?;
    }
    Ok(())
}

fn never_names_the_host(answer: &Exchange) -> Checked {
    let in_headers = answer.response.headers.iter().any(|(_, v)| v.contains(EVIL_HOST));
    answer.check(
        !in_headers && !answer.response.text().contains(EVIL_HOST),
        format!("no header or body naming `{EVIL_HOST}`"),
    )?;
    answer.check(!(300..400).contains(&answer.response.status), "no redirect")
}
