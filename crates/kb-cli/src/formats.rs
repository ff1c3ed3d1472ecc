//! Machine formats of `kb check`: SARIF 2.1.0 and GitHub workflow commands.

use kb_check::{Diagnostic, Severity};
use kb_model::LineCol;

use crate::excerpt::Excerpt;
use serde_json::{json, Value};

/// A finding with its positions resolved (lines and columns in code points, end exclusive).
pub struct Located<'a> {
    pub diagnostic: &'a Diagnostic,
    pub start: LineCol,
    pub end: LineCol,
    /// Line and column of each fix edit's start and end.
    pub edits: Vec<(LineCol, LineCol)>,
}

impl<'a> Located<'a> {
    pub fn new(diagnostic: &'a Diagnostic, excerpt: Option<&Excerpt>) -> Located<'a> {
        let at = |offset: usize| match excerpt {
            Some(excerpt) => excerpt.line_col(offset),
            None => LineCol { line: 1, column: 1 },
        };
        let edits = diagnostic
            .fix
            .iter()
            .flat_map(|fix| &fix.edits)
            .map(|edit| (at(edit.start), at(edit.end)))
            .collect();
        Located {
            diagnostic,
            start: at(diagnostic.span.start),
            end: at(diagnostic.span.end),
            edits,
        }
    }
}

/// A relative path as a URI reference: `/` kept, everything else but unreserved characters
/// percent-encoded (spaces, Hangul).
fn uri(path: &str) -> String {
    let mut out = String::new();
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn region(start: LineCol, end: LineCol) -> Value {
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

/// The SARIF 2.1.0 log of one run, written a result at a time: the log around the results
/// ([`SarifFrame`]), and each result ([`sarif_result`]). The bytes are those of pretty-printing
/// the whole log at once (a test compares them); a vault's log is never held whole in memory.
pub struct SarifFrame {
    /// Everything up to and including the `[` of `results`.
    head: String,
    /// Everything after the `]` of `results`.
    tail: String,
}

/// What stands for the results while the frame is printed: a string serde_json escapes, so
/// that no rule text can print the same bytes.
const RESULTS_MARK: &str = "\u{1}kb-results";

impl SarifFrame {
    pub fn new() -> SarifFrame {
        let log = log(json!(RESULTS_MARK));
        let text = serde_json::to_string_pretty(&log).unwrap_or_default();
        let mark = format!(
            "\"results\": {}",
            serde_json::to_string(RESULTS_MARK).unwrap_or_default()
        );
        match text.split_once(&mark) {
            Some((head, tail)) => SarifFrame {
                head: format!("{head}\"results\": ["),
                tail: format!("{tail}\n"),
            },
            // Unreachable: the mark is printed once, where the results go.
            None => SarifFrame {
                head: String::new(),
                tail: text,
            },
        }
    }

    pub fn head(&self) -> &str {
        &self.head
    }

    /// The end of the log, after `any` results or none.
    pub fn tail(&self, any: bool) -> String {
        let close = if any { "\n      ]" } else { "]" };
        format!("{close}{}", self.tail)
    }
}

/// One result of the log, as pretty-printing the whole log prints it (four levels deep), without
/// the comma that separates it from the one before.
pub fn write_sarif_result(out: &mut String, found: &Located<'_>) {
    let text = serde_json::to_string_pretty(&sarif_result(found)).unwrap_or_default();
    out.push_str("\n        ");
    out.push_str(&text.replace('\n', "\n        "));
}

/// The log of one run around `results`.
fn log(results: Value) -> Value {
    let rules: Vec<Value> = kb_check::rules::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.summary() },
                "fullDescription": { "text": rule.summary() },
                "help": { "text": rule.docs_markdown(), "markdown": rule.docs_markdown() },
                "defaultConfiguration": {
                    "enabled": rule.default_on,
                    "level": level(rule.severity),
                },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "kb",
                    "version": kb_model::KB_VERSION,
                    "semanticVersion": kb_model::KB_VERSION,
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The folder kb was run in." } } },
            "results": results,
        }],
    })
}

fn sarif_result(found: &Located<'_>) -> Value {
    let d = found.diagnostic;
    let rule_index = kb_check::rules::ALL.iter().position(|r| r.code == d.code);
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str(&format!(". {help}"));
    }
    let mut result = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&d.path), "uriBaseId": "%SRCROOT%" },
                "region": region(found.start, found.end),
            }
        }],
    });
    if let Some(index) = rule_index {
        result["ruleIndex"] = json!(index);
    }
    if !d.related.is_empty() {
        result["relatedLocations"] = d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                json!({
                    "id": i,
                    "message": { "text": r.message },
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&r.path), "uriBaseId": "%SRCROOT%" },
                        "region": { "startLine": r.line, "startColumn": r.column },
                    }
                })
            })
            .collect();
    }
    if let Some(fix) = &d.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .zip(&found.edits)
            .map(|(edit, (start, end))| {
                json!({
                    "deletedRegion": region(*start, *end),
                    "insertedContent": { "text": edit.replacement },
                })
            })
            .collect();
        result["fixes"] = json!([{
            "description": { "text": fix.title },
            "artifactChanges": [{
                "artifactLocation": { "uri": uri(&d.path), "uriBaseId": "%SRCROOT%" },
                "replacements": replacements,
            }],
        }]);
    }
    result
}

