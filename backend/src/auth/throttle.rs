//! Throttling of login attempts (GCRA, via `governor`), so that guessing is slow and
//! nobody can lock anyone else out.
//!
//! Two buckets are taken from per attempt:
//! - per account **and client address**: `login_burst` attempts, then one every
//!   `login_refill_secs`. Someone guessing from one address slows only himself: the owner,
//!   from another address, logs in as usual.
//! - per account from every address together: `login_account_per_hour` (OWASP: at most
//!   100 failures an hour), so guessing spread over many addresses stays slow too. Only
//!   such a spread attack can make the owner wait, and only until the bucket refills.

use crate::{config::AuthConfig, error::AppError, limits};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock as _};
use std::{net::IpAddr, num::NonZeroU32, time::Duration};

pub struct LoginThrottle {
    per_address: DefaultKeyedRateLimiter<(String, Option<IpAddr>)>,
    per_account: DefaultKeyedRateLimiter<String>,
}

impl LoginThrottle {
    pub fn new(config: &AuthConfig) -> Self {
        let burst = NonZeroU32::new(config.login_burst.max(1)).unwrap_or(NonZeroU32::MIN);
        let period = Duration::from_secs(config.login_refill_secs.max(1));
        let quota =
            Quota::with_period(period).unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN));
        let hourly =
            NonZeroU32::new(config.login_account_per_hour.max(1)).unwrap_or(NonZeroU32::MIN);
        Self {
            per_address: RateLimiter::keyed(quota.allow_burst(burst)),
            per_account: RateLimiter::keyed(Quota::per_hour(hourly)),
        }
    }

    /// Takes one attempt for `account` from `client`, or says how long to wait.
    pub fn attempt(&self, account: &str, client: Option<IpAddr>) -> Result<(), AppError> {
        let wait = |limiter_now, not_until: governor::NotUntil<_>| AppError::RateLimited {
            retry_after: limits::seconds_up(not_until.wait_time_from(limiter_now)),
        };
        self.per_address
            .check_key(&(account.to_owned(), client))
            .map_err(|n| wait(self.per_address.clock().now(), n))?;
        self.per_account
            .check_key(&account.to_owned())
            .map_err(|n| wait(self.per_account.clock().now(), n))
    }

    /// Forgets accounts whose buckets are full again, so the maps stay small.
    pub fn forget_idle(&self) {
        self.per_address.retain_recent();
        self.per_address.shrink_to_fit();
        self.per_account.retain_recent();
        self.per_account.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_wait_per_account() {
        let config = AuthConfig {
            login_burst: 3,
            login_refill_secs: 60,
            ..AuthConfig::default()
        };
        let throttle = LoginThrottle::new(&config);
        let attacker = Some(IpAddr::from([6, 6, 6, 6]));
        let owner = Some(IpAddr::from([1, 2, 3, 4]));
        for _ in 0..3 {
            assert!(throttle.attempt("lilei", attacker).is_ok());
        }
        match throttle.attempt("lilei", attacker) {
            Err(AppError::RateLimited { retry_after }) => assert!((1..=60).contains(&retry_after)),
            other => panic!("expected 429, got {other:?}"),
        }
        // The owner from elsewhere, and someone else, are not affected.
        assert!(throttle.attempt("lilei", owner).is_ok());
        assert!(throttle.attempt("hanmeimei", attacker).is_ok());
    }

    #[test]
    fn an_hourly_ceiling_per_account_over_all_addresses() {
        let config = AuthConfig {
            login_burst: 3,
            login_account_per_hour: 5,
            ..AuthConfig::default()
        };
        let throttle = LoginThrottle::new(&config);
        for i in 0..5u8 {
            assert!(
                throttle
                    .attempt("lilei", Some(IpAddr::from([10, 0, 0, i])))
                    .is_ok()
            );
        }
        assert!(
            throttle
                .attempt("lilei", Some(IpAddr::from([10, 0, 1, 1])))
                .is_err()
        );
        assert!(
            throttle
                .attempt("hanmeimei", Some(IpAddr::from([10, 0, 1, 1])))
                .is_ok()
        );
    }
}
