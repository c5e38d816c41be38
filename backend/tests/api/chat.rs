//! Messages over REST: idempotent sends, history pages, recall, unread counts.

use crate::helpers::{spawn_app, spawn_app_with};
use serde_json::json;

#[actix_web::test]
async fn the_same_client_id_twice_makes_one_message() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let room = app.create_room(&li, "Tea club", "public").await;
    let id = uuid::Uuid::new_v4().to_string();
    let first = app.send_with_id(&li, room.default_post, &id, "hello").await;
    let again = app.send_with_id(&li, room.default_post, &id, "hello").await;
    assert_eq!(first.status.as_u16(), 201, "{:?}", first.body);
    assert_eq!(again.status.as_u16(), 200);
    assert_eq!(first.body, again.body);
    assert_eq!(first.body["client_id"], id);
    let history = app.history(&li, room.default_post, "").await;
    let texts: Vec<_> = history.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "text")
        .collect();
    assert_eq!(texts.len(), 1);
    // The same id for a different text is a client bug, refused.
    app.send_with_id(&li, room.default_post, &id, "other text")
        .await
        .assert(409, "client_id_conflict");
    app.send_with_id(&li, room.default_post, "not-a-uuid", "x")
        .await
        .assert(422, "validation_failed");
}

#[actix_web::test]
async fn message_bodies_are_checked_and_line_breaks_kept() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let room = app.create_room(&li, "Tea club", "public").await;
    let kept = app
        .say(
            &li,
            room.default_post,
            "line one\r\nline two\n\n<b>not bold</b>",
        )
        .await;
    assert_eq!(kept.body["body"], "line one\nline two\n\n<b>not bold</b>");
    let empty = app.say(&li, room.default_post, " \n ").await;
    empty.assert(422, "validation_failed");
    assert_eq!(empty.field("body"), "required");
    app.say(&li, room.default_post, &"茶".repeat(4001))
        .await
        .assert(422, "validation_failed");
    assert_eq!(
        app.say(&li, room.default_post, &"茶".repeat(4000))
            .await
            .status
            .as_u16(),
        201
    );
}

#[actix_web::test]
async fn history_pages_by_cursor() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let room = app.create_room(&li, "Tea club", "public").await;
    let post = app
        .post(
            &format!("/api/v1/rooms/{}/posts", room.id),
            &json!({ "title": "Counting" }),
            Some(&li.access),
        )
        .await;
    let post = post.body["id"].as_i64().unwrap();
    for i in 0..25 {
        app.say(&li, post, &format!("m{i}")).await;
    }
    let newest = app.history(&li, post, "?limit=10").await;
    let bodies = |r: &crate::helpers::Reply| -> Vec<String> {
        r.body["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["body"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        bodies(&newest),
        (15..25).map(|i| format!("m{i}")).collect::<Vec<_>>()
    );
    assert_eq!(newest.body["has_more"], true);
    let oldest_id = newest.body["messages"][0]["id"].as_i64().unwrap();
    let older = app
        .history(&li, post, &format!("?before={oldest_id}&limit=10"))
        .await;
    assert_eq!(
        bodies(&older),
        (5..15).map(|i| format!("m{i}")).collect::<Vec<_>>()
    );
    let first_id = older.body["messages"][0]["id"].as_i64().unwrap();
    let oldest = app
        .history(&li, post, &format!("?before={first_id}&limit=10"))
        .await;
    assert_eq!(bodies(&oldest).len(), 5);
    assert_eq!(oldest.body["has_more"], false);
    let newer = app
        .history(&li, post, &format!("?after={first_id}&limit=3"))
        .await;
    assert_eq!(bodies(&newer), vec!["m6", "m7", "m8"]);
    // Limits are clamped; nonsense is a 400.
    assert_eq!(
        app.history(&li, post, "?limit=1000").await.body["messages"]
            .as_array()
            .unwrap()
            .len(),
        25
    );
    app.history(&li, post, "?before=abc")
        .await
        .assert(400, "bad_request");
}

#[actix_web::test]
async fn recall_leaves_a_placeholder_and_the_text_is_gone() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let sent = app.say(&han, room.default_post, "oops, wrong room").await;
    let id = sent.body["id"].as_i64().unwrap();

    // Not someone else's message (unless admin), but the author's.
    let third = app.user("third").await;
    app.join(&third, &room).await;
    app.post(
        &format!("/api/v1/messages/{id}/recall"),
        &json!({}),
        Some(&third.access),
    )
    .await
    .assert(403, "forbidden");
    let recalled = app
        .post(
            &format!("/api/v1/messages/{id}/recall"),
            &json!({}),
            Some(&han.access),
        )
        .await;
    assert_eq!(recalled.status.as_u16(), 200, "{:?}", recalled.body);
    assert_eq!(recalled.body["body"], serde_json::Value::Null);
    assert_eq!(recalled.body["recall"]["by_admin"], false);

    let history = app.history(&li, room.default_post, "").await;
    let found = history.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(found["body"], serde_json::Value::Null);
    assert!(found["recall"].is_object());
    assert!(
        !history.body.to_string().contains("wrong room"),
        "the text is served nowhere"
    );

    // The owner removes anyone's message at any time.
    let other = app.say(&third, room.default_post, "spam").await;
    let removed = app
        .post(
            &format!("/api/v1/messages/{}/recall", other.body["id"]),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(removed.body["recall"]["by_admin"], true);
    // Outsiders cannot even find it.
    let outsider = app.user("outsider").await;
    app.post(
        &format!("/api/v1/messages/{id}/recall"),
        &json!({}),
        Some(&outsider.access),
    )
    .await
    .assert(404, "not_found");
}

