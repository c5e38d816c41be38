//! Typed configuration, built once at start and passed down (never a global).
//!
//! Layers, later wins: built-in defaults < `teahouse.toml` (or the file `TEAHOUSE_CONFIG`
//! names) < environment (`TEAHOUSE_*`, plus the conventional `DATABASE_URL`).

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};
use std::{fmt, path::PathBuf};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Address to listen on.
    pub bind: String,
    /// Where the SQLite database, the generated JWT key, uploads (`files/`) and avatars
    /// (`avatars/`) live.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; default: `teahouse.db` in the data dir.
    pub database_url: Option<String>,
    /// The built SPA (Trunk's `dist/`).
    pub static_dir: PathBuf,
    /// A tracing filter, e.g. `info` or `teahouse=debug,actix_web=info`.
    pub log: String,
    /// HMAC key for access tokens. Unset: generated on first start and kept in the data dir.
    pub jwt_secret: Option<Secret>,
    /// How long after sending an author may recall a message (owners and admins: always).
    pub recall_window_secs: u64,
    /// How long after sending an author may edit a message (nobody else may).
    pub edit_window_secs: u64,
    /// Frames that may wait for one socket; a socket further behind is disconnected and
    /// resumes from the database.
    pub socket_queue: usize,
    /// Presence changes are sent at most once per this many milliseconds, batched per
    /// recipient, so a reconnect storm cannot flood anyone.
    pub presence_interval_ms: u64,
    /// Someone whose last socket closed shows as offline only after this many
    /// milliseconds, so a reload or a reconnect shows no change at all.
    pub presence_offline_grace_ms: u64,
    /// Friend requests one person may have waiting for an answer at once.
    pub friend_request_cap: u64,
    /// Proxies whose `X-Forwarded-For` is believed (addresses or CIDR ranges, e.g.
    /// `["127.0.0.1", "10.0.0.0/8"]`). Empty: the client's address is the socket's peer,
    /// and forwarded headers are ignored (anyone can write them).
    pub trusted_proxies: Vec<String>,
    /// `redis://host:port/` (also `REDIS_URL`): run as one of several instances on one
    /// PostgreSQL database, which tell each other over Redis (docs/DEPLOYMENT.md). Unset:
    /// one instance, nothing shared.
    pub redis_url: Option<Secret>,
    /// Instances with the same prefix (and Redis) form one server.
    pub redis_prefix: String,
    /// With Redis: how often each instance checks that its sockets have every room's
    /// newest event (pub/sub may lose a message; the database never does).
    pub catch_up_ms: u64,
    /// Turns on `GET /metrics` (Prometheus text format), asking for this as a bearer
    /// token. Unset: `/metrics` is 404.
    pub metrics_token: Option<Secret>,
    pub auth: AuthConfig,
    pub files: FilesConfig,
    pub limits: LimitsConfig,
    pub mail: MailConfig,
}

/// Outgoing e-mail (SMTP): codes that confirm an address, password-reset links. Without
/// `smtp_url` the server sends nothing and offers none of it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct MailConfig {
    /// `smtps://user:password@host` (TLS, port 465), `smtp://user:password@host:587?tls=required`
    /// (STARTTLS), or `smtp://host:port` (no encryption: a relay on this machine only).
    /// Unset or empty: no mail.
    pub smtp_url: Option<Secret>,
    /// The sender, e.g. `Teahouse <noreply@chat.example.com>`.
    pub from: String,
    /// The address people open the app at, for links in mail (password reset), e.g.
    /// `https://chat.example.com`. Never taken from a request's `Host` (anyone can write
    /// one, and a reset link must not point elsewhere). Unset: `http://` + `bind`.
    pub public_url: Option<String>,
    /// A send that takes longer than this fails (503 `mail_unavailable`).
    pub timeout_secs: u64,
    /// A code is good for this long …
    pub code_ttl_secs: u64,
    /// … and this many tries.
    pub code_attempts: u32,
    /// Another code or link for the same purpose no sooner than this …
    pub resend_secs: u64,
    /// … and at most this many an hour per person and purpose.
    pub sends_per_hour: u32,
    /// A password-reset link is good for this long (and once).
    pub reset_ttl_secs: u64,
}

