//! Editing messages: the author alone, within the window; "(edited)" and the earlier
//! versions for members; live and on replay only the current text; never after a recall.

use crate::helpers::{spawn_app, spawn_app_with};
use serde_json::json;

#[actix_web::test]
async fn the_author_edits_members_see_it_live_and_the_history() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let sent = app.say(&han, room.default_post, "see you at **6**").await;
    let id = sent.body["id"].as_i64().unwrap();
    assert!(sent.body.get("edited_at").is_none(), "{:?}", sent.body);
    let mut li_ws = app.ws(&li, json!([])).await;

    let edited = app
        .patch(
            &format!("/api/v1/messages/{id}"),
            &json!({ "body": "see you at **7**" }),
            Some(&han.access),
        )
        .await;
    assert_eq!(edited.status.as_u16(), 200, "{:?}", edited.body);
    assert_eq!(edited.body["body"], "see you at **7**");
    assert_eq!(
        edited.body["html"],
        "<p>see you at <strong>7</strong></p>\n"
    );
    assert!(edited.body["edited_at"].is_string());
    assert_eq!(edited.body["created_at"], sent.body["created_at"]);

    let live = li_ws.next_of("event").await;
    assert_eq!(live["event"]["kind"], "message_edited");
    assert_eq!(live["event"]["message"], edited.body);

    // History carries the edit flag; members see what it said before.
    let page = app.history(&li, room.default_post, "").await;
    let last = page.body["messages"].as_array().unwrap().last().unwrap();
    assert_eq!(last, &edited.body);
    app.patch(
        &format!("/api/v1/messages/{id}"),
        &json!({ "body": "see you at 7, at the tea house" }),
        Some(&han.access),
    )
    .await;
    let versions = app
        .get(&format!("/api/v1/messages/{id}/edits"), Some(&li.access))
        .await;
    assert_eq!(versions.status.as_u16(), 200, "{:?}", versions.body);
    let versions = versions.body["versions"].as_array().unwrap().clone();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["body"], "see you at **6**");
    assert_eq!(versions[0]["written_at"], sent.body["created_at"]);
    assert_eq!(versions[1]["body"], "see you at **7**");
    assert_eq!(versions[1]["written_at"], edited.body["edited_at"]);

    // The same text again is no edit: no new version, no event.
    let same = app
        .patch(
            &format!("/api/v1/messages/{id}"),
            &json!({ "body": "see you at 7, at the tea house  " }),
            Some(&han.access),
        )
        .await;
    assert_eq!(same.status.as_u16(), 200);
    let _second_edit = li_ws.next_of("event").await;
    li_ws
        .assert_no("event", std::time::Duration::from_millis(300))
        .await;

    // Outsiders see nothing of it.
    let outsider = app.user("outsider").await;
    app.get(
        &format!("/api/v1/messages/{id}/edits"),
        Some(&outsider.access),
    )
    .await
    .assert(404, "not_found");
    app.patch(
        &format!("/api/v1/messages/{id}"),
        &json!({ "body": "hijack" }),
        Some(&outsider.access),
    )
    .await
    .assert(404, "not_found");
}

#[actix_web::test]
async fn a_replay_from_before_the_edit_gives_only_the_current_text() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let sent = app
        .say(&han, room.default_post, "the secret is oolong")
        .await;
    let id = sent.body["id"].as_i64().unwrap();
    for body in ["the secret is puer", "no secret"] {
        let reply = app
            .patch(
                &format!("/api/v1/messages/{id}"),
                &json!({ "body": body }),
                Some(&han.access),
            )
            .await;
        assert_eq!(reply.status.as_u16(), 200, "{:?}", reply.body);
    }
    let mut replay = app.ws(&li, json!([{ "room_id": room.id, "seq": 0 }])).await;
    let mut kinds = Vec::new();
    let mut text = String::new();
    while let Ok(frame) = tokio::time::timeout(
        std::time::Duration::from_millis(500),
        replay.next_of("event"),
    )
    .await
    {
        if frame["event"]["message"]["id"] == id {
            kinds.push(frame["event"]["kind"].as_str().unwrap().to_owned());
            assert_eq!(frame["event"]["message"]["body"], "no secret", "{frame}");
            assert!(frame["event"]["message"]["edited_at"].is_string());
        }
        text.push_str(&frame.to_string());
    }
    assert_eq!(
        kinds,
        ["message_created", "message_edited", "message_edited"]
    );
    assert!(!text.contains("oolong") && !text.contains("puer"), "{text}");
}

#[actix_web::test]
async fn only_the_author_within_the_window_and_never_after_a_recall() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let sent = app.say(&han, room.default_post, "mine").await;
    let id = sent.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/messages/{id}");
    // The owner may remove Han's words, not change them.
    app.patch(&path, &json!({ "body": "owned" }), Some(&li.access))
        .await
        .assert(403, "forbidden");
    // Bad bodies are refused like at sending; a notice is nobody's to edit.
    for (body, code) in [(" ", "required"), ("\u{7}", "invalid_chars")] {
        let reply = app
            .patch(&path, &json!({ "body": body }), Some(&han.access))
            .await;
        reply.assert(422, "validation_failed");
        assert_eq!(reply.field("body"), code);
    }
    app.patch(
        &path,
        &json!({ "body": "茶".repeat(4001) }),
        Some(&han.access),
    )
    .await
    .assert(422, "validation_failed");
    app.patch(&path, &json!({ "text": "x" }), Some(&han.access))
        .await
        .assert(400, "malformed_json");
    let notice = app.history(&li, room.default_post, "").await.body["messages"][0].clone();
    assert_eq!(notice["kind"], "joined");
    app.patch(
        &format!("/api/v1/messages/{}", notice["id"]),
        &json!({ "body": "x" }),
        Some(&han.access),
    )
    .await
    .assert(403, "forbidden");
    app.patch(
        "/api/v1/messages/999999",
        &json!({ "body": "x" }),
        Some(&han.access),
    )
    .await
    .assert(404, "not_found");

    // After a recall: no edit, and the earlier versions are gone with the text.
    app.patch(
        &path,
        &json!({ "body": "second thoughts" }),
        Some(&han.access),
    )
    .await;
    app.post(&format!("{path}/recall"), &json!({}), Some(&han.access))
        .await;
    app.patch(&path, &json!({ "body": "back" }), Some(&han.access))
        .await
        .assert(409, "message_recalled");
    let versions = app.get(&format!("{path}/edits"), Some(&li.access)).await;
    assert_eq!(versions.body["versions"], json!([]));
    let page = app.history(&li, room.default_post, "").await.body;
    assert!(!page.to_string().contains("second thoughts"), "{page}");
    assert!(!page.to_string().contains("mine"), "{page}");

    // The window closes for authors (here at once).
    let app = spawn_app_with(|c| c.edit_window_secs = 0).await;
    let li = app.user("lilei").await;
    let room = app.create_room(&li, "Tea club", "public").await;
    let sent = app.say(&li, room.default_post, "too late").await;
    app.patch(
        &format!("/api/v1/messages/{}", sent.body["id"]),
        &json!({ "body": "fixed" }),
        Some(&li.access),
    )
    .await
    .assert(403, "edit_expired");
}

#[actix_web::test]
async fn an_edited_last_message_changes_the_preview() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let sent = app.say(&li, room.default_post, "tea at **five**").await;
    app.patch(
        &format!("/api/v1/messages/{}", sent.body["id"]),
        &json!({ "body": "tea at _six_" }),
        Some(&li.access),
    )
    .await;
    let list = app.conversations(&han).await;
    assert_eq!(list[0]["last_message"]["excerpt"], "tea at six");
}
