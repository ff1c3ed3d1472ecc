//! Findings: what a rule reports, where, and how to fix it.

use std::borrow::Cow;

use kb_model::Span;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// Whether a fix may be applied without the user asking for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning: a recorded misspelling or a former name.
    Safe,
    /// Probably right: a guess by edit distance.
    Unsafe,
}

/// Replace the bytes `[start, end)` of the original file with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// An imperative title: "Replace with `Amazon SageMaker`".
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// Another place that explains a finding: the first of two duplicates, say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub path: String,
    pub span: Span,
    /// 1-based line and code-point column of the span's start.
    pub line: u32,
    pub column: u32,
    /// Most are fixed texts: borrowed, so that a finding repeated across a vault allocates
    /// only what differs.
    pub message: Cow<'static, str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    /// What is wrong, values in backticks, capitalised, no final period.
    pub message: String,
    pub path: String,
    pub span: Span,
    /// A short label drawn at the span.
    pub label: Option<Cow<'static, str>>,
    pub related: Vec<Related>,
    pub help: Option<Cow<'static, str>>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A finding of `rule` at `span` of the note at `path`, at the rule's default severity.
    pub fn new(rule: &crate::RuleMeta, path: &str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: rule.code,
            rule: rule.name,
            severity: rule.severity,
            message: message.into(),
            path: path.to_owned(),
            span,
            label: None,
            related: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<Cow<'static, str>>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, related: Related) -> Self {
        self.related.push(related);
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Sort key: path, position, code.
    pub fn sort_key(&self) -> (&str, usize, usize, &'static str) {
        (&self.path, self.span.start, self.span.end, self.code)
    }
}

/// Apply non-overlapping edits to `text`. Edits that overlap one applied before them, or that
/// fall outside the text or inside a character, are skipped and returned.
pub fn apply_edits(text: &str, edits: &[Edit]) -> (String, Vec<Edit>) {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(text.len());
    let mut skipped = Vec::new();
    let mut at = 0;
    for edit in sorted {
        let valid = edit.start >= at
            && edit.start <= edit.end
            && edit.end <= text.len()
            && text.is_char_boundary(edit.start)
            && text.is_char_boundary(edit.end);
        if !valid {
            skipped.push(edit.clone());
            continue;
        }
        out.push_str(&text[at..edit.start]);
        out.push_str(&edit.replacement);
        at = edit.end;
    }
    out.push_str(&text[at..]);
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, replacement: &str) -> Edit {
        Edit {
            start,
            end,
            replacement: replacement.to_owned(),
        }
    }

    #[test]
    fn edits_apply_in_order_and_overlaps_wait() {
        let text = "## Segemaker\r\n세이지메이카 here";
        let at = text.find("세이지메이카").unwrap();
        let edits = [
            edit(at, at + "세이지메이카".len(), "세이지메이커"),
            edit(3, 12, "SageMaker"),
            edit(5, 8, "x"),
        ];
        let (fixed, skipped) = apply_edits(text, &edits);
        assert_eq!(fixed, "## SageMaker\r\n세이지메이커 here");
        assert_eq!(skipped, vec![edit(5, 8, "x")]);
    }

    #[test]
    fn edits_inside_a_character_are_refused() {
        let (fixed, skipped) = apply_edits("한", &[edit(1, 2, "x")]);
        assert_eq!(fixed, "한");
        assert_eq!(skipped.len(), 1);
    }
}
