//! Checking notes: policy schemas, rules in code, suppressions, and the findings they produce.
//!
//! **Architecture Invariant:** no I/O. Rules never print or touch the file system; the CLI hands
//! in parsed notes, the list of files in the vault and the rule selection, and gets data back.
//! A fix is only byte-range edits.

pub mod diagnostic;
pub mod fix;
pub mod registry;
pub mod rules;
pub mod schema;
pub mod selection;
pub mod suppression;

use std::collections::{HashMap, HashSet};

use kb_parse::Parsed;
use kb_vocab::Vocabulary;

pub use diagnostic::{apply_edits, Applicability, Diagnostic, Edit, Fix, Related, Severity};
pub use registry::{FixAvailability, RuleMeta};
pub use rules::links::missing_anchor::AnchorStyle;
pub use schema::{Policy, PolicyError};
pub use selection::{Selection, SelectionError};

/// Every file of the vault (notes, images, attachments), as paths with `/`.
#[derive(Debug, Clone, Default)]
pub struct Vault {
    files: HashSet<String>,
    lower: HashSet<String>,
    /// Lower-case file name → how many files have it.
    by_name: HashMap<String, usize>,
}

impl Vault {
    pub fn new(paths: impl IntoIterator<Item = String>) -> Vault {
        let paths = paths.into_iter();
        // Sized once: a vault of 20,000 files regrew each table a dozen times.
        let (len, _) = paths.size_hint();
        let mut vault = Vault {
            files: HashSet::with_capacity(len),
            lower: HashSet::with_capacity(len),
            by_name: HashMap::with_capacity(len),
        };
        for path in paths {
            let name = path.rsplit('/').next().unwrap_or(&path).to_lowercase();
            *vault.by_name.entry(name).or_default() += 1;
            vault.lower.insert(path.to_lowercase());
            vault.files.insert(path);
        }
        vault
    }

    /// Whether `target`, written in the note at `note_path`, names a file of the vault:
    /// relative to the note, as a path anywhere under the vault, or (Obsidian) by file name.
    pub fn resolve(&self, note_path: &str, target: &str) -> bool {
        let dir = note_path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let target = target.trim_start_matches("./");
        let joined = if dir.is_empty() || target.starts_with('/') {
            target.trim_start_matches('/').to_owned()
        } else {
            format!("{dir}/{target}")
        };
        if let Some(path) = normalize(&joined) {
            if self.files.contains(&path) || self.lower.contains(&path.to_lowercase()) {
                return true;
            }
        }
        // As a path anywhere under the vault, or by file name: either way a file of that name
        // exists, and that is all Obsidian asks.
        let Some(relative) = normalize(target.trim_start_matches('/')) else {
            return false;
        };
        let name = relative.rsplit('/').next().unwrap_or(&relative).to_lowercase();
        self.by_name.contains_key(&name)
    }
}

