//! Name rules: an entry's name checked against the vocabulary. The schema routing reports them
//! (`canonical` must be a string, `name_problem` must be null); this module builds the finding
//! and its fix.

pub mod misspelled_name;
pub mod name_casing;
pub mod non_canonical_name;
pub mod outdated_name;
pub mod unknown_service;

use kb_model::{Entry, NameProblemKind};
use kb_vocab::{Found, NameKind, Vocabulary};

use crate::diagnostic::{Applicability, Edit, Fix};
use crate::registry::RuleMeta;
use crate::Diagnostic;

/// The finding for an entry whose name has a problem, with a fix when the name stands in the
/// file as one piece of text.
pub fn entry_name_diagnostic(entry: &Entry, text: &str, vocab: &Vocabulary) -> Option<Diagnostic> {
    let problem = entry.name_problem.as_ref()?;
    let (meta, message, applicability): (&RuleMeta, String, Applicability) = match problem.kind {
        NameProblemKind::Misspelled => {
            // A misspelling the vocabulary records is safe to fix; a guess is not.
            let recorded = matches!(
                vocab.resolve_name(&entry.name),
                Found::Match(m) if m.kind == NameKind::Misspelling
            );
            (
                &misspelled_name::MisspelledName::META,
                format!("`{}` is not a known service name", entry.name),
                if recorded {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                },
            )
        }
        NameProblemKind::NonCanonical => (
            &non_canonical_name::NonCanonicalName::META,
            format!("`{}` is not how AWS writes this name", entry.name),
            Applicability::Safe,
        ),
        NameProblemKind::Outdated => (
            &outdated_name::OutdatedName::META,
            format!("`{}` is a former name", entry.name),
            Applicability::Safe,
        ),
        NameProblemKind::Casing => (
            &name_casing::NameCasing::META,
            format!("`{}` is written in the wrong case", entry.name),
            Applicability::Safe,
        ),
    };
    let span = entry.source.name_span;
    let canonical = entry.canonical.as_deref().unwrap_or_default();
    let mut diagnostic = Diagnostic::new(meta, &entry.source.path, span, message)
        .with_label(format!("did you mean `{}`?", problem.suggestion));
    if problem.kind == NameProblemKind::Outdated && !canonical.is_empty() {
        diagnostic = diagnostic.with_help(format!("The service is now called `{canonical}`"));
    } else if !canonical.is_empty() && canonical != problem.suggestion {
        diagnostic = diagnostic.with_help(format!("The canonical name is `{canonical}`"));
    }
    // A name interrupted by markup (`**Amazon** S3`) has no single span to replace.
    if text.get(span.as_range()) == Some(entry.name.as_str()) {
        diagnostic = diagnostic.with_fix(Fix {
            title: format!("Replace with `{}`", problem.suggestion),
            applicability,
            edits: vec![Edit {
                start: span.start,
                end: span.end,
                replacement: problem.suggestion.clone(),
            }],
        });
    }
    Some(diagnostic)
}
