//! kb's report on a knowledge base: which services of the vocabulary the notes cover, which
//! entries are complete, which services have entries in several notes, and where the findings
//! cluster.
//!
//! [`build`] turns the parsed notes, their findings and the vocabulary into a [`Report`] whose
//! [`Stats`] are the headline figures (`kb stats`, serialisable); [`render_html`] writes the
//! report as one self-contained HTML page (`kb report`). Nothing here touches files, the clock
//! or the environment: the CLI reads the notes, runs the checks and writes the page.
//!
//! This crate never depends on kb-check: findings come in as plain [`Finding`]s.

mod html;

use std::collections::BTreeMap;

use kb_model::{Entry, Note};
use kb_vocab::{ServiceType, Vocabulary};
use serde::Serialize;

pub use html::{escape, file_url, render_html};

/// One note as the report reads it.
#[derive(Debug, Clone)]
pub struct NoteInput<'a> {
    /// The path as kb shows it (`notes/ai-ml.md`).
    pub path: &'a str,
    /// Where a link to the note points (a `file://` URL, see [`file_url`]), without a fragment;
    /// `None` shows the place without a link.
    pub href: Option<String>,
    /// `None` when the note could not be read.
    pub note: Option<&'a Note>,
    /// The note's findings as the user sees them (selection and suppressions applied).
    pub findings: Vec<Finding>,
}

/// A finding of `kb check`, located.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: String,
    pub rule: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    pub message: String,
    pub line: u32,
    pub column: u32,
}

/// Everything the page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub stats: Stats,
    /// Every entry, in note order.
    pub entries: Vec<EntryRow>,
    /// Services with entries in more than one note, those in most notes first.
    pub duplicates: Vec<Duplicate>,
    /// Every finding, in note order.
    pub findings: Vec<FindingRow>,
}

/// The headline figures: what `kb stats` prints. Field names are a public interface.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Notes found, the unreadable ones included.
    pub notes: usize,
    pub unreadable_notes: usize,
    pub entries: usize,
    /// Entries with a summary, at least one feature and a correctly written known name.
    pub complete_entries: usize,
    /// `complete_entries` as a whole percentage of `entries`, rounded down.
    pub complete_percent: usize,
    pub incomplete: Incomplete,
    pub coverage: Coverage,
    /// Services with entries in more than one note.
    pub duplicated_services: usize,
    pub findings: FindingTotals,
}

/// What keeps entries from being complete; an entry may count under several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incomplete {
    pub missing_summary: usize,
    pub missing_features: usize,
    /// Misspelled, non-canonical, outdated or wrongly cased names.
    pub name_problem: usize,
    /// Names that resolve to no service of the vocabulary.
    pub unknown_service: usize,
}

/// Which services of the vocabulary have an entry. Only services and tools count (features of
/// a service and retired services do not): the vocabulary's scope, not its every detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub covered: usize,
    pub total: usize,
    /// By vocabulary category, in name order.
    pub categories: Vec<CategoryCoverage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryCoverage {
    pub category: String,
    pub covered: usize,
    pub total: usize,
    /// Canonical names of the services of the category no entry describes, in name order.
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingTotals {
    pub total: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Most frequent first, then by code.
    pub by_rule: Vec<RuleCount>,
    /// Notes with findings, most first, then by path.
    pub by_note: Vec<NoteCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub code: String,
    pub rule: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteCount {
    pub path: String,
    pub count: usize,
}

/// What is wrong with an entry's name, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameStatus {
    Ok,
    Misspelled,
    NonCanonical,
    Outdated,
    Casing,
    Unknown,
}

impl NameStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            NameStatus::Ok => "ok",
            NameStatus::Misspelled => "misspelled",
            NameStatus::NonCanonical => "non_canonical",
            NameStatus::Outdated => "outdated",
            NameStatus::Casing => "casing",
            NameStatus::Unknown => "unknown",
        }
    }

    fn of(entry: &Entry) -> NameStatus {
        match (&entry.name_problem, &entry.id) {
            (Some(problem), _) => match problem.kind {
                kb_model::NameProblemKind::Misspelled => NameStatus::Misspelled,
                kb_model::NameProblemKind::NonCanonical => NameStatus::NonCanonical,
                kb_model::NameProblemKind::Outdated => NameStatus::Outdated,
                kb_model::NameProblemKind::Casing => NameStatus::Casing,
            },
            (None, None) => NameStatus::Unknown,
            (None, Some(_)) => NameStatus::Ok,
        }
    }
}

