//! Several real `teahouse` processes on one PostgreSQL database and one Redis behave as one
//! server (issue 17). Each test makes its own database and its own bus prefix; the tests
//! that take Redis away run their own `redis-server`. Without `TEST_DATABASE_URL` and
//! `TEST_REDIS_URL` (scripts/test.sh sets both when the servers answer) they are skipped.

use crate::helpers::*;
use serde_json::{Value, json};
use std::{
    collections::HashMap,
    io::{BufRead as _, BufReader},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

const METRICS_TOKEN: &str = "cluster-metrics";

/// One sample of an instance's `/metrics`.
async fn metric(app: &TestApp, name: &str) -> f64 {
    let scraped = app.get("/metrics", Some(METRICS_TOKEN)).await;
    assert_eq!(scraped.status, 200);
    let text = scraped.body.as_str().unwrap_or_default().to_owned();
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("{name} in {text}"))
}

/// One `teahouse serve` process.
struct Instance {
    child: Option<Child>,
    app: TestApp,
}

struct Cluster {
    database_url: String,
    redis_url: String,
    prefix: String,
    /// One files directory for all (a shared volume).
    data_dir: tempfile::TempDir,
    instances: Vec<Instance>,
    /// Settings of this test's own (over the defaults in `spawn`).
    env: Vec<(&'static str, &'static str)>,
}

/// The servers the cluster tests need, or `None` (skipped, with a note).
fn servers() -> Option<(String, String)> {
    match (
        std::env::var("TEST_DATABASE_URL"),
        std::env::var("TEST_REDIS_URL"),
    ) {
        (Ok(pg), Ok(redis)) if !pg.is_empty() && !redis.is_empty() => Some((pg, redis)),
        _ => {
            eprintln!("cluster test skipped: needs TEST_DATABASE_URL and TEST_REDIS_URL");
            None
        }
    }
}

impl Cluster {
    /// `n` instances on a new database, with Redis at `redis_url` (or the test Redis).
    async fn start(n: usize, redis_url: Option<String>) -> Option<Self> {
        Self::start_with(n, redis_url, Vec::new()).await
    }

    async fn start_with(
        n: usize,
        redis_url: Option<String>,
        env: Vec<(&'static str, &'static str)>,
    ) -> Option<Self> {
        let (_, test_redis) = servers()?;
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut cluster = Self {
            database_url: fresh_database_url(data_dir.path()).await,
            redis_url: redis_url.unwrap_or(test_redis),
            prefix: format!("test_{}", uuid::Uuid::new_v4().simple()),
            data_dir,
            instances: Vec::new(),
            env,
        };
        for _ in 0..n {
            let instance = cluster.spawn(&cluster.redis_url.clone());
            cluster.instances.push(instance);
        }
        Some(cluster)
    }

