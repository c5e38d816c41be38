//! Login throttling per account and address, rate limits, socket limits, and the server's
//! published rules.

use crate::helpers::{TestApp, spawn_app_with};
use serde_json::json;

fn login_body(login: &str, password: &str) -> serde_json::Value {
    json!({ "login": login, "password": password })
}

async fn login_from(app: &TestApp, ip: &str, login: &str, password: &str) -> u16 {
    app.post_from(ip, "/api/v1/auth/login", &login_body(login, password))
        .await
        .status
        .as_u16()
}

/// Someone guessing from one address slows only himself: the owner, from another,
/// logs in as usual. Forwarded addresses count only behind a configured proxy.
#[actix_web::test]
async fn a_guesser_cannot_lock_the_owner_out() {
    let app = spawn_app_with(|c| {
        c.trusted_proxies = vec!["127.0.0.1".into()];
        c.auth.login_burst = 3;
    })
    .await;
    let li = app.user("lilei").await;
    for _ in 0..3 {
        assert_eq!(
            login_from(&app, "6.6.6.6", "lilei", "wrong-guess").await,
            401
        );
    }
    let refused = app
        .post_from(
            "6.6.6.6",
            "/api/v1/auth/login",
            &login_body("lilei", "wrong-guess"),
        )
        .await;
    refused.assert(429, "rate_limited");
    let wait: u64 = refused
        .headers
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    assert_eq!(refused.body["details"]["retry_after"], wait);
    // Even the right password from the guesser's address waits…
    assert_eq!(
        login_from(&app, "6.6.6.6", "lilei", &li.password).await,
        429
    );
    // …but the owner elsewhere is not affected.
    assert_eq!(
        login_from(&app, "1.2.3.4", "lilei", &li.password).await,
        200
    );
}

#[actix_web::test]
async fn forged_forwarded_addresses_do_not_escape_the_throttle() {
    // No trusted proxy: X-Forwarded-For is the client's own word and is ignored.
    let app = spawn_app_with(|c| c.auth.login_burst = 3).await;
    app.user("lilei").await;
    for i in 0..3 {
        let ip = format!("10.0.0.{i}");
        assert_eq!(login_from(&app, &ip, "lilei", "wrong-guess").await, 401);
    }
    assert_eq!(
        login_from(&app, "10.0.0.99", "lilei", "wrong-guess").await,
        429
    );
}

#[actix_web::test]
async fn guessing_spread_over_many_addresses_meets_an_hourly_ceiling() {
    let app = spawn_app_with(|c| {
        c.trusted_proxies = vec!["127.0.0.0/8".into()];
        c.auth.login_account_per_hour = 5;
    })
    .await;
    app.user("lilei").await;
    for i in 0..5 {
        let ip = format!("203.0.113.{i}");
        assert_eq!(login_from(&app, &ip, "lilei", "wrong-guess").await, 401);
    }
    assert_eq!(
        login_from(&app, "203.0.113.77", "lilei", "wrong-guess").await,
        429
    );
    // Another account is not affected.
    app.user("hanmeimei").await;
    assert_eq!(
        login_from(&app, "203.0.113.77", "hanmeimei", "wrong-guess").await,
        401
    );
}

/// Every limit answers 429 `rate_limited` with `Retry-After`, per person; others go on.
#[actix_web::test]
async fn limits_per_person_answer_429_with_retry_after() {
    use teahouse::config::Rate;
    let slow = Rate {
        burst: 3,
        refill_ms: 60_000,
    };
    let app = spawn_app_with(|c| {
        c.limits.messages = slow;
        c.limits.rooms_created = slow;
        c.limits.friend_requests = slow;
        c.limits.uploads = slow;
    })
    .await;
    let (li, han, room) = app.two_members().await;
    // rooms_created: two_members made one room already.
    for name in ["Tea two", "Tea three"] {
        app.create_room(&li, name, "public").await;
    }
    let room_refused = app
        .post(
            "/api/v1/rooms",
            &json!({ "name": "Tea four", "visibility": "public" }),
            Some(&li.access),
        )
        .await;
    room_refused.assert(429, "rate_limited");
    assert!(room_refused.headers.contains_key("retry-after"));

    for i in 0..3 {
        let sent = app.say(&li, room.default_post, &format!("quick {i}")).await;
        assert_eq!(sent.status.as_u16(), 201, "{:?}", sent.body);
    }
    let refused = app.say(&li, room.default_post, "one too many").await;
    refused.assert(429, "rate_limited");
    assert!(refused.headers.contains_key("retry-after"));
    // Han is not slowed by Li.
    assert_eq!(
        app.say(&han, room.default_post, "hi").await.status.as_u16(),
        201
    );
    // Nothing refused was stored.
    let history = app.history(&han, room.default_post, "").await;
    assert!(
        !history.body.to_string().contains("one too many"),
        "{:?}",
        history.body
    );

    for name in ["a.txt", "b.txt", "c.txt"] {
        app.upload_ok(&li, name, b"tea").await;
    }
    app.upload(&li, "d.txt", b"tea")
        .await
        .assert(429, "rate_limited");

    for name in ["zhou", "wu", "zheng"] {
        let other = app.user(name).await;
        let asked = app
            .post(
                "/api/v1/friends/requests",
                &json!({ "user_id": other.id }),
                Some(&li.access),
            )
            .await;
        assert_eq!(asked.status.as_u16(), 200, "{:?}", asked.body);
    }
    let wang = app.user("wang").await;
    app.post(
        "/api/v1/friends/requests",
        &json!({ "user_id": wang.id }),
        Some(&li.access),
    )
    .await
    .assert(429, "rate_limited");
}