/// One entry of the quality table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryRow {
    pub path: String,
    pub line: u32,
    pub href: Option<String>,
    /// The name as written.
    pub name: String,
    pub canonical: Option<String>,
    /// The service's vocabulary category.
    pub category: Option<String>,
    pub has_summary: bool,
    pub features: usize,
    pub name_status: NameStatus,
    /// The name to write instead, when the name has a problem.
    pub suggestion: Option<String>,
    pub complete: bool,
}

/// A service with entries in several notes, and those entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    pub id: String,
    pub canonical: String,
    /// The first entry of the service in each note, in note order.
    pub places: Vec<Place>,
}

/// How one note describes a duplicated service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    pub path: String,
    pub line: u32,
    pub href: Option<String>,
    pub name: String,
    pub summary: Option<String>,
    /// The first few features.
    pub features: Vec<String>,
    pub feature_count: usize,
}

/// How many features of a duplicated entry the page shows.
const SHOWN_FEATURES: usize = 6;

/// One finding with its note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRow {
    pub path: String,
    pub href: Option<String>,
    #[serde(flatten)]
    pub finding: Finding,
}

/// The report of `notes` against `vocab`.
pub fn build(notes: &[NoteInput<'_>], vocab: &Vocabulary) -> Report {
    let category_of = |id: &str| vocab.by_id(id).and_then(|s| vocab.service(s).category.clone());

    let mut entries = Vec::new();
    let mut incomplete = Incomplete {
        missing_summary: 0,
        missing_features: 0,
        name_problem: 0,
        unknown_service: 0,
    };
    for input in notes {
        let Some(note) = input.note else { continue };
        for entry in &note.entries {
            let has_summary = entry.summary.as_ref().is_some_and(|s| !s.text.trim().is_empty());
            let name_status = NameStatus::of(entry);
            incomplete.missing_summary += usize::from(!has_summary);
            incomplete.missing_features += usize::from(entry.features.is_empty());
            match name_status {
                NameStatus::Ok => {}
                NameStatus::Unknown => incomplete.unknown_service += 1,
                _ => incomplete.name_problem += 1,
            }
            entries.push(EntryRow {
                path: input.path.to_owned(),
                line: entry.source.line,
                href: input.href.clone(),
                name: entry.name.clone(),
                canonical: entry.canonical.clone(),
                category: entry.id.as_deref().and_then(category_of),
                has_summary,
                features: entry.features.len(),
                name_status,
                suggestion: entry.name_problem.as_ref().map(|p| p.suggestion.clone()),
                complete: has_summary && !entry.features.is_empty() && name_status == NameStatus::Ok,
            });
        }
    }
    let complete_entries = entries.iter().filter(|e| e.complete).count();

    let duplicates = duplicates(notes);
    let coverage = coverage(notes, vocab);

    let mut findings = Vec::new();
    let mut by_rule: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut by_note = Vec::new();
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for input in notes {
        for f in &input.findings {
            *by_rule.entry((&f.code, &f.rule)).or_default() += 1;
            match f.severity.as_str() {
                "error" => errors += 1,
                "warning" => warnings += 1,
                _ => infos += 1,
            }
            findings.push(FindingRow {
                path: input.path.to_owned(),
                href: input.href.clone(),
                finding: f.clone(),
            });
        }
        if !input.findings.is_empty() {
            by_note.push(NoteCount {
                path: input.path.to_owned(),
                count: input.findings.len(),
            });
        }
    }
    let mut by_rule: Vec<RuleCount> = by_rule
        .into_iter()
        .map(|((code, rule), count)| RuleCount {
            code: code.to_owned(),
            rule: rule.to_owned(),
            count,
        })
        .collect();
    by_rule.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    by_note.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.path.cmp(&b.path)));

    let stats = Stats {
        notes: notes.len(),
        unreadable_notes: notes.iter().filter(|n| n.note.is_none()).count(),
        entries: entries.len(),
        complete_entries,
        complete_percent: (complete_entries * 100).checked_div(entries.len()).unwrap_or(0),
        incomplete,
        coverage,
        duplicated_services: duplicates.len(),
        findings: FindingTotals {
            total: findings.len(),
            errors,
            warnings,
            infos,
            by_rule,
            by_note,
        },
    };
    Report {
        stats,
        entries,
        duplicates,
        findings,
    }
}

