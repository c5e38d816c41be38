//! Finding people, the friend-request state machine, blocks, private chats, presence and
//! the contact list.

use crate::helpers::{TestApp, TestUser, spawn_app, spawn_app_with};
use serde_json::{Value, json};
use std::time::Duration;

impl TestApp {
    async fn ask(
        &self,
        from: &TestUser,
        to: &TestUser,
        greeting: Option<&str>,
    ) -> crate::helpers::Reply {
        self.post(
            "/api/v1/friends/requests",
            &json!({ "user_id": to.id, "greeting": greeting }),
            Some(&from.access),
        )
        .await
    }

    async fn answer(&self, me: &TestUser, from: &TestUser, verb: &str) -> crate::helpers::Reply {
        self.post(
            &format!("/api/v1/friends/requests/{}/{verb}", from.id),
            &json!({}),
            Some(&me.access),
        )
        .await
    }

    async fn pending(&self, user: &TestUser) -> Value {
        let reply = self
            .get("/api/v1/friends/requests", Some(&user.access))
            .await;
        assert_eq!(reply.status.as_u16(), 200, "{:?}", reply.body);
        reply.body
    }

    async fn friend_ids(&self, user: &TestUser) -> Vec<i64> {
        let reply = self.get("/api/v1/friends", Some(&user.access)).await;
        assert_eq!(reply.status.as_u16(), 200, "{:?}", reply.body);
        reply
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["user"]["id"].as_i64().unwrap())
            .collect()
    }

    pub async fn befriend(&self, a: &TestUser, b: &TestUser) {
        assert_eq!(self.ask(a, b, None).await.body["status"], "sent");
        assert_eq!(self.answer(b, a, "accept").await.status.as_u16(), 200);
    }

    /// Opens the private chat; returns its JSON.
    pub async fn open_chat(&self, me: &TestUser, with: &TestUser) -> crate::helpers::Reply {
        self.post(
            "/api/v1/chats",
            &json!({ "user_id": with.id }),
            Some(&me.access),
        )
        .await
    }

    pub async fn conversations(&self, user: &TestUser) -> Vec<Value> {
        let reply = self.get("/api/v1/conversations", Some(&user.access)).await;
        assert_eq!(reply.status.as_u16(), 200, "{:?}", reply.body);
        reply.body.as_array().unwrap().clone()
    }
}

fn incoming_from(pending: &Value, user: &TestUser) -> Option<Value> {
    pending["incoming"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["from"]["id"] == user.id)
        .cloned()
}

