//! The `startup.` cases: the contract's "Start-up" section, each against an instance of its own,
//! started by the same command as the service under test.
//!
//! An instance runs in a folder of its own beside the project: every top-level entry of the
//! project is linked into it except `.env`, which the case writes (or leaves out). So the
//! generated `.env` that the other cases rely on is never touched, and the instance finds the
//! installed project (`.venv`, `node_modules`, `target`) where the serve command expects it.
//! Every variable of the contract's start-up rules is taken out of the inherited environment, so
//! only what a case sets reaches the instance; `DATABASE_URL` stays as the suite set it.
//!
//! The slow request of `startup.sigterm-finishes-requests` is a POST whose body arrives in two
//! halves with SIGTERM in between: contract-neutral (no route is added, no sleep in the service),
//! and the request is provably in flight when the signal lands, because the server already has
//! its headers and still waits for the rest of its body.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::ExitStatus;
use std::time::Duration;

use backend_gen_core::contract::{self, CONTRACT};
use backend_gen_core::secret::Secret;
use nix::sys::signal::Signal;
use serde_json::json;

use crate::conformance::check::{Checked, Ctx, Exchange, Failure, first_non_json_line, output_failure};
use crate::conformance::http::{self, Request, Response};
use crate::conformance::tokens::Tokens;
use crate::service::Service;

/// Shorter than the contract's minimum, and distinctive enough to be found if it were printed.
const SHORT_SECRET: &str = "short-SECRET-0123";

cases! {
    "startup.secret-missing" => |ctx| refused(ctx, &Settings::default(), "JWT_SECRET", None),
    "startup.secret-short" => |ctx| {
        refused(ctx, &Settings::env(&[("JWT_SECRET", SHORT_SECRET)]), "JWT_SECRET", Some(SHORT_SECRET))
    },
    "startup.secret-placeholder" => |ctx| {
        let placeholder = CONTRACT.jwt.secret_placeholder;
        refused(ctx, &Settings::env(&[("JWT_SECRET", placeholder)]), "JWT_SECRET", Some(placeholder))
    },
    "startup.log-level-unknown" => |ctx| {
        let secret = fresh_secret()?;
        refused(ctx, &Settings::env(&[("JWT_SECRET", &secret), ("LOG_LEVEL", "loud")]), "LOG_LEVEL", Some(&secret))
    },
    // Not a URL at all: refused like any other setting, not met later as a driver's traceback.
    "startup.database-url-invalid" => |ctx| {
        let secret = fresh_secret()?;
        refused(ctx, &Settings::env(&[("JWT_SECRET", &secret), ("DATABASE_URL", "notaurl")]), "DATABASE_URL", Some(&secret))
    },
    "startup.log-level-warn" => |ctx| {
        let secret = fresh_secret()?;
        let instance = Instance::ready(ctx, &Settings::env(&[("JWT_SECRET", &secret), ("LOG_LEVEL", "warn")]))?;
        let tokens = mint(ctx, &secret, &ctx.config.issuer)?;
        instance.get_items(&tokens)?.status(200)
    },
    "startup.dotenv-read" => |ctx| {
        let secret = fresh_secret()?;
        let settings = Settings {
            dotenv: dotenv_lines(&secret),
            env: Vec::new(),
        };
        let instance = Instance::ready(ctx, &settings)?;
        // Accepting a token of the `.env` secret and issuer, and counting its limit, proves the file was read.
        let answer = instance.get_items(&mint(ctx, &secret, "from-dotenv")?)?;
        answer.status(200)?;
        answer.header("ratelimit-limit", "37")
    },
    "startup.environment-wins" => |ctx| {
        let secret = fresh_secret()?;
        let settings = Settings {
            dotenv: dotenv_lines(&secret),
            env: vec![("JWT_ISSUER", "from-environment".into()), ("RATE_LIMIT_PER_MINUTE", "41".into())],
        };
        let instance = Instance::ready(ctx, &settings)?;
        let answer = instance.get_items(&mint(ctx, &secret, "from-environment")?)?;
        answer.status(200)?;
        answer.header("ratelimit-limit", "41")?;
        instance.get_items(&mint(ctx, &secret, "from-dotenv")?)?.refused_token()
    },
    // An empty variable is an unset one, whose default applies: `NAME=` is how a `.env` or a compose
    // file leaves a value out. An empty issuer or audience, in particular, is no claim to demand.
    "startup.empty-variables-are-unset" => |ctx| {
        let secret = fresh_secret()?;
        let defaulted =
            ["JWT_ISSUER", "JWT_AUDIENCE", "RATE_LIMIT_PER_MINUTE", "MAX_BODY_BYTES", "CORS_ORIGINS", "LOG_LEVEL", "DATABASE_URL"];
        let mut vars = vec![("JWT_SECRET", secret.as_str())];
        vars.extend(defaulted.map(|name| (name, "")));
        let instance = Instance::ready(ctx, &Settings::env(&vars))?;
        let answer = instance.get_items(&mint(ctx, &secret, &ctx.config.issuer)?)?;
        answer.status(200)?;
        answer.header("ratelimit-limit", &CONTRACT.limits.rate_limit_per_minute.to_string())
    },
    "startup.stdout-json-only" => stdout_json_only,
    "startup.sigterm-finishes-requests" => sigterm_finishes_requests,
    // Last: on PostgreSQL it empties the schema the service under test uses.
    "startup.concurrent-fresh-database" => concurrent_fresh_database,
}

