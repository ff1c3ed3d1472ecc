//! The human-readable report: rustc-style snippets with carets under the exact characters.
//!
//! Written by hand rather than with miette: miette's header counts columns in bytes, which is
//! wrong on every Korean line, and kb's columns are code points everywhere. Carets are drawn by
//! display width (a Hangul syllable is two cells; a tab is shown as four spaces).

use std::fmt::Write;

use kb_check::{Applicability, Diagnostic, Severity};
use kb_model::Span;

use crate::excerpt::Excerpt;
use unicode_width::UnicodeWidthChar;

/// Terminal colours, or none.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn severity(self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, text)
    }
}

fn width(c: char) -> usize {
    if c == '\t' {
        4
    } else {
        c.width().unwrap_or(0)
    }
}

/// The line as displayed (tabs expanded).
fn displayed(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c == '\t' {
                "    ".to_owned()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Offset and length of the caret run for `span` on its line (starting at `start`, reading
/// `text`), in display cells.
fn carets(start: usize, text: &str, span: Span) -> (usize, usize) {
    let end_of_line = start + text.len();
    let from = span.start.clamp(start, end_of_line) - start;
    let to = span.end.clamp(span.start.clamp(start, end_of_line), end_of_line) - start;
    let offset: usize = text.get(..from).unwrap_or("").chars().map(width).sum();
    let len: usize = text.get(from..to).unwrap_or("").chars().map(width).sum();
    (offset, len.max(1))
}

/// Longest line shown whole; a longer one is cut to the part around the finding.
const SHOWN: usize = 1000;

/// The part of a long line around `span` (`start` is where `text` begins in the note): a
/// 10 MB line is not printed once per finding.
fn window(start: usize, text: &str, span: Span) -> (usize, &str) {
    if text.len() <= SHOWN {
        return (start, text);
    }
    let at = span.start.saturating_sub(start).min(text.len());
    let mut from = at.saturating_sub(SHOWN / 3);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (from + SHOWN).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    (start + from, &text[from..to])
}

/// Render one finding.
pub fn render(out: &mut String, d: &Diagnostic, excerpt: Option<&Excerpt>, style: Style) {
    let head = style.severity(d.severity, &format!("{}[{}]", d.severity.as_str(), d.code));
    let _ = writeln!(out, "{head}: {}", style.paint("1", &d.message));
    let at = excerpt.map(|e| e.line_col(d.span.start));
    let line = excerpt.zip(at).and_then(|(e, at)| e.source_line(at.line));
    let (Some(at), Some((start, text))) = (at, line.map(|(start, text)| window(start, text, d.span))) else {
        let _ = writeln!(out, "  --> {}", d.path);
        finish(out, d, style, 0);
        return;
    };
    let gutter = at.line.to_string().len().max(2);
    let pad = " ".repeat(gutter);
    let _ = writeln!(
        out,
        "{pad}{} {}:{}:{}",
        style.paint("1;34", "-->"),
        d.path,
        at.line,
        at.column
    );
    let bar = style.paint("1;34", "|");
    let _ = writeln!(out, "{pad} {bar}");
    let _ = writeln!(
        out,
        "{} {bar} {}",
        style.paint("1;34", &format!("{:>gutter$}", at.line)),
        displayed(text)
    );
    let (offset, len) = carets(start, text, d.span);
    let label = d.label.as_deref().map(|l| format!(" {l}")).unwrap_or_default();
    let marks = style.severity(d.severity, &format!("{}{label}", "^".repeat(len)));
    let _ = writeln!(out, "{pad} {bar} {}{marks}", " ".repeat(offset));
    for related in &d.related {
        let line_col = format!("{}:{}:{}", related.path, related.line, related.column);
        let _ = writeln!(
            out,
            "{pad} {} {line_col} {}",
            style.paint("1;34", ":::"),
            related.message
        );
    }
    finish(out, d, style, gutter);
}

fn finish(out: &mut String, d: &Diagnostic, style: Style, gutter: usize) {
    let pad = " ".repeat(gutter);
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{pad} {} {help}", style.paint("1", "= help:"));
    }
    if let Some(fix) = &d.fix {
        let kind = match fix.applicability {
            Applicability::Safe => "fix",
            Applicability::Unsafe => "unsafe fix",
        };
        let _ = writeln!(
            out,
            "{pad} {} {}",
            style.paint("1", &format!("= {kind}:")),
            fix.title
        );
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carets_sit_under_hangul_and_tabs() {
        let text = "\t- 세이지메이카 모델";
        let start = text.find("세이지메이카").unwrap();
        let span = Span::new(start, start + "세이지메이카".len());
        // Tab = 4 cells, "- " = 2 cells; six Hangul syllables = 12 cells.
        assert_eq!(carets(0, text, span), (6, 12));
        // A span past the line's end is cut at it; an empty one still gets a caret.
        assert_eq!(
            carets(0, text, Span::new(text.len() - 3, text.len() + 10)),
            (21, 2)
        );
        assert_eq!(carets(0, text, Span::new(0, 0)), (0, 1));
    }
}
