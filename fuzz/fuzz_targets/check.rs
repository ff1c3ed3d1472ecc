//! Any text checks: no panic, and every finding and every edit of its fix lies inside the note
//! on character boundaries.
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
        vault: Vault::new(["note.md".to_owned(), "other.md".to_owned(), "img.png".to_owned()]),
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
    let Ok(selection) = Selection::build(Some(&["ALL".to_owned()]), &[], &[], &[]) else { return };
    let checked = checker.check_text("note.md", text, &selection);
    for d in &checked.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{d:?}");
        assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end), "{d:?}");
        for edit in d.fix.iter().flat_map(|f| &f.edits) {
            assert!(edit.start <= edit.end && edit.end <= text.len(), "{d:?}");
            assert!(text.is_char_boundary(edit.start) && text.is_char_boundary(edit.end), "{d:?}");
        }
    }
});
