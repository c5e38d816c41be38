//! Sessions: refresh rotation and reuse detection, logout, the single-session policy,
//! password change.

use crate::helpers::{spawn_app, spawn_app_with};
use serde_json::json;
use teahouse::config::SessionPolicy;

#[actix_web::test]
async fn refresh_rotates_and_reuse_ends_the_session() {
    let app = spawn_app_with(|c| c.auth.refresh_reuse_grace_secs = 0).await;
    let user = app.user("lilei").await;

    let first = app.refresh(&user.refresh).await;
    assert_eq!(first.status.as_u16(), 200, "{:?}", first.body);
    let access = first.body["access_token"].as_str().unwrap().to_owned();
    let refresh = first.body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(refresh, user.refresh);
    assert_eq!(app.me(&access).await.status.as_u16(), 200);

    // Chain once more: the newest token works.
    let second = app.refresh(&refresh).await;
    assert_eq!(second.status.as_u16(), 200);
    let newest_access = second.body["access_token"].as_str().unwrap().to_owned();
    let newest_refresh = second.body["refresh_token"].as_str().unwrap().to_owned();

    // Someone replays the first token: the session ends for everyone holding it.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    app.refresh(&user.refresh)
        .await
        .assert(401, "refresh_token_reused");
    app.me(&newest_access).await.assert(401, "session_ended");
    app.refresh(&newest_refresh)
        .await
        .assert(401, "session_ended");
}

#[actix_web::test]
async fn a_token_reused_within_the_grace_period_is_honoured() {
    let app = spawn_app_with(|c| c.auth.refresh_reuse_grace_secs = 30).await;
    let user = app.user("lilei").await;
    // Two tabs refresh with the same token at the same moment.
    let a = app.refresh(&user.refresh).await;
    let b = app.refresh(&user.refresh).await;
    assert_eq!(a.status.as_u16(), 200);
    assert_eq!(b.status.as_u16(), 200, "{:?}", b.body);
    assert_eq!(
        app.me(a.body["access_token"].as_str().unwrap())
            .await
            .status
            .as_u16(),
        200
    );
    assert_eq!(
        app.me(b.body["access_token"].as_str().unwrap())
            .await
            .status
            .as_u16(),
        200
    );
}

/// Within the grace a second presentation gets the same successor, never a second chain:
/// one of the two tabs' successors being used makes the other's a reuse, like any token.
#[actix_web::test]
async fn a_token_presented_twice_never_forks_the_session() {
    let app = spawn_app_with(|c| c.auth.refresh_reuse_grace_secs = 30).await;
    let user = app.user("lilei").await;
    // At the same moment, and once more after.
    let (a, b) = futures_util::join!(app.refresh(&user.refresh), app.refresh(&user.refresh));
    let c = app.refresh(&user.refresh).await;
    for reply in [&a, &b, &c] {
        assert_eq!(reply.status.as_u16(), 200, "{:?}", reply.body);
    }
    let successor = a.body["refresh_token"].as_str().unwrap();
    assert_ne!(successor, user.refresh);
    assert_eq!(b.body["refresh_token"], successor);
    assert_eq!(c.body["refresh_token"], successor);

    // The chain goes on from the one successor, and only once.
    let next = app.refresh(successor).await;
    assert_eq!(next.status.as_u16(), 200, "{:?}", next.body);
    let next_token = next.body["refresh_token"].as_str().unwrap();
    assert_ne!(next_token, successor);
    let again = app.refresh(successor).await;
    assert_eq!(
        again.body["refresh_token"], next_token,
        "same successor again"
    );
    assert_eq!(app.refresh(next_token).await.status.as_u16(), 200);
}

#[actix_web::test]
async fn unknown_refresh_tokens_are_refused() {
    let app = spawn_app().await;
    app.refresh("not-a-token")
        .await
        .assert(401, "invalid_refresh_token");
    app.refresh("").await.assert(401, "invalid_refresh_token");
}

#[actix_web::test]
async fn logout_ends_the_session_at_once() {
    let app = spawn_app().await;
    let user = app.user("lilei").await;
    assert_eq!(app.logout(&user.refresh).await.status.as_u16(), 204);
    app.me(&user.access).await.assert(401, "session_ended");
    let refused = app.refresh(&user.refresh).await;
    refused.assert(401, "session_ended");
    assert_eq!(refused.body["details"]["reason"], "logout");
    // Twice is fine, and so is nonsense.
    assert_eq!(app.logout(&user.refresh).await.status.as_u16(), 204);
    assert_eq!(app.logout("nonsense").await.status.as_u16(), 204);
}

#[actix_web::test]
async fn logout_with_the_access_token() {
    let app = spawn_app().await;
    let user = app.user("lilei").await;
    let reply = app
        .post(
            "/api/v1/auth/logout/session",
            &json!({}),
            Some(&user.access),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 204);
    app.me(&user.access).await.assert(401, "session_ended");
    app.post("/api/v1/auth/logout/session", &json!({}), None)
        .await
        .assert(401, "unauthenticated");
}

