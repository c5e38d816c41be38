use sea_orm::entity::prelude::*;
#[allow(unused_imports)]
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "files")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: i64,
    /// The message it was sent with; `None` while it is only its uploader's.
    pub message_id: Option<i64>,
    pub position: i16,
    pub name: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    /// Set when a separate thumbnail file exists.
    pub thumb_mime: Option<String>,
    pub thumb_width: Option<i32>,
    pub thumb_height: Option<i32>,
    pub created_at: OffsetDateTime,
    /// The name cut for the file search (`search::tokens::name_terms`).
    pub name_terms: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The message that carries it (for the file search).
    #[sea_orm(
        belongs_to = "super::message::Entity",
        from = "Column::MessageId",
        to = "super::message::Column::Id"
    )]
    Message,
}

impl Related<super::message::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Message.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
