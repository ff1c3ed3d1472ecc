//! `kb check`, `kb rules`, `kb explain`.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use kb_check::{Checker, Diagnostic, FixAvailability, Severity, Vault};
use rayon::prelude::*;
use serde_json::json;

use crate::args::{CheckArgs, CheckFormat, Color};
use crate::baseline::Baseline;
use crate::config::{self, CliRules, Settings};
use crate::excerpt::Excerpt;
use crate::files::{self, write_stdout, Failure, NoteFile};
use crate::formats;
use crate::human::{self, Style};

/// A note after checking: its findings, what rules across notes need of it (the services its
/// entries describe, and where) and what the report needs of its text (an [`Excerpt`]). The
/// text itself is dropped once the note is checked.
struct Checked {
    path: String,
    /// `None` when the note could not be read.
    services: Option<kb_check::NoteServices>,
    /// The note's entries as `kb report`'s page shows them ([`Keep::Page`] only).
    page: Option<kb_model::Note>,
    suppressions: Vec<kb_check::suppression::Suppression>,
    excerpt: Option<Excerpt>,
    diagnostics: Vec<Diagnostic>,
    /// What `kb stats` counts of the note's entries, taken before they are slimmed.
    facts: Option<kb_report::NoteFacts>,
}

/// What a check keeps of each note's entries once the note is checked, besides what rules
/// across notes read of them ([`kb_check::NoteServices`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Nothing more.
    Slim,
    /// The counts `kb stats` makes of them.
    Facts,
    /// What `kb report`'s page shows of them ([`kb_report::keep_what_the_page_shows`]).
    Page,
}

/// Load the settings, vocabulary and policy a check of `paths` uses.
pub fn prepare(
    paths: &[std::path::PathBuf],
    explicit: Option<&std::path::Path>,
    cli: &CliRules,
) -> Result<(Settings, kb_vocab::Vocabulary, kb_check::Policy), Failure> {
    let settings = settings_for(paths, explicit, cli)?;
    let (vocab, policy) = vocabulary_and_policy(&settings)?;
    Ok((settings, vocab, policy))
}

/// The settings of a run over `paths`: `explicit`, or the `kb.toml` found from the first path.
fn settings_for(
    paths: &[std::path::PathBuf],
    explicit: Option<&std::path::Path>,
    cli: &CliRules,
) -> Result<Settings, Failure> {
    let start = paths
        .first()
        .map(|p| p.as_path())
        .unwrap_or(std::path::Path::new("."));
    config::load(explicit, start, cli)
}

/// The vocabulary (with the aliases `settings` adds) and the policy schemas `settings` names.
fn vocabulary_and_policy(settings: &Settings) -> Result<(kb_vocab::Vocabulary, kb_check::Policy), Failure> {
    let mut vocab = files::vocabulary(settings.vocabulary.as_deref())?;
    for (service, aliases) in &settings.aliases {
        for alias in aliases {
            vocab
                .add_alias(service, alias)
                .map_err(|source| Failure::Vocabulary {
                    path: settings
                        .file
                        .as_deref()
                        .map(files::display_path)
                        .unwrap_or_else(|| config::FILE_NAME.to_owned()),
                    source,
                })?;
        }
    }
    let policy = files::policy(settings.schemas.as_deref())?;
    Ok((vocab, policy))
}

/// What a run over notes loads once: settings, vocabulary, policy, the vault's files and notes.
pub struct Session {
    pub settings: Settings,
    pub vocab: kb_vocab::Vocabulary,
    pub policy: kb_check::Policy,
    pub vault: Vault,
    pub notes: Vec<NoteFile>,
}

impl Session {
    pub fn load(
        paths: &[std::path::PathBuf],
        config: Option<&std::path::Path>,
        cli: &CliRules,
    ) -> Result<Session, Failure> {
        let settings = settings_for(paths, config, cli)?;
        // The vault is walked while the vocabulary and the schemas are built.
        let (loaded, walked) = rayon::join(
            || vocabulary_and_policy(&settings),
            || files::walk(paths, &|p| settings.is_excluded(p)),
        );
        let (vocab, policy) = loaded?;
        let (notes, all_files) = walked?;
        Ok(Session {
            settings,
            vocab,
            policy,
            vault: Vault::new(all_files),
            notes,
        })
    }

    pub fn checker(&self) -> Checker<'_> {
        Checker {
            policy: &self.policy,
            vocab: &self.vocab,
            vault: &self.vault,
            anchor_style: self.settings.anchor_style,
            accepted_words: &self.settings.accepted_words,
        }
    }
}

