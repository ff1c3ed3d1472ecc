use serde_json::Value;

use crate::{kb, transcript, write};

const CLEAN: &str = "# 컴퓨팅\n\n## Amazon EC2\n- 가상 서버 서비스\n- 인스턴스 유형 선택\n";
const BROKEN: &str = "# AI 관련\n\n## Segemaker\n- 머신러닝 플랫폼\n- 관리형 노트북\n\n## AWS DynamoDB\n- 키-값 데이터베이스\n- 빠른 응답\n";

fn json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", transcript(output)))
}

#[test]
fn a_clean_vault_prints_only_the_summary_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vault/a.md", CLEAN);
    let output = kb(dir.path(), &["check", "vault"]);
    insta::assert_snapshot!(transcript(&output), @r"
    exit: 0
    --- stdout
    No problems found in 1 note.
    --- stderr
    ");
}

#[test]
fn errors_exit_1_warnings_alone_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vault/a.md", BROKEN);
    write(
        dir.path(),
        "warn/a.md",
        "## AWS DynamoDB\n- 키-값 데이터베이스\n- 빠른 응답\n",
    );
    assert_eq!(kb(dir.path(), &["check", "vault"]).status.code(), Some(1));
    assert_eq!(
        kb(dir.path(), &["check", "vault", "--exit-zero"]).status.code(),
        Some(0)
    );
    assert_eq!(kb(dir.path(), &["check", "warn"]).status.code(), Some(0));
    assert_eq!(
        kb(dir.path(), &["check", "warn", "--deny-warnings"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn json_output_has_the_fixed_fields_and_code_point_columns() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "vault/a.md",
        "## Segemaker\n- 플랫폼\n- 노트북\n\n## 2.1 세이지메이카\n- 플랫폼\n- 노트북\n",
    );
    let output = kb(dir.path(), &["check", "vault", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let doc = json(&output);
    let mut keys: Vec<&str> = doc.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["diagnostics", "kb_version", "summary"]);
    let first = &doc["diagnostics"][0];
    let mut fields: Vec<&str> = first.as_object().unwrap().keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "code",
            "column",
            "end_column",
            "end_line",
            "fix",
            "help",
            "line",
            "message",
            "path",
            "related",
            "rule",
            "severity"
        ]
    );
    // `## 2.1 세이지메이카`: code points 8 to 14 (bytes 7 to 25).
    let second = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["line"] == 5)
        .unwrap();
    assert_eq!(
        (second["column"].as_u64(), second["end_column"].as_u64()),
        (Some(8), Some(14))
    );
    assert_eq!(second["fix"]["applicability"], "unsafe");
    assert_eq!(second["fix"]["edits"][0]["replacement"], "세이지메이커");
    // Two misspellings, and the second is the same service again (KB301).
    assert_eq!(doc["summary"]["errors"], 3);
    assert_eq!(doc["summary"]["notes"], 1);
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vault/a.md", BROKEN);
    let output = kb(dir.path(), &["check", "vault", "--statistics"]);
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout), @r"
         1  KB201  misspelled-name  (1 fixable)
         1  KB202  non-canonical-name  (1 fixable)
    ");
}

#[test]
fn an_unreadable_note_is_a_finding_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vault/a.md", CLEAN);
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("gone.md"), dir.path().join("vault/dangling.md")).unwrap();
    let output = kb(dir.path(), &["check", "vault", "--format", "json"]);
    let doc = json(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(doc["diagnostics"][0]["code"], "KB001");
    assert_eq!(doc["diagnostics"][0]["path"], "vault/dangling.md");
    assert_eq!(doc["summary"]["notes"], 2);
}

