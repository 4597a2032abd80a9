//! `briefing check --external` against a real HTTP server on 127.0.0.1 started by each test:
//! which links are reported, where, and how; that the run ends in bounded time; and that
//! without `--external` the server hears nothing. No test reaches the internet.


use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::child::Running;
use crate::common::Site;
use serde_json::Value;

/// How long a run may take: generous for a debug build on a loaded machine, far below what a
/// run that waited on every slow page in turn (or forever) would take.
const BOUND: Duration = Duration::from_secs(60);

/// How long the slow page takes to answer, well past the `--timeout 1` the tests use.
const SLOW: Duration = Duration::from_secs(4);

/// A server that answers by path and writes down every request as "METHOD /path".
struct Server {
    address: String,
    requests: Arc<Mutex<Vec<String>>>,
    /// Requests to `/wait` being answered on this server.
    waiting: Arc<Mutex<InFlight>>,
}

/// How many requests are being answered, and the most there have been at once.
#[derive(Default)]
struct InFlight {
    now: usize,
    most: usize,
}

impl InFlight {
    fn enter(&mut self) {
        self.now += 1;
        self.most = self.most.max(self.now);
    }
}

impl Server {
    fn start() -> Server {
        Server::start_counting(Arc::default())
    }

    /// `start`, also counting requests to `/wait` in `everywhere`, which other servers share.
    fn start_counting(everywhere: Arc<Mutex<InFlight>>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let waiting = Arc::new(Mutex::new(InFlight::default()));
        let (log, here) = (requests.clone(), waiting.clone());
        // One accept loop, so requests are logged in the order connections arrive.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let Some(request) = read_head(&stream) else { continue };
                log.lock().unwrap().push(request.clone());
                let counters = [here.clone(), everywhere.clone()];
                std::thread::spawn(move || {
                    if request.ends_with("/wait") {
                        counters.iter().for_each(|c| c.lock().unwrap().enter());
                        std::thread::sleep(Duration::from_millis(300));
                        // Left before answering: the next request can only come after the answer.
                        counters.iter().for_each(|c| c.lock().unwrap().now -= 1);
                    }
                    answer(stream, &request)
                });
            }
        });
        Server { address, requests, waiting }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Every request so far, once a request of our own, sent after the run, has arrived: any
    /// request the run made reached the server before it.
    fn requests_after_run(&self) -> Vec<String> {
        let mut probe = TcpStream::connect(self.address.trim_start_matches("http://")).unwrap();
        probe.write_all(b"GET /probe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let _ = probe.read_to_end(&mut Vec::new());
        let log = crate::common::child::poll(BOUND, || Some(self.requests.lock().unwrap().clone()).filter(|l| l.iter().any(|r| r == "GET /probe")));
        let mut log = log.expect("the probe arrives");
        log.retain(|r| r != "GET /probe");
        log
    }
}

/// "METHOD /path" from the request head.
fn read_head(mut stream: &TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
        stream.read_exact(&mut byte).ok()?;
        head.push(byte[0]);
    }
    let line = String::from_utf8_lossy(&head).lines().next()?.to_string();
    let mut parts = line.split(' ');
    Some(format!("{} {}", parts.next()?, parts.next()?))
}

fn answer(mut stream: TcpStream, request: &str) {
    let (method, target) = request.split_once(' ').unwrap_or(("", ""));
    let path = target.split('?').next().unwrap_or("");
    let (status, extra) = match (method, path) {
        (_, "/ok" | "/probe" | "/wait") => ("200 OK", String::new()),
        (_, "/moved") => ("301 Moved Permanently", "Location: /ok\r\n".to_string()),
        ("HEAD", "/no-head") => ("405 Method Not Allowed", "Allow: GET\r\n".to_string()),
        ("GET", "/no-head") => ("200 OK", String::new()),
        (_, "/error") => ("500 Internal Server Error", String::new()),
        (_, "/busy") => ("429 Too Many Requests", String::new()),
        (_, "/slow") => {
            std::thread::sleep(SLOW);
            ("200 OK", String::new())
        }
        _ => ("404 Not Found", String::new()),
    };
    let _ = write!(stream, "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n");
}

/// A port on which nothing listens.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Runs `briefing check <args>` in `dir` with JSON output: the diagnostics, the summary, the
/// exit code and how long it took. Fails past `BOUND`.
fn check(dir: &Path, args: &[&str]) -> (Vec<Value>, Value, Option<i32>, Duration) {
    let started = Instant::now();
    let mut run = Running::start(dir, &[&["check", "--format", "json"], args].concat());
    let status = run.wait_exit(BOUND).unwrap_or_else(|| panic!("the check did not finish within {BOUND:?}\n{}", run.transcript()));
    let elapsed = started.elapsed();
    let mut lines: Vec<Value> = run.lines().iter().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}"))).collect();
    let summary = lines.pop().expect("a summary line");
    (lines, summary, status.code(), elapsed)
}

fn line_of(text: &str, needle: &str) -> u64 {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle} not in text"));
    text[..at].matches('\n').count() as u64 + 1
}

