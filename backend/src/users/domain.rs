//! Parse at the edge: raw strings from a request become these types or a field error,
//! so the services below only ever see valid values.

use api::{FieldCode, rules};
use email_address::EmailAddress;
use std::str::FromStr;
use unicode_normalization::UnicodeNormalization;

/// A valid username, NFKC-normalised (so full-width `Ｌｉ` is `Li`), with its
/// case-folded key used for uniqueness and lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Username {
    pub display: String,
    pub key: String,
    /// What the name looks like (`skeleton`): unique, so look-alikes count as taken.
    pub skeleton: String,
}

impl Username {
    pub fn parse(raw: &str) -> Result<Self, FieldCode> {
        let display: String = raw.trim().nfkc().collect();
        if let Some(problem) = rules::username_problem(&display) {
            return Err(problem);
        }
        let key = login_key(&display);
        Ok(Self {
            skeleton: skeleton(&key),
            key,
            display,
        })
    }
}

/// The Unicode confusable skeleton of a (case-folded) name: `pаypal` with a Cyrillic а,
/// `paypa1` and `paypal` all have the same one.
pub fn skeleton(key: &str) -> String {
    unicode_security::skeleton(key).collect()
}

/// The key an account is found by: NFKC, trimmed, lower-cased. Used for usernames and
/// email addresses alike, so a login box can take either.
pub fn login_key(raw: &str) -> String {
    raw.trim().nfkc().collect::<String>().to_lowercase()
}

/// A syntactically valid email address (RFC 5322 addr-spec, as `email_address` checks it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub display: String,
    pub key: String,
}

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldCode> {
        let display = raw.trim().to_owned();
        if display.is_empty() {
            return Err(FieldCode::Required);
        }
        if display.len() > rules::EMAIL_MAX {
            return Err(FieldCode::Length);
        }
        // A display-name form ("Li <li@x>") is valid RFC 5322 but not an address to store.
        if display.contains(|c: char| c.is_whitespace() || c == '<' || c == '>') {
            return Err(FieldCode::InvalidEmail);
        }
        let parsed = EmailAddress::from_str(&display).map_err(|_| FieldCode::InvalidEmail)?;
        if parsed.as_str() != display || !parsed.domain().contains('.') {
            return Err(FieldCode::InvalidEmail);
        }
        Ok(Self {
            key: display.to_lowercase(),
            display,
        })
    }
}

/// An optional phone number: blank means none.
pub fn parse_phone(raw: Option<&str>) -> Result<Option<String>, FieldCode> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(phone) => rules::normalize_phone(phone)
            .map(Some)
            .ok_or(FieldCode::InvalidPhone),
    }
}

/// A free-text profile field: trimmed, NFC, at most `max` characters; blank clears it.
pub fn parse_profile_text(raw: &str, max: usize) -> Result<Option<String>, FieldCode> {
    let text: String = raw.trim().nfc().collect();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > max {
        return Err(FieldCode::Length);
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(FieldCode::InvalidChars);
    }
    Ok(Some(text))
}

/// A name people see (display name, room name, topic title): a profile text on one line
/// that must show something; one made only of fillers, zero-width or blank characters
/// would look empty and is refused (`FieldCode::Invisible`).
pub fn parse_name_text(raw: &str, max: usize) -> Result<Option<String>, FieldCode> {
    match parse_profile_text(raw, max)? {
        Some(name) if rules::looks_blank(&name) => Err(FieldCode::Invisible),
        name => Ok(name.map(|n| n.replace('\n', " "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_fold_width_and_case() {
        let a = Username::parse(" ＬｉＬｅｉ ").unwrap();
        assert_eq!(a.display, "LiLei");
        assert_eq!(a.key, "lilei");
        assert_eq!(Username::parse("茶馆老板").unwrap().key, "茶馆老板");
        assert_eq!(Username::parse("li lei"), Err(FieldCode::InvalidChars));
    }

    #[test]
    fn look_alike_usernames_share_a_skeleton() {
        let real = Username::parse("paypal").unwrap();
        for fake in ["p\u{430}ypal", "PayPal", "paypa1", "ｐａｙｐａｌ"] {
            assert_eq!(
                Username::parse(fake).unwrap().skeleton,
                real.skeleton,
                "{fake}"
            );
        }
        assert_ne!(Username::parse("lilei").unwrap().skeleton, real.skeleton);
        assert_eq!(
            Username::parse("\u{3164}\u{3164}"),
            Err(FieldCode::InvalidChars)
        );
    }

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse(" Li@Example.com ").unwrap().key,
            "li@example.com"
        );
        for bad in ["", "li", "li@", "@x.com", "Li <li@x.com>", "li@localhost"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_must_show_something() {
        assert_eq!(
            parse_name_text("\u{3164}\u{3164}", 10),
            Err(FieldCode::Invisible)
        );
        assert_eq!(parse_name_text("\u{200B}", 10), Err(FieldCode::Invisible));
        assert_eq!(parse_name_text("  ", 10), Ok(None));
        assert_eq!(parse_name_text("李\n雷", 10), Ok(Some("李 雷".into())));
    }

    #[test]
    fn phones_and_text() {
        assert_eq!(parse_phone(Some("  ")), Ok(None));
        assert_eq!(
            parse_phone(Some("+86 138 0013 8000")),
            Ok(Some("+8613800138000".into()))
        );
        assert_eq!(parse_phone(Some("call me")), Err(FieldCode::InvalidPhone));
        assert_eq!(parse_profile_text("  ", 5), Ok(None));
        assert_eq!(parse_profile_text("abcdef", 5), Err(FieldCode::Length));
        assert_eq!(
            parse_profile_text("a\u{7}b", 5),
            Err(FieldCode::InvalidChars)
        );
        assert_eq!(
            parse_profile_text("line\nbreak", 20),
            Ok(Some("line\nbreak".into()))
        );
    }
}
