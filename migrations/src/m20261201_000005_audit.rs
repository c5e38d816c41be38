//! What the outside audit asked of the schema.
//!
//! - `room_events.post_id`: the post an event is about, so deleting a post can erase its
//!   stored events (a replay must not bring back a deleted topic's messages or files).
//!   Events stored before this migration are given their post where it still exists, and
//!   events about posts or messages that are already gone are erased here.
//! - `users.username_skeleton`: the Unicode confusable skeleton of the username (UTS #39),
//!   unique, so `pаypal` (Cyrillic а) cannot register beside `paypal`. The server fills it
//!   in for existing accounts at start (the skeleton needs Unicode data the migrations do
//!   not carry).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The stored frame of an erased event: `post_deleted` for its post, with the event's own
/// room and `seq`. Must equal what `serde_json` writes for
/// `ServerFrame::Event { room_id, seq, event: RoomEvent::PostDeleted { post_id } }`
/// (the server's unit tests check that it does).
pub fn erased_payload_sql() -> &'static str {
    "'{\"type\":\"event\",\"room_id\":' || CAST(room_id AS TEXT) || ',\"seq\":' || CAST(seq AS TEXT) \
     || ',\"event\":{\"kind\":\"post_deleted\",\"post_id\":' || CAST(post_id AS TEXT) || '}}'"
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RoomEvents::Table)
                    .add_column(ColumnDef::new(RoomEvents::PostId).big_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("room_events_post")
                    .table(RoomEvents::Table)
                    .col(RoomEvents::PostId)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // Events about messages: their message's post.
        db.execute_unprepared(
            "UPDATE room_events SET post_id = \
             (SELECT m.post_id FROM messages m WHERE m.id = room_events.message_id) \
             WHERE message_id IS NOT NULL",
        )
        .await?;
        // Events about posts (created, edited, deleted) and recalls: the id in the payload.
        let (post_path, message_path) = match manager.get_database_backend() {
            DbBackend::Postgres => (
                "CAST(CAST(payload AS json) #>> '{event,post,id}' AS BIGINT)",
                "CAST(CAST(payload AS json) #>> '{event,message,post_id}' AS BIGINT)",
            ),
            _ => (
                "json_extract(payload, '$.event.post.id')",
                "json_extract(payload, '$.event.message.post_id')",
            ),
        };
        let deleted_path = match manager.get_database_backend() {
            DbBackend::Postgres => "CAST(CAST(payload AS json) #>> '{event,post_id}' AS BIGINT)",
            _ => "json_extract(payload, '$.event.post_id')",
        };
        for (kind, path) in [
            ("post_created", post_path),
            ("post_edited", post_path),
            ("post_deleted", deleted_path),
            ("message_recalled", message_path),
            ("message_created", message_path),
        ] {
            db.execute_unprepared(&format!(
                "UPDATE room_events SET post_id = {path} \
                 WHERE post_id IS NULL AND payload LIKE '%\"kind\":\"{kind}\"%'"
            ))
            .await?;
        }
        // Whatever belongs to a post that no longer exists is erased.
        db.execute_unprepared(&format!(
            "UPDATE room_events SET payload = {}, message_id = NULL \
             WHERE post_id IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = room_events.post_id)",
            erased_payload_sql()
        ))
        .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::UsernameSkeleton)
                            .string_len(256)
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("users_username_skeleton")
                    .table(Users::Table)
                    .col(Users::UsernameSkeleton)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("users_username_skeleton")
                    .table(Users::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::UsernameSkeleton)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("room_events_post")
                    .table(RoomEvents::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RoomEvents::Table)
                    .drop_column(RoomEvents::PostId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    UsernameSkeleton,
}

#[derive(DeriveIden, Clone, Copy)]
enum RoomEvents {
    Table,
    PostId,
}
