use sea_orm::entity::prelude::*;
#[allow(unused_imports)]
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rooms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub number: i64,
    pub name: String,
    pub description: Option<String>,
    pub visibility: String,
    pub owner_id: i64,
    pub last_seq: i64,
    /// `group`, or `direct` for a private chat between two people.
    pub kind: String,
    /// `"<smaller user id>:<larger user id>"` for a private chat: one per pair.
    #[sea_orm(unique)]
    pub direct_key: Option<String>,
    pub avatar: Option<String>,
    /// Members (not only owners and admins) may mention everyone (`@all`).
    pub members_mention_all: bool,
    /// The announcement (群公告): Markdown source and its rendering, author and time.
    pub announcement: Option<String>,
    pub announcement_html: Option<String>,
    pub announcement_by: Option<i64>,
    pub announcement_at: Option<OffsetDateTime>,
    /// The owner's word-filter policy (`api::moderation::WordPolicy`); `None`: the server's default.
    pub word_policy: Option<String>,
    /// Members send at most one message per this many seconds (0: no slow mode).
    pub slow_mode_secs: i32,
    /// The pinyin of the name, for room search (`rooms::pinyin`).
    pub name_sound: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