/// Services and tools of the vocabulary, by category, with whether an entry describes them.
fn coverage(notes: &[NoteInput<'_>], vocab: &Vocabulary) -> Coverage {
    let described: std::collections::HashSet<&str> = notes
        .iter()
        .filter_map(|n| n.note)
        .flat_map(|n| &n.entries)
        .filter_map(|e| e.id.as_deref())
        .collect();
    let mut categories: BTreeMap<&str, CategoryCoverage> = BTreeMap::new();
    for service in vocab.services() {
        if service.kind == ServiceType::Feature || service.retired.is_some() {
            continue;
        }
        let name = service.category.as_deref().unwrap_or("Other");
        let category = categories.entry(name).or_insert_with(|| CategoryCoverage {
            category: name.to_owned(),
            covered: 0,
            total: 0,
            missing: Vec::new(),
        });
        category.total += 1;
        if described.contains(service.id.as_str()) {
            category.covered += 1;
        } else {
            category.missing.push(service.name.clone());
        }
    }
    let mut categories: Vec<CategoryCoverage> = categories.into_values().collect();
    for category in &mut categories {
        category.missing.sort_by_key(|name| name.to_lowercase());
    }
    Coverage {
        covered: categories.iter().map(|c| c.covered).sum(),
        total: categories.iter().map(|c| c.total).sum(),
        categories,
    }
}

/// Services with an entry in more than one note ([`Note::service_entries`], as KB302 counts
/// them).
fn duplicates(notes: &[NoteInput<'_>]) -> Vec<Duplicate> {
    let mut places: BTreeMap<&str, Vec<(&NoteInput<'_>, &Entry)>> = BTreeMap::new();
    for input in notes {
        let Some(note) = input.note else { continue };
        for (id, entry) in note.service_entries() {
            places.entry(id).or_default().push((input, entry));
        }
    }
    let mut out: Vec<Duplicate> = places
        .into_iter()
        .filter(|(_, p)| p.len() > 1)
        .map(|(id, p)| Duplicate {
            id: id.to_owned(),
            canonical: p
                .iter()
                .find_map(|(_, e)| e.canonical.clone())
                .unwrap_or_else(|| id.to_owned()),
            places: p
                .into_iter()
                .map(|(input, entry)| Place {
                    path: input.path.to_owned(),
                    line: entry.source.line,
                    href: input.href.clone(),
                    name: entry.name.clone(),
                    summary: entry.summary.as_ref().map(|s| s.text.clone()),
                    features: entry
                        .features
                        .iter()
                        .take(SHOWN_FEATURES)
                        .map(|f| f.text.clone())
                        .collect(),
                    feature_count: entry.features.len(),
                })
                .collect(),
        })
        .collect();
    out.sort_by(|a, b| {
        b.places
            .len()
            .cmp(&a.places.len())
            .then_with(|| a.canonical.to_lowercase().cmp(&b.canonical.to_lowercase()))
            .then_with(|| a.id.cmp(&b.id))
    });
    out
}

#[cfg(test)]
mod tests;
