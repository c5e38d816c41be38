//! The checked-in OpenAPI document is exactly what the server produces and serves.

use crate::helpers::spawn_app;

#[test]
fn checked_in_document_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    let generated = teahouse::http::openapi_json();
    assert!(
        checked_in == generated,
        "openapi/openapi.json is out of date: run `cargo run -p teahouse -- openapi > openapi/openapi.json`"
    );
}

/// Generated clients name a method after each `operationId` (Redocly's
/// `operation-operationId-unique`): two handlers with one function name in different
/// features must not share one.
#[test]
fn every_operation_id_is_unique() {
    let doc: serde_json::Value = serde_json::from_str(&teahouse::http::openapi_json()).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(id) = op["operationId"].as_str()
                && let Some(first) = seen.insert(id.to_owned(), format!("{method} {path}"))
            {
                panic!("operationId {id} is used by {first} and {method} {path}");
            }
        }
    }
}

#[test]
fn checked_in_socket_schema_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/socket.json");
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    let generated = teahouse::http::socket_schema::socket_schema_json();
    assert!(
        checked_in == generated,
        "openapi/socket.json is out of date: run `cargo run -p teahouse -- socket-schema > openapi/socket.json`"
    );
    // Every frame of both directions is in it, and every reference resolves.
    let schema: serde_json::Value = serde_json::from_str(&generated).unwrap();
    let defs = schema["$defs"].as_object().unwrap();
    for name in [
        "ClientFrame",
        "ServerFrame",
        "RoomEvent",
        "FriendEvent",
        "UserPresence",
        "Message",
    ] {
        assert!(defs.contains_key(name), "{name} is defined");
    }
    for reference in generated.split("\"$ref\": \"").skip(1) {
        let target = reference.split('"').next().unwrap();
        let name = target.trim_start_matches("#/$defs/");
        assert!(defs.contains_key(name), "{target} resolves");
    }
    let frames = serde_json::to_string(&defs["ServerFrame"]).unwrap();
    for kind in [
        "ready",
        "event",
        "presence",
        "friends",
        "typing",
        "error",
        "session_ended",
    ] {
        assert!(
            frames.contains(&format!("\"{kind}\"")),
            "ServerFrame has {kind}"
        );
    }
}

#[actix_web::test]
async fn served_document_matches_and_documents_every_route() {
    let app = spawn_app().await;
    let served = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(served.status.as_u16(), 200);
    let generated: serde_json::Value =
        serde_json::from_str(&teahouse::http::openapi_json()).unwrap();
    assert_eq!(served.body, generated);
    let paths = served.body["paths"].as_object().unwrap();
    for path in [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/me/password",
        "/api/v1/users/{id}",
        "/api/v1/health",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    assert!(served.body["components"]["schemas"]["ErrorBody"].is_object());
    assert!(served.body["components"]["securitySchemes"]["bearer"].is_object());
}

#[actix_web::test]
async fn the_docs_ui_is_served_offline() {
    let app = spawn_app().await;
    let reply = app.get("/api/docs/", None).await;
    assert_eq!(reply.status.as_u16(), 200);
    assert!(
        reply.body.as_str().unwrap_or_default().contains("swagger"),
        "{:?}",
        reply.body
    );
    assert!(
        !reply.body.as_str().unwrap_or_default().contains("cdn"),
        "no CDN"
    );
}
