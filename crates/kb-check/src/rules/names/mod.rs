//! Name rules: an entry's name checked against the vocabulary. The schema routing reports them
//! (`canonical` must be a string, `name_problem` must be null); this module builds the finding
//! and its fix.

pub mod misspelled_name;
pub mod name_casing;
pub mod non_canonical_name;
pub mod outdated_name;
pub mod unknown_service;

use kb_model::{Entry, EntryKind, NameProblemKind};
use kb_vocab::{Found, NameKind, Position, Vocabulary};

use crate::diagnostic::{Applicability, Edit, Fix};
use crate::registry::RuleMeta;
use crate::Diagnostic;

/// The finding for an entry whose name has a problem, with a fix when the name stands in the
/// file as one piece of text.
pub fn entry_name_diagnostic(entry: &Entry, text: &str, vocab: &Vocabulary) -> Option<Diagnostic> {
    let problem = entry.name_problem.as_ref()?;
    let span = entry.source.name_span;
    // A note named after its service (`Outpost.md`): the name is in no line of the note, so the
    // finding says where it is (it points at the start of the body).
    let from_file_name = entry.kind == EntryKind::File && span.is_empty();
    let subject = if from_file_name {
        format!("The file name `{}`", entry.name)
    } else {
        format!("`{}`", entry.name)
    };
    let (meta, message, applicability): (&RuleMeta, String, Applicability) = match problem.kind {
        NameProblemKind::Misspelled => {
            // A misspelling the vocabulary records is safe to fix; a guess is not.
            let recorded = matches!(
                vocab.resolve_name(&entry.name),
                Found::Match(m) if m.kind == NameKind::Misspelling
            );
            (
                &misspelled_name::MisspelledName::META,
                format!("{subject} is not a known service name"),
                if recorded {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                },
            )
        }
        NameProblemKind::NonCanonical => (
            &non_canonical_name::NonCanonicalName::META,
            non_canonical_message(&subject, &entry.name, &problem.suggestion),
            Applicability::Safe,
        ),
        NameProblemKind::Outdated => (
            &outdated_name::OutdatedName::META,
            format!("{subject} is a former name"),
            Applicability::Safe,
        ),
        NameProblemKind::Casing => (
            &name_casing::NameCasing::META,
            format!("{subject} is written in the wrong case"),
            Applicability::Safe,
        ),
    };
    let canonical = entry.canonical.as_deref().unwrap_or_default();
    let label = if from_file_name {
        format!("named by the file name: did you mean `{}`?", problem.suggestion)
    } else {
        format!("did you mean `{}`?", problem.suggestion)
    };
    let mut diagnostic = Diagnostic::new(meta, &entry.source.path, span, message).with_label(label);
    if problem.kind == NameProblemKind::Outdated && !canonical.is_empty() {
        diagnostic = diagnostic.with_help(format!("The service is now called `{canonical}`"));
    } else if !canonical.is_empty() && canonical != problem.suggestion {
        diagnostic = diagnostic.with_help(format!("The canonical name is `{canonical}`"));
    }
    // A name interrupted by markup (`**Amazon** S3`) has no single span to replace.
    if text.get(span.as_range()) == Some(entry.name.as_str()) {
        diagnostic = diagnostic.with_fix(Fix {
            title: format!("Replace with `{}`", problem.suggestion),
            applicability,
            edits: vec![Edit {
                start: span.start,
                end: span.end,
                replacement: problem.suggestion.clone(),
            }],
        });
    }
    Some(diagnostic)
}

