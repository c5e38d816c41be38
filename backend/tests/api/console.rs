//! The admin console's server side: the dashboard, people and rooms as staff see them,
//! resetting a password, removing someone's messages, running a room, and the server's
//! settings changed while it runs.

use crate::helpers::{TestApp, TestUser, spawn_app};
use serde_json::{Value, json};

async fn make_moderator(app: &TestApp, admin: &TestUser, who: &TestUser) {
    let made = app
        .put(
            &format!("/api/v1/admin/users/{}/role", who.id),
            &json!({ "role": "moderator" }),
            Some(&admin.access),
        )
        .await;
    assert_eq!(made.status.as_u16(), 200, "{:?}", made.body);
}

async fn audit(app: &TestApp, staff: &TestUser, action: &str) -> Vec<Value> {
    let log = app
        .get(
            &format!("/api/v1/admin/audit?action={action}"),
            Some(&staff.access),
        )
        .await;
    assert_eq!(log.status.as_u16(), 200, "{:?}", log.body);
    log.body["entries"].as_array().unwrap().clone()
}

#[actix_web::test]
async fn the_dashboard_counts_people_rooms_messages_and_sockets() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let _zhang = app.user("zhang").await;
    for text in ["one", "two", "three"] {
        app.say(&han, room.default_post, text).await;
    }
    app.upload_ok(&han, "note.txt", b"hello world").await;
    let _ws = app.ws(&han, json!([])).await;
    app.get("/api/v1/admin/dashboard", None)
        .await
        .assert(401, "unauthenticated");
    app.get("/api/v1/admin/dashboard", Some(&han.access))
        .await
        .assert(403, "forbidden");
    let board = app.get("/api/v1/admin/dashboard", Some(&li.access)).await;
    assert_eq!(board.status.as_u16(), 200, "{:?}", board.body);
    let b = &board.body;
    assert_eq!(b["people"], 3);
    assert_eq!(b["deactivated"], 0);
    assert_eq!(b["rooms"], 1);
    assert_eq!(b["private_chats"], 0);
    // The room's "joined" notice is a message too.
    let messages = b["messages"].as_u64().unwrap();
    assert!(messages >= 3, "{b}");
    let days = b["messages_per_day"].as_array().unwrap();
    assert_eq!(days.len(), 14);
    let today = time::OffsetDateTime::now_utc().date().to_string();
    assert_eq!(days[13]["day"], today.as_str());
    assert_eq!(days[13]["count"].as_u64(), Some(messages));
    assert!(days[..13].iter().all(|d| d["count"] == 0), "{days:?}");
    assert_eq!(b["sockets_open"], 1);
    // Storage is the sum of everyone's uploads (on PostgreSQL too, where SUM is NUMERIC).
    assert_eq!(b["storage_bytes"].as_u64(), Some(11), "{b}");
    assert_eq!(b["open_reports"], 0);
    // Registration counts as being seen (a session used now).
    assert_eq!(b["active_day"], 3);
    assert_eq!(b["active_week"], 3);
}

