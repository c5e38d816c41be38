//! What every operation of the document shares, added in one place so no handler can
//! forget it: the errors the middleware and extractors produce for any endpoint (a token
//! that is missing or expired, a JSON body that does not parse, is too large or not JSON,
//! a NUL character, a query that does not parse), and `security: []` on public operations
//! so generated clients know they need no token.

use utoipa::{
    Modify,
    openapi::{
        Content, OpenApi, RefOr, Response, path::Operation, schema::Ref,
        security::SecurityRequirement,
    },
};

pub struct CommonResponses;

/// Operations with a rate limit (`limits.rs`, `auth/throttle.rs`): 429 with `Retry-After`.
const RATE_LIMITED: &[(&str, &str, &str)] = &[
    (
        "post",
        "/api/v1/auth/register",
        "too many registrations from this address",
    ),
    (
        "post",
        "/api/v1/auth/login",
        "too many attempts for this account",
    ),
    (
        "post",
        "/api/v1/posts/{id}/messages",
        "sending too fast; or `slow_mode`: the room's slow mode",
    ),
    ("post", "/api/v1/rooms", "too many rooms created"),
    (
        "post",
        "/api/v1/friends/requests",
        "too many friend requests",
    ),
    ("post", "/api/v1/files", "too many uploads"),
    ("put", "/api/v1/me/avatar", "too many uploads"),
    ("put", "/api/v1/rooms/{id}/avatar", "too many uploads"),
];

fn rate_limited(op: &mut Operation, why: &str) {
    use utoipa::openapi::{Header, ObjectBuilder, Type};
    let description =
        format!("`rate_limited`: {why}; wait `Retry-After` seconds (also `details.retry_after`)");
    add(op, "429", &description);
    if let Some(RefOr::T(response)) = op.responses.responses.get_mut("429") {
        let mut header = Header::new(ObjectBuilder::new().schema_type(Type::Integer));
        header.description = Some("Seconds to wait before trying again".into());
        response
            .headers
            .insert("Retry-After".into(), RefOr::T(header));
    }
}

fn error(description: &str) -> RefOr<Response> {
    let mut response = Response::new(description);
    response.content.insert(
        "application/json".into(),
        RefOr::T(Content::new(Some(Ref::from_schema_name("ErrorBody")))),
    );
    RefOr::T(response)
}

/// Adds `status` with `description`, or appends the description to the one documented.
fn add(op: &mut Operation, status: &str, description: &str) {
    match op.responses.responses.get_mut(status) {
        Some(RefOr::T(existing)) => {
            if !existing.description.contains(description) {
                existing.description = format!("{}; {description}", existing.description);
            }
        }
        Some(RefOr::Ref(_)) => {}
        None => {
            op.responses
                .responses
                .insert(status.to_owned(), error(description));
        }
    }
}

fn is_secured(op: &Operation) -> bool {
    op.security.as_ref().is_some_and(|reqs| {
        reqs.iter().any(|r| {
            serde_json::to_value(r)
                .ok()
                .and_then(|v| v.as_object().map(|o| !o.is_empty()))
                .unwrap_or(false)
        })
    })
}

fn takes_json(op: &Operation) -> bool {
    match &op.request_body {
        Some(RefOr::T(body)) => body.content.contains_key("application/json"),
        _ => false,
    }
}

fn has_query(op: &Operation) -> bool {
    op.parameters.as_ref().is_some_and(|params| {
        params.iter().any(|p| match p {
            RefOr::T(p) => {
                serde_json::to_value(p)
                    .ok()
                    .and_then(|v| v["in"].as_str().map(str::to_owned))
                    == Some("query".to_owned())
            }
            RefOr::Ref(_) => false,
        })
    })
}

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            for (method, op) in [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
                ("patch", &mut item.patch),
            ] {
                let Some(op) = op else { continue };
                if let Some((_, _, why)) = RATE_LIMITED
                    .iter()
                    .find(|(m, p, _)| *m == method && p == path)
                {
                    rate_limited(op, why);
                }
                if is_secured(op) {
                    add(
                        op,
                        "401",
                        "`unauthenticated`, `invalid_token`, `token_expired` or `session_ended`: log in or refresh",
                    );
                } else {
                    op.security = Some(Vec::<SecurityRequirement>::new());
                }
                if takes_json(op) {
                    add(
                        op,
                        "400",
                        "`malformed_json`: not JSON, or not the JSON this takes",
                    );
                    add(op, "413", "`payload_too_large`: a JSON body over 64 KiB");
                    add(
                        op,
                        "415",
                        "`unsupported_media_type`: the body must be `application/json`",
                    );
                }
                if has_query(op) {
                    add(op, "400", "`bad_request`: the query string does not parse");
                }
                add(
                    op,
                    "422",
                    "`unsupported_character`: a NUL character (U+0000) in the path, query or body",
                );
            }
        }
    }
}
