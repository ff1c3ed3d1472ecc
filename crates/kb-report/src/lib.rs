//! kb's report on a knowledge base: which services of the vocabulary the notes cover, which
//! entries are complete, which services have entries in several notes, and where the findings
//! cluster.
//!
//! [`build`] turns the parsed notes, their findings and the vocabulary into a [`Report`] whose
//! [`Stats`] are the headline figures (`kb stats`, serialisable); a [`Builder`] does the same a
//! note at a time, so that a large vault's entries and findings need not be held at once;
//! [`write_html`] writes the
//! report as one self-contained HTML page (`kb report`) into the writer it is given, as it
//! draws it ([`render_html`] returns it as a string). Nothing here touches files, the clock or
//! the environment: the CLI reads the notes, runs the checks and opens what the page goes to.
//!
//! This crate never depends on kb-check: findings come in as plain [`Finding`]s.

mod html;

use std::collections::BTreeMap;

use kb_model::{Entry, Note};
use kb_vocab::{ServiceType, Vocabulary};
use serde::Serialize;

pub use html::{escape, file_url, render_html, write_html};

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
    /// The entries the page lists: every entry, in note order, when there are at most
    /// [`LISTED_ENTRIES`]; else that many, the incomplete ones first, each kind in note order.
    /// A large vault's every entry would make a page too large to open (and a report too
    /// large to hold); [`Stats::entries`] counts them all.
    pub entries: Vec<EntryRow>,
    /// Services with entries in more than one note, those in most notes first.
    pub duplicates: Vec<Duplicate>,
    /// The first [`LISTED_FINDINGS`] findings, in note order; [`Stats::findings`] counts them
    /// all.
    pub findings: Vec<FindingRow>,
}

/// Entries the page lists; `kb export` writes every one.
pub const LISTED_ENTRIES: usize = 5000;

/// Findings the page lists; `kb check` lists every one.
pub const LISTED_FINDINGS: usize = 5000;

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
    /// How many notes have an entry of the service.
    pub notes: usize,
    /// The first entry of the service in each note, in note order, for the first
    /// [`SHOWN_PLACES`] notes: side by side, more cannot be compared, and a service described
    /// in a thousand notes of a large vault would make the page too large to open.
    pub places: Vec<Place>,
}

/// How many notes' entries of a duplicated service the page shows side by side.
pub const SHOWN_PLACES: usize = 12;

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

/// Drop what [`build`] never reads of `entry` (its sections, tags and expansion, and the text of
/// features past those the page shows, whose number still counts), so that a caller holding
/// every entry of a vault for the page holds less.
pub fn keep_what_the_page_shows(entry: &mut Entry) {
    entry.sections = Vec::new();
    entry.tags = Vec::new();
    entry.expansion = None;
    for feature in entry.features.iter_mut().skip(SHOWN_FEATURES) {
        feature.text = String::new();
    }
}

/// One finding with its note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRow {
    pub path: String,
    pub href: Option<String>,
    #[serde(flatten)]
    pub finding: Finding,
}

/// The report of `notes` against `vocab`. Every finding is counted; the first
/// [`LISTED_FINDINGS`] are moved into the report's rows, not copied, and the rest freed as they
/// are counted: a large vault has hundreds of thousands.
pub fn build(notes: Vec<NoteInput<'_>>, vocab: &Vocabulary) -> Report {
    let mut builder = Builder::new(vocab);
    for input in &notes {
        builder.add_note(input.path, input.href.as_deref(), input.note);
    }
    for input in notes {
        builder.add_findings(input.path, input.href.as_deref(), input.findings);
    }
    builder.finish()
}

/// A [`Report`] built a note at a time, so that a caller need not hold a vault's every entry
/// and finding: each note's entries are given in note order ([`Builder::add_note`]) and each
/// note's findings in note order ([`Builder::add_findings`]); the builder keeps only what the
/// page lists and the counts.
pub struct Builder<'v> {
    vocab: &'v Vocabulary,
    tally: Tally,
    /// The first LISTED_ENTRIES incomplete and complete entries, each with its place in note
    /// order: which are listed is known once every entry is counted.
    incomplete: Vec<(usize, EntryRow)>,
    complete: Vec<(usize, EntryRow)>,
    seen: usize,
    findings: Vec<FindingRow>,
    /// Service id → the notes describing it so far.
    services: BTreeMap<String, Gathered>,
}

/// A service's entries in the notes given so far ([`Note::service_entries`], as KB302 counts
/// them): a duplicate once there are two.
#[derive(Default)]
struct Gathered {
    /// The first canonical name among its entries, in note order.
    canonical: Option<String>,
    notes: usize,
    /// The first [`SHOWN_PLACES`].
    places: Vec<Place>,
}

