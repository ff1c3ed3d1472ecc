//! Properties of the fix loop on generated notes full of name problems.

use std::sync::OnceLock;

use kb_check::fix::{fix, Outcome};
use kb_check::{AnchorStyle, Checker, Policy, Selection, Vault};
use kb_vocab::Vocabulary;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

struct World {
    vocab: Vocabulary,
    policy: Policy,
    vault: Vault,
    selection: Selection,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| World {
        vocab: Vocabulary::builtin(),
        policy: Policy::builtin(),
        vault: Vault::default(),
        selection: Selection::build(Some(&["ALL".to_owned()]), &[], &[], &[]).unwrap(),
    })
}

fn checker(w: &World) -> Checker<'_> {
    Checker {
        policy: &w.policy,
        vocab: &w.vocab,
        vault: &w.vault,
        anchor_style: AnchorStyle::Github,
        accepted_words: &[],
    }
}

fn run_fix(text: &str, unsafe_fixes: bool) -> (Outcome, usize) {
    let w = world();
    let checker = checker(w);
    let before = checker.check_text("note.md", text, &w.selection);
    let outcome = fix(text, unsafe_fixes, |t| {
        checker.check_text("note.md", t, &w.selection)
    });
    (outcome, before.entries)
}

/// Names with problems of every kind, and correct ones.
fn name() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(vec![
        "Segemaker",
        "Amazon Elastic Block Stroe",
        "Cloud Search",
        "AWS DynamoDB",
        "Amazon Lambda",
        "Amazon Elasticsearch Service",
        "AWS Single Sign-On",
        "Cloud Watch",
        "DynamoBD",
        "Amazon Kinesiss",
        "Amazon S3",
        "AWS Lambda",
        "세이지메이커",
        "Route53",
        "Amazon Redshfit",
        "AWS Cloud Trail",
    ])
}

fn note() -> impl Strategy<Value = String> {
    let block = (name(), name(), 0usize..5).prop_map(|(a, b, style)| match style {
        0 => format!("## {a}\n- {b}와 함께 쓰는 서비스\n- 특징\n\t1. {a}를 설정\n"),
        1 => format!("- **{a}**\n  - 설명: {b} 연동\n  - 두 번째\n"),
        2 => format!("### 2.1 {a}(설명)  *중요*\n{b}에서 데이터를 읽음\n"),
        3 => format!(
            "[{a}](#{})\n\n## {a}\n> [!Definition] {b} 요약\n",
            a.to_lowercase().replace(' ', "-")
        ),
        _ => format!("| {a} | {b} |\n|---|---|\n| x | y |\n\n`{a}` in code, {b} in prose.\n"),
    });
    (
        proptest::collection::vec(block, 1..6),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(blocks, crlf, bom)| {
            let mut text = String::from(if bom { "\u{FEFF}" } else { "" });
            text.push_str("# 메모\n\n");
            text.push_str(&blocks.join("\n"));
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            text
        })
}

