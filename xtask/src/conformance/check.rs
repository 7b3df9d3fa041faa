//! The suite's vocabulary: what a case sees (`Ctx`), a request with its answer (`Exchange`) and the
//! assertions on them, each failing with the request, what the contract expects and what came back.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use backend_gen_core::contract::CONTRACT;
use serde_json::{Value, json};

use super::http::{self, Request, Response};
use super::tokens::Tokens;
use crate::service::Launch;

/// How the service under test was started.
#[derive(Debug)]
pub struct ServiceConfig {
    pub secret: String,
    pub issuer: String,
    pub title: String,
    pub allowed_origin: &'static str,
    pub rate_limit_per_minute: u32,
    pub max_body_bytes: usize,
    /// The service's stdout: JSON lines only.
    pub stdout_path: PathBuf,
    /// The service's stderr: what the runtime prints before logging starts.
    pub stderr_path: PathBuf,
}

/// What a case sees.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub server: SocketAddr,
    pub source: Ipv4Addr,
    pub tokens: &'a Tokens,
    pub config: &'a ServiceConfig,
    /// How the service under test was started, for the cases that start their own instance.
    pub launch: &'a Launch,
}

/// Why a case failed: the request, what the contract expects and what came back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Failure {
    pub request: String,
    pub expected: String,
    pub received: String,
}

/// What a case or an assertion returns.
pub type Checked = Result<(), Failure>;

/// One case of the suite.
#[derive(Debug)]
pub struct Case {
    pub id: &'static str,
    pub run: fn(&Ctx<'_>) -> Checked,
}

/// A request and its answer, with the checks a case applies to them.
#[derive(Debug)]
pub struct Exchange {
    pub request: Request,
    pub response: Response,
}

impl Ctx<'_> {
    pub fn send(&self, request: Request) -> Result<Exchange, Failure> {
        match http::send(self.server, self.source, &request) {
            Ok(response) => Ok(Exchange { request, response }),
            Err(e) => {
                Err(Failure { request: request.describe(), expected: "an HTTP answer".into(), received: e.to_string() })
            }
        }
    }

    pub fn admin(&self, request: Request) -> Request {
        request.bearer(&self.tokens.admin, "admin token")
    }

    pub fn reader(&self, request: Request) -> Request {
        request.bearer(&self.tokens.reader, "reader token")
    }

    /// Creates an item and returns it.
    pub fn create_item(&self, name: &str) -> Result<Value, Failure> {
        let body = json!({"name": name, "description": "made by the conformance suite", "price_cents": 1234});
        let exchange = self.send(self.admin(Request::new("POST", CONTRACT.paths.items)).json(&body))?;
        exchange.status(201)?;
        exchange.json()
    }
}

impl Exchange {
    pub fn fail(&self, expected: impl Into<String>) -> Failure {
        Failure { request: self.request.describe(), expected: expected.into(), received: self.response.describe() }
    }

    pub fn check(&self, ok: bool, expected: impl Into<String>) -> Checked {
        if ok { Ok(()) } else { Err(self.fail(expected)) }
    }

    pub fn status(&self, status: u16) -> Checked {
        self.check(self.response.status == status, format!("status {status}"))
    }

    pub fn json(&self) -> Result<Value, Failure> {
        self.response.json().ok_or_else(|| self.fail("a JSON body"))
    }

    pub fn header(&self, name: &str, value: &str) -> Checked {
        self.check(self.response.header(name) == Some(value), format!("header `{name}: {value}`"))
    }

    pub fn has_header(&self, name: &str) -> Checked {
        self.check(self.response.header(name).is_some_and(|v| !v.is_empty()), format!("a `{name}` header"))
    }

