//! The event stream: live delivery, resume without loss or duplicates, privacy, removal,
//! slow consumers, session endings.

use crate::helpers::spawn_app;
use serde_json::{Value, json};
use std::time::Duration;

fn seq(frame: &Value) -> i64 {
    frame["seq"].as_i64().unwrap()
}

#[actix_web::test]
async fn two_members_receive_each_others_messages_live() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let mut li_ws = app.ws(&li, json!([])).await;
    let mut han_ws = app.ws(&han, json!([])).await;
    assert_eq!(han_ws.ready["rooms"][0]["room_id"], room.id);

    app.say(&li, room.default_post, "你好").await;
    let event = han_ws.next_of("event").await;
    assert_eq!(event["event"]["kind"], "message_created");
    assert_eq!(event["event"]["message"]["body"], "你好");
    assert_eq!(event["event"]["message"]["author"]["username"], "lilei");
    let mine = li_ws.next_of("event").await;
    assert_eq!(mine, event, "the sender gets the same event");

    app.say(&han, room.default_post, "hi!").await;
    let reply = li_ws.next_of("event").await;
    assert_eq!(reply["event"]["message"]["body"], "hi!");
    assert_eq!(seq(&reply), seq(&event) + 1);
}

#[actix_web::test]
async fn a_reconnecting_client_gets_exactly_what_it_missed_in_order() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;

    let han_ws = app.ws(&han, json!([])).await;
    let cursor = han_ws.ready["rooms"][0]["seq"].as_i64().unwrap();
    han_ws.close().await;

    // While Han is away: 50 messages and a recall.
    let mut ids = Vec::new();
    for i in 0..50 {
        ids.push(
            app.say(&li, room.default_post, &format!("missed {i}"))
                .await
                .body["id"]
                .as_i64()
                .unwrap(),
        );
    }
    app.post(
        &format!("/api/v1/messages/{}/recall", ids[10]),
        &json!({}),
        Some(&li.access),
    )
    .await;

    let mut han_ws = app
        .ws(&han, json!([{ "room_id": room.id, "seq": cursor }]))
        .await;
    let mut got = Vec::new();
    for _ in 0..51 {
        got.push(han_ws.next_of("event").await);
    }
    let seqs: Vec<i64> = got.iter().map(seq).collect();
    assert_eq!(
        seqs,
        ((cursor + 1)..=(cursor + 51)).collect::<Vec<_>>(),
        "gap-free and in order"
    );
    for (i, frame) in got.iter().take(50).enumerate() {
        if i == 10 {
            // Recalled meanwhile: its text is gone from the replay too.
            assert_eq!(frame["event"]["message"]["body"], Value::Null);
            assert!(frame["event"]["message"]["recall"].is_object());
        } else {
            assert_eq!(frame["event"]["message"]["body"], format!("missed {i}"));
        }
    }
    assert_eq!(got[50]["event"]["kind"], "message_recalled");
    assert_eq!(got[50]["event"]["message"]["id"], ids[10]);
    assert_eq!(got[50]["event"]["message"]["body"], Value::Null);

    // Nothing is repeated, and live delivery continues after the replay.
    app.say(&li, room.default_post, "welcome back").await;
    let live = han_ws.next_of("event").await;
    assert_eq!(seq(&live), cursor + 52);
    assert_eq!(live["event"]["message"]["body"], "welcome back");
    han_ws.assert_no("event", Duration::from_millis(300)).await;
}

#[actix_web::test]
async fn a_cursor_from_the_future_needs_a_resync() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let room = app.create_room(&li, "Tea club", "public").await;
    let mut ws = app
        .ws(&li, json!([{ "room_id": room.id, "seq": 999 }]))
        .await;
    let frame = ws.next_of("resync_required").await;
    assert_eq!(frame["room_id"], room.id);
}

#[actix_web::test]
async fn outsiders_cannot_subscribe_or_probe_a_room() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let eve = app.user("eve").await;
    let room = app.create_room(&li, "Secret garden", "private").await;
    let mut eve_ws = app
        .ws(&eve, json!([{ "room_id": room.id, "seq": 0 }]))
        .await;
    assert_eq!(eve_ws.ready["rooms"], json!([]));
    app.say(&li, room.default_post, "just us").await;
    eve_ws.assert_no("event", Duration::from_millis(500)).await;
    // Typing into someone else's post goes nowhere either.
    let mut li_ws = app.ws(&li, json!([])).await;
    eve_ws
        .send(json!({ "type": "typing", "post_id": room.default_post }))
        .await;
    li_ws.assert_no("typing", Duration::from_millis(500)).await;
}

