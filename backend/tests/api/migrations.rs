//! The audit migration cleans what earlier versions left: events of posts deleted before
//! it existed are erased from replays too.

use crate::helpers::spawn_app;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::json;

#[actix_web::test]
async fn the_migration_erases_events_of_posts_deleted_before_it() {
    let app = spawn_app().await;
    let (li, _han, room) = app.two_members().await;
    let post = app
        .post(
            &format!("/api/v1/rooms/{}/posts", room.id),
            &json!({ "title": "secret topic", "tags": [] }),
            Some(&li.access),
        )
        .await;
    let post_id = post.body["id"].as_i64().unwrap();
    app.say(&li, post_id, "secret text").await;
    app.say(&li, room.default_post, "kept text").await;

    // As an older server would have left it: the post deleted, its events still stored.
    let db = Database::connect(app.config.database_url()).await.unwrap();
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_string(
        backend,
        format!("DELETE FROM posts WHERE id = {post_id}"),
    ))
    .await
    .unwrap();
    // Back to before the audit migration (and whatever came after it).
    let since_audit = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name().contains("_audit"))
        .unwrap()
        + 1;
    Migrator::down(&db, Some(since_audit as u32)).await.unwrap();
    let payloads = |db: sea_orm::DatabaseConnection| async move {
        db.query_all_raw(Statement::from_string(
            backend,
            format!(
                "SELECT payload FROM room_events WHERE room_id = {} ORDER BY seq",
                room.id
            ),
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect::<Vec<_>>()
    };
    let before = payloads(db.clone()).await;
    assert!(
        before.iter().any(|p| p.contains("secret text")),
        "{before:?}"
    );

    Migrator::up(&db, None).await.unwrap();
    let after = payloads(db.clone()).await;
    assert_eq!(after.len(), before.len(), "seq stays gap-free");
    for payload in &after {
        assert!(!payload.contains("secret"), "{payload}");
    }
    let erased = after
        .iter()
        .filter(|p| p.contains(&format!("\"kind\":\"post_deleted\",\"post_id\":{post_id}")))
        .count();
    assert_eq!(erased, 2, "the post's creation and its message: {after:?}");
    assert!(after.iter().any(|p| p.contains("kept text")));
}
