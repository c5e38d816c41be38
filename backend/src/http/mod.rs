//! Everything mounted on the one port: the API's route table and OpenAPI document, the
//! docs UI, health, and the single-page app.

pub mod assets;
pub mod client;
pub mod csp;
pub mod doc;
pub mod headers;
pub mod input;
pub mod socket_schema;
pub mod spa;

use crate::{
    admin, auth, chats, error::AppError, files, friends, messages, moderation, posts, rooms,
    state::AppState, users,
};
use actix_web::{HttpResponse, get, web};
use api::{
    ErrorBody,
    users::{Health, ServerInfo},
};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_actix_web::{AppExt as _, scope, service_config::ServiceConfig};

/// The document's frame; paths and schemas are collected from the handlers themselves.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Teahouse API",
        description = "REST API of a Teahouse chat server. Every error is `ErrorBody` with a stable `code`.",
    ),
    servers((url = "/", description = "This server (the API is served beside the web app)")),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Registration, login, token refresh, logout"),
        (name = "me", description = "My account"),
        (name = "users", description = "Other people"),
        (name = "rooms", description = "Rooms, members, join requests"),
        (name = "posts", description = "Posts (topics) inside rooms"),
        (name = "messages", description = "Messages, history, recall, read markers"),
        (name = "files", description = "Uploads, attachments, downloads, avatars"),
        (name = "friends", description = "Finding people, friend requests, friends, blocks"),
        (name = "chats", description = "Private chats and the contact list"),
        (name = "server", description = "Health and this server's rules"),
        (name = "moderation", description = "The sensitive-word filter as members meet it"),
        (name = "admin", description = "The console: word lists, policies, roles, the audit log (site staff)"),
        (name = "search", description = "Finding messages, in Chinese as in English"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Every documented endpoint under `/api/v1`. The one route table: the server mounts it
/// and `openapi()` reads it, so the document cannot drift from what is served.
pub fn api_routes(cfg: &mut ServiceConfig) {
    // The router tries routes in this order and runs a regular expression for each one
    // with a `{…}` in its path until one matches: the most frequent requests come first
    // (as the 55th route, a send ran ≈ 35 expressions, ≈ 3.5 % of the server's CPU
    // under load). No route before them can match their paths.
    cfg.service(messages::routes::send)
        .service(messages::routes::history)
        .service(messages::routes::mark_read)
        .service(health)
        .service(server_info)
        .service(auth::routes::register)
        .service(auth::routes::password_check)
        .service(auth::routes::login)
        .service(auth::routes::refresh)
        .service(auth::routes::logout)
        .service(auth::routes::logout_session)
        .service(auth::routes::change_password)
        .service(crate::search::routes::search_messages)
        .service(crate::search::routes::search_files)
        .service(auth::routes::verify_email)
        .service(auth::routes::resend_code)
        .service(auth::routes::password_reset)
        .service(auth::routes::password_reset_confirm)
        .service(auth::routes::change_email)
        .service(auth::routes::confirm_email)
        .service(users::routes::me)
        .service(users::routes::edit_me)
        .service(files::routes::set_my_avatar)
        .service(files::routes::clear_my_avatar)
        .service(files::routes::avatar)
        .service(users::routes::user)
        // Fixed paths before `/rooms/{id}`.
        .service(rooms::routes::discover)
        .service(rooms::routes::join)
        .service(rooms::routes::create)
        .service(rooms::routes::mine)
        .service(rooms::routes::get)
        .service(rooms::routes::edit)
        .service(rooms::routes::remove)
        .service(rooms::routes::leave)
        .service(rooms::routes::members)
        .service(rooms::routes::set_role)
        .service(rooms::routes::set_muted)
        .service(rooms::routes::set_announcement)
        .service(rooms::routes::announcement_seen)
        .service(messages::routes::pins)
        .service(rooms::routes::silence)
        .service(rooms::routes::unsilence)
        .service(rooms::routes::ban)
        .service(rooms::routes::unban)
        .service(rooms::routes::bans)
        .service(rooms::routes::remove_member)
        .service(rooms::routes::transfer)
        .service(rooms::routes::requests)
        .service(rooms::routes::approve)
        .service(rooms::routes::decline)
        .service(files::routes::set_room_avatar)
        .service(files::routes::clear_room_avatar)
        .service(posts::routes::list)
        .service(posts::routes::create)
        .service(posts::routes::edit)
        .service(posts::routes::remove)
        .service(messages::routes::recall)
        .service(messages::routes::edit)
        .service(messages::routes::edits)
        .service(messages::routes::react)
        .service(messages::routes::unreact)
        .service(messages::routes::pin)
        .service(messages::routes::unpin)
        .service(messages::routes::emoji_catalog)
        .service(friends::routes::search)
        .service(friends::routes::list)
        .service(friends::routes::unfriend)
        .service(friends::routes::pending)
        .service(friends::routes::request)
        .service(friends::routes::accept)
        .service(friends::routes::reject)
        .service(friends::routes::cancel)
        .service(friends::routes::blocks)
        .service(friends::routes::block)
        .service(friends::routes::unblock)
        .service(chats::routes::open)
        .service(chats::routes::conversations)
        // Fixed path before `/files/{id}`.
        .service(files::routes::usage)
        .service(files::routes::upload)
        .service(files::routes::download)
        .service(files::routes::thumb)
        .service(files::routes::remove)
        .service(moderation::routes::check)
        .service(moderation::routes::set_room_policy)
        .service(moderation::routes::policies)
        .service(moderation::routes::set_policies)
        .service(moderation::routes::categories)
        .service(moderation::routes::add_examples)
        .service(moderation::routes::create_category)
        .service(moderation::routes::edit_category)
        .service(moderation::routes::delete_category)
        .service(moderation::routes::words)
        .service(moderation::routes::add_words)
        .service(moderation::routes::import)
        .service(moderation::routes::remove_word)
        .service(moderation::routes::test)
        .service(moderation::routes::set_role)
        .service(moderation::routes::deactivate)
        .service(moderation::routes::reactivate)
        .service(moderation::routes::force_logout)
        .service(moderation::routes::audit)
        .service(admin::routes::dashboard)
        .service(admin::routes::admin_users)
        .service(admin::routes::admin_user)
        .service(admin::routes::reset_password)
        .service(admin::routes::remove_messages)
        .service(admin::routes::admin_rooms)
        .service(admin::routes::admin_room)
        .service(admin::routes::admin_room_members)
        .service(admin::routes::admin_edit_room)
        .service(admin::routes::admin_set_room_policy)
        .service(admin::routes::admin_delete_room)
        .service(admin::routes::get_settings)
        .service(admin::routes::edit_settings)
        .service(admin::routes::new_invite_code)
        .service(admin::routes::report)
        .service(admin::routes::my_reports)
        .service(admin::routes::report_queue)
        .service(admin::routes::report_context)
        .service(admin::routes::resolve_report);
}

/// The OpenAPI document for everything `api_routes` mounts.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, doc) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(scope::scope(api::API_PREFIX).configure(api_routes))
        .split_for_parts();
    let mut doc = doc;
    // After the handlers' paths are in: what every operation shares.
    doc::CommonResponses.modify(&mut doc);
    doc
}

