//! The sensitive-word filter: normalise the text with a map back to the original
//! characters, then match every word of every enabled list at once with one Aho–Corasick
//! automaton, so a hit names (and masking covers) exactly the characters people typed.
//!
//! Normalising folds what people use to slip a word past a filter:
//! - width and compatibility forms (`ＡＢＣ`, `①`, ligatures) and accents (`fück`), by the
//!   compatibility decomposition (NFKD) keeping letters and digits only;
//! - case;
//! - traditional characters to simplified (OpenCC's table, through `hanconv`);
//! - anything that is not a letter or a digit (spaces, punctuation, zero-width
//!   characters, emoji) between the characters of a word: it is skipped;
//! - repeated characters (`傻傻傻逼`, `baaad`): a run matches a run at least as long in
//!   the word (so `ass` is not found in `as`, but is in `asss`).
//!
//! Words get the same treatment, so `傻 逼` in a list is `傻逼`. Skipping separators and
//! folding repeats can make false hits (`舞台。独自` holds `台独`); the allow-list is there
//! for them: a hit lying wholly inside a match of an allowed word does not count. Words in
//! Latin letters and digits only must also stand alone (`ass` is not hit in `class` or
//! `assume`, but is in `a s s`).

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};
use std::{collections::HashMap, sync::OnceLock};

/// One entry of a word list, as the automaton is built from.
#[derive(Clone, Debug)]
pub struct Word<'a> {
    pub id: i64,
    pub text: &'a str,
    pub category_id: i64,
    /// On the allow-list: its matches cover hits instead of being hits.
    pub allow: bool,
}

/// A word found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The list entry.
    pub word_id: i64,
    pub category_id: i64,
    /// Byte range in the original text: from the first character of the match to the end
    /// of its last (separators typed inside the word included).
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug)]
struct Pattern {
    word_id: i64,
    category_id: i64,
    allow: bool,
    /// Latin letters and digits only: must stand alone.
    latin: bool,
    /// The length of each run of its normalised characters, when one is longer than 1
    /// (`ass`: 1, 2): the text's runs there must be at least as long.
    runs: Option<Box<[u16]>>,
}

/// The compiled lists. Empty (no word enabled) costs nothing to run.
#[derive(Default)]
pub struct Filter {
    /// Each distinct normalised word, valued with its index in `groups`.
    automaton: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    /// The entries that normalise to each word (the same word may be in several lists).
    groups: Vec<Vec<Pattern>>,
}

impl std::fmt::Debug for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Filter")
            .field("words", &self.groups.len())
            .finish()
    }
}

