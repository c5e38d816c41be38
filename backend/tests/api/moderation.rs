//! The sensitive-word filter end to end: lists are staff's, start off, and count only
//! when enabled; each policy (off, warn, mask, block) where it applies; rooms choose
//! within the server's minimum; every hit in the audit log; imports and their bad input;
//! site roles.

use crate::helpers::{Reply, TestApp, TestUser, spawn_app};
use serde_json::{Value, json};

/// A list named `name` with `words`, enabled; returns its id.
async fn list(app: &TestApp, admin: &TestUser, name: &str, allow: bool, words: &[&str]) -> i64 {
    let made = app
        .post(
            "/api/v1/admin/filter/categories",
            &json!({ "name": name, "allow": allow }),
            Some(&admin.access),
        )
        .await;
    assert_eq!(made.status.as_u16(), 201, "{:?}", made.body);
    assert_eq!(made.body["enabled"], false, "new lists start off");
    let id = made.body["id"].as_i64().unwrap();
    let added = app
        .post(
            &format!("/api/v1/admin/filter/categories/{id}/words"),
            &json!({ "words": words }),
            Some(&admin.access),
        )
        .await;
    assert_eq!(added.status.as_u16(), 200, "{:?}", added.body);
    let on = app
        .patch(
            &format!("/api/v1/admin/filter/categories/{id}"),
            &json!({ "enabled": true }),
            Some(&admin.access),
        )
        .await;
    assert_eq!(on.status.as_u16(), 200, "{:?}", on.body);
    id
}

async fn set_policies(app: &TestApp, admin: &TestUser, default: &str, minimum: &str) {
    let set = app
        .put(
            "/api/v1/admin/filter/policies",
            &json!({ "default": default, "minimum": minimum }),
            Some(&admin.access),
        )
        .await;
    assert_eq!(set.status.as_u16(), 200, "{:?}", set.body);
}

/// What moderators may read and members may not.
const STAFF_READS: [&str; 3] = [
    "/api/v1/admin/filter/categories",
    "/api/v1/admin/audit",
    "/api/v1/admin/filter/policies",
];

/// `actor` gives `target` a site role.
async fn set_role(app: &TestApp, actor: &TestUser, target: i64, role: &str) -> Reply {
    app.put(
        &format!("/api/v1/admin/users/{target}/role"),
        &json!({ "role": role }),
        Some(&actor.access),
    )
    .await
}

/// The audit log's entries of one action, newest first.
async fn audit(app: &TestApp, staff: &TestUser, action: &str) -> Vec<Value> {
    let page = app
        .get(
            &format!("/api/v1/admin/audit?action={action}"),
            Some(&staff.access),
        )
        .await;
    assert_eq!(page.status.as_u16(), 200, "{:?}", page.body);
    page.body["entries"].as_array().unwrap().clone()
}

#[actix_web::test]
async fn lists_count_only_when_enabled_and_the_policy_is_on() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    // Nothing is on by default: the word goes through, nothing is logged.
    let made = app
        .post(
            "/api/v1/admin/filter/categories",
            &json!({ "name": "insults" }),
            Some(&li.access),
        )
        .await;
    let id = made.body["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/admin/filter/categories/{id}/words"),
        &json!({ "words": ["傻逼"] }),
        Some(&li.access),
    )
    .await;
    set_policies(&app, &li, "mask", "off").await;
    let sent = app.say(&han, room.default_post, "你这个傻逼").await;
    assert_eq!(sent.body["body"], "你这个傻逼", "the list is off");
    // Enabled: masked.
    app.patch(
        &format!("/api/v1/admin/filter/categories/{id}"),
        &json!({ "enabled": true }),
        Some(&li.access),
    )
    .await;
    let sent = app.say(&han, room.default_post, "你这个傻 逼").await;
    assert_eq!(sent.status.as_u16(), 201, "{:?}", sent.body);
    assert_eq!(sent.body["html"], "<p>你这个***</p>\n", "{:?}", sent.body);
    assert!(!sent.body["body"].as_str().unwrap().contains('傻'));
    // Policy off: through again.
    set_policies(&app, &li, "off", "off").await;
    let sent = app.say(&han, room.default_post, "你这个傻逼").await;
    assert_eq!(sent.body["body"], "你这个傻逼");
    let hits = audit(&app, &li, "filter_hit").await;
    assert_eq!(hits.len(), 1, "one hit, under mask: {hits:?}");
    assert_eq!(hits[0]["actor"]["id"], han.id);
    assert_eq!(hits[0]["room_id"], room.id);
    assert_eq!(hits[0]["details"]["policy"], "mask");
    assert_eq!(hits[0]["details"]["field"], "message");
    assert_eq!(hits[0]["details"]["words"][0]["word"], "傻逼");
    assert_eq!(hits[0]["details"]["words"][0]["category"], "insults");
    assert_eq!(hits[0]["details"]["words"][0]["matched"], "傻 逼");
}

