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

/// Someone's profile as `auth` may see it. Across a block it shows no more than people
/// search does: nothing at all to someone they blocked (404, as for nobody), and only the
/// name and avatar to the person who blocked them.
pub async fn public_profile(state: &AppState, auth: &AuthUser, id: i64) -> AppResult<PublicUser> {
    let user = store::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let them = api::UserId(id);
    if them != auth.user_id
        && crate::friends::store::blocked_either(&state.db, auth.user_id, them).await?
    {
        if !crate::friends::store::blocked_by(&state.db, auth.user_id, &[id])
            .await?
            .is_empty()
        {
            return Err(AppError::NotFound);
        }
        let mut public = to_public(&user);
        public.profile = api::users::Profile {
            display_name: public.profile.display_name,
            avatar: public.profile.avatar,
            ..Default::default()
        };
        return Ok(public);
    }
    Ok(to_public(&user))
}

/// Applies the fields that are present; an empty text clears it. Nothing is applied
/// unless every field is valid.
pub async fn edit(state: &AppState, auth: &AuthUser, edit: EditProfile) -> AppResult<Me> {
    let mut problems = BTreeMap::new();
    let display_name = edit.display_name.and_then(|raw| {
        match super::domain::parse_name_text(&raw, rules::DISPLAY_NAME_MAX) {
            Ok(name) => Some(Set(name)),
            Err(problem) => {
                problems.insert("display_name".to_owned(), problem);
                None
            }
        }
    });
    let mut text = |field: &str, value: Option<String>, max: usize, one_line: bool| {
        let value = value?;
        match parse_profile_text(&value, max) {
            Ok(text) => Some(Set(if one_line {
                text.map(|t| t.replace('\n', " "))
            } else {
                text
            })),
            Err(problem) => {
                problems.insert(field.to_owned(), problem);
                None
            }
        }
    };
    let bio = text("bio", edit.bio, rules::BIO_MAX, false);
    let location = text("location", edit.location, rules::LOCATION_MAX, true);
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    use crate::moderation::service::{Field, screen_default};
    let display_name = match display_name {
        Some(Set(name)) => Some(Set(screen_default(
            state,
            auth.user_id,
            Field::DisplayName,
            name,
        )
        .await?)),
        other => other,
    };
    let bio = match bio {
        Some(Set(bio)) => Some(Set(
            screen_default(state, auth.user_id, Field::Bio, bio).await?
        )),
        other => other,
    };
    let change = user::ActiveModel {
        id: Set(auth.user_id.0),
        display_name: display_name.unwrap_or_default(),
        bio: bio.unwrap_or_default(),
        location: location.unwrap_or_default(),
        gender: edit
            .gender
            .map(|g| Set(enum_to_str(&g)))
            .unwrap_or_default(),
        zodiac: edit
            .zodiac
            .map(|z| Set(enum_to_str(&z)))
            .unwrap_or_default(),
        invisible: edit.invisible.map(Set).unwrap_or_default(),
        direct_messages: edit
            .direct_messages
            .map(|d| Set(enum_to_str(&d)))
            .unwrap_or_default(),
        read_receipts: edit.read_receipts.map(Set).unwrap_or_default(),
        updated_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    };
    // The name's pinyin follows the name in the same transaction (a second write only
    // when the display name changed it).
    let txn = crate::db::write_txn(&state.db).await?;
    let mut updated = user::Entity::update(change).exec(&txn).await?;
    let sound = crate::rooms::pinyin::sound_of(&[
        updated.display_name.as_deref().unwrap_or_default(),
        &updated.username,
    ]);
    if updated.name_sound.as_deref() != Some(sound.as_str()) {
        updated = user::Entity::update(user::ActiveModel {
            id: Set(updated.id),
            name_sound: Set(Some(sound)),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    if let Some(invisible) = edit.invisible {
        state.hub.invisible(auth.user_id, invisible).await;
    }
    Ok(to_me(&updated))
}