/// How many instances start at once on one fresh database (replicas, or workers of one host).
const CONCURRENT_INSTANCES: usize = 4;

/// Instances started at the same moment on one fresh database all become ready: the migration
/// runs once, under a lock, instead of each instance racing to create the same tables.
fn concurrent_fresh_database(ctx: &Ctx<'_>) -> Checked {
    let setup = |e: &dyn std::fmt::Display| Failure {
        request: "(preparing a fresh database for this case)".into(),
        expected: "an empty database".into(),
        received: e.to_string(),
    };
    let scratch = tempfile::tempdir().map_err(|e| setup(&e))?;
    let postgres = ctx.launch.env.iter().find(|(name, _)| name == "DATABASE_URL").map(|(_, url)| url.clone());
    let url = match postgres {
        Some(url) => {
            crate::postgres::reset_schema(&url).map_err(|e| setup(&format!("{e:#}")))?;
            url
        }
        None => {
            ctx.launch.embedded_database_url.replace("{path}", &scratch.path().join("fresh.db").display().to_string())
        }
    };
    let secret = fresh_secret()?;
    let settings = Settings::env(&[("JWT_SECRET", &secret), ("DATABASE_URL", &url)]);
    let mut instances = Vec::with_capacity(CONCURRENT_INSTANCES);
    for _ in 0..CONCURRENT_INSTANCES {
        instances.push(Instance::start(ctx, &settings)?);
    }
    let tokens = mint(ctx, &secret, &ctx.config.issuer)?;
    for (number, instance) in instances.iter_mut().enumerate() {
        instance.service.wait_until_ok(CONTRACT.paths.health_ready).map_err(|e| Failure {
            request: format!("{CONCURRENT_INSTANCES} instances started at once on one fresh database"),
            expected: "every instance migrates (or waits for the migration) and answers ready".into(),
            received: format!("instance {}: {e:#}\n{}", number + 1, instance.service.logs()),
        })?;
        instance.get_items(&tokens)?.status(200)?;
    }
    Ok(())
}

/// Start-up, a request and the shutdown: everything the service writes on its way is a JSON line.
fn stdout_json_only(ctx: &Ctx<'_>) -> Checked {
    let secret = fresh_secret()?;
    let mut instance = Instance::ready(ctx, &Settings::env(&[("JWT_SECRET", &secret)]))?;
    instance.get_items(&mint(ctx, &secret, &ctx.config.issuer)?)?.status(200)?;
    instance.service.stop();
    let stdout = instance.service.stdout();
    let expected = "nothing but JSON objects, one a line, from the first byte (no banner)";
    if stdout.trim().is_empty() {
        return Err(output_failure("stdout", expected, "nothing at all: not even the request line"));
    }
    if !stdout.starts_with('{') {
        let first: String = stdout.chars().take(80).collect();
        return Err(output_failure("stdout", expected, format!("it starts with `{first}`")));
    }
    match first_non_json_line(&stdout) {
        None => Ok(()),
        Some(line) => Err(output_failure("stdout", expected, format!("the line `{}`", excerpt(line)))),
    }
}