    /// Starts one more process (bound to a free port it reports) on the cluster's database.
    fn spawn(&self, redis_url: &str) -> Instance {
        let log_path = self
            .data_dir
            .path()
            .join(format!("server-{}.log", uuid::Uuid::new_v4().simple()));
        let mut child = Command::new(env!("CARGO_BIN_EXE_teahouse"))
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &self.database_url)
            .env("TEAHOUSE_REDIS_URL", redis_url)
            .env("TEAHOUSE_REDIS_PREFIX", &self.prefix)
            .env("TEAHOUSE_CATCH_UP_MS", "500")
            .env("TEAHOUSE_DATA_DIR", self.data_dir.path())
            .env("TEAHOUSE_STATIC_DIR", self.data_dir.path().join("no-spa"))
            .env("TEAHOUSE_BIND", "127.0.0.1:0")
            .env(
                "TEAHOUSE_LOG",
                std::env::var("TEST_CLUSTER_LOG")
                    .unwrap_or_else(|_| "warn,teahouse::realtime=info".into()),
            )
            // All instances sign and check the same tokens.
            .env(
                "TEAHOUSE_JWT_SECRET",
                "a-cluster-test-secret-of-enough-length-0123456789",
            )
            .env("TEAHOUSE_AUTH__ARGON2_MEMORY_KIB", "1024")
            .env("TEAHOUSE_AUTH__ARGON2_ITERATIONS", "1")
            .env("TEAHOUSE_PRESENCE_INTERVAL_MS", "50")
            .env("TEAHOUSE_PRESENCE_OFFLINE_GRACE_MS", "1000")
            .env("TEAHOUSE_LIMITS__ENABLED", "false")
            .env("TEAHOUSE_METRICS_TOKEN", METRICS_TOKEN)
            .envs(self.env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start teahouse");
        // The port is in the line it prints when it listens; the rest goes to a log file.
        let stderr = child.stderr.take().expect("stderr");
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::Write as _;
            let mut log = std::fs::File::create(log_path).ok();
            let mut port_tx = Some(port_tx);
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(log) = log.as_mut() {
                    let _ = writeln!(log, "{line}");
                }
                if let Some(rest) = line.split("http://127.0.0.1:").nth(1)
                    && let Some(tx) = port_tx.take()
                {
                    let port: u16 = rest.split('/').next().unwrap_or("").parse().unwrap_or(0);
                    let _ = tx.send(port);
                }
            }
        });
        let port = port_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the instance starts and reports its port");
        Instance {
            child: Some(child),
            app: TestApp::external(port),
        }
    }

    /// Runs `teahouse admin …` on the cluster's database and bus, as an operator would.
    fn admin(&self, args: &[&str]) {
        let out = Command::new(env!("CARGO_BIN_EXE_teahouse"))
            .arg("admin")
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &self.database_url)
            .env("TEAHOUSE_REDIS_URL", &self.redis_url)
            .env("TEAHOUSE_REDIS_PREFIX", &self.prefix)
            .env("TEAHOUSE_DATA_DIR", self.data_dir.path())
            .env("TEAHOUSE_LOG", "warn")
            .output()
            .expect("teahouse admin runs");
        assert!(out.status.success(), "{out:?}");
    }

    fn app(&self, i: usize) -> &TestApp {
        &self.instances[i].app
    }

    /// `kill -9`: no goodbye to anyone.
    fn kill(&mut self, i: usize) {
        if let Some(mut child) = self.instances[i].child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for i in 0..self.instances.len() {
            self.kill(i);
        }
        // A failed test shows what the servers said.
        if std::thread::panicking()
            && let Ok(entries) = std::fs::read_dir(self.data_dir.path())
        {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "log") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    eprintln!("---- {} ----\n{text}", path.display());
                }
            }
        }
    }
}

/// Room events of `room_id` from a socket until `count` messages arrived: their bodies
/// in arrival order, and the `seq`s seen.
async fn messages(ws: &mut WsClient, room_id: i64, count: usize) -> (Vec<String>, Vec<i64>) {
    let (mut bodies, mut seqs) = (Vec::new(), Vec::new());
    while bodies.len() < count {
        gather(&ws.next_of("event").await, room_id, &mut bodies, &mut seqs);
    }
    (bodies, seqs)
}

/// One frame into what `messages` gathers: the `seq` of each event of `room_id`, and the
/// text of what people wrote ("X joined" / "X left" notices are messages too).
fn gather(frame: &Value, room_id: i64, bodies: &mut Vec<String>, seqs: &mut Vec<i64>) {
    if frame["type"] != "event" || frame["room_id"] != room_id {
        return;
    }
    seqs.push(frame["seq"].as_i64().unwrap());
    let message = &frame["event"]["message"];
    if frame["event"]["kind"] == "message_created" && message["kind"] == "text" {
        bodies.push(message["body"].as_str().unwrap_or_default().to_owned());
    }
}

/// A client that, as the app does, reconnects when the server closes its socket and
/// resumes from its cursors (an instance that lost its bus closes every socket).
struct Follower<'a> {
    app: &'a TestApp,
    access: String,
    ws: WsClient,
    cursors: HashMap<i64, i64>,
    reconnects: usize,
}

