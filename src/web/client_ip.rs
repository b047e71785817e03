//! Who is connecting, for the in-memory limits only (connections per
//! client, form submissions per client). Addresses are never logged or
//! stored.

use std::net::IpAddr;

use axum::http::HeaderMap;

/// The connecting peer's address, put on every request by the accept loop.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

/// The unit a limit counts: an IPv4 address, or an IPv6 /64, which a
/// single household or phone usually holds whole.
pub fn bucket(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut s = v6.segments();
                s[4..].fill(0);
                IpAddr::V6(s.into())
            }
        },
    }
}

/// The visitor's address. Behind a reverse proxy every connection comes
/// from the proxy, so when the peer is a trusted proxy the right-most
/// `X-Forwarded-For` entry that is not one is used instead.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|part| part.trim().parse::<IpAddr>().ok())
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_address_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "198.51.100.7, 203.0.113.9, 10.0.0.1".parse().unwrap(),
        );
        assert_eq!(
            client_address(proxy, &h, &[proxy]),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        // Anyone else's header is ignored.
        let other: IpAddr = "192.0.2.5".parse().unwrap();
        assert_eq!(client_address(other, &h, &[proxy]), other);
        assert_eq!(client_address(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }

    #[test]
    fn ipv6_counts_per_64() {
        let a: IpAddr = "2001:db8::1".parse().unwrap();
        let b: IpAddr = "2001:db8::ffff:2".parse().unwrap();
        let c: IpAddr = "2001:db8:0:1::1".parse().unwrap();
        assert_eq!(bucket(a), bucket(b));
        assert_ne!(bucket(a), bucket(c));
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(bucket(mapped), "192.0.2.1".parse::<IpAddr>().unwrap());
    }
}
