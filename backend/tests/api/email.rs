//! E-mail through a real SMTP receiver (`mail_sink`): the code that confirms a new
//! account, "forgot password" by link, and moving an account to another address. Without
//! a mail server none of it is offered.

use crate::{
    helpers::{TestApp, TestUser, spawn_app, spawn_app_with},
    mail_sink::{MailSink, code_in},
};
use serde_json::json;
use teahouse::config::Secret;

async fn app_with_mail(sink: &MailSink) -> TestApp {
    let url = sink.smtp_url();
    spawn_app_with(move |c| {
        c.mail.smtp_url = Some(Secret(url));
        c.mail.public_url = Some("https://chat.example.com/".into());
    })
    .await
}

async fn require_verification(app: &TestApp, admin: &TestUser) {
    let on = app
        .patch(
            "/api/v1/admin/settings",
            &json!({ "require_email_verification": true }),
            Some(&admin.access),
        )
        .await;
    assert_eq!(on.status.as_u16(), 200, "{:?}", on.body);
    assert_eq!(on.body["require_email_verification"], true);
    assert_eq!(on.body["mail"], true);
}

fn bob() -> serde_json::Value {
    json!({ "username": "bob", "email": "bob@example.com", "password": "bob-drinks-green-tea" })
}

#[actix_web::test]
async fn without_a_mail_server_nothing_is_offered() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let info = app.get("/api/v1/server", None).await;
    assert_eq!(info.body["mail"], false);
    assert_eq!(info.body["email_verification"], false);
    app.patch(
        "/api/v1/admin/settings",
        &json!({ "require_email_verification": true }),
        Some(&admin.access),
    )
    .await
    .assert(403, "mail_disabled");
    app.post(
        "/api/v1/auth/password-reset",
        &json!({ "email": admin.email }),
        None,
    )
    .await
    .assert(403, "mail_disabled");
    app.post(
        "/api/v1/me/email",
        &json!({ "email": "new@example.com", "password": admin.password }),
        Some(&admin.access),
    )
    .await
    .assert(403, "mail_disabled");
    app.post(
        "/api/v1/auth/verify-email",
        &json!({ "login": "admin", "code": "123456" }),
        None,
    )
    .await
    .assert(403, "mail_disabled");
    // Registration logs in at once, as before.
    assert_eq!(app.register(bob()).await.status.as_u16(), 201);
}

