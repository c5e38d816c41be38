//! A fresh server must answer its very first requests: migrations ran on connections that
//! then served requests with what they had cached before the schema changed, and a
//! registration right after start could fail with 500 (`Missing value for column
//! 'storage_used'`), now and then.

use crate::helpers::spawn_app;
use futures_util::future::join_all;

use serde_json::json;

/// Many fresh servers at once, each migrating its own new database and answering a burst
/// of registrations the moment it is up: every one must succeed.
#[actix_web::test]
async fn the_first_registrations_of_fresh_servers_succeed() {
    let apps = join_all((0..6).map(|_| spawn_app())).await;
    let attempts = apps.iter().flat_map(|app| {
        (0..6).map(move |i| async move {
            let name = format!("first{i}");
            let reply = app
                .register(json!({
                    "username": name,
                    "email": format!("{name}@example.com"),
                    "password": format!("{name}-drinks-green-tea"),
                }))
                .await;
            (reply.status.as_u16(), reply.body)
        })
    });
    for (status, body) in join_all(attempts).await {
        assert_eq!(status, 201, "{body:?}");
    }
}
