//! Bad input of every kind gets the JSON error body with the right status.

use crate::helpers::spawn_app;

#[actix_web::test]
async fn malformed_json_is_400() {
    let app = spawn_app().await;
    let reply = app
        .raw(
            "POST",
            "/api/v1/auth/login",
            "application/json",
            b"{\"login\": ".to_vec(),
        )
        .await;
    reply.assert(400, "malformed_json");
    let reply = app
        .raw(
            "POST",
            "/api/v1/auth/login",
            "application/json",
            b"{\"login\": 5}".to_vec(),
        )
        .await;
    reply.assert(400, "malformed_json");
    let reply = app
        .raw(
            "POST",
            "/api/v1/auth/login",
            "application/json",
            b"[]".to_vec(),
        )
        .await;
    reply.assert(400, "malformed_json");
}

#[actix_web::test]
async fn wrong_content_type_is_415() {
    let app = spawn_app().await;
    let reply = app
        .raw("POST", "/api/v1/auth/login", "text/plain", b"{}".to_vec())
        .await;
    reply.assert(415, "unsupported_media_type");
}

#[actix_web::test]
async fn oversize_bodies_are_413() {
    let app = spawn_app().await;
    let big = format!(
        "{{\"login\": \"{}\", \"password\": \"x\"}}",
        "a".repeat(100 * 1024)
    );
    let reply = app
        .raw(
            "POST",
            "/api/v1/auth/login",
            "application/json",
            big.into_bytes(),
        )
        .await;
    reply.assert(413, "payload_too_large");
    assert_eq!(reply.body["details"]["limit"], 64 * 1024);
}

#[actix_web::test]
async fn unknown_routes_and_methods_are_json() {
    let app = spawn_app().await;
    app.get("/api/v1/nope", None)
        .await
        .assert(404, "route_not_found");
    app.get("/api/nope", None)
        .await
        .assert(404, "route_not_found");
    let reply = app
        .raw(
            "DELETE",
            "/api/v1/auth/login",
            "application/json",
            Vec::new(),
        )
        .await;
    assert!(matches!(reply.status.as_u16(), 404 | 405), "{:?}", reply);
    assert!(reply.body["code"].is_string(), "{:?}", reply.body);
}

#[actix_web::test]
async fn errors_carry_a_request_id_and_no_internals() {
    let app = spawn_app().await;
    let reply = app.get("/api/v1/me", None).await;
    reply.assert(401, "unauthenticated");
    assert!(reply.headers.get("x-request-id").is_some());
    assert_eq!(
        reply.headers.get("x-content-type-options").unwrap(),
        "nosniff"
    );
}

#[actix_web::test]
async fn health_answers() {
    let app = spawn_app().await;
    let reply = app.get("/api/v1/health", None).await;
    assert_eq!(reply.status.as_u16(), 200);
    assert_eq!(reply.body["status"], "ok");
}

/// A path the API has, with a method it does not take: 405 with `Allow`, not 404.
#[actix_web::test]
async fn undeclared_methods_are_405_with_allow() {
    let app = spawn_app().await;
    for (method, path, allow) in [
        ("TRACE", "/api/v1/users/1", "GET, HEAD"),
        ("DELETE", "/api/v1/me/password", "POST"),
        ("PUT", "/api/v1/rooms/7", "GET, HEAD, PATCH, DELETE"),
    ] {
        let reply = app.raw(method, path, "application/json", Vec::new()).await;
        reply.assert(405, "method_not_allowed");
        assert_eq!(
            reply.headers.get("allow").unwrap(),
            allow,
            "{method} {path}"
        );
    }
    app.raw(
        "GET",
        "/api/v1/no/such/thing",
        "application/json",
        Vec::new(),
    )
    .await
    .assert(404, "route_not_found");
}

/// An idle connection stays usable for longer than clients commonly wait before reusing
/// one (actix's 5 s default made a reused connection race the server's close).
#[actix_web::test]
async fn an_idle_connection_is_kept_open_for_reuse() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let app = spawn_app().await;
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", app.port))
        .await
        .unwrap();
    let request = format!(
        "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        app.port
    );
    for round in 0..2 {
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = Vec::new();
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&response).contains("\"status\"") {
            let n = stream.read(&mut buf).await.unwrap();
            assert!(n > 0, "round {round}: the server closed the connection");
            response.extend_from_slice(&buf[..n]);
        }
        assert!(String::from_utf8_lossy(&response).starts_with("HTTP/1.1 200"));
        if round == 0 {
            tokio::time::sleep(std::time::Duration::from_secs(6)).await;
        }
    }
}