#[actix_web::test]
async fn a_new_account_confirms_its_address_with_a_code() {
    let sink = MailSink::start();
    let app = app_with_mail(&sink).await;
    let admin = app.user("admin").await;
    let before = app.me(&admin.access).await;
    assert_eq!(before.body["email_verified"], false);
    require_verification(&app, &admin).await;
    assert_eq!(
        app.get("/api/v1/server", None).await.body["email_verification"],
        true
    );

    let pending = app.register(bob()).await;
    assert_eq!(pending.status.as_u16(), 202, "{:?}", pending.body);
    assert_eq!(pending.body["email"], "bob@example.com");
    assert!(pending.body.get("access_token").is_none());
    let mail = sink.next_to("bob@example.com").await;
    assert!(mail["subject"].as_str().unwrap().contains("Teahouse"));
    let code = code_in(&mail);

    // Not in until the address is confirmed (said only with the right password).
    app.login("bob", "bob-drinks-green-tea")
        .await
        .assert(403, "email_unverified");
    app.login("bob", "wrong-password-here")
        .await
        .assert(401, "invalid_credentials");

    let wrong = if code == "000000" { "000001" } else { "000000" };
    let tried = app
        .post(
            "/api/v1/auth/verify-email",
            &json!({ "login": "bob", "code": wrong }),
            None,
        )
        .await;
    tried.assert(403, "code_invalid");
    assert_eq!(tried.body["details"]["attempts_left"], 4);

    // Another code no sooner than a minute after the last.
    let again = app
        .post(
            "/api/v1/auth/verify-email/resend",
            &json!({ "login": "bob" }),
            None,
        )
        .await;
    again.assert(429, "rate_limited");
    assert!(again.headers.get("retry-after").is_some());

    let session = app
        .post(
            "/api/v1/auth/verify-email",
            &json!({ "login": "bob@example.com", "code": format!(" {code} ") }),
            None,
        )
        .await;
    assert_eq!(session.status.as_u16(), 200, "{:?}", session.body);
    assert_eq!(session.body["user"]["email_verified"], true);
    let access = session.body["access_token"].as_str().unwrap();
    assert_eq!(app.me(access).await.body["username"], "bob");

    // Used once.
    app.post(
        "/api/v1/auth/verify-email",
        &json!({ "login": "bob", "code": code }),
        None,
    )
    .await
    .assert(403, "code_expired");
    assert_eq!(
        app.login("bob", "bob-drinks-green-tea")
            .await
            .status
            .as_u16(),
        200
    );
    // An account confirmed (or made before the rule) asks for nothing; resend tells
    // nobody whether an account waits for a code.
    let resent = app
        .post(
            "/api/v1/auth/verify-email/resend",
            &json!({ "login": "nobody@example.com" }),
            None,
        )
        .await;
    assert_eq!(resent.status.as_u16(), 202);
    assert_eq!(resent.body["email"], "n***@example.com");
    assert_eq!(
        app.login(&admin.username, &admin.password)
            .await
            .status
            .as_u16(),
        200
    );
    assert_eq!(sink.count(), 1, "nothing mailed to nobody");
}

#[actix_web::test]
async fn a_code_runs_out_of_tries() {
    let sink = MailSink::start();
    let app = app_with_mail(&sink).await;
    let admin = app.user("admin").await;
    require_verification(&app, &admin).await;
    assert_eq!(app.register(bob()).await.status.as_u16(), 202);
    let code = code_in(&sink.next_to("bob@example.com").await);
    let wrong = if code == "999999" { "999998" } else { "999999" };
    for left in (0..5).rev() {
        let tried = app
            .post(
                "/api/v1/auth/verify-email",
                &json!({ "login": "bob", "code": wrong }),
                None,
            )
            .await;
        tried.assert(403, "code_invalid");
        assert_eq!(tried.body["details"]["attempts_left"], left);
    }
    // Even the right code is dead now: ask for another.
    app.post(
        "/api/v1/auth/verify-email",
        &json!({ "login": "bob", "code": code }),
        None,
    )
    .await
    .assert(403, "code_expired");
}

#[actix_web::test]
async fn when_the_code_cannot_be_mailed_no_account_is_left_behind() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = spawn_app_with(move |c| {
        c.mail.smtp_url = Some(Secret(format!("smtp://127.0.0.1:{port}")));
        c.mail.timeout_secs = 3;
    })
    .await;
    let admin = app.user("admin").await;
    require_verification(&app, &admin).await;
    app.register(bob()).await.assert(503, "mail_unavailable");
    // Not `username_taken`: the attempt left nothing.
    app.register(bob()).await.assert(503, "mail_unavailable");
}

