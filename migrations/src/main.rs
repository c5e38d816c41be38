//! `teahouse-migrate up|down|fresh|status` against `DATABASE_URL`.
use sea_orm_migration::prelude::*;

#[tokio::main]
async fn main() {
    cli::run_cli(teahouse_migrations::Migrator).await;
}
