use kb_vocab::Vocabulary;

use super::*;

const COMPUTE: &str =
    "# 컴퓨팅\n\n## Amazon EC2\n- 가상 서버\n- 특징\n  - 크기 조정\n\n## Segemaker\n- 머신러닝 플랫폼\n\n## AWS Lambda\n";

/// Markup written as text (escaped in markdown, or in code) reaches the entries as `<`, `>`, `"`.
const SERVERLESS: &str = "## AWS Lambda\n- 서버리스 함수 \\<script>alert(1)\\</script>\n- 특징\n  - `\"><img src=x onerror=alert(2)>`\n  - 이벤트 &amp; 트리거\n";

fn finding(code: &str, rule: &str, severity: &str, line: u32) -> Finding {
    Finding {
        code: code.to_owned(),
        rule: rule.to_owned(),
        severity: severity.to_owned(),
        message: format!("`<b>{code}</b>` at line {line}"),
        line,
        column: 1,
    }
}

fn notes() -> (Vec<Note>, Vocabulary) {
    let vocab = Vocabulary::builtin();
    let notes = vec![
        kb_parse::parse("notes/compute.md", COMPUTE, &vocab).note,
        kb_parse::parse("notes/serverless.md", SERVERLESS, &vocab).note,
    ];
    (notes, vocab)
}

fn report(notes: &[Note], vocab: &Vocabulary) -> Report {
    let inputs = vec![
        NoteInput {
            path: "notes/compute.md",
            href: Some(file_url("/home/me/notes/compute.md")),
            note: Some(&notes[0]),
            findings: vec![
                finding("KB201", "misspelled-name", "error", 8),
                finding("KB101", "missing-field", "error", 11),
                finding("KB205", "unknown-service", "error", 11),
            ],
        },
        NoteInput {
            path: "notes/serverless.md",
            href: Some(file_url("/home/me/notes/serverless.md")),
            note: Some(&notes[1]),
            findings: vec![finding("KB302", "duplicate-across-notes", "warning", 1)],
        },
        NoteInput {
            path: "notes/locked.md",
            href: None,
            note: None,
            findings: vec![finding("KB001", "unreadable-file", "error", 1)],
        },
    ];
    build(inputs, vocab)
}

#[test]
fn stats_count_entries_coverage_duplicates_and_findings() {
    let (notes, vocab) = notes();
    let report = report(&notes, &vocab);
    let s = &report.stats;
    assert_eq!(s.notes, 3);
    assert_eq!(s.unreadable_notes, 1);
    // EC2, Segemaker, Lambda; Lambda again.
    assert_eq!(s.entries, 4);
    // EC2 and the second Lambda.
    assert_eq!(s.complete_entries, 2);
    assert_eq!(s.complete_percent, 50);
    assert_eq!(s.incomplete.missing_summary, 1);
    assert_eq!(s.incomplete.missing_features, 2);
    assert_eq!(s.incomplete.name_problem, 1);
    assert_eq!(s.incomplete.unknown_service, 0);
    // EC2, SageMaker (misspelled but resolved) and Lambda.
    assert_eq!(s.coverage.covered, 3);
    let total: usize = s.coverage.categories.iter().map(|c| c.total).sum();
    assert_eq!(s.coverage.total, total);
    let compute = s
        .coverage
        .categories
        .iter()
        .find(|c| c.category == "Compute")
        .expect("a Compute category");
    assert_eq!(compute.covered, 2);
    assert_eq!(compute.missing.len(), compute.total - 2);
    assert!(!compute.missing.iter().any(|m| m == "Amazon EC2"));
    assert_eq!(s.duplicated_services, 1);
    assert_eq!(report.duplicates[0].canonical, "AWS Lambda");
    assert_eq!(report.duplicates[0].places.len(), 2);
    assert_eq!(s.findings.total, 5);
    assert_eq!((s.findings.errors, s.findings.warnings), (4, 1));
    assert_eq!(s.findings.by_note[0].path, "notes/compute.md");
    assert_eq!(s.findings.by_note[0].count, 3);
}

#[test]
fn stats_json() {
    let (notes, vocab) = notes();
    let mut stats = report(&notes, &vocab).stats;
    // The vocabulary's lists of missing services would swamp the snapshot.
    for category in &mut stats.coverage.categories {
        category.missing.truncate(2);
    }
    stats.coverage.categories.retain(|c| c.covered > 0);
    insta::assert_json_snapshot!(stats);
}

#[test]
fn an_empty_knowledge_base_has_no_division_by_zero() {
    let vocab = Vocabulary::builtin();
    let report = build(Vec::new(), &vocab);
    assert_eq!(report.stats.entries, 0);
    assert_eq!(report.stats.complete_percent, 0);
    let html = render_html(&report, "empty");
    assert!(html.contains("No findings."));
    assert!(html.contains("No service has entries in more than one note."));
}

/// Takes `room` bytes, then fails as a full disk would.
struct FullAfter {
    room: usize,
    taken: Vec<u8>,
}

