//! Any start of a file splits into front matter and body, and any YAML reads or fails with an
//! error: no panic, no unbounded alias expansion, spans inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match kb_parse::front_matter::split(text) {
        kb_parse::front_matter::Splitting::Closed(split) => {
            assert!(split.block.end <= text.len() && split.body_start <= text.len());
            let yaml = &text[split.yaml.start..split.yaml.end];
            if let Ok(front_matter) = kb_parse::front_matter::read(yaml, split.yaml.start) {
                for span in front_matter.keys.values() {
                    assert!(span.end <= text.len(), "{span:?}");
                }
            }
        }
        kb_parse::front_matter::Splitting::Unclosed(span) => assert!(span.end <= text.len()),
        kb_parse::front_matter::Splitting::None => {}
    }
    // The YAML reader alone, on any text.
    let _ = kb_parse::front_matter::read(text, 0);
});
