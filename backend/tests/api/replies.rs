//! Replies: a compact quote of the original that follows it (edits, recalls) in history,
//! live and on replay; the original opens in context with `around`.

use crate::helpers::spawn_app;
use serde_json::{Value, json};

async fn reply(
    app: &crate::helpers::TestApp,
    user: &crate::helpers::TestUser,
    post: i64,
    to: &Value,
    body: &str,
) -> crate::helpers::Reply {
    app.post(
        &format!("/api/v1/posts/{post}/messages"),
        &json!({ "client_id": uuid::Uuid::new_v4(), "body": body, "reply_to": to }),
        Some(&user.access),
    )
    .await
}

#[actix_web::test]
async fn a_reply_quotes_its_original_everywhere() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let original = app
        .say(&li, room.default_post, "**Oolong** or\npuer tonight?")
        .await;
    let mut han_ws = app.ws(&han, json!([])).await;
    let answer = reply(
        &app,
        &han,
        room.default_post,
        &original.body["id"],
        "oolong!",
    )
    .await;
    assert_eq!(answer.status.as_u16(), 201, "{:?}", answer.body);
    let quote = &answer.body["reply_to"];
    assert_eq!(quote["id"], original.body["id"]);
    assert_eq!(quote["author"]["username"], "lilei");
    assert_eq!(quote["excerpt"], "Oolong or puer tonight?");
    assert!(quote.get("recall").is_none());
    let live = han_ws.next_of("event").await;
    assert_eq!(live["event"]["message"]["reply_to"], *quote);
    let page = app.history(&li, room.default_post, "").await.body;
    assert_eq!(
        page["messages"].as_array().unwrap().last().unwrap(),
        &answer.body
    );

    // A picture alone is quoted by its attachment.
    let file = app
        .upload_ok(&li, "tea.png", &crate::files::png(40, 30))
        .await;
    let picture = app
        .post(
            &format!("/api/v1/posts/{}/messages", room.default_post),
            &json!({ "client_id": uuid::Uuid::new_v4(), "body": "", "attachments": [file] }),
            Some(&li.access),
        )
        .await;
    assert_eq!(picture.status.as_u16(), 201, "{:?}", picture.body);
    let nice = reply(&app, &han, room.default_post, &picture.body["id"], "nice").await;
    assert!(
        nice.body["reply_to"]["excerpt"].is_null(),
        "{:?}",
        nice.body
    );
    assert_eq!(nice.body["reply_to"]["attachment"]["kind"], "image");
}

#[actix_web::test]
async fn replies_stay_in_their_post_and_answer_real_messages() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let original = app.say(&li, room.default_post, "hello").await;
    let topic = app
        .post(
            &format!("/api/v1/rooms/{}/posts", room.id),
            &json!({ "title": "Elsewhere", "tags": [] }),
            Some(&li.access),
        )
        .await;
    let topic = topic.body["id"].as_i64().unwrap();
    let other_room = app.create_room(&li, "Other", "public").await;
    let elsewhere = app.say(&li, other_room.default_post, "not yours").await;
    let notice = app.history(&li, room.default_post, "").await.body["messages"][0].clone();
    assert_eq!(notice["kind"], "joined");
    let recalled = app.say(&li, room.default_post, "oops").await;
    app.post(
        &format!("/api/v1/messages/{}/recall", recalled.body["id"]),
        &json!({}),
        Some(&li.access),
    )
    .await;
    for (post, to) in [
        (topic, original.body["id"].clone()),
        (room.default_post, elsewhere.body["id"].clone()),
        (room.default_post, notice["id"].clone()),
        (room.default_post, recalled.body["id"].clone()),
        (room.default_post, json!(987654)),
    ] {
        let refused = reply(&app, &han, post, &to, "hm").await;
        refused.assert(422, "validation_failed");
        assert_eq!(refused.field("reply_to"), "unavailable", "{to}");
    }
    reply(&app, &han, room.default_post, &json!("x"), "hm")
        .await
        .assert(400, "malformed_json");
}

#[actix_web::test]
async fn the_quote_follows_edits_and_recalls_also_on_replay() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let original = app
        .say(&li, room.default_post, "meet at the north gate")
        .await;
    let id = original.body["id"].as_i64().unwrap();
    let answer = reply(&app, &han, room.default_post, &json!(id), "ok").await;
    let answer_id = answer.body["id"].clone();
    app.patch(
        &format!("/api/v1/messages/{id}"),
        &json!({ "body": "meet at the _south_ gate" }),
        Some(&li.access),
    )
    .await;
    let quote_now = |page: &Value| {
        page["messages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == answer_id)
            .unwrap()["reply_to"]
            .clone()
    };
    let page = app.history(&han, room.default_post, "").await.body;
    assert_eq!(quote_now(&page)["excerpt"], "meet at the south gate");
    let replayed = replay_text(&app, &han, room.id).await;
    assert!(!replayed.contains("north"), "{replayed}");

    app.post(
        &format!("/api/v1/messages/{id}/recall"),
        &json!({}),
        Some(&li.access),
    )
    .await;
    let page = app.history(&han, room.default_post, "").await.body;
    let quote = quote_now(&page);
    assert!(quote["excerpt"].is_null(), "{quote}");
    assert_eq!(quote["recall"]["by_admin"], false);
    let replayed = replay_text(&app, &han, room.id).await;
    assert!(!replayed.contains("gate"), "{replayed}");
}

/// Every event a replay from the start gives, as one text.
async fn replay_text(
    app: &crate::helpers::TestApp,
    user: &crate::helpers::TestUser,
    room: i64,
) -> String {
    let mut ws = app.ws(user, json!([{ "room_id": room, "seq": 0 }])).await;
    let mut text = String::new();
    while let Ok(frame) =
        tokio::time::timeout(std::time::Duration::from_millis(400), ws.next_of("event")).await
    {
        text.push_str(&frame.to_string());
    }
    assert!(!text.is_empty());
    text
}

#[actix_web::test]
async fn around_opens_a_message_in_its_context() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let room = app.create_room(&li, "Tea club", "public").await;
    let mut ids = Vec::new();
    for i in 0..30 {
        let sent = app.say(&li, room.default_post, &format!("m{i}")).await;
        ids.push(sent.body["id"].as_i64().unwrap());
    }
    let target = ids[10];
    let page = app
        .history(
            &li,
            room.default_post,
            &format!("?around={target}&limit=10"),
        )
        .await
        .body;
    let got: Vec<i64> = page["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(got, ids[6..16].to_vec(), "{page}");
    assert_eq!(page["has_more"], true);
    assert_eq!(page["has_newer"], true);
    assert!(page.get("read_up_to").is_none());
    // At the end of the post: nothing newer.
    let page = app
        .history(
            &li,
            room.default_post,
            &format!("?around={}&limit=10", ids[29]),
        )
        .await
        .body;
    assert_eq!(page["has_newer"], false);
    assert_eq!(page["messages"].as_array().unwrap().len(), 5);
}