impl Filter {
    /// Compiles the words (duplicates after normalising are kept once per entry; words
    /// with nothing left after normalising are skipped).
    pub fn build<'a>(words: impl IntoIterator<Item = Word<'a>>) -> Result<Self, String> {
        let mut texts: Vec<String> = Vec::new();
        let mut groups: Vec<Vec<Pattern>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for word in words {
            let Normalised {
                text: normal,
                spans,
                ..
            } = Normalised::of(word.text);
            if normal.is_empty() {
                continue;
            }
            let runs = spans
                .iter()
                .any(|s| s.repeats > 1)
                .then(|| spans.iter().map(|s| s.repeats).collect());
            let pattern = Pattern {
                word_id: word.id,
                category_id: word.category_id,
                allow: word.allow,
                latin: normal.bytes().all(|b| b.is_ascii_alphanumeric()),
                runs,
            };
            match index.get(&normal) {
                Some(&group) => groups[group].push(pattern),
                None => {
                    index.insert(normal.clone(), groups.len());
                    groups.push(vec![pattern]);
                    texts.push(normal);
                }
            }
        }
        if texts.is_empty() {
            return Ok(Self::default());
        }
        let automaton = CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build_with_values(texts.iter().enumerate().map(|(i, t)| (t, i as u32)))
            .map_err(|e| e.to_string())?;
        Ok(Self {
            automaton: Some(automaton),
            groups,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.automaton.is_none()
    }

    /// Every hit of a listed word that no allowed word covers, in order of position.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let normal = Normalised::of(text);
        if normal.text.is_empty() {
            return Vec::new();
        }
        // Spans (indices into `normal.spans`) of blocked and of allowed matches.
        let mut blocked: Vec<(usize, usize, &Pattern)> = Vec::new();
        let mut allowed: Vec<(usize, usize)> = Vec::new();
        for m in automaton.find_overlapping_iter(&normal.text) {
            let Some(group) = self.groups.get(m.value() as usize) else {
                continue;
            };
            let (first, end) = (normal.span_at(m.start()), normal.span_at(m.end()));
            for pattern in group {
                if pattern.latin && !normal.stands_alone(first, end) {
                    continue;
                }
                if let Some(runs) = &pattern.runs
                    && !runs
                        .iter()
                        .zip(&normal.spans[first..end])
                        .all(|(need, span)| span.repeats >= *need)
                {
                    continue;
                }
                if pattern.allow {
                    allowed.push((first, end));
                } else {
                    blocked.push((first, end, pattern));
                }
            }
        }
        let mut hits: Vec<Hit> = blocked
            .into_iter()
            .filter(|(first, end, _)| !allowed.iter().any(|(a, b)| a <= first && end <= b))
            .map(|(first, end, pattern)| Hit {
                word_id: pattern.word_id,
                category_id: pattern.category_id,
                start: normal.spans[first].start as usize,
                end: normal.spans[end - 1].end as usize,
            })
            .collect();
        hits.sort_by_key(|h| (h.start, h.end, h.word_id));
        hits.dedup();
        hits
    }
}

/// `text` with every hit's characters replaced by `*`, one per character.
pub fn mask(text: &str, hits: &[Hit]) -> String {
    let mut ranges: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
    ranges.sort_unstable();
    let mut ranges = ranges.into_iter().peekable();
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        while ranges.peek().is_some_and(|&(_, end)| end <= i) {
            ranges.next();
        }
        if ranges.peek().is_some_and(|&(start, _)| start <= i) {
            out.push('*');
        } else {
            out.push(c);
        }
    }
    out
}

/// How a word in a list is matched: normalised as texts are.
pub fn normalise_word(word: &str) -> String {
    Normalised::of(word).text
}

/// One character of the normalised text and where it came from.
#[derive(Clone, Copy, Debug)]
struct Span {
    /// Byte offset in the normalised text.
    at: u32,
    /// Byte range of the original character(s): a run of repeats is one span.
    start: u32,
    end: u32,
    /// Something was skipped between this character and the one before (or it is first).
    after_gap: bool,
    /// How many times the character came in a row.
    repeats: u16,
}

struct Normalised {
    text: String,
    spans: Vec<Span>,
    /// The last character of `text` (`'\0'` before the first).
    last: char,
}

impl Normalised {
    fn of(original: &str) -> Self {
        // Chinese text is 3 bytes a character; Latin text grows the vector as it goes.
        let mut out = Self {
            text: String::with_capacity(original.len()),
            spans: Vec::with_capacity(original.len() / 3 + 8),
            last: '\0',
        };
        let mut gap = true;
        for (i, c) in original.char_indices() {
            let (start, end) = (i as u32, (i + c.len_utf8()) as u32);
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    out.keep(c.to_ascii_lowercase(), start, end, &mut gap);
                } else {
                    gap = true;
                }
            } else if let Some(simple) = han(c) {
                out.keep(simple, start, end, &mut gap);
            } else {
                let mut kept = false;
                unicode_normalization::char::decompose_compatible(c, |d| {
                    if let Some(simple) = han(d) {
                        out.keep(simple, start, end, &mut gap);
                        kept = true;
                    } else if d.is_alphanumeric() {
                        for lower in d.to_lowercase() {
                            out.keep(lower, start, end, &mut gap);
                        }
                        kept = true;
                    }
                });
                if !kept {
                    gap = true;
                }
            }
        }
        out
    }

    /// Appends a normalised character that came from `start..end` of the original; a repeat
    /// of the one before lengthens its run instead.
    #[inline(always)]
    fn keep(&mut self, n: char, start: u32, end: u32, gap: &mut bool) {
        if self.last == n
            && let Some(last) = self.spans.last_mut()
        {
            last.end = end;
            last.repeats = last.repeats.saturating_add(1);
            return;
        }
        self.spans.push(Span {
            at: self.text.len() as u32,
            start,
            end,
            after_gap: *gap,
            repeats: 1,
        });
        self.text.push(n);
        self.last = n;
        *gap = false;
    }

    /// The span starting at byte `at` of the normalised text (or the end).
    fn span_at(&self, at: usize) -> usize {
        self.spans.partition_point(|s| (s.at as usize) < at)
    }

    /// The spans `first..end` are not glued to Latin letters or digits on either side.
    fn stands_alone(&self, first: usize, end: usize) -> bool {
        let latin = |i: usize| {
            self.text[self.spans[i].at as usize..]
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric())
        };
        let before = first == 0 || self.spans[first].after_gap || !latin(first - 1);
        let after = end >= self.spans.len() || self.spans[end].after_gap || !latin(end);
        before && after
    }
}

