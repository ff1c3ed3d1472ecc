//! Finding notes under the paths the user named, and reading them.

use rayon::prelude::*;
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// `--verbose`: failures are reported with every cause.
pub static VERBOSE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Why kb could not run at all (exit status 2).
#[derive(Debug, Error)]
pub enum Failure {
    #[error("`{path}` does not exist")]
    NoSuchPath { path: String },
    #[error("no notes (*.md, *.markdown) found under {paths}")]
    NoNotes { paths: String },
    #[error("walking `{path}`")]
    Walk {
        path: String,
        #[source]
        source: ignore::Error,
    },
    #[error("reading the vocabulary `{path}`")]
    ReadVocabulary {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("loading the vocabulary `{path}`")]
    Vocabulary {
        path: String,
        #[source]
        source: kb_vocab::VocabError,
    },
    #[error("in `{path}`: {message}")]
    Config { path: String, message: String },
    #[error("reading the configuration `{path}`")]
    ReadConfig {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("reading the policy schema `{path}`")]
    ReadSchema {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("loading the policy schemas in `{path}`")]
    Policy {
        path: String,
        #[source]
        source: kb_check::PolicyError,
    },
    #[error("refusing to write to `{path}`: it is one of the input notes")]
    OutputIsInput { path: String },
    #[error("writing `{path}`")]
    Write {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("not writing `{path}`: it changed on disk after kb read it")]
    ChangedSinceRead { path: String },
    #[error("not writing `{path}`: git reports uncommitted changes to it (use --allow-dirty)")]
    Dirty { path: String },
    #[error("writing to standard output")]
    Stdout(#[source] io::Error),
    #[error("reading the baseline `{path}`: {message}")]
    Baseline { path: String, message: String },
    #[error("the language server stopped: {message}")]
    Server { message: String },
    #[error("watching `{path}` for changes")]
    Watch {
        path: String,
        #[source]
        source: notify::Error,
    },
}

impl Failure {
    /// For standard error: `kb failed: …` and the root cause on one line, or with `--verbose`
    /// ([`VERBOSE`]) every cause of the chain on a line of its own.
    pub fn report(&self) -> String {
        let verbose = VERBOSE.load(std::sync::atomic::Ordering::Relaxed);
        let mut causes = Vec::new();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            causes.push(cause.to_string());
            source = cause.source();
        }
        if verbose {
            let mut out = format!("kb failed: {self}\n");
            for cause in causes {
                out.push_str(&format!("  caused by: {cause}\n"));
            }
            return out;
        }
        match causes.last() {
            Some(root) => format!("kb failed: {self}: {root}\n"),
            None => format!("kb failed: {self}\n"),
        }
    }

    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Failure::Stdout(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// A note to read: where it is on disk and the path kb reports for it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NoteFile {
    pub display: String,
    pub path: PathBuf,
    /// The folder it was found in (canonical), when found by walking a folder: a symbolic link
    /// out of it is not followed.
    pub vault: Option<PathBuf>,
    /// Found by walking as a symbolic link (from the folder listing, without a `stat`).
    pub link: bool,
    /// Why the walk could not list this folder (or read this entry of one), when it could
    /// not: reported as unreadable, like a note, while the rest of the vault is checked.
    pub unlisted: Option<String>,
}

/// `/`-separated, as every kb output writes paths.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let text = text.strip_prefix("./").unwrap_or(&text);
    if std::path::MAIN_SEPARATOR == '\\' {
        text.replace('\\', "/")
    } else {
        text.to_owned()
    }
}

