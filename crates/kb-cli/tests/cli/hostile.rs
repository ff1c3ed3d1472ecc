//! Hostile input: whatever a vault holds, kb neither panics nor hangs, names the file it could
//! not read, and goes on with the others. Inputs are generated here, not committed.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{kb, transcript, write};

const GOOD: &str = "## Amazon EC2\n- 가상 서버\n- 인스턴스 유형 선택\n\n## Segemaker\n- 플랫폼\n- 노트북\n";

/// Check `vault` (which also holds `good.md`) and assert the run survived: exit 0 or 1, JSON
/// output, `good.md`'s misspelling still found, within a generous time.
fn survives(dir: &Path, what: &str) -> Value {
    write(dir, "vault/good.md", GOOD);
    let started = Instant::now();
    let output = kb(dir, &["check", "vault", "--format", "json", "--select", "ALL"]);
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "{what}: took {:?}",
        started.elapsed()
    );
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{what}: {}",
        transcript(&output)
    );
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{what}: {e}"));
    let good = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["path"] == "vault/good.md" && d["code"] == "KB201");
    assert!(good, "{what}: the other note was not checked");
    let export = kb(dir, &["export", "vault"]);
    assert_eq!(
        export.status.code(),
        Some(0),
        "{what}: export {}",
        transcript(&export)
    );
    // The export is streamed note by note: whatever the notes, it is one whole JSON document.
    let exported: Value =
        serde_json::from_slice(&export.stdout).unwrap_or_else(|e| panic!("{what}: export is not JSON: {e}"));
    let notes = exported["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n["path"] == "vault/good.md"),
        "{what}: the other note was not exported"
    );
    doc
}

fn codes_for(doc: &Value, path: &str) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == path)
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn bytes_that_are_not_utf8_text() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vault/latin1.md", b"## Amazon S3 caf\xe9\n");
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "## Amazon S3\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    write(dir.path(), "vault/utf16.md", utf16);
    write(
        dir.path(),
        "vault/binary.md",
        (0u8..=255).cycle().take(4096).collect::<Vec<u8>>(),
    );
    let doc = survives(dir.path(), "non-UTF-8");
    for path in ["vault/latin1.md", "vault/utf16.md", "vault/binary.md"] {
        assert_eq!(codes_for(&doc, path), ["KB002"], "{path}");
    }
}

#[test]
fn empty_nul_and_odd_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vault/empty.md", "");
    write(
        dir.path(),
        "vault/nul.md",
        "## Amazon S3\0\n- 객체\0 저장\n- 버킷\n",
    );
    write(
        dir.path(),
        "vault/cr.md",
        "## AWS Cloud Trail\r- 감사 로그\r- 무료\r",
    );
    write(
        dir.path(),
        "vault/mixed.md",
        "## AWS Cloud Trail\r\n- 감사 로그\n- 무료\r",
    );
    let doc = survives(dir.path(), "empty/NUL/CR");
    assert!(codes_for(&doc, "vault/empty.md").is_empty());
    // Lone CR ends lines: the finding is on line 1 and the next lines are the entry's body.
    let cr: Vec<&Value> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "vault/cr.md")
        .collect();
    assert_eq!(cr.len(), 1, "{cr:?}");
    assert_eq!(
        (cr[0]["code"].as_str(), cr[0]["line"].as_u64()),
        (Some("KB202"), Some(1))
    );
}

#[test]
fn deep_nesting_and_many_headings() {
    let dir = tempfile::tempdir().unwrap();
    let deep_list: String = (0..10_000)
        .map(|i| format!("{}- 항목\n", " ".repeat(i % 400 * 2)))
        .collect();
    write(
        dir.path(),
        "vault/deep-list.md",
        format!("## Amazon S3\n- 객체 스토리지\n{deep_list}"),
    );
    write(
        dir.path(),
        "vault/deep-quote.md",
        format!("{} Amazon S3\n", ">".repeat(10_000)),
    );
    let nested: String = (0..10_000)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .take(3_000)
        .collect();
    write(dir.path(), "vault/nested.md", nested);
    let headings: String = (0..100_000).map(|i| format!("## 항목 {i}\n")).collect();
    write(dir.path(), "vault/headings.md", headings);
    survives(dir.path(), "nesting");
}

