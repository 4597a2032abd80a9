//! `briefing serve` over real HTTP: the real binary on a temporary site, a real HTTP client
//! (ureq) for ordinary requests, and a raw TCP client for the requests an HTTP client would
//! clean up before sending (`..`, `%2e%2e`, absolute forms) and for the live-reload stream.


use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::common::child::{poll, Running};
use crate::common::Site;

const STARTS: Duration = Duration::from_secs(30);
const SHOWS_UP: Duration = Duration::from_secs(8);

fn briefing(title: &str) -> String {
    crate::common::briefing(
        &format!("title = \"{title}\"\nformat = \"practitioner\"\npublished = 2024-05-01\nthemes = [\"neglect\"]"),
        &format!("About {title}.\n\n## Background\n\nText.\n\n## What we learned\n\nMore.\n"),
    )
}

fn fixture() -> Site {
    let site = Site::new();
    site.write("site.toml", "title = \"Served briefings\"\n");
    site.write("briefings/alpha.md", briefing("Alpha review"));
    site.write("briefings/beta/index.md", briefing("Beta review"));
    site.write("briefings/beta/chart.png", b"\x89PNG\r\n\x1a\nchart bytes");
    // Beside the output folder: what traversal attempts are after.
    site.write("secret.txt", "TOP-SECRET-CONTENT");
    site
}

/// Starts `briefing serve` on a free port; returns it and its address (`127.0.0.1:PORT`).
fn serve(site: &Site, extra: &[&str]) -> (Running, String) {
    let mut args = vec!["serve", "--root", ".", "--port", "0"];
    args.extend_from_slice(extra);
    let server = Running::start(site.path(), &args);
    let (_, line) = server.wait_for_line(0, STARTS, "with the address", |l| l.starts_with("Serving the site at "));
    server.wait_for_line(0, STARTS, "saying it watches", |l| l.starts_with("Watching"));
    let addr = line.trim_start_matches("Serving the site at http://").trim_end_matches('/').to_string();
    (server, addr)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

struct Reply {
    status: u16,
    content_type: String,
    location: Option<String>,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn get(addr: &str, path: &str) -> Reply {
    let mut response = agent().get(&format!("http://{addr}{path}")).call().unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_string());
    let (content_type, location) = (header("content-type").unwrap_or_default(), header("location"));
    let body = response.body_mut().read_to_vec().unwrap();
    Reply { status: response.status().as_u16(), content_type, location, body }
}

/// Sends `GET <target>` exactly as written and returns the status and the whole response.
fn raw_get(addr: &str, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status for {target}: {response:?}"));
    (status, response)
}

#[test]
fn serves_the_output_with_content_types_and_live_reload_only_in_responses() {
    let site = fixture();
    let (_server, addr) = serve(&site, &[]);

    let home = get(&addr, "/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert!(home.text().contains("<script src=\"/__briefing/live.js\" data-good=\"1\"></script>\n</body>"), "{}", home.text());
    assert_eq!(get(&addr, "/index.html?utm=x").status, 200);

    let page = get(&addr, "/briefings/alpha/");
    assert!(page.status == 200 && page.text().contains("Alpha review"));
    let redirect = get(&addr, "/briefings/alpha");
    assert_eq!((redirect.status, redirect.location.as_deref()), (301, Some("/briefings/alpha/")));

    let css = get(&addr, "/assets/style.css");
    assert_eq!(css.content_type, "text/css; charset=utf-8");
    assert_eq!(css.body, std::fs::read(site.path().join("output/assets/style.css")).unwrap(), "non-HTML files are sent as they are");
    let png = get(&addr, "/briefings/beta/chart.png");
    assert_eq!((png.status, png.content_type.as_str()), (200, "image/png"));
    assert_eq!(png.body, b"\x89PNG\r\n\x1a\nchart bytes");
    let script = get(&addr, "/__briefing/live.js");
    assert_eq!((script.status, script.content_type.as_str()), (200, "text/javascript; charset=utf-8"));

    // Missing pages: a plain 404, or the site's 404.html when it has one.
    let missing = get(&addr, "/briefings/nope/");
    assert_eq!(missing.status, 404);
    assert_eq!(get(&addr, "/.briefing-output").status, 404, "hidden files are not served");
    site.write("output/404.html", "<html><body><h1>Not here</h1></body></html>");
    let missing = get(&addr, "/nope.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Not here") && missing.text().contains("live.js"), "{}", missing.text());

    let head = agent().head(&format!("http://{addr}/")).call().unwrap();
    assert_eq!(head.status().as_u16(), 200);
    let post = agent().post(&format!("http://{addr}/")).send("x").unwrap();
    assert_eq!(post.status().as_u16(), 405);

    // The files themselves never carry the script.
    for entry in walkdir::WalkDir::new(site.path().join("output")).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let bytes = std::fs::read(entry.path()).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("__briefing"), "{} has the live-reload script", entry.path().display());
    }
}