/// Check one note, keeping of its entries what `keep` says.
fn check_one(note: &NoteFile, checker: &Checker<'_>, settings: &Settings, keep: Keep) -> Checked {
    let checked = files::with_note(note, |text| {
        let parsed = kb_parse::parse(&note.display, text, checker.vocab);
        let lines = &parsed.line_index;
        let suppressions = kb_check::suppression::find(text, lines);
        // Rules that are off, and that no comment of the note names, are not looked for.
        let selection = settings.selection_for(&note.display);
        let diagnostics = checker.check_note_for(&parsed, text, selection, &suppressions);
        let services = kb_check::NoteServices::of(&parsed.note, checker.vocab);
        let facts = (keep == Keep::Facts).then(|| kb_report::NoteFacts::of(&parsed.note));
        let page = (keep == Keep::Page).then(|| {
            let mut page = parsed.note;
            page.entries
                .iter_mut()
                .for_each(kb_report::keep_what_the_page_shows);
            page
        });
        // Every place a finding of this note can point at: its own findings and their
        // fixes, its services' entries (rules across notes), its suppression comments.
        let edits: usize = diagnostics
            .iter()
            .flat_map(|d| &d.fix)
            .map(|f| f.edits.len())
            .sum();
        let mut spans =
            Vec::with_capacity(2 * (diagnostics.len() + edits + services.entries.len() + suppressions.len()));
        for d in &diagnostics {
            spans.extend([d.span.start, d.span.end]);
            spans.extend(d.fix.iter().flat_map(|f| &f.edits).flat_map(|e| [e.start, e.end]));
        }
        spans.extend(
            services
                .entries
                .iter()
                .flat_map(|e| [e.name_span.start, e.name_span.end]),
        );
        spans.extend(suppressions.iter().flat_map(|s| [s.span.start, s.span.end]));
        let excerpt = Excerpt::new(text, lines, spans);
        Checked {
            path: note.display.clone(),
            services: Some(services),
            page,
            suppressions,
            excerpt: Some(excerpt),
            diagnostics,
            facts,
        }
    });
    match checked {
        Ok(checked) => checked,
        Err(problem) => {
            let diagnostic = match problem {
                files::ReadProblem::Io(error) => {
                    kb_check::rules::io::unreadable_file::diagnostic(&note.display, &error.to_string())
                }
                files::ReadProblem::NotUtf8 { valid_up_to } => {
                    kb_check::rules::io::non_utf8_file::diagnostic(&note.display, valid_up_to)
                }
                files::ReadProblem::Unlisted(cause) => {
                    kb_check::rules::io::unreadable_file::unlisted_folder(&note.display, &cause)
                }
            };
            Checked {
                path: note.display.clone(),
                services: None,
                page: None,
                suppressions: Vec::new(),
                excerpt: None,
                diagnostics: vec![diagnostic],
                facts: None,
            }
        }
    }
}

