//! One error type for every request path, mapped exhaustively onto `api::ErrorBody`.
//!
//! Each variant has exactly one `ErrorCode`, and each code one status (`ErrorCode::status`),
//! so there is no catch-all. Internal causes are logged inside the request's span (which
//! carries the request id) and never sent: a 5xx body says only that something broke.
//! actix's own extractor errors (bad JSON, wrong content type, oversize bodies, bad paths
//! and queries) are turned into the same body by the `*_config` functions below, and
//! `json_error_fallback` catches any other non-JSON error response under `/api`.

use actix_web::{
    HttpRequest, HttpResponse, ResponseError,
    body::MessageBody,
    dev::ServiceResponse,
    error::{JsonPayloadError, PathError, PayloadError, QueryPayloadError},
    http::{StatusCode, header},
    middleware::ErrorHandlerResponse,
    web,
};
use api::{ErrorBody, ErrorCode, ErrorDetails, FieldCode};
use std::collections::BTreeMap;

/// The largest JSON body any endpoint accepts.
pub const JSON_LIMIT_BYTES: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400 `malformed_json`.
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    /// 400 `bad_request`.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 401 `unauthenticated`.
    #[error("authentication required")]
    Unauthenticated,
    /// 401 `invalid_token`.
    #[error("invalid access token")]
    InvalidToken,
    /// 401 `token_expired`.
    #[error("access token expired")]
    TokenExpired,
    /// 401 `session_ended`.
    #[error("this session has ended")]
    SessionEnded,
    /// 401 `session_ended`, and why (`details.reason`).
    #[error("this session has ended")]
    SessionRevoked(api::ws::EndReason),
    /// 401 `invalid_credentials`.
    #[error("wrong login or password")]
    InvalidCredentials,
    /// 401 `invalid_refresh_token`.
    #[error("unknown or expired refresh token")]
    InvalidRefreshToken,
    /// 401 `refresh_token_reused`.
    #[error("refresh token already used; the session has been ended")]
    RefreshTokenReused,
    /// 403 `wrong_password`.
    #[error("the current password is wrong")]
    WrongPassword,
    /// 403 `forbidden`.
    #[error("not allowed")]
    Forbidden,
    /// 404 `not_found`.
    #[error("not found")]
    NotFound,
    /// 404 `route_not_found`.
    #[error("no such endpoint")]
    RouteNotFound,
    /// 405 `method_not_allowed`.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409 `username_taken` / `email_taken` / `phone_taken`, naming the field.
    #[error("{field} is already taken")]
    Taken {
        code: ErrorCode,
        field: &'static str,
    },
    /// 409 for a state conflict that is not about one field (`client_id_conflict`,
    /// `owner_must_transfer`, `default_post_protected`); 403 `recall_expired`.
    #[error("{message}")]
    Rule {
        code: ErrorCode,
        message: &'static str,
    },
    /// 413 `payload_too_large`.
    #[error("body larger than {limit} bytes")]
    PayloadTooLarge { limit: u64 },
    /// A limit other than the body's size, named in `details.limit`: 413 `quota_exceeded`,
    /// 422 `image_too_large`.
    #[error("over the limit of {limit}")]
    Limit { code: ErrorCode, limit: u64 },
    /// 415 `unsupported_media_type`.
    #[error("unsupported Content-Type for this endpoint")]
    UnsupportedMediaType,
    /// 422 `validation_failed`, with the problem of each field.
    #[error("invalid fields")]
    Validation(BTreeMap<String, FieldCode>),
    /// 422 `content_blocked`: the field holds words the filter refuses here.
    #[error("{field} holds a word the filter refuses here")]
    ContentBlocked {
        field: &'static str,
        matches: Vec<api::moderation::WordMatch>,
    },
    /// 422 `unsupported_character`: a NUL character in the body, query or path.
    #[error("{0} contains a NUL character (U+0000), which is not stored")]
    UnsupportedCharacter(&'static str),
    /// 429 `rate_limited`.
    #[error("too many attempts; retry in {retry_after} s")]
    RateLimited { retry_after: u64 },
    /// A wait other than the rate limits, in `details.retry_after` and `Retry-After`: 429
    /// `slow_mode`, 403 `silenced`.
    #[error("{message}; retry in {retry_after} s")]
    Wait {
        code: ErrorCode,
        message: &'static str,
        retry_after: u64,
    },
    /// 403 `code_invalid`, with the tries left.
    #[error("wrong code; {attempts_left} tries left")]
    CodeInvalid { attempts_left: u32 },
    /// 503 `unavailable`.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// 500 `internal`.
    #[error("internal error: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::MalformedJson(_) => ErrorCode::MalformedJson,
            Self::BadRequest(_) => ErrorCode::BadRequest,
            Self::Unauthenticated => ErrorCode::Unauthenticated,
            Self::InvalidToken => ErrorCode::InvalidToken,
            Self::TokenExpired => ErrorCode::TokenExpired,
            Self::SessionEnded | Self::SessionRevoked(_) => ErrorCode::SessionEnded,
            Self::InvalidCredentials => ErrorCode::InvalidCredentials,
            Self::InvalidRefreshToken => ErrorCode::InvalidRefreshToken,
            Self::RefreshTokenReused => ErrorCode::RefreshTokenReused,
            Self::WrongPassword => ErrorCode::WrongPassword,
            Self::Forbidden => ErrorCode::Forbidden,
            Self::NotFound => ErrorCode::NotFound,
            Self::RouteNotFound => ErrorCode::RouteNotFound,
            Self::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            Self::Taken { code, .. }
            | Self::Rule { code, .. }
            | Self::Limit { code, .. }
            | Self::Wait { code, .. } => *code,
            Self::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            Self::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            Self::Validation(_) => ErrorCode::ValidationFailed,
            Self::UnsupportedCharacter(_) => ErrorCode::UnsupportedCharacter,
            Self::ContentBlocked { .. } => ErrorCode::ContentBlocked,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::CodeInvalid { .. } => ErrorCode::CodeInvalid,
            Self::Unavailable(_) => ErrorCode::Unavailable,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    /// One invalid field.
    pub fn field(name: &str, code: FieldCode) -> Self {
        Self::Validation(BTreeMap::from([(name.to_owned(), code)]))
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    fn body(&self) -> ErrorBody {
        let code = self.code();
        let (message, details) = match self {
            Self::Internal(_) => ("internal error; see the server log".to_owned(), None),
            Self::Unavailable(_) => ("service temporarily unavailable".to_owned(), None),
            Self::Validation(fields) => (
                self.to_string(),
                Some(ErrorDetails {
                    fields: fields.clone(),
                    ..Default::default()
                }),
            ),
            Self::Taken { field, .. } => (
                self.to_string(),
                Some(ErrorDetails {
                    fields: BTreeMap::from([((*field).to_owned(), FieldCode::Taken)]),
                    ..Default::default()
                }),
            ),
            Self::ContentBlocked { field, matches } => (
                self.to_string(),
                Some(ErrorDetails {
                    fields: BTreeMap::from([((*field).to_owned(), FieldCode::Blocked)]),
                    matches: matches.clone(),
                    ..Default::default()
                }),
            ),
            Self::CodeInvalid { attempts_left } => (
                self.to_string(),
                Some(ErrorDetails {
                    attempts_left: Some(*attempts_left),
                    ..Default::default()
                }),
            ),
            Self::SessionRevoked(reason) => (
                self.to_string(),
                Some(ErrorDetails {
                    reason: Some(*reason),
                    ..Default::default()
                }),
            ),
            Self::RateLimited { retry_after } | Self::Wait { retry_after, .. } => (
                self.to_string(),
                Some(ErrorDetails {
                    retry_after: Some(*retry_after),
                    ..Default::default()
                }),
            ),
            Self::PayloadTooLarge { limit } | Self::Limit { limit, .. } => (
                self.to_string(),
                Some(ErrorDetails {
                    limit: Some(*limit),
                    ..Default::default()
                }),
            ),
            _ => (self.to_string(), None),
        };
        ErrorBody {
            code,
            message,
            details,
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(_) | Self::Unavailable(_) = self {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        if let Self::RateLimited { retry_after } | Self::Wait { retry_after, .. } = self {
            response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
        }
        response.json(self.body())
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        match err {
            sea_orm::DbErr::ConnectionAcquire(e) => Self::Unavailable(e.to_string()),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl<E: std::fmt::Display> From<sea_orm::TransactionError<E>> for AppError
where
    AppError: From<E>,
{
    fn from(err: sea_orm::TransactionError<E>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(e) => e.into(),
            sea_orm::TransactionError::Transaction(e) => e.into(),
        }
    }
}

impl From<JsonPayloadError> for AppError {
    fn from(err: JsonPayloadError) -> Self {
        match err {
            JsonPayloadError::ContentType => Self::UnsupportedMediaType,
            JsonPayloadError::Overflow { limit }
            | JsonPayloadError::OverflowKnownLength { limit, .. } => Self::PayloadTooLarge {
                limit: limit as u64,
            },
            JsonPayloadError::Deserialize(e) => Self::MalformedJson(e.to_string()),
            JsonPayloadError::Payload(PayloadError::Overflow) => Self::PayloadTooLarge {
                limit: JSON_LIMIT_BYTES as u64,
            },
            other => Self::BadRequest(other.to_string()),
        }
    }
}

/// JSON bodies: size limit, content type, and our error body for every failure.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(JSON_LIMIT_BYTES)
        .error_handler(|err, _req: &HttpRequest| AppError::from(err).into())
}

/// Query strings that do not parse are a 400 with our body.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|err: QueryPayloadError, _req| AppError::BadRequest(err.to_string()).into())
}

/// A path segment that does not parse (`/users/abc`) names nothing: 404.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err: PathError, _req| AppError::NotFound.into())
}

/// For `/api` paths only: any error response that is not already our JSON body (actix's
/// own 404/405, a panic's 500) is rewritten into one. Everything else passes untouched.
pub fn json_error_fallback<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_api = res.request().path().starts_with(api::API_PREFIX);
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_api || is_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let error = match res.status() {
        StatusCode::NOT_FOUND => AppError::RouteNotFound,
        StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge {
            limit: JSON_LIMIT_BYTES as u64,
        },
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType,
        StatusCode::UNAUTHORIZED => AppError::Unauthenticated,
        StatusCode::FORBIDDEN => AppError::Forbidden,
        status if status.is_client_error() => AppError::BadRequest(status.to_string()),
        status => AppError::Internal(format!("unhandled {status} response")),
    };
    let (req, _) = res.into_parts();
    let res = ServiceResponse::new(req, error.error_response());
    Ok(ErrorHandlerResponse::Response(res.map_into_right_body()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_are_opaque() {
        let body = AppError::Internal("db password is hunter2".into()).body();
        assert_eq!(body.code, ErrorCode::Internal);
        assert!(!body.message.contains("hunter2"));
    }

    #[test]
    fn every_status_matches_its_code() {
        let err = AppError::Taken {
            code: ErrorCode::EmailTaken,
            field: "email",
        };
        assert_eq!(err.status_code().as_u16(), 409);
        assert_eq!(err.body().details.map(|d| d.fields.len()), Some(1));
        assert_eq!(
            AppError::RateLimited { retry_after: 3 }
                .status_code()
                .as_u16(),
            429
        );
    }
}
