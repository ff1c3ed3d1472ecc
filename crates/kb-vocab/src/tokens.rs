//! Splitting text into name tokens on a folded copy, with byte offsets back into the source.
//!
//! The source buffer is never normalised: each token keeps the byte range it was read from and
//! carries a folded form (NFC, lower case) used for lookups.

use compact_str::CompactString;
use unicode_normalization::UnicodeNormalization;

/// A word of a name: a run of Latin letters and digits, or a run of Hangul, or `&` (folded to
/// `and`). A script change splits a word, so `VPC에` is `VPC` + `에`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    /// Short words (most) are kept inline: tokenising a note allocates little.
    pub folded: CompactString,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Letters and digits of every script but Hangul.
    Word,
    Hangul,
}

/// A precomposed Hangul syllable (U+AC00–U+D7A3): the most common letters of a Korean note, told
/// apart without Unicode tables, and the only Hangul with a canonical decomposition.
#[inline]
pub fn is_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

pub(crate) fn is_hangul(c: char) -> bool {
    matches!(c,
        '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{A960}'..='\u{A97F}' | '\u{D7B0}'..='\u{D7FF}')
}

fn class(c: char) -> Option<Class> {
    if is_hangul(c) {
        Some(Class::Hangul)
    } else if c.is_alphanumeric() {
        Some(Class::Word)
    } else {
        None
    }
}

/// Fold one word for lookups: NFC, then lower case.
pub fn fold_word(word: &str) -> CompactString {
    if word.is_ascii() {
        let mut folded = CompactString::from(word);
        folded.make_ascii_lowercase();
        return folded;
    }
    // Precomposed Hangul syllables are NFC and have no case.
    if word.chars().all(is_syllable) {
        return CompactString::from(word);
    }
    if unicode_normalization::is_nfc_quick(word.chars()) == unicode_normalization::IsNormalized::Yes {
        return word.chars().flat_map(char::to_lowercase).collect();
    }
    word.nfc().flat_map(char::to_lowercase).collect()
}

/// What a token is made of, as far as folding cares: most words are plain ASCII or plain
/// Hangul syllables, and those fold without a second look at their characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Ascii,
    Syllables,
    Other,
}

/// The precomposed Hangul syllable (U+AC00–U+D7A3) encoded at `bytes[i..]` ([`is_syllable_at`]),
/// read without decoding the general way: most non-ASCII text of a Korean note is made of them.
fn syllable_at(bytes: &[u8], i: usize) -> Option<char> {
    if !is_syllable_at(bytes, i) {
        return None;
    }
    let (b, b1, b2) = (*bytes.get(i)?, *bytes.get(i + 1)?, *bytes.get(i + 2)?);
    char::from_u32((u32::from(b & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F))
}

/// Whether a precomposed Hangul syllable is encoded at `bytes[i..]`, told from its first two
/// bytes alone (`bytes` is valid UTF-8, so a lead byte is followed by its whole character):
/// U+AC00–U+D7A3 are `EA B0 80` to `ED 9E A3`, and every character led by `EB` or `EC` is one.
#[inline]
fn is_syllable_at(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        Some(0xEB | 0xEC) => true,
        Some(0xEA) => bytes.get(i + 1).is_some_and(|&b| b >= 0xB0),
        Some(0xED) => match bytes.get(i + 1) {
            Some(&b) if b < 0x9E => true,
            Some(0x9E) => bytes.get(i + 2).is_some_and(|&b| b <= 0xA3),
            _ => false,
        },
        _ => false,
    }
}

/// Whether `text` has at least `n` tokens, counted cheaply from below: blank-separated
/// chunks holding an ASCII letter or digit or a Hangul syllable each hold a token of their
/// own (a blank ends every token), and script changes or signs only add tokens.
pub(crate) fn at_least_words(text: &str, n: usize) -> bool {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut counted = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            counted = false;
        } else if !counted && (b.is_ascii_alphanumeric() || is_syllable_at(bytes, i)) {
            counted = true;
            count += 1;
            if count >= n {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// Split `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize_keeping(text, |_, _, _| true)
}

/// Split `text` into tokens, keeping only the words `keep` accepts (asked with the word as
/// written, its shape, and whether its ASCII letters hold a capital or a digit; `&` is always
/// kept).
pub(crate) fn tokenize_keeping(text: &str, keep: impl FnMut(&str, Shape, bool) -> bool) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 6);
    tokenize_keeping_into(text, keep, &mut tokens);
    tokens
}

