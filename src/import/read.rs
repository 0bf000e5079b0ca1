//! Reading whole inputs (CSV, JSON Lines, a JSON array) into rows.
//!
//! Every content problem becomes a [`RowError`] with its line; the readers
//! go on past a bad row so one run shows them all.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::fields::{match_header, Cells, Field, Problem, Raw};
use super::json::Json;
use super::{Origin, Parsed, Row, RowError};
use rust_i18n::t;

const BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF8_HINT: &str = "import.utf8";

/// Collects rows and errors for one input.
struct Out<'n> {
    name: &'n str,
    parsed: Parsed,
}

impl<'n> Out<'n> {
    /// `lines` is an estimate of the rows to come: a row is large, and
    /// growing the vector by doubling would copy them all again.
    fn new(name: &'n str, lines: usize) -> Out<'n> {
        Out {
            name,
            parsed: Parsed {
                rows: Vec::with_capacity(lines),
                errors: Vec::new(),
            },
        }
    }

    fn error(&mut self, line: u64, column: Option<&str>, message: impl Into<String>) {
        self.parsed.errors.push(RowError {
            file: self.name.to_string(),
            line,
            column: column.map(str::to_string),
            message: message.into(),
        });
    }

    fn row(&mut self, line: u64, cells: Cells) {
        match cells.build() {
            Ok(record) => self.parsed.rows.push(Row {
                origin: Origin {
                    file: self.name.to_string(),
                    line,
                },
                record,
            }),
            Err(problems) => {
                for Problem { column, message } in problems {
                    self.error(line, column.as_deref(), message);
                }
            }
        }
    }
}

/// The header's columns, as read once for the whole file.
enum Column {
    Field(Field),
    Extra,
    /// No header text: allowed while its cells are empty (spreadsheets
    /// export trailing empty columns).
    Unnamed,
}

pub(super) fn csv(name: &str, bytes: &[u8]) -> Parsed {
    let mut out = Out::new(name, count_lines(bytes));
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(bytes))
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut lines = Lines::new(bytes);

    // The header: the first record with any text in it.
    let (header_line, headers) = loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) if is_blank(&record) => continue,
            Ok(true) => break (lines.record(&record), record.clone()),
            Ok(false) => {
                out.error(1, None, t!("import.no_header"));
                return out.parsed;
            }
            Err(e) => {
                out.error(1, None, t!("import.bad_csv", error = e));
                return out.parsed;
            }
        }
    };
    let Some((names, columns)) = read_header(&mut out, header_line, &headers) else {
        return out.parsed;
    };

    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(header_line, |p| lines.at(p.byte() as usize));
                out.error(line, None, t!("import.bad_csv", error = e));
                break;
            }
        }
        if is_blank(&record) {
            continue;
        }
        let line = lines.record(&record);
        if record.len() != columns.len() {
            out.error(
                line,
                None,
                t!(
                    "import.field_count",
                    fields = record.len(),
                    columns = columns.len()
                ),
            );
            continue;
        }
        let mut cells = Cells::new();
        for ((bytes, column), name) in record.iter().zip(&columns).zip(&names) {
            let Ok(text) = std::str::from_utf8(bytes) else {
                let field = match column {
                    Column::Field(field) => Some(*field),
                    _ => None,
                };
                cells.unreadable(field, name, &t!(UTF8_HINT));
                continue;
            };
            let text = text.trim();
            match column {
                Column::Field(field) => cells.put(*field, name, Raw::Text(text)),
                Column::Extra => cells.put_extra(name, Raw::Text(text)),
                Column::Unnamed if text.is_empty() => {}
                Column::Unnamed => {
                    cells.problem(Problem::cell(name, t!("import.unnamed", text = text)))
                }
            }
        }
        out.row(line, cells);
    }
    out.parsed
}

