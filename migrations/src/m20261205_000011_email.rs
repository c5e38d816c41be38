//! E-mail (issue 15): confirmed addresses, codes and password-reset links; and passwords
//! staff handed over.
//!
//! - `users.password_temporary`: the password was made by staff (a reset in the console
//!   or on the command line); the app asks for a new one at the next login.
//! - `users.email_verified_at`: when the address was last proven (a code or a reset link
//!   reached it); `users.email_pending`: registered while the server required a confirmed
//!   address and not confirmed yet (such an account cannot log in while that holds).
//! - `email_codes`: at most one live secret per person and purpose (`verify` at
//!   registration, `email` to change the address to `new_email`, `reset` for a
//!   password-reset link). Only a keyed hash of the secret is kept; `attempts_left`
//!   counts wrong codes down; `sent_at`, `window_start` and `window_sends` pace the mail
//!   sent. Goes with the account.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::EmailVerifiedAt)
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
                        ColumnDef::new(Users::EmailPending)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::PasswordTemporary)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EmailCodes::Table)
                    .col(
                        ColumnDef::new(EmailCodes::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(EmailCodes::UserId).big_integer().not_null())
                    .col(ColumnDef::new(EmailCodes::Purpose).text().not_null())
                    .col(ColumnDef::new(EmailCodes::SecretHash).text().not_null())
                    .col(ColumnDef::new(EmailCodes::NewEmail).text().null())
                    .col(
                        ColumnDef::new(EmailCodes::AttemptsLeft)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EmailCodes::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EmailCodes::SentAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EmailCodes::WindowStart)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(EmailCodes::WindowSends).integer().not_null())
                    .foreign_key(&mut crate::fk(
                        EmailCodes::Table,
                        EmailCodes::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("email_codes_one_per_purpose")
                    .table(EmailCodes::Table)
                    .col(EmailCodes::UserId)
                    .col(EmailCodes::Purpose)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("email_codes_by_secret")
                    .table(EmailCodes::Table)
                    .col(EmailCodes::SecretHash)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EmailCodes::Table).to_owned())
            .await?;
        for column in [
            Users::PasswordTemporary,
            Users::EmailPending,
            Users::EmailVerifiedAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum EmailCodes {
    Table,
    Id,
    UserId,
    Purpose,
    SecretHash,
    NewEmail,
    AttemptsLeft,
    ExpiresAt,
    SentAt,
    WindowStart,
    WindowSends,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    EmailVerifiedAt,
    EmailPending,
    PasswordTemporary,
}
