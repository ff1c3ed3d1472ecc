use crate::{kb, transcript, write};

const NOTE: &str = "# 메모\r\n\r\n[Amazon Kinesiss](#amazon-kinesiss)\r\n\r\n## Amazon Kinesiss\r\n- 스트리밍 데이터 서비스\r\n- AWS DynamoDB와\u{a0}연동, 그리고 Amazon Segemaker\r\n";

#[test]
fn diff_previews_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vault/a.md", NOTE);
    let output = kb(dir.path(), &["fix", "vault", "--diff"]);
    insta::assert_snapshot!(transcript(&output).replace('\r', "␍"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("vault/a.md")).unwrap(),
        NOTE
    );
    // Safe fixes only: the wrong prefix. The guessed names need --unsafe-fixes.
    let safe = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        safe.contains("+- Amazon DynamoDB") && !safe.contains("Amazon Kinesis\r"),
        "{safe}"
    );
    let unsafe_output = kb(dir.path(), &["fix", "vault", "--diff", "--unsafe-fixes"]);
    let unsafe_diff = String::from_utf8_lossy(&unsafe_output.stdout).into_owned();
    assert!(
        unsafe_diff.contains("+## Amazon Kinesis") && unsafe_diff.contains("Amazon SageMaker"),
        "{unsafe_diff}"
    );
}

#[test]
fn fix_writes_only_the_edits_and_a_second_fix_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vault/a.md", NOTE);
    let output = kb(dir.path(), &["fix", "vault", "--unsafe-fixes"]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let fixed = std::fs::read_to_string(dir.path().join("vault/a.md")).unwrap();
    assert_eq!(
        fixed,
        NOTE.replace("Kinesiss", "Kinesis")
            .replace("#amazon-kinesiss", "#amazon-kinesis")
            .replace("AWS DynamoDB", "Amazon DynamoDB")
            .replace("Segemaker", "SageMaker")
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("Fixed 4 problems in 1 note;"),
        "{}",
        transcript(&output)
    );
    let again = kb(dir.path(), &["fix", "vault", "--unsafe-fixes", "--diff"]);
    assert_eq!(again.status.code(), Some(0), "{}", transcript(&again));
    assert!(again.stdout.is_empty());
    // No temporary file is left beside the note.
    let names: Vec<String> = std::fs::read_dir(dir.path().join("vault"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.md"]);
}

#[test]
fn remaining_errors_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "vault/a.md",
        "## Amazon Macie\n\n## AWS Cloud Trail\n- 감사 로그\n- 90일 무료\n",
    );
    let output = kb(dir.path(), &["fix", "vault"]);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let text = std::fs::read_to_string(dir.path().join("vault/a.md")).unwrap();
    assert!(text.contains("## AWS CloudTrail"));
}

#[cfg(unix)]
#[test]
fn symlinks_and_read_only_notes_are_not_written() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "outside/real.md",
        "## AWS Cloud Trail\n- 감사 로그\n- 무료\n",
    );
    write(
        dir.path(),
        "vault/ro.md",
        "## AWS Cloud Trail\n- 감사 로그\n- 무료\n",
    );
    std::fs::create_dir_all(dir.path().join("vault")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("outside/real.md"),
        dir.path().join("vault/link.md"),
    )
    .unwrap();
    let ro = dir.path().join("vault/ro.md");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let output = kb(dir.path(), &["fix", "vault"]);
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");
    assert!(std::fs::read_to_string(dir.path().join("outside/real.md"))
        .unwrap()
        .contains("Cloud Trail"));
    assert!(std::fs::read_to_string(&ro).unwrap().contains("Cloud Trail"));
}

#[test]
fn uncommitted_changes_in_git_are_refused_without_allow_dirty() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(dir.path())
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .output()
            .unwrap()
    };
    if git(&["init", "-q"]).status.code() != Some(0) {
        return; // no git on this machine: nothing to refuse
    }
    write(
        dir.path(),
        "vault/a.md",
        "## AWS Cloud Trail\n- 감사 로그\n- 무료\n",
    );
    git(&["add", "."]);
    git(&["commit", "-qm", "notes"]);
    write(
        dir.path(),
        "vault/a.md",
        "## AWS Cloud Trail\n- 감사 로그\n- 무료, 편집 중\n",
    );
    let refused = kb(dir.path(), &["fix", "vault"]);
    assert_eq!(refused.status.code(), Some(2), "{}", transcript(&refused));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--allow-dirty"));
    let allowed = kb(dir.path(), &["fix", "vault", "--allow-dirty"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", transcript(&allowed));
    assert!(std::fs::read_to_string(dir.path().join("vault/a.md"))
        .unwrap()
        .contains("AWS CloudTrail"));
}

#[test]
fn check_fix_fixes_then_reports_what_remains() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "vault/a.md",
        "## AWS Cloud Trail\n- 감사 로그\n- 무료\n\n## Amazon Macie\n",
    );
    let output = kb(dir.path(), &["check", "vault", "--fix", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["KB101"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn rename_changes_names_everywhere_but_code_urls_and_targets() {
    let dir = tempfile::tempdir().unwrap();
    let note = "# 메모\n\n[AWS Single Sign-On](#aws-single-sign-on)\n\n## AWS Single Sign-On\n- 로그인 서비스, `AWS Single Sign-On` 코드\n- 문서: https://example.com/AWS-Single-Sign-On 그리고 [[AWS Single Sign-On]]\n| aws single sign-on | 표 |\n|---|---|\n";
    write(dir.path(), "vault/a.md", note);
    let preview = kb(
        dir.path(),
        &[
            "rename",
            "AWS Single Sign-On",
            "AWS IAM Identity Center",
            "vault",
            "--diff",
        ],
    );
    assert_eq!(preview.status.code(), Some(1), "{}", transcript(&preview));
    let output = kb(
        dir.path(),
        &["rename", "AWS Single Sign-On", "AWS IAM Identity Center", "vault"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let renamed = std::fs::read_to_string(dir.path().join("vault/a.md")).unwrap();
    assert_eq!(
        renamed,
        "# 메모\n\n[AWS IAM Identity Center](#aws-iam-identity-center)\n\n## AWS IAM Identity Center\n- 로그인 서비스, `AWS Single Sign-On` 코드\n- 문서: https://example.com/AWS-Single-Sign-On 그리고 [[AWS Single Sign-On]]\n| AWS IAM Identity Center | 표 |\n|---|---|\n"
    );
}
