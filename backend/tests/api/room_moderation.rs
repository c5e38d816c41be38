//! Room moderation by owners and admins: silencing a member for a while (禁言), slow mode,
//! bans; each a room event, each checked on the send or join it stops, each in the audit
//! log.

use crate::helpers::spawn_app;
use serde_json::json;

#[actix_web::test]
async fn a_silenced_member_reads_but_cannot_send_until_it_is_lifted() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let mut han_ws = app.ws(&han, json!([])).await;
    let path = format!("/api/v1/rooms/{}/members/{}/silence", room.id, han.id);
    // Members may not silence; nobody may silence for nothing or for ever.
    app.put(
        &format!("/api/v1/rooms/{}/members/{}/silence", room.id, li.id),
        &json!({ "seconds": 60 }),
        Some(&han.access),
    )
    .await
    .assert(403, "forbidden");
    for seconds in [0, 31 * 24 * 3600] {
        app.put(&path, &json!({ "seconds": seconds }), Some(&li.access))
            .await
            .assert(422, "validation_failed");
    }
    let done = app
        .put(&path, &json!({ "seconds": 600 }), Some(&li.access))
        .await;
    assert_eq!(done.status.as_u16(), 204, "{:?}", done.body);
    let live = han_ws.next_of("event").await;
    assert_eq!(live["event"]["kind"], "member_silenced");
    assert_eq!(live["event"]["user_id"], han.id);
    assert!(live["event"]["until"].is_string());

    let refused = app.say(&han, room.default_post, "let me speak").await;
    refused.assert(403, "silenced");
    let wait = refused.body["details"]["retry_after"].as_u64().unwrap();
    assert!((590..=600).contains(&wait), "{wait}");
    let header = refused
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok());
    assert_eq!(header, Some(wait.to_string().as_str()));
    // Everyone sees it in the member list; the silenced person in their room.
    let members = app
        .get(
            &format!("/api/v1/rooms/{}/members", room.id),
            Some(&li.access),
        )
        .await;
    let entry = members
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user"]["id"] == han.id)
        .unwrap()
        .clone();
    assert!(entry["silenced_until"].is_string(), "{entry:?}");
    let mine = app.get("/api/v1/rooms", Some(&han.access)).await;
    assert_eq!(mine.body[0]["silenced_until"], live["event"]["until"]);
    // Others still talk.
    let said = app.say(&li, room.default_post, "quiet please").await;
    assert_eq!(said.status.as_u16(), 201);

    let lifted = app.delete(&path, Some(&li.access)).await;
    assert_eq!(lifted.status.as_u16(), 204);
    let said = app.say(&han, room.default_post, "thank you").await;
    assert_eq!(said.status.as_u16(), 201, "{:?}", said.body);
    let log = app
        .get(
            "/api/v1/admin/audit?action=member_silenced",
            Some(&li.access),
        )
        .await;
    assert_eq!(log.body["entries"][0]["target"]["id"], han.id);
    assert_eq!(log.body["entries"][0]["room_id"], room.id);
}

#[actix_web::test]
async fn slow_mode_spaces_members_messages_but_not_admins() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let mut han_ws = app.ws(&han, json!([])).await;
    let edit = format!("/api/v1/rooms/{}", room.id);
    app.patch(
        &edit,
        &json!({ "slow_mode_secs": 100_000 }),
        Some(&li.access),
    )
    .await
    .assert(422, "validation_failed");
    app.patch(&edit, &json!({ "slow_mode_secs": 30 }), Some(&han.access))
        .await
        .assert(403, "forbidden");
    let set = app
        .patch(&edit, &json!({ "slow_mode_secs": 30 }), Some(&li.access))
        .await;
    assert_eq!(set.status.as_u16(), 200, "{:?}", set.body);
    assert_eq!(set.body["slow_mode_secs"], 30);
    let live = han_ws.next_of("event").await;
    assert_eq!(live["event"]["kind"], "room_edited");
    assert_eq!(live["event"]["room"]["slow_mode_secs"], 30);

    let first = app.say(&han, room.default_post, "one").await;
    assert_eq!(first.status.as_u16(), 201);
    let second = app.say(&han, room.default_post, "two").await;
    second.assert(429, "slow_mode");
    let wait = second.body["details"]["retry_after"].as_u64().unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    // The owner is not held back.
    for text in ["a", "b"] {
        assert_eq!(
            app.say(&li, room.default_post, text).await.status.as_u16(),
            201
        );
    }
    // Off again: members send freely.
    app.patch(&edit, &json!({ "slow_mode_secs": 0 }), Some(&li.access))
        .await;
    let third = app.say(&han, room.default_post, "three").await;
    assert_eq!(third.status.as_u16(), 201, "{:?}", third.body);
}

