//! Deciding which headings and labels introduce a service, and what belongs to each entry.

use kb_model::{
    Entry, EntryKind, Item, LineIndex, NameProblem, NameProblemKind, Section, Source, Span, TextItem,
    MAX_DEPTH,
};
use kb_vocab::{Found, NameMatch, Position, ServiceId, Vocabulary};

use crate::labels::{
    is_letter, is_letter_or_digit, is_section_label, is_syllable, split_label, strip_shortcodes,
};
use crate::markdown::{Block, Inline, ListItem};

/// What a heading is, for the entry builder.
enum HeadingKind {
    /// It introduces a service.
    Entry(Candidate),
    /// It names a service plus an aspect (`Amazon EC2 요금`): part of that service's entry when
    /// one is open, a plain heading otherwise.
    Facet(ServiceId),
    /// A category, chapter or concept heading.
    Plain,
}

/// A name that resolved (or nearly resolved) to a service.
struct Candidate {
    found: NameMatch,
    name: String,
    name_span: Span,
    expansion: Option<String>,
    /// The name came with a tagline (`S3 - Security`, `IAM: Policies`), not a bracket.
    tagline: bool,
}

pub(crate) struct Builder<'a> {
    file: &'a str,
    path: &'a str,
    vocab: &'a Vocabulary,
    lines: &'a LineIndex,
    pub entries: Vec<Entry>,
    /// Open entries, outermost first: a heading entry stays open under the sub-entries that
    /// follow it, so the sections after a sub-entry come back to it.
    stack: Vec<OpenEntry>,
    /// Enclosing headings, outermost first.
    headings: Vec<Frame>,
    /// Services with an entry in the note so far.
    seen: Vec<ServiceId>,
    /// Whether the note links to an anchor of its own at all (`](#`): if not, no line of it
    /// is a table of contents.
    toc: bool,
}

/// An enclosing heading.
struct Frame {
    level: u8,
    /// The heading text, markup and emoji shortcodes removed.
    text: String,
    is_entry: bool,
    /// A sub-heading of an open entry: not a category.
    is_section: bool,
    /// `ECS와 EKS의 차이`, `S3 vs EFS`: the services it compares.
    compared: Vec<ServiceId>,
}

/// An entry still collecting its body.
struct OpenEntry {
    entry: Entry,
    level: u8,
    service: ServiceId,
    /// End of the last block that belongs to the entry.
    end: usize,
    /// The section opened by the last sub-heading, if any.
    section: Option<usize>,
    /// Whether a summary can still be taken.
    summary_open: bool,
    /// The note's own entry, from its file name or title.
    is_file: bool,
}

impl<'a> Builder<'a> {
    pub fn new(file: &'a str, path: &'a str, vocab: &'a Vocabulary, lines: &'a LineIndex) -> Self {
        Builder {
            file,
            path,
            vocab,
            lines,
            entries: Vec::new(),
            stack: Vec::new(),
            headings: Vec::new(),
            seen: Vec::new(),
            toc: TOC.find(file.as_bytes()).is_some(),
        }
    }

    /// Open the note's own entry (from its file name or title) before reading the blocks:
    /// everything that is not another entry belongs to it.
    pub fn open_file_entry(&mut self, entry: Entry, service: ServiceId) {
        self.seen.push(service);
        self.stack.push(OpenEntry {
            end: entry.source.span.start,
            entry,
            level: 0,
            service,
            section: None,
            summary_open: true,
            is_file: true,
        });
    }

    pub fn run(&mut self, blocks: &[Block]) {
        let blocks = &blocks[..footer_start(self.file, blocks)];
        for block in blocks {
            match block {
                Block::Heading { level, inline, span } => self.heading(*level, inline, *span),
                _ => {
                    // A list of service labels inside the note's own entry: entries of their own.
                    let labels = matches!(block, Block::List { .. }) && self.has_label_entries(block);
                    match self.stack.last_mut() {
                        Some(open) if !(open.is_file && labels) => {
                            open.end = open.end.max(block.span().end);
                            let mut body = Body {
                                file: self.file,
                                toc: self.toc,
                                entry: &mut open.entry,
                                section: open.section,
                                vocab: self.vocab,
                                service: Some(open.service),
                                summary_open: open.summary_open,
                            };
                            body.block(block, 0);
                            open.section = body.section;
                            open.summary_open = body.summary_open;
                        }
                        _ => self.label_entries(block),
                    }
                }
            }
        }
        while !self.stack.is_empty() {
            self.close();
        }
        self.entries
            .sort_by_key(|e| (e.source.span.start, std::cmp::Reverse(e.source.span.end)));
    }

    fn has_label_entries(&self, block: &Block) -> bool {
        let own = self.stack.first().filter(|o| o.is_file).map(|o| o.service);
        match block {
            Block::List { items, .. } => items.iter().any(|item| {
                self.label_candidate(item)
                    .is_some_and(|c| Some(c.found.service) != own)
            }),
            _ => false,
        }
    }

