//! What the chat screen needs to get a person's attention only when it should.
//!
//! - `room_members.muted`: the person silenced this room or private chat. Its unread count
//!   stays, but it raises no notification or sound on any of their devices.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RoomMembers::Table)
                    .add_column(
                        ColumnDef::new(RoomMembers::Muted)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RoomMembers::Table)
                    .drop_column(RoomMembers::Muted)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum RoomMembers {
    Table,
    Muted,
}