/// The document as served and as checked in at `openapi/openapi.json`.
pub fn openapi_json() -> String {
    let mut json = openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

/// Is the server up and ready: its database answering and, when it is one of several
/// instances, its bus (Redis) connected? A load balancer's health check.
#[utoipa::path(
    tag = "server",
    responses(
        (status = 200, description = "Up", body = Health),
        (status = 503, description = "`unavailable`: the database does not answer, or (one of several instances) the bus is not connected", body = ErrorBody),
    )
)]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> Result<web::Json<Health>, AppError> {
    state
        .db
        .ping()
        .await
        .map_err(|e| AppError::Unavailable(e.to_string()))?;
    // One of several instances that cannot hear the others is not ready either.
    if state.config.redis_url().is_some() && state.metrics.bus_connected.get() == 0 {
        return Err(AppError::Unavailable(
            "not connected to the bus (Redis)".into(),
        ));
    }
    Ok(web::Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}

/// What clients need to know of this server's rules: recall window, message and upload
/// limits, rate limits, registration mode. Public, like `/health`.
#[utoipa::path(
    tag = "server",
    security(),
    responses((status = 200, description = "This server's rules", body = ServerInfo))
)]
#[get("/server")]
pub async fn server_info(state: web::Data<AppState>) -> web::Json<ServerInfo> {
    use crate::config::{Rate, SessionPolicy as Policy};
    use api::users::{RateLimit, RateLimits, SessionPolicy};
    let config = &state.config;
    let settings = state.settings.get();
    let rate = |r: Rate| RateLimit {
        burst: r.burst,
        refill_ms: r.refill_ms,
    };
    let limits = &config.limits;
    web::Json(ServerInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        protocol: api::ws::PROTOCOL_VERSION,
        registration: settings.registration,
        session_policy: match config.auth.session_policy {
            Policy::Single => SessionPolicy::Single,
            Policy::Multi => SessionPolicy::Multi,
        },
        recall_window_secs: settings.recall_window_secs,
        edit_window_secs: settings.edit_window_secs,
        message_max_chars: api::rules::MESSAGE_MAX as u32,
        attachments_max: api::files::ATTACHMENTS_MAX as u32,
        max_upload_bytes: settings.max_upload_bytes,
        quota_bytes: settings.quota_bytes,
        max_image_pixels: config.files.max_image_pixels,
        limits: limits.enabled.then(|| RateLimits {
            messages: settings.message_rate,
            rooms_created: rate(limits.rooms_created),
            friend_requests: rate(limits.friend_requests),
            uploads: settings.upload_rate,
            registrations: rate(limits.registrations),
            password_checks: rate(limits.password_checks),
            mail_requests: rate(limits.mail_requests),
            sockets_per_session: limits.sockets_per_session,
            sockets_per_person: limits.sockets_per_person,
        }),
        word_policies: state.moderation.policies(),
        default_language: settings.default_language,
        mail: state.mail.is_some(),
        email_verification: crate::auth::email::verification_required(&state),
    })
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi_document(doc: web::Data<OpenApiJson>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.0.clone())
}

