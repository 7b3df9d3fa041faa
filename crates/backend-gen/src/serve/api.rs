//! The HTTP API's handlers: `/`, `/metadata`, `/preview`, `/starter.zip` and `/starter.tgz`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::App;
use super::archive::Format;
use super::generate::{self, Preview};
use super::limits::Kind;
use super::page;
use super::problem::Problem;
use super::query;
use crate::error::CliError;

/// `GET /` by what the client accepts: the page for a browser, the metadata for JSON clients,
/// the plain-text help for everything else (curl sends `Accept: */*`).
pub async fn root(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut response = if accept.contains("text/html") {
        page::index()
    } else if accept.contains("application/json") {
        metadata(State(app), headers.clone()).await
    } else {
        let base = base_url(&headers);
        ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], app.metadata.help(&base)).into_response()
    };
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}

/// `GET /metadata`: stacks, features, groups, options and the generator's version; cacheable,
/// revalidated by its ETag (304 on `If-None-Match`).
pub async fn metadata(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let etag = app.metadata.etag.as_str();
    let cache = [(header::ETAG, etag), (header::CACHE_CONTROL, "no-cache")];
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        // RFC 9110 §13.1.2: If-None-Match compares weakly, so `W/"x"` matches `"x"`.
        .is_some_and(|tags| {
            tags.split(',').map(str::trim).any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
        });
    if matches {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (cache, [(header::CONTENT_TYPE, "application/json")], app.metadata.json.clone()).into_response()
}

/// `GET /preview`: the plan as JSON, path to content, for the page's explore view.
pub async fn preview(
    State(app): State<Arc<App>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    let input = query::parse(query.as_deref().unwrap_or("")).map_err(refusal)?;
    let (spec, plan) = generate::plan(&app.registry, &input).map_err(refusal)?;
    app.gate.admit(client.ip(), Kind::Preview)?;
    let body = serde_json::to_string(&Preview::of(&spec, &plan)).unwrap_or_default();
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `GET /starter.zip` and `/starter.tgz`: an archive of the project, made off the runtime within
/// the generation time and slot limits.
pub async fn starter(
    State(app): State<Arc<App>>,
    method: Method,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    RawQuery(query): RawQuery,
    format: Format,
) -> Result<Response, Problem> {
    // Only an archive really made counts against the client's quota: a refused query costs nothing.
    let input = query::parse(query.as_deref().unwrap_or("")).map_err(refusal)?;
    let (spec, plan) = generate::plan(&app.registry, &input).map_err(refusal)?;
    let disposition = format!("attachment; filename=\"{}.{}\"", spec.name.raw, format.extension());
    if method == Method::HEAD {
        // The headers of the answer, without making the archive (its length is not known).
        return Ok(([
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ])
        .into_response());
    }
    app.gate.admit(client.ip(), Kind::Archive)?;
    let permit = app.gate.slot().await?;
    let started = Instant::now();
    let name = spec.name.raw.clone();
    // The permit goes with the work: a generation past its time still holds its slot until it ends.
    let work = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        generate::archive(&spec, &plan, format)
    });
    let limit = app.gate.limits.generation_time;
    let bytes = match tokio::time::timeout(limit, work).await {
        Ok(Ok(Ok(bytes))) => bytes,
        Ok(Ok(Err(error))) => return Err(refusal(error)),
        Ok(Err(panic)) => return Err(internal(format!("the generation stopped: {panic}"))),
        Err(_) => {
            return Err(Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("making the archive took longer than {} s; try again", limit.as_secs_f64()),
            ));
        }
    };
    stderr_line!(
        "{} {}.{} ({} bytes, {:.1} s)",
        client.ip(),
        name,
        format.extension(),
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// A refusal as a problem: 400 with the CLI's exit-2 message as `detail`, or 500.
fn refusal(error: CliError) -> Problem {
    match error {
        CliError::User(message) => Problem::new(StatusCode::BAD_REQUEST, message),
        CliError::Internal(message) => internal(message),
    }
}

fn internal(message: String) -> Problem {
    stderr_line!("error: {message}");
    Problem::new(StatusCode::INTERNAL_SERVER_ERROR, message)
}

/// The origin the client used, for the help's examples; a `Host` that is not a plain authority is
/// replaced, so the help never echoes markup or control characters.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let plain = !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
    format!("http://{}", if plain { host } else { "127.0.0.1:8080" })
}
