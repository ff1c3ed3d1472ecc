//! What the check and fix targets share: the built-in vocabulary and policy, and a small vault,
//! made once per process.

use std::sync::OnceLock;

use kb_check::{Checker, Policy, Vault};

pub struct Setup {
    vocab: kb_vocab::Vocabulary,
    policy: Policy,
    vault: Vault,
}

pub fn checker() -> Checker<'static> {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    let setup = SETUP.get_or_init(|| Setup {
        vocab: kb_vocab::Vocabulary::builtin(),
        policy: Policy::builtin(),
        vault: Vault::new(["note.md".to_owned(), "other.md".to_owned(), "img.png".to_owned()]),
    });
    Checker {
        policy: &setup.policy,
        vocab: &setup.vocab,
        vault: &setup.vault,
        anchor_style: Default::default(),
        accepted_words: &[],
    }
}
