//! The schema, one migration per step. Migrations describe tables with sea-query only and
//! never import the server's entity types, so an old migration keeps meaning what it meant.
//! Every statement must be accepted by both SQLite and PostgreSQL: foreign keys are declared
//! inside CREATE TABLE (SQLite cannot add them later).

pub use sea_orm_migration::prelude::*;

mod m20261121_000001_accounts;
mod m20261121_000002_rooms;
mod m20261122_000003_friends;
mod m20261123_000004_files;
mod m20261201_000005_audit;
mod m20261201_000006_attention;
mod m20261202_000007_rich_messages;
mod m20261202_000008_mentions_pins;
mod m20261203_000009_moderation;
mod m20261205_000010_reports;
mod m20261205_000011_email;
mod m20261206_000012_search;
mod m20261207_000013_message_files;
mod m20261208_000014_index_queue;

pub use m20261201_000005_audit::erased_payload_sql;

/// A foreign key that goes away with what it points at. Shared by the migrations, so what
/// it produces must never change (old migrations keep meaning what they meant).
pub(crate) fn fk(
    from: impl IntoIden,
    from_col: impl IntoIden,
    to: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from, from_col)
        .to(to, to_col)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_accounts::Migration),
            Box::new(m20261121_000002_rooms::Migration),
            Box::new(m20261122_000003_friends::Migration),
            Box::new(m20261123_000004_files::Migration),
            Box::new(m20261201_000005_audit::Migration),
            Box::new(m20261201_000006_attention::Migration),
            Box::new(m20261202_000007_rich_messages::Migration),
            Box::new(m20261202_000008_mentions_pins::Migration),
            Box::new(m20261203_000009_moderation::Migration),
            Box::new(m20261205_000010_reports::Migration),
            Box::new(m20261205_000011_email::Migration),
            Box::new(m20261206_000012_search::Migration),
            Box::new(m20261207_000013_message_files::Migration),
            Box::new(m20261208_000014_index_queue::Migration),
        ]
    }
}
