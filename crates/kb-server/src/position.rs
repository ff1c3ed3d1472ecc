//! Byte offsets of kb's spans ↔ LSP positions (a zero-based line and a character offset counted
//! in UTF-16 code units, or in bytes when the client accepts UTF-8).

use kb_model::LineIndex;
use lsp_types::{Position, Range};

/// How the client counts characters within a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// A note's text with its line starts, for converting positions both ways.
pub struct Text<'a> {
    pub text: &'a str,
    pub lines: &'a LineIndex,
    pub encoding: Encoding,
}

impl Text<'_> {
    /// The position of byte `offset` (clamped into the text, moved back to a character start).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.lines.line(offset);
        let start = self.lines.line_start(line).unwrap_or(0).min(offset);
        let before = &self.text[start..offset];
        let character = match self.encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.encode_utf16().count(),
        };
        Position {
            line: line.saturating_sub(1),
            character: u32::try_from(character).unwrap_or(u32::MAX),
        }
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range {
            start: self.position(start),
            end: self.position(end),
        }
    }

    /// The byte offset of `position`. A character past the end of its line means the line's
    /// end; a line past the last means the end of the text (as LSP asks).
    pub fn offset(&self, position: Position) -> usize {
        let Some(start) = self.lines.line_start(position.line.saturating_add(1)) else {
            return self.text.len();
        };
        let end = self
            .lines
            .line_start(position.line.saturating_add(2))
            .unwrap_or(self.text.len());
        let line = self.text[start..end].trim_end_matches(['\n', '\r']);
        let wanted = position.character as usize;
        let mut counted = 0;
        for (i, c) in line.char_indices() {
            if counted >= wanted {
                return start + i;
            }
            counted += match self.encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
        }
        start + line.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, encoding: Encoding, offset: usize) -> (u32, u32, usize) {
        let lines = LineIndex::new(text);
        let t = Text {
            text,
            lines: &lines,
            encoding,
        };
        let p = t.position(offset);
        (p.line, p.character, t.offset(p))
    }

    #[test]
    fn counts_utf16_units_for_korean_and_astral_characters() {
        let text = "# 제목\r\n😀 Segemaker\n";
        let at_name = text.find("Segemaker").unwrap();
        // `😀` is two UTF-16 units and four bytes; the space one of each.
        assert_eq!(at(text, Encoding::Utf16, at_name), (1, 3, at_name));
        assert_eq!(at(text, Encoding::Utf8, at_name), (1, 5, at_name));
        // `제` starts at byte 2: one UTF-16 unit, three bytes.
        assert_eq!(at(text, Encoding::Utf16, 5), (0, 3, 5));
    }

    #[test]
    fn positions_past_a_line_or_the_text_are_clamped() {
        let text = "ab\ncd";
        let lines = LineIndex::new(text);
        let t = Text {
            text,
            lines: &lines,
            encoding: Encoding::Utf16,
        };
        assert_eq!(
            t.offset(Position {
                line: 0,
                character: 99
            }),
            2
        );
        assert_eq!(
            t.offset(Position {
                line: 9,
                character: 0
            }),
            text.len()
        );
        // Inside a character: the offset moves back to its start.
        let text = "가나";
        let lines = LineIndex::new(text);
        let t = Text {
            text,
            lines: &lines,
            encoding: Encoding::Utf8,
        };
        assert_eq!(
            t.position(4),
            Position {
                line: 0,
                character: 3
            }
        );
    }
}
