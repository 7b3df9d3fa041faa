//! `backend-gen serve`: a web page and an HTTP API that generate, byte for byte, what
//! `backend-gen new` writes (without `.env`), validated by the same core.

mod api;
mod archive;
mod generate;
mod limits;
mod metadata;
mod page;
mod problem;
mod query;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use backend_gen_core::Registry;

pub use archive::{ArchiveError, Entry, Format, contained, pack};
pub use limits::Limits;

use crate::error::CliError;
use crate::listing::Listing;
use limits::Gate;
use metadata::Metadata;
use problem::Problem;

/// What every request shares: the stacks, their listing rendered once, and the limits.
#[derive(Debug)]
pub struct App {
    registry: Registry,
    metadata: Metadata,
    gate: Gate,
}

/// The server's routes over `registry`, with `limits`. Serve it with connect info
/// (`into_make_service_with_connect_info::<SocketAddr>`): the per-client limit keys on the address.
pub fn router(registry: Registry, limits: Limits) -> Router {
    let metadata = Metadata::new(&Listing::of(&registry));
    let app = Arc::new(App { registry, metadata, gate: Gate::new(limits) });
    Router::new()
        .route("/", get(api::root))
        .route("/metadata", get(api::metadata))
        .route("/preview", get(api::preview))
        .route("/starter.zip", get(|app, method, client, query| api::starter(app, method, client, query, Format::Zip)))
        .route("/starter.tgz", get(|app, method, client, query| api::starter(app, method, client, query, Format::Tgz)))
        .route(page::SCRIPT_PATH, get(page::script))
        .route(page::STYLE_PATH, get(page::style))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(Arc::clone(&app), guard))
        .with_state(app)
}

/// Listens on `host:port` and serves until Ctrl-C or SIGTERM, letting answers in flight finish.
/// Prints the address first (port 0 picks a free one), so scripts can read it.
///
/// Errors: the address cannot be bound (a user error: another port or host fixes it).
pub fn run(host: IpAddr, port: u16, registry: Registry, limits: Limits) -> Result<String, CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Internal(format!("could not start the server's runtime: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind((host, port)).await.map_err(|e| {
            CliError::User(format!("could not listen on `{host}:{port}`: {e}; pass another `--port` or `--host`"))
        })?;
        let address = listener.local_addr().map_err(|e| CliError::Internal(e.to_string()))?;
        println!("backend-gen serve: http://{address}/ (Ctrl-C stops)");
        if !host.is_loopback() {
            stderr_line!("note: `{host}` is reachable from other machines; the page has no login");
        }
        let service = router(registry, limits).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, service)
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(|e| CliError::Internal(format!("the server stopped: {e}")))
    })?;
    Ok(String::new())
}

async fn shutdown() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {},
                    _ = terminate.recv() => {},
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

/// Before every route: a request with a body (this API reads none) is 413, a query string past
/// the limit 414. After it: the security headers every answer carries.
async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let has_body = request.headers().get(header::TRANSFER_ENCODING).is_some()
        || request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|length| length.trim() != "0");
    let query_bytes = request.uri().query().map_or(0, str::len);
    let max = app.gate.limits.max_query_bytes;
    let mut response = if has_body {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "this API reads no request body; put the choices in the query string",
        )
        .into_response()
    } else if query_bytes > max {
        Problem::new(
            StatusCode::URI_TOO_LONG,
            format!("the query string has {query_bytes} bytes; at most {max} are read"),
        )
        .into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    for (name, value) in page::SECURITY_HEADERS {
        headers.insert(name.clone(), HeaderValue::from_static(value));
    }
    response
}

async fn not_found(request: Request) -> Problem {
    Problem::new(StatusCode::NOT_FOUND, format!("no page at `{}`; `GET /` lists what there is", request.uri().path()))
}

async fn method_not_allowed(request: Request) -> Response {
    let mut response = Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("`{}` is not allowed here; this API answers GET and HEAD", request.method()),
    )
    .into_response();
    response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// An archive past its time is a 503 problem, whatever the stack's tools are doing.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_archive_past_its_time_is_a_problem() {
        let registry = crate::registry::registry().expect("the stacks");
        let limits = Limits { generation_time: Duration::from_millis(1), ..Limits::default() };
        let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await.expect("a port");
        let address = listener.local_addr().expect("an address");
        let service = router(registry, limits).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await });
        let answer = tokio::task::spawn_blocking(move || {
            let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
            let mut response =
                agent.get(format!("http://{address}/starter.zip?name=slow&stack=kotlin")).call().expect("an answer");
            (response.status().as_u16(), response.body_mut().read_to_string().expect("a body"))
        })
        .await
        .expect("the client");
        assert_eq!(answer.0, 503, "{}", answer.1);
        assert!(answer.1.contains("took longer than 0.001 s"), "{}", answer.1);
    }
}