/// A folder nested past the longest path the system takes (4,096 bytes on Linux, 1,024 on
/// macOS) cannot be listed, whoever runs kb; with mode `000` it could not be listed either,
/// but tests often run as root, who lists every folder.
#[cfg(unix)]
#[test]
fn a_folder_that_cannot_be_listed_is_a_finding_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vault/a.md", CLEAN);
    write(dir.path(), "vault/z/b.md", BROKEN);
    // Built from the inside out, a folder wrapped around it at a time: no path named on the
    // way is long.
    let level = "d".repeat(250);
    let vault = dir.path().join("vault");
    write(dir.path(), "vault/deep/deep.md", "# Deep\n");
    for _ in 0..20 {
        std::fs::create_dir(vault.join("wrap")).unwrap();
        std::fs::rename(vault.join("deep"), vault.join("wrap").join(&level)).unwrap();
        std::fs::rename(vault.join("wrap"), vault.join("deep")).unwrap();
    }
    let output = kb(dir.path(), &["check", "vault", "--format", "json"]);
    let doc = json(&output);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let findings = doc["diagnostics"].as_array().unwrap();
    let codes: Vec<&str> = findings.iter().map(|d| d["code"].as_str().unwrap()).collect();
    // The deep folder, then both findings of the note after it: the walk went on past it.
    assert_eq!(codes, ["KB001", "KB201", "KB202"], "{}", transcript(&output));
    let unlisted = &findings[0];
    let path = unlisted["path"].as_str().unwrap();
    assert!(
        path.starts_with(&format!("vault/deep/{level}/{level}/")),
        "{path}"
    );
    let message = unlisted["message"].as_str().unwrap();
    assert!(message.starts_with("The folder cannot be listed"), "{message}");
    assert_eq!(findings[1]["path"], "vault/z/b.md");
    // Two notes were read; the folder is not counted as one.
    assert_eq!(doc["summary"]["notes"], 2);
    // A folder the configuration leaves out is not reported.
    write(dir.path(), "vault/kb.toml", "extend-exclude = [\"deep/\"]\n");
    let output = kb(dir.path(), &["check", "vault", "--format", "json"]);
    let codes: Vec<String> = json(&output)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, ["KB201", "KB202"], "{}", transcript(&output));
    // The note in it, named on the command line, is there but cannot be looked at: a finding
    // with the system's reason, not "does not exist".
    let deep = format!("vault/deep/{}/deep.md", vec![level.as_str(); 20].join("/"));
    let output = kb(dir.path(), &["check", &deep, "--format", "json"]);
    let doc = json(&output);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    assert_eq!(doc["diagnostics"][0]["code"], "KB001");
    let message = doc["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("The note cannot be read: "), "{message}");
}

#[test]
fn no_notes_and_missing_paths_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty/x.txt", "x");
    assert_eq!(kb(dir.path(), &["check", "empty"]).status.code(), Some(2));
    assert_eq!(kb(dir.path(), &["check", "nope"]).status.code(), Some(2));
}

#[test]
fn unknown_config_keys_and_rules_are_exit_2_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vault/a.md", CLEAN);
    write(dir.path(), "vault/kb.toml", "selct = [\"KB2\"]\n");
    let output = kb(dir.path(), &["check", "vault"]);
    insta::assert_snapshot!(transcript(&output), @r"
    exit: 2
    --- stdout
    --- stderr
    kb failed: in `vault/kb.toml`: unknown key `selct` (did you mean `select`?)
    ");
    write(dir.path(), "vault/kb.toml", "[severity]\nKB2O1 = \"error\"\n");
    let output = kb(dir.path(), &["check", "vault"]);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("did you mean `KB201`?"),
        "{}",
        transcript(&output)
    );
    let output = kb(dir.path(), &["check", "vault", "--config", "missing.toml"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn config_is_discovered_upward_with_overrides_excludes_and_aliases() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "kb.toml",
        "ignore = [\"KB202\"]\nextend-exclude = [\"drafts/\"]\naccepted-words = [\"Segemaker\"]\n\n[aliases]\n\"Amazon S3\" = [\"심플 스토리지\"]\n\n[[overrides]]\npath = [\"strict/**\"]\nseverity = { KB202 = \"error\" }\nextend-select = [\"KB202\"]\n",
    );
    write(dir.path(), "vault/a.md", BROKEN);
    write(
        dir.path(),
        "vault/drafts/b.md",
        BROKEN.replace("Segemaker", "Segemakerr"),
    );
    write(
        dir.path(),
        "vault/strict/c.md",
        "## AWS Aurora\n- 관계형 엔진\n- 빠름\n\n## 심플 스토리지\n- 객체 저장\n- 버킷\n",
    );
    let output = kb(
        dir.path().join("vault").as_path(),
        &["check", ".", "--format", "json"],
    );
    let doc = json(&output);
    let found: Vec<(String, String)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // a.md: KB202 ignored, Segemaker accepted; drafts/ excluded; strict/: KB202 is an error there.
    assert_eq!(
        found,
        [("strict/c.md".to_owned(), "KB202".to_owned())],
        "{}",
        transcript(&output)
    );
    assert_eq!(doc["diagnostics"][0]["severity"], "error");
    assert_eq!(doc["summary"]["notes"], 2);
}

