//! Suppression comments in notes.
//!
//! `<!-- kb-ignore KB201 -->` at the end of a line suppresses those codes on that line; on a line
//! of its own it suppresses them on the next line. `<!-- kb-ignore-file KB302 -->` anywhere
//! suppresses them in the whole note. Without codes, every rule is suppressed. Codes may be
//! given as `KBnnn` or as rule names.

use kb_model::{LineIndex, Span};

use crate::rules::suppression::unused_suppression::UnusedSuppression;
use crate::Diagnostic;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The comment.
    pub span: Span,
    /// `None`: the whole file.
    pub line: Option<u32>,
    /// Rule codes or names; empty means every rule.
    pub codes: Vec<String>,
}

/// Every suppression comment in `text`.
pub fn find(text: &str, lines: &LineIndex) -> Vec<Suppression> {
    let mut out = Vec::new();
    // Searched for in every note, most of which hold no comment: a prebuilt vectorised search.
    static OPEN: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("<!--"));
    let mut from = 0;
    while let Some(open) = OPEN.find(&text.as_bytes()[from..]) {
        let start = from + open;
        let Some(close) = text[start + 4..].find("-->") else {
            break;
        };
        let end = start + 4 + close + 3;
        from = end;
        let body = text[start + 4..end - 3].trim();
        let (file_wide, rest) = if let Some(rest) = body.strip_prefix("kb-ignore-file") {
            (true, rest)
        } else if let Some(rest) = body.strip_prefix("kb-ignore") {
            (false, rest)
        } else {
            continue;
        };
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let codes = rest
            .split([' ', ',', '\t', '\n', '\r'])
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        let line = if file_wide {
            None
        } else {
            let here = lines.line(start);
            let line_start = lines.line_start(here).unwrap_or(0);
            let alone = text[line_start..start].trim().is_empty();
            Some(if alone { here + 1 } else { here })
        };
        out.push(Suppression {
            span: Span::new(start, end),
            line,
            codes,
        });
    }
    out
}

fn covers(code: &str, rule: &str, wanted: &str) -> bool {
    wanted.eq_ignore_ascii_case(code) || wanted == rule
}

/// Whether a check of a note must run `rule`: the rule is on for the note, or, while unused
/// suppressions are reported, one of the note's comments names it (or every rule). A comment
/// for a rule that is off is used when that rule finds something on its line, so the rule
/// must still look; any other rule that is off can be left out, and its findings are the same.
pub fn needs(rule: &crate::RuleMeta, selection: &crate::Selection, suppressions: &[Suppression]) -> bool {
    selection.severity(rule.code).is_some()
        || selection.severity(UnusedSuppression::META.code).is_some()
            && suppressions
                .iter()
                .any(|s| s.codes.is_empty() || s.codes.iter().any(|c| covers(rule.code, rule.name, c)))
}

/// Drop the findings the note's comments suppress, and report each code that suppressed
/// nothing (when KB901 is selected).
pub fn apply(
    diagnostics: Vec<Diagnostic>,
    suppressions: &[Suppression],
    line_of: &dyn Fn(usize) -> u32,
    path: &str,
    report_unused: bool,
) -> Vec<Diagnostic> {
    if suppressions.is_empty() {
        return diagnostics;
    }
    // used[i][j]: code j of suppression i suppressed something; the last slot is "all codes".
    let mut used: Vec<Vec<bool>> = suppressions
        .iter()
        .map(|s| vec![false; s.codes.len().max(1)])
        .collect();
    let mut kept = Vec::new();
    for diagnostic in diagnostics {
        let line = line_of(diagnostic.span.start);
        let mut suppressed = false;
        for (i, suppression) in suppressions.iter().enumerate() {
            if suppression.line.is_some_and(|l| l != line) {
                continue;
            }
            if suppression.codes.is_empty() {
                used[i][0] = true;
                suppressed = true;
            }
            for (j, code) in suppression.codes.iter().enumerate() {
                if covers(diagnostic.code, diagnostic.rule, code) {
                    used[i][j] = true;
                    suppressed = true;
                }
            }
        }
        if !suppressed {
            kept.push(diagnostic);
        }
    }
    if report_unused {
        for (i, suppression) in suppressions.iter().enumerate() {
            let unused: Vec<&str> = if suppression.codes.is_empty() {
                if used[i][0] {
                    vec![]
                } else {
                    vec!["(all rules)"]
                }
            } else {
                suppression
                    .codes
                    .iter()
                    .zip(&used[i])
                    .filter(|(_, used)| !**used)
                    .map(|(code, _)| code.as_str())
                    .collect()
            };
            for code in unused {
                let message = match crate::rules::find(code) {
                    Some(_) => format!("Suppression of `{code}` suppresses nothing"),
                    None => format!("Suppression of `{code}` names no kb rule"),
                };
                kept.push(
                    Diagnostic::new(&UnusedSuppression::META, path, suppression.span, message)
                        .with_label("unused")
                        .with_help("Remove the comment, or the code from it"),
                );
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_at_line_end_before_a_line_and_per_file() {
        let text = "## Segemaker <!-- kb-ignore KB201 -->\n<!-- kb-ignore KB202, KB203 -->\n## AWS EC2\n<!-- kb-ignore-file KB302 -->\n<!-- not kb -->\n";
        let lines = LineIndex::new(text);
        let found = find(text, &lines);
        assert_eq!(found.len(), 3);
        assert_eq!(
            (found[0].line, found[0].codes.clone()),
            (Some(1), vec!["KB201".to_owned()])
        );
        assert_eq!((found[1].line, found[1].codes.len()), (Some(3), 2));
        assert_eq!(found[2].line, None);
    }
}
