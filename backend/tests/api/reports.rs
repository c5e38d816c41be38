//! Reports end to end: a member reports a message, staff work the queue (context,
//! dismiss, remove, silence, deactivate), reporters learn the outcome live and later.

use crate::helpers::{TestApp, TestUser, spawn_app};
use serde_json::{Value, json};

async fn report(app: &TestApp, who: &TestUser, message: i64, body: Value) -> crate::helpers::Reply {
    app.post(
        &format!("/api/v1/messages/{message}/report"),
        &body,
        Some(&who.access),
    )
    .await
}

#[actix_web::test]
async fn a_report_goes_to_the_queue_and_the_reporter_learns_the_outcome() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let zhang = app.user("zhang").await;
    let wang = app.user("wang").await;
    app.join(&zhang, &room).await;
    app.join(&wang, &room).await;
    app.put(
        &format!("/api/v1/admin/users/{}/role", wang.id),
        &json!({ "role": "moderator" }),
        Some(&li.access),
    )
    .await;
    let before = app.say(&zhang, room.default_post, "hello all").await;
    let bad = app
        .say(&zhang, room.default_post, "you are all idiots")
        .await;
    let after = app.say(&li, room.default_post, "please be kind").await;
    let bad_id = bad.body["id"].as_i64().unwrap();

    // Who may report what.
    let outsider = app.user("outsider").await;
    report(&app, &outsider, bad_id, json!({ "reason": "abuse" }))
        .await
        .assert(404, "not_found");
    report(&app, &zhang, bad_id, json!({ "reason": "abuse" }))
        .await
        .assert(422, "self_not_allowed");
    report(&app, &han, bad_id, json!({ "reason": "rude" }))
        .await
        .assert(400, "malformed_json");
    report(
        &app,
        &han,
        bad_id,
        json!({ "reason": "abuse", "note": "x".repeat(501) }),
    )
    .await
    .assert(422, "validation_failed");
    report(&app, &han, 999_999, json!({ "reason": "spam" }))
        .await
        .assert(404, "not_found");
    app.post(
        &format!("/api/v1/messages/{bad_id}/report"),
        &json!({ "reason": "spam" }),
        None,
    )
    .await
    .assert(401, "unauthenticated");

    let made = report(
        &app,
        &han,
        bad_id,
        json!({ "reason": "abuse", "note": "insults everyone" }),
    )
    .await;
    assert_eq!(made.status.as_u16(), 201, "{:?}", made.body);
    assert_eq!(made.body["status"], "open");
    // Again: the same report, nothing new.
    let again = report(&app, &han, bad_id, json!({ "reason": "spam" })).await;
    assert_eq!(again.status.as_u16(), 200);
    assert_eq!(again.body["id"], made.body["id"]);
    assert_eq!(again.body["reason"], "abuse");
    let second = report(&app, &li, bad_id, json!({ "reason": "abuse" })).await;
    assert_eq!(second.status.as_u16(), 201);

    // The queue: staff only.
    app.get("/api/v1/admin/reports", Some(&han.access))
        .await
        .assert(403, "forbidden");
    let queue = app.get("/api/v1/admin/reports", Some(&wang.access)).await;
    assert_eq!(queue.status.as_u16(), 200, "{:?}", queue.body);
    let reports = queue.body["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    let first = reports
        .iter()
        .find(|r| r["id"] == made.body["id"])
        .unwrap()
        .clone();
    assert_eq!(first["reporter"]["id"], han.id);
    assert_eq!(first["author"]["id"], zhang.id);
    assert_eq!(first["note"], "insults everyone");
    assert_eq!(first["message"]["body"], "you are all idiots");
    assert_eq!(first["room_name"], "Tea club");
    assert_eq!(first["others"], 1);
    let board = app.get("/api/v1/admin/dashboard", Some(&wang.access)).await;
    assert_eq!(board.body["open_reports"], 2);

    // The message in its context.
    let report_id = first["id"].as_i64().unwrap();
    let context = app
        .get(
            &format!("/api/v1/admin/reports/{report_id}/context"),
            Some(&wang.access),
        )
        .await;
    assert_eq!(context.status.as_u16(), 200, "{:?}", context.body);
    let ids: Vec<&Value> = context.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["id"])
        .collect();
    let at = ids.iter().position(|id| **id == bad_id).unwrap();
    assert_eq!(*ids[at - 1], before.body["id"]);
    assert_eq!(*ids[at + 1], after.body["id"]);

    // Remove and silence: both reporters are told, the room sees the recall and the
    // silence, the author cannot send.
    let mut han_ws = app.ws(&han, json!([])).await;
    let mut li_ws = app.ws(&li, json!([])).await;
    let resolve = format!("/api/v1/admin/reports/{report_id}/resolve");
    app.post(
        &resolve,
        &json!({ "action": "silence", "seconds": 0 }),
        Some(&wang.access),
    )
    .await
    .assert(422, "validation_failed");
    app.post(&resolve, &json!({ "action": "ban" }), Some(&wang.access))
        .await
        .assert(400, "malformed_json");
    app.post(&resolve, &json!({ "action": "dismiss" }), Some(&han.access))
        .await
        .assert(403, "forbidden");
    let done = app
        .post(
            &resolve,
            &json!({ "action": "silence", "seconds": 3600, "remove": true }),
            Some(&wang.access),
        )
        .await;
    assert_eq!(done.status.as_u16(), 200, "{:?}", done.body);
    assert_eq!(done.body["status"], "silenced");
    assert_eq!(done.body["resolved_by"]["id"], wang.id);
    assert!(done.body["message"]["body"].is_null());
    let told = han_ws.next_of("report_resolved").await;
    assert_eq!(told["report"]["id"], report_id);
    assert_eq!(told["report"]["status"], "silenced");
    let told = li_ws.next_of("report_resolved").await;
    assert_eq!(told["report"]["id"], second.body["id"]);
    app.say(&zhang, room.default_post, "sorry")
        .await
        .assert(403, "silenced");
    let mine = app.get("/api/v1/reports", Some(&han.access)).await;
    assert_eq!(mine.body[0]["status"], "silenced");
    assert!(mine.body[0]["resolved_at"].is_string());
    // Both reports left the queue; a second resolution changes nothing.
    let queue = app.get("/api/v1/admin/reports", Some(&wang.access)).await;
    assert_eq!(queue.body["reports"], json!([]));
    let closed = app
        .get("/api/v1/admin/reports?status=closed", Some(&wang.access))
        .await;
    assert_eq!(closed.body["reports"].as_array().unwrap().len(), 2);
    let twice = app
        .post(
            &resolve,
            &json!({ "action": "dismiss" }),
            Some(&wang.access),
        )
        .await;
    assert_eq!(twice.body["status"], "silenced");
    app.get("/api/v1/admin/reports?status=maybe", Some(&wang.access))
        .await
        .assert(400, "bad_request");
    let log = app
        .get(
            "/api/v1/admin/audit?action=report_resolved",
            Some(&li.access),
        )
        .await;
    assert_eq!(log.body["entries"].as_array().unwrap().len(), 1);
    assert_eq!(log.body["entries"][0]["details"]["outcome"], "silenced");
    assert_eq!(log.body["entries"][0]["details"]["reports"], 2);
}