impl<'v> Builder<'v> {
    pub fn new(vocab: &'v Vocabulary) -> Builder<'v> {
        Builder {
            vocab,
            tally: Tally::default(),
            incomplete: Vec::new(),
            complete: Vec::new(),
            seen: 0,
            findings: Vec::new(),
            services: BTreeMap::new(),
        }
    }

    /// The next note in note order: `None` when it could not be read.
    pub fn add_note(&mut self, path: &str, href: Option<&str>, note: Option<&Note>) {
        self.tally.add_note(note.map(NoteFacts::of).as_ref());
        let Some(note) = note else { return };
        let vocab = self.vocab;
        let category_of = |id: &str| vocab.by_id(id).and_then(|s| vocab.service(s).category.clone());
        for entry in &note.entries {
            let judged = Judged::of(entry);
            let kind = if judged.complete {
                &mut self.complete
            } else {
                &mut self.incomplete
            };
            if kind.len() < LISTED_ENTRIES {
                kind.push((self.seen, entry_row(path, href, entry, judged, &category_of)));
            }
            self.seen += 1;
        }
        for (id, entry) in note.service_entries() {
            let gathered = match self.services.get_mut(id) {
                Some(gathered) => gathered,
                None => self.services.entry(id.to_owned()).or_default(),
            };
            if gathered.canonical.is_none() {
                gathered.canonical.clone_from(&entry.canonical);
            }
            gathered.notes += 1;
            if gathered.places.len() < SHOWN_PLACES {
                gathered.places.push(place(path, href, entry));
            }
        }
    }

    /// The findings of the next note in note order.
    pub fn add_findings(&mut self, path: &str, href: Option<&str>, findings: Vec<Finding>) {
        self.tally
            .add_findings(path, findings.iter().map(|f| (&*f.code, &*f.rule, &*f.severity)));
        let room = LISTED_FINDINGS.saturating_sub(self.findings.len());
        self.findings
            .extend(findings.into_iter().take(room).map(|finding| FindingRow {
                path: path.to_owned(),
                href: href.map(str::to_owned),
                finding,
            }));
    }

    pub fn finish(self) -> Report {
        let entries = if self.seen <= LISTED_ENTRIES {
            let mut all: Vec<(usize, EntryRow)> = self.incomplete.into_iter().chain(self.complete).collect();
            all.sort_by_key(|(at, _)| *at);
            all.into_iter().map(|(_, row)| row).collect()
        } else {
            self.incomplete
                .into_iter()
                .chain(self.complete)
                .take(LISTED_ENTRIES)
                .map(|(_, row)| row)
                .collect()
        };
        let mut duplicates: Vec<Duplicate> = self
            .services
            .into_iter()
            .filter(|(_, gathered)| gathered.notes > 1)
            .map(|(id, gathered)| Duplicate {
                canonical: gathered.canonical.unwrap_or_else(|| id.clone()),
                id,
                notes: gathered.notes,
                places: gathered.places,
            })
            .collect();
        duplicates.sort_by(|a, b| {
            b.notes
                .cmp(&a.notes)
                .then_with(|| a.canonical.to_lowercase().cmp(&b.canonical.to_lowercase()))
                .then_with(|| a.id.cmp(&b.id))
        });
        Report {
            stats: self.tally.finish(self.vocab),
            entries,
            duplicates,
            findings: self.findings,
        }
    }
}

/// How `path` describes a duplicated service in `entry`.
fn place(path: &str, href: Option<&str>, entry: &Entry) -> Place {
    Place {
        path: path.to_owned(),
        line: entry.source.line,
        href: href.map(str::to_owned),
        name: entry.name.clone(),
        summary: entry.summary.as_ref().map(|s| s.text.clone()),
        features: entry
            .features
            .iter()
            .take(SHOWN_FEATURES)
            .map(|f| f.text.clone())
            .collect(),
        feature_count: entry.features.len(),
    }
}

fn entry_row(
    path: &str,
    href: Option<&str>,
    entry: &Entry,
    judged: Judged,
    category_of: &impl Fn(&str) -> Option<String>,
) -> EntryRow {
    let Judged {
        has_summary,
        name_status,
        complete,
    } = judged;
    EntryRow {
        path: path.to_owned(),
        line: entry.source.line,
        href: href.map(str::to_owned),
        name: entry.name.clone(),
        canonical: entry.canonical.clone(),
        category: entry.id.as_deref().and_then(category_of),
        has_summary,
        features: entry.features.len(),
        name_status,
        suggestion: entry.name_problem.as_ref().map(|p| p.suggestion.clone()),
        complete,
    }
}

/// What the report says of one entry, worked out once for its row and for the figures.
struct Judged {
    has_summary: bool,
    name_status: NameStatus,
    /// A summary, at least one feature and a correctly written known name.
    complete: bool,
}

impl Judged {
    fn of(entry: &Entry) -> Judged {
        let has_summary = entry.summary.as_ref().is_some_and(|s| !s.text.trim().is_empty());
        let name_status = NameStatus::of(entry);
        Judged {
            has_summary,
            name_status,
            complete: has_summary && !entry.features.is_empty() && name_status == NameStatus::Ok,
        }
    }
}

/// What the figures need of one note's entries: counts and service ids, without their text.
/// Taken as each note is parsed, so that `kb stats` need not keep every entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteFacts {
    entries: usize,
    complete: usize,
    missing_summary: usize,
    missing_features: usize,
    name_problem: usize,
    unknown_service: usize,
    /// Every service an entry describes (comparisons included): coverage.
    described: Vec<String>,
    /// The services of [`Note::service_entries`]: duplicates, as KB302 counts them.
    services: Vec<String>,
}

