//! `kb check --watch`: check, then check again whenever a note or a setting changes.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use notify::RecursiveMode;

use crate::args::CheckArgs;
use crate::files::{display_path, Failure};

/// Changes closer together than this make one re-check (an editor's save is several events).
const QUIET: Duration = Duration::from_millis(200);

pub fn run(args: &CheckArgs) -> Result<ExitCode, Failure> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer =
        notify_debouncer_full::new_debouncer(QUIET, None, tx).map_err(|source| Failure::Watch {
            path: ".".to_owned(),
            source,
        })?;
    let mut watched: Vec<&Path> = args.paths.iter().map(|p| p.as_path()).collect();
    let start = watched.first().copied().unwrap_or(Path::new("."));
    let config = args
        .rules
        .config
        .clone()
        .or_else(|| crate::config::discover(start));
    watched.extend(config.as_deref());
    for path in watched {
        debouncer
            .watch(path, RecursiveMode::Recursive)
            .map_err(|source| Failure::Watch {
                path: display_path(path),
                source,
            })?;
    }
    let clear = std::io::stdout().is_terminal();
    loop {
        if clear {
            // Clear the screen and move to its top, as `cargo watch -c` does.
            out("\x1b[2J\x1b[H")?;
        }
        // A run that cannot load its settings says why and waits for the next change.
        if let Err(failure) = crate::check::run(args) {
            if failure.is_broken_pipe() {
                return Ok(ExitCode::SUCCESS);
            }
            eprint!("{}", failure.report());
        }
        out("Watching for changes (Ctrl-C to stop).\n")?;
        loop {
            match rx.recv() {
                Ok(Ok(events)) if events.iter().any(|e| e.paths.iter().any(|p| matters(p))) => break,
                Ok(_) => continue,
                // The watcher is gone: nothing more will come.
                Err(_) => return Ok(ExitCode::SUCCESS),
            }
        }
    }
}

/// Notes, settings, schemas and vocabularies; not editors' swap files or git's own.
fn matters(path: &Path) -> bool {
    if path.components().any(|c| c.as_os_str() == ".git") {
        return false;
    }
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["md", "markdown", "toml", "json", "yaml", "yml"].contains(&e.to_ascii_lowercase().as_str())
    })
}

fn out(text: &str) -> Result<(), Failure> {
    crate::files::write_stdout(text.as_bytes())
}