#[actix_web::test]
async fn staff_find_people_see_their_sessions_and_reset_a_password() {
    let app = spawn_app().await;
    let (li, han, _room) = app.two_members().await;
    let zhang = app.user("zhang").await;
    make_moderator(&app, &li, &zhang).await;
    // Search by part of a name, an e-mail address, the number; filters.
    let found = app
        .get("/api/v1/admin/users?q=MEIMEI", Some(&zhang.access))
        .await;
    assert_eq!(found.status.as_u16(), 200, "{:?}", found.body);
    let users = found.body["users"].as_array().unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["id"], han.id);
    assert_eq!(users[0]["email"], han.email.as_str());
    assert_eq!(users[0]["role"], "member");
    let by_mail = app
        .get("/api/v1/admin/users?q=lilei%40example", Some(&zhang.access))
        .await;
    assert_eq!(by_mail.body["users"][0]["id"], li.id);
    let staff = app
        .get("/api/v1/admin/users?role=moderator", Some(&zhang.access))
        .await;
    assert_eq!(staff.body["users"].as_array().unwrap().len(), 1);
    let all = app.get("/api/v1/admin/users", Some(&zhang.access)).await;
    let ids: Vec<i64> = all.body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![zhang.id, han.id, li.id], "newest first");
    app.get("/api/v1/admin/users?role=king", Some(&zhang.access))
        .await
        .assert(400, "bad_request");
    app.get("/api/v1/admin/users", Some(&han.access))
        .await
        .assert(403, "forbidden");

    // The profile with its live session and the socket on it.
    let _ws = app.ws(&han, json!([])).await;
    let detail = app
        .get(
            &format!("/api/v1/admin/users/{}", han.id),
            Some(&zhang.access),
        )
        .await;
    assert_eq!(detail.status.as_u16(), 200, "{:?}", detail.body);
    assert_eq!(detail.body["rooms"], 1);
    let sessions = detail.body["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0]["sockets"], 1);
    app.get("/api/v1/admin/users/999999", Some(&zhang.access))
        .await
        .assert(404, "not_found");

    // Resetting a password is for admins; the old password and sessions stop working.
    let reset = format!("/api/v1/admin/users/{}/password", han.id);
    app.post(&reset, &json!({}), Some(&zhang.access))
        .await
        .assert(403, "forbidden");
    app.post(
        &format!("/api/v1/admin/users/{}/password", li.id),
        &json!({}),
        Some(&li.access),
    )
    .await
    .assert(403, "forbidden");
    let done = app.post(&reset, &json!({}), Some(&li.access)).await;
    assert_eq!(done.status.as_u16(), 200, "{:?}", done.body);
    let temporary = done.body["password"].as_str().unwrap().to_owned();
    assert!(temporary.len() >= 12);
    app.me(&han.access).await.assert(401, "session_ended");
    app.login("hanmeimei", &han.password)
        .await
        .assert(401, "invalid_credentials");
    let login = app.login("hanmeimei", &temporary).await;
    assert_eq!(login.status.as_u16(), 200, "{:?}", login.body);
    // A password staff handed over is to be replaced: the app asks at once.
    assert_eq!(login.body["user"]["password_temporary"], true);
    let access = login.body["access_token"].as_str().unwrap().to_owned();
    let changed = app
        .post(
            "/api/v1/me/password",
            &json!({ "current_password": temporary, "new_password": "a pot of my own tea" }),
            Some(&access),
        )
        .await;
    assert_eq!(changed.status.as_u16(), 204, "{:?}", changed.body);
    assert_eq!(app.me(&access).await.body["password_temporary"], false);
    let log = audit(&app, &li, "password_reset").await;
    assert_eq!(log[0]["actor"]["id"], li.id);
    assert_eq!(log[0]["target"]["id"], han.id);
}

#[actix_web::test]
async fn removing_someones_messages_in_a_range_recalls_them_everywhere() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let zhang = app.user("zhang").await;
    app.join(&zhang, &room).await;
    make_moderator(&app, &li, &zhang).await;
    let start = time::OffsetDateTime::now_utc() - time::Duration::seconds(1);
    let mut ids = Vec::new();
    for text in ["buy cheap watches", "buy more watches"] {
        let sent = app.say(&han, room.default_post, text).await;
        ids.push(sent.body["id"].as_i64().unwrap());
    }
    let kept = app.say(&li, room.default_post, "no spam here").await;
    let mut li_ws = app.ws(&li, json!([])).await;
    let path = format!("/api/v1/admin/users/{}/messages/remove", han.id);
    let range = json!({
        "from": start.format(&time::format_description::well_known::Rfc3339).unwrap(),
        "to": (time::OffsetDateTime::now_utc() + time::Duration::seconds(1))
            .format(&time::format_description::well_known::Rfc3339).unwrap(),
    });
    app.post(&path, &range, Some(&han.access))
        .await
        .assert(403, "forbidden");
    // A moderator may not act on the admin.
    app.post(
        &format!("/api/v1/admin/users/{}/messages/remove", li.id),
        &range,
        Some(&zhang.access),
    )
    .await
    .assert(403, "staff_protected");
    app.post(
        &path,
        &json!({ "from": range["to"], "to": range["from"] }),
        Some(&zhang.access),
    )
    .await
    .assert(422, "validation_failed");
    let done = app.post(&path, &range, Some(&zhang.access)).await;
    assert_eq!(done.status.as_u16(), 200, "{:?}", done.body);
    assert_eq!(done.body["removed"], 2);
    for _ in 0..2 {
        let live = li_ws.next_of("event").await;
        assert_eq!(live["event"]["kind"], "message_recalled");
        assert_eq!(live["event"]["message"]["recall"]["by_admin"], true);
    }
    let page = app.history(&li, room.default_post, "").await;
    for m in page.body["messages"].as_array().unwrap() {
        if ids.contains(&m["id"].as_i64().unwrap()) {
            assert!(m["body"].is_null(), "{m}");
            assert!(m["recall"].is_object(), "{m}");
        }
        if m["id"] == kept.body["id"] {
            assert_eq!(m["body"], "no spam here");
        }
    }
    // A replay from the start does not bring the text back.
    let mut fresh = app.ws(&li, json!([{ "room_id": room.id, "seq": 0 }])).await;
    let mut text = String::new();
    let mut recalls = 0;
    while recalls < 2 {
        let frame = fresh.next_of("event").await;
        if frame["event"]["kind"] == "message_recalled" {
            recalls += 1;
        }
        text.push_str(&frame.to_string());
    }
    assert!(!text.contains("watches"), "{text}");
    // Again: nothing left to remove.
    let again = app.post(&path, &range, Some(&zhang.access)).await;
    assert_eq!(again.body["removed"], 0);
    let log = audit(&app, &li, "messages_removed").await;
    assert_eq!(log[1]["details"]["removed"], 2);
}