/// The header's names (trimmed, or `column N` when empty) and what each
/// column holds; `None` after reporting a header no row can be read under.
fn read_header(
    out: &mut Out,
    line: u64,
    headers: &csv::ByteRecord,
) -> Option<(Vec<String>, Vec<Column>)> {
    let mut names = Vec::new();
    let mut columns = Vec::new();
    let mut fields: HashMap<Field, String> = HashMap::new();
    let mut extras = HashSet::new();
    let mut ok = true;
    for (i, bytes) in headers.iter().enumerate() {
        let Ok(name) = std::str::from_utf8(bytes) else {
            out.error(line, Some(&t!("import.column", n = i + 1)), t!(UTF8_HINT));
            ok = false;
            names.push(String::new());
            columns.push(Column::Unnamed);
            continue;
        };
        let name = name.trim();
        let column = if name.is_empty() {
            Column::Unnamed
        } else if let Some(field) = match_header(name) {
            if let Some(earlier) = fields.insert(field, name.to_string()) {
                out.error(
                    line,
                    Some(name),
                    t!(
                        "import.both_mean_columns",
                        earlier = earlier,
                        name = name,
                        field = field.name()
                    ),
                );
                ok = false;
            }
            Column::Field(field)
        } else {
            if !extras.insert(name.to_string()) {
                out.error(line, Some(name), t!("import.column_twice"));
                ok = false;
            }
            Column::Extra
        };
        names.push(if name.is_empty() {
            t!("import.column", n = i + 1).into_owned()
        } else {
            name.to_string()
        });
        columns.push(column);
    }
    for field in [Field::Nik, Field::Nama] {
        if !fields.contains_key(&field) {
            let spellings: Vec<&str> = std::iter::once(field.name())
                .chain(field.aliases().iter().copied())
                .collect();
            out.error(
                line,
                None,
                t!(
                    "import.no_column",
                    field = field.name(),
                    spellings = spellings.join(", ")
                ),
            );
            ok = false;
        }
    }
    ok.then_some((names, columns))
}

fn is_blank(record: &csv::ByteRecord) -> bool {
    record.iter().all(|f| f.trim_ascii().is_empty())
}

/// `;` or `,`: whichever the header line has more of outside quotes
/// (Indonesian spreadsheets export with `;`, because `,` is the decimal mark).
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let (mut semicolons, mut commas, mut quoted) = (0usize, 0usize, false);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    for &b in &bytes[start..] {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b';' if !quoted => semicolons += 1,
            b',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// JSON keys matched to fields once per distinct key, not once per row.
/// Rows of one file nearly always have the same keys in the same order, so
/// the key at the same position in the row before is tried first.
#[derive(Default)]
struct Keys {
    by_position: Vec<(String, Option<Field>)>,
    by_key: HashMap<String, Option<Field>>,
}

impl Keys {
    fn field(&mut self, position: usize, key: &str) -> Option<Field> {
        if let Some((known, field)) = self.by_position.get(position) {
            if known == key {
                return *field;
            }
        }
        let field = match self.by_key.get(key) {
            Some(field) => *field,
            None => {
                let field = match_header(key);
                self.by_key.insert(key.to_string(), field);
                field
            }
        };
        if position < self.by_position.len() {
            self.by_position[position] = (key.to_string(), field);
        } else if position == self.by_position.len() {
            self.by_position.push((key.to_string(), field));
        }
        field
    }
}

fn object_row(out: &mut Out, keys: &mut Keys, line: u64, object: &[(Cow<str>, Json)]) {
    let mut cells = Cells::new();
    for (position, (key, value)) in object.iter().enumerate() {
        let key = key.as_ref();
        // The tool's own JSON keeps unknown columns under "extra": read them back as such.
        if let (EXTRA, Json::Object(extra)) = (key, value) {
            for (column, value) in extra {
                match scalar(value) {
                    Some(raw) => cells.put_extra(column.trim(), raw),
                    None => cells.problem(Problem::cell(column.trim(), t!(NOT_SCALAR))),
                }
            }
            continue;
        }
        if let Json::Null = value {
            continue;
        }
        let Some(raw) = scalar(value) else {
            cells.problem(Problem::cell(key.trim(), t!(NOT_SCALAR)));
            continue;
        };
        match keys.field(position, key) {
            Some(field) => cells.put(field, key.trim(), raw),
            None => cells.put_extra(key.trim(), raw),
        }
    }
    out.row(line, cells);
}

const EXTRA: &str = "extra";
const NOT_SCALAR: &str = "import.not_scalar";

fn scalar<'a>(value: &'a Json) -> Option<Raw<'a>> {
    match value {
        Json::Text(s) => Some(Raw::Text(s.trim())),
        Json::Number(n) => Some(Raw::Number(n)),
        Json::Bool(b) => Some(Raw::Bool(*b)),
        Json::Null => Some(Raw::Text("")),
        Json::Array | Json::Object(_) => None,
    }
}

/// serde_json's message without its ` at line L column C`: the caller
/// says where, counted in the whole file.
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

