//! Properties over generated notes: parse never panics, and every span it returns is sound.

use kb_model::{Entry, Span};
use kb_vocab::Vocabulary;
use proptest::prelude::*;
use std::sync::OnceLock;

fn vocab() -> &'static Vocabulary {
    static VOCAB: OnceLock<Vocabulary> = OnceLock::new();
    VOCAB.get_or_init(Vocabulary::builtin)
}

/// Names to build notes from: real ones, misspelt ones, words that are not services.
fn name() -> impl Strategy<Value = String> {
    let names: Vec<String> = vocab()
        .services()
        .iter()
        .take(60)
        .map(|s| s.name.clone())
        .chain(
            [
                "Segemaker",
                "Amazon Elastic Block Stroe",
                "Cloud Search",
                "AWS SageMaker",
                "람다",
                "세이지메이커",
                "EC2",
                "S3",
                "Lambda",
                "lambda",
                "클라우드 소개",
                "ETC",
                "Amazon Nova",
                "Amazon EC2 요금",
                "ECS와 EKS의 차이",
            ]
            .map(str::to_owned),
        )
        .collect();
    proptest::sample::select(names)
}

/// One markdown fragment in a style seen in real notes.
fn fragment() -> impl Strategy<Value = String> {
    let text = prop_oneof![
        Just("AWS에서 제공하는 관리형 서비스".to_owned()),
        Just("A managed service for **storage**".to_owned()),
        Just("$0.90 ~ $1.00 per hour".to_owned()),
        Just("버킷에 저장한다. 요금은 쓴 만큼. e.g. 1. 끝...  다음。 (2).".to_owned()),
        Just("A store. It *scales*. See `x.y`. Done".to_owned()),
        Just("#Amazon #aws".to_owned()),
        Just("![[Pasted image 1.png]] and [[Amazon S3|버킷]]".to_owned()),
        "[a-zA-Z가-힣 ]{0,20}",
        "\\PC{0,12}",
    ];
    (name(), text, 1usize..7, 0usize..4).prop_flat_map(|(name, text, level, indent)| {
        let hashes = "#".repeat(level);
        let pad = ["", "  ", "\t", "    "][indent];
        prop_oneof![
            Just(format!("{hashes} {name}\n")),
            Just(format!("{hashes} {name} (설명)  *중요*\n")),
            Just(format!("{hashes} 2.1 {name}: {text}\n")),
            Just(format!(
                "- **{name}**\n{pad}- {text}\n{pad}- 특징\n{pad}{pad}1. {text}\n"
            )),
            Just(format!("-\u{a0}**{name}**\n  - {text}\n")),
            Just(format!("- {text}\n{pad}- {text}\n")),
            Just(format!("> [!Definition] {text}\n>\n> {text}\n")),
            Just(format!("{text}\n")),
            Just(format!(":cloud: {name}\n")),
            Just(format!("```\n{hashes} {name}\n```\n")),
            Just(format!("| {name} | {text} |\n|---|---|\n| a | b |\n")),
            Just("___\n".to_owned()),
            Just("\n".to_owned()),
            Just(format!("[{name}](#{name})\n")),
            Just(format!("<img src=\"x.png\"> {name}\n")),
        ]
    })
}

fn note() -> impl Strategy<Value = String> {
    let front = prop_oneof![
        Just(String::new()),
        Just(
            "---\ntitle: \"Amazon S3\"\ntags: [AWS, 스토리지]\ndate: 2024-05-01 09:00:00 +0900\n---\n"
                .to_owned()
        ),
        Just("---\ntitle: [unclosed\n---\n".to_owned()),
        Just("---\nnever closed\n".to_owned()),
        Just("---\n---\n".to_owned()),
    ];
    (
        any::<bool>(),
        front,
        proptest::collection::vec(fragment(), 0..14),
        any::<bool>(),
    )
        .prop_map(|(bom, front, fragments, crlf)| {
            let mut text = String::new();
            if bom {
                text.push('\u{FEFF}');
            }
            text.push_str(&front);
            text.push_str(&fragments.concat());
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            text
        })
}

fn assert_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} {span:?} out of bounds"
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} {span:?} not on char boundaries"
    );
}

fn check_entry(text: &str, entry: &Entry) {
    let outer = entry.source.span;
    assert_span(text, outer, "entry span");
    assert_span(text, entry.source.name_span, "name span");
    assert!(
        outer.contains(entry.source.name_span),
        "name {:?} outside entry {outer:?}",
        entry.source.name_span
    );
    assert!(entry.source.line >= 1 && entry.source.line <= entry.source.end_line);
    let inner = entry
        .summary
        .iter()
        .map(|s| s.span)
        .chain(entry.features.iter().map(|f| f.span))
        .chain(entry.sections.iter().flat_map(|s| s.items.iter().map(|i| i.span)));
    for span in inner {
        assert_span(text, span, "item span");
        assert!(outer.contains(span), "item {span:?} outside entry {outer:?}");
    }
    for feature in &entry.features {
        assert!(feature.depth <= kb_model::MAX_DEPTH);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_and_spans_are_sound(text in note(), name in "[a-zA-Z가-힣 ._-]{1,12}") {
        let path = format!("notes/{name}.md");
        let parsed = kb_parse::parse(&path, &text, vocab());
        for entry in &parsed.note.entries {
            check_entry(&text, entry);
        }
        for problem in &parsed.problems {
            assert_span(&text, problem.span, "problem span");
        }
        // Entries come in file order; two entries are disjoint or one holds the other (a
        // sub-entry inside the note's own entry, or inside a parent heading's entry).
        for pair in parsed.note.entries.windows(2) {
            prop_assert!(pair[0].source.span.start <= pair[1].source.span.start);
        }
        for (i, a) in parsed.note.entries.iter().enumerate() {
            for b in &parsed.note.entries[i + 1..] {
                let (a, b) = (a.source.span, b.source.span);
                prop_assert!(a.end <= b.start || a.contains(b), "{a:?} and {b:?} overlap");
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let parsed = kb_parse::parse("a.md", &text, vocab());
        for entry in &parsed.note.entries {
            check_entry(&text, entry);
        }
    }
}

#[test]
fn deep_nesting_is_capped_and_does_not_overflow() {
    let mut text = String::from("## Amazon S3\n- 요약\n");
    for depth in 1..200 {
        text.push_str(&"  ".repeat(depth));
        text.push_str("- 항목\n");
    }
    let parsed = kb_parse::parse("deep.md", &text, vocab());
    let entry = &parsed.note.entries[0];
    assert!(entry.features.iter().all(|f| f.depth <= kb_model::MAX_DEPTH));
    assert!(entry.features.len() > 40);
}
