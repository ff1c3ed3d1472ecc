//! The vocabulary file format and its validation.

use std::collections::HashSet;

use serde::Deserialize;

use crate::tokens::{join, key_of, tokenize};
use crate::{NameForm, NameKind, Service, ServiceId, Vocabulary};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceType {
    Service,
    Tool,
    Feature,
}

impl ServiceType {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::Service => "service",
            ServiceType::Tool => "tool",
            ServiceType::Feature => "feature",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabFile {
    version: u32,
    #[serde(default)]
    prefixes: Vec<String>,
    services: Vec<ServiceEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceEntry {
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: ServiceType,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    abbreviations: Vec<String>,
    #[serde(default)]
    words: Vec<String>,
    #[serde(default)]
    former: Vec<String>,
    #[serde(default)]
    misspellings: Vec<String>,
    #[serde(default)]
    retired: Option<String>,
}

/// Why a vocabulary could not be loaded.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum VocabError {
    #[error("the vocabulary is not valid YAML for kb: {message}")]
    #[diagnostic(code(kb::vocab::syntax))]
    Syntax { message: String, line: u64, column: u64 },

    #[error("the vocabulary has version {found}; this kb reads version 1")]
    #[diagnostic(code(kb::vocab::version))]
    Version { found: u32 },

    #[error("service id `{id}` is used twice")]
    #[diagnostic(code(kb::vocab::duplicate_id))]
    DuplicateId { id: String },

    #[error("service id `{id}` is not kebab-case")]
    #[diagnostic(code(kb::vocab::bad_id), help("use lower-case ASCII letters, digits and `-`"))]
    BadId { id: String },

    #[error("`{name}` names both `{first}` and `{second}`")]
    #[diagnostic(
        code(kb::vocab::ambiguous_name),
        help("a name (after folding case and spaces) may belong to one service only")
    )]
    AmbiguousName {
        name: String,
        first: String,
        second: String,
    },

    #[error("`{id}` has parent `{parent}`, which is not in the vocabulary")]
    #[diagnostic(code(kb::vocab::unknown_parent))]
    UnknownParent { id: String, parent: String },

    #[error("`{name}` is not a service of the vocabulary")]
    #[diagnostic(
        code(kb::vocab::unknown_service),
        help("name a service by its id or canonical name")
    )]
    UnknownService { name: String },

    #[error("`{id}` has an empty name")]
    #[diagnostic(code(kb::vocab::empty_name))]
    EmptyName { id: String },
}

impl Vocabulary {
    /// Load a vocabulary from YAML text and check it: ids unique and kebab-case, every parent
    /// known, no name shared by two services.
    pub fn from_yaml(text: &str) -> Result<Vocabulary, VocabError> {
        let options = serde_saphyr::options! { strict_booleans: true };
        let file: VocabFile = serde_saphyr::from_str_with_options(text, options).map_err(|error| {
            let (line, column) = error.location().map(|l| (l.line(), l.column())).unwrap_or((0, 0));
            VocabError::Syntax {
                message: error.to_string(),
                line,
                column,
            }
        })?;
        if file.version != 1 {
            return Err(VocabError::Version { found: file.version });
        }
        build(file)
    }
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn build(file: VocabFile) -> Result<Vocabulary, VocabError> {
    let prefixes: Vec<(String, String)> = file
        .prefixes
        .iter()
        .map(|p| (key_of(p), p.clone()))
        .filter(|(key, _)| !key.is_empty())
        .collect();

    let mut ids = HashSet::new();
    for entry in &file.services {
        if !is_kebab(&entry.id) {
            return Err(VocabError::BadId { id: entry.id.clone() });
        }
        if !ids.insert(entry.id.clone()) {
            return Err(VocabError::DuplicateId { id: entry.id.clone() });
        }
    }
    for entry in &file.services {
        if let Some(parent) = &entry.parent {
            if !ids.contains(parent) {
                return Err(VocabError::UnknownParent {
                    id: entry.id.clone(),
                    parent: parent.clone(),
                });
            }
        }
    }

    let mut vocabulary = Vocabulary {
        services: Vec::with_capacity(file.services.len()),
        ids: Default::default(),
        prefixes,
        by_key: Default::default(),
        by_squashed: Default::default(),
        max_tokens: 1,
        starts: Default::default(),
        words: Default::default(),
        word_bits: vec![0; crate::WORD_BITS / 64].into_boxed_slice(),
        fuzzy: Vec::new(),
        resolved: Default::default(),
    };
    for (index, entry) in file.services.into_iter().enumerate() {
        let id = ServiceId(index);
        if key_of(&entry.name).is_empty() {
            return Err(VocabError::EmptyName { id: entry.id });
        }
        let words: HashSet<String> = entry.words.iter().map(|w| key_of(w)).collect();
        let mut forms: Vec<(NameKind, String)> = vec![(NameKind::Canonical, entry.name.clone())];
        forms.extend(entry.aliases.iter().map(|a| (NameKind::Alias, a.clone())));
        forms.extend(
            entry
                .abbreviations
                .iter()
                .map(|a| (NameKind::Abbreviation, a.clone())),
        );
        forms.extend(entry.words.iter().map(|w| (NameKind::Word, w.clone())));
        forms.extend(
            entry
                .misspellings
                .iter()
                .map(|m| (NameKind::Misspelling, m.clone())),
        );
        forms.extend(entry.former.iter().map(|f| (NameKind::Former, f.clone())));
        // Names written without their vendor prefix: `SageMaker` for `Amazon SageMaker`. Not for
        // misspellings: `Amazon Recognition` is a slip, `recognition` an English word.
        let mut bare = Vec::new();
        for (kind, text) in &forms {
            if !matches!(kind, NameKind::Canonical | NameKind::Alias) {
                continue;
            }
            if let Some(rest) = vocabulary.strip_prefix(text) {
                if !words.contains(&key_of(&rest)) {
                    bare.push((NameKind::Bare, rest));
                }
            }
        }
        forms.extend(bare);
        for (kind, text) in forms {
            vocabulary.insert(id, kind, text, &entry.id)?;
        }
        vocabulary.ids.insert(entry.id.clone(), id);
        vocabulary.services.push(Service {
            id: entry.id,
            name: entry.name,
            kind: entry.kind,
            category: entry.category,
            parent: entry.parent,
            retired: entry.retired,
        });
    }
    vocabulary.rebuild_fuzzy();
    Ok(vocabulary)
}

impl Vocabulary {
    /// `text` without its leading vendor prefix, when it has one and something follows it.
    fn strip_prefix(&self, text: &str) -> Option<String> {
        let tokens = tokenize(text);
        let first = tokens.first()?;
        if tokens.len() < 2 || self.prefix_folded(&first.folded).is_none() {
            return None;
        }
        Some(text[tokens[1].start..].trim().to_owned())
    }