impl MailConfig {
    /// An SMTP server is configured.
    pub fn enabled(&self) -> bool {
        self.smtp_url
            .as_ref()
            .is_some_and(|u| !u.0.trim().is_empty())
    }
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: "Teahouse <noreply@localhost>".into(),
            public_url: None,
            timeout_secs: 15,
            code_ttl_secs: 600,
            code_attempts: 5,
            resend_secs: 60,
            sends_per_hour: 5,
            reset_ttl_secs: 3600,
        }
    }
}

/// A rate: `burst` at once, then one more every `refill_ms` (a token bucket, GCRA).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub burst: u32,
    pub refill_ms: u64,
}

/// Limits per person (and per client address for registrations), each answered with 429
/// `rate_limited` and `Retry-After`. The defaults are far above what a person typing fast
/// or a class registering at once behind one address does.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct LimitsConfig {
    /// `false` turns every limit below off (load tests only).
    pub enabled: bool,
    /// Messages sent, per person.
    pub messages: Rate,
    /// Rooms created, per person.
    pub rooms_created: Rate,
    /// Friend requests sent, per person.
    pub friend_requests: Rate,
    /// Uploads (files and avatars), per person.
    pub uploads: Rate,
    /// Registrations, per client address.
    pub registrations: Rate,
    /// Password checks for strength meters (`POST /auth/password-check`), per client
    /// address.
    pub password_checks: Rate,
    /// Requests that send mail to an address not proven yours (password reset, another
    /// code), per client address.
    pub mail_requests: Rate,
    /// Sockets open at once for one session (tabs of one browser share a session).
    pub sockets_per_session: u32,
    /// Sockets open at once for one person, all sessions together.
    pub sockets_per_person: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct FilesConfig {
    /// The largest file one upload may carry (avatars included); larger gets 413.
    pub max_upload_bytes: u64,
    /// Bytes of uploads one person may keep in all.
    pub quota_bytes: u64,
    /// Images with more pixels than this are refused before they are decoded
    /// (decompression bombs); decoding one takes about 4 bytes per pixel.
    pub max_image_pixels: u64,
    /// Images decoded at once; more wait (each can take `4 × max_image_pixels` bytes).
    pub max_concurrent_images: usize,
    /// An upload never sent in a message is deleted after this many seconds.
    pub unsent_ttl_secs: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct AuthConfig {
    /// `single`: a new login ends the account's other sessions. `multi`: they coexist.
    pub session_policy: SessionPolicy,
    /// Lifetime of an access token. Short, because it is checked against the session on
    /// every request anyway and clients refresh it silently.
    pub access_token_ttl_secs: u64,
    /// An unused refresh token (and so an idle session) expires after this.
    pub refresh_token_ttl_secs: u64,
    /// A refresh token presented again within this many seconds of its first use is
    /// honoured once more instead of being treated as theft: two tabs of one browser share
    /// a token and may refresh at the same moment. 0 makes every reuse end the session.
    pub refresh_reuse_grace_secs: u64,
    /// Login throttle per account *and* client address: this many attempts at once …
    pub login_burst: u32,
    /// … then one more every this many seconds. Someone guessing from one address slows
    /// only himself; the owner elsewhere is not affected.
    pub login_refill_secs: u64,
    /// The ceiling per account from all addresses together, per hour (OWASP: at most 100
    /// failures an hour), against guessing spread over many addresses.
    pub login_account_per_hour: u32,
    /// Password hashes computed at once; the rest wait (argon2 takes ~19 MiB and a core each).
    pub max_concurrent_hashes: usize,
    /// argon2 memory cost in KiB (OWASP: 19456). Only tests lower it.
    pub argon2_memory_kib: u32,
    /// argon2 iterations (OWASP: 2).
    pub argon2_iterations: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionPolicy {
    Single,
    Multi,
}

/// A secret string whose `Debug` prints nothing of it.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            data_dir: "./data".into(),
            database_url: None,
            static_dir: "./frontend/dist".into(),
            log: "info".into(),
            jwt_secret: None,
            recall_window_secs: 120,
            edit_window_secs: 24 * 60 * 60,
            socket_queue: 512,
            presence_interval_ms: 1000,
            presence_offline_grace_ms: 10_000,
            friend_request_cap: 50,
            trusted_proxies: Vec::new(),
            redis_url: None,
            redis_prefix: "teahouse".into(),
            catch_up_ms: 2000,
            metrics_token: None,
            auth: AuthConfig::default(),
            files: FilesConfig::default(),
            limits: LimitsConfig::default(),
            mail: MailConfig::default(),
        }
    }
}