#[actix_web::test]
async fn registrations_are_limited_per_address() {
    let app = spawn_app_with(|c| {
        c.trusted_proxies = vec!["127.0.0.1".into()];
        c.limits.registrations.burst = 2;
    })
    .await;
    let register = |name: &str| json!({ "username": name, "email": format!("{name}@example.com"), "password": format!("{name}-drinks-green-tea") });
    for name in ["one", "two"] {
        let made = app
            .post_from("198.51.100.1", "/api/v1/auth/register", &register(name))
            .await;
        assert_eq!(made.status.as_u16(), 201, "{:?}", made.body);
    }
    app.post_from("198.51.100.1", "/api/v1/auth/register", &register("three"))
        .await
        .assert(429, "rate_limited");
    // Another address (another school) is not affected.
    let made = app
        .post_from("198.51.100.2", "/api/v1/auth/register", &register("three"))
        .await;
    assert_eq!(made.status.as_u16(), 201, "{:?}", made.body);
}

#[actix_web::test]
async fn sockets_are_limited_per_session() {
    let app = spawn_app_with(|c| c.limits.sockets_per_session = 2).await;
    let li = app.user("lilei").await;
    let _a = app.ws(&li, json!([])).await;
    let _b = app.ws(&li, json!([])).await;
    let mut third = crate::helpers::WsClient::unauthenticated(&app).await;
    third
        .send(json!({ "type": "auth", "token": li.access }))
        .await;
    let (frames, code) = third.until_closed().await;
    assert_eq!(frames[0]["type"], "error", "{frames:?}");
    assert_eq!(frames[0]["code"], "rate_limited");
    assert_eq!(code, Some(4029));
    // A closed socket gives its slot back (once the server has finished with it).
    _a.close().await;
    for attempt in 0.. {
        let mut again = crate::helpers::WsClient::unauthenticated(&app).await;
        again
            .send(json!({ "type": "auth", "token": li.access }))
            .await;
        let first = again.next().await;
        if first["type"] == "ready" {
            break;
        }
        assert_eq!(first["code"], "rate_limited", "{first}");
        assert!(attempt < 100, "the slot never came back");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// What clients need of the server's rules is published, so no client hard-codes it.
#[actix_web::test]
async fn the_server_publishes_its_rules() {
    let app = spawn_app_with(|c| c.recall_window_secs = 300).await;
    let info = app.get("/api/v1/server", None).await;
    assert_eq!(info.status.as_u16(), 200, "{:?}", info.body);
    assert_eq!(info.body["recall_window_secs"], 300);
    assert_eq!(info.body["message_max_chars"], 4000);
    assert_eq!(info.body["attachments_max"], 5);
    assert_eq!(info.body["registration"], "open");
    assert_eq!(info.body["session_policy"], "single");
    assert_eq!(info.body["max_upload_bytes"], 20 * 1024 * 1024);
    assert_eq!(info.body["limits"]["messages"]["burst"], 60);
    assert_eq!(info.body["limits"]["sockets_per_session"], 10);
}

/// The strength meter asks the server, which answers with the rule registration applies
/// (a common password is refused and never called strong), and counts the checks per
/// address.
#[actix_web::test]
async fn password_checks_give_the_registration_rule_and_are_limited() {
    let app = spawn_app_with(|c| {
        c.limits.password_checks = teahouse::config::Rate {
            burst: 4,
            refill_ms: 60_000,
        };
    })
    .await;
    let check = |password: &'static str, username: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/auth/password-check",
                &json!({ "password": password, "username": username }),
                None,
            )
            .await
        }
    };
    let common = check("password123", "").await;
    assert_eq!(common.status, 200, "{:?}", common.body);
    assert_eq!(common.body["problem"], "password_too_common");
    assert!(common.body["strength"].as_u64().unwrap() <= 1);
    let good = check("green-tea-at-dusk", "lilei").await;
    assert!(good.body.get("problem").is_none(), "{:?}", good.body);
    assert!(good.body["strength"].as_u64().unwrap() >= 3);
    assert_eq!(
        check("lilei-lilei", "lilei-lilei").await.body["problem"],
        "password_is_username"
    );
    assert_eq!(
        check("short", "").await.body["problem"],
        "password_too_short"
    );
    // The registration refuses exactly what the check refused.
    let refused = app
        .register(
            json!({ "username": "hanmeimei", "email": "h@example.com", "password": "password123" }),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.body["details"]["fields"]["password"],
        "password_too_common"
    );

    let limited = check("another-one", "").await;
    assert_eq!(limited.status, 429, "{:?}", limited.body);
    assert!(limited.headers.contains_key("retry-after"));
}
