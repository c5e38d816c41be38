//! My account and other people's profiles.

use super::ApiError;
use crate::state::session::Session;
use api::{
    UserId,
    users::{EditProfile, Me, PublicUser},
};

pub async fn me(s: Session) -> Result<Me, ApiError> {
    s.get("/me").await
}

pub async fn edit_me(s: Session, body: &EditProfile) -> Result<Me, ApiError> {
    s.patch("/me", body).await
}

/// Changes my password; my other sessions end.
pub async fn change_password(s: Session, body: &api::auth::ChangePassword) -> Result<(), ApiError> {
    s.post_empty("/me/password", body).await
}

/// Sends a code to a new address (my password proves it is me).
pub async fn change_email(
    s: Session,
    body: &api::auth::ChangeEmail,
) -> Result<api::auth::CodeSent, ApiError> {
    s.post_json("/me/email", body).await
}

/// The code from the new address moves my account to it.
pub async fn confirm_email(s: Session, body: &api::auth::ConfirmEmail) -> Result<Me, ApiError> {
    s.post_json("/me/email/confirm", body).await
}

pub async fn profile(s: Session, user: UserId) -> Result<PublicUser, ApiError> {
    s.get(&format!("/users/{user}")).await
}
