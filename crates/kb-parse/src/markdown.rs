//! A small block tree over pulldown-cmark's events, with byte spans into the file.
//!
//! Entries are decided over blocks (headings, paragraphs, lists, quotes), so the event stream is
//! folded once into this tree. Inline text keeps a map from its characters back to the source.

use kb_model::Span;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Text with markup removed, and where each piece of it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inline {
    pub text: String,
    /// `(offset in text, offset in file, exact)`: the text from this offset on was read from
    /// the file from this offset on; `exact` when the bytes are the same (no escapes).
    /// Most inline texts are one or two pieces: those are kept without an allocation.
    pub(crate) pieces: smallvec::SmallVec<[(usize, usize, bool); 2]>,
    /// Ranges of `text` in bold.
    pub strong: Vec<std::ops::Range<usize>>,
    /// Ranges of `text` in italics.
    pub emphasis: Vec<std::ops::Range<usize>>,
    /// The source span of the whole inline content.
    pub span: Span,
    pub(crate) spanned: bool,
}

impl Inline {
    /// Empty, with room for the text of a block whose source is `len` bytes long: its text
    /// (markup taken out) is no longer, so it is never regrown as it is read.
    fn for_source(len: usize) -> Inline {
        Inline {
            text: String::with_capacity(len),
            ..Inline::default()
        }
    }

    fn push(&mut self, text: &str, source: std::ops::Range<usize>, file: &str) {
        if text.is_empty() {
            return;
        }
        let exact = reads_as(file, source.clone(), text);
        self.pieces.push((self.text.len(), source.start, exact));
        self.text.push_str(text);
        self.extend_span(source);
    }

    fn push_space(&mut self, source: std::ops::Range<usize>) {
        if !self.text.is_empty() && !self.text.ends_with(' ') {
            self.pieces.push((self.text.len(), source.start, false));
            self.text.push(' ');
        }
        self.extend_span(source);
    }

    fn extend_span(&mut self, source: std::ops::Range<usize>) {
        let source = Span::new(source.start, source.end);
        self.span = if self.spanned {
            self.span.cover(source)
        } else {
            source
        };
        self.spanned = true;
    }

    /// The file offset of text offset `at`.
    pub fn source_offset(&self, at: usize) -> usize {
        let index = self.pieces.partition_point(|&(t, _, _)| t <= at);
        if index == 0 {
            return self.span.start;
        }
        let (text_start, file_start, exact) = self.pieces[index - 1];
        if exact {
            file_start + (at - text_start)
        } else {
            file_start
        }
    }

    /// The file span of text range `range`: from the start of its first character to the end
    /// of its last one.
    pub fn source_span(&self, range: std::ops::Range<usize>) -> Span {
        if range.is_empty() {
            let at = self.source_offset(range.start);
            return Span::new(at, at);
        }
        let start = self.source_offset(range.start);
        let last = self.text[..range.end]
            .char_indices()
            .next_back()
            .map_or(range.start, |(i, _)| i);
        let last_start = self.source_offset(last);
        let last_len = self.text[last..range.end].len();
        let index = self.pieces.partition_point(|&(t, _, _)| t <= last);
        let exact = index > 0 && self.pieces[index - 1].2;
        let end = if exact {
            last_start + last_len
        } else {
            last_start.max(start)
        };
        Span::new(start, end.max(start))
    }
}

/// Whether `text` (from pulldown-cmark) is exactly the bytes `source` of `file`. Most text is
/// borrowed from the file at that very place: then the answer needs no comparison.
pub(crate) fn reads_as(file: &str, source: std::ops::Range<usize>, text: &str) -> bool {
    file.get(source).is_some_and(|bytes| {
        bytes.len() == text.len() && (std::ptr::eq(bytes.as_ptr(), text.as_ptr()) || bytes == text)
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading {
        level: u8,
        inline: Inline,
        span: Span,
    },
    Paragraph {
        inline: Inline,
        span: Span,
    },
    List {
        items: Vec<ListItem>,
        span: Span,
    },
    Quote {
        blocks: Vec<Block>,
        span: Span,
    },
    /// Code, HTML, tables, rules, math: nothing an entry reads text from.
    Other {
        span: Span,
    },
}

impl Block {
    pub fn span(&self) -> Span {
        match self {
            Block::Heading { span, .. }
            | Block::Paragraph { span, .. }
            | Block::List { span, .. }
            | Block::Quote { span, .. }
            | Block::Other { span } => *span,
        }
    }
}

/// A link, image or embed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub kind: LinkKind,
    /// The target as written (`diagram.png`, `#section`, `Amazon S3#Pricing`).
    pub target: String,
    /// The whole link in the file.
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// `[text](target)` and reference links.
    Link,
    /// `[[Note]]`.
    WikiLink,
    /// `![alt](target)`.
    Image,
    /// `![[file]]`.
    Embed,
}

/// A heading's level, text (markup removed) and span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub span: Span,
}

