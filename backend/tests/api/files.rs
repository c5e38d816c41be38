//! Uploads, attachments, downloads and avatars, including the attacks files invite:
//! oversize bodies, content that lies about its type, metadata leaks, decompression bombs,
//! reading what one may not see, and files outliving a recall.

use crate::helpers::{Part, multipart_body, spawn_app, spawn_app_with};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use serde_json::json;
use std::io::Cursor;

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(img)
        .write_to(&mut out, ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = RgbImage::from_pixel(width, height, Rgb([30, 160, 90]));
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(img)
        .write_to(&mut out, ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// A JPEG with an EXIF segment holding a camera serial and a GPS position.
fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let plain = jpeg(width, height);
    let mut payload = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\0".to_vec();
    payload.extend_from_slice(b"SERIAL-TH-0042 GPS 31.2304N 121.4737E");
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&plain[2..]);
    out
}

/// A GIF claiming `side × side` pixels in 40 bytes.
fn gif_bomb(side: u16) -> Vec<u8> {
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&side.to_le_bytes());
    gif.extend_from_slice(&side.to_le_bytes());
    gif.extend_from_slice(&[0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x2c, 0, 0, 0, 0]);
    gif.extend_from_slice(&side.to_le_bytes());
    gif.extend_from_slice(&side.to_le_bytes());
    gif.extend_from_slice(&[0, 2, 2, 0x44, 0x01, 0, 0x3b]);
    gif
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The name in `filename*=UTF-8''…`, decoded.
fn filename_star(disposition: &str) -> String {
    let encoded = disposition
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("filename*=UTF-8''"))
        .unwrap_or_else(|| panic!("no filename* in {disposition}"));
    let bytes = encoded.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&encoded[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[actix_web::test]
async fn a_file_round_trips_with_its_exact_name_and_safe_headers() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let data = b"quarterly numbers\n1,2,3\n".to_vec();
    for name in ["报告 \"最终版\" v2.txt", "../a/b 'quoted'.csv", "plain.txt"] {
        let stored = app.upload(&li, name, &data).await;
        assert_eq!(stored.status.as_u16(), 201, "{:?}", stored.body);
        assert_eq!(stored.body["kind"], "file");
        assert_eq!(stored.body["size"], data.len());
        assert_eq!(stored.body["sha256"], sha256_hex(&data));
        let id = stored.body["id"].as_str().unwrap();
        let got = app
            .fetch(&format!("/api/v1/files/{id}"), Some(&li.access), &[])
            .await;
        assert_eq!(got.status, 200);
        assert_eq!(got.bytes, data);
        assert_eq!(got.header("content-type"), "application/octet-stream");
        assert_eq!(got.header("x-content-type-options"), "nosniff");
        assert!(got.header("content-security-policy").contains("sandbox"));
        let disposition = got.header("content-disposition");
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert_eq!(filename_star(disposition), name, "{disposition}");
        // The plain fallback is ASCII with nothing that could end the quoted string.
        let fallback = disposition.split("filename=\"").nth(1).unwrap();
        let fallback = &fallback[..fallback.find('"').unwrap()];
        assert!(
            fallback.is_ascii() && !fallback.contains('\\'),
            "{disposition}"
        );
    }

    // A `name` part carries the name exactly, even where the part's filename could not
    // (browsers write `"` in a filename as `%22`).
    let body = multipart_body(&[
        Part {
            name: "name",
            filename: None,
            content_type: None,
            data: "引号 \"100%\" a\\b.txt".as_bytes(),
        },
        Part {
            name: "file",
            filename: Some("blob"),
            content_type: Some("text/plain"),
            data: &data,
        },
    ]);
    let stored = app
        .multipart("POST", "/api/v1/files", &li.access, body)
        .await;
    assert_eq!(stored.status.as_u16(), 201, "{:?}", stored.body);
    assert_eq!(stored.body["name"], "引号 \"100%\" a\\b.txt");
}

#[actix_web::test]
async fn oversize_uploads_get_413_and_leave_nothing_behind() {
    let app = spawn_app_with(|c| c.files.max_upload_bytes = 64 * 1024).await;
    let li = app.user("lilei").await;
    let big = vec![7u8; 200 * 1024];

    // Refused by its declared length.
    let reply = app.upload(&li, "big.bin", &big).await;
    reply.assert(413, "payload_too_large");
    assert_eq!(reply.body["details"]["limit"], 64 * 1024);

    // A body whose declared length fits the framing allowance but whose file does not:
    // cut off while streaming.
    let just_over = vec![7u8; 64 * 1024 + 100];
    let reply = app.upload(&li, "over.bin", &just_over).await;
    reply.assert(413, "payload_too_large");

    assert!(app.stored_files().is_empty(), "{:?}", app.stored_files());
    let usage = app.get("/api/v1/files/usage", Some(&li.access)).await;
    assert_eq!(usage.body["used_bytes"], 0);
    assert_eq!(usage.body["max_upload_bytes"], 64 * 1024);

    // Exactly at the limit is fine.
    let fits = vec![7u8; 64 * 1024];
    app.upload_ok(&li, "fits.bin", &fits).await;
}

