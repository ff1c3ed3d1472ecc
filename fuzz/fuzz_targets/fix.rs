//! Any text fixes: no panic, no entry lost, and fixing the result again changes nothing.
#![no_main]

use std::sync::OnceLock;

use kb_check::{Checker, Policy, Selection, Vault};
use libfuzzer_sys::fuzz_target;

struct Setup {
    vocab: kb_vocab::Vocabulary,
    policy: Policy,
    vault: Vault,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| Setup {
        vocab: kb_vocab::Vocabulary::builtin(),
        policy: Policy::builtin(),
        vault: Vault::new(["note.md".to_owned(), "img.png".to_owned()]),
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let s = setup();
    let checker = Checker {
        policy: &s.policy,
        vocab: &s.vocab,
        vault: &s.vault,
        anchor_style: Default::default(),
        accepted_words: &[],
    };
    let selection = Selection::defaults();
    let check = |candidate: &str| checker.check_text("note.md", candidate, &selection);
    let once = kb_check::fix::fix(text, true, check);
    let before = check(text).entries;
    let after = check(&once.text).entries;
    assert!(after >= before, "fix lost an entry: {before} -> {after}");
    if once.stopped.is_none() {
        let twice = kb_check::fix::fix(&once.text, true, check);
        assert_eq!(twice.text, once.text, "fixing twice changed the text again");
    }
});
