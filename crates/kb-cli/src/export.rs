//! `kb export`: notes to the canonical JSON form, CSV, or Anki (text import file or `.apkg`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::CommandFactory;
use kb_export::{AnkiOptions, CsvOptions, Media};
use kb_model::{KnowledgeBase, Note};
use rayon::prelude::*;

use crate::args::{Cli, ExportArgs, ExportFormat};
use crate::files::{self, display_path, Failure};

pub fn run(args: &ExportArgs) -> Result<ExitCode, Failure> {
    if args.format == ExportFormat::Apkg && args.output.is_none() {
        Cli::command()
            .error(
                clap::error::ErrorKind::MissingRequiredArgument,
                "`--format apkg` writes a binary package: name the file with `-o FILE`",
            )
            .exit();
    }
    let vocab = files::vocabulary(args.vocabulary.as_deref())?;
    // Every file of the vault is listed only when images are shipped (embeds resolve by name).
    let (notes, vault_files) = if args.format == ExportFormat::Apkg {
        files::walk(&args.paths, &|_| false)?
    } else {
        (files::collect(&args.paths)?, Vec::new())
    };
    if let Some(output) = &args.output {
        files::refuse_input_as_output(output, &notes)?;
    }
    if matches!(args.format, ExportFormat::Json | ExportFormat::Csv) {
        return streamed(args, &notes, &vocab);
    }
    // Only a package needs the texts afterwards (to find the images they embed): the Anki
    // text file drops each text once its note is parsed.
    let keep_text = args.format == ExportFormat::Apkg;
    let results: Vec<_> = notes
        .par_iter()
        .with_max_len(crate::check::NOTES_PER_TASK)
        .map(|note| match files::read_note(note) {
            Ok(text) => Ok((
                kb_parse::parse(&note.display, &text, &vocab).note,
                note.path.clone(),
                if keep_text { text } else { String::new() },
            )),
            Err(problem) => Err((note.display.clone(), problem)),
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    let mut sources = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok((note, path, text)) => {
                parsed.push(note);
                sources.push((path, text));
            }
            Err((path, problem)) => eprintln!("warning: `{path}` {problem}; left out of the export"),
        }
    }
    let kb = KnowledgeBase::new(parsed);
    let entries: usize = kb.notes.iter().map(|n| n.entries.len()).sum();
    let anki = AnkiOptions {
        deck_root: args.deck_root.clone(),
        mod_time: args.timestamp.unwrap_or_else(now),
    };
    let failure = |source| Failure::Write {
        path: args
            .output
            .as_deref()
            .map_or_else(|| "<stdout>".to_owned(), display_path),
        source,
    };
    // Anki notes merge a service's entries from every note: these formats need the whole
    // vault parsed first.
    let media = if args.format == ExportFormat::Apkg {
        media(&kb.notes, &sources, &args.paths, &vault_files)
    } else {
        Media::new()
    };
    let services = kb_export::service_notes(&kb, &vocab, &media, &anki);
    let merged = services.iter().filter(|s| s.entry_count > 1).count();
    let summary = format!(
        "read {} {}, exported {entries} {} as {} Anki {} ({merged} {} merged from several entries)",
        kb.notes.len(),
        plural(kb.notes.len(), "note", "notes"),
        plural(entries, "entry", "entries"),
        services.len(),
        plural(services.len(), "note", "notes"),
        plural(merged, "service", "services"),
    );
    let mut bytes = Vec::new();
    let written = if args.format == ExportFormat::Apkg {
        kb_export::write_apkg(&mut bytes, &services, &media, &anki)
    } else {
        kb_export::write_anki_text(&mut bytes, &services, &anki)
    };
    written.map_err(|e| failure(io_error(e)))?;
    match &args.output {
        Some(path) => files::write_atomic(path, &bytes).map_err(|source| Failure::Write {
            path: display_path(path),
            source,
        })?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|()| stdout.flush())
                .map_err(Failure::Stdout)?;
        }
    }
    eprintln!("{summary}");
    Ok(ExitCode::SUCCESS)
}