#[cfg(unix)]
#[test]
fn nothing_outside_the_output_folder_is_served() {
    let site = fixture();
    let (_server, addr) = serve(&site, &[]);
    let out = site.path().join("output");
    std::os::unix::fs::symlink(site.path().join("secret.txt"), out.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(site.path(), out.join("leakdir")).unwrap();
    std::os::unix::fs::symlink(out.join("index.html"), out.join("alias.html")).unwrap();

    let secret = site.path().join("secret.txt");
    let targets = [
        "/../secret.txt".to_string(),
        "/briefings/../../secret.txt".to_string(),
        "/%2e%2e/secret.txt".to_string(),
        "/%2E%2E/secret.txt".to_string(),
        "/.%2e/secret.txt".to_string(),
        "/briefings/%2e%2e/%2e%2e/secret.txt".to_string(),
        "/..%2fsecret.txt".to_string(),
        "/%2e%2e%2fsecret.txt".to_string(),
        "/..%5csecret.txt".to_string(),
        "/..\\secret.txt".to_string(),
        "/secret.txt%00.html".to_string(),
        format!("/{}", secret.display()),
        format!("/{}", percent_encode_all(&secret.display().to_string())),
        secret.display().to_string(),
        format!("http://{addr}/../secret.txt"),
        "/leak.txt".to_string(),
        "/leakdir/secret.txt".to_string(),
        "*".to_string(),
    ];
    for target in &targets {
        let (status, response) = raw_get(&addr, target);
        assert!(status == 400 || status == 404, "{target}: {status}\n{response}");
        assert!(!response.contains("TOP-SECRET-CONTENT"), "{target} leaked the file");
    }
    // A link that stays inside the output is fine.
    let (status, _) = raw_get(&addr, "/alias.html");
    assert_eq!(status, 200);
}

fn percent_encode_all(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// A live-reload client: reads server-sent events off a raw connection.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn connect(addr: &str) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(SHOWS_UP)).unwrap();
        write!(stream, "GET /__briefing/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        while reader.read_line(&mut head).unwrap() > 2 && !head.ends_with("\r\n\r\n") {}
        assert!(head.starts_with("HTTP/1.1 200") && head.contains("text/event-stream"), "{head}");
        Events { reader }
    }

    /// The data of the next `status` event, parsed (comments and `retry:` are skipped).
    fn next(&mut self) -> serde_json::Value {
        let mut event = String::new();
        let mut data: Option<String> = None;
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).unwrap_or_else(|e| panic!("no event within {SHOWS_UP:?}: {e}"));
            assert!(n > 0, "the event stream ended");
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if let (true, Some(data)) = (event == "status", data.take()) {
                    return serde_json::from_str(&data).unwrap();
                }
                event.clear();
            } else if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data = Some(d.to_string());
            }
        }
    }
}