/// The letters and digits of a name, lower case: what is left when spacing and punctuation
/// are set aside.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Say what is off: the vendor prefix, the spacing, or the form of the name `written`, which the
/// message calls `subject`.
fn non_canonical_message(subject: &str, written: &str, suggestion: &str) -> String {
    let first_word = |s: &str| s.split_whitespace().next().unwrap_or_default().to_lowercase();
    let rest = |s: &str| {
        s.split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let prefixes = ["amazon", "aws"];
    if prefixes.contains(&first_word(written).as_str())
        && prefixes.contains(&first_word(suggestion).as_str())
        && first_word(written) != first_word(suggestion)
        && rest(written) == rest(suggestion)
    {
        return format!("{subject} has the wrong vendor prefix (AWS writes `{suggestion}`)");
    }
    if squash(written) == squash(suggestion) {
        return format!("{subject} is spaced differently from the service name `{suggestion}`");
    }
    format!("{subject} is not the service's name as AWS writes it")
}

/// The finding for a name problem found in running text.
fn prose_diagnostic(
    path: &str,
    text: &str,
    span: kb_model::Span,
    found: &kb_vocab::NameMatch,
    vocab: &Vocabulary,
) -> Option<Diagnostic> {
    let (kind, suggestion) = found.problem.as_ref()?;
    let written = text.get(span.as_range())?;
    // An all-lower-case word in prose may be an ordinary word (`athena`, `shield`), and
    // `aws s3` in lower case is a command, not a name.
    let lower_start = written.chars().next().is_some_and(char::is_lowercase);
    // `Ram`, `Workspaces`, `Amis`: ordinary words that differ from a name only in case.
    let short_form = {
        let stem = suggestion.strip_suffix('s').unwrap_or(suggestion);
        stem.chars().count() >= 2 && stem.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
    };
    let word_like = matches!(found.kind, NameKind::Word | NameKind::Abbreviation) || short_form;
    // `AWS Organization` in prose is usually an organization, `Amazon VPCs` several VPCs: a
    // singular or plural is only a name problem in a heading or label.
    let (w, g) = (squash(written), squash(suggestion));
    let number_only = w.strip_suffix('s') == Some(g.as_str()) || g.strip_suffix('s') == Some(w.as_str());
    match kind {
        NameProblemKind::NonCanonical if number_only => return None,
        NameProblemKind::Casing if !written.chars().any(char::is_uppercase) || word_like => return None,
        NameProblemKind::NonCanonical | NameProblemKind::Outdated if lower_start => return None,
        _ => {}
    }
    let service = vocab.service(found.service);
    let entry = Entry {
        id: Some(service.id.clone()),
        name: written.to_owned(),
        canonical: Some(service.name.clone()),
        name_problem: Some(kb_model::NameProblem {
            kind: *kind,
            suggestion: suggestion.clone(),
        }),
        expansion: None,
        category: None,
        kind: kb_model::EntryKind::Heading,
        comparison: false,
        summary: None,
        features: Vec::new(),
        sections: Vec::new(),
        tags: Vec::new(),
        source: kb_model::Source {
            path: path.to_owned(),
            line: 1,
            column: 1,
            end_line: 1,
            name_span: span,
            span,
        },
    };
    entry_name_diagnostic(&entry, text, vocab)
}

/// Whether `span` overlaps one of `sorted` (sorted by start; spans in it do not overlap each
/// other, or barely do).
fn overlaps_any(sorted: &[kb_model::Span], span: kb_model::Span) -> bool {
    let at = sorted.partition_point(|s| s.start < span.end);
    // Only spans that start before `span` ends can overlap it; the last few of them suffice.
    sorted[..at].iter().rev().take(4).any(|s| span.start < s.end)
}

/// Whether `text[start..end]` is all there is inside a pair of brackets, markup aside:
/// `Default event bus (CloudWatch Events)`, `Identity Center(**AWS Single Sign-On**)`. A former
/// name alone in brackets is an aside saying what something was called, not a slip.
fn in_brackets_alone(text: &str, start: usize, end: usize) -> bool {
    let markup = |c: char| c == '*' || c == '_' || c == ' ';
    text[..start].trim_end_matches(markup).ends_with('(')
        && text[end..].trim_start_matches(markup).starts_with(')')
}

/// Words that say a name changed: a former name next to them is history.
const HISTORY_WORDS: &[&str] = &[
    "formerly",
    "previously",
    "renamed",
    "rebranded",
    "known as",
    "now called",
    "old name",
    "legacy",
    "이전 이름",
    "예전",
    "구 명칭",
    "(구",
    "이름이 바뀌",
    "이름이 변경",
    "명칭 변경",
    "바뀌었",
    "변경되었",
    "replace",
    "successor",
    "evolution",
    "predecessor",
    "기존",
    "대체",
    "후속",
];

/// `Route53`, `Cloud9`: letters and digits in one word.
fn has_letters_and_digits(word: &str) -> bool {
    // On bytes: an ASCII byte in UTF-8 is always that ASCII character.
    let bytes = word.as_bytes();
    bytes.len() >= 5 && bytes.iter().any(u8::is_ascii_alphabetic) && bytes.iter().any(u8::is_ascii_digit)
}

/// Where `b` differs from `a` (ignoring ASCII case) when they differ by one letter added,
/// dropped, changed or swapped with its neighbour: the bytes of `b` the slip touched (empty for
/// a letter `a` has more). `Segemaker`/`SageMaker` (`1..2`), not `Healthcare`/`HealthLake`.
fn one_slip_apart(a: &str, b: &str) -> Option<std::ops::Range<usize>> {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let same_start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let same_end = a[same_start..]
        .iter()
        .rev()
        .zip(b[same_start..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_rest, b_rest) = (
        &a[same_start..a.len() - same_end],
        &b[same_start..b.len() - same_end],
    );
    let one = match (a_rest.len(), b_rest.len()) {
        (1, 1) | (0, 1) | (1, 0) => true,
        (2, 2) => a_rest[0] == b_rest[1] && a_rest[1] == b_rest[0],
        _ => false,
    };
    one.then(|| same_start..b.len() - same_end)
}

/// Whether `word` is a slip of the camel-case `name` that keeps its humps: the first letter and
/// each capital (`S` and `M` of `SageMaker`) stand as they are. English words one letter from
/// a name change a hump (`Mediative` for `MediaLive`); a slip of the name rarely does.
fn slip_of_camel_name(word: &str, name: &str) -> bool {
    is_camel(name)
        && one_slip_apart(word, name)
            .is_some_and(|slip| slip.start > 0 && !name.as_bytes()[slip].iter().any(u8::is_ascii_uppercase))
}

/// `Segemaker`: a capital, then seven or more lower-case ASCII letters.
fn is_long_capitalised_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() >= 8 && bytes[0].is_ascii_uppercase() && bytes[1..].iter().all(u8::is_ascii_lowercase)
}

fn is_latin_capitalised(word: &str) -> bool {
    // Asked of every word kept in prose: its first byte is its first character when ASCII.
    word.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
}

/// `DynamoBD`, `CloudFromation`: a capital after a lower-case letter marks a product name.
fn is_camel(word: &str) -> bool {
    // Asked of most words of a note: bytes, no allocation.
    let bytes = word.as_bytes();
    bytes.iter().all(u8::is_ascii_alphanumeric)
        && bytes
            .windows(2)
            .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
}

/// Byte ranges of URLs in `text` (`https://…`, `www.…`), where names are not checked.
pub(crate) fn url_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    url_ranges_among(text, &UrlMarkers::find(text), 0)
}

