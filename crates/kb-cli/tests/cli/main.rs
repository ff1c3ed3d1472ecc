//! The `kb` binary as users run it: exit codes, outputs and messages.

mod check;
mod dogfood;
mod export;
mod faults;
mod fix;
mod hostile;
mod report;
mod rules;
mod security;
mod server;
mod setup;

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

/// Run `kb` with `args` in `dir`.
pub fn kb(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("kb")
        .unwrap()
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

/// Exit code, then stdout and stderr, for snapshots.
pub fn transcript(output: &Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

pub fn write(dir: &Path, path: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Notes whose place in a vault larger than a chunk of 256 matters: the first, the two either
/// side of the first chunk's edge, and the last of [`write_across_chunks`]'s 600.
pub const UNREADABLE_ACROSS_CHUNKS: [usize; 4] = [0, 255, 256, 599];

/// Write `notes/n0000.md` to `notes/n0599.md` under `dir`: `note(i)`, except that the notes of
/// [`UNREADABLE_ACROSS_CHUNKS`] are not UTF-8.
pub fn write_across_chunks(dir: &Path, note: impl Fn(usize) -> String) -> usize {
    let count = 600;
    for i in 0..count {
        let path = format!("notes/n{i:04}.md");
        if UNREADABLE_ACROSS_CHUNKS.contains(&i) {
            write(dir, &path, b"## Amazon S3\n\xff\n");
        } else {
            write(dir, &path, note(i));
        }
    }
    count
}