/// `GET /api/v1/socket.json`: the socket protocol's JSON Schema.
pub async fn socket_schema_document() -> HttpResponse {
    static SCHEMA: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HttpResponse::Ok()
        .content_type("application/schema+json")
        .body(
            SCHEMA
                .get_or_init(socket_schema::socket_schema_json)
                .clone(),
        )
}

/// The serialised document, computed once at start.
pub struct OpenApiJson(pub String);

/// Anything under `/api` that no route matched.
/// A path the API has, with another method, is 405 with `Allow`; anything else is 404.
pub async fn route_not_found(
    req: actix_web::HttpRequest,
    routes: web::Data<Routes>,
) -> Result<HttpResponse, AppError> {
    let allowed = routes.methods_for(req.path());
    if allowed.is_empty() {
        return Err(AppError::RouteNotFound);
    }
    let mut response = actix_web::ResponseError::error_response(&AppError::MethodNotAllowed);
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&allowed.join(", ")) {
        response
            .headers_mut()
            .insert(actix_web::http::header::ALLOW, value);
    }
    Ok(response)
}

/// The documented paths and their methods, to tell "no such method here" (405) from "no
/// such path" (404).
pub struct Routes(Vec<(Vec<String>, Vec<String>)>);

impl Routes {
    pub fn from_document(doc: &utoipa::openapi::OpenApi) -> Self {
        let table = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.split('/').map(str::to_owned).collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("HEAD", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter(|(_, has)| *has)
                .map(|(m, _)| m.to_owned())
                .collect();
                (segments, methods)
            })
            .collect();
        Self(table)
    }

    /// The methods of the documented path `path` matches (a `{param}` matches any
    /// segment); empty if none does.
    pub fn methods_for(&self, path: &str) -> Vec<String> {
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let mut methods: Vec<String> = Vec::new();
        for (segments, allowed) in &self.0 {
            let matches = segments.len() == parts.len()
                && segments
                    .iter()
                    .zip(&parts)
                    .all(|(s, p)| (s.starts_with('{') && !p.is_empty()) || s == p);
            if matches {
                for m in allowed {
                    if !methods.contains(m) {
                        methods.push(m.clone());
                    }
                }
            }
        }
        methods
    }
}
