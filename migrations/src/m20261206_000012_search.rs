//! The message search index (issue 16). The server fills it with text its own tokeniser
//! cut (`backend/src/search/tokens.rs`), so both databases find the same:
//!
//! - SQLite: `message_index`, an FTS5 table without content of its own (`content=''`,
//!   rows deletable), rowid = the message's id; column `room` holds `r<room id>` (rooms
//!   are filtered inside the full-text match), `grams` the pairs and words in order
//!   (phrases), `chars` the single CJK characters. FTS5's `unicode61` only splits at the
//!   spaces the server put there.
//! - PostgreSQL: `message_index` with two `tsvector` columns built from lexemes the server
//!   gives (`'上海':4 …`, never through PostgreSQL's parser, which keeps a whole run of
//!   Chinese as one word), GIN-indexed; goes with its message.
//!
//! - `users.name_sound`, `rooms.name_sound`: the pinyin of Chinese names, initials and
//!   full (`ll lilei`), for the people and room searches; written by the server with the
//!   name, filled for older rows at start.
//!
//! - `files.name_terms`: a file's name cut by the same tokeniser (` 上海 海东 report | 上 海 `),
//!   matched with `LIKE` for the file search; filled at start for older rows.
//!
//! Existing messages are indexed by the server at start (`search::backfill`), in batches
//! with progress in the log: the tokeniser is the server's, not this crate's.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [Alias::new("users"), Alias::new("rooms")] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(ColumnDef::new(Alias::new("name_sound")).text().null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("files"))
                    .add_column(ColumnDef::new(Alias::new("name_terms")).text().null())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE TABLE message_index (\
                       message_id BIGINT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE, \
                       room_id BIGINT NOT NULL, \
                       grams TSVECTOR NOT NULL, \
                       chars TSVECTOR NOT NULL)",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE INDEX message_index_grams ON message_index USING GIN (grams)",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE INDEX message_index_chars ON message_index USING GIN (chars)",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE INDEX message_index_room ON message_index (room_id, message_id)",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE VIRTUAL TABLE message_index USING fts5(\
                       room, grams, chars, \
                       tokenize = 'unicode61 remove_diacritics 0', \
                       content = '', contentless_delete = 1)",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP TABLE IF EXISTS message_index")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("files"))
                    .drop_column(Alias::new("name_terms"))
                    .to_owned(),
            )
            .await?;
        for table in [Alias::new("users"), Alias::new("rooms")] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column(Alias::new("name_sound"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