#[test]
fn open_pages_hear_about_each_rebuild_and_see_errors_until_fixed() {
    let site = fixture();
    let (mut server, addr) = serve(&site, &[]);
    let mut events = Events::connect(&addr);
    let first = events.next();
    assert_eq!((first["ok"].as_bool(), first["good"].as_u64()), (Some(true), Some(1)), "{first}");

    site.write("briefings/alpha.md", briefing("Alpha after a save"));
    let saved = events.next();
    assert_eq!((saved["ok"].as_bool(), saved["good"].as_u64()), (Some(true), Some(2)), "{saved}");
    let page = get(&addr, "/briefings/alpha/");
    assert!(page.text().contains("Alpha after a save") && page.text().contains("data-good=\"2\""));

    // A broken save: the page keeps the last good build, and the error reaches the browser.
    site.write("briefings/alpha.md", briefing("Alpha broken").replace("format =", "formt ="));
    let broken = events.next();
    assert_eq!(broken["ok"].as_bool(), Some(false), "{broken}");
    assert_eq!(broken["good"].as_u64(), Some(2), "no new good build");
    let error = &broken["errors"][0];
    assert_eq!(error["file"], "briefings/alpha.md");
    assert_eq!(error["line"], 3);
    assert!(error["message"].as_str().unwrap().contains("formt"), "{error}");
    assert!(error["help"].as_str().unwrap().contains("format"), "{error}");
    // A page opened now asks for the status on load, and gets the same.
    let status: serde_json::Value = serde_json::from_slice(&get(&addr, "/__briefing/status").body).unwrap();
    assert_eq!(status, broken);
    assert!(get(&addr, "/briefings/alpha/").text().contains("Alpha after a save"));
    assert!(server.is_alive());

    site.write("briefings/alpha.md", briefing("Alpha fixed"));
    let fixed = events.next();
    assert_eq!((fixed["ok"].as_bool(), fixed["good"].as_u64()), (Some(true), Some(3)), "{fixed}");
    assert!(fixed["errors"].as_array().unwrap().is_empty());
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let site = fixture();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = Running::start(site.path(), &["serve", "--root", ".", "--port", &port.to_string()]);
    let (_, moved) = server.wait_for_line(0, STARTS, "saying the port moved", |l| l.starts_with(&format!("Port {port} is in use")));
    let (_, line) = server.wait_for_line(0, STARTS, "with the address", |l| l.starts_with("Serving the site at "));
    let addr = line.trim_start_matches("Serving the site at http://").trim_end_matches('/').to_string();
    let new_port: u16 = addr.rsplit(':').next().unwrap().parse().unwrap();
    assert!(new_port > port && moved.contains(&format!("using {new_port} instead")), "{moved} / {line}");
    server.wait_for_line(0, STARTS, "saying it watches", |l| l.starts_with("Watching"));
    assert_eq!(get(&addr, "/").status, 200);
}

