//! `kb export`: notes to the canonical JSON form.

use std::io::Write;
use std::process::ExitCode;

use kb_model::KnowledgeBase;
use rayon::prelude::*;

use crate::args::{ExportArgs, ExportFormat};
use crate::files::{self, display_path, Failure};

pub fn run(args: &ExportArgs) -> Result<ExitCode, Failure> {
    let vocab = files::vocabulary(args.vocabulary.as_deref())?;
    let notes = files::collect(&args.paths)?;
    if let Some(output) = &args.output {
        let output_abs = std::fs::canonicalize(output).ok();
        if output_abs.is_some()
            && notes
                .iter()
                .any(|n| std::fs::canonicalize(&n.path).ok() == output_abs)
        {
            return Err(Failure::OutputIsInput {
                path: display_path(output),
            });
        }
    }
    let results: Vec<_> = notes
        .par_iter()
        .map(|note| match files::read_note(&note.path) {
            Ok(text) => Ok(kb_parse::parse(&note.display, &text, &vocab).note),
            Err(problem) => Err((note.display.clone(), problem)),
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(note) => parsed.push(note),
            Err((path, problem)) => eprintln!("warning: `{path}` {problem}; left out of the export"),
        }
    }
    let kb = KnowledgeBase::new(parsed);
    let bytes = match args.format {
        ExportFormat::Json => {
            let mut bytes = if args.pretty {
                serde_json::to_vec_pretty(&kb)
            } else {
                serde_json::to_vec(&kb)
            }
            .unwrap_or_default();
            bytes.push(b'\n');
            bytes
        }
    };
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
    Ok(ExitCode::SUCCESS)
}
