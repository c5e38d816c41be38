//! Input rules that both the server and the browser check, so the form can say what is
//! wrong before anything is sent. The server is the authority: it checks them again, and
//! adds what only it can know (common passwords, uniqueness).

use crate::FieldCode;

/// Usernames are 2–32 characters: letters of any script (CJK included), digits, `_`, `-`.
pub const USERNAME_MIN: usize = 2;
pub const USERNAME_MAX: usize = 32;
/// NIST SP 800-63B: at least 8; an upper bound keeps hashing cost bounded.
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
/// RFC 5321's limit on a forward path.
pub const EMAIL_MAX: usize = 254;
/// E.164 allows at most 15 digits; fewer than 5 is no phone number anywhere.
pub const PHONE_DIGITS_MIN: usize = 5;
pub const PHONE_DIGITS_MAX: usize = 15;
pub const DISPLAY_NAME_MAX: usize = 64;
pub const BIO_MAX: usize = 500;
pub const LOCATION_MAX: usize = 64;
/// The note that goes with a friend request.
pub const GREETING_MAX: usize = 200;
/// The longest message text, in characters.
pub const MESSAGE_MAX: usize = 4000;
/// The most different emoji one message may carry as reactions.
pub const REACTIONS_PER_MESSAGE: usize = 20;
/// The most people a reaction lists by id (its `count` is the whole number).
pub const REACTION_USERS_LISTED: usize = 100;
/// The most people one message may mention by name.
pub const MENTIONS_PER_MESSAGE: usize = 50;
/// The most messages pinned in one room.
pub const PINS_PER_ROOM: usize = 50;
/// The longest room announcement, in characters.
pub const ANNOUNCEMENT_MAX: usize = 2000;
/// A user search needs at least this many characters (a number needs one digit).
pub const SEARCH_MIN: usize = 2;

/// What is wrong with a username, if anything (length is counted in characters).
pub fn username_problem(username: &str) -> Option<FieldCode> {
    let len = username.chars().count();
    if len == 0 {
        return Some(FieldCode::Required);
    }
    if !(USERNAME_MIN..=USERNAME_MAX).contains(&len) {
        return Some(FieldCode::Length);
    }
    // Letters include the Hangul fillers (U+3164, U+115F, …), which show as nothing: no
    // default-ignorable character may be part of a name.
    if !username
        .chars()
        .all(|c| (c.is_alphanumeric() || c == '_' || c == '-') && !is_default_ignorable(c))
    {
        return Some(FieldCode::InvalidChars);
    }
    None
}

/// Default_Ignorable_Code_Point: characters that render as nothing (zero-width spaces and
/// joiners, the Hangul fillers, variation selectors, tags, …).
pub fn is_default_ignorable(c: char) -> bool {
    use icu_properties::props::{BinaryProperty as _, DefaultIgnorableCodePoint};
    DefaultIgnorableCodePoint::for_char(c)
}

/// A character that puts ink on the screen by itself: a letter, digit, punctuation mark
/// or symbol that is neither white space nor default-ignorable. Two symbols are blank by
/// design, with no property saying so: U+2800 BRAILLE PATTERN BLANK and U+1D159 MUSICAL
/// SYMBOL NULL NOTEHEAD.
pub fn is_visible(c: char) -> bool {
    use icu_properties::props::{EnumeratedProperty as _, GeneralCategory, GeneralCategoryGroup};
    if c.is_whitespace() || is_default_ignorable(c) || matches!(c, '\u{2800}' | '\u{1D159}') {
        return false;
    }
    let category = GeneralCategory::for_char(c);
    [
        GeneralCategoryGroup::Letter,
        GeneralCategoryGroup::Number,
        GeneralCategoryGroup::Punctuation,
        GeneralCategoryGroup::Symbol,
    ]
    .iter()
    .any(|group| group.contains(category))
}

/// Whether a name (display name, room name, topic title) shows anything at all; one that
/// would look empty is refused (`FieldCode::Invisible`).
pub fn looks_blank(text: &str) -> bool {
    !text.chars().any(is_visible)
}

/// The password rules that need no dictionary: length, and not the username.
pub fn password_problem(password: &str, username: &str) -> Option<FieldCode> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        return Some(FieldCode::PasswordTooShort);
    }
    if len > PASSWORD_MAX {
        return Some(FieldCode::PasswordTooLong);
    }
    if !username.is_empty() && password.to_lowercase() == username.to_lowercase() {
        return Some(FieldCode::PasswordIsUsername);
    }
    None
}

