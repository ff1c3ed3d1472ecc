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
