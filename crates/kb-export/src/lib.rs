//! kb's export writers: the canonical JSON document, CSV, Anki's text import file and `.apkg`
//! packages.
//!
//! Every writer takes the canonical model and writes into an `impl Write`; nothing here touches
//! the file system, the clock or the environment. The CLI chooses the files, reads the images
//! (after checking that they lie inside the vault) and passes the export time.
//!
//! Sanitising lives here: CSV cells that a spreadsheet would execute are neutralised, and every
//! Anki field is HTML escaped from plain text and then passed through an allow-list sanitiser.

mod anki;
mod apkg;
mod csv_export;
mod guid;
mod html;
mod json_export;
mod media;

pub use anki::{service_notes, write_anki_text, AnkiOptions, ServiceNote, ANKI_TEXT_COLUMNS};
pub use apkg::{write_apkg, MODEL_FIELDS, MODEL_ID, MODEL_NAME};
pub use csv_export::{csv_head, csv_rows, neutralise_cell, write_csv, CsvOptions, CSV_COLUMNS};
pub use guid::{guid_for, ServiceKey};
pub use html::sanitize_html;
pub use json_export::JsonLayout;
pub use media::{image_references, Media, MediaFile};

use thiserror::Error;

/// Why an export could not be written.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error("writing the export")]
    Io(#[from] std::io::Error),
    #[error("writing CSV")]
    Csv(#[from] csv::Error),
    #[error("building the Anki collection")]
    Sqlite(#[from] rusqlite::Error),
    #[error("building the .apkg archive")]
    Zip(#[from] zip::result::ZipError),
}
