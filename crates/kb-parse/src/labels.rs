//! Reading the name out of a heading or label: numbering, markers, expansions and taglines.

use std::ops::Range;

use crate::markdown::Inline;

/// A heading or label split into its parts, as ranges of the inline text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The part that should be a name: `AWS EC2` in `2.1 AWS EC2(...)  *중요*`.
    pub name: Range<usize>,
    /// What follows the name in brackets or after `:` / ` - `.
    pub expansion: Option<Range<usize>>,
    /// The expansion was in brackets (`EC2 (Elastic Compute Cloud)`), not a tagline after `:`
    /// or ` - `.
    pub bracketed: bool,
}

/// Words that introduce a service in a heading without being part of its name (`S3 개요`,
/// `Lambda란?`).
const INTRO_SUFFIXES: &[&str] = &["개요", "란", "이란", "소개", "정리", "overview", "introduction"];

/// Skip an emoji shortcode (`:cloud:`) starting at `at`, returning where it ends.
fn shortcode_end(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    let inner = rest.strip_prefix(':')?;
    let len = inner
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-'))
        .count();
    (len > 0 && inner.as_bytes().get(len) == Some(&b':')).then_some(at + len + 2)
}

/// Remove emoji shortcodes from a text (for titles and comparisons, never for spans).
pub fn strip_shortcodes(text: &str) -> String {
    // Most texts hold no `:` and no blank to collapse or trim: they are what they are.
    if !needs_cleaning(text) && !text.starts_with(' ') && !text.ends_with(' ') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if let Some(end) = shortcode_end(text, i) {
            i = end;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where the name starts: after blanks, symbols, emoji shortcodes and section numbers.
fn name_start(text: &str) -> usize {
    let mut i = 0;
    loop {
        if let Some(end) = shortcode_end(text, i) {
            i = end;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            return i;
        };
        if is_letter_or_digit(c) {
            // `2.1 `, `3) `, `1. `: a section number followed by a blank.
            let number_end = i + text[i..]
                .bytes()
                .take_while(|b| b.is_ascii_digit() || matches!(b, b'.' | b')'))
                .count();
            if number_end > i && text[number_end..].starts_with(|c: char| c.is_whitespace()) {
                i = number_end;
                continue;
            }
            return i;
        }
        i += c.len_utf8();
    }
}

/// Split an inline heading or label text into name and expansion.
pub fn split_label(inline: &Inline) -> Label {
    let text = inline.text.as_str();
    let start = name_start(text);
    // A trailing italic marker (`*중요*`) is not part of the name.
    let mut end = text.len();
    for range in &inline.emphasis {
        if range.start > start && text[range.end..].trim().is_empty() {
            end = end.min(range.start);
        }
    }
    let rest = &text[start..end];
    let mut expansion = None;
    let mut name_end = end;
    let mut bracketed = false;
    if let Some((offset, delimiter)) = find_delimiter(rest) {
        bracketed = matches!(delimiter.trim(), "(" | "（" | ",");
        name_end = start + offset;
        let after = start + offset + delimiter.len();
        let mut exp_end = end;
        if delimiter.trim() == "(" || delimiter.trim() == "（" {
            if let Some(close) = text[after..end].rfind([')', '）']) {
                exp_end = after + close;
            }
        }
        let exp = trim_range(text, after..exp_end);
        if !exp.is_empty() {
            expansion = Some(exp);
        }
    }
    let mut name = trim_range(text, start..name_end);
    // `What is IAM?`, `Why AWS Lambda?`, `What’s an Auto Scaling Group?`: an intro question.
    let question = text[start..end].trim_end().ends_with(['?', '？']);
    if question {
        name = strip_question(text, name);
    }
    // `Amazon Inspector.` and `Lambda란?`: trailing punctuation and intro words.
    loop {
        let trimmed = text[name.clone()].trim_end_matches(['.', '?', '!', ':', '：', ',', '*', '~']);
        let mut new_end = name.start + trimmed.trim_end().len();
        let mut words = text[name.start..new_end].split_whitespace();
        if let Some(last) = words.next_back() {
            let several = words.next().is_some();
            // The suffixes are Korean or lower-case ASCII: no other letter lower-cases to them.
            if several
                && INTRO_SUFFIXES
                    .iter()
                    .any(|suffix| last.eq_ignore_ascii_case(suffix))
            {
                new_end = name.start + text[name.start..new_end].rfind(last).unwrap_or(0);
            } else if let Some(stem) = glued_suffix(last) {
                // `Lambda란`: the suffix glued to a Latin name.
                new_end -= last.len() - stem;
            }
        }
        let new = trim_range(text, name.start..new_end);
        if new == name || new.is_empty() {
            break;
        }
        name = new;
    }
    Label {
        name,
        expansion,
        bracketed,
    }
}

/// The name inside an intro question: `What is IAM` → `IAM`.
fn strip_question(text: &str, name: Range<usize>) -> Range<usize> {
    const LEADS: &[&[&str]] = &[
        &["what", "is"],
        &["what", "are"],
        &["what's"],
        &["what\u{2019}s"],
        &["why", "use"],
        &["why"],
    ];
    let slice = &text[name.clone()];
    let words: Vec<(usize, &str)> = slice
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - slice.as_ptr() as usize, w))
        .collect();
    for lead in LEADS {
        if words.len() <= lead.len() || !lead.iter().zip(&words).all(|(l, (_, w))| w.to_lowercase() == *l) {
            continue;
        }
        let mut skip = lead.len();
        if words.len() > skip + 1 && matches!(words[skip].1.to_lowercase().as_str(), "a" | "an" | "the") {
            skip += 1;
        }
        return (name.start + words[skip].0)..name.end;
    }
    name
}

