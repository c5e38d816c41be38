//! `/admin/…`: the console's calls (staff), and reporting a message (anyone).

use super::{ApiError, empty};
use crate::state::session::Session;
use api::{
    RoomId, UserId,
    admin::{
        AdminRoom, AdminRoomPage, AdminUserDetail, AdminUserPage, Dashboard, EditAdminRoom,
        EditServerSettings, MessagesRemoved, RemoveMessages, Report, ReportContext, ReportPage,
        ResolveReport, ServerSettings, TemporaryPassword,
    },
    moderation::{
        AddWords, AuditPage, CreateWordCategory, EditWordCategory, SetWordPolicy, TestText,
        TextTest, WordCategory, WordPage, WordPolicies, WordsAdded,
    },
    rooms::Member,
    users::{PublicUser, Role, SetSiteRole},
};

/// A query string from pairs, leaving out empty values.
pub fn query(pairs: &[(&str, String)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

pub async fn dashboard(s: Session) -> Result<Dashboard, ApiError> {
    s.get("/admin/dashboard").await
}

pub async fn users(s: Session, q: &str) -> Result<AdminUserPage, ApiError> {
    s.get(&format!("/admin/users{q}")).await
}

pub async fn user(s: Session, id: UserId) -> Result<AdminUserDetail, ApiError> {
    s.get(&format!("/admin/users/{id}")).await
}

pub async fn set_role(s: Session, id: UserId, role: Role) -> Result<PublicUser, ApiError> {
    s.put_json(&format!("/admin/users/{id}/role"), &SetSiteRole { role })
        .await
}

/// `action`: `deactivate`, `reactivate` or `logout`.
pub async fn act(s: Session, id: UserId, action: &str) -> Result<(), ApiError> {
    s.post_empty(&format!("/admin/users/{id}/{action}"), &empty())
        .await
}

pub async fn reset_password(s: Session, id: UserId) -> Result<TemporaryPassword, ApiError> {
    s.post_json(&format!("/admin/users/{id}/password"), &empty())
        .await
}

pub async fn remove_messages(
    s: Session,
    id: UserId,
    body: &RemoveMessages,
) -> Result<MessagesRemoved, ApiError> {
    s.post_json(&format!("/admin/users/{id}/messages/remove"), body)
        .await
}

pub async fn rooms(s: Session, q: &str) -> Result<AdminRoomPage, ApiError> {
    s.get(&format!("/admin/rooms{q}")).await
}

pub async fn room_members(s: Session, id: RoomId) -> Result<Vec<Member>, ApiError> {
    s.get(&format!("/admin/rooms/{id}/members")).await
}

pub async fn edit_room(
    s: Session,
    id: RoomId,
    body: &EditAdminRoom,
) -> Result<AdminRoom, ApiError> {
    s.patch(&format!("/admin/rooms/{id}"), body).await
}

pub async fn set_room_policy(
    s: Session,
    id: RoomId,
    body: &SetWordPolicy,
) -> Result<AdminRoom, ApiError> {
    s.put_json(&format!("/admin/rooms/{id}/word-policy"), body)
        .await
}

pub async fn delete_room(s: Session, id: RoomId) -> Result<(), ApiError> {
    s.delete(&format!("/admin/rooms/{id}")).await
}

pub async fn settings(s: Session) -> Result<ServerSettings, ApiError> {
    s.get("/admin/settings").await
}

pub async fn edit_settings(
    s: Session,
    body: &EditServerSettings,
) -> Result<ServerSettings, ApiError> {
    s.patch("/admin/settings", body).await
}

pub async fn new_invite_code(s: Session) -> Result<ServerSettings, ApiError> {
    s.post_json("/admin/settings/invite-code", &empty()).await
}

pub async fn reports(s: Session, q: &str) -> Result<ReportPage, ApiError> {
    s.get(&format!("/admin/reports{q}")).await
}

pub async fn report_context(s: Session, id: i64) -> Result<ReportContext, ApiError> {
    s.get(&format!("/admin/reports/{id}/context")).await
}

pub async fn resolve(s: Session, id: i64, body: &ResolveReport) -> Result<Report, ApiError> {
    s.post_json(&format!("/admin/reports/{id}/resolve"), body)
        .await
}

pub async fn audit(s: Session, q: &str) -> Result<AuditPage, ApiError> {
    s.get(&format!("/admin/audit{q}")).await
}

pub async fn policies(s: Session) -> Result<WordPolicies, ApiError> {
    s.get("/admin/filter/policies").await
}

pub async fn set_policies(s: Session, body: &WordPolicies) -> Result<WordPolicies, ApiError> {
    s.put_json("/admin/filter/policies", body).await
}

pub async fn categories(s: Session) -> Result<Vec<WordCategory>, ApiError> {
    s.get("/admin/filter/categories").await
}

pub async fn add_examples(s: Session) -> Result<Vec<WordCategory>, ApiError> {
    s.post_json("/admin/filter/examples", &empty()).await
}

pub async fn create_category(
    s: Session,
    body: &CreateWordCategory,
) -> Result<WordCategory, ApiError> {
    s.post_json("/admin/filter/categories", body).await
}

pub async fn edit_category(
    s: Session,
    id: i64,
    body: &EditWordCategory,
) -> Result<WordCategory, ApiError> {
    s.patch(&format!("/admin/filter/categories/{id}"), body)
        .await
}

pub async fn delete_category(s: Session, id: i64) -> Result<(), ApiError> {
    s.delete(&format!("/admin/filter/categories/{id}")).await
}

pub async fn words(s: Session, id: i64, q: &str) -> Result<WordPage, ApiError> {
    s.get(&format!("/admin/filter/categories/{id}/words{q}"))
        .await
}

pub async fn add_words(s: Session, id: i64, body: &AddWords) -> Result<WordsAdded, ApiError> {
    s.post_json(&format!("/admin/filter/categories/{id}/words"), body)
        .await
}

pub async fn remove_word(s: Session, id: i64) -> Result<(), ApiError> {
    s.delete(&format!("/admin/filter/words/{id}")).await
}

pub async fn test_text(s: Session, body: &TestText) -> Result<TextTest, ApiError> {
    s.post_json("/admin/filter/test", body).await
}