#[actix_web::test]
async fn a_forgotten_password_is_reset_by_a_link_that_works_once() {
    let sink = MailSink::start();
    let app = app_with_mail(&sink).await;
    let li = app.user("li").await;
    let mut ws = app.ws(&li, json!([])).await;

    for email in ["nobody@example.com", "LI@example.com"] {
        let asked = app
            .post(
                "/api/v1/auth/password-reset",
                &json!({ "email": email }),
                None,
            )
            .await;
        assert_eq!(asked.status.as_u16(), 202, "{:?}", asked.body);
    }
    let mail = sink.next_to("li@example.com").await;
    let text = mail["text"].as_str().unwrap();
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with("https://chat.example.com/reset-password?token="))
        .unwrap_or_else(|| panic!("a link in {text}"));
    let token = link.split_once("token=").unwrap().1;

    app.post(
        "/api/v1/auth/password-reset/confirm",
        &json!({ "token": token, "new_password": "123456789" }),
        None,
    )
    .await
    .assert(422, "validation_failed");
    app.post(
        "/api/v1/auth/password-reset/confirm",
        &json!({ "token": "not-a-token", "new_password": "a new pot of oolong" }),
        None,
    )
    .await
    .assert(403, "reset_link_invalid");
    let reset = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            &json!({ "token": token, "new_password": "a new pot of oolong" }),
            None,
        )
        .await;
    assert_eq!(reset.status.as_u16(), 204, "{:?}", reset.body);

    // Whoever was logged in is out, live.
    let ended = ws.next_of("session_ended").await;
    assert_eq!(ended["reason"], "password_changed");
    app.refresh(&li.refresh).await.assert(401, "session_ended");
    app.login("li", &li.password)
        .await
        .assert(401, "invalid_credentials");
    let back = app.login("li", "a new pot of oolong").await;
    assert_eq!(back.status.as_u16(), 200);
    assert_eq!(back.body["user"]["email_verified"], true);
    // Once only.
    app.post(
        "/api/v1/auth/password-reset/confirm",
        &json!({ "token": token, "new_password": "yet another pot of tea" }),
        None,
    )
    .await
    .assert(403, "reset_link_invalid");
    assert_eq!(sink.count(), 1, "nothing mailed for an unknown address");
}

#[actix_web::test]
async fn the_address_changes_only_with_the_code_sent_to_the_new_one() {
    let sink = MailSink::start();
    let app = app_with_mail(&sink).await;
    let li = app.user("li").await;
    let han = app.user("han").await;
    let change = |email: &str, password: &str| json!({ "email": email, "password": password });
    app.post(
        "/api/v1/me/email",
        &change("li.lei@example.org", "not my password"),
        Some(&li.access),
    )
    .await
    .assert(403, "wrong_password");
    app.post(
        "/api/v1/me/email",
        &change(&han.email, &li.password),
        Some(&li.access),
    )
    .await
    .assert(409, "email_taken");
    app.post(
        "/api/v1/me/email",
        &change("not an address", &li.password),
        Some(&li.access),
    )
    .await
    .assert(422, "validation_failed");
    let sent = app
        .post(
            "/api/v1/me/email",
            &change("li.lei@example.org", &li.password),
            Some(&li.access),
        )
        .await;
    assert_eq!(sent.status.as_u16(), 202, "{:?}", sent.body);
    let code = code_in(&sink.next_to("li.lei@example.org").await);

    // The code is bound to the person: someone else cannot use it.
    app.post(
        "/api/v1/me/email/confirm",
        &json!({ "code": code }),
        Some(&han.access),
    )
    .await
    .assert(403, "code_expired");
    let wrong = if code == "111111" { "111112" } else { "111111" };
    app.post(
        "/api/v1/me/email/confirm",
        &json!({ "code": wrong }),
        Some(&li.access),
    )
    .await
    .assert(403, "code_invalid");
    assert_eq!(app.me(&li.access).await.body["email"], "li@example.com");

    let moved = app
        .post(
            "/api/v1/me/email/confirm",
            &json!({ "code": code }),
            Some(&li.access),
        )
        .await;
    assert_eq!(moved.status.as_u16(), 200, "{:?}", moved.body);
    assert_eq!(moved.body["email"], "li.lei@example.org");
    assert_eq!(moved.body["email_verified"], true);
    // The old address hears of it.
    let notice = sink.next_to("li@example.com").await;
    assert!(
        notice["text"]
            .as_str()
            .unwrap()
            .contains("li.lei@example.org")
    );
    assert_eq!(
        app.login("li.lei@example.org", &li.password)
            .await
            .status
            .as_u16(),
        200
    );
    app.login("li@example.com", &li.password)
        .await
        .assert(401, "invalid_credentials");
}