    fn heading(&mut self, level: u8, inline: &Inline, span: Span) {
        let mut kind = self.classify(inline);
        let text = strip_shortcodes(inline.text.trim());
        let file_entry = self.stack.first().filter(|o| o.is_file);
        // The note's own service gets a heading before anything else: that is its entry.
        let replaces_file = match (&kind, file_entry) {
            (HeadingKind::Entry(c), Some(o)) => {
                o.service == c.found.service && (!c.tagline || is_empty(&o.entry))
            }
            _ => false,
        };
        // `S3 - Security`, `IAM: Policies` once the note has an S3 or IAM entry: an aspect.
        if let HeadingKind::Entry(c) = &kind {
            if !replaces_file && c.tagline && self.seen.contains(&c.found.service) {
                kind = HeadingKind::Facet(c.found.service);
            }
        }
        // A service named under a pricing or diagram heading is a caption, not an entry.
        if let HeadingKind::Entry(c) = &kind {
            let parent = self.headings.iter().rev().find(|f| f.level < level);
            if parent.is_some_and(|f| !f.is_entry && is_caption_parent(&f.text)) {
                kind = HeadingKind::Facet(c.found.service);
            }
        }
        if let Some(top) = self.stack.last_mut() {
            // `# [Amazon S3](…)` then `## <img> Amazon S3`: one entry.
            if let HeadingKind::Entry(c) = &kind {
                if level > top.level && c.found.service == top.service && !top.is_file && is_empty(&top.entry)
                {
                    top.end = span.end;
                    return;
                }
            }
        }
        // The note's own service gets a heading: that heading is the note's entry.
        if let HeadingKind::Entry(c) = &kind {
            let service = c.found.service;
            if replaces_file {
                while self.stack.len() > 1 {
                    self.close();
                }
                self.stack.clear();
                self.headings.clear();
                let HeadingKind::Entry(candidate) = kind else {
                    unreachable!()
                };
                let entry = self.new_entry(candidate, EntryKind::Heading, span);
                self.headings.push(Frame {
                    level,
                    text,
                    is_entry: true,
                    is_section: false,
                    compared: Vec::new(),
                });
                self.stack.push(OpenEntry {
                    entry,
                    level: 0,
                    service,
                    end: span.end,
                    section: None,
                    summary_open: true,
                    is_file: false,
                });
                return;
            }
        }
        // A facet of an open entry's service: a section of it, closing what was opened since.
        if let HeadingKind::Facet(service) = &kind {
            if let Some(at) = self.stack.iter().rposition(|o| o.service == *service) {
                if self.stack[at].level < level || at == self.stack.len() - 1 {
                    while self.stack.len() > at + 1 {
                        self.close();
                    }
                    self.pop_frames(level);
                    self.push_section(level, text, inline, span);
                    return;
                }
            }
        }
        // Any heading at an open entry's level or above ends that entry.
        while self.stack.last().is_some_and(|o| o.level >= level) {
            self.close();
        }
        self.pop_frames(level);
        match kind {
            HeadingKind::Entry(candidate) => {
                let service = candidate.found.service;
                let entry = self.new_entry(candidate, EntryKind::Heading, span);
                self.seen.push(service);
                self.headings.push(Frame {
                    level,
                    text,
                    is_entry: true,
                    is_section: false,
                    compared: Vec::new(),
                });
                self.stack.push(OpenEntry {
                    entry,
                    level,
                    service,
                    end: span.end,
                    section: None,
                    summary_open: true,
                    is_file: false,
                });
            }
            _ if !self.stack.is_empty() => self.push_section(level, text, inline, span),
            _ => {
                let compared = compared_services(&text, self.vocab);
                self.headings.push(Frame {
                    level,
                    text,
                    is_entry: false,
                    is_section: false,
                    compared,
                });
            }
        }
    }

    fn pop_frames(&mut self, level: u8) {
        while self.headings.last().is_some_and(|frame| frame.level >= level) {
            self.headings.pop();
        }
    }

    /// A sub-heading of the innermost open entry.
    fn push_section(&mut self, level: u8, text: String, inline: &Inline, span: Span) {
        let compared = compared_services(&text, self.vocab);
        self.headings.push(Frame {
            level,
            text,
            is_entry: false,
            is_section: true,
            compared,
        });
        if let Some(open) = self.stack.last_mut() {
            open_section(open, inline, span);
        }
    }

    fn close(&mut self) {
        if let Some(open) = self.stack.pop() {
            let mut entry = open.entry;
            let end = open.end.max(entry.source.span.end);
            self.finish(&mut entry, end);
            // The entry covers everything read into it, sub-entries included.
            if let Some(parent) = self.stack.last_mut() {
                parent.end = parent.end.max(entry.source.span.end);
            }
            self.entries.push(entry);
        }
    }

    /// Set the end of an entry's span and its last line.
    fn finish(&self, entry: &mut Entry, end: usize) {
        let end = trim_end(self.file, entry.source.span.start, end);
        entry.source.span = Span::new(entry.source.span.start, end.max(entry.source.name_span.end));
        entry.source.end_line = self.lines.line(
            entry
                .source
                .span
                .end
                .saturating_sub(1)
                .max(entry.source.span.start),
        );
    }