/// Escape the message part of a workflow command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a property value of a workflow command.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One GitHub workflow command per finding (`::error file=…,line=…::message`).
pub fn github(findings: &[Located<'_>]) -> String {
    let mut out = String::new();
    for found in findings {
        let d = found.diagnostic;
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str(&format!("\n{help}"));
        }
        if let Some(fix) = &d.fix {
            message.push_str(&format!("\nFix: {}", fix.title));
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&d.path),
            found.start.line,
            found.start.column,
            found.end.line,
            found.end.column,
            escape_property(&format!("{} {}", d.code, d.rule)),
            escape_data(&message),
        ));
    }
    out
}

/// A Markdown summary for `$GITHUB_STEP_SUMMARY`: GitHub shows only the first annotations of a
/// step, so the summary lists counts per rule and the first findings. Gathered a finding at a
/// time, as the report is written.
#[derive(Default)]
pub struct StepSummary {
    counts: std::collections::BTreeMap<(&'static str, &'static str), usize>,
    findings: usize,
    /// The table rows of the first findings.
    first: Vec<String>,
}

impl StepSummary {
    /// Findings listed one by one; the rest are counted.
    const SHOWN: usize = 50;

    pub fn add(&mut self, found: &Located<'_>) {
        let d = found.diagnostic;
        *self.counts.entry((d.code, d.rule)).or_default() += 1;
        self.findings += 1;
        if self.first.len() < Self::SHOWN {
            let message = d.message.replace('|', "\\|").replace('\n', " ");
            self.first.push(format!(
                "| `{}:{}` | {} | {message} |\n",
                d.path, found.start.line, d.code
            ));
        }
    }

    pub fn render(&self, notes: usize) -> String {
        let mut out = format!("## kb check\n\n{} findings in {notes} notes.\n\n", self.findings);
        if self.counts.is_empty() {
            return out;
        }
        out.push_str("| rule | findings |\n| --- | ---: |\n");
        for ((code, rule), count) in &self.counts {
            out.push_str(&format!("| {code} {rule} | {count} |\n"));
        }
        out.push_str("\n| where | rule | message |\n| --- | --- | --- |\n");
        for row in &self.first {
            out.push_str(row);
        }
        if self.findings > Self::SHOWN {
            out.push_str(&format!("\n…and {} more.\n", self.findings - Self::SHOWN));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_written_a_result_at_a_time_is_the_whole_log_printed_at_once() {
        use kb_check::{Applicability, Edit, Fix, Related};
        use kb_model::Span;
        let rule = kb_check::rules::ALL[5];
        let plain = Diagnostic::new(
            rule,
            "notes/a b.md",
            Span::new(0, 3),
            "`X` is \"odd\"\nand | long",
        );
        let full = Diagnostic::new(kb_check::rules::ALL[9], "노트.md", Span::new(4, 9), "Two places")
            .with_help("Keep one")
            .with_related(Related {
                path: "notes/other.md".to_owned(),
                span: Span::new(1, 2),
                line: 3,
                column: 4,
                message: "another entry".into(),
            })
            .with_fix(Fix {
                title: "Replace with `Y`".to_owned(),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    start: 4,
                    end: 9,
                    replacement: "Y\tz".to_owned(),
                }],
            });
        for findings in [vec![], vec![&plain], vec![&plain, &full, &plain]] {
            let located: Vec<Located<'_>> = findings.iter().map(|d| Located::new(d, None)).collect();
            let results = Value::Array(located.iter().map(sarif_result).collect());
            let whole = serde_json::to_string_pretty(&log(results)).unwrap() + "\n";
            let frame = SarifFrame::new();
            let mut streamed = frame.head().to_owned();
            for (i, found) in located.iter().enumerate() {
                if i > 0 {
                    streamed.push(',');
                }
                write_sarif_result(&mut streamed, found);
            }
            streamed.push_str(&frame.tail(!located.is_empty()));
            assert_eq!(streamed, whole, "{} findings", located.len());
        }
    }

    #[test]
    fn uris_and_escapes() {
        assert_eq!(uri("notes/vault/Amazon S3.md"), "notes/vault/Amazon%20S3.md");
        assert_eq!(uri("노트.md"), "%EB%85%B8%ED%8A%B8.md");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(escape_data("x\ny: z"), "x%0Ay: z");
    }
}