fn is_note(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Every note under `paths`, sorted, each once.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<NoteFile>, Failure> {
    Ok(walk(paths, &|_| false)?.0)
}

/// Every note under `paths` (sorted, each once), and every file of the vault (for resolving
/// embeds). `excluded` is asked about each path found inside a folder.
pub fn walk(
    paths: &[PathBuf],
    excluded: &(dyn Fn(&str) -> bool + Sync),
) -> Result<(Vec<NoteFile>, Vec<String>), Failure> {
    let mut found = Found::default();
    // Whether every note is also in `all` (true of notes found by walking a folder).
    let mut notes_in_all = true;
    for path in paths {
        // A path that is there but cannot be looked at (a folder on the way that cannot be
        // entered, a path longer than the system takes) is read as a note, and reading it
        // gives the system's reason as a finding: it is not said not to exist.
        let missing = match path.try_exists() {
            Ok(there) => !there,
            Err(error) => error.kind() == io::ErrorKind::NotADirectory,
        };
        if missing {
            return Err(Failure::NoSuchPath {
                path: display_path(path),
            });
        }
        if !path.is_dir() {
            found.notes.push(NoteFile {
                display: display_path(path),
                path: path.clone(),
                vault: None,
                link: false,
                unlisted: None,
            });
            notes_in_all = false;
            // The folder of a note named alone is its vault.
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                if let Ok(entries) = std::fs::read_dir(parent) {
                    found
                        .all
                        .extend(entries.flatten().map(|e| display_path(&e.path())));
                }
            }
            continue;
        }
        // The vault every note found here belongs to: resolved once, not once per note.
        let vault = std::fs::canonicalize(path).ok();
        // Walked on every core (a vault of 20,000 notes took 25 ms on one), in no set order:
        // the notes and files are sorted below, by the paths kb reports.
        let shared = std::sync::Mutex::new(std::mem::take(&mut found));
        let mut collectors = Collectors(Walk {
            shared: &shared,
            root: path,
            vault: &vault,
            excluded,
        });
        ignore::WalkBuilder::new(path)
            .require_git(false)
            .follow_links(false)
            .build_parallel()
            .visit(&mut collectors);
        found = shared
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // The same error whatever order the threads met them in.
        if let Some(source) = found.errors.drain(..).min_by_key(ToString::to_string) {
            return Err(Failure::Walk {
                path: display_path(path),
                source,
            });
        }
    }
    let Found {
        mut notes, mut all, ..
    } = found;
    if notes.is_empty() {
        let paths: Vec<String> = paths.iter().map(|p| format!("`{}`", display_path(p))).collect();
        return Err(Failure::NoNotes {
            paths: paths.join(", "),
        });
    }
    // A note named alone is a file of the vault too (walked notes are in `all` already).
    if !notes_in_all {
        all.extend(notes.iter().map(|n| n.display.clone()));
    }
    // Paths repeated (a note named twice, or inside a folder also named) are one note.
    rayon::join(
        || {
            notes.par_sort_unstable();
            notes.dedup_by(|a, b| a.path == b.path);
        },
        || {
            all.par_sort_unstable();
            all.dedup();
        },
    );
    Ok((notes, all))
}

/// What a walk found so far.
#[derive(Default)]
struct Found {
    notes: Vec<NoteFile>,
    all: Vec<String>,
    errors: Vec<ignore::Error>,
}

/// What every thread of one walk shares: where its lists go, and how to tell what it found.
#[derive(Clone, Copy)]
struct Walk<'a> {
    shared: &'a std::sync::Mutex<Found>,
    root: &'a Path,
    vault: &'a Option<PathBuf>,
    excluded: &'a (dyn Fn(&str) -> bool + Sync),
}

/// Hands each thread of a walk its [`Collector`].
struct Collectors<'a>(Walk<'a>);

impl<'a> ignore::ParallelVisitorBuilder<'a> for Collectors<'a> {
    fn build(&mut self) -> Box<dyn ignore::ParallelVisitor + 'a> {
        Box::new(Collector {
            walk: self.0,
            found: Found::default(),
        })
    }
}

/// One thread's share of a walk, added to the whole when the thread is done.
struct Collector<'a> {
    walk: Walk<'a>,
    found: Found,
}

impl ignore::ParallelVisitor for Collector<'_> {
    fn visit(&mut self, item: Result<ignore::DirEntry, ignore::Error>) -> ignore::WalkState {
        let item = match item {
            Ok(item) => item,
            Err(error) => {
                // A folder that cannot be listed (permission denied, a path too long for the
                // system) is a finding, and the rest of the vault is still walked.
                let Some((path, cause)) = unlisted(&error) else {
                    self.found.errors.push(error);
                    return ignore::WalkState::Quit;
                };
                let relative = path.strip_prefix(self.walk.root).unwrap_or(path);
                if !(self.walk.excluded)(&display_path(relative)) {
                    self.found.notes.push(NoteFile {
                        display: display_path(path),
                        path: path.to_path_buf(),
                        vault: self.walk.vault.clone(),
                        link: false,
                        unlisted: Some(cause.to_string()),
                    });
                }
                return ignore::WalkState::Continue;
            }
        };
        if !item.file_type().is_some_and(|t| t.is_file() || t.is_symlink()) {
            return ignore::WalkState::Continue;
        }
        let relative = item.path().strip_prefix(self.walk.root).unwrap_or(item.path());
        if (self.walk.excluded)(&display_path(relative)) {
            return ignore::WalkState::Continue;
        }
        let display = display_path(item.path());
        if is_note(item.path()) {
            self.found.notes.push(NoteFile {
                display: display.clone(),
                path: item.path().to_path_buf(),
                vault: self.walk.vault.clone(),
                link: item.file_type().is_some_and(|t| t.is_symlink()),
                unlisted: None,
            });
        }
        self.found.all.push(display);
        ignore::WalkState::Continue
    }
}

