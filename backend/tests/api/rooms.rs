//! Rooms and posts: numbers, joining, privacy, roles, and the rules on posts.

use crate::helpers::{spawn_app, spawn_app_with};
use serde_json::json;

#[actix_web::test]
async fn a_new_room_has_a_number_an_owner_and_a_default_post() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let reply = app
        .post(
            "/api/v1/rooms",
            &json!({ "name": "  Tea club ", "description": "Oolong only" }),
            Some(&li.access),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{:?}", reply.body);
    assert_eq!(reply.body["name"], "Tea club");
    assert_eq!(reply.body["role"], "owner");
    assert_eq!(reply.body["visibility"], "public");
    let number = reply.body["number"].as_i64().unwrap();
    assert!((10_000_000..100_000_000).contains(&number));
    let room_id = reply.body["id"].as_i64().unwrap();

    let posts = app
        .get(&format!("/api/v1/rooms/{room_id}/posts"), Some(&li.access))
        .await;
    assert_eq!(posts.body.as_array().unwrap().len(), 1);
    assert_eq!(posts.body[0]["is_default"], true);
    assert_eq!(posts.body[0]["id"], reply.body["default_post_id"]);

    let mine = app.get("/api/v1/rooms", Some(&li.access)).await;
    assert_eq!(mine.body.as_array().unwrap().len(), 1);

    app.post("/api/v1/rooms", &json!({ "name": "  " }), Some(&li.access))
        .await
        .assert(422, "validation_failed");
    app.post("/api/v1/rooms", &json!({ "name": "x" }), None)
        .await
        .assert(401, "unauthenticated");
}

#[actix_web::test]
async fn joining_a_public_room_by_number_posts_a_notice() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    // Joining twice is harmless.
    app.join(&han, &room).await;

    let history = app.history(&li, room.default_post, "").await;
    let notices: Vec<_> = history.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "joined")
        .collect();
    assert_eq!(notices.len(), 1, "{:?}", history.body);
    assert_eq!(notices[0]["author"]["username"], "hanmeimei");

    let members = app
        .get(
            &format!("/api/v1/rooms/{}/members", room.id),
            Some(&han.access),
        )
        .await;
    assert_eq!(members.body.as_array().unwrap().len(), 2);
    app.post(
        "/api/v1/rooms/join",
        &json!({ "number": 1 }),
        Some(&han.access),
    )
    .await
    .assert(404, "not_found");
}

#[actix_web::test]
async fn a_private_room_is_invisible_until_a_request_is_approved() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    let room = app.create_room(&li, "Secret garden", "private").await;

    // Nothing about it is visible from outside.
    app.get(&format!("/api/v1/rooms/{}", room.id), Some(&han.access))
        .await
        .assert(404, "not_found");
    app.get(
        &format!("/api/v1/rooms/{}/posts", room.id),
        Some(&han.access),
    )
    .await
    .assert(404, "not_found");
    app.history(&han, room.default_post, "")
        .await
        .assert(404, "not_found");
    app.say(&han, room.default_post, "hello?")
        .await
        .assert(404, "not_found");
    let found = app
        .get("/api/v1/rooms/discover?query=Secret", Some(&han.access))
        .await;
    assert_eq!(found.body.as_array().unwrap().len(), 0);

    // Asking by number makes a request.
    let reply = app
        .post(
            "/api/v1/rooms/join",
            &json!({ "number": room.number, "message": "Li said I could come" }),
            Some(&han.access),
        )
        .await;
    assert_eq!(reply.body["status"], "requested", "{:?}", reply.body);
    app.get(
        &format!("/api/v1/rooms/{}/requests", room.id),
        Some(&han.access),
    )
    .await
    .assert(404, "not_found");
    let requests = app
        .get(
            &format!("/api/v1/rooms/{}/requests", room.id),
            Some(&li.access),
        )
        .await;
    assert_eq!(requests.body[0]["user"]["username"], "hanmeimei");
    assert_eq!(requests.body[0]["message"], "Li said I could come");

    let approve = app
        .post(
            &format!("/api/v1/rooms/{}/requests/{}/approve", room.id, han.id),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(approve.status.as_u16(), 204, "{:?}", approve.body);
    assert_eq!(
        app.get(&format!("/api/v1/rooms/{}", room.id), Some(&han.access))
            .await
            .status
            .as_u16(),
        200
    );
    assert_eq!(
        app.say(&han, room.default_post, "thanks!")
            .await
            .status
            .as_u16(),
        201
    );
}