#[actix_web::test]
async fn every_transition_of_a_friend_request() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;

    // none → pending, with the greeting, seen by both sides.
    let sent = app.ask(&li, &han, Some("Tea on Friday?")).await;
    assert_eq!(sent.status.as_u16(), 200, "{:?}", sent.body);
    assert_eq!(sent.body["status"], "sent");
    assert_eq!(sent.body["request"]["state"], "pending");
    let theirs = incoming_from(&app.pending(&han).await, &li).expect("Han sees it");
    assert_eq!(theirs["greeting"], "Tea on Friday?");
    assert_eq!(app.pending(&li).await["outgoing"][0]["to"]["id"], han.id);

    // pending → cancelled by the sender; gone from both lists.
    let cancelled = app
        .delete(
            &format!("/api/v1/friends/requests/{}", han.id),
            Some(&li.access),
        )
        .await;
    assert_eq!(cancelled.body["state"], "cancelled");
    assert!(incoming_from(&app.pending(&han).await, &li).is_none());
    app.answer(&han, &li, "accept")
        .await
        .assert(404, "not_found");
    app.delete(
        &format!("/api/v1/friends/requests/{}", han.id),
        Some(&li.access),
    )
    .await
    .assert(404, "not_found");

    // cancelled → pending again → rejected.
    assert_eq!(app.ask(&li, &han, None).await.body["status"], "sent");
    let rejected = app.answer(&han, &li, "reject").await;
    assert_eq!(rejected.body["state"], "rejected");
    assert!(app.friend_ids(&li).await.is_empty());
    app.answer(&han, &li, "reject")
        .await
        .assert(404, "not_found");

    // rejected → pending again → accepted: friends on both sides.
    assert_eq!(app.ask(&li, &han, None).await.body["status"], "sent");
    assert_eq!(
        app.ask(&li, &han, None).await.body["status"],
        "sent",
        "asking twice is harmless"
    );
    let accepted = app.answer(&han, &li, "accept").await;
    assert_eq!(accepted.body["state"], "accepted");
    assert_eq!(app.friend_ids(&li).await, vec![han.id]);
    assert_eq!(app.friend_ids(&han).await, vec![li.id]);
    app.ask(&han, &li, None)
        .await
        .assert(409, "already_friends");
    assert!(
        app.pending(&han).await["incoming"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Unfriending ends it for both; a second time there is nothing to end.
    let gone = app
        .delete(&format!("/api/v1/friends/{}", li.id), Some(&han.access))
        .await;
    assert_eq!(gone.status.as_u16(), 204);
    assert!(app.friend_ids(&li).await.is_empty());
    app.delete(&format!("/api/v1/friends/{}", li.id), Some(&han.access))
        .await
        .assert(404, "not_found");

    // Asking someone who already asked you accepts their request.
    assert_eq!(
        app.ask(&han, &li, Some("again?")).await.body["status"],
        "sent"
    );
    let crossed = app.ask(&li, &han, None).await;
    assert_eq!(crossed.body["status"], "accepted", "{:?}", crossed.body);
    assert_eq!(crossed.body["friend"]["user"]["id"], han.id);
    assert_eq!(app.friend_ids(&han).await, vec![li.id]);
    assert!(
        app.pending(&li).await["incoming"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        app.pending(&han).await["outgoing"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[actix_web::test]
async fn bad_requests_are_refused_with_their_codes() {
    let app = spawn_app_with(|c| c.friend_request_cap = 2).await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    let lucy = app.user("lucy").await;
    let lily = app.user("lily").await;

    app.ask(&li, &li, None)
        .await
        .assert(422, "self_not_allowed");
    let nobody = app
        .post(
            "/api/v1/friends/requests",
            &json!({ "user_id": 999_999 }),
            Some(&li.access),
        )
        .await;
    nobody.assert(404, "not_found");
    let long = "好".repeat(api::rules::GREETING_MAX + 1);
    let reply = app.ask(&li, &han, Some(&long)).await;
    reply.assert(422, "validation_failed");
    assert_eq!(reply.field("greeting"), "length");
    let reply = app
        .post(
            "/api/v1/friends/requests",
            &json!({ "user_id": "x" }),
            Some(&li.access),
        )
        .await;
    reply.assert(400, "malformed_json");
    app.get("/api/v1/friends", None)
        .await
        .assert(401, "unauthenticated");

    // A cap on requests waiting for an answer; an answered one frees its place.
    assert_eq!(app.ask(&li, &han, None).await.body["status"], "sent");
    assert_eq!(app.ask(&li, &lucy, None).await.body["status"], "sent");
    app.ask(&li, &lily, None)
        .await
        .assert(409, "friend_request_limit");
    assert_eq!(
        app.ask(&li, &han, None).await.body["status"],
        "sent",
        "re-asking is not a new one"
    );
    app.answer(&lucy, &li, "reject").await;
    assert_eq!(app.ask(&li, &lily, None).await.body["status"], "sent");
}

#[actix_web::test]
async fn a_pending_request_survives_logout_and_login() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    app.ask(&li, &han, Some("hello")).await;
    // Han sees it, answers nothing ("later"), and logs out.
    assert!(incoming_from(&app.pending(&han).await, &li).is_some());
    assert_eq!(app.logout(&han.refresh).await.status.as_u16(), 204);
    let login = app.login(&han.username, &han.password).await;
    assert_eq!(login.status.as_u16(), 200, "{:?}", login.body);
    let han = TestUser {
        access: login.body["access_token"].as_str().unwrap().into(),
        ..han
    };
    let request = incoming_from(&app.pending(&han).await, &li).expect("still pending");
    assert_eq!(request["state"], "pending");
    assert_eq!(request["greeting"], "hello");
    assert_eq!(
        app.answer(&han, &li, "accept").await.body["state"],
        "accepted"
    );
}

#[actix_web::test]
async fn both_sides_see_friend_changes_live() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    let mut li_ws = app.ws(&li, json!([])).await;
    let mut han_ws = app.ws(&han, json!([])).await;
    app.ask(&li, &han, Some("hi")).await;
    let frame = han_ws.next_of("friends").await;
    assert_eq!(frame["event"]["kind"], "request");
    assert_eq!(frame["event"]["request"]["from"]["id"], li.id);
    assert_eq!(frame["event"]["request"]["state"], "pending");
    li_ws.next_of("friends").await;

    app.answer(&han, &li, "accept").await;
    let answered = li_ws.next_of("friends").await;
    assert_eq!(answered["event"]["request"]["state"], "accepted");
    let added = li_ws.next_of("friends").await;
    assert_eq!(added["event"]["kind"], "added");
    assert_eq!(added["event"]["friend"]["user"]["id"], han.id);
    // Now friends, each learns that the other is online.
    li_ws.presence(han.id, "online").await;
    han_ws.presence(li.id, "online").await;

    app.delete(&format!("/api/v1/friends/{}", han.id), Some(&li.access))
        .await;
    loop {
        let frame = han_ws.next_of("friends").await;
        if frame["event"]["kind"] == "removed" {
            assert_eq!(frame["event"]["user_id"], li.id);
            break;
        }
    }
}

#[actix_web::test]
async fn blocked_people_cannot_ask_or_write() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    app.befriend(&li, &han).await;
    let chat = app.open_chat(&li, &han).await;
    assert_eq!(chat.status.as_u16(), 200, "{:?}", chat.body);
    let post = chat.body["post_id"].as_i64().unwrap();
    assert_eq!(app.say(&han, post, "hi").await.status.as_u16(), 201);

    block(&app, &li, &han).await;
    assert!(
        app.friend_ids(&li).await.is_empty(),
        "blocking ends the friendship"
    );
    // Neither way: requests, new chats, messages in the old chat.
    app.ask(&han, &li, None).await.assert(403, "blocked");
    app.ask(&li, &han, None).await.assert(403, "blocked");
    app.say(&han, post, "hello?").await.assert(403, "blocked");
    app.say(&li, post, "bye").await.assert(403, "blocked");
    let history = app.history(&li, post, "").await;
    assert_eq!(
        history.body["messages"].as_array().unwrap().len(),
        1,
        "nothing was written"
    );
    let list = app.get("/api/v1/blocks", Some(&li.access)).await;
    assert_eq!(list.body[0]["user"]["id"], han.id);
    // Blocked people do not find the one who blocked them.
    let found = app
        .get("/api/v1/users?query=lilei", Some(&han.access))
        .await;
    assert!(
        found.body.as_array().unwrap().is_empty(),
        "{:?}",
        found.body
    );

    // Lifting the block allows asking again (the friendship does not come back by itself).
    let lifted = app
        .delete(&format!("/api/v1/blocks/{}", han.id), Some(&li.access))
        .await;
    assert_eq!(lifted.status.as_u16(), 204);
    app.delete(&format!("/api/v1/blocks/{}", han.id), Some(&li.access))
        .await
        .assert(404, "not_found");
    app.say(&han, post, "friends again?")
        .await
        .assert(403, "not_friends");
    assert_eq!(app.ask(&han, &li, None).await.body["status"], "sent");
}

#[actix_web::test]
async fn friends_chat_privately_and_nobody_else_can_see_it() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    let lucy = app.user("lucy").await;

    // Not friends yet: no private chat (Han takes messages from friends only).
    app.open_chat(&li, &han).await.assert(403, "not_friends");
    app.open_chat(&li, &li)
        .await
        .assert(422, "self_not_allowed");
    app.befriend(&li, &han).await;

    let mut han_ws = app.ws(&han, json!([])).await;
    let chat = app.open_chat(&li, &han).await;
    assert_eq!(chat.status.as_u16(), 200, "{:?}", chat.body);
    assert_eq!(chat.body["peer"]["id"], han.id);
    let (room, post) = (
        chat.body["room_id"].as_i64().unwrap(),
        chat.body["post_id"].as_i64().unwrap(),
    );
    // One chat per pair, whoever opens it.
    assert_eq!(app.open_chat(&han, &li).await.body["room_id"], room);
    let added = han_ws.next_of("room_added").await;
    assert_eq!(added["room_id"], room);

    let sent = app.say(&li, post, "想喝茶吗？").await;
    assert_eq!(sent.status.as_u16(), 201, "{:?}", sent.body);
    let event = han_ws.next_of("event").await;
    assert_eq!(event["room_id"], room);
    assert_eq!(event["event"]["message"]["body"], "想喝茶吗？");
    assert_eq!(app.say(&han, post, "好啊").await.status.as_u16(), 201);
    let history = app.history(&han, post, "").await;
    assert_eq!(history.body["messages"].as_array().unwrap().len(), 2);

    // Recall works as in rooms.
    let id = sent.body["id"].as_i64().unwrap();
    let recalled = app
        .post(
            &format!("/api/v1/messages/{id}/recall"),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(recalled.status.as_u16(), 200, "{:?}", recalled.body);
    assert!(recalled.body["body"].is_null());

    // A third person gets 404 for everything about it.
    app.history(&lucy, post, "").await.assert(404, "not_found");
    app.say(&lucy, post, "hi").await.assert(404, "not_found");
    app.get(&format!("/api/v1/rooms/{room}/members"), Some(&lucy.access))
        .await
        .assert(404, "not_found");
    app.post(
        &format!("/api/v1/messages/{id}/recall"),
        &json!({}),
        Some(&lucy.access),
    )
    .await
    .assert(404, "not_found");
    let mut lucy_ws = app.ws(&lucy, json!([{ "room_id": room, "seq": 0 }])).await;
    app.say(&li, post, "still there?").await;
    lucy_ws.assert_no("event", Duration::from_millis(300)).await;
    // Members see it; it is not a group: no settings, topics, leaving or joining by number.
    let members = app
        .get(&format!("/api/v1/rooms/{room}/members"), Some(&han.access))
        .await;
    assert_eq!(members.body.as_array().unwrap().len(), 2);
    app.get(&format!("/api/v1/rooms/{room}"), Some(&li.access))
        .await
        .assert(404, "not_found");
    app.post(
        &format!("/api/v1/rooms/{room}/posts"),
        &json!({ "title": "topic" }),
        Some(&li.access),
    )
    .await
    .assert(404, "not_found");
    app.post(
        &format!("/api/v1/rooms/{room}/leave"),
        &json!({}),
        Some(&li.access),
    )
    .await
    .assert(404, "not_found");
    let mine = app.get("/api/v1/rooms", Some(&li.access)).await;
    assert!(
        mine.body.as_array().unwrap().is_empty(),
        "not in the room list"
    );
}

#[actix_web::test]
async fn both_opening_the_chat_at_once_get_the_same_one() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    app.befriend(&li, &han).await;
    let (a, b) = futures_util::join!(app.open_chat(&li, &han), app.open_chat(&han, &li));
    assert_eq!(a.status.as_u16(), 200, "{:?}", a.body);
    assert_eq!(b.status.as_u16(), 200, "{:?}", b.body);
    assert_eq!(a.body["room_id"], b.body["room_id"]);
    assert_eq!(a.body["post_id"], b.body["post_id"]);
}

#[actix_web::test]
async fn room_members_may_write_privately_when_the_receiver_allows_it() {
    let app = spawn_app().await;
    let (li, han, _room) = app.two_members().await;
    let lucy = app.user("lucy").await;
    app.open_chat(&li, &han).await.assert(403, "not_friends");
    let allowed = app
        .patch(
            "/api/v1/me",
            &json!({ "direct_messages": "room_members" }),
            Some(&han.access),
        )
        .await;
    assert_eq!(allowed.body["direct_messages"], "room_members");
    let chat = app.open_chat(&li, &han).await;
    assert_eq!(chat.status.as_u16(), 200, "{:?}", chat.body);
    // Sharing no room, Lucy still may not.
    app.open_chat(&lucy, &han).await.assert(403, "not_friends");
}

#[actix_web::test]
async fn people_are_found_by_name_or_number_with_where_i_stand() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    let lucy = app.user("lucy").await;
    app.patch(
        "/api/v1/me",
        &json!({ "display_name": "梅梅 Han" }),
        Some(&han.access),
    )
    .await;
    app.befriend(&li, &lucy).await;
    app.ask(&han, &li, None).await;

    let search = |q: &str| {
        let q = q.to_owned();
        let app = &app;
        let token = li.access.clone();
        async move {
            let reply = app
                .get(
                    &format!("/api/v1/users?query={}", urlencode(&q)),
                    Some(&token),
                )
                .await;
            assert_eq!(reply.status.as_u16(), 200, "{:?}", reply.body);
            reply.body.as_array().unwrap().clone()
        }
    };
    let found = search("MEIMEI").await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["user"]["id"], han.id);
    assert_eq!(found[0]["relation"], "request_received");
    assert!(found[0]["user"].get("email").is_none(), "no private fields");
    assert_eq!(search("梅梅").await[0]["user"]["id"], han.id);
    assert_eq!(search(&lucy.id.to_string()).await[0]["relation"], "friend");
    let me = search("lilei").await;
    assert_eq!(me[0]["relation"], "me");
    assert!(search("%%").await.is_empty(), "wildcards are literal");
    let short = app.get("/api/v1/users?query=l", Some(&li.access)).await;
    short.assert(422, "validation_failed");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[actix_web::test]