#[actix_web::test]
async fn dismissing_keeps_the_message_and_deactivating_follows_the_staff_rules() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let wang = app.user("wang").await;
    app.join(&wang, &room).await;
    app.put(
        &format!("/api/v1/admin/users/{}/role", wang.id),
        &json!({ "role": "moderator" }),
        Some(&li.access),
    )
    .await;
    let fine = app.say(&han, room.default_post, "a matter of taste").await;
    let made = report(
        &app,
        &wang,
        fine.body["id"].as_i64().unwrap(),
        json!({ "reason": "other" }),
    )
    .await;
    let dismissed = app
        .post(
            &format!("/api/v1/admin/reports/{}/resolve", made.body["id"]),
            &json!({ "action": "dismiss" }),
            Some(&wang.access),
        )
        .await;
    assert_eq!(dismissed.body["status"], "dismissed");
    assert_eq!(dismissed.body["message"]["body"], "a matter of taste");

    // A report on the admin: a moderator may not act on them (only dismiss).
    let by_admin = app.say(&li, room.default_post, "rules are rules").await;
    let on_admin = report(
        &app,
        &han,
        by_admin.body["id"].as_i64().unwrap(),
        json!({ "reason": "abuse" }),
    )
    .await;
    for action in [
        json!({ "action": "deactivate", "remove": true }),
        json!({ "action": "silence", "seconds": 600 }),
        json!({ "action": "remove" }),
    ] {
        app.post(
            &format!("/api/v1/admin/reports/{}/resolve", on_admin.body["id"]),
            &action,
            Some(&wang.access),
        )
        .await
        .assert(403, "staff_protected");
    }
    // Refused: the message is still there.
    let page = app.history(&han, room.default_post, "").await;
    assert!(
        page.body["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["body"] == "rules are rules")
    );

    // A member's spam: deactivated, every session ended.
    let spam = app.say(&han, room.default_post, "cheap watches").await;
    let on_spam = report(
        &app,
        &wang,
        spam.body["id"].as_i64().unwrap(),
        json!({ "reason": "spam" }),
    )
    .await;
    let mut han_ws = app.ws(&han, json!([])).await;
    let done = app
        .post(
            &format!("/api/v1/admin/reports/{}/resolve", on_spam.body["id"]),
            &json!({ "action": "deactivate" }),
            Some(&wang.access),
        )
        .await;
    assert_eq!(done.status.as_u16(), 200, "{:?}", done.body);
    assert_eq!(done.body["status"], "deactivated");
    assert_eq!(done.body["message"]["body"], "cheap watches", "not removed");
    let (frames, _) = han_ws.until_closed().await;
    assert!(frames.iter().any(|f| f["reason"] == "deactivated"));
    app.login("hanmeimei", &han.password)
        .await
        .assert(403, "account_deactivated");
}

