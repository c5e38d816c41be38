//! Read receipts in private chats: the sender learns, live and in history, how far the
//! other person has read; either turning them off ends them both ways; none in groups.

use crate::helpers::spawn_app;
use serde_json::json;

#[actix_web::test]
async fn the_sender_sees_how_far_the_other_has_read() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    app.befriend(&li, &han).await;
    let chat = app.open_chat(&li, &han).await.body;
    let post = chat["post_id"].as_i64().unwrap();
    let sent = app.say(&li, post, "read me").await;
    let id = sent.body["id"].as_i64().unwrap();
    let page = app.history(&li, post, "").await.body;
    assert_eq!(page["peer_read_up_to"], 0, "{page}");

    let mut li_ws = app.ws(&li, json!([])).await;
    app.post(
        &format!("/api/v1/posts/{post}/read"),
        &json!({}),
        Some(&han.access),
    )
    .await;
    let receipt = li_ws.next_of("read_receipt").await;
    assert_eq!(receipt["user_id"], han.id);
    assert_eq!(receipt["post_id"], post);
    assert_eq!(receipt["up_to"], id);
    let page = app.history(&li, post, "").await.body;
    assert_eq!(page["peer_read_up_to"], id);

    // Han turns receipts off: Li learns nothing more, and Han sees none of Li's.
    let off = app
        .patch(
            "/api/v1/me",
            &json!({ "read_receipts": false }),
            Some(&han.access),
        )
        .await;
    assert_eq!(off.status.as_u16(), 200, "{:?}", off.body);
    assert_eq!(off.body["read_receipts"], false);
    app.say(&li, post, "and this?").await;
    app.post(
        &format!("/api/v1/posts/{post}/read"),
        &json!({}),
        Some(&han.access),
    )
    .await;
    li_ws
        .assert_no("read_receipt", std::time::Duration::from_millis(400))
        .await;
    assert!(
        app.history(&li, post, "")
            .await
            .body
            .get("peer_read_up_to")
            .is_none()
    );
    let mut han_ws = app.ws(&han, json!([])).await;
    app.say(&han, post, "ok").await;
    app.post(
        &format!("/api/v1/posts/{post}/read"),
        &json!({}),
        Some(&li.access),
    )
    .await;
    han_ws
        .assert_no("read_receipt", std::time::Duration::from_millis(400))
        .await;
    assert!(
        app.history(&han, post, "")
            .await
            .body
            .get("peer_read_up_to")
            .is_none()
    );
}

#[actix_web::test]
async fn group_rooms_have_no_receipts() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    app.say(&li, room.default_post, "hello all").await;
    let mut li_ws = app.ws(&li, json!([])).await;
    app.post(
        &format!("/api/v1/posts/{}/read", room.default_post),
        &json!({}),
        Some(&han.access),
    )
    .await;
    li_ws
        .assert_no("read_receipt", std::time::Duration::from_millis(400))
        .await;
    let page = app.history(&li, room.default_post, "").await.body;
    assert!(page.get("peer_read_up_to").is_none(), "{page}");
}