/// Every heading of the tree, in order (headings inside lists and quotes too).
pub fn headings(blocks: &[Block]) -> Vec<Heading> {
    fn walk(blocks: &[Block], out: &mut Vec<Heading>) {
        for block in blocks {
            match block {
                Block::Heading { level, inline, span } => out.push(Heading {
                    level: *level,
                    text: inline.text.clone(),
                    span: *span,
                }),
                Block::Quote { blocks, .. } => walk(blocks, out),
                Block::List { items, .. } => {
                    for item in items {
                        walk(&item.blocks, out);
                    }
                }
                Block::Paragraph { .. } | Block::Other { .. } => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(blocks, &mut out);
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// The item's own text: its first paragraph (or the text of a tight item).
    pub inline: Inline,
    /// Everything after that: nested lists, further paragraphs, quotes.
    pub blocks: Vec<Block>,
    pub span: Span,
}

/// How deep lists and quotes nest in the block tree (kb-model caps reported depths at 32).
pub const MAX_NESTING: usize = 96;

/// The markdown extensions kb reads notes with (no math: `$0.90 ~ $1.00` is text).
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_WIKILINKS
}

/// A container being built.
enum Open {
    Heading {
        level: u8,
        inline: Inline,
        start: usize,
    },
    Paragraph {
        inline: Inline,
        start: usize,
    },
    List {
        items: Vec<ListItem>,
        start: usize,
    },
    /// `inline` is the item's own text: collected from text events while the item is tight
    /// (`settled` false), or its first paragraph; `settled` once nothing more is added to it.
    Item {
        inline: Inline,
        settled: bool,
        blocks: Vec<Block>,
        start: usize,
    },
    Quote {
        blocks: Vec<Block>,
        start: usize,
    },
    /// A block whose content is not read (code, tables, HTML…); nesting counted.
    Skip {
        start: usize,
        depth: usize,
    },
}

/// Parse the markdown `body` that starts at byte `base` of `file` (`body == &file[base..]`).
pub fn parse_blocks(file: &str, base: usize) -> (Vec<Block>, Vec<Link>) {
    parse_blocks_with(file, base, None)
}

/// As [`parse_blocks`], also feeding every event to `runs` (one pass of pulldown-cmark for the
/// block tree and the prose runs).
pub(crate) fn parse_blocks_with(
    file: &str,
    base: usize,
    mut runs: Option<&mut crate::prose::Runs<'_>>,
) -> (Vec<Block>, Vec<Link>) {
    let body = &file[base..];
    let mut stack: Vec<Open> = Vec::new();
    // Sized for a block per two lines or so: the tree is not regrown, block by block, as it
    // is read (a block is a large value, and a note has a hundred or more).
    let mut root: Vec<Block> = Vec::with_capacity(body.len() / 128);
    // Inside an image, alt text is not text of the note.
    let mut image_depth = 0usize;
    // Strong/emphasis starts, as offsets into the current inline text.
    let mut strong_starts: Vec<usize> = Vec::new();
    let mut emphasis_starts: Vec<usize> = Vec::new();
    let mut links: Vec<Link> = Vec::new();

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let range = (range.start + base)..(range.end + base);
        if let Some(runs) = runs.as_deref_mut() {
            runs.event(&event, range.clone());
        }
        // Links count wherever they are, tables included.
        if let Event::Start(
            Tag::Link {
                link_type, dest_url, ..
            }
            | Tag::Image {
                link_type, dest_url, ..
            },
        ) = &event
        {
            let is_image = matches!(event, Event::Start(Tag::Image { .. }));
            let wiki = matches!(link_type, pulldown_cmark::LinkType::WikiLink { .. });
            let kind = match (is_image, wiki) {
                (true, true) => LinkKind::Embed,
                (true, false) => LinkKind::Image,
                (false, true) => LinkKind::WikiLink,
                (false, false) => LinkKind::Link,
            };
            links.push(Link {
                kind,
                target: dest_url.to_string(),
                span: range.clone().into(),
            });
        }
        if let Some(Open::Skip { depth, start }) = stack.last_mut() {
            match &event {
                Event::Start(_) => *depth += 1,
                Event::End(_) if *depth > 0 => *depth -= 1,
                Event::End(_) => {
                    let span = Span::new(*start, range.end);
                    stack.pop();
                    add_block(&mut stack, &mut root, Block::Other { span });
                }
                _ => {}
            }
            continue;
        }
        match event {
            // Lists and quotes nested deeper than `MAX_NESTING` are read as one opaque block: the
            // tree, and everything that walks it, stays shallow whatever the input.
            Event::Start(Tag::List(_) | Tag::Item | Tag::BlockQuote(_)) if stack.len() >= MAX_NESTING => {
                stack.push(Open::Skip {
                    start: range.start,
                    depth: 0,
                })
            }
            Event::Start(tag) => match tag {
                Tag::Heading { level, .. } => stack.push(Open::Heading {
                    level: level as u8,
                    inline: Inline::for_source(range.len()),
                    start: range.start,
                }),
                Tag::Paragraph => stack.push(Open::Paragraph {
                    inline: Inline::for_source(range.len()),
                    start: range.start,
                }),
                Tag::List(_) => stack.push(Open::List {
                    // An item per line or two; a list item is a large value, not regrown
                    // item by item.
                    items: Vec::with_capacity((range.len() / 48).clamp(1, 64)),
                    start: range.start,
                }),
                Tag::Item => stack.push(Open::Item {
                    // A tight item's text is its first line (a loose item's is replaced by
                    // its first paragraph).
                    inline: Inline::for_source(first_line_len(&file[range.clone()])),
                    settled: false,
                    blocks: Vec::new(),
                    start: range.start,
                }),
                Tag::BlockQuote(_) => stack.push(Open::Quote {
                    blocks: Vec::new(),
                    start: range.start,
                }),
                Tag::Strong => strong_starts.push(current_len(&stack)),
                Tag::Emphasis => emphasis_starts.push(current_len(&stack)),
                Tag::Image { .. } => image_depth += 1,
                Tag::Link { .. } | Tag::Strikethrough | Tag::Superscript | Tag::Subscript => {}
                // Code, HTML, tables, footnotes, metadata, definition lists: not entry text.
                _ => stack.push(Open::Skip {
                    start: range.start,
                    depth: 0,
                }),
            },
            Event::End(end) => match end {
                TagEnd::Heading(_)
                | TagEnd::Paragraph
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_) => {
                    close(&mut stack, &mut root, range.end);
                }
                TagEnd::Strong => {
                    if let (Some(start), Some(inline)) = (strong_starts.pop(), current_inline(&mut stack)) {
                        let end = inline.text.len();
                        inline.strong.push(start.min(end)..end);
                    }
                }
                TagEnd::Emphasis => {
                    if let (Some(start), Some(inline)) = (emphasis_starts.pop(), current_inline(&mut stack)) {
                        let end = inline.text.len();
                        inline.emphasis.push(start.min(end)..end);
                    }
                }
                TagEnd::Image => image_depth = image_depth.saturating_sub(1),
                _ => {}
            },
            Event::Text(text) | Event::Code(text) if image_depth == 0 => {
                if let Some(inline) = current_inline(&mut stack) {
                    inline.push(&text, range, file);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(inline) = current_inline(&mut stack) {
                    inline.push_space(range);
                }
            }
            // HTML inside a paragraph or heading (`<img>`, `<mark>`) is not text but part of
            // the block; HTML anywhere else is a block of its own.
            Event::Html(_) | Event::InlineHtml(_) if current_inline(&mut stack).is_none() => {
                add_block(&mut stack, &mut root, Block::Other { span: range.into() });
            }
            Event::Rule | Event::DisplayMath(_) => {
                add_block(&mut stack, &mut root, Block::Other { span: range.into() });
            }
            _ => {}
        }
    }
    // pulldown-cmark closes every block it opens; this only guards against a surprise.
    while !stack.is_empty() {
        let end = file.len();
        close(&mut stack, &mut root, end);
    }
    (root, links)
}

/// The length of the first line of `text`.
fn first_line_len(text: &str) -> usize {
    memchr::memchr(b'\n', text.as_bytes()).unwrap_or(text.len())
}

fn current_len(stack: &[Open]) -> usize {
    match stack.last() {
        Some(Open::Heading { inline, .. } | Open::Paragraph { inline, .. }) => inline.text.len(),
        Some(Open::Item {
            inline,
            settled: false,
            ..
        }) => inline.text.len(),
        _ => 0,
    }
}

/// The inline text being collected: a heading's, a paragraph's, or a tight item's.
fn current_inline(stack: &mut [Open]) -> Option<&mut Inline> {
    match stack.last_mut()? {
        Open::Heading { inline, .. } | Open::Paragraph { inline, .. } => Some(inline),
        Open::Item {
            inline,
            settled: false,
            blocks,
            ..
        } if blocks.is_empty() => Some(inline),
        _ => None,
    }
}

fn close(stack: &mut Vec<Open>, root: &mut Vec<Block>, end: usize) {
    let Some(open) = stack.pop() else { return };
    let block = match open {
        Open::Heading { level, inline, start } => Block::Heading {
            level,
            inline,
            span: Span::new(start, end),
        },
        Open::Paragraph { inline, start } => {
            // The first paragraph of a list item is the item's own text.
            if let Some(Open::Item {
                inline: own,
                settled,
                blocks,
                ..
            }) = stack.last_mut()
            {
                if !*settled && blocks.is_empty() && own.text.is_empty() {
                    *own = inline;
                    *settled = true;
                    return;
                }
            }
            Block::Paragraph {
                inline,
                span: Span::new(start, end),
            }
        }
        Open::List { items, start } => Block::List {
            items,
            span: Span::new(start, end),
        },
        Open::Item {
            inline,
            blocks,
            start,
            ..
        } => {
            let item = ListItem {
                inline,
                blocks,
                span: Span::new(start, end),
            };
            if let Some(Open::List { items, .. }) = stack.last_mut() {
                items.push(item);
                return;
            }
            // An item outside a list cannot happen; keep its content anyway.
            Block::List {
                span: item.span,
                items: vec![item],
            }
        }
        Open::Quote { blocks, start } => Block::Quote {
            blocks,
            span: Span::new(start, end),
        },
        Open::Skip { start, .. } => Block::Other {
            span: Span::new(start, end),
        },
    };
    add_block(stack, root, block);
}

fn add_block(stack: &mut [Open], root: &mut Vec<Block>, block: Block) {
    match stack.last_mut() {
        None => root.push(block),
        Some(Open::Item {
            inline,
            settled,
            blocks,
            ..
        }) => {
            // A tight item's text ends where its first nested block starts.
            if !inline.text.is_empty() {
                *settled = true;
            }
            blocks.push(block);
        }
        Some(Open::Quote { blocks, .. }) => blocks.push(block),
        // Blocks inside headings or paragraphs do not exist in CommonMark; inside a list only
        // items do. Drop nothing silently: attach to the nearest container that takes blocks.
        Some(_) => root.push(block),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tight_items_keep_text_and_children() {
        let text = "- **Amazon ECS**\n  - 컨테이너 서비스\n  - 둘째\n";
        let (blocks, _) = parse_blocks(text, 0);
        let Block::List { items, .. } = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(items[0].inline.text, "Amazon ECS");
        assert_eq!(items[0].inline.strong, vec![0..10]);
        let Block::List { items: nested, .. } = &items[0].blocks[0] else {
            panic!()
        };
        assert_eq!(nested[1].inline.text, "둘째");
        let span = nested[1].inline.span;
        assert_eq!(&text[span.as_range()], "둘째");
    }

    #[test]
    fn inline_maps_back_to_source() {
        let text = "## <img src=\"x.png\"> Amazon **S3** 요금\n";
        let (blocks, _) = parse_blocks(text, 0);
        let Block::Heading { inline, level, .. } = &blocks[0] else {
            panic!()
        };
        assert_eq!(*level, 2);
        let at = inline.text.find("S3").unwrap();
        let span = inline.source_span(at..at + 2);
        assert_eq!(&text[span.as_range()], "S3");
        let at = inline.text.find("Amazon").unwrap();
        assert_eq!(&text[inline.source_span(at..at + 9).as_range()], "Amazon **S3");
    }

    #[test]
    fn code_and_tables_are_opaque() {
        let text = "```\n## not a heading\n```\n\n| a | b |\n|---|---|\n| c | d |\n";
        let (blocks, _) = parse_blocks(text, 0);
        assert!(
            blocks.iter().all(|b| matches!(b, Block::Other { .. })),
            "{blocks:?}"
        );
    }
}
