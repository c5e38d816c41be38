use sea_orm::entity::prelude::*;
#[allow(unused_imports)]
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "room_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub room_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    /// The whole `ServerFrame::Event` as sent, serialised once.
    pub payload: String,
    /// The message a `message_created` event created.
    pub message_id: Option<i64>,
    /// The post the event is about (a message's post, or the post itself), so deleting
    /// the post can erase it.
    pub post_id: Option<i64>,
    pub created_at: OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
