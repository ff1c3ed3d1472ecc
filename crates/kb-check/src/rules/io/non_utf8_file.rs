use kb_model::Span;

use crate::registry::declare_rule;
use crate::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports a note that is not valid UTF-8 text: a binary file named `.md`, or a note saved
    /// in a legacy encoding such as EUC-KR or UTF-16.
    ///
    /// ## Why is this bad?
    /// kb cannot read it as text without guessing, so it is neither checked nor exported;
    /// other tools (Obsidian, GitHub) will show it garbled too.
    ///
    /// ## Example
    /// A note saved as EUC-KR by an old editor.
    ///
    /// ## Fix safety
    /// There is no fix: convert the file to UTF-8 (`iconv -f euc-kr -t utf-8`).
    NonUtf8File { code: "KB002", name: "non-utf8-file", severity: Error, default_on: true, fix: Never }
}

/// `valid_up_to` is the offset of the first byte that is not UTF-8.
pub fn diagnostic(path: &str, valid_up_to: usize) -> Diagnostic {
    Diagnostic::new(
        &NonUtf8File::META,
        path,
        Span::new(0, 0),
        format!("The note is not UTF-8 text (first invalid byte at offset {valid_up_to})"),
    )
    .with_help("Convert the file to UTF-8, for example with `iconv`")
}
