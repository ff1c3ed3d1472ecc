use kb_model::Note;

use crate::diagnostic::Related;
use crate::registry::declare_rule;
use crate::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports a service introduced twice in one note: two headings or labels that resolve to
    /// the same vocabulary id. Facets (`Amazon EC2 요금`) and a link heading followed by an
    /// icon heading of the same service are one entry, not two.
    ///
    /// ## Why is this bad?
    /// The second entry usually holds notes that belong with the first; readers and exports
    /// see two half-entries instead of one whole one.
    ///
    /// ## Example
    /// ```markdown
    /// ## Amazon EC2
    /// - 가상 서버
    /// ## Amazon S3
    /// - 객체 스토리지
    /// ## Amazon EC2
    /// - 인스턴스 유형
    /// ```
    /// Use instead: merge the second EC2 section into the first.
    ///
    /// The policy lives in `schema/policy/note.schema.json` (`uniqueBy: id` on `entries`).
    ///
    /// ## Fix safety
    /// There is no fix: merging is the author's call.
    DuplicateEntry { code: "KB301", name: "duplicate-entry", severity: Error, default_on: true, fix: Never }
}

/// Every entry whose id an earlier entry of the note already has, pointing back at the first.
pub fn diagnostics(note: &Note) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut first_of: std::collections::HashMap<&str, &kb_model::Entry> = std::collections::HashMap::new();
    for entry in &note.entries {
        let Some(id) = entry.id.as_deref() else { continue };
        let first = *first_of.entry(id).or_insert(entry);
        if std::ptr::eq(first, entry) {
            continue;
        }
        let canonical = entry.canonical.as_deref().unwrap_or(id);
        out.push(
            Diagnostic::new(
                &DuplicateEntry::META,
                &note.path,
                entry.source.name_span,
                format!(
                    "`{canonical}` is introduced again (first at line {})",
                    first.source.line
                ),
            )
            .with_label("second entry")
            .with_related(Related {
                path: note.path.clone(),
                span: first.source.name_span,
                line: first.source.line,
                column: first.source.column,
                message: "first entry".into(),
            })
            .with_help("Merge the two entries into one"),
        );
    }
    out
}
