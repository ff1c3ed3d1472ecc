//! Every entry of `fixtures/rules/KBnnn/` (a note, or a folder checked as a vault) is a test.
//!
//! Lines that must produce a finding end with `<!-- expect: KBnnn -->` (or a comment
//! `<!-- expect-line N: KBnnn -->` names the line, for front matter). The harness checks that the
//! findings are exactly the expected ones, that only the rule under test fires, that the JSON
//! is well-formed, and snapshots the human report, the JSON findings and the text after fixing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// (path, line, code) of every marker in the notes under `entry`.
fn expectations(entry: &Path, root: &Path) -> Vec<(String, u32, String)> {
    let mut files = vec![];
    if entry.is_dir() {
        for item in walk(entry) {
            files.push(item);
        }
    } else {
        files.push(entry.to_path_buf());
    }
    let mut out = vec![];
    for file in files
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "md"))
    {
        let rel = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for (i, line) in text.lines().enumerate() {
            for (marker, fixed_line) in [("<!-- expect: ", None), ("<!-- expect-line ", Some(()))] {
                let Some(at) = line.find(marker) else { continue };
                let rest = &line[at + marker.len()..];
                let rest = &rest[..rest.find("-->").unwrap()];
                let (number, codes) = match fixed_line {
                    None => (i as u32 + 1, rest),
                    Some(()) => {
                        let (n, codes) = rest.split_once(':').unwrap();
                        (n.trim().parse().unwrap(), codes)
                    }
                };
                for code in codes.split_whitespace() {
                    out.push((rel.clone(), number, code.to_owned()));
                }
            }
        }
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The rule a fixture tests, and the rules it runs with it (KB901 needs the rule it suppresses).
fn selection(code: &str) -> String {
    match code {
        "KB901" => "KB901,KB201,KB202,KB101".to_owned(),
        other => other.to_owned(),
    }
}

fn run(entry: &Path) -> String {
    let root = repo();
    let rel = entry
        .strip_prefix(&root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    let code = entry
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let select = selection(&code);
    let human = crate::kb(&root, &["check", &rel, "--select", &select, "--color", "never"]);
    let json = crate::kb(&root, &["check", &rel, "--select", &select, "--format", "json"]);
    let doc: Value = serde_json::from_slice(&json.stdout).expect("JSON output");
    let diagnostics = doc["diagnostics"].as_array().unwrap();

    // Findings = markers, and nothing but the rule under test.
    let mut found: Vec<(String, u32, String)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap() as u32,
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .filter(|(_, _, c)| *c == code)
        .collect();
    found.sort();
    assert_eq!(found, expectations(entry, &root), "findings of {rel}");
    for d in diagnostics {
        assert_eq!(d["code"], code.as_str(), "{rel}: only {code} may fire, got {d}");
    }
    let expected_exit = if diagnostics.iter().any(|d| d["severity"] == "error") {
        1
    } else {
        0
    };
    assert_eq!(json.status.code(), Some(expected_exit), "{rel}: exit code");

    // The text after applying every fix, per file.
    let mut edits: BTreeMap<String, Vec<kb_check_edit::Edit>> = BTreeMap::new();
    for d in diagnostics {
        if let Some(edits_json) = d["fix"]["edits"].as_array() {
            for e in edits_json {
                edits
                    .entry(d["path"].as_str().unwrap().to_owned())
                    .or_default()
                    .push(kb_check_edit::Edit {
                        start: e["start"].as_u64().unwrap() as usize,
                        end: e["end"].as_u64().unwrap() as usize,
                        replacement: e["replacement"].as_str().unwrap().to_owned(),
                    });
            }
        }
    }
    let mut after = String::new();
    for (path, edits) in &edits {
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        after.push_str(&format!(
            "--- {path} after fixing\n{}",
            kb_check_edit::apply(&text, edits)
        ));
    }
    let compact: Vec<String> = diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}-{}:{} {} {} {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["end_line"],
                d["end_column"],
                d["code"].as_str().unwrap(),
                d["severity"].as_str().unwrap(),
                d["fix"]["applicability"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    format!(
        "exit: {}\n--- human\n{}--- json\n{}\n{}",
        human.status.code().unwrap(),
        String::from_utf8_lossy(&human.stdout),
        compact.join("\n"),
        after
    )
}

/// A minimal edit applier for the test (independent of kb's own).
mod kb_check_edit {
    pub struct Edit {
        pub start: usize,
        pub end: usize,
        pub replacement: String,
    }

    pub fn apply(text: &str, edits: &[Edit]) -> String {
        let mut sorted: Vec<&Edit> = edits.iter().collect();
        sorted.sort_by_key(|e| e.start);
        let mut out = String::new();
        let mut at = 0;
        for e in sorted {
            assert!(e.start >= at, "overlapping edits");
            out.push_str(&text[at..e.start]);
            out.push_str(&e.replacement);
            at = e.end;
        }
        out.push_str(&text[at..]);
        out
    }
}

#[test]
fn rule_fixtures() {
    insta::glob!("../../../../fixtures/rules", "KB*/*", |path| {
        let entry = path.canonicalize().unwrap();
        insta::assert_snapshot!(run(&entry));
    });
}

#[test]
fn every_rule_has_a_triggering_and_a_clean_fixture() {
    let dir = repo().join("fixtures/rules");
    let output = crate::kb(&repo(), &["rules"]);
    let listing = String::from_utf8_lossy(&output.stdout).into_owned();
    for line in listing.lines() {
        let code = &line[..5];
        // KB001 needs an unreadable file: tested in check.rs and hostile.rs.
        if code == "KB001" {
            continue;
        }
        let entries: Vec<String> = std::fs::read_dir(dir.join(code))
            .unwrap_or_else(|_| panic!("no fixtures for {code}"))
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            entries.iter().any(|e| e.starts_with("clean")),
            "{code} has no clean fixture"
        );
        assert!(
            entries.iter().any(|e| !e.starts_with("clean")),
            "{code} has no triggering fixture"
        );
    }
}
