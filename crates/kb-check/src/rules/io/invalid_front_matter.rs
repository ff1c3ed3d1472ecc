use kb_parse::{Problem, ProblemKind};

use crate::registry::declare_rule;
use crate::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports front matter that is not valid YAML, or a `---` line at the top of a note that
    /// opens front matter and is never closed.
    ///
    /// ## Why is this bad?
    /// Obsidian, Jekyll and kb all ignore broken front matter: tags, aliases and the title are
    /// lost, and an unclosed block may turn the first part of the note into a table or rule.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// title: [AWS] 메모
    /// # 컴퓨팅
    /// ```
    /// Use instead:
    /// ```markdown
    /// ---
    /// title: "[AWS] 메모"
    /// ---
    /// # 컴퓨팅
    /// ```
    ///
    /// ## Fix safety
    /// There is no fix: kb never rewrites front matter it cannot read.
    InvalidFrontMatter { code: "KB003", name: "invalid-front-matter", severity: Error, default_on: true, fix: Never }
}

pub fn diagnostic(path: &str, problem: &Problem) -> Diagnostic {
    let (message, help) = match problem.kind {
        ProblemKind::UnclosedFrontMatter => (
            "Front matter is opened here but never closed".to_owned(),
            "Close it with a `---` line, or remove the opening `---`",
        ),
        ProblemKind::InvalidFrontMatter => (
            format!("Front matter is not valid YAML: {}", problem.message),
            "Quote values that start with `[`, `{`, `*`, `&` or contain `: `",
        ),
    };
    Diagnostic::new(&InvalidFrontMatter::META, path, problem.span, message).with_help(help)
}