#[actix_web::test]
async fn html_named_png_is_neither_an_image_nor_html() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let html = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>";
    let stored = app.upload(&li, "cute-cat.png", html).await;
    assert_eq!(stored.status.as_u16(), 201, "{:?}", stored.body);
    assert_eq!(stored.body["kind"], "file");
    assert!(!stored.body["mime"].as_str().unwrap().starts_with("image/"));
    assert!(stored.body["width"].is_null());
    let id = stored.body["id"].as_str().unwrap();

    let got = app
        .fetch(&format!("/api/v1/files/{id}"), Some(&li.access), &[])
        .await;
    assert_eq!(got.status, 200);
    assert_eq!(got.header("content-type"), "application/octet-stream");
    assert!(got.header("content-disposition").starts_with("attachment;"));
    assert_eq!(got.header("x-content-type-options"), "nosniff");
    assert!(got.header("content-security-policy").contains("sandbox"));
    let thumb = app
        .fetch(&format!("/api/v1/files/{id}/thumb"), Some(&li.access), &[])
        .await;
    assert_eq!(thumb.status, 404);

    // SVG (scriptable) is never treated as an image either.
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#;
    let stored = app.upload(&li, "icon.svg", svg).await;
    assert_eq!(stored.body["kind"], "file");
    let id = stored.body["id"].as_str().unwrap();
    let got = app
        .fetch(&format!("/api/v1/files/{id}"), Some(&li.access), &[])
        .await;
    assert_eq!(got.header("content-type"), "application/octet-stream");
    assert!(got.header("content-disposition").starts_with("attachment;"));
}

#[actix_web::test]
async fn images_lose_exif_get_thumbnails_and_are_served_inline() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let original = jpeg_with_exif(1200, 600);
    assert!(contains(&original, b"GPS 31.2304N"));
    let stored = app.upload(&li, "IMG_0001.JPG", &original).await;
    assert_eq!(stored.status.as_u16(), 201, "{:?}", stored.body);
    assert_eq!(stored.body["kind"], "image");
    assert_eq!(stored.body["mime"], "image/jpeg");
    assert_eq!(stored.body["width"], 1200);
    assert_eq!(stored.body["height"], 600);
    assert_eq!(stored.body["thumb_width"], 480);
    assert_eq!(stored.body["thumb_height"], 240);
    let id = stored.body["id"].as_str().unwrap();

    let got = app
        .fetch(&format!("/api/v1/files/{id}"), Some(&li.access), &[])
        .await;
    assert_eq!(got.status, 200);
    assert_eq!(got.header("content-type"), "image/jpeg");
    assert!(got.header("content-disposition").starts_with("inline;"));
    assert!(!contains(&got.bytes, b"GPS 31.2304N"));
    assert!(!contains(&got.bytes, b"SERIAL-TH-0042"));
    assert!(!contains(&got.bytes, b"Exif\0\0"));
    assert_eq!(stored.body["sha256"], sha256_hex(&got.bytes));
    assert_eq!(stored.body["size"], got.bytes.len());
    // And on disk, not only in the response.
    for path in app.stored_files() {
        assert!(!contains(&std::fs::read(&path).unwrap(), b"GPS 31.2304N"));
    }
    let decoded = image::load_from_memory(&got.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (1200, 600));

    let thumb = app
        .fetch(&format!("/api/v1/files/{id}/thumb"), Some(&li.access), &[])
        .await;
    assert_eq!(thumb.status, 200);
    assert_eq!(thumb.header("content-type"), "image/jpeg");
    let decoded = image::load_from_memory(&thumb.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (480, 240));

    // A small image is its own thumbnail (never enlarged).
    let small = app.upload(&li, "dot.png", &png(40, 30)).await;
    assert_eq!(small.body["mime"], "image/png");
    assert_eq!(small.body["thumb_width"], 40);
    let id = small.body["id"].as_str().unwrap();
    let thumb = app
        .fetch(&format!("/api/v1/files/{id}/thumb"), Some(&li.access), &[])
        .await;
    let decoded = image::load_from_memory(&thumb.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (40, 30));
}