/// A phone number in canonical form: an optional leading `+` and 5–15 digits, with the
/// spaces, dashes, dots and parentheses people type removed. `None` if it is not one.
pub fn normalize_phone(phone: &str) -> Option<String> {
    let trimmed = phone.trim();
    let (plus, rest) = match trimmed.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", trimmed),
    };
    let mut digits = String::with_capacity(rest.len());
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    (PHONE_DIGITS_MIN..=PHONE_DIGITS_MAX)
        .contains(&digits.len())
        .then(|| format!("{plus}{digits}"))
}

/// A rough 0–4 strength for the live hint under the password field. It only looks at
/// length and variety; the server's check against common passwords is the real gate.
pub fn strength_hint(password: &str) -> u8 {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        return 0;
    }
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password
            .chars()
            .any(|c| !c.is_alphanumeric() && !c.is_whitespace()),
        password.chars().any(|c| !c.is_ascii() && c.is_alphabetic()),
    ]
    .iter()
    .filter(|present| **present)
    .count();
    let length_score = match len {
        0..=9 => 1,
        10..=13 => 2,
        14..=19 => 3,
        _ => 4,
    };
    let score = length_score + classes.saturating_sub(1);
    score.clamp(1, 4) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(username_problem("ab"), None);
        assert_eq!(username_problem("茶馆"), None);
        assert_eq!(username_problem("li_lei-2"), None);
        assert_eq!(username_problem(""), Some(FieldCode::Required));
        assert_eq!(username_problem("a"), Some(FieldCode::Length));
        assert_eq!(username_problem(&"a".repeat(33)), Some(FieldCode::Length));
        assert_eq!(username_problem(&"茶".repeat(32)), None);
        assert_eq!(username_problem("a b"), Some(FieldCode::InvalidChars));
        assert_eq!(username_problem("a@b"), Some(FieldCode::InvalidChars));
        // Hangul fillers are letters that show as nothing.
        for blank in [
            "\u{3164}\u{3164}",
            "\u{115F}\u{115F}",
            "ab\u{200B}",
            "\u{1160}\u{1160}",
        ] {
            assert_eq!(
                username_problem(blank),
                Some(FieldCode::InvalidChars),
                "{blank:?}"
            );
        }
    }

    #[test]
    fn blank_looking_names() {
        for blank in [
            "\u{3164}",
            "\u{115F}\u{1160}",
            "\u{200B}\u{200D}",
            "\u{2800}\u{2800}",
            "\u{3000} \u{00A0}",
            "\u{FE0F}",
            "",
        ] {
            assert!(looks_blank(blank), "{blank:?}");
        }
        for shown in ["李雷", "a", "·", "🍵", "\u{3164}x"] {
            assert!(!looks_blank(shown), "{shown:?}");
        }
    }

    #[test]
    fn passwords() {
        assert_eq!(
            password_problem("short", "x"),
            Some(FieldCode::PasswordTooShort)
        );
        assert_eq!(
            password_problem(&"x".repeat(129), "u"),
            Some(FieldCode::PasswordTooLong)
        );
        assert_eq!(
            password_problem("LongUserName", "longusername"),
            Some(FieldCode::PasswordIsUsername)
        );
        assert_eq!(password_problem("tea-leaves-in-june", "li"), None);
    }

    #[test]
    fn phones() {
        assert_eq!(
            normalize_phone(" +86 138-0013-8000 ").as_deref(),
            Some("+8613800138000")
        );
        assert_eq!(
            normalize_phone("(010) 1234.5678").as_deref(),
            Some("01012345678")
        );
        assert_eq!(normalize_phone("12a45678"), None);
        assert_eq!(normalize_phone("1234"), None);
        assert_eq!(normalize_phone("++123456"), None);
    }

    #[test]
    fn strength_grows_with_length_and_variety() {
        assert_eq!(strength_hint("abc"), 0);
        assert!(strength_hint("abcdefgh") < strength_hint("abcdefgh-Tea-42-June"));
        assert_eq!(strength_hint("Correct-Horse-Battery-9"), 4);
    }
}