pub fn run(args: &CheckArgs) -> Result<ExitCode, Failure> {
    let cli = args.rules.cli();
    if args.fix {
        // As `kb fix`: write the fixes first (refused on notes with uncommitted changes), then
        // report what remains.
        let report = crate::fix::plan(&args.paths, args.rules.config.as_deref(), &cli, args.unsafe_fixes)?;
        if let Some(failure) = crate::fix::write(&report, false)?.into_iter().next() {
            return Err(failure);
        }
    }
    let run = Session::load(&args.paths, args.rules.config.as_deref(), &cli)?;
    let settings = &run.settings;
    // Rules across notes are asked note by note, as each chunk of notes is finished (selection
    // and suppressions applied) and reported: memory holds where each note describes which
    // service, not its entries or a whole report.
    let (mut checked, notes) = check_each(&run, Keep::Slim);
    let (parsed, index) = readable(&notes);
    let across = kb_check::Across::new(&parsed, &run.vocab);
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let finish = |c: &mut Checked, i: usize| {
        finish_checked(c, &across, index[i], settings, args.deny_warnings);
        if let Some(baseline) = &baseline {
            let kept = std::mem::take(&mut c.diagnostics);
            c.diagnostics = baseline.new_findings(kept, c.excerpt.as_ref());
        }
    };
    // A folder that could not be listed is a finding, not a note.
    let note_count = run.notes.iter().filter(|n| n.unlisted.is_none()).count();
    let finish_chunk = |chunk: &mut [Checked], first: usize| {
        chunk
            .par_iter_mut()
            .with_max_len(NOTES_PER_TASK)
            .enumerate()
            .for_each(|(k, c)| finish(c, first + k));
    };

    if let Some(path) = &args.write_baseline {
        let mut recorded = Baseline::new(path);
        for (n, chunk) in checked.chunks_mut(CHUNK).enumerate() {
            finish_chunk(chunk, n * CHUNK);
            for c in chunk.iter() {
                recorded.add(&c.diagnostics, c.excerpt.as_ref());
            }
        }
        recorded.write(path)?;
        let line = format!(
            "Recorded {} in {} ({}); `kb check --baseline {}` reports only new ones.\n",
            plural(recorded.len(), "finding", "findings"),
            files::display_path(path),
            plural(note_count, "note", "notes"),
            files::display_path(path),
        );
        write_stdout(line.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }

    // Small: findings come rendered in texts of tens of kilobytes, which a buffer smaller
    // than they are passes straight through instead of copying.
    let mut out = std::io::BufWriter::with_capacity(1 << 13, std::io::stdout().lock());
    let mut summary = Summary::new(note_count);
    if !args.statistics {
        let color = match args.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        };
        let mut report = Report::new(args.format, Style { color });
        for (n, chunk) in checked.chunks_mut(CHUNK).enumerate() {
            finish_chunk(chunk, n * CHUNK);
            summary.add(chunk);
            report.write(&mut out, chunk)?;
            // Reported: nothing of these notes is needed any more (freed in parallel too:
            // a chunk holds hundreds of thousands of small allocations).
            chunk.par_iter_mut().for_each(|c| {
                *c = Checked {
                    path: String::new(),
                    services: None,
                    page: None,
                    suppressions: Vec::new(),
                    excerpt: None,
                    diagnostics: Vec::new(),
                    facts: None,
                };
            });
        }
        report.finish(&mut out, &summary)?;
    } else {
        for (n, chunk) in checked.chunks_mut(CHUNK).enumerate() {
            finish_chunk(chunk, n * CHUNK);
            summary.add(chunk);
        }
        write(&mut out, statistics(&checked, args.format).as_bytes())?;
    }
    out.flush().map_err(Failure::Stdout)?;
    // Every note's services, freed in parallel rather than one by one on the way out.
    drop(across);
    drop(parsed);
    notes.into_par_iter().for_each(drop);
    Ok(if summary.errors > 0 && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Every note of `run` checked on its own (in parallel), and what rules across notes read of
/// it taken out (`None`: unreadable).
fn check_each(run: &Session, keep: Keep) -> (Vec<Checked>, Vec<Option<kb_check::NoteServices>>) {
    let checker = run.checker();
    let checked = run
        .notes
        .par_iter()
        .with_max_len(NOTES_PER_TASK)
        .map(|note| check_one(note, &checker, &run.settings, keep))
        .collect();
    with_services_apart(checked)
}

/// `checked`, and what rules across notes read of each taken out of it.
fn with_services_apart(mut checked: Vec<Checked>) -> (Vec<Checked>, Vec<Option<kb_check::NoteServices>>) {
    let notes = checked.iter_mut().map(|c| c.services.take()).collect();
    (checked, notes)
}

/// As [`check_each`] with [`Keep::Page`], a batch of notes at a time: each batch's notes, as
/// the page shows them, are handed to `pages` in note order and dropped, so memory holds one
/// batch's entries, not the vault's.
fn check_each_paging(
    run: &Session,
    mut pages: impl FnMut(&[NoteFile], &[Option<kb_model::Note>]),
) -> (Vec<Checked>, Vec<Option<kb_check::NoteServices>>) {
    let checker = run.checker();
    // Each note with the pool thread that checked it (whose heap holds its entries).
    let check = |files: &[NoteFile]| -> Vec<(Checked, Option<usize>)> {
        files
            .par_iter()
            .with_max_len(NOTES_PER_TASK)
            .map(|note| {
                let checked = check_one(note, &checker, &run.settings, Keep::Page);
                (checked, rayon::current_thread_index())
            })
            .collect()
    };
    let mut checked: Vec<Checked> = Vec::with_capacity(run.notes.len());
    // The batch whose entries are handed over while the next one is checked: both threads
    // keep checking, and this one counts what the page shows.
    let mut handed: Option<Batch<'_>> = None;
    for files in run.notes.chunks(PAGE_BATCH) {
        let done = std::thread::scope(|scope| {
            let checking = scope.spawn(|| check(files));
            if let Some((files, notes, threads)) = handed.take() {
                pages(files, &notes);
                drop_where_made(notes, threads);
            }
            checking
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        let (mut done, threads): (Vec<Checked>, Vec<Option<usize>>) = done.into_iter().unzip();
        handed = Some((files, done.iter_mut().map(|c| c.page.take()).collect(), threads));
        checked.append(&mut done);
    }
    if let Some((files, notes, threads)) = handed {
        pages(files, &notes);
        drop_where_made(notes, threads);
    }
    with_services_apart(checked)
}

/// A batch of notes checked for the page: the files, their entries (`None`: unreadable) and the
/// pool thread that checked each.
type Batch<'a> = (&'a [NoteFile], Vec<Option<kb_model::Note>>, Vec<Option<usize>>);

/// Free each note on the pool thread that made it (`threads`, as `rayon::current_thread_index`
/// gave it): entries freed on another thread wait in their pages until the thread that made
/// them collects them, which cost `kb report` a sixth of its time when the notes it had read
/// were dropped while the next ones were being checked.
fn drop_where_made(notes: Vec<Option<kb_model::Note>>, threads: Vec<Option<usize>>) {
    let count = rayon::current_num_threads();
    let mut mine: Vec<Vec<kb_model::Note>> = (0..count).map(|_| Vec::new()).collect();
    let mut elsewhere = Vec::new();
    for (note, thread) in notes.into_iter().zip(threads) {
        match (note, thread) {
            (Some(note), Some(t)) if t < count => mine[t].push(note),
            (Some(note), _) => elsewhere.push(note),
            (None, _) => {}
        }
    }
    let mine: Vec<std::sync::Mutex<Vec<kb_model::Note>>> =
        mine.into_iter().map(std::sync::Mutex::new).collect();
    rayon::broadcast(|pool| {
        if let Some(Ok(mut notes)) = mine.get(pool.index()).map(|m| m.lock()) {
            notes.clear();
        }
    });
    drop(elsewhere);
}

/// Notes checked at a time for `kb report`, whose page reads their entries whole.
const PAGE_BATCH: usize = 1024;

/// The notes that could be read, and where each note stands among them (`None`: unreadable).
fn readable(notes: &[Option<kb_check::NoteServices>]) -> (Vec<&kb_check::NoteServices>, Vec<Option<usize>>) {
    let mut parsed: Vec<&kb_check::NoteServices> = Vec::new();
    let index = notes
        .iter()
        .map(|n| {
            n.as_ref().map(|note| {
                parsed.push(note);
                parsed.len() - 1
            })
        })
        .collect();
    (parsed, index)
}

/// A checked note's findings as the user sees them: the findings of rules across notes added
/// (`index`: the note among the readable ones), selection and suppressions applied.
fn finish_checked(
    c: &mut Checked,
    across: &kb_check::Across<'_>,
    index: Option<usize>,
    settings: &Settings,
    deny_warnings: bool,
) {
    let mut diagnostics = std::mem::take(&mut c.diagnostics);
    // Copied only to be changed: most runs take the note's selection as it is.
    let chosen = settings.selection_for(&c.path);
    let duplicates = &kb_check::rules::structure::duplicate_across_notes::DuplicateAcrossNotes::META;
    if let Some(j) = index.filter(|_| kb_check::suppression::needs(duplicates, chosen, &c.suppressions)) {
        diagnostics.extend(across.diagnostics(j));
    }
    let denied;
    let selection = if deny_warnings {
        let mut changed = chosen.clone();
        changed.deny_warnings();
        denied = changed;
        &denied
    } else {
        chosen
    };
    let excerpt = c.excerpt.as_ref();
    let line_of = |offset: usize| excerpt.map_or(1, |e| e.line(offset));
    c.diagnostics = kb_check::finish_note(diagnostics, &c.suppressions, &line_of, &c.path, selection);
}

/// Every note of `run` checked as `kb check` would (rules across notes, selection and
/// suppressions). Its entries, as far as `kb report`'s page shows them (`None`: unreadable),
/// go to `pages` in note order, a batch of notes at a time, as soon as they are read; then each
/// note's findings, each made into what the caller keeps of it (`keep`, given the finding and
/// its line and column), go to `findings` in note order, a chunk of notes at a time. Memory
/// holds a batch's entries and a chunk's findings, not the vault's.
pub fn check_all<T: Send>(
    run: &Session,
    pages: impl FnMut(&[NoteFile], &[Option<kb_model::Note>]),
    keep: impl Fn(Diagnostic, kb_model::LineCol) -> T + Sync,
    mut findings: impl FnMut(&str, Vec<T>),
) {
    let (mut checked, notes) = check_each_paging(run, pages);
    let (parsed, index) = readable(&notes);
    let across = kb_check::Across::new(&parsed, &run.vocab);
    for (n, chunk) in checked.chunks_mut(CHUNK).enumerate() {
        finish_in_parallel(chunk, n * CHUNK, &across, &index, &run.settings);
        let kept: Vec<Vec<T>> = chunk
            .par_iter_mut()
            .map(|c| {
                let excerpt = c.excerpt.take();
                std::mem::take(&mut c.diagnostics)
                    .into_iter()
                    .map(|d| {
                        let at = excerpt
                            .as_ref()
                            .map_or(kb_model::LineCol { line: 1, column: 1 }, |e| {
                                e.line_col(d.span.start)
                            });
                        keep(d, at)
                    })
                    .collect()
            })
            .collect();
        for (c, kept) in chunk.iter().zip(kept) {
            findings(&c.path, kept);
        }
    }
}

/// Finish `notes`, the notes of the run from `first` on, in parallel as `kb report` and
/// `kb stats` see them (no `--deny-warnings`, no baseline): rules across notes, selection and
/// suppressions.
fn finish_in_parallel(
    notes: &mut [Checked],
    first: usize,
    across: &kb_check::Across<'_>,
    index: &[Option<usize>],
    settings: &Settings,
) {
    notes
        .par_iter_mut()
        .enumerate()
        .for_each(|(k, c)| finish_checked(c, across, index[first + k], settings, false));
}

/// The figures of `kb stats` for the notes of `run`, checked as [`check_all`] checks them but
/// counted a chunk of notes at a time: memory holds slim entries and one chunk's findings, as
/// `kb check`'s does, not every entry and finding of the vault.
pub fn stats_of(run: &Session) -> kb_report::Stats {
    let (mut checked, notes) = check_each(run, Keep::Facts);
    let (parsed, index) = readable(&notes);
    let across = kb_check::Across::new(&parsed, &run.vocab);
    let mut tally = kb_report::Tally::default();
    for (n, chunk) in checked.chunks_mut(CHUNK).enumerate() {
        finish_in_parallel(chunk, n * CHUNK, &across, &index, &run.settings);
        for c in chunk.iter_mut() {
            tally.add_note(c.facts.as_ref());
            let findings = c
                .diagnostics
                .iter()
                .map(|d| (d.code, d.rule, d.severity.as_str()));
            tally.add_findings(&c.path, findings);
            c.diagnostics = Vec::new();
            c.excerpt = None;
        }
    }
    tally.finish(&run.vocab)
}

fn write(out: &mut impl Write, bytes: &[u8]) -> Result<(), Failure> {
    out.write_all(bytes).map_err(Failure::Stdout)
}

/// Notes rendered at a time: in parallel, then written in order, so that the report (or an
/// export) is never held whole in memory.
pub(crate) const CHUNK: usize = 256;

/// Notes a thread takes at a time. Rayon otherwise splits a list into about as many parts as
/// there are threads and runs each part to its end: the last part of a 20,000-note vault kept one
/// core busy for a tenth of the run while the other had nothing left to do.
pub(crate) const NOTES_PER_TASK: usize = 4;

/// Every finding with its lines and columns.
fn located(checked: &[Checked]) -> Vec<formats::Located<'_>> {
    checked
        .iter()
        .flat_map(|c| {
            c.diagnostics
                .iter()
                .map(move |d| formats::Located::new(d, c.excerpt.as_ref()))
        })
        .collect()
}

fn append(path: &std::path::Path, text: &str) -> Result<(), Failure> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|source| Failure::Write {
            path: files::display_path(path),
            source,
        })?;
    file.write_all(text.as_bytes()).map_err(|source| Failure::Write {
        path: files::display_path(path),
        source,
    })
}

