//! `/metrics`: off by default; with `metrics_token`, the figures for whoever has it.

use crate::helpers::*;
use serde_json::json;

/// The value of one sample line (`name value`), if present.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[actix_web::test]
async fn metrics_are_off_unless_a_token_is_set() {
    let app = spawn_app().await;
    assert_eq!(app.get("/metrics", None).await.status, 404);
    assert_eq!(app.get("/metrics", Some("anything")).await.status, 404);
}

#[actix_web::test]
async fn metrics_count_sockets_deliveries_sends_and_the_writer_for_the_token_holder() {
    let app = spawn_app_with(|c| {
        c.metrics_token = Some(teahouse::config::Secret("scrape-me-please".into()));
    })
    .await;
    app.get("/metrics", None)
        .await
        .assert(401, "unauthenticated");
    app.get("/metrics", Some("wrong"))
        .await
        .assert(401, "unauthenticated");
    let (li, han, room) = app.two_members().await;
    let mut han_ws = app.ws(&han, json!([])).await;
    app.say(&li, room.default_post, "counted").await;
    han_ws.next_of("event").await;
    app.history(&han, room.default_post, "").await;

    let scraped = app.get("/metrics", Some("scrape-me-please")).await;
    assert_eq!(scraped.status, 200);
    let content_type = scraped
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    let text = scraped.body.as_str().expect("text").to_owned();
    assert_eq!(sample(&text, "teahouse_sockets_open"), Some(1.0), "{text}");
    assert!(
        sample(&text, "teahouse_deliveries_total").unwrap() >= 1.0,
        "{text}"
    );
    assert_eq!(
        sample(&text, "teahouse_send_seconds_count"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "teahouse_history_seconds_count"),
        Some(1.0),
        "{text}"
    );
    assert!(
        sample(&text, "teahouse_writer_batch_size_count").unwrap() >= 1.0,
        "{text}"
    );
    assert!(
        sample(&text, "teahouse_db_pool_connections").unwrap() >= 1.0,
        "{text}"
    );
    assert_eq!(
        sample(&text, "teahouse_bus_connected"),
        Some(0.0),
        "no Redis: {text}"
    );
    assert!(text.trim_end().ends_with("# EOF"), "{text}");
}
