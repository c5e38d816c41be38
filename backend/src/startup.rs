//! Building the application: database, keys, state, the listener, the HTTP server.

use crate::{
    auth::{password::PasswordHasher, throttle::LoginThrottle, tokens},
    config::Config,
    db,
    error::{json_config, json_error_fallback, path_config, query_config},
    http::{self, OpenApiJson},
    messages::writer::Writer,
    realtime::{self, Hub, PresenceTiming, socket},
    state::AppState,
};
use actix_web::{
    App, HttpServer,
    dev::Server,
    middleware::{Compress, ErrorHandlers, from_fn},
    web,
};
use std::{net::TcpListener, path::Path, sync::Arc, time::Duration};
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::{AppExt as _, scope};
use utoipa_swagger_ui::SwaggerUi;

pub type StartupError = Box<dyn std::error::Error + Send + Sync>;

/// Pending connections the kernel queues before `accept`; a burst of reconnects after a
/// restart must not be dropped (a dropped SYN costs its client a second).
const LISTEN_BACKLOG: i32 = 4096;
/// How long an idle HTTP connection is kept open for the next request. With actix's
/// default of 5 s, a client reusing a pooled connection idle for about that long raced
/// the server's close, and a POST that lost the race failed (the benchmark smoke's first
/// sends, now and then). Clients should keep their own idle timeout below this one.
const KEEP_ALIVE: Duration = Duration::from_secs(75);
/// How long in-flight requests get to finish on SIGTERM/SIGINT.
const SHUTDOWN_TIMEOUT_SECS: u64 = 10;
/// How often the login throttle forgets accounts that have been quiet.
const THROTTLE_SWEEP_INTERVAL: Duration = Duration::from_secs(60);

pub struct Application {
    server: Server,
    port: u16,
    state: AppState,
}

impl Application {
    /// Connects, migrates, binds (port 0 picks a free port) and prepares the server.
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        check_config(&config)?;
        std::fs::create_dir_all(&config.data_dir)?;
        let secret = jwt_secret(&config)?;
        let db = db::connect(&config.database_url()).await?;
        crate::users::store::fill_skeletons(&db).await?;
        let auth = &config.auth;
        let bus = match config.redis_url() {
            None => None,
            Some(url) => {
                let bus = realtime::bus::Bus::connect(realtime::bus::BusConfig {
                    url: url.to_owned(),
                    prefix: config.redis_prefix.clone(),
                    catch_up: Duration::from_millis(config.catch_up_ms),
                })
                .await
                .map_err(|e| format!("cannot reach Redis at redis_url: {e}"))?;
                tracing::info!(instance = %bus.instance, "one of several instances (Redis)");
                let shared = crate::limits::Shared::connect(url, &config.redis_prefix)
                    .await
                    .map_err(|e| format!("cannot reach Redis at redis_url: {e}"))?;
                Some((bus, shared))
            }
        };
        let (bus, shared_limits) = match bus {
            Some((bus, shared)) => (Some(bus), Some(shared)),
            None => (None, None),
        };
        let metrics = Arc::new(crate::metrics::Metrics::default());
        let hub = Hub::start(
            config.socket_queue,
            PresenceTiming {
                interval: Duration::from_millis(config.presence_interval_ms),
                offline_grace: Duration::from_millis(config.presence_offline_grace_ms),
            },
            bus.as_ref().map(|b| b.outbox.clone()),
            metrics.clone(),
        );
        let writer_db = db::connect_writer(&config.database_url(), &db).await?;
        // Messages from before the search index existed, indexed in the background.
        tokio::spawn(crate::search::backfill::run(db.clone()));
        let files = crate::files::Files::open(&config.data_dir, config.files.clone())?;
        let moderation = crate::moderation::service::load(&db)
            .await
            .map_err(|e| e.to_string())?;
        let settings = crate::admin::settings::load(&db, &config)
            .await
            .map_err(|e| e.to_string())?;
        let limits = crate::limits::Limits::new(&config.limits, shared_limits.as_ref());
        limits.messages.set_rate(crate::config::Rate {
            burst: settings.message_rate.burst,
            refill_ms: settings.message_rate.refill_ms,
        });
        limits.uploads.set_rate(crate::config::Rate {
            burst: settings.upload_rate.burst,
            refill_ms: settings.upload_rate.refill_ms,
        });
        let state = AppState {
            moderation: Arc::new(moderation),
            files,
            writer: Writer::start(writer_db, hub.clone(), metrics.clone()),
            metrics,
            db,
            tokens: Arc::new(tokens::TokenKeys::new(
                secret.as_bytes(),
                auth.access_token_ttl_secs,
            )),
            hasher: PasswordHasher::new(
                auth.argon2_memory_kib,
                auth.argon2_iterations,
                auth.max_concurrent_hashes,
            )?,
            login_throttle: Arc::new(LoginThrottle::new(auth, shared_limits.as_ref())),
            hub,
            sessions: Arc::default(),
            limits: Arc::new(limits),
            settings: Arc::new(crate::admin::settings::Live::new(settings)),
            mail: crate::mail::Mailer::from_config(&config)?.map(Arc::new),
            trusted_proxies: config
                .trusted_proxies
                .iter()
                .map(|t| http::client::Trusted::parse(t))
                .collect::<Result<Vec<_>, _>>()?
                .into(),
            config: Arc::new(config),
        };