/// The path the walk could not read and the system's reason, when `error` is that: an I/O
/// error at a path (a `.gitignore` line kb cannot parse, or a link loop, is not).
fn unlisted(error: &ignore::Error) -> Option<(&Path, &io::Error)> {
    fn io_error(error: &ignore::Error) -> Option<&io::Error> {
        match error {
            ignore::Error::Io(io) => Some(io),
            ignore::Error::WithDepth { err, .. } => io_error(err),
            _ => None,
        }
    }
    match error {
        ignore::Error::WithPath { path, err } => Some((path.as_path(), io_error(err)?)),
        ignore::Error::WithDepth { err, .. } => unlisted(err),
        _ => None,
    }
}

impl Drop for Collector<'_> {
    fn drop(&mut self) {
        let mut shared = self
            .walk
            .shared
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let found = std::mem::take(&mut self.found);
        shared.notes.extend(found.notes);
        shared.all.extend(found.all);
        shared.errors.extend(found.errors);
    }
}

/// The policy schemas in `dir`, or the built-in ones.
pub fn policy(dir: Option<&Path>) -> Result<kb_check::Policy, Failure> {
    let Some(dir) = dir else {
        return Ok(kb_check::Policy::builtin());
    };
    let [entry, front_matter, note] = kb_check::Policy::paths_in(dir).map(|path| {
        std::fs::read_to_string(&path).map_err(|source| Failure::ReadSchema {
            path: display_path(&path),
            source,
        })
    });
    kb_check::Policy::from_texts(&entry?, &front_matter?, &note?).map_err(|source| Failure::Policy {
        path: display_path(dir),
        source,
    })
}

/// The vocabulary named on the command line, or the built-in one.
pub fn vocabulary(path: Option<&Path>) -> Result<kb_vocab::Vocabulary, Failure> {
    let Some(path) = path else {
        return Ok(kb_vocab::Vocabulary::builtin());
    };
    let text = std::fs::read_to_string(path).map_err(|source| Failure::ReadVocabulary {
        path: display_path(path),
        source,
    })?;
    kb_vocab::Vocabulary::from_yaml(&text).map_err(|source| Failure::Vocabulary {
        path: display_path(path),
        source,
    })
}

/// Why one note could not be read; the run goes on without it.
#[derive(Debug)]
pub enum ReadProblem {
    Io(io::Error),
    NotUtf8 {
        valid_up_to: usize,
    },
    /// A folder of the vault that could not be listed: the system's reason.
    Unlisted(String),
}

impl std::fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadProblem::Io(e) => write!(f, "cannot be read: {e}"),
            ReadProblem::Unlisted(cause) => write!(f, "cannot be listed: {cause}"),
            ReadProblem::NotUtf8 { valid_up_to } => {
                write!(f, "is not UTF-8 text (invalid byte at offset {valid_up_to})")
            }
        }
    }
}

/// The bytes of a note; a symbolic link found in a vault that points out of it is not read,
/// nor anything that is not a plain file (a FIFO named `x.md` would block the run forever).
pub fn read_bytes(note: &NoteFile) -> Result<Vec<u8>, ReadProblem> {
    if let Some(cause) = &note.unlisted {
        return Err(ReadProblem::Unlisted(cause.clone()));
    }
    if note.link {
        refuse_link_out_of_vault(note).map_err(ReadProblem::Io)?;
    }
    let mut file = open_note(note).map_err(ReadProblem::Io)?;
    let metadata = file.metadata().map_err(ReadProblem::Io)?;
    if !metadata.is_file() {
        return Err(ReadProblem::Io(io::Error::other(
            "it is not a regular file (a folder, pipe, socket or device), which kb does not read",
        )));
    }
    // The size is a hint (the file may change while it is read): `read_to_end` reads to the
    // end. Through `take`, which does not ask the file for its size and position again.
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(usize::try_from(metadata.len()).unwrap_or(0).saturating_add(1))
        .map_err(|e| ReadProblem::Io(io::Error::other(e)))?;
    io::Read::read_to_end(&mut io::Read::take(&mut file, u64::MAX), &mut bytes).map_err(ReadProblem::Io)?;
    Ok(bytes)
}

