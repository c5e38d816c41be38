#![allow(dead_code)]

use awc::http::StatusCode;
use sea_orm::{ConnectionTrait, Database};
use serde::Serialize;
use serde_json::{Value, json};
use std::time::Duration;
use teahouse::{config::Config, startup::Application};

/// Every request in a test gives up after this long, so a hang fails instead of stalling.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub config: Config,
    pub client: awc::Client,
    _data_dir: tempfile::TempDir,
}

/// A response, read whole: status, headers we care about, JSON body (Null if none).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub headers: awc::http::header::HeaderMap,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }

    pub fn field(&self, name: &str) -> &str {
        self.body["details"]["fields"][name]
            .as_str()
            .unwrap_or_default()
    }

    #[track_caller]
    pub fn assert(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "{:?}", self.body);
        assert_eq!(self.code(), code, "{:?}", self.body);
        assert!(
            self.body["message"].is_string(),
            "error body has a message: {:?}",
            self.body
        );
    }
}

/// A registered user and the session registration opened.
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub password: String,
    pub access: String,
    pub refresh: String,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts a server whose config `customise` may change first.
pub async fn spawn_app_with(customise: impl FnOnce(&mut Config)) -> TestApp {
    teahouse::telemetry::init(&std::env::var("TEST_LOG").unwrap_or_else(|_| "warn".into()));
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config {
        bind: "127.0.0.1:0".into(),
        data_dir: data_dir.path().to_owned(),
        static_dir: data_dir.path().join("no-spa"),
        database_url: Some(test_database_url(data_dir.path()).await),
        ..Config::default()
    };
    // Real argon2id, with cheaper parameters: the cost is not what these tests test.
    config.auth.argon2_memory_kib = 1024;
    config.auth.argon2_iterations = 1;
    // Presence paced for tests: announced within 20 ms, offline 150 ms after the last socket.
    config.presence_interval_ms = 20;
    config.presence_offline_grace_ms = 150;
    customise(&mut config);
    spawn_app_on(config, data_dir).await
}

/// A fresh database for a test that sets up its own data directory (a restore).
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    test_database_url(dir).await
}

/// A server on this configuration and data directory (kept as long as the app).
pub async fn spawn_app_on(config: Config, data_dir: tempfile::TempDir) -> TestApp {
    let app = Application::build(config.clone())
        .await
        .expect("app builds");
    let port = app.port();
    actix_web::rt::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        config,
        client: awc::Client::builder().timeout(REQUEST_TIMEOUT).finish(),
        _data_dir: data_dir,
    }
}

/// SQLite in the test's temp dir, or a brand-new database on the PostgreSQL server that
/// `TEST_DATABASE_URL` points at.
async fn test_database_url(dir: &std::path::Path) -> String {
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        return format!("sqlite://{}?mode=rwc", dir.join("test.db").display());
    };
    let name = format!("teahouse_test_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(&base)
        .await
        .expect("connect to TEST_DATABASE_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    let (without_query, query) = match base.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (base.as_str(), String::new()),
    };
    let (server, _) = without_query
        .rsplit_once('/')
        .expect("URL has a database path");
    format!("{server}/{name}{query}")
}