/// For a word like `Lambda란` or `EC2이란`, the byte length of the part before a glued intro
/// suffix.
fn glued_suffix(word: &str) -> Option<usize> {
    for suffix in ["이란", "란", "개요"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.chars().last().is_some_and(|c| c.is_ascii_alphanumeric()) {
                return Some(stem.len());
            }
        }
    }
    None
}

fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail >= slice.len() {
        return range.start..range.start;
    }
    (range.start + lead)..(range.end - trail)
}

/// The first delimiter that ends a name: a bracket, a colon followed by a blank, or a dash
/// between blanks.
fn find_delimiter(text: &str) -> Option<(usize, &'static str)> {
    const CANDIDATES: [&str; 9] = ["(", "（", ": ", "：", " - ", " – ", " — ", " | ", " / "];
    // The first occurrence of each delimiter counts (one at the very start is no delimiter);
    // the earliest wins. One pass over the text instead of a search per delimiter.
    let mut best: Option<(usize, &'static str)> = None;
    let mut seen = [false; CANDIDATES.len()];
    for (at, c) in text.char_indices() {
        if !matches!(c, '(' | '（' | ':' | '：' | ' ') {
            continue;
        }
        let rest = &text[at..];
        for (k, delimiter) in CANDIDATES.iter().enumerate() {
            if !seen[k] && rest.starts_with(delimiter) {
                seen[k] = true;
                if at > 0 && best.is_none() {
                    best = Some((at, delimiter));
                }
            }
        }
        if best.is_some() {
            break;
        }
    }
    // `Elastic Block Store, EBS`: a comma, then an abbreviation.
    if let Some(at) = text.find(", ") {
        let after = text[at + 2..].trim();
        let abbreviation = after.len() >= 2
            && after.len() <= 6
            && after
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if at > 0 && abbreviation && best.is_none_or(|(b, _)| at < b) {
            best = Some((at, ", "));
        }
    }
    // A colon at the very end (`**AWS Responsibility:**`) ends the name too.
    if best.is_none() && text.trim_end().ends_with([':', '：']) {
        let at = text.trim_end().len() - text.trim_end().chars().last().map_or(0, char::len_utf8);
        return Some((at, ":"));
    }
    best
}

pub(crate) use kb_vocab::tokens::is_syllable;

/// A letter of any script; ASCII and Hangul syllables without Unicode tables.
#[inline]
pub(crate) fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        is_syllable(c) || c.is_alphabetic()
    }
}

/// A letter or digit of any script (`char::is_alphanumeric`: a letter, or a numeric character,
/// which in ASCII is a digit).
#[inline]
pub(crate) fn is_letter_or_digit(c: char) -> bool {
    is_letter(c) || c.is_numeric()
}

