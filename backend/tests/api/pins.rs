//! Pins and the room announcement: owners and admins only, live for members, capped, gone
//! with a recall, shown once per change, and the current state after a replay.

use crate::helpers::{spawn_app, spawn_app_with};
use serde_json::json;

#[actix_web::test]
async fn owners_pin_and_members_see_the_list_live() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let said = app.say(&han, room.default_post, "meet at five").await;
    let id = said.body["id"].clone();
    let mut han_ws = app.ws(&han, json!([])).await;

    let pinned = app
        .put(
            &format!("/api/v1/messages/{id}/pin"),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(pinned.status.as_u16(), 200, "{:?}", pinned.body);
    assert_eq!(pinned.body["message"]["body"], "meet at five");
    assert_eq!(pinned.body["pinned_by"]["id"], li.id);
    let live = han_ws.next_of("event").await;
    assert_eq!(live["event"]["kind"], "message_pinned");
    assert_eq!(live["event"]["message_id"], id);
    assert_eq!(live["event"]["by"]["id"], li.id);

    // Again: the same pin, no event.
    let again = app
        .put(
            &format!("/api/v1/messages/{id}/pin"),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(again.body, pinned.body);
    han_ws
        .assert_no("event", std::time::Duration::from_millis(300))
        .await;
    let list = app
        .get(
            &format!("/api/v1/rooms/{}/pins", room.id),
            Some(&han.access),
        )
        .await;
    assert_eq!(list.body, json!([pinned.body]));

    // Members may not pin or unpin; outsiders see nothing.
    let other = app.say(&li, room.default_post, "and bring cups").await;
    let created = han_ws.next_of("event").await;
    assert_eq!(created["event"]["kind"], "message_created");
    app.put(
        &format!("/api/v1/messages/{}/pin", other.body["id"]),
        &json!({}),
        Some(&han.access),
    )
    .await
    .assert(403, "forbidden");
    app.delete(&format!("/api/v1/messages/{id}/pin"), Some(&han.access))
        .await
        .assert(403, "forbidden");
    let outsider = app.user("outsider").await;
    app.get(
        &format!("/api/v1/rooms/{}/pins", room.id),
        Some(&outsider.access),
    )
    .await
    .assert(404, "not_found");

    // A recall unpins.
    let recalled = app
        .post(
            &format!("/api/v1/messages/{id}/recall"),
            &json!({}),
            Some(&han.access),
        )
        .await;
    assert_eq!(recalled.status.as_u16(), 200, "{:?}", recalled.body);
    let unpinned = han_ws.next_of("event").await;
    assert_eq!(unpinned["event"]["kind"], "message_unpinned");
    let list = app
        .get(
            &format!("/api/v1/rooms/{}/pins", room.id),
            Some(&han.access),
        )
        .await;
    assert_eq!(list.body, json!([]));
    app.put(
        &format!("/api/v1/messages/{id}/pin"),
        &json!({}),
        Some(&li.access),
    )
    .await
    .assert(409, "message_recalled");

    // Unpinning: once is a change.
    let other = &other.body["id"];
    app.put(
        &format!("/api/v1/messages/{other}/pin"),
        &json!({}),
        Some(&li.access),
    )
    .await;
    let gone = app
        .delete(&format!("/api/v1/messages/{other}/pin"), Some(&li.access))
        .await;
    assert_eq!(gone.status.as_u16(), 204);
    let gone = app
        .delete(&format!("/api/v1/messages/{other}/pin"), Some(&li.access))
        .await;
    assert_eq!(gone.status.as_u16(), 204);
}

#[actix_web::test]
async fn a_room_has_at_most_fifty_pins() {
    let app = spawn_app_with(|c| c.limits.enabled = false).await;
    let (li, _han, room) = app.two_members().await;
    for n in 0..=api::rules::PINS_PER_ROOM {
        let said = app.say(&li, room.default_post, &format!("note {n}")).await;
        let reply = app
            .put(
                &format!("/api/v1/messages/{}/pin", said.body["id"]),
                &json!({}),
                Some(&li.access),
            )
            .await;
        if n < api::rules::PINS_PER_ROOM {
            assert_eq!(reply.status.as_u16(), 200, "{n}: {:?}", reply.body);
        } else {
            reply.assert(409, "pin_limit");
        }
    }
}

#[actix_web::test]
async fn the_announcement_shows_once_per_change() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let mut han_ws = app.ws(&han, json!([])).await;
    let mine = |rooms: &serde_json::Value| {
        rooms
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == room.id)
            .cloned()
            .unwrap()
    };

    let set = app
        .put(
            &format!("/api/v1/rooms/{}/announcement", room.id),
            &json!({ "body": "**No** tea after ten" }),
            Some(&li.access),
        )
        .await;
    assert_eq!(set.status.as_u16(), 200, "{:?}", set.body);
    assert_eq!(
        set.body["html"],
        "<p><strong>No</strong> tea after ten</p>\n"
    );
    assert_eq!(set.body["by"]["id"], li.id);
    let live = han_ws.next_of("event").await;
    assert_eq!(live["event"]["kind"], "announcement_changed");
    assert_eq!(
        live["event"]["announcement"]["body"],
        "**No** tea after ten"
    );

    let han_room = mine(&app.get("/api/v1/rooms", Some(&han.access)).await.body);
    assert_eq!(han_room["announcement"]["body"], "**No** tea after ten");
    assert_eq!(han_room["announcement_unseen"], true);
    let li_room = mine(&app.get("/api/v1/rooms", Some(&li.access)).await.body);
    assert_eq!(
        li_room["announcement_unseen"], false,
        "the writer has seen it"
    );

    let seen = app
        .post(
            &format!("/api/v1/rooms/{}/announcement/seen", room.id),
            &json!({}),
            Some(&han.access),
        )
        .await;
    assert_eq!(seen.status.as_u16(), 204);
    let han_room = mine(&app.get("/api/v1/rooms", Some(&han.access)).await.body);
    assert_eq!(han_room["announcement_unseen"], false);

    // A change shows it again.
    app.put(
        &format!("/api/v1/rooms/{}/announcement", room.id),
        &json!({ "body": "Tea until eleven" }),
        Some(&li.access),
    )
    .await;
    let han_room = mine(&app.get("/api/v1/rooms", Some(&han.access)).await.body);
    assert_eq!(han_room["announcement_unseen"], true);

    // Members may not write it; too long or control characters are refused.
    app.put(
        &format!("/api/v1/rooms/{}/announcement", room.id),
        &json!({ "body": "mine now" }),
        Some(&han.access),
    )
    .await
    .assert(403, "forbidden");
    let long = "长".repeat(api::rules::ANNOUNCEMENT_MAX + 1);
    let reply = app
        .put(
            &format!("/api/v1/rooms/{}/announcement", room.id),
            &json!({ "body": long }),
            Some(&li.access),
        )
        .await;
    reply.assert(422, "validation_failed");
    assert_eq!(reply.field("body"), "length");
    let reply = app
        .put(
            &format!("/api/v1/rooms/{}/announcement", room.id),
            &json!({ "body": "a\u{7}b" }),
            Some(&li.access),
        )
        .await;
    assert_eq!(reply.field("body"), "invalid_chars");

    // Empty takes it down.
    let down = app
        .put(
            &format!("/api/v1/rooms/{}/announcement", room.id),
            &json!({ "body": "  " }),
            Some(&li.access),
        )
        .await;
    assert_eq!(down.status.as_u16(), 200);
    assert_eq!(down.body, json!(null));
    let han_room = mine(&app.get("/api/v1/rooms", Some(&han.access)).await.body);
    assert!(han_room.get("announcement").is_none());
    assert_eq!(han_room["announcement_unseen"], false);
}

