//! The little HTTP/1.1 that `serve` needs: one request a connection, its head parsed with
//! httparse; one response with its length, then the connection closes (`Connection: close`).
//!
//! Why not tiny_http, which this used at first: its pool of connection threads can leave a new
//! connection waiting behind idle keep-alive ones, and a browser reloading two pages at once
//! then waited until some connection closed (the live-reload browser test hung on a style
//! sheet in about one run of five). Closing every connection after its response, on a thread
//! of its own, cannot starve: on loopback a connection costs next to nothing. The async
//! servers (hyper, axum) would bring a runtime for a preview server on 127.0.0.1.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A request head larger than this is refused (431): paths here are short.
const MAX_HEAD: usize = 16 * 1024;
const MAX_HEADERS: usize = 64;
/// How long a client may take to send its whole request head, from connecting: one deadline,
/// not one a read, so a byte every few seconds does not keep a connection forever.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// How long a client may take to take a whole response.
pub const RESPONSE_DEADLINE: Duration = Duration::from_secs(30);

#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request target exactly as sent: not decoded, not normalised.
    pub target: String,
    /// The one `Host` header, as sent.
    pub host: String,
}

/// A connection whose reads and writes all end by one instant: each read or write waits only
/// for the time left, and fails with `TimedOut` once it is gone.
pub struct Deadlined<'a> {
    pub stream: &'a TcpStream,
    pub until: Instant,
}

impl Deadlined<'_> {
    fn left(&self) -> io::Result<Duration> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        Ok(left)
    }
}

impl Read for Deadlined<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.set_read_timeout(Some(self.left()?))?;
        (&mut &*self.stream).read(buf)
    }
}

impl Write for Deadlined<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.set_write_timeout(Some(self.left()?))?;
        (&mut &*self.stream).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&mut &*self.stream).flush()
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response { status, content_type: content_type.to_string(), headers: Vec::new(), body: body.into() }
    }

    pub fn text(status: u16, body: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// Reads one request head. `Ok(None)`: the client went away without sending one; `Err`: the
/// response to send instead (400, 408, 431).
pub fn read_request(stream: &mut impl Read) -> Result<Option<Request>, Response> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = match stream.read(&mut chunk) {
            Ok(0) => return Ok(None),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock) => {
                return Err(Response::text(408, "408 Request timeout: the request took too long to arrive.\n"));
            }
            Err(_) => return Ok(None),
        };
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => {
                let (Some(method), Some(target)) = (request.method, request.path) else {
                    return Err(Response::text(400, "400 Bad request\n"));
                };
                let host = the_host(request.headers)?;
                return Ok(Some(Request { method: method.to_string(), target: target.to_string(), host }));
            }
            Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => {}
            Ok(httparse::Status::Partial) => return Err(Response::text(431, "431 Request header fields too large\n")),
            Err(_) => return Err(Response::text(400, "400 Bad request\n")),
        }
    }
}

/// The value of the one `Host` header: a request with none, or with two, is refused (400), as
/// HTTP/1.1 asks, since which site it wants is then unknown.
fn the_host(headers: &[httparse::Header]) -> Result<String, Response> {
    let mut hosts = headers.iter().filter(|h| h.name.eq_ignore_ascii_case("host"));
    match (hosts.next(), hosts.next()) {
        (Some(host), None) => Ok(String::from_utf8_lossy(host.value).into_owned()),
        _ => Err(Response::text(400, "400 Bad request: send exactly one Host header.\n")),
    }
}

/// Writes `response` (its head only for HEAD requests).
pub fn write_response(stream: &mut impl Write, response: &Response, head_only: bool) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    // A preview server: every request must see the latest build.
    head.push_str("Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

/// The head of a response whose body is the rest of the connection (server-sent events).
pub fn write_stream_head(stream: &mut TcpStream, content_type: &str) -> io::Result<()> {
    let head = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_target_as_sent() {
        let mut input: &[u8] = b"GET /%2e%2e/x?y=1 HTTP/1.1\r\nHost: a\r\n\r\n";
        let request = read_request(&mut input).unwrap().unwrap();
        assert_eq!(request, Request { method: "GET".into(), target: "/%2e%2e/x?y=1".into(), host: "a".into() });
        let mut garbage: &[u8] = b"\x00\x01 nonsense\r\n\r\n";
        assert_eq!(read_request(&mut garbage).unwrap_err().status, 400);
        let mut nothing: &[u8] = b"";
        assert!(read_request(&mut nothing).unwrap().is_none());
    }

    #[test]
    fn one_host_header_exactly() {
        let mut none: &[u8] = b"GET / HTTP/1.1\r\nAccept: */*\r\n\r\n";
        assert_eq!(read_request(&mut none).unwrap_err().status, 400);
        let mut two: &[u8] = b"GET / HTTP/1.1\r\nHost: localhost\r\nhost: evil.example\r\n\r\n";
        assert_eq!(read_request(&mut two).unwrap_err().status, 400);
    }

    /// A reader whose time has run out, as `Deadlined` is after its instant.
    struct Late;

    impl Read for Late {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::ErrorKind::TimedOut.into())
        }
    }

    #[test]
    fn a_head_too_slow_gets_408() {
        assert_eq!(read_request(&mut Read::chain(&b"GET / HTTP/1.1\r\n"[..], Late)).unwrap_err().status, 408);
    }

    #[test]
    fn responses_carry_their_length_and_close() {
        let mut out = Vec::new();
        write_response(&mut out, &Response::text(404, "gone\n").with_header("Location", "/x/"), false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"), "{text}");
        assert!(text.contains("Content-Length: 5\r\n") && text.contains("Location: /x/\r\n") && text.contains("Connection: close\r\n"));
        assert!(text.ends_with("\r\n\r\ngone\n"));
        let mut out = Vec::new();
        write_response(&mut out, &Response::text(200, "body"), true).unwrap();
        assert!(String::from_utf8(out).unwrap().ends_with("\r\n\r\n"), "HEAD: no body");
    }
}
