use sea_orm::entity::prelude::*;
#[allow(unused_imports)]
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "room_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub room_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    pub role: String,
    pub joined_at: OffsetDateTime,
    pub read_floor: i64,
    /// No notification or sound from this room on any device (counts stay).
    pub muted: bool,
    /// When they acknowledged the room's announcement.
    pub announcement_seen_at: Option<OffsetDateTime>,
    /// Silenced (禁言) by the room's owner or an admin until then: reads, cannot send.
    pub silenced_until: Option<OffsetDateTime>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
