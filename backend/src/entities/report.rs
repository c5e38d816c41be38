use sea_orm::entity::prelude::*;
use time::OffsetDateTime;

/// A member's report of a message, and what a moderator made of it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub message_id: i64,
    pub room_id: i64,
    pub reporter_id: i64,
    pub author_id: i64,
    pub reason: String,
    pub note: Option<String>,
    /// `open`, `dismissed`, `removed`, `silenced`, `deactivated`.
    pub status: String,
    pub created_at: OffsetDateTime,
    pub resolved_at: Option<OffsetDateTime>,
    pub resolved_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