        if let Some(bus) = bus {
            let reloading = state.clone();
            bus.run(realtime::bus::Receivers {
                db: state.db.clone(),
                hub: state.hub.clone(),
                sessions: state.sessions.clone(),
                metrics: state.metrics.clone(),
                reload: Arc::new(move |what| {
                    let state = reloading.clone();
                    tokio::spawn(async move { reload(&state, what).await });
                }),
            });
        }

        let listener = listen(&state.config.bind, LISTEN_BACKLOG)?;
        let port = listener.local_addr()?.port();
        let openapi = web::Data::new(OpenApiJson(http::openapi_json()));
        let routes = web::Data::new(http::Routes::from_document(&http::openapi()));
        let app_csp = web::Data::new(http::csp::AppCsp::for_app(&state.config.static_dir));
        let asset_cache = web::Data::new(http::assets::AssetCache(http::assets::cache_dir(
            &state.config.data_dir,
        )));
        if state.config.static_dir.join("index.html").is_file() {
            http::assets::precompress(&state.config.static_dir, &asset_cache.0);
            http::assets::precompress(
                &state.config.static_dir.join(http::spa::ADMIN),
                &asset_cache.0,
            );
        }
        let server_state = state.clone();
        let server = HttpServer::new(move || {
            let state = server_state.clone();
            let static_dir = state.config.static_dir.clone();
            let (app, _) = App::new()
                .into_utoipa_app()
                .app_data(web::Data::new(state))
                .app_data(openapi.clone())
                .app_data(routes.clone())
                .app_data(app_csp.clone())
                .app_data(asset_cache.clone())
                .app_data(json_config())
                .app_data(query_config())
                .app_data(path_config())
                .service(
                    scope::scope(api::API_PREFIX)
                        .configure(http::api_routes)
                        .route("/openapi.json", web::get().to(http::openapi_document))
                        .route("/socket.json", web::get().to(http::socket_schema_document))
                        .route("/ws", web::get().to(socket::upgrade))
                        .default_service(web::to(http::route_not_found)),
                )
                .split_for_parts();
            let app = app
                .route("/metrics", web::get().to(crate::metrics::scrape))
                .route("/api/docs", web::get().to(docs_redirect))
                .service(
                    SwaggerUi::new("/api/docs/{_:.*}")
                        .config(utoipa_swagger_ui::Config::from("/api/v1/openapi.json")),
                );
            with_spa(app, &static_dir)
                .wrap(from_fn(http::assets::serve_precompressed))
                .wrap(from_fn(http::input::refuse_nul))
                .wrap(ErrorHandlers::new().default_handler(json_error_fallback))
                .wrap(Compress::default())
                .wrap(from_fn(http::headers::standard_headers))
                .wrap(TracingLogger::default())
        })
        .keep_alive(KEEP_ALIVE)
        // Pushed frames are small and must leave at once: with Nagle's algorithm on (the
        // OS default for accepted sockets) a frame waits for the client's delayed ACK of
        // the previous one, which put a ~4 ms floor under every delivery.
        .tcp_nodelay(true)
        .shutdown_timeout(SHUTDOWN_TIMEOUT_SECS)
        .listen(listener)?
        .run();

        crate::files::service::start_sweeper(state.clone());
        let throttle = state.login_throttle.clone();
        let limits = state.limits.clone();
        actix_web::rt::spawn(async move {
            let mut tick = tokio::time::interval(THROTTLE_SWEEP_INTERVAL);
            loop {
                tick.tick().await;
                throttle.forget_idle();
                limits.sweep();
            }
        });