/// The URL markers searched for: a URL runs from the blank before one to the blank after.
const URL_MARKERS: [&str; 2] = ["://", "www."];

/// Where each of [`URL_MARKERS`] stands in a note, searched for once for the whole note
/// rather than once per run of text (a note has a hundred runs or more; most hold no URL).
pub(crate) struct UrlMarkers([Vec<usize>; 2]);

impl UrlMarkers {
    pub(crate) fn find(text: &str) -> UrlMarkers {
        // Each marker is searched for with memchr's vectorised search, its searcher built
        // once per run of kb.
        static FINDERS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 2]> =
            std::sync::LazyLock::new(|| URL_MARKERS.map(memchr::memmem::Finder::new));
        UrlMarkers(
            FINDERS
                .each_ref()
                .map(|finder| finder.find_iter(text.as_bytes()).collect()),
        )
    }
}

/// The URLs of `slice`, the text from byte `base` of the note whose markers are `markers`,
/// as ranges of `slice`: what searching `slice` alone for the markers finds.
pub(crate) fn url_ranges_among(
    slice: &str,
    markers: &UrlMarkers,
    base: usize,
) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for (marker, found) in URL_MARKERS.iter().zip(&markers.0) {
        // The markers wholly inside `slice`, as offsets into it.
        let first = found.partition_point(|&at| at < base);
        let inside = found[first..]
            .iter()
            .map(|&at| at - base)
            .take_while(|&at| at + marker.len() <= slice.len());
        let mut from = 0;
        for at in inside {
            if at < from {
                continue;
            }
            let url = url_around(slice, at);
            from = url.end.max(at + marker.len());
            out.push(url);
        }
    }
    out
}

