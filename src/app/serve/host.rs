//! Which `Host` headers `serve` answers, against DNS rebinding: a web page on another site
//! can point a name it controls (`evil.example`) at 127.0.0.1 and then read this server's
//! pages as its own, drafts included. The browser still sends that name as the `Host`, so
//! refusing names other than `localhost` closes the hole.
//!
//! - Bound to loopback (the default): only `localhost`, `127.0.0.1`, `[::1]` and the bound
//!   address are answered, with any port.
//! - Bound to a network address (`--bind 0.0.0.0`): any IP address is answered, and
//!   `localhost`, but never another name: other computers open the site by the IP address
//!   `serve` prints, and a name such as `laptop.local` could as well be a rebinding one.

use std::net::IpAddr;

/// Whether a request whose `Host` header is `host` may be answered by a server bound to
/// `bind`.
pub fn allowed(host: &str, bind: IpAddr) -> bool {
    let Some(name) = without_port(host.trim()) else { return false };
    if name.eq_ignore_ascii_case("localhost") || name.eq_ignore_ascii_case("localhost.") {
        return true;
    }
    let Some(ip) = ip_literal(name) else { return false };
    if bind.is_loopback() {
        ip == bind || is_usual_loopback(ip)
    } else {
        true
    }
}

/// `127.0.0.1` and `::1`: the loopback addresses a browser is shown; others of 127/8 only
/// when they are the bound one.
fn is_usual_loopback(ip: IpAddr) -> bool {
    ip == IpAddr::from([127, 0, 0, 1]) || ip == IpAddr::from(std::net::Ipv6Addr::LOCALHOST)
}

/// The host of `host[:port]` or `[v6][:port]`; `None` when the port is not a number.
fn without_port(host: &str) -> Option<&str> {
    if let Some(rest) = host.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        return port_ok(after).then_some(&host[..inside.len() + 2]);
    }
    match host.split_once(':') {
        Some((name, port)) => port_ok(&format!(":{port}")).then_some(name),
        None => Some(host),
    }
}

fn port_ok(after: &str) -> bool {
    match after.strip_prefix(':') {
        None => after.is_empty(),
        Some(port) => !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// An IP address written as a URL host: dotted IPv4, or IPv6 in brackets. Other spellings
/// (`2130706433`, `0x7f.1`) are not what a browser sends for an address typed as digits.
fn ip_literal(name: &str) -> Option<IpAddr> {
    if let Some(inside) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        return inside.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6);
    }
    name.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn loopback_answers_only_its_own_names() {
        let bind = ip("127.0.0.1");
        for host in ["localhost", "LocalHost:1111", "localhost.", "127.0.0.1", "127.0.0.1:8080", "[::1]", "[::1]:1111"] {
            assert!(allowed(host, bind), "{host}");
        }
        for host in ["evil.example", "evil.example:1111", "laptop.local", "127.0.0.2", "192.168.1.4:1111", "", ":1111", "localhost:x", "[::1", "[::1]x", "localhost:123456", "2130706433"] {
            assert!(!allowed(host, bind), "{host}");
        }
        assert!(allowed("127.0.0.2:1111", ip("127.0.0.2")), "the bound address");
        assert!(allowed("[::1]:1111", ip("::1")));
    }

    #[test]
    fn a_network_bind_answers_addresses_never_names() {
        let bind = ip("0.0.0.0");
        for host in ["192.168.1.4:1111", "10.0.0.7", "[fe80::1]:1111", "localhost:1111", "127.0.0.1"] {
            assert!(allowed(host, bind), "{host}");
        }
        for host in ["evil.example", "laptop.local:1111", "192.168.1.4.evil.example"] {
            assert!(!allowed(host, bind), "{host}");
        }
    }
}