        Ok(Self {
            server,
            port,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGTERM/SIGINT (actix handles both: stop accepting, finish in-flight
    /// requests for up to `SHUTDOWN_TIMEOUT_SECS`, then return).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn with_spa<T>(app: App<T>, static_dir: &Path) -> App<T>
where
    T: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Response = actix_web::dev::ServiceResponse,
            Error = actix_web::Error,
            InitError = (),
        >,
{
    if static_dir.join("index.html").is_file() {
        let app = match http::spa::admin_files(static_dir) {
            Some(admin) => app.service(admin),
            None => app,
        };
        app.service(http::spa::files(static_dir))
    } else {
        app.default_service(web::to(http::spa::not_built))
    }
}

async fn docs_redirect() -> actix_web::HttpResponse {
    actix_web::HttpResponse::PermanentRedirect()
        .insert_header(("Location", "/api/docs/"))
        .finish()
}

/// The configured JWT key, or the one kept in the data dir (created on first start,
/// readable by the owner only).
/// What can be said of a configuration without starting (`teahouse check-config`; the
/// server checks the same as it starts).
pub fn check_config(config: &Config) -> Result<(), StartupError> {
    if config.redis_url().is_some() && !config.database_url().starts_with("postgres") {
        return Err(
            "redis_url is set, but the database is SQLite: several instances need \
            one PostgreSQL database they all reach (SQLite is one process's file). Set \
            DATABASE_URL to PostgreSQL, or unset REDIS_URL to run one instance."
                .into(),
        );
    }
    if let Some(secret) = &config.jwt_secret
        && secret.0.len() < 32
    {
        return Err("jwt_secret must be at least 32 characters".into());
    }
    for proxy in &config.trusted_proxies {
        http::client::Trusted::parse(proxy)?;
    }
    Ok(())
}

fn jwt_secret(config: &Config) -> Result<String, StartupError> {
    if let Some(secret) = &config.jwt_secret {
        if secret.0.len() < 32 {
            return Err("jwt_secret must be at least 32 characters".into());
        }
        return Ok(secret.0.clone());
    }
    let path = config.data_dir.join("jwt_secret");
    match std::fs::read_to_string(&path) {
        Ok(secret) if secret.trim().len() >= 32 => return Ok(secret.trim().to_owned()),
        Ok(_) => {
            return Err(format!(
                "{} is too short; delete it to generate a new one",
                path.display()
            )
            .into());
        }
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(err.into()),
        Err(_) => {}
    }
    let secret = tokens::generate_secret();
    write_private(&path, &secret)?;
    tracing::info!(path = %path.display(), "generated a new JWT signing key");
    Ok(secret)
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

/// Another instance changed settings or word lists: read them again.
async fn reload(state: &AppState, what: realtime::bus::Reload) {
    let done = match what {
        realtime::bus::Reload::Settings => crate::admin::settings::reload_from_database(state)
            .await
            .map_err(|e| e.to_string()),
        realtime::bus::Reload::Moderation => {
            crate::moderation::service::reload_from_database(state)
                .await
                .map_err(|e| e.to_string())
        }
    };
    if let Err(err) = done {
        tracing::error!(error = %err, ?what, "could not reload after another instance's change");
    }
}

/// The listening socket, with `backlog` pending connections queued by the kernel.
/// `std::net::TcpListener::bind` always asks for 128, and actix's own `backlog` setting
/// applies only to addresses actix binds itself, not to a listener handed to it.
pub fn listen(address: &str, backlog: i32) -> std::io::Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    use std::net::ToSocketAddrs as _;
    let mut last = None;
    for addr in address.to_socket_addrs()? {
        let bound = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))
            .and_then(|socket| {
                // As std does: a restarted server may bind while old connections linger.
                socket.set_reuse_address(true)?;
                socket.bind(&addr.into())?;
                socket.listen(backlog)?;
                Ok(socket)
            });
        match bound {
            Ok(socket) => return Ok(socket.into()),
            Err(err) => last = Some(err),
        }
    }
    Err(last.unwrap_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the bind address resolves to nothing",
        )
    }))
}

#[cfg(test)]
mod tests {
    use std::{net::TcpStream, time::Duration};

    /// A burst of connections larger than std's default backlog (128) while nothing
    /// accepts: every one is queued. With std's listener the 130th SYN was dropped and its
    /// client waited a second to try again (the idle-socket benchmark lost seconds so).
    #[test]
    fn a_burst_of_connections_waits_in_the_backlog() {
        // The kernel caps any backlog at net.core.somaxconn (4096 on current kernels; 128
        // before Linux 5.4, where this cannot be shown).
        let cap: usize = std::fs::read_to_string("/proc/sys/net/core/somaxconn")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(4096);
        if cap <= 129 {
            eprintln!("net.core.somaxconn is {cap}: no backlog above std's 128 to test");
            return;
        }
        let listener = super::listen("127.0.0.1:0", super::LISTEN_BACKLOG).unwrap();
        let addr = listener.local_addr().unwrap();
        let mut open = Vec::new();
        for n in 0..cap.min(400) {
            let stream = TcpStream::connect_timeout(&addr, Duration::from_millis(500));
            assert!(stream.is_ok(), "connection {n}: {stream:?}");
            open.push(stream);
        }
    }
}
