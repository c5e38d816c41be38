//! Profiles: my account (`/me`) and other people's public profiles (`/users/{id}`).

pub mod domain;
pub mod routes;
pub mod service;
pub mod store;

use crate::entities::user;
use api::UserId;
use api::users::{Me, Profile, PublicUser, Role};
use serde::{Serialize, de::DeserializeOwned};

/// Reads one of the api's snake_case enums from its stored string; unknown → default.
pub(crate) fn enum_from_str<T: DeserializeOwned + Default>(s: &str) -> T {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).unwrap_or_default()
}

/// The stored string of one of the api's snake_case enums.
pub(crate) fn enum_to_str<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn profile(user: &user::Model) -> Profile {
    Profile {
        display_name: user.display_name.clone(),
        bio: user.bio.clone(),
        location: user.location.clone(),
        gender: enum_from_str(&user.gender),
        zodiac: enum_from_str(&user.zodiac),
        avatar: user.avatar.clone(),
    }
}

pub fn to_me(user: &user::Model) -> Me {
    Me {
        id: UserId(user.id),
        username: user.username.clone(),
        email: user.email.clone(),
        phone: user.phone.clone(),
        profile: profile(user),
        role: enum_from_str::<Role>(&user.role),
        invisible: user.invisible,
        direct_messages: enum_from_str(&user.direct_messages),
        read_receipts: user.read_receipts,
        email_verified: user.email_verified_at.is_some(),
        password_temporary: user.password_temporary,
        created_at: user.created_at,
    }
}

pub fn to_public(user: &user::Model) -> PublicUser {
    PublicUser {
        id: UserId(user.id),
        username: user.username.clone(),
        profile: profile(user),
        role: enum_from_str::<Role>(&user.role),
        created_at: user.created_at,
    }
}