#[actix_web::test]
async fn a_removed_member_stops_receiving_at_once() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let mut han_ws = app.ws(&han, json!([])).await;
    app.delete(
        &format!("/api/v1/rooms/{}/members/{}", room.id, han.id),
        Some(&li.access),
    )
    .await;
    let removed = han_ws.next_of("room_removed").await;
    assert_eq!(removed["room_id"], room.id);
    app.say(&li, room.default_post, "after you left").await;
    han_ws.assert_no("event", Duration::from_millis(500)).await;
}

#[actix_web::test]
async fn joining_subscribes_open_sockets() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    let room = app.create_room(&li, "Tea club", "public").await;
    let mut han_ws = app.ws(&han, json!([])).await;
    app.join(&han, &room).await;
    let added = han_ws.next_of("room_added").await;
    assert_eq!(added["room_id"], room.id);
    app.say(&li, room.default_post, "welcome").await;
    let event = han_ws.next_of("event").await;
    assert_eq!(event["event"]["message"]["body"], "welcome");
}

#[actix_web::test]
async fn typing_and_presence_reach_the_room() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let mut li_ws = app.ws(&li, json!([])).await;
    let mut han_ws = app.ws(&han, json!([])).await;
    // Li hears that Han came online.
    li_ws.presence(han.id, "online").await;
    let members = app
        .get(
            &format!("/api/v1/rooms/{}/members", room.id),
            Some(&li.access),
        )
        .await;
    assert!(
        members
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["presence"] == "online")
    );

    han_ws
        .send(json!({ "type": "typing", "post_id": room.default_post }))
        .await;
    let typing = li_ws.next_of("typing").await;
    assert_eq!(typing["user"]["username"], "hanmeimei");
    assert_eq!(typing["post_id"], room.default_post);

    han_ws.close().await;
    let gone = li_ws.presence(han.id, "offline").await;
    assert!(gone["last_seen_at"].is_string());
}

#[actix_web::test]
async fn reading_updates_every_tab() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    app.say(&li, room.default_post, "one").await;
    let mut tab = app.ws(&han, json!([])).await;
    app.post(
        &format!("/api/v1/posts/{}/read", room.default_post),
        &json!({}),
        Some(&han.access),
    )
    .await;
    let unread = tab.next_of("unread").await;
    assert_eq!(unread["room_unread"], 0);
    assert_eq!(unread["post_id"], room.default_post);
}

#[actix_web::test]
async fn a_new_login_ends_the_old_sessions_socket() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let mut ws = app.ws(&li, json!([])).await;
    app.login("lilei", &li.password).await;
    let (frames, code) = ws.until_closed().await;
    let ended = frames
        .iter()
        .find(|f| f["type"] == "session_ended")
        .expect("session_ended before the close");
    assert_eq!(ended["reason"], "replaced");
    assert_eq!(code, Some(4003));
}

#[actix_web::test]
async fn a_socket_must_authenticate_first() {
    let app = spawn_app().await;
    let mut ws = crate::helpers::WsClient::unauthenticated(&app).await;
    ws.send(json!({ "type": "auth", "token": "nonsense" }))
        .await;
    let (frames, code) = ws.until_closed().await;
    assert_eq!(frames.len(), 1, "{frames:?}");
    assert_eq!(frames[0]["type"], "error");
    assert_eq!(frames[0]["code"], "invalid_token");
    assert_eq!(code, Some(4001));
}

#[actix_web::test]
async fn a_silent_socket_is_closed_after_the_auth_timeout() {
    let app = spawn_app().await;
    let mut ws = crate::helpers::WsClient::unauthenticated(&app).await;
    let (_, code) = ws.until_closed().await;
    assert_eq!(code, Some(4001));
}

