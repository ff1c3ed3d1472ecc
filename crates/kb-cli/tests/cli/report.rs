//! `kb report` and `kb stats`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{kb, transcript, write, write_across_chunks};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn stats_json(dir: &Path, path: &str) -> Value {
    let output = kb(dir, &["stats", path, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

#[test]
fn stats_of_the_sample_notes_as_json() {
    let mut doc = stats_json(&root(), "notes");
    // Each category's missing services are its total less its covered ones; the snapshot
    // keeps their number, not the vocabulary's names.
    for category in doc["coverage"]["categories"].as_array_mut().unwrap() {
        let missing = category["missing"].as_array().unwrap().len() as u64;
        assert_eq!(
            missing,
            category["total"].as_u64().unwrap() - category["covered"].as_u64().unwrap()
        );
        category["missing"] = Value::from(missing);
    }
    insta::assert_json_snapshot!(doc);
}

#[test]
fn stats_of_the_sample_notes_for_reading() {
    let output = kb(&root(), &["stats", "notes"]);
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn the_report_shows_the_figures_of_stats_and_links_to_entries() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let output = kb(&root(), &["report", "notes", "-o", page.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("read 13 notes, 56 entries"), "{stderr}");
    let html = std::fs::read_to_string(&page).unwrap();
    let stats = stats_json(&root(), "notes");
    for (stat, value) in [
        ("covered", &stats["coverage"]["covered"]),
        ("services", &stats["coverage"]["total"]),
        ("notes", &stats["notes"]),
        ("complete", &stats["complete_entries"]),
        ("complete-percent", &stats["complete_percent"]),
        ("findings", &stats["findings"]["total"]),
        ("duplicated", &stats["duplicated_services"]),
    ] {
        let shown = format!("data-stat=\"{stat}\">{value}<");
        assert!(html.contains(&shown), "the page lacks `{shown}`");
    }
    assert!(html.contains(&format!(
        "<span class=\"big\" data-stat=\"entries\">{}</span>",
        stats["entries"]
    )));
    let notes = std::fs::canonicalize(root().join("notes")).unwrap();
    let link = format!(
        "<a href=\"file://{}/ai-ml.md#L32\">notes/<wbr>ai-ml.md:32</a>",
        notes.display()
    );
    assert!(html.contains(&link), "the page lacks {link}");
    // One row per entry.
    let rows = html.matches("<tr data-flags=").count();
    assert_eq!(rows as u64, stats["entries"].as_u64().unwrap());
}

#[test]
fn without_output_or_with_dash_the_page_goes_to_stdout() {
    for args in [&["report", "notes"][..], &["report", "notes", "-o", "-"]] {
        let output = kb(&root(), args);
        assert_eq!(output.status.code(), Some(0));
        assert!(output.stdout.starts_with(b"<!doctype html>"));
    }
}

#[test]
fn markup_in_notes_and_their_names_reaches_the_page_only_escaped() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "vault/a.md",
        "## AWS Lambda\n- 서버리스 \\<script>alert(1)\\</script>\n- 특징\n  - `\"><img src=x onerror=alert(2)>`\n",
    );
    write(
        dir.path(),
        "vault/\"><img src=x onerror=alert(3)>.md",
        "## AWS Lambda\n- `<script>alert(4)</script>`\n- 특징\n  - 함수\n",
    );
    let output = kb(dir.path(), &["report", "vault", "-o", "report.html"]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(!html.contains("<img"));
    assert!(!html.contains("<script>alert"));
    assert_eq!(html.matches("<script").count(), 1, "only the page's own script");
    assert!(html.contains("서버리스 &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
    assert!(html.contains("&lt;script&gt;alert(4)&lt;/script&gt;"));
    // The file name, as text and in the link.
    assert!(html.contains("vault/<wbr>&quot;&gt;&lt;img src=x onerror=alert(3)&gt;.md:1"));
    assert!(html.contains("/vault/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%283%29%3E.md#L1"));
}

#[test]
fn findings_do_not_change_the_exit_code_failures_do() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vault/a.md", "## Segemaker\n- 머신러닝\n");
    let report = kb(dir.path(), &["report", "vault", "-o", "out.html"]);
    assert_eq!(report.status.code(), Some(0), "{}", transcript(&report));
    assert_eq!(kb(dir.path(), &["stats", "vault"]).status.code(), Some(0));
    for args in [
        &["report", "nope", "-o", "out.html"][..],
        &["stats", "nope"],
        &["report", "vault", "-o", "vault/a.md"],
        &["report", "vault", "-o", "no/such/folder/out.html"],
    ] {
        let output = kb(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", transcript(&output));
        assert!(String::from_utf8_lossy(&output.stderr).starts_with("kb failed"));
    }
    // The note named as the output is left as it was.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("vault/a.md")).unwrap(),
        "## Segemaker\n- 머신러닝\n"
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_note_is_a_finding_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "vault/a.md",
        "## Amazon S3\n- 객체 스토리지\n- 특징\n  - 버킷\n",
    );
    std::os::unix::fs::symlink(dir.path().join("gone.md"), dir.path().join("vault/dangling.md")).unwrap();
    let doc = stats_json(dir.path(), "vault");
    assert_eq!(doc["notes"], 2);
    assert_eq!(doc["unreadable_notes"], 1);
    assert_eq!(doc["entries"], 1);
    assert_eq!(doc["findings"]["by_rule"][0]["code"], "KB001");
    let output = kb(dir.path(), &["report", "vault", "-o", "out.html"]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let html = std::fs::read_to_string(dir.path().join("out.html")).unwrap();
    assert!(html.contains("data-stat=\"unreadable\">1<"));
    assert!(html.contains("unreadable-file"));
}

#[test]
fn stats_of_a_vault_larger_than_a_chunk_count_every_note_and_finding_once() {
    // `kb stats` counts a chunk of notes at a time: totals must come out whole across chunks,
    // whichever notes cannot be read (the first, two at a chunk's edge, the last).
    let dir = tempfile::tempdir().unwrap();
    write_across_chunks(dir.path(), |i| {
        if i % 2 == 0 {
            format!("## AWS Lambda\n\n함수를 실행한다 {i}.\n\n- 이벤트\n")
        } else {
            "## Amazon S3\n".to_owned()
        }
    });
    let stats = stats_json(dir.path(), "notes");
    assert_eq!(stats["notes"], 600);
    assert_eq!(stats["unreadable_notes"], 4);
    assert_eq!(stats["entries"], 596);
    // Even notes describe Lambda whole; odd ones name S3 with nothing under it.
    assert_eq!(stats["complete_entries"], 298);
    assert_eq!(stats["incomplete"]["missing_summary"], 298);
    assert_eq!(stats["incomplete"]["missing_features"], 298);
    assert_eq!(stats["duplicated_services"], 2);

    // The findings are those `kb check` reports, per rule and per note.
    let output = kb(dir.path(), &["check", "notes", "--format", "json", "--exit-zero"]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let mut by_rule = std::collections::BTreeMap::<String, u64>::new();
    let mut by_note = std::collections::BTreeMap::<String, u64>::new();
    for d in diagnostics {
        *by_rule.entry(d["code"].as_str().unwrap().to_owned()).or_default() += 1;
        *by_note.entry(d["path"].as_str().unwrap().to_owned()).or_default() += 1;
    }
    // Every entry after the first of its service is a duplicate.
    assert_eq!(by_rule["KB302"], 297 * 2);
    let counted = |key: &str, field: &str| -> std::collections::BTreeMap<String, u64> {
        stats["findings"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r[field].as_str().unwrap().to_owned(),
                    r["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(counted("by_rule", "code"), by_rule);
    assert_eq!(counted("by_note", "path"), by_note);
    assert_eq!(
        stats["findings"]["total"].as_u64().unwrap(),
        diagnostics.len() as u64
    );
}

#[test]
fn a_report_larger_than_a_batch_of_notes_lists_places_in_path_order() {
    // `kb report` reads a vault's entries a batch of notes at a time (1,024) and drops each
    // batch once counted: a duplicated service's places must still be its first notes in path
    // order, across a batch's edge and past notes that cannot be read.
    let dir = tempfile::tempdir().unwrap();
    let count = 1100;
    let unreadable = [1023, 1024];
    for i in 0..count {
        let path = format!("notes/n{i:04}.md");
        if unreadable.contains(&i) {
            write(dir.path(), &path, b"## Amazon S3\n\xff\n");
            continue;
        }
        let mut note = format!("## AWS Lambda\n\n이벤트로 함수를 실행한다 {i}.\n\n- 기능 {i}\n");
        if i >= 1020 {
            note.push_str(&format!("\n## Amazon S3\n\n객체를 저장한다 {i}.\n\n- 버킷 {i}\n"));
        }
        write(dir.path(), &path, note);
    }
    let page = dir.path().join("report.html");
    let output = kb(dir.path(), &["report", "notes", "-o", page.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let stats = stats_json(dir.path(), "notes");
    assert_eq!(stats["notes"], 1100);
    assert_eq!(stats["unreadable_notes"], 2);
    assert_eq!(stats["entries"], 1098 + 78);
    let html = std::fs::read_to_string(&page).unwrap();
    // The places a service's card shows, in the order shown.
    let places = |service: &str| -> (String, Vec<String>) {
        let start = html
            .find(&format!("data-service=\"{service}\""))
            .unwrap_or_else(|| panic!("no card for {service}"));
        let card = &html[start..start + html[start..].find("</details>").unwrap()];
        let notes = card
            .split("<div class=\"place\">")
            .skip(1)
            .map(|place| {
                let at = place.find("n1").or_else(|| place.find("n0")).unwrap();
                place[at..at + 5].to_owned()
            })
            .collect();
        let summary = card[..card.find("</summary>").unwrap()].to_owned();
        (summary, notes)
    };
    let (summary, lambda) = places("aws-lambda");
    assert!(summary.contains("in 1098 notes"), "{summary}");
    let first: Vec<String> = (0..12).map(|i| format!("n{i:04}")).collect();
    assert_eq!(lambda, first);
    let (summary, s3) = places("amazon-s3");
    assert!(summary.contains("in 78 notes"), "{summary}");
    let across: Vec<String> = [1020, 1021, 1022]
        .into_iter()
        .chain(1025..1034)
        .map(|i| format!("n{i:04}"))
        .collect();
    assert_eq!(s3, across);
    // One row per entry, and every finding counted once.
    let rows = html.matches("<tr data-flags=").count();
    assert_eq!(rows as u64, stats["entries"].as_u64().unwrap());
    let shown = format!("data-stat=\"findings\">{}<", stats["findings"]["total"]);
    assert!(html.contains(&shown), "the page lacks `{shown}`");
}
