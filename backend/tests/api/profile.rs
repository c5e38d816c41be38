//! `/me` and `/users/{id}`.

use crate::helpers::spawn_app;
use serde_json::json;

#[actix_web::test]
async fn edit_my_profile() {
    let app = spawn_app().await;
    let user = app.user("lilei").await;
    let edit = json!({
        "display_name": "  李雷  ",
        "bio": "喜欢喝茶。\nLikes tea.",
        "location": "北京",
        "gender": "male",
        "zodiac": "leo",
    });
    let reply = app.patch("/api/v1/me", &edit, Some(&user.access)).await;
    assert_eq!(reply.status.as_u16(), 200, "{:?}", reply.body);
    assert_eq!(reply.body["display_name"], "李雷");
    assert_eq!(reply.body["bio"], "喜欢喝茶。\nLikes tea.");
    assert_eq!(reply.body["zodiac"], "leo");

    // Left out: unchanged. Empty: cleared.
    let reply = app
        .patch("/api/v1/me", &json!({ "location": "" }), Some(&user.access))
        .await;
    assert_eq!(reply.body["location"], serde_json::Value::Null);
    assert_eq!(reply.body["display_name"], "李雷");
    let me = app.me(&user.access).await;
    assert_eq!(me.body["gender"], "male");
    assert_eq!(me.body["location"], serde_json::Value::Null);
}

#[actix_web::test]
async fn profile_edits_are_checked() {
    let app = spawn_app().await;
    let user = app.user("lilei").await;
    let reply = app
        .patch(
            "/api/v1/me",
            &json!({ "bio": "茶".repeat(501), "display_name": "ok" }),
            Some(&user.access),
        )
        .await;
    reply.assert(422, "validation_failed");
    assert_eq!(reply.field("bio"), "length");
    // Nothing of a refused edit is applied.
    assert_eq!(
        app.me(&user.access).await.body["display_name"],
        serde_json::Value::Null
    );

    app.patch(
        "/api/v1/me",
        &json!({ "zodiac": "dragon" }),
        Some(&user.access),
    )
    .await
    .assert(400, "malformed_json");
    app.patch(
        "/api/v1/me",
        &json!({ "role": "admin" }),
        Some(&user.access),
    )
    .await
    .assert(400, "malformed_json");
    app.patch("/api/v1/me", &json!({ "bio": "x" }), None)
        .await
        .assert(401, "unauthenticated");
}

#[actix_web::test]
async fn public_profiles_hide_private_fields() {
    let app = spawn_app().await;
    let lilei = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    let reply = app
        .get(&format!("/api/v1/users/{}", lilei.id), Some(&han.access))
        .await;
    assert_eq!(reply.status.as_u16(), 200);
    assert_eq!(reply.body["username"], "lilei");
    assert!(reply.body.get("email").is_none());
    assert!(reply.body.get("phone").is_none());

    app.get("/api/v1/users/999999", Some(&han.access))
        .await
        .assert(404, "not_found");
    app.get("/api/v1/users/abc", Some(&han.access))
        .await
        .assert(404, "not_found");
    app.get(&format!("/api/v1/users/{}", lilei.id), None)
        .await
        .assert(401, "unauthenticated");
}