/// The URL of `text` whose marker is at `at`: from the blank or `(` before it to the blank or
/// `)` after it.
fn url_around(text: &str, at: usize) -> std::ops::Range<usize> {
    let start = text[..at]
        .rfind(|c: char| c.is_whitespace() || c == '(')
        .map_or(0, |i| i + 1);
    let end = text[at..]
        .find(|c: char| c.is_whitespace() || c == ')')
        .map_or(text.len(), |i| at + i);
    start..end
}

/// Service names with a problem in the note's running text (headings, paragraphs, list items,
/// table cells, link text). Entry names are left out: the schema routing reports them.
pub fn prose_diagnostics(parsed: &kb_parse::Parsed, text: &str, vocab: &Vocabulary) -> Vec<Diagnostic> {
    use kb_model::Span;
    use kb_vocab::tokens::tokenize;

    let path = parsed.note.path.as_str();
    let mut entry_names: Vec<Span> = parsed.note.entries.iter().map(|e| e.source.name_span).collect();
    entry_names.sort();
    let overlaps_entry = |span: Span| overlaps_any(&entry_names, span);
    let mut out: Vec<Diagnostic> = Vec::new();
    // Reported spans, kept sorted: a name is reported once whichever path found it.
    let mut seen: Vec<Span> = Vec::new();
    let mut report = |span: Span, found: &kb_vocab::NameMatch, out: &mut Vec<Diagnostic>| {
        if overlaps_entry(span) || overlaps_any(&seen, span) {
            return;
        }
        if let Some(d) = prose_diagnostic(path, text, span, found, vocab) {
            let at = seen.partition_point(|s| *s < span);
            seen.insert(at, span);
            out.push(d);
        }
    };
    // `Amazon EMR (Elastic MapReduce)`, `IAM Identity Center(**AWS SSO**)`, `기존의 X를 대체`: a
    // former name on a line that also names the service otherwise, or that speaks of the
    // rename, is history, not a slip. The context is the whole line: bold splits runs.
    let runs = &parsed.runs;
    // Only the words a name can be made of: most words of a note are passed over unread. The
    // runs' tokens share one buffer (a note has a hundred runs or more, most of a few words);
    // run `r`'s tokens are `tokens[ends[r - 1]..ends[r]]`. Sized for a kept word per 10
    // bytes, more than most notes hold (a fifth of the generated notes outgrew one per 16,
    // and a grown buffer is copied whole).
    let mut all_tokens = Vec::with_capacity(text.len() / 10);
    let ends: Vec<usize> = runs
        .iter()
        .map(|run| {
            vocab.prose_tokens_into(&text[run.span.as_range()], &mut all_tokens);
            all_tokens.len()
        })
        .collect();
    let lines = &parsed.line_index;
    // Per line: services named otherwise, words about a rename, former names written. Only a
    // former name asks for it, so it is worked out for that line only, when one is found.
    type Context = (Vec<kb_vocab::ServiceId>, bool, Vec<(kb_vocab::ServiceId, String)>);
    // Each run's line, worked out only when a former name asks for a line's context.
    let run_lines = std::cell::OnceCell::new();
    let run_lines = || -> &Vec<u32> {
        run_lines.get_or_init(|| runs.iter().map(|run| lines.line(run.span.start)).collect())
    };
    let line_context = |line: u32| -> Context {
        let mut context: Context = Default::default();
        for (run, _) in runs.iter().zip(run_lines()).filter(|(_, l)| **l == line) {
            let slice = &text[run.span.as_range()];
            // Every word: as names, `Cloud Search` is read as `CloudSearch` whatever its words.
            for m in vocab.find_names_in(slice, &tokenize(slice), Position::Name) {
                if !matches!(m.problem, Some((NameProblemKind::Outdated, _))) {
                    context.0.push(m.service);
                } else {
                    let key = (m.service, slice[m.span.clone()].to_lowercase());
                    if !context.2.contains(&key) {
                        context.2.push(key);
                    }
                }
            }
            let lower = slice.to_lowercase();
            context.1 |= HISTORY_WORDS.iter().any(|w| lower.contains(w));
        }
        // A heading entry's own former name and its bracketed short form (`AWS Single
        // Sign-On(AWS SSO)`): the entry's finding covers the line.
        for entry in parsed.note.entries.iter().filter(|e| e.source.line == line) {
            if let Some(id) = entry.id.as_deref().and_then(|id| vocab.by_id(id)) {
                context.0.push(id);
            }
        }
        context
    };
    let mut contexts: std::collections::HashMap<u32, Context> = std::collections::HashMap::new();
    let url_markers = UrlMarkers::find(text);
    // Most notes hold no URL at all: no run of theirs is asked.
    let any_url = url_markers.0.iter().any(|found| !found.is_empty());
    // A run's names, and the spans they cover, in text order; one buffer each for all runs.
    let mut names: Vec<kb_vocab::NameMatch> = Vec::new();
    let mut covered: Vec<std::ops::Range<usize>> = Vec::new();
    for (r, run) in runs.iter().enumerate() {
        let tokens = &all_tokens[r.checked_sub(1).map_or(0, |p| ends[p])..ends[r]];
        // A run without a word a name can be made of has nothing to report.
        if tokens.is_empty() {
            continue;
        }
        let base = run.span.start;
        let slice = &text[run.span.as_range()];
        // Worked out when first asked: most runs have no name and no word worth a look.
        let urls = std::cell::OnceCell::new();
        let in_url = |r: &std::ops::Range<usize>| {
            any_url
                && urls
                    .get_or_init(|| url_ranges_among(slice, &url_markers, base))
                    .iter()
                    .any(|u| u.start <= r.start && r.end <= u.end)
        };
        covered.clear();
        // `names` is empty here: each run's names are drained below.
        vocab.find_names_into(slice, tokens, Position::Prose, &mut names);
        for found in names.drain(..) {
            if in_url(&found.span) {
                continue;
            }
            let mut is_history = |found: &kb_vocab::NameMatch| {
                let line = run_lines()[r];
                let (current, history, former) = &*contexts.entry(line).or_insert_with(|| line_context(line));
                // Two former names of one service on a line (`Service Health Dashboard` and
                // `Personal Health Dashboard`) are being told apart: renaming both would merge
                // them.
                let contrasted = former.iter().filter(|(s, _)| *s == found.service).count() > 1;
                *history || current.contains(&found.service) || contrasted
            };
            let outdated = matches!(found.problem, Some((NameProblemKind::Outdated, _)));
            if outdated
                && (in_brackets_alone(text, base + found.span.start, base + found.span.end)
                    || is_history(&found))
            {
                covered.push(found.span.clone());
                continue;
            }
            covered.push(found.span.clone());
            report(
                Span::new(base + found.span.start, base + found.span.end),
                &found,
                &mut out,
            );
        }
        // Names find_names cannot see in prose, tried only where a name is clearly meant.
        // find_names returns its matches in text order, so `covered` is sorted.
        let is_covered = |r: &std::ops::Range<usize>| {
            let at = covered.partition_point(|c| c.end <= r.start);
            covered.get(at).is_some_and(|c| c.start < r.end)
        };
        let mut i = 0;
        while i < tokens.len() {
            let token = &tokens[i];
            let here = token.start..token.end;
            let word = &slice[here.clone()];
            // Only a capitalised or product-shaped word is looked at below.
            let capitalised = is_latin_capitalised(word);
            // Asked only when needed: most words are lower case and end the question here.
            let product_shaped = || is_camel(word) || has_letters_and_digits(word);
            if !(capitalised || product_shaped()) || is_covered(&here) || in_url(&here) {
                i += 1;
                continue;
            }
            let next_gap_ok = |j: usize| {
                tokens.get(j).is_some_and(|t| {
                    let gap = &slice[tokens[j - 1].end..t.start];
                    gap == " " && is_latin_capitalised(&slice[t.start..t.end])
                })
            };
            let mut advanced = false;
            // `Amazon Transcirbe`, `AWS Cloud Trail`: a vendor prefix, then capitalised words.
            if capitalised && vocab.is_vendor_prefix_folded(&token.folded) {
                let mut last = i;
                while last < i + 3 && next_gap_ok(last + 1) {
                    last += 1;
                }
                for end in (i + 1..=last).rev() {
                    let range = tokens[i].start..tokens[end].end;
                    if let kb_vocab::Found::Match(mut found) = vocab.resolve_name(&slice[range.clone()]) {
                        if found.problem.is_some() {
                            found.span = range.clone();
                            report(Span::new(base + range.start, base + range.end), &found, &mut out);
                            i = end + 1;
                            advanced = true;
                            break;
                        }
                    }
                }
            } else if capitalised && next_gap_ok(i + 1) {
                // `Cloud Watch`, `Dynamo DB`: the right letters, spaced wrongly.
                let range = tokens[i].start..tokens[i + 1].end;
                if let kb_vocab::Found::Match(mut found) = vocab.resolve_known(&slice[range.clone()]) {
                    if found
                        .problem
                        .as_ref()
                        .is_some_and(|(k, _)| *k == NameProblemKind::NonCanonical)
                    {
                        found.span = range.clone();
                        report(Span::new(base + range.start, base + range.end), &found, &mut out);
                        i += 2;
                        advanced = true;
                    }
                }
            }
            if !advanced && product_shaped() {
                // `DynamoBD`: a product-shaped word that is a near miss of one name.
                if let kb_vocab::Found::Match(mut found) = vocab.resolve_name(word) {
                    found.span = here.clone();
                    report(Span::new(base + here.start, base + here.end), &found, &mut out);
                }
            } else if !advanced && is_long_capitalised_word(word) {
                // `Segemaker is great`: a capitalised word one slip from a coined name. Only a
                // camel-case name is guessed (`SageMaker`, `CloudFormation`), with its humps
                // kept: `Translated` is never taken for `Translate`, nor `Mediative` for
                // `MediaLive`.
                if let kb_vocab::Found::Match(mut found) = vocab.resolve_name(word) {
                    let coined = matches!(
                        &found.problem,
                        Some((NameProblemKind::Misspelled, suggestion))
                            if suggestion.split(' ').any(|name| slip_of_camel_name(word, name))
                    );
                    if coined {
                        found.span = here.clone();
                        report(Span::new(base + here.start, base + here.end), &found, &mut out);
                    }
                }
            }
            if !advanced {
                i += 1;
            }
        }
    }
    out
}