#[actix_web::test]
async fn warn_checks_first_and_records_either_way() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    list(&app, &li, "insults", false, &["傻逼", "badword"]).await;
    set_policies(&app, &li, "warn", "off").await;
    let info = app.get("/api/v1/server", None).await;
    assert_eq!(
        info.body["word_policies"],
        json!({"default": "warn", "minimum": "off"})
    );

    // The composer's check: the policy there and the words as typed.
    let check = app
        .post(
            "/api/v1/filter/check",
            &json!({ "text": "说 ＢＡＤ word 和 傻.逼", "room_id": room.id }),
            Some(&han.access),
        )
        .await;
    assert_eq!(check.status.as_u16(), 200, "{:?}", check.body);
    assert_eq!(check.body["policy"], "warn");
    let found: Vec<&str> = check.body["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(found, ["ＢＡＤ word", "傻.逼"]);
    let first = &check.body["matches"][0];
    assert_eq!(first["start"], "说 ".len());
    // Clean text: nothing.
    let clean = app
        .post(
            "/api/v1/filter/check",
            &json!({ "text": "一切正常", "room_id": room.id }),
            Some(&han.access),
        )
        .await;
    assert_eq!(clean.body["matches"], json!([]));
    // Not a member: 404; not logged in: 401.
    let outsider = app.user("outsider").await;
    app.post(
        "/api/v1/filter/check",
        &json!({ "text": "傻逼", "room_id": room.id }),
        Some(&outsider.access),
    )
    .await
    .assert(404, "not_found");
    app.post("/api/v1/filter/check", &json!({ "text": "傻逼" }), None)
        .await
        .assert(401, "unauthenticated");

    // Sent anyway: as written, and recorded.
    let sent = app.say(&han, room.default_post, "你这个傻逼").await;
    assert_eq!(sent.status.as_u16(), 201);
    assert_eq!(sent.body["body"], "你这个傻逼");
    let warned = audit(&app, &li, "filter_warned").await;
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(warned[0]["details"]["words"].as_array().unwrap().len(), 2);
    let hits = audit(&app, &li, "filter_hit").await;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["details"]["policy"], "warn");
    // Members do not read the log.
    app.get("/api/v1/admin/audit", Some(&han.access))
        .await
        .assert(403, "forbidden");
}

#[actix_web::test]
async fn block_refuses_and_names_the_words_and_stores_nothing() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    list(&app, &li, "insults", false, &["傻逼"]).await;
    set_policies(&app, &li, "block", "off").await;
    let mut ws = app.ws(&li, json!([])).await;
    let refused = app.say(&han, room.default_post, "你這個傻傻逼！").await;
    refused.assert(422, "content_blocked");
    assert_eq!(refused.field("body"), "blocked");
    assert_eq!(refused.body["details"]["matches"][0]["text"], "傻傻逼");
    ws.assert_no("event", std::time::Duration::from_millis(300))
        .await;
    let history = app.history(&li, room.default_post, "").await;
    assert!(
        !history.body.to_string().contains('傻'),
        "nothing stored: {:?}",
        history.body
    );
    // An edit that brings the word in is refused too.
    let ok = app.say(&han, room.default_post, "你好").await;
    app.patch(
        &format!("/api/v1/messages/{}", ok.body["id"]),
        &json!({ "body": "你好傻逼" }),
        Some(&han.access),
    )
    .await
    .assert(422, "content_blocked");
    let hits = audit(&app, &li, "filter_hit").await;
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h["details"]["policy"] == "block"));
    // Private chats follow the server's default.
    app.befriend(&han, &li).await;
    let chat = app.open_chat(&han, &li).await;
    let post = chat.body["post_id"].as_i64().unwrap();
    app.say(&han, post, "傻逼")
        .await
        .assert(422, "content_blocked");
}