impl std::io::Write for FullAfter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.taken.len() + bytes.len() > self.room {
            return Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "disk full"));
        }
        self.taken.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_page_written_as_drawn_is_the_page_and_a_failing_writer_is_reported() {
    let (notes, vocab) = notes();
    let report = report(&notes, &vocab);
    let page = render_html(&report, "notes/");
    let mut whole = FullAfter {
        room: usize::MAX,
        taken: Vec::new(),
    };
    write_html(&mut whole, &report, "notes/").unwrap();
    assert_eq!(String::from_utf8(whole.taken).unwrap(), page);
    // A writer that fails part way: the error comes back (kb report then keeps the old page).
    let mut full = FullAfter {
        room: page.len() / 2,
        taken: Vec::new(),
    };
    let error = write_html(&mut full, &report, "notes/").unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::StorageFull);
}

#[test]
fn escape_makes_markup_text() {
    assert_eq!(
        escape("<script>alert(1)</script>"),
        "&lt;script&gt;alert(1)&lt;/script&gt;"
    );
    assert_eq!(
        escape("\"><img src=x onerror='a()'>"),
        "&quot;&gt;&lt;img src=x onerror=&#39;a()&#39;&gt;"
    );
    assert_eq!(escape("R&D &amp;"), "R&amp;D &amp;amp;");
    assert_eq!(escape("가상 서버\u{0}"), "가상 서버\u{FFFD}");
}

#[test]
fn file_urls_are_percent_encoded() {
    assert_eq!(
        file_url("/home/me/my notes/a.md"),
        "file:///home/me/my%20notes/a.md"
    );
    assert_eq!(
        file_url("/v/컴퓨팅.md"),
        "file:///v/%EC%BB%B4%ED%93%A8%ED%8C%85.md"
    );
    assert_eq!(file_url(r"C:\notes\a.md"), "file:///C:/notes/a.md");
    assert_eq!(file_url("/v/\"a'#?<b>.md"), "file:///v/%22a%27%23%3F%3Cb%3E.md");
}

