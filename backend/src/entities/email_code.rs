use sea_orm::entity::prelude::*;
use time::OffsetDateTime;

/// A secret sent by e-mail: a six-digit code or a password-reset link, at most one live
/// per person and purpose.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_codes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// `verify`, `email` or `reset`.
    pub purpose: String,
    /// HMAC-SHA256 of the secret under the server's key (a code has only 10^6 values, so
    /// a plain hash would give it away to anyone with a copy of the table).
    pub secret_hash: String,
    /// The address being changed to (`email`).
    pub new_email: Option<String>,
    pub attempts_left: i32,
    pub expires_at: OffsetDateTime,
    pub sent_at: OffsetDateTime,
    pub window_start: OffsetDateTime,
    pub window_sends: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