async fn presence_reaches_friends_and_co_members_only() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await; // Li's friend
    let lucy = app.user("lucy").await; // in a room with Li
    let lily = app.user("lily").await; // a stranger
    app.befriend(&li, &han).await;
    let room = app.create_room(&lucy, "Book club", "public").await;
    app.join(&li, &room).await;

    let mut han_ws = app.ws(&han, json!([])).await;
    let mut lucy_ws = app.ws(&lucy, json!([])).await;
    let mut lily_ws = app.ws(&lily, json!([])).await;
    let first = lily_ws.next_of("presence").await;
    assert_eq!(first["users"], json!([]), "a stranger sees nobody");

    let li_tab1 = app.ws(&li, json!([])).await;
    han_ws.presence(li.id, "online").await;
    lucy_ws.presence(li.id, "online").await;
    lily_ws
        .assert_no("presence", Duration::from_millis(300))
        .await;
    let friends = app.get("/api/v1/friends", Some(&han.access)).await;
    assert_eq!(friends.body[0]["presence"]["status"], "online");

    // Away only when every socket is away; a second tab changes nothing.
    let mut li_tab2 = app.ws(&li, json!([])).await;
    li_tab2
        .send(json!({ "type": "presence", "status": "away" }))
        .await;
    han_ws
        .assert_no("presence", Duration::from_millis(200))
        .await;
    li_tab1.close().await;
    han_ws.presence(li.id, "away").await;
    li_tab2
        .send(json!({ "type": "presence", "status": "active" }))
        .await;
    han_ws.presence(li.id, "online").await;

    // Offline once the last socket closes (after the grace), with the time last seen.
    li_tab2.close().await;
    let gone = han_ws.presence(li.id, "offline").await;
    assert!(gone["last_seen_at"].is_string());
    lucy_ws.presence(li.id, "offline").await;
    let friends = app.get("/api/v1/friends", Some(&han.access)).await;
    assert_eq!(friends.body[0]["presence"]["status"], "offline");
    assert!(friends.body[0]["presence"]["last_seen_at"].is_string());
}