#[actix_web::test]
async fn a_declined_request_leaves_nothing() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    let room = app.create_room(&li, "Secret garden", "private").await;
    app.post(
        "/api/v1/rooms/join",
        &json!({ "number": room.number }),
        Some(&han.access),
    )
    .await;
    let decline = app
        .post(
            &format!("/api/v1/rooms/{}/requests/{}/decline", room.id, han.id),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(decline.status.as_u16(), 204);
    app.get(&format!("/api/v1/rooms/{}", room.id), Some(&han.access))
        .await
        .assert(404, "not_found");
    app.post(
        &format!("/api/v1/rooms/{}/requests/{}/decline", room.id, han.id),
        &json!({}),
        Some(&li.access),
    )
    .await
    .assert(404, "not_found");
}

#[actix_web::test]
async fn roles_decide_who_manages_the_room() {
    let app = spawn_app().await;
    let owner = app.user("owner").await;
    let admin = app.user("admin1").await;
    let member = app.user("member1").await;
    let room = app.create_room(&owner, "Tea club", "public").await;
    app.join(&admin, &room).await;
    app.join(&member, &room).await;
    let base = format!("/api/v1/rooms/{}", room.id);

    // Only the owner promotes.
    app.put(
        &format!("{base}/members/{}/role", admin.id),
        &json!({ "role": "admin" }),
        Some(&member.access),
    )
    .await
    .assert(403, "forbidden");
    let promote = app
        .put(
            &format!("{base}/members/{}/role", admin.id),
            &json!({ "role": "admin" }),
            Some(&owner.access),
        )
        .await;
    assert_eq!(promote.status.as_u16(), 204, "{:?}", promote.body);

    // Admins edit the room, members do not.
    app.patch(&base, &json!({ "name": "Renamed" }), Some(&member.access))
        .await
        .assert(403, "forbidden");
    assert_eq!(
        app.patch(&base, &json!({ "name": "Renamed" }), Some(&admin.access))
            .await
            .body["name"],
        "Renamed"
    );

    // An admin cannot remove the owner; the owner cannot leave without transferring.
    app.delete(&format!("{base}/members/{}", owner.id), Some(&admin.access))
        .await
        .assert(403, "forbidden");
    app.post(&format!("{base}/leave"), &json!({}), Some(&owner.access))
        .await
        .assert(409, "owner_must_transfer");
    app.delete(&base, Some(&admin.access))
        .await
        .assert(403, "forbidden");

    // An admin removes a member.
    assert_eq!(
        app.delete(
            &format!("{base}/members/{}", member.id),
            Some(&admin.access)
        )
        .await
        .status
        .as_u16(),
        204
    );
    app.get(&base, Some(&member.access)).await; // public: the card is still visible
    app.say(&member, room.default_post, "still here?")
        .await
        .assert(404, "not_found");

    // Transfer, then the old owner may leave.
    let transfer = app
        .post(
            &format!("{base}/transfer"),
            &json!({ "user_id": admin.id }),
            Some(&owner.access),
        )
        .await;
    assert_eq!(transfer.status.as_u16(), 204);
    assert_eq!(
        app.get(&base, Some(&owner.access)).await.body["owner_id"],
        admin.id
    );
    assert_eq!(
        app.post(&format!("{base}/leave"), &json!({}), Some(&owner.access))
            .await
            .status
            .as_u16(),
        204
    );

    // The new owner deletes the room.
    assert_eq!(
        app.delete(&base, Some(&admin.access)).await.status.as_u16(),
        204
    );
    app.get(&base, Some(&admin.access))
        .await
        .assert(404, "not_found");
    app.history(&admin, room.default_post, "")
        .await
        .assert(404, "not_found");
}

