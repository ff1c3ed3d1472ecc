use kb_model::Span;

use crate::registry::declare_rule;
use crate::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports a note that could not be read from disk: permission denied, a broken link, a
    /// file that vanished during the run. Also a folder of the vault that could not be listed
    /// (permission denied, a path longer than the system allows): the notes in it are not
    /// seen at all.
    ///
    /// ## Why is this bad?
    /// Nothing in the note is checked or exported. kb goes on with the other notes, so the
    /// problem would go unnoticed without this finding.
    ///
    /// ## Example
    /// A note with mode `000`, a symbolic link whose target was deleted, or a folder with
    /// mode `000`.
    ///
    /// ## Fix safety
    /// There is no fix: make the file or folder readable, or remove it.
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

/// A folder of the vault at `path` that could not be listed; `cause` is the operating
/// system's message.
pub fn unlisted_folder(path: &str, cause: &str) -> Diagnostic {
    Diagnostic::new(
        &UnreadableFile::META,
        path,
        Span::new(0, 0),
        format!("The folder cannot be listed, so no note in it is checked: {cause}"),
    )
}