/// SIGTERM while a request is in flight: the request completes, then the process exits.
fn sigterm_finishes_requests(ctx: &Ctx<'_>) -> Checked {
    let secret = fresh_secret()?;
    let mut instance = Instance::ready(ctx, &Settings::env(&[("JWT_SECRET", &secret)]))?;
    let answer = instance.post_across_sigterm(&mint(ctx, &secret, &ctx.config.issuer)?)?;
    let fail = |received: String| Failure {
        request: format!("POST {}, SIGTERM halfway through its body", CONTRACT.paths.items),
        expected: "the request in flight at SIGTERM completes (201), then the process exits with 0 or 143".into(),
        received,
    };
    if answer.status != 201 {
        return Err(fail(answer.describe()));
    }
    let timeout = instance.service.start_timeout();
    match instance.service.wait_exit(timeout).map_err(|e| fail(e.to_string()))? {
        Some(status) if exited_gracefully(status) => Ok(()),
        Some(status) => Err(fail(format!("the process exited with {status}"))),
        None => Err(fail(format!("still running {timeout:?} after SIGTERM"))),
    }
}

/// Status 0, or 143 (128 + SIGTERM) from a runtime that ends by re-raising the signal, or the
/// signal itself.
fn exited_gracefully(status: ExitStatus) -> bool {
    matches!(status.code(), Some(0 | 143)) || status.signal() == Some(Signal::SIGTERM as i32)
}

/// The `.env` of the two `.env` cases: a secret, an issuer and a limit an answer shows.
fn dotenv_lines(secret: &str) -> Vec<(&'static str, String)> {
    vec![
        ("JWT_SECRET", secret.to_owned()),
        ("JWT_ISSUER", "from-dotenv".into()),
        ("RATE_LIMIT_PER_MINUTE", "37".into()),
    ]
}

