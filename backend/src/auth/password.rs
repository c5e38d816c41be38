//! Password hashing and the password policy.

use crate::error::{AppError, AppResult};
use api::FieldCode;
use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHasher as _, PasswordVerifier as _, phc::PasswordHash},
};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// zxcvbn's estimate below which a password counts as common: a million guesses covers
/// every password on the leaked-password lists it carries, keyboard walks and the like.
const COMMON_PASSWORD_GUESSES_LOG10: f64 = 6.0;

/// Hashes and verifies with argon2id. Argon2 is built to be slow (~19 MiB and tens of ms
/// of one core per hash), so every hash runs on a blocking thread, and a semaphore caps how
/// many run at once: a burst of logins queues instead of exhausting memory and the pool.
#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// Verified against when the account does not exist, so an unknown user costs the same
    /// time as a wrong password and response times reveal nothing.
    dummy_hash: Arc<str>,
}

impl PasswordHasher {
    pub fn new(memory_kib: u32, iterations: u32, max_concurrent: usize) -> AppResult<Self> {
        let params = Params::new(memory_kib, iterations, 1, None).map_err(AppError::internal)?;
        let dummy: PasswordHash = argon(&params)
            .hash_password(b"teahouse dummy password")
            .map_err(AppError::internal)?;
        Ok(Self {
            params,
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
            dummy_hash: dummy.to_string().into(),
        })
    }

    /// A PHC string (`$argon2id$v=19$m=…`) with a fresh random salt.
    pub async fn hash(&self, password: String) -> AppResult<String> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        let params = self.params.clone();
        actix_web::web::block(move || {
            argon(&params)
                .hash_password(password.as_bytes())
                .map(|hash: PasswordHash| hash.to_string())
        })
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
    }

    /// Whether `password` matches `hash`; with no hash (unknown account) it does the same
    /// work against a dummy and answers false.
    pub async fn verify(&self, password: String, hash: Option<String>) -> AppResult<bool> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.dummy_hash.to_string());
        let params = self.params.clone();
        let matches = actix_web::web::block(move || {
            let parsed = PasswordHash::new(&hash).map_err(|e| e.to_string())?;
            // The stored hash carries its own parameters; `params` only matters for new ones.
            Ok::<bool, String>(
                argon(&params)
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok(),
            )
        })
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
        Ok(known && matches)
    }
}

fn argon(params: &Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
}

/// The whole policy for a new password: length, not the username, not common.
/// `context` are words an attacker would try first for this account (username, email).
pub fn password_problem(password: &str, username: &str, context: &[&str]) -> Option<FieldCode> {
    verdict(password, username, context).problem
}

/// The policy's answer and a strength from 0 to 4 (zxcvbn's score, at most 1 when the
/// policy refuses): one rule for registration, password changes and the app's meter.
pub fn verdict(password: &str, username: &str, context: &[&str]) -> api::auth::PasswordVerdict {
    if let Some(problem) = api::rules::password_problem(password, username) {
        return api::auth::PasswordVerdict {
            problem: Some(problem),
            strength: 0,
        };
    }
    let mut inputs: Vec<&str> = context.iter().copied().filter(|c| !c.is_empty()).collect();
    if !username.is_empty() {
        inputs.push(username);
    }
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    let problem = (estimate.guesses_log10() < COMMON_PASSWORD_GUESSES_LOG10)
        .then_some(FieldCode::PasswordTooCommon);
    let score = u8::from(estimate.score());
    api::auth::PasswordVerdict {
        strength: if problem.is_some() {
            score.min(1)
        } else {
            score
        },
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_are_refused() {
        for common in [
            "password",
            "password1",
            "12345678",
            "qwertyuiop",
            "iloveyou",
            "abcdefgh",
        ] {
            assert_eq!(
                password_problem(common, "someone", &[]),
                Some(FieldCode::PasswordTooCommon),
                "{common}"
            );
        }
    }

    #[test]
    fn passwords_built_from_the_account_are_refused() {
        assert_eq!(
            password_problem("lilei2024", "lilei", &["lilei@example.com"]),
            Some(FieldCode::PasswordTooCommon)
        );
        assert_eq!(
            password_problem("LiLei", "lilei", &[]),
            Some(FieldCode::PasswordTooShort)
        );
        assert_eq!(
            password_problem("lilei-han", "LILEI-HAN", &[]),
            Some(FieldCode::PasswordIsUsername)
        );
    }

    #[test]
    fn good_passwords_pass() {
        for good in ["green-tea-at-dusk", "Wq9!mZ2#rT", "绿茶在黄昏时最好喝了"] {
            assert_eq!(password_problem(good, "someone", &[]), None, "{good}");
        }
    }

    #[actix_web::test]
    async fn hash_and_verify_round_trip() {
        let hasher = PasswordHasher::new(1024, 1, 2).unwrap();
        let hash = hasher.hash("green-tea-at-dusk".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            hasher
                .verify("green-tea-at-dusk".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("green-tea-at-dawn".into(), Some(hash))
                .await
                .unwrap()
        );
        assert!(!hasher.verify("anything".into(), None).await.unwrap());
    }
}
