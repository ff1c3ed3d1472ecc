//! Deciding which headings and labels introduce a service, and what belongs to each entry.

use kb_model::{Entry, EntryKind, Item, LineIndex, NameProblem, Section, Source, Span, TextItem, MAX_DEPTH};
use kb_vocab::{Found, NameMatch, Position, ServiceId, Vocabulary};

use crate::labels::{is_section_label, split_label, strip_shortcodes};
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
}

pub(crate) struct Builder<'a> {
    file: &'a str,
    path: &'a str,
    vocab: &'a Vocabulary,
    lines: &'a LineIndex,
    pub entries: Vec<Entry>,
    open: Option<OpenEntry>,
    /// Enclosing headings, outermost first.
    headings: Vec<Frame>,
}

/// An enclosing heading.
struct Frame {
    level: u8,
    /// The heading text, markup and emoji shortcodes removed.
    text: String,
    is_entry: bool,
    /// `ECS와 EKS의 차이`, `S3 vs EFS`: the entries under it are sides of a comparison.
    is_comparison: bool,
}

/// A heading entry still collecting its body.
struct OpenEntry {
    entry: Entry,
    level: u8,
    service: ServiceId,
    /// End of the last block that belongs to the entry.
    end: usize,
    /// The section opened by the last sub-heading, if any.
    section: Option<usize>,
}

impl<'a> Builder<'a> {
    pub fn new(file: &'a str, path: &'a str, vocab: &'a Vocabulary, lines: &'a LineIndex) -> Self {
        Builder {
            file,
            path,
            vocab,
            lines,
            entries: Vec::new(),
            open: None,
            headings: Vec::new(),
        }
    }

    pub fn run(&mut self, blocks: &[Block]) {
        for block in blocks {
            match block {
                Block::Heading { level, inline, span } => self.heading(*level, inline, *span),
                _ => match &mut self.open {
                    Some(open) => {
                        open.end = open.end.max(block.span().end);
                        let mut body = Body {
                            entry: &mut open.entry,
                            section: open.section,
                            vocab: self.vocab,
                            service: Some(open.service),
                        };
                        body.block(block, 0);
                    }
                    None => self.label_entries(block),
                },
            }
        }
        self.close();
    }

    fn heading(&mut self, level: u8, inline: &Inline, span: Span) {
        let kind = self.classify(inline);
        if let Some(open) = &mut self.open {
            let is_same = |service: ServiceId| service == open.service;
            let deeper = level > open.level;
            match &kind {
                // `# [Amazon S3](…)` then `## <img> Amazon S3`: one entry.
                HeadingKind::Entry(c) if deeper && is_same(c.found.service) && is_empty(&open.entry) => {
                    open.end = span.end;
                    return;
                }
                HeadingKind::Entry(_) => {}
                // A sub-heading, or a same-level facet of the open entry's service.
                HeadingKind::Facet(service) if deeper || is_same(*service) => {
                    open_section(open, inline, span);
                    return;
                }
                _ if deeper => {
                    open_section(open, inline, span);
                    return;
                }
                _ => {}
            }
        }
        // A new entry, or any heading at the open entry's level or above, ends the open entry.
        self.close();
        while self.headings.last().is_some_and(|frame| frame.level >= level) {
            self.headings.pop();
        }
        let text = strip_shortcodes(inline.text.trim());
        match kind {
            HeadingKind::Entry(candidate) => {
                let service = candidate.found.service;
                let entry = self.new_entry(candidate, EntryKind::Heading, span);
                self.headings.push(Frame {
                    level,
                    text,
                    is_entry: true,
                    is_comparison: false,
                });
                self.open = Some(OpenEntry {
                    entry,
                    level,
                    service,
                    end: span.end,
                    section: None,
                });
            }
            _ => {
                let is_comparison = is_comparison(&text, self.vocab);
                self.headings.push(Frame {
                    level,
                    text,
                    is_entry: false,
                    is_comparison,
                });
            }
        }
    }

    fn close(&mut self) {
        if let Some(open) = self.open.take() {
            let mut entry = open.entry;
            let end = open.end.max(entry.source.span.end);
            self.finish(&mut entry, end);
            self.entries.push(entry);
        }
    }

