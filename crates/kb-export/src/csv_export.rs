//! CSV: one row per entry, RFC 4180, UTF-8.

use std::borrow::Cow;
use std::io::Write;

use kb_model::{KnowledgeBase, Note};

use crate::ExportError;

/// The header row, in column order (a public interface).
pub const CSV_COLUMNS: [&str; 8] = [
    "canonical",
    "name",
    "category",
    "summary",
    "features",
    "tags",
    "path",
    "line",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// Start with a UTF-8 byte order mark, for spreadsheet programs that need one.
    pub bom: bool,
    /// Neutralise cells a spreadsheet would read as a formula (on by default in the CLI).
    pub sanitize: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            bom: false,
            sanitize: true,
        }
    }
}

/// A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to a
/// spreadsheet (OWASP "CSV injection"): prefix it with `'`, which spreadsheets hide and which
/// keeps the text readable (`'- item`).
pub fn neutralise_cell(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Write every entry of `kb` as a CSV row after a header row. Returns the number of rows.
pub fn write_csv<W: Write>(
    mut out: W,
    kb: &KnowledgeBase,
    options: &CsvOptions,
) -> Result<usize, ExportError> {
    out.write_all(&csv_head(options)?)?;
    let mut rows = 0;
    for note in &kb.notes {
        out.write_all(&csv_rows(note, options)?)?;
        rows += note.entries.len();
    }
    out.flush()?;
    Ok(rows)
}

/// What comes before the first row: the byte order mark if asked for, and the header row.
pub fn csv_head(options: &CsvOptions) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::new();
    if options.bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut writer = csv::WriterBuilder::new().from_writer(&mut out);
    writer.write_record(CSV_COLUMNS)?;
    writer.flush()?;
    drop(writer);
    Ok(out)
}

/// The rows of `note`'s entries, one per entry: a note at a time, so that notes can be
/// written in parallel and the export streamed. (Every record is quoted on its own, so rows
/// written apart are the rows one writer would write.)
pub fn csv_rows(note: &Note, options: &CsvOptions) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::new();
    let mut writer = csv::WriterBuilder::new().from_writer(&mut out);
    for entry in &note.entries {
        let features: Vec<&str> = entry.features.iter().map(|f| f.text.as_str()).collect();
        let cells = [
            entry.canonical.clone().unwrap_or_default(),
            entry.name.clone(),
            entry.category.clone().unwrap_or_default(),
            entry.summary.as_ref().map(|s| s.text.clone()).unwrap_or_default(),
            features.join("\n"),
            entry.tags.join(" "),
            entry.source.path.clone(),
        ];
        let mut record: Vec<Cow<'_, str>> = cells
            .iter()
            .map(|cell| {
                if options.sanitize {
                    Cow::Owned(neutralise_cell(cell).into_owned())
                } else {
                    Cow::Borrowed(cell.as_str())
                }
            })
            .collect();
        record.push(Cow::Owned(entry.source.line.to_string()));
        writer.write_record(record.iter().map(|c| c.as_bytes()))?;
    }
    writer.flush()?;
    drop(writer);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for cell in ["=1+1", "+1", "-x", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise_cell(cell), format!("'{cell}"));
        }
        for cell in ["", "a-b", "객체", " =x", "'x"] {
            assert_eq!(neutralise_cell(cell), cell);
        }
    }
}
