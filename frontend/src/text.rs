//! Translations of the server's stable codes, and small formatting helpers.

use crate::{client::ApiError, i18n::*};
use api::{ErrorCode, FieldCode};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use serde::Serialize;

/// What to tell a person about a failed call, in the current language.
pub fn error_text(i18n: I18nContext<Locale>, err: &ApiError) -> String {
    let text = match err.code() {
        ErrorCode::MalformedJson => t_string!(i18n, errors.malformed_json),
        ErrorCode::BadRequest => t_string!(i18n, errors.bad_request),
        ErrorCode::Unauthenticated => t_string!(i18n, errors.unauthenticated),
        ErrorCode::InvalidToken => t_string!(i18n, errors.invalid_token),
        ErrorCode::TokenExpired => t_string!(i18n, errors.token_expired),
        ErrorCode::SessionEnded => t_string!(i18n, errors.session_ended),
        ErrorCode::InvalidCredentials => t_string!(i18n, errors.invalid_credentials),
        ErrorCode::InvalidRefreshToken => t_string!(i18n, errors.invalid_refresh_token),
        ErrorCode::RefreshTokenReused => t_string!(i18n, errors.refresh_token_reused),
        ErrorCode::WrongPassword => t_string!(i18n, errors.wrong_password),
        ErrorCode::Forbidden => t_string!(i18n, errors.forbidden),
        ErrorCode::NotFound => t_string!(i18n, errors.not_found),
        ErrorCode::RouteNotFound => t_string!(i18n, errors.route_not_found),
        ErrorCode::MethodNotAllowed => t_string!(i18n, errors.method_not_allowed),
        ErrorCode::UsernameTaken => t_string!(i18n, errors.username_taken),
        ErrorCode::EmailTaken => t_string!(i18n, errors.email_taken),
        ErrorCode::PhoneTaken => t_string!(i18n, errors.phone_taken),
        ErrorCode::PostTitleTaken => t_string!(i18n, errors.post_title_taken),
        ErrorCode::ClientIdConflict => t_string!(i18n, errors.client_id_conflict),
        ErrorCode::OwnerMustTransfer => t_string!(i18n, errors.owner_must_transfer),
        ErrorCode::DefaultPostProtected => t_string!(i18n, errors.default_post_protected),
        ErrorCode::RecallExpired => t_string!(i18n, errors.recall_expired),
        ErrorCode::EditExpired => t_string!(i18n, errors.edit_expired),
        ErrorCode::MessageRecalled => t_string!(i18n, errors.message_recalled),
        ErrorCode::ReactionLimit => t_string!(i18n, errors.reaction_limit),
        ErrorCode::MentionAllForbidden => t_string!(i18n, errors.mention_all_forbidden),
        ErrorCode::PinLimit => t_string!(i18n, errors.pin_limit),
        ErrorCode::NameTaken => t_string!(i18n, errors.name_taken),
        ErrorCode::LastAdmin => t_string!(i18n, errors.last_admin),
        ErrorCode::StaffProtected => t_string!(i18n, errors.staff_protected),
        ErrorCode::Silenced => t_string!(i18n, errors.silenced),
        ErrorCode::AccountDeactivated => t_string!(i18n, errors.account_deactivated),
        ErrorCode::RegistrationClosed => t_string!(i18n, errors.registration_closed),
        ErrorCode::InviteInvalid => t_string!(i18n, errors.invite_invalid),
        ErrorCode::MailDisabled => t_string!(i18n, errors.mail_disabled),
        ErrorCode::EmailUnverified => t_string!(i18n, errors.email_unverified),
        ErrorCode::CodeInvalid => t_string!(i18n, errors.code_invalid),
        ErrorCode::CodeExpired => t_string!(i18n, errors.code_expired),
        ErrorCode::ResetLinkInvalid => t_string!(i18n, errors.reset_link_invalid),
        ErrorCode::MailUnavailable => t_string!(i18n, errors.mail_unavailable),
        ErrorCode::BannedFromRoom => t_string!(i18n, errors.banned_from_room),
        ErrorCode::SlowMode => t_string!(i18n, errors.slow_mode),
        ErrorCode::ContentBlocked => {
            let words = quoted_matches(
                err.body
                    .details
                    .as_ref()
                    .map(|d| d.matches.as_slice())
                    .unwrap_or_default(),
            );
            return t_string!(i18n, errors.content_blocked, words).to_string();
        }
        ErrorCode::AlreadyFriends => t_string!(i18n, errors.already_friends),
        ErrorCode::FriendRequestLimit => t_string!(i18n, errors.friend_request_limit),
        ErrorCode::Blocked => t_string!(i18n, errors.blocked),
        ErrorCode::NotFriends => t_string!(i18n, errors.not_friends),
        ErrorCode::SelfNotAllowed => t_string!(i18n, errors.self_not_allowed),
        ErrorCode::PayloadTooLarge => t_string!(i18n, errors.payload_too_large),
        ErrorCode::QuotaExceeded => t_string!(i18n, errors.quota_exceeded),
        ErrorCode::NotAnImage => t_string!(i18n, errors.not_an_image),
        ErrorCode::ImageTooLarge => t_string!(i18n, errors.image_too_large),
        ErrorCode::FileAlreadySent => t_string!(i18n, errors.file_already_sent),
        ErrorCode::UnsupportedMediaType => t_string!(i18n, errors.unsupported_media_type),
        ErrorCode::ValidationFailed => t_string!(i18n, errors.validation_failed),
        ErrorCode::UnsupportedCharacter => t_string!(i18n, errors.unsupported_character),
        ErrorCode::RateLimited => {
            let seconds = err
                .body
                .details
                .as_ref()
                .and_then(|d| d.retry_after)
                .unwrap_or(1);
            return t_string!(i18n, errors.rate_limited, seconds).to_string();
        }
        ErrorCode::Internal => t_string!(i18n, errors.internal),
        ErrorCode::Unavailable => t_string!(i18n, errors.unavailable),
    };
    text.to_string()
}

