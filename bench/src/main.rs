//! `teahouse-bench`: drives a running Teahouse server through its public API (REST and
//! WebSocket) and prints figures. See docs/BENCHMARKS.md for the method and the results.

// Printing figures is this program's whole job.
#![allow(clippy::print_stdout)]

mod client;
mod fanout;
mod measure;
mod search;
mod socket;

use clap::{Parser, Subcommand};
use client::{Account, Client, Error};
use measure::Server;
use rand::Rng as _;
use std::{
    net::{SocketAddr, ToSocketAddrs as _},
    process::ExitCode,
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

#[derive(Parser)]
#[command(name = "teahouse-bench", about = "Load generator for Teahouse")]
struct Cli {
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Where the WebSockets connect, when not to `--url`: another instance of the same
    /// deployment (several instances on PostgreSQL and Redis), so every delivery crosses
    /// the bus.
    #[arg(long)]
    socket_url: Option<String>,
    /// The server's pid, for CPU and memory figures (default: find `teahouse serve`).
    #[arg(long)]
    pid: Option<u32>,
    /// Generator threads (the machine has 2 cores, shared with the server).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// The server under test: Teahouse, or the socket.io peer (`bench/peer/socketio`; fanout
    /// and slow-consumer only) for the side-by-side comparison.
    #[arg(long, value_enum, default_value_t = fanout::Protocol::Teahouse)]
    protocol: fanout::Protocol,
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Subcommand)]
enum Scenario {
    /// Rooms of connected members receive messages at increasing rates.
    Fanout {
        #[arg(long, default_value_t = 10)]
        rooms: usize,
        #[arg(long, default_value_t = 100)]
        members: usize,
        /// Messages per second per room, one step each.
        #[arg(long, value_delimiter = ',', default_values_t = vec![1.0, 10.0, 50.0, 100.0])]
        rates: Vec<f64>,
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
    },
    /// One member of each room stops reading; the others' latency must not move.
    SlowConsumer {
        #[arg(long, default_value_t = 10)]
        rooms: usize,
        #[arg(long, default_value_t = 100)]
        members: usize,
        #[arg(long, default_value_t = 20.0)]
        rate: f64,
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
    },
    /// Authenticated idle sockets: memory per connection, time to connect, and cleanup.
    Idle {
        #[arg(long, value_delimiter = ',', default_values_t = vec![1000usize, 5000, 10000])]
        steps: Vec<usize>,
    },
    /// One sender with many requests in flight into one room: persisted messages per second.
    Ingress {
        #[arg(long, default_value_t = 20000)]
        count: usize,
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
    },
    /// Random-cursor history pages from a post with many messages, at a fixed rate.
    History {
        /// Messages to put in the post first (skipped with --post).
        #[arg(long, default_value_t = 1_000_000)]
        messages: usize,
        /// Reuse a post seeded earlier: `--post ID --token ACCESS --min ID --max ID`.
        #[arg(long)]
        post: Option<i64>,
        #[arg(long)]
        token: Option<String>,
        #[arg(long)]
        min: Option<i64>,
        #[arg(long)]
        max: Option<i64>,
        #[arg(long, default_value_t = 2000.0)]
        rate: f64,
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
    },
    /// Logins per second against the argon2 ceiling, and fan-out latency while they run.
    Login {
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
    },
    /// Message search on a generated corpus of mixed Chinese and English: seeding, then
    /// latency per kind of query at a fixed rate, with and without a room filter.
    Search {
        /// Messages to seed first (0: search the corpus an earlier run seeded, `--account`).
        #[arg(long, default_value_t = 1_000_000)]
        messages: usize,
        /// Rooms the corpus is spread over.
        #[arg(long, default_value_t = 20)]
        rooms: usize,
        /// The account an earlier run seeded with (its rooms are searched).
        #[arg(long)]
        account: Option<String>,
        #[arg(long, default_value_t = 50.0)]
        rate: f64,
        /// Seconds per kind of query.
        #[arg(long, default_value_t = 20.0)]
        seconds: f64,
    },
    /// A short fan-out and ingress run that fails only on loss, repeats or errors (CI).
    Smoke,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cli.threads.max(1))
        .enable_all()
        .build();
    let runtime = match runtime {
        Ok(r) => r,
        Err(e) => {
            eprintln!("teahouse-bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("teahouse-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn prefix() -> String {
    format!("b{:x}", rand::rng().random::<u32>())
}

async fn run(cli: Cli) -> Result<bool, Error> {
    let client = Client::new(&cli.url)?;
    client
        .health()
        .await
        .map_err(|e| format!("server not reachable at {}: {e}", cli.url))?;
    let addr = server_addr(cli.socket_url.as_deref().unwrap_or(&cli.url))?;
    let server = Server::find(cli.pid);
    match &server {
        Some(s) => println!("server pid {} (CPU and memory from /proc)", s.pid),
        None => println!("server pid not found: no CPU or memory figures"),
    }
    let protocol = cli.protocol;
    let setup_rooms = async |rooms: usize, members: usize| match protocol {
        fanout::Protocol::Teahouse => fanout::setup(&client, &prefix(), rooms, members).await,
        fanout::Protocol::Socketio => Ok(fanout::peer_setup(rooms, members)),
    };
    if protocol == fanout::Protocol::Socketio
        && !matches!(
            cli.scenario,
            Scenario::Fanout { .. } | Scenario::SlowConsumer { .. }
        )
    {
        return Err("--protocol socketio runs only fanout and slow-consumer".into());
    }
    match cli.scenario {
        Scenario::Fanout {
            rooms,
            members,
            rates,
            seconds,
        } => {
            let setup = setup_rooms(rooms, members).await?;
            println!("fanout: {rooms} rooms × {members} members connected over WebSocket");
            let mut clean = true;
            for rate in rates {
                let outcome =
                    fanout::run(&client, addr, server, &setup, rate, seconds, 0, protocol).await?;
                outcome.print(&format!("fanout {rate} msg/s/room"));
                clean &= outcome.clean();
            }
            Ok(clean)
        }
        Scenario::SlowConsumer {
            rooms,
            members,
            rate,
            seconds,
        } => {
            let setup = setup_rooms(rooms, members).await?;
            let baseline =
                fanout::run(&client, addr, server, &setup, rate, seconds, 0, protocol).await?;
            baseline.print("slow-consumer baseline");
            let slowed =
                fanout::run(&client, addr, server, &setup, rate, seconds, 1, protocol).await?;
            slowed.print("slow-consumer with one stalled socket per room");
            if let (Some(a), Some(b)) = (&baseline.latency, &slowed.latency) {
                let (p_a, p_b) = (
                    a.value_at_quantile(0.99) as f64,
                    b.value_at_quantile(0.99) as f64,
                );
                println!(
                    "slow-consumer: p99 {} → {} ({:+.0} %)",
                    measure::ms(p_a as u64),
                    measure::ms(p_b as u64),
                    (p_b / p_a - 1.0) * 100.0
                );
            }
            Ok(baseline.clean() && slowed.clean())
        }
        Scenario::Idle { steps } => idle(&client, addr, server, &steps).await,
        Scenario::Ingress { count, concurrency } => {
            let (ok, _, _, _) = ingress(&client, None, count, concurrency, true).await?;
            Ok(ok)
        }
        Scenario::History {
            messages,
            post,
            token,
            min,
            max,
            rate,
            seconds,
        } => history(&client, messages, post, token, min, max, rate, seconds).await,
        Scenario::Login {
            seconds,
            concurrency,
        } => login(&client, addr, server, seconds, concurrency).await,
        Scenario::Search {
            messages,
            rooms,
            account,
            rate,
            seconds,
        } => search::run(&client, messages, rooms, account, rate, seconds).await,
        Scenario::Smoke => {
            let setup = fanout::setup(&client, &prefix(), 2, 10).await?;
            let outcome = fanout::run(
                &client,
                addr,
                server,
                &setup,
                20.0,
                3.0,
                0,
                fanout::Protocol::Teahouse,
            )
            .await?;
            outcome.print("smoke fanout");
            let (ok, _, _, _) = ingress(&client, None, 500, 16, true).await?;
            let clean = outcome.clean() && outcome.sent > 0 && ok;
            println!(
                "smoke: {}",
                if clean {
                    "no loss, no repeats, no errors"
                } else {
                    "FAILED"
                }
            );
            Ok(clean)
        }
    }
}

fn server_addr(url: &str) -> Result<SocketAddr, Error> {
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    host.to_socket_addrs()?
        .find(|a| a.is_ipv4())
        .ok_or_else(|| "no IPv4 address for the server".into())
}

/// Where pipelined sends go: message `i` into `posts[i % posts.len()]` with `body(i)`.
pub struct Load {
    pub posts: Vec<i64>,
    pub token: String,
    /// Logs in again with this when the access token runs out.
    pub account: Option<Account>,
    pub body: Arc<dyn Fn(usize) -> String + Send + Sync>,
}

/// What a pipelined run did.
pub struct Sent {
    pub errors: u64,
    pub latency: hdrhistogram::Histogram<u64>,
    pub seconds: f64,
    /// The smallest and largest message ids written.
    pub range: (i64, i64),
    /// The access token at the end (it may have been renewed).
    pub token: String,
}

/// Pipelined sends into one post. Returns (no errors, post id, token, (min id, max id)).
async fn ingress(
    client: &Client,
    target: Option<(i64, String)>,
    count: usize,
    concurrency: usize,
    report: bool,
) -> Result<(bool, i64, String, (i64, i64)), Error> {
    let (post, token, account) = match target {
        Some((post, token)) => (post, token, None),
        None => {
            let account = client.register(&prefix()).await?;
            let room = client.create_room(&account.access, "ingress").await?;
            (
                room.default_post_id.0,
                account.access.clone(),
                Some(account),
            )
        }
    };
    let load = Load {
        posts: vec![post],
        token,
        account,
        body: Arc::new(|i| format!("ingress message {i}")),
    };
    let sent = send_pipelined(client, load, count, concurrency).await?;
    if report {
        println!(
            "ingress: {count} messages, {concurrency} in flight, {:.1} s = {:.0} persisted msgs/s; errors {}",
            sent.seconds,
            count as f64 / sent.seconds,
            sent.errors
        );
        println!("ingress: ack latency {}", measure::summary(&sent.latency));
    }
    Ok((sent.errors == 0, post, sent.token, sent.range))
}

/// `count` sends, `concurrency` in flight. Long runs outlive an access token (15
/// minutes): on a 401 the sender logs in again and retries, as a real client would.
pub async fn send_pipelined(
    client: &Client,
    load: Load,
    count: usize,
    concurrency: usize,
) -> Result<Sent, Error> {
    let token = Arc::new(tokio::sync::RwLock::new(load.token.clone()));
    let load = Arc::new(load);
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let ids = Arc::new((AtomicU64::new(u64::MAX), AtomicU64::new(0)));
    let start = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (client, token, load, next, errors, ids) = (
            client.clone(),
            token.clone(),
            load.clone(),
            next.clone(),
            errors.clone(),
            ids.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut latency = measure::histogram();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    break;
                }
                let sent_at = Instant::now();
                let body = (load.body)(i);
                let post = load.posts[i % load.posts.len()];
                let current = token.read().await.clone();
                let mut result = client.send(&current, post, &body).await;
                if let (Err(e), Some(account)) = (&result, load.account.as_ref())
                    && e.to_string().contains("401")
                {
                    let mut guard = token.write().await;
                    if *guard == current
                        && let Ok(session) =
                            client.login(&account.username, &account.password).await
                    {
                        *guard = session.access_token;
                    }
                    let fresh = guard.clone();
                    drop(guard);
                    result = client.send(&fresh, post, &body).await;
                }
                match result {
                    Ok(message) => {
                        let _ = latency.record(sent_at.elapsed().as_micros().max(1) as u64);
                        ids.0.fetch_min(message.id.0 as u64, Ordering::Relaxed);
                        ids.1.fetch_max(message.id.0 as u64, Ordering::Relaxed);
                    }
                    Err(e) => {
                        // The first few say what went wrong (a smoke failure must be
                        // diagnosable from CI's output alone).
                        if errors.fetch_add(1, Ordering::Relaxed) < 5 {
                            eprintln!("ingress: send {i} failed: {e}");
                        }
                    }
                }
            }
            latency
        }));
    }
    let mut latency = measure::histogram();
    for worker in workers {
        latency.add(worker.await?).map_err(|e| e.to_string())?;
    }
    let token = token.read().await.clone();
    Ok(Sent {
        errors: errors.load(Ordering::Relaxed),
        latency,
        seconds: start.elapsed().as_secs_f64(),
        range: (
            ids.0.load(Ordering::Relaxed) as i64,
            ids.1.load(Ordering::Relaxed) as i64,
        ),
        token,
    })
}

