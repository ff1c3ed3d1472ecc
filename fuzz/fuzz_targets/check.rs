//! Any text checks: no panic, and every finding and every edit of its fix lies inside the note
//! on character boundaries.
#![no_main]

use kb_check::Selection;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let checker = common::checker();
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
