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

/// The SARIF 2.1.0 log of one run.
pub fn sarif(findings: &[Located<'_>]) -> String {
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
    let results: Vec<Value> = findings
        .iter()
        .map(|found| {
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
        })
        .collect();
    let log = json!({
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
    });
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
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
/// step, so the summary lists counts per rule and the first findings.
pub fn step_summary(findings: &[Located<'_>], notes: usize) -> String {
    let mut counts: std::collections::BTreeMap<(&str, &str), usize> = std::collections::BTreeMap::new();
    for found in findings {
        *counts
            .entry((found.diagnostic.code, found.diagnostic.rule))
            .or_default() += 1;
    }
    let mut out = format!("## kb check\n\n{} findings in {notes} notes.\n\n", findings.len());
    if counts.is_empty() {
        return out;
    }
    out.push_str("| rule | findings |\n| --- | ---: |\n");
    for ((code, rule), count) in &counts {
        out.push_str(&format!("| {code} {rule} | {count} |\n"));
    }
    const SHOWN: usize = 50;
    out.push_str("\n| where | rule | message |\n| --- | --- | --- |\n");
    for found in findings.iter().take(SHOWN) {
        let d = found.diagnostic;
        let message = d.message.replace('|', "\\|").replace('\n', " ");
        out.push_str(&format!(
            "| `{}:{}` | {} | {message} |\n",
            d.path, found.start.line, d.code
        ));
    }
    if findings.len() > SHOWN {
        out.push_str(&format!("\n…and {} more.\n", findings.len() - SHOWN));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_escapes() {
        assert_eq!(uri("notes/vault/Amazon S3.md"), "notes/vault/Amazon%20S3.md");
        assert_eq!(uri("노트.md"), "%EB%85%B8%ED%8A%B8.md");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(escape_data("x\ny: z"), "x%0Ay: z");
    }
}
