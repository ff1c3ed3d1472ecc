//! Faults while `kb fix` writes: whatever happens to the disk or the process, a note holds
//! either what it held or its whole fixed text, never a part, and kb says what went wrong.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::{kb, transcript, write};

/// A note with a misspelling to fix, padded to about `size` bytes.
fn note(i: usize, size: usize) -> String {
    let mut text = format!("## Amazon Rekognitoin {i}\n- 이미지 분석 서비스\n- 얼굴 인식\n\n");
    while text.len() < size {
        text.push_str("일반 문단입니다. Amazon S3에 저장하고 AWS Lambda로 처리합니다.\n");
    }
    text
}

fn kb_path() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("kb")
}

/// Leftover temporary files of an interrupted write: never notes, never read by kb, but a
/// clean run leaves none.
fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".tmp"))
        .collect()
}

#[cfg(unix)]
#[test]
fn a_full_disk_leaves_every_note_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let original = note(0, 40_000);
    write(dir.path(), "vault/big.md", &original);
    // `ulimit -f` makes every write past 16 KB fail as a full disk does (EFBIG; SIGXFSZ is
    // ignored so that the write returns the error instead of killing kb).
    let script = format!(
        "trap '' XFSZ; ulimit -f 32; exec '{}' fix vault --allow-dirty --unsafe-fixes",
        kb_path().display()
    );
    let output = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = transcript(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("vault/big.md"), "names the note: {text}");
    assert!(
        text.lines()
            .filter(|l| l.starts_with("kb failed"))
            .all(|l| !l.ends_with(':')),
        "one line with its cause: {text}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("vault/big.md")).unwrap(),
        original
    );
    assert!(temp_files(&dir.path().join("vault")).is_empty());
}

#[cfg(unix)]
#[test]
fn a_folder_kb_cannot_write_in_leaves_the_note_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let original = note(0, 200);
    write(dir.path(), "vault/locked/a.md", &original);
    let locked = dir.path().join("vault/locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root writes anywhere: then the folder is no obstacle and the fix goes through whole.
    let root = std::fs::File::create(locked.join(".probe")).is_ok();
    let _ = std::fs::remove_file(locked.join(".probe"));
    let output = kb(dir.path(), &["fix", "vault", "--allow-dirty", "--unsafe-fixes"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let now = std::fs::read_to_string(locked.join("a.md")).unwrap();
    if root {
        assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
        assert!(now.contains("Amazon Rekognition"), "{now}");
    } else {
        assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
        assert!(transcript(&output).contains("vault/locked/a.md"));
        assert_eq!(now, original);
    }
}

#[cfg(unix)]
#[test]
fn a_killed_run_leaves_whole_notes() {
    let dir = tempfile::tempdir().unwrap();
    let count = 400;
    let originals: Vec<String> = (0..count).map(|i| note(i, 6_000)).collect();
    for (i, text) in originals.iter().enumerate() {
        write(dir.path(), &format!("vault/n{i:03}.md"), text);
    }
    // What a whole run makes of each note, on a copy.
    for (i, text) in originals.iter().enumerate() {
        write(dir.path(), &format!("reference/n{i:03}.md"), text);
    }
    let whole = kb(
        dir.path(),
        &["fix", "reference", "--allow-dirty", "--unsafe-fixes"],
    );
    assert_eq!(whole.status.code(), Some(0), "{}", transcript(&whole));
    let fixed: Vec<String> = (0..count)
        .map(|i| std::fs::read_to_string(dir.path().join(format!("reference/n{i:03}.md"))).unwrap())
        .collect();
    assert!(fixed.iter().zip(&originals).all(|(f, o)| f != o));

    for delay in [20, 60, 150, 400] {
        let mut child = Command::new(kb_path())
            .args(["fix", "vault", "--allow-dirty", "--unsafe-fixes"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        for (i, (original, fixed)) in originals.iter().zip(&fixed).enumerate() {
            let now = std::fs::read_to_string(dir.path().join(format!("vault/n{i:03}.md"))).unwrap();
            assert!(
                now == *original || now == *fixed,
                "killed after {delay} ms: n{i:03}.md is neither the note nor its fixed text"
            );
        }
    }
    // A later run finishes the work.
    let rest = kb(dir.path(), &["fix", "vault", "--allow-dirty", "--unsafe-fixes"]);
    assert_eq!(rest.status.code(), Some(0), "{}", transcript(&rest));
    for (i, fixed) in fixed.iter().enumerate() {
        let now = std::fs::read_to_string(dir.path().join(format!("vault/n{i:03}.md"))).unwrap();
        assert_eq!(now, *fixed);
    }
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_kb_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // Far more output than a pipe holds, so that kb is still writing when `head` is gone.
    for i in 0..3000 {
        write(dir.path(), &format!("vault/n{i:04}.md"), note(i, 300));
    }
    // `kb check | head -1`: head exits after one line; kb must not print a panic or an error.
    let script = format!("'{}' check vault | head -n 1 >/dev/null", kb_path().display());
    let output = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; {script}; echo \"status ${{PIPESTATUS[0]}}\""
        ))
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stderr.is_empty(), "stderr: {stderr}");
    // 0 (kb saw the closed pipe and stopped) or 141 (SIGPIPE): never 2 or a panic's 101.
    assert!(
        stdout.contains("status 0") || stdout.contains("status 141"),
        "{stdout}"
    );
}