/// What an instance is given: lines of its `.env` (none: no file) and real environment variables.
#[derive(Debug, Default)]
struct Settings {
    dotenv: Vec<(&'static str, String)>,
    env: Vec<(&'static str, String)>,
}

impl Settings {
    fn env(vars: &[(&'static str, &str)]) -> Self {
        Self { dotenv: Vec::new(), env: vars.iter().map(|(k, v)| (*k, (*v).to_owned())).collect() }
    }
}

/// A service instance of one case, in its own folder (removed after the instance stops).
struct Instance {
    service: Service,
    _folder: tempfile::TempDir,
}

impl Instance {
    /// Starts an instance with `settings`, without waiting for it.
    fn start(ctx: &Ctx<'_>, settings: &Settings) -> Result<Self, Failure> {
        let setup = |e: &dyn std::fmt::Display| Failure {
            request: "(starting an instance for this case)".into(),
            expected: "a folder and a process".into(),
            received: e.to_string(),
        };
        let project = &ctx.launch.dir;
        let folder = tempfile::Builder::new()
            .prefix("startup-")
            .tempdir_in(project.parent().unwrap_or(project))
            .map_err(|e| setup(&e))?;
        link_project(project, folder.path()).map_err(|e| setup(&e))?;
        if !settings.dotenv.is_empty() {
            let text: String = settings.dotenv.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
            std::fs::write(folder.path().join(".env"), text).map_err(|e| setup(&e))?;
        }
        let startup_vars: Vec<String> = contract::environment(0, "", "")
            .into_iter()
            .map(|v| v.name.to_owned())
            .filter(|n| n != "DATABASE_URL")
            .collect();
        let mut launch = ctx.launch.clone();
        launch.dir = folder.path().to_owned();
        launch.env.retain(|(name, _)| !startup_vars.contains(name));
        launch.env.extend(settings.env.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
        launch.env_remove = startup_vars;
        if !launch.env.iter().any(|(name, _)| name == "DATABASE_URL") {
            launch.env_remove.push("DATABASE_URL".to_owned());
        }
        let service = launch.start(&folder.path().join("service")).map_err(|e| setup(&format!("{e:#}")))?;
        Ok(Self { service, _folder: folder })
    }

    /// Starts an instance and waits until it is ready.
    fn ready(ctx: &Ctx<'_>, settings: &Settings) -> Result<Self, Failure> {
        let mut instance = Self::start(ctx, settings)?;
        instance.service.wait_until_ok(CONTRACT.paths.health_ready).map_err(|e| Failure {
            request: format!("GET {} on an instance started with {}", CONTRACT.paths.health_ready, settings.describe()),
            expected: "the instance starts and answers 200".into(),
            received: format!("{e:#}\n{}", instance.service.logs()),
        })?;
        Ok(instance)
    }

    fn get_items(&self, tokens: &Tokens) -> Result<Exchange, Failure> {
        let request = Request::new("GET", CONTRACT.paths.items).bearer(&tokens.reader, "reader token");
        match http::send(self.service.addr, std::net::Ipv4Addr::LOCALHOST, &request) {
            Ok(response) => Ok(Exchange { request, response }),
            Err(e) => {
                Err(Failure { request: request.describe(), expected: "an HTTP answer".into(), received: e.to_string() })
            }
        }
    }

    /// Sends a POST whose body stops halfway, sends SIGTERM to the service, then the rest of the body.
    fn post_across_sigterm(&mut self, tokens: &Tokens) -> Result<Response, Failure> {
        let fail = |what: &str, e: &dyn std::fmt::Display| Failure {
            request: "POST /api/v1/items with its body in two halves".into(),
            expected: what.to_owned(),
            received: e.to_string(),
        };
        let body = json!({"name": "sent slowly", "description": "d".repeat(900), "price_cents": 1}).to_string();
        let (first, second) = body.as_bytes().split_at(body.len() / 2);
        let mut stream = TcpStream::connect_timeout(&self.service.addr, Duration::from_secs(5))
            .map_err(|e| fail("a connection", &e))?;
        stream.set_read_timeout(Some(self.service.start_timeout())).map_err(|e| fail("a socket", &e))?;
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            CONTRACT.paths.items,
            self.service.addr,
            tokens.admin,
            body.len()
        );
        stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(first)).map_err(|e| fail("to send", &e))?;
        // The server has read the headers and waits for the rest of the body.
        std::thread::sleep(Duration::from_millis(500));
        self.service.terminate();
        std::thread::sleep(Duration::from_millis(500));
        stream.write_all(second).map_err(|e| fail("the connection still open after SIGTERM", &e))?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).map_err(|e| fail("an answer after SIGTERM", &e))?;
        http::parse(&raw).map_err(|e| fail("an HTTP answer after SIGTERM", &e))
    }
}

impl Settings {
    /// Which variables were set where, without their values (they include secrets).
    fn describe(&self) -> String {
        let names = |vars: &[(&str, String)]| vars.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ");
        format!(".env [{}] and environment [{}]", names(&self.dotenv), names(&self.env))
    }
}

/// Starts an instance that must refuse to start: a non-zero exit within the start-up timeout, a
/// line naming `variable`, no stack trace, and `value` (a secret) nowhere in its output.
fn refused(ctx: &Ctx<'_>, settings: &Settings, variable: &str, value: Option<&str>) -> Checked {
    let mut instance = Instance::start(ctx, settings)?;
    let timeout = instance.service.start_timeout();
    let request = format!("starting the service with {}", settings.describe());
    let fail = |expected: &str, received: String| Failure {
        request: request.clone(),
        expected: expected.to_owned(),
        received,
    };
    let status = instance.service.wait_exit(timeout).map_err(|e| fail("an exit", e.to_string()))?;
    let output = instance.service.stdout() + instance.service.stderr().as_str();
    match status {
        None => return Err(fail(&format!("a non-zero exit within {timeout:?}"), "still running".into())),
        Some(status) if status.success() => return Err(fail("a non-zero exit", format!("{status}"))),
        Some(_) => {}
    }
    if value.is_some_and(|v| output.contains(v)) {
        return Err(fail(
            &format!("the value of `{variable}` nowhere in stdout or stderr"),
            "the value was printed".into(),
        ));
    }
    if !output.lines().any(|line| line.contains(variable)) {
        return Err(fail(&format!("a line naming `{variable}`"), excerpt(&output)));
    }
    if let Some(frame) = stack_frame(&output) {
        return Err(fail(
            &format!("one line per problem naming `{variable}` and the rule, no stack trace"),
            format!("the stack trace line `{}` in\n{}", excerpt(frame), excerpt(&output)),
        ));
    }
    Ok(())
}

/// The first line of `output` that belongs to a stack trace (Python, Node, the JVM), also inside a
/// JSON log line.
fn stack_frame(output: &str) -> Option<&str> {
    const MARKERS: [&str; 4] = ["Traceback (most recent call last)", "File \"", "\n    at ", "\tat "];
    output.lines().find(|line| {
        let unescaped = line.replace("\\n", "\n").replace("\\t", "\t").replace("\\\"", "\"");
        MARKERS.iter().any(|m| unescaped.contains(m)) || line.trim_start().starts_with("at ")
    })
}

/// Links every top-level entry of `project` into `folder`, except `.env` and logs of earlier runs.
fn link_project(project: &Path, folder: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(project)? {
        let name = entry?.file_name();
        if name == ".env" {
            continue;
        }
        std::os::unix::fs::symlink(project.join(&name), folder.join(&name))?;
    }
    Ok(())
}

fn fresh_secret() -> Result<String, Failure> {
    Secret::generate().map(|s| s.expose().to_owned()).map_err(|e| Failure {
        request: "(making a secret for this case)".into(),
        expected: "random bytes".into(),
        received: e.to_string(),
    })
}

/// Tokens for an instance with `secret` and `issuer`; the audience stays the project's default,
/// its name, which is also the suite's issuer.
fn mint(ctx: &Ctx<'_>, secret: &str, issuer: &str) -> Result<Tokens, Failure> {
    Tokens::mint(secret, issuer, &ctx.config.issuer).map_err(|e| Failure {
        request: "(minting tokens for this case)".into(),
        expected: "tokens".into(),
        received: e.to_string(),
    })
}

fn excerpt(text: &str) -> String {
    let cut: String = text.chars().take(600).collect();
    if cut.len() < text.len() { format!("{cut}…") } else { cut }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_traces_are_found_in_plain_and_json_output() {
        assert_eq!(stack_frame("app: invalid configuration:\n  DATABASE_URL: must be a URL\n"), None);
        assert!(stack_frame("Traceback (most recent call last):\n  File \"x.py\", line 1").is_some());
        assert!(stack_frame("Error: boom\n    at main (file:///app/dist/main.js:3:9)").is_some());
        let json = r#"{"level":"error","exception":"Traceback (most recent call last):\n  File \"/x.py\""}"#;
        assert!(stack_frame(json).is_some(), "inside a JSON log line");
        assert!(stack_frame("{\"err\":{\"stack\":\"Error: x\\n    at f (a.js:1:1)\"}}").is_some());
        assert!(stack_frame("Exception in thread \"main\"\n\tat com.example.Main.main(Main.java:3)").is_some());
    }

    #[test]
    fn a_graceful_exit_is_0_or_143_or_sigterm_itself() {
        assert!(exited_gracefully(ExitStatus::from_raw(0)));
        assert!(exited_gracefully(ExitStatus::from_raw(143 << 8)));
        assert!(exited_gracefully(ExitStatus::from_raw(15)), "killed by SIGTERM");
        assert!(!exited_gracefully(ExitStatus::from_raw(1 << 8)));
        assert!(!exited_gracefully(ExitStatus::from_raw(9)), "SIGKILL is not graceful");
    }
}
