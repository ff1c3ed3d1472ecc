use serde_json::Value;

use crate::{kb, transcript, write, write_across_chunks, UNREADABLE_ACROSS_CHUNKS};

const NOTE: &str =
    "# 컴퓨팅\n\n## Amazon EC2\n- 가상 서버\n- 특징\n  1. 크기 조정\n\n## Segemaker\n- 머신러닝 플랫폼\n";

fn json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// The paths of the notes of a JSON export, in order.
fn exported_paths(doc: &Value) -> Vec<&str> {
    doc["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["path"].as_str().unwrap())
        .collect()
}

#[test]
fn exports_a_folder_of_notes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes/compute.md", NOTE);
    write(
        dir.path(),
        "notes/sub/other.markdown",
        "## AWS Lambda\n- 서버리스\n",
    );
    write(dir.path(), "notes/readme.txt", "## Amazon S3\n");
    let output = kb(dir.path(), &["export", "--format", "json", "notes"]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let doc = json(&output);
    assert_eq!(doc["schema_version"], 1);
    let notes = doc["notes"].as_array().unwrap();
    let paths: Vec<&str> = notes.iter().map(|n| n["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["notes/compute.md", "notes/sub/other.markdown"]);
    let entries = notes[0]["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["canonical"], "Amazon EC2");
    assert_eq!(entries[0]["source"]["line"], 3);
    assert_eq!(entries[0]["category"], "컴퓨팅");
    assert_eq!(entries[1]["name"], "Segemaker");
    assert_eq!(entries[1]["name_problem"]["kind"], "misspelled");
    assert_eq!(entries[1]["name_problem"]["suggestion"], "SageMaker");
}

#[test]
fn a_file_named_explicitly_is_read_whatever_its_extension() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "seed.txt", NOTE);
    let output = kb(dir.path(), &["export", "seed.txt"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(json(&output)["notes"][0]["entries"].as_array().unwrap().len(), 2);
}

#[test]
fn gitignore_is_honoured_outside_git_and_hidden_folders_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vault/.gitignore", "drafts/\n");
    write(dir.path(), "vault/drafts/a.md", NOTE);
    write(dir.path(), "vault/.obsidian/b.md", NOTE);
    write(dir.path(), "vault/c.md", NOTE);
    let output = kb(dir.path(), &["export", "vault"]);
    let doc = json(&output);
    let paths = exported_paths(&doc);
    assert_eq!(paths, ["vault/c.md"]);
}

#[test]
fn pretty_output_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes/a.md", NOTE);
    let output = kb(dir.path(), &["export", "notes", "--pretty", "-o", "out.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert!(output.stdout.is_empty());
    let text = std::fs::read_to_string(dir.path().join("out.json")).unwrap();
    assert!(text.starts_with("{\n  \"kb_version\""));
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["notes"][0]["entries"][0]["id"], "amazon-ec2");
}

#[test]
fn a_missing_path_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = kb(dir.path(), &["export", "nope"]);
    insta::assert_snapshot!(transcript(&output), @r"
    exit: 2
    --- stdout
    --- stderr
    kb failed: `nope` does not exist
    ");
}

#[test]
fn a_folder_without_notes_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty/readme.txt", "x");
    let output = kb(dir.path(), &["export", "empty"]);
    insta::assert_snapshot!(transcript(&output), @r"
    exit: 2
    --- stdout
    --- stderr
    kb failed: no notes (*.md, *.markdown) found under `empty`
    ");
}

#[test]
fn output_that_is_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes/a.md", NOTE);
    let output = kb(dir.path(), &["export", "notes", "-o", "notes/a.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("it is one of the input notes"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes/a.md")).unwrap(),
        NOTE
    );
}

#[test]
fn unreadable_notes_are_reported_and_the_rest_exported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes/a.md", NOTE);
    write(dir.path(), "notes/b.md", b"## Amazon S3\n\xff\xfe broken\n");
    let output = kb(dir.path(), &["export", "notes"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(json(&output)["notes"].as_array().unwrap().len(), 1);
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr), @r"
    warning: `notes/b.md` is not UTF-8 text (invalid byte at offset 13); left out of the export
    read 1 note, exported 2 entries
    ");
}

#[test]
fn a_bad_vocabulary_is_exit_2_with_its_cause() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes/a.md", NOTE);
    write(dir.path(), "vocab.yaml", "version: 1\nservices:\n  - {id: a, name: A X, type: service}\n  - {id: b, name: A x, type: service}\n");
    let output = kb(dir.path(), &["export", "notes", "--vocabulary", "vocab.yaml"]);
    insta::assert_snapshot!(transcript(&output), @r"
    exit: 2
    --- stdout
    --- stderr
    kb failed: loading the vocabulary `vocab.yaml`: `A x` names both `a` and `b`
    ");
    // `--verbose`: each cause on its own line.
    let output = kb(
        dir.path(),
        &["export", "notes", "--vocabulary", "vocab.yaml", "--verbose"],
    );
    insta::assert_snapshot!(transcript(&output), @r"
    exit: 2
    --- stdout
    --- stderr
    kb failed: loading the vocabulary `vocab.yaml`
      caused by: `A x` names both `a` and `b`
    ");
}

#[test]
fn bad_arguments_are_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = kb(dir.path(), &["export", "--format", "xml", "x"]);
    assert_eq!(output.status.code(), Some(2));
}

/// A small vault: two notes naming EC2 (merged into one Anki note), cells a spreadsheet would
/// run, Korean text, a category with spaces.
fn small_vault(dir: &std::path::Path) {
    write(
        dir,
        "vault/compute.md",
        "# 컴퓨팅\n\n## Amazon EC2\n- 가상 서버\n- 특징\n  - -20% 비용 (스팟)\n  - =SUM(A1) 같은 셀\n\n## AWS Lambda\n- @서버리스 함수\n",
    );
    write(
        dir,
        "vault/ml/sagemaker.md",
        "## Amazon SageMaker\n- 머신러닝 플랫폼\n  - 노트북 #jupyter\n\n## EC2\n- 가상 서버\n- +탄력적\n",
    );
}

#[test]
fn csv_of_a_small_vault() {
    let dir = tempfile::tempdir().unwrap();
    small_vault(dir.path());
    let output = kb(dir.path(), &["export", "vault", "--format", "csv"]);
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn csv_with_a_bom_and_without_sanitising() {
    let dir = tempfile::tempdir().unwrap();
    small_vault(dir.path());
    let output = kb(
        dir.path(),
        &["export", "vault", "--format", "csv", "--bom", "--no-sanitize-csv"],
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.starts_with("\u{feff}canonical,name,".as_bytes()));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("\n=SUM(A1) 같은 셀"), "{text}");
    assert!(!text.contains("'="), "{text}");
}

#[test]
fn anki_text_of_a_small_vault() {
    let dir = tempfile::tempdir().unwrap();
    small_vault(dir.path());
    let output = kb(
        dir.path(),
        &["export", "vault", "--format", "anki", "--deck-root", "Study::AWS"],
    );
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn apkg_needs_an_output_file() {
    let dir = tempfile::tempdir().unwrap();
    small_vault(dir.path());
    let output = kb(dir.path(), &["export", "vault", "--format", "apkg"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("-o FILE"));
}

#[test]
fn script_and_event_handlers_never_reach_anki() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "vault/s3.md",
        "## Amazon S3\n- 객체 <script>alert(1)</script> 스토리지 <img src=x onerror=alert(2)>\n- 특징\n  - <a href=\"javascript:alert(3)\">링크</a> <mark>중요</mark>\n  - <img src=\"data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=\"> <a href=\"data:text/html,hi\">데이터</a>\n\n<script>alert(4)</script>\n",
    );
    let output = kb(dir.path(), &["export", "vault", "--format", "anki"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("객체") && text.contains("링크"), "{text}");
    for bad in ["<script", "onerror", "javascript:", "data:"] {
        assert!(!text.to_lowercase().contains(bad), "{bad} in {text}");
    }
    let output = kb(
        dir.path(),
        &["export", "vault", "--format", "apkg", "-o", "out.apkg"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
}

#[test]
fn apkg_ships_images_from_inside_the_vault_only() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "outside.png", "OUTSIDE-SECRET-BYTES");
    write(dir.path(), "vault/attachments/inside.png", "INSIDE-IMAGE-BYTES");
    let mut note = String::from("## Amazon S3\n- 객체 스토리지\n\n![[inside.png]]\n\n![[../../outside.png]]\n\n![x](../.././outside.png)\n");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("outside.png"), dir.path().join("vault/link.png"))
            .unwrap();
        note.push_str("\n![[link.png]]\n");
    }
    write(dir.path(), "vault/notes/s3.md", note);
    let output = kb(
        dir.path(),
        &["export", "vault", "--format", "apkg", "-o", "out.apkg"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("embeds `../../outside.png`, which is outside the vault"),
        "{stderr}"
    );
    assert!(
        stderr.contains("embeds `../.././outside.png`, which is outside the vault"),
        "{stderr}"
    );
    #[cfg(unix)]
    assert!(
        stderr.contains("embeds `link.png`, which is outside the vault"),
        "{stderr}"
    );
    // Media files are stored uncompressed, so their bytes show in the package.
    let package = std::fs::read(dir.path().join("out.apkg")).unwrap();
    let has = |needle: &[u8]| package.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"INSIDE-IMAGE-BYTES"));
    assert!(!has(b"OUTSIDE-SECRET-BYTES"));
}