#[actix_web::test]
async fn a_new_login_ends_the_old_session() {
    let app = spawn_app().await;
    let user = app.user("lilei").await;
    let second = app.login("lilei", &user.password).await;
    assert_eq!(second.status.as_u16(), 200);
    app.me(&user.access).await.assert(401, "session_ended");
    // The refresh says why, for a client whose socket did not get to.
    let refused = app.refresh(&user.refresh).await;
    refused.assert(401, "session_ended");
    assert_eq!(refused.body["details"]["reason"], "replaced");
    let new_access = second.body["access_token"].as_str().unwrap();
    assert_eq!(app.me(new_access).await.status.as_u16(), 200);
}

#[actix_web::test]
async fn the_multi_policy_keeps_sessions_side_by_side() {
    let app = spawn_app_with(|c| c.auth.session_policy = SessionPolicy::Multi).await;
    let user = app.user("lilei").await;
    let second = app.login("lilei", &user.password).await;
    assert_eq!(second.status.as_u16(), 200);
    assert_eq!(app.me(&user.access).await.status.as_u16(), 200);
    assert_eq!(
        app.me(second.body["access_token"].as_str().unwrap())
            .await
            .status
            .as_u16(),
        200
    );
}

#[actix_web::test]
async fn changing_the_password_ends_the_other_sessions() {
    let app = spawn_app_with(|c| c.auth.session_policy = SessionPolicy::Multi).await;
    let user = app.user("lilei").await;
    let phone = app.login("lilei", &user.password).await;
    let phone_access = phone.body["access_token"].as_str().unwrap();

    let change =
        |current: &str, new: &str| json!({ "current_password": current, "new_password": new });
    app.post(
        "/api/v1/me/password",
        &change("wrong-password-here", "new-oolong-leaves"),
        Some(&user.access),
    )
    .await
    .assert(403, "wrong_password");
    let weak = app
        .post(
            "/api/v1/me/password",
            &change(&user.password, "password"),
            Some(&user.access),
        )
        .await;
    weak.assert(422, "validation_failed");
    assert_eq!(weak.field("new_password"), "password_too_common");
    app.post("/api/v1/me/password", &change(&user.password, "x"), None)
        .await
        .assert(401, "unauthenticated");

    let ok = app
        .post(
            "/api/v1/me/password",
            &change(&user.password, "new-oolong-leaves"),
            Some(&user.access),
        )
        .await;
    assert_eq!(ok.status.as_u16(), 204, "{:?}", ok.body);
    assert_eq!(
        app.me(&user.access).await.status.as_u16(),
        200,
        "this session stays"
    );
    app.me(phone_access).await.assert(401, "session_ended");
    app.login("lilei", &user.password)
        .await
        .assert(401, "invalid_credentials");
    assert_eq!(
        app.login("lilei", "new-oolong-leaves")
            .await
            .status
            .as_u16(),
        200
    );
}

#[actix_web::test]
async fn forged_and_expired_access_tokens_are_refused() {
    let app = spawn_app_with(|c| c.auth.access_token_ttl_secs = 1).await;
    let user = app.user("lilei").await;
    app.me("not.a.jwt").await.assert(401, "invalid_token");
    let mut tampered = user.access.clone();
    tampered.pop();
    tampered.push(if user.access.ends_with('A') { 'B' } else { 'A' });
    app.me(&tampered).await.assert(401, "invalid_token");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    app.me(&user.access).await.assert(401, "token_expired");
    // The refresh token still brings the session back.
    assert_eq!(app.refresh(&user.refresh).await.status.as_u16(), 200);
}

#[actix_web::test]
async fn the_signing_key_survives_a_restart() {
    let first = spawn_app().await;
    let key_path = first.config.data_dir.join("jwt_secret");
    let key = std::fs::read_to_string(&key_path).unwrap();
    assert!(key.len() >= 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key_path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let user = first.user("lilei").await;
    // A second server on the same data dir and database accepts the first one's tokens.
    let config = first.config.clone();
    let second = teahouse::startup::Application::build(teahouse::config::Config {
        bind: "127.0.0.1:0".into(),
        ..config
    })
    .await
    .unwrap();
    let port = second.port();
    actix_web::rt::spawn(second.run_until_stopped());
    let res = awc::Client::default()
        .get(format!("http://127.0.0.1:{port}/api/v1/me"))
        .bearer_auth(&user.access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(std::fs::read_to_string(&key_path).unwrap(), key);
}

#[actix_web::test]
async fn concurrent_logins_never_fail_with_a_locked_database() {
    let app = spawn_app().await;
    let mut users = Vec::new();
    for i in 0..6 {
        users.push(app.user(&format!("racer{i}")).await);
    }
    // Every login ends the account's other sessions: many writers at once.
    let mut attempts = Vec::new();
    for round in 0..5 {
        for user in &users {
            attempts.push(app.login(&user.username, &user.password));
            let _ = round;
        }
    }
    let replies = futures_util::future::join_all(attempts).await;
    for reply in replies {
        assert_eq!(reply.status.as_u16(), 200, "{:?}", reply.body);
    }
}