impl<'a> Follower<'a> {
    async fn connect(app: &'a TestApp, user: &TestUser) -> Self {
        let ws = app.ws(user, json!([])).await;
        let cursors = ws.ready["rooms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["room_id"].as_i64().unwrap(), r["seq"].as_i64().unwrap()))
            .collect();
        Self {
            app,
            access: user.access.clone(),
            ws,
            cursors,
            reconnects: 0,
        }
    }

    async fn next(&mut self) -> Value {
        loop {
            match self.ws.next_or_close().await {
                Ok(frame) => {
                    if frame["type"] == "event" || frame["type"] == "room_added" {
                        self.cursors.insert(
                            frame["room_id"].as_i64().unwrap(),
                            frame["seq"].as_i64().unwrap(),
                        );
                    }
                    return frame;
                }
                Err(_) => {
                    let cursors: Vec<Value> = self
                        .cursors
                        .iter()
                        .map(|(room_id, seq)| json!({ "room_id": room_id, "seq": seq }))
                        .collect();
                    self.ws = WsClient::connect(self.app, &self.access, json!(cursors)).await;
                    self.reconnects += 1;
                }
            }
        }
    }

    /// As `messages`, across reconnections.
    async fn messages(&mut self, room_id: i64, count: usize) -> (Vec<String>, Vec<i64>) {
        let (mut bodies, mut seqs) = (Vec::new(), Vec::new());
        while bodies.len() < count {
            let frame = self.next().await;
            gather(&frame, room_id, &mut bodies, &mut seqs);
        }
        (bodies, seqs)
    }

    /// Until `user_id` shows with `status` (in a change or in a new socket's first list).
    async fn presence(&mut self, user_id: i64, status: &str) {
        loop {
            let frame = self.next().await;
            if frame["type"] == "presence"
                && frame["users"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|u| u["user_id"] == user_id && u["status"] == status)
            {
                return;
            }
        }
    }
}

fn in_order_once(seqs: &[i64]) {
    assert!(
        seqs.windows(2).all(|w| w[1] == w[0] + 1),
        "seqs in order, each once: {seqs:?}"
    );
}

#[actix_web::test]
async fn a_message_sent_through_one_instance_reaches_sockets_on_the_others_in_order_once() {
    let Some(cluster) = Cluster::start(3, None).await else {
        return;
    };
    let (a, b, c) = (cluster.app(0), cluster.app(1), cluster.app(2));
    let li = a.user("li").await;
    let han = b.user("han").await;
    let mei = c.user("mei").await;
    let room = a.create_room(&li, "Across", "public").await;
    b.join(&han, &room).await;
    c.join(&mei, &room).await;
    let mut on_b = b.ws(&han, json!([])).await;
    let mut on_c = c.ws(&mei, json!([])).await;
    // Sent through all three instances, interleaved: one order for everyone.
    let senders = [(a, &li), (b, &han), (c, &mei)];
    for n in 0..60 {
        let (app, who) = senders[n % 3];
        let sent = app.say(who, room.default_post, &format!("m{n}")).await;
        assert_eq!(sent.status, 201, "{:?}", sent.body);
    }
    let expected: Vec<String> = (0..60).map(|n| format!("m{n}")).collect();
    for ws in [&mut on_b, &mut on_c] {
        let (bodies, seqs) = messages(ws, room.id, 60).await;
        assert_eq!(bodies, expected);
        in_order_once(&seqs);
    }
    on_b.assert_no("event", Duration::from_millis(700)).await;
}

#[actix_web::test]
async fn typing_presence_friends_unread_and_membership_agree_on_every_instance() {
    let Some(cluster) = Cluster::start(2, None).await else {
        return;
    };
    let (a, b) = (cluster.app(0), cluster.app(1));
    let li = a.user("li").await;
    let han = b.user("han").await;
    let room = a.create_room(&li, "Together", "public").await;
    let mut han_ws = b.ws(&han, json!([])).await;
    let mut li_ws = a.ws(&li, json!([])).await;
    // Joining through B: both sockets hear it, and each other's presence comes with it.
    b.join(&han, &room).await;
    let joined = han_ws.next_of("room_added").await;
    assert_eq!(joined["room_id"], room.id);
    han_ws.presence(li.id, "online").await;
    li_ws.presence(han.id, "online").await;
    // The member list through A shows han, connected only to B, online.
    let members = a
        .get(
            &format!("/api/v1/rooms/{}/members", room.id),
            Some(&li.access),
        )
        .await;
    let han_there = members
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"]["id"] == han.id)
        .cloned()
        .unwrap_or_default();
    assert_eq!(han_there["presence"], "online", "{:?}", members.body);
    // Typing on A reaches B.
    li_ws
        .send(json!({ "type": "typing", "post_id": room.default_post }))
        .await;
    let typing = han_ws.next_of("typing").await;
    assert_eq!(typing["user"]["id"], li.id);
    // A message through B reaches li's socket on A.
    b.say(&han, room.default_post, "hello from B").await;
    let (bodies, _) = messages(&mut li_ws, room.id, 1).await;
    assert_eq!(bodies, ["hello from B"]);
    // Marked read through B by li's other device: li's socket on A hears the new count.
    let read = b
        .post(
            &format!("/api/v1/posts/{}/read", room.default_post),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert!(read.status.is_success(), "{:?}", read.body);
    let unread = li_ws.next_of("unread").await;
    assert_eq!(unread["post_id"], room.default_post, "{unread}");
    assert_eq!(unread["post_unread"], 0, "{unread}");
    // A friend request through A is heard by han's socket on B.
    let asked = a
        .post(
            "/api/v1/friends/requests",
            &json!({ "user_id": han.id }),
            Some(&li.access),
        )
        .await;
    assert_eq!(asked.status, 200, "{:?}", asked.body);
    let friends = han_ws.next_of("friends").await;
    assert_eq!(friends["event"]["kind"], "request", "{friends}");
    assert_eq!(friends["event"]["request"]["from"]["id"], li.id);
    // Away on B shows on A.
    han_ws
        .send(json!({ "type": "presence", "status": "away" }))
        .await;
    li_ws.presence(han.id, "away").await;
    // Leaving through B: li's member list hears it on A.
    let left = b
        .post(
            &format!("/api/v1/rooms/{}/leave", room.id),
            &json!({}),
            Some(&han.access),
        )
        .await;
    assert!(left.status.is_success(), "{:?}", left.body);
    loop {
        let event = li_ws.next_of("event").await;
        if event["event"]["kind"] == "member_left" {
            break;
        }
    }
    let removed = han_ws.next_of("room_removed").await;
    assert_eq!(removed["room_id"], room.id);
}

#[actix_web::test]
async fn a_login_on_one_instance_ends_the_session_on_another_within_a_second() {
    let Some(cluster) = Cluster::start(2, None).await else {
        return;
    };
    let (a, b) = (cluster.app(0), cluster.app(1));
    // The first account is the server's admin, who may not be deactivated below.
    a.user("boss").await;
    let li = b.user("li").await;
    let mut on_b = b.ws(&li, json!([])).await;
    let started = Instant::now();
    let login = a.login(&li.username, &li.password).await;
    assert_eq!(login.status, 200, "{:?}", login.body);
    let ended = on_b.next_of("session_ended").await;
    assert_eq!(ended["reason"], "replaced");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "ended within 1 s: {:?}",
        started.elapsed()
    );
    // The old token is refused on B too (the session cache heard it).
    b.me(&li.access).await.assert(401, "session_ended");
    // The admin command line, a process of its own, reaches the running instances too.
    let relogged = login.body["access_token"].as_str().unwrap().to_owned();
    let on_b = TestUser {
        access: relogged,
        ..li.clone()
    };
    let mut again = b.ws(&on_b, json!([])).await;
    assert_eq!(b.me(&on_b.access).await.status, 200, "cached as open on B");
    cluster.admin(&["deactivate", &li.username]);
    let ended = again.next_of("session_ended").await;
    assert_eq!(ended["reason"], "deactivated");
    b.me(&on_b.access).await.assert(401, "session_ended");
}

#[actix_web::test]
async fn losing_an_instance_loses_no_acknowledged_message_and_its_people_go_offline() {
    let Some(mut cluster) = Cluster::start(2, None).await else {
        return;
    };
    let li = cluster.app(0).user("li").await;
    let han = cluster.app(1).user("han").await;
    let room = cluster.app(0).create_room(&li, "Survivors", "public").await;
    cluster.app(1).join(&han, &room).await;
    let mut watcher = cluster.app(0).ws(&li, json!([])).await;
    let mut on_b = cluster.app(1).ws(&han, json!([])).await;
    watcher.presence(han.id, "online").await;
    // Messages flow through A; han reads on B.
    let mut acknowledged = Vec::new();
    for n in 0..20 {
        let sent = cluster
            .app(0)
            .say(&li, room.default_post, &format!("k{n}"))
            .await;
        assert_eq!(sent.status, 201);
        acknowledged.push(format!("k{n}"));
    }
    let (got, seqs) = messages(&mut on_b, room.id, 10).await;
    let cursor = *seqs.last().unwrap();
    // Messages keep flowing through A while B dies.
    let sender = {
        let app = TestApp::external(cluster.app(0).port);
        let (li, post) = (li.clone(), room.default_post);
        actix_web::rt::spawn(async move {
            let mut acknowledged = Vec::new();
            for n in 20..40 {
                let sent = app.say(&li, post, &format!("k{n}")).await;
                assert_eq!(sent.status, 201);
                acknowledged.push(format!("k{n}"));
                actix_web::rt::time::sleep(Duration::from_millis(10)).await;
            }
            acknowledged
        })
    };
    actix_web::rt::time::sleep(Duration::from_millis(60)).await;
    cluster.kill(1);
    drop(on_b);
    acknowledged.extend(sender.await.unwrap());
    // han's client reconnects to A with its cursor: the rest, once, in order.
    let mut on_a = cluster
        .app(0)
        .ws(&han, json!([{ "room_id": room.id, "seq": cursor }]))
        .await;
    let (rest, rest_seqs) = messages(&mut on_a, room.id, 30).await;
    let mut all = got;
    all.extend(rest);
    assert_eq!(all, acknowledged);
    in_order_once(&rest_seqs);
    assert_eq!(rest_seqs[0], cursor + 1);
    drop(on_a);
    // B said no goodbye: han shows offline after the instance timeout and the grace.
    let offline =
        tokio::time::timeout(Duration::from_secs(15), watcher.presence(han.id, "offline"))
            .await
            .expect("offline after the instance is taken as gone");
    assert!(offline["last_seen_at"].is_string(), "{offline}");
}

/// A TCP proxy to Redis that can stop passing bytes (a network cut between one instance
/// and Redis only), and pass them again.
struct Proxy {
    port: u16,
    paused: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Proxy {
    /// Runs on its own thread, so it keeps passing bytes while the test waits.
    fn start(target: String) -> Self {
        use std::sync::{Arc, atomic::AtomicBool};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let paused = Arc::new(AtomicBool::new(false));
        let flag = paused.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                while let Ok((client, _)) = listener.accept().await {
                    let Ok(server) = tokio::net::TcpStream::connect(&target).await else {
                        continue;
                    };
                    let (cr, cw) = client.into_split();
                    let (sr, sw) = server.into_split();
                    tokio::spawn(pipe(cr, sw, flag.clone()));
                    tokio::spawn(pipe(sr, cw, flag.clone()));
                }
            });
        });
        Self { port, paused }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    fn pause(&self, paused: bool) {
        self.paused
            .store(paused, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Copies bytes while not paused (held bytes wait, as on a cut link).
async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    paused: std::sync::Arc<std::sync::atomic::AtomicBool>,
) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        while paused.load(std::sync::atomic::Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

#[actix_web::test]
async fn an_instance_cut_off_from_redis_converges_through_the_catch_up_and_recovers() {
    let Some((_, redis)) = servers() else {
        return;
    };
    let target = redis
        .trim_start_matches("redis://")
        .trim_end_matches('/')
        .to_owned();
    let proxy = Proxy::start(target);
    let Some(mut cluster) = Cluster::start(1, None).await else {
        return;
    };
    let cut = cluster.spawn(&proxy.url());
    cluster.instances.push(cut);
    let (a, b) = (cluster.app(0), cluster.app(1));
    let li = a.user("li").await;
    let han = b.user("han").await;
    let room = a.create_room(&li, "Cut", "public").await;
    b.join(&han, &room).await;
    let mei = b.user("mei").await;
    b.join(&mei, &room).await;
    let mut on_b = Follower::connect(b, &han).await;
    let mut on_a = Follower::connect(a, &li).await;
    let mut mei_on_b = Follower::connect(b, &mei).await;
    on_a.presence(han.id, "online").await;
    // Cut: B hears nothing over the bus, and what B publishes is held up (a commit whose
    // publish is late, while A's go out at once). The database catch-up and the gap reads
    // still bring everything, in order, once; the late publishes arrive after and are
    // dropped as repeats.
    proxy.pause(true);
    // mei leaves through A: B does not hear it, but must not show mei the room any more.
    let left = a
        .post(
            &format!("/api/v1/rooms/{}/leave", room.id),
            &json!({}),
            Some(&mei.access),
        )
        .await;
    assert!(left.status.is_success(), "{:?}", left.body);
    for n in 0..10 {
        let (app, who) = if n % 3 == 2 { (b, &han) } else { (a, &li) };
        let sent = app.say(who, room.default_post, &format!("c{n}")).await;
        assert_eq!(sent.status, 201, "{:?}", sent.body);
    }
    let expected: Vec<String> = (0..10).map(|n| format!("c{n}")).collect();
    let (bodies, seqs) = on_b.messages(room.id, 10).await;
    assert_eq!(bodies, expected);
    in_order_once(&seqs);
    let (bodies, a_seqs) = on_a.messages(room.id, 10).await;
    assert_eq!(bodies, expected);
    in_order_once(&a_seqs);
    // mei's socket on B read its own leaving from the database and left the room: none of
    // what was said after it.
    loop {
        let frame = mei_on_b.next().await;
        assert!(
            !(frame["type"] == "event" && frame["event"]["message"]["kind"] == "text"),
            "after leaving: {frame}"
        );
        if frame["type"] == "room_removed" {
            break;
        }
    }
    // Cut for longer than an instance may stay silent: A takes B as gone (han offline
    // after the grace), B drops its dead subscription and keeps trying.
    on_a.presence(han.id, "offline").await;
    // Not ready while it cannot hear the others: a balancer's health check takes it out.
    b.get("/api/v1/health", None)
        .await
        .assert(503, "unavailable");
    assert_eq!(metric(b, "teahouse_bus_connected").await, 0.0);
    // Reconnected: B subscribes again; what it may have missed meanwhile (a membership
    // change, a session ending) is read again by every socket on B reconnecting, and A's
    // sockets do the same because B's publishes were lost. It says who is there; live
    // again, nothing twice.
    proxy.pause(false);
    let deadline = Instant::now() + Duration::from_secs(10);
    while b.get("/api/v1/health", None).await.status != 200 {
        assert!(Instant::now() < deadline, "B ready again");
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(metric(b, "teahouse_bus_connected").await, 1.0);
    assert!(metric(b, "teahouse_bus_reconnects_total").await >= 1.0);
    assert!(metric(b, "teahouse_catch_ups_total").await >= 1.0);
    assert!(metric(a, "teahouse_bus_received_total").await >= 1.0);
    a.say(&li, room.default_post, "after").await;
    let (after, after_seqs) = on_b.messages(room.id, 1).await;
    assert_eq!(after, ["after"]);
    assert_eq!(after_seqs[0], seqs.last().unwrap() + 1);
    assert!(on_b.reconnects >= 1, "B's sockets read their state again");
    let (after, again) = on_a.messages(room.id, 1).await;
    assert_eq!(after, ["after"]);
    assert_eq!(again[0], a_seqs.last().unwrap() + 1, "nothing twice on A");
    // han, back on B, shows online on A again; mei, back on B too, is still out.
    on_a.presence(han.id, "online").await;
    let heard = tokio::time::timeout(Duration::from_millis(1500), async {
        loop {
            let frame = mei_on_b.next().await;
            if frame["type"] == "event" && frame["room_id"] == room.id {
                return frame;
            }
        }
    })
    .await;
    assert!(heard.is_err(), "mei gets nothing of the room: {heard:?}");
}

/// Redis of our own, to restart.
struct OwnRedis {
    child: Option<Child>,
}

impl OwnRedis {
    fn start(port: u16) -> Self {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server runs");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server listens");
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { child: Some(child) }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

#[actix_web::test]
async fn a_redis_restart_mid_stream_loses_nothing_on_any_instance() {
    if servers().is_none() {
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut redis = OwnRedis::start(port);
    let Some(cluster) = Cluster::start(2, Some(format!("redis://127.0.0.1:{port}/"))).await else {
        return;
    };
    let (a, b) = (cluster.app(0), cluster.app(1));
    let li = a.user("li").await;
    let han = b.user("han").await;
    let room = a.create_room(&li, "Restart", "public").await;
    b.join(&han, &room).await;
    let mut sockets: HashMap<&str, Follower> = HashMap::new();
    sockets.insert("li on B", Follower::connect(b, &li).await);
    sockets.insert("han on A", Follower::connect(a, &han).await);
    sockets.insert("han on B", Follower::connect(b, &han).await);
    let mut sent = Vec::new();
    for n in 0..40 {
        if n == 15 {
            redis.stop();
        }
        if n == 25 {
            redis = OwnRedis::start(port);
        }
        let (app, who) = if n % 2 == 0 { (a, &li) } else { (b, &han) };
        let reply = app.say(who, room.default_post, &format!("r{n}")).await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        sent.push(format!("r{n}"));
    }
    for (name, follower) in sockets.iter_mut() {
        let (bodies, seqs) = follower.messages(room.id, 40).await;
        assert_eq!(bodies, sent, "{name}");
        in_order_once(&seqs);
    }
}

#[actix_web::test]
async fn limits_and_the_login_throttle_count_across_instances() {
    let Some(cluster) = Cluster::start_with(
        2,
        None,
        vec![
            ("TEAHOUSE_LIMITS__ENABLED", "true"),
            ("TEAHOUSE_LIMITS__MESSAGES__BURST", "4"),
            ("TEAHOUSE_LIMITS__MESSAGES__REFILL_MS", "60000"),
            ("TEAHOUSE_AUTH__LOGIN_BURST", "3"),
            ("TEAHOUSE_AUTH__LOGIN_REFILL_SECS", "60"),
        ],
    )
    .await
    else {
        return;
    };
    let (a, b) = (cluster.app(0), cluster.app(1));
    let li = a.user("li").await;
    let room = a.create_room(&li, "Limited", "public").await;
    // Four messages at once, wherever they are sent; the fifth waits, on either instance.
    for (n, app) in [a, b, a, b].into_iter().enumerate() {
        let sent = app.say(&li, room.default_post, &format!("n{n}")).await;
        assert_eq!(sent.status, 201, "{:?}", sent.body);
    }
    for app in [a, b] {
        let refused = app.say(&li, room.default_post, "one too many").await;
        refused.assert(429, "rate_limited");
        let wait: u64 = refused
            .headers
            .get("retry-after")
            .unwrap()
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
    }
    // Three wrong passwords, spread over both instances, then even the right one waits.
    for app in [a, b, a] {
        app.login(&li.username, "not the password")
            .await
            .assert(401, "invalid_credentials");
    }
    b.login(&li.username, &li.password)
        .await
        .assert(429, "rate_limited");
}

#[actix_web::test]
async fn instances_on_one_files_directory_serve_each_others_uploads_and_avatars() {
    let Some(cluster) = Cluster::start(2, None).await else {
        return;
    };
    let (a, b) = (cluster.app(0), cluster.app(1));
    let li = a.user("li").await;
    let han = b.user("han").await;
    let room = a.create_room(&li, "Shared files", "public").await;
    b.join(&han, &room).await;
    // Uploaded and sent through A; downloaded and thumbnailed through B.
    let photo = crate::files::png(320, 200);
    let id = a.upload_ok(&li, "tea.png", &photo).await;
    let sent = a
        .send_files(&li, room.default_post, "a photo", &[id.as_str()])
        .await;
    assert_eq!(sent.status, 201, "{:?}", sent.body);
    let path = format!("/api/v1/files/{id}");
    let got = b.fetch(&path, Some(&han.access), &[]).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.bytes, photo);
    let thumb = b
        .fetch(&format!("{path}/thumb"), Some(&han.access), &[])
        .await;
    assert_eq!(thumb.status, 200);
    // An avatar set through B is served by A.
    let picture = crate::files::png(300, 300);
    let avatar = b
        .multipart(
            "PUT",
            "/api/v1/me/avatar",
            &han.access,
            multipart_body(&[Part {
                name: "file",
                filename: Some("me.png"),
                content_type: Some("image/png"),
                data: &picture,
            }]),
        )
        .await;
    assert_eq!(avatar.status.as_u16(), 200, "{:?}", avatar.body);
    let key = avatar.body["avatar"].as_str().unwrap().to_owned();
    let served = a
        .fetch(&format!("/api/v1/avatars/{key}/64"), None, &[])
        .await;
    assert_eq!(served.status, 200);
    // Recalled through B: the file is gone through A too.
    let message = sent.body["id"].as_i64().unwrap();
    let recalled = b
        .post(
            &format!("/api/v1/messages/{message}/recall"),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(recalled.status.as_u16(), 200, "{:?}", recalled.body);
    assert_eq!(a.fetch(&path, Some(&han.access), &[]).await.status, 404);
}