/// The policy is data: a stricter copy of the default schemas, named in `kb.toml`, changes what
/// the built binary reports, with no Rust changed.
#[test]
fn policy_schemas_are_editable_without_changing_kb() {
    let dir = tempfile::tempdir().unwrap();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/policy");
    for name in [
        "entry.schema.json",
        "front-matter.schema.json",
        "note.schema.json",
    ] {
        let mut schema: Value =
            serde_json::from_str(&std::fs::read_to_string(repo.join(name)).unwrap()).unwrap();
        match name {
            "entry.schema.json" => {
                schema["properties"]["summary"]["properties"]["text"]["maxLength"] = 12.into()
            }
            "front-matter.schema.json" => schema["required"] = serde_json::json!(["title"]),
            _ => {}
        }
        write(
            dir.path(),
            &format!("policy/{name}"),
            serde_json::to_string_pretty(&schema).unwrap(),
        );
    }
    write(dir.path(), "strict.toml", "schemas = \"policy\"\n");
    write(
        dir.path(),
        "vault/a.md",
        "---\ntags: [aws]\n---\n## Amazon EC2\n- 크기를 조절할 수 있는 가상 서버 서비스\n- 인스턴스 유형\n",
    );
    let output = kb(
        dir.path(),
        &["check", "vault", "--config", "strict.toml", "--format", "json"],
    );
    let doc = json(&output);
    let found: Vec<(String, u64, u64)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("KB101".to_owned(), 1, 1), ("KB102".to_owned(), 5, 3)],
        "{}",
        transcript(&output)
    );
    assert!(doc["diagnostics"][1]["message"]
        .as_str()
        .unwrap()
        .contains("longer than 12"));
    // Without the stricter policy, the same note is clean.
    assert_eq!(kb(dir.path(), &["check", "vault"]).status.code(), Some(0));
}

#[test]
fn rules_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    let output = kb(dir.path(), &["explain", "misspelled-name"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.starts_with("# KB201 (misspelled-name)\n\nDefault: error."),
        "{text}"
    );
    assert!(text.contains("## Fix safety"));
    assert_eq!(kb(dir.path(), &["explain", "KB999"]).status.code(), Some(2));
    let rules = kb(dir.path(), &["rules"]);
    assert_eq!(String::from_utf8_lossy(&rules.stdout).lines().count(), 16);
}

#[test]
fn a_vault_of_many_folders_is_reported_in_path_order_each_note_once() {
    // The vault is walked on every core, in no set order: the report must still come in path
    // order, each note once (also when named again inside a folder that is walked), and every
    // file of every folder must count for embeds.
    let dir = tempfile::tempdir().unwrap();
    let folders = ["b", "a/z", "a", "c/d/e", "", "a b", "A"];
    let mut notes = Vec::new();
    let mut missing_embeds = Vec::new();
    for i in 0..140 {
        let path = match folders[i % folders.len()] {
            "" => format!("vault/n{i:03}.md"),
            folder => format!("vault/{folder}/n{i:03}.md"),
        };
        // A misspelt name in each note, so that each has a finding. Some embed a picture kept
        // in another folder; some one that exists nowhere.
        let embed = if i % 10 == 0 {
            missing_embeds.push(path.clone());
            "![[gone.png]]\n"
        } else if i % 3 == 0 {
            "![[pic.png]]\n"
        } else {
            ""
        };
        let note = format!("## Segemaker\n- 머신러닝 플랫폼 {i}\n- 관리형 노트북\n{embed}");
        write(dir.path(), &path, note);
        notes.push(path);
    }
    write(dir.path(), "vault/c/d/pic.png", "png");
    write(dir.path(), "vault/a/notes.txt", "not a note");
    notes.sort();
    missing_embeds.sort();
    let output = kb(
        dir.path(),
        &["check", "vault", "vault/a/n002.md", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let doc = json(&output);
    assert_eq!(doc["summary"]["notes"], notes.len());
    let findings = doc["diagnostics"].as_array().unwrap();
    let paths_of = |code: Option<&str>| -> Vec<&str> {
        let mut paths: Vec<&str> = findings
            .iter()
            .filter(|d| code.is_none_or(|code| d["code"] == code))
            .map(|d| d["path"].as_str().unwrap())
            .collect();
        paths.dedup();
        paths
    };
    assert_eq!(paths_of(None), notes);
    assert_eq!(paths_of(Some("KB401")), missing_embeds);
}
