//! Friends, blocks, private chats and presence.
//!
//! A private chat is a room of kind `direct` with its two people as members and one default
//! post, so messages, recall, history, resume and unread work exactly as in group rooms.
//! `direct_key` ("<smaller id>:<larger id>") makes it one room per pair.

use crate::fk;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        for column in [
            ColumnDef::new(Rooms::Kind)
                .string_len(16)
                .not_null()
                .default("group")
                .to_owned(),
            ColumnDef::new(Rooms::DirectKey)
                .string_len(64)
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Rooms::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_rooms_direct_key")
                    .table(Rooms::Table)
                    .col(Rooms::DirectKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        for column in [
            // When the last socket closed (not kept while invisible).
            ColumnDef::new(Users::LastSeenAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            // Appear offline to everyone.
            ColumnDef::new(Users::Invisible)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
            // Who may open a private chat: `friends`, or also `room_members` (people who
            // share a room with me).
            ColumnDef::new(Users::DirectMessages)
                .string_len(16)
                .not_null()
                .default("friends")
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

        // The newest request from one person to another; its state moves
        // pending → accepted | rejected | cancelled, and a new request reopens it.
        manager
            .create_table(
                Table::create()
                    .table(FriendRequests::Table)
                    .col(
                        ColumnDef::new(FriendRequests::FromId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(FriendRequests::ToId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(FriendRequests::State)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(FriendRequests::Greeting)
                            .string_len(500)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(FriendRequests::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(FriendRequests::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(FriendRequests::FromId)
                            .col(FriendRequests::ToId),
                    )
                    .foreign_key(&mut fk(
                        FriendRequests::Table,
                        FriendRequests::FromId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut fk(
                        FriendRequests::Table,
                        FriendRequests::ToId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_friend_requests_to")
                    .table(FriendRequests::Table)
                    .col(FriendRequests::ToId)
                    .col(FriendRequests::State)
                    .to_owned(),
            )
            .await?;

        // Two rows per friendship, one from each side, so "my friends" is one range scan.
        manager
            .create_table(
                Table::create()
                    .table(Friendships::Table)
                    .col(ColumnDef::new(Friendships::UserId).big_integer().not_null())
                    .col(
                        ColumnDef::new(Friendships::FriendId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Friendships::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(Friendships::UserId)
                            .col(Friendships::FriendId),
                    )
                    .foreign_key(&mut fk(
                        Friendships::Table,
                        Friendships::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut fk(
                        Friendships::Table,
                        Friendships::FriendId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Blocks::Table)
                    .col(ColumnDef::new(Blocks::UserId).big_integer().not_null())
                    .col(ColumnDef::new(Blocks::BlockedId).big_integer().not_null())
                    .col(
                        ColumnDef::new(Blocks::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(Index::create().col(Blocks::UserId).col(Blocks::BlockedId))
                    .foreign_key(&mut fk(
                        Blocks::Table,
                        Blocks::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut fk(
                        Blocks::Table,
                        Blocks::BlockedId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Blocks::Table.into_iden(),
            Friendships::Table.into_iden(),
            FriendRequests::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_rooms_direct_key")
                    .table(Rooms::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Rooms::Kind, Rooms::DirectKey] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Rooms::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [Users::LastSeenAt, Users::Invisible, Users::DirectMessages] {
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
    LastSeenAt,
    Invisible,
    DirectMessages,
}

#[derive(DeriveIden, Clone, Copy)]
enum Rooms {
    Table,
    Kind,
    DirectKey,
}

#[derive(DeriveIden, Clone, Copy)]
enum FriendRequests {
    Table,
    FromId,
    ToId,
    State,
    Greeting,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Friendships {
    Table,
    UserId,
    FriendId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Blocks {
    Table,
    UserId,
    BlockedId,
    CreatedAt,
}
