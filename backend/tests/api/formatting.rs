//! Formatted messages (Markdown rendered once by the server and sanitised): what renders,
//! what never reaches a browser, and that the source, previews, replays and recall agree.

use crate::helpers::spawn_app;
use serde_json::{Value, json};

/// Payloads that try to run script or load something through Markdown, shared with the
/// browser test (e2e/tests/formatting.spec.ts).
const XSS: &str = include_str!("../fixtures/markdown-xss.json");

/// Panics unless `html` holds only the allow-listed tags and attributes, with links to
/// http, https or mailto only. The server's HTML is serialised by one sanitiser, so a
/// plain scan of its tags is exact.
pub fn assert_safe(html: &str, source: &str) {
    const TAGS: [&str; 12] = [
        "p",
        "br",
        "em",
        "strong",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
    ];
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let close = rest[open..]
            .find('>')
            .unwrap_or_else(|| panic!("an unclosed tag in {html:?} (from {source:?})"));
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let mut parts = tag.splitn(2, ' ');
        let name = parts.next().unwrap();
        assert!(
            TAGS.contains(&name),
            "tag <{name}> in {html:?} (from {source:?})"
        );
        let mut attrs = parts.next().unwrap_or_default();
        while let Some(eq) = attrs.find("=\"") {
            let attr = attrs[..eq].trim();
            let value_end = attrs[eq + 2..].find('"').unwrap();
            let value = attrs[eq + 2..eq + 2 + value_end].replace("&amp;", "&");
            attrs = &attrs[eq + 2 + value_end + 1..];
            match (name, attr) {
                ("a", "href") => assert!(
                    ["http://", "https://", "mailto:"]
                        .iter()
                        .any(|scheme| value.starts_with(scheme)),
                    "href {value:?} in {html:?} (from {source:?})"
                ),
                ("a", "rel") => assert_eq!(value, "noopener noreferrer nofollow"),
                ("a", "target") => assert_eq!(value, "_blank"),
                ("ol", "start") => assert!(value.parse::<u64>().is_ok(), "{value:?}"),
                _ => panic!("attribute {attr}={value:?} on <{name}> in {html:?} (from {source:?})"),
            }
        }
        assert!(
            attrs.trim().is_empty(),
            "an attribute without a quoted value: {attrs:?} in {html:?}"
        );
    }
}

fn html(message: &Value) -> &str {
    message["html"]
        .as_str()
        .unwrap_or_else(|| panic!("no html in {message:?}"))
}

#[actix_web::test]
async fn markdown_renders_once_and_the_source_stays() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let mut han_ws = app.ws(&han, json!([])).await;
    let source = "**bold** _it_ ~~gone~~ `a<b`\nnext line\n\n> quoted\n\n- one\n- two\n\n3. three\n4. four\n\n```\nfn main() {}\n```\nsee www.example.com, <https://teahouse.example/a?b=1&c=2> or li@example.com\n[docs](https://docs.example/x \"t\")";
    let sent = app.say(&li, room.default_post, source).await;
    assert_eq!(sent.status.as_u16(), 201, "{:?}", sent.body);
    assert_eq!(sent.body["body"], source, "the source is kept as typed");
    let rendered = html(&sent.body);
    for part in [
        "<strong>bold</strong>",
        "<em>it</em>",
        "<del>gone</del>",
        "<code>a&lt;b</code><br>",
        "next line",
        "<blockquote>\n<p>quoted</p>\n</blockquote>",
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>",
        "<ol start=\"3\">\n<li>three</li>",
        "<pre><code>fn main() {}\n</code></pre>",
        "<a href=\"https://www.example.com\" target=\"_blank\" rel=\"noopener noreferrer nofollow\">www.example.com</a>",
        "<a href=\"https://teahouse.example/a?b=1&amp;c=2\"",
        "<a href=\"mailto:li@example.com\"",
        ">docs</a>",
    ] {
        assert!(rendered.contains(part), "{part:?} missing from {rendered}");
    }
    assert_safe(rendered, source);

    // The same HTML everywhere: live, in history, in a replay.
    let live = han_ws.next_of("event").await;
    assert_eq!(live["event"]["message"]["html"], rendered);
    let history = app.history(&han, room.default_post, "").await;
    let last = history.body["messages"].as_array().unwrap().last().unwrap();
    assert_eq!(last["html"], rendered);
    let mut replay = app
        .ws(&han, json!([{ "room_id": room.id, "seq": 0 }]))
        .await;
    loop {
        let frame = replay.next_of("event").await;
        if frame["event"]["message"]["id"] == sent.body["id"] {
            assert_eq!(frame["event"]["message"]["html"], rendered);
            break;
        }
    }

    // Notices carry no HTML; headings and rules are the lines that were typed.
    let first = &history.body["messages"][0];
    assert_eq!(first["kind"], "joined");
    assert!(first.get("html").is_none(), "{first:?}");
    let plain = app
        .say(
            &li,
            room.default_post,
            "# not shouting\n\n---\n\nTitle\n===",
        )
        .await;
    assert_eq!(
        html(&plain.body),
        "<p># not shouting</p>\n<p>---</p>\n<p>Title<br>\n===</p>\n"
    );
}

