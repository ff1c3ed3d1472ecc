//! Stable Anki note GUIDs.
//!
//! A GUID is a hash of a stable key, never of the content: the vocabulary id of the service
//! (so renaming a service, or fixing a misspelt heading, keeps the note), or for a name the
//! vocabulary does not know, the name in NFC (Anki stores text in NFC, and macOS file names
//! arrive in NFD).

use kb_model::Entry;
use unicode_normalization::UnicodeNormalization;

/// What identifies one Anki note: a service of the vocabulary, or a name it does not know.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceKey {
    /// A vocabulary id (`amazon-sagemaker`).
    Id(String),
    /// An unresolved name, trimmed and in NFC.
    Name(String),
}

impl ServiceKey {
    pub fn of(entry: &Entry) -> ServiceKey {
        match &entry.id {
            Some(id) => ServiceKey::Id(id.clone()),
            None => ServiceKey::Name(entry.name.trim().nfc().collect()),
        }
    }
}

/// The note GUID for `key`: `kb` and 16 hex digits of a 64-bit FNV-1a hash. Never starts with
/// `#` (a comment in Anki's text import) and contains no separator.
pub fn guid_for(key: &ServiceKey) -> String {
    let (kind, text) = match key {
        ServiceKey::Id(id) => ("id", id.as_str()),
        ServiceKey::Name(name) => ("name", name.as_str()),
    };
    let mut hash = Fnv1a::new();
    hash.write(b"kb-guid\x1f");
    hash.write(kind.as_bytes());
    hash.write(b"\x1f");
    hash.write(text.as_bytes());
    format!("kb{:016x}", hash.finish())
}

/// A small integer id in Anki's conventional range for hand-made ids (`[2^30, 2^31)`),
/// derived from a name (deck ids; Anki matches decks by name anyway).
pub(crate) fn small_id(name: &str) -> i64 {
    let mut hash = Fnv1a::new();
    hash.write(b"kb-id\x1f");
    hash.write(name.as_bytes());
    (1 << 30) + (hash.finish() % (1 << 30)) as i64
}

/// FNV-1a, 64 bits: tiny, stable forever, and good enough for keys that are few and distinct.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_id_gives_the_same_guid() {
        let a = guid_for(&ServiceKey::Id("amazon-sagemaker".into()));
        let b = guid_for(&ServiceKey::Id("amazon-sagemaker".into()));
        assert_eq!(a, b);
        assert_ne!(a, guid_for(&ServiceKey::Id("amazon-s3".into())));
        assert_eq!(a.len(), 18);
        assert!(a.starts_with("kb"));
    }

    #[test]
    fn guids_are_pinned() {
        // Changing these breaks every deck users have imported: never do it.
        assert_eq!(
            guid_for(&ServiceKey::Id("amazon-sagemaker".into())),
            "kb8103333a694eda16"
        );
    }

    #[test]
    fn ids_and_names_never_collide() {
        assert_ne!(
            guid_for(&ServiceKey::Id("x".into())),
            guid_for(&ServiceKey::Name("x".into()))
        );
    }
}