pub(super) fn jsonl(name: &str, bytes: &[u8]) -> Parsed {
    let mut out = Out::new(name, count_lines(bytes));
    let mut keys = Keys::default();
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let number = i as u64 + 1;
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        let Ok(text) = std::str::from_utf8(line) else {
            out.error(number, None, t!("import.utf8_line"));
            continue;
        };
        match serde_json::from_str::<Json>(text) {
            Ok(Json::Object(object)) => object_row(&mut out, &mut keys, number, &object),
            Ok(other) => out.error(
                number,
                None,
                t!("import.jsonl_not_object", kind = other.kind()),
            ),
            Err(e) => out.error(
                number,
                None,
                t!(
                    "import.invalid_json_at",
                    column = e.column(),
                    error = json_message(&e)
                ),
            ),
        }
    }
    out.parsed
}

pub(super) fn json(name: &str, bytes: &[u8]) -> Parsed {
    let mut out = Out::new(name, 0);
    let mut keys = Keys::default();
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut lines = Lines::new(bytes);
    let not_array = t!("import.not_array");

    let mut pos = skip_ws(bytes, 0);
    match bytes.get(pos) {
        None => {
            out.error(1, None, t!("import.empty_file", not_array = not_array));
            return out.parsed;
        }
        Some(b'[') => pos += 1,
        Some(_) => {
            out.error(lines.at(pos), None, not_array);
            return out.parsed;
        }
    }
    let mut first = true;
    loop {
        pos = skip_ws(bytes, pos);
        match bytes.get(pos) {
            None => {
                out.error(lines.at(bytes.len()), None, t!("import.ends_inside"));
                return out.parsed;
            }
            Some(b']') if first => {
                pos += 1;
                break;
            }
            _ => {}
        }
        let line = lines.at(pos);
        let mut stream = serde_json::Deserializer::from_slice(&bytes[pos..]).into_iter::<Json>();
        match stream.next() {
            Some(Ok(value)) => {
                pos += stream.byte_offset();
                match value {
                    Json::Object(object) => object_row(&mut out, &mut keys, line, &object),
                    other => out.error(
                        line,
                        None,
                        t!("import.element_not_object", kind = other.kind()),
                    ),
                }
            }
            Some(Err(e)) => {
                // The parser cannot resynchronise inside a broken value: stop here.
                let error_line = line + (e.line() as u64).saturating_sub(1);
                out.error(
                    error_line,
                    None,
                    t!("import.invalid_json", error = json_message(&e)),
                );
                return out.parsed;
            }
            None => {
                out.error(line, None, t!("import.ends_inside"));
                return out.parsed;
            }
        }
        first = false;
        pos = skip_ws(bytes, pos);
        match bytes.get(pos) {
            Some(b',') => pos += 1,
            Some(b']') => {
                pos += 1;
                break;
            }
            Some(_) => {
                out.error(lines.at(pos), None, t!("import.expected_comma"));
                return out.parsed;
            }
            None => {
                out.error(lines.at(bytes.len()), None, t!("import.ends_inside"));
                return out.parsed;
            }
        }
    }
    let rest = skip_ws(bytes, pos);
    if rest < bytes.len() {
        out.error(lines.at(rest), None, t!("import.text_after"));
    }
    out.parsed
}

fn count_lines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count() + 1
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while bytes.get(pos).is_some_and(|b| b.is_ascii_whitespace()) {
        pos += 1;
    }
    pos
}

/// Line numbers of byte offsets met in increasing order: counts each
/// newline once, so a large file costs one pass.
struct Lines<'a> {
    bytes: &'a [u8],
    counted: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Lines<'a> {
        Lines {
            bytes,
            counted: 0,
            line: 1,
        }
    }

    /// The line a CSV record starts on. csv's own line count points at the
    /// end of the record before (blank lines and a CRLF's `\n` included),
    /// so start from its byte offset and step over line ends.
    fn record(&mut self, record: &csv::ByteRecord) -> u64 {
        let mut pos = record.position().map_or(0, |p| p.byte() as usize);
        while matches!(self.bytes.get(pos), Some(b'\r' | b'\n')) {
            pos += 1;
        }
        self.at(pos)
    }

    fn at(&mut self, pos: usize) -> u64 {
        let pos = pos.min(self.bytes.len());
        if pos > self.counted {
            self.line += self.bytes[self.counted..pos]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.counted = pos;
        }
        self.line
    }
}