/// ASCII bytes as the tokeniser reads them: a letter or digit, and a capital or digit.
const ALNUM: u8 = 1;
const MARKED: u8 = 2;
static ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_lowercase() {
            table[b] = ALNUM;
        } else if c.is_ascii_uppercase() || c.is_ascii_digit() {
            table[b] = ALNUM | MARKED;
        }
        b += 1;
    }
    table
};

/// As [`tokenize_keeping`], appending to `tokens`: the runs of a note share one buffer.
pub(crate) fn tokenize_keeping_into(
    text: &str,
    mut keep: impl FnMut(&str, Shape, bool) -> bool,
    tokens: &mut Vec<Token>,
) {
    let mut push = |tokens: &mut Vec<Token>, start: usize, end: usize, shape: Shape, marked: bool| {
        if keep(&text[start..end], shape, marked) {
            tokens.push(make(text, start, end, shape, marked));
        }
    };
    let bytes = text.as_bytes();
    // (start, class, shape) of the token being read.
    let mut current: Option<(usize, Class, Shape)> = None;
    // Whether the ASCII letters of the token being read hold a capital or a digit.
    let mut marked = false;
    let mut prev_is_digit = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Most characters of a note are ASCII: classified a byte at a time by a table, without
        // decoding, a whole run of letters and digits at once.
        let class_bits = ASCII_CLASS[usize::from(b)];
        if class_bits & ALNUM != 0 {
            if !matches!(current, Some((_, Class::Word, _))) {
                if let Some((start, _, shape)) = current.take() {
                    push(tokens, start, i, shape, marked);
                }
                current = Some((i, Class::Word, Shape::Ascii));
                marked = false;
            }
            let mut seen = class_bits;
            i += 1;
            while let Some(&next) = bytes.get(i) {
                let bits = ASCII_CLASS[usize::from(next)];
                if bits & ALNUM == 0 {
                    break;
                }
                seen |= bits;
                i += 1;
            }
            marked |= seen & MARKED != 0;
            prev_is_digit = bytes[i - 1].is_ascii_digit();
            continue;
        }
        if b.is_ascii() {
            // `2.0` in `AppStream 2.0` is one token (a digit before means a word is open).
            let decimal_point =
                b == b'.' && prev_is_digit && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            prev_is_digit = false;
            if !decimal_point {
                if let Some((start, _, shape)) = current.take() {
                    push(tokens, start, i, shape, marked);
                }
                if b == b'&' {
                    tokens.push(Token {
                        start: i,
                        end: i + 1,
                        folded: CompactString::const_new("and"),
                    });
                }
            }
            i += 1;
            continue;
        }
        prev_is_digit = false;
        let (c, cls, shape) = match syllable_at(bytes, i) {
            Some(c) => (c, Some(Class::Hangul), Shape::Syllables),
            None => {
                let c = text[i..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
                (c, class(c), Shape::Other)
            }
        };
        let continues = match (current, cls) {
            // Combining marks (NFD jamo are Hangul already) stay with their word.
            (Some(_), None) => unicode_normalization::char::is_combining_mark(c),
            (Some((_, cur, _)), Some(new)) => cur == new,
            _ => false,
        };
        if continues {
            if let Some((_, _, kept)) = &mut current {
                if *kept != shape {
                    *kept = Shape::Other;
                }
            }
        } else {
            if let Some((start, _, shape)) = current.take() {
                push(tokens, start, i, shape, marked);
            }
            if let Some(cls) = cls {
                current = Some((i, cls, shape));
                marked = false;
            }
        }
        i += c.len_utf8();
        // The rest of a Hangul word at once: more syllables continue it as they are.
        if cls == Some(Class::Hangul) {
            while is_syllable_at(bytes, i) {
                i += 3;
            }
        }
    }
    if let Some((start, _, shape)) = current {
        push(tokens, start, text.len(), shape, marked);
    }
}