struct Summary {
    notes: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    fixable: usize,
}

impl Summary {
    fn new(notes: usize) -> Summary {
        Summary {
            notes,
            errors: 0,
            warnings: 0,
            infos: 0,
            fixable: 0,
        }
    }

    fn add(&mut self, checked: &[Checked]) {
        for d in checked.iter().flat_map(|c| &c.diagnostics) {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
            self.fixable += usize::from(d.fix.is_some());
        }
    }

    fn line(&self) -> String {
        let notes = plural(self.notes, "note", "notes");
        if self.errors + self.warnings + self.infos == 0 {
            return format!("No problems found in {notes}.\n");
        }
        let parts: Vec<String> = [
            (self.errors, "error", "errors"),
            (self.warnings, "warning", "warnings"),
            (self.infos, "info", "infos"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| plural(n, one, many))
        .collect();
        format!(
            "Found {} in {notes} ({} fixable).\n",
            parts.join(", "),
            self.fixable
        )
    }
}

/// `1 note`, `3 notes`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Findings rendered at a time: a note with millions of findings is written in parts.
const BATCH: usize = 4096;

/// Every finding of `chunk` with its note's excerpt, in report order, in batches.
fn batches(chunk: &[Checked]) -> Vec<Vec<(&Diagnostic, Option<&Excerpt>)>> {
    let all: Vec<(&Diagnostic, Option<&Excerpt>)> = chunk
        .iter()
        .flat_map(|c| c.diagnostics.iter().map(move |d| (d, c.excerpt.as_ref())))
        .collect();
    all.chunks(BATCH).map(<[_]>::to_vec).collect()
}

/// Render every finding of `chunk` with `render`, in parallel, and hand the text to `emit` in
/// report order, a batch at a time.
fn render_chunk(
    chunk: &[Checked],
    render: impl Fn(&mut String, &Diagnostic, Option<&Excerpt>) + Sync,
    mut emit: impl FnMut(&str) -> Result<(), Failure>,
) -> Result<(), Failure> {
    for batch in batches(chunk) {
        let rendered: Vec<String> = batch
            .par_chunks(64)
            .map(|findings| {
                // A finding takes about a kilobyte in JSON: the text is not regrown (and
                // copied) a dozen times on its way to 64 of them.
                let mut text = String::with_capacity(findings.len() * 1024);
                for (d, excerpt) in findings {
                    render(&mut text, d, *excerpt);
                }
                text
            })
            .collect();
        for text in rendered.iter().filter(|t| !t.is_empty()) {
            emit(text)?;
        }
    }
    Ok(())
}

/// One chunk of the human report.
fn human_chunk(out: &mut impl Write, chunk: &[Checked], style: Style) -> Result<(), Failure> {
    render_chunk(
        chunk,
        |text, d, excerpt| human::render(text, d, excerpt, style),
        |text| write(out, text.as_bytes()),
    )
}

/// How `kb check` writes its findings, a chunk of notes at a time.
enum Report {
    Human(Style),
    /// The same bytes as pretty-printing the whole document at once.
    Json(FindingsArray),
    /// The same bytes as printing the whole log at once.
    Sarif(formats::SarifFrame, FindingsArray),
    /// With the step summary, gathered as the findings pass, when `$GITHUB_STEP_SUMMARY`
    /// names a file.
    Github(Option<(std::path::PathBuf, formats::StepSummary)>),
}

impl Report {
    fn new(format: CheckFormat, style: Style) -> Report {
        match format {
            CheckFormat::Human => Report::Human(style),
            CheckFormat::Json => Report::Json(FindingsArray::new(format!(
                "{{\n  \"kb_version\": {},\n  \"diagnostics\": [",
                serde_json::Value::from(kb_model::KB_VERSION)
            ))),
            CheckFormat::Sarif => {
                let frame = formats::SarifFrame::new();
                let results = FindingsArray::new(frame.head().to_owned());
                Report::Sarif(frame, results)
            }
            CheckFormat::Github => Report::Github(
                std::env::var_os("GITHUB_STEP_SUMMARY")
                    .filter(|p| !p.is_empty())
                    .map(|path| (path.into(), formats::StepSummary::default())),
            ),
        }
    }

