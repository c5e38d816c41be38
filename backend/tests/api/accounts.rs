//! Registration and login.

use crate::helpers::{spawn_app, spawn_app_with};
use serde_json::json;

#[actix_web::test]
async fn registration_logs_in_and_the_first_account_is_admin() {
    let app = spawn_app().await;
    let reply = app
        .register(json!({ "username": "LiLei", "email": "LiLei@Example.com", "phone": "+86 138 0013 8000", "password": "green-tea-at-dusk" }))
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{:?}", reply.body);
    let body = &reply.body;
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_u64().unwrap() > 0);
    assert_eq!(body["user"]["username"], "LiLei");
    assert_eq!(body["user"]["email"], "LiLei@Example.com");
    assert_eq!(body["user"]["phone"], "+8613800138000");
    assert_eq!(body["user"]["role"], "admin");
    assert_eq!(body["user"]["gender"], "unspecified");

    let second = app.user("hanmeimei").await;
    let me = app.me(&second.access).await;
    assert_eq!(me.body["role"], "member");
    assert_eq!(me.body["username"], "hanmeimei");
}

#[actix_web::test]
async fn every_rule_has_its_own_field_code() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({ "username": "x", "email": "a@b.cn", "password": "green-tea-at-dusk" }),
            "username",
            "length",
        ),
        (
            json!({ "username": "x".repeat(33), "email": "a@b.cn", "password": "green-tea-at-dusk" }),
            "username",
            "length",
        ),
        (
            json!({ "username": "li lei", "email": "a@b.cn", "password": "green-tea-at-dusk" }),
            "username",
            "invalid_chars",
        ),
        (
            json!({ "username": "", "email": "a@b.cn", "password": "green-tea-at-dusk" }),
            "username",
            "required",
        ),
        (
            json!({ "username": "lilei", "email": "not-an-email", "password": "green-tea-at-dusk" }),
            "email",
            "invalid_email",
        ),
        (
            json!({ "username": "lilei", "email": "a@b.cn", "phone": "call me", "password": "green-tea-at-dusk" }),
            "phone",
            "invalid_phone",
        ),
        (
            json!({ "username": "lilei", "email": "a@b.cn", "password": "short" }),
            "password",
            "password_too_short",
        ),
        (
            json!({ "username": "lilei", "email": "a@b.cn", "password": "x".repeat(129) }),
            "password",
            "password_too_long",
        ),
        (
            json!({ "username": "lilei", "email": "a@b.cn", "password": "password123" }),
            "password",
            "password_too_common",
        ),
        (
            json!({ "username": "lilei-teahouse", "email": "a@b.cn", "password": "LILEI-TEAHOUSE" }),
            "password",
            "password_is_username",
        ),
    ];
    for (body, field, code) in cases {
        let reply = app.register(body.clone()).await;
        reply.assert(422, "validation_failed");
        assert_eq!(reply.field(field), code, "{body} → {:?}", reply.body);
    }
    // Several problems are reported together.
    let reply = app
        .register(json!({ "username": "x", "email": "nope", "password": "short" }))
        .await;
    reply.assert(422, "validation_failed");
    assert_eq!(
        reply.body["details"]["fields"].as_object().unwrap().len(),
        3
    );
    // Nothing was created by any of it.
    app.login("lilei", "green-tea-at-dusk")
        .await
        .assert(401, "invalid_credentials");
}

#[actix_web::test]
async fn cjk_usernames_work() {
    let app = spawn_app().await;
    let user = app.user("茶馆老板").await;
    let reply = app.login("茶馆老板", &user.password).await;
    assert_eq!(reply.status.as_u16(), 200, "{:?}", reply.body);
}

#[actix_web::test]
async fn duplicates_are_conflicts_ignoring_case_and_width() {
    let app = spawn_app().await;
    app.register(json!({ "username": "LiLei", "email": "li@example.com", "phone": "13800138000", "password": "green-tea-at-dusk" }))
        .await;
    let cases = [
        (
            json!({ "username": "lilei", "email": "other@example.com", "password": "green-tea-at-dusk" }),
            "username_taken",
            "username",
        ),
        (
            json!({ "username": "ＬｉＬｅｉ", "email": "other@example.com", "password": "green-tea-at-dusk" }),
            "username_taken",
            "username",
        ),
        (
            json!({ "username": "other", "email": "LI@EXAMPLE.COM", "password": "green-tea-at-dusk" }),
            "email_taken",
            "email",
        ),
        (
            json!({ "username": "other", "email": "other@example.com", "phone": "138-0013-8000", "password": "green-tea-at-dusk" }),
            "phone_taken",
            "phone",
        ),
    ];
    for (body, code, field) in cases {
        let reply = app.register(body).await;
        reply.assert(409, code);
        assert_eq!(reply.field(field), "taken");
    }
}