/// The token of `text[start..end]`, a word of `shape`; `marked`: its ASCII letters hold a
/// capital or a digit (an ASCII word without one is folded as it stands).
fn make(text: &str, start: usize, end: usize, shape: Shape, marked: bool) -> Token {
    let word = &text[start..end];
    let folded = match shape {
        Shape::Ascii if !marked => CompactString::from(word),
        Shape::Ascii => {
            let mut folded = CompactString::from(word);
            folded.make_ascii_lowercase();
            folded
        }
        // Precomposed Hangul syllables are NFC and have no case.
        Shape::Syllables => CompactString::from(word),
        Shape::Other => fold_word(word),
    };
    Token { start, end, folded }
}

/// Whether two tokens may belong to one name: only blanks, hyphens and brackets between them
/// (`Amazon Machine Image (AMI)`, `Well-Architected`), nothing (a script change), or a lone `:`
/// or `@` (`re:Post`, `Lambda@Edge`).
pub(crate) fn joinable_gap(gap: &str) -> bool {
    // `re:Post`, `Lambda@Edge`, `Database@AWS`: a name with a sign inside a word. One space,
    // the gap between most words, is settled here too.
    if matches!(gap, " " | ":" | "@") {
        return true;
    }
    gap.chars()
        .all(|c| c.is_whitespace() || matches!(c, '-' | '(' | ')' | '_' | '\u{00A0}'))
        && gap.chars().filter(|c| matches!(c, '(' | ')')).count() <= 1
}

/// The lookup key of a name: its folded tokens joined by one space.
pub fn key_of(name: &str) -> String {
    let tokens = tokenize(name);
    join(&tokens)
}

pub(crate) fn join(tokens: &[Token]) -> String {
    // Sized up front.
    let mut key = String::with_capacity(tokens.iter().map(|t| t.folded.len() + 1).sum());
    for (i, token) in tokens.iter().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        key.push_str(&token.folded);
    }
    key
}