/// `text` without the characters that are not letters or digits at either end.
pub fn trim_non_alphanumeric(text: &str) -> &str {
    let keep = is_letter_or_digit;
    let start = text
        .char_indices()
        .find(|(_, c)| keep(*c))
        .map_or(text.len(), |(i, _)| i);
    let end = text[start..]
        .char_indices()
        .rev()
        .find(|(_, c)| keep(*c))
        .map_or(start, |(i, c)| start + i + c.len_utf8());
    &text[start..end]
}

/// Whether `text` holds a `:` (a shortcode), two blanks in a row, or a blank other than a
/// space. Asked of whole paragraphs: bytes that may start one of those are found through a
/// table, and a character is decoded only where a byte may start a non-ASCII blank.
fn needs_cleaning(text: &str) -> bool {
    // `:`, the ASCII blanks but the space, and the lead bytes of U+0085, U+00A0, U+1680,
    // U+2000–U+205F and U+3000.
    const SPECIAL: [bool; 256] = {
        let mut table = [false; 256];
        let special: &[u8] = b":\t\n\x0B\x0C\r\xC2\xE1\xE2\xE3";
        let mut i = 0;
        while i < special.len() {
            table[special[i] as usize] = true;
            i += 1;
        }
        table
    };
    static TWO_SPACES: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("  "));
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = bytes[from..].iter().position(|&b| SPECIAL[usize::from(b)]) {
        let i = from + at;
        if bytes[i] < 0x80 {
            return true;
        }
        if text[i..].chars().next().is_some_and(char::is_whitespace) {
            return true;
        }
        from = i + 1;
    }
    TWO_SPACES.find(bytes).is_some()
}

/// Headings and labels that name a part of an entry (`특징`, `Use cases`), not a service.
const SECTION_LABELS: &[&str] = &[
    "특징",
    "주요 특징",
    "특징 및 장점",
    "장점",
    "단점",
    "장단점",
    "사용 사례",
    "사용사례",
    "활용 사례",
    "활용",
    "용도",
    "구성 요소",
    "구성요소",
    "기능",
    "주요 기능",
    "요금",
    "가격",
    "예시",
    "사례",
    "개념",
    "참고",
    "주의",
    "주의사항",
    "정리",
    "요약",
    "point",
    "points",
    "key point",
    "key points",
    "features",
    "key features",
    "benefits",
    "use case",
    "use cases",
    "pros",
    "cons",
    "pricing",
    "components",
    "how it works",
    "summary",
    "notes",
    "limits",
];