#[test]
fn front_matter_that_never_closes_or_bombs() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "vault/unclosed.md",
        "---\ntitle: x\n## Amazon SQS\n- 대기열\n- 메시지\n",
    );
    let mut bomb = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, prev) in [
        ("b", "a"),
        ("c", "b"),
        ("d", "c"),
        ("e", "d"),
        ("f", "e"),
        ("g", "f"),
        ("h", "g"),
        ("i", "h"),
    ] {
        bomb.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    bomb.push_str("---\n## Amazon S3\n- 객체\n- 버킷\n");
    write(dir.path(), "vault/bomb.md", bomb);
    let doc = survives(dir.path(), "front matter");
    assert_eq!(codes_for(&doc, "vault/unclosed.md"), ["KB003"]);
    assert!(
        codes_for(&doc, "vault/bomb.md").contains(&"KB003".to_owned()),
        "{doc}"
    );
}

#[test]
fn long_lines_and_large_notes() {
    let dir = tempfile::tempdir().unwrap();
    // A line of 10 MB.
    write(
        dir.path(),
        "vault/long-line.md",
        "Amazon S3 AWS DynamoDB ".repeat(10_000_000 / 23),
    );
    // A note of 100 MB: sections of prose with a service entry every few kilobytes.
    let section = format!(
        "## Amazon EC2\n- 가상 서버 그리고 AWS DynamoDB\n- 특징\n\t1. x\n\n{}\n",
        "긴 문단이 이어집니다. Amazon S3와 AWS Lambda를 함께 씁니다. ".repeat(60)
    );
    write(
        dir.path(),
        "vault/large.md",
        section.repeat(100_000_000 / section.len()),
    );
    survives(dir.path(), "large");
}

#[cfg(unix)]
#[test]
fn odd_files_and_paths() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("vault/folder.md")).unwrap();
    std::fs::create_dir_all(dir.path().join("vault/loop")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("vault/loop/up")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("vault/self.md"), dir.path().join("vault/self.md")).unwrap();
    write(dir.path(), "outside/secret.md", "## Amazon S3\n- 바깥\n- 비밀\n");
    std::os::unix::fs::symlink(
        dir.path().join("outside/secret.md"),
        dir.path().join("vault/outside.md"),
    )
    .unwrap();
    // A FIFO named like a note: opening it for reading would wait forever for a writer.
    let fifo = std::process::Command::new("mkfifo")
        .arg(dir.path().join("vault/pipe.md"))
        .status()
        .unwrap();
    assert!(fifo.success());
    let doc = survives(dir.path(), "odd files");
    // Found by walking, it is not a note; named on the command line, it is a finding.
    assert!(codes_for(&doc, "vault/pipe.md").is_empty());
    let named = kb(
        dir.path(),
        &["check", "vault/pipe.md", "vault/good.md", "--format", "json"],
    );
    let named: Value = serde_json::from_slice(&named.stdout).unwrap();
    assert_eq!(codes_for(&named, "vault/pipe.md"), ["KB001"]);
    assert_eq!(codes_for(&doc, "vault/self.md"), ["KB001"]);
    // A link out of the vault is not followed: nothing from outside is read.
    assert_eq!(codes_for(&doc, "vault/outside.md"), ["KB001"]);
    // A path given twice is read once.
    let twice = kb(
        dir.path(),
        &["check", "vault/good.md", "vault/good.md", "--format", "json"],
    );
    let doc: Value = serde_json::from_slice(&twice.stdout).unwrap();
    assert_eq!(doc["summary"]["notes"], 1);
}
