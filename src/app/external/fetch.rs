//! Asks other sites about web addresses, politely: the addresses on one site one at a time,
//! up to `THREADS` sites at once, each request bounded by a timeout and the whole run by a
//! deadline, so that a dead or slow site cannot hang a check.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use rayon::prelude::*;

/// Sites asked at the same time.
const THREADS: usize = 8;

/// After this many timeouts, a site is asked nothing more: a site that does not answer would
/// otherwise cost a timeout per address.
const TIMEOUTS_PER_HOST: usize = 2;

/// How long `check --external` waits: for each page, and for the whole check.
#[derive(Debug, Clone)]
pub struct Limits {
    /// For one request, from connecting to the end of the response head.
    pub timeout: Duration,
    /// For the whole run: what is not asked by then is left unchecked.
    pub total: Duration,
}

/// What asking about one address found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The page is there (a 2xx or 3xx answer, after following redirects).
    Fine,
    /// An error status (4xx or 5xx) to both HEAD and GET.
    Status(u16),
    /// No such site: its name does not resolve.
    NoSuchHost,
    /// No answer within the timeout.
    TimedOut,
    /// No connection to the site: refused, reset, a bad certificate.
    Unreachable(String),
    /// The site answered, but not with a page: a redirect loop, a broken answer.
    Failed(String),
    /// The site asked us to slow down (429): the page may well be fine.
    RateLimited,
    /// Not asked: the run reached its deadline, or the site had stopped answering.
    NotAsked(String),
}

/// The host (with its port, if any) of `url`, lowercased: requests are grouped by it.
pub fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    authority.to_ascii_lowercase()
}

/// Asks about every address in `urls` (no repeats needed) and returns each answer.
pub fn check_all(urls: &[String], limits: &Limits) -> HashMap<String, Answer> {
    let deadline = Instant::now() + limits.total;
    let mut by_host: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for url in urls {
        by_host.entry(host(url)).or_default().push(url);
    }
    let agent = agent();
    let run = || -> Vec<(String, Answer)> {
        by_host.par_iter().flat_map_iter(|(_, urls)| ask_host(&agent, urls, limits.timeout, deadline)).collect()
    };
    // Threads of their own, since they mostly wait on the network; the global pool, sized to
    // the processors, if a pool cannot be made.
    let answers = match rayon::ThreadPoolBuilder::new().num_threads(THREADS).build() {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    answers.into_iter().collect()
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        // Error statuses are answers to look at, not failures of the request.
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!("briefing/", env!("CARGO_PKG_VERSION"), " (link check)"))
        .build()
        .into()
}

/// The addresses of one site, one request at a time.
fn ask_host(agent: &ureq::Agent, urls: &[&str], timeout: Duration, deadline: Instant) -> Vec<(String, Answer)> {
    let mut answers = Vec::with_capacity(urls.len());
    let mut timeouts = 0;
    // Once the site cannot be reached, its other addresses get the same answer unasked.
    let mut gave_up: Option<Answer> = None;
    for url in urls {
        let answer = gave_up.clone().unwrap_or_else(|| ask(agent, url, timeout, deadline));
        match &answer {
            Answer::TimedOut => timeouts += 1,
            Answer::NoSuchHost | Answer::Unreachable(_) => gave_up = Some(answer.clone()),
            _ => {}
        }
        if timeouts >= TIMEOUTS_PER_HOST && gave_up.is_none() {
            gave_up = Some(Answer::NotAsked(format!("the site did not answer {TIMEOUTS_PER_HOST} times in a row")));
        }
        answers.push((url.to_string(), answer));
    }
    answers
}

/// HEAD, which asks for no page; GET when HEAD gets an error status, since some servers refuse
/// HEAD (405, 501) or answer it wrongly.
fn ask(agent: &ureq::Agent, url: &str, timeout: Duration, deadline: Instant) -> Answer {
    let head = request(agent, url, "HEAD", timeout, deadline);
    match head {
        Answer::Status(_) => request(agent, url, "GET", timeout, deadline),
        other => other,
    }
}

fn request(agent: &ureq::Agent, url: &str, method: &str, timeout: Duration, deadline: Instant) -> Answer {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Answer::NotAsked(ran_out());
    }
    let limit = Some(timeout.min(left));
    let sent = if method == "HEAD" {
        agent.head(url).config().timeout_global(limit).build().call()
    } else {
        // The body is never read: dropping the response closes the connection.
        agent.get(url).config().timeout_global(limit).build().call()
    };
    match sent {
        Ok(response) => match response.status().as_u16() {
            429 => Answer::RateLimited,
            status if status >= 400 => Answer::Status(status),
            _ => Answer::Fine,
        },
        Err(ureq::Error::Timeout(_)) if Instant::now() >= deadline => Answer::NotAsked(ran_out()),
        Err(ureq::Error::Timeout(_)) => Answer::TimedOut,
        Err(ureq::Error::HostNotFound) => Answer::NoSuchHost,
        Err(ureq::Error::Io(e)) if is_lookup_failure(&e) => Answer::NoSuchHost,
        Err(e @ (ureq::Error::Io(_) | ureq::Error::ConnectionFailed | ureq::Error::Tls(_) | ureq::Error::Rustls(_))) => Answer::Unreachable(failure(&e)),
        Err(e) => Answer::Failed(failure(&e)),
    }
}

/// A name that does not resolve comes back from the system's resolver as a plain I/O error
/// (`ErrorKind` has no stable kind for it), told by its message on Unix and its code on Windows.
fn is_lookup_failure(e: &std::io::Error) -> bool {
    const WSAHOST_NOT_FOUND: i32 = 11001;
    e.raw_os_error() == Some(WSAHOST_NOT_FOUND) || e.to_string().contains("failed to lookup address")
}

fn ran_out() -> String {
    "the check of external links ran out of time".into()
}

/// A failed request in words.
fn failure(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => "the connection was refused".into(),
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::UnexpectedEof => "the site closed the connection".into(),
            _ => format!("the connection failed: {io}"),
        },
        ureq::Error::ConnectionFailed => "the connection failed".into(),
        ureq::Error::TooManyRedirects => "it redirects too many times".into(),
        ureq::Error::BadUri(_) => "it is not a valid web address".into(),
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => format!("the secure connection failed: {e}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_group_by_name_and_port() {
        assert_eq!(host("https://Example.org/a?b#c"), "example.org");
        assert_eq!(host("http://user:pw@127.0.0.1:8080/x"), "127.0.0.1:8080");
        assert_eq!(host("https://example.org?q"), "example.org");
    }

    #[test]
    fn a_closed_port_is_unreachable_for_every_address_on_it() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let urls = vec![format!("http://127.0.0.1:{port}/a"), format!("http://127.0.0.1:{port}/b")];
        let limits = Limits { timeout: Duration::from_secs(5), total: Duration::from_secs(20) };
        let answers = check_all(&urls, &limits);
        assert_eq!(answers[&urls[0]], Answer::Unreachable("the connection was refused".into()));
        assert_eq!(answers[&urls[1]], answers[&urls[0]]);
    }

    #[test]
    fn the_deadline_cuts_a_silent_site_short() {
        // Connections to a listener that never accepts are made but never answered.
        let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let urls = vec![format!("http://{}/a", silent.local_addr().unwrap())];
        let started = Instant::now();
        let answers = check_all(&urls, &Limits { timeout: Duration::from_secs(30), total: Duration::from_millis(500) });
        assert_eq!(answers[&urls[0]], Answer::NotAsked(ran_out()));
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    }
}
