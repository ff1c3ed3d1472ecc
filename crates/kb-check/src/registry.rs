//! Rule metadata: codes, names, default severities, fix availability and documentation.

use crate::diagnostic::Severity;

/// Whether a rule can offer fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    Never,
    Sometimes,
    Always,
}

/// Everything known about a rule without running it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    /// `KBnnn`: 0xx reading, 1xx schema, 2xx names, 3xx duplicates, 4xx links, 9xx kb itself.
    pub code: &'static str,
    /// Kebab-case; reads as "allow <name>".
    pub name: &'static str,
    /// Severity when selected.
    pub severity: Severity,
    /// Whether the rule runs without being selected.
    pub default_on: bool,
    pub fix: FixAvailability,
    /// Markdown: What it does / Why is this bad? / Example / Fix safety.
    pub docs: &'static str,
}

impl RuleMeta {
    /// The documentation as markdown (the one space that follows `///` removed).
    pub fn docs_markdown(&self) -> String {
        self.docs
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The first sentence of "What it does", on one line.
    pub fn summary(&self) -> String {
        let body = self.docs.split("## What it does").nth(1).unwrap_or(self.docs);
        let paragraph = body.trim_start().split("\n\n").next().unwrap_or_default();
        let text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        match text.find(". ") {
            Some(end) => text[..end].to_owned(),
            None => text.trim_end_matches('.').to_owned(),
        }
    }
}

/// Declare a rule: its docs as `///` lines, then its metadata.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            code: $code:literal,
            name: $rule:literal,
            severity: $severity:ident,
            default_on: $on:literal,
            fix: $fix:ident $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::registry::RuleMeta = $crate::registry::RuleMeta {
                code: $code,
                name: $rule,
                severity: $crate::diagnostic::Severity::$severity,
                default_on: $on,
                fix: $crate::registry::FixAvailability::$fix,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
}
pub(crate) use declare_rule;

/// A code that was retired: it is never reused, and configuration naming it gets this hint.
pub const REDIRECTS: &[(&str, &str)] = &[];