/// `a/b/../c` → `a/c`, `/v/a/../b` → `/v/b`; `None` when `..` climbs out of the top.
fn normalize(path: &str) -> Option<String> {
    if let Some(rest) = path.strip_prefix('/') {
        return normalize(rest).map(|p| format!("/{p}"));
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// What a check of one note needs besides the note.
pub struct Checker<'a> {
    pub policy: &'a Policy,
    pub vocab: &'a Vocabulary,
    pub vault: &'a Vault,
    pub anchor_style: AnchorStyle,
    /// Words `kb.toml` accepts as written: never reported as service names.
    pub accepted_words: &'a [String],
}

impl Checker<'_> {
    /// Every finding of every rule on one note, before selection and suppressions.
    pub fn check_note(&self, parsed: &Parsed, text: &str) -> Vec<Diagnostic> {
        self.check_note_needing(parsed, text, &|_| true)
    }

    /// As [`Checker::check_note`] for a run with `selection` on a note with `suppressions`:
    /// the checks whose every rule the note does not need are left out (see
    /// [`suppression::needs`]), so a run of `--select KB1` does not look for names in the
    /// notes' prose, a quarter of the work. The findings of the rules it needs are the same.
    pub fn check_note_for(
        &self,
        parsed: &Parsed,
        text: &str,
        selection: &Selection,
        suppressions: &[suppression::Suppression],
    ) -> Vec<Diagnostic> {
        self.check_note_needing(parsed, text, &|rule| {
            suppression::needs(rule, selection, suppressions)
        })
    }

    /// The findings of the rules `needed` accepts, and of the checks that are not left out.
    fn check_note_needing(
        &self,
        parsed: &Parsed,
        text: &str,
        needed: &dyn Fn(&RuleMeta) -> bool,
    ) -> Vec<Diagnostic> {
        use rules::links::{missing_anchor::MissingAnchor, missing_embed::MissingEmbed};
        use rules::names::{
            misspelled_name::MisspelledName, name_casing::NameCasing, non_canonical_name::NonCanonicalName,
            outdated_name::OutdatedName, unknown_service::UnknownService,
        };
        let path = parsed.note.path.as_str();
        let mut out: Vec<Diagnostic> = parsed
            .problems
            .iter()
            .map(|problem| rules::io::invalid_front_matter::diagnostic(path, problem))
            .collect();
        let accepted = |d: &Diagnostic| {
            d.code.starts_with("KB2")
                && text.get(d.span.as_range()).is_some_and(|written| {
                    self.accepted_words
                        .iter()
                        .any(|w| w.eq_ignore_ascii_case(written))
                })
        };
        out.extend(
            self.policy
                .check(parsed, text, self.vocab)
                .into_iter()
                .filter(|d| !accepted(d)),
        );
        if needed(&UnknownService::META) {
            out.extend(
                rules::names::unknown_service_diagnostics(parsed, text, self.vocab)
                    .into_iter()
                    .filter(|d| !accepted(d)),
            );
        }
        let prose = [
            &MisspelledName::META,
            &NonCanonicalName::META,
            &OutdatedName::META,
            &NameCasing::META,
        ];
        if prose.into_iter().any(needed) {
            out.extend(
                rules::names::prose_diagnostics(parsed, text, self.vocab)
                    .into_iter()
                    .filter(|d| !accepted(d)),
            );
        }
        if needed(&MissingEmbed::META) {
            out.extend(rules::links::missing_embed::diagnostics(
                path,
                &parsed.links,
                self.vault,
            ));
        }
        if needed(&MissingAnchor::META) {
            out.extend(rules::links::missing_anchor::diagnostics(
                path,
                &parsed.links,
                &parsed.headings,
                self.anchor_style,
            ));
        }
        rules::links::missing_anchor::follow_renamed_headings(
            out.iter_mut().filter_map(|d| d.fix.as_mut()),
            text,
            &parsed.links,
            &parsed.headings,
            self.anchor_style,
        );
        out
    }
}

impl Checker<'_> {
    /// Parse `text` as the note at `path` and return its findings as the user sees them, with
    /// the number of entries: what the fix loop asks after every pass.
    pub fn check_text(&self, path: &str, text: &str, selection: &Selection) -> fix::Checked {
        let parsed = kb_parse::parse(path, text, self.vocab);
        let suppressions = suppression::find(text, &parsed.line_index);
        let diagnostics = self.check_note_for(&parsed, text, selection, &suppressions);
        fix::Checked {
            entries: parsed.note.entries.len(),
            diagnostics: finish_note(
                diagnostics,
                &suppressions,
                &|offset| parsed.line_index.line(offset),
                path,
                selection,
            ),
        }
    }
}