#[actix_web::test]
async fn the_recall_window_closes_for_authors_not_admins() {
    let app = spawn_app_with(|c| c.recall_window_secs = 0).await;
    let (li, han, room) = app.two_members().await;
    let sent = app.say(&han, room.default_post, "too late").await;
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let url = format!("/api/v1/messages/{}/recall", sent.body["id"]);
    app.post(&url, &json!({}), Some(&han.access))
        .await
        .assert(403, "recall_expired");
    assert_eq!(
        app.post(&url, &json!({}), Some(&li.access))
            .await
            .status
            .as_u16(),
        200
    );
}

#[actix_web::test]
async fn unread_counts_follow_sends_reads_and_recalls() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let unread_of = |user: &crate::helpers::TestUser| {
        let app = &app;
        let access = user.access.clone();
        async move {
            app.get("/api/v1/rooms", Some(&access)).await.body[0]["unread"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!(
        unread_of(&han).await,
        0,
        "what was said before joining is not unread"
    );

    let mut last = 0;
    for i in 0..3 {
        last = app
            .say(&li, room.default_post, &format!("news {i}"))
            .await
            .body["id"]
            .as_i64()
            .unwrap();
    }
    assert_eq!(unread_of(&han).await, 3);
    assert_eq!(unread_of(&li).await, 0, "my own messages are not unread");
    let posts = app
        .get(
            &format!("/api/v1/rooms/{}/posts", room.id),
            Some(&han.access),
        )
        .await;
    assert_eq!(posts.body[0]["unread"], 3);

    // Read up to the second one, then everything.
    let second = last - 1;
    let read = app
        .post(
            &format!("/api/v1/posts/{}/read", room.default_post),
            &json!({ "message_id": second }),
            Some(&han.access),
        )
        .await;
    assert_eq!(read.body["post_unread"], 1, "{:?}", read.body);
    let read = app
        .post(
            &format!("/api/v1/posts/{}/read", room.default_post),
            &json!({}),
            Some(&han.access),
        )
        .await;
    assert_eq!(read.body["room_unread"], 0);
    // The marker never moves back.
    let back = app
        .post(
            &format!("/api/v1/posts/{}/read", room.default_post),
            &json!({ "message_id": 1 }),
            Some(&han.access),
        )
        .await;
    assert_eq!(back.body["post_unread"], 0);

    // A recalled message stops counting.
    let sent = app.say(&li, room.default_post, "never mind").await;
    assert_eq!(unread_of(&han).await, 1);
    app.post(
        &format!("/api/v1/messages/{}/recall", sent.body["id"]),
        &json!({}),
        Some(&li.access),
    )
    .await;
    assert_eq!(unread_of(&han).await, 0);
}

/// Many sends at once are committed together (group commit); each still gets its own
/// answer, retries inside the same burst create nothing, and the room's events come out
/// gap-free in the order of the message ids.
#[actix_web::test]
async fn a_burst_of_concurrent_sends_is_committed_whole_and_in_order() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let mut watcher = app.ws(&li, json!([])).await;
    let ids: Vec<String> = (0..40).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let sends = (0..60).map(|i| {
        let (app, ids) = (&app, &ids);
        let (user, text) = if i % 2 == 0 {
            (&li, "li")
        } else {
            (&han, "han")
        };
        // Sends 40..59 repeat the client ids of sends 0..19 (same author, same text).
        let id = &ids[if i < 40 { i } else { i - 40 }];
        async move {
            let body = format!("{text} {}", if i < 40 { i } else { i - 40 });
            app.send_with_id(user, room.default_post, id, &body).await
        }
    });
    let replies = futures_util::future::join_all(sends).await;
    let mut created = std::collections::BTreeSet::new();
    for (i, reply) in replies.iter().enumerate() {
        let status = reply.status.as_u16();
        assert!(status == 201 || status == 200, "send {i}: {:?}", reply.body);
        created.insert(reply.body["id"].as_i64().unwrap());
    }
    assert_eq!(created.len(), 40, "one message per client id");
    for i in 0..20 {
        assert_eq!(replies[i].body["id"], replies[i + 40].body["id"]);
    }
    let fresh = replies.iter().filter(|r| r.status.as_u16() == 201).count();
    assert_eq!(fresh, 40, "exactly one of each pair created the message");

    let mut events = Vec::new();
    for _ in 0..40 {
        events.push(watcher.next_of("event").await);
    }
    let seqs: Vec<i64> = events.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    let first = seqs[0];
    assert_eq!(seqs, (first..first + 40).collect::<Vec<_>>(), "gap-free");
    let event_ids: Vec<i64> = events
        .iter()
        .map(|e| e["event"]["message"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        event_ids,
        created.iter().copied().collect::<Vec<_>>(),
        "seq order is id order"
    );
    watcher
        .assert_no("event", std::time::Duration::from_millis(200))
        .await;

    let page = app.history(&han, room.default_post, "?limit=100").await;
    let texts = page.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "text")
        .count();
    assert_eq!(texts, 40);
    // Each sender has read what they wrote: nothing of their own counts as unread.
    let rooms = app.get("/api/v1/rooms", Some(&li.access)).await;
    let unread = rooms.body.as_array().unwrap()[0]["unread"]
        .as_i64()
        .unwrap();
    assert!(
        unread <= 20,
        "only Han's messages after Li's last can be unread: {unread}"
    );
}

/// The newest page says where the reader has read to, so an app can open the
/// conversation at the first unread message; older pages do not carry it.
#[actix_web::test]
async fn the_newest_page_says_where_the_reader_has_read_to() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let post = room.default_post;
    // Before any marker: the floor set when Han joined (everything before is read).
    let before = app.say(&li, post, "before").await.body["id"]
        .as_i64()
        .unwrap();
    let page = app.history(&han, post, "").await;
    let floor = page.body["read_up_to"].as_i64().unwrap();
    assert!(floor < before, "{floor} < {before}: 'before' is unread");
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(
            app.say(&li, post, &format!("m{i}")).await.body["id"]
                .as_i64()
                .unwrap(),
        );
    }
    app.post(
        &format!("/api/v1/posts/{post}/read"),
        &json!({ "message_id": ids[1] }),
        Some(&han.access),
    )
    .await;
    let page = app.history(&han, post, "?limit=3").await;
    assert_eq!(page.body["read_up_to"], ids[1]);
    // The author's own marker is separate.
    assert_ne!(app.history(&li, post, "").await.body["read_up_to"], ids[1]);
    let older = app
        .history(&han, post, &format!("?before={}", ids[2]))
        .await;
    assert!(older.body.get("read_up_to").is_none(), "{:?}", older.body);
}

