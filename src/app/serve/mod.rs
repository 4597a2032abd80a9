//! `briefing serve`: watch (see `watch`) and serve the output folder over HTTP on the loopback
//! address, with live reload.
//!
//! - Only files inside the output folder are served: each path segment is percent-decoded on
//!   its own and `..`, `.`, encoded slashes or backslashes and NUL are refused (400); hidden
//!   files (the output marker, a write in progress) and anything whose real path, symbolic
//!   links resolved, lies outside the output folder are not found (404).
//! - Live reload: HTML responses get one `<script src="/__briefing/live.js">` before
//!   `</body>`, added as they are served, never written into `output/`. The script listens to
//!   server-sent events on `/__briefing/events` (and asks `/__briefing/status` on load): after
//!   a good rebuild that changed the site it reloads the page; after a failed one it shows the
//!   errors over the page until the next good build.
//! - Each connection gets its own thread and one request, then closes (see `serve/http.rs`
//!   for why not a server crate); a live-reload stream keeps its connection while the page is
//!   open. The request head must arrive within 10 s of connecting (else 408) and the response
//!   be taken within 30 s; connections are capped, and slow ones make room for new ones
//!   (`serve/connections.rs`).
//! - Only requests for this computer's own names are answered (`serve/host.rs`, against DNS
//!   rebinding): 421 for others.

mod connections;
mod host;
mod http;

use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use percent_encoding::percent_decode_str;
use serde::Serialize;

use connections::{Caps, Connections, Ticket};
use http::{Deadlined, Response};

use super::watch::{self, Notice, RebuildReport};
use crate::core::diagnostics::Diagnostic;
use crate::pipeline::{BuildOptions, Status};

/// The port `serve` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 1111;
/// How many ports after the asked-for one to try when it is taken.
const PORT_TRIES: u16 = 20;
/// Everything the server adds lives under this prefix; no page of a site can (slugs do not
/// start with `_`).
const PREFIX: &str = "/__briefing/";
/// Connections open at once, in all and from one client address (a browser opens about six).
const CAPS: Caps = Caps { total: 256, per_client: 128 };
/// Live-reload connections held open at once; more are turned away (503).
const MAX_LISTENERS: usize = 64;
/// A comment sent to idle live-reload connections, so that closed ones are noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

const LIVE_JS: &str = include_str!("live.js");

/// What `briefing serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The port; when it is taken, the next free one is used.
    pub port: u16,
    /// The address to listen on.
    pub bind: IpAddr,
    /// Open the site in the default browser once it is built.
    pub open: bool,
    /// Look for changes every second instead of relying on file events.
    pub poll: bool,
}

/// The state of the last rebuild, as browsers see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
struct LiveStatus {
    /// Rebuilds so far.
    build: u64,
    /// Good rebuilds that changed the output so far: a page served at an earlier one reloads.
    good: u64,
    ok: bool,
    summary: String,
    errors: Vec<ErrorView>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
struct ErrorView {
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    source_line: Option<String>,
    message: String,
    help: Option<String>,
}

impl LiveStatus {
    fn of(report: &RebuildReport) -> LiveStatus {
        LiveStatus {
            build: report.build,
            good: report.good_build,
            ok: report.status == Status::Ok,
            summary: report.summary(),
            errors: report
                .errors()
                .map(|d| ErrorView {
                    file: d.file.as_ref().map(|f| f.to_string_lossy().replace('\\', "/")),
                    line: d.span.as_ref().map(|s| s.line),
                    column: d.span.as_ref().map(|s| s.column),
                    source_line: d.span.as_ref().map(|s| s.source_line.clone()),
                    message: d.message.clone(),
                    help: d.help.clone(),
                })
                .collect(),
        }
    }
}

/// Shared between the rebuild loop (which publishes) and the server threads.
struct Live {
    status: Mutex<LiveStatus>,
    changed: Condvar,
    listeners: AtomicUsize,
}

impl Live {
    fn publish(&self, status: LiveStatus) {
        *self.status.lock().unwrap_or_else(|e| e.into_inner()) = status;
        self.changed.notify_all();
    }