    fn insert(
        &mut self,
        service: ServiceId,
        kind: NameKind,
        text: String,
        id: &str,
    ) -> Result<(), VocabError> {
        let tokens = tokenize(&text);
        if tokens.is_empty() {
            return Err(VocabError::EmptyName { id: id.to_owned() });
        }
        let key = join(&tokens);
        let claimed_by = self
            .by_key
            .get(&key)
            .and_then(|forms| forms.iter().find(|f| f.service != service))
            .map(|other| other.service);
        if let Some(other) = claimed_by {
            return Err(VocabError::AmbiguousName {
                name: text,
                first: self.services[other.0].id.clone(),
                second: id.to_owned(),
            });
        }
        let forms = self.by_key.entry(key.clone()).or_default();
        // The same key twice for one service: keep the most accepted kind, and each case form.
        if let Some(existing) = forms.iter_mut().find(|f| f.text == text) {
            existing.kind = existing.kind.min(kind);
        } else {
            forms.push(NameForm {
                service,
                kind,
                text,
                tokens: tokens.len(),
            });
        }
        forms.sort_by_key(|f| f.kind);
        self.max_tokens = self.max_tokens.max(tokens.len());
        for token in &tokens {
            self.add_name_word(&token.folded);
        }
        if let Some(first) = tokens.first() {
            let longest = self.starts.entry(first.folded.as_bytes());
            *longest = (*longest).max(tokens.len());
        }
        let squashed: String = tokens.iter().map(|t| t.folded.as_str()).collect();
        let keys = self.by_squashed.entry(squashed).or_default();
        if !keys.contains(&key) {
            keys.push(key);
        }
        Ok(())
    }

    /// Accept `alias` as a name of `service` (its id or canonical name), as `kb.toml` asks.
    pub fn add_alias(&mut self, service: &str, alias: &str) -> Result<(), VocabError> {
        let wanted = key_of(service);
        let index = self
            .services
            .iter()
            .position(|s| s.id == service || key_of(&s.name) == wanted)
            .ok_or_else(|| VocabError::UnknownService {
                name: service.to_owned(),
            })?;
        let id = self.services[index].id.clone();
        self.insert(ServiceId(index), NameKind::Alias, alias.to_owned(), &id)?;
        self.rebuild_fuzzy();
        self.resolved.clear();
        Ok(())
    }