#[test]
fn binding_beyond_loopback_warns() {
    let site = fixture();
    // 192.0.2.1 is reserved for documentation: no machine has it, so nothing is ever served.
    let mut server = Running::start(site.path(), &["serve", "--root", ".", "--port", "0", "--bind", "192.0.2.1"]);
    let status = server.wait_exit(STARTS).expect("it gives up at once");
    assert_eq!(status.code(), Some(2), "{}", server.transcript());
    server.wait_for_stderr(SHOWS_UP, &["warning: Serving on 192.0.2.1 makes the site", "cannot serve on 192.0.2.1"]);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server() {
    let site = fixture();
    let (mut server, addr) = serve(&site, &[]);
    let _events = Events::connect(&addr);
    let status = server.interrupt(Duration::from_secs(5)).expect("it stops within 5 s of Ctrl-C");
    assert!(status.success(), "{status:?}\n{}", server.transcript());
    let closed = poll(Duration::from_secs(5), || TcpStream::connect(&addr).is_err().then_some(()));
    assert!(closed.is_some(), "the port is still open");
}

/// The injected script in a real browser (Chromium through playwright-core): the error
/// overlay appears on a broken save, also on a page opened while broken, and every open page
/// reloads by itself on the next good save.
#[test]
fn a_real_browser_shows_the_error_and_reloads() {
    use crate::common::browser::{find_chromium, find_node, node_tools_dir, skip_or_fail};
    let what = "a_real_browser_shows_the_error_and_reloads";
    let Some(node) = find_node() else {
        return skip_or_fail(what, "no `node` on PATH");
    };
    if node_tools_dir().is_none() {
        return skip_or_fail(what, "tests/node_modules lacks playwright-core (run `npm ci --prefix tests`)");
    }
    let Some(browser) = find_chromium() else {
        return skip_or_fail(what, "no Chromium or Chrome (install chromium or set BRIEFING_BROWSER)");
    };
    let site = fixture();
    let (_server, addr) = serve(&site, &[]);
    let plan = serde_json::json!({
        "file": site.path().join("briefings/alpha.md"),
        "broken": briefing("Alpha broken").replace("format =", "formt ="),
        "fixed": briefing("Alpha seen in the browser"),
        "fixedTitle": "Alpha seen in the browser",
    });
    let plan_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(plan_file.path(), plan.to_string()).unwrap();
    let result = std::process::Command::new(node)
        .arg(crate::common::repo_root().join("tests/browser/live_reload.cjs"))
        .arg(format!("http://{addr}/briefings/alpha/"))
        .arg(plan_file.path())
        .env("BRIEFING_BROWSER", &browser)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("node runs");
    let report = format!("{}{}", crate::common::stdout(&result), crate::common::stderr(&result));
    match result.status.code() {
        Some(0) => {}
        Some(2) => skip_or_fail(what, &format!("live_reload.cjs could not set up:\n{report}")),
        _ => panic!("live reload in the browser:\n{report}"),
    }
}

/// `--open` hands the address to the desktop's opener (xdg-open on Linux) once the first
/// build is done; a stand-in xdg-open records what it was given.
#[cfg(target_os = "linux")]
#[test]
fn open_hands_the_address_to_the_desktop() {
    use std::os::unix::fs::PermissionsExt;
    let site = fixture();
    let bin = tempfile::tempdir().unwrap();
    let opened = bin.path().join("opened.txt");
    let opener = bin.path().join("xdg-open");
    std::fs::write(&opener, format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display())).unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = std::env::join_paths(std::iter::once(bin.path().to_path_buf()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()))).unwrap();
    let server = Running::start_with_env(site.path(), &["serve", "--root", ".", "--port", "0", "--open"], &[("PATH", path.as_os_str())]);
    let (_, line) = server.wait_for_line(0, STARTS, "with the address", |l| l.starts_with("Serving the site at "));
    let url = line.trim_start_matches("Serving the site at ").to_string();
    let got = poll(SHOWS_UP, || std::fs::read_to_string(&opened).ok().filter(|s| !s.is_empty()));
    assert_eq!(got.as_deref().map(str::trim), Some(url.as_str()), "{}", server.transcript());
}

/// Sends `head` (the request line and headers, without the blank line) exactly as written and
/// returns the status and the whole response.
fn raw_request(addr: &str, head: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "{head}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status for {head:?}: {response:?}"));
    (status, response)
}

