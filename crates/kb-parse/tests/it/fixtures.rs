//! Every note in `fixtures/parse/` is a test: its extracted entries are snapshotted, so a change
//! in what the parser reads shows up in review. The comment at the top of each fixture says what
//! a correct parser extracts.

use std::fmt::Write;

use kb_vocab::Vocabulary;

/// A compact, reviewable rendering of what the parser read.
fn render(path: &str, text: &str) -> String {
    let vocab = Vocabulary::builtin();
    let parsed = kb_parse::parse(path, text, &vocab);
    let note = &parsed.note;
    let mut out = String::new();
    let _ = writeln!(out, "title: {:?}", note.title);
    if let Some(fm) = &note.front_matter {
        let _ = writeln!(out, "front_matter: {fm}");
    }
    for problem in &parsed.problems {
        let at = parsed.line_index.line_col(text, problem.span.start);
        let _ = writeln!(
            out,
            "problem {}:{} {:?}: {}",
            at.line, at.column, problem.kind, problem.message
        );
    }
    for entry in &note.entries {
        let _ = writeln!(
            out,
            "- {}:{}-{} {:?} `{}` -> {}",
            entry.source.line,
            entry.source.column,
            entry.source.end_line,
            entry.kind,
            entry.name,
            entry.canonical.as_deref().unwrap_or("?"),
        );
        // A name taken from the file name has no place in the text.
        if !entry.source.name_span.is_empty() {
            let written = &text[entry.source.name_span.as_range()];
            assert!(
                written.contains(entry.name.split_whitespace().next().unwrap_or_default()),
                "name span"
            );
        }
        if let Some(problem) = &entry.name_problem {
            let _ = writeln!(
                out,
                "    problem: {} -> `{}`",
                problem.kind.as_str(),
                problem.suggestion
            );
        }
        if let Some(expansion) = &entry.expansion {
            let _ = writeln!(out, "    expansion: {expansion}");
        }
        if let Some(category) = &entry.category {
            let _ = writeln!(out, "    category: {category}");
        }
        if entry.comparison {
            let _ = writeln!(out, "    comparison");
        }
        match &entry.summary {
            Some(summary) => {
                let _ = writeln!(out, "    summary: {}", summary.text);
            }
            None => {
                let _ = writeln!(out, "    summary: (none)");
            }
        }
        for feature in &entry.features {
            let _ = writeln!(
                out,
                "    {}* {}",
                "  ".repeat(feature.depth as usize),
                feature.text
            );
        }
        for section in &entry.sections {
            let _ = writeln!(
                out,
                "    section `{}`: {} items",
                section.title,
                section.items.len()
            );
        }
        if !entry.tags.is_empty() {
            let _ = writeln!(out, "    tags: {}", entry.tags.join(", "));
        }
    }
    if note.entries.is_empty() {
        out.push_str("(no entries)\n");
    }
    out
}

#[test]
fn parse_fixtures() {
    insta::glob!("../../../../fixtures/parse", "**/*.md", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        insta::assert_snapshot!(render(&name, &text));
    });
}

#[test]
fn a_summary_paragraphs_further_sentences_are_features_at_their_own_bytes() {
    let text = "## Amazon S3\n버킷에 객체를 저장한다.  내구성이 높다.\n요금은 쓴 만큼 낸다.\n";
    let parsed = kb_parse::parse("a.md", text, &Vocabulary::builtin());
    let entry = &parsed.note.entries[0];
    let summary = entry.summary.as_ref().unwrap();
    assert_eq!(summary.text, "버킷에 객체를 저장한다.");
    assert_eq!(&text[summary.span.as_range()], "버킷에 객체를 저장한다.");
    let features: Vec<(&str, &str)> = entry
        .features
        .iter()
        .map(|f| (f.text.as_str(), &text[f.span.as_range()]))
        .collect();
    assert_eq!(
        features,
        [
            ("내구성이 높다.", "내구성이 높다."),
            ("요금은 쓴 만큼 낸다.", "요금은 쓴 만큼 낸다.")
        ]
    );
}