#[actix_web::test]
async fn decompression_bombs_are_refused_before_decoding() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let reply = app.upload(&li, "innocent.gif", &gif_bomb(60000)).await;
    reply.assert(422, "image_too_large");
    assert_eq!(reply.body["details"]["limit"], 50_000_000);
    assert!(app.stored_files().is_empty(), "{:?}", app.stored_files());
    let usage = app.get("/api/v1/files/usage", Some(&li.access)).await;
    assert_eq!(usage.body["used_bytes"], 0);

    // A broken file with an image signature is refused, not stored as an image.
    let mut broken = jpeg(50, 50);
    broken.truncate(40);
    app.upload(&li, "broken.jpg", &broken)
        .await
        .assert(422, "not_an_image");
}

#[actix_web::test]
async fn only_people_who_may_see_the_message_may_download() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let zhang = app.user("zhangwei").await;
    let photo = app.upload_ok(&li, "tea.jpg", &jpeg(800, 800)).await;
    let paths = [
        format!("/api/v1/files/{photo}"),
        format!("/api/v1/files/{photo}/thumb"),
    ];

    // Before it is sent: the uploader only.
    for path in &paths {
        assert_eq!(app.fetch(path, Some(&li.access), &[]).await.status, 200);
        assert_eq!(app.fetch(path, Some(&han.access), &[]).await.status, 404);
        assert_eq!(app.fetch(path, None, &[]).await.status, 401);
    }

    let sent = app.send_files(&li, room.default_post, "", &[&photo]).await;
    assert_eq!(sent.status.as_u16(), 201, "{:?}", sent.body);
    assert_eq!(sent.body["body"], "");
    assert_eq!(sent.body["attachments"][0]["id"], photo.as_str());

    for path in &paths {
        assert_eq!(app.fetch(path, Some(&han.access), &[]).await.status, 200);
        let outsider = app.fetch(path, Some(&zhang.access), &[]).await;
        assert_eq!(outsider.status, 404);
        assert!(!outsider.bytes.starts_with(b"\xff\xd8"));
    }
    // An id that does not exist, or is not an id at all, looks the same.
    for path in [
        "/api/v1/files/6f1c2a44-0c6b-4c0e-9d0f-6d6a7e0b1c2d".to_owned(),
        "/api/v1/files/..%2F..%2Fteahouse.db".to_owned(),
    ] {
        assert_eq!(app.fetch(&path, Some(&han.access), &[]).await.status, 404);
    }

    // The history shows the attachment to members.
    let history = app.history(&han, room.default_post, "").await;
    let last = history.body["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["attachments"][0]["kind"], "image");
    assert_eq!(last["attachments"][0]["width"], 800);

    // Someone who leaves loses access.
    let left = app
        .post(
            &format!("/api/v1/rooms/{}/leave", room.id),
            &json!({}),
            Some(&han.access),
        )
        .await;
    assert!(left.status.is_success(), "{:?}", left.body);
    assert_eq!(
        app.fetch(&paths[0], Some(&han.access), &[]).await.status,
        404
    );
}

#[actix_web::test]
async fn a_recalled_messages_files_stop_downloading_except_for_admins() {
    let app = spawn_app().await;
    // The first account on a server is its admin.
    let boss = app.user("boss").await;
    let (li, han, room) = app.two_members().await;
    app.join(&boss, &room).await;
    let doc = app.upload_ok(&li, "secret.pdf", b"%PDF-1.4 the plan").await;
    let sent = app
        .send_files(&li, room.default_post, "the plan", &[&doc])
        .await;
    let message_id = sent.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/files/{doc}");
    assert_eq!(app.fetch(&path, Some(&han.access), &[]).await.status, 200);

    let recalled = app
        .post(
            &format!("/api/v1/messages/{message_id}/recall"),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(recalled.status.as_u16(), 200, "{:?}", recalled.body);
    assert!(recalled.body["attachments"].is_null());

    assert_eq!(app.fetch(&path, Some(&han.access), &[]).await.status, 404);
    assert_eq!(app.fetch(&path, Some(&li.access), &[]).await.status, 404);
    assert_eq!(app.fetch(&path, Some(&boss.access), &[]).await.status, 200);

    // The history and a socket replay from before it show no trace of the file.
    let history = app.history(&han, room.default_post, "").await;
    let found = history.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == message_id)
        .cloned()
        .unwrap();
    assert!(
        found["attachments"].is_null() && found["body"].is_null(),
        "{found}"
    );
    let mut ws = app
        .ws(&han, json!([{ "room_id": room.id, "seq": 0 }]))
        .await;
    loop {
        let frame = ws.next_of("event").await;
        let event = &frame["event"];
        if event["kind"] == "message_created" && event["message"]["id"] == message_id {
            assert!(event["message"]["attachments"].is_null(), "{frame}");
            assert!(event["message"]["body"].is_null(), "{frame}");
            assert!(!frame.to_string().contains("secret.pdf"));
            break;
        }
    }
    ws.close().await;
}

