//! Any text fixes: no panic, no entry lost, and fixing the result again changes nothing.
#![no_main]

use kb_check::Selection;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let checker = common::checker();
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
