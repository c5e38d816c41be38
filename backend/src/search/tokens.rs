//! The search tokeniser (issue 16): the same on both databases, so both find the same.
//!
//! Text is normalised as the word filter normalises it (full-width → half-width and other
//! compatibility forms, case folded, traditional Chinese → simplified), then cut:
//!
//! - runs of CJK characters (Han, kana, Hangul) into **overlapping pairs** (`我家在上海`
//!   → 我家 家在 在上 上海), the CJK bigram approach: any word of two or more characters is
//!   a phrase of consecutive pairs, so 上海 in 我家在上海东边 is found without a dictionary.
//!   A run of one character is that character. Every character is also indexed on its own
//!   (`Kind::Char`), for one-character queries;
//! - everything else into words: runs of letters and digits (`e-mail` → `e`, `mail`).
//!
//! Pairs and words form one stream with positions (`Kind::Gram`), so a query is a phrase
//! over it: `上海hello` is 上海 followed by `hello`. Every token keeps the byte range of
//! the original text it came from, for highlighting.

use crate::moderation::filter::simplified;

/// Which stream a token belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A word, a pair of CJK characters, or a lone CJK character: the phrase stream.
    Gram,
    /// One CJK character (for one-character queries).
    Char,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    /// Normalised.
    pub text: String,
    /// The byte range of the original text it came from.
    pub start: usize,
    pub end: usize,
}

/// The most characters of one word that are indexed (longer ones are cut: nobody searches
/// for a 60-letter string, and the databases limit a term's length).
pub const WORD_MAX_CHARS: usize = 40;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Cjk,
    Word,
    Gap,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x31F0..=0x31FF    // katakana extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x1100..=0x11FF    // Hangul jamo
        | 0x3130..=0x318F    // Hangul compatibility jamo
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0x20000..=0x3134F) // extensions B to G
}

/// Each normalised character of `text` with the byte range it came from.
fn normalised(text: &str) -> Vec<(char, Class, usize, usize)> {
    let mut out = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push((c.to_ascii_lowercase(), Class::Word, i, end));
            } else {
                out.push((' ', Class::Gap, i, end));
            }
            continue;
        }
        // CJK as it is (decomposing would cut a Hangul syllable into its letters), but for
        // the compatibility ideographs, which decompose to the unified ones.
        if is_cjk(c) && !(0xF900..=0xFAFF).contains(&(c as u32)) {
            out.push((simplified(c), Class::Cjk, i, end));
            continue;
        }
        let mut any = false;
        unicode_normalization::char::decompose_compatible(c, |d| {
            if is_cjk(d) {
                out.push((simplified(d), Class::Cjk, i, end));
                any = true;
            } else if d.is_alphanumeric() {
                for lower in d.to_lowercase() {
                    out.push((lower, Class::Word, i, end));
                }
                any = true;
            }
        });
        if !any {
            out.push((' ', Class::Gap, i, end));
        }
    }
    out
}

/// The tokens of a text, in order: each run's grams, then (for CJK runs) its characters.
pub fn tokens(text: &str) -> Vec<Token> {
    let chars = normalised(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let class = chars[i].1;
        let mut j = i;
        while j < chars.len() && chars[j].1 == class {
            j += 1;
        }
        let run = &chars[i..j];
        match class {
            Class::Gap => {}
            Class::Word => {
                let text: String = run.iter().take(WORD_MAX_CHARS).map(|c| c.0).collect();
                out.push(Token {
                    kind: Kind::Gram,
                    text,
                    start: run[0].2,
                    end: run[run.len() - 1].3,
                });
            }
            Class::Cjk => {
                if run.len() == 1 {
                    out.push(Token {
                        kind: Kind::Gram,
                        text: run[0].0.to_string(),
                        start: run[0].2,
                        end: run[0].3,
                    });
                }
                for pair in run.windows(2) {
                    out.push(Token {
                        kind: Kind::Gram,
                        text: [pair[0].0, pair[1].0].iter().collect(),
                        start: pair[0].2,
                        end: pair[1].3,
                    });
                }
                for c in run {
                    out.push(Token {
                        kind: Kind::Char,
                        text: c.0.to_string(),
                        start: c.2,
                        end: c.3,
                    });
                }
            }
        }
        i = j;
    }
    out
}

