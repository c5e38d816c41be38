//! Emoji reactions: one per person per emoji, counts with who, live, idempotent, capped,
//! and the current state after a replay.

use crate::helpers::spawn_app;
use serde_json::{Value, json};

fn path(id: &Value, emoji: &str) -> String {
    let encoded: String = emoji.bytes().map(|b| format!("%{b:02X}")).collect();
    format!("/api/v1/messages/{id}/reactions/{encoded}")
}

#[actix_web::test]
async fn reactions_count_who_gave_them_live_and_idempotently() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let sent = app.say(&li, room.default_post, "tea at five").await;
    let id = &sent.body["id"];
    let mut li_ws = app.ws(&li, json!([])).await;

    let first = app
        .put(&path(id, "👍"), &json!({}), Some(&han.access))
        .await;
    assert_eq!(first.status.as_u16(), 200, "{:?}", first.body);
    assert_eq!(
        first.body["reactions"],
        json!([{ "emoji": "👍", "count": 1, "users": [han.id] }])
    );
    let live = li_ws.next_of("event").await;
    assert_eq!(live["event"]["kind"], "reaction_added");
    assert_eq!(live["event"]["emoji"], "👍");
    assert_eq!(live["event"]["user"]["id"], han.id);
    assert_eq!(live["event"]["post_id"], room.default_post);

    // Again: the same, and nothing sent.
    let again = app
        .put(&path(id, "👍"), &json!({}), Some(&han.access))
        .await;
    assert_eq!(again.body, first.body);
    li_ws
        .assert_no("event", std::time::Duration::from_millis(300))
        .await;
    // An unqualified heart is the same reaction as the qualified one.
    app.put(&path(id, "👍"), &json!({}), Some(&li.access)).await;
    app.put(&path(id, "\u{2764}"), &json!({}), Some(&li.access))
        .await;
    let both = app
        .put(&path(id, "\u{2764}\u{fe0f}"), &json!({}), Some(&han.access))
        .await;
    assert_eq!(
        both.body["reactions"],
        json!([
            { "emoji": "👍", "count": 2, "users": [han.id, li.id] },
            { "emoji": "\u{2764}\u{fe0f}", "count": 2, "users": [li.id, han.id] },
        ])
    );
    // History carries them.
    let page = app.history(&han, room.default_post, "").await.body;
    let last = page["messages"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["reactions"], both.body["reactions"]);

    // Taking one back, twice: once is a change.
    let removed = app.delete(&path(id, "👍"), Some(&han.access)).await;
    assert_eq!(removed.status.as_u16(), 200, "{:?}", removed.body);
    assert_eq!(removed.body["reactions"][0]["count"], 1);
    let again = app.delete(&path(id, "👍"), Some(&han.access)).await;
    assert_eq!(again.body, removed.body);
}

#[actix_web::test]
async fn bad_reactions_are_refused() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let sent = app.say(&li, room.default_post, "react to me").await;
    let id = sent.body["id"].clone();
    for not_emoji in ["a", "👍👍", "<script>", "🙂x"] {
        let reply = app
            .put(&path(&id, not_emoji), &json!({}), Some(&han.access))
            .await;
        reply.assert(422, "validation_failed");
        assert_eq!(reply.field("emoji"), "invalid_chars", "{not_emoji}");
    }
    // At most 20 different emoji on a message; more of those is fine.
    let many: Vec<&str> = emojis::iter().map(emojis::Emoji::as_str).take(21).collect();
    for emoji in &many[..20] {
        let reply = app
            .put(&path(&id, emoji), &json!({}), Some(&han.access))
            .await;
        assert_eq!(reply.status.as_u16(), 200, "{emoji}: {:?}", reply.body);
    }
    app.put(&path(&id, many[20]), &json!({}), Some(&han.access))
        .await
        .assert(409, "reaction_limit");
    let reply = app
        .put(&path(&id, many[0]), &json!({}), Some(&li.access))
        .await;
    assert_eq!(reply.status.as_u16(), 200);

    // Not a member, a notice, a recalled message.
    let outsider = app.user("outsider").await;
    app.put(&path(&id, "👍"), &json!({}), Some(&outsider.access))
        .await
        .assert(404, "not_found");
    let notice = app.history(&li, room.default_post, "").await.body["messages"][0].clone();
    assert_eq!(notice["kind"], "joined");
    app.put(&path(&notice["id"], "👍"), &json!({}), Some(&han.access))
        .await
        .assert(403, "forbidden");
    app.post(
        &format!("/api/v1/messages/{id}/recall"),
        &json!({}),
        Some(&li.access),
    )
    .await;
    app.put(&path(&id, "👍"), &json!({}), Some(&han.access))
        .await
        .assert(409, "message_recalled");
    // The recall took its reactions.
    let page = app.history(&han, room.default_post, "").await.body;
    let recalled = page["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap()
        .clone();
    assert!(recalled.get("reactions").is_none(), "{recalled}");
}