    /// Prepare the spellings a near miss may be guessed from: never misspellings, short forms
    /// or ordinary words (`Batch` is not `Match`).
    fn rebuild_fuzzy(&mut self) {
        let mut fuzzy: Vec<crate::Fuzzy> = self
            .by_key
            .iter()
            .flat_map(|(key, forms)| forms.iter().map(move |f| (key, f)))
            .filter(|(_, f)| {
                !matches!(
                    f.kind,
                    NameKind::Misspelling | NameKind::Abbreviation | NameKind::Word
                )
            })
            .map(|(key, form)| {
                let chars = crate::matcher::comparable(key);
                crate::Fuzzy {
                    letters: crate::matcher::LetterCounts::of(&chars),
                    initials: crate::matcher::initials(key),
                    chars,
                    key: key.clone(),
                    form: form.clone(),
                }
            })
            .collect();
        fuzzy.sort_by(|a, b| {
            (a.chars.len(), &a.key, &a.form.text).cmp(&(b.chars.len(), &b.key, &b.form.text))
        });
        self.fuzzy = fuzzy;
    }

    pub(crate) fn fuzzy(&self) -> &[crate::Fuzzy] {
        &self.fuzzy
    }

    /// The vendor prefix whose folded key is `folded`, with its written form. Asked for most
    /// words of prose: a word of another length or first byte is ruled out without comparing
    /// it (a library call per word of a prefix's length, Korean words of two syllables among
    /// them, is a measurable share of the run).
    #[inline]
    pub(crate) fn prefix_folded(&self, folded: &str) -> Option<&(String, String)> {
        let first = *folded.as_bytes().first()?;
        self.prefixes
            .iter()
            .find(|(key, _)| key.len() == folded.len() && key.as_bytes()[0] == first && key == folded)
    }

    pub(crate) fn forms(&self, key: &str) -> Option<&[NameForm]> {
        self.by_key.get(key).map(Vec::as_slice)
    }

    pub(crate) fn squashed(&self, squashed: &str) -> Option<&[String]> {
        self.by_squashed.get(squashed).map(Vec::as_slice)
    }

    /// The most tokens any name has.
    pub(crate) fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// The most tokens a name starting with `first` (a folded token) can have; 0 when no name
    /// starts with it. A vendor prefix can start any name (`AWS SageMaker` is checked as a
    /// wrongly prefixed `SageMaker`).
    pub(crate) fn longest_from(&self, first: &str) -> usize {
        if self.prefix_folded(first).is_some() {
            return self.max_tokens + 1;
        }
        self.starts.get(first.as_bytes()).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
version: 1
prefixes: [Amazon, AWS]
services:
  - id: amazon-sagemaker
    name: Amazon SageMaker
    type: service
    aliases: [Amazon SageMaker AI, 세이지메이커]
  - id: aws-lambda
    name: AWS Lambda
    type: service
    words: [Lambda]
"#;

    #[test]
    fn loads_and_derives_bare_names() {
        let vocab = Vocabulary::from_yaml(SMALL).unwrap();
        assert_eq!(vocab.len(), 2);
        let sagemaker = vocab.forms("sagemaker").unwrap();
        assert_eq!(sagemaker[0].kind, NameKind::Bare);
        assert_eq!(vocab.forms("sagemaker ai").unwrap()[0].kind, NameKind::Bare);
        // A bare name listed as an ordinary word stays a word.
        assert_eq!(vocab.forms("lambda").unwrap()[0].kind, NameKind::Word);
    }

    #[test]
    fn rejects_a_name_claimed_by_two_services() {
        let text = SMALL.replace("[Lambda]", "[Lambda, 세이지메이커]");
        let error = Vocabulary::from_yaml(&text).unwrap_err();
        assert!(matches!(error, VocabError::AmbiguousName { .. }), "{error}");
        assert_eq!(
            error.to_string(),
            "`세이지메이커` names both `amazon-sagemaker` and `aws-lambda`"
        );
    }

    #[test]
    fn rejects_bad_ids_unknown_parents_and_unknown_keys() {
        let bad_id = SMALL.replace("id: aws-lambda", "id: AWS_Lambda");
        assert!(matches!(
            Vocabulary::from_yaml(&bad_id),
            Err(VocabError::BadId { .. })
        ));
        let parent = SMALL.replace("words: [Lambda]", "words: [Lambda]\n    parent: nope");
        assert!(matches!(
            Vocabulary::from_yaml(&parent),
            Err(VocabError::UnknownParent { .. })
        ));
        let unknown = SMALL.replace("words: [Lambda]", "wordz: [Lambda]");
        assert!(matches!(
            Vocabulary::from_yaml(&unknown),
            Err(VocabError::Syntax { .. })
        ));
    }

    #[test]
    fn the_builtin_vocabulary_loads() {
        let vocab = Vocabulary::from_yaml(crate::DEFAULT_VOCABULARY).unwrap();
        assert!(vocab.len() >= 100, "only {} services", vocab.len());
    }
}
