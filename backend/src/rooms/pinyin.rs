//! How people find a member by the sound of a Chinese name: "张三" by its initials "zs" or
//! its toneless pinyin "zhangsan" (what QQ's and WeChat's `@` lists accept). The readings
//! come from the `pinyin` crate; a character with several readings takes its most common.

use pinyin::ToPinyin;

/// A name's pinyin keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameKeys {
    /// The first letter of each character's reading, and of each run of Latin letters or
    /// digits ("Tom 张三" → "tzs").
    pub initials: String,
    /// The readings run together, Latin letters and digits kept ("tomzhangsan").
    pub full: String,
}

impl NameKeys {
    /// The keys of `name`, if it has a Chinese character (others are found by their text).
    pub fn of(name: &str) -> Option<Self> {
        let mut initials = String::new();
        let mut full = String::new();
        let mut han = false;
        let mut in_word = false;
        for (c, reading) in name.chars().zip(name.to_pinyin()) {
            if let Some(reading) = reading {
                han = true;
                in_word = false;
                full.push_str(reading.plain());
                initials.push_str(reading.first_letter());
            } else if c.is_alphanumeric() {
                for lower in c.to_lowercase() {
                    full.push(lower);
                    if !in_word {
                        initials.push(lower);
                    }
                }
                in_word = true;
            } else {
                in_word = false;
            }
        }
        han.then_some(Self { initials, full })
    }
}

/// What people and room searches match a name's sound against: each Chinese name's
/// initials and full reading, space-separated (`"ll lilei"`); empty when none has a
/// Chinese character (stored so: worked out).
pub fn sound_of(names: &[&str]) -> String {
    names
        .iter()
        .filter_map(|n| NameKeys::of(n))
        .map(|k| format!("{} {}", k.initials, k.full))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::NameKeys;

    #[test]
    fn sounds() {
        assert_eq!(super::sound_of(&["李雷", "lilei"]), "ll lilei");
        assert_eq!(super::sound_of(&["alice"]), "");
    }

    #[test]
    fn chinese_names_have_keys_others_do_not() {
        let keys = NameKeys::of("张三").expect("keys");
        assert_eq!(
            (keys.initials.as_str(), keys.full.as_str()),
            ("zs", "zhangsan")
        );
        let keys = NameKeys::of("Tom 李小龙").expect("keys");
        assert_eq!(keys.initials, "tlxl");
        assert_eq!(keys.full, "tomlixiaolong");
        assert_eq!(NameKeys::of("alice"), None);
    }
}
