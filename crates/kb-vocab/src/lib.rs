//! The vocabulary: which services exist, what they are called, and how written names resolve.
//!
//! A vocabulary is data (`schema/vocabulary/aws.yaml` by default): the engine knows nothing
//! about AWS. [`Vocabulary::from_yaml`] loads and validates one; [`Vocabulary::resolve_name`]
//! and [`Vocabulary::find_names`] match written names against it.

mod file;
mod matcher;
pub mod tokens;

pub use file::{ServiceType, VocabError};
pub use matcher::{Found, NameMatch, Position};

/// The name index's maps: looked up once per word of every note, so with a fast hasher.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// The vocabulary shipped with kb.
pub const DEFAULT_VOCABULARY: &str = include_str!("../../../schema/vocabulary/aws.yaml");

/// The index of a service in its vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceId(pub usize);

/// One service, tool or feature of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// Stable kebab-case id.
    pub id: String,
    /// The canonical name.
    pub name: String,
    pub kind: ServiceType,
    pub category: Option<String>,
    pub parent: Option<String>,
    pub retired: Option<String>,
}

/// How a name is known to the vocabulary; decides whether writing it is a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameKind {
    Canonical,
    Alias,
    Abbreviation,
    /// A name without its vendor prefix, derived from the canonical name or an alias.
    Bare,
    /// An accepted name that is also an ordinary word (Lambda, Glue): matched only in name
    /// positions or when capitalised.
    Word,
    /// A misspelling recorded in the vocabulary.
    Misspelling,
    /// A former official name.
    Former,
}

impl NameKind {
    /// Whether writing this name is correct (given the right case).
    pub fn is_accepted(self) -> bool {
        !matches!(self, NameKind::Misspelling | NameKind::Former)
    }
}

/// One way to write a service's name, as the vocabulary spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameForm {
    pub service: ServiceId,
    pub kind: NameKind,
    /// The spelling in the vocabulary, with its case.
    pub text: String,
    /// Number of tokens in the folded key.
    pub tokens: usize,
}

/// A loaded, validated vocabulary with its name index.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    services: Vec<Service>,
    /// Service id → its place in `services`: rules across notes ask it for every entry.
    ids: HashMap<String, ServiceId>,
    /// Folded vendor prefixes (`amazon`, `aws`) with their written form.
    prefixes: Vec<(String, String)>,
    /// Folded key → every spelling with that key (one service; several case forms).
    by_key: HashMap<String, Vec<NameForm>>,
    /// Key with the spaces removed → keys, to recognise `Cloud Search` as `CloudSearch`.
    by_squashed: HashMap<String, Vec<String>>,
    /// The longest key, in tokens.
    max_tokens: usize,
    /// First token of a key → the longest key starting with it, in tokens: running text is
    /// mostly words no name starts with, and those are passed over with one lookup.
    starts: WordMap<usize>,
    /// Every word (folded token) of every key: a word of running text that is none of these
    /// cannot be part of a name.
    words: WordSet,
    /// A bit per [`word_bit`] of every word of `words`: most words of running text are ruled
    /// out by one bit, without hashing them.
    word_bits: Box<[u64]>,
    /// Spellings a near miss may be guessed from, compared as characters, by length.
    fuzzy: Vec<Fuzzy>,
    /// Whole names already resolved in this run: the same headings and labels come back in
    /// note after note, and guessing at a near miss is the costly part of matching.
    resolved: ResolveCache,
}

/// Text → what [`Vocabulary::resolve_name`] found, shared by the threads of a run.
#[derive(Debug, Default)]
pub(crate) struct ResolveCache(std::sync::Mutex<HashMap<String, matcher::Found>>);

impl ResolveCache {
    /// Kept small enough that a vault of unique headings cannot make it grow without bound.
    const LIMIT: usize = 1 << 16;

    pub(crate) fn get(&self, text: &str) -> Option<matcher::Found> {
        self.0.lock().ok()?.get(text).cloned()
    }