/// The edits that rename `old` to `new` wherever it stands as a name in the note: headings,
/// labels, prose, table cells, link text (never code, URLs or link targets), with the in-note
/// anchors of renamed headings following. `old` matches whole words, in any case; `new` is
/// written as given.
pub fn rename_edits(parsed: &Parsed, text: &str, old: &str, new: &str, style: AnchorStyle) -> Vec<Edit> {
    let wanted: Vec<String> = kb_vocab::tokens::tokenize(old)
        .into_iter()
        .map(|t| t.folded.to_string())
        .collect();
    let mut fixes: Vec<Fix> = Vec::new();
    if wanted.is_empty() {
        return Vec::new();
    }
    for run in kb_parse::prose::note_runs(text) {
        let slice = &text[run.span.as_range()];
        let tokens = kb_vocab::tokens::tokenize(slice);
        let urls = rules::names::url_ranges(slice);
        let mut i = 0;
        while i + wanted.len() <= tokens.len() {
            let window = &tokens[i..i + wanted.len()];
            let same = window.iter().zip(&wanted).all(|(t, w)| t.folded == *w);
            let (start, end) = (window[0].start, window[window.len() - 1].end);
            // The written name must be the old name's words with the old name's gaps.
            let written = &slice[start..end];
            let in_url = urls.iter().any(|u| u.start <= start && end <= u.end);
            if same
                && !in_url
                && kb_vocab::tokens::key_of(written) == kb_vocab::tokens::key_of(old)
                && written != new
            {
                fixes.push(Fix {
                    title: format!("Rename to `{new}`"),
                    applicability: Applicability::Safe,
                    edits: vec![Edit {
                        start: run.span.start + start,
                        end: run.span.start + end,
                        replacement: new.to_owned(),
                    }],
                });
                i += wanted.len();
            } else {
                i += 1;
            }
        }
    }
    rules::links::missing_anchor::follow_renamed_headings(
        fixes.iter_mut(),
        text,
        &parsed.links,
        &parsed.headings,
        style,
    );
    let mut edits: Vec<Edit> = fixes.into_iter().flat_map(|f| f.edits).collect();
    edits.sort_by_key(|e| (e.start, e.end));
    edits.dedup();
    edits
}

/// Rules that need every note at once (KB302), asked one note at a time.
pub use rules::structure::duplicate_across_notes::{Duplicates as Across, NoteServices, ServiceEntry};

/// The findings of one note as the user sees them: only selected rules, at their configured
/// severity, suppression comments applied, sorted by position. `suppressions` are the note's
/// ([`suppression::find`]); `line_of` gives the line of a finding's first byte.
pub fn finish_note(
    diagnostics: Vec<Diagnostic>,
    suppressions: &[suppression::Suppression],
    line_of: &dyn Fn(usize) -> u32,
    path: &str,
    selection: &Selection,
) -> Vec<Diagnostic> {
    // Suppressions see every finding, selected or not: a comment for a rule that is off in
    // this run is not unused.
    let unused = rules::suppression::unused_suppression::UnusedSuppression::META.code;
    let kept = suppression::apply(
        diagnostics,
        suppressions,
        line_of,
        path,
        selection.severity(unused).is_some(),
    );
    let mut out: Vec<Diagnostic> = kept
        .into_iter()
        .filter_map(|mut d| {
            d.severity = selection.severity(d.code)?;
            Some(d)
        })
        .collect();
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vault_resolves_like_obsidian() {
        let vault = Vault::new([
            "notes/a.md".to_owned(),
            "notes/attachments/Pasted image 1.png".to_owned(),
        ]);
        assert!(vault.resolve("notes/a.md", "attachments/Pasted image 1.png"));
        assert!(vault.resolve("notes/sub/b.md", "Pasted image 1.png"));
        assert!(vault.resolve("notes/sub/b.md", "../attachments/pasted image 1.png"));
        assert!(!vault.resolve("notes/a.md", "missing.png"));
        assert!(!vault.resolve("notes/a.md", "../../../etc/passwd"));
        // A vault named by an absolute path resolves alike.
        let vault = Vault::new(["/v/notes/a.md".to_owned(), "/v/assets/d.png".to_owned()]);
        assert!(vault.resolve("/v/notes/a.md", "../assets/d.png"));
        assert!(!vault.resolve("/v/notes/a.md", "../assets/e.png"));
    }

    #[test]
    fn rule_registry_is_sound() {
        let all = rules::ALL;
        for pair in all.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "codes not sorted: {} {}",
                pair[0].code,
                pair[1].code
            );
        }
        let mut names: Vec<&str> = all.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len(), "rule names are not unique");
        for rule in all {
            assert!(
                rule.code.len() == 5 && rule.code.starts_with("KB"),
                "{}",
                rule.code
            );
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{}",
                rule.name
            );
            for heading in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Fix safety",
            ] {
                assert!(rule.docs.contains(heading), "{} lacks `{heading}`", rule.code);
            }
            assert!(!rule.summary().is_empty());
        }
    }
}