#[actix_web::test]
async fn changing_the_password_closes_the_other_sessions_sockets() {
    let app = crate::helpers::spawn_app_with(|c| {
        c.auth.session_policy = teahouse::config::SessionPolicy::Multi
    })
    .await;
    let li = app.user("lilei").await;
    let phone = app.login("lilei", &li.password).await;
    let mut phone_ws = crate::helpers::WsClient::connect(
        &app,
        phone.body["access_token"].as_str().unwrap(),
        json!([]),
    )
    .await;
    let mut my_ws = app.ws(&li, json!([])).await;
    let change = json!({ "current_password": li.password, "new_password": "new-oolong-leaves" });
    assert_eq!(
        app.post("/api/v1/me/password", &change, Some(&li.access))
            .await
            .status
            .as_u16(),
        204
    );
    let ended = phone_ws.next_of("session_ended").await;
    assert_eq!(ended["reason"], "password_changed");
    my_ws
        .assert_no("session_ended", Duration::from_millis(300))
        .await;
}

#[actix_web::test]
async fn a_foreign_origin_is_refused() {
    let app = spawn_app().await;
    let result = awc::Client::new()
        .ws(format!("ws://127.0.0.1:{}/api/v1/ws", app.port))
        .origin("https://evil.example")
        .connect()
        .await;
    assert!(result.is_err(), "the upgrade is refused");
}