    fn classify(&self, inline: &Inline) -> HeadingKind {
        let label = split_label(inline);
        if label.name.is_empty() {
            return HeadingKind::Plain;
        }
        let name_text = &inline.text[label.name.clone()];
        let tagline = label.expansion.is_some() && !label.bracketed;
        if let Found::Match(found) = self.vocab.resolve_name(name_text) {
            let mut c = self.candidate(inline, label.name.clone(), label.expansion, found);
            c.tagline = tagline;
            return HeadingKind::Entry(c);
        }
        // `AWS Total Cost of Ownership (TCO) Calculator`: brackets inside the name itself.
        if label.expansion.is_some() {
            let whole = trim_label_end(&inline.text, label.name.start);
            if let Found::Match(found) = self.vocab.resolve_name(&inline.text[whole.clone()]) {
                if found.problem.is_none() {
                    return HeadingKind::Entry(self.candidate(inline, whole, None, found));
                }
            }
        }
        if let Some(expansion) = label.expansion.clone() {
            // `AWS 블록체인 서비스 (Amazon Managed Blockchain)`: a description, then the name;
            // `Elastic Block Store, EBS`, `AWS Status - Service Health Dashboard`: the name second.
            let described = self.vocab.tokens_are_description(name_text);
            if let Found::Match(found) = self.vocab.resolve_name(&inline.text[expansion.clone()]) {
                let acceptable = !matches!(found.problem, Some((NameProblemKind::Misspelled, _)));
                // `AWS Status - Service Health Dashboard`: a vendor's label, then the name (not
                // `Database Pricing - RDS`, a facet).
                let vendor_label = name_text
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| self.vocab.is_vendor_prefix(w))
                    && !is_caption_parent(name_text);
                // `Identify Access Management(IAM)`: words whose initials spell the bracketed
                // abbreviation are its expansion, however they are misspelled.
                let spelled_out = label.bracketed
                    && found.kind == kb_vocab::NameKind::Abbreviation
                    && found.problem.is_none()
                    && initials_spell(name_text, &inline.text[expansion.clone()]);
                // `Key Managment Service (KMS)`: the words are the service's full name with a
                // slip in it; the entry is named by them, and the slip is reported.
                if spelled_out {
                    if let Some(Some(problem)) = self.vocab.spelled_out_as(found.service, name_text) {
                        let words = name_text.trim_end();
                        let start = words.len() - words.trim_start().len();
                        let written = NameMatch {
                            span: start..words.len(),
                            kind: kb_vocab::NameKind::Canonical,
                            problem: Some(problem),
                            ..found
                        };
                        return HeadingKind::Entry(self.candidate(
                            inline,
                            label.name,
                            Some(expansion),
                            written,
                        ));
                    }
                }
                if described || spelled_out || !label.bracketed && acceptable && vendor_label {
                    return HeadingKind::Entry(self.candidate(inline, expansion, Some(label.name), found));
                }
            }
        }
        // `AWS Aurora 오로라`: the name, then its Korean transliteration.
        let names = self.vocab.find_names(name_text, Position::Name);
        if let [first, second] = names.as_slice() {
            let only_blank = |r: &str| r.trim().is_empty();
            let hangul = |r: &str| r.chars().all(|c| c.is_whitespace() || is_syllable(c));
            if first.service == second.service
                && only_blank(&name_text[..first.span.start])
                && only_blank(&name_text[first.span.end..second.span.start])
                && only_blank(&name_text[second.span.end..])
                && hangul(&name_text[second.span.clone()])
            {
                if let Found::Match(found) = self.vocab.resolve_name(&name_text[first.span.clone()]) {
                    let at = label.name.start;
                    let name = (at + first.span.start)..(at + first.span.end);
                    let expansion = (at + second.span.start)..(at + second.span.end);
                    return HeadingKind::Entry(self.candidate(inline, name, Some(expansion), found));
                }
            }
        }
        // A name followed by more words: a facet, a comparison or a mention.
        if let Some(first) = names.first() {
            if name_text[..first.span.start].trim().is_empty() {
                return HeadingKind::Facet(first.service);
            }
        }
        HeadingKind::Plain
    }

    fn candidate(
        &self,
        inline: &Inline,
        name: std::ops::Range<usize>,
        expansion: Option<std::ops::Range<usize>>,
        mut found: NameMatch,
    ) -> Candidate {
        // The match is relative to the name text; make it relative to the inline text.
        let at = name.start;
        found.span = (found.span.start + at)..(found.span.end + at);
        let name_range = found.span.clone();
        Candidate {
            name: inline.text[name_range.clone()].to_owned(),
            name_span: inline.source_span(name_range),
            expansion: expansion
                .map(|r| strip_shortcodes(&inline.text[r]))
                .filter(|e| !e.is_empty()),
            found,
            tagline: false,
        }
    }

    fn new_entry(&self, candidate: Candidate, kind: EntryKind, span: Span) -> Entry {
        let service_id = candidate.found.service;
        let service = self.vocab.service(service_id);
        // The nearest enclosing heading that is not an entry or a section is the category.
        let category = self
            .headings
            .iter()
            .rev()
            .find(|frame| !frame.is_entry && !frame.is_section);
        // A side of a comparison: directly under a heading that compares this service.
        let comparison = self
            .headings
            .iter()
            .rev()
            .find(|frame| !frame.is_entry)
            .is_some_and(|frame| frame.compared.contains(&service_id));
        let at = self.lines.line_col(self.file, candidate.name_span.start);
        Entry {
            id: Some(service.id.clone()),
            name: candidate.name,
            canonical: Some(service.name.clone()),
            name_problem: candidate
                .found
                .problem
                .map(|(kind, suggestion)| NameProblem { kind, suggestion }),
            expansion: candidate.expansion,
            category: category.map(|frame| frame.text.clone()),
            kind,
            comparison,
            summary: None,
            features: Vec::new(),
            sections: Vec::new(),
            tags: Vec::new(),
            source: Source {
                path: self.path.to_owned(),
                line: at.line,
                column: at.column,
                end_line: at.line,
                name_span: candidate.name_span,
                span,
            },
        }
    }

    /// Outside heading entries: list items whose bold label names a service and that have
    /// nested details (`- **Amazon ECS**` + bullets).
    fn label_entries(&mut self, block: &Block) {
        match block {
            Block::List { items, .. } => {
                for item in items {
                    if let Some(candidate) = self.label_candidate(item) {
                        let service = candidate.found.service;
                        self.seen.push(service);
                        let mut entry = self.new_entry(candidate, EntryKind::ListItem, item.span);
                        let mut body = Body {
                            file: self.file,
                            toc: self.toc,
                            entry: &mut entry,
                            section: None,
                            vocab: self.vocab,
                            service: Some(service),
                            summary_open: true,
                        };
                        for child in &item.blocks {
                            body.block(child, 0);
                        }
                        self.finish(&mut entry, item.span.end);
                        self.entries.push(entry);
                    } else {
                        for child in &item.blocks {
                            self.label_entries(child);
                        }
                    }
                }
            }
            Block::Quote { blocks, .. } => {
                for child in blocks {
                    self.label_entries(child);
                }
            }
            _ => {}
        }
    }

    fn label_candidate(&self, item: &ListItem) -> Option<Candidate> {
        if item.blocks.is_empty() {
            return None;
        }
        let inline = &item.inline;
        let strong = inline.strong.first()?;
        // Only blanks (a NO-BREAK SPACE too) before the label, only punctuation after it.
        if !inline.text[..strong.start].trim().is_empty() {
            return None;
        }
        if inline.text[strong.end..].chars().any(is_letter_or_digit) {
            return None;
        }
        let label_inline = sub_inline(inline, strong.clone());
        let label = split_label(&label_inline);
        if label.name.is_empty() || label.expansion.is_some() && inline.text[strong.clone()].contains(':') {
            return None;
        }
        let name = (strong.start + label.name.start)..(strong.start + label.name.end);
        let Some(found) = self.vocab.resolve_name(&inline.text[name.clone()]).into_match() else {
            // `AWS Total Cost of Ownership (TCO) Calculator`: brackets inside the name itself.
            let whole = trim_label_end(&label_inline.text, label.name.start);
            let whole = (strong.start + whole.start)..(strong.start + whole.end);
            let found = self
                .vocab
                .resolve_name(&inline.text[whole.clone()])
                .into_match()?;
            return (label.expansion.is_some() && found.problem.is_none())
                .then(|| self.candidate(inline, whole, None, found));
        };
        let expansion = label
            .expansion
            .map(|r| (strong.start + r.start)..(strong.start + r.end));
        Some(self.candidate(inline, name, expansion, found))
    }
}

