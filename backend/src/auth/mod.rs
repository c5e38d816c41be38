//! Accounts and sessions: registration, login, refresh-token rotation, logout, password
//! change, and the `AuthUser` extractor that guards every other endpoint.

pub mod cache;
pub mod email;
pub mod password;
pub mod routes;
pub mod service;
pub mod store;
pub mod throttle;
pub mod tokens;

use crate::{error::AppError, state::AppState};
use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use api::UserId;
use futures_util::future::LocalBoxFuture;
use uuid::Uuid;

/// The caller of an endpoint that needs a login: a valid access token whose session is
/// still open. Checked against the database on every request, so logout, a newer login
/// under the single-session policy, or a password change take effect at once.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub user_id: UserId,
    pub session_id: Uuid,
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("AppState not registered"))?;
            let token = token.ok_or(AppError::Unauthenticated)?;
            service::authenticate(&state, &token).await
        })
    }
}

/// The token of an `Authorization: Bearer …` header.
fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .then(|| token.trim().to_owned())
}

/// The client's User-Agent, shortened to fit the sessions table.
pub(crate) fn user_agent(req: &HttpRequest) -> Option<String> {
    let ua = req.headers().get(header::USER_AGENT)?.to_str().ok()?;
    Some(ua.chars().take(255).collect())
}
