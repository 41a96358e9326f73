//! The server's routes: the page and its assets, and the JSON API of CONTRACT.md ("callsim
//! serve") plus the page's jobs (progress and cancel) and the edited file's download.

use super::App;
use super::error::ApiError;
use super::work::{self, RunRequest, StaffRequest};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

/// The largest request body read.
pub const MAX_BODY: usize = 256 * 1024;

/// Every route of the server.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/app.js", get(|| async { asset("text/javascript; charset=utf-8", super::page::SCRIPT) }))
        .route("/style.css", get(|| async { asset("text/css; charset=utf-8", super::page::STYLE) }))
        .route("/api/scenarios", get(scenarios))
        .route("/api/scenario", get(scenario))
        .route("/api/run", post(run))
        .route("/api/staff", post(staff))
        .route("/api/download", post(download))
        .route("/api/jobs", post(start_job))
        .route("/api/jobs/{id}", get(job_status).delete(cancel_job))
        .fallback(|| async {
            ApiError::with_status(StatusCode::NOT_FOUND, "no such page: the planner's page is at /")
        })
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// Refuses what another web site could make a browser send: on a server of this machine
/// only, a `Host` that is not this machine (DNS rebinding); and a POST that is not JSON (a
/// plain form or text POST from another page needs no CORS preflight, a JSON one does).
async fn guard(
    State(app): State<Arc<App>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match refusal(app.local_only, &request) {
        Some(error) => ApiError::bad(error, None).into_response(),
        None => next.run(request).await,
    }
}

/// Why [`guard`] refuses `request`, if it does.
fn refusal(local_only: bool, request: &axum::extract::Request) -> Option<String> {
    let header = |name| request.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    let host = header(header::HOST).unwrap_or_default();
    if local_only && !local_host(host) {
        return Some(format!("this server answers only as 127.0.0.1 or localhost, not {host:?}"));
    }
    let json = header(header::CONTENT_TYPE).is_some_and(|t| t.starts_with("application/json"));
    if request.method() == axum::http::Method::POST && !json {
        return Some("send the request as JSON, with Content-Type: application/json".into());
    }
    None
}

/// `localhost`, `127.0.0.1` or `[::1]`, with or without a port.
fn local_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    matches!(name, "localhost" | "127.0.0.1" | "[::1]")
}

async fn index(State(app): State<Arc<App>>) -> Response {
    let catalog = app.catalog.clone();
    let page = tokio::task::spawn_blocking(move || super::page::index(&catalog.list().0)).await;
    asset("text/html; charset=utf-8", page.unwrap_or_else(|_| super::page::INDEX.to_string()))
}

/// A page asset, with headers that keep the browser from loading anything from elsewhere.
fn asset(kind: &'static str, text: impl Into<String>) -> Response {
    let text: String = text.into();
    let mut response = text.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'"),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

async fn scenarios(State(app): State<Arc<App>>) -> Response {
    let catalog = app.catalog.clone();
    match tokio::task::spawn_blocking(move || catalog.list().0).await {
        Ok(list) => axum::Json(list).into_response(),
        Err(e) => ApiError::with_status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

async fn scenario(State(app): State<Arc<App>>, Query(query): Query<HashMap<String, String>>) -> Result<Response, ApiError> {
    let file = query
        .get("file")
        .ok_or_else(|| ApiError::at("file", "give the scenario's file: /api/scenario?file=NAME.json"))?
        .clone();
    let catalog = app.catalog.clone();
    let info = tokio::task::spawn_blocking(move || work::scenario(&catalog, &file)).await;
    Ok(axum::Json(joined(info)?).into_response())
}

async fn run(State(app): State<Arc<App>>, body: Body) -> Result<Response, ApiError> {
    let req: RunRequest = parse(body).await?;
    let (catalog, limits) = (app.catalog.clone(), app.limits);
    let report = app.jobs.run(move |w| work::run(&catalog, &req, &limits, w)).await?;
    Ok(axum::Json(report).into_response())
}

async fn staff(State(app): State<Arc<App>>, body: Body) -> Result<Response, ApiError> {
    let req: StaffRequest = parse(body).await?;
    let (catalog, limits) = (app.catalog.clone(), app.limits);
    let search = app.jobs.run(move |w| work::staff(&catalog, &req, &limits, w)).await?;
    Ok(axum::Json(search).into_response())
}

async fn download(State(app): State<Arc<App>>, body: Body) -> Result<Response, ApiError> {
    let req: RunRequest = parse(body).await?;
    let (catalog, limits) = (app.catalog.clone(), app.limits);
    let done = tokio::task::spawn_blocking(move || work::download(&catalog, &req, &limits)).await;
    let (name, bytes) = joined(done)?;
    let disposition = format!("attachment; filename=\"{}\"", name.replace(['"', '\\'], "_"));
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// `POST /api/jobs` with `{"kind": "run" | "staff", ...}` (the fields of `/api/run` or
/// `/api/staff`): starts it and returns `{"id": N}` at once (HTTP 202).
async fn start_job(State(app): State<Arc<App>>, body: Body) -> Result<Response, ApiError> {
    let mut req: Value = parse(body).await?;
    let kind = req.as_object_mut().and_then(|m| m.shift_remove("kind"));
    let (catalog, limits) = (app.catalog.clone(), app.limits);
    let id = match kind.as_ref().and_then(Value::as_str) {
        Some("run") => {
            let req: RunRequest = from_value(req)?;
            app.jobs.start(move |w| work::page_run(&catalog, &req, &limits, w))?
        }
        Some("staff") => {
            let req: StaffRequest = from_value(req)?;
            app.jobs.start(move |w| work::staff(&catalog, &req, &limits, w))?
        }
        _ => return Err(ApiError::at("kind", "kind must be \"run\" or \"staff\"")),
    };
    Ok((StatusCode::ACCEPTED, axum::Json(json!({"id": id}))).into_response())
}

async fn job_status(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    Ok(axum::Json(app.jobs.status(job_id(&id)?)?).into_response())
}

async fn cancel_job(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    app.jobs.cancel(job_id(&id)?)?;
    Ok(axum::Json(json!({"cancelled": true})).into_response())
}

fn job_id(text: &str) -> Result<u64, ApiError> {
    text.parse()
        .map_err(|_| ApiError::with_status(StatusCode::NOT_FOUND, format!("no job {text:?}: a job's id is a number")))
}

/// Reads a JSON body of at most [`MAX_BODY`] bytes as `T`, naming the key path of a wrong one.
async fn parse<T: DeserializeOwned>(body: Body) -> Result<T, ApiError> {
    let bytes = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
        ApiError::bad(
            format!("the request is larger than {} KiB, the most this server reads", MAX_BODY / 1024),
            None,
        )
    })?;
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(request_error)?;
    de.end().map_err(|e| ApiError::bad(format!("the request is not one JSON object: {e}"), None))?;
    Ok(value)
}

fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(request_error)
}

fn request_error<E: std::fmt::Display>(e: serde_path_to_error::Error<E>) -> ApiError {
    let path = e.path().to_string();
    let path = (path != ".").then_some(path);
    let at = path.as_deref().map_or(String::new(), |p| format!("{p}: "));
    ApiError::bad(format!("the request: {at}{}", e.inner()), path)
}

fn joined<T>(done: Result<Result<T, ApiError>, tokio::task::JoinError>) -> Result<T, ApiError> {
    done.map_err(|e| ApiError::with_status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
}
