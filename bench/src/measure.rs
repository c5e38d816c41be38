//! Figures: latency histograms, and the server's CPU time, memory and open files from /proc.

use hdrhistogram::Histogram;
use std::time::Duration;

/// Latencies in microseconds, 1 µs to 60 s, 3 significant digits.
pub fn histogram() -> Histogram<u64> {
    match Histogram::new_with_bounds(1, 60_000_000, 3) {
        Ok(h) => h,
        // Constant, valid bounds: this cannot happen.
        Err(e) => panic!("histogram bounds: {e}"),
    }
}

/// `p50 1.2 ms · p99 3.4 ms · p99.9 5.6 ms · max 7.8 ms` (n = …)
pub fn summary(h: &Histogram<u64>) -> String {
    if h.is_empty() {
        return "no samples".into();
    }
    format!(
        "p50 {} · p99 {} · p99.9 {} · max {} (n = {})",
        ms(h.value_at_quantile(0.50)),
        ms(h.value_at_quantile(0.99)),
        ms(h.value_at_quantile(0.999)),
        ms(h.max()),
        h.len()
    )
}

pub fn ms(micros: u64) -> String {
    format!("{:.2} ms", micros as f64 / 1000.0)
}

/// The server process being measured.
#[derive(Clone, Copy, Debug)]
pub struct Server {
    pub pid: u32,
}

/// CPU time (user + system) and resident memory at one moment.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sample {
    pub cpu: Duration,
    pub rss_kib: u64,
    pub fds: u64,
}

impl Server {
    /// The given pid, or the first process whose command line is `… teahouse serve`.
    pub fn find(pid: Option<u32>) -> Option<Self> {
        if let Some(pid) = pid {
            return Some(Self { pid });
        }
        let mut found = None;
        for entry in std::fs::read_dir("/proc").ok()?.flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
                continue;
            };
            let args: Vec<String> = cmdline
                .split(|b| *b == 0)
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect();
            let is_server = args
                .first()
                .is_some_and(|a| a.ends_with("/teahouse") || a == "teahouse")
                && args.iter().any(|a| a == "serve");
            if is_server {
                found = Some(Self { pid });
            }
        }
        found
    }

    pub fn sample(&self) -> Sample {
        let ticks = clock_ticks();
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid)).unwrap_or_default();
        // Fields after the command name (which is in parentheses and may contain spaces).
        let after = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest)
            .unwrap_or_default();
        let fields: Vec<&str> = after.split_whitespace().collect();
        let utime: u64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0);
        let stime: u64 = fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0);
        let cpu = Duration::from_secs_f64((utime + stime) as f64 / ticks as f64);
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid)).unwrap_or_default();
        let rss_kib = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0);
        let fds = std::fs::read_dir(format!("/proc/{}/fd", self.pid))
            .map(|d| d.count() as u64)
            .unwrap_or(0);
        Sample { cpu, rss_kib, fds }
    }
}

/// Kernel clock ticks per second (USER_HZ); 100 on every Linux this runs on.
fn clock_ticks() -> u64 {
    100
}

/// Open loop: `start_one(scheduled)` is spawned at each scheduled time, `rate` a second for
/// `seconds`, whether or not earlier ones have finished (so a slow server cannot slow the
/// offered load); latency is then counted from `scheduled`. Returns the spawned tasks.
pub async fn open_loop<T, F>(
    rate: f64,
    seconds: f64,
    mut start_one: impl FnMut(std::time::Instant) -> F,
) -> Vec<tokio::task::JoinHandle<T>>
where
    T: Send + 'static,
    F: std::future::Future<Output = T> + Send + 'static,
{
    let start = std::time::Instant::now();
    let end = start + std::time::Duration::from_secs_f64(seconds);
    let interval = std::time::Duration::from_secs_f64(1.0 / rate);
    let mut tasks = Vec::new();
    let mut i: u32 = 0;
    loop {
        let scheduled = start + interval * i;
        if scheduled >= end {
            break;
        }
        tokio::time::sleep_until(scheduled.into()).await;
        tasks.push(tokio::spawn(start_one(scheduled)));
        i += 1;
    }
    tasks
}