    /// Set the end of an entry's span and its last line.
    fn finish(&self, entry: &mut Entry, end: usize) {
        let end = trim_end(self.file, entry.source.span.start, end);
        entry.source.span = Span::new(entry.source.span.start, end);
        entry.source.end_line = self
            .lines
            .line(end.saturating_sub(1).max(entry.source.span.start));
    }

    fn classify(&self, inline: &Inline) -> HeadingKind {
        let label = split_label(inline);
        if label.name.is_empty() {
            return HeadingKind::Plain;
        }
        let name_text = &inline.text[label.name.clone()];
        if let Found::Match(found) = self.vocab.resolve_name(name_text) {
            return HeadingKind::Entry(self.candidate(inline, label.name.clone(), label.expansion, found));
        }
        // `AWS 블록체인 서비스 (Amazon Managed Blockchain)`: a description, then the name.
        if let Some(expansion) = label.expansion.clone() {
            let described = self.vocab.tokens_are_description(name_text);
            if let (true, Found::Match(found)) = (
                described,
                self.vocab.resolve_name(&inline.text[expansion.clone()]),
            ) {
                return HeadingKind::Entry(self.candidate(inline, expansion, Some(label.name), found));
            }
        }
        // A name followed by more words: a facet, a comparison or a mention.
        if let Some(first) = self.vocab.find_names(name_text, Position::Name).first() {
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
        }
    }

    fn new_entry(&self, candidate: Candidate, kind: EntryKind, span: Span) -> Entry {
        let service = self.vocab.service(candidate.found.service);
        // The nearest enclosing heading that is not an entry is the category.
        let category = self.headings.iter().rev().find(|frame| !frame.is_entry);
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
            comparison: category.is_some_and(|frame| frame.is_comparison),
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
                        let mut entry = self.new_entry(candidate, EntryKind::ListItem, item.span);
                        let mut body = Body {
                            entry: &mut entry,
                            section: None,
                            vocab: self.vocab,
                            service: Some(service),
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
        if inline.text[strong.end..].chars().any(char::is_alphanumeric) {
            return None;
        }
        let label_inline = sub_inline(inline, strong.clone());
        let label = split_label(&label_inline);
        if label.name.is_empty() || label.expansion.is_some() && inline.text[strong.clone()].contains(':') {
            return None;
        }
        let name = (strong.start + label.name.start)..(strong.start + label.name.end);
        let found = self.vocab.resolve_name(&inline.text[name.clone()]).into_match()?;
        let expansion = label
            .expansion
            .map(|r| (strong.start + r.start)..(strong.start + r.end));
        Some(self.candidate(inline, name, expansion, found))
    }
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

/// A heading that compares services: a comparison word and at least two services named.
fn is_comparison(text: &str, vocab: &Vocabulary) -> bool {
    const MARKERS: &[&str] = &["차이", "비교", " vs", "versus", "difference", "compar"];
    let lower = text.to_lowercase();
    if !MARKERS.iter().any(|m| lower.contains(m)) {
        return false;
    }
    let mut services: Vec<ServiceId> = vocab
        .find_names(text, Position::Name)
        .iter()
        .map(|m| m.service)
        .collect();
    services.sort();
    services.dedup();
    services.len() >= 2
}

fn is_empty(entry: &Entry) -> bool {
    entry.summary.is_none() && entry.features.is_empty() && entry.sections.is_empty()
}

fn open_section(open: &mut OpenEntry, inline: &Inline, span: Span) {
    let title = strip_shortcodes(inline.text.trim())
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_owned();
    open.entry.sections.push(Section {
        title,
        span,
        items: Vec::new(),
    });
    open.section = Some(open.entry.sections.len() - 1);
    open.end = open.end.max(span.end);
}

/// Where an entry ends: before the blank lines that follow its last block.
fn trim_end(file: &str, start: usize, end: usize) -> usize {
    let end = end.min(file.len());
    let trimmed = file[start..end].trim_end_matches(['\n', '\r', ' ', '\t']);
    start + trimmed.len()
}

/// Collects an entry's summary, features and sections from its blocks.
struct Body<'e> {
    entry: &'e mut Entry,
    section: Option<usize>,
    vocab: &'e Vocabulary,
    service: Option<ServiceId>,
}

impl Body<'_> {
    fn is_fresh(&self) -> bool {
        is_empty(self.entry)
    }