/// An error when `note`, a symbolic link, points out of the vault it was found in.
fn refuse_link_out_of_vault(note: &NoteFile) -> io::Result<()> {
    let Some(vault) = &note.vault else {
        return Ok(());
    };
    if std::fs::canonicalize(&note.path)?.starts_with(vault) {
        Ok(())
    } else {
        Err(io::Error::other(
            "it is a symbolic link to a file outside the vault, which kb does not read",
        ))
    }
}

/// `note` opened for reading: one path lookup, what kind of file it is asked of the open file.
/// Without blocking on a FIFO; and a note walked as a plain file is opened without following a
/// symbolic link, so a link put in its place since is checked as a link.
#[cfg(unix)]
fn open_note(note: &NoteFile) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let open = |flags: i32| {
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | flags)
            .open(&note.path)
    };
    if note.vault.is_none() || note.link {
        return open(0);
    }
    match open(libc::O_NOFOLLOW) {
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            refuse_link_out_of_vault(note)?;
            open(0)
        }
        opened => opened,
    }
}

/// No FIFOs to block on here; a link put in place of a walked note is checked as a link.
#[cfg(not(unix))]
fn open_note(note: &NoteFile) -> io::Result<std::fs::File> {
    if !note.link && std::fs::symlink_metadata(&note.path)?.file_type().is_symlink() {
        refuse_link_out_of_vault(note)?;
    }
    std::fs::File::open(&note.path)
}

pub fn read_note(note: &NoteFile) -> Result<String, ReadProblem> {
    with_note(note, str::to_owned)
}

/// `use_text` given the text of `note`, borrowed from the bytes read: a note checked or
/// exported and then dropped is never copied. Validated with SIMD: `String::from_utf8` spends
/// several instructions a byte on Korean text, and no `unsafe` is needed.
pub fn with_note<T>(note: &NoteFile, use_text: impl FnOnce(&str) -> T) -> Result<T, ReadProblem> {
    let bytes = read_bytes(note)?;
    match simdutf8::basic::from_utf8(&bytes) {
        Ok(text) => Ok(use_text(text)),
        Err(_) => Err(ReadProblem::NotUtf8 {
            valid_up_to: std::str::from_utf8(&bytes).err().map_or(0, |e| e.valid_up_to()),
        }),
    }
}

/// Write `bytes` to `path` atomically: a temporary file in the same folder, fsync, then a
/// rename. The file's permissions are kept when it exists.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |out| out.write_all(bytes))
}

/// As [`write_atomic`], the new content streamed by `write` (buffered): a large export is
/// never held whole in memory, and `path` is replaced only once all of it is written.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
) -> io::Result<()> {
    write_atomic_if(path, write, || Ok(())).map_err(|e| match e {
        Guarded::Io(e) => e,
        Guarded::Refused(failure) => io::Error::other(failure.to_string()),
    })
}

enum Guarded {
    Io(io::Error),
    Refused(Failure),
}

/// As [`write_atomic`], asking `still_ok` just before the rename: the slow part (writing and
/// syncing the new text) happens before the last look at the file, so that a change made
/// meanwhile is seen. (Without a lock a change in the instant between that look and the
/// rename can still be lost; SECURITY.md says so.)
fn write_atomic_if(
    path: &Path,
    write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    still_ok: impl FnOnce() -> Result<(), Failure>,
) -> Result<(), Guarded> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(path).ok().map(|m| m.permissions());
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(Guarded::Io)?;
    let mut buffered = io::BufWriter::with_capacity(1 << 16, temp.as_file_mut());
    write(&mut buffered).map_err(Guarded::Io)?;
    buffered.flush().map_err(Guarded::Io)?;
    drop(buffered);
    temp.as_file().sync_all().map_err(Guarded::Io)?;
    if let Some(permissions) = permissions {
        temp.as_file().set_permissions(permissions).map_err(Guarded::Io)?;
    }
    still_ok().map_err(Guarded::Refused)?;
    // On any error above, dropping `temp` removes the temporary file.
    temp.persist(path).map_err(|e| Guarded::Io(e.error))?;
    Ok(())
}

