//! The HTTP layer: one module per resource, each with its `router()`, assembled here
//! with the body limit, request tracing (method, route pattern, status, latency — never
//! URIs with values, headers or bodies) and localised JSON errors.

pub mod cases;
pub mod health;
pub mod household;
pub mod openapi;
pub mod patient;
pub mod registration;
pub mod reports;
pub mod routes;
pub mod staff;

use crate::auth::lang_of;
use crate::error::{ApiError, Rendered};
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, MatchedPath, Request};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde::de::DeserializeOwned;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// The whole application.
pub fn router(state: AppState) -> Router {
    let body_limit = state.config.body_limit;
    // The API answers errors in JSON, the pages with an error page: each its own layer.
    // The phone's API speaks a versioned protocol; staff tools and probes do not.
    let phone = Router::new()
        .merge(registration::router())
        .merge(patient::router())
        .merge(household::router())
        .merge(reports::router())
        .merge(crate::rights::api_router())
        .layer(middleware::from_fn_with_state(state.clone(), protocol_version));
    let api = Router::new()
        .merge(health::router())
        .merge(staff::router())
        .merge(cases::router())
        .merge(phone)
        .merge(crate::clinic::api_router())
        .merge(crate::stats::api_router())
        .merge(crate::fhir::router())
        .merge(openapi::router())
        .fallback(|| async { ApiError::not_found() })
        .layer(middleware::from_fn(localise));
    let pages = crate::web::router()
        .merge(crate::patient_pages::router())
        .merge(crate::clinic::pages_router())
        .merge(crate::stats::pages_router())
        .merge(crate::rights::pages_router())
        .layer(middleware::from_fn(crate::web::page_errors));
    Router::new()
        .merge(pages)
        .merge(api)
        .merge(crate::call::router())
        .route("/metrics", axum::routing::get(crate::metrics::page))
        .layer(middleware::from_fn_with_state(state.clone(), crate::metrics::record))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let route = req.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str());
                    tracing::info_span!("request", method = %req.method(), route)
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(middleware::from_fn(crate::web::security_headers))
        .with_state(state)
}

/// Refuses a phone core older than the oldest app protocol this server accepts (426
/// `update_required`, so the app asks the person to update instead of failing every
/// sync), and announces that version on every answer of the phone's API. A request
/// without the header counts as version 1.
pub async fn protocol_version(axum::extract::State(state): axum::extract::State<AppState>, req: Request, next: Next) -> Response {
    use protocol::wire::{HEADER_MIN_PROTOCOL, HEADER_PROTOCOL, UPDATE_REQUIRED};
    let min = state.config.min_app_protocol;
    let sent = req.headers().get(HEADER_PROTOCOL).and_then(|v| v.to_str().ok()).map(|v| v.trim().parse::<u32>().unwrap_or(0)).unwrap_or(1);
    let mut res = if sent < min {
        ApiError::new(
            StatusCode::UPGRADE_REQUIRED,
            UPDATE_REQUIRED,
            "アプリを最新版に更新してください。更新するまで、記録は端末に保存されます。",
            "Please update the app. Until then, your reports are kept on this phone.",
        )
        .into_response()
    } else {
        next.run(req).await
    };
    res.headers_mut().insert(HEADER_MIN_PROTOCOL, header::HeaderValue::from(min));
    res
}

/// Renders every error body in the request's language (`Accept-Language`, Japanese by
/// default), and turns axum's own plain-text refusals (405, 413 …) into the same JSON
/// shape.
pub async fn localise(req: Request, next: Next) -> Response {
    let lang = lang_of(req.headers());
    let res = next.run(req).await;
    if res.extensions().get::<health::OwnBody>().is_some() {
        return res;
    }
    let status = res.status();
    let rendered = res.extensions().get::<Rendered>().cloned();
    let err = match rendered {
        Some(Rendered(e)) => e,
        None if status.is_client_error() || status.is_server_error() => generic(status),
        None => return res,
    };
    let (mut parts, _) = res.into_parts();
    let body = serde_json::to_vec(&err.body(lang)).unwrap_or_default();
    parts.headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_LANGUAGE, header::HeaderValue::from_static(lang.tag()));
    Response::from_parts(parts, axum::body::Body::from(body))
}

fn generic(status: StatusCode) -> ApiError {
    let mut e = match status {
        StatusCode::NOT_FOUND => ApiError::not_found(),
        StatusCode::METHOD_NOT_ALLOWED => {
            ApiError::new(status, "method_not_allowed", "この操作はできません。", "This method is not allowed here.")
        }
        StatusCode::PAYLOAD_TOO_LARGE => payload_too_large(),
        s if s.is_server_error() => ApiError::internal(),
        _ => ApiError::bad_request("bad_request", "リクエストが正しくありません。", "The request is not valid."),
    };
    e.status = status;
    e
}

fn payload_too_large() -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "送信データが大きすぎます。", "The request body is too large.")
}

/// A JSON body whose rejections are [`ApiError`]s: 400 for malformed JSON, 422 for a
/// wrong shape or an unknown field, 413 over the body limit, 415 without a JSON
/// content type.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

fn json_rejection(r: &JsonRejection) -> ApiError {
    match r {
        JsonRejection::JsonDataError(_) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "送信データの項目または形式が正しくありません。",
            "The request body has missing, unknown or wrongly typed fields.",
        ),
        JsonRejection::JsonSyntaxError(_) => ApiError::bad_request("bad_json", "送信データがJSONとして読めません。", "The request body is not valid JSON."),
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Content-Type: application/json で送信してください。",
            "Send the body as Content-Type: application/json.",
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => payload_too_large(),
        other => generic(other.status()),
    }
}

impl<T: serde::Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}
