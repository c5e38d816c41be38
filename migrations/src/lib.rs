//! The schema, one migration per step. Migrations describe tables with sea-query only and
//! never import the server's entity types, so an old migration keeps meaning what it meant.
//! Every statement must be accepted by both SQLite and PostgreSQL: foreign keys are declared
//! inside CREATE TABLE (SQLite cannot add them later).

pub use sea_orm_migration::prelude::*;

mod m20261121_000001_accounts;
mod m20261121_000002_rooms;
mod m20261122_000003_friends;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_accounts::Migration),
            Box::new(m20261121_000002_rooms::Migration),
            Box::new(m20261122_000003_friends::Migration),
        ]
    }
}