#[test]
fn the_page_holds_note_text_only_escaped() {
    let (notes, vocab) = notes();
    let html = render_html(&report(&notes, &vocab), "notes/ <i>x</i>");
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>"));
    assert!(!html.contains("<i>x"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
    assert!(html.contains("이벤트 &amp; 트리거"));
    // One script element, the page's own, allowed by its hash.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("script-src 'sha256-"));
    assert!(!html.contains("unsafe-inline"));
}

#[test]
fn the_page_is_self_contained() {
    let (notes, vocab) = notes();
    let html = render_html(&report(&notes, &vocab), "notes/");
    assert!(!html.contains("http://"));
    assert!(!html.contains("https://"));
    assert!(!html.contains(" src=\""));
    assert!(html.contains("default-src 'none'"));
}

#[test]
fn the_page_shows_counts_and_links() {
    let (notes, vocab) = notes();
    let html = render_html(&report(&notes, &vocab), "notes/");
    assert!(html.contains("<span data-stat=\"covered\">3</span>"));
    assert!(html.contains("<span class=\"big\" data-stat=\"entries\">4</span>"));
    assert!(html.contains("<span data-stat=\"complete\">2</span>"));
    assert!(html.contains("<a href=\"file:///home/me/notes/compute.md#L3\">notes/<wbr>compute.md:3</a>"));
    assert!(html.contains("data-category=\"Compute\" data-covered=\"2\""));
    // The unreadable note has findings but no link.
    assert!(html.contains("notes/<wbr>locked.md:1</td>"));
    // The entries can be filtered by status and by text.
    assert!(html.contains("<select id=\"status-filter\">"));
    assert!(html.contains("<input id=\"text-filter\" type=\"search\""));
}

#[test]
fn the_content_security_policy_hashes_are_those_of_the_page() {
    let (notes, vocab) = notes();
    let html = render_html(&report(&notes, &vocab), "notes/");
    let script = html
        .split("<script>")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("a script");
    let style = html
        .split("<style>")
        .nth(1)
        .and_then(|s| s.split("</style>").next())
        .expect("a style");
    assert!(html.contains(&html::csp_hash(script)));
    assert!(html.contains(&html::csp_hash(style)));
}

#[test]
fn the_page_reads_nothing_of_what_the_slimmed_entries_lose() {
    // More features than the page shows, and tags: `keep_what_the_page_shows` drops the
    // sections, the tags and the text of the features past those shown.
    let long = "## AWS Lambda\n서버 없이 코드를 실행한다.\n\n- 하나\n- 둘\n- 셋\n- 넷\n- 다섯\n- 여섯\n- 일곱\n- 여덟\n\n### 요금\n- 요청 수\n- 실행 시간\n\n#serverless\n";
    let vocab = Vocabulary::builtin();
    let mut notes = vec![
        kb_parse::parse("notes/compute.md", COMPUTE, &vocab).note,
        kb_parse::parse("notes/lambda.md", long, &vocab).note,
    ];
    assert!(notes[1].entries[0].features.len() > SHOWN_FEATURES);
    let whole = serde_json::to_string(&report(&notes, &vocab)).unwrap();
    for entry in notes.iter_mut().flat_map(|n| &mut n.entries) {
        keep_what_the_page_shows(entry);
    }
    assert!(notes[1].entries[0].features[SHOWN_FEATURES].text.is_empty());
    assert_eq!(serde_json::to_string(&report(&notes, &vocab)).unwrap(), whole);
}

#[test]
fn a_service_in_many_notes_shows_the_first_few_side_by_side_and_counts_the_rest() {
    let vocab = Vocabulary::builtin();
    let many = SHOWN_PLACES + 3;
    let notes: Vec<Note> = (0..many)
        .map(|n| kb_parse::parse(&format!("notes/n{n:02}.md"), "## AWS Lambda\n- 함수\n", &vocab).note)
        .collect();
    let paths: Vec<String> = (0..many).map(|n| format!("notes/n{n:02}.md")).collect();
    let inputs = notes
        .iter()
        .zip(&paths)
        .map(|(note, path)| NoteInput {
            path,
            href: None,
            note: Some(note),
            findings: Vec::new(),
        })
        .collect();
    let report = build(inputs, &vocab);
    let lambda = &report.duplicates[0];
    assert_eq!(lambda.notes, many);
    assert_eq!(lambda.places.len(), SHOWN_PLACES);
    // The first notes, in note order.
    assert_eq!(lambda.places[0].path, "notes/n00.md");
    assert_eq!(
        lambda.places[SHOWN_PLACES - 1].path,
        format!("notes/n{:02}.md", SHOWN_PLACES - 1)
    );
    let html = render_html(&report, "notes/");
    assert!(html.contains(&format!("in {many} notes")));
    assert!(html.contains("and 3 more notes: <code>kb check --select KB302</code> lists every one."));
    let section = html
        .split("<section id=\"duplicates\">")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("a duplicates section");
    assert!(section.contains(&format!("n{:02}.md", SHOWN_PLACES - 1)));
    assert!(
        !section.contains(&format!("n{:02}.md", SHOWN_PLACES)),
        "a note past those shown is not side by side"
    );
}

#[test]
fn a_large_vault_lists_the_incomplete_entries_first_and_says_how_many_are_left_out() {
    let vocab = Vocabulary::builtin();
    let complete = "## AWS Lambda\n서버 없이 코드를 실행한다.\n\n- 이벤트\n\n";
    let mut text = complete.repeat(LISTED_ENTRIES);
    // Two incomplete entries, last in note order.
    text.push_str("## Amazon EC2\n\n## Amazon S3\n");
    let note = kb_parse::parse("notes/big.md", &text, &vocab).note;
    assert_eq!(note.entries.len(), LISTED_ENTRIES + 2);
    let inputs = vec![NoteInput {
        path: "notes/big.md",
        href: None,
        note: Some(&note),
        findings: Vec::new(),
    }];
    let report = build(inputs, &vocab);
    assert_eq!(report.stats.complete_entries, LISTED_ENTRIES);
    let html = render_html(&report, "notes/");
    assert!(html.contains(&format!(
        "The first {LISTED_ENTRIES} of {} entries the notes introduce, the incomplete ones first",
        LISTED_ENTRIES + 2
    )));
    assert_eq!(html.matches("<tr data-flags=").count(), LISTED_ENTRIES);
    let first_rows: Vec<&str> = html.split("<tr data-flags=").skip(1).take(3).collect();
    assert!(first_rows[0].contains("Amazon EC2") && first_rows[0].starts_with("\"incomplete"));
    assert!(first_rows[1].contains("Amazon S3") && first_rows[1].starts_with("\"incomplete"));
    assert!(first_rows[2].starts_with("\"complete"));
    assert!(html.contains(&format!("{LISTED_ENTRIES} of {LISTED_ENTRIES}</span> shown")));
}

#[test]
fn findings_past_those_the_page_lists_are_counted_and_not_kept() {
    let (notes, vocab) = notes();
    let many = LISTED_FINDINGS + 2;
    let inputs = vec![NoteInput {
        path: "notes/compute.md",
        href: None,
        note: Some(&notes[0]),
        findings: (0..many)
            .map(|n| finding("KB201", "misspelled-name", "error", n as u32 + 1))
            .collect(),
    }];
    let report = build(inputs, &vocab);
    assert_eq!(report.stats.findings.total, many);
    assert_eq!(report.stats.findings.by_note[0].count, many);
    assert_eq!(report.findings.len(), LISTED_FINDINGS);
    assert_eq!(
        report.findings[LISTED_FINDINGS - 1].finding.line,
        LISTED_FINDINGS as u32
    );
    let html = render_html(&report, "notes/");
    assert!(html.contains(&format!("The first {LISTED_FINDINGS} of {many} findings")));
}