#[actix_web::test]
async fn a_client_that_was_away_replays_to_the_current_reactions() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let sent = app.say(&li, room.default_post, "vote").await;
    let id = sent.body["id"].clone();
    app.put(&path(&id, "🍵"), &json!({}), Some(&han.access))
        .await;
    app.put(&path(&id, "☕"), &json!({}), Some(&han.access))
        .await;
    app.delete(&path(&id, "☕"), Some(&han.access)).await;
    let mut ws = app.ws(&li, json!([{ "room_id": room.id, "seq": 0 }])).await;
    let mut reactions = Vec::new();
    while let Ok(frame) =
        tokio::time::timeout(std::time::Duration::from_millis(400), ws.next_of("event")).await
    {
        let event = &frame["event"];
        let user = event["user"]["id"].as_i64().or(event["user_id"].as_i64());
        match event["kind"].as_str().unwrap() {
            "reaction_added" => {
                reactions.push((event["emoji"].as_str().unwrap().to_owned(), user));
            }
            "reaction_removed" => {
                reactions.retain(|(e, u)| !(e == event["emoji"].as_str().unwrap() && *u == user));
            }
            _ => {}
        }
    }
    assert_eq!(reactions, [("🍵".to_owned(), Some(han.id))]);
    // The catalog for pickers.
    let catalog = app.get("/api/v1/emoji", None).await;
    assert_eq!(catalog.status.as_u16(), 200);
    let list = catalog.body.as_array().unwrap();
    assert!(list.len() > 1000);
    assert!(
        list.iter()
            .any(|e| e["emoji"] == "🍵" && e["group"] == "food_and_drink")
    );
    // Newer than most devices draw: not offered, but accepted from a client that has it.
    let shaking = "\u{1F642}\u{200D}\u{2194}\u{FE0F}";
    assert!(!list.iter().any(|e| e["emoji"] == shaking));
    let newer = app
        .put(&path(&id, shaking), &json!({}), Some(&li.access))
        .await;
    assert_eq!(newer.status.as_u16(), 200, "{:?}", newer.body);
}

#[actix_web::test]
async fn after_a_block_no_edits_or_reactions_in_the_private_chat() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    app.befriend(&li, &han).await;
    let chat = app.open_chat(&li, &han).await.body;
    let post = chat["post_id"].as_i64().unwrap();
    let mine = app.say(&li, post, "hello").await;
    let theirs = app.say(&han, post, "hi").await;
    app.put(&path(&mine.body["id"], "👍"), &json!({}), Some(&han.access))
        .await;
    let blocked = app
        .post(
            "/api/v1/blocks",
            &json!({ "user_id": li.id }),
            Some(&han.access),
        )
        .await;
    assert_eq!(blocked.status.as_u16(), 200, "{:?}", blocked.body);
    app.patch(
        &format!("/api/v1/messages/{}", mine.body["id"]),
        &json!({ "body": "still there?" }),
        Some(&li.access),
    )
    .await
    .assert(403, "blocked");
    app.put(
        &path(&theirs.body["id"], "👍"),
        &json!({}),
        Some(&li.access),
    )
    .await
    .assert(403, "blocked");
    // Taking a reaction back is always allowed.
    let back = app
        .delete(&path(&mine.body["id"], "👍"), Some(&han.access))
        .await;
    assert_eq!(back.status.as_u16(), 200, "{:?}", back.body);
    assert_eq!(back.body["reactions"], json!([]));
}