/// Replace the note at `path` with `fixed`, only if it still holds exactly `original`: a
/// note edited since kb read it is left alone. Symbolic links and read-only files are refused.
pub fn write_note(path: &Path, original: &[u8], fixed: &[u8]) -> Result<(), Failure> {
    let display = display_path(path);
    let metadata = std::fs::symlink_metadata(path).map_err(|source| Failure::Write {
        path: display.clone(),
        source,
    })?;
    if metadata.file_type().is_symlink() {
        return Err(Failure::Write {
            path: display,
            source: io::Error::other("it is a symbolic link; kb does not write through links"),
        });
    }
    if metadata.permissions().readonly() {
        return Err(Failure::Write {
            path: display,
            source: io::Error::new(io::ErrorKind::PermissionDenied, "the file is read-only"),
        });
    }
    let unchanged = || {
        let now = std::fs::read(path).map_err(|source| Failure::Write {
            path: display.clone(),
            source,
        })?;
        if now != original {
            return Err(Failure::ChangedSinceRead {
                path: display.clone(),
            });
        }
        Ok(())
    };
    // Refuse early (nothing written), and again at the last moment.
    unchanged()?;
    write_atomic_if(path, |out| out.write_all(fixed), unchanged).map_err(|e| match e {
        Guarded::Io(source) => Failure::Write {
            path: display.clone(),
            source,
        },
        Guarded::Refused(failure) => failure,
    })
}

/// Refuse to write `output` when it is one of the input notes (a report or an export written
/// over a note would lose it).
pub fn refuse_input_as_output(output: &Path, notes: &[NoteFile]) -> Result<(), Failure> {
    let Ok(output_abs) = std::fs::canonicalize(output) else {
        // Not there yet: it cannot be a note.
        return Ok(());
    };
    if notes
        .iter()
        .any(|n| std::fs::canonicalize(&n.path).is_ok_and(|p| p == output_abs))
    {
        return Err(Failure::OutputIsInput {
            path: display_path(output),
        });
    }
    Ok(())
}

/// Write `bytes` to standard output and flush them (a closed pipe is `Failure::Stdout`).
pub fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(Failure::Stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_changed_since_it_was_read_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "## AWS Cloud Trail\n").unwrap();
        let read = std::fs::read(&path).unwrap();
        // Someone edits the note while kb is fixing it.
        std::fs::write(&path, "## AWS Cloud Trail\n- 새 줄\n").unwrap();
        let result = write_note(&path, &read, b"## AWS CloudTrail\n");
        assert!(
            matches!(result, Err(Failure::ChangedSinceRead { .. })),
            "{result:?}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "## AWS Cloud Trail\n- 새 줄\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_note_walked_as_a_file_and_then_replaced_by_a_link_out_of_the_vault_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("vault")).unwrap();
        std::fs::write(dir.path().join("secret.md"), "outside").unwrap();
        std::fs::write(dir.path().join("vault/inside.md"), "inside").unwrap();
        let (notes, _) = walk(&[dir.path().join("vault")], &|_| false).unwrap();
        let [note] = notes.as_slice() else {
            panic!("{notes:?}")
        };
        assert!(!note.link);
        assert_eq!(read_bytes(note).unwrap(), b"inside");
        // Between the walk and the read, the note becomes a link to a file outside.
        std::fs::remove_file(&note.path).unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.md"), &note.path).unwrap();
        let refused = read_bytes(note).unwrap_err().to_string();
        assert!(refused.contains("outside the vault"), "{refused}");
        // A link inside the vault is read, whenever it appeared.
        std::fs::write(dir.path().join("vault/other.txt"), "linked").unwrap();
        std::fs::remove_file(&note.path).unwrap();
        std::os::unix::fs::symlink(dir.path().join("vault/other.txt"), &note.path).unwrap();
        assert_eq!(read_bytes(note).unwrap(), b"linked");
    }

    #[cfg(unix)]
    #[test]
    fn atomic_writes_keep_permissions_and_leave_no_temporary_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_note(&path, b"old", "새 내용\r\n".as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "새 내용\r\n");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}