    pub(crate) fn put(&self, text: &str, found: &matcher::Found) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= Self::LIMIT {
                map.clear();
            }
            map.insert(text.to_owned(), found.clone());
        }
    }

    pub(crate) fn clear(&mut self) {
        if let Ok(map) = self.0.get_mut() {
            map.clear();
        }
    }
}

impl Clone for ResolveCache {
    /// A copy starts empty: its vocabulary may be changed.
    fn clone(&self) -> Self {
        ResolveCache::default()
    }
}

/// A spelling prepared for edit-distance comparison.
#[derive(Debug, Clone)]
pub(crate) struct Fuzzy {
    pub chars: Vec<char>,
    pub letters: crate::matcher::LetterCounts,
    /// The first character of each word of `key`.
    pub initials: Box<[char]>,
    pub key: String,
    pub form: NameForm,
}

/// A word of at most 16 bytes as numbers: its first and last eight bytes (or four, or each
/// byte of a shorter one) and its length, which together are the word. Hashed and compared
/// without a library call: a string key was compared through `memcmp` for every word of
/// prose that looks like a word of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ShortWord {
    head: u64,
    tail: u64,
    len: u8,
}

impl ShortWord {
    #[inline]
    fn of(word: &[u8]) -> Option<ShortWord> {
        let len = word.len();
        if len > 16 {
            return None;
        }
        let eight = |at: usize| {
            word.get(at..at + 8)
                .and_then(|b| b.try_into().ok())
                .map(u64::from_le_bytes)
        };
        let four = |at: usize| {
            word.get(at..at + 4)
                .and_then(|b| b.try_into().ok())
                .map(|b| u64::from(u32::from_le_bytes(b)))
        };
        let (head, tail) = match len {
            8..=16 => (eight(0)?, eight(len - 8)?),
            4..=7 => (four(0)?, four(len - 4)?),
            _ => (word.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b)), 0),
        };
        Some(ShortWord {
            head,
            tail,
            len: u8::try_from(len).ok()?,
        })
    }
}

/// Words (folded tokens) to values: the short ones (most) keyed as [`ShortWord`]s, the rest
/// as bytes.
#[derive(Debug, Clone)]
pub(crate) struct WordMap<V> {
    short: HashMap<ShortWord, V>,
    long: HashMap<Box<[u8]>, V>,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap {
            short: HashMap::default(),
            long: HashMap::default(),
        }
    }
}

impl<V> WordMap<V> {
    #[inline]
    pub(crate) fn get(&self, word: &[u8]) -> Option<&V> {
        match ShortWord::of(word) {
            Some(key) => self.short.get(&key),
            None => self.long.get(word),
        }
    }
}

impl<V: Default> WordMap<V> {
    /// The value of `word`, the default one put in first if it has none.
    pub(crate) fn entry(&mut self, word: &[u8]) -> &mut V {
        match ShortWord::of(word) {
            Some(key) => self.short.entry(key).or_default(),
            None => self.long.entry(word.into()).or_default(),
        }
    }
}

/// Words of names.
type WordSet = WordMap<()>;

/// Bits in [`Vocabulary::word_bits`].
const WORD_BITS: usize = 1 << 16;