#[actix_web::test]
async fn attachments_must_be_my_unsent_uploads() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let hans = app.upload_ok(&han, "hans.txt", b"mine").await;
    app.send_files(&li, room.default_post, "look", &[&hans])
        .await
        .assert(422, "validation_failed");

    let mine = app.upload_ok(&li, "a.txt", b"a").await;
    let first = app.send_files(&li, room.default_post, "", &[&mine]).await;
    assert_eq!(first.status.as_u16(), 201, "{:?}", first.body);
    let again = app.send_files(&li, room.default_post, "", &[&mine]).await;
    again.assert(422, "validation_failed");
    assert_eq!(again.field("attachments"), "unavailable");

    let mut six = Vec::new();
    for i in 0..6 {
        six.push(app.upload_ok(&li, &format!("{i}.txt"), b"x").await);
    }
    let refs: Vec<&str> = six.iter().map(String::as_str).collect();
    let reply = app.send_files(&li, room.default_post, "", &refs).await;
    reply.assert(422, "validation_failed");
    assert_eq!(reply.field("attachments"), "length");
    let reply = app.send_files(&li, room.default_post, "", &refs[..5]).await;
    assert_eq!(reply.status.as_u16(), 201, "{:?}", reply.body);
    assert_eq!(reply.body["attachments"].as_array().unwrap().len(), 5);
    // In the order given.
    assert_eq!(reply.body["attachments"][4]["name"], "4.txt");

    // No text and no files is still an empty message.
    app.send_files(&li, room.default_post, " ", &[])
        .await
        .assert(422, "validation_failed");

    // Deleting: only my unsent uploads.
    app.delete(&format!("/api/v1/files/{mine}"), Some(&li.access))
        .await
        .assert(409, "file_already_sent");
    let unsent = &six[5];
    app.delete(&format!("/api/v1/files/{unsent}"), Some(&han.access))
        .await
        .assert(404, "not_found");
    let deleted = app
        .delete(&format!("/api/v1/files/{unsent}"), Some(&li.access))
        .await;
    assert_eq!(deleted.status.as_u16(), 204);
}

#[actix_web::test]
async fn the_quota_counts_what_is_kept() {
    let app = spawn_app_with(|c| c.files.quota_bytes = 1000).await;
    let li = app.user("lilei").await;
    let first = app.upload_ok(&li, "a.bin", &[1u8; 600]).await;
    app.upload(&li, "b.bin", &[1u8; 600])
        .await
        .assert(413, "quota_exceeded");
    assert_eq!(app.stored_files().len(), 1);
    app.delete(&format!("/api/v1/files/{first}"), Some(&li.access))
        .await;
    assert!(app.stored_files().is_empty());
    app.upload_ok(&li, "b.bin", &[1u8; 600]).await;
    let usage = app.get("/api/v1/files/usage", Some(&li.access)).await;
    assert_eq!(usage.body["used_bytes"], 600);
    assert_eq!(usage.body["quota_bytes"], 1000);
}

#[actix_web::test]
async fn large_files_support_ranges_and_revalidation() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let id = app.upload_ok(&li, "data.bin", &data).await;
    let path = format!("/api/v1/files/{id}");

    let part = app
        .fetch(&path, Some(&li.access), &[("range", "bytes=1000-1999")])
        .await;
    assert_eq!(part.status, 206);
    assert_eq!(part.bytes, data[1000..2000]);
    assert_eq!(part.header("content-range"), "bytes 1000-1999/100000");

    let whole = app.fetch(&path, Some(&li.access), &[]).await;
    assert_eq!(whole.header("accept-ranges"), "bytes");
    assert_eq!(whole.header("cache-control"), "private, no-cache");
    let etag = whole.header("etag").to_owned();
    assert!(!etag.is_empty());
    let again = app
        .fetch(&path, Some(&li.access), &[("if-none-match", &etag)])
        .await;
    assert_eq!(again.status, 304);
    assert!(again.bytes.is_empty());
    // Revalidation still checks who asks.
    let han = app.user("hanmeimei").await;
    let stranger = app
        .fetch(&path, Some(&han.access), &[("if-none-match", &etag)])
        .await;
    assert_eq!(stranger.status, 404);
}