/// The JSON document or the CSV file, written a chunk of notes at a time, in path order.
fn streamed(
    args: &ExportArgs,
    notes: &[files::NoteFile],
    vocab: &kb_vocab::Vocabulary,
) -> Result<ExitCode, Failure> {
    let json = kb_export::JsonLayout { pretty: args.pretty };
    let csv = CsvOptions {
        bom: args.bom,
        sanitize: !args.no_sanitize_csv,
    };
    let is_json = args.format == ExportFormat::Json;
    let (mut read, mut entries) = (0usize, 0usize);
    let mut write = |out: &mut dyn Write| -> std::io::Result<()> {
        let head = if is_json {
            json.head()
        } else {
            kb_export::csv_head(&csv).map_err(io_error)?
        };
        out.write_all(&head)?;
        for chunk in notes.chunks(crate::check::CHUNK) {
            let parts: Vec<_> = chunk
                .par_iter()
                .with_max_len(crate::check::NOTES_PER_TASK)
                .map(|file| {
                    let note =
                        files::with_note(file, |text| kb_parse::parse(&file.display, text, vocab).note)
                            .map_err(|problem| (file.display.clone(), problem))?;
                    let bytes = if is_json {
                        json.note(&note).map_err(std::io::Error::other)
                    } else {
                        kb_export::csv_rows(&note, &csv).map_err(io_error)
                    };
                    Ok((bytes, note.entries.len()))
                })
                .collect();
            for part in parts {
                match part {
                    Ok((bytes, count)) => {
                        if is_json && read > 0 {
                            out.write_all(kb_export::JsonLayout::SEPARATOR)?;
                        }
                        out.write_all(&bytes?)?;
                        read += 1;
                        entries += count;
                    }
                    Err((path, problem)) => eprintln!("warning: `{path}` {problem}; left out of the export"),
                }
            }
        }
        if is_json {
            out.write_all(json.tail(read > 0))?;
        }
        out.flush()
    };
    match &args.output {
        Some(path) => files::write_atomic_with(path, write).map_err(|source| Failure::Write {
            path: display_path(path),
            source,
        })?,
        None => {
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            write(&mut stdout).map_err(Failure::Stdout)?;
        }
    }
    eprintln!(
        "read {read} {}, exported {entries} {}",
        plural(read, "note", "notes"),
        plural(entries, "entry", "entries")
    );
    Ok(ExitCode::SUCCESS)
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn io_error(error: kb_export::ExportError) -> std::io::Error {
    match error {
        kb_export::ExportError::Io(e) => e,
        other => std::io::Error::other(other),
    }
}

/// The images the entries embed that lie inside the vault, read. A reference that resolves
/// outside every named folder (with `..` or through a symlink) is refused with a warning.
fn media(notes: &[Note], sources: &[(PathBuf, String)], roots: &[PathBuf], vault_files: &[String]) -> Media {
    let roots: Vec<PathBuf> = roots
        .iter()
        .filter_map(|root| {
            let root = std::fs::canonicalize(root).ok()?;
            if root.is_dir() {
                Some(root)
            } else {
                root.parent().map(Path::to_path_buf)
            }
        })
        .collect();
    let mut media = Media::new();
    for (note, (path, text)) in notes.iter().zip(sources) {
        let Some(note_abs) = std::fs::canonicalize(path).ok() else {
            continue;
        };
        let Some(root) = roots.iter().find(|root| note_abs.starts_with(root)) else {
            continue;
        };
        let note_dir = path.parent().unwrap_or(Path::new(""));
        for (index, entry) in note.entries.iter().enumerate() {
            let span = text
                .get(entry.source.span.start..entry.source.span.end)
                .unwrap_or_default();
            for reference in kb_export::image_references(span) {
                let mut candidates = vec![note_dir.join(&reference)];
                // Obsidian resolves a bare file name anywhere in the vault.
                if !reference.contains(['/', '\\']) {
                    candidates.extend(
                        vault_files
                            .iter()
                            .filter(|f| f.rsplit('/').next() == Some(reference.as_str()))
                            .map(PathBuf::from),
                    );
                }
                let mut outside = false;
                let found = candidates.iter().find_map(|candidate| {
                    let resolved = std::fs::canonicalize(candidate).ok()?;
                    if !resolved.starts_with(root) {
                        outside = true;
                        return None;
                    }
                    resolved.is_file().then_some(resolved)
                });
                match found {
                    Some(file) => match std::fs::read(&file) {
                        Ok(bytes) => {
                            media.add(&note.path, index, &reference, bytes);
                        }
                        Err(e) => eprintln!("warning: `{}` embeds `{reference}`, which cannot be read: {e}", note.path),
                    },
                    None if outside => eprintln!(
                        "warning: `{}` embeds `{reference}`, which is outside the vault; left out of the export",
                        note.path
                    ),
                    None => {}
                }
            }
        }
    }
    media
}
