//! A note generated from the built-in vocabulary: every canonical name, alias, abbreviation and
//! word in a heading, in a bold list label and in a sentence with Korean particles glued on.
//! Parsing it must give, for every heading and label, an entry of that service with no name
//! problem: a name the vocabulary accepts is never flagged, and no two services share one.
//!
//! The note is committed (`fixtures/generated/vocabulary-names.md`) so that `kb check` can run on
//! it too; `KB_REGENERATE=1 cargo test -p kb-parse` rewrites it after a vocabulary change.

use std::fmt::Write;
use std::path::PathBuf;

use kb_model::EntryKind;
use kb_vocab::{NameKind, Vocabulary};

/// Every accepted spelling the vocabulary lists (derived bare forms, former names and
/// misspellings left out), with its service's id, in a stable order.
fn names(vocab: &Vocabulary) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> = vocab
        .names()
        .into_iter()
        .filter(|(_, kind, _)| {
            matches!(
                kind,
                NameKind::Canonical | NameKind::Alias | NameKind::Abbreviation | NameKind::Word
            )
        })
        .map(|(service, _, text)| (vocab.service(service).id.clone(), text.to_owned()))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// An expected entry: its line, service id, name and kind.
type Expected = (u32, String, String, EntryKind);

fn generate(vocab: &Vocabulary) -> (String, Vec<Expected>) {
    let names = names(vocab);
    let mut expected = Vec::new();
    let mut out = String::from(
        "<!-- Generated from schema/vocabulary/aws.yaml by crates/kb-parse/tests/it/generated.rs; \
         regenerate with KB_REGENERATE=1. expect: one entry per heading and per bold label, each \
         resolving to its service with no name problem; the sentences are prose, not entries -->\n\n\
         # 헤딩\n\n",
    );
    let line = |out: &String| out.matches('\n').count() as u32 + 1;
    for (id, name) in &names {
        expected.push((line(&out), id.clone(), name.clone(), EntryKind::Heading));
        let _ = write!(out, "## {name}\n\n설명 한 줄.\n\n");
    }
    out.push_str("# 목록\n\n");
    for (id, name) in &names {
        expected.push((line(&out), id.clone(), name.clone(), EntryKind::ListItem));
        let _ = writeln!(out, "- **{name}**\n  - 설명 한 줄");
    }
    out.push_str("\n# 문장\n\n");
    for (i, (_, name)) in names.iter().enumerate() {
        let particle = ["이", "가", "를", "의", "에서"][i % 5];
        let _ = write!(out, "이 문장은 {name}{particle} 다룬다.\n\n");
    }
    (out, expected)
}

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/generated/vocabulary-names.md")
}

#[test]
fn every_vocabulary_name_reads_as_its_own_entry() {
    let vocab = Vocabulary::builtin();
    let (text, expected) = generate(&vocab);
    let path = path();
    if std::env::var_os("KB_REGENERATE").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is out of date: run `KB_REGENERATE=1 cargo test -p kb-parse`",
        path.display()
    );

    let parsed = kb_parse::parse("vocabulary-names.md", &text, &vocab);
    let entries = &parsed.note.entries;
    let mut wrong = Vec::new();
    for (line, id, name, kind) in &expected {
        match entries.iter().find(|e| e.source.line == *line) {
            None => wrong.push(format!("line {line}: {kind:?} `{name}` ({id}): no entry")),
            Some(entry)
                if entry.id.as_deref() != Some(id.as_str())
                    || entry.kind != *kind
                    || entry.name_problem.is_some() =>
            {
                wrong.push(format!(
                    "line {line}: {kind:?} `{name}` ({id}): got {:?} `{}` -> {:?}, problem {:?}",
                    entry.kind, entry.name, entry.id, entry.name_problem
                ))
            }
            Some(_) => {}
        }
    }
    let extra: Vec<String> = entries
        .iter()
        .filter(|e| !expected.iter().any(|(line, ..)| *line == e.source.line))
        .map(|e| format!("{} (line {})", e.name, e.source.line))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} names misread:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(extra.is_empty(), "entries from sentences: {extra:?}");
}
