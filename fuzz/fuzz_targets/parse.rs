//! Any text parses: no panic, and every span of the canonical form lies on character
//! boundaries inside the note.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn vocab() -> &'static kb_vocab::Vocabulary {
    static VOCAB: OnceLock<kb_vocab::Vocabulary> = OnceLock::new();
    VOCAB.get_or_init(kb_vocab::Vocabulary::builtin)
}

fn on_boundaries(text: &str, span: kb_model::Span) {
    assert!(span.start <= span.end && span.end <= text.len(), "{span:?} outside the note");
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{span:?} splits a character");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed = kb_parse::parse("note.md", text, vocab());
    for entry in &parsed.note.entries {
        on_boundaries(text, entry.source.span);
        on_boundaries(text, entry.source.name_span);
        if let Some(summary) = &entry.summary {
            on_boundaries(text, summary.span);
        }
        for feature in &entry.features {
            on_boundaries(text, feature.span);
        }
    }
});
