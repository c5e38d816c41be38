//! SQLite: `message_index_queue`, new messages' index rows waiting to go into the full-text
//! table. FTS5 writes a segment of its own for every transaction that adds to it, which
//! cost a message sent on its own as much as the rest of its storing (issue 18); the
//! message writer queues the rows in its transaction instead (a plain insert), and they
//! move into `message_index` many at a time (`search::index::drain`): shortly after, before
//! any search, and at start. A row goes with its message (foreign key), and a recall or an
//! edit takes it out (`search::index::remove`). PostgreSQL indexes in the writer's
//! transaction as before: it has no such table.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        manager
            .create_table(
                Table::create()
                    .table(Queue::Table)
                    .col(
                        // INTEGER PRIMARY KEY: the rowid itself, no second b-tree.
                        ColumnDef::new(Queue::MessageId)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Queue::RoomId).integer().not_null())
                    .col(ColumnDef::new(Queue::Grams).text().not_null())
                    .col(ColumnDef::new(Queue::Chars).text().not_null())
                    .foreign_key(&mut crate::fk(
                        Queue::Table,
                        Queue::MessageId,
                        Messages::Table,
                        Messages::Id,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        manager
            .drop_table(Table::drop().table(Queue::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Queue {
    #[sea_orm(iden = "message_index_queue")]
    Table,
    MessageId,
    RoomId,
    Grams,
    Chars,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
}
