//! Every response any API test sees is checked against the OpenAPI document: its status
//! must be documented for the operation, and its content type among that status's
//! contents. So each test is also a conformance test, on SQLite and on PostgreSQL, and the
//! document cannot promise less than the server does (or the server answer what the
//! document does not say).

use awc::http::header::HeaderMap;
use serde_json::Value;
use std::sync::OnceLock;

fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        serde_json::from_str(&teahouse::http::openapi_json()).expect("the document is JSON")
    })
}

/// Routes served outside the document (the socket, the document itself).
const UNDOCUMENTED: &[&str] = &["/api/v1/ws", "/api/v1/openapi.json"];

fn template_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
}

#[track_caller]
pub fn check(method: &str, path: &str, status: u16, headers: &HeaderMap) {
    let path = path.split('?').next().unwrap_or_default();
    if !path.starts_with("/api/v1/") || UNDOCUMENTED.contains(&path) {
        return;
    }
    let paths = document()["paths"].as_object().expect("paths");
    // Fixed segments win over parameters (`/rooms/discover` over `/rooms/{id}`).
    let mut candidates: Vec<(&String, &Value)> = paths
        .iter()
        .filter(|(template, _)| template_matches(template, path))
        .collect();
    candidates.sort_by_key(|(template, _)| template.matches('{').count());
    let Some((template, item)) = candidates.first() else {
        assert_eq!(
            status, 404,
            "{method} {path}: no documented path, but the server answered {status}"
        );
        return;
    };
    let verb = method.to_ascii_lowercase();
    let operation = candidates
        .iter()
        .find_map(|(_, item)| item.get(&verb))
        .or_else(|| item.get(&verb));
    let Some(operation) = operation else {
        assert_eq!(
            status, 405,
            "{method} {path} ({template}): not documented, but the server answered {status}"
        );
        return;
    };
    let responses = &operation["responses"];
    let Some(documented) = responses.get(status.to_string()) else {
        panic!(
            "{method} {template}: status {status} is not documented (documented: {:?})",
            responses.as_object().map(|r| r.keys().collect::<Vec<_>>())
        );
    };
    if matches!(status, 204 | 304) || method == "HEAD" {
        return;
    }
    let Some(content_type) = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
    else {
        return;
    };
    let contents = documented["content"].as_object();
    assert!(
        contents.is_some_and(|c| c.contains_key(&content_type)),
        "{method} {template} {status}: content type {content_type} is not documented (documented: {:?})",
        contents.map(|c| c.keys().collect::<Vec<_>>())
    );
}
