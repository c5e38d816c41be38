//! Message search on a fixed corpus, on both databases: Chinese of any length, English
//! words and phrases, the usual forms folded, changes seen at once, and nobody finding
//! what they may not read.

use crate::helpers::{TestApp, TestUser};
use serde_json::{Value, json};

fn encoded(q: &str) -> String {
    q.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn search(app: &TestApp, who: &TestUser, query: &str) -> crate::helpers::Reply {
    app.get(
        &format!("/api/v1/search/messages?{query}"),
        Some(&who.access),
    )
    .await
}

/// The bodies found for `q`, newest first.
async fn found(app: &TestApp, who: &TestUser, q: &str) -> Vec<String> {
    let reply = search(app, who, &format!("q={}", encoded(q))).await;
    assert_eq!(reply.status.as_u16(), 200, "{q}: {:?}", reply.body);
    reply.body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["message"]["body"].as_str().unwrap().to_owned())
        .collect()
}

const CORPUS: &[&str] = &[
    "我家在上海东边",
    "明天去北京开会",
    "上海的天气很好",
    "臺灣的茶很好喝",
    "我们用 Rust 写服务器",
    "ＦＵＬＬ　ＷＩＤＴＨ letters",
    "Meet at the tea house at five",
    "the house is green, not the tea",
    "e-mail me at noon",
    "东",
];

#[actix_web::test]
async fn finds_chinese_of_any_length_and_english_words() {
    let app = crate::helpers::spawn_app().await;
    let (li, han, room) = app.two_members().await;
    for text in CORPUS {
        let sent = app.say(&li, room.default_post, text).await;
        assert_eq!(sent.status.as_u16(), 201, "{:?}", sent.body);
    }
    // Two characters inside a longer run, the case other products miss.
    assert_eq!(
        found(&app, &han, "上海").await,
        ["上海的天气很好", "我家在上海东边"]
    );
    // One character: wherever it stands, alone or inside a run.
    assert_eq!(found(&app, &han, "东").await, ["东", "我家在上海东边"]);
    // Longer: the pairs in a row, not just the characters anywhere.
    assert_eq!(found(&app, &han, "上海东边").await, ["我家在上海东边"]);
    assert!(found(&app, &han, "上边").await.is_empty());
    // Traditional finds simplified and the reverse.
    assert_eq!(found(&app, &han, "台湾").await, ["臺灣的茶很好喝"]);
    assert_eq!(found(&app, &han, "東邊").await, ["我家在上海东边"]);
    // Mixed Chinese and English, case folded.
    assert_eq!(found(&app, &han, "rust").await, ["我们用 Rust 写服务器"]);
    assert_eq!(found(&app, &han, "用 RUST").await, ["我们用 Rust 写服务器"]);
    // Full-width Latin is the same letters.
    assert_eq!(
        found(&app, &han, "full width").await,
        ["ＦＵＬＬ　ＷＩＤＴＨ letters"]
    );
    assert_eq!(
        found(&app, &han, "ｌｅｔｔｅｒｓ").await,
        ["ＦＵＬＬ　ＷＩＤＴＨ letters"]
    );
    // Words anywhere, a quoted phrase in order, an exclusion.
    assert_eq!(
        found(&app, &han, "tea house").await,
        [
            "the house is green, not the tea",
            "Meet at the tea house at five"
        ]
    );
    assert_eq!(
        found(&app, &han, "\"tea house\"").await,
        ["Meet at the tea house at five"]
    );
    assert_eq!(
        found(&app, &han, "tea -green").await,
        ["Meet at the tea house at five"]
    );
    assert_eq!(found(&app, &han, "e-mail").await, ["e-mail me at noon"]);

    // What matched, as byte ranges into the text.
    let reply = search(&app, &han, &format!("q={}", encoded("上海"))).await;
    let hit = &reply.body["hits"][1];
    assert_eq!(hit["message"]["body"], "我家在上海东边");
    assert_eq!(hit["highlights"], json!([[9, 15]]));
    assert_eq!(hit["room_name"], "Tea club");
    assert_eq!(hit["post_title"], "", "the default topic");
}