    fn write(&mut self, out: &mut impl Write, chunk: &[Checked]) -> Result<(), Failure> {
        match self {
            Report::Human(style) => human_chunk(out, chunk, *style),
            Report::Json(findings) => findings.write(out, chunk, |text, d, excerpt| {
                text.push_str("\n    ");
                json_diagnostic(d, excerpt).write_pretty(text);
            }),
            Report::Sarif(_, results) => results.write(out, chunk, |text, d, excerpt| {
                formats::write_sarif_result(text, &formats::Located::new(d, excerpt));
            }),
            Report::Github(step_summary) => {
                let findings = located(chunk);
                if let Some((_, step_summary)) = step_summary {
                    for found in &findings {
                        step_summary.add(found);
                    }
                }
                write(out, formats::github(&findings).as_bytes())
            }
        }
    }

    fn finish(self, out: &mut impl Write, summary: &Summary) -> Result<(), Failure> {
        match self {
            Report::Human(_) => write(out, summary.line().as_bytes()),
            Report::Json(findings) => {
                let close = if findings.finish(out)? { "\n  ]" } else { "]" };
                let totals = json!({
                    "notes": summary.notes,
                    "errors": summary.errors,
                    "warnings": summary.warnings,
                    "infos": summary.infos,
                    "fixable": summary.fixable,
                });
                let totals = serde_json::to_string_pretty(&totals)
                    .unwrap_or_default()
                    .replace('\n', "\n  ");
                write(out, format!("{close},\n  \"summary\": {totals}\n}}\n").as_bytes())
            }
            Report::Sarif(frame, results) => {
                let any = results.finish(out)?;
                write(out, frame.tail(any).as_bytes())
            }
            Report::Github(step_summary) => match step_summary {
                Some((path, step_summary)) => append(&path, &step_summary.render(summary.notes)),
                None => Ok(()),
            },
        }
    }
}

/// An array of findings inside a larger document, written a chunk of notes at a time: the
/// document's text up to the array once, then each finding after a comma (the first without),
/// rendered in parallel.
struct FindingsArray {
    /// Written before the first finding; `None` once written.
    head: Option<String>,
    any: bool,
}

impl FindingsArray {
    fn new(head: String) -> FindingsArray {
        FindingsArray {
            head: Some(head),
            any: false,
        }
    }

