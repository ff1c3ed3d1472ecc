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