/// Words that make `AWS …` a concept, a programme or a document rather than a service.
const NOT_A_SERVICE: &[&str] = &[
    "account",
    "accounts",
    "architecture",
    "basics",
    "best",
    "billing",
    "blog",
    "certification",
    "certified",
    "cli",
    "cloud",
    "community",
    "compliance",
    "concepts",
    "console",
    "core",
    "credits",
    "customer",
    "documentation",
    "edge",
    "exam",
    "free",
    "fundamentals",
    "global",
    "infrastructure",
    "intro",
    "introduction",
    "learning",
    "locations",
    "model",
    "network",
    "overview",
    "partner",
    "partners",
    "policy",
    "practices",
    "practitioner",
    "pricing",
    "region",
    "regions",
    "responsibility",
    "security",
    "services",
    "service",
    "shared",
    "skill",
    "solutions",
    "summary",
    "support",
    "tier",
    "training",
    "web",
    "well",
    "whitepaper",
    "whitepapers",
    "zone",
    "zones",
    "ai",
    "ml",
    "iot",
    "api",
    "apis",
    "sdks",
    "managed",
    "management",
    "abuse",
    "sizing",
    "rules",
    "policies",
    "types",
    "benefits",
    "features",
    "limits",
    "quotas",
    "use",
    "cases",
    "example",
    "examples",
];

