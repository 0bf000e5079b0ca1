//! Reading data keragaan koperasi (CSV, JSON Lines, JSON) into records,
//! and the recap (rekap) over them.
//!
//! Pure: bytes in, [`Keragaan`] records and [`RowError`]s out. Nothing here
//! touches the data directory.
//!
//! ```
//! use koperasi_sop::import::{dedupe, parse, InputFormat};
//!
//! let csv = "NIK Koperasi;Nama Koperasi;Aset\n6472010000123;KSP Maju;Rp 1.250.000\n";
//! let parsed = parse("data.csv", csv.as_bytes(), InputFormat::Csv).unwrap();
//! let (rows, errors) = dedupe(parsed.rows);
//! assert!(parsed.errors.is_empty() && errors.is_empty());
//! assert_eq!(rows[0].record.aset, Some(1_250_000));
//! assert_eq!(rows[0].origin.to_string(), "data.csv:2");
//! ```

mod fields;
mod json;
mod read;
mod record;
mod rekap;
pub mod value;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Read};
use std::path::Path;

use rust_i18n::t;
use serde::Serialize;

pub use fields::{header_key, match_header, Field};
pub use record::{Grade, Keragaan, Kesehatan, StatusNik};
pub use rekap::{rekap, rupiah, GroupBy, Rekap, RekapRow};
pub use value::ValueError;

/// How an input is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Comma- or semicolon-separated, with a header row.
    Csv,
    /// JSON Lines: one object per line.
    Jsonl,
    /// One JSON array of objects.
    Json,
}

impl InputFormat {
    /// The format a file name says: `.csv`, `.jsonl`/`.ndjson`, `.json`.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(InputFormat::Csv),
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
            "json" => Some(InputFormat::Json),
            _ => None,
        }
    }
}

/// Where a row came from: the name to show (file path as given, or "-" for
/// stdin) and the 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub file: String,
    pub line: u64,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One cooperative read from an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub origin: Origin,
    pub record: Keragaan,
}

/// One problem: `FILE:LINE: column: what is wrong`, the column left out
/// when the problem is the whole row or line. The column is named as the
/// input names it (the header as written, or the JSON key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{file}:{line}: {}{message}", column.as_ref().map(|c| format!("{c}: ")).unwrap_or_default())]
pub struct RowError {
    pub file: String,
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

/// What one input gave: its good rows and every problem, in line order.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub rows: Vec<Row>,
    pub errors: Vec<RowError>,
}

/// Parses a whole input. Never panics; an unreadable input is the `Err`,
/// every problem with its content is a [`RowError`].
///
/// Does not look for a NIK given twice: call [`dedupe`] over the rows of
/// every input of one import.
pub fn parse(name: &str, mut reader: impl Read, format: InputFormat) -> io::Result<Parsed> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    // Excel's "Unicode Text" and some Windows tools write UTF-16: say so
    // once instead of an "invalid UTF-8" on every line.
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Ok(Parsed {
            rows: Vec::new(),
            errors: vec![RowError {
                file: name.to_string(),
                line: 1,
                column: None,
                message: t!("import.utf16").into_owned(),
            }],
        });
    }
    Ok(match format {
        InputFormat::Csv => read::csv(name, &bytes),
        InputFormat::Jsonl => read::jsonl(name, &bytes),
        InputFormat::Json => read::json(name, &bytes),
    })
}

/// Drops repeats of a NIK across all the rows of an import: a repeat with
/// the same data is dropped silently (the same file given twice, an export
/// overlapping another); a repeat with different data is an error on the
/// later row, since the tool cannot know which is right. The first row of
/// each NIK is kept, in input order.
pub fn dedupe(mut rows: Vec<Row>) -> (Vec<Row>, Vec<RowError>) {
    let mut errors = Vec::new();
    let mut keep = vec![true; rows.len()];
    {
        // Borrows the NIKs: no copy of a key, and no row moves until the end.
        let mut first: HashMap<&crate::case::Nik, &Row> = HashMap::with_capacity(rows.len());
        for (row, keep) in rows.iter().zip(keep.iter_mut()) {
            let Some(earlier) = first.get(&row.record.nik) else {
                first.insert(&row.record.nik, row);
                continue;
            };
            *keep = false;
            if earlier.record == row.record {
                continue;
            }
            let at = if earlier.origin.file == row.origin.file {
                t!("import.line", line = earlier.origin.line).into_owned()
            } else {
                earlier.origin.to_string()
            };
            errors.push(RowError {
                file: row.origin.file.clone(),
                line: row.origin.line,
                column: Some("nik".into()),
                message: t!(
                    "import.repeated_nik",
                    nik = row.record.nik,
                    at = at,
                    fields = earlier.record.changed_fields(&row.record).join(", ")
                )
                .into_owned(),
            });
        }
    }
    let mut keep = keep.into_iter();
    rows.retain(|_| keep.next().unwrap_or(true));
    (rows, errors)
}