/// Two moderators acting on one report at the same moment: one resolution wins and the
/// other changes nothing. Before, both acted: a report could say "dismissed" over a
/// message the other had removed.
#[actix_web::test]
async fn two_moderators_resolving_at_once_do_one_thing() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let zhang = app.user("zhang").await;
    let wang = app.user("wang").await;
    app.join(&zhang, &room).await;
    app.put(
        &format!("/api/v1/admin/users/{}/role", wang.id),
        &json!({ "role": "moderator" }),
        Some(&li.access),
    )
    .await;
    for round in 0..8 {
        let bad = app
            .say(&zhang, room.default_post, &format!("rude thing {round}"))
            .await;
        let made = report(
            &app,
            &han,
            bad.body["id"].as_i64().unwrap(),
            json!({ "reason": "abuse" }),
        )
        .await;
        let resolve = format!("/api/v1/admin/reports/{}/resolve", made.body["id"]);
        let remove = json!({ "action": "remove" });
        let dismiss = json!({ "action": "dismiss" });
        let (a, b) = tokio::join!(
            app.post(&resolve, &remove, Some(&li.access)),
            app.post(&resolve, &dismiss, Some(&wang.access)),
        );
        assert_eq!(a.status.as_u16(), 200, "{:?}", a.body);
        assert_eq!(b.status.as_u16(), 200, "{:?}", b.body);
        // As it stands now, whoever won.
        let now = app.post(&resolve, &dismiss, Some(&wang.access)).await;
        let status = now.body["status"].as_str().unwrap();
        assert!(status == "removed" || status == "dismissed", "{status}");
        assert_eq!(
            status == "removed",
            now.body["message"]["body"].is_null(),
            "round {round}: {:?}",
            now.body
        );
    }
    let resolved = app
        .get(
            "/api/v1/admin/audit?action=report_resolved",
            Some(&li.access),
        )
        .await;
    assert_eq!(resolved.body["entries"].as_array().unwrap().len(), 8);
}
