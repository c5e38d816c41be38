//! My files: the quota, and deleting an upload that was not sent.

use super::ApiError;
use crate::state::session::Session;
use api::files::{FileId, FileUsage};

pub async fn usage(s: Session) -> Result<FileUsage, ApiError> {
    s.get("/files/usage").await
}

pub async fn delete(s: Session, id: &FileId) -> Result<(), ApiError> {
    s.delete(&format!("/files/{id}")).await
}
