//! Long-running `briefing` processes (`watch`, `serve`) for integration tests: started on a
//! site folder, their output collected line by line as it comes, and killed when dropped, so
//! a failing test never leaves one behind.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A running `briefing` process.
pub struct Running {
    child: Child,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
    readers: Vec<JoinHandle<()>>,
}

impl Running {
    /// Starts `briefing <args>` in `cwd`, without colours.
    pub fn start(cwd: &Path, args: &[&str]) -> Running {
        Running::start_with_env(cwd, args, &[])
    }

    /// `start`, with extra environment variables.
    pub fn start_with_env(cwd: &Path, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Running {
        let mut child = Command::new(super::briefing_bin())
            .args(args)
            .current_dir(cwd)
            .envs(env.iter().copied())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the briefing binary starts");
        let (stdout, out_reader) = collect(child.stdout.take().expect("piped stdout"));
        let (stderr, err_reader) = collect(child.stderr.take().expect("piped stderr"));
        Running { child, stdout, stderr, readers: vec![out_reader, err_reader] }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Standard output so far, one entry a line.
    pub fn lines(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    /// Everything printed so far, for failure messages.
    pub fn transcript(&self) -> String {
        format!("--- stdout:\n{}\n--- stderr:\n{}", self.stdout.lock().unwrap().join("\n"), self.stderr.lock().unwrap().join("\n"))
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    /// Waits (at most `timeout`) until standard error contains all of `texts`: it is read
    /// apart from standard output, so it may lag behind a line there.
    pub fn wait_for_stderr(&self, timeout: Duration, texts: &[&str]) -> String {
        let found = poll(timeout, || Some(self.stderr()).filter(|e| texts.iter().all(|t| e.contains(t))));
        found.unwrap_or_else(|| panic!("standard error never had all of {texts:?}\n{}", self.transcript()))
    }

    /// Waits (at most `timeout`) for a line of standard output after the first `from` lines
    /// that satisfies `wanted`; returns its index and text, or panics with the transcript.
    pub fn wait_for_line(&self, from: usize, timeout: Duration, what: &str, wanted: impl Fn(&str) -> bool) -> (usize, String) {
        let found = poll(timeout, || self.lines().into_iter().enumerate().skip(from).find(|(_, l)| wanted(l)));
        found.unwrap_or_else(|| panic!("no line {what} within {timeout:?}\n{}", self.transcript()))
    }

    /// The rebuild report lines (one per rebuild, the first build included).
    pub fn rebuild_lines(&self) -> Vec<String> {
        self.lines().into_iter().filter(|l| is_rebuild_line(l)).collect()
    }

    /// Waits for the next rebuild line after the first `seen` ones.
    pub fn wait_for_rebuild(&self, seen: usize, timeout: Duration) -> String {
        let found = poll(timeout, || self.rebuild_lines().get(seen).cloned());
        found.unwrap_or_else(|| panic!("no rebuild #{} within {timeout:?}\n{}", seen + 1, self.transcript()))
    }

    /// Still running?
    pub fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends SIGINT (what Ctrl-C sends) and waits, at most `timeout`, for the process to end.
    #[cfg(unix)]
    pub fn interrupt(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let sent = Command::new("kill").args(["-INT", &self.pid().to_string()]).status().expect("kill runs");
        assert!(sent.success(), "kill -INT failed");
        self.wait_exit(timeout)
    }

    /// Waits, at most `timeout`, for the process to end by itself; then all it printed has
    /// been collected.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let status = poll(timeout, || self.child.try_wait().ok().flatten())?;
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        Some(status)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// True for the one line `watch` prints after each build.
pub fn is_rebuild_line(line: &str) -> bool {
    ["Built ", "Build failed", "Rebuilt ", "Rebuild failed"].iter().any(|p| line.starts_with(p))
}

/// The lines of `stream`, collected by a thread that ends when the stream does.
fn collect(stream: impl Read + Send + 'static) -> (Arc<Mutex<Vec<String>>>, JoinHandle<()>) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            sink.lock().unwrap().push(line);
        }
    });
    (lines, reader)
}

/// Calls `f` every 20 ms until it gives `Some`, for at most `timeout`.
pub fn poll<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
