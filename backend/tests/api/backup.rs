//! `teahouse admin backup` while the server runs, and `restore` into a new data directory
//! and database: everyone can log in again and finds their messages and files.

use crate::helpers::{fresh_database_url, spawn_app, spawn_app_on};
use serde_json::json;

#[actix_web::test]
async fn a_backup_taken_while_chatting_restores_messages_files_and_logins() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let file = app
        .upload_ok(&han, "notes.txt", b"the minutes of the tea club")
        .await;
    let sent = app
        .send_files(&han, room.default_post, "minutes attached", &[&file])
        .await;
    assert_eq!(sent.status.as_u16(), 201, "{:?}", sent.body);
    app.say(&li, room.default_post, "before the backup").await;

    // Taken while the server runs and people write.
    let backup_dir = tempfile::tempdir().unwrap();
    let dest = backup_dir.path().join("copy");
    let writer = {
        let (address, post, access) = (app.address.clone(), room.default_post, li.access.clone());
        actix_web::rt::spawn(async move {
            let client = awc::Client::default();
            for i in 0..20 {
                let _ = client
                    .post(format!("{address}/api/v1/posts/{post}/messages"))
                    .bearer_auth(&access)
                    .send_json(&json!({ "client_id": uuid::Uuid::new_v4().to_string(), "body": format!("during {i}") }))
                    .await;
            }
        })
    };
    let out = teahouse::admin::backup::backup(&app.config, &dest).await;
    writer.await.unwrap();
    let out = out.expect("backup");
    assert!(out.contains("backup of the"), "{out}");
    // Into a directory that is not empty: refused.
    let again = teahouse::admin::backup::backup(&app.config, &dest).await;
    assert!(again.unwrap_err().contains("not empty"));
    app.say(&li, room.default_post, "after the backup").await;

    // Restored somewhere else.
    let data_dir = tempfile::tempdir().unwrap();
    let mut config = app.config.clone();
    config.data_dir = data_dir.path().to_owned();
    config.static_dir = data_dir.path().join("no-spa");
    config.database_url = Some(fresh_database_url(data_dir.path()).await);
    let restored = teahouse::admin::backup::restore(&config, &dest, false).await;
    let restored = restored.expect("restore");
    assert!(restored.contains("restored"), "{restored}");
    if config.database_url().starts_with("sqlite") {
        // Over an existing database only with --force.
        let twice = teahouse::admin::backup::restore(&config, &dest, false).await;
        assert!(twice.unwrap_err().contains("--force"));
    }
    let copy = spawn_app_on(config, data_dir).await;
    let login = copy.login("hanmeimei", &han.password).await;
    assert_eq!(login.status.as_u16(), 200, "{:?}", login.body);
    let access = login.body["access_token"].as_str().unwrap().to_owned();
    let page = copy
        .get(
            &format!("/api/v1/posts/{}/messages?limit=100", room.default_post),
            Some(&access),
        )
        .await;
    let bodies: Vec<String> = page.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["body"].as_str().map(str::to_owned))
        .collect();
    assert!(
        bodies.contains(&"minutes attached".to_owned()),
        "{bodies:?}"
    );
    assert!(bodies.contains(&"before the backup".to_owned()));
    assert!(!bodies.contains(&"after the backup".to_owned()));
    // Every message the copy holds is whole: no gap in what was sent during the backup.
    let during: Vec<&String> = bodies.iter().filter(|b| b.starts_with("during")).collect();
    for (i, b) in during.iter().enumerate() {
        assert_eq!(**b, format!("during {i}"), "{during:?}");
    }
    let download = copy
        .fetch(&format!("/api/v1/files/{file}"), Some(&access), &[])
        .await;
    assert_eq!(download.status, 200);
    assert_eq!(download.bytes, b"the minutes of the tea club");
    // The old access token still verifies: the key came along.
    let me = copy.me(&li.access).await;
    assert_eq!(me.status.as_u16(), 200, "{:?}", me.body);
}
