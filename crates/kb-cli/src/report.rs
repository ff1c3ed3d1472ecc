//! `kb report` and `kb stats`: where a knowledge base stands, as a page or as figures. Both
//! check the notes as `kb check` does (same configuration, rules and suppressions) and hand the
//! entries and findings to kb-report; they exit 0 whatever the findings: they are not a gate.

use std::path::Path;
use std::process::ExitCode;

use rayon::prelude::*;
use unicode_width::UnicodeWidthStr;

use crate::args::{ReportArgs, RuleArgs, StatsArgs, StatsFormat};
use crate::check::{self, Session};
use crate::files::{self, display_path, write_stdout, Failure};

/// The notes of `session` checked as `kb check` would, and their report, built as the notes
/// are read: their entries a batch at a time, then their findings a chunk at a time.
fn gather(session: &Session) -> kb_report::Report {
    // Fed by both of check_all's hands, one after the other.
    let builder = std::cell::RefCell::new(kb_report::Builder::new(&session.vocab));
    // Where each note's links point, kept for its findings' rows.
    let hrefs: std::cell::RefCell<Vec<Option<String>>> =
        std::cell::RefCell::new(Vec::with_capacity(session.notes.len()));
    let mut next = 0;
    check::check_all(
        session,
        |files, notes| {
            // Links point at the absolute path, so the page works wherever it is saved.
            let batch: Vec<Option<String>> = files
                .par_iter()
                .map(|file| {
                    std::fs::canonicalize(&file.path)
                        .ok()
                        .map(|p| kb_report::file_url(&p.to_string_lossy()))
                })
                .collect();
            let mut builder = builder.borrow_mut();
            for ((file, note), href) in files.iter().zip(notes).zip(&batch) {
                builder.add_note(&file.display, href.as_deref(), note.as_ref());
            }
            hrefs.borrow_mut().extend(batch);
        },
        // Each finding is made into what the page reads of it as its chunk is finished.
        finding,
        |path, findings| {
            let href = hrefs.borrow()[next].clone();
            builder.borrow_mut().add_findings(path, href.as_deref(), findings);
            next += 1;
        },
    );
    builder.into_inner().finish()
}

fn load(paths: &[std::path::PathBuf], rules: &RuleArgs) -> Result<Session, Failure> {
    Session::load(paths, rules.config.as_deref(), &rules.cli())
}

fn finding(d: kb_check::Diagnostic, at: kb_model::LineCol) -> kb_report::Finding {
    kb_report::Finding {
        code: d.code.to_owned(),
        rule: d.rule.to_owned(),
        severity: d.severity.as_str().to_owned(),
        message: d.message,
        line: at.line,
        column: at.column,
    }
}

pub fn report(args: &ReportArgs) -> Result<ExitCode, Failure> {
    let output = args.output.as_deref().filter(|o| *o != Path::new("-"));
    let session = load(&args.paths, &args.rules)?;
    // Refused before any note is checked.
    if let Some(output) = output {
        files::refuse_input_as_output(output, &session.notes)?;
    }
    let report = gather(&session);
    let title: Vec<String> = args.paths.iter().map(|p| display_path(p)).collect();
    let title = title.join(" ");
    let s = &report.stats;
    let summary = format!(
        "read {}, {} ({} complete), {} of {} services covered",
        check::plural(s.notes, "note", "notes"),
        check::plural(s.entries, "entry", "entries"),
        s.complete_entries,
        s.coverage.covered,
        s.coverage.total
    );
    match output {
        // The page is written as it is drawn: a large vault's page is hundreds of megabytes.
        Some(path) => {
            crate::files::write_atomic_with(path, |out| kb_report::write_html(out, &report, &title))
                .map_err(|source| Failure::Write {
                    path: display_path(path),
                    source,
                })?;
            eprintln!("{summary}; wrote `{}`", display_path(path));
        }
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            kb_report::write_html(&mut out, &report, &title).map_err(Failure::Stdout)?;
            eprintln!("{summary}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `kb stats --format json`: the figures with the version of kb that counted them.
#[derive(serde::Serialize)]
struct JsonStats<'a> {
    kb_version: &'a str,
    #[serde(flatten)]
    stats: &'a kb_report::Stats,
}

pub fn stats(args: &StatsArgs) -> Result<ExitCode, Failure> {
    let stats = check::stats_of(&load(&args.paths, &args.rules)?);
    let text = match args.format {
        StatsFormat::Json => {
            let doc = JsonStats {
                kb_version: kb_model::KB_VERSION,
                stats: &stats,
            };
            serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
        }
        StatsFormat::Human => human(&stats),
    };
    write_stdout(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Rules and notes listed under the most frequent findings.
const TOP: usize = 5;

fn human(s: &kb_report::Stats) -> String {
    use check::plural;
    let mut out = format!(
        "{}, {}, {} complete ({}%)\n",
        plural(s.notes, "note", "notes"),
        plural(s.entries, "entry", "entries"),
        s.complete_entries,
        s.complete_percent
    );
    if s.unreadable_notes > 0 {
        out.push_str(&format!(
            "{} could not be read\n",
            plural(s.unreadable_notes, "note", "notes")
        ));
    }
    let i = &s.incomplete;
    out.push_str(&format!(
        "Incomplete: {} without a summary, {} without features, {} with a name problem, {} of an unknown service\n",
        i.missing_summary, i.missing_features, i.name_problem, i.unknown_service
    ));
    out.push_str(&format!("Services in several notes: {}\n", s.duplicated_services));

    out.push_str(&format!(
        "\nCoverage: {} of {} services and tools of the vocabulary have an entry\n",
        s.coverage.covered, s.coverage.total
    ));
    let width = s
        .coverage
        .categories
        .iter()
        .map(|c| c.category.width())
        .max()
        .unwrap_or(0);
    for c in &s.coverage.categories {
        let pad = " ".repeat(width - c.category.width());
        out.push_str(&format!(
            "  {}{pad}  {:>3} of {}\n",
            c.category, c.covered, c.total
        ));
    }

    let f = &s.findings;
    out.push('\n');
    if f.total == 0 {
        out.push_str("Findings: none\n");
        return out;
    }
    out.push_str(&format!(
        "Findings: {} ({}, {}, {})\n",
        f.total,
        plural(f.errors, "error", "errors"),
        plural(f.warnings, "warning", "warnings"),
        plural(f.infos, "info", "infos")
    ));
    for r in f.by_rule.iter().take(TOP) {
        out.push_str(&format!("  {:>6}  {}  {}\n", r.count, r.code, r.rule));
    }
    out.push_str("Notes with most findings:\n");
    for n in f.by_note.iter().take(TOP) {
        out.push_str(&format!("  {:>6}  {}\n", n.count, n.path));
    }
    out
}
