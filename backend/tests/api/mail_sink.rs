//! A real SMTP receiver for tests: `tests/mail/smtp_sink.py` (aiosmtpd) in a process of its
//! own, writing what it receives to a temp dir. The Python comes from the virtualenv
//! `scripts/setup.sh` makes (`TEAHOUSE_PYTHON`, default `~/.cache/teahouse/py/bin/python`).

use serde_json::Value;
use std::{
    collections::HashSet,
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::Mutex,
    time::{Duration, Instant},
};

pub struct MailSink {
    pub port: u16,
    child: Child,
    dir: tempfile::TempDir,
    seen: Mutex<HashSet<PathBuf>>,
}

fn python() -> String {
    std::env::var("TEAHOUSE_PYTHON").unwrap_or_else(|_| {
        let home = std::env::var("HOME").unwrap_or_default();
        format!("{home}/.cache/teahouse/py/bin/python")
    })
}

impl MailSink {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mail/smtp_sink.py");
        let mut child = Command::new(python())
            .arg(script)
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the SMTP receiver starts (run scripts/setup.sh for its Python)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the receiver prints its port");
        let port = line.trim().parse().expect("a port number");
        Self {
            port,
            child,
            dir,
            seen: Mutex::default(),
        }
    }

    pub fn smtp_url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn received(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .expect("sink dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files
    }

    /// Every mail received so far.
    pub fn count(&self) -> usize {
        self.received().len()
    }

    /// The next mail to `to` not returned before, waiting up to 10 s for it.
    pub async fn next_to(&self, to: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            for path in self.received() {
                if self.seen.lock().unwrap().contains(&path) {
                    continue;
                }
                let mail: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                if mail["to"].as_array().unwrap().iter().any(|t| t == to) {
                    self.seen.lock().unwrap().insert(path);
                    return mail;
                }
            }
            assert!(Instant::now() < deadline, "no mail to {to} arrived");
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The six-digit code in a mail.
pub fn code_in(mail: &Value) -> String {
    let text = mail["text"].as_str().unwrap();
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no code in {text}"))
        .to_owned()
}

impl Drop for MailSink {
    fn drop(&mut self) {
        // Closing its stdin stops it; kill in case it hangs.
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