impl Default for FilesConfig {
    fn default() -> Self {
        Self {
            max_upload_bytes: 20 * 1024 * 1024,
            quota_bytes: 1024 * 1024 * 1024,
            max_image_pixels: 50_000_000,
            max_concurrent_images: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            unsent_ttl_secs: 24 * 3600,
        }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            // 60 at once, then 10 a second: nobody types that fast.
            messages: Rate {
                burst: 60,
                refill_ms: 100,
            },
            // 10 at once, then 20 an hour.
            rooms_created: Rate {
                burst: 10,
                refill_ms: 180_000,
            },
            // 20 at once, then 60 an hour.
            friend_requests: Rate {
                burst: 20,
                refill_ms: 60_000,
            },
            // 30 at once (a folder of photos), then one every 2 s.
            uploads: Rate {
                burst: 30,
                refill_ms: 2_000,
            },
            // A class of 40 registering at once behind one address, then one a minute.
            registrations: Rate {
                burst: 40,
                refill_ms: 60_000,
            },
            // A meter asks as people type (debounced): 120 at once, then two a second.
            password_checks: Rate {
                burst: 120,
                refill_ms: 500,
            },
            // 10 at once, then one a minute.
            mail_requests: Rate {
                burst: 10,
                refill_ms: 60_000,
            },
            sockets_per_session: 10,
            sockets_per_person: 30,
        }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            session_policy: SessionPolicy::Single,
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_secs: 30 * 24 * 3600,
            refresh_reuse_grace_secs: 10,
            login_burst: 10,
            login_refill_secs: 30,
            login_account_per_hour: 100,
            max_concurrent_hashes: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            argon2_memory_kib: 19_456,
            argon2_iterations: 2,
        }
    }
}

impl Config {
    /// Defaults, then the config file (if present), then the environment.
    pub fn load() -> Result<Self, Box<figment::Error>> {
        let file = std::env::var("TEAHOUSE_CONFIG").unwrap_or_else(|_| "teahouse.toml".into());
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("TEAHOUSE_").ignore(&["config"]).split("__"))
            .merge(Env::raw().only(&["DATABASE_URL", "REDIS_URL"]))
            .extract()
            .map_err(Box::new)
    }

    /// Redis, when configured (several instances).
    pub fn redis_url(&self) -> Option<&str> {
        self.redis_url
            .as_ref()
            .map(|u| u.0.trim())
            .filter(|u| !u.is_empty())
    }

    /// The database to use: the configured URL, else a SQLite file in the data dir.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.clone(),
            _ => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("teahouse.db").display()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_safe() {
        let config = Config::default();
        assert_eq!(config.bind, "127.0.0.1:8080");
        assert_eq!(config.auth.session_policy, SessionPolicy::Single);
        assert!(config.database_url().starts_with("sqlite://"));
        assert_eq!(
            format!("{:?}", Secret("hunter2".into())),
            "Secret([redacted])"
        );
    }
}
