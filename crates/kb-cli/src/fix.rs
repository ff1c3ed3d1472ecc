//! `kb fix`: apply fixes to notes on disk, or show them as a diff.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kb_check::fix::{Outcome, Stopped};
use kb_check::Severity;
use rayon::prelude::*;

use crate::args::{FixArgs, RenameArgs};
use crate::check::{plural, prepare, Session};
use crate::config::CliRules;
use crate::files::{self, display_path, Failure, NoteFile};

/// One note after the fix loop.
pub struct NoteFix {
    pub file: NoteFile,
    pub original: Vec<u8>,
    pub outcome: Option<Outcome>,
    /// Why the note was not read, when it was not.
    pub problem: Option<String>,
}

impl NoteFix {
    /// Read the note and run `change` on its text. A note that cannot be read, or is not
    /// UTF-8, is never changed: `kb check` reports it.
    fn new(file: NoteFile, change: impl FnOnce(&NoteFile, &str) -> Outcome) -> NoteFix {
        let read = files::read_bytes(&file);
        let problem = read.as_ref().err().map(ToString::to_string);
        let original = read.unwrap_or_default();
        let outcome = if problem.is_none() {
            std::str::from_utf8(&original)
                .ok()
                .map(|text| change(&file, text))
        } else {
            None
        };
        NoteFix {
            file,
            original,
            outcome,
            problem,
        }
    }

    fn fixed(&self) -> Option<&str> {
        let outcome = self.outcome.as_ref()?;
        (outcome.text.as_bytes() != self.original.as_slice()).then_some(outcome.text.as_str())
    }
}

/// What a fix run did.
pub struct Report {
    pub notes: Vec<NoteFix>,
}

/// Run the fix loop over every note under `paths` (nothing is written).
pub fn plan(
    paths: &[PathBuf],
    config: Option<&Path>,
    cli: &CliRules,
    unsafe_fixes: bool,
) -> Result<Report, Failure> {
    let run = Session::load(paths, config, cli)?;
    let (settings, checker) = (&run.settings, run.checker());
    let notes = run
        .notes
        .clone()
        .into_par_iter()
        .map(|file| {
            NoteFix::new(file, |file, text| {
                let selection = settings.selection_for(&file.display);
                kb_check::fix::fix(text, unsafe_fixes, |candidate| {
                    checker.check_text(&file.display, candidate, selection)
                })
            })
        })
        .collect();
    Ok(Report { notes })
}

/// Notes among `paths` that git reports as modified, added or untracked. Outside a git work
/// tree, or without git, none.
fn dirty(paths: &[&Path]) -> Vec<PathBuf> {
    let mut by_dir: std::collections::BTreeMap<PathBuf, Vec<&Path>> = std::collections::BTreeMap::new();
    for path in paths {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        by_dir.entry(dir.to_path_buf()).or_default().push(path);
    }
    let mut out = Vec::new();
    for (dir, paths) in by_dir {
        let names: Vec<&std::ffi::OsStr> = paths.iter().filter_map(|p| p.file_name()).collect();
        let status = std::process::Command::new("git")
            .arg("-C")
            .arg(&dir)
            .args(["status", "--porcelain", "--"])
            .args(&names)
            .stderr(std::process::Stdio::null())
            .output();
        let Ok(status) = status else { continue };
        if !status.status.success() {
            continue;
        }
        for line in String::from_utf8_lossy(&status.stdout).lines() {
            let name = line.get(3..).unwrap_or_default().trim_matches('"');
            if let Some(path) = paths.iter().find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy() == name || name.ends_with(&*n.to_string_lossy()))
            }) {
                out.push(path.to_path_buf());
            }
        }
    }
    out
}

fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

fn describe(stopped: &Stopped) -> String {
    match stopped {
        Stopped::RolledBack { codes, reason } => {
            format!("fixes of {} were not applied: {reason}", codes.join(", "))
        }
        Stopped::Oscillation { codes } => format!("{} keep undoing each other's fixes", codes.join(", ")),
        Stopped::TooManyPasses { codes } => format!(
            "still changing after {} passes ({})",
            kb_check::fix::MAX_PASSES,
            codes.join(", ")
        ),
    }
}

/// Write the fixed notes. Returns the failures (each note is tried).
pub fn write(report: &Report, allow_dirty: bool) -> Result<Vec<Failure>, Failure> {
    let changed: Vec<&NoteFix> = report.notes.iter().filter(|n| n.fixed().is_some()).collect();
    if !allow_dirty {
        let paths: Vec<&Path> = changed.iter().map(|n| n.file.path.as_path()).collect();
        if let Some(path) = dirty(&paths).first() {
            return Err(Failure::Dirty {
                path: display_path(path),
            });
        }
    }
    let mut failures = Vec::new();
    for note in changed {
        if let Some(fixed) = note.fixed() {
            if let Err(failure) = files::write_note(&note.file.path, &note.original, fixed.as_bytes()) {
                failures.push(failure);
            }
        }
    }
    Ok(failures)
}