#[actix_web::test]
async fn invisible_people_look_offline_and_reloads_announce_nothing() {
    let app = spawn_app_with(|c| c.presence_offline_grace_ms = 1000).await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    app.befriend(&li, &han).await;
    let mut han_ws = app.ws(&han, json!([])).await;
    let li_ws = app.ws(&li, json!([])).await;
    han_ws.presence(li.id, "online").await;
    // A reload (close and reconnect within the grace) shows no change at all.
    li_ws.close().await;
    let li_ws = app.ws(&li, json!([])).await;
    han_ws
        .assert_no("presence", Duration::from_millis(1500))
        .await;

    let me = app
        .patch(
            "/api/v1/me",
            &json!({ "invisible": true }),
            Some(&li.access),
        )
        .await;
    assert_eq!(me.body["invisible"], true);
    han_ws.presence(li.id, "offline").await;
    let members = app.get("/api/v1/friends", Some(&han.access)).await;
    assert_eq!(members.body[0]["presence"]["status"], "offline");
    // A new socket of Han's does not see Li either.
    let mut han_tab2 = app.ws(&han, json!([])).await;
    let snapshot = han_tab2.next_of("presence").await;
    assert_eq!(snapshot["users"], json!([]));
    drop(li_ws);
}

#[actix_web::test]
async fn the_contact_list_has_every_conversation_with_unread_and_previews() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    app.befriend(&li, &han).await;
    let topic = app
        .post(
            &format!("/api/v1/rooms/{}/posts", room.id),
            &json!({ "title": "Oolong", "tags": [] }),
            Some(&li.access),
        )
        .await;
    assert_eq!(topic.status.as_u16(), 201, "{:?}", topic.body);
    let topic = topic.body["id"].as_i64().unwrap();
    let chat = app.open_chat(&li, &han).await.body;
    let direct_post = chat["post_id"].as_i64().unwrap();

    app.say(&li, room.default_post, "first line\nsecond line")
        .await;
    app.say(&li, topic, "oolong is best").await;
    let recalled = app.say(&li, direct_post, "oops").await;
    let id = recalled.body["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/messages/{id}/recall"),
        &json!({}),
        Some(&li.access),
    )
    .await;
    app.say(&li, direct_post, "喝茶\n\n吗").await;

    let list = app.conversations(&han).await;
    assert_eq!(list.len(), 3, "{list:?}");
    // Newest activity first: the private chat, then the topic, then the default post.
    assert_eq!(list[0]["kind"], "direct");
    assert_eq!(list[0]["peer"]["id"], li.id);
    assert_eq!(list[0]["last_message"]["excerpt"], "喝茶 吗");
    assert_eq!(list[0]["unread"], 1, "recalled messages do not count");
    assert_eq!(list[1]["post_id"], topic);
    assert_eq!(list[1]["room_name"], "Tea club");
    assert_eq!(list[1]["post_title"], "Oolong");
    assert_eq!(list[1]["last_message"]["author"]["username"], "lilei");
    assert_eq!(list[1]["unread"], 1);
    assert_eq!(list[2]["post_id"], room.default_post);
    assert!(list[2]["post_title"].is_null());
    assert_eq!(list[2]["last_message"]["excerpt"], "first line second line");

    // Reading clears the count; a recalled last message shows as recalled.
    app.post(
        &format!("/api/v1/posts/{direct_post}/read"),
        &json!({}),
        Some(&han.access),
    )
    .await;
    let last = app.say(&li, direct_post, "again").await.body["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("/api/v1/messages/{last}/recall"),
        &json!({}),
        Some(&li.access),
    )
    .await;
    let list = app.conversations(&han).await;
    assert_eq!(list[0]["unread"], 0);
    assert_eq!(list[0]["last_message"]["recalled"], true);
    assert!(list[0]["last_message"]["excerpt"].is_null());
    // Li's own messages are never unread for Li.
    assert!(
        app.conversations(&li)
            .await
            .iter()
            .all(|c| c["unread"] == 0)
    );
}