/// KB205: a heading that is a vendor prefix and a capitalised name the vocabulary does not
/// know (`## Amazon Nova`): a service missing from the vocabulary, or a wrong name.
pub fn unknown_service_diagnostics(
    parsed: &kb_parse::Parsed,
    text: &str,
    vocab: &Vocabulary,
) -> Vec<Diagnostic> {
    use kb_vocab::tokens::tokenize;
    let mut out = Vec::new();
    for heading in &parsed.headings {
        let words: Vec<&str> = heading.text.split_whitespace().collect();
        let [prefix, rest @ ..] = words.as_slice() else {
            continue;
        };
        if rest.is_empty()
            || rest.len() > 3
            || !vocab.is_vendor_prefix(prefix)
            || !is_latin_capitalised(prefix)
        {
            continue;
        }
        let plain = |w: &&str| {
            w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && is_latin_capitalised(w)
                && !NOT_A_SERVICE.contains(&w.to_ascii_lowercase().as_str())
        };
        if !rest.iter().all(plain) {
            continue;
        }
        let name = words.join(" ");
        // `Amazon CloudWatch Alarms`, `AWS Outposts Benefits`: a known service and an aspect.
        if !matches!(vocab.resolve_name(&name), kb_vocab::Found::Unknown)
            || !vocab.find_names(&name, Position::Name).is_empty()
        {
            continue;
        }
        // Point at the name as written in the heading line.
        let Some(line) = text.get(heading.span.as_range()) else {
            continue;
        };
        let tokens = tokenize(line);
        let Some(first) = tokens
            .iter()
            .position(|t| vocab.is_vendor_prefix(&line[t.start..t.end]))
        else {
            continue;
        };
        let Some(last) = tokens.get(first + rest.len()) else {
            continue;
        };
        let span = kb_model::Span::new(
            heading.span.start + tokens[first].start,
            heading.span.start + last.end,
        );
        if text.get(span.as_range()) != Some(name.as_str()) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &unknown_service::UnknownService::META,
                &parsed.note.path,
                span,
                format!("`{name}` is not in the vocabulary"),
            )
            .with_label("unknown service")
            .with_help("If it is a real service, add it to the vocabulary or as an alias in `kb.toml`"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The edit distance the plain way (adjacent swaps count one), on lower-cased bytes.
    fn distance(a: &str, b: &str) -> usize {
        let (a, b) = (
            a.to_ascii_lowercase().into_bytes(),
            b.to_ascii_lowercase().into_bytes(),
        );
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                }
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn one_slip_is_one_letter_added_dropped_changed_or_swapped() {
        assert_eq!(one_slip_apart("Segemaker", "SageMaker"), Some(1..2));
        assert_eq!(one_slip_apart("Cloudformaton", "CloudFormation"), Some(11..12));
        assert_eq!(one_slip_apart("Cloudfromation", "CloudFormation"), Some(6..8));
        assert_eq!(one_slip_apart("Healthcare", "HealthLake"), None);
        assert_eq!(one_slip_apart("SageMaker", "SageMaker"), None);
    }

    #[test]
    fn a_slip_of_a_camel_name_keeps_its_humps() {
        assert!(slip_of_camel_name("Segemaker", "SageMaker"));
        assert!(slip_of_camel_name("Cloudformaton", "CloudFormation"));
        // The second hump's capital changed: an English word, not a slip.
        assert!(!slip_of_camel_name("Mediative", "MediaLive"));
        // The first letter changed.
        assert!(!slip_of_camel_name("Wagemaker", "SageMaker"));
        // Not a camel-case name.
        assert!(!slip_of_camel_name("Translated", "Translate"));
    }

    /// URLs found by searching `text` itself for each marker, a match at a time (as kb did
    /// before it searched a whole note once): what the markers found once for a whole note must
    /// give for any part of it.
    fn url_ranges_searched(text: &str) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        for marker in URL_MARKERS {
            let mut from = 0;
            while let Some(at) = text[from..].find(marker) {
                let at = from + at;
                let url = url_around(text, at);
                from = url.end.max(at + marker.len());
                out.push(url);
            }
        }
        out
    }

    proptest! {
        #[test]
        fn urls_of_a_run_are_found_among_the_notes_markers(
            text in "[:/w. ()a]{0,40}",
            cut in (any::<prop::sample::Index>(), any::<prop::sample::Index>()),
        ) {
            let (x, y) = (cut.0.index(text.len() + 1), cut.1.index(text.len() + 1));
            let (start, end) = (x.min(y), x.max(y));
            let slice = &text[start..end];
            let markers = UrlMarkers::find(&text);
            prop_assert_eq!(url_ranges_among(slice, &markers, start), url_ranges_searched(slice));
        }

        #[test]
        fn one_slip_apart_is_distance_one(a in "[abAB]{0,7}", b in "[abAB]{0,7}") {
            prop_assert_eq!(one_slip_apart(&a, &b).is_some(), distance(&a, &b) == 1, "{:?} {:?}", a, b);
        }
    }
}
