//! kb on the project's own sample notes: every finding is a problem planted on purpose
//! (`notes/PLANTED.tsv`), and every planted problem is found.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

#[test]
fn sample_notes_report_exactly_the_planted_problems() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let planted: BTreeSet<(String, u32)> = std::fs::read_to_string(root.join("notes/PLANTED.tsv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            (cells[0].to_owned(), cells[1].parse().unwrap())
        })
        .collect();
    let output = crate::kb(&root, &["check", "notes", "--select", "ALL", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: BTreeSet<(String, u32)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap() as u32,
            )
        })
        .collect();
    let unplanted: Vec<_> = found.difference(&planted).collect();
    assert!(
        unplanted.is_empty(),
        "findings that were not planted: {unplanted:?}"
    );
    let missed: Vec<_> = planted.difference(&found).collect();
    assert!(missed.is_empty(), "planted problems kb does not find: {missed:?}");
}