#[test]
fn a_vault_larger_than_a_chunk_streams_in_path_order_past_unreadable_notes() {
    // The export is written a chunk of notes at a time: the document must come out whole and
    // in order across chunks, whichever notes cannot be read (the first, one at a chunk's edge).
    let dir = tempfile::tempdir().unwrap();
    let count = write_across_chunks(dir.path(), |i| format!("## AWS Lambda\n- 함수 {i}\n"));
    let unreadable = UNREADABLE_ACROSS_CHUNKS;
    let expected: Vec<String> = (0..count)
        .filter(|i| !unreadable.contains(i))
        .map(|i| format!("notes/n{i:04}.md"))
        .collect();
    for pretty in [false, true] {
        let mut args = vec!["export", "notes", "--format", "json"];
        if pretty {
            args.push("--pretty");
        }
        let output = kb(dir.path(), &args);
        assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
        let doc = json(&output);
        let paths = exported_paths(&doc);
        assert_eq!(paths, expected, "pretty: {pretty}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.matches("left out of the export").count(), unreadable.len());
        assert!(
            stderr.ends_with("read 596 notes, exported 596 entries\n"),
            "{stderr}"
        );
        // The same bytes to a file as to stdout.
        args.extend(["-o", "out.json"]);
        assert_eq!(kb(dir.path(), &args).status.code(), Some(0));
        assert_eq!(std::fs::read(dir.path().join("out.json")).unwrap(), output.stdout);
    }
    let output = kb(dir.path(), &["export", "notes", "--format", "csv"]);
    let csv = String::from_utf8(output.stdout).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 1 + expected.len());
    assert!(rows[0].starts_with("canonical,name,"));
    assert!(rows[1].ends_with(",notes/n0001.md,1"), "{}", rows[1]);
    assert!(rows.last().unwrap().ends_with(",notes/n0598.md,1"));
}