#[actix_web::test]
async fn posts_have_unique_titles_tags_and_a_protected_default() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let posts = format!("/api/v1/rooms/{}/posts", room.id);

    let created = app
        .post(&posts, &json!({ "title": "Best oolong", "description": "Where to buy", "tags": ["Oolong", "shops", "oolong"] }), Some(&han.access))
        .await;
    assert_eq!(created.status.as_u16(), 201, "{:?}", created.body);
    assert_eq!(created.body["tags"], json!(["oolong", "shops"]));
    let post_id = created.body["id"].as_i64().unwrap();
    app.post(&posts, &json!({ "title": "BEST OOLONG" }), Some(&li.access))
        .await
        .assert(409, "post_title_taken");
    app.post(&posts, &json!({ "title": "" }), Some(&li.access))
        .await
        .assert(422, "validation_failed");
    app.post(
        &posts,
        &json!({ "title": "Green", "tags": ["green"] }),
        Some(&li.access),
    )
    .await;

    let tagged = app
        .get(&format!("{posts}?tag=oolong"), Some(&li.access))
        .await;
    assert_eq!(tagged.body.as_array().unwrap().len(), 1);
    assert_eq!(tagged.body[0]["title"], "Best oolong");
    let all = app.get(&posts, Some(&li.access)).await;
    assert_eq!(all.body.as_array().unwrap().len(), 3);
    assert_eq!(all.body[0]["is_default"], true, "default post first");

    // The author or an admin edits; another member does not.
    let stranger = app.user("stranger").await;
    app.join(&stranger, &room).await;
    app.patch(
        &format!("/api/v1/posts/{post_id}"),
        &json!({ "title": "Mine now" }),
        Some(&stranger.access),
    )
    .await
    .assert(403, "forbidden");
    let renamed = app
        .patch(
            &format!("/api/v1/posts/{post_id}"),
            &json!({ "title": "Oolong shops" }),
            Some(&li.access),
        )
        .await;
    assert_eq!(renamed.body["title"], "Oolong shops");

    app.delete(
        &format!("/api/v1/posts/{}", room.default_post),
        Some(&li.access),
    )
    .await
    .assert(409, "default_post_protected");
    app.delete(&format!("/api/v1/posts/{post_id}"), Some(&stranger.access))
        .await
        .assert(403, "forbidden");
    assert_eq!(
        app.delete(&format!("/api/v1/posts/{post_id}"), Some(&han.access))
            .await
            .status
            .as_u16(),
        204
    );
    app.history(&han, post_id, "")
        .await
        .assert(404, "not_found");
}

/// `GET /rooms` answers each room's `seq` and unread count from one snapshot: a message
/// committed between the two reads was counted in the unread and replayed again after
/// `seq` (the browser test of the new-messages line saw 31 for 30 once).
#[actix_web::test]
async fn my_rooms_count_unread_up_to_their_seq() {
    let app = spawn_app_with(|c| c.limits.enabled = false).await;
    let (li, han, room) = app.two_members().await;
    let base = app.get("/api/v1/rooms", Some(&li.access)).await;
    let start = base.body[0]["seq"].as_i64().unwrap();
    let start_unread = base.body[0]["unread"].as_i64().unwrap();
    let done = std::cell::Cell::new(false);
    let send = async {
        for n in 0..150 {
            app.say(&han, room.default_post, &format!("m{n}")).await;
        }
        done.set(true);
    };
    let read = async {
        let mut checked = 0;
        while !done.get() {
            let mine = app.get("/api/v1/rooms", Some(&li.access)).await;
            let seq = mine.body[0]["seq"].as_i64().unwrap();
            let unread = mine.body[0]["unread"].as_i64().unwrap();
            assert_eq!(unread - start_unread, seq - start, "{:?}", mine.body[0]);
            checked += 1;
        }
        checked
    };
    let ((), checked) = futures_util::future::join(send, read).await;
    assert!(checked > 0);
}