/// From `start` to the end of a label, without trailing blanks and punctuation.
fn trim_label_end(text: &str, start: usize) -> std::ops::Range<usize> {
    let trimmed = text[start..]
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ':' | '*' | '~' | '?' | '!'));
    start..start + trimmed.len()
}

/// Whether the capitalised words of `words` (small words such as `and` or `of` left out)
/// start with the letters of `abbreviation`, in order and no more: `Identify Access
/// Management` and `IAM`, not `Users and Groups` and `IAM`.
fn initials_spell(words: &str, abbreviation: &str) -> bool {
    let letters: Vec<char> = abbreviation.chars().collect();
    if letters.len() < 2 || !letters.iter().all(char::is_ascii_uppercase) {
        return false;
    }
    let mut initials = Vec::with_capacity(letters.len());
    for word in words.split(|c: char| c.is_whitespace() || c == '-') {
        match word.chars().next() {
            None => {}
            Some(c) if c.is_ascii_uppercase() => initials.push(c),
            // `and`, `of`, `for`, `&`: not part of the abbreviation.
            Some(c) if c.is_lowercase() && word.len() <= 3 || word == "&" => {}
            Some(_) => return false,
        }
    }
    initials == letters
}

/// Headings whose service sub-headings are captions: a price list, a diagram, an example.
fn is_caption_parent(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "pricing",
        "price",
        "prices",
        "cost",
        "costs",
        "요금",
        "가격",
        "비용",
        "architecture",
        "diagram",
        "example",
        "examples",
        "아키텍처",
        "아키텍쳐",
        "구성도",
        "예시",
    ];
    // ASCII and Hangul, most of every heading, are split and compared without Unicode tables
    // or a lower-cased copy.
    text.split(|c: char| !is_letter_or_digit(c)).any(|w| {
        if w.is_ascii() {
            WORDS.iter().any(|word| word.eq_ignore_ascii_case(w))
        } else if w.chars().all(is_syllable) {
            WORDS.contains(&w)
        } else {
            WORDS.contains(&w.to_lowercase().as_str())
        }
    })
}

/// Where a footer of links starts (`---`, `Links:`, wikilinks): not part of any entry.
fn footer_start(file: &str, blocks: &[Block]) -> usize {
    let is_rule = |b: &Block| match b {
        Block::Other { span } => {
            let t = file[span.as_range()].trim();
            t.len() >= 3
                && (t.chars().all(|c| c == '-' || c == ' ')
                    || t.chars().all(|c| c == '*' || c == ' ')
                    || t.chars().all(|c| c == '_' || c == ' '))
        }
        _ => false,
    };
    for (i, block) in blocks.iter().enumerate().rev() {
        if !is_rule(block) {
            continue;
        }
        let rest = &blocks[i + 1..];
        if !rest.is_empty() && rest.iter().all(|b| is_link_only(file, b)) {
            return i;
        }
        break;
    }
    blocks.len()
}

/// A paragraph or list of nothing but links and a `Links:` label.
fn is_link_only(file: &str, block: &Block) -> bool {
    match block {
        Block::Paragraph { span, .. } | Block::List { span, .. } => {
            let text = strip_links(&file[span.as_range()]);
            let rest: String = text
                .split(|c: char| c.is_whitespace())
                .filter(|w| !w.is_empty())
                .filter(|w| !matches!(*w, "-" | "*" | "+" | "," | "|"))
                .collect::<Vec<_>>()
                .join(" ");
            rest.is_empty() || (rest.ends_with(':') && rest.split(' ').count() <= 2)
        }
        _ => false,
    }
}

