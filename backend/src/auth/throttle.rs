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

use crate::{
    config::{AuthConfig, Rate},
    error::AppError,
    limits::{Limit, Shared},
};
use std::net::IpAddr;

pub struct LoginThrottle {
    per_address: Limit<(String, Option<IpAddr>)>,
    per_account: Limit<String>,
}

impl LoginThrottle {
    /// `shared`: Redis, when several instances count attempts together.
    pub fn new(config: &AuthConfig, shared: Option<&Shared>) -> Self {
        let per_hour = config.login_account_per_hour.max(1);
        Self {
            per_address: Limit::shared(
                Rate {
                    burst: config.login_burst,
                    refill_ms: config.login_refill_secs.max(1) * 1000,
                },
                true,
                shared,
                "login",
            ),
            per_account: Limit::shared(
                Rate {
                    burst: per_hour,
                    refill_ms: 3_600_000 / u64::from(per_hour),
                },
                true,
                shared,
                "login_account",
            ),
        }
    }

    /// Takes one attempt for `account` from `client`, or says how long to wait.
    pub async fn attempt(&self, account: &str, client: Option<IpAddr>) -> Result<(), AppError> {
        self.per_address
            .check(&(account.to_owned(), client))
            .await?;
        self.per_account.check(&account.to_owned()).await
    }

    /// Forgets accounts whose buckets are full again, so the maps stay small.
    pub fn forget_idle(&self) {
        self.per_address.sweep();
        self.per_account.sweep();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn burst_then_wait_per_account() {
        let config = AuthConfig {
            login_burst: 3,
            login_refill_secs: 60,
            ..AuthConfig::default()
        };
        let throttle = LoginThrottle::new(&config, None);
        let attacker = Some(IpAddr::from([6, 6, 6, 6]));
        let owner = Some(IpAddr::from([1, 2, 3, 4]));
        for _ in 0..3 {
            assert!(throttle.attempt("lilei", attacker).await.is_ok());
        }
        match throttle.attempt("lilei", attacker).await {
            Err(AppError::RateLimited { retry_after }) => assert!((1..=60).contains(&retry_after)),
            other => panic!("expected 429, got {other:?}"),
        }
        // The owner from elsewhere, and someone else, are not affected.
        assert!(throttle.attempt("lilei", owner).await.is_ok());
        assert!(throttle.attempt("hanmeimei", attacker).await.is_ok());
    }

    #[actix_web::test]
    async fn an_hourly_ceiling_per_account_over_all_addresses() {
        let config = AuthConfig {
            login_burst: 3,
            login_account_per_hour: 5,
            ..AuthConfig::default()
        };
        let throttle = LoginThrottle::new(&config, None);
        for i in 0..5u8 {
            assert!(
                throttle
                    .attempt("lilei", Some(IpAddr::from([10, 0, 0, i])))
                    .await
                    .is_ok()
            );
        }
        assert!(
            throttle
                .attempt("lilei", Some(IpAddr::from([10, 0, 1, 1])))
                .await
                .is_err()
        );
        assert!(
            throttle
                .attempt("hanmeimei", Some(IpAddr::from([10, 0, 1, 1])))
                .await
                .is_ok()
        );
    }
}
