//! Formatted messages (issue 14).
//!
//! - `messages.body_html`: the message's Markdown rendered once, when it is sent, and
//!   sanitised (an allow-list of tags and link schemes). `body` stays the source. Messages
//!   written before formatting existed have none: they were plain text, and clients show
//!   them as such.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Messages::Table)
                    .add_column(ColumnDef::new(Messages::BodyHtml).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Messages::Table)
                    .drop_column(Messages::BodyHtml)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    BodyHtml,
}
