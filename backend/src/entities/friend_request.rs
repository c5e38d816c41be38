use sea_orm::entity::prelude::*;
use time::OffsetDateTime;

/// The newest friend request from one person to another.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "friend_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub from_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub to_id: i64,
    /// `pending`, `accepted`, `rejected` or `cancelled`.
    pub state: String,
    pub greeting: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
