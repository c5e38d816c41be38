//! The public REST API, as a client sees it.

use api::{
    auth::AuthSession,
    messages::{Message, MessagePage},
    rooms::{JoinResult, MyRoom},
    search::SearchResults,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::time::Duration;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
}

/// An account the bench made, with its tokens.
#[derive(Clone, Debug)]
pub struct Account {
    pub username: String,
    pub password: String,
    pub access: String,
}

impl Client {
    pub fn new(base: &str) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(256)
            // Shorter than the server's keep-alive (75 s), so a pooled connection is never
            // reused just as the server closes it.
            .pool_idle_timeout(Duration::from_secs(30))
            .timeout(Duration::from_secs(60))
            .build()?;
        Ok(Self {
            http,
            base: format!("{}/api/v1", base.trim_end_matches('/')),
        })
    }

    async fn call<T: DeserializeOwned>(&self, req: reqwest::RequestBuilder) -> Result<T, Error> {
        let res = req.send().await?;
        let status = res.status();
        let bytes = res.bytes().await?;
        if !status.is_success() {
            return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&bytes)).into());
        }
        Ok(serde_json::from_slice(&bytes)?)
    }

    pub async fn register(&self, username: &str) -> Result<Account, Error> {
        let password = format!("{username}-bench-oolong-leaves");
        let body = json!({ "username": username, "email": format!("{username}@bench.invalid"), "password": password });
        let session: AuthSession = self
            .call(
                self.http
                    .post(format!("{}/auth/register", self.base))
                    .json(&body),
            )
            .await?;
        Ok(Account {
            username: username.into(),
            password,
            access: session.access_token,
        })
    }

    pub async fn login(&self, login: &str, password: &str) -> Result<AuthSession, Error> {
        let body = json!({ "login": login, "password": password });
        self.call(
            self.http
                .post(format!("{}/auth/login", self.base))
                .json(&body),
        )
        .await
    }

    pub async fn create_room(&self, token: &str, name: &str) -> Result<MyRoom, Error> {
        let body = json!({ "name": name });
        self.call(
            self.http
                .post(format!("{}/rooms", self.base))
                .bearer_auth(token)
                .json(&body),
        )
        .await
    }

    pub async fn join(&self, token: &str, number: i64) -> Result<JoinResult, Error> {
        let body = json!({ "number": number });
        self.call(
            self.http
                .post(format!("{}/rooms/join", self.base))
                .bearer_auth(token)
                .json(&body),
        )
        .await
    }

    pub async fn send(&self, token: &str, post: i64, body: &str) -> Result<Message, Error> {
        let payload = json!({ "client_id": uuid::Uuid::new_v4().to_string(), "body": body });
        self.call(
            self.http
                .post(format!("{}/posts/{post}/messages", self.base))
                .bearer_auth(token)
                .json(&payload),
        )
        .await
    }

    pub async fn history(
        &self,
        token: &str,
        post: i64,
        before: Option<i64>,
        limit: u32,
    ) -> Result<MessagePage, Error> {
        let mut url = format!("{}/posts/{post}/messages?limit={limit}", self.base);
        if let Some(before) = before {
            url.push_str(&format!("&before={before}"));
        }
        self.call(self.http.get(url).bearer_auth(token)).await
    }

    /// The rooms I am in.
    pub async fn my_rooms(&self, token: &str) -> Result<Vec<MyRoom>, Error> {
        self.call(
            self.http
                .get(format!("{}/rooms", self.base))
                .bearer_auth(token),
        )
        .await
    }

    /// `GET /search/messages`, newest first, one page.
    pub async fn search(
        &self,
        token: &str,
        q: &str,
        room: Option<i64>,
    ) -> Result<SearchResults, Error> {
        let mut query = vec![("q", q.to_owned())];
        if let Some(room) = room {
            query.push(("room_id", room.to_string()));
        }
        let url =
            reqwest::Url::parse_with_params(&format!("{}/search/messages", self.base), &query)?;
        self.call(self.http.get(url).bearer_auth(token)).await
    }

    pub async fn health(&self) -> Result<Value, Error> {
        self.call(self.http.get(format!("{}/health", self.base)))
            .await
    }
}
