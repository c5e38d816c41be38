//! The typed HTTP client. Every call checks the status before decoding: a success body is
//! decoded as the endpoint's type, anything else as `ErrorBody`. Calls that need a login
//! go through `state::session::Session`, which adds the token and refreshes it on 401.

use api::{
    ErrorBody, ErrorCode,
    auth::{AuthSession, Login, RefreshToken, Register},
};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::{Serialize, de::DeserializeOwned};

/// A failed call: the server's error body, or a stand-in when the server was not reached.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn code(&self) -> ErrorCode {
        self.body.code
    }

    /// The server could not be reached (offline, restarting) or answered nonsense.
    pub fn unreachable(detail: impl ToString) -> Self {
        Self {
            status: 0,
            body: ErrorBody {
                code: ErrorCode::Unavailable,
                message: detail.to_string(),
                details: None,
            },
        }
    }

    pub fn unauthenticated() -> Self {
        Self {
            status: 401,
            body: ErrorBody {
                code: ErrorCode::Unauthenticated,
                message: "not logged in".into(),
                details: None,
            },
        }
    }

    /// The server's problem with one field, if it named one.
    pub fn field(&self, name: &str) -> Option<api::FieldCode> {
        self.body.details.as_ref()?.fields.get(name).copied()
    }
}

/// The verbs the app uses.
#[derive(Clone, Copy, Debug)]
pub enum Verb {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

pub fn url(path: &str) -> String {
    format!("{}{path}", api::API_PREFIX)
}

/// Sends one request; `Ok` for any answer the server gave (check `ok()` / use `decode`).
pub async fn send(
    verb: Verb,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Result<Response, ApiError> {
    let url = url(path);
    let mut builder: RequestBuilder = match verb {
        Verb::Get => Request::get(&url),
        Verb::Post => Request::post(&url),
        Verb::Patch => Request::patch(&url),
        Verb::Put => Request::put(&url),
        Verb::Delete => Request::delete(&url),
    };
    if let Some(token) = token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    let request = match body {
        Some(json) => builder
            .header("Content-Type", "application/json")
            .body(json.to_owned()),
        None => builder.build(),
    }
    .map_err(ApiError::unreachable)?;
    request.send().await.map_err(ApiError::unreachable)
}

/// Decodes a success body as `T`, or the error body.
pub async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let response = check(response).await?;
    response.json::<T>().await.map_err(ApiError::unreachable)
}

/// Turns an error status into `ApiError`; passes successes through.
pub async fn check(response: Response) -> Result<Response, ApiError> {
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(ApiError { status, body }),
        Err(_) => Err(ApiError::unreachable(format!("HTTP {status}"))),
    }
}

pub fn to_json(body: &impl Serialize) -> Result<String, ApiError> {
    serde_json::to_string(body).map_err(ApiError::unreachable)
}

/// This server's rules (`GET /server`); public.
pub async fn server_info() -> Result<api::users::ServerInfo, ApiError> {
    decode(send(Verb::Get, "/server", None, None).await?).await
}

/// What registering gave: a session, or (where addresses are confirmed) a code to enter.
pub enum Registered {
    Session(AuthSession),
    Pending(api::auth::CodeSent),
}

pub async fn register(body: &Register) -> Result<Registered, ApiError> {
    let response =
        check(send(Verb::Post, "/auth/register", None, Some(&to_json(body)?)).await?).await?;
    if response.status() == 202 {
        Ok(Registered::Pending(
            response.json().await.map_err(ApiError::unreachable)?,
        ))
    } else {
        Ok(Registered::Session(
            response.json().await.map_err(ApiError::unreachable)?,
        ))
    }
}

/// The code mailed at registration; logs in.
pub async fn verify_email(body: &api::auth::VerifyEmail) -> Result<AuthSession, ApiError> {
    decode(
        send(
            Verb::Post,
            "/auth/verify-email",
            None,
            Some(&to_json(body)?),
        )
        .await?,
    )
    .await
}

/// Another registration code.
pub async fn resend_code(login: &str) -> Result<api::auth::CodeSent, ApiError> {
    let body = api::auth::ResendCode {
        login: login.to_owned(),
    };
    decode(
        send(
            Verb::Post,
            "/auth/verify-email/resend",
            None,
            Some(&to_json(&body)?),
        )
        .await?,
    )
    .await
}

/// Forgot password: a link goes to the address, if an account has it.
pub async fn password_reset(email: &str) -> Result<(), ApiError> {
    let body = api::auth::PasswordResetRequest {
        email: email.to_owned(),
    };
    check(
        send(
            Verb::Post,
            "/auth/password-reset",
            None,
            Some(&to_json(&body)?),
        )
        .await?,
    )
    .await
    .map(drop)
}

/// A new password with the token from a reset link.
pub async fn password_reset_confirm(
    body: &api::auth::PasswordResetConfirm,
) -> Result<(), ApiError> {
    check(
        send(
            Verb::Post,
            "/auth/password-reset/confirm",
            None,
            Some(&to_json(body)?),
        )
        .await?,
    )
    .await
    .map(drop)
}

/// The server's verdict on a new password (for the strength meter).
pub async fn password_check(
    body: &api::auth::PasswordCheck,
) -> Result<api::auth::PasswordVerdict, ApiError> {
    decode(
        send(
            Verb::Post,
            "/auth/password-check",
            None,
            Some(&to_json(body)?),
        )
        .await?,
    )
    .await
}

pub async fn login(body: &Login) -> Result<AuthSession, ApiError> {
    decode(send(Verb::Post, "/auth/login", None, Some(&to_json(body)?)).await?).await
}

pub async fn refresh(refresh_token: &str) -> Result<AuthSession, ApiError> {
    let body = RefreshToken {
        refresh_token: refresh_token.to_owned(),
    };
    decode(send(Verb::Post, "/auth/refresh", None, Some(&to_json(&body)?)).await?).await
}

pub async fn logout(refresh_token: &str) -> Result<(), ApiError> {
    let body = RefreshToken {
        refresh_token: refresh_token.to_owned(),
    };
    check(send(Verb::Post, "/auth/logout", None, Some(&to_json(&body)?)).await?)
        .await
        .map(drop)
}

// The API's endpoints, one typed function each, grouped as the API groups them: callers
// name what they want (`rooms::mine(session)`), never a path or a response type.
#[cfg(feature = "admin")]
pub mod admin;
#[cfg(feature = "admin")]
pub mod admin_import;
pub mod files;
pub mod friends;
pub mod messages;
pub mod rooms;
pub mod search;
pub mod users;

/// `{}` for endpoints that take no body.
fn empty() -> serde_json::Value {
    serde_json::json!({})
}