impl NoteFacts {
    pub fn of(note: &Note) -> NoteFacts {
        let mut facts = NoteFacts {
            entries: note.entries.len(),
            services: note.service_entries().map(|(id, _)| id.to_owned()).collect(),
            ..NoteFacts::default()
        };
        for entry in &note.entries {
            let judged = Judged::of(entry);
            facts.complete += usize::from(judged.complete);
            facts.missing_summary += usize::from(!judged.has_summary);
            facts.missing_features += usize::from(entry.features.is_empty());
            match judged.name_status {
                NameStatus::Ok => {}
                NameStatus::Unknown => facts.unknown_service += 1,
                _ => facts.name_problem += 1,
            }
            if let Some(id) = entry.id.as_deref() {
                if !facts.described.iter().any(|d| d == id) {
                    facts.described.push(id.to_owned());
                }
            }
        }
        facts
    }
}

/// The figures of [`Stats`] counted a note at a time: memory holds counts and service ids, not
/// entries or findings.
#[derive(Debug, Default)]
pub struct Tally {
    notes: usize,
    unreadable_notes: usize,
    entries: usize,
    complete: usize,
    incomplete: [usize; 4],
    described: std::collections::HashSet<String>,
    /// Service id → notes with an entry of it.
    places: std::collections::HashMap<String, usize>,
    errors: usize,
    warnings: usize,
    infos: usize,
    /// Code → (rule, findings): a code names one rule.
    by_rule: BTreeMap<String, (String, usize)>,
    by_note: Vec<NoteCount>,
}

impl Tally {
    /// Count a note: its facts, or `None` when it could not be read.
    pub fn add_note(&mut self, facts: Option<&NoteFacts>) {
        self.notes += 1;
        let Some(facts) = facts else {
            self.unreadable_notes += 1;
            return;
        };
        self.entries += facts.entries;
        self.complete += facts.complete;
        let counts = [
            facts.missing_summary,
            facts.missing_features,
            facts.name_problem,
            facts.unknown_service,
        ];
        for (total, n) in self.incomplete.iter_mut().zip(counts) {
            *total += n;
        }
        for id in &facts.described {
            if !self.described.contains(id) {
                self.described.insert(id.clone());
            }
        }
        for id in &facts.services {
            match self.places.get_mut(id) {
                Some(n) => *n += 1,
                None => {
                    self.places.insert(id.clone(), 1);
                }
            }
        }
    }

    /// Count the findings of the note at `path`, as (code, rule, severity) with severity
    /// `error`, `warning` or `info`.
    pub fn add_findings<'f>(
        &mut self,
        path: &str,
        findings: impl IntoIterator<Item = (&'f str, &'f str, &'f str)>,
    ) {
        let mut count = 0;
        for (code, rule, severity) in findings {
            count += 1;
            match self.by_rule.get_mut(code) {
                Some((_, n)) => *n += 1,
                None => {
                    self.by_rule.insert(code.to_owned(), (rule.to_owned(), 1));
                }
            }
            match severity {
                "error" => self.errors += 1,
                "warning" => self.warnings += 1,
                _ => self.infos += 1,
            }
        }
        if count > 0 {
            self.by_note.push(NoteCount {
                path: path.to_owned(),
                count,
            });
        }
    }

    /// The figures, with coverage against `vocab`.
    pub fn finish(self, vocab: &Vocabulary) -> Stats {
        let mut by_rule: Vec<RuleCount> = self
            .by_rule
            .into_iter()
            .map(|(code, (rule, count))| RuleCount { code, rule, count })
            .collect();
        by_rule.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
        let mut by_note = self.by_note;
        by_note.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.path.cmp(&b.path)));
        let [missing_summary, missing_features, name_problem, unknown_service] = self.incomplete;
        Stats {
            notes: self.notes,
            unreadable_notes: self.unreadable_notes,
            entries: self.entries,
            complete_entries: self.complete,
            complete_percent: (self.complete * 100).checked_div(self.entries).unwrap_or(0),
            incomplete: Incomplete {
                missing_summary,
                missing_features,
                name_problem,
                unknown_service,
            },
            coverage: coverage(&self.described, vocab),
            duplicated_services: self.places.values().filter(|n| **n > 1).count(),
            findings: FindingTotals {
                total: self.errors + self.warnings + self.infos,
                errors: self.errors,
                warnings: self.warnings,
                infos: self.infos,
                by_rule,
                by_note,
            },
        }
    }
}

/// Services and tools of the vocabulary, by category, with whether an entry describes them.
fn coverage(described: &std::collections::HashSet<String>, vocab: &Vocabulary) -> Coverage {
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
        if described.contains(&service.id) {
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

#[cfg(test)]
mod tests;
