//! `messages.files`: how many files the message took when it was sent (files are given to
//! a message only then), so a history page asks for attachments only when one of its
//! messages has some. Messages written before the column existed are counted here.

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
                    .add_column(
                        ColumnDef::new(Messages::Files)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        // Same SQL on SQLite and PostgreSQL; touches only messages that have files.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE messages SET files = \
                 (SELECT COUNT(*) FROM files WHERE files.message_id = messages.id) \
                 WHERE id IN (SELECT message_id FROM files WHERE message_id IS NOT NULL)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Messages::Table)
                    .drop_column(Messages::Files)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Files,
}
