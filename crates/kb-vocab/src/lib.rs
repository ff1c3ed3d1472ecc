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

use std::collections::HashMap;

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
    /// Folded vendor prefixes (`amazon`, `aws`) with their written form.
    prefixes: Vec<(String, String)>,
    /// Folded key → every spelling with that key (one service; several case forms).
    by_key: HashMap<String, Vec<NameForm>>,
    /// Key with the spaces removed → keys, to recognise `Cloud Search` as `CloudSearch`.
    by_squashed: HashMap<String, Vec<String>>,
    /// The longest key, in tokens.
    max_tokens: usize,
    /// Spellings a near miss may be guessed from, compared as characters, by length.
    fuzzy: Vec<Fuzzy>,
}

/// A spelling prepared for edit-distance comparison.
#[derive(Debug, Clone)]
pub(crate) struct Fuzzy {
    pub chars: Vec<char>,
    pub key: String,
    pub form: NameForm,
}

impl Vocabulary {
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
        self.services.iter().position(|s| s.id == id).map(ServiceId)
    }

    /// Whether `word` is a vendor prefix (`Amazon`, `AWS`), in any case.
    pub fn is_vendor_prefix(&self, word: &str) -> bool {
        let folded = tokens::fold_word(word);
        self.prefixes.iter().any(|(key, _)| *key == folded)
    }

    pub fn len(&self) -> usize {
        self.services.len()
    }

    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
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
