use kb_model::{Note, Span};
use kb_vocab::{ServiceId, Vocabulary};

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

/// What rules across notes read of one note: the first entry of each service it describes,
/// in file order, as [`Note::service_entries`] picks them, without names or text. A vault's
/// notes are held in this form while they wait for their findings across notes: a tenth of
/// the memory of their entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteServices {
    /// The note's path, as its findings name it.
    pub path: String,
    pub entries: Vec<ServiceEntry>,
}

/// Where a note introduces a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceEntry {
    pub service: ServiceId,
    pub name_span: Span,
    pub line: u32,
    pub column: u32,
}

impl NoteServices {
    /// The services of `note`, whose entries' ids are those of `vocab` (an id `vocab` does not
    /// have, which parsing with it never gives, is left out).
    pub fn of(note: &Note, vocab: &Vocabulary) -> NoteServices {
        NoteServices {
            path: note.path.clone(),
            entries: note
                .service_entries()
                .filter_map(|(id, entry)| {
                    Some(ServiceEntry {
                        service: vocab.by_id(id)?,
                        name_span: entry.source.name_span,
                        line: entry.source.line,
                        column: entry.source.column,
                    })
                })
                .collect(),
        }
    }
}

/// Asked once per entry of the vault: hashed, not ordered.
type Places<'a> =
    std::collections::HashMap<ServiceId, Vec<(usize, &'a ServiceEntry)>, foldhash::fast::RandomState>;

/// Which services have entries in several notes, to make each note's findings when its turn
/// comes: one finding per entry after the first (in path order), each naming the others. A
/// vault where most services recur holds an entry per place, not a finding.
pub struct Duplicates<'a> {
    notes: &'a [&'a NoteServices],
    vocab: &'a Vocabulary,
    /// Service → (note, entry) in note order, first entry of the service in each note.
    places: Places<'a>,
}

impl<'a> Duplicates<'a> {
    pub fn new(notes: &'a [&'a NoteServices], vocab: &'a Vocabulary) -> Duplicates<'a> {
        Duplicates::gathered(notes, vocab, |_| true)
    }

    /// As [`Duplicates::new`], but only for the services in `services`: the findings of a note
    /// that names no other service are the same, and an editor asking again for the notes it
    /// has open after each keystroke does not gather every service of the vault.
    pub fn of_services(
        notes: &'a [&'a NoteServices],
        vocab: &'a Vocabulary,
        services: &[ServiceId],
    ) -> Duplicates<'a> {
        Duplicates::gathered(notes, vocab, |id| services.contains(&id))
    }

    fn gathered(
        notes: &'a [&'a NoteServices],
        vocab: &'a Vocabulary,
        wanted: impl Fn(ServiceId) -> bool,
    ) -> Duplicates<'a> {
        let mut places = Places::default();
        for (n, note) in notes.iter().enumerate() {
            for entry in &note.entries {
                if wanted(entry.service) {
                    places.entry(entry.service).or_default().push((n, entry));
                }
            }
        }
        places.retain(|_, p| p.len() > 1);
        Duplicates { notes, vocab, places }
    }

    /// The findings of `notes[note]`.
    pub fn diagnostics(&self, note: usize) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for entry in &self.notes[note].entries {
            let Some(places) = self.places.get(&entry.service) else {
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

    fn finding(&self, places: &[(usize, &ServiceEntry)], i: usize) -> Diagnostic {
        let (note, entry) = places[i];
        let path = &self.notes[note].path;
        let canonical = &self.vocab.service(entry.service).name;
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
        let mut diagnostic = Diagnostic::new(&DuplicateAcrossNotes::META, path, entry.name_span, message)
            .with_label("entry here")
            .with_help("Keep one entry per service and link to it from the other notes");
        diagnostic.related.reserve_exact(SHOWN.min(places.len() - 1));
        for (other_note, other) in others() {
            diagnostic = diagnostic.with_related(Related {
                path: self.notes[*other_note].path.clone(),
                span: other.name_span,
                line: other.line,
                column: other.column,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn services(path: &str, text: &str, vocab: &Vocabulary) -> NoteServices {
        NoteServices::of(&kb_parse::parse(path, text, vocab).note, vocab)
    }

    #[test]
    fn a_note_keeps_the_first_entry_of_each_service_it_describes() {
        let vocab = Vocabulary::builtin();
        let note = services(
            "a.md",
            "## AWS Lambda\n\n함수를 실행한다.\n\n## ECS와 EKS의 차이\n\n- 둘 다 컨테이너\n\n## AWS Lambda\n\n다시 쓴다.\n",
            &vocab,
        );
        let lambda = vocab.by_id("aws-lambda").unwrap();
        // The comparison names two services but describes neither; the second Lambda is
        // the same service again.
        assert_eq!(note.entries.len(), 1, "{note:?}");
        assert_eq!(note.entries[0].service, lambda);
        assert_eq!((note.entries[0].line, note.entries[0].column), (1, 4));
    }

    #[test]
    fn each_later_note_names_the_others_and_where() {
        let vocab = Vocabulary::builtin();
        let notes = [
            services("a.md", "# 노트\n\n## AWS Lambda\n\n함수.\n", &vocab),
            services("b.md", "## Amazon S3\n\n버킷.\n", &vocab),
            services("c.md", "## AWS Lambda\n\n또 함수.\n", &vocab),
        ];
        let notes: Vec<&NoteServices> = notes.iter().collect();
        let across = Duplicates::new(&notes, &vocab);
        assert!(across.diagnostics(0).is_empty(), "the first note keeps its entry");
        assert!(across.diagnostics(1).is_empty(), "S3 is described once");
        let found = across.diagnostics(2);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "`AWS Lambda` also has an entry in `a.md`");
        assert_eq!(found[0].related[0].path, "a.md");
        assert_eq!((found[0].related[0].line, found[0].related[0].column), (3, 4));
        // Asked only for S3, Lambda's duplicates are not gathered.
        let s3 = vocab.by_id("amazon-s3").unwrap();
        assert!(Duplicates::of_services(&notes, &vocab, &[s3])
            .diagnostics(2)
            .is_empty());
    }
}
