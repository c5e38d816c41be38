use sea_orm::entity::prelude::*;
#[allow(unused_imports)]
use time::OffsetDateTime;

/// A version of a message that an edit replaced.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "message_edits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub message_id: i64,
    pub body: String,
    pub body_html: Option<String>,
    /// When this version was written (the send, or the edit before).
    pub written_at: OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
