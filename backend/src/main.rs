//! `teahouse serve | openapi | migrate | check-config | admin …`: load the config, then hand over to the library.

use clap::{Parser, Subcommand};
use std::{io::Write as _, process::ExitCode};
use teahouse::{config::Config, startup::Application, telemetry};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "teahouse", version, about = "A self-hosted chat server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Print the OpenAPI document to stdout.
    Openapi,
    /// Print the socket protocol's JSON Schema to stdout.
    SocketSchema,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the configuration (file and environment) and say whether it is usable,
    /// without starting or touching the database.
    CheckConfig,
    /// Administer the server from the command line (works while it runs).
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an account (a temporary password is printed unless --password-stdin).
    CreateUser {
        username: String,
        email: String,
        /// member, moderator or admin.
        #[arg(long, default_value = "member")]
        role: String,
        /// Shorthand for --role admin.
        #[arg(long)]
        admin: bool,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (printed unless --password-stdin); every session ends.
    ResetPassword {
        /// Username or e-mail address.
        login: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give someone a site role: member, moderator or admin (the last admin stays one).
    SetRole {
        /// Username or e-mail address.
        login: String,
        role: String,
    },
    /// Deactivate an account: its sessions end and it cannot log in.
    Deactivate {
        /// Username or e-mail address.
        login: String,
    },
    /// Let a deactivated account log in again.
    Reactivate {
        /// Username or e-mail address.
        login: String,
    },
    /// Every account: id, username, e-mail, role, created, active.
    ListUsers,
    /// Build the message search index again from every message (searches find less
    /// until it is done); prints the time taken and the index's size.
    Reindex,
    /// Copy the database and the uploaded files into DIR (new or empty), while the server
    /// runs: SQLite with VACUUM INTO, PostgreSQL with pg_dump.
    Backup { dir: std::path::PathBuf },
    /// Put a backup back into the configured database and data directory. Stop the
    /// server first; an existing SQLite file is replaced only with --force.
    Restore {
        dir: std::path::PathBuf,
        #[arg(long)]
        force: bool,
    },
}

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let document = match cli.command {
        Some(Command::Openapi) => Some(teahouse::http::openapi_json()),
        Some(Command::SocketSchema) => Some(teahouse::http::socket_schema::socket_schema_json()),
        _ => None,
    };
    if let Some(json) = document {
        return match std::io::stdout().write_all(json.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        };
    }
    let config = match Config::load() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("teahouse: bad configuration: {err}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(&config.log);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => migrate(&config).await,
        Command::CheckConfig => teahouse::startup::check_config(&config).map(|()| {
            eprintln!(
                "teahouse: configuration usable ({}{})",
                if config.database_url().starts_with("postgres") {
                    "PostgreSQL"
                } else {
                    "SQLite"
                },
                if config.redis_url().is_some() {
                    ", one of several instances (Redis)"
                } else {
                    ", one instance"
                }
            );
        }),
        Command::Admin(command) => admin(&config, command).await,
        _ => serve(config).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "teahouse stopped");
            eprintln!("teahouse: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> Result<(), teahouse::startup::StartupError> {
    let app = Application::build(config).await?;
    let config = &app.state().config;
    let host = config
        .bind
        .rsplit_once(':')
        .map(|(h, _)| h)
        .unwrap_or("127.0.0.1");
    let host = if host == "0.0.0.0" || host == "[::]" {
        "localhost"
    } else {
        host
    };
    tracing::info!(port = app.port(), database = %redact(&config.database_url()), "listening");
    eprintln!(
        "Teahouse is running at http://{host}:{}/  (API docs: /api/docs/)",
        app.port()
    );
    app.run_until_stopped().await?;
    Ok(())
}

async fn migrate(config: &Config) -> Result<(), teahouse::startup::StartupError> {
    std::fs::create_dir_all(&config.data_dir)?;
    teahouse::db::connect(&config.database_url()).await?;
    eprintln!("teahouse: migrations applied");
    Ok(())
}

async fn admin(
    config: &Config,
    command: AdminCommand,
) -> Result<(), teahouse::startup::StartupError> {
    use teahouse::admin::cli;
    std::fs::create_dir_all(&config.data_dir)?;
    // These two work on files as much as on the database, and must not open (and so
    // migrate) the database they are about to replace.
    let files_done = match &command {
        AdminCommand::Backup { dir } => Some(teahouse::admin::backup::backup(config, dir).await),
        AdminCommand::Restore { dir, force } => {
            Some(teahouse::admin::backup::restore(config, dir, *force).await)
        }
        _ => None,
    };
    if let Some(done) = files_done {
        let text = done?;
        std::io::stdout().write_all(format!("{text}\n").as_bytes())?;
        return Ok(());
    }
    let db = teahouse::db::connect(&config.database_url()).await?;
    let stdin_password = |wanted: bool| -> Option<String> {
        let mut line = String::new();
        (wanted && std::io::stdin().read_line(&mut line).is_ok())
            .then(|| line.trim_end_matches(['\r', '\n']).to_owned())
    };
    let done = match command {
        AdminCommand::CreateUser {
            username,
            email,
            role,
            admin,
            password_stdin,
        } => match api::users::Role::parse(if admin { "admin" } else { role.trim() }) {
            Some(role) => {
                cli::create_user(
                    &db,
                    config,
                    &username,
                    &email,
                    role,
                    stdin_password(password_stdin),
                )
                .await
            }
            None => Err(teahouse::error::AppError::BadRequest(format!(
                "unknown role {role:?}: member, moderator or admin"
            ))),
        },
        AdminCommand::ResetPassword {
            login,
            password_stdin,
        } => cli::reset_password(&db, config, &login, stdin_password(password_stdin)).await,
        AdminCommand::SetRole { login, role } => cli::set_role(&db, &login, &role).await,
        AdminCommand::Deactivate { login } => cli::set_active(&db, config, &login, false).await,
        AdminCommand::Reactivate { login } => cli::set_active(&db, config, &login, true).await,
        AdminCommand::ListUsers => cli::list_users(&db).await,
        AdminCommand::Reindex => teahouse::search::backfill::rebuild(&db)
            .await
            .map_err(Into::into),
        AdminCommand::Backup { .. } | AdminCommand::Restore { .. } => return Ok(()),
    };
    let text = done.map_err(|e| match e {
        teahouse::error::AppError::NotFound => "no such account".to_owned(),
        teahouse::error::AppError::Validation(fields) => format!(
            "invalid: {}",
            fields
                .iter()
                .map(|(field, code)| format!(
                    "{field}: {}",
                    serde_json::to_string(code).unwrap_or_default()
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    })?;
    let mut out = std::io::stdout();
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// A database URL without its password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}://{}:***@{}", &url[..scheme], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}
