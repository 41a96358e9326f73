//! What a refused request gets: an HTTP status and `{"error": message, "path": key path}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A request the server will not or cannot answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// 400 for a bad request, 404 for an unknown job, 503 when too many are running.
    pub status: StatusCode,
    /// The message, for a planner.
    pub error: String,
    /// The key path the message is about (in the scenario or the request), when it has one.
    pub path: Option<String>,
}

impl ApiError {
    /// A bad request (HTTP 400).
    pub fn bad(error: impl Into<String>, path: Option<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            error: error.into(),
            path,
        }
    }

    /// A bad request about one key path.
    pub fn at(path: &str, error: impl Into<String>) -> ApiError {
        ApiError::bad(error, Some(path.to_string()))
    }

    /// Something the server could not do for a reason of its own.
    pub fn with_status(status: StatusCode, error: impl Into<String>) -> ApiError {
        ApiError {
            status,
            error: error.into(),
            path: None,
        }
    }

    /// A scenario error from the library, with its key path.
    pub fn input(e: &crate::error::InputError) -> ApiError {
        ApiError::bad(e.to_string(), e.key_path().map(str::to_string))
    }

    /// The body the client gets.
    pub fn body(&self) -> serde_json::Value {
        json!({"error": self.error, "path": self.path})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}
