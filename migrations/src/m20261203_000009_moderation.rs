//! The sensitive-word filter and the audit log (issue 15).
//!
//! - `word_categories`: the word lists site staff manage; a list counts only while
//!   `enabled` (new lists start off); `allow` lists hold words that are never hits.
//! - `words`: one entry per word, with the form it is matched in (`normalised`), unique per
//!   list in that form, so importing a list twice adds nothing.
//! - `rooms.word_policy`: the owner's choice for the room (`off`, `warn`, `mask`, `block`);
//!   NULL follows the server's default.
//! - `server_settings`: settings staff change while the server runs, one JSON value per
//!   key (the filter's default and minimum policy first).
//! - `audit_log`: every staff action and every filter hit: who, what, where, and the
//!   details as JSON. No foreign keys: the log outlives what it is about.
//! - `users.deactivated_at`: site staff deactivated the account (it cannot log in).
//! - Room moderation: `room_members.silenced_until` (禁言: reads, cannot send until then),
//!   `rooms.slow_mode_secs` (members send at most one message per that many seconds),
//!   `room_bans` (removed and kept out until unbanned).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WordCategories::Table)
                    .col(
                        ColumnDef::new(WordCategories::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(WordCategories::Name)
                            .text()
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(WordCategories::Enabled)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(WordCategories::Allow)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(WordCategories::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Words::Table)
                    .col(
                        ColumnDef::new(Words::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Words::CategoryId).big_integer().not_null())
                    .col(ColumnDef::new(Words::Word).text().not_null())
                    .col(ColumnDef::new(Words::Normalised).text().not_null())
                    .foreign_key(&mut crate::fk(
                        Words::Table,
                        Words::CategoryId,
                        WordCategories::Table,
                        WordCategories::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("words_unique_per_list")
                    .table(Words::Table)
                    .col(Words::CategoryId)
                    .col(Words::Normalised)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Rooms::Table)
                    .add_column(ColumnDef::new(Rooms::WordPolicy).text().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Rooms::Table)
                    .add_column(
                        ColumnDef::new(Rooms::SlowModeSecs)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RoomMembers::Table)
                    .add_column(
                        ColumnDef::new(RoomMembers::SilencedUntil)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::DeactivatedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoomBans::Table)
                    .col(ColumnDef::new(RoomBans::RoomId).big_integer().not_null())
                    .col(ColumnDef::new(RoomBans::UserId).big_integer().not_null())
                    .col(ColumnDef::new(RoomBans::BannedBy).big_integer().not_null())
                    .col(
                        ColumnDef::new(RoomBans::BannedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(RoomBans::Reason).text().null())
                    .primary_key(Index::create().col(RoomBans::RoomId).col(RoomBans::UserId))
                    .foreign_key(&mut crate::fk(
                        RoomBans::Table,
                        RoomBans::RoomId,
                        Rooms::Table,
                        Rooms::Id,
                    ))
                    .foreign_key(&mut crate::fk(
                        RoomBans::Table,
                        RoomBans::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ServerSettings::Table)
                    .col(
                        ColumnDef::new(ServerSettings::Key)
                            .text()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ServerSettings::Value).text().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(
                        ColumnDef::new(AuditLog::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AuditLog::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditLog::ActorId).big_integer().null())
                    .col(ColumnDef::new(AuditLog::Action).text().not_null())
                    .col(ColumnDef::new(AuditLog::RoomId).big_integer().null())
                    .col(ColumnDef::new(AuditLog::TargetUserId).big_integer().null())
                    .col(ColumnDef::new(AuditLog::Details).text().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_log_by_action")
                    .table(AuditLog::Table)
                    .col(AuditLog::Action)
                    .col(AuditLog::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ServerSettings::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RoomBans::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::DeactivatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RoomMembers::Table)
                    .drop_column(RoomMembers::SilencedUntil)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Rooms::Table)
                    .drop_column(Rooms::SlowModeSecs)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Rooms::Table)
                    .drop_column(Rooms::WordPolicy)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Words::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(WordCategories::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum WordCategories {
    Table,
    Id,
    Name,
    Enabled,
    Allow,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Words {
    Table,
    Id,
    CategoryId,
    Word,
    Normalised,
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
    WordPolicy,
    SlowModeSecs,
}

#[derive(DeriveIden)]
enum RoomMembers {
    Table,
    SilencedUntil,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    DeactivatedAt,
}

#[derive(DeriveIden)]
enum RoomBans {
    Table,
    RoomId,
    UserId,
    BannedBy,
    BannedAt,
    Reason,
}

#[derive(DeriveIden)]
enum ServerSettings {
    Table,
    Key,
    Value,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    Action,
    RoomId,
    TargetUserId,
    Details,
}