/// The first and last code points of the table (CJK Extension A to the end of the Unified
/// Ideographs block): every common traditional character is inside.
const HAN_FIRST: u32 = 0x3400;
const HAN_LAST: u32 = 0x9FFF;

/// A character, simplified if it is a traditional Han one (the search index folds as the
/// filter does).
pub(crate) fn simplified(c: char) -> char {
    han(c).unwrap_or(c)
}

/// A Han character, simplified; `None` for anything else.
#[inline]
fn han(c: char) -> Option<char> {
    let code = c as u32;
    if !(HAN_FIRST..=HAN_LAST).contains(&code) {
        return None;
    }
    let simple = simplified_table()[(code - HAN_FIRST) as usize];
    Some(char::from_u32(u32::from(simple)).unwrap_or(c))
}

/// Traditional → simplified for every character of the range, itself where OpenCC has no
/// entry: one 16-bit load per character (54 KB, built once; every simplified form is in
/// the Basic Multilingual Plane).
fn simplified_table() -> &'static [u16] {
    static TABLE: OnceLock<Vec<u16>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<u16> = (HAN_FIRST..=HAN_LAST).map(|code| code as u16).collect();
        for (traditional, simplified) in hanconv::RawDictionary::TSCharacters.iter() {
            let mut from = traditional.chars();
            let mut to = simplified.chars();
            if let (Some(t), None, Some(s), None) = (from.next(), from.next(), to.next(), to.next())
                && (HAN_FIRST..=HAN_LAST).contains(&(t as u32))
                && let Ok(s) = u16::try_from(s as u32)
            {
                table[(t as u32 - HAN_FIRST) as usize] = s;
            }
        }
        table
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(block: &[&str], allow: &[&str]) -> Filter {
        let words = block
            .iter()
            .map(|w| (w, false))
            .chain(allow.iter().map(|w| (w, true)))
            .enumerate()
            .map(|(i, (text, allow))| Word {
                id: i as i64 + 1,
                text,
                category_id: 1,
                allow,
            });
        Filter::build(words).unwrap_or_default()
    }

    /// The original characters each hit covers.
    fn hits<'a>(f: &Filter, text: &'a str) -> Vec<&'a str> {
        f.find(text).iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn plain_words_in_chinese_and_english() {
        let f = filter(&["傻逼", "badword"], &[]);
        assert_eq!(hits(&f, "你这个傻逼啊"), ["傻逼"]);
        assert_eq!(hits(&f, "a badword here"), ["badword"]);
        assert!(hits(&f, "你好世界 nothing here").is_empty());
    }

    #[test]
    fn evasions_are_folded() {
        let f = filter(&["傻逼", "badword", "法轮"], &[]);
        // Full width, case.
        assert_eq!(hits(&f, "ＢＡＤＷＯＲＤ!"), ["ＢＡＤＷＯＲＤ"]);
        assert_eq!(hits(&f, "BadWord"), ["BadWord"]);
        // Traditional characters.
        assert_eq!(hits(&f, "練習法輪功"), ["法輪"]);
        // Spaces, punctuation, zero-width characters and emoji between the characters.
        assert_eq!(hits(&f, "你 傻 逼"), ["傻 逼"]);
        assert_eq!(hits(&f, "傻.逼"), ["傻.逼"]);
        assert_eq!(hits(&f, "傻\u{200B}逼"), ["傻\u{200B}逼"]);
        assert_eq!(hits(&f, "傻😀逼"), ["傻😀逼"]);
        assert_eq!(hits(&f, "b-a-d-w-o-r-d"), ["b-a-d-w-o-r-d"]);
        // Repeated characters.
        assert_eq!(hits(&f, "傻傻傻逼逼"), ["傻傻傻逼逼"]);
        assert_eq!(hits(&f, "baaaadword"), ["baaaadword"]);
        // Accents and compatibility forms.
        assert_eq!(hits(&f, "bädwörd"), ["bädwörd"]);
        // Everything at once.
        assert_eq!(hits(&f, "Ｂ a D\u{200D}w ö r D"), ["Ｂ a D\u{200D}w ö r D"]);
    }

    #[test]
    fn words_in_lists_are_normalised_too() {
        let f = filter(&["傻 逼", "BAD-WORD", "法輪"], &[]);
        assert_eq!(hits(&f, "傻逼"), ["傻逼"]);
        assert_eq!(hits(&f, "badword"), ["badword"]);
        assert_eq!(hits(&f, "法轮"), ["法轮"]);
    }

    #[test]
    fn latin_words_must_stand_alone() {
        let f = filter(&["ass"], &[]);
        assert!(hits(&f, "a class of grass").is_empty());
        assert!(hits(&f, "assume").is_empty());
        assert_eq!(hits(&f, "you ass!"), ["ass"]);
        assert_eq!(hits(&f, "a s s"), ["a s s"]);
        assert_eq!(hits(&f, "是ass吗"), ["ass"]);
    }

    #[test]
    fn repeats_in_a_word_must_be_there_in_the_text() {
        let f = filter(&["ass", "哈哈"], &[]);
        assert!(hits(&f, "such as this").is_empty());
        assert_eq!(hits(&f, "asssss"), ["asssss"]);
        assert_eq!(hits(&f, "a s s"), ["a s s"]);
        assert!(hits(&f, "哈").is_empty());
        assert_eq!(hits(&f, "哈 哈哈"), ["哈 哈哈"]);
    }

    #[test]
    fn allowed_words_cover_false_hits() {
        let f = filter(&["台独"], &["舞台独"]);
        assert!(hits(&f, "在舞台独自唱歌").is_empty());
        assert_eq!(hits(&f, "支持台独"), ["台独"]);
        // An allowed word covers only the hits inside it.
        assert_eq!(hits(&f, "舞台独白，台独"), ["台独"]);
    }

    #[test]
    fn overlapping_words_are_all_found() {
        let f = filter(&["傻逼", "逼"], &[]);
        assert_eq!(hits(&f, "傻逼"), ["傻逼", "逼"]);
    }

    #[test]
    fn masking_covers_exactly_the_original_characters() {
        let f = filter(&["傻逼", "badword"], &[]);
        let text = "你 傻 逼！and Ｂａｄword, ok";
        assert_eq!(mask(text, &f.find(text)), "你 ***！and *******, ok");
        let text = "傻傻逼傻逼";
        assert_eq!(mask(text, &f.find(text)), "*****");
        assert_eq!(mask("clean", &f.find("clean")), "clean");
    }

    #[test]
    fn empty_lists_and_empty_words() {
        let f = filter(&[], &[]);
        assert!(f.is_empty());
        assert!(f.find("anything").is_empty());
        let f = filter(&["!!!", " "], &[]);
        assert!(f.is_empty());
    }

    #[test]
    fn the_table_simplifies_common_characters() {
        assert_eq!(normalise_word("憂鬱的台灣烏龜"), "忧郁的台湾乌龟");
        assert_eq!(normalise_word("Ｈｅｌｌｏ，世界"), "helo世界");
    }
}