/// The words the filter found, each in 「」, without repeats.
pub fn quoted_matches(matches: &[api::moderation::WordMatch]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for m in matches {
        if !seen.contains(&m.text.as_str()) {
            seen.push(&m.text);
        }
    }
    seen.iter().map(|w| format!("「{w}」")).collect()
}

/// What is wrong with a field, in the current language.
pub fn field_text(i18n: I18nContext<Locale>, code: FieldCode) -> String {
    let text = match code {
        FieldCode::Required => t_string!(i18n, fields.required),
        FieldCode::Length => t_string!(i18n, fields.length),
        FieldCode::InvalidChars => t_string!(i18n, fields.invalid_chars),
        FieldCode::Invisible => t_string!(i18n, fields.invisible),
        FieldCode::InvalidEmail => t_string!(i18n, fields.invalid_email),
        FieldCode::InvalidPhone => t_string!(i18n, fields.invalid_phone),
        FieldCode::PasswordTooShort => t_string!(i18n, fields.password_too_short),
        FieldCode::PasswordTooLong => t_string!(i18n, fields.password_too_long),
        FieldCode::PasswordTooCommon => t_string!(i18n, fields.password_too_common),
        FieldCode::PasswordIsUsername => t_string!(i18n, fields.password_is_username),
        FieldCode::Taken => t_string!(i18n, fields.taken),
        FieldCode::Unavailable => t_string!(i18n, fields.unavailable),
        FieldCode::NotMember => t_string!(i18n, fields.not_member),
        FieldCode::Blocked => t_string!(i18n, fields.blocked),
        FieldCode::BelowMinimum => t_string!(i18n, fields.below_minimum),
        FieldCode::OutOfRange => t_string!(i18n, fields.out_of_range),
    };
    text.to_string()
}

/// The snake_case wire name of one of the api's enums (also its value in a <select>).
pub fn wire_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The api enum whose wire name is `name`, or its default.
pub fn from_wire_name<T: serde::de::DeserializeOwned + Default>(name: &str) -> T {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).unwrap_or_default()
}

/// A signal of one translated string, for attributes and props.
pub fn tr(f: impl Fn() -> String + Send + Sync + 'static) -> Signal<String> {
    Signal::derive(f)
}

/// An unread count as a badge shows it: "99+" above 99.
pub fn badge(n: i64) -> String {
    if n > 99 {
        "99+".to_string()
    } else {
        n.to_string()
    }
}

/// Pinyin initials of the Chinese characters in `s` ("张三" → "zs"), so that typing
/// "zs" finds 张三. The browser's own pinyin collation (ICU, `Intl.Collator`) knows
/// every character's reading: a character's initial is that of the last boundary that
/// sorts before it (the first character of each initial's syllables; no initial starts
/// with i, u or v). Costs a few bytes of boundaries instead of a pinyin table in the app.
pub fn pinyin_initials(s: &str) -> String {
    const INITIALS: &[u8] = b"abcdefghjklmnopqrstwxyz";
    const FIRSTS: &str = "吖八嚓咑妸发旮哈丌咔垃呣拏喔妑七呥仨他屲夕丫帀";
    thread_local! {
        static COMPARE: js_sys::Function = js_sys::Intl::Collator::new(
            &js_sys::Array::of1(&"zh-CN-u-co-pinyin".into()),
            &js_sys::Object::new(),
        )
        .compare();
    }
    let han = |c: char| matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}');
    if !s.chars().any(han) {
        return String::new();
    }
    COMPARE.with(|compare| {
        let sorts_after = |first: char, c: &wasm_bindgen::JsValue| {
            compare
                .call2(&wasm_bindgen::JsValue::NULL, &first.to_string().into(), c)
                .ok()
                .and_then(|v| v.as_f64())
                .is_some_and(|v| v > 0.0)
        };
        let firsts: Vec<char> = FIRSTS.chars().collect();
        s.chars()
            .filter(|c| han(*c))
            .filter_map(|c| {
                let c = wasm_bindgen::JsValue::from(c.to_string());
                // How many boundaries sort at or before the character.
                let at = firsts.partition_point(|first| !sorts_after(*first, &c));
                at.checked_sub(1).map(|i| INITIALS[i] as char)
            })
            .collect()
    })
}

/// The words a message preview needs (contact list, reply quotes), in the reader's
/// language; read where a view tracks the language.
pub fn preview_words(i18n: I18nContext<Locale>) -> api::conversations::PreviewWords<'static> {
    api::conversations::PreviewWords {
        recalled: t_string!(i18n, contacts.recalled),
        joined: t_string!(i18n, contacts.joined),
        left: t_string!(i18n, contacts.left),
        image: t_string!(i18n, files.image_tag),
        file: t_string!(i18n, files.file_tag),
    }
}