#[actix_web::test]
async fn pages_filters_and_changes_are_seen_at_once() {
    let app = crate::helpers::spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let other = app.create_room(&li, "Other room", "public").await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let sent = app
            .say(&li, room.default_post, &format!("oolong number {n}"))
            .await;
        ids.push(sent.body["id"].as_i64().unwrap());
    }
    app.join(&han, &other).await;
    app.say(&han, other.default_post, "oolong elsewhere").await;

    // Pages, newest first.
    let first = search(&app, &han, "q=oolong&limit=4").await;
    assert_eq!(first.body["hits"].as_array().unwrap().len(), 4);
    assert_eq!(first.body["hits"][0]["message"]["body"], "oolong elsewhere");
    let next = first.body["next_before"].as_i64().unwrap();
    let second = search(&app, &han, &format!("q=oolong&limit=4&before={next}")).await;
    let bodies: Vec<&str> = second.body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["message"]["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["oolong number 1", "oolong number 0"]);
    assert!(second.body.get("next_before").is_none());
    // One room.
    let one = search(&app, &han, &format!("q=oolong&room_id={}", other.id)).await;
    assert_eq!(one.body["hits"].as_array().unwrap().len(), 1);

    // An edit is found by its new text only; a recall is gone at once.
    let edited = app
        .patch(
            &format!("/api/v1/messages/{}", ids[4]),
            &json!({ "body": "now about pu-erh" }),
            Some(&li.access),
        )
        .await;
    assert_eq!(edited.status.as_u16(), 200, "{:?}", edited.body);
    assert_eq!(found(&app, &han, "erh").await, ["now about pu-erh"]);
    assert!(
        !found(&app, &han, "oolong")
            .await
            .iter()
            .any(|b| b.contains('4'))
    );
    let recalled = app
        .post(
            &format!("/api/v1/messages/{}/recall", ids[3]),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(recalled.status.as_u16(), 200, "{:?}", recalled.body);
    assert_eq!(found(&app, &han, "oolong number").await.len(), 3);

    // A deleted room takes its messages out of every search.
    app.delete(&format!("/api/v1/rooms/{}", other.id), Some(&li.access))
        .await;
    assert!(
        !found(&app, &han, "oolong")
            .await
            .contains(&"oolong elsewhere".to_owned())
    );
}

#[actix_web::test]
async fn nobody_finds_what_they_may_not_read() {
    let app = crate::helpers::spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let stranger = app.user("stranger").await;
    app.say(&li, room.default_post, "the secret is jasmine")
        .await;
    assert!(found(&app, &stranger, "jasmine").await.is_empty());
    search(&app, &stranger, &format!("q=jasmine&room_id={}", room.id))
        .await
        .assert(404, "not_found");
    assert_eq!(found(&app, &han, "jasmine").await.len(), 1);
    // Someone who left finds nothing of the room any more.
    let left = app
        .post(
            &format!("/api/v1/rooms/{}/leave", room.id),
            &json!({}),
            Some(&han.access),
        )
        .await;
    assert_eq!(left.status.as_u16(), 204, "{:?}", left.body);
    assert!(found(&app, &han, "jasmine").await.is_empty());
    app.get("/api/v1/search/messages?q=jasmine", None)
        .await
        .assert(401, "unauthenticated");
}

#[actix_web::test]
async fn any_query_is_only_text() {
    let app = crate::helpers::spawn_app().await;
    let (li, _han, room) = app.two_members().await;
    app.say(&li, room.default_post, "a near and far tea, 100% sure")
        .await;
    for q in [
        "%",
        "_",
        "*",
        "\"",
        "\"\"",
        "NEAR(tea far)",
        "tea AND far",
        "a & b | !c:*",
        "^tea",
        "tea:*",
        "-",
        "--tea",
        "'",
        "\\",
        "(((",
        "!!!",
        "ｔｅａ)",
        "100%",
    ] {
        let reply = search(&app, &li, &format!("q={}", encoded(q))).await;
        assert_eq!(reply.status.as_u16(), 200, "{q}: {:?}", reply.body);
    }
    assert_eq!(found(&app, &li, "NEAR").await.len(), 1);
    assert_eq!(found(&app, &li, "100%").await.len(), 1);
    search(&app, &li, "q=")
        .await
        .assert(422, "validation_failed");
    search(&app, &li, "q=%20%20")
        .await
        .assert(422, "validation_failed");
    search(&app, &li, &format!("q={}", "a".repeat(201)))
        .await
        .assert(422, "validation_failed");
    search(&app, &li, &format!("q={}", encoded(&"茶".repeat(200)))).await;
    search(&app, &li, "q=tea&limit=abc")
        .await
        .assert(400, "bad_request");
    let _: Value = search(&app, &li, "q=tea&limit=1000").await.body;
}

/// Messages from before the index existed are indexed from start, in batches, and the
/// backfill goes on where it stopped.
#[actix_web::test]
async fn older_messages_are_indexed_by_the_backfill() {
    use sea_orm::ConnectionTrait;
    let app = crate::helpers::spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let sent = app
            .say(&li, room.default_post, &format!("older 龙井 message {n}"))
            .await;
        ids.push(sent.body["id"].as_i64().unwrap());
    }
    let recalled = app
        .post(
            &format!("/api/v1/messages/{}/recall", ids[0]),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(recalled.status.as_u16(), 200);
    // As if written before the index: no rows, no progress.
    let db = app.database().await;
    teahouse::search::index::remove(&db, &ids).await.unwrap();
    db.execute_unprepared("DELETE FROM server_settings WHERE key = 'search_index'")
        .await
        .unwrap();
    assert!(found(&app, &han, "龙井").await.is_empty());

    teahouse::search::backfill::fill(&db).await.unwrap();
    assert_eq!(
        found(&app, &han, "龙井").await,
        ["older 龙井 message 2", "older 龙井 message 1"]
    );
    // Done once: again changes nothing, and nothing is indexed twice.
    teahouse::search::backfill::fill(&db).await.unwrap();
    assert_eq!(found(&app, &han, "龙井").await.len(), 2);
}

/// `teahouse admin reindex`: the index emptied and built again from every message (a
/// recalled one stays out), with the count, the time and the size said.
#[actix_web::test]
async fn reindex_builds_the_index_again() {
    let app = crate::helpers::spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let mut ids = Vec::new();
    for text in ["普洱 from before", "普洱 recalled", "普洱 kept"] {
        let sent = app.say(&li, room.default_post, text).await;
        ids.push(sent.body["id"].as_i64().unwrap());
    }
    let recalled = app
        .post(
            &format!("/api/v1/messages/{}/recall", ids[1]),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(recalled.status.as_u16(), 200);
    let db = app.database().await;
    // An index that lost a row (as after a tokeniser change, or damage).
    teahouse::search::index::remove(&db, &ids[..1])
        .await
        .unwrap();
    assert_eq!(found(&app, &han, "普洱").await, ["普洱 kept"]);

    let said = teahouse::search::backfill::rebuild(&db).await.unwrap();
    assert_eq!(
        found(&app, &han, "普洱").await,
        ["普洱 kept", "普洱 from before"]
    );
    // Every message not recalled, whoever's room (the two members' join notices have no
    // text and no row).
    assert!(said.starts_with("indexed "), "{said}");
    assert!(said.contains("index in all: "), "{said}");
    assert!(!said.contains("(0 bytes)"), "{said}");
    // New messages are still indexed as they come.
    app.say(&li, room.default_post, "普洱 after").await;
    assert_eq!(found(&app, &han, "普洱").await.len(), 3);
}

/// Files sent before file search existed get their names cut at start, as people's and
/// rooms' pinyin does (the backfill read them and wrote nothing).
#[actix_web::test]
async fn older_files_are_found_after_the_backfill() {
    use sea_orm::ConnectionTrait;
    let app = crate::helpers::spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let notes = app.upload_ok(&han, "龙井采购清单.txt", b"list").await;
    app.send_files(&han, room.default_post, "files", &[&notes])
        .await;
    // As if uploaded before the column existed.
    let db = app.database().await;
    db.execute_unprepared("UPDATE files SET name_terms = NULL")
        .await
        .unwrap();
    let url = format!("/api/v1/search/files?q={}", encoded("采购"));
    let count = |reply: crate::helpers::Reply| reply.body["files"].as_array().unwrap().len();
    assert_eq!(count(app.get(&url, Some(&li.access)).await), 0);

    teahouse::search::backfill::sounds(&db).await.unwrap();
    assert_eq!(count(app.get(&url, Some(&li.access)).await), 1);
}

/// People and rooms are found by the pinyin of their Chinese names, full or initials.
#[actix_web::test]
async fn people_and_rooms_are_found_by_pinyin() {
    let app = crate::helpers::spawn_app().await;
    let li = app.user("lilei").await;
    let han = app.user("hanmeimei").await;
    let named = app
        .patch(
            "/api/v1/me",
            &json!({ "display_name": "韩梅梅" }),
            Some(&han.access),
        )
        .await;
    assert_eq!(named.status.as_u16(), 200, "{:?}", named.body);
    let chinese = app.user("张三").await;
    for q in ["hmm", "hanmei", "HanMeiMei"] {
        let found = app
            .get(&format!("/api/v1/users?query={q}"), Some(&li.access))
            .await;
        assert_eq!(found.status.as_u16(), 200, "{q}: {:?}", found.body);
        let names: Vec<&str> = found
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["user"]["username"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["hanmeimei"], "{q}");
    }
    let found = app
        .get("/api/v1/users?query=zhangsan", Some(&li.access))
        .await;
    assert_eq!(found.body[0]["user"]["id"], chinese.id);

    let room = app.create_room(&li, "龙井茶社", "public").await;
    for q in ["longjing", "ljcs", "龙井"] {
        let found = app
            .get(
                &format!("/api/v1/rooms/discover?query={}", encoded(q)),
                Some(&han.access),
            )
            .await;
        assert_eq!(found.status.as_u16(), 200, "{q}: {:?}", found.body);
        assert_eq!(found.body[0]["id"], room.id, "{q}: {:?}", found.body);
    }
}

/// Filters: the author, a time range, and messages with files or images.
#[actix_web::test]
async fn filters_by_author_time_and_files() {
    let app = crate::helpers::spawn_app().await;
    let (li, han, room) = app.two_members().await;
    app.say(&li, room.default_post, "puer from li").await;
    app.say(&han, room.default_post, "puer from han").await;
    let note = app.upload_ok(&han, "notes.txt", b"tasting notes").await;
    let photo = app
        .upload_ok(&han, "cup.png", &crate::files::png(8, 8))
        .await;
    let sent = app
        .send_files(&han, room.default_post, "puer notes attached", &[&note])
        .await;
    assert_eq!(sent.status.as_u16(), 201, "{:?}", sent.body);
    let sent = app
        .send_files(&han, room.default_post, "puer in my cup", &[&photo])
        .await;
    assert_eq!(sent.status.as_u16(), 201, "{:?}", sent.body);

    let bodies = |reply: crate::helpers::Reply| -> Vec<String> {
        assert_eq!(reply.status.as_u16(), 200, "{:?}", reply.body);
        reply.body["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["message"]["body"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        bodies(search(&app, &li, &format!("q=puer&author_id={}", li.id)).await),
        ["puer from li"]
    );
    assert_eq!(
        bodies(search(&app, &li, "q=puer&has=file").await),
        ["puer in my cup", "puer notes attached"]
    );
    assert_eq!(
        bodies(search(&app, &li, "q=puer&has=image").await),
        ["puer in my cup"]
    );
    assert_eq!(
        bodies(
            search(
                &app,
                &li,
                "q=puer&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z"
            )
            .await
        )
        .len(),
        4
    );
    assert!(bodies(search(&app, &li, "q=puer&from=2100-01-01T00:00:00Z").await).is_empty());
    assert!(bodies(search(&app, &li, "q=puer&to=2000-01-01T00:00:00Z").await).is_empty());
    search(&app, &li, "q=puer&from=yesterday")
        .await
        .assert(400, "bad_request");
    search(&app, &li, "q=puer&has=video")
        .await
        .assert(400, "bad_request");
}

/// Files by name, with the same tokeniser: Chinese inside a name, the start of a word,
/// images or other files; never from a room one is not in, nor of a recalled message.
#[actix_web::test]
async fn files_are_found_by_name() {
    let app = crate::helpers::spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let stranger = app.user("stranger").await;
    let report = app
        .upload_ok(&han, "上海会议纪要2026.txt", b"minutes")
        .await;
    let photo = app
        .upload_ok(&han, "上海外滩.png", &crate::files::png(8, 8))
        .await;
    let other = app.upload_ok(&han, "budget-report.txt", b"numbers").await;
    app.send_files(&han, room.default_post, "files", &[&report, &photo])
        .await;
    let sent = app
        .send_files(&han, room.default_post, "more", &[&other])
        .await;
    let names = |reply: crate::helpers::Reply| -> Vec<String> {
        assert_eq!(reply.status.as_u16(), 200, "{:?}", reply.body);
        reply.body["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["file"]["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let files = |q: &str| format!("/api/v1/search/files?q={}", encoded(q));
    assert_eq!(
        names(app.get(&files("上海"), Some(&li.access)).await),
        ["上海会议纪要2026.txt", "上海外滩.png"]
    );
    assert_eq!(
        names(app.get(&files("会议"), Some(&li.access)).await),
        ["上海会议纪要2026.txt"]
    );
    assert_eq!(
        names(app.get(&files("rep"), Some(&li.access)).await),
        ["budget-report.txt"]
    );
    assert_eq!(
        names(
            app.get(&format!("{}&kind=image", files("上海")), Some(&li.access))
                .await
        ),
        ["上海外滩.png"]
    );
    assert_eq!(
        names(app.get(&files("上海 -外滩"), Some(&li.access)).await),
        ["上海会议纪要2026.txt"]
    );
    // Paging keeps a message's files together.
    let first = app
        .get(&format!("{}&limit=1", files("txt")), Some(&li.access))
        .await;
    assert_eq!(
        names(
            app.get(&format!("{}&limit=1", files("txt")), Some(&li.access))
                .await
        ),
        ["budget-report.txt"]
    );
    let before = first.body["next_before"].as_i64().unwrap();
    assert_eq!(
        names(
            app.get(
                &format!("{}&limit=1&before={before}", files("txt")),
                Some(&li.access)
            )
            .await
        ),
        ["上海会议纪要2026.txt"]
    );
    assert!(names(app.get(&files("上海"), Some(&stranger.access)).await).is_empty());
    // A recalled message takes its files out of the search.
    app.post(
        &format!("/api/v1/messages/{}/recall", sent.body["id"]),
        &json!({}),
        Some(&han.access),
    )
    .await;
    assert!(names(app.get(&files("budget"), Some(&li.access)).await).is_empty());
    app.get(&files(""), Some(&li.access))
        .await
        .assert(422, "validation_failed");
    for q in ["%", "_", "\\", "100%"] {
        let reply = app.get(&files(q), Some(&li.access)).await;
        assert_eq!(reply.status.as_u16(), 200, "{q}: {:?}", reply.body);
    }
}

/// Best match first, on request: the message that says it most comes first.
#[actix_web::test]
async fn best_match_first_on_request() {
    let app = crate::helpers::spawn_app().await;
    let (li, han, room) = app.two_members().await;
    app.say(&li, room.default_post, "oolong oolong oolong, all oolong")
        .await;
    app.say(&li, room.default_post, "a long day, then oolong")
        .await;
    assert_eq!(
        found(&app, &han, "oolong").await,
        [
            "a long day, then oolong",
            "oolong oolong oolong, all oolong"
        ]
    );
    let best = search(&app, &han, "q=oolong&order=relevance&limit=1").await;
    assert_eq!(best.status.as_u16(), 200, "{:?}", best.body);
    assert_eq!(
        best.body["hits"][0]["message"]["body"],
        "oolong oolong oolong, all oolong"
    );
    assert!(best.body.get("next_before").is_none());
    search(&app, &han, "q=oolong&order=random")
        .await
        .assert(400, "bad_request");
}

/// The rows of the index and of SQLite's queue (PostgreSQL has no queue) for `id`.
async fn index_rows(db: &sea_orm::DatabaseConnection, id: i64) -> (i64, i64) {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let backend = db.get_database_backend();
    let count = |sql: &str| {
        let sql = sql.to_owned();
        async move {
            db.query_one_raw(Statement::from_sql_and_values(backend, sql, [id.into()]))
                .await
                .unwrap()
                .unwrap()
                .try_get_by_index::<i64>(0)
                .unwrap()
        }
    };
    match backend {
        DbBackend::Postgres => (
            count("SELECT COUNT(*) FROM message_index WHERE message_id = $1").await,
            0,
        ),
        _ => (
            count("SELECT COUNT(*) FROM message_index WHERE rowid = ?").await,
            count("SELECT COUNT(*) FROM message_index_queue WHERE message_id = ?").await,
        ),
    }
}

/// The rows of `id` once it is in the index, or after five seconds.
async fn indexed_soon(db: &sea_orm::DatabaseConnection, id: i64) -> (i64, i64) {
    let mut rows = index_rows(db, id).await;
    for _ in 0..250 {
        if rows == (1, 0) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        rows = index_rows(db, id).await;
    }
    rows
}

/// New messages' index rows wait in a queue on SQLite (FTS5 pays per transaction) and go
/// in together shortly after, or before any search; on PostgreSQL they go in at once.
#[actix_web::test]
async fn new_messages_reach_the_index_shortly_after_without_a_search() {
    let app = crate::helpers::spawn_app().await;
    let (li, _han, room) = app.two_members().await;
    let sent = app.say(&li, room.default_post, "碧螺春 is ready").await;
    let id = sent.body["id"].as_i64().unwrap();
    let db = app.database().await;
    // Nobody searches; the writer drains the queue within its interval (200 ms).
    assert_eq!(
        indexed_soon(&db, id).await,
        (1, 0),
        "(index, queue) rows of the message"
    );
}

/// A recall, an edit, a deleted topic or a deleted room reaches a message whose row still
/// waits in the queue: nothing of the old text is left to go into the index later.
#[actix_web::test]
async fn a_queued_row_goes_with_a_recall_an_edit_its_topic_or_its_room() {
    use teahouse::search::index::{Prepared, drain, enqueue, remove};
    let app = crate::helpers::spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let db = app.database().await;
    let mut ids = Vec::new();
    for body in ["first 铁观音", "second 铁观音", "third 铁观音"] {
        let sent = app.say(&li, room.default_post, body).await;
        ids.push(sent.body["id"].as_i64().unwrap());
    }
    // As if the writer had just queued them (whether or not it drained already).
    let secret = Prepared::of("铁观音 secret");
    remove(&db, &ids).await.unwrap();
    let rows: Vec<(i64, i64, &Prepared)> = ids.iter().map(|id| (*id, room.id, &secret)).collect();
    enqueue(&db, &rows).await.unwrap();

    let recalled = app
        .post(
            &format!("/api/v1/messages/{}/recall", ids[0]),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(recalled.status.as_u16(), 200, "{:?}", recalled.body);
    assert_eq!(index_rows(&db, ids[0]).await, (0, 0));

    let edited = app
        .patch(
            &format!("/api/v1/messages/{}", ids[1]),
            &json!({ "body": "second, now about 大红袍" }),
            Some(&li.access),
        )
        .await;
    assert_eq!(edited.status.as_u16(), 200, "{:?}", edited.body);
    // The new text in the index, the queued old one gone: draining adds nothing twice.
    assert_eq!(index_rows(&db, ids[1]).await, (1, 0));
    drain(&db).await.unwrap();
    assert_eq!(
        found(&app, &han, "大红袍").await,
        ["second, now about 大红袍"]
    );
    assert_eq!(found(&app, &han, "secret").await, ["third 铁观音"]);

    // A deleted topic and a deleted room take queued rows along (and indexed ones).
    let post = app
        .post(
            &format!("/api/v1/rooms/{}/posts", room.id),
            &json!({ "title": "Tasting notes" }),
            Some(&li.access),
        )
        .await;
    assert_eq!(post.status.as_u16(), 201, "{:?}", post.body);
    let post = post.body["id"].as_i64().unwrap();
    let in_post = app.say(&li, post, "notes on 铁观音").await;
    let in_post = in_post.body["id"].as_i64().unwrap();
    remove(&db, &[in_post]).await.unwrap();
    enqueue(&db, &[(in_post, room.id, &secret)]).await.unwrap();
    let deleted = app
        .delete(&format!("/api/v1/posts/{post}"), Some(&li.access))
        .await;
    assert_eq!(deleted.status.as_u16(), 204, "{:?}", deleted.body);
    assert_eq!(index_rows(&db, in_post).await, (0, 0));

    remove(&db, &ids[2..]).await.unwrap();
    enqueue(&db, &[(ids[2], room.id, &secret)]).await.unwrap();
    app.delete(&format!("/api/v1/rooms/{}", room.id), Some(&li.access))
        .await;
    for id in &ids {
        assert_eq!(index_rows(&db, *id).await, (0, 0), "message {id}");
    }
}

/// Rows a stopped server left queued (killed before it drained) go into the index when a
/// server starts on the database.
#[actix_web::test]
async fn rows_left_queued_are_indexed_at_start() {
    use teahouse::search::index::{Prepared, enqueue, remove};
    let app = crate::helpers::spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let sent = app.say(&li, room.default_post, "left in the queue").await;
    let id = sent.body["id"].as_i64().unwrap();
    let db = app.database().await;
    // This server's writer drains what it queued first; after that it knows of nothing
    // queued, so only a server starting on the database can take the row in.
    assert_eq!(indexed_soon(&db, id).await, (1, 0));
    remove(&db, &[id]).await.unwrap();
    let text = Prepared::of("left in the queue");
    enqueue(&db, &[(id, room.id, &text)]).await.unwrap();

    let data_dir = tempfile::tempdir().unwrap();
    let mut config = app.config.clone();
    config.data_dir = data_dir.path().to_owned();
    let _again = crate::helpers::spawn_app_on(config, data_dir).await;
    assert_eq!(
        indexed_soon(&db, id).await,
        (1, 0),
        "(index, queue) rows of the message"
    );
    assert_eq!(found(&app, &han, "queue").await, ["left in the queue"]);
}
