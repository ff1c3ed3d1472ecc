/// Maps byte offsets of one file to 1-based lines and columns.
///
/// Columns count Unicode code points (a tab is one column), as every kb output does. A line ends
/// at `\n`, `\r\n` or a lone `\r`, as in CommonMark.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts; the first is always 0.
    starts: Vec<usize>,
}

/// A 1-based line and column (in code points).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 40 + 1);
        starts.push(0);
        // Line ends found a vector at a time: this runs over every byte of every note. Most
        // notes end their lines with `\n` alone, and one byte is found faster than two.
        if memchr::memchr(b'\r', bytes).is_none() {
            starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        } else {
            for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
                if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                    starts.push(i + 1);
                }
            }
        }
        LineIndex { starts }
    }

    /// The number of lines (a final line without a line ending counts; an empty file has one).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line holding `offset`.
    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Line and column of `offset` in `text` (the text this index was built from). An offset
    /// inside a character or past the end is clamped to the previous character boundary.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = text[start..offset].chars().count() + 1;
        LineCol {
            line: to_u32(line + 1),
            column: to_u32(column),
        }
    }

    /// The 1-based line of `offset`.
    pub fn line(&self, offset: usize) -> u32 {
        to_u32(self.line_of(offset) + 1)
    }

    /// Byte offset where the 1-based `line` starts, if it exists.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        let line = usize::try_from(line).ok()?.checked_sub(1)?;
        self.starts.get(line).copied()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_code_points_not_bytes() {
        let text = "제목: 한국어 Segemaker\nnext";
        let index = LineIndex::new(text);
        let offset = text.find("Segemaker").unwrap();
        assert_eq!(index.line_col(text, offset), LineCol { line: 1, column: 9 });
        let next = text.find("next").unwrap();
        assert_eq!(index.line_col(text, next), LineCol { line: 2, column: 1 });
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = "a\r\nb\rc\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line(text.find('b').unwrap()), 2);
        assert_eq!(index.line(text.find('c').unwrap()), 3);
        // The \n of a CRLF belongs to the line it ends.
        assert_eq!(index.line(2), 1);
    }

    /// Line starts as the definition says, a character at a time.
    fn plain_starts(text: &str) -> Vec<usize> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        starts
    }

    proptest::proptest! {
        /// Lines are found as the definition finds them, with and without carriage returns.
        #[test]
        fn line_starts_are_the_plain_ones(text in "[a\n\r한\u{0080}\u{008A}\u{FF0A}]{0,70}") {
            proptest::prop_assert_eq!(LineIndex::new(&text).starts, plain_starts(&text));
            let without_cr = text.replace('\r', "");
            proptest::prop_assert_eq!(LineIndex::new(&without_cr).starts, plain_starts(&without_cr));
        }
    }

    #[test]
    fn offsets_inside_a_character_are_clamped() {
        let text = "한a";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 1), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 99), LineCol { line: 1, column: 3 });
    }
}
