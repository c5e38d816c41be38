use sea_orm::entity::prelude::*;
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub username: String,
    #[sea_orm(unique)]
    pub username_key: String,
    /// The confusable skeleton of `username_key` (UTS #39): two names that look alike
    /// have the same one, so only the first can register.
    #[sea_orm(unique)]
    pub username_skeleton: Option<String>,
    pub email: String,
    #[sea_orm(unique)]
    pub email_key: String,
    #[sea_orm(unique)]
    pub phone: Option<String>,
    pub password_hash: String,
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub location: Option<String>,
    pub gender: String,
    pub zodiac: String,
    pub role: String,
    pub last_seen_at: Option<OffsetDateTime>,
    pub invisible: bool,
    pub direct_messages: String,
    /// Sends (and so sees) read receipts in private chats.
    pub read_receipts: bool,
    pub avatar: Option<String>,
    pub storage_used: i64,
    /// Deactivated by site staff: cannot log in; every session was ended.
    pub deactivated_at: Option<OffsetDateTime>,
    /// When the address was last proven to reach its owner (a code or a reset link).
    pub email_verified_at: Option<OffsetDateTime>,
    /// Registered while the server required a confirmed address, and not confirmed yet.
    pub email_pending: bool,
    /// The password was made by staff and handed over: the app asks for a new one.
    pub password_temporary: bool,
    /// The pinyin of the display name and username, for people search (`rooms::pinyin`).
    pub name_sound: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::session::Entity")]
    Session,
}

impl Related<super::session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Session.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