/// A client that authenticates and then never reads, with a tiny receive window, so the
/// server's writes to it stall almost at once.
async fn stalled_socket(app: &crate::helpers::TestApp, token: &str) -> tokio::net::TcpStream {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(2048).unwrap();
    let mut stream = socket
        .connect(format!("127.0.0.1:{}", app.port).parse().unwrap())
        .await
        .unwrap();
    let handshake = format!(
        "GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        app.port
    );
    stream.write_all(handshake.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    while !response.ends_with(b"\r\n\r\n") {
        response.push(stream.read_u8().await.unwrap());
    }
    assert!(String::from_utf8_lossy(&response).starts_with("HTTP/1.1 101"));
    // One masked text frame (a zero mask leaves the payload as it is).
    let payload = json!({ "type": "auth", "token": token })
        .to_string()
        .into_bytes();
    let mut frame = vec![0x81u8];
    if payload.len() < 126 {
        frame.push(0x80 | payload.len() as u8);
    } else {
        frame.push(0x80 | 126);
        frame.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    }
    frame.extend_from_slice(&[0, 0, 0, 0]);
    frame.extend_from_slice(&payload);
    stream.write_all(&frame).await.unwrap();
    stream
}

#[actix_web::test]
async fn a_slow_socket_is_dropped_without_slowing_the_room() {
    // 3,000 messages as fast as the server takes them: a load test, so without limits.
    let app = crate::helpers::spawn_app_with(|c| {
        c.socket_queue = 8;
        c.limits.enabled = false;
    })
    .await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    let sloth = app.user("sloth").await;
    let room = app.create_room(&li, "Tea club", "public").await;
    app.join(&han, &room).await;
    app.join(&sloth, &room).await;
    let mut han_ws = app.ws(&han, json!([])).await;
    let _stalled = stalled_socket(&app, &sloth.access).await;
    han_ws.presence(sloth.id, "online").await;

    // Big messages fill the stalled socket's buffers and then its queue; Han keeps up the
    // whole time and receives every one, in order.
    let text = "茶".repeat(1500);
    let mut dropped = false;
    let mut last_seq = None;
    for i in 0..3000 {
        app.say(&li, room.default_post, &format!("{i} {text}"))
            .await;
        loop {
            let frame = han_ws.next().await;
            match frame["type"].as_str() {
                Some("event") => {
                    if let Some(last) = last_seq {
                        assert_eq!(seq(&frame), last + 1);
                    }
                    last_seq = Some(seq(&frame));
                    assert!(
                        frame["event"]["message"]["body"]
                            .as_str()
                            .unwrap()
                            .starts_with(&format!("{i} "))
                    );
                    break;
                }
                Some("presence")
                    if frame["users"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|u| u["user_id"] == sloth.id && u["status"] == "offline") =>
                {
                    dropped = true
                }
                _ => {}
            }
        }
        if dropped {
            break;
        }
    }
    assert!(dropped, "the stalled socket was disconnected");
}

/// A deleted topic must not come back through a replay: not its title, not its messages,
/// not their files, for a member who joins later or anyone resuming from before it.
#[actix_web::test]
async fn a_deleted_posts_events_do_not_come_back_in_replays() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let han_ws = app.ws(&han, json!([])).await;
    let cursor = han_ws.ready["rooms"][0]["seq"].as_i64().unwrap();
    han_ws.close().await;

    let post = app
        .post(
            &format!("/api/v1/rooms/{}/posts", room.id),
            &json!({ "title": "the secret plan", "description": "between us", "tags": [] }),
            Some(&li.access),
        )
        .await;
    assert_eq!(post.status.as_u16(), 201, "{:?}", post.body);
    let post_id = post.body["id"].as_i64().unwrap();
    let doc = app.upload_ok(&li, "plan.pdf", b"%PDF-1.4 the plan").await;
    let sent = app.send_files(&li, post_id, "meet at noon", &[&doc]).await;
    assert_eq!(sent.status.as_u16(), 201, "{:?}", sent.body);
    let recalled = app.say(&li, post_id, "and bring the map").await;
    app.post(
        &format!("/api/v1/messages/{}/recall", recalled.body["id"]),
        &json!({}),
        Some(&li.access),
    )
    .await;
    app.patch(
        &format!("/api/v1/posts/{post_id}"),
        &json!({ "title": "the secret plan, v2" }),
        Some(&li.access),
    )
    .await;
    let deleted = app
        .delete(&format!("/api/v1/posts/{post_id}"), Some(&li.access))
        .await;
    assert_eq!(deleted.status.as_u16(), 204, "{:?}", deleted.body);
    app.say(&li, room.default_post, "after").await;

    let zhou = app.user("zhou").await;
    app.join(&zhou, &room).await;
    for (user, from) in [(&zhou, 0), (&han, cursor)] {
        let mut ws = app
            .ws(user, json!([{ "room_id": room.id, "seq": from }]))
            .await;
        let now = ws.ready["rooms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["room_id"] == room.id)
            .unwrap()["seq"]
            .as_i64()
            .unwrap();
        let mut replay = Vec::new();
        for _ in from..now {
            replay.push(ws.next_of("event").await);
        }
        let seqs: Vec<i64> = replay.iter().map(seq).collect();
        assert_eq!(seqs, ((from + 1)..=now).collect::<Vec<_>>(), "gap-free");
        let text = serde_json::to_string(&replay).unwrap();
        for secret in ["secret", "between us", "noon", "plan.pdf", "map", &doc] {
            assert!(!text.contains(secret), "{secret:?} is back in {text}");
        }
        let about_post: Vec<&Value> = replay
            .iter()
            .filter(|f| {
                f["event"]["post_id"] == post_id
                    || f["event"]["post"]["id"] == post_id
                    || f["event"]["message"]["post_id"] == post_id
            })
            .collect();
        // Created, message, message, recall, edit, deleted: each is now `post_deleted`.
        assert_eq!(about_post.len(), 6, "{about_post:?}");
        assert!(
            about_post
                .iter()
                .all(|f| f["event"]["kind"] == "post_deleted"),
            "{about_post:?}"
        );
        assert!(
            replay
                .iter()
                .any(|f| f["event"]["message"]["body"] == "after"),
            "the rest of the room is still there"
        );
        ws.close().await;
    }
    assert_eq!(
        app.fetch(&format!("/api/v1/files/{doc}"), Some(&han.access), &[])
            .await
            .status,
        404
    );
}

/// A client's close is answered with its own code (it used to come back without one, as
/// 1005, and only after the server had left the hub and stored "last seen").
#[actix_web::test]
async fn a_client_close_is_answered_with_its_code() {
    use futures_util::SinkExt as _;
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    for code in [awc::ws::CloseCode::Normal, awc::ws::CloseCode::Away] {
        let mut ws = app.ws(&li, json!([])).await;
        ws.framed
            .send(awc::ws::Message::Close(Some(awc::ws::CloseReason {
                code,
                description: Some("bye".into()),
            })))
            .await
            .unwrap();
        let (_, echoed) = ws.until_closed().await;
        assert_eq!(echoed, Some(u16::from(code)));
    }
}