#[actix_web::test]
async fn allowed_words_and_latin_boundaries_keep_false_hits_out() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    list(&app, &li, "politics", false, &["台独", "ass"]).await;
    list(&app, &li, "false hits", true, &["舞台独"]).await;
    set_policies(&app, &li, "mask", "off").await;
    for text in ["我在舞台独自唱歌", "a class of grass", "please assume"] {
        let sent = app.say(&han, room.default_post, text).await;
        assert_eq!(sent.body["body"], text);
    }
    let sent = app.say(&han, room.default_post, "支持台獨 you ass").await;
    assert_eq!(sent.body["html"], "<p>支持** you ***</p>\n");
    // The test box shows the folding and the list each hit comes from.
    let test = app
        .post(
            "/api/v1/admin/filter/test",
            &json!({ "text": "Ａ S S 和臺 獨" }),
            Some(&li.access),
        )
        .await;
    assert_eq!(test.status.as_u16(), 200, "{:?}", test.body);
    assert_eq!(test.body["normalised"], "as和台独");
    assert_eq!(test.body["masked"], "***** 和***");
    assert_eq!(test.body["hits"][0]["word"], "ass");
    assert_eq!(test.body["hits"][1]["category"], "politics");
    app.post(
        "/api/v1/admin/filter/test",
        &json!({ "text": "x" }),
        Some(&han.access),
    )
    .await
    .assert(403, "forbidden");
}

#[actix_web::test]
async fn rooms_choose_within_the_server_minimum() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    list(&app, &li, "insults", false, &["傻逼"]).await;
    set_policies(&app, &li, "warn", "warn").await;
    let mut ws = app.ws(&han, json!([])).await;
    let path = format!("/api/v1/rooms/{}/word-policy", room.id);
    // Members may not; milder than the minimum may not.
    app.put(&path, &json!({ "policy": "block" }), Some(&han.access))
        .await
        .assert(403, "forbidden");
    let mild = app
        .put(&path, &json!({ "policy": "off" }), Some(&li.access))
        .await;
    mild.assert(422, "validation_failed");
    assert_eq!(mild.field("policy"), "below_minimum");
    let set = app
        .put(&path, &json!({ "policy": "block" }), Some(&li.access))
        .await;
    assert_eq!(set.status.as_u16(), 200, "{:?}", set.body);
    assert_eq!(set.body["word_policy"], "block");
    let live = ws.next_of("event").await;
    assert_eq!(live["event"]["kind"], "room_edited");
    assert_eq!(live["event"]["room"]["word_policy"], "block");
    app.say(&han, room.default_post, "傻逼")
        .await
        .assert(422, "content_blocked");
    // Back to the default (warn).
    let back = app
        .put(&path, &json!({ "policy": null }), Some(&li.access))
        .await;
    assert!(back.body.get("word_policy").is_none(), "{:?}", back.body);
    let sent = app.say(&han, room.default_post, "傻逼").await;
    assert_eq!(sent.body["body"], "傻逼");
    let hits = audit(&app, &li, "filter_hit").await;
    assert_eq!(hits[0]["details"]["policy"], "warn");
    // A default milder than the minimum is refused.
    let bad = app
        .put(
            "/api/v1/admin/filter/policies",
            &json!({ "default": "off", "minimum": "mask" }),
            Some(&li.access),
        )
        .await;
    bad.assert(422, "validation_failed");
    assert_eq!(bad.field("default"), "below_minimum");
}