#[actix_web::test]
async fn no_payload_in_the_xss_corpus_survives_rendering() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let corpus: Vec<String> = serde_json::from_str(XSS).unwrap();
    let mut ids = Vec::new();
    for payload in &corpus {
        let sent = app.say(&li, room.default_post, payload).await;
        assert_eq!(sent.status.as_u16(), 201, "{payload:?}: {:?}", sent.body);
        assert_eq!(sent.body["body"], payload.trim_end());
        assert_safe(html(&sent.body), payload);
        ids.push(sent.body["id"].clone());
    }
    // What history serves is what was checked at send.
    let page = app
        .history(&han, room.default_post, "?limit=100")
        .await
        .body;
    for message in page["messages"].as_array().unwrap() {
        if message["kind"] == "text" {
            assert_safe(html(message), message["body"].as_str().unwrap());
        }
    }
    assert_eq!(
        page["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["kind"] == "text")
            .count(),
        ids.len()
    );
}

#[actix_web::test]
async fn hostile_shapes_render_safely_and_bounded() {
    let app = spawn_app().await;
    let li = app.user("lilei").await;
    let room = app.create_room(&li, "Tea club", "public").await;
    let long_link = format!("https://example.com/{}", "a".repeat(3970));
    for (name, source) in [
        ("quotes", ">".repeat(1000) + " deep"),
        ("lists", "- ".repeat(1000) + "deep"),
        ("emphasis", "*".repeat(1000) + "x" + &"*".repeat(1000)),
        ("brackets", "[".repeat(2000) + &"]".repeat(1999)),
        ("mixed", "> - *".repeat(800)),
        ("long link", long_link.clone()),
        (
            "long link text",
            format!("[{}](https://example.com)", "字".repeat(3970)),
        ),
    ] {
        let sent = app.say(&li, room.default_post, &source).await;
        assert_eq!(sent.status.as_u16(), 201, "{name}: {:?}", sent.body);
        let rendered = html(&sent.body);
        assert_safe(rendered, name);
        let depth = rendered.matches("<blockquote>").count()
            + rendered.matches("<ul>").count()
            + rendered.matches("<em>").count()
            + rendered.matches("<strong>").count();
        assert!(depth <= 16, "{name}: {depth} nested elements");
    }
    let sent = app.say(&li, room.default_post, &long_link).await;
    assert!(html(&sent.body).contains(&format!("<a href=\"{long_link}\"")));
}

#[actix_web::test]
async fn previews_strip_formatting_and_recall_takes_the_html_too() {
    let app = spawn_app().await;
    let (li, han, room) = app.two_members().await;
    let sent = app
        .say(
            &li,
            room.default_post,
            "**Tea** at _five_, see [the menu](https://menu.example)\n> bring `cups` & <b>cake</b>",
        )
        .await;
    let list = app.conversations(&han).await;
    let preview = &list[0]["last_message"]["excerpt"];
    assert_eq!(
        preview, "Tea at five, see the menu bring cups & <b>cake</b>",
        "{list:?}"
    );

    let id = sent.body["id"].as_i64().unwrap();
    let recalled = app
        .post(
            &format!("/api/v1/messages/{id}/recall"),
            &json!({}),
            Some(&li.access),
        )
        .await;
    assert_eq!(recalled.status.as_u16(), 200, "{:?}", recalled.body);
    assert!(recalled.body.get("html").is_none(), "{:?}", recalled.body);
    let history = app.history(&han, room.default_post, "").await;
    assert!(
        !history.body.to_string().contains("menu"),
        "{:?}",
        history.body
    );
    let mut replay = app
        .ws(&han, json!([{ "room_id": room.id, "seq": 0 }]))
        .await;
    let mut frames = Vec::new();
    while let Ok(frame) = tokio::time::timeout(
        std::time::Duration::from_millis(500),
        replay.next_of("event"),
    )
    .await
    {
        frames.push(frame);
    }
    assert!(!frames.is_empty());
    assert!(
        !serde_json::to_string(&frames).unwrap().contains("menu"),
        "{frames:?}"
    );
}