    fn block(&mut self, block: &Block, depth: u32) {
        match block {
            Block::Paragraph { inline, .. } => self.paragraph(inline, depth),
            Block::Quote { blocks, .. } => {
                for (i, child) in blocks.iter().enumerate() {
                    match child {
                        Block::Paragraph { inline, .. } => {
                            let text = strip_callout(&inline.text);
                            let inline = Inline {
                                text: text.to_owned(),
                                ..inline.clone()
                            };
                            if i == 0 || !self.is_fresh() {
                                self.paragraph(&inline, depth);
                            }
                        }
                        other => self.block(other, depth),
                    }
                }
            }
            Block::List { items, .. } => self.list(items, depth),
            Block::Heading { inline, span, .. } => {
                let title = strip_shortcodes(inline.text.trim());
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

    fn paragraph(&mut self, inline: &Inline, depth: u32) {
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
        if self.is_fresh() {
            // `:cloud: Simple Queue Service` under `## SQS`: the expansion, not a summary.
            let plain = strip_shortcodes(text);
            if let (Some(service), Found::Match(m)) = (self.service, self.vocab.resolve_name(&plain)) {
                if m.service == service && m.problem.is_none() {
                    if self.entry.expansion.is_none() {
                        self.entry.expansion = Some(plain);
                    }
                    return;
                }
            }
            self.entry.summary = Some(TextItem {
                text: text.to_owned(),
                span: inline.span,
            });
            return;
        }
        self.feature(text, depth, inline.span);
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
            let label = is_section_label(text);
            if !text.is_empty() && self.is_fresh() && depth == 0 && !label {
                self.entry.summary = Some(TextItem {
                    text: text.to_owned(),
                    span,
                });
            } else if label && !item.blocks.is_empty() {
                let title = strip_shortcodes(text)
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_owned();
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

/// `[!Definition] text` → `text`: the marker of an Obsidian callout.
fn strip_callout(text: &str) -> &str {
    let trimmed = text.trim_start();
    if let Some(rest) = trimmed.strip_prefix("[!") {
        if let Some(close) = rest.find(']') {
            let kind = &rest[..close];
            let after = rest[close + 1..].trim_start_matches(['+', '-']).trim_start();
            // `> [!Definition] Definition` + body: a title that only repeats the type.
            if let Some(body) = after.get(kind.len()..) {
                if after[..kind.len()].eq_ignore_ascii_case(kind) && body.starts_with(char::is_whitespace) {
                    return body.trim_start();
                }
            }
            return after;
        }
    }
    text
}

/// `#Amazon #aws` on a line of its own: Obsidian tags, not text.
fn tags_only(text: &str) -> Option<Vec<String>> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let mut tags = Vec::new();
    for word in words {
        let tag = word.strip_prefix('#')?;
        if tag.is_empty() || tag.starts_with('#') || !tag.chars().next().is_some_and(char::is_alphabetic) {
            return None;
        }
        tags.push(tag.to_owned());
    }
    Some(tags)
}

/// Fill a file entry's body from all of the note's blocks.
pub(crate) fn fill_body(entry: &mut Entry, blocks: &[Block], vocab: &Vocabulary, service: ServiceId) {
    let mut body = Body {
        entry,
        section: None,
        vocab,
        service: Some(service),
    };
    for block in blocks {
        body.block(block, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callout_markers_and_tags() {
        assert_eq!(
            strip_callout("[!Definition] A managed service"),
            "A managed service"
        );
        assert_eq!(strip_callout("[!note]- folded"), "folded");
        assert_eq!(strip_callout("[!Definition] Definition A service"), "A service");
        assert_eq!(
            strip_callout("[!Definition] Definitions matter"),
            "Definitions matter"
        );
        assert_eq!(
            tags_only("#Amazon #aws/storage"),
            Some(vec!["Amazon".into(), "aws/storage".into()])
        );
        assert_eq!(tags_only("#1 choice"), None);
        assert_eq!(tags_only("$0.90 ~ $1.00"), None);
    }
}
