//! The built example site works unchanged under a sub-path of a web server and opened from
//! disk: a crawl from the home page follows every internal link and asset and finds no 404.


use std::collections::{BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

/// Where the crawl serves the site: deep, as on a council's web server.
const PREFIX: &str = "/safeguarding/briefings/";

fn build_example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let build = crate::common::run(&crate::common::repo_root(), &["build", "--output", out.to_str().unwrap()]);
    assert!(build.status.success(), "{}", crate::common::stderr(&build));
    (dir, out)
}

/// A minimal static file server for `root` under `PREFIX`, on a free loopback port. It answers
/// 404 for anything outside the prefix or missing. Runs until the test process ends.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            // Headers end at the first empty line; the crawl sends no body.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").split('?').next().unwrap().to_string();
            let file = path.strip_prefix(PREFIX).filter(|p| !p.split('/').any(|s| s == "..")).map(|p| {
                let p = if p.is_empty() || p.ends_with('/') { format!("{p}index.html") } else { p.to_string() };
                root.join(p)
            });
            let mut stream = stream;
            match file.and_then(|f| std::fs::read(f).ok()) {
                Some(body) => {
                    let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                    let _ = stream.write_all(&body);
                }
                None => {
                    let _ = write!(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                }
            }
        }
    });
    address
}

/// Every `href`, `src` and form `action` value in `html` that stays on the site (not https:,
/// mailto:, …): the header's search box is a form that leads to the search page.
fn internal_links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\"", " action=\""] {
        for rest in html.split(attr).skip(1) {
            let value = rest[..rest.find('"').unwrap()].replace("&amp;", "&");
            let external = value.split('/').next().is_some_and(|first| first.contains(':')) || value.starts_with("//");
            let path = value.split('#').next().unwrap().split('?').next().unwrap().to_string();
            if !external && !path.is_empty() {
                out.push(path);
            }
        }
    }
    out
}

/// `link` resolved against the folder of `page`, both `/`-separated paths.
fn join(page: &str, link: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in link.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    if link.ends_with('/') { format!("{joined}/") } else { joined }
}

/// Breadth-first from `start`, fetching with `fetch` (None for missing); returns what it saw
/// and the broken links as "page -> link".
fn crawl(start: &str, fetch: impl Fn(&str) -> Option<Vec<u8>>) -> (BTreeSet<String>, Vec<String>) {
    let mut seen = BTreeSet::from([start.to_string()]);
    let mut queue = VecDeque::from([start.to_string()]);
    let mut broken = Vec::new();
    while let Some(page) = queue.pop_front() {
        let Some(body) = fetch(&page) else { continue };
        if !page.ends_with(".html") && !page.ends_with('/') {
            continue;
        }
        for link in internal_links(&String::from_utf8_lossy(&body)) {
            let target = join(&page, &link);
            if seen.insert(target.clone()) {
                if fetch(&target).is_none() {
                    broken.push(format!("{page} -> {link}"));
                } else {
                    queue.push_back(target);
                }
            }
        }
    }
    (seen, broken)
}

#[test]
fn every_link_resolves_under_a_sub_path_over_http() {
    let (_dir, out) = build_example();
    let address = serve(out.clone());
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let fetch = |path: &str| {
        let mut response = agent.get(&format!("{address}{path}")).call().ok()?;
        (response.status() == 200).then(|| response.body_mut().read_to_vec().unwrap())
    };
    assert!(fetch(&format!("{PREFIX}../secret")).is_none(), "the test server keeps to its prefix");
    let (seen, broken) = crawl(&format!("{PREFIX}index.html"), fetch);
    assert!(broken.is_empty(), "broken links under {PREFIX}:\n{}", broken.join("\n"));
    assert_every_page_reached(&out, seen.iter().filter_map(|p| p.strip_prefix(PREFIX)));
}

#[test]
fn every_link_resolves_when_opened_from_disk() {
    let (_dir, out) = build_example();
    let root = out.to_string_lossy().into_owned();
    // As a browser opening file:// paths: a folder is not an index page, so every link must
    // name its file.
    let fetch = |path: &str| std::fs::read(path).ok().filter(|_| Path::new(path).is_file());
    let (seen, broken) = crawl(&format!("{root}/index.html"), fetch);
    assert!(broken.is_empty(), "broken links from disk:\n{}", broken.join("\n"));
    let prefix = format!("{root}/");
    assert_every_page_reached(&out, seen.iter().filter_map(|p| p.strip_prefix(prefix.as_str())));
}

/// The crawl reached every page but the 404 page (which nothing links to), so the test would
/// notice a page that links nowhere.
fn assert_every_page_reached<'a>(out: &Path, seen: impl Iterator<Item = &'a str>) {
    let seen: BTreeSet<&str> = seen.collect();
    let mut missed = Vec::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(out).unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                stack.push(path);
            } else if rel.ends_with(".html") && rel != "404.html" && !seen.contains(rel.as_str()) {
                missed.push(rel);
            }
        }
    }
    assert!(missed.is_empty(), "pages no link reaches: {missed:?}");
}
