//! What every handler can reach: cloned cheaply into each worker (everything is an `Arc`
//! or a pool handle inside).

use crate::{
    auth::{
        cache::SessionCache, password::PasswordHasher, throttle::LoginThrottle, tokens::TokenKeys,
    },
    config::Config,
    messages::writer::Writer,
    realtime::Hub,
};
use sea_orm::DatabaseConnection;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub tokens: Arc<TokenKeys>,
    pub hasher: PasswordHasher,
    pub login_throttle: Arc<LoginThrottle>,
    pub hub: Hub,
    pub sessions: Arc<SessionCache>,
    /// Group commit of new messages.
    pub writer: Writer,
    /// Uploads on disk and their limits.
    pub files: crate::files::Files,
    /// Rate limits and open sockets.
    pub limits: Arc<crate::limits::Limits>,
    /// The settings admins change while the server runs (`admin::settings`).
    pub settings: Arc<crate::admin::settings::Live>,
    /// The sensitive-word filter's lists and policies.
    pub moderation: Arc<crate::moderation::Moderation>,
    /// Outgoing mail; `None` when no SMTP server is configured (then nothing mails).
    pub mail: Option<Arc<crate::mail::Mailer>>,
    /// What `/metrics` reports.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Proxies whose `X-Forwarded-For` is believed (`Config::trusted_proxies`).
    pub trusted_proxies: Arc<[crate::http::client::Trusted]>,
}

impl AppState {
    /// The client's address (`http::client`).
    pub fn client_ip(&self, req: &actix_web::HttpRequest) -> Option<std::net::IpAddr> {
        crate::http::client::client_ip(req, &self.trusted_proxies)
    }
}
