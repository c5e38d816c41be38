use sea_orm::entity::prelude::*;
#[allow(unused_imports)]
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub room_id: i64,
    pub title: String,
    pub title_key: String,
    pub description: Option<String>,
    pub is_default: bool,
    pub author_id: Option<i64>,
    pub created_at: OffsetDateTime,
    pub last_activity_at: OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