/// `(code, file, line, address)` of each external-link diagnostic.
fn external(diagnostics: &[Value], server: &Server) -> HashSet<(String, String, u64, String)> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == "broken-external-link" || d["code"] == "external-link-unchecked")
        .map(|d| {
            let message = d["message"].as_str().unwrap();
            let url = message.split(' ').find(|w| w.starts_with("http://")).unwrap_or_else(|| panic!("no address in {message}"));
            let url = url.trim_end_matches(',').replace(&server.address, "");
            (d["code"].as_str().unwrap().into(), d["file"].as_str().unwrap().into(), d["line"].as_u64().unwrap(), url)
        })
        .collect()
}

/// A guidance briefing titled `title` whose body is `body`.
fn briefing(title: &str, body: &str) -> String {
    crate::common::briefing(&format!("title = \"{title}\"\nformat = \"guidance\"\npublished = 2025-01-10\nreview_due = 2030-01-10\nthemes = [\"neglect\"]"), body)
}

struct Fixture {
    site: Site,
    server: Server,
    dead: String,
    a: String,
    b: String,
    theme: String,
}

/// A site whose briefings and theme link to every kind of page the server has, and to a port
/// where nothing listens.
fn fixture() -> Fixture {
    let server = Server::start();
    let u = |path: &str| server.url(path);
    let dead = format!("http://127.0.0.1:{}/gone", closed_port());
    let a = briefing(
        "Child A",
        &format!(
            "Intro.\n\n## Further information\n\n- [Guidance]({})\n- [Old guidance]({})\n- [Moved guidance]({})\n- [Service]({})\n\n\
             Two more: [the portal]({}) and [the form]({}).\n\n![Chart of referrals]({})\n\n- [The slow site]({})\n- [Busy site]({})\n- [Closed site]({dead})\n",
            u("/ok"),
            u("/missing?a=1&b=2"),
            u("/moved"),
            u("/error"),
            u("/no-head"),
            u("/missing"),
            u("/chart.png"),
            u("/slow"),
            u("/busy"),
        ),
    );
    let b = briefing(
        "Child B",
        &format!(
            "Intro.\n\n## Further information\n\nSee [the same page]({}) and <a href=\"{}\">the raw one</a>.\n",
            u("/missing"),
            u("/raw-missing")
        ),
    );
    let quiet = crate::common::briefing(
        "title = \"Child C\"\nformat = \"guidance\"\npublished = 2025-01-10\nreview_due = 2030-01-10\nthemes = [\"neglect\"]\nallow = [\"broken-external-link\"]",
        &format!("Intro.\n\n## Links\n\n[Known to be down]({}).\n", u("/quiet-missing")),
    );
    let theme = format!("+++\ntitle = \"Neglect\"\n+++\nWhat neglect means, and [the theme's source]({}).\n", u("/theme-missing"));
    let site = Site::new();
    site.write("site.toml", "base_url = \"https://briefings.example/\"\n");
    site.write("themes/neglect.md", &theme);
    site.write("briefings/child-a.md", &a);
    site.write("briefings/child-b.md", &b);
    site.write("briefings/child-c.md", &quiet);
    Fixture { site, server, dead, a, b, theme }
}

#[test]
fn without_external_no_request_is_made() {
    let f = fixture();
    let (diagnostics, summary, code, _) = check(f.site.path(), &[]);
    assert_eq!(code, Some(0), "{diagnostics:?}");
    assert!(external(&diagnostics, &f.server).is_empty(), "{diagnostics:?}");
    assert_eq!(f.server.requests_after_run(), Vec::<String>::new(), "a plain check asked the server");
    assert!(summary.get("external").is_none(), "{summary}");
}