#[actix_web::test]
async fn login_by_username_or_email() {
    let app = spawn_app().await;
    let user = app.user("lilei").await;
    for login in ["lilei", "LILEI", "lilei@example.com", " LiLei@Example.com "] {
        let reply = app.login(login, &user.password).await;
        assert_eq!(reply.status.as_u16(), 200, "{login}: {:?}", reply.body);
        assert_eq!(reply.body["user"]["id"], user.id);
        let me = app.me(reply.body["access_token"].as_str().unwrap()).await;
        assert_eq!(me.status.as_u16(), 200);
    }
}

#[actix_web::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let app = spawn_app().await;
    let user = app.user("lilei").await;
    let wrong = app.login("lilei", "not-the-password").await;
    let unknown = app.login("nobody", "not-the-password").await;
    wrong.assert(401, "invalid_credentials");
    unknown.assert(401, "invalid_credentials");
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(
        app.login("lilei", &user.password).await.status.as_u16(),
        200
    );
}

#[actix_web::test]
async fn failed_logins_are_throttled_per_account_with_retry_after() {
    let app = spawn_app_with(|c| {
        c.auth.login_burst = 3;
        c.auth.login_refill_secs = 60;
    })
    .await;
    let user = app.user("lilei").await;
    let other = app.user("hanmeimei").await;
    for _ in 0..3 {
        app.login("lilei", "guess-guess-guess")
            .await
            .assert(401, "invalid_credentials");
    }
    let limited = app.login("lilei", &user.password).await;
    limited.assert(429, "rate_limited");
    let retry_after: u64 = limited
        .headers
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_eq!(limited.body["details"]["retry_after"], retry_after);
    // The email address is the same account.
    app.login("LILEI@example.com", &user.password)
        .await
        .assert(429, "rate_limited");
    // Other accounts are untouched.
    assert_eq!(
        app.login("hanmeimei", &other.password)
            .await
            .status
            .as_u16(),
        200
    );
}

/// A name must show something, and a name that looks like a taken one is taken.
#[actix_web::test]
async fn blank_and_look_alike_usernames_are_refused() {
    let app = crate::helpers::spawn_app().await;
    let register = |name: &str, email: &str| serde_json::json!({ "username": name, "email": email, "password": "a-long-tea-leaf-42" });
    for blank in ["\u{3164}\u{3164}", "\u{115F}\u{115F}\u{115F}", "ab\u{200B}"] {
        let reply = app.register(register(blank, "blank@example.com")).await;
        reply.assert(422, "validation_failed");
        assert_eq!(reply.field("username"), "invalid_chars", "{blank:?}");
    }
    let paypal = app.register(register("paypal", "real@example.com")).await;
    assert_eq!(paypal.status.as_u16(), 201, "{:?}", paypal.body);
    for (i, fake) in ["p\u{430}ypal", "PAYPA1", "ｐａｙｐａｌ"]
        .iter()
        .enumerate()
    {
        let reply = app
            .register(register(fake, &format!("fake{i}@example.com")))
            .await;
        reply.assert(409, "username_taken");
    }
    let other = app.register(register("paypa", "other@example.com")).await;
    assert_eq!(other.status.as_u16(), 201, "{:?}", other.body);

    // Display names may be freer, but never look empty.
    let token = paypal.body["access_token"].as_str().unwrap();
    for blank in ["\u{3164}", "\u{2800}\u{2800}", "\u{200B}\u{200D}"] {
        let reply = app
            .patch(
                "/api/v1/me",
                &serde_json::json!({ "display_name": blank }),
                Some(token),
            )
            .await;
        reply.assert(422, "validation_failed");
        assert_eq!(reply.field("display_name"), "invisible", "{blank:?}");
    }
    let named = app
        .patch(
            "/api/v1/me",
            &serde_json::json!({ "display_name": "Pay 🍵" }),
            Some(token),
        )
        .await;
    assert_eq!(named.status.as_u16(), 200, "{:?}", named.body);
}