impl TestApp {
    /// A server running in another process on this machine (the cluster tests).
    pub fn external(port: u16) -> Self {
        Self {
            address: format!("http://127.0.0.1:{port}"),
            port,
            config: Config::default(),
            client: awc::Client::builder().timeout(REQUEST_TIMEOUT).finish(),
            _data_dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A connection of the test's own to this server's database.
    pub async fn database(&self) -> sea_orm::DatabaseConnection {
        Database::connect(self.config.database_url())
            .await
            .expect("connect to the app's database")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    async fn read<S>(mut res: awc::ClientResponse<S>, method: &str, path: &str) -> Reply
    where
        S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>>
            + Unpin,
    {
        let status = res.status();
        let headers = res.headers().clone();
        crate::conformance::check(method, path, status.as_u16(), &headers);
        let bytes = res.body().limit(10 * 1024 * 1024).await.expect("read body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Reply {
            status,
            body,
            headers,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        let mut req = self.client.get(self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        Self::read(req.send().await.expect("GET"), "GET", path).await
    }

    pub async fn post(&self, path: &str, body: &impl Serialize, token: Option<&str>) -> Reply {
        let mut req = self.client.post(self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        Self::read(req.send_json(body).await.expect("POST"), "POST", path).await
    }

    pub async fn patch(&self, path: &str, body: &impl Serialize, token: Option<&str>) -> Reply {
        let mut req = self.client.patch(self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        Self::read(req.send_json(body).await.expect("PATCH"), "PATCH", path).await
    }

    /// A JSON POST as if from `client` behind a proxy (`X-Forwarded-For`).
    pub async fn post_from(&self, client: &str, path: &str, body: &impl Serialize) -> Reply {
        let req = self
            .client
            .post(self.url(path))
            .insert_header(("x-forwarded-for", client));
        Self::read(req.send_json(body).await.expect("POST"), "POST", path).await
    }

    /// A request with a raw body and content type, for malformed-input tests.
    pub async fn raw(&self, method: &str, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
        let verb = method;
        let method = awc::http::Method::from_bytes(method.as_bytes()).expect("method");
        let req = self
            .client
            .request(method, self.url(path))
            .insert_header(("content-type", content_type));
        Self::read(req.send_body(body).await.expect("request"), verb, path).await
    }

    /// A raw body with a content type, as someone logged in.
    pub async fn raw_as(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
        token: &str,
    ) -> Reply {
        let req = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .insert_header(("content-type", content_type));
        Self::read(req.send_body(body).await.expect("request"), "POST", path).await
    }

    pub async fn register(&self, body: Value) -> Reply {
        self.post("/api/v1/auth/register", &body, None).await
    }

    pub async fn login(&self, login: &str, password: &str) -> Reply {
        self.post(
            "/api/v1/auth/login",
            &json!({ "login": login, "password": password }),
            None,
        )
        .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Reply {
        self.post(
            "/api/v1/auth/refresh",
            &json!({ "refresh_token": refresh_token }),
            None,
        )
        .await
    }

    pub async fn logout(&self, refresh_token: &str) -> Reply {
        self.post(
            "/api/v1/auth/logout",
            &json!({ "refresh_token": refresh_token }),
            None,
        )
        .await
    }

    pub async fn me(&self, access: &str) -> Reply {
        self.get("/api/v1/me", Some(access)).await
    }

    /// Registers `username` with a valid email and password; panics unless it works.
    pub async fn user(&self, username: &str) -> TestUser {
        let email = format!("{}@example.com", username.to_lowercase());
        let password = format!("{username}-drinks-green-tea");
        let reply = self
            .register(json!({ "username": username, "email": email, "password": password }))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        TestUser {
            id: reply.body["user"]["id"].as_i64().expect("id"),
            username: username.into(),
            email,
            password,
            access: reply.body["access_token"].as_str().expect("access").into(),
            refresh: reply.body["refresh_token"]
                .as_str()
                .expect("refresh")
                .into(),
        }
    }
}

// ---- rooms, posts, messages -------------------------------------------------------------

/// A room made by a test user, with what the tests need of it.
#[derive(Clone, Debug)]
pub struct TestRoom {
    pub id: i64,
    pub number: i64,
    pub default_post: i64,
}

impl TestApp {
    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        let mut req = self.client.delete(self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        Self::read(req.send().await.expect("DELETE"), "DELETE", path).await
    }

    pub async fn put(&self, path: &str, body: &impl Serialize, token: Option<&str>) -> Reply {
        let mut req = self.client.put(self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        Self::read(req.send_json(body).await.expect("PUT"), "PUT", path).await
    }

    pub async fn create_room(&self, owner: &TestUser, name: &str, visibility: &str) -> TestRoom {
        let reply = self
            .post(
                "/api/v1/rooms",
                &json!({ "name": name, "visibility": visibility }),
                Some(&owner.access),
            )
            .await;
        assert_eq!(reply.status.as_u16(), 201, "{:?}", reply.body);
        TestRoom {
            id: reply.body["id"].as_i64().unwrap(),
            number: reply.body["number"].as_i64().unwrap(),
            default_post: reply.body["default_post_id"].as_i64().unwrap(),
        }
    }

    /// The usual cast: Li owns the public room "Tea club", and Han has joined it.
    pub async fn two_members(&self) -> (TestUser, TestUser, TestRoom) {
        let li = self.user("lilei").await;
        let han = self.user("hanmeimei").await;
        let room = self.create_room(&li, "Tea club", "public").await;
        self.join(&han, &room).await;
        (li, han, room)
    }

    /// Joins a public room by number; panics unless it worked.
    pub async fn join(&self, user: &TestUser, room: &TestRoom) {
        let reply = self
            .post(
                "/api/v1/rooms/join",
                &json!({ "number": room.number }),
                Some(&user.access),
            )
            .await;
        assert_eq!(reply.status.as_u16(), 200, "{:?}", reply.body);
        assert_eq!(reply.body["status"], "joined", "{:?}", reply.body);
    }

    /// Sends a text message with a fresh client id.
    pub async fn say(&self, user: &TestUser, post: i64, body: &str) -> Reply {
        self.send_with_id(user, post, &uuid::Uuid::new_v4().to_string(), body)
            .await
    }

    pub async fn send_with_id(
        &self,
        user: &TestUser,
        post: i64,
        client_id: &str,
        body: &str,
    ) -> Reply {
        self.post(
            &format!("/api/v1/posts/{post}/messages"),
            &json!({ "client_id": client_id, "body": body }),
            Some(&user.access),
        )
        .await
    }

    pub async fn history(&self, user: &TestUser, post: i64, query: &str) -> Reply {
        self.get(
            &format!("/api/v1/posts/{post}/messages{query}"),
            Some(&user.access),
        )
        .await
    }

    pub async fn ws(&self, user: &TestUser, cursors: Value) -> WsClient {
        WsClient::connect(self, &user.access, cursors).await
    }
}

// ---- a WebSocket client with a timeout on every wait -------------------------------------

/// How long a test waits for a frame before failing.
const FRAME_TIMEOUT: Duration = Duration::from_secs(10);

pub struct WsClient {
    pub framed: actix_codec::Framed<awc::BoxedSocket, awc::ws::Codec>,
    /// The `ready` frame.
    pub ready: Value,
}

impl WsClient {
    /// Connects, authenticates with `cursors` (`{ "<room id>": seq }`) and waits for `ready`.
    pub async fn connect(app: &TestApp, token: &str, cursors: Value) -> Self {
        let (_, framed) = awc::Client::new()
            .ws(format!("ws://127.0.0.1:{}/api/v1/ws", app.port))
            .connect()
            .await
            .expect("websocket connects");
        let mut client = Self {
            framed,
            ready: Value::Null,
        };
        client
            .send(json!({ "type": "auth", "token": token, "cursors": cursors }))
            .await;
        let ready = client.next().await;
        assert_eq!(ready["type"], "ready", "{ready}");
        client.ready = ready;
        client
    }

    /// Connects without authenticating (for tests of what happens then).
    pub async fn unauthenticated(app: &TestApp) -> Self {
        let (_, framed) = awc::Client::new()
            .ws(format!("ws://127.0.0.1:{}/api/v1/ws", app.port))
            .connect()
            .await
            .expect("websocket connects");
        Self {
            framed,
            ready: Value::Null,
        }
    }

    /// Reads until the server closes the socket: the frames before, and the close code.
    pub async fn until_closed(&mut self) -> (Vec<Value>, Option<u16>) {
        let mut frames = Vec::new();
        loop {
            match self.next_or_close().await {
                Ok(frame) => frames.push(frame),
                Err(code) => return (frames, code),
            }
        }
    }

    pub async fn send(&mut self, frame: Value) {
        use futures_util::SinkExt as _;
        self.framed
            .send(awc::ws::Message::Text(frame.to_string().into()))
            .await
            .expect("send frame");
    }

    /// The next JSON frame; panics after `FRAME_TIMEOUT` or if the socket closes.
    pub async fn next(&mut self) -> Value {
        match self.next_or_close().await {
            Ok(frame) => frame,
            Err(code) => panic!("socket closed ({code:?}) while waiting for a frame"),
        }
    }

    /// The next JSON frame, or the close code if the socket closes first.
    pub async fn next_or_close(&mut self) -> Result<Value, Option<u16>> {
        use futures_util::StreamExt as _;
        loop {
            let frame = tokio::time::timeout(FRAME_TIMEOUT, self.framed.next())
                .await
                .expect("a frame within the timeout");
            match frame {
                Some(Ok(awc::ws::Frame::Text(bytes))) => {
                    return Ok(serde_json::from_slice(&bytes).expect("JSON frame"));
                }
                Some(Ok(awc::ws::Frame::Close(reason))) => {
                    return Err(reason.map(|r| u16::from(r.code)));
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Err(None),
            }
        }
    }

    /// The next frame of one `type` (skipping online lists, typing and the like).
    pub async fn next_of(&mut self, kind: &str) -> Value {
        loop {
            let frame = self.next().await;
            if frame["type"] == kind {
                return frame;
            }
        }
    }

    /// Waits until a presence frame says `user_id` has `status`; returns that entry.
    pub async fn presence(&mut self, user_id: i64, status: &str) -> Value {
        loop {
            let frame = self.next_of("presence").await;
            if let Some(entry) = frame["users"]
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["user_id"] == user_id)
                && entry["status"] == status
            {
                return entry.clone();
            }
        }
    }

    /// Asserts that no frame of type `kind` arrives within `window`.
    pub async fn assert_no(&mut self, kind: &str, window: Duration) {
        use futures_util::StreamExt as _;
        let deadline = tokio::time::Instant::now() + window;
        loop {
            match tokio::time::timeout_at(deadline, self.framed.next()).await {
                Err(_) => return,
                Ok(Some(Ok(awc::ws::Frame::Text(bytes)))) => {
                    let frame: Value = serde_json::from_slice(&bytes).unwrap();
                    assert_ne!(frame["type"], kind, "unexpected frame {frame}");
                }
                Ok(Some(Ok(_))) => {}
                Ok(_) => return,
            }
        }
    }

    pub async fn close(mut self) {
        use futures_util::SinkExt as _;
        let _ = self.framed.send(awc::ws::Message::Close(None)).await;
    }
}

// ---- files -------------------------------------------------------------------------------

/// A download, read whole as bytes.
#[derive(Debug)]
pub struct Download {
    pub status: u16,
    pub headers: awc::http::header::HeaderMap,
    pub bytes: Vec<u8>,
}

impl Download {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// One part of a multipart body.
pub struct Part<'a> {
    pub name: &'a str,
    /// The `filename` parameter, written as browsers do (raw UTF-8, `"` as `%22`).
    pub filename: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub data: &'a [u8],
}

pub const BOUNDARY: &str = "----teahouse-test-boundary-7MA4YWxkTrZu0gW";

/// A multipart/form-data body of these parts.
pub fn multipart_body(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", part.name);
        if let Some(filename) = part.filename {
            disposition.push_str(&format!("; filename=\"{}\"", filename.replace('"', "%22")));
        }
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        if let Some(ct) = part.content_type {
            body.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(part.data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

impl TestApp {
    /// Sends a multipart body (with its length) to `path`.
    pub async fn multipart(&self, method: &str, path: &str, token: &str, body: Vec<u8>) -> Reply {
        let verb = method;
        let method = awc::http::Method::from_bytes(method.as_bytes()).expect("method");
        let req = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token)
            .insert_header((
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            ));
        Self::read(
            req.send_body(body).await.expect("multipart request"),
            verb,
            path,
        )
        .await
    }

    /// Uploads `data` as a file called `name` (the part's filename).
    pub async fn upload(&self, user: &TestUser, name: &str, data: &[u8]) -> Reply {
        let body = multipart_body(&[Part {
            name: "file",
            filename: Some(name),
            content_type: Some("application/octet-stream"),
            data,
        }]);
        self.multipart("POST", "/api/v1/files", &user.access, body)
            .await
    }

    /// Uploads and returns the file's id; panics unless it was stored.
    pub async fn upload_ok(&self, user: &TestUser, name: &str, data: &[u8]) -> String {
        let reply = self.upload(user, name, data).await;
        assert_eq!(reply.status.as_u16(), 201, "{:?}", reply.body);
        reply.body["id"].as_str().expect("file id").to_owned()
    }

    /// Sends a message with attachments.
    pub async fn send_files(
        &self,
        user: &TestUser,
        post: i64,
        body: &str,
        files: &[&str],
    ) -> Reply {
        self.post(
            &format!("/api/v1/posts/{post}/messages"),
            &json!({
                "client_id": uuid::Uuid::new_v4().to_string(),
                "body": body,
                "attachments": files,
            }),
            Some(&user.access),
        )
        .await
    }

    /// GET with extra headers, the body as bytes.
    pub async fn fetch(
        &self,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Download {
        let mut req = self.client.get(self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        let mut res = req.send().await.expect("GET");
        crate::conformance::check("GET", path, res.status().as_u16(), res.headers());
        let bytes = res.body().limit(64 * 1024 * 1024).await.expect("read body");
        Download {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            bytes: bytes.to_vec(),
        }
    }

    /// Every regular file under the data directory's `files/` (uploads and scratch).
    pub fn stored_files(&self) -> Vec<std::path::PathBuf> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.config.data_dir.join("files"), &mut out);
        out
    }
}
