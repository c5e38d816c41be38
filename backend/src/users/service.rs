//! Reading and editing profiles.

use super::{domain::parse_profile_text, enum_to_str, store, to_me, to_public};
use crate::{
    auth::AuthUser,
    entities::user,
    error::{AppError, AppResult},
    state::AppState,
};
use api::{
    rules,
    users::{EditProfile, Me, PublicUser},
};
use sea_orm::{ActiveValue::Set, EntityTrait};
use std::collections::BTreeMap;
use time::OffsetDateTime;

pub async fn me(state: &AppState, auth: &AuthUser) -> AppResult<Me> {
    let user = store::by_id(&state.db, auth.user_id.0)
        .await?
        .ok_or(AppError::SessionEnded)?;
    Ok(to_me(&user))
}

pub async fn public_profile(state: &AppState, id: i64) -> AppResult<PublicUser> {
    let user = store::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(to_public(&user))
}

/// Applies the fields that are present; an empty text clears it.
pub async fn edit(state: &AppState, auth: &AuthUser, edit: EditProfile) -> AppResult<Me> {
    let mut problems = BTreeMap::new();
    let mut change = user::ActiveModel {
        id: Set(auth.user_id.0),
        ..Default::default()
    };
    let texts = [
        ("display_name", &edit.display_name, rules::DISPLAY_NAME_MAX),
        ("bio", &edit.bio, rules::BIO_MAX),
        ("location", &edit.location, rules::LOCATION_MAX),
    ];
    for (field, value, max) in texts {
        let Some(value) = value else { continue };
        match parse_profile_text(value, max) {
            Ok(text) => match field {
                "display_name" => change.display_name = Set(text.map(|t| t.replace('\n', " "))),
                "bio" => change.bio = Set(text),
                _ => change.location = Set(text.map(|t| t.replace('\n', " "))),
            },
            Err(problem) => {
                problems.insert(field.to_owned(), problem);
            }
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    if let Some(gender) = edit.gender {
        change.gender = Set(enum_to_str(&gender));
    }
    if let Some(zodiac) = edit.zodiac {
        change.zodiac = Set(enum_to_str(&zodiac));
    }
    change.updated_at = Set(OffsetDateTime::now_utc());
    let updated = user::Entity::update(change).exec(&state.db).await?;
    Ok(to_me(&updated))
}
