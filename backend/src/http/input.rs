//! Characters the server does not store. PostgreSQL cannot keep NUL (U+0000) in text at
//! all, and no person types it: wherever text enters (the path, the query string, a JSON
//! body), a NUL is refused with 422 `unsupported_character` before any handler runs, on
//! both databases alike. Raw control characters inside JSON strings are already invalid
//! JSON (400 `malformed_json`); multipart file names have control characters replaced.

use crate::error::{AppError, JSON_LIMIT_BYTES};
use actix_web::{
    Error, HttpMessage as _,
    body::EitherBody,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header,
    middleware::Next,
    web::BytesMut,
};
use futures_util::StreamExt as _;

pub async fn refuse_nul<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    match check(req).await {
        Ok(req) => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
        Err((req, err)) => Ok(req.error_response(err).map_into_right_body()),
    }
}

async fn check(mut req: ServiceRequest) -> Result<ServiceRequest, (ServiceRequest, AppError)> {
    if req.path().starts_with(api::API_PREFIX) {
        let uri = req.uri();
        if has_encoded_nul(uri.path()) {
            return Err((req, AppError::UnsupportedCharacter("the path")));
        }
        if uri.query().is_some_and(has_encoded_nul) {
            return Err((req, AppError::UnsupportedCharacter("the query string")));
        }
        if is_json(&req) {
            // Read the body once (within the JSON limit; a longer one is left to the
            // extractor, which refuses it with 413) and give it back to the handler.
            let mut payload = req.take_payload();
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = match chunk {
                    Ok(chunk) => chunk,
                    Err(err) => return Err((req, AppError::BadRequest(err.to_string()))),
                };
                body.extend_from_slice(&chunk);
                if body.len() > JSON_LIMIT_BYTES {
                    let limit = JSON_LIMIT_BYTES as u64;
                    return Err((req, AppError::PayloadTooLarge { limit }));
                }
            }
            if has_escaped_nul(&body) {
                return Err((req, AppError::UnsupportedCharacter("the body")));
            }
            req.set_payload(bytes_payload(body.freeze()));
        }
    }
    Ok(req)
}

fn is_json(req: &ServiceRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.starts_with("application/json") || v.contains("+json")
        })
}

fn bytes_payload(bytes: actix_web::web::Bytes) -> actix_web::dev::Payload {
    actix_web::dev::Payload::from(bytes)
}

/// `%00` anywhere in a percent-encoded path or query.
fn has_encoded_nul(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| w == b"%00")
}

/// A `\u0000` escape in JSON text: a backslash that is itself not escaped (an odd run of
/// backslashes), then `u0000`. A raw NUL byte cannot be in valid JSON.
fn has_escaped_nul(json: &[u8]) -> bool {
    let mut run = 0usize;
    for (i, &b) in json.iter().enumerate() {
        if b == b'\\' {
            run += 1;
            continue;
        }
        if run % 2 == 1 && b == b'u' && json.get(i + 1..i + 5) == Some(b"0000") {
            return true;
        }
        run = 0;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_nul_is_found_and_escaped_backslashes_are_not() {
        assert!(has_escaped_nul(br#"{"login":"ab\u0000cd"}"#));
        assert!(has_escaped_nul(br#"{"a":"\\\u0000"}"#));
        assert!(!has_escaped_nul(br#"{"a":"\\u0000"}"#), "a typed \\u0000");
        assert!(!has_escaped_nul(br#"{"a":"\u0001"}"#));
        assert!(has_encoded_nul("query=ab%00cd"));
        assert!(!has_encoded_nul("query=ab%20cd"));
    }
}
