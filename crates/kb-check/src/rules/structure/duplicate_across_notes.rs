use kb_model::{Entry, Note};

use crate::diagnostic::Related;
use crate::registry::declare_rule;
use crate::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports a service that has an entry in more than one note, listing the other notes.
    /// Comparison entries (one side of "ECS와 EKS의 차이") do not count.
    ///
    /// ## Why is this bad?
    /// What you know about the service is split across notes that drift apart; a flash-card
    /// export merges them, but a reader of the vault finds only one.
    ///
    /// ## Example
    /// `compute.md` and `serverless.md` both have `## AWS Lambda` with its own bullets.
    ///
    /// ## Fix safety
    /// There is no fix: which note should keep the entry is the author's call.
    DuplicateAcrossNotes { code: "KB302", name: "duplicate-across-notes", severity: Warning, default_on: true, fix: Never }
}

/// Asked once per entry of the vault: hashed, not ordered.
type Places<'a> = std::collections::HashMap<&'a str, Vec<(usize, &'a Entry)>, foldhash::fast::RandomState>;

/// Which services have entries in several notes, to make each note's findings when its turn
/// comes: one finding per entry after the first (in path order), each naming the others. A
/// vault where most services recur holds an entry per place, not a finding.
pub struct Duplicates<'a> {
    notes: &'a [&'a Note],
    /// Service id → (note, entry) in note order, first entry of the service in each note.
    places: Places<'a>,
}

impl<'a> Duplicates<'a> {
    pub fn new(notes: &'a [&'a Note]) -> Duplicates<'a> {
        Duplicates::gathered(notes, |_| true)
    }

    /// As [`Duplicates::new`], but only for the services in `services`: the findings of a note
    /// that names no other service are the same, and an editor asking again for the notes it
    /// has open after each keystroke does not gather every service of the vault.
    pub fn of_services(notes: &'a [&'a Note], services: &[&str]) -> Duplicates<'a> {
        let wanted: std::collections::HashSet<&str, foldhash::fast::RandomState> =
            services.iter().copied().collect();
        Duplicates::gathered(notes, |id| wanted.contains(id))
    }

    fn gathered(notes: &'a [&'a Note], wanted: impl Fn(&str) -> bool) -> Duplicates<'a> {
        let mut places = Places::default();
        for (n, note) in notes.iter().enumerate() {
            for (id, entry) in note.service_entries() {
                if wanted(id) {
                    places.entry(id).or_default().push((n, entry));
                }
            }
        }
        places.retain(|_, p| p.len() > 1);
        Duplicates { notes, places }
    }

    /// The findings of `notes[note]`.
    pub fn diagnostics(&self, note: usize) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (id, _) in self.notes[note].service_entries() {
            let Some(places) = self.places.get(id) else {
                continue;
            };
            // The first note keeps its entry without a finding.
            // Places are in note order, a note at most once: found by bisection, not by a
            // walk through the hundreds of notes a common service is described in.
            let Some(i) = places
                .binary_search_by_key(&note, |(n, _)| *n)
                .ok()
                .filter(|i| *i > 0)
            else {
                continue;
            };
            out.push(self.finding(places, i));
        }
        out
    }

    fn finding(&self, places: &[(usize, &Entry)], i: usize) -> Diagnostic {
        let (note, entry) = places[i];
        let path = &self.notes[note].path;
        let canonical = entry.canonical.as_deref().unwrap_or_default();
        // The first few other places, in path order: a service described in thousands of
        // notes must not make every finding list all of them. Asked twice (message, related)
        // rather than collected: there is a finding for every entry of such a service.
        let others = || {
            places
                .iter()
                .enumerate()
                .filter(move |(j, _)| *j != i)
                .map(|(_, place)| place)
                .take(SHOWN)
        };
        let paths = others().map(|(n, _)| self.notes[*n].path.as_str());
        let paths_len: usize = paths.clone().map(|p| p.len() + 4).sum();
        let mut message = String::with_capacity(canonical.len() + paths_len + 48);
        message.push('`');
        message.push_str(canonical);
        message.push_str("` also has an entry in ");
        list(&mut message, paths, places.len() - 1);
        let mut diagnostic =
            Diagnostic::new(&DuplicateAcrossNotes::META, path, entry.source.name_span, message)
                .with_label("entry here")
                .with_help("Keep one entry per service and link to it from the other notes");
        diagnostic.related.reserve_exact(SHOWN.min(places.len() - 1));
        for (other_note, other) in others() {
            diagnostic = diagnostic.with_related(Related {
                path: self.notes[*other_note].path.clone(),
                span: other.source.name_span,
                line: other.source.line,
                column: other.source.column,
                message: "another entry".into(),
            });
        }
        diagnostic
    }
}

/// How many other notes a finding names.
const SHOWN: usize = 3;

/// `a`, `b`, `c` and `total - shown` more, appended to `out`.
fn list<'a>(out: &mut String, shown: impl Iterator<Item = &'a str>, total: usize) {
    use std::fmt::Write as _;
    let mut count = 0;
    for path in shown {
        if count > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(path);
        out.push('`');
        count += 1;
    }
    if total > count {
        if count > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{} more", total - count);
    }
}