#[actix_web::test]
async fn names_titles_descriptions_and_bios_are_screened() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    list(&app, &li, "insults", false, &["傻逼"]).await;
    set_policies(&app, &li, "block", "off").await;
    let refused = app
        .post(
            "/api/v1/rooms",
            &json!({ "name": "傻逼俱乐部", "visibility": "public" }),
            Some(&han.access),
        )
        .await;
    refused.assert(422, "content_blocked");
    assert_eq!(refused.field("name"), "blocked");
    app.patch(
        &format!("/api/v1/rooms/{}", room.id),
        &json!({ "description": "傻逼" }),
        Some(&li.access),
    )
    .await
    .assert(422, "content_blocked");
    let topic = app
        .post(
            &format!("/api/v1/rooms/{}/posts", room.id),
            &json!({ "title": "傻逼话题" }),
            Some(&han.access),
        )
        .await;
    topic.assert(422, "content_blocked");
    assert_eq!(topic.field("title"), "blocked");
    app.patch(
        "/api/v1/me",
        &json!({ "bio": "我是傻逼" }),
        Some(&han.access),
    )
    .await
    .assert(422, "content_blocked");
    app.put(
        &format!("/api/v1/rooms/{}/announcement", room.id),
        &json!({ "body": "傻逼" }),
        Some(&li.access),
    )
    .await
    .assert(422, "content_blocked");
    // Under mask, the name is kept with the word masked.
    set_policies(&app, &li, "mask", "off").await;
    let me = app
        .patch(
            "/api/v1/me",
            &json!({ "display_name": "小傻逼" }),
            Some(&han.access),
        )
        .await;
    assert_eq!(me.body["display_name"], "小**", "{:?}", me.body);
    let fields: Vec<String> = audit(&app, &li, "filter_hit")
        .await
        .iter()
        .map(|h| h["details"]["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        fields,
        [
            "display_name",
            "announcement",
            "bio",
            "topic_title",
            "room_description",
            "room_name"
        ]
    );
}