pub fn run(args: &FixArgs) -> Result<ExitCode, Failure> {
    let cli = args.rules.cli();
    let report = plan(&args.paths, args.rules.config.as_deref(), &cli, args.unsafe_fixes)?;
    let mut stderr = std::io::stderr().lock();
    for note in &report.notes {
        if let Some(problem) = &note.problem {
            let _ = writeln!(stderr, "warning: `{}` {problem}; not fixed", note.file.display);
        }
        if let Some(stopped) = note.outcome.as_ref().and_then(|o| o.stopped.as_ref()) {
            let _ = writeln!(stderr, "warning: `{}`: {}", note.file.display, describe(stopped));
        }
    }
    if args.diff {
        let mut out = String::new();
        for note in &report.notes {
            if let Some(fixed) = note.fixed() {
                let old = String::from_utf8_lossy(&note.original);
                out.push_str(&unified_diff(&note.file.display, &old, fixed));
            }
        }
        let changes = !out.is_empty();
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(out.as_bytes()).map_err(Failure::Stdout)?;
        let fixes: usize = report
            .notes
            .iter()
            .filter_map(|n| n.outcome.as_ref())
            .map(|o| o.applied.len())
            .sum();
        let files = report.notes.iter().filter(|n| n.fixed().is_some()).count();
        let _ = writeln!(
            stderr,
            "Would fix {} in {}.",
            plural(fixes, "problem", "problems"),
            plural(files, "note", "notes")
        );
        return Ok(if changes {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    let failures = write(&report, args.allow_dirty)?;
    for failure in &failures {
        let _ = write!(stderr, "{}", failure.report());
    }
    let written: Vec<&NoteFix> = report.notes.iter().filter(|n| n.fixed().is_some()).collect();
    let fixes: usize = written
        .iter()
        .filter_map(|n| n.outcome.as_ref())
        .map(|o| o.applied.len())
        .sum();
    let remaining: usize = report
        .notes
        .iter()
        .filter_map(|n| n.outcome.as_ref())
        .map(|o| o.remaining.len())
        .sum();
    let errors: usize = report
        .notes
        .iter()
        .filter_map(|n| n.outcome.as_ref())
        .flat_map(|o| &o.remaining)
        .filter(|d| d.severity == Severity::Error)
        .count();
    let _ = writeln!(
        stderr,
        "Fixed {} in {}; {remaining} remain ({}).",
        plural(fixes, "problem", "problems"),
        plural(written.len() - failures.len().min(written.len()), "note", "notes"),
        plural(errors, "error", "errors"),
    );
    Ok(if !failures.is_empty() {
        ExitCode::from(2)
    } else if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `kb rename OLD NEW PATH...`: one pass of renaming edits per note, written like fixes.
pub fn rename(args: &RenameArgs) -> Result<ExitCode, Failure> {
    let (settings, vocab, _policy) = prepare(&args.paths, args.config.as_deref(), &CliRules::default())?;
    let (notes, _) = files::walk(&args.paths, &|p| settings.is_excluded(p))?;
    let planned: Vec<NoteFix> = notes
        .into_par_iter()
        .map(|file| {
            NoteFix::new(file, |file, text| {
                let parsed = kb_parse::parse(&file.display, text, &vocab);
                let edits =
                    kb_check::rename_edits(&parsed, text, &args.old, &args.new, settings.anchor_style);
                Outcome {
                    text: kb_check::apply_edits(text, &edits).0,
                    applied: Vec::new(),
                    passes: 1,
                    stopped: None,
                    remaining: Vec::new(),
                }
            })
        })
        .collect();
    let report = Report { notes: planned };
    let changed: Vec<&NoteFix> = report.notes.iter().filter(|n| n.fixed().is_some()).collect();
    let mut stderr = std::io::stderr().lock();
    if args.diff {
        let mut out = String::new();
        for note in &changed {
            if let Some(fixed) = note.fixed() {
                out.push_str(&unified_diff(
                    &note.file.display,
                    &String::from_utf8_lossy(&note.original),
                    fixed,
                ));
            }
        }
        std::io::stdout()
            .lock()
            .write_all(out.as_bytes())
            .map_err(Failure::Stdout)?;
        let _ = writeln!(
            stderr,
            "Would rename `{}` in {}.",
            args.old,
            plural(changed.len(), "note", "notes")
        );
        return Ok(if changed.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    let failures = write(&report, args.allow_dirty)?;
    for failure in &failures {
        let _ = write!(stderr, "{}", failure.report());
    }
    let _ = writeln!(
        stderr,
        "Renamed `{}` to `{}` in {}.",
        args.old,
        args.new,
        plural(changed.len() - failures.len().min(changed.len()), "note", "notes")
    );
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
