use sea_orm::entity::prelude::*;
#[allow(unused_imports)]
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub room_id: i64,
    pub post_id: i64,
    pub author_id: i64,
    pub client_id: Option<Uuid>,
    pub kind: String,
    pub body: Option<String>,
    /// `body` rendered (Markdown, sanitised); `None` for notices, recalled messages and
    /// messages sent before formatting existed.
    pub body_html: Option<String>,
    pub created_at: OffsetDateTime,
    /// When the author last changed the text.
    pub edited_at: Option<OffsetDateTime>,
    /// The message this one answers (in the same post).
    pub reply_to_id: Option<i64>,
    /// How many reactions it has (`message_reactions` rows).
    pub reactions: i32,
    /// How many files it took when it was sent (`files` rows with its id; recalled or
    /// removed files are not subtracted: 0 means there are none).
    pub files: i32,
    /// The members it calls with `@`, as `,<id>,<id>,` (`None`: nobody).
    pub mentions: Option<String>,
    /// It calls everyone in the room (`@all`).
    pub mention_all: bool,
    pub recalled_at: Option<OffsetDateTime>,
    pub recalled_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::AuthorId",
        to = "super::user::Column::Id"
    )]
    Author,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Author.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// It shows attachments: it took some when it was sent and is not recalled. Only such
    /// messages are worth a query for their files.
    pub fn shows_files(&self) -> bool {
        self.recalled_at.is_none() && self.files > 0
    }
}