#[actix_web::test]
async fn imports_take_text_and_csv_and_refuse_bad_files() {
    let app = spawn_app().await;
    let (li, han, _room) = app.two_members().await;
    let made = app
        .post(
            "/api/v1/admin/filter/categories",
            &json!({ "name": "imported" }),
            Some(&li.access),
        )
        .await;
    let id = made.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/admin/filter/categories/{id}/import");
    let text = "# insults\n傻逼\n\n傻 逼\nBadWord\r\n!!!\n王八蛋\n";
    let imported = app
        .raw_as(&path, "text/plain; charset=utf-8", text.into(), &li.access)
        .await;
    assert_eq!(imported.status.as_u16(), 200, "{:?}", imported.body);
    assert_eq!(
        imported.body,
        json!({ "added": 3, "duplicates": 1, "skipped": 3 })
    );
    let csv = "word,note\n\"王八蛋\",again\n\"混, 蛋\",with a comma\n";
    let imported = app.raw_as(&path, "text/csv", csv.into(), &li.access).await;
    assert_eq!(
        imported.body,
        json!({ "added": 1, "duplicates": 1, "skipped": 0 })
    );
    let page = app
        .get(
            &format!("/api/v1/admin/filter/categories/{id}/words?query=%E7%8E%8B%E5%85%AB"),
            Some(&li.access),
        )
        .await;
    assert_eq!(
        page.body["words"].as_array().unwrap().len(),
        1,
        "{:?}",
        page.body
    );
    let lists = app
        .get("/api/v1/admin/filter/categories", Some(&li.access))
        .await;
    assert_eq!(lists.body[0]["words"], 4);

    // Bad files: nothing is added.
    let bad = app
        .raw_as(
            &path,
            "text/plain",
            vec![b'a', 0xff, 0xfe, b'\n'],
            &li.access,
        )
        .await;
    bad.assert(422, "validation_failed");
    assert_eq!(bad.field("file"), "invalid_chars");
    let long = format!("ok\n{}\n", "长".repeat(100));
    let bad = app
        .raw_as(&path, "text/plain", long.into(), &li.access)
        .await;
    bad.assert(422, "validation_failed");
    assert_eq!(bad.field("words[1]"), "length");
    let huge = vec![b'x'; 10 * 1024 * 1024];
    app.raw_as(&path, "text/plain", huge, &li.access)
        .await
        .assert(413, "payload_too_large");
    app.raw_as(&path, "application/json", b"[]".to_vec(), &li.access)
        .await
        .assert(415, "unsupported_media_type");
    app.raw_as(&path, "text/plain", b"x\n".to_vec(), &han.access)
        .await
        .assert(403, "forbidden");
    app.raw_as(
        "/api/v1/admin/filter/categories/999999/import",
        "text/plain",
        b"x\n".to_vec(),
        &li.access,
    )
    .await
    .assert(404, "not_found");
    let lists = app
        .get("/api/v1/admin/filter/categories", Some(&li.access))
        .await;
    assert_eq!(lists.body[0]["words"], 4);
    // Names: unique, required.
    app.post(
        "/api/v1/admin/filter/categories",
        &json!({ "name": "imported" }),
        Some(&li.access),
    )
    .await
    .assert(409, "name_taken");
    app.post(
        "/api/v1/admin/filter/categories",
        &json!({ "name": "  " }),
        Some(&li.access),
    )
    .await
    .assert(422, "validation_failed");
    // Deleting a list takes its words.
    let gone = app
        .delete(
            &format!("/api/v1/admin/filter/categories/{id}"),
            Some(&li.access),
        )
        .await;
    assert_eq!(gone.status.as_u16(), 204);
    let lists = app
        .get("/api/v1/admin/filter/categories", Some(&li.access))
        .await;
    assert_eq!(lists.body, json!([]));
}

#[actix_web::test]
async fn site_roles_moderators_and_the_last_admin() {
    let app = spawn_app().await;
    let (li, han, _room) = app.two_members().await;
    let me = app.me(&li.access).await;
    assert_eq!(me.body["role"], "admin", "the first account is an admin");
    // Anonymous and members are kept out.
    app.get("/api/v1/admin/filter/categories", None)
        .await
        .assert(401, "unauthenticated");
    for path in STAFF_READS {
        app.get(path, Some(&han.access))
            .await
            .assert(403, "forbidden");
    }
    set_role(&app, &han, li.id, "member")
        .await
        .assert(403, "forbidden");
    // The admin appoints a moderator, who reads but does not manage.
    let made = set_role(&app, &li, han.id, "moderator").await;
    assert_eq!(made.status.as_u16(), 200, "{:?}", made.body);
    assert_eq!(made.body["role"], "moderator");
    for path in STAFF_READS {
        let read = app.get(path, Some(&han.access)).await;
        assert_eq!(read.status.as_u16(), 200, "{path}: {:?}", read.body);
    }
    app.post(
        "/api/v1/admin/filter/categories",
        &json!({ "name": "mine" }),
        Some(&han.access),
    )
    .await
    .assert(403, "forbidden");
    app.put(
        "/api/v1/admin/filter/policies",
        &json!({ "default": "off", "minimum": "off" }),
        Some(&han.access),
    )
    .await
    .assert(403, "forbidden");
    set_role(&app, &han, li.id, "member")
        .await
        .assert(403, "forbidden");
    // The last admin stays one.
    set_role(&app, &li, li.id, "moderator")
        .await
        .assert(409, "last_admin");
    // With a second admin, the first may step down.
    set_role(&app, &li, han.id, "admin").await;
    let down = set_role(&app, &li, li.id, "member").await;
    assert_eq!(down.status.as_u16(), 200, "{:?}", down.body);
    app.get("/api/v1/admin/audit", Some(&li.access))
        .await
        .assert(403, "forbidden");
    set_role(&app, &han, 999_999, "member")
        .await
        .assert(404, "not_found");
    let roles = audit(&app, &han, "role_set").await;
    assert_eq!(roles.len(), 3);
    assert_eq!(roles[0]["target"]["id"], li.id);
    assert_eq!(
        roles[0]["details"],
        json!({ "from": "admin", "to": "member" })
    );
}