/// Text with `[[wikilinks]]` and `[text](target)` links removed.
fn strip_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("[[") {
            if let Some(close) = after.find("]]") {
                rest = &after[close + 2..];
                continue;
            }
        }
        if rest.starts_with('[') {
            if let Some(mid) = rest.find("](") {
                if let Some(close) = rest[mid..].find(')') {
                    if !rest[..mid].contains('\n') {
                        rest = &rest[mid + close + 1..];
                        continue;
                    }
                }
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The inline restricted to `range` (for splitting a bold label); offsets stay those of the
/// original, so only the text is narrowed.
fn sub_inline(inline: &Inline, range: std::ops::Range<usize>) -> Inline {
    let mut narrowed = Inline {
        text: inline.text[range.clone()].to_owned(),
        ..Inline::default()
    };
    narrowed.emphasis = inline
        .emphasis
        .iter()
        .filter(|r| r.start >= range.start && r.end <= range.end)
        .map(|r| (r.start - range.start)..(r.end - range.start))
        .collect();
    narrowed
}

/// The services a comparison heading compares: a comparison word and at least two services
/// named; empty for any other heading.
fn compared_services(text: &str, vocab: &Vocabulary) -> Vec<ServiceId> {
    const MARKERS: &[&str] = &["차이", "비교", " vs", "versus", "difference", "compar"];
    let lower = text.to_lowercase();
    if !MARKERS.iter().any(|m| lower.contains(m)) {
        return Vec::new();
    }
    let mut services: Vec<ServiceId> = vocab
        .find_names(text, Position::Name)
        .iter()
        .map(|m| m.service)
        .collect();
    services.sort();
    services.dedup();
    if services.len() >= 2 {
        services
    } else {
        Vec::new()
    }
}

fn is_empty(entry: &Entry) -> bool {
    entry.summary.is_none() && entry.features.is_empty() && entry.sections.is_empty()
}

fn open_section(open: &mut OpenEntry, inline: &Inline, span: Span) {
    let title = strip_shortcodes(inline.text.trim())
        .trim_matches(|c: char| !is_letter_or_digit(c))
        .to_owned();
    // `## Overview`, `### 설명`: the text under it says what the service is.
    if open.entry.summary.is_none() {
        open.summary_open = is_overview(&title) || is_empty(&open.entry) && open.summary_open;
    }
    open.entry.sections.push(Section {
        title,
        span,
        items: Vec::new(),
    });
    open.section = Some(open.entry.sections.len() - 1);
    open.end = open.end.max(span.end);
}

/// A sub-heading whose text describes the service: `Overview`, `개요`, `What is IAM?`.
fn is_overview(title: &str) -> bool {
    const TITLES: &[&str] = &[
        "overview",
        "개요",
        "설명",
        "정의",
        "definition",
        "description",
        "introduction",
        "소개",
        "about",
    ];
    let lower = crate::labels::trim_non_alphanumeric(title).to_lowercase();
    TITLES.contains(&lower.as_str())
        || ["what is ", "what's ", "what\u{2019}s ", "what are "]
            .iter()
            .any(|p| lower.starts_with(p))
}

/// Where an entry ends: before the blank lines that follow its last block.
fn trim_end(file: &str, start: usize, end: usize) -> usize {
    let end = end.min(file.len());
    let trimmed = file[start..end].trim_end_matches(['\n', '\r', ' ', '\t']);
    start + trimmed.len()
}

/// Collects an entry's summary, features and sections from its blocks.
struct Body<'e> {
    file: &'e str,
    /// [`Builder::toc`].
    toc: bool,
    entry: &'e mut Entry,
    section: Option<usize>,
    vocab: &'e Vocabulary,
    service: Option<ServiceId>,
    /// Whether the next description can still be the summary.
    summary_open: bool,
}

impl Body<'_> {
    fn takes_summary(&self) -> bool {
        self.summary_open && self.entry.summary.is_none()
    }

    fn set_summary(&mut self, text: &str, span: Span) {
        self.entry.summary = Some(TextItem {
            text: text.to_owned(),
            span,
        });
        self.summary_open = false;
    }

    fn block(&mut self, block: &Block, depth: u32) {
        match block {
            Block::Paragraph { inline, .. } => self.paragraph(inline, depth, Sentences::Split),
            Block::Quote { blocks, .. } => {
                for (i, child) in blocks.iter().enumerate() {
                    match child {
                        Block::Paragraph { inline, .. } => {
                            let callout = callout(self.file, inline);
                            // `>[!definition]` near the start says what the service is.
                            if callout.definition
                                && self.entry.summary.is_none()
                                && self.entry.features.is_empty()
                            {
                                self.summary_open = true;
                            }
                            let Some(text) = callout.text else { continue };
                            let inline = Inline {
                                text,
                                ..inline.clone()
                            };
                            // Its text is not the quote's own (a callout's marker is cut off),
                            // so its sentences cannot be placed: one piece.
                            if i == 0 || !self.takes_summary() {
                                self.paragraph(&inline, depth, Sentences::Whole);
                            }
                        }
                        other => self.block(other, depth),
                    }
                }
            }
            Block::List { items, .. } => self.list(items, depth),
            Block::Heading { inline, span, .. } => {
                let title = strip_shortcodes(inline.text.trim());
                if self.entry.summary.is_none() {
                    self.summary_open = is_overview(&title);
                }
                self.entry.sections.push(Section {
                    title,
                    span: *span,
                    items: Vec::new(),
                });
                self.section = Some(self.entry.sections.len() - 1);
            }
            Block::Other { .. } => {}
        }
    }

    fn paragraph(&mut self, inline: &Inline, depth: u32, sentences: Sentences) {
        let text = inline.text.trim();
        if text.is_empty() {
            return;
        }
        if let Some(tags) = tags_only(text) {
            for tag in tags {
                if !self.entry.tags.contains(&tag) {
                    self.entry.tags.push(tag);
                }
            }
            return;
        }
        if self.toc && is_toc_link(self.file, inline.span) {
            return;
        }
        if self.takes_summary() {
            // `:cloud: Simple Queue Service` under `## SQS`: the expansion, not a summary.
            if let Some(service) = self.service {
                let plain = strip_shortcodes(text);
                if let Found::Match(m) = self.vocab.resolve_name(&plain) {
                    if m.service == service && m.problem.is_none() {
                        if self.entry.expansion.is_none() {
                            self.entry.expansion = Some(plain);
                        }
                        return;
                    }
                }
            }
            self.summary_of(inline, inline.span, depth, sentences);
            return;
        }
        self.feature(text, depth, inline.span);
    }

    /// `inline` (at `span`) as the summary. `S3는 객체 스토리지다. 내구성은 99.999999999%다.`: the
    /// first sentence says what the service is; each further one is a feature, as a bullet
    /// would be.
    fn summary_of(&mut self, inline: &Inline, span: Span, depth: u32, sentences: Sentences) {
        let text = inline.text.trim();
        let offset = inline.text.len() - inline.text.trim_start().len();
        let pieces = match sentences {
            Sentences::Split => sentence_ranges(text),
            Sentences::Whole => Vec::new(),
        };
        let Some((first, rest)) = pieces.split_first().filter(|(_, rest)| !rest.is_empty()) else {
            self.set_summary(text, span);
            return;
        };
        let place = |r: &std::ops::Range<usize>| inline.source_span((r.start + offset)..(r.end + offset));
        self.set_summary(&text[first.clone()], place(first));
        for sentence in rest {
            self.feature(&text[sentence.clone()], depth, place(sentence));
        }
    }

    fn list(&mut self, items: &[ListItem], depth: u32) {
        for item in items {
            let text = item.inline.text.trim();
            let span = if item.inline.text.is_empty() {
                item.span
            } else {
                item.inline.span
            };
            if text.is_empty() && item.blocks.is_empty() {
                continue;
            }
            // A table of contents: anchor links are neither summary nor features.
            if !text.is_empty() && self.toc && is_toc_link(self.file, item.inline.span) {
                for child in &item.blocks {
                    self.block(child, depth + 1);
                }
                continue;
            }
            let label = is_section_label(text);
            // Asked only of an item that may be a summary.
            let in_overview = || {
                self.section
                    .and_then(|i| self.entry.sections.get(i))
                    .is_some_and(|s| s.items.is_empty() && is_overview(&s.title))
            };
            if !text.is_empty() && self.takes_summary() && !label && (depth == 0 || in_overview()) {
                if is_question(text) || is_step(self.file, item.span, text) {
                    // `What is it?`, `1. Create a …`: not what the service is.
                    self.feature(text, depth, span);
                    self.summary_open = true;
                } else {
                    self.summary_of(&item.inline, span, depth, Sentences::Split);
                }
            } else if label && !item.blocks.is_empty() {
                let title = strip_shortcodes(text)
                    .trim_matches(|c: char| !is_letter_or_digit(c))
                    .to_owned();
                if self.entry.summary.is_none() {
                    self.summary_open = is_overview(&title);
                }
                self.entry.sections.push(Section {
                    title,
                    span: item.span,
                    items: Vec::new(),
                });
                let outer = self.section.replace(self.entry.sections.len() - 1);
                for child in &item.blocks {
                    self.block(child, depth + 1);
                }
                self.section = outer;
                continue;
            } else if !text.is_empty() {
                self.feature(text, depth, span);
            }
            for child in &item.blocks {
                self.block(child, depth + 1);
            }
        }
    }

    fn feature(&mut self, text: &str, depth: u32, span: Span) {
        self.summary_open = false;
        let item = Item {
            text: text.to_owned(),
            depth: depth.min(MAX_DEPTH),
            span,
        };
        if let Some(section) = self.section.and_then(|i| self.entry.sections.get_mut(i)) {
            section.items.push(item.clone());
        }
        self.entry.features.push(item);
    }
}

