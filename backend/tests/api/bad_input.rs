//! Input the server does not store, and input meant to break it: never a 5xx, always our
//! JSON error with a stable code, and nothing is lost or half-written. The whole API
//! suite runs on SQLite and again on PostgreSQL, so each case here is checked on both
//! (PostgreSQL cannot store NUL in text at all: it used to answer 500).

use crate::helpers::spawn_app;
use serde_json::{Value, json};

#[actix_web::test]
async fn nul_characters_are_refused_with_422_wherever_text_enters() {
    let app = spawn_app().await;
    let (li, _han, room) = app.two_members().await;
    let token = Some(li.access.as_str());
    let nul = "ab\u{0}cd";
    let bodies: Vec<(&str, String, Value)> = vec![
        (
            "POST",
            "/api/v1/auth/login".into(),
            json!({ "login": nul, "password": "x" }),
        ),
        (
            "POST",
            "/api/v1/auth/register".into(),
            json!({ "username": nul, "email": "n@example.com", "password": "a-long-tea-leaf" }),
        ),
        (
            "POST",
            format!("/api/v1/posts/{}/messages", room.default_post),
            json!({ "client_id": uuid::Uuid::new_v4().to_string(), "body": nul }),
        ),
        ("PATCH", "/api/v1/me".into(), json!({ "bio": nul })),
        (
            "POST",
            "/api/v1/rooms".into(),
            json!({ "name": nul, "visibility": "public" }),
        ),
        (
            "POST",
            format!("/api/v1/rooms/{}/posts", room.id),
            json!({ "title": nul, "tags": [] }),
        ),
        (
            "POST",
            "/api/v1/friends/requests".into(),
            json!({ "user_id": 2, "greeting": nul }),
        ),
    ];
    for (method, path, body) in &bodies {
        let reply = match *method {
            "PATCH" => app.patch(path, body, token).await,
            _ => app.post(path, body, token).await,
        };
        reply.assert(422, "unsupported_character");
        assert!(reply.body["message"].as_str().unwrap().contains("NUL"));
    }
    for path in [
        "/api/v1/users?query=ab%00cd",
        "/api/v1/rooms/discover?query=ab%00cd",
        "/api/v1/users/1%00",
    ] {
        app.get(path, token)
            .await
            .assert(422, "unsupported_character");
    }
    // A typed "\u0000" (backslash, u, zeros) is ordinary text.
    let typed = app
        .say(&li, room.default_post, "the escape \\u0000 looks like this")
        .await;
    assert_eq!(typed.status.as_u16(), 201, "{:?}", typed.body);
    // Nothing of the refused requests was written.
    let history = app.history(&li, room.default_post, "").await;
    let bodies: Vec<&str> = history.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["body"].as_str())
        .collect();
    assert_eq!(bodies, ["the escape \\u0000 looks like this"]);
}

/// Hostile and odd input across the API: a clear 4xx with our body, never a 5xx.
#[actix_web::test]
async fn no_input_makes_the_server_fail() {
    let app = spawn_app().await;
    let (li, _han, room) = app.two_members().await;
    let token = Some(li.access.as_str());
    let post = room.default_post;
    let gets = [
        "/api/v1/users/99999999999999999999".to_owned(),
        "/api/v1/users/-1".into(),
        "/api/v1/users?query=%25%25".into(),
        "/api/v1/users?query=__".into(),
        format!("/api/v1/users?query={}", "a".repeat(5000)),
        "/api/v1/users?query=%F0%9F%8D%B5%E2%80%AE".into(),
        "/api/v1/users?query=%FF%FE".into(),
        "/api/v1/rooms/discover?query=1%27%20OR%201%3D1".into(),
        format!("/api/v1/posts/{post}/messages?before=-1"),
        format!("/api/v1/posts/{post}/messages?before=9223372036854775807"),
        format!("/api/v1/posts/{post}/messages?limit=99999999"),
        format!("/api/v1/posts/{post}/messages?limit=-5"),
        format!("/api/v1/posts/{post}/messages?after=abc"),
        "/api/v1/rooms/0".into(),
        "/api/v1/files/not-a-uuid".into(),
        "/api/v1/avatars/..%2F..%2Fetc/64".into(),
        "/api/v1/avatars/x/99999999999".into(),
    ];
    for path in &gets {
        let reply = app.get(path, token).await;
        assert!(
            (400..500).contains(&reply.status.as_u16()) || reply.status.as_u16() == 200,
            "{path}: {} {:?}",
            reply.status,
            reply.body
        );
        if reply.status.as_u16() >= 400 {
            assert!(reply.body["code"].is_string(), "{path}: {:?}", reply.body);
        }
    }
    let posts: Vec<(String, Value)> = vec![
        (
            format!("/api/v1/posts/{post}/messages"),
            json!({ "client_id": "not-a-uuid", "body": "x" }),
        ),
        (
            format!("/api/v1/posts/{post}/messages"),
            json!({ "client_id": uuid::Uuid::new_v4().to_string(), "body": "x".repeat(100_000) }),
        ),
        (
            format!("/api/v1/posts/{post}/messages"),
            json!({ "client_id": uuid::Uuid::new_v4().to_string(), "body": "", "attachments": ["x"] }),
        ),
        ("/api/v1/rooms/join".into(), json!({ "number": -1 })),
        ("/api/v1/rooms/join".into(), json!({ "number": 1e300 })),
        (
            "/api/v1/chats".into(),
            json!({ "user_id": 9_007_199_254_740_993i64 }),
        ),
        ("/api/v1/blocks".into(), json!({ "user_id": 0 })),
        (
            "/api/v1/auth/refresh".into(),
            json!({ "refresh_token": "\u{202e}".repeat(1000) }),
        ),
        (
            "/api/v1/auth/login".into(),
            json!({ "login": "x".repeat(10_000), "password": "y" }),
        ),
    ];
    for (path, body) in &posts {
        let reply = app.post(path, body, token).await;
        assert!(
            (400..500).contains(&reply.status.as_u16()),
            "{path}: {} {:?}",
            reply.status,
            reply.body
        );
        assert!(reply.body["code"].is_string(), "{path}: {:?}", reply.body);
    }
    // Invalid JSON escapes (a lone surrogate) are malformed JSON, not a crash.
    app.raw(
        "POST",
        "/api/v1/auth/login",
        "application/json",
        br#"{"login":"\ud800","password":"x"}"#.to_vec(),
    )
    .await
    .assert(400, "malformed_json");
}