async fn block(app: &TestApp, me: &TestUser, them: &TestUser) {
    let blocked = app
        .post(
            "/api/v1/blocks",
            &json!({ "user_id": them.id }),
            Some(&me.access),
        )
        .await;
    assert_eq!(blocked.status.as_u16(), 200, "{:?}", blocked.body);
}

/// A block holds everywhere: no presence or typing through the old private chat, the chat
/// cannot be reopened, and the profile shows no more than search does.
#[actix_web::test]
async fn a_block_holds_in_presence_typing_chats_and_profiles() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    let edited = app
        .patch(
            "/api/v1/me",
            &json!({ "bio": "I like tea", "location": "Beijing" }),
            Some(&han.access),
        )
        .await;
    assert_eq!(edited.status.as_u16(), 200, "{:?}", edited.body);
    app.befriend(&li, &han).await;
    let chat = app.open_chat(&li, &han).await;
    let post = chat.body["post_id"].as_i64().unwrap();
    // Not friends any more, but the chat stays: it must not carry presence either.
    let mut li_ws = app.ws(&li, json!([])).await;
    let mut han_ws = app.ws(&han, json!([])).await;
    li_ws.presence(han.id, "online").await;

    for (who, other) in [(&li, &han), (&han, &li)] {
        block(&app, who, other).await;
        // The other's status goes away at once, with no last seen.
        let gone = li_ws.presence(han.id, "offline").await;
        assert!(gone["last_seen_at"].is_null(), "{gone}");
        let gone = han_ws.presence(li.id, "offline").await;
        assert!(gone["last_seen_at"].is_null(), "{gone}");

        // Coming and going, away and back: nothing reaches the other.
        han_ws
            .send(json!({ "type": "presence", "status": "away" }))
            .await;
        let again = app.ws(&han, json!([])).await;
        again.close().await;
        han_ws
            .send(json!({ "type": "typing", "post_id": post }))
            .await;
        li_ws
            .assert_no("presence", Duration::from_millis(400))
            .await;
        li_ws.assert_no("typing", Duration::from_millis(100)).await;
        li_ws
            .send(json!({ "type": "typing", "post_id": post }))
            .await;
        han_ws.assert_no("typing", Duration::from_millis(300)).await;

        // The chat cannot be reopened, from either side.
        app.open_chat(&li, &han).await.assert(403, "blocked");
        app.open_chat(&han, &li).await.assert(403, "blocked");
        // The one who blocked sees no more than search shows; the blocked one sees nothing.
        let (blocker, blocked) = (who, other);
        let seen = app
            .get(
                &format!("/api/v1/users/{}", blocked.id),
                Some(&blocker.access),
            )
            .await;
        assert_eq!(seen.status.as_u16(), 200, "{:?}", seen.body);
        assert!(seen.body["bio"].is_null(), "{:?}", seen.body);
        assert!(seen.body["location"].is_null(), "{:?}", seen.body);
        app.get(
            &format!("/api/v1/users/{}", blocker.id),
            Some(&blocked.access),
        )
        .await
        .assert(404, "not_found");
        han_ws
            .send(json!({ "type": "presence", "status": "active" }))
            .await;
        li_ws
            .assert_no("presence", Duration::from_millis(300))
            .await;

        // Lifted: presence passes through the chat again.
        let lifted = app
            .delete(&format!("/api/v1/blocks/{}", other.id), Some(&who.access))
            .await;
        assert_eq!(lifted.status.as_u16(), 204);
        li_ws.presence(han.id, "online").await;
        assert_eq!(app.open_chat(&li, &han).await.status.as_u16(), 200);
    }
    // Unblocked, the full profile is back.
    let seen = app
        .get(&format!("/api/v1/users/{}", han.id), Some(&li.access))
        .await;
    assert_eq!(seen.body["bio"], "I like tea");
}

/// People who share a group room keep seeing each other there, as any co-members do.
#[actix_web::test]
async fn a_block_leaves_presence_in_a_shared_group_room() {
    let app = spawn_app().await;
    let (li, han, _room) = app.two_members().await;
    let mut li_ws = app.ws(&li, json!([])).await;
    let mut han_ws = app.ws(&han, json!([])).await;
    li_ws.presence(han.id, "online").await;
    block(&app, &li, &han).await;
    han_ws
        .send(json!({ "type": "presence", "status": "away" }))
        .await;
    li_ws.presence(han.id, "away").await;
}