#[actix_web::test]
async fn deactivation_ends_sessions_and_sockets_at_once_and_login_is_refused() {
    let app = spawn_app().await;
    let (li, han, _room) = app.two_members().await;
    let zhang = app.user("zhang").await;
    let mut ws = app.ws(&han, json!([])).await;
    let deactivate = format!("/api/v1/admin/users/{}/deactivate", han.id);
    // Members cannot; a moderator cannot act on an admin; nobody on themselves.
    app.post(&deactivate, &json!({}), Some(&zhang.access))
        .await
        .assert(403, "forbidden");
    set_role(&app, &li, zhang.id, "moderator").await;
    app.post(
        &format!("/api/v1/admin/users/{}/deactivate", li.id),
        &json!({}),
        Some(&zhang.access),
    )
    .await
    .assert(403, "staff_protected");
    app.post(
        &format!("/api/v1/admin/users/{}/deactivate", li.id),
        &json!({}),
        Some(&li.access),
    )
    .await
    .assert(403, "forbidden");

    // A moderator deactivates a member who is online.
    let done = app.post(&deactivate, &json!({}), Some(&zhang.access)).await;
    assert_eq!(done.status.as_u16(), 204, "{:?}", done.body);
    let (frames, code) = ws.until_closed().await;
    let ended = frames
        .iter()
        .find(|f| f["type"] == "session_ended")
        .expect("session_ended before the close");
    assert_eq!(ended["reason"], "deactivated");
    assert!(code.is_some());
    app.me(&han.access).await.assert(401, "session_ended");
    let refresh = app.refresh(&han.refresh).await;
    refresh.assert(401, "session_ended");
    assert_eq!(refresh.body["details"]["reason"], "deactivated");
    app.login("hanmeimei", &han.password)
        .await
        .assert(403, "account_deactivated");
    // A wrong password learns nothing.
    app.login("hanmeimei", "not-the-password-at-all")
        .await
        .assert(401, "invalid_credentials");

    // Reactivated: in again.
    let back = app
        .post(
            &format!("/api/v1/admin/users/{}/reactivate", han.id),
            &json!({}),
            Some(&zhang.access),
        )
        .await;
    assert_eq!(back.status.as_u16(), 204);
    let login = app.login("hanmeimei", &han.password).await;
    assert_eq!(login.status.as_u16(), 200, "{:?}", login.body);

    // Force logout: the session ends, logging in again works.
    let access = login.body["access_token"].as_str().unwrap().to_owned();
    let out = app
        .post(
            &format!("/api/v1/admin/users/{}/logout", han.id),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(out.status.as_u16(), 204);
    app.me(&access).await.assert(401, "session_ended");
    assert_eq!(
        app.login("hanmeimei", &han.password).await.status.as_u16(),
        200
    );
    let actions: Vec<String> = audit(&app, &li, "")
        .await
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    for action in [
        "account_deactivated",
        "account_reactivated",
        "forced_logout",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}

#[actix_web::test]
async fn the_command_line_creates_accounts_resets_passwords_and_keeps_an_admin() {
    use teahouse::admin::cli;
    let app = spawn_app().await;
    let first = app.user("first").await;
    // A second connection, as `teahouse admin …` makes while the server runs.
    let db = teahouse::db::connect(&app.config.database_url())
        .await
        .unwrap();
    let out = cli::create_user(
        &db,
        &app.config,
        "boss",
        "boss@example.com",
        api::users::Role::Admin,
        None,
    )
    .await
    .unwrap();
    let password = out.split("temporary password: ").nth(1).unwrap().trim();
    let login = app.login("boss", password).await;
    assert_eq!(login.status.as_u16(), 200, "{:?}", login.body);
    assert_eq!(login.body["user"]["role"], "admin");
    // The rules of registration hold.
    let taken = cli::create_user(
        &db,
        &app.config,
        "BOSS",
        "other@example.com",
        api::users::Role::Member,
        None,
    )
    .await;
    assert!(matches!(
        taken,
        Err(teahouse::error::AppError::Taken { .. })
    ));
    let weak = cli::create_user(
        &db,
        &app.config,
        "weak",
        "weak@example.com",
        api::users::Role::Member,
        Some("password".into()),
    )
    .await;
    assert!(matches!(
        weak,
        Err(teahouse::error::AppError::Validation(_))
    ));

    // A reset: the old session's refresh ends, the new password works.
    let out = cli::reset_password(
        &db,
        &app.config,
        "first",
        Some("a-brand-new-tea-leaf".into()),
    )
    .await
    .unwrap();
    assert!(out.contains("1 sessions ended"), "{out}");
    let refresh = app.refresh(&first.refresh).await;
    refresh.assert(401, "session_ended");
    assert_eq!(refresh.body["details"]["reason"], "password_changed");
    app.login("first", &first.password)
        .await
        .assert(401, "invalid_credentials");
    let again = app.login("first", "a-brand-new-tea-leaf").await;
    assert_eq!(again.status.as_u16(), 200);
    let first = TestUser {
        access: again.body["access_token"].as_str().unwrap().to_owned(),
        ..first
    };

    // Two admins: one may be deactivated, never the last.
    cli::set_active(&db, &app.config, "boss", false)
        .await
        .unwrap();
    let last = cli::set_active(&db, &app.config, "first", false).await;
    assert!(
        matches!(&last, Err(e) if e.code() == api::ErrorCode::LastAdmin),
        "{last:?}"
    );
    let users = cli::list_users(&db).await.unwrap();
    assert!(
        users
            .lines()
            .any(|l| l.contains("boss") && l.ends_with("\tno")),
        "{users}"
    );
    let entries = audit(&app, &first, "account_created").await;
    assert_eq!(entries[0]["target"]["username"], "boss");
    assert!(entries[0]["actor"].is_null());
}

#[actix_web::test]
async fn the_example_lists_are_added_off_once_and_work_when_enabled() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    app.post(
        "/api/v1/admin/filter/examples",
        &json!({}),
        Some(&han.access),
    )
    .await
    .assert(403, "forbidden");
    let added = app
        .post(
            "/api/v1/admin/filter/examples",
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(added.status.as_u16(), 200, "{:?}", added.body);
    let lists = added.body.as_array().unwrap().clone();
    assert_eq!(lists.len(), 2);
    assert!(lists.iter().all(|l| l["enabled"] == false));
    assert!(lists.iter().all(|l| l["words"].as_i64().unwrap() >= 20));
    // Again: nothing new, nothing doubled.
    let again = app
        .post(
            "/api/v1/admin/filter/examples",
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(again.body, added.body);
    // Off, nothing matches; on, the insults list does.
    let insults = lists
        .iter()
        .find(|l| l["name"].as_str().unwrap().contains("insults"))
        .unwrap();
    let test = json!({ "text": "你这个 傻 逼" });
    let path = "/api/v1/admin/filter/test";
    let none = app.post(path, &test, Some(&li.access)).await;
    assert_eq!(none.body["hits"], json!([]));
    app.patch(
        &format!("/api/v1/admin/filter/categories/{}", insults["id"]),
        &json!({ "enabled": true }),
        Some(&li.access),
    )
    .await;
    let hit = app.post(path, &test, Some(&li.access)).await;
    assert_eq!(hit.body["hits"][0]["word"], "傻逼", "{:?}", hit.body);
    // And in a room whose policy blocks, the message is refused.
    app.put(
        "/api/v1/admin/filter/policies",
        &json!({ "default": "block", "minimum": "off" }),
        Some(&li.access),
    )
    .await;
    app.say(&han, room.default_post, "你这个傻逼")
        .await
        .assert(422, "content_blocked");
}