#[actix_web::test]
async fn uploads_must_be_multipart() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let reply = app
        .raw("POST", "/api/v1/files", "application/json", b"{}".to_vec())
        .await;
    reply.assert(401, "unauthenticated");
    let body = multipart_body(&[Part {
        name: "other",
        filename: None,
        content_type: None,
        data: b"x",
    }]);
    app.multipart("POST", "/api/v1/files", &li.access, body)
        .await
        .assert(422, "validation_failed");
}

#[actix_web::test]
async fn the_contact_list_previews_images_and_files() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let photo = app.upload_ok(&li, "tea.jpg", &jpeg(64, 64)).await;
    app.send_files(&li, room.default_post, "", &[&photo]).await;
    let list = app.get("/api/v1/conversations", Some(&han.access)).await;
    let conv = list.body.as_array().unwrap()[0].clone();
    assert_eq!(
        conv["last_message"]["attachment"]["kind"], "image",
        "{conv}"
    );

    let doc = app.upload_ok(&li, "菜单.pdf", b"%PDF-1.4 menu").await;
    app.send_files(&li, room.default_post, "", &[&doc]).await;
    let list = app.get("/api/v1/conversations", Some(&han.access)).await;
    let last = &list.body.as_array().unwrap()[0]["last_message"];
    assert_eq!(last["attachment"]["kind"], "file");
    assert_eq!(last["attachment"]["name"], "菜单.pdf");
}

#[actix_web::test]
async fn avatars_for_people_and_rooms() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let body = |data: &[u8]| {
        multipart_body(&[Part {
            name: "file",
            filename: Some("me.jpg"),
            content_type: Some("image/jpeg"),
            data,
        }])
    };

    let me = app
        .multipart(
            "PUT",
            "/api/v1/me/avatar",
            &li.access,
            body(&jpeg_with_exif(900, 600)),
        )
        .await;
    assert_eq!(me.status.as_u16(), 200, "{:?}", me.body);
    let key = me.body["avatar"].as_str().unwrap().to_owned();
    for size in [64u32, 256] {
        // Public, like a profile picture anywhere: no token.
        let got = app
            .fetch(&format!("/api/v1/avatars/{key}/{size}"), None, &[])
            .await;
        assert_eq!(got.status, 200);
        assert_eq!(got.header("content-type"), "image/jpeg");
        assert!(got.header("cache-control").contains("immutable"));
        assert!(!contains(&got.bytes, b"GPS 31.2304N"));
        let decoded = image::load_from_memory(&got.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (size, size));
    }
    for bad in [
        format!("/api/v1/avatars/{key}/128"),
        "/api/v1/avatars/..%2F..%2Fteahouse.db/64".to_owned(),
    ] {
        assert_eq!(app.fetch(&bad, None, &[]).await.status, 404);
    }
    // Others see it with my name.
    let sent = app.say(&li, room.default_post, "hi").await;
    assert_eq!(sent.body["author"]["avatar"], key.as_str());

    // A new avatar replaces the old, whose files go.
    let me = app
        .multipart("PUT", "/api/v1/me/avatar", &li.access, body(&png(64, 64)))
        .await;
    let new_key = me.body["avatar"].as_str().unwrap();
    assert_ne!(new_key, key);
    assert_eq!(
        app.fetch(&format!("/api/v1/avatars/{key}/64"), None, &[])
            .await
            .status,
        404
    );
    let cleared = app.delete("/api/v1/me/avatar", Some(&li.access)).await;
    assert!(cleared.body["avatar"].is_null());

    // Not an image.
    app.multipart(
        "PUT",
        "/api/v1/me/avatar",
        &li.access,
        body(b"<html></html>"),
    )
    .await
    .assert(422, "not_an_image");

    // Rooms: owners and admins only.
    let path = format!("/api/v1/rooms/{}/avatar", room.id);
    app.multipart("PUT", &path, &han.access, body(&png(300, 200)))
        .await
        .assert(403, "forbidden");
    let card = app
        .multipart("PUT", &path, &li.access, body(&png(300, 200)))
        .await;
    assert_eq!(card.status.as_u16(), 200, "{:?}", card.body);
    let room_key = card.body["avatar"].as_str().unwrap();
    let got = app
        .fetch(&format!("/api/v1/avatars/{room_key}/256"), None, &[])
        .await;
    assert_eq!(got.status, 200);
    let mine = app.get("/api/v1/rooms", Some(&han.access)).await;
    assert_eq!(mine.body[0]["avatar"], room_key);
}
