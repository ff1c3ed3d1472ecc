//! The fix loop: apply fixes pass by pass until nothing changes, never making a note worse.
//!
//! Each pass checks the text, takes the fixes it may apply (safe ones, and unsafe ones when
//! asked) that do not overlap an earlier one, and applies them as byte-range edits: nothing
//! outside an edit changes. A pass that would lose an entry or add an error is rolled back and
//! reported; a text seen before (rules undoing each other) stops the loop and names the rules.

use std::collections::{BTreeSet, HashSet};

use crate::diagnostic::{apply_edits, Applicability, Diagnostic, Edit, Severity};

/// At most this many passes.
pub const MAX_PASSES: usize = 10;

/// What a check of a text found: its findings and how many entries the text has.
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    pub entries: usize,
}

/// One applied fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The pass (from 1) whose text the edits apply to.
    pub pass: usize,
    pub code: &'static str,
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// Why the loop stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    /// The fixes of a pass would have made the note worse; that pass was undone.
    RolledBack {
        codes: Vec<&'static str>,
        reason: String,
    },
    /// A text came back that an earlier pass had produced: these rules undo each other.
    Oscillation { codes: Vec<&'static str> },
    /// Still changing after `MAX_PASSES` passes.
    TooManyPasses { codes: Vec<&'static str> },
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub text: String,
    pub applied: Vec<Applied>,
    pub passes: usize,
    pub stopped: Option<Stopped>,
    /// The findings of the final text.
    pub remaining: Vec<Diagnostic>,
}

impl Outcome {
    pub fn changed(&self, original: &str) -> bool {
        self.text != original
    }
}

/// The fixes of one pass: in position order, each applied whole or not at all, none
/// overlapping another.
fn choose(diagnostics: &[Diagnostic], unsafe_fixes: bool) -> Vec<Applied> {
    let mut candidates: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| {
            d.fix.as_ref().is_some_and(|f| {
                !f.edits.is_empty() && (f.applicability == Applicability::Safe || unsafe_fixes)
            })
        })
        .collect();
    candidates.sort_by_key(|d| d.fix.as_ref().map(|f| f.edits.iter().map(|e| e.start).min()));
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut chosen = Vec::new();
    for d in candidates {
        let Some(fix) = &d.fix else { continue };
        let overlaps = fix
            .edits
            .iter()
            .any(|e| taken.iter().any(|&(s, t)| overlap((s, t), (e.start, e.end))));
        if overlaps {
            continue;
        }
        taken.extend(fix.edits.iter().map(|e| (e.start, e.end)));
        chosen.push(Applied {
            pass: 0,
            code: d.code,
            title: fix.title.clone(),
            applicability: fix.applicability,
            edits: fix.edits.clone(),
        });
    }
    chosen
}

/// Whether two edit ranges touch the same bytes (two insertions at one point do too).
fn overlap(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0.max(b.0) < a.1.min(b.1) || a.0 == b.0
}

fn errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

fn codes(applied: &[Applied]) -> Vec<&'static str> {
    applied
        .iter()
        .map(|a| a.code)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Fix `original` with the findings `check` reports for a text.
pub fn fix(original: &str, unsafe_fixes: bool, check: impl Fn(&str) -> Checked) -> Outcome {
    let mut text = original.to_owned();
    let mut current = check(&text);
    let mut applied = Vec::new();
    let mut seen: HashSet<String> = HashSet::from([text.clone()]);
    let mut stopped = None;
    let mut passes = 0;
    loop {
        let chosen = choose(&current.diagnostics, unsafe_fixes);
        if chosen.is_empty() {
            break;
        }
        if passes == MAX_PASSES {
            stopped = Some(Stopped::TooManyPasses {
                codes: codes(&chosen),
            });
            break;
        }
        passes += 1;
        let edits: Vec<Edit> = chosen.iter().flat_map(|a| a.edits.iter().cloned()).collect();
        let (next, skipped) = apply_edits(&text, &edits);
        if !skipped.is_empty() || next == text {
            break;
        }
        if !seen.insert(next.clone()) {
            stopped = Some(Stopped::Oscillation {
                codes: codes(&chosen),
            });
            break;
        }
        let after = check(&next);
        let reason = if after.entries < current.entries {
            Some(format!(
                "it would leave {} entries of {}",
                after.entries, current.entries
            ))
        } else if errors(&after.diagnostics) > errors(&current.diagnostics) {
            Some("it would add an error".to_owned())
        } else {
            None
        };
        if let Some(reason) = reason {
            stopped = Some(Stopped::RolledBack {
                codes: codes(&chosen),
                reason,
            });
            break;
        }
        text = next;
        current = after;
        applied.extend(chosen.into_iter().map(|a| Applied { pass: passes, ..a }));
    }
    Outcome {
        text,
        applied,
        passes,
        stopped,
        remaining: current.diagnostics,
    }
}