/// `f` asked with the key [`join`] makes, joined on the stack when short (most keys): a
/// lookup joins a window of every prose run where a name could start, and throws the key away.
pub(crate) fn with_key<R>(tokens: &[Token], f: impl FnOnce(&str) -> R) -> R {
    const SHORT: usize = 64;
    let len = tokens
        .iter()
        .map(|t| t.folded.len() + 1)
        .sum::<usize>()
        .saturating_sub(1);
    if len <= SHORT {
        let mut buffer = [0u8; SHORT];
        let mut at = 0;
        for (i, token) in tokens.iter().enumerate() {
            if i > 0 {
                buffer[at] = b' ';
                at += 1;
            }
            let word = token.folded.as_bytes();
            buffer[at..at + word.len()].copy_from_slice(word);
            at += word.len();
        }
        // Whole words and spaces: always UTF-8.
        if let Ok(key) = std::str::from_utf8(&buffer[..at]) {
            return f(key);
        }
    }
    f(&join(tokens))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syllable_is_told_from_its_lead_bytes_as_from_its_character() {
        let mut buffer = [0u8; 4];
        for c in ('\u{80}'..=char::MAX).chain(['a', ' ']) {
            let encoded = c.encode_utf8(&mut buffer).as_bytes();
            assert_eq!(
                is_syllable_at(encoded, 0),
                is_syllable(c),
                "{c:?} ({:X})",
                u32::from(c)
            );
            assert_eq!(syllable_at(encoded, 0).is_some(), is_syllable(c), "{c:?}");
            // Inside a character (a continuation byte) there is no syllable.
            for i in 1..encoded.len() {
                assert!(!is_syllable_at(encoded, i));
            }
        }
    }

    fn words(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.folded.to_string()).collect()
    }

    /// The tokeniser written the plain way, a character at a time: what the fast one must equal.
    fn reference(text: &str) -> Vec<Token> {
        let bytes = text.as_bytes();
        let mut tokens = Vec::with_capacity(text.len() / 6);
        // (start, class) of the token being read.
        let mut current: Option<(usize, Class)> = None;
        let mut prev_is_digit = false;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // Most characters of a note are ASCII: classified a byte at a time, without decoding
            // or Unicode tables.
            let (continues, cls, width) = if b.is_ascii() {
                let alnum = b.is_ascii_alphanumeric();
                // `2.0` in `AppStream 2.0` is one token.
                let decimal_point =
                    b == b'.' && prev_is_digit && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                let continues = matches!(current, Some((_, Class::Word))) && (alnum || decimal_point);
                prev_is_digit = b.is_ascii_digit();
                (continues, alnum.then_some(Class::Word), 1)
            } else {
                let c = text[i..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
                let cls = class(c);
                let continues = match (current, cls) {
                    // Combining marks (NFD jamo are Hangul already) stay with their word.
                    (Some(_), None) => unicode_normalization::char::is_combining_mark(c),
                    (Some((_, cur)), Some(new)) => cur == new,
                    _ => false,
                };
                prev_is_digit = false;
                (continues, cls, c.len_utf8())
            };
            if !continues {
                if let Some((start, _)) = current.take() {
                    tokens.push(Token {
                        start,
                        end: i,
                        folded: fold_word(&text[start..i]),
                    });
                }
                if b == b'&' {
                    tokens.push(Token {
                        start: i,
                        end: i + 1,
                        folded: CompactString::const_new("and"),
                    });
                } else if let Some(cls) = cls {
                    current = Some((i, cls));
                }
            }
            i += width;
        }
        if let Some((start, _)) = current {
            tokens.push(Token {
                start,
                end: text.len(),
                folded: fold_word(&text[start..]),
            });
        }
        tokens
    }

    #[test]
    fn the_fast_tokeniser_equals_the_plain_one_on_known_text() {
        for text in [
            "AppStream 2.0 and 1.2.3. v2.x",
            "Amazon S3와 DynamoDB를 café에서 ē̄ 쓴다",
            "람다\u{0301}는 VPC에서 & 그",
            "NFD: \u{1105}\u{1161}\u{11B7}\u{1103}\u{1161} 끝",
            "",
            "x",
            "9.",
            ".5",
            "한",
        ] {
            assert_eq!(tokenize(text), reference(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_fast_tokeniser_equals_the_plain_one(text in "[a-zA-Z0-9 .&가-힣\u{1100}-\u{11FF}\u{0300}-\u{0303}éÉß()\\-:@_\u{00A0}ㄱ-ㅎ一-丁]{0,40}") {
            proptest::prop_assert_eq!(tokenize(&text), reference(&text));
        }
    }

    proptest::proptest! {
        /// The key joined on the stack is the key `join` makes, short or too long for the
        /// stack (up to 80 bytes of Hangul, so both ways are taken).
        #[test]
        fn keys_joined_on_the_stack_are_the_joined_keys(text in "[a-zA-Z0-9 &가-힣]{0,80}") {
            let tokens = tokenize(&text);
            proptest::prop_assert_eq!(with_key(&tokens, str::to_owned), join(&tokens));
        }
    }

    proptest::proptest! {
        #[test]
        fn counting_words_from_below_never_overcounts(text in "[a-zA-Z0-9 .&가-힣\u{1100}-\u{1103}\u{0300}éß()\\-:\t\u{00A0}]{0,40}", n in 0usize..12) {
            if at_least_words(&text, n) {
                proptest::prop_assert!(tokenize(&text).len() >= n);
            }
        }
    }

    #[test]
    fn script_changes_split_words() {
        assert_eq!(words("VPC에서 Route 53이"), ["vpc", "에서", "route", "53", "이"]);
        assert_eq!(words("다이나모DB"), ["다이나모", "db"]);
    }

    #[test]
    fn versions_ampersands_and_offsets() {
        assert_eq!(words("AppStream 2.0"), ["appstream", "2.0"]);
        assert_eq!(words("Identity & Access"), ["identity", "and", "access"]);
        let text = "**람다** S3";
        let tokens = tokenize(text);
        assert_eq!(&text[tokens[0].start..tokens[0].end], "람다");
        assert_eq!(&text[tokens[1].start..tokens[1].end], "S3");
    }

    #[test]
    fn keys_fold_case_space_and_normalisation() {
        assert_eq!(key_of("Amazon  SageMaker"), "amazon sagemaker");
        // NFD Hangul folds to the same key as NFC.
        let nfd: String = "람다".nfd().collect();
        assert_eq!(key_of(&nfd), key_of("람다"));
    }
}