async fn idle(
    client: &Client,
    addr: SocketAddr,
    server: Option<Server>,
    steps: &[usize],
) -> Result<bool, Error> {
    let account = client.register(&prefix()).await?;
    let base = server.map(|s| s.sample()).unwrap_or_default();
    println!(
        "idle: server before: RSS {} KiB, {} open files",
        base.rss_kib, base.fds
    );
    let mut sockets = Vec::new();
    let mut previous = base;
    for &target in steps {
        let start = Instant::now();
        let opening = target.saturating_sub(sockets.len());
        // Open in parallel batches.
        while sockets.len() < target {
            let batch = (target - sockets.len()).min(200);
            let mut tasks = Vec::new();
            for k in 0..batch {
                let index = sockets.len() + k;
                let token = account.access.clone();
                tasks.push(tokio::spawn(async move {
                    let mut ws = socket::connect(addr, index, Some(4096)).await?;
                    socket::authenticate(&mut ws, &token, Vec::new()).await?;
                    Ok::<_, Error>(ws)
                }));
            }
            for task in tasks {
                sockets.push(task.await??);
            }
        }
        let took = start.elapsed();
        tokio::time::sleep(Duration::from_secs(1)).await;
        let now = server.map(|s| s.sample()).unwrap_or_default();
        let slope = (now.rss_kib as f64 - previous.rss_kib as f64) / opening.max(1) as f64;
        println!(
            "idle {target}: opened {opening} sockets in {:.2} s ({:.0}/s); server RSS {} KiB, {:.1} KiB per added socket, {} open files",
            took.as_secs_f64(),
            opening as f64 / took.as_secs_f64(),
            now.rss_kib,
            slope,
            now.fds
        );
        previous = now;
    }
    let total = sockets.len();
    drop(sockets);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = server.map(|s| s.sample()).unwrap_or_default();
    println!(
        "idle: after closing all {total}: server RSS {} KiB ({:+} KiB vs before), {} open files ({:+} vs before)",
        after.rss_kib,
        after.rss_kib as i64 - base.rss_kib as i64,
        after.fds,
        after.fds as i64 - base.fds as i64
    );
    // What the sockets held, measured against the memory they gave back: the slope above
    // also counts (or hides) what the server allocated or freed for other reasons while
    // they opened, such as startup allocations the allocator still kept.
    println!(
        "idle: held by the {total} open sockets: {:.1} KiB each (RSS with them open minus RSS after they closed)",
        (previous.rss_kib as f64 - after.rss_kib as f64) / total.max(1) as f64
    );
    Ok(true)
}

