use crate::fk;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Rooms::Table)
                    .col(big_pk(Rooms::Id))
                    // The number people join by: random, unique, not guessable in sequence.
                    .col(
                        ColumnDef::new(Rooms::Number)
                            .big_integer()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Rooms::Name).string_len(255).not_null())
                    .col(ColumnDef::new(Rooms::Description).text().null())
                    .col(ColumnDef::new(Rooms::Visibility).string_len(16).not_null())
                    .col(ColumnDef::new(Rooms::OwnerId).big_integer().not_null())
                    // The room's event counter: the seq of its newest event.
                    .col(
                        ColumnDef::new(Rooms::LastSeq)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(Rooms::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Rooms::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        Rooms::Table,
                        Rooms::OwnerId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RoomMembers::Table)
                    .col(ColumnDef::new(RoomMembers::RoomId).big_integer().not_null())
                    .col(ColumnDef::new(RoomMembers::UserId).big_integer().not_null())
                    .col(ColumnDef::new(RoomMembers::Role).string_len(16).not_null())
                    .col(
                        ColumnDef::new(RoomMembers::JoinedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    // Messages up to this id count as read for posts never opened.
                    .col(
                        ColumnDef::new(RoomMembers::ReadFloor)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .primary_key(
                        Index::create()
                            .col(RoomMembers::RoomId)
                            .col(RoomMembers::UserId),
                    )
                    .foreign_key(&mut fk(
                        RoomMembers::Table,
                        RoomMembers::RoomId,
                        Rooms::Table,
                        Rooms::Id,
                    ))
                    .foreign_key(&mut fk(
                        RoomMembers::Table,
                        RoomMembers::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_room_members_user",
            RoomMembers::Table,
            &[RoomMembers::UserId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(JoinRequests::Table)
                    .col(
                        ColumnDef::new(JoinRequests::RoomId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(JoinRequests::UserId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(JoinRequests::Message).string_len(500).null())
                    .col(
                        ColumnDef::new(JoinRequests::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(JoinRequests::RoomId)
                            .col(JoinRequests::UserId),
                    )
                    .foreign_key(&mut fk(
                        JoinRequests::Table,
                        JoinRequests::RoomId,
                        Rooms::Table,
                        Rooms::Id,
                    ))
                    .foreign_key(&mut fk(
                        JoinRequests::Table,
                        JoinRequests::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Posts::Table)
                    .col(big_pk(Posts::Id))
                    .col(ColumnDef::new(Posts::RoomId).big_integer().not_null())
                    .col(ColumnDef::new(Posts::Title).string_len(255).not_null())
                    // Case-folded title: unique within the room.
                    .col(ColumnDef::new(Posts::TitleKey).string_len(255).not_null())
                    .col(ColumnDef::new(Posts::Description).text().null())
                    .col(
                        ColumnDef::new(Posts::IsDefault)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(ColumnDef::new(Posts::AuthorId).big_integer().null())
                    .col(
                        ColumnDef::new(Posts::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Posts::LastActivityAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        Posts::Table,
                        Posts::RoomId,
                        Rooms::Table,
                        Rooms::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_posts_room_title")
                    .table(Posts::Table)
                    .col(Posts::RoomId)
                    .col(Posts::TitleKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PostTags::Table)
                    .col(ColumnDef::new(PostTags::PostId).big_integer().not_null())
                    .col(ColumnDef::new(PostTags::Tag).string_len(32).not_null())
                    .primary_key(Index::create().col(PostTags::PostId).col(PostTags::Tag))
                    .foreign_key(&mut fk(
                        PostTags::Table,
                        PostTags::PostId,
                        Posts::Table,
                        Posts::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_post_tags_tag",
            PostTags::Table,
            &[PostTags::Tag],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Messages::Table)
                    .col(big_pk(Messages::Id))
                    .col(ColumnDef::new(Messages::RoomId).big_integer().not_null())
                    .col(ColumnDef::new(Messages::PostId).big_integer().not_null())
                    .col(ColumnDef::new(Messages::AuthorId).big_integer().not_null())
                    // The sender's idempotency key; unique per author.
                    .col(ColumnDef::new(Messages::ClientId).uuid().null())
                    .col(ColumnDef::new(Messages::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(Messages::Body).text().null())
                    .col(
                        ColumnDef::new(Messages::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Messages::RecalledAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(Messages::RecalledBy).big_integer().null())
                    .foreign_key(&mut fk(
                        Messages::Table,
                        Messages::PostId,
                        Posts::Table,
                        Posts::Id,
                    ))
                    .foreign_key(&mut fk(
                        Messages::Table,
                        Messages::RoomId,
                        Rooms::Table,
                        Rooms::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // History pages walk a post's messages by id.
        index(
            manager,
            "idx_messages_post_id",
            Messages::Table,
            &[Messages::PostId, Messages::Id],
        )
        .await?;
        // Unread counts over a whole room.
        index(
            manager,
            "idx_messages_room_id",
            Messages::Table,
            &[Messages::RoomId, Messages::Id],
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_messages_client_id")
                    .table(Messages::Table)
                    .col(Messages::AuthorId)
                    .col(Messages::ClientId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RoomEvents::Table)
                    .col(ColumnDef::new(RoomEvents::RoomId).big_integer().not_null())
                    .col(ColumnDef::new(RoomEvents::Seq).big_integer().not_null())
                    .col(ColumnDef::new(RoomEvents::Payload).text().not_null())
                    .col(
                        ColumnDef::new(RoomEvents::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(Index::create().col(RoomEvents::RoomId).col(RoomEvents::Seq))
                    .foreign_key(&mut fk(
                        RoomEvents::Table,
                        RoomEvents::RoomId,
                        Rooms::Table,
                        Rooms::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReadMarkers::Table)
                    .col(ColumnDef::new(ReadMarkers::UserId).big_integer().not_null())
                    .col(ColumnDef::new(ReadMarkers::PostId).big_integer().not_null())
                    .col(
                        ColumnDef::new(ReadMarkers::LastReadId)
                            .big_integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(ReadMarkers::UserId)
                            .col(ReadMarkers::PostId),
                    )
                    .foreign_key(&mut fk(
                        ReadMarkers::Table,
                        ReadMarkers::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut fk(
                        ReadMarkers::Table,
                        ReadMarkers::PostId,
                        Posts::Table,
                        Posts::Id,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ReadMarkers::Table.into_iden(),
            RoomEvents::Table.into_iden(),
            Messages::Table.into_iden(),
            PostTags::Table.into_iden(),
            Posts::Table.into_iden(),
            JoinRequests::Table.into_iden(),
            RoomMembers::Table.into_iden(),
            Rooms::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn big_pk(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

async fn index<T: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: &[T],
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(*col);
    }
    manager.create_index(index.to_owned()).await
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Rooms {
    Table,
    Id,
    Number,
    Name,
    Description,
    Visibility,
    OwnerId,
    LastSeq,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RoomMembers {
    Table,
    RoomId,
    UserId,
    Role,
    JoinedAt,
    ReadFloor,
}

#[derive(DeriveIden, Clone, Copy)]
enum JoinRequests {
    Table,
    RoomId,
    UserId,
    Message,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Posts {
    Table,
    Id,
    RoomId,
    Title,
    TitleKey,
    Description,
    IsDefault,
    AuthorId,
    CreatedAt,
    LastActivityAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PostTags {
    Table,
    PostId,
    Tag,
}

#[derive(DeriveIden, Clone, Copy)]
enum Messages {
    Table,
    Id,
    RoomId,
    PostId,
    AuthorId,
    ClientId,
    Kind,
    Body,
    CreatedAt,
    RecalledAt,
    RecalledBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum RoomEvents {
    Table,
    RoomId,
    Seq,
    Payload,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ReadMarkers {
    Table,
    UserId,
    PostId,
    LastReadId,
}
