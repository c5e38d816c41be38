//! Access tokens (short-lived JWTs) and refresh tokens (random, single-use, stored hashed).

use crate::error::{AppError, AppResult};
use api::UserId;
use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

const ISSUER: &str = "teahouse";
const AUDIENCE: &str = "teahouse-api";
/// The `typ` claim of an access token; other token kinds (a WebSocket ticket, say) get
/// their own so one can never be used as the other.
const ACCESS_TYPE: &str = "access";
/// Bytes of randomness in a refresh token (256 bits).
const REFRESH_TOKEN_BYTES: usize = 32;

#[derive(Debug, Serialize, Deserialize)]
struct AccessClaims {
    iss: String,
    aud: String,
    /// The user id, as a string (RFC 7519).
    sub: String,
    /// The session id: checked against the database on every request.
    sid: Uuid,
    typ: String,
    iat: i64,
    exp: i64,
}

/// What a valid access token says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessToken {
    pub user_id: UserId,
    pub session_id: Uuid,
}

/// The HMAC key, with a validation that accepts exactly HS256, our issuer and audience,
/// and no clock leeway: an expired token is expired.
pub struct TokenKeys {
    /// Keys the derivation of refresh-token successors (`successor`).
    successor_key: Vec<u8>,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl_secs: u64,
}

impl TokenKeys {
    pub fn new(secret: &[u8], ttl_secs: u64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 0;
        Self {
            successor_key: secret.to_vec(),
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl_secs,
        }
    }

    /// The refresh token that succeeds `token`, with its hash: HMAC-SHA256 of it under
    /// the server's key, so presenting one token twice yields the same successor (one
    /// chain, never two), and nobody without the key can compute it.
    pub fn successor(&self, token: &str) -> (String, String) {
        use hmac::{Mac as _, SimpleHmac};
        let mut mac = match SimpleHmac::<Sha256>::new_from_slice(&self.successor_key) {
            Ok(mac) => mac,
            // HMAC takes keys of any length.
            Err(_) => return new_refresh_token(),
        };
        mac.update(b"teahouse refresh successor\0");
        mac.update(token.as_bytes());
        let token = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        let hash = hash_refresh_token(&token);
        (token, hash)
    }

    /// HMAC-SHA256 of `value` under the server's key, in the given context: what is kept
    /// of a secret too small to store with a plain hash (a six-digit code).
    pub fn keyed_hash(&self, context: &str, value: &str) -> String {
        use hmac::{Mac as _, SimpleHmac};
        let Ok(mut mac) = SimpleHmac::<Sha256>::new_from_slice(&self.successor_key) else {
            // HMAC takes keys of any length.
            return hash_refresh_token(&format!("{context}\0{value}"));
        };
        mac.update(b"teahouse keyed\0");
        mac.update(context.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    pub fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }

    pub fn issue(&self, user_id: UserId, session_id: Uuid) -> AppResult<String> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let claims = AccessClaims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: user_id.0.to_string(),
            sid: session_id,
            typ: ACCESS_TYPE.into(),
            iat: now,
            exp: now + self.ttl_secs as i64,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(AppError::internal)
    }

    pub fn verify(&self, token: &str) -> AppResult<AccessToken> {
        let data = jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => AppError::TokenExpired,
                _ => AppError::InvalidToken,
            })?;
        let claims = data.claims;
        if claims.typ != ACCESS_TYPE {
            return Err(AppError::InvalidToken);
        }
        let user_id = claims
            .sub
            .parse()
            .map(UserId)
            .map_err(|_| AppError::InvalidToken)?;
        Ok(AccessToken {
            user_id,
            session_id: claims.sid,
        })
    }
}

/// A new refresh token: 256 random bits, base64url. Returns (token, hash to store).
pub fn new_refresh_token() -> (String, String) {
    let mut bytes = [0u8; REFRESH_TOKEN_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_refresh_token(&token);
    (token, hash)
}

/// What the database keeps of a refresh token: its SHA-256 (the token has full entropy,
/// so a fast hash is enough; a leaked table yields nothing usable).
pub fn hash_refresh_token(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

/// 64 random bytes for a generated JWT key, base64url.
pub fn generate_secret() -> String {
    let mut bytes = [0u8; 64];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(b"0123456789abcdef0123456789abcdef", 60)
    }

    #[test]
    fn round_trip() {
        let sid = Uuid::new_v4();
        let token = keys().issue(UserId(7), sid).unwrap();
        assert_eq!(
            keys().verify(&token).unwrap(),
            AccessToken {
                user_id: UserId(7),
                session_id: sid
            }
        );
    }

    #[test]
    fn other_keys_and_algorithms_are_refused() {
        let token = keys().issue(UserId(7), Uuid::new_v4()).unwrap();
        let other = TokenKeys::new(b"another key, another key, another", 60);
        assert!(matches!(other.verify(&token), Err(AppError::InvalidToken)));
        // alg=none with the same claims
        let parts: Vec<&str> = token.split('.').collect();
        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let forged = format!("{none_header}.{}.", parts[1]);
        assert!(matches!(
            keys().verify(&forged),
            Err(AppError::InvalidToken)
        ));
    }

    #[test]
    fn expired_is_expired() {
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef", 0);
        let token = keys.issue(UserId(1), Uuid::new_v4()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert!(matches!(keys.verify(&token), Err(AppError::TokenExpired)));
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let (a, ha) = new_refresh_token();
        let (b, _) = new_refresh_token();
        assert_ne!(a, b);
        assert_eq!(hash_refresh_token(&a), ha);
        assert_ne!(a, ha);
    }
}
