//! @mentions: stored as ids, checked against the room, counted apart in unread, `@all`
//! by the room's rule, and the current state after an edit and a replay.

use crate::helpers::{TestApp, TestUser, spawn_app};
use serde_json::{Value, json};

async fn send(app: &TestApp, user: &TestUser, post: i64, body: Value) -> crate::helpers::Reply {
    let mut body = body;
    body["client_id"] = json!(uuid::Uuid::new_v4().to_string());
    app.post(
        &format!("/api/v1/posts/{post}/messages"),
        &body,
        Some(&user.access),
    )
    .await
}

/// The contact-list line of a post: (unread, mentioned).
async fn counts(app: &TestApp, user: &TestUser, post: i64) -> (i64, i64) {
    let list = app.get("/api/v1/conversations", Some(&user.access)).await;
    let line = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["post_id"] == post)
        .cloned()
        .unwrap_or_else(|| panic!("no line for post {post}: {:?}", list.body));
    (
        line["unread"].as_i64().unwrap(),
        line["mentioned"].as_i64().unwrap(),
    )
}

#[actix_web::test]
async fn a_mention_is_stored_highlighted_and_counted_apart() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let post = room.default_post;
    let mut li_ws = app.ws(&li, json!([])).await;

    let called = send(
        &app,
        &han,
        post,
        json!({ "body": "@lilei tea?", "mentions": [li.id, li.id] }),
    )
    .await;
    assert_eq!(called.status.as_u16(), 201, "{:?}", called.body);
    assert_eq!(called.body["mentions"], json!([li.id]), "repeats dropped");
    assert!(called.body.get("mention_all").is_none());
    let live = li_ws.next_of("event").await;
    assert_eq!(live["event"]["message"]["mentions"], json!([li.id]));
    send(&app, &han, post, json!({ "body": "anyone else?" })).await;
    assert_eq!(counts(&app, &li, post).await, (2, 1));
    assert_eq!(counts(&app, &han, post).await, (0, 0), "my own mention");

    let page = app.history(&li, post, "").await.body;
    let mentioning: Vec<&Value> = page["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m.get("mentions").is_some())
        .collect();
    assert_eq!(mentioning.len(), 1);
    assert_eq!(mentioning[0]["id"], called.body["id"]);

    // Reading clears both, and the frame says so.
    let read = app
        .post(
            &format!("/api/v1/posts/{post}/read"),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(read.body["post_mentioned"], 0, "{:?}", read.body);
    let frame = li_ws.next_of("unread").await;
    assert_eq!(frame["post_mentioned"], 0);
    assert_eq!(counts(&app, &li, post).await, (0, 0));

    // A recalled mention no longer counts and no longer names anyone.
    let again = send(
        &app,
        &han,
        post,
        json!({ "body": "@lilei", "mentions": [li.id] }),
    )
    .await;
    assert_eq!(counts(&app, &li, post).await, (1, 1));
    let recalled = app
        .post(
            &format!("/api/v1/messages/{}/recall", again.body["id"]),
            &json!({}),
            Some(&han.access),
        )
        .await;
    assert!(
        recalled.body.get("mentions").is_none(),
        "{:?}",
        recalled.body
    );
    assert_eq!(counts(&app, &li, post).await, (0, 0));
}

#[actix_web::test]
async fn everyone_is_for_owners_and_admins_unless_the_room_allows_members() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let post = room.default_post;
    let refused = send(
        &app,
        &han,
        post,
        json!({ "body": "@all hi", "mention_all": true }),
    )
    .await;
    refused.assert(403, "mention_all_forbidden");
    let by_owner = send(
        &app,
        &li,
        post,
        json!({ "body": "@all meeting", "mention_all": true }),
    )
    .await;
    assert_eq!(by_owner.status.as_u16(), 201, "{:?}", by_owner.body);
    assert_eq!(by_owner.body["mention_all"], true);
    assert_eq!(counts(&app, &han, post).await, (1, 1));

    let opened = app
        .patch(
            &format!("/api/v1/rooms/{}", room.id),
            &json!({ "members_mention_all": true }),
            Some(&li.access),
        )
        .await;
    assert_eq!(opened.status.as_u16(), 200, "{:?}", opened.body);
    assert_eq!(opened.body["members_mention_all"], true);
    let by_member = send(
        &app,
        &han,
        post,
        json!({ "body": "@all cake", "mention_all": true }),
    )
    .await;
    assert_eq!(by_member.status.as_u16(), 201, "{:?}", by_member.body);
    assert_eq!(counts(&app, &li, post).await, (1, 1));
}

