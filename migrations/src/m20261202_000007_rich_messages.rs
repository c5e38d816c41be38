//! Rich messages (issue 14).
//!
//! - `messages.body_html`: the message's Markdown rendered once, when it is sent (or
//!   edited), and sanitised (an allow-list of tags and link schemes). `body` stays the
//!   source. Messages written before formatting existed have none: they were plain text,
//!   and clients show them as such.
//! - `messages.edited_at`: when the author last changed the text.
//! - `message_edits`: the versions an edit replaced, for room members to see; a recall
//!   deletes them with the text, and they go with their message.
//! - `messages.reply_to_id`: the message a reply answers (same post), indexed so a recall
//!   or edit of the original finds the replies whose quote it changes.
//! - `message_reactions`: one row per person and emoji on a message (the key makes adding
//!   twice a no-op); they go with their message, and a recall deletes them.
//!   `messages.reactions` counts them, so a history page asks for reactions only when one
//!   of its messages has some.
//! - `users.read_receipts`: the person sends read receipts in private chats, and so sees
//!   them (on by default).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            ColumnDef::new(Messages::BodyHtml).text().null().to_owned(),
            ColumnDef::new(Messages::EditedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Messages::ReplyToId)
                .big_integer()
                .null()
                .to_owned(),
            ColumnDef::new(Messages::Reactions)
                .integer()
                .not_null()
                .default(0)
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
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::ReadReceipts)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("messages_by_reply_to")
                    .table(Messages::Table)
                    .col(Messages::ReplyToId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MessageEdits::Table)
                    .col(
                        ColumnDef::new(MessageEdits::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(MessageEdits::MessageId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(MessageEdits::Body).text().not_null())
                    .col(ColumnDef::new(MessageEdits::BodyHtml).text().null())
                    .col(
                        ColumnDef::new(MessageEdits::WrittenAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MessageEdits::Table, MessageEdits::MessageId)
                            .to(Messages::Table, Messages::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("message_edits_by_message")
                    .table(MessageEdits::Table)
                    .col(MessageEdits::MessageId)
                    .col(MessageEdits::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MessageReactions::Table)
                    .col(
                        ColumnDef::new(MessageReactions::MessageId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MessageReactions::UserId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(MessageReactions::Emoji).string().not_null())
                    .col(
                        ColumnDef::new(MessageReactions::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(MessageReactions::MessageId)
                            .col(MessageReactions::Emoji)
                            .col(MessageReactions::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MessageReactions::Table, MessageReactions::MessageId)
                            .to(Messages::Table, Messages::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MessageReactions::Table, MessageReactions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MessageReactions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(MessageEdits::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::ReadReceipts)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("messages_by_reply_to")
                    .table(Messages::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Messages::Reactions,
            Messages::ReplyToId,
            Messages::EditedAt,
            Messages::BodyHtml,
        ] {
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
    BodyHtml,
    EditedAt,
    ReplyToId,
    Reactions,
}

#[derive(DeriveIden)]
enum MessageEdits {
    Table,
    Id,
    MessageId,
    Body,
    BodyHtml,
    WrittenAt,
}

#[derive(DeriveIden)]
enum MessageReactions {
    Table,
    MessageId,
    UserId,
    Emoji,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    ReadReceipts,
}