    /// An RFC 9457 problem with `status`, naming the request path and leaking nothing internal.
    pub fn problem(&self, status: u16) -> Result<Value, Failure> {
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
    pub fn validation(&self, field: &str) -> Checked {
        let body = self.problem(422)?;
        let named = body["errors"].as_array().is_some_and(|errors| {
            errors
                .iter()
                .any(|e| e["field"].as_str() == Some(field) && e["message"].as_str().is_some_and(|m| !m.is_empty()))
        });
        self.check(named, format!("`errors` naming the field `{field}` with a message"))
    }

    /// A 401 problem for a request that carried no bearer token: the challenge without an error code.
    pub fn unauthorized(&self) -> Checked {
        self.challenged(CONTRACT.jwt.bearer_challenge)
    }

    /// A 401 problem for a bearer token that was refused: the challenge names `invalid_token`.
    pub fn refused_token(&self) -> Checked {
        self.challenged(CONTRACT.jwt.invalid_bearer_challenge)
    }

    /// A 403 problem: the token was good but lacks a role, so there is nothing to challenge again.
    pub fn forbidden(&self) -> Checked {
        self.problem(403)?;
        self.check(self.response.header("www-authenticate").is_none(), "no `WWW-Authenticate` on a 403")
    }

    fn challenged(&self, challenge: &str) -> Checked {
        self.problem(401)?;
        self.challenge(challenge)
    }

    /// The `WWW-Authenticate` header is exactly `challenge`.
    pub fn challenge(&self, challenge: &str) -> Checked {
        let sent = self.response.header("www-authenticate");
        self.check(sent == Some(challenge), format!("header `WWW-Authenticate: {challenge}`"))
    }
}

pub fn item_path(item: &Value) -> String {
    format!("{}/{}", CONTRACT.paths.items, item["id"])
}

pub fn get(path: &str) -> Request {
    Request::new("GET", path)
}

/// An id no case creates.
pub const MISSING_ID: &str = "/987654321";

pub fn security_headers(answer: &Exchange) -> Checked {
    for header in CONTRACT.security_headers {
        answer.header(header.name, header.value)?;
    }
    Ok(())
}

pub fn no_cors_headers(answer: &Exchange) -> Checked {
    let cors = answer.response.headers.iter().find(|(n, _)| n.to_lowercase().starts_with("access-control-"));
    answer.check(cors.is_none(), "no `Access-Control-*` header for an origin outside CORS_ORIGINS")
}

pub fn is_safe_request_id(id: &str) -> bool {
    (1..=128).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// `2026-01-31T12:00:00Z` or with an offset: the shape RFC 3339 fixes.
pub fn is_rfc3339(value: &Value) -> bool {
    let Some(text) = value.as_str() else { return false };
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    // `+01:00`: the suffix may be shorter than six bytes, so nothing is indexed without a check.
    let zone = text.ends_with('Z')
        || text
            .get(text.len().saturating_sub(6)..)
            .is_some_and(|z| z.starts_with(['+', '-']) && z.as_bytes().get(3) == Some(&b':'));
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

/// The first line of `stdout` that is not a JSON object (an empty line counts), if any: the
/// contract allows nothing else on stdout, from the first byte on.
pub fn first_non_json_line(stdout: &str) -> Option<&str> {
    stdout.lines().find(|line| !serde_json::from_str::<Value>(line).is_ok_and(|v| v.is_object()))
}

/// A failure about the service's output rather than an answer.
pub fn output_failure(what: &str, expected: impl Into<String>, received: impl Into<String>) -> Failure {
    Failure { request: format!("(the service's {what})"), expected: expected.into(), received: received.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let missing = [PROBLEM, ("WWW-Authenticate", CONTRACT.jwt.bearer_challenge)];
        let invalid = [PROBLEM, ("WWW-Authenticate", CONTRACT.jwt.invalid_bearer_challenge)];
        let unauthorized = problem_body(401, path);
        assert!(exchange(path, 401, &missing, &unauthorized).unauthorized().is_ok());
        assert!(exchange(path, 401, &invalid, &unauthorized).unauthorized().is_err(), "error code without a token");
        assert!(exchange(path, 401, &invalid, &unauthorized).refused_token().is_ok());
        assert!(exchange(path, 401, &missing, &unauthorized).refused_token().is_err(), "no error code for a token");
        assert!(exchange(path, 401, &[PROBLEM], &unauthorized).unauthorized().is_err());
        assert!(exchange(path, 403, &[PROBLEM], &problem_body(403, path)).forbidden().is_ok());
        assert!(exchange(path, 403, &missing, &problem_body(403, path)).forbidden().is_err(), "a 403 challenges");
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
        // A text shorter than an offset once indexed past its end and panicked.
        assert!(!is_rfc3339(&json!("+1:")));
        assert!(!is_rfc3339(&json!("-")));
        assert!(!is_rfc3339(&json!("2026-11-28T09:28:4+1")));
        assert!(!is_rfc3339(&json!("2026-11-28T09:28:44.1234+01")));
    }

    #[test]
    fn json_lines_from_the_first_byte() {
        assert_eq!(first_non_json_line("{\"time\": \"t\", \"level\": \"info\"}\n{}\n"), None);
        assert_eq!(first_non_json_line("INFO: Started server process\n{}\n"), Some("INFO: Started server process"));
        assert_eq!(first_non_json_line("\n{}\n"), Some(""), "an empty first line is not JSON");
        assert_eq!(first_non_json_line("[1]\n"), Some("[1]"), "an array is not a log object");
    }
}
