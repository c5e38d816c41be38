//! The client's address: the socket's peer, or — only when that peer is a configured
//! trusted proxy — the nearest untrusted address in `X-Forwarded-For`, read from the right
//! (each proxy appends; the leftmost entries are whatever the client wrote).

use actix_web::{HttpRequest, http::header::HeaderMap};
use std::net::IpAddr;

/// One trusted proxy: an address, or a range in CIDR notation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trusted {
    network: IpAddr,
    prefix: u8,
}

impl Trusted {
    /// `10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = address
            .parse()
            .map_err(|_| format!("trusted_proxies: {text:?} is not an address"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("trusted_proxies: bad prefix in {text:?}"))?,
            None => max,
        };
        Ok(Self { network, prefix })
    }

    fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// IPv4 peers arrive as `::ffff:a.b.c.d` on dual-stack sockets.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The client's address for `req`.
pub fn client_ip(req: &HttpRequest, trusted: &[Trusted]) -> Option<IpAddr> {
    let peer = canonical(req.peer_addr()?.ip());
    Some(from_peer(peer, req.headers(), trusted))
}

fn from_peer(peer: IpAddr, headers: &HeaderMap, trusted: &[Trusted]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|t| t.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let mut client = peer;
    let hops = headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.trim().parse::<IpAddr>() else {
            // Garbage from further left than our proxies: stop at what we know.
            break;
        };
        client = canonical(ip);
        if !is_trusted(client) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(xff: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(
            HeaderName::from_static("x-forwarded-for"),
            HeaderValue::from_str(xff).unwrap(),
        );
        map
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let trusted = [Trusted::parse("10.0.0.0/8").unwrap()];
        let forged = headers("6.6.6.6, 1.2.3.4");
        // Not behind a proxy: the peer, whatever the header says.
        assert_eq!(
            from_peer("1.2.3.4".parse().unwrap(), &forged, &[]),
            "1.2.3.4".parse::<IpAddr>().unwrap()
        );
        assert_eq!(from_peer(proxy, &forged, &[]), proxy);
        // Behind one: the rightmost untrusted hop, never the client's own claim.
        assert_eq!(
            from_peer(proxy, &forged, &trusted),
            "1.2.3.4".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            from_peer(proxy, &headers("1.2.3.4, 10.0.0.7"), &trusted),
            "1.2.3.4".parse::<IpAddr>().unwrap()
        );
        assert!(Trusted::parse("10.0.0.0/33").is_err());
        assert!(
            Trusted::parse("::1")
                .unwrap()
                .contains("::1".parse().unwrap())
        );
        assert!(
            Trusted::parse("127.0.0.1")
                .unwrap()
                .contains("::ffff:127.0.0.1".parse().unwrap())
        );
    }
}