    fn write(
        &mut self,
        out: &mut impl Write,
        chunk: &[Checked],
        render: impl Fn(&mut String, &Diagnostic, Option<&Excerpt>) + Sync,
    ) -> Result<(), Failure> {
        if let Some(head) = self.head.take() {
            write(out, head.as_bytes())?;
        }
        let any = &mut self.any;
        render_chunk(
            chunk,
            |text, d, excerpt| {
                text.push(',');
                render(text, d, excerpt);
            },
            |text| {
                // The first finding follows `[` without the comma.
                let text = if *any { text } else { &text[1..] };
                *any = true;
                write(out, text.as_bytes())
            },
        )
    }

    /// The head, if no chunk wrote it; whether any finding was written.
    fn finish(mut self, out: &mut impl Write) -> Result<bool, Failure> {
        if let Some(head) = self.head.take() {
            write(out, head.as_bytes())?;
        }
        Ok(self.any)
    }
}

/// One finding of the JSON report (fixed field names and order: a public interface).
#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    help: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
    fix: Option<JsonFix<'a>>,
}

#[derive(serde::Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
}

#[derive(serde::Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: kb_check::Applicability,
    edits: &'a [kb_check::Edit],
}

impl JsonDiagnostic<'_> {
    /// Append this finding as serde_json pretty-prints it two levels deep (an element of the
    /// report's `diagnostics`): the same bytes, written directly. A report can hold millions
    /// of findings, and serde's general path (a call per bracket, comma and indent) cost more
    /// than finding them; a test compares the two.
    fn write_pretty(&self, out: &mut String) {
        out.push_str("{\n      \"code\": ");
        json_str(out, self.code);
        out.push_str(",\n      \"rule\": ");
        json_str(out, self.rule);
        out.push_str(",\n      \"severity\": ");
        json_str(out, self.severity.as_str());
        out.push_str(",\n      \"message\": ");
        json_str(out, self.message);
        out.push_str(",\n      \"path\": ");
        json_str(out, self.path);
        number_field(out, ",\n      \"line\": ", self.line);
        number_field(out, ",\n      \"column\": ", self.column);
        number_field(out, ",\n      \"end_line\": ", self.end_line);
        number_field(out, ",\n      \"end_column\": ", self.end_column);
        out.push_str(",\n      \"help\": ");
        match self.help {
            Some(help) => json_str(out, help),
            None => out.push_str("null"),
        }
        out.push_str(",\n      \"related\": [");
        for (i, r) in self.related.iter().enumerate() {
            out.push_str(if i == 0 {
                "\n        {\n          \"path\": "
            } else {
                ",\n        {\n          \"path\": "
            });
            json_str(out, r.path);
            number_field(out, ",\n          \"line\": ", r.line);
            number_field(out, ",\n          \"column\": ", r.column);
            out.push_str(",\n          \"message\": ");
            json_str(out, r.message);
            out.push_str("\n        }");
        }
        out.push_str(if self.related.is_empty() {
            "],\n      \"fix\": "
        } else {
            "\n      ],\n      \"fix\": "
        });
        match &self.fix {
            None => out.push_str("null"),
            Some(fix) => {
                out.push_str("{\n        \"title\": ");
                json_str(out, fix.title);
                out.push_str(",\n        \"applicability\": ");
                json_str(
                    out,
                    match fix.applicability {
                        kb_check::Applicability::Safe => "safe",
                        kb_check::Applicability::Unsafe => "unsafe",
                    },
                );
                out.push_str(",\n        \"edits\": [");
                for (i, e) in fix.edits.iter().enumerate() {
                    out.push_str(if i == 0 { "" } else { "," });
                    number_field(out, "\n          {\n            \"start\": ", e.start);
                    number_field(out, ",\n            \"end\": ", e.end);
                    out.push_str(",\n            \"replacement\": ");
                    json_str(out, &e.replacement);
                    out.push_str("\n          }");
                }
                out.push_str(if fix.edits.is_empty() {
                    "]\n      }"
                } else {
                    "\n        ]\n      }"
                });
            }
        }
        out.push_str("\n    }");
    }
}

