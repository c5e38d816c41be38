//! The socket protocol as JSON Schema (2020-12), generated from the same `api` types the
//! server sends and parses: `openapi/socket.json`, served at `/api/v1/socket.json`, checked
//! in and compared with the code by a test, like the OpenAPI document.

use api::ws::{ClientFrame, ServerFrame};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(components(schemas(ClientFrame, ServerFrame)))]
struct SocketDoc;

/// The schema document, pretty-printed with a final newline.
pub fn socket_schema_json() -> String {
    let doc = SocketDoc::openapi();
    let schemas = doc
        .components
        .map(|c| serde_json::to_value(c.schemas).unwrap_or_default())
        .unwrap_or_default();
    let schema = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://teahouse.invalid/api/v1/socket.json",
        "title": format!("Teahouse socket protocol, version {}", api::ws::PROTOCOL_VERSION),
        "description": "Text frames on /api/v1/ws, one JSON object each. A frame a client sends is a `ClientFrame`, one it receives a `ServerFrame`; `type` tells which variant. docs/PROTOCOL.md has the rules (authentication, resume, close codes) and an example of each frame.",
        "anyOf": [
            { "$ref": "#/$defs/ClientFrame" },
            { "$ref": "#/$defs/ServerFrame" }
        ],
        "$defs": schemas,
    });
    let mut text = serde_json::to_string_pretty(&schema)
        .unwrap_or_default()
        .replace("#/components/schemas/", "#/$defs/");
    text.push('\n');
    text
}