/// DNS rebinding: a page on `evil.example` whose name now points at 127.0.0.1 must not be
/// able to read the preview, so only this computer's own names are answered.
#[test]
fn on_loopback_only_local_names_are_answered() {
    let site = fixture();
    let (_server, addr) = serve(&site, &[]);
    let port = addr.rsplit(':').next().unwrap();
    for host in [format!("localhost:{port}"), "localhost".into(), format!("127.0.0.1:{port}"), format!("[::1]:{port}"), "LOCALHOST:1".into()] {
        let (status, response) = raw_request(&addr, &format!("GET / HTTP/1.1\r\nHost: {host}"));
        assert_eq!(status, 200, "Host: {host}\n{response}");
    }
    for host in [format!("evil.example:{port}"), "evil.example".into(), format!("laptop.local:{port}"), format!("192.168.1.4:{port}")] {
        let (status, response) = raw_request(&addr, &format!("GET / HTTP/1.1\r\nHost: {host}"));
        assert_eq!(status, 421, "Host: {host}\n{response}");
        assert!(!response.contains("Served briefings") && response.contains("localhost or 127.0.0.1"), "{response}");
    }
    let (status, _) = raw_request(&addr, "GET / HTTP/1.1");
    assert_eq!(status, 400, "no Host");
    let (status, _) = raw_request(&addr, &format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example"));
    assert_eq!(status, 400, "two Hosts");
}

/// Shared on a network, the site is opened by IP address: any address is answered, but a
/// name could be a rebinding one.
#[test]
fn on_a_network_bind_addresses_are_answered_names_are_not() {
    let site = fixture();
    let (_server, addr) = serve(&site, &["--bind", "0.0.0.0"]);
    let port = addr.rsplit(':').next().unwrap();
    let addr = format!("127.0.0.1:{port}");
    for host in [format!("192.168.1.4:{port}"), format!("127.0.0.1:{port}"), format!("[fe80::1]:{port}"), format!("localhost:{port}")] {
        let (status, response) = raw_request(&addr, &format!("GET / HTTP/1.1\r\nHost: {host}"));
        assert_eq!(status, 200, "Host: {host}\n{response}");
    }
    for host in [format!("evil.example:{port}"), format!("laptop.local:{port}")] {
        let (status, response) = raw_request(&addr, &format!("GET / HTTP/1.1\r\nHost: {host}"));
        assert_eq!(status, 421, "Host: {host}\n{response}");
    }
}

/// Slowloris: hundreds of connections that trickle their heads must not keep ordinary
/// requests out. They used to fill every place for as long as they kept trickling.
#[test]
fn slow_clients_do_not_starve_normal_requests() {
    let site = fixture();
    let (_server, addr) = serve(&site, &[]);
    let mut slow: Vec<TcpStream> = (0..300).map(|_| TcpStream::connect(&addr).unwrap()).collect();
    for stream in &mut slow {
        let _ = stream.write_all(b"GET / HTTP/1.1\r\nX-Slow: ");
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let trickler = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                for stream in &mut slow {
                    let _ = stream.write_all(b"a");
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        })
    };
    std::thread::sleep(Duration::from_secs(1));
    for i in 0..5 {
        let started = std::time::Instant::now();
        let mut stream = TcpStream::connect(&addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(stream, "GET / HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let response = String::from_utf8_lossy(&response);
        assert!(response.starts_with("HTTP/1.1 200"), "request {i} after {:?}: {response:?}", started.elapsed());
        assert!(started.elapsed() < Duration::from_secs(5), "request {i} took {:?}", started.elapsed());
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    trickler.join().unwrap();
}

/// The whole head has one deadline: a line a second, each within any per-read timeout,
/// still ends in 408 after about 10 s.
#[test]
fn a_head_trickled_a_line_a_second_times_out() {
    let site = fixture();
    let (_server, addr) = serve(&site, &[]);
    let mut stream = TcpStream::connect(&addr).unwrap();
    let started = std::time::Instant::now();
    let mut writer = stream.try_clone().unwrap();
    std::thread::spawn(move || {
        let _ = writer.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n");
        for i in 0..25 {
            std::thread::sleep(Duration::from_secs(1));
            if write!(writer, "X-Slow-{i}: a\r\n").is_err() {
                break;
            }
        }
    });
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let took = started.elapsed();
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 408"), "after {took:?}: {response:?}");
    assert!(took >= Duration::from_secs(9) && took <= Duration::from_secs(15), "408 after {took:?}");
}