    fn current(&self) -> LiveStatus {
        self.status.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

struct Context {
    output: PathBuf,
    /// The address listened on, which decides the `Host` headers answered.
    bind: IpAddr,
    live: Live,
    connections: Arc<Connections<TcpStream>>,
}

/// Serves the site at `options` while watching it, until Ctrl-C.
pub fn run(options: &BuildOptions, serve: &ServeOptions, show: &mut dyn FnMut(Notice)) -> Result<(), Diagnostic> {
    if !serve.bind.is_loopback() {
        show(Notice::Warning(format!(
            "Serving on {} makes the site, drafts included, reachable from other computers on the network. Leave out --bind to serve to this computer only.",
            serve.bind
        )));
    }
    let (listener, addr) = bind(serve.bind, serve.port)?;
    let context = Arc::new(Context {
        output: options.output_dir(),
        live: Live {
            status: Mutex::new(LiveStatus { build: 0, good: 0, ok: true, summary: String::new(), errors: Vec::new() }),
            changed: Condvar::new(),
            listeners: AtomicUsize::new(0),
        },
        bind: serve.bind,
        connections: Connections::new(CAPS),
    });
    let accepting = context.clone();
    // The listener lives until the process ends, when `run` returns.
    std::thread::spawn(move || accept(listener, accepting));
    let url = format!("http://{addr}/");
    if serve.port != 0 && addr.port() != serve.port {
        show(Notice::Info(format!("Port {} is in use, so using {} instead.", serve.port, addr.port())));
    }
    // The address goes last, under the start-up lines, so that it is the line in view.
    let mut show = |notice: Notice| {
        let ready = matches!(notice, Notice::Watching(_));
        show(notice);
        if ready {
            show(Notice::Info(format!("Serving the site at {url}")));
        }
    };
    let mut after = |report: &RebuildReport| {
        context.live.publish(LiveStatus::of(report));
        // Once there is a site to show.
        if report.first && serve.open {
            return open_browser(&url).err().map(|e| format!("Could not open a browser ({e}): open {url} yourself."));
        }
        None
    };
    watch::run(options, serve.poll, &mut show, &mut after)
}

/// One thread a connection, one request a connection. Nothing here waits on a client: a
/// connection is admitted (room made by closing a slow one when needed) and handed to its
/// own thread, or dropped when every place is taken by one being answered.
fn accept(listener: TcpListener, context: Arc<Context>) {
    for stream in listener.incoming().flatten() {
        let started = Instant::now();
        let (Ok(peer), Ok(closer)) = (stream.peer_addr(), stream.try_clone()) else { continue };
        let Some(ticket) = context.connections.admit(peer.ip(), closer) else { continue };
        let context = context.clone();
        // A thread that cannot be had drops the connection and its ticket.
        let _ = std::thread::Builder::new().spawn(move || connection(stream, started, &ticket, &context));
    }
}

fn connection(stream: TcpStream, started: Instant, ticket: &Ticket<TcpStream>, context: &Context) {
    let head = http::read_request(&mut Deadlined { stream: &stream, until: started + http::HEAD_DEADLINE });
    if !ticket.answering() {
        return;
    }
    let mut out = Deadlined { stream: &stream, until: Instant::now() + http::RESPONSE_DEADLINE };
    let request = match head {
        Ok(Some(request)) => request,
        Ok(None) => return,
        Err(response) => {
            let _ = http::write_response(&mut out, &response, false);
            return;
        }
    };
    if !host::allowed(&request.host, context.bind) {
        let _ = http::write_response(&mut out, &misdirected(&request.host, context.bind), false);
        return;
    }
    let head_only = match request.method.as_str() {
        "GET" => false,
        "HEAD" => true,
        _ => {
            let response = Response::text(405, "Only GET and HEAD are supported.\n").with_header("Allow", "GET, HEAD");
            let _ = http::write_response(&mut out, &response, false);
            return;
        }
    };
    let response = match route(&request.target) {
        Route::Events if !head_only => return events(stream, &context.live),
        Route::Events | Route::Status => Response::new(200, "application/json", serde_json::to_string(&context.live.current()).unwrap_or_default()),
        Route::Script => Response::new(200, "text/javascript; charset=utf-8", LIVE_JS),
        Route::Bad => Response::text(400, "400 Bad request: that path is not allowed.\n"),
        Route::NotFound => not_found(context),
        Route::File(segments) => file(context, &segments),
    };
    let _ = http::write_response(&mut out, &response, head_only);
}

/// The answer to a request for a name this server does not answer (421), saying what to open.
fn misdirected(host: &str, bind: IpAddr) -> Response {
    let open = if bind.is_loopback() { "localhost or 127.0.0.1" } else { "this computer's IP address" };
    let host: String = host.chars().filter(|c| !c.is_control()).take(200).collect();
    Response::text(
        421,
        &format!("421 Misdirected request: this preview server does not answer for the name \"{host}\", so that other web sites cannot read it. Open it by {open} instead.\n"),
    )
}

/// Binds `ip:port`, or the next free port when it is taken (port 0: any free port).
fn bind(ip: IpAddr, port: u16) -> Result<(TcpListener, SocketAddr), Diagnostic> {
    let last = if port == 0 { 0 } else { port.saturating_add(PORT_TRIES) };
    let mut error = None;
    for p in port..=last {
        match TcpListener::bind((ip, p)) {
            Ok(listener) => {
                let addr = listener.local_addr().map_err(|e| cannot_serve(&format!("{ip}:{p}"), &e.to_string()))?;
                return Ok((listener, addr));
            }
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => error = Some(e),
            Err(e) => return Err(cannot_serve(&format!("{ip}:{p}"), &e.to_string())),
        }
    }
    let e = error.map_or_else(String::new, |e| e.to_string());
    Err(cannot_serve(&format!("{ip}:{port} to {ip}:{last}"), &e).help("stop the other server, or choose a port with --port"))
}

fn cannot_serve(addr: &str, e: &str) -> Diagnostic {
    Diagnostic::error("cannot-serve", format!("cannot serve on {addr}: {e}")).help("choose another port with --port, such as --port 8080")
}

/// Opens `url` in the default browser, without waiting for it.
fn open_browser(url: &str) -> io::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command.arg(url).stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    command.spawn().map(drop)
}

/// What a request path asks for.
#[derive(Debug, PartialEq, Eq)]
enum Route {
    Events,
    Status,
    Script,
    /// Segments of a path inside the output folder; a trailing empty one asks for a folder.
    File(Vec<String>),
    /// A path that tries to leave the output folder, or that is not a path: 400.
    Bad,
    /// A hidden file or an unknown server path: 404.
    NotFound,
}

fn route(target: &str) -> Route {
    // Only origin-form targets (`/path?query`): not `*`, not `http://host/path`.
    let Some(path) = target.strip_prefix('/') else { return Route::Bad };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    if let Some(own) = ("/".to_string() + path).strip_prefix(PREFIX) {
        return match own {
            "events" => Route::Events,
            "status" => Route::Status,
            "live.js" => Route::Script,
            _ => Route::NotFound,
        };
    }
    let raw: Vec<&str> = path.split('/').collect();
    let mut segments = Vec::with_capacity(raw.len());
    for (i, seg) in raw.iter().enumerate() {
        let last = i + 1 == raw.len();
        let Ok(seg) = percent_decode_str(seg).decode_utf8() else { return Route::Bad };
        if seg.is_empty() && !last {
            // `//etc/passwd`, `a//b`: an absolute path in disguise, or a mistake.
            return Route::Bad;
        }
        // A colon starts a drive (`C:`) on Windows, where joining it would leave the folder.
        if seg == "." || seg == ".." || seg.contains(['/', '\\', '\0']) || (cfg!(windows) && seg.contains(':')) {
            return Route::Bad;
        }
        if seg.starts_with('.') {
            return Route::NotFound;
        }
        segments.push(seg.into_owned());
    }
    Route::File(segments)
}

fn file(context: &Context, segments: &[String]) -> Response {
    let Ok(root) = context.output.canonicalize() else { return not_found(context) };
    let mut path = root.clone();
    path.extend(segments.iter().filter(|s| !s.is_empty()));
    // Symbolic links are followed only while they stay inside the output folder.
    let Some(real) = path.canonicalize().ok().filter(|p| p.starts_with(&root)) else { return not_found(context) };
    if !real.is_dir() {
        return send_file(context, &real, 200);
    }
    if segments.last().is_some_and(|s| !s.is_empty()) {
        // `/briefings/child-3` -> `/briefings/child-3/`, so that relative links work.
        return Response::text(301, "").with_header("Location", format!("/{}/", segments.join("/")));
    }
    match real.join("index.html").canonicalize().ok().filter(|p| p.starts_with(&root) && p.is_file()) {
        Some(index) => send_file(context, &index, 200),
        None => not_found(context),
    }
}

fn not_found(context: &Context) -> Response {
    let page = context.output.join("404.html");
    if page.is_file() {
        send_file(context, &page, 404)
    } else {
        Response::text(404, "404 Not found\n")
    }
}

fn send_file(context: &Context, path: &Path, status: u16) -> Response {
    // Read the build number first: if a rebuild lands while the file is read, the page
    // reloads once more rather than missing a change.
    let good = context.live.current().good;
    let mut bytes = Vec::new();
    if std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)).is_err() {
        return Response::text(404, "404 Not found\n");
    }
    let content_type = content_type(path);
    if content_type.starts_with("text/html") {
        bytes = inject(bytes, good);
    }
    Response::new(status, &content_type, bytes)
}

fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let textual = mime.type_() == "text" || ["javascript", "json", "xml", "svg+xml", "atom+xml"].contains(&mime.subtype().as_str());
    if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// `html` with the live-reload script before its last `</body>` (or at its end).
fn inject(html: Vec<u8>, good: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}live.js\" data-good=\"{good}\"></script>\n");
    let lower = html.to_ascii_lowercase();
    let at = lower.windows(7).rposition(|w| w == b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// A server-sent events stream on this connection's thread, for as long as the page is open:
/// the current status at once, then each new one.
fn events(mut stream: TcpStream, live: &Live) {
    // No deadline for the whole stream, which lasts while the page is open; each write still
    // has one, so a reader that stops reading is let go.
    let _ = stream.set_write_timeout(Some(http::RESPONSE_DEADLINE));
    if live.listeners.fetch_add(1, Ordering::SeqCst) >= MAX_LISTENERS {
        let _ = http::write_response(&mut stream, &Response::text(503, "503 Too many live-reload connections\n"), false);
    } else {
        let _ = http::write_stream_head(&mut stream, "text/event-stream; charset=utf-8").and_then(|()| stream_events(&mut stream, live));
    }
    live.listeners.fetch_sub(1, Ordering::SeqCst);
}

fn stream_events(w: &mut impl Write, live: &Live) -> io::Result<()> {
    // A lost connection is tried again after a second.
    w.write_all(b"retry: 1000\n\n")?;
    let mut seen = live.current();
    send_event(w, &seen)?;
    loop {
        let guard = live.status.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = live.changed.wait_timeout_while(guard, KEEP_ALIVE, |s| *s == seen).unwrap_or_else(|e| e.into_inner());
        let now = guard.clone();
        drop(guard);
        if now == seen {
            w.write_all(b": still here\n\n")?;
            w.flush()?;
        } else {
            seen = now;
            send_event(w, &seen)?;
        }
    }
}

fn send_event(w: &mut impl Write, status: &LiveStatus) -> io::Result<()> {
    // serde_json writes no raw newlines, so the data is one line.
    let json = serde_json::to_string(status).unwrap_or_default();
    write!(w, "event: status\ndata: {json}\n\n")?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_refuse_to_leave_the_output() {
        let bad = [
            "/../secret",
            "/%2e%2e/secret",
            "/%2E%2E/secret",
            "/briefings/%2e%2e/%2e%2e/secret",
            "/a/..%2fsecret",
            "/..%5csecret",
            "//etc/passwd",
            "/briefings//x",
            "/a%00b",
            "http://example.org/",
            "*",
            "/%ff",
        ];
        for target in bad {
            assert_eq!(route(target), Route::Bad, "{target}");
        }
        assert_eq!(route("/.briefing-output"), Route::NotFound);
        assert_eq!(route("/"), Route::File(vec![String::new()]));
        assert_eq!(route("/briefings/child-3/?x=1#top"), Route::File(vec!["briefings".into(), "child-3".into(), String::new()]));
        assert_eq!(route("/a%20b.html"), Route::File(vec!["a b.html".into()]));
        if cfg!(windows) {
            assert_eq!(route("/C:/Windows"), Route::Bad);
        }
        assert_eq!(route("/__briefing/events"), Route::Events);
        assert_eq!(route("/__briefing/other"), Route::NotFound);
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></BODY></html>".to_vec();
        let out = String::from_utf8(inject(html, 3)).unwrap();
        assert!(out.contains("<script src=\"/__briefing/live.js\" data-good=\"3\"></script>\n</BODY>"), "{out}");
        let out = String::from_utf8(inject(b"<p>no body".to_vec(), 1)).unwrap();
        assert!(out.starts_with("<p>no body<script"));
    }
}