#[test]
fn external_reports_each_broken_link_where_it_is_written() {
    let f = fixture();
    let (diagnostics, summary, code, elapsed) = check(f.site.path(), &["--external", "--timeout", "1"]);
    assert_eq!(code, Some(0), "warnings do not fail a check: {diagnostics:?}");
    // A run that waited for the slow page, or asked one page at a time with the full wait,
    // would take longer.
    assert!(elapsed < SLOW + Duration::from_secs(8), "took {elapsed:?}");

    let at = |code: &str, file: &str, text: &str, needle: &str, url: &str| (code.to_string(), file.to_string(), line_of(text, needle), url.to_string());
    let a = "briefings/child-a.md";
    let broken = "broken-external-link";
    let dead_path = f.dead.clone();
    let expected: HashSet<_> = [
        at(broken, a, &f.a, "[Old guidance]", "/missing?a=1&b=2"),
        at(broken, a, &f.a, "[Service]", "/error"),
        at(broken, a, &f.a, "[the form]", "/missing"),
        at(broken, a, &f.a, "![Chart", "/chart.png"),
        at(broken, a, &f.a, "[The slow site]", "/slow"),
        at(broken, a, &f.a, "[Closed site]", &dead_path),
        at("external-link-unchecked", a, &f.a, "[Busy site]", "/busy"),
        at(broken, "briefings/child-b.md", &f.b, "[the same page]", "/missing"),
        at(broken, "themes/neglect.md", &f.theme, "[the theme's source]", "/theme-missing"),
    ]
    .into_iter()
    .collect();
    let mut found = external(&diagnostics, &f.server);
    // Raw HTML has no Markdown link to point at: it is found in the page built from it.
    let raw = found.iter().find(|(_, _, _, url)| url == "/raw-missing").cloned().expect("the raw HTML link is reported");
    assert_eq!((raw.0.as_str(), raw.1.as_str()), (broken, "output/briefings/child-b/index.html"), "{raw:?}");
    found.remove(&raw);
    assert_eq!(found, expected, "\nall: {diagnostics:#?}");
    // Child C's allow list keeps its broken link quiet: it is not in `expected`.

    let message = |url: &str| {
        let url = if url.starts_with('/') { f.server.url(url) } else { url.to_string() };
        let d = diagnostics.iter().find(|d| d["message"].as_str().unwrap().contains(&format!("{url} ")));
        let d = d.unwrap_or_else(|| panic!("nothing about {url}"));
        (d["message"].as_str().unwrap().to_string(), d["help"].as_str().unwrap().to_string(), d["severity"].as_str().unwrap().to_string())
    };
    let (text, help, severity) = message("/theme-missing");
    assert!(text.contains("404 Not Found") && help.contains("moved") && severity == "warning", "{text} / {help}");
    assert!(message("/error").0.contains("500 Internal Server Error"));
    assert!(message("/slow").0.contains("did not answer within 1 s"), "{}", message("/slow").0);
    assert!(message(&f.dead).0.contains("refused"), "{}", message(&f.dead).0);
    assert!(message("/busy").0.contains("429") && message("/busy").2 == "note");

    // One request a page however often it is linked, HEAD first, GET only when HEAD fails.
    let requests = f.server.requests_after_run();
    let count = |r: &str| requests.iter().filter(|x| *x == r).count();
    assert_eq!((count("HEAD /ok"), count("GET /ok")), (2, 0), "/ok directly and after the redirect: {requests:?}");
    assert_eq!((count("HEAD /no-head"), count("GET /no-head")), (1, 1), "{requests:?}");
    assert_eq!((count("HEAD /missing"), count("GET /missing")), (1, 1), "{requests:?}");

    let hosts = summary["external"].as_array().expect("the summary lists the sites asked");
    let host = f.server.address.trim_start_matches("http://");
    let ours = hosts.iter().find(|h| h["host"] == host).unwrap_or_else(|| panic!("{summary}"));
    assert_eq!((ours["addresses"].as_u64(), ours["broken"].as_u64(), ours["unchecked"].as_u64()), (Some(12), Some(8), Some(1)), "{summary}");
    assert_eq!(hosts.len(), 2, "the server and the closed port, not the site's own base_url: {summary}");
}

#[test]
fn one_request_at_a_time_to_a_site_and_sites_at_the_same_time() {
    let everywhere = Arc::new(Mutex::new(InFlight::default()));
    let servers = [Server::start_counting(everywhere.clone()), Server::start_counting(everywhere.clone())];
    let links: Vec<String> = servers.iter().flat_map(|s| ["a", "b", "c"].map(|page| format!("- [Page {page}]({}/{page}/wait)", s.address))).collect();
    let site = Site::new();
    site.write("site.toml", "");
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\"\n+++\nWhat neglect means.\n");
    site.write("briefings/child-a.md", briefing("Child A", &format!("Intro.\n\n## Links\n\n{}\n", links.join("\n"))));
    let (diagnostics, _, code, _) = check(site.path(), &["--external"]);
    assert_eq!(code, Some(0), "{diagnostics:?}");
    for server in &servers {
        let heads = server.requests_after_run().iter().filter(|r| r.starts_with("HEAD ")).count();
        assert_eq!((heads, server.waiting.lock().unwrap().most), (3, 1), "three pages, asked one after another");
    }
    assert_eq!(everywhere.lock().unwrap().most, 2, "the two sites were asked at the same time");
}

#[test]
fn deny_warnings_fails_on_a_broken_external_link_and_output_groups_by_site() {
    let server = Server::start();
    let site = Site::new();
    site.write("site.toml", "");
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\"\n+++\nWhat neglect means.\n");
    site.write("briefings/child-a.md", briefing("Child A", &format!("Intro.\n\n## Links\n\n[Gone]({}) and [here today]({}).\n", server.url("/missing"), server.url("/ok"))));
    let mut run = Running::start(site.path(), &["check", "--external", "--timeout", "1", "--deny-warnings"]);
    let status = run.wait_exit(BOUND).expect("the check finishes");
    assert_eq!(status.code(), Some(1), "{}", run.transcript());
    let host = server.address.trim_start_matches("http://");
    assert!(run.lines().contains(&format!("  {host}: 2 addresses, 1 broken")), "{}", run.transcript());
    assert!(run.stderr().contains("help: the page may have moved; find its new address or remove the link"), "{}", run.transcript());
}