#[actix_web::test]
async fn staff_run_rooms_they_are_not_in() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let zhang = app.user("zhang").await;
    make_moderator(&app, &li, &zhang).await;
    let _other = app.create_room(&han, "Calligraphy", "private").await;
    let mut han_ws = app.ws(&han, json!([])).await;
    let list = app.get("/api/v1/admin/rooms", Some(&zhang.access)).await;
    assert_eq!(list.status.as_u16(), 200, "{:?}", list.body);
    let rooms = list.body["rooms"].as_array().unwrap();
    assert_eq!(rooms.len(), 2);
    assert_eq!(rooms[0]["name"], "Calligraphy", "newest first");
    assert_eq!(rooms[1]["members"], 2);
    assert_eq!(rooms[1]["owner"]["id"], li.id);
    let found = app
        .get("/api/v1/admin/rooms?q=tea", Some(&zhang.access))
        .await;
    assert_eq!(found.body["rooms"].as_array().unwrap().len(), 1);
    let by_number = app
        .get(
            &format!("/api/v1/admin/rooms?q={}", room.number),
            Some(&zhang.access),
        )
        .await;
    assert_eq!(by_number.body["rooms"][0]["id"], room.id);
    app.get("/api/v1/admin/rooms", Some(&han.access))
        .await
        .assert(403, "forbidden");
    let members = app
        .get(
            &format!("/api/v1/admin/rooms/{}/members", room.id),
            Some(&zhang.access),
        )
        .await;
    assert_eq!(members.body.as_array().unwrap().len(), 2);

    // Slow mode and a new owner, from outside the room.
    let edit = format!("/api/v1/admin/rooms/{}", room.id);
    app.patch(&edit, &json!({ "owner": zhang.id }), Some(&zhang.access))
        .await
        .assert(422, "validation_failed");
    let edited = app
        .patch(
            &edit,
            &json!({ "slow_mode_secs": 10, "owner": han.id }),
            Some(&zhang.access),
        )
        .await;
    assert_eq!(edited.status.as_u16(), 200, "{:?}", edited.body);
    assert_eq!(edited.body["slow_mode_secs"], 10);
    assert_eq!(edited.body["owner"]["id"], han.id);
    let live = han_ws.next_of("event").await;
    assert_eq!(live["event"]["kind"], "room_edited");
    let role = han_ws.next_of("event").await;
    assert_eq!(role["event"]["kind"], "member_role_changed");
    // Any word policy, below the server's minimum too.
    app.put(
        "/api/v1/admin/filter/policies",
        &json!({ "default": "warn", "minimum": "warn" }),
        Some(&li.access),
    )
    .await;
    let policy = app
        .put(
            &format!("/api/v1/admin/rooms/{}/word-policy", room.id),
            &json!({ "policy": "off" }),
            Some(&zhang.access),
        )
        .await;
    assert_eq!(policy.status.as_u16(), 200, "{:?}", policy.body);
    assert_eq!(policy.body["word_policy"], "off");

    // Deleting is for admins.
    app.delete(&edit, Some(&zhang.access))
        .await
        .assert(403, "forbidden");
    let gone = app.delete(&edit, Some(&li.access)).await;
    assert_eq!(gone.status.as_u16(), 204);
    let removed = han_ws.next_of("room_removed").await;
    assert_eq!(removed["room_id"], room.id);
    app.get(&edit, Some(&li.access))
        .await
        .assert(404, "not_found");
    let log = audit(&app, &li, "room_deleted").await;
    assert_eq!(log[0]["details"]["name"], "Tea club");
    assert_eq!(audit(&app, &li, "room_transferred").await.len(), 1);
}