#[allow(clippy::too_many_arguments)]
async fn history(
    client: &Client,
    messages: usize,
    post: Option<i64>,
    token: Option<String>,
    min: Option<i64>,
    max: Option<i64>,
    rate: f64,
    seconds: f64,
) -> Result<bool, Error> {
    let (post, token, (min, max)) = match (post, token, min, max) {
        (Some(post), Some(token), Some(min), Some(max)) => (post, token, (min, max)),
        _ => {
            println!("history: seeding {messages} messages (pipelined; this takes a while)");
            let start = Instant::now();
            let (_, post, token, range) = ingress(client, None, messages, 64, false).await?;
            println!(
                "history: seeded post {post} in {:.0} s; reuse with --post {post} --token {token} --min {} --max {}",
                start.elapsed().as_secs_f64(),
                range.0,
                range.1
            );
            (post, token, range)
        }
    };
    let start = Instant::now();
    let errors = Arc::new(AtomicU64::new(0));
    let tasks = measure::open_loop(rate, seconds, |scheduled| {
        let before = rand::rng().random_range(min..=max);
        let (client, token, errors) = (client.clone(), token.clone(), errors.clone());
        async move {
            match client.history(&token, post, Some(before), 50).await {
                Ok(_) => Some(
                    Instant::now()
                        .saturating_duration_since(scheduled)
                        .as_micros() as u64,
                ),
                Err(_) => {
                    errors.fetch_add(1, Ordering::Relaxed);
                    None
                }
            }
        }
    })
    .await;
    let mut latency = measure::histogram();
    for task in tasks {
        if let Some(micros) = task.await? {
            let _ = latency.record(micros.max(1));
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "history: {} pages of 50 at {rate:.0} req/s scheduled, {:.0} req/s done; errors {}",
        latency.len(),
        latency.len() as f64 / elapsed,
        errors.load(Ordering::Relaxed)
    );
    println!(
        "history: latency from scheduled time {}",
        measure::summary(&latency)
    );
    Ok(errors.load(Ordering::Relaxed) == 0)
}

async fn login(
    client: &Client,
    addr: SocketAddr,
    server: Option<Server>,
    seconds: f64,
    concurrency: usize,
) -> Result<bool, Error> {
    // The ceiling: one argon2id hash with the server's parameters, on this machine.
    let params = argon2::Params::new(19_456, 2, 1, None).map_err(|e| e.to_string())?;
    let hasher = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = [0u8; 32];
    let start = Instant::now();
    for _ in 0..5 {
        hasher
            .hash_password_into(b"benchmark password", b"benchmark salt!!", &mut out)
            .map_err(|e| e.to_string())?;
    }
    let hash = start.elapsed() / 5;
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let ceiling = cores as f64 / hash.as_secs_f64();
    println!(
        "login: one argon2id hash (19 MiB, t=2) takes {:.1} ms here; ceiling with {cores} cores: {ceiling:.0} logins/s",
        hash.as_secs_f64() * 1000.0
    );

    // A light fan-out, alone and then while logins run.
    let setup = fanout::setup(client, &prefix(), 2, 20).await?;
    let teahouse = fanout::Protocol::Teahouse;
    let alone = fanout::run(client, addr, server, &setup, 10.0, seconds, 0, teahouse).await?;
    alone.print("login: fan-out alone");

    let accounts: Vec<_> = {
        let mut v = Vec::new();
        for _ in 0..concurrency.max(1) {
            v.push(client.register(&prefix()).await?);
        }
        v
    };
    let stop = Instant::now() + Duration::from_secs_f64(seconds + 1.0);
    let logins = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::new();
    for account in accounts {
        let (client, logins, failures) = (client.clone(), logins.clone(), failures.clone());
        workers.push(tokio::spawn(async move {
            while Instant::now() < stop {
                match client.login(&account.username, &account.password).await {
                    Ok(_) => logins.fetch_add(1, Ordering::Relaxed),
                    Err(_) => failures.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    let started = Instant::now();
    let during = fanout::run(client, addr, server, &setup, 10.0, seconds, 0, teahouse).await?;
    for w in workers {
        w.await?;
    }
    let rate = logins.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
    println!(
        "login: {rate:.1} logins/s with {concurrency} clients = {:.0} % of the ceiling; failures {}",
        rate / ceiling * 100.0,
        failures.load(Ordering::Relaxed)
    );
    during.print("login: fan-out during logins");
    Ok(alone.clean() && during.clean())
}