#[actix_web::test]
async fn mentioning_someone_outside_the_room_or_too_many_is_refused() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let outsider = app.user("outsider").await;
    let post = room.default_post;
    for ids in [json!([outsider.id]), json!([li.id, 987_654]), json!([-1])] {
        let reply = send(&app, &han, post, json!({ "body": "hey", "mentions": ids })).await;
        reply.assert(422, "validation_failed");
        assert_eq!(reply.field("mentions"), "not_member", "{ids}");
    }
    let many: Vec<i64> = (1..=51).collect();
    let reply = send(&app, &han, post, json!({ "body": "hey", "mentions": many })).await;
    reply.assert(422, "validation_failed");
    assert_eq!(reply.field("mentions"), "length");
    let reply = send(&app, &han, post, json!({ "body": "hey", "mentions": "li" })).await;
    assert_eq!(reply.status.as_u16(), 400, "{:?}", reply.body);
    // Nothing was sent.
    let page = app.history(&li, post, "").await.body;
    assert!(
        !page["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["body"] == "hey")
    );
}

#[actix_web::test]
async fn an_edit_changes_whom_it_mentions_and_a_replay_shows_the_current_state() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let post = room.default_post;
    let sent = send(&app, &han, post, json!({ "body": "tea?" })).await;
    let id = sent.body["id"].clone();
    assert_eq!(counts(&app, &li, post).await, (1, 0));
    let edited = app
        .patch(
            &format!("/api/v1/messages/{id}"),
            &json!({ "body": "@lilei tea?", "mentions": [li.id] }),
            Some(&han.access),
        )
        .await;
    assert_eq!(edited.status.as_u16(), 200, "{:?}", edited.body);
    assert_eq!(edited.body["mentions"], json!([li.id]));
    assert_eq!(counts(&app, &li, post).await, (1, 1));
    // Text alone keeps the mentions.
    let text_only = app
        .patch(
            &format!("/api/v1/messages/{id}"),
            &json!({ "body": "@lilei tea at five?" }),
            Some(&han.access),
        )
        .await;
    assert_eq!(text_only.body["mentions"], json!([li.id]));
    let outsider = app.user("outsider").await;
    let bad = app
        .patch(
            &format!("/api/v1/messages/{id}"),
            &json!({ "body": "hm", "mentions": [outsider.id] }),
            Some(&han.access),
        )
        .await;
    assert_eq!(bad.field("mentions"), "not_member");

    let mut ws = app.ws(&li, json!([{ "room_id": room.id, "seq": 0 }])).await;
    let mut seen = None;
    while let Ok(frame) =
        tokio::time::timeout(std::time::Duration::from_millis(400), ws.next_of("event")).await
    {
        let message = &frame["event"]["message"];
        if message["id"] == id {
            seen = Some(message.clone());
        }
    }
    let seen = seen.expect("the message in the replay");
    assert_eq!(seen["mentions"], json!([li.id]));
    assert_eq!(seen["body"], "@lilei tea at five?");
}

#[actix_web::test]
async fn members_carry_pinyin_keys_for_chinese_names() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let named = app
        .patch(
            "/api/v1/me",
            &json!({ "display_name": "韩梅梅" }),
            Some(&han.access),
        )
        .await;
    assert_eq!(named.status.as_u16(), 200, "{:?}", named.body);
    let members = app
        .get(
            &format!("/api/v1/rooms/{}/members", room.id),
            Some(&li.access),
        )
        .await;
    let list = members.body.as_array().unwrap();
    let han_line = list.iter().find(|m| m["user"]["id"] == han.id).unwrap();
    assert_eq!(han_line["initials"], "hmm");
    assert_eq!(han_line["pinyin"], "hanmeimei");
    let li_line = list.iter().find(|m| m["user"]["id"] == li.id).unwrap();
    assert!(li_line.get("initials").is_none(), "{li_line}");
}
