//! Attempts per client and hour, counted in memory only: nothing about who
//! sent what is ever written down.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use super::client_ip::bucket;

/// Submissions per client and hour, in memory only: nothing about who
/// sent what is ever written down.
pub struct RateLimiter {
    per_hour: u32,
    seen: Mutex<HashMap<IpAddr, VecDeque<DateTime<Utc>>>>,
}

impl RateLimiter {
    pub fn new(per_hour: u32) -> RateLimiter {
        RateLimiter {
            per_hour,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Records an attempt and says whether it is within the limit.
    pub fn allow(&self, client: IpAddr, now: DateTime<Utc>) -> bool {
        if self.per_hour == 0 {
            return true;
        }
        let client = bucket(client);
        let window_start = now - Duration::hours(1);
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() > 10_000 {
            seen.retain(|_, times| times.back().is_some_and(|t| *t > window_start));
        }
        let times = seen.entry(client).or_default();
        while times.front().is_some_and(|t| *t <= window_start) {
            times.pop_front();
        }
        if times.len() >= self.per_hour as usize {
            return false;
        }
        times.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, h, m, 0).unwrap()
    }

    #[test]
    fn rate_limit_per_client_per_hour() {
        let limiter = RateLimiter::new(2);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(limiter.allow(a, t(10, 0)));
        assert!(limiter.allow(a, t(10, 1)));
        assert!(!limiter.allow(a, t(10, 2)));
        assert!(limiter.allow(b, t(10, 2)));
        assert!(
            limiter.allow(a, t(11, 1)),
            "the first attempt left the window"
        );
        let v6a: IpAddr = "2001:db8::1".parse().unwrap();
        let v6b: IpAddr = "2001:db8::2".parse().unwrap();
        assert!(limiter.allow(v6a, t(10, 0)));
        assert!(limiter.allow(v6b, t(10, 0)));
        assert!(!limiter.allow(v6a, t(10, 0)), "same /64");
        assert!(RateLimiter::new(0).allow(a, t(10, 0)));
    }
}
