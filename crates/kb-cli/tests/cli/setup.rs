//! Setting kb up: `kb init`, shell completions, the man page, `--version`, and baselines for
//! adopting kb on a vault that already has many findings.

use crate::{kb, transcript, write};

const NOTE: &str = "# 분석\n\n## Amazon Athena\n\nS3의 데이터를 SQL로 조회하는 서비스.\n\n- 서버리스\n\n## Amazon Segemaker\n\n모델을 학습시키는 서비스.\n\n- 노트북\n";

#[test]
fn init_writes_a_configuration_that_kb_then_uses() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", NOTE);
    let output = kb(dir.path(), &["init"]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    for file in [
        "kb.toml",
        "kb-schemas/entry.schema.json",
        "kb-schemas/front-matter.schema.json",
        "kb-schemas/note.schema.json",
        "kb-schemas/vocabulary.yaml",
        "kb-schemas/kb.toml.schema.json",
    ] {
        assert!(dir.path().join(file).is_file(), "{file} missing");
    }
    // The copies give the same findings as the built-in ones...
    let check = kb(dir.path(), &["check", ".", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let codes: Vec<&str> = findings["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["KB201"], "{}", transcript(&check));
    // ...and editing them changes kb's mind: the copied vocabulary is the one in use.
    let vocabulary = std::fs::read_to_string(dir.path().join("kb-schemas/vocabulary.yaml")).unwrap();
    assert!(vocabulary.contains("Amazon SageMaker"));
    write(
        dir.path(),
        "kb.toml",
        std::fs::read_to_string(dir.path().join("kb.toml"))
            .unwrap()
            .replace("# ignore = [\"KB401\"]", "ignore = [\"KB201\"]"),
    );
    let check = kb(dir.path(), &["check", "."]);
    assert_eq!(check.status.code(), Some(0), "{}", transcript(&check));

    // A second init refuses, naming the file, and changes nothing.
    let before = std::fs::read_to_string(dir.path().join("kb.toml")).unwrap();
    let again = kb(dir.path(), &["init"]);
    assert_eq!(again.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("kb.toml") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("kb.toml")).unwrap(),
        before
    );
    let forced = kb(dir.path(), &["init", "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", transcript(&forced));
    assert_ne!(
        std::fs::read_to_string(dir.path().join("kb.toml")).unwrap(),
        before
    );
}

#[test]
fn completions_man_page_and_version() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "_kb()"),
        ("zsh", "#compdef kb"),
        ("fish", "complete -c kb"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let output = kb(dir.path(), &["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&output.stdout);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(
            script.contains("write-baseline"),
            "{shell} completes check's flags"
        );
    }
    let man = kb(dir.path(), &["man"]);
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(page.starts_with(".ie") && page.contains(".TH kb 1"), "{page}");
    assert!(page.contains("server"), "the man page lists the subcommands");
    let version = kb(dir.path(), &["--version"]);
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        format!("kb {} (schema 1)\n", env!("CARGO_PKG_VERSION"))
    );
    let schema = kb(dir.path(), &["config-schema"]);
    let schema: serde_json::Value = serde_json::from_slice(&schema.stdout).unwrap();
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn a_baseline_hides_known_findings_until_a_new_one_appears() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vault/a.md", NOTE);
    let recorded = kb(
        dir.path(),
        &["check", "vault", "--write-baseline", "kb-baseline.json"],
    );
    assert_eq!(recorded.status.code(), Some(0), "{}", transcript(&recorded));
    assert!(String::from_utf8_lossy(&recorded.stdout).starts_with("Recorded 1 finding in kb-baseline.json"));
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("kb-baseline.json")).unwrap()).unwrap();
    assert_eq!(
        baseline["findings"],
        serde_json::json!([{"code": "KB201", "path": "vault/a.md", "text": "Amazon Segemaker", "count": 1}])
    );

    let quiet = kb(dir.path(), &["check", "vault", "--baseline", "kb-baseline.json"]);
    assert_eq!(quiet.status.code(), Some(0), "{}", transcript(&quiet));

    // Lines added above move the finding; it stays hidden. From another folder too: paths are
    // kept relative to the baseline.
    write(dir.path(), "vault/a.md", format!("메모 추가\n\n{NOTE}"));
    let moved = kb(
        &dir.path().join("vault"),
        &["check", ".", "--baseline", "../kb-baseline.json"],
    );
    assert_eq!(moved.status.code(), Some(0), "{}", transcript(&moved));

    // The same misspelling once more, and another: both are new.
    write(
        dir.path(),
        "vault/a.md",
        format!("메모 추가\n\n{NOTE}\nAmazon Segemaker 와 Amazon Kinesiss 를 함께 쓴다.\n"),
    );
    let new = kb(
        dir.path(),
        &[
            "check",
            "vault",
            "--baseline",
            "kb-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(new.status.code(), Some(1), "{}", transcript(&new));
    let report: serde_json::Value = serde_json::from_slice(&new.stdout).unwrap();
    let lines: Vec<(String, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines, [("KB201".to_owned(), 17), ("KB201".to_owned(), 17)]);

    // A broken baseline is a clear failure, not an empty one.
    write(dir.path(), "broken.json", "{");
    let broken = kb(dir.path(), &["check", "vault", "--baseline", "broken.json"]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&broken.stderr).starts_with("kb failed: reading the baseline `broken.json`")
    );
}

#[test]
fn watch_checks_again_when_a_note_changes() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vault/a.md", NOTE.replace("Segemaker", "SageMaker"));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("kb"))
        .args(["check", "vault", "--watch"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line.unwrap_or_default()).is_err() {
                return;
            }
        }
    });
    let wait_for = |wanted: &str| -> Vec<String> {
        let mut seen = Vec::new();
        loop {
            match lines.recv_timeout(std::time::Duration::from_secs(30)) {
                Ok(line) if line.contains(wanted) => return seen,
                Ok(line) => seen.push(line),
                Err(_) => panic!("no `{wanted}` after {seen:#?}"),
            }
        }
    };
    let first = wait_for("Watching for changes");
    assert!(
        first.iter().any(|l| l.contains("No problems found in 1 note")),
        "{first:#?}"
    );
    write(dir.path(), "vault/a.md", NOTE);
    let second = wait_for("Watching for changes");
    assert!(
        second.iter().any(|l| l.contains("Found 1 error in 1 note")),
        "{second:#?}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
