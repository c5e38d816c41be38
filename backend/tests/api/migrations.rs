//! Migrations that fix what earlier versions left: events of posts deleted before the
//! audit migration are erased from replays too; messages sent before `messages.files`
//! are counted.

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

/// `messages.files` lets a history page skip the attachments query; messages sent before
/// the column existed are counted by its migration, so their files still show.
#[actix_web::test]
async fn messages_sent_before_the_files_count_keep_their_attachments() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let one = app.upload_ok(&li, "one.txt", b"1").await;
    let (two, three) = (
        app.upload_ok(&li, "two.txt", b"2").await,
        app.upload_ok(&li, "three.txt", b"3").await,
    );
    for sent in [
        app.send_files(&li, room.default_post, "with one", &[&one])
            .await,
        app.send_files(&li, room.default_post, "with two", &[&two, &three])
            .await,
    ] {
        assert_eq!(sent.status.as_u16(), 201, "{:?}", sent.body);
    }
    app.say(&li, room.default_post, "plain").await;

    let db = Database::connect(app.config.database_url()).await.unwrap();
    let backend = db.get_database_backend();
    let counts = |db: sea_orm::DatabaseConnection| async move {
        db.query_all_raw(Statement::from_string(
            backend,
            format!(
                "SELECT files FROM messages WHERE post_id = {} AND kind = 'text' ORDER BY id",
                room.default_post
            ),
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.try_get_by_index::<i32>(0).unwrap())
        .collect::<Vec<_>>()
    };
    assert_eq!(counts(db.clone()).await, [1, 2, 0], "counted at send");

    // As an older server left them: no count. The migration counts them.
    Migrator::down(&db, Some(1)).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(
        counts(db.clone()).await,
        [1, 2, 0],
        "counted by the migration"
    );

    let page = app
        .get(
            &format!("/api/v1/posts/{}/messages", room.default_post),
            Some(&han.access),
        )
        .await;
    let files: Vec<usize> = page.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "text")
        .map(|m| m["attachments"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(files, [1, 2, 0], "{:?}", page.body);
}