/// A label that opens a group of features inside an entry (`- 특징`, `#### POINT`).
pub fn is_section_label(text: &str) -> bool {
    /// The longest label, in bytes.
    const LONGEST: usize = {
        let (mut longest, mut i) = (0, 0);
        while i < SECTION_LABELS.len() {
            if SECTION_LABELS[i].len() > longest {
                longest = SECTION_LABELS[i].len();
            }
            i += 1;
        }
        longest
    };
    // A label is a few words; a paragraph is not worth cleaning to find that out.
    if text.len() > 160 {
        return false;
    }
    // Without a shortcode (`:`), the cleaned text is the trimmed text with each run of blanks
    // made one: measured, stopping as soon as it is longer than any label. (A byte that may
    // start a non-ASCII blank leaves the question to the cleaning below.)
    if memchr::memchr(b':', text.as_bytes()).is_none() {
        // The cleaned text starts with the text's first letter or digit: most list items
        // start with a letter no label starts with.
        static FIRSTS: std::sync::LazyLock<Vec<char>> = std::sync::LazyLock::new(|| {
            let mut firsts: Vec<char> = SECTION_LABELS.iter().filter_map(|l| l.chars().next()).collect();
            firsts.sort_unstable();
            firsts.dedup();
            firsts
        });
        match text.chars().find(|c| is_letter_or_digit(*c)) {
            Some(first) if FIRSTS.binary_search(&first.to_ascii_lowercase()).is_ok() => {}
            _ => return false,
        }
        let mut length = 0;
        let mut blank = false;
        for &b in trim_non_alphanumeric(text).as_bytes() {
            if matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
                break;
            }
            let is_blank = b.is_ascii_whitespace() || b == 0x0B;
            if !(is_blank && blank) {
                length += 1;
            }
            blank = is_blank;
            if length > LONGEST {
                return false;
            }
        }
    }
    // Only shortcodes and runs of blanks need cleaning; most labels have neither.
    let needs_cleaning = needs_cleaning(text);
    let owned;
    let cleaned = if needs_cleaning {
        owned = strip_shortcodes(text);
        owned.as_str()
    } else {
        text
    };
    // The labels are lower-case ASCII or Hangul, which has no case.
    let cleaned = trim_non_alphanumeric(cleaned);
    SECTION_LABELS
        .iter()
        .any(|label| label.eq_ignore_ascii_case(cleaned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{parse_blocks, Block};

    fn label(heading: &str) -> (String, Option<String>) {
        let (blocks, _) = parse_blocks(heading, 0);
        let Some(Block::Heading { inline, .. }) = blocks.first() else {
            panic!("{blocks:?}")
        };
        let label = split_label(inline);
        (
            inline.text[label.name].to_owned(),
            label.expansion.map(|r| inline.text[r].to_owned()),
        )
    }

    #[test]
    fn names_expansions_and_markers() {
        assert_eq!(
            label("## EC2 (Elastic Compute Cloud)"),
            ("EC2".into(), Some("Elastic Compute Cloud".into()))
        );
        assert_eq!(
            label("### 2.1 AWS EC2(가상 서버)  *중요*"),
            ("AWS EC2".into(), Some("가상 서버".into()))
        );
        assert_eq!(
            label("### AWS IoT Core : 빠른 개발"),
            ("AWS IoT Core".into(), Some("빠른 개발".into()))
        );
        assert_eq!(label("#### :heavy_check_mark: POINT"), ("POINT".into(), None));
        assert_eq!(label("## = SageMaker"), ("SageMaker".into(), None));
        assert_eq!(label("## Amazon S3 개요"), ("Amazon S3".into(), None));
        assert_eq!(label("## Lambda란?"), ("Lambda".into(), None));
        assert_eq!(
            label("# [Amazon S3](https://example.com)"),
            ("Amazon S3".into(), None)
        );
        assert_eq!(
            label("## **AWS Responsibility:**"),
            ("AWS Responsibility".into(), None)
        );
    }

    proptest::proptest! {
        #[test]
        fn needs_cleaning_reads_as_the_character_test(text in "[a-z :\t\n\u{0B}\u{0C}\u{85}\u{A0}\u{1680}\u{2000}-\u{200B}\u{2028}\u{205F}\u{3000}가-힣é]{0,12}") {
            let plain = text.contains(':') || text.contains("  ") || text.chars().any(|c| c.is_whitespace() && c != ' ');
            proptest::prop_assert_eq!(needs_cleaning(&text), plain);
        }
    }

    proptest::proptest! {
        #[test]
        fn stripping_shortcodes_keeps_plain_text_as_it_is(text in "[a-z :\t\u{A0}\u{3000}가-힣_+]{0,16}") {
            let plain = text
                .split(' ')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if !text.contains(':') {
                proptest::prop_assert_eq!(strip_shortcodes(&text), text.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            if !needs_cleaning(&text) {
                proptest::prop_assert_eq!(strip_shortcodes(&text), plain);
            }
        }
    }

    /// The question asked the plain way: clean the text, then compare it with every label.
    fn reference(text: &str) -> bool {
        if text.len() > 160 {
            return false;
        }
        let cleaned = strip_shortcodes(text);
        let cleaned = trim_non_alphanumeric(&cleaned);
        SECTION_LABELS
            .iter()
            .any(|label| label.eq_ignore_ascii_case(cleaned))
    }

    proptest::proptest! {
        #[test]
        fn section_labels_measured_first_are_the_labels_cleaned(
            label in proptest::sample::select(SECTION_LABELS.to_vec()),
            before in "[ \t*#!•:a-z_\u{A0}\u{3000}]{0,6}",
            after in "[ \t*!•:?\u{A0}]{0,6}",
            filler in "[ 가a-z\t]{0,40}",
            spaced in proptest::bool::ANY,
        ) {
            let label = if spaced { label.replace(' ', "   ") } else { label.to_uppercase() };
            for text in [format!("{before}{label}{after}"), format!("{before}{label}{after}{filler}"), filler.clone()] {
                proptest::prop_assert_eq!(is_section_label(&text), reference(&text), "{:?}", text);
            }
        }
    }

    #[test]
    fn section_labels() {
        assert!(is_section_label("특징"));
        assert!(is_section_label(":heavy_check_mark: POINT"));
        assert!(is_section_label("Use cases:"));
        assert!(!is_section_label("Amazon S3"));
    }
}