/// Whether a paragraph may be read as sentences (its text is the paragraph's own) or only whole.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sentences {
    Split,
    Whole,
}

/// The sentences of `text` (trimmed), as ranges of it: a sentence ends at a full stop (`.`,
/// `。`, `．`) followed by a blank, unless the stop ends an abbreviation (`e.g.`, `vs.`), a
/// number (`1.`), one letter (`J.`) or an ellipsis. Questions and exclamations do not end one
/// (`What is S3? An object store.` is one statement). A piece without a letter stays with the
/// sentence before it. One range when the text is one sentence. After `MAX_SENTENCES` the rest is
/// one piece: a paragraph of a million `ab.`s makes a bounded number of features.
fn sentence_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    const MAX_SENTENCES: usize = 64;
    const ABBREVIATIONS: &[&str] = &[
        "e.g", "i.e", "eg", "ie", "etc", "vs", "cf", "approx", "incl", "inc", "ltd", "co", "corp", "no",
        "nos", "fig", "figs", "ex", "al", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "a.m", "p.m", "u.s",
        "u.k", "e.u", "ver", "vol", "min", "max", "sec", "est", "esp",
    ];
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if out.len() + 1 >= MAX_SENTENCES {
            break;
        }
        if !matches!(c, '.' | '。' | '．') {
            continue;
        }
        let end = at + c.len_utf8();
        let followed_by_blank = chars.peek().is_some_and(|(_, next)| next.is_whitespace());
        if !followed_by_blank {
            continue;
        }
        let before = &text[start..at];
        let word = before
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or_default()
            .trim_start_matches(|c: char| !is_letter_or_digit(c));
        let ends_word = c != '.'
            || !(word.is_empty()
                || before.ends_with('.')
                || word.chars().all(|c| c.is_ascii_digit())
                || word.chars().count() == 1 && word.is_ascii()
                || ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word)));
        if !ends_word {
            continue;
        }
        out.push(start..end);
        while chars.peek().is_some_and(|(_, next)| next.is_whitespace()) {
            chars.next();
        }
        start = chars.peek().map_or(text.len(), |(i, _)| *i);
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    // Pieces without a letter (`(5 GB).`) belong to the sentence before them.
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(out.len());
    for piece in out {
        let has_letter = text[piece.clone()].chars().any(is_letter);
        match merged.last_mut() {
            Some(last) if !has_letter => last.end = piece.end,
            _ => merged.push(piece),
        }
    }
    merged
}

