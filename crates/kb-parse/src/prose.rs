//! The text of a note where service names are checked: headings, paragraphs, list items, table
//! cells, link text. Not code, URLs, link targets, wikilink targets, image alt text, HTML or
//! front matter.

use kb_model::Span;
use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

/// Where a run of text sits, for rules that treat some places differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Heading,
    /// Link text (`[Cloud Search](#cloud-search)`): often a table of contents.
    LinkText,
    Text,
}

/// A run of text whose bytes are exactly the file's bytes in `span`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub span: Span,
    pub place: Place,
}

/// Every run of checkable text of a note, front matter left out.
pub fn note_runs(file: &str) -> Vec<Run> {
    let base = match crate::front_matter::split(file) {
        crate::front_matter::Splitting::Closed(split) => split.body_start,
        _ if file.starts_with('\u{FEFF}') => 3,
        _ => 0,
    };
    runs(file, base)
}

/// Every run of checkable text in the markdown body that starts at byte `base` of `file`.
/// Runs that pulldown-cmark rewrote (escapes, entities) are left out: a finding must point at
/// the exact bytes it names.
pub fn runs(file: &str, base: usize) -> Vec<Run> {
    let body = &file[base..];
    let mut runs = Runs::new(file);
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        runs.event(&event, (range.start + base)..(range.end + base));
    }
    runs.finish()
}

/// Collects runs from pulldown-cmark's events (with ranges into the whole file), so that the
/// parser's one pass over a note can also yield them.
pub(crate) struct Runs<'f> {
    file: &'f str,
    out: Vec<Run>,
    /// Nesting of places whose text is not checked: code, images, wikilink targets, HTML.
    skip: usize,
    heading: usize,
    link_text: usize,
    closers: Vec<bool>,
}

impl<'f> Runs<'f> {
    pub(crate) fn new(file: &'f str) -> Runs<'f> {
        Runs {
            file,
            // About as many runs as a note has short lines: not regrown run by run.
            out: Vec::with_capacity(file.len() / 64),
            skip: 0,
            heading: 0,
            link_text: 0,
            closers: Vec::new(),
        }
    }

    pub(crate) fn event(&mut self, event: &Event<'_>, range: std::ops::Range<usize>) {
        match event {
            Event::Start(tag) => {
                let skipped = match tag {
                    Tag::CodeBlock(_) | Tag::Image { .. } | Tag::HtmlBlock | Tag::MetadataBlock(_) => true,
                    // `[[Amazon S3]]`: the text is the target. `[[Amazon S3|버킷]]`: the text is
                    // the writer's own.
                    Tag::Link {
                        link_type: LinkType::WikiLink { has_pothole },
                        ..
                    } => !has_pothole,
                    _ => false,
                };
                if skipped {
                    self.skip += 1;
                }
                match tag {
                    Tag::Heading { .. } => self.heading += 1,
                    Tag::Link { .. } => self.link_text += 1,
                    _ => {}
                }
                self.closers.push(skipped);
            }
            Event::End(end) => {
                if self.closers.pop() == Some(true) {
                    self.skip -= 1;
                }
                match end {
                    TagEnd::Heading(_) => self.heading = self.heading.saturating_sub(1),
                    TagEnd::Link => self.link_text = self.link_text.saturating_sub(1),
                    _ => {}
                }
            }
            Event::Text(text) if self.skip == 0 => {
                let span = Span::new(range.start, range.end);
                if !crate::markdown::reads_as(self.file, span.as_range(), text) {
                    return;
                }
                let place = if self.link_text > 0 {
                    Place::LinkText
                } else if self.heading > 0 {
                    Place::Heading
                } else {
                    Place::Text
                };
                // Adjacent pieces of one paragraph (pulldown splits at some characters) join.
                match self.out.last_mut() {
                    Some(last) if last.span.end == span.start && last.place == place => {
                        last.span.end = span.end
                    }
                    _ => self.out.push(Run { span, place }),
                }
            }
            _ => {}
        }
    }

    pub(crate) fn finish(self) -> Vec<Run> {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(file: &str) -> Vec<(&str, Place)> {
        runs(file, 0)
            .iter()
            .map(|r| (&file[r.span.as_range()], r.place))
            .collect()
    }

    #[test]
    fn code_urls_targets_and_alt_text_are_not_prose() {
        let file = "## Amazon S3 요금\n\nUse `aws s3` and [[Amazon EC2]] or [[Amazon S3|버킷]].\n\n```\nAmazon Segemaker\n```\n\n![Amazon EC2 diagram](x.png) [Cloud Search](#cloud-search)\n";
        assert_eq!(
            texts(file),
            [
                ("Amazon S3 요금", Place::Heading),
                ("Use ", Place::Text),
                (" and ", Place::Text),
                (" or ", Place::Text),
                ("버킷", Place::LinkText),
                (".", Place::Text),
                (" ", Place::Text),
                ("Cloud Search", Place::LinkText),
            ]
        );
    }
}