/// Muting is mine alone, follows me to every device (it is on the server), keeps the
/// counts, and is refused to people outside the room.
#[actix_web::test]
async fn a_muted_room_keeps_its_counts_and_only_its_member_can_mute_it() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let muted_of = |user: &crate::helpers::TestUser| {
        let app = &app;
        let access = user.access.clone();
        async move { app.get("/api/v1/rooms", Some(&access)).await.body[0].clone() }
    };
    assert_eq!(muted_of(&han).await["muted"], false);
    // Han's other open app hears it at once; Li's does not.
    let mut han_ws = app.ws(&han, json!([])).await;
    let mut li_ws = app.ws(&li, json!([])).await;
    let res = app
        .put(
            &format!("/api/v1/rooms/{}/mute", room.id),
            &json!({ "muted": true }),
            Some(&han.access),
        )
        .await;
    assert_eq!(res.status, 204, "{:?}", res.body);
    let frame = han_ws.next_of("muted").await;
    assert_eq!(frame["room_id"], room.id);
    assert_eq!(frame["muted"], true);
    li_ws
        .assert_no("muted", std::time::Duration::from_millis(300))
        .await;
    app.say(&li, room.default_post, "quiet news").await;
    let mine = muted_of(&han).await;
    assert_eq!(mine["muted"], true);
    assert_eq!(mine["unread"], 1, "muted rooms keep their counts");
    assert_eq!(muted_of(&li).await["muted"], false, "only for me");
    let conversations = app.get("/api/v1/conversations", Some(&han.access)).await;
    assert_eq!(conversations.body[0]["muted"], true);

    // Someone outside the room cannot, and bad bodies are refused.
    let stranger = app.user("stranger").await;
    let res = app
        .put(
            &format!("/api/v1/rooms/{}/mute", room.id),
            &json!({ "muted": true }),
            Some(&stranger.access),
        )
        .await;
    assert_eq!(res.status, 404);
    let res = app
        .put(
            &format!("/api/v1/rooms/{}/mute", room.id),
            &json!({ "muted": "yes" }),
            Some(&han.access),
        )
        .await;
    assert_eq!(res.status, 400, "{:?}", res.body);
    assert_eq!(res.body["code"], "malformed_json");

    // And back.
    app.put(
        &format!("/api/v1/rooms/{}/mute", room.id),
        &json!({ "muted": false }),
        Some(&han.access),
    )
    .await;
    assert_eq!(muted_of(&han).await["muted"], false);
}
