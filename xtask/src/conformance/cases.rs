//! The cases: at least one per row of `CONTRACT.md`, each a function of the running service.
//!
//! Each case sends its requests from its own loopback address, so the per-client rate limit
//! counts every case apart and the cases can run in any order.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use backend_gen_core::contract::{CONTRACT, openapi};
use serde_json::{Value, json};

use super::http::{self, Request, Response};
use super::tokens::Tokens;

/// How the service under test was started.
#[derive(Debug)]
pub struct ServiceConfig {
    pub secret: String,
    pub issuer: String,
    pub title: String,
    pub allowed_origin: &'static str,
    pub rate_limit_per_minute: u32,
    pub max_body_bytes: usize,
    pub log_path: PathBuf,
}

/// What a case sees.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub server: SocketAddr,
    pub source: Ipv4Addr,
    pub tokens: &'a Tokens,
    pub config: &'a ServiceConfig,
}

/// Why a case failed: the request, what the contract expects and what came back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Failure {
    pub request: String,
    pub expected: String,
    pub received: String,
}

type Outcome = Result<(), Failure>;

/// One case of the suite.
#[derive(Debug)]
pub struct Case {
    pub id: &'static str,
    pub run: fn(&Ctx<'_>) -> Outcome,
}

/// A request and its answer, with the checks a case applies to them.
struct Exchange {
    request: Request,
    response: Response,
}

impl Ctx<'_> {
    fn send(&self, request: Request) -> Result<Exchange, Failure> {
        match http::send(self.server, self.source, &request) {
            Ok(response) => Ok(Exchange { request, response }),
            Err(e) => {
                Err(Failure { request: request.describe(), expected: "an HTTP answer".into(), received: e.to_string() })
            }
        }
    }

    fn admin(&self, request: Request) -> Request {
        request.bearer(&self.tokens.admin, "admin token")
    }

    fn reader(&self, request: Request) -> Request {
        request.bearer(&self.tokens.reader, "reader token")
    }

    /// Creates an item and returns it.
    fn create_item(&self, name: &str) -> Result<Value, Failure> {
        let body = json!({"name": name, "description": "made by the conformance suite", "price_cents": 1234});
        let exchange = self.send(self.admin(Request::new("POST", CONTRACT.paths.items)).json(&body))?;
        exchange.status(201)?;
        exchange.json()
    }
}

impl Exchange {
    fn fail(&self, expected: impl Into<String>) -> Failure {
        Failure { request: self.request.describe(), expected: expected.into(), received: self.response.describe() }
    }

    fn check(&self, ok: bool, expected: impl Into<String>) -> Outcome {
        if ok { Ok(()) } else { Err(self.fail(expected)) }
    }

    fn status(&self, status: u16) -> Outcome {
        self.check(self.response.status == status, format!("status {status}"))
    }

    fn json(&self) -> Result<Value, Failure> {
        self.response.json().ok_or_else(|| self.fail("a JSON body"))
    }

    fn header(&self, name: &str, value: &str) -> Outcome {
        self.check(self.response.header(name) == Some(value), format!("header `{name}: {value}`"))
    }

    fn has_header(&self, name: &str) -> Outcome {
        self.check(self.response.header(name).is_some_and(|v| !v.is_empty()), format!("a `{name}` header"))
    }

    /// An RFC 9457 problem with `status`, naming the request path and leaking nothing internal.
    fn problem(&self, status: u16) -> Result<Value, Failure> {
        self.status(status)?;
        let media = self.response.header("content-type").unwrap_or_default();
        self.check(
            media.starts_with(CONTRACT.problem.content_type),
            format!("Content-Type {}", CONTRACT.problem.content_type),
        )?;
        let body = self.json()?;
        let path = self.request.path.split('?').next().unwrap_or_default();
        let shaped = body["type"].is_string()
            && body["title"].is_string()
            && body["status"] == json!(status)
            && body["detail"].is_string()
            && body["instance"] == json!(path);
        self.check(shaped, format!("a problem with type, title, status {status}, detail and instance `{path}`"))?;
        let text = self.response.text();
        let leaks = ["Traceback", "File \"", "Exception", " at java.", "    at "].iter().any(|m| text.contains(m));
        self.check(!leaks, "no stack trace or internal detail in the body")?;
        Ok(body)
    }

