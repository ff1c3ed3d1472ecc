//! What a report needs of a note's text once the note is checked: the line and column of each
//! offset a finding may point at, and the lines snippets show. Kept instead of the text, so that
//! a run's memory grows with its entries and findings, not with the bytes of the vault.

use kb_model::{LineCol, LineIndex};

#[derive(Debug, Default)]
pub struct Excerpt {
    /// Offset → line and column, sorted by offset.
    points: Vec<(usize, LineCol)>,
    /// Line number → (offset of its first byte, its text without the line end), sorted.
    lines: Vec<(u32, usize, String)>,
}

impl Excerpt {
    /// The points `offsets` of `text` and the lines they fall on.
    pub fn new(text: &str, index: &LineIndex, offsets: impl IntoIterator<Item = usize>) -> Excerpt {
        let mut offsets: Vec<usize> = offsets.into_iter().collect();
        offsets.sort_unstable();
        offsets.dedup();
        // Columns counted from the previous point on the same line, not from the line's start:
        // a 10 MB line with a finding every few words stays linear.
        let mut points: Vec<(usize, LineCol)> = Vec::with_capacity(offsets.len());
        let mut last: Option<(usize, LineCol)> = None;
        for &asked in &offsets {
            let mut offset = asked.min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            let line = index.line(offset);
            let at = match last {
                Some((from, at)) if at.line == line && from <= offset => LineCol {
                    line,
                    column: at.column + count(&text[from..offset]),
                },
                _ => index.line_col(text, offset),
            };
            last = Some((offset, at));
            points.push((asked, at));
        }
        let mut wanted: Vec<u32> = points.iter().map(|(_, at)| at.line).collect();
        wanted.dedup();
        let lines = wanted
            .into_iter()
            .filter_map(|line| {
                let start = index.line_start(line)?;
                let end = index.line_start(line + 1).unwrap_or(text.len());
                let body = text.get(start..end)?.trim_end_matches(['\n', '\r']);
                Some((line, start, body.to_owned()))
            })
            .collect();
        Excerpt { points, lines }
    }

    /// Line and column of `offset`; the start of the note for an offset never asked for.
    pub fn line_col(&self, offset: usize) -> LineCol {
        match self.points.binary_search_by_key(&offset, |(o, _)| *o) {
            Ok(i) => self.points[i].1,
            Err(_) => LineCol { line: 1, column: 1 },
        }
    }

    pub fn line(&self, offset: usize) -> u32 {
        self.line_col(offset).line
    }

    /// The offset where `line` starts and its text, when a point falls on it.
    pub fn source_line(&self, line: u32) -> Option<(usize, &str)> {
        let i = self.lines.binary_search_by_key(&line, |(l, _, _)| *l).ok()?;
        let (_, start, text) = &self.lines[i];
        Some((*start, text.as_str()))
    }
}

fn count(text: &str) -> u32 {
    u32::try_from(text.chars().count()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_lines_and_columns_asked_for() {
        let text = "# 제목\r\n\n## Segemaker 노트\n";
        let index = LineIndex::new(text);
        let at = text.find("Segemaker").unwrap();
        let excerpt = Excerpt::new(text, &index, [at, at + 9]);
        assert_eq!(excerpt.line_col(at), LineCol { line: 3, column: 4 });
        assert_eq!(excerpt.line_col(at + 9), LineCol { line: 3, column: 13 });
        assert_eq!(excerpt.source_line(3), Some((at - 3, "## Segemaker 노트")));
        assert_eq!(excerpt.source_line(1), None);
    }

    #[test]
    fn columns_along_one_long_line_match_the_index() {
        let text = "가a나b다c\n".repeat(3).replace('\n', " ") + "\n끝";
        let index = LineIndex::new(&text);
        let offsets: Vec<usize> = (0..=text.len()).collect();
        let excerpt = Excerpt::new(&text, &index, offsets.clone());
        for offset in offsets {
            assert_eq!(
                excerpt.line_col(offset),
                index.line_col(&text, offset),
                "{offset}"
            );
        }
    }
}
