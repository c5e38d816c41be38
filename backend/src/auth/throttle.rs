//! Throttling of login attempts per account (GCRA, via `governor`).
//!
//! Each account has a bucket of `login_burst` attempts that refills one attempt every
//! `login_refill_secs`. A burst of guesses is answered with 429 and `Retry-After`; the
//! lockout lasts only until the bucket refills, so nobody can lock another user out for
//! good, and the owner's next attempt after the wait goes through.

use crate::{config::AuthConfig, error::AppError};
use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock as _, clock::DefaultClock,
};
use std::{num::NonZeroU32, time::Duration};

pub struct LoginThrottle {
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl LoginThrottle {
    pub fn new(config: &AuthConfig) -> Self {
        let burst = NonZeroU32::new(config.login_burst.max(1)).unwrap_or(NonZeroU32::MIN);
        let period = Duration::from_secs(config.login_refill_secs.max(1));
        let quota =
            Quota::with_period(period).unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN));
        Self {
            limiter: RateLimiter::keyed(quota.allow_burst(burst)),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one attempt from `account`'s bucket, or says how long to wait.
    pub fn attempt(&self, account: &str) -> Result<(), AppError> {
        self.limiter
            .check_key(&account.to_owned())
            .map_err(|not_until| AppError::RateLimited {
                retry_after: not_until.wait_time_from(self.clock.now()).as_secs().max(1),
            })
    }

    /// Forgets accounts whose buckets are full again, so the map stays small.
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
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
        for _ in 0..3 {
            assert!(throttle.attempt("lilei").is_ok());
        }
        match throttle.attempt("lilei") {
            Err(AppError::RateLimited { retry_after }) => assert!((1..=60).contains(&retry_after)),
            other => panic!("expected 429, got {other:?}"),
        }
        // Someone else is not affected.
        assert!(throttle.attempt("hanmeimei").is_ok());
    }
}