/// An intro question (`What is it?`), not a statement of what the service is.
fn is_question(text: &str) -> bool {
    let text = text.trim_end_matches(|c: char| c.is_whitespace() || c == '*');
    text.ends_with('?') || text.ends_with('？')
}

/// The first step of a numbered procedure: `1. Create a launch configuration`.
fn is_step(file: &str, item: Span, text: &str) -> bool {
    const VERBS: &[&str] = &[
        "create",
        "assign",
        "open",
        "click",
        "select",
        "choose",
        "go",
        "navigate",
        "enter",
        "sign",
        "log",
        "launch",
        "install",
        "run",
        "add",
        "set",
        "configure",
        "attach",
        "define",
        "type",
        "download",
        "upload",
        "make",
        "start",
        "specify",
    ];
    let source = file.get(item.as_range()).unwrap_or("").trim_start();
    let numbered = source
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count()
        .checked_sub(0)
        .is_some_and(|n| n > 0 && matches!(source.as_bytes().get(n), Some(b'.' | b')')));
    let first = text.split_whitespace().next().unwrap_or("").to_lowercase();
    numbered && VERBS.contains(&first.as_str())
}

/// The mark of a link to an anchor of the note itself.
static TOC: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("](#"));

/// A line that is only a link to an anchor of the note: `[Amazon S3](#amazon-s3)`.
fn is_toc_link(file: &str, span: Span) -> bool {
    // Asked of every paragraph and list item: the line is found and ruled out with memchr.
    let mut start = span.start.min(file.len());
    while !file.is_char_boundary(start) {
        start -= 1;
    }
    let bytes = file.as_bytes();
    let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |i| i + 1);
    let line_end = memchr::memchr2(b'\n', b'\r', &bytes[start..]).map_or(file.len(), |i| start + i);
    let line = &file[line_start..line_end];
    if TOC.find(line.as_bytes()).is_none() {
        return false;
    }
    let source = line.trim().trim_start_matches(|c: char| {
        matches!(c, '-' | '*' | '+' | '>') || c.is_ascii_digit() || c == '.' || c.is_whitespace()
    });
    source.starts_with('[')
        && source.ends_with(')')
        && source
            .find("](#")
            .is_some_and(|at| !source[at + 3..].contains("]("))
}

/// What a quoted paragraph says once its callout marker (`[!definition] Title`) is removed.
struct Callout {
    /// A `[!definition]` (or summary, abstract) callout.
    definition: bool,
    /// The text to read, if any.
    text: Option<String>,
}

fn callout(file: &str, inline: &Inline) -> Callout {
    let text = inline.text.as_str();
    let trimmed = text.trim_start();
    let Some(rest) = trimmed.strip_prefix("[!") else {
        return Callout {
            definition: false,
            text: Some(text.to_owned()),
        };
    };
    let Some(close) = rest.find(']') else {
        return Callout {
            definition: false,
            text: Some(text.to_owned()),
        };
    };
    let kind = rest[..close].to_lowercase();
    let definition = matches!(
        kind.as_str(),
        "definition" | "summary" | "abstract" | "tldr" | "info" | "overview"
    );
    // The marker line holds the type and an optional title; the body follows on the next
    // lines of the source.
    let line_end = file
        .get(inline.span.as_range())
        .and_then(|s| s.find(['\n', '\r']))
        .map(|at| inline.span.start + at);
    let body_at = line_end.and_then(|end| {
        text.char_indices()
            .map(|(i, _)| i)
            .find(|&i| inline.source_offset(i) > end)
    });
    let marker_end = text.len() - rest.len() + close + 1;
    let (title, body) = match body_at {
        Some(at) if at >= marker_end => (&text[marker_end..at], Some(text[at..].trim())),
        _ => (&text[marker_end..], None),
    };
    let title = title.trim_start_matches(['+', '-']).trim();
    let text = match body {
        Some(body) if !body.is_empty() => Some(body.to_owned()),
        _ => {
            // `> [!Definition] Definition A service`: a title that only repeats the type.
            let title = strip_callout_title(title, &kind);
            (!title.is_empty()).then(|| title.to_owned())
        }
    };
    Callout { definition, text }
}

/// `Definition A service` under a `[!definition]` marker → `A service`.
fn strip_callout_title<'t>(title: &'t str, kind: &str) -> &'t str {
    if let Some(body) = title.get(kind.len()..) {
        if title[..kind.len()].eq_ignore_ascii_case(kind)
            && (body.is_empty() || body.starts_with(char::is_whitespace))
        {
            return body.trim_start();
        }
    }
    title
}