/// A file name as the file search matches it: its grams in order, then its single CJK
/// characters, each side of ` | `, with spaces at both ends (` 上海 海东 pdf | 上 海 `), so a
/// phrase is a `LIKE` on ` g1 g2` and a character on ` c `. Only letters, digits and CJK
/// characters, never `%` or `_`.
pub fn name_terms(name: &str) -> String {
    let all = tokens(name);
    let part = |kind: Kind| {
        all.iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!(" {} | {} ", part(Kind::Gram), part(Kind::Char))
}

/// One part of a query, every part must match (an exclusion must not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// These grams, consecutive in the text.
    Phrase(Vec<String>),
    /// One CJK character anywhere.
    Char(String),
    /// No such phrase in the text.
    Not(Vec<String>),
}

/// The most terms one query keeps (the rest are dropped).
pub const TERMS_MAX: usize = 16;

/// A search box's text as terms: words and CJK runs outside quotes are each a term (a
/// run of one CJK character matches the character, longer runs their pairs in a row);
/// `"quoted words"` is one phrase; `-word` or `-"a phrase"` must not match. Operators of
/// either database mean nothing here: everything is cut by the tokeniser, so no input can
/// reach a database as syntax.
pub fn query(q: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    let mut rest = q;
    while !rest.is_empty() && terms.len() < TERMS_MAX {
        rest = rest.trim_start();
        let negated = rest.starts_with('-') && rest.len() > 1;
        if negated {
            rest = &rest[1..];
        }
        let (part, after) = if let Some(inner) = rest.strip_prefix('"') {
            match inner.find('"') {
                Some(end) => (&inner[..end], &inner[end + 1..]),
                None => (inner, ""),
            }
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            (&rest[..end], &rest[end..])
        };
        rest = after;
        let grams: Vec<Token> = tokens(part)
            .into_iter()
            .filter(|t| t.kind == Kind::Gram)
            .collect();
        if grams.is_empty() {
            continue;
        }
        // Outside quotes too, `上海hello` and `e-mail` stay one phrase: what was typed
        // together is searched together.
        let texts: Vec<String> = grams.into_iter().map(|t| t.text).collect();
        let term = if negated {
            Term::Not(texts)
        } else if texts.len() == 1 && texts[0].chars().count() == 1 && texts[0].chars().all(is_cjk)
        {
            Term::Char(texts[0].clone())
        } else {
            Term::Phrase(texts)
        };
        if !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms
}

/// The byte ranges of `text` that the query's positive terms match: for highlighting.
pub fn highlights(text: &str, terms: &[Term]) -> Vec<(usize, usize)> {
    let all = tokens(text);
    let grams: Vec<&Token> = all.iter().filter(|t| t.kind == Kind::Gram).collect();
    let mut ranges = Vec::new();
    for term in terms {
        match term {
            Term::Char(c) => ranges.extend(
                all.iter()
                    .filter(|t| t.kind == Kind::Char && &t.text == c)
                    .map(|t| (t.start, t.end)),
            ),
            Term::Phrase(phrase) if !phrase.is_empty() && phrase.len() <= grams.len() => {
                for window in grams.windows(phrase.len()) {
                    if window.iter().zip(phrase).all(|(t, p)| &t.text == p) {
                        ranges.push((window[0].start, window[phrase.len() - 1].end));
                    }
                }
            }
            _ => {}
        }
    }
    ranges.sort_unstable();
    // Overlapping or touching ranges become one.
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grams(text: &str) -> Vec<String> {
        tokens(text)
            .into_iter()
            .filter(|t| t.kind == Kind::Gram)
            .map(|t| t.text)
            .collect()
    }

    fn chars(text: &str) -> Vec<String> {
        tokens(text)
            .into_iter()
            .filter(|t| t.kind == Kind::Char)
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn chinese_runs_become_overlapping_pairs_and_characters() {
        assert_eq!(
            grams("我家在上海东边"),
            ["我家", "家在", "在上", "上海", "海东", "东边"]
        );
        assert_eq!(chars("上海"), ["上", "海"]);
        // A lone character is its own gram, so phrases run across it.
        assert_eq!(grams("我 love 你们"), ["我", "love", "你们"]);
    }

    #[test]
    fn words_are_folded_and_cut_at_punctuation() {
        assert_eq!(
            grams("Hello, WORLD! e-mail"),
            ["hello", "world", "e", "mail"]
        );
        // Full-width Latin and digits are the same letters.
        assert_eq!(grams("ＨＥＬＬＯ １２３"), ["hello", "123"]);
        // Accents go with compatibility decomposition's marks: é is searched as e.
        assert_eq!(grams("Straße Café"), ["straße", "cafe"]);
        assert_eq!(grams("上海hello"), ["上海", "hello"]);
    }

    #[test]
    fn traditional_characters_are_simplified() {
        assert_eq!(grams("臺灣"), grams("台湾"));
        assert_eq!(grams("東邊"), ["东边"]);
    }

    #[test]
    fn japanese_and_korean_are_paired_too() {
        assert_eq!(grams("カタカナ"), ["カタ", "タカ", "カナ"]);
        assert_eq!(grams("한국어"), ["한국", "국어"]);
        // Half-width katakana are the full-width ones.
        assert_eq!(grams("ｶﾀｶﾅ"), grams("カタカナ"));
    }

    #[test]
    fn ranges_point_at_the_original_text() {
        let text = "去 上海，好";
        let t = tokens(text);
        let shanghai = t.iter().find(|t| t.text == "上海").unwrap();
        assert_eq!(&text[shanghai.start..shanghai.end], "上海");
        let text = "ＡＢＣ";
        let word = &tokens(text)[0];
        assert_eq!((word.start, word.end), (0, text.len()));
    }

    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(100);
        assert_eq!(grams(&long)[0].len(), WORD_MAX_CHARS);
    }

    #[test]
    fn queries() {
        assert_eq!(query("上"), [Term::Char("上".into())]);
        assert_eq!(query("上海"), [Term::Phrase(vec!["上海".into()])]);
        assert_eq!(
            query("上海东"),
            [Term::Phrase(vec!["上海".into(), "海东".into()])]
        );
        assert_eq!(
            query("\"hello world\" -spam tea"),
            [
                Term::Phrase(vec!["hello".into(), "world".into()]),
                Term::Not(vec!["spam".into()]),
                Term::Phrase(vec!["tea".into()]),
            ]
        );
        // Syntax of either database is only text.
        for q in [
            "",
            "   ",
            "%",
            "_",
            "*",
            "\"",
            "NEAR(a b)",
            "a & b | !c:*",
            "^x",
            "-",
            "--",
        ] {
            for term in query(q) {
                let words = match term {
                    Term::Phrase(w) | Term::Not(w) => w,
                    Term::Char(c) => vec![c],
                };
                assert!(
                    words.iter().all(|w| w.chars().all(char::is_alphanumeric)),
                    "{q:?}: {words:?}"
                );
            }
        }
        assert_eq!(
            query("NEAR(a b)"),
            [
                Term::Phrase(vec!["near".into(), "a".into()]),
                Term::Phrase(vec!["b".into()]),
            ]
        );
        assert!(query(&"上".repeat(1000)).len() == 1);
        assert!(query(&"a ".repeat(1000)).len() <= TERMS_MAX);
    }

    #[test]
    fn highlights_cover_the_matches() {
        let text = "我家在上海东边，上海很大";
        let ranges = highlights(text, &query("上海"));
        let shown: Vec<&str> = ranges.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(shown, ["上海", "上海"]);
        let text = "Tea at FIVE, tea again";
        let ranges = highlights(text, &query("tea"));
        let shown: Vec<&str> = ranges.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(shown, ["Tea", "tea"]);
        let ranges = highlights("上海东边", &query("上海东"));
        assert_eq!(ranges, [(0, 9)]);
    }
}
