use kb_model::Span;

use crate::registry::declare_rule;
use crate::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports a note that could not be read from disk: permission denied, a broken link, a
    /// file that vanished during the run.
    ///
    /// ## Why is this bad?
    /// Nothing in the note is checked or exported. kb goes on with the other notes, so the
    /// problem would go unnoticed without this finding.
    ///
    /// ## Example
    /// A note with mode `000`, or a symbolic link whose target was deleted.
    ///
    /// ## Fix safety
    /// There is no fix: make the file readable or remove it.
    UnreadableFile { code: "KB001", name: "unreadable-file", severity: Error, default_on: true, fix: Never }
}

/// `cause` is the operating system's message.
pub fn diagnostic(path: &str, cause: &str) -> Diagnostic {
    Diagnostic::new(
        &UnreadableFile::META,
        path,
        Span::new(0, 0),
        format!("The note cannot be read: {cause}"),
    )
}