/// `head` (the comma, indent and key before a number), then `n` in decimal as serde_json
/// writes it (itoa: `write!` goes through the formatting machinery, four numbers for each of
/// hundreds of thousands of findings).
fn number_field(out: &mut String, head: &str, n: impl itoa::Integer) {
    out.push_str(head);
    out.push_str(itoa::Buffer::new().format(n));
}

/// `text` as a JSON string, as serde_json writes it: most texts need no escaping and are
/// copied as they are.
fn json_str(out: &mut String, text: &str) {
    // Folded over every byte without stopping early, which the compiler can vectorise.
    let plain = !text.bytes().fold(false, |special, b| {
        special | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if plain {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(text).unwrap_or_default());
    }
}

fn json_diagnostic<'a>(d: &'a Diagnostic, excerpt: Option<&Excerpt>) -> JsonDiagnostic<'a> {
    let (start, end) = match excerpt {
        Some(excerpt) => (excerpt.line_col(d.span.start), excerpt.line_col(d.span.end)),
        None => {
            let first = kb_model::LineCol { line: 1, column: 1 };
            (first, first)
        }
    };
    JsonDiagnostic {
        code: d.code,
        rule: d.rule,
        severity: d.severity,
        message: &d.message,
        path: &d.path,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        help: d.help.as_deref(),
        related: d
            .related
            .iter()
            .map(|r| JsonRelated {
                path: &r.path,
                line: r.line,
                column: r.column,
                message: &r.message,
            })
            .collect(),
        fix: d.fix.as_ref().map(|f| JsonFix {
            title: &f.title,
            applicability: f.applicability,
            edits: &f.edits,
        }),
    }
}