/// `#Amazon #aws` on a line of its own: Obsidian tags, not text.
fn tags_only(text: &str) -> Option<Vec<String>> {
    // Asked of every paragraph: the first word that is no tag ends the question.
    let mut tags = Vec::new();
    for word in text.split_whitespace() {
        let tag = word.strip_prefix('#')?;
        if tag.is_empty() || tag.starts_with('#') || !tag.chars().next().is_some_and(char::is_alphabetic) {
            return None;
        }
        tags.push(tag.to_owned());
    }
    (!tags.is_empty()).then_some(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_that_spell_an_abbreviation() {
        assert!(initials_spell("Identify Access Management", "IAM"));
        assert!(initials_spell("Identity and Access Management", "IAM"));
        assert!(initials_spell("Key-Management Service", "KMS"));
        assert!(!initials_spell("Users and Groups", "IAM"));
        assert!(!initials_spell("Identity Access", "IAM"));
        assert!(!initials_spell("Identity Access Management Guide", "IAM"));
        assert!(!initials_spell("Elastic Compute Cloud", "EC2"));
        assert!(!initials_spell("자격 증명 관리", "IAM"));
        assert!(!initials_spell("identity access management", "IAM"));
    }

    fn callout_text(markdown: &str) -> (bool, Option<String>) {
        let (blocks, _) = crate::markdown::parse_blocks(markdown, 0);
        let Some(Block::Quote { blocks, .. }) = blocks.first() else {
            panic!("{blocks:?}")
        };
        let Some(Block::Paragraph { inline, .. }) = blocks.first() else {
            panic!("{blocks:?}")
        };
        let c = callout(markdown, inline);
        (c.definition, c.text)
    }

    #[test]
    fn callout_markers_and_tags() {
        assert_eq!(
            callout_text("> [!Definition] A managed service\n"),
            (true, Some("A managed service".into()))
        );
        assert_eq!(
            callout_text("> [!note]- folded\n"),
            (false, Some("folded".into()))
        );
        assert_eq!(
            callout_text("> [!Definition] Definition A service\n"),
            (true, Some("A service".into()))
        );
        assert_eq!(
            callout_text("> [!Definition] Definitions matter\n"),
            (true, Some("Definitions matter".into()))
        );
        assert_eq!(
            callout_text(">[!definition] Defintion\n>A **managed** service\n"),
            (true, Some("A managed service".into()))
        );
        assert_eq!(
            callout_text(">[!DEFINITION]\n>A service\n"),
            (true, Some("A service".into()))
        );
        assert_eq!(
            callout_text("> plain quote\n"),
            (false, Some("plain quote".into()))
        );
        assert_eq!(
            tags_only("#Amazon #aws/storage"),
            Some(vec!["Amazon".into(), "aws/storage".into()])
        );
        assert_eq!(tags_only("#1 choice"), None);
        assert_eq!(tags_only("$0.90 ~ $1.00"), None);
    }

    #[test]
    fn footers_questions_and_toc_links() {
        let file = "Text\n\n---\nLinks:\n\n[[A]]\n[[B]]\n";
        let (blocks, _) = crate::markdown::parse_blocks(file, 0);
        assert_eq!(footer_start(file, &blocks), 1);
        let file = "Text\n\n---\n\nMore text\n";
        let (blocks, _) = crate::markdown::parse_blocks(file, 0);
        assert_eq!(footer_start(file, &blocks), blocks.len());
        assert!(is_question("What is it?"));
        let split = |text: &str| -> Vec<String> {
            sentence_ranges(text)
                .into_iter()
                .map(|r| text[r].to_owned())
                .collect()
        };
        assert_eq!(
            split("S3는 객체 스토리지다. 내구성은 99.999999999%다."),
            ["S3는 객체 스토리지다.", "내구성은 99.999999999%다."]
        );
        assert_eq!(
            split("An object store, e.g. for logs. It scales. v2.0 is out"),
            ["An object store, e.g. for logs.", "It scales.", "v2.0 is out"]
        );
        // One sentence: numbers, initials, ellipses, questions and a stop without a blank.
        assert_eq!(split("Step 1. Create it"), ["Step 1. Create it"]);
        assert_eq!(split("Made by J. Smith"), ["Made by J. Smith"]);
        assert_eq!(split("Wait... then go"), ["Wait... then go"]);
        assert_eq!(
            split("What is S3? An object store."),
            ["What is S3? An object store."]
        );
        assert_eq!(split("Node.js and .NET apps"), ["Node.js and .NET apps"]);
        // A piece without a letter stays with its sentence.
        assert_eq!(split("It is fast. (1). Next"), ["It is fast. (1).", "Next"]);
        assert_eq!(
            split("정말 빠르다。 그리고 싸다"),
            ["정말 빠르다。", "그리고 싸다"]
        );
        let many = "ab. ".repeat(10_000);
        let pieces = sentence_ranges(many.trim());
        assert_eq!(pieces.len(), 64);
        assert_eq!(pieces.last().map(|r| r.end), Some(many.trim().len()));
        assert!(is_toc_link("[Amazon S3](#amazon-s3)", Span::new(0, 23)));
        assert!(!is_toc_link("[docs](https://x)", Span::new(0, 17)));
        assert!(is_step("1. Create a thing", Span::new(0, 17), "Create a thing"));
        assert!(!is_step("- Create a thing", Span::new(0, 16), "Create a thing"));
    }
}
