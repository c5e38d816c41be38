use sea_orm::entity::prelude::*;
#[allow(unused_imports)]
use time::OffsetDateTime;

/// A message a room's owner or admin pinned.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "message_pins")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub message_id: i64,
    pub room_id: i64,
    pub pinned_by: i64,
    pub pinned_at: OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