/// The bit of a folded word: its length and first, second and last bytes, mixed.
fn word_bit(word: &[u8]) -> usize {
    let byte = |i: Option<&u8>| i.copied().unwrap_or(0);
    let (first, second, last) = (byte(word.first()), byte(word.get(1)), byte(word.last()));
    let packed =
        u32::from(first) | u32::from(second) << 8 | u32::from(last) << 16 | (word.len() as u32) << 24;
    (packed.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

impl Vocabulary {
    /// Whether `word` (folded) is a word of a name the vocabulary knows.
    pub(crate) fn is_name_word(&self, word: &str) -> bool {
        let bit = word_bit(word.as_bytes());
        self.word_bits[bit / 64] & (1 << (bit % 64)) != 0 && self.words.get(word.as_bytes()).is_some()
    }

    /// Record `word` (folded) as a word of a name.
    pub(crate) fn add_name_word(&mut self, word: &str) {
        let bit = word_bit(word.as_bytes());
        self.word_bits[bit / 64] |= 1 << (bit % 64);
        self.words.entry(word.as_bytes());
    }

    /// The vocabulary shipped with kb.
    pub fn builtin() -> Vocabulary {
        match Vocabulary::from_yaml(DEFAULT_VOCABULARY) {
            Ok(vocabulary) => vocabulary,
            // A test keeps the shipped file valid; reaching this is a build defect.
            Err(error) => unreachable!("the built-in vocabulary is invalid: {error}"),
        }
    }

    pub fn services(&self) -> &[Service] {
        &self.services
    }

    pub fn service(&self, id: ServiceId) -> &Service {
        &self.services[id.0]
    }

    /// The service with this stable id.
    pub fn by_id(&self, id: &str) -> Option<ServiceId> {
        self.ids.get(id).copied()
    }

    /// Whether `word` is a vendor prefix (`Amazon`, `AWS`), in any case.
    pub fn is_vendor_prefix(&self, word: &str) -> bool {
        self.prefixes.iter().any(|(key, _)| {
            if key.is_ascii() {
                key.eq_ignore_ascii_case(word)
            } else {
                *key == tokens::fold_word(word)
            }
        })
    }

    /// As [`Vocabulary::is_vendor_prefix`], for a word already folded ([`tokens::fold_word`]).
    pub fn is_vendor_prefix_folded(&self, folded: &str) -> bool {
        self.prefix_folded(folded).is_some()
    }

    pub fn len(&self) -> usize {
        self.services.len()
    }

    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
    }

    /// Every folded key with each of its spellings, in no particular order.
    pub(crate) fn by_key_iter(&self) -> impl Iterator<Item = (&String, &NameForm)> {
        self.by_key
            .iter()
            .flat_map(|(key, forms)| forms.iter().map(move |form| (key, form)))
    }

    /// Every spelling the vocabulary knows, with its service and kind, in a stable order (for
    /// generated fixtures and the name-list tests).
    pub fn names(&self) -> Vec<(ServiceId, NameKind, &str)> {
        let mut names: Vec<_> = self
            .by_key
            .values()
            .flatten()
            .map(|form| (form.service, form.kind, form.text.as_str()))
            .collect();
        names.sort();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn short_words_are_the_same_key_only_when_the_same_word(
            a in proptest::collection::vec(any::<u8>(), 0..=17),
            b in proptest::collection::vec(any::<u8>(), 0..=17),
        ) {
            let (ka, kb) = (ShortWord::of(&a), ShortWord::of(&b));
            prop_assert_eq!(ka.is_some(), a.len() <= 16);
            if let (Some(ka), Some(kb)) = (ka, kb) {
                prop_assert_eq!(ka == kb, a == b);
            }
        }

        #[test]
        fn a_changed_byte_or_length_is_another_key(
            word in proptest::collection::vec(any::<u8>(), 1..=16),
            at in any::<prop::sample::Index>(),
            by in 1u8..=255,
        ) {
            let key = ShortWord::of(&word);
            let mut changed = word.clone();
            let i = at.index(word.len());
            changed[i] = changed[i].wrapping_add(by);
            prop_assert_ne!(ShortWord::of(&changed), key);
            prop_assert_ne!(ShortWord::of(&word[..word.len() - 1]), key);
            // Zero bytes are bytes: a word and the same word with a zero after it differ.
            let mut longer = word.clone();
            longer.push(0);
            if longer.len() <= 16 {
                prop_assert_ne!(ShortWord::of(&longer), key);
            }
        }
    }

    #[test]
    fn words_of_names_are_found_whatever_their_length() {
        let mut set = WordMap::<usize>::default();
        let words = [
            "s3",
            "lambda",
            "의",
            "프리티어",
            "elasticache",
            "a-very-long-name-word-indeed",
        ];
        for (i, w) in words.iter().enumerate() {
            *set.entry(w.as_bytes()) = i;
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(set.get(w.as_bytes()), Some(&i), "{w}");
        }
        for w in [
            "s4",
            "lambdas",
            "프리",
            "elasticach",
            "a-very-long-name-word-indeex",
        ] {
            assert_eq!(set.get(w.as_bytes()), None, "{w}");
        }
    }
}