/// Only lines that an applied edit touched change; line endings and the BOM stay.
fn only_edited_lines_change(original: &str, outcome: &Outcome) -> Result<(), String> {
    // Replay the passes: each pass's edits apply to the text the pass before produced.
    let mut touched = std::collections::BTreeSet::new();
    let mut text = original.to_owned();
    for pass in 1..=outcome.passes {
        let edits: Vec<kb_check::Edit> = outcome
            .applied
            .iter()
            .filter(|a| a.pass == pass)
            .flat_map(|a| a.edits.clone())
            .collect();
        let index = kb_model::LineIndex::new(&text);
        touched.extend(edits.iter().map(|e| index.line(e.start)));
        let (next, skipped) = kb_check::apply_edits(&text, &edits);
        if !skipped.is_empty() {
            return Err(format!("pass {pass} had overlapping edits"));
        }
        text = next;
    }
    if text != outcome.text {
        return Err("replaying the applied edits does not give the fixed text".to_owned());
    }
    let original_lines: Vec<&str> = original.split_inclusive('\n').collect();
    let fixed_lines: Vec<&str> = outcome.text.split_inclusive('\n').collect();
    if original_lines.len() != fixed_lines.len() {
        return Err(format!(
            "line count changed: {} -> {}",
            original_lines.len(),
            fixed_lines.len()
        ));
    }
    if original.starts_with('\u{FEFF}') != outcome.text.starts_with('\u{FEFF}') {
        return Err("the BOM changed".to_owned());
    }
    for (i, (a, b)) in original_lines.iter().zip(&fixed_lines).enumerate() {
        let ending = |s: &str| {
            if s.ends_with("\r\n") {
                "\r\n"
            } else if s.ends_with('\n') {
                "\n"
            } else {
                ""
            }
        };
        if ending(a) != ending(b) {
            return Err(format!("line {} changed its line ending", i + 1));
        }
        if a != b && !touched.contains(&(i as u32 + 1)) {
            return Err(format!("line {} changed without an edit: {a:?} -> {b:?}", i + 1));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn fixing_twice_is_fixing_once(text in note(), unsafe_fixes in any::<bool>()) {
        let (once, _) = run_fix(&text, unsafe_fixes);
        let (twice, _) = run_fix(&once.text, unsafe_fixes);
        prop_assert_eq!(&twice.text, &once.text, "a second fix changed the text");
        prop_assert!(twice.applied.is_empty());
    }

    #[test]
    fn fixes_touch_only_their_lines_and_keep_every_entry(text in note()) {
        let (outcome, entries_before) = run_fix(&text, true);
        if let Err(message) = only_edited_lines_change(&text, &outcome) {
            return Err(TestCaseError::fail(message));
        }
        let entries_after = kb_parse::parse("note.md", &outcome.text, &world().vocab).note.entries.len();
        prop_assert!(entries_after >= entries_before, "entries {entries_before} -> {entries_after}");
    }
}

/// The generated notes with suppression comments put in: for named rules, every rule, the
/// whole file, rules that find nothing there.
fn note_with_comments() -> impl Strategy<Value = String> {
    let comment = proptest::sample::select(vec![
        "<!-- kb-ignore KB201 -->",
        "<!-- kb-ignore misspelled-name -->",
        "<!-- kb-ignore -->",
        "<!-- kb-ignore-file KB202 -->",
        "<!-- kb-ignore KB204, KB401 -->",
        "<!-- kb-ignore-file outdated-name KB205 -->",
    ]);
    (note(), proptest::collection::vec((0usize..40, comment), 0..4)).prop_map(|(text, comments)| {
        let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
        for (at, comment) in comments {
            let at = at % lines.len();
            // At the end of a line, or on a line of its own (then it covers the next line).
            if at.is_multiple_of(2) {
                lines[at].push(' ');
                lines[at].push_str(comment);
            } else {
                lines.insert(at, comment.to_owned());
            }
        }
        lines.join("\n")
    })
}

/// A selection as `--select` makes it: rules, prefixes, `ALL`, unused suppressions or not.
fn selection() -> impl Strategy<Value = Selection> {
    let selector = proptest::sample::select(vec![
        "KB1", "KB2", "KB201", "KB202", "KB203", "KB204", "KB205", "KB3", "KB302", "KB4", "KB901", "ALL",
    ]);
    proptest::collection::vec(selector, 0..4).prop_map(|selectors| {
        let selectors: Vec<String> = selectors.into_iter().map(str::to_owned).collect();
        Selection::build(Some(&selectors), &[], &[], &[]).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Leaving out the checks of rules that are off changes no finding of a rule that is on,
    /// nor which suppressions count as used.
    #[test]
    fn rules_left_out_change_no_finding(text in note_with_comments(), selection in selection()) {
        let w = world();
        let checker = checker(w);
        let parsed = kb_parse::parse("note.md", &text, &w.vocab);
        let suppressions = kb_check::suppression::find(&text, &parsed.line_index);
        let every = kb_check::finish_note(
            checker.check_note(&parsed, &text),
            &suppressions,
            &|offset| parsed.line_index.line(offset),
            "note.md",
            &selection,
        );
        let needed = checker.check_text("note.md", &text, &selection).diagnostics;
        prop_assert_eq!(needed, every);
    }
}

/// The generated notes really exercise the fixer: most of them get edits.
#[test]
fn most_generated_notes_are_fixed() {
    let mut runner = TestRunner::new(Config::default());
    let strategy = note();
    let (mut fixed, mut total) = (0, 0);
    for _ in 0..40 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        total += 1;
        if !run_fix(&text, true).0.applied.is_empty() {
            fixed += 1;
        }
    }
    assert!(
        fixed * 10 >= total * 7,
        "only {fixed} of {total} generated notes had a fix"
    );
}
