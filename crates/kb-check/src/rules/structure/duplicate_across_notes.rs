use std::collections::BTreeMap;

use kb_model::{Entry, Note};

use crate::diagnostic::Related;
use crate::registry::declare_rule;
use crate::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports a service that has an entry in more than one note, listing the other notes.
    /// Comparison entries (one side of "ECS와 EKS의 차이") do not count.
    ///
    /// ## Why is this bad?
    /// What you know about the service is split across notes that drift apart; a flash-card
    /// export merges them, but a reader of the vault finds only one.
    ///
    /// ## Example
    /// `compute.md` and `serverless.md` both have `## AWS Lambda` with its own bullets.
    ///
    /// ## Fix safety
    /// There is no fix: which note should keep the entry is the author's call.
    DuplicateAcrossNotes { code: "KB302", name: "duplicate-across-notes", severity: Warning, default_on: true, fix: Never }
}

/// For every service with entries in several notes, one finding per note after the first
/// (in path order), each listing the others.
pub fn diagnostics(notes: &[&Note]) -> Vec<Diagnostic> {
    let mut by_id: BTreeMap<&str, Vec<(&str, &Entry)>> = BTreeMap::new();
    for note in notes {
        let mut seen = Vec::new();
        for entry in &note.entries {
            let Some(id) = entry.id.as_deref() else { continue };
            if entry.comparison || seen.contains(&id) {
                continue;
            }
            seen.push(id);
            by_id.entry(id).or_default().push((&note.path, entry));
        }
    }
    let mut out = Vec::new();
    for places in by_id.values() {
        if places.len() < 2 {
            continue;
        }
        for (i, (path, entry)) in places.iter().enumerate().skip(1) {
            let canonical = entry.canonical.as_deref().unwrap_or_default();
            let others: Vec<&str> = places
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, (p, _))| *p)
                .collect();
            let mut diagnostic = Diagnostic::new(
                &DuplicateAcrossNotes::META,
                path,
                entry.source.name_span,
                format!("`{canonical}` also has an entry in {}", list(&others)),
            )
            .with_label("entry here")
            .with_help("Keep one entry per service and link to it from the other notes");
            for (j, (other_path, other)) in places.iter().enumerate() {
                if j != i {
                    diagnostic = diagnostic.with_related(Related {
                        path: (*other_path).to_owned(),
                        span: other.source.name_span,
                        line: other.source.line,
                        column: other.source.column,
                        message: "another entry".to_owned(),
                    });
                }
            }
            out.push(diagnostic);
        }
    }
    out
}

fn list(paths: &[&str]) -> String {
    const SHOWN: usize = 3;
    let mut names: Vec<String> = paths.iter().take(SHOWN).map(|p| format!("`{p}`")).collect();
    if paths.len() > SHOWN {
        names.push(format!("{} more", paths.len() - SHOWN));
    }
    names.join(", ")
}
