//! Mentions, pins and the room announcement (issue 14, items 5 and 6).
//!
//! - `messages.mentions`: the members a message calls with `@`, as their ids between commas
//!   (`,12,45,`), so a history page has them without a join and the unread count finds
//!   "mentions me" with one `LIKE '%,<id>,%'` over the unread rows it reads anyway; no
//!   table to insert into on the send path. `messages.mention_all`: it calls everyone.
//! - `rooms.members_mention_all`: members (not only owners and admins) may use `@all`.
//! - `message_pins`: the messages a room's owners and admins pinned; they go with their
//!   message (and a recall unpins).
//! - `rooms.announcement*`: the room's announcement (群公告): Markdown source, rendered
//!   HTML, who wrote it and when. `room_members.announcement_seen_at`: when the member
//!   acknowledged it; older than `announcement_at` means not seen since the last change.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            ColumnDef::new(Messages::Mentions).text().null().to_owned(),
            ColumnDef::new(Messages::MentionAll)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Messages::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            ColumnDef::new(Rooms::MembersMentionAll)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
            ColumnDef::new(Rooms::Announcement).text().null().to_owned(),
            ColumnDef::new(Rooms::AnnouncementHtml)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(Rooms::AnnouncementBy)
                .big_integer()
                .null()
                .to_owned(),
            ColumnDef::new(Rooms::AnnouncementAt)
                .timestamp_with_time_zone()
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
            .alter_table(
                Table::alter()
                    .table(RoomMembers::Table)
                    .add_column(
                        ColumnDef::new(RoomMembers::AnnouncementSeenAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MessagePins::Table)
                    .col(
                        ColumnDef::new(MessagePins::MessageId)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(MessagePins::RoomId).big_integer().not_null())
                    .col(
                        ColumnDef::new(MessagePins::PinnedBy)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MessagePins::PinnedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut crate::fk(
                        MessagePins::Table,
                        MessagePins::MessageId,
                        Messages::Table,
                        Messages::Id,
                    ))
                    .foreign_key(&mut crate::fk(
                        MessagePins::Table,
                        MessagePins::RoomId,
                        Rooms::Table,
                        Rooms::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("message_pins_by_room")
                    .table(MessagePins::Table)
                    .col(MessagePins::RoomId)
                    .col(MessagePins::PinnedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MessagePins::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RoomMembers::Table)
                    .drop_column(RoomMembers::AnnouncementSeenAt)
                    .to_owned(),
            )
            .await?;
        for column in [
            Rooms::AnnouncementAt,
            Rooms::AnnouncementBy,
            Rooms::AnnouncementHtml,
            Rooms::Announcement,
            Rooms::MembersMentionAll,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Rooms::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [Messages::MentionAll, Messages::Mentions] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Messages::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
    Mentions,
    MentionAll,
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
    MembersMentionAll,
    Announcement,
    AnnouncementHtml,
    AnnouncementBy,
    AnnouncementAt,
}

#[derive(DeriveIden)]
enum RoomMembers {
    Table,
    AnnouncementSeenAt,
}

#[derive(DeriveIden)]
enum MessagePins {
    Table,
    MessageId,
    RoomId,
    PinnedBy,
    PinnedAt,
}
