use sea_orm::entity::prelude::*;
use time::OffsetDateTime;

/// One line of the audit log: a staff action or a filter hit.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: OffsetDateTime,
    pub actor_id: Option<i64>,
    pub action: String,
    pub room_id: Option<i64>,
    pub target_user_id: Option<i64>,
    /// JSON.
    pub details: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
