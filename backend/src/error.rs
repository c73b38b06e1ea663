//! Errors: the internal [`Error`] of the data and domain layers, and the public
//! [`ApiError`] that becomes an HTTP answer `{ "error": code, "message": text }`.
//!
//! [`From<Error> for ApiError`](ApiError#impl-From<Error>-for-ApiError) is the one
//! conversion point. Neither type ever carries personal data: database errors keep only
//! their error code, never the statement's values.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use protocol::Lang;
use std::borrow::Cow;

/// Result of the data and domain layers.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong inside the server. Never holds names, phones, e-mails, codes,
/// passwords, tokens or health answers.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A database call failed; the text is the driver's error code only.
    #[error("database error: {0}")]
    Db(String),
    /// A row that should be unique already exists (which constraint, not which value).
    #[error("already exists: {0}")]
    Conflict(&'static str),
    /// The mail could not be handed over.
    #[error("mail error: {0}")]
    Mail(String),
    /// Anything else that is the server's fault.
    #[error("internal error: {0}")]
    Internal(String),
    /// A refusal that maps to a specific public answer.
    #[error("refused: {}", .0.code)]
    Api(ApiError),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        let code = match &e {
            rusqlite::Error::SqliteFailure(f, _) => format!("sqlite {:?} ({})", f.code, f.extended_code),
            rusqlite::Error::QueryReturnedNoRows => "no rows".to_owned(),
            rusqlite::Error::FromSqlConversionFailure(i, t, _) => format!("column {i} ({t}) did not convert"),
            rusqlite::Error::InvalidColumnType(i, _, t) => format!("column {i} has type {t}"),
            _ => "sqlite driver error".to_owned(),
        };
        Error::Db(code)
    }
}

impl From<tokio_postgres::Error> for Error {
    fn from(e: tokio_postgres::Error) -> Error {
        match e.code() {
            Some(code) => Error::Db(format!("postgres sqlstate {}", code.code())),
            None if e.is_closed() => Error::Db("postgres connection closed".to_owned()),
            None => Error::Db("postgres client error".to_owned()),
        }
    }
}

impl From<deadpool_postgres::PoolError> for Error {
    fn from(e: deadpool_postgres::PoolError) -> Error {
        match e {
            deadpool_postgres::PoolError::Backend(e) => e.into(),
            deadpool_postgres::PoolError::Timeout(_) => Error::Db("postgres pool timeout".to_owned()),
            _ => Error::Db("postgres pool error".to_owned()),
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Error {
        Error::Api(e)
    }
}

/// Seconds a client is told to wait (`Retry-After`) when the database is unavailable.
pub const DB_RETRY_AFTER_SECONDS: u64 = 5;

/// A bilingual message; Japanese first, English second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    /// Japanese wording.
    pub ja: Cow<'static, str>,
    /// English wording.
    pub en: Cow<'static, str>,
}

impl Msg {
    /// A fixed message.
    pub const fn fixed(ja: &'static str, en: &'static str) -> Msg {
        Msg { ja: Cow::Borrowed(ja), en: Cow::Borrowed(en) }
    }

    /// The wording in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// A refusal or failure as the client sees it: status, stable code and a localised
/// message. The body is rendered in the request's language by [`crate::http::localise`].
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code, e.g. `wrong_code`.
    pub code: &'static str,
    /// Text for the person.
    pub message: Msg,
    /// Seconds to wait before trying again (sent as `Retry-After`).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with a fixed message.
    pub const fn new(status: StatusCode, code: &'static str, ja: &'static str, en: &'static str) -> ApiError {
        ApiError { status, code, message: Msg::fixed(ja, en), retry_after: None }
    }

    /// 400 with a code and message.
    pub const fn bad_request(code: &'static str, ja: &'static str, en: &'static str) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, ja, en)
    }

    /// 401: the bearer token is missing, unknown or expired.
    pub const fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "ログインが必要です。もう一度ログインしてください。",
            "Please log in again.",
        )
    }

    /// 403: logged in, but this role may not do that.
    pub const fn forbidden() -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", "この操作は許可されていません。", "You are not allowed to do this.")
    }

    /// 404: nothing here (also for rows of another health centre).
    pub const fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "見つかりません。", "Not found.")
    }

    /// 429 with the seconds to wait.
    pub fn too_many_requests(retry_after: u64) -> ApiError {
        ApiError {
            retry_after: Some(retry_after.max(1)),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "操作が多すぎます。しばらくしてからもう一度お試しください。",
                "Too many attempts. Please wait and try again.",
            )
        }
    }

    /// 500: the server's fault; the details are in the log, not in the answer.
    pub const fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "サーバーでエラーが発生しました。しばらくしてからもう一度お試しください。",
            "Something went wrong on the server. Please try again later.",
        )
    }

    /// 503: a service the request needs (database, mail) is unavailable.
    pub const fn unavailable() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "現在ご利用いただけません。しばらくしてからもう一度お試しください。",
            "The service is unavailable. Please try again later.",
        )
    }

    /// 503 because the database cannot be reached or written: try again after
    /// [`DB_RETRY_AFTER_SECONDS`].
    pub fn database_unavailable() -> ApiError {
        ApiError { retry_after: Some(DB_RETRY_AFTER_SECONDS), ..ApiError::unavailable() }
    }

    /// The JSON body in `lang`.
    pub fn body(&self, lang: Lang) -> serde_json::Value {
        serde_json::json!({ "error": self.code, "message": self.message.get(lang) })
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        match e {
            Error::Api(api) => api,
            Error::Conflict(what) => {
                tracing::info!(constraint = what, "refused a duplicate");
                ApiError::new(StatusCode::CONFLICT, "conflict", "既に登録されています。", "This is already registered.")
            }
            Error::Mail(detail) => {
                tracing::error!(%detail, "mail could not be sent");
                ApiError::unavailable()
            }
            Error::Db(detail) => {
                tracing::error!(%detail, "database call failed");
                ApiError::database_unavailable()
            }
            Error::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                ApiError::internal()
            }
        }
    }
}

/// The error carried in a response's extensions so [`crate::http::localise`] can
/// render its message in the request's language.
#[derive(Debug, Clone)]
pub struct Rendered(pub ApiError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, axum::Json(self.body(Lang::Ja))).into_response();
        if let Some(v) = self.retry_after.and_then(|secs| HeaderValue::from_str(&secs.to_string()).ok()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res.extensions_mut().insert(Rendered(self));
        res
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_errors_keep_only_codes() {
        let e: Error = rusqlite::Error::QueryReturnedNoRows.into();
        assert_eq!(e.to_string(), "database error: no rows");
        let api = ApiError::from(Error::Db("x".into()));
        assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(api.retry_after, Some(DB_RETRY_AFTER_SECONDS));
    }

    #[test]
    fn retry_after_is_at_least_one_second() {
        let res = ApiError::too_many_requests(0).into_response();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(res.headers().get(header::RETRY_AFTER).map(|v| v.as_bytes()), Some(&b"1"[..]));
    }
}
