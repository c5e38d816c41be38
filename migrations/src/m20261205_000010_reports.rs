//! Reports (issue 15): a member reports a message they can see, with a reason; site staff
//! work through the open ones and each reporter learns the outcome.
//!
//! - `reports`: one per reporter and message (reporting again changes nothing); removed
//!   with the message (a deleted room takes its reports along). `status` is `open` until
//!   a moderator resolves it (`dismissed`, `removed`, `silenced`, `deactivated`).
//!   Indexed for the queue (status, newest first) and per message (every open report on
//!   a message is resolved together).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(
                        ColumnDef::new(Reports::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Reports::MessageId).big_integer().not_null())
                    .col(ColumnDef::new(Reports::RoomId).big_integer().not_null())
                    .col(ColumnDef::new(Reports::ReporterId).big_integer().not_null())
                    .col(ColumnDef::new(Reports::AuthorId).big_integer().not_null())
                    .col(ColumnDef::new(Reports::Reason).text().not_null())
                    .col(ColumnDef::new(Reports::Note).text().null())
                    .col(
                        ColumnDef::new(Reports::Status)
                            .text()
                            .not_null()
                            .default("open"),
                    )
                    .col(
                        ColumnDef::new(Reports::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Reports::ResolvedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(Reports::ResolvedBy).big_integer().null())
                    .foreign_key(&mut crate::fk(
                        Reports::Table,
                        Reports::MessageId,
                        Messages::Table,
                        Messages::Id,
                    ))
                    .foreign_key(&mut crate::fk(
                        Reports::Table,
                        Reports::ReporterId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("reports_one_per_reporter")
                    .table(Reports::Table)
                    .col(Reports::MessageId)
                    .col(Reports::ReporterId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("reports_queue")
                    .table(Reports::Table)
                    .col(Reports::Status)
                    .col(Reports::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("reports_by_reporter")
                    .table(Reports::Table)
                    .col(Reports::ReporterId)
                    .col(Reports::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Reports::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    MessageId,
    RoomId,
    ReporterId,
    AuthorId,
    Reason,
    Note,
    Status,
    CreatedAt,
    ResolvedAt,
    ResolvedBy,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
