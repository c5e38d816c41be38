//! Uploaded files, message attachments, avatars and storage quotas.
//!
//! A file belongs to its uploader until a message references it (`message_id`); from then
//! on whoever may see the message may download it. Deleting the message (with its post or
//! room) detaches the file, and the server's sweep removes detached files.

use crate::fk;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        for column in [
            // The avatar's key; its variants live under `<data dir>/avatars/`.
            ColumnDef::new(Users::Avatar)
                .string_len(64)
                .null()
                .to_owned(),
            // Bytes of files this person uploaded and the server still keeps.
            ColumnDef::new(Users::StorageUsed)
                .big_integer()
                .not_null()
                .default(0)
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Rooms::Table)
                    .add_column(ColumnDef::new(Rooms::Avatar).string_len(64).null())
                    .to_owned(),
            )
            .await?;

        // The event that created a message, so a recall can erase it there too (a client
        // resuming from an older cursor must not get the recalled text back).
        manager
            .alter_table(
                Table::alter()
                    .table(RoomEvents::Table)
                    .add_column(ColumnDef::new(RoomEvents::MessageId).big_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_room_events_message")
                    .table(RoomEvents::Table)
                    .col(RoomEvents::MessageId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Files::Table)
                    .col(ColumnDef::new(Files::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Files::OwnerId).big_integer().not_null())
                    .col(ColumnDef::new(Files::MessageId).big_integer().null())
                    // Its place among the message's attachments.
                    .col(
                        ColumnDef::new(Files::Position)
                            .small_integer()
                            .not_null()
                            .default(0),
                    )
                    .col(ColumnDef::new(Files::Name).text().not_null())
                    .col(ColumnDef::new(Files::Mime).string_len(128).not_null())
                    .col(ColumnDef::new(Files::Size).big_integer().not_null())
                    .col(ColumnDef::new(Files::Sha256).string_len(64).not_null())
                    .col(ColumnDef::new(Files::Width).integer().null())
                    .col(ColumnDef::new(Files::Height).integer().null())
                    // Set when a separate thumbnail was made (the image is larger than
                    // one); an image small enough is its own thumbnail.
                    .col(ColumnDef::new(Files::ThumbMime).string_len(32).null())
                    .col(ColumnDef::new(Files::ThumbWidth).integer().null())
                    .col(ColumnDef::new(Files::ThumbHeight).integer().null())
                    .col(
                        ColumnDef::new(Files::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        Files::Table,
                        Files::OwnerId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Files::Table, Files::MessageId)
                            .to(Messages::Table, Messages::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // A message's attachments; and detached files by age, for the sweep.
        manager
            .create_index(
                Index::create()
                    .name("idx_files_message")
                    .table(Files::Table)
                    .col(Files::MessageId)
                    .col(Files::CreatedAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Files::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_room_events_message")
                    .table(RoomEvents::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RoomEvents::Table)
                    .drop_column(RoomEvents::MessageId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Rooms::Table)
                    .drop_column(Rooms::Avatar)
                    .to_owned(),
            )
            .await?;
        for column in [Users::Avatar, Users::StorageUsed] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
    Avatar,
    StorageUsed,
}

#[derive(DeriveIden, Clone, Copy)]
enum Rooms {
    Table,
    Avatar,
}

#[derive(DeriveIden, Clone, Copy)]
enum RoomEvents {
    Table,
    MessageId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Messages {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Files {
    Table,
    Id,
    OwnerId,
    MessageId,
    Position,
    Name,
    Mime,
    Size,
    Sha256,
    Width,
    Height,
    ThumbMime,
    ThumbWidth,
    ThumbHeight,
    CreatedAt,
}