#[actix_web::test]
async fn a_client_that_was_away_replays_pins_and_the_announcement() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let first = app.say(&li, room.default_post, "first").await.body["id"].clone();
    let second = app.say(&li, room.default_post, "second").await.body["id"].clone();
    for id in [&first, &second] {
        app.put(
            &format!("/api/v1/messages/{id}/pin"),
            &json!({}),
            Some(&li.access),
        )
        .await;
    }
    app.delete(&format!("/api/v1/messages/{first}/pin"), Some(&li.access))
        .await;
    for body in ["old news", "news"] {
        app.put(
            &format!("/api/v1/rooms/{}/announcement", room.id),
            &json!({ "body": body }),
            Some(&li.access),
        )
        .await;
    }
    let mut ws = app
        .ws(&han, json!([{ "room_id": room.id, "seq": 0 }]))
        .await;
    let mut pins = Vec::new();
    let mut announcement = None;
    while let Ok(frame) =
        tokio::time::timeout(std::time::Duration::from_millis(400), ws.next_of("event")).await
    {
        let event = &frame["event"];
        match event["kind"].as_str().unwrap() {
            "message_pinned" => pins.push(event["message_id"].clone()),
            "message_unpinned" => pins.retain(|p| *p != event["message_id"]),
            "announcement_changed" => announcement = Some(event["announcement"]["body"].clone()),
            _ => {}
        }
    }
    assert_eq!(pins, [second]);
    assert_eq!(announcement, Some(json!("news")));
}