    /// A 422 problem whose `errors` name `field`.
    fn validation(&self, field: &str) -> Outcome {
        let body = self.problem(422)?;
        let named = body["errors"].as_array().is_some_and(|errors| {
            errors
                .iter()
                .any(|e| e["field"].as_str() == Some(field) && e["message"].as_str().is_some_and(|m| !m.is_empty()))
        });
        self.check(named, format!("`errors` naming the field `{field}` with a message"))
    }

    fn unauthorized(&self) -> Outcome {
        self.problem(401)?;
        let challenge = self.response.header("www-authenticate").unwrap_or_default();
        self.check(challenge.starts_with("Bearer"), "header `WWW-Authenticate: Bearer`")
    }
}

fn item_path(item: &Value) -> String {
    format!("{}/{}", CONTRACT.paths.items, item["id"])
}

fn get(path: &str) -> Request {
    Request::new("GET", path)
}

const MISSING_ID: &str = "/987654321";

macro_rules! cases {
    ($($id:literal => $run:expr,)*) => {
        /// Every case, in the order they run; the log cases last, so they see the whole run.
        pub const CASES: &[Case] = &[$(Case { id: $id, run: $run },)*];
    };
}

cases! {
    "health.live" => |ctx| {
        let x = ctx.send(get(CONTRACT.paths.health_live))?;
        x.status(200)?;
        x.check(x.json()? == json!({"status": "ok"}), r#"body {"status":"ok"}"#)
    },
    "health.ready" => |ctx| {
        let x = ctx.send(get(CONTRACT.paths.health_ready))?;
        x.status(200)?;
        let body = x.json()?;
        x.check(body["status"] == "ok" && body["checks"]["database"] == "ok", r#"body {"status":"ok","checks":{"database":"ok"}}"#)
    },
    "items.create" => |ctx| {
        let body = json!({"name": "  Widget  ", "description": null, "price_cents": 1999});
        let x = ctx.send(ctx.admin(Request::new("POST", CONTRACT.paths.items)).json(&body))?;
        x.status(201)?;
        let item = x.json()?;
        x.header("location", &item_path(&item))?;
        let fields = item["id"].is_i64() && item["name"] == "Widget" && item["description"].is_null()
            && item["price_cents"] == 1999 && is_rfc3339(&item["created_at"]) && is_rfc3339(&item["updated_at"]);
        x.check(fields, "an Item: integer id, trimmed name, null description, the price, RFC 3339 timestamps")
    },
    "items.read" => |ctx| {
        let item = ctx.create_item("read me")?;
        let x = ctx.send(ctx.reader(get(&item_path(&item))))?;
        x.status(200)?;
        x.check(x.json()? == item, format!("the created item {item}"))
    },
    "items.list" => |ctx| {
        ctx.create_item("listed one")?;
        ctx.create_item("listed two")?;
        let x = ctx.send(ctx.reader(get(CONTRACT.paths.items)))?;
        x.status(200)?;
        let page = x.json()?;
        let count = page["items"].as_array().map_or(0, Vec::len);
        let ok = count >= 2 && page["total"].as_u64().is_some_and(|t| t >= count as u64)
            && page["limit"] == CONTRACT.items.limit_default && page["offset"] == 0;
        x.check(ok, format!("a page with items, total ≥ items, limit {}, offset 0", CONTRACT.items.limit_default))
    },
    "items.pagination" => |ctx| {
        ctx.create_item("page one")?;
        ctx.create_item("page two")?;
        let x = ctx.send(ctx.reader(get(&format!("{}?limit=1&offset=1", CONTRACT.paths.items))))?;
        x.status(200)?;
        let page = x.json()?;
        let ok = page["items"].as_array().map_or(0, Vec::len) == 1 && page["limit"] == 1 && page["offset"] == 1
            && page["total"].as_u64().is_some_and(|t| t >= 2);
        x.check(ok, "one item, limit 1, offset 1, total ≥ 2")
    },
    "items.limit-zero" => |ctx| ctx.send(ctx.reader(get(&format!("{}?limit=0", CONTRACT.paths.items))))?.validation("limit"),
    "items.limit-101" => |ctx| {
        let path = format!("{}?limit={}", CONTRACT.paths.items, CONTRACT.items.limit_max + 1);
        ctx.send(ctx.reader(get(&path)))?.validation("limit")
    },
    "items.offset-negative" => |ctx| ctx.send(ctx.reader(get(&format!("{}?offset=-1", CONTRACT.paths.items))))?.validation("offset"),
    "items.update" => |ctx| {
        let item = ctx.create_item("before")?;
        let body = json!({"name": "after", "description": "changed", "price_cents": 5});
        let x = ctx.send(ctx.admin(Request::new("PUT", &item_path(&item))).json(&body))?;
        x.status(200)?;
        let updated = x.json()?;
        let ok = updated["id"] == item["id"] && updated["name"] == "after" && updated["description"] == "changed"
            && updated["price_cents"] == 5 && updated["created_at"] == item["created_at"];
        x.check(ok, "the item with the new fields and the same id and created_at")
    },
    "items.update-invalid" => |ctx| {
        let item = ctx.create_item("stays valid")?;
        let body = json!({"name": "", "price_cents": 5});
        ctx.send(ctx.admin(Request::new("PUT", &item_path(&item))).json(&body))?.validation("name")
    },
    "items.delete" => |ctx| {
        let item = ctx.create_item("delete me")?;
        let x = ctx.send(ctx.admin(Request::new("DELETE", &item_path(&item))))?;
        x.status(204)?;
        x.check(x.response.body.is_empty(), "an empty body")?;
        ctx.send(ctx.reader(get(&item_path(&item))))?.problem(404).map(drop)
    },
    "items.read-missing" => |ctx| ctx.send(ctx.reader(get(&format!("{}{MISSING_ID}", CONTRACT.paths.items))))?.problem(404).map(drop),
    "items.update-missing" => |ctx| {
        let body = json!({"name": "ghost", "price_cents": 1});
        let path = format!("{}{MISSING_ID}", CONTRACT.paths.items);
        ctx.send(ctx.admin(Request::new("PUT", &path)).json(&body))?.problem(404).map(drop)
    },
    "items.delete-missing" => |ctx| {
        let path = format!("{}{MISSING_ID}", CONTRACT.paths.items);
        ctx.send(ctx.admin(Request::new("DELETE", &path)))?.problem(404).map(drop)
    },
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
            let x = ctx.send(get(&path))?;
            x.unauthorized().map_err(|mut f| {
                f.request = format!("GET {}?{parameter}=<admin token>", CONTRACT.paths.items);
                f
            })?;
        }
        Ok(())
    },
    "validation.missing-name" => |ctx| post_invalid(ctx, json!({"price_cents": 1}), "name"),
    "validation.missing-price" => |ctx| post_invalid(ctx, json!({"name": "x"}), "price_cents"),
    "validation.unknown-field" => |ctx| post_invalid(ctx, json!({"name": "x", "price_cents": 1, "colour": "red"}), "colour"),
    "validation.empty-name" => |ctx| post_invalid(ctx, json!({"name": "", "price_cents": 1}), "name"),
    "validation.blank-name" => |ctx| post_invalid(ctx, json!({"name": "   \t ", "price_cents": 1}), "name"),
    "validation.long-name" => |ctx| {
        let name = "n".repeat(CONTRACT.items.name_max as usize + 1);
        post_invalid(ctx, json!({"name": name, "price_cents": 1}), "name")
    },
    "validation.long-description" => |ctx| {
        let description = "d".repeat(CONTRACT.items.description_max as usize + 1);
        post_invalid(ctx, json!({"name": "x", "description": description, "price_cents": 1}), "description")
    },
    "validation.negative-price" => |ctx| post_invalid(ctx, json!({"name": "x", "price_cents": -1}), "price_cents"),
    "validation.price-too-high" => |ctx| {
        post_invalid(ctx, json!({"name": "x", "price_cents": CONTRACT.items.price_max + 1}), "price_cents")
    },
    "validation.fractional-price" => |ctx| post_invalid(ctx, json!({"name": "x", "price_cents": 12.5}), "price_cents"),
    "validation.string-price" => |ctx| post_invalid(ctx, json!({"name": "x", "price_cents": "12"}), "price_cents"),
    "validation.boundaries-accepted" => |ctx| {
        let body = json!({
            "name": "n".repeat(CONTRACT.items.name_max as usize),
            "description": "d".repeat(CONTRACT.items.description_max as usize),
            "price_cents": CONTRACT.items.price_max,
        });
        ctx.send(ctx.admin(Request::new("POST", CONTRACT.paths.items)).json(&body))?.status(201)
    },
    "errors.malformed-json" => |ctx| {
        let request = ctx.admin(Request::new("POST", CONTRACT.paths.items)).raw_body("application/json", b"{\"name\": ".to_vec());
        ctx.send(request)?.problem(400).map(drop)
    },
    "errors.not-json" => |ctx| {
        let request = ctx.admin(Request::new("POST", CONTRACT.paths.items)).raw_body("text/plain", b"name=x&price_cents=1".to_vec());
        ctx.send(request)?.problem(415).map(drop)
    },
    "errors.body-too-large" => |ctx| {
        let padding = "x".repeat(ctx.config.max_body_bytes + 1);
        let request = ctx.admin(Request::new("POST", CONTRACT.paths.items)).json(&json!({"name": "x", "description": padding, "price_cents": 1}));
        ctx.send(request)?.problem(413).map(drop)
    },
    "errors.unknown-route" => |ctx| ctx.send(get("/no/such/route"))?.problem(404).map(drop),
    "errors.wrong-method" => |ctx| {
        let x = ctx.send(ctx.admin(Request::new("PATCH", CONTRACT.paths.items)).json(&json!({})))?;
        x.problem(405)?;
        let allow = x.response.header("allow").unwrap_or_default().to_uppercase();
        let methods: Vec<_> = allow.split(',').map(str::trim).collect();
        x.check(methods.contains(&"GET") && methods.contains(&"POST"), "header `Allow` listing GET and POST")
    },
    "headers.security-on-success" => |ctx| security_headers(&ctx.send(get(CONTRACT.paths.health_live))?),
    "headers.security-on-error" => |ctx| security_headers(&ctx.send(get("/no/such/route"))?),
    "headers.security-on-api" => |ctx| security_headers(&ctx.send(ctx.reader(get(CONTRACT.paths.items)))?),
    "headers.no-framework-names" => |ctx| {
        for request in [get(CONTRACT.paths.health_live), get("/no/such/route"), ctx.reader(get(CONTRACT.paths.items))] {
            let x = ctx.send(request)?;
            x.check(x.response.header("x-powered-by").is_none(), "no `X-Powered-By` header")?;
            let server = x.response.header("server").unwrap_or_default();
            x.check(!server.contains('/') && !server.chars().any(|c| c.is_ascii_digit()), "no versioned `Server` header")?;
        }
        Ok(())
    },
    "headers.request-id-echoed" => |ctx| {
        let id = "conformance-Abc.123_x";
        ctx.send(get(CONTRACT.paths.health_live).header(CONTRACT.request_id.header, id))?.header(CONTRACT.request_id.header, id)
    },
    "headers.request-id-replaced" => |ctx| {
        for unsafe_id in ["bad id with spaces", "<script>", &"a".repeat(129)] {
            let x = ctx.send(get(CONTRACT.paths.health_live).header(CONTRACT.request_id.header, unsafe_id))?;
            let got = x.response.header(CONTRACT.request_id.header).unwrap_or_default();
            x.check(is_safe_request_id(got) && got != unsafe_id, "a newly generated, safe `X-Request-Id`")?;
        }
        Ok(())
    },
    "headers.request-id-generated" => |ctx| {
        let x = ctx.send(get("/no/such/route"))?;
        let got = x.response.header(CONTRACT.request_id.header).unwrap_or_default();
        x.check(is_safe_request_id(got), "a generated `X-Request-Id`, also on an error")
    },
    "cors.allowed-origin" => |ctx| {
        let x = ctx.send(ctx.reader(get(CONTRACT.paths.items)).header("Origin", ctx.config.allowed_origin))?;
        x.status(200)?;
        x.header("access-control-allow-origin", ctx.config.allowed_origin)
    },
    "cors.allowed-preflight" => |ctx| {
        let request = Request::new("OPTIONS", CONTRACT.paths.items)
            .header("Origin", ctx.config.allowed_origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization, content-type");
        let x = ctx.send(request)?;
        x.check((200..300).contains(&x.response.status), "a 2xx preflight answer")?;
        x.header("access-control-allow-origin", ctx.config.allowed_origin)?;
        let methods = x.response.header("access-control-allow-methods").unwrap_or_default().to_uppercase();
        x.check(methods.contains("POST"), "`Access-Control-Allow-Methods` including POST")
    },
    "cors.other-origin" => |ctx| {
        let x = ctx.send(ctx.reader(get(CONTRACT.paths.items)).header("Origin", "https://evil.example"))?;
        no_cors_headers(&x)
    },
    "cors.other-origin-preflight" => |ctx| {
        let request = Request::new("OPTIONS", CONTRACT.paths.items)
            .header("Origin", "https://evil.example")
            .header("Access-Control-Request-Method", "DELETE");
        no_cors_headers(&ctx.send(request)?)
    },
    "ratelimit.headers" => |ctx| {
        let x = ctx.send(ctx.reader(get(CONTRACT.paths.items)))?;
        x.status(200)?;
        x.header("ratelimit-limit", &ctx.config.rate_limit_per_minute.to_string())?;
        x.has_header("ratelimit-remaining")?;
        x.has_header("ratelimit-reset")
    },
    "ratelimit.exceeded" => |ctx| {
        for _ in 0..ctx.config.rate_limit_per_minute {
            let x = ctx.send(ctx.reader(get(CONTRACT.paths.items)))?;
            x.check(x.response.status != 429, format!("no 429 within the first {} requests", ctx.config.rate_limit_per_minute))?;
        }
        let x = ctx.send(ctx.reader(get(CONTRACT.paths.items)))?;
        x.problem(429)?;
        let retry_after = x.response.header("retry-after").and_then(|v| v.parse::<u64>().ok());
        x.check(retry_after.is_some_and(|s| s > 0 && s <= 60), "`Retry-After` in seconds (1..60)")?;
        x.header("ratelimit-remaining", "0")?;
        x.has_header("ratelimit-limit")
    },
    "docs.openapi-document" => |ctx| {
        let x = ctx.send(get(CONTRACT.paths.openapi))?;
        x.status(200)?;
        let served = x.json()?;
        let version = served["openapi"].as_str().unwrap_or_default();
        x.check(version == "3.1.0" || version == "3.0.3", "an OpenAPI 3.1.0 (or 3.0.3) document")?;
        let contract = openapi::document(&ctx.config.title, "0.1.0");
        let differences = openapi::differences(&openapi::normalize(&contract), &openapi::normalize(&served));
        if differences.is_empty() {
            return Ok(());
        }
        Err(Failure {
            request: x.request.describe(),
            expected: "the contract's document (paths, methods, statuses, schema fields, required lists)".into(),
            received: format!("{} difference(s): {}", differences.len(), differences.join("; ")),
        })
    },
    "docs.swagger-ui" => |ctx| {
        let x = ctx.send(get(CONTRACT.paths.docs))?;
        x.status(200)?;
        x.check(x.response.header("content-type").is_some_and(|c| c.starts_with("text/html")), "Content-Type text/html")?;
        x.check(x.response.text().to_lowercase().contains("swagger"), "a Swagger UI page")
    },
    "logs.request-lines" => |ctx| {
        let id = "conformance-log-probe-1";
        ctx.send(ctx.reader(get(CONTRACT.paths.items)).header(CONTRACT.request_id.header, id))?.status(200)?;
        let lines = service_log(ctx);
        let found = lines.iter().filter_map(|l| serde_json::from_str::<Value>(l).ok()).find(|l| l["request_id"] == id);
        let ok = found.as_ref().is_some_and(|l| {
            l["method"] == "GET" && l["path"] == CONTRACT.paths.items && l["status"] == 200
                && l["time"].is_string() && l["level"].is_string() && l["duration_ms"].is_number()
        });
        log_check(ok, "a JSON line with time, level, request_id, method GET, the path, status 200, duration_ms", found)
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
        log_check(ok, "every line a JSON object with time and level; request lines with request_id, method, path, status, duration_ms", bad.first().map(|l| json!(l)))
    },
    "logs.no-secrets" => |ctx| {
        let text = service_log(ctx).join("\n");
        let mut leaked: Vec<&str> = ctx.tokens.all().into_iter().filter(|t| text.contains(*t)).map(|_| "a bearer token").collect();
        if text.contains(&ctx.config.secret) {
            leaked.push("JWT_SECRET");
        }
        log_check(leaked.is_empty(), "no token and not the JWT_SECRET in the logs", (!leaked.is_empty()).then(|| json!(leaked)))
    },
}

fn post_invalid(ctx: &Ctx<'_>, body: Value, field: &str) -> Outcome {
    ctx.send(ctx.admin(Request::new("POST", CONTRACT.paths.items)).json(&body))?.validation(field)
}

fn security_headers(x: &Exchange) -> Outcome {
    for header in CONTRACT.security_headers {
        x.header(header.name, header.value)?;
    }
    Ok(())
}

fn no_cors_headers(x: &Exchange) -> Outcome {
    let cors = x.response.headers.iter().find(|(n, _)| n.to_lowercase().starts_with("access-control-"));
    x.check(cors.is_none(), "no `Access-Control-*` header for an origin outside CORS_ORIGINS")
}

fn is_safe_request_id(id: &str) -> bool {
    (1..=128).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// `2026-01-31T12:00:00Z` or with an offset: the shape RFC 3339 fixes.
fn is_rfc3339(value: &Value) -> bool {
    let Some(text) = value.as_str() else { return false };
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    let zone = text.ends_with('Z')
        || text
            .get(text.len().saturating_sub(6)..)
            .is_some_and(|z| z.starts_with(['+', '-']) && z.as_bytes()[3] == b':');
    text.len() >= 20
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10)
        && matches!(bytes[10], b'T' | b't')
        && digits(11..13)
        && bytes[13] == b':'
        && digits(14..16)
        && bytes[16] == b':'
        && digits(17..19)
        && zone
}

/// The service's output so far, one entry a non-empty line. Read after a pause: a service may
/// write its request line just after answering.
fn service_log(ctx: &Ctx<'_>) -> Vec<String> {
    std::thread::sleep(std::time::Duration::from_millis(200));
    std::fs::read_to_string(&ctx.config.log_path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

fn log_check(ok: bool, expected: &str, evidence: Option<Value>) -> Outcome {
    if ok {
        return Ok(());
    }
    Err(Failure {
        request: "(the service's stdout and stderr during the run)".into(),
        expected: expected.into(),
        received: evidence.map_or_else(|| "no such line".to_owned(), |e| e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_ids_are_unique_and_cover_every_area() {
        let ids: std::collections::BTreeSet<_> = CASES.iter().map(|c| c.id).collect();
        assert_eq!(ids.len(), CASES.len());
        for area in [
            "health.",
            "items.",
            "auth.",
            "validation.",
            "errors.",
            "headers.",
            "cors.",
            "ratelimit.",
            "docs.",
            "logs.",
        ] {
            assert!(CASES.iter().any(|c| c.id.starts_with(area)), "no case for {area}");
        }
    }

    fn exchange(path: &str, status: u16, headers: &[(&str, &str)], body: &Value) -> Exchange {
        Exchange {
            request: Request::new("GET", path),
            response: Response {
                status,
                headers: headers.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect(),
                body: body.to_string().into_bytes(),
            },
        }
    }

    fn problem_body(status: u16, instance: &str) -> Value {
        json!({"type": "about:blank", "title": "T", "status": status, "detail": "d", "instance": instance})
    }

    const PROBLEM: (&str, &str) = ("Content-Type", "application/problem+json");

    #[test]
    fn problem_check_refuses_every_deviation() {
        let path = "/api/v1/items/7";
        assert!(exchange(path, 404, &[PROBLEM], &problem_body(404, path)).problem(404).is_ok());
        assert!(exchange(path, 404, &[PROBLEM], &problem_body(404, path)).problem(401).is_err(), "status");
        let json_type = [("Content-Type", "application/json")];
        assert!(exchange(path, 404, &json_type, &problem_body(404, path)).problem(404).is_err(), "media type");
        assert!(exchange(path, 404, &[PROBLEM], &problem_body(404, "/other")).problem(404).is_err(), "instance");
        let mut no_title = problem_body(404, path);
        no_title.as_object_mut().map(|m| m.remove("title"));
        assert!(exchange(path, 404, &[PROBLEM], &no_title).problem(404).is_err(), "title");
        let mut trace = problem_body(500, path);
        trace["detail"] = json!("Traceback (most recent call last): ...");
        assert!(exchange(path, 500, &[PROBLEM], &trace).problem(500).is_err(), "stack trace");
    }

    #[test]
    fn validation_and_auth_checks_need_their_details() {
        let path = "/api/v1/items";
        let mut body = problem_body(422, path);
        body["errors"] = json!([{"field": "name", "message": "too short"}]);
        assert!(exchange(path, 422, &[PROBLEM], &body).validation("name").is_ok());
        assert!(exchange(path, 422, &[PROBLEM], &body).validation("price_cents").is_err());
        let challenge = [PROBLEM, ("WWW-Authenticate", "Bearer")];
        assert!(exchange(path, 401, &challenge, &problem_body(401, path)).unauthorized().is_ok());
        assert!(exchange(path, 401, &[PROBLEM], &problem_body(401, path)).unauthorized().is_err());
    }

    #[test]
    fn cors_and_request_id_checks() {
        assert!(no_cors_headers(&exchange("/", 200, &[], &json!({}))).is_ok());
        let leaky = [("Access-Control-Allow-Methods", "GET")];
        assert!(no_cors_headers(&exchange("/", 403, &leaky, &json!({}))).is_err());
        assert!(is_safe_request_id("abc-1.2_3"));
        assert!(!is_safe_request_id("a b") && !is_safe_request_id("") && !is_safe_request_id(&"a".repeat(129)));
    }

    #[test]
    fn rfc3339_shapes() {
        assert!(is_rfc3339(&json!("2026-11-28T09:28:44.763987Z")));
        assert!(is_rfc3339(&json!("2026-11-28T09:28:44+01:00")));
        assert!(!is_rfc3339(&json!("2026-11-28 09:28:44")));
        assert!(!is_rfc3339(&json!("2026-11-28T09:28:44")));
    }
}
