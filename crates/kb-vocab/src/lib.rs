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
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

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
    starts: HashMap<String, usize>,
    /// Every word (folded token) of every key: a word of running text that is none of these
    /// cannot be part of a name.
    words: HashSet<String>,
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
        self.word_bits[bit / 64] & (1 << (bit % 64)) != 0 && self.words.contains(word)
    }

    /// Record `word` (folded) as a word of a name.
    pub(crate) fn add_name_word(&mut self, word: &str) {
        if !self.words.contains(word) {
            let bit = word_bit(word.as_bytes());
            self.word_bits[bit / 64] |= 1 << (bit % 64);
            self.words.insert(word.to_owned());
        }
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