#[actix_web::test]
async fn a_banned_person_is_removed_and_cannot_come_back_until_unbanned() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let mut han_ws = app.ws(&han, json!([])).await;
    let ban = format!("/api/v1/rooms/{}/bans/{}", room.id, han.id);
    app.put(
        &format!("/api/v1/rooms/{}/bans/{}", room.id, li.id),
        &json!({}),
        Some(&han.access),
    )
    .await
    .assert(403, "forbidden");
    app.put(
        &ban,
        &json!({ "reason": "x".repeat(501) }),
        Some(&li.access),
    )
    .await
    .assert(422, "validation_failed");
    let done = app
        .put(&ban, &json!({ "reason": "spam" }), Some(&li.access))
        .await;
    assert_eq!(done.status.as_u16(), 204, "{:?}", done.body);
    loop {
        let frame = han_ws.next_of("event").await;
        if frame["event"]["kind"] == "member_left" {
            assert_eq!(frame["event"]["user_id"], han.id);
            assert_eq!(frame["event"]["removed"], true);
            break;
        }
    }
    app.say(&han, room.default_post, "still here?")
        .await
        .assert(404, "not_found");
    app.post(
        "/api/v1/rooms/join",
        &json!({ "number": room.number }),
        Some(&han.access),
    )
    .await
    .assert(403, "banned_from_room");
    let bans = app
        .get(&format!("/api/v1/rooms/{}/bans", room.id), Some(&li.access))
        .await;
    assert_eq!(bans.body[0]["user"]["id"], han.id);
    assert_eq!(bans.body[0]["by"]["id"], li.id);
    assert_eq!(bans.body[0]["reason"], "spam");
    app.get(
        &format!("/api/v1/rooms/{}/bans", room.id),
        Some(&han.access),
    )
    .await
    .assert(404, "not_found");

    // A private room: no asking to join either, and an old request cannot be approved.
    let club = app.create_room(&li, "Inner circle", "private").await;
    let asked = app
        .post(
            "/api/v1/rooms/join",
            &json!({ "number": club.number }),
            Some(&han.access),
        )
        .await;
    assert_eq!(asked.body["status"], "requested", "{:?}", asked.body);
    // Someone not (yet) a member can be banned too; their request goes.
    let banned = app
        .put(
            &format!("/api/v1/rooms/{}/bans/{}", club.id, han.id),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(banned.status.as_u16(), 204, "{:?}", banned.body);
    app.post(
        &format!("/api/v1/rooms/{}/requests/{}/approve", club.id, han.id),
        &json!({}),
        Some(&li.access),
    )
    .await
    .assert(404, "not_found");
    app.post(
        "/api/v1/rooms/join",
        &json!({ "number": club.number }),
        Some(&han.access),
    )
    .await
    .assert(403, "banned_from_room");
    app.put(
        &format!("/api/v1/rooms/{}/bans/999999", club.id),
        &json!({}),
        Some(&li.access),
    )
    .await
    .assert(404, "not_found");

    // Unbanned: back in.
    let lifted = app.delete(&ban, Some(&li.access)).await;
    assert_eq!(lifted.status.as_u16(), 204);
    app.join(&han, &room).await;
    let log = app
        .get("/api/v1/admin/audit?action=member_banned", Some(&li.access))
        .await;
    assert_eq!(log.body["entries"].as_array().unwrap().len(), 2);
    assert_eq!(log.body["entries"][1]["details"]["reason"], "spam");
}