#[actix_web::test]
async fn settings_change_while_the_server_runs() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let zhang = app.user("zhang").await;
    make_moderator(&app, &li, &zhang).await;
    app.get("/api/v1/admin/settings", Some(&zhang.access))
        .await
        .assert(403, "forbidden");
    let settings = app.get("/api/v1/admin/settings", Some(&li.access)).await;
    assert_eq!(settings.status.as_u16(), 200, "{:?}", settings.body);
    assert_eq!(settings.body["registration"], "open");
    assert_eq!(settings.body["default_language"], "browser");

    // Out of range: every field named, nothing changed.
    let bad = app
        .patch(
            "/api/v1/admin/settings",
            &json!({
                "recall_window_secs": 40 * 24 * 3600,
                "max_upload_bytes": 10,
                "message_rate": { "burst": 0, "refill_ms": 100 },
            }),
            Some(&li.access),
        )
        .await;
    bad.assert(422, "validation_failed");
    assert_eq!(bad.field("recall_window_secs"), "out_of_range");
    assert_eq!(bad.field("max_upload_bytes"), "out_of_range");
    assert_eq!(bad.field("message_rate"), "out_of_range");
    app.patch(
        "/api/v1/admin/settings",
        &json!({ "colour": "red" }),
        Some(&li.access),
    )
    .await
    .assert(400, "malformed_json");

    // Recall window 0: authors can no longer recall; owners still can.
    let sent = app.say(&han, room.default_post, "oops").await;
    let changed = app
        .patch(
            "/api/v1/admin/settings",
            &json!({ "recall_window_secs": 0, "default_language": "en", "max_upload_bytes": 2048 }),
            Some(&li.access),
        )
        .await;
    assert_eq!(changed.status.as_u16(), 200, "{:?}", changed.body);
    let info = app.get("/api/v1/server", None).await;
    assert_eq!(info.body["recall_window_secs"], 0);
    assert_eq!(info.body["default_language"], "en");
    assert_eq!(info.body["max_upload_bytes"], 2048);
    let recall = format!("/api/v1/messages/{}/recall", sent.body["id"]);
    app.post(&recall, &json!({}), Some(&han.access))
        .await
        .assert(403, "recall_expired");
    // Uploads over the new limit are refused.
    app.upload(&han, "big.txt", &[b'x'; 4096])
        .await
        .assert(413, "payload_too_large");
    let log = audit(&app, &li, "settings_changed").await;
    assert_eq!(log[0]["details"]["recall_window_secs"], 0);
    assert_eq!(log[0]["details"]["default_language"], "en");

    // A stricter message rate holds at once.
    app.patch(
        "/api/v1/admin/settings",
        &json!({ "message_rate": { "burst": 2, "refill_ms": 60000 } }),
        Some(&li.access),
    )
    .await;
    let mut codes = Vec::new();
    for i in 0..3 {
        let r = app.say(&han, room.default_post, &format!("m{i}")).await;
        codes.push(r.status.as_u16());
    }
    assert_eq!(codes, vec![201, 201, 429]);

    // Registration closed, then by invite.
    let closed = app
        .patch(
            "/api/v1/admin/settings",
            &json!({ "registration": "closed" }),
            Some(&li.access),
        )
        .await;
    assert_eq!(closed.status.as_u16(), 200);
    let register = json!({
        "username": "wang", "email": "wang@example.com", "password": "wang-drinks-green-tea"
    });
    app.register(register.clone())
        .await
        .assert(403, "registration_closed");
    let invite = app
        .patch(
            "/api/v1/admin/settings",
            &json!({ "registration": "invite" }),
            Some(&li.access),
        )
        .await;
    let code = invite.body["invite_code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 10);
    let info = app.get("/api/v1/server", None).await;
    assert_eq!(info.body["registration"], "invite");
    assert!(
        !info.body.to_string().contains(&code),
        "the code is not public"
    );
    app.register(register.clone())
        .await
        .assert(403, "invite_invalid");
    let mut wrong = register.clone();
    wrong["invite_code"] = json!("WRONGCODE1");
    app.register(wrong).await.assert(403, "invite_invalid");
    // A new code replaces the old one.
    let rotated = app
        .post(
            "/api/v1/admin/settings/invite-code",
            &json!({}),
            Some(&li.access),
        )
        .await;
    let new_code = rotated.body["invite_code"].as_str().unwrap().to_owned();
    assert_ne!(new_code, code);
    let mut old = register.clone();
    old["invite_code"] = json!(code);
    app.register(old).await.assert(403, "invite_invalid");
    let mut right = register.clone();
    right["invite_code"] = json!(new_code.to_lowercase());
    let made = app.register(right).await;
    assert_eq!(made.status.as_u16(), 201, "{:?}", made.body);
    let stored = app.get("/api/v1/admin/settings", Some(&li.access)).await;
    assert_eq!(stored.body["registration"], "invite");
    assert_eq!(stored.body["recall_window_secs"], 0);
}