fn statistics(checked: &[Checked], format: CheckFormat) -> String {
    let mut counts: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    for d in checked.iter().flat_map(|c| &c.diagnostics) {
        let entry = counts.entry((d.code, d.rule)).or_default();
        entry.0 += 1;
        entry.1 += usize::from(d.fix.is_some());
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    if format == CheckFormat::Json {
        let list: Vec<_> = rows
            .iter()
            .map(|((code, rule), (count, fixable))| json!({"code": code, "rule": rule, "count": count, "fixable": fixable}))
            .collect();
        return serde_json::to_string_pretty(&list).unwrap_or_default() + "\n";
    }
    let mut out = String::new();
    for ((code, rule), (count, fixable)) in rows {
        let fix = if fixable > 0 {
            format!("  ({fixable} fixable)")
        } else {
            String::new()
        };
        out.push_str(&format!("{count:>6}  {code}  {rule}{fix}\n"));
    }
    out
}

pub fn rules() -> Result<ExitCode, Failure> {
    let mut out = String::new();
    for rule in kb_check::rules::ALL {
        let default = if rule.default_on {
            rule.severity.as_str()
        } else {
            "off"
        };
        let fix = match rule.fix {
            FixAvailability::Never => "",
            FixAvailability::Sometimes => "fix sometimes",
            FixAvailability::Always => "fix",
        };
        out.push_str(&format!(
            "{}  {:<28} {:<8} {:<14} {}\n",
            rule.code,
            rule.name,
            default,
            fix,
            rule.summary()
        ));
    }
    write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

pub fn explain(rule: &str) -> Result<ExitCode, Failure> {
    let Some(meta) = kb_check::rules::find(rule) else {
        return Err(Failure::Config {
            path: "command line".to_owned(),
            message: format!("`{rule}` is not a kb rule; `kb rules` lists them"),
        });
    };
    let default = if meta.default_on {
        meta.severity.as_str()
    } else {
        "off by default"
    };
    let text = format!(
        "# {} ({})\n\nDefault: {default}.\n\n{}",
        meta.code,
        meta.name,
        meta.docs_markdown()
    );
    write_stdout(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// How findings were written before `write_pretty`: pretty-printed by serde_json, then
    /// indented two levels.
    fn via_serde(d: &JsonDiagnostic<'_>) -> String {
        serde_json::to_string_pretty(d).unwrap().replace('\n', "\n    ")
    }

    fn direct(d: &JsonDiagnostic<'_>) -> String {
        let mut text = String::new();
        d.write_pretty(&mut text);
        text
    }

    /// Texts with what JSON escapes (quotes, backslashes, control characters) and what it
    /// does not (Hangul, emoji, DEL).
    fn texts() -> impl Strategy<Value = String> {
        "[a-z가\"\\\\\\n\\t\\u{0}\\u{1f}\\u{7f}😀 `]{0,12}"
    }

    proptest! {
        #[test]
        fn findings_are_written_as_serde_pretty_prints_them(
            message in texts(),
            path in texts(),
            help in proptest::option::of(texts()),
            related in proptest::collection::vec((texts(), 0u32..5000, texts()), 0..3),
            fix in proptest::option::of((texts(), any::<bool>(), proptest::collection::vec((0usize..100_000, texts()), 0..3))),
            line in any::<u32>(),
        ) {
            let edits: Vec<kb_check::Edit> = fix
                .iter()
                .flat_map(|(_, _, e)| e)
                .map(|(start, replacement)| kb_check::Edit { start: *start, end: start + 1, replacement: replacement.clone() })
                .collect();
            let d = JsonDiagnostic {
                code: "KB201",
                rule: "misspelled-name",
                severity: Severity::Warning,
                message: &message,
                path: &path,
                line,
                column: 1,
                end_line: line,
                end_column: 12,
                help: help.as_deref(),
                related: related
                    .iter()
                    .map(|(p, l, m)| JsonRelated { path: p, line: *l, column: 3, message: m })
                    .collect(),
                fix: fix.as_ref().map(|(title, safe, _)| JsonFix {
                    title,
                    applicability: if *safe { kb_check::Applicability::Safe } else { kb_check::Applicability::Unsafe },
                    edits: &edits,
                }),
            };
            prop_assert_eq!(direct(&d), via_serde(&d));
        }
    }
}
