//! Tables for people and JSON for scripts.
//!
//! The JSON field names are a contract with scripts (see the README):
//! add fields freely, never rename or remove one.

use std::ffi::OsStr;
use std::io::{self, IsTerminal, Write};

use chrono::SecondsFormat;
use comfy_table::{presets, Cell, ContentArrangement, Table};
use rust_i18n::t;
use serde::Serialize;

use crate::calendar::Calendar;
use crate::case::{CaseId, Decision, Nik, Time, Timed};
use crate::sop::{Sop, Step};
use crate::store::Summary;
use crate::waktu::Waktu;

/// A table in the house style: wrapped to fit a terminal; unwrapped when
/// piped, so each row stays on one line for grep and files.
pub fn table<S: ToString>(header: &[S]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_header(header.iter().map(|h| Cell::new(h.to_string())));
    if io::stdout().is_terminal() {
        table.set_content_arrangement(ContentArrangement::Dynamic);
    }
    table
}

/// Writes a table in the house style of [`table`], unwrapped, without
/// building a `comfy_table::Table`: for the long tables `status` pipes to a
/// file (a national store has tens of thousands of rows, where the general
/// table costs most of the command's time). The output is the same.
pub fn plain_table<S: AsRef<str>>(
    out: &mut impl Write,
    header: &[S],
    rows: &[Vec<String>],
) -> io::Result<()> {
    use unicode_width::UnicodeWidthStr;
    // A line break would break the row: shown as a space.
    let clean = |text: &str| -> String {
        if text.contains(['\n', '\r']) {
            text.replace(['\n', '\r'], " ")
        } else {
            text.to_string()
        }
    };
    let mut widths: Vec<usize> = header.iter().map(|h| h.as_ref().width()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let rule = |out: &mut dyn Write, left: &str, fill: &str, join: &str, right: &str| {
        let parts: Vec<String> = widths.iter().map(|w| fill.repeat(w + 2)).collect();
        writeln!(out, "{left}{}{right}", parts.join(join))
    };
    let line = |out: &mut dyn Write, cells: &mut dyn Iterator<Item = String>| {
        let mut text = String::from("│");
        for (i, (cell, width)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                text.push('┆');
            }
            let pad = width - cell.width();
            text.push(' ');
            text.push_str(&cell);
            text.extend(std::iter::repeat_n(' ', pad + 1));
        }
        text.push('│');
        writeln!(out, "{text}")
    };
    rule(out, "┌", "─", "┬", "┐")?;
    line(out, &mut header.iter().map(|h| clean(h.as_ref())))?;
    rule(out, "╞", "═", "╪", "╡")?;
    for row in rows {
        line(out, &mut row.iter().map(|c| clean(c)))?;
    }
    rule(out, "└", "─", "┴", "┘")
}

/// When tables are coloured (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and NO_COLOR is unset or empty
    Auto,
    /// Always, even into a pipe or a file
    Always,
    /// Never
    Never,
}

impl ColorChoice {
    /// Whether to colour what this process prints to stdout.
    pub fn enabled(self) -> bool {
        self.resolve(
            io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        )
    }

    /// An explicit choice wins over NO_COLOR (https://no-color.org).
    fn resolve(self, terminal: bool, no_color: Option<&OsStr>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && no_color.is_none_or(OsStr::is_empty),
        }
    }
}

/// A time as a person reads it, in the calendar's zone: `2026-12-07 08:00`.
pub fn local(t: Time) -> String {
    use chrono::Datelike;
    if (0..=9999).contains(&t.naive_local().year()) {
        // Written directly: a long status table shows two per row.
        let bytes = rfc3339_bytes(&t);
        let mut text = String::from_utf8_lossy(&bytes[..16]).into_owned();
        text.replace_range(10..11, " ");
        text
    } else {
        t.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// A time as scripts read it: RFC 3339 with its offset.
pub fn rfc3339(t: Time) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Working time in the SOP's own units: `1 hari 2 jam 5 menit`.
pub fn work(secs: i64, calendar: &Calendar) -> String {
    let secs = secs.unsigned_abs();
    if secs > 0 && secs < 60 {
        return "< 1 menit".into();
    }
    let minutes = secs / 60;
    let day = u64::from(calendar.day_minutes().max(1));
    let waktu = Waktu {
        days: u32::try_from(minutes / day).unwrap_or(u32::MAX),
        minutes: (minutes % day) as u32,
    };
    if waktu == Waktu::default() {
        "0 menit".into()
    } else {
        waktu.to_string()
    }
}

/// Writes an RFC 4180 table (CRLF line ends, quoting where needed) with a
/// header row, also when there are no rows. Each row holds the fields of
/// `row` (as it serializes to JSON) named in `header`: arrays joined with
/// ";", null as an empty field. So the columns are the JSON fields.
pub fn csv<R: Serialize>(
    out: &mut impl Write,
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(header)?;
    for row in rows {
        let value = serde_json::to_value(row).map_err(io::Error::from)?;
        writer.write_record(header.iter().map(|name| csv_field(&value[*name])))?;
    }
    writer.flush()
}

fn csv_field(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(csv_field).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

/// Writes a long list as a JSON array with one compact element per line:
/// a fraction of the bytes of pretty JSON, still one record per line for
/// grep and line-wise tools.
pub fn json_lines<T: Serialize>(
    out: &mut impl Write,
    items: impl IntoIterator<Item = T>,
) -> io::Result<()> {
    let mut first = true;
    for item in items {
        out.write_all(if first { b"[\n" } else { b",\n" })?;
        first = false;
        serde_json::to_writer(&mut *out, &item).map_err(io::Error::from)?;
    }
    out.write_all(if first { b"[]\n" } else { b"\n]\n" })
}

/// [`json_lines`] for a long slice, serialized on two threads: half the
/// wait for a national `status`.
pub fn json_lines_parallel<T: Serialize + Sync>(
    out: &mut impl Write,
    items: &[T],
) -> io::Result<()> {
    if items.len() < 10_000 {
        return json_lines(out, items);
    }
    let (first, second) = items.split_at(items.len() / 2);
    let encode = |part: &[T]| -> io::Result<Vec<u8>> {
        let mut buf = Vec::with_capacity(part.len() * 360);
        for item in part {
            buf.extend_from_slice(b",\n");
            serde_json::to_writer(&mut buf, item).map_err(io::Error::from)?;
        }
        Ok(buf)
    };
    let (a, b) = std::thread::scope(|scope| {
        let other = scope.spawn(|| encode(second));
        let a = encode(first);
        (a, other.join().expect("the encoding thread does not panic"))
    });
    let (a, b) = (a?, b?);
    out.write_all(b"[\n")?;
    out.write_all(&a[2..])?;
    out.write_all(&b)?;
    out.write_all(b"\n]\n")
}

/// Writes `value` as pretty JSON and a newline.
pub fn json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
}

/// The actors of a step, by id: `kepala_bidang, sekretaris`.
pub fn actors(step: Option<&Step>) -> Vec<String> {
    step.map(|s| s.actors.clone()).unwrap_or_default()
}

/// One element of `status --format json`. It borrows from the case's
/// summary and its SOP: `status` makes one per case, so a national store
/// makes 100,000 of them.
#[derive(Debug, Serialize)]
pub struct StatusRow<'a> {
    #[serde(serialize_with = "as_text")]
    pub id: &'a CaseId,
    #[serde(serialize_with = "as_text")]
    pub nik: &'a Nik,
    pub nama: &'a str,
    pub state: &'static str,
    pub step: Option<u32>,
    pub roles: &'a [String],
    #[serde(serialize_with = "opt_rfc3339")]
    pub started_at: Option<Time>,
    #[serde(serialize_with = "opt_rfc3339")]
    pub due_at: Option<Time>,
    pub overdue: bool,
    /// Segera: not overdue yet, but the running step has used `--soon`
    /// percent (75 by default) or more of its standard.
    pub due_soon: bool,
    /// The running step's clock is stopped (`pause`).
    pub paused: bool,
    /// Working minutes left before due; 0 when overdue or done.
    pub remaining_minutes: Option<i64>,
    /// Working minutes past due; 0 when on time, null when done.
    pub late_minutes: Option<i64>,
    #[serde(serialize_with = "ser_rfc3339")]
    pub opened_at: Time,
    #[serde(serialize_with = "opt_rfc3339")]
    pub finished_at: Option<Time>,
    /// The running pass, for tables.
    #[serde(skip)]
    pub running: Option<Timed>,
    /// Working seconds before due (positive) or past due (negative).
    #[serde(skip)]
    pub margin_secs: Option<i64>,
}

/// The columns of `status --format csv`: the fields of its JSON rows.
pub const STATUS_CSV: &[&str] = &[
    "id",
    "nik",
    "nama",
    "state",
    "step",
    "roles",
    "started_at",
    "due_at",
    "overdue",
    "due_soon",
    "paused",
    "remaining_minutes",
    "late_minutes",
    "opened_at",
    "finished_at",
];

/// The share of its standard a running step may use before it is due soon.
pub const DEFAULT_SOON_PERCENT: u8 = 75;

/// RFC 3339 to the second, `2026-12-07T08:00:00+08:00`, written without
/// the formatting machinery: `status` writes four per case.
fn rfc3339_bytes(t: &Time) -> [u8; 25] {
    use chrono::{Datelike, Timelike};
    let local = t.naive_local();
    let offset = t.offset().local_minus_utc();
    let mut b = *b"0000-00-00T00:00:00+00:00";
    let mut put = |at: usize, value: u32, width: usize| {
        let mut v = value;
        for i in (0..width).rev() {
            b[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, local.year().clamp(0, 9999) as u32, 4);
    put(5, local.month(), 2);
    put(8, local.day(), 2);
    put(11, local.hour(), 2);
    put(14, local.minute(), 2);
    put(17, local.second(), 2);
    let abs = offset.unsigned_abs();
    put(20, abs / 3600, 2);
    put(23, abs % 3600 / 60, 2);
    if offset < 0 {
        b[19] = b'-';
    }
    b
}

fn ser_rfc3339<S: serde::Serializer>(t: &Time, s: S) -> Result<S::Ok, S::Error> {
    use chrono::Datelike;
    // Years outside 0..=9999 and odd offsets take the general path.
    if (0..=9999).contains(&t.naive_local().year()) && t.offset().local_minus_utc() % 60 == 0 {
        let bytes = rfc3339_bytes(t);
        s.serialize_str(std::str::from_utf8(&bytes).expect("ASCII"))
    } else {
        s.serialize_str(&rfc3339(*t))
    }
}

fn opt_rfc3339<S: serde::Serializer>(t: &Option<Time>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => ser_rfc3339(t, s),
        None => s.serialize_none(),
    }
}

fn as_text<S: serde::Serializer>(value: &impl std::fmt::Display, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

impl StatusRow<'_> {
    /// "OVERDUE 1 jam", "SEGERA 20 menit left" or "2 jam 30 menit left";
    /// empty when done.
    pub fn margin_text(&self, calendar: &Calendar) -> String {
        let text = self.margin_only(calendar);
        if self.paused {
            t!("render.paused", text = text).into_owned()
        } else {
            text
        }
    }

    fn margin_only(&self, calendar: &Calendar) -> String {
        match self.margin_secs {
            Some(m) if m < 0 || self.overdue => {
                t!("render.overdue", time = work(m, calendar)).into_owned()
            }
            Some(m) if self.due_soon => t!("render.soon", time = work(m, calendar)).into_owned(),
            Some(m) => t!("render.left", time = work(m, calendar)).into_owned(),
            None => String::new(),
        }
    }

    /// Marks the row due soon when its running step, not yet overdue, has
    /// used `percent` or more of its standard (paused time left out).
    pub fn mark_due_soon(&mut self, percent: u8) {
        self.due_soon = self.running.as_ref().is_some_and(|t| {
            !t.late
                && t.standard_secs > 0
                && t.taken_secs.saturating_mul(100)
                    >= t.standard_secs.saturating_mul(i64::from(percent))
        });
    }
}

impl<'a> StatusRow<'a> {
    /// The row of a case, from its index summary.
    pub fn new(case: &'a Summary, sop: &'a Sop, calendar: &Calendar, now: Time) -> StatusRow<'a> {
        let running = case.step.map(|(step, started)| {
            Timed::running(
                sop,
                calendar,
                step,
                started,
                &case.pauses,
                case.paused_since,
                now,
            )
        });
        let margin = running.as_ref().map(|r| r.margin_secs(calendar, now));
        let mut row = StatusRow {
            id: &case.id,
            nik: &case.nik,
            nama: &case.nama,
            state: if case.is_done() { "done" } else { "active" },
            step: running.as_ref().map(|r| r.step),
            roles: running
                .as_ref()
                .and_then(|r| sop.step(r.step))
                .map_or(&[], |s| s.actors.as_slice()),
            started_at: running.as_ref().map(|r| r.started_at),
            due_at: running.as_ref().map(|r| r.due_at),
            overdue: running.as_ref().is_some_and(|r| r.late),
            due_soon: false,
            paused: case.paused_since.is_some(),
            remaining_minutes: margin.map(|m| m.max(0) / 60),
            late_minutes: margin.map(|m| (-m).max(0) / 60),
            opened_at: case.opened_at,
            finished_at: case.finished_at,
            margin_secs: margin,
            running,
        };
        row.mark_due_soon(DEFAULT_SOON_PERCENT);
        row
    }
}

pub fn state_name(case: &crate::case::Case) -> &'static str {
    if case.is_done() {
        "done"
    } else {
        "active"
    }
}

/// One pass in `show` and `check --format json`.
#[derive(Debug, Serialize)]
pub struct PassRow {
    pub step: u32,
    /// The role that completed the pass; null while running.
    pub role: Option<String>,
    pub officer: Option<String>,
    pub started_at: String,
    pub completed_at: Option<String>,
    pub due_at: String,
    pub late: bool,
    pub decision: Option<Decision>,
    pub note: Option<String>,
    /// The step's time standard, in working minutes.
    pub standard_minutes: i64,
    /// Working minutes taken: to completion, or so far while running.
    pub taken_minutes: i64,
}

impl From<&Timed> for PassRow {
    fn from(t: &Timed) -> PassRow {
        PassRow {
            step: t.step,
            role: t.role.clone(),
            officer: t.officer.clone(),
            started_at: rfc3339(t.started_at),
            completed_at: t.completed_at.map(rfc3339),
            due_at: rfc3339(t.due_at),
            late: t.late,
            decision: t.decision,
            note: t.note.clone(),
            standard_minutes: t.standard_secs / 60,
            taken_minutes: t.taken_secs / 60,
        }
    }
}

/// The columns of `show` and `check --format csv`: the case id and the
/// fields of a JSON pass.
pub const PASS_CSV: &[&str] = &[
    "id",
    "step",
    "role",
    "officer",
    "started_at",
    "completed_at",
    "due_at",
    "late",
    "decision",
    "note",
    "standard_minutes",
    "taken_minutes",
];

/// A pass with the id of its case: an element of `check`'s `passes`.
#[derive(Debug, Serialize)]
pub struct CasePass {
    pub id: String,
    #[serde(flatten)]
    pub pass: PassRow,
}

impl CasePass {
    pub fn new(id: &str, t: &Timed) -> CasePass {
        CasePass {
            id: id.to_string(),
            pass: PassRow::from(t),
        }
    }
}

/// How a pass stands against its standard, for a table cell.
pub fn verdict(t: &Timed) -> String {
    let key = match (t.completed_at.is_some(), t.late) {
        (true, false) => "verdict.on_time",
        (true, true) => "verdict.late",
        (false, false) => "verdict.running",
        (false, true) => "verdict.overdue",
    };
    t!(key).into_owned()
}

/// The table of passes `show` and `check` print; `case` adds a Case column.
pub fn pass_table(passes: &[(String, Timed)], calendar: &Calendar, case_column: bool) -> Table {
    let mut header = vec![
        t!("pass.head.step"),
        t!("pass.head.role"),
        t!("pass.head.officer"),
        t!("pass.head.started"),
        t!("pass.head.completed"),
        t!("pass.head.due"),
        t!("pass.head.waktu"),
        t!("pass.head.taken"),
        t!("pass.head.result"),
        t!("pass.head.decision"),
        t!("pass.head.note"),
    ];
    if case_column {
        header.insert(0, t!("pass.head.case"));
    }
    let mut table = table(&header);
    for (id, t) in passes {
        let mut row = vec![
            t.step.to_string(),
            t.role.clone().unwrap_or_default(),
            t.officer.clone().unwrap_or_default(),
            local(t.started_at),
            t.completed_at.map(local).unwrap_or_default(),
            local(t.due_at),
            work(t.standard_secs, calendar),
            work(t.taken_secs, calendar),
            verdict(t),
            t.decision.map(|d| d.to_string()).unwrap_or_default(),
            t.note.clone().unwrap_or_default(),
        ];
        if case_column {
            row.insert(0, id.clone());
        }
        table.add_row(row);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::{ColorChoice, StatusRow};
    use crate::calendar::Calendar;
    use crate::case::{CaseId, Interval, Time};
    use crate::sop::Sop;
    use crate::store::Summary;
    use std::ffi::OsStr;

    fn t(s: &str) -> Time {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    /// How a row stands: due soon, overdue.
    struct Flags {
        due_soon: bool,
        overdue: bool,
    }

    /// Step 1 (30 menit) started at 09:00, with the given ended pauses.
    fn row_at(now: &str, pauses: Vec<Interval>, soon: u8) -> Flags {
        let sop = Sop::embedded().unwrap();
        let calendar = Calendar::embedded().unwrap();
        let start = t("2026-12-07T09:00:00+08:00");
        let summary = Summary {
            id: CaseId::new(2026, 1),
            nik: "6472010000123".parse().unwrap(),
            nama: "Koperasi A".into(),
            sop: "".into(),
            opened_at: start,
            finished_at: None,
            step: Some((1, start)),
            paused_since: None,
            pauses,
            keragaan: None,
        };
        let mut row = StatusRow::new(&summary, &sop, &calendar, t(now));
        row.mark_due_soon(soon);
        Flags {
            due_soon: row.due_soon,
            overdue: row.overdue,
        }
    }

    #[test]
    fn due_soon_counts_the_share_of_the_standard_used() {
        // 22 of 30 minutes is 73%; 23 is 77%.
        assert!(!row_at("2026-12-07T09:22:00+08:00", vec![], 75).due_soon);
        assert!(row_at("2026-12-07T09:23:00+08:00", vec![], 75).due_soon);
        assert!(row_at("2026-12-07T09:06:00+08:00", vec![], 20).due_soon);
        assert!(row_at("2026-12-07T09:30:00+08:00", vec![], 100).due_soon);
        let late = row_at("2026-12-07T09:31:00+08:00", vec![], 75);
        assert!(
            late.overdue && !late.due_soon,
            "overdue is not also due soon"
        );
    }

    #[test]
    fn paused_time_does_not_count_towards_due_soon() {
        let pause = Interval {
            from: t("2026-12-07T09:05:00+08:00"),
            to: t("2026-12-07T09:25:00+08:00"),
        };
        // 28 minutes since the start, 20 of them paused: 8 of 30 used.
        let row = row_at("2026-12-07T09:28:00+08:00", vec![pause], 75);
        assert!(!row.due_soon && !row.overdue);
        assert!(row_at("2026-12-07T09:28:00+08:00", vec![], 75).due_soon);
    }

    #[test]
    fn colour_follows_the_choice_the_terminal_and_no_color() {
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        assert!(ColorChoice::Auto.resolve(true, None));
        assert!(ColorChoice::Auto.resolve(true, empty));
        assert!(!ColorChoice::Auto.resolve(true, set));
        assert!(!ColorChoice::Auto.resolve(false, None));
        assert!(ColorChoice::Always.resolve(false, set));
        assert!(!ColorChoice::Never.resolve(true, None));
    }
}

#[cfg(test)]
mod rfc3339_tests {
    use super::*;

    #[test]
    fn the_plain_table_looks_like_the_house_table() {
        let header = ["Kasus", "Koperasi", "Sisa"];
        let rows = vec![
            vec![
                "2026-0001".to_string(),
                "KSP Maju".into(),
                "30 menit".into(),
            ],
            vec![
                "2026-0002".to_string(),
                "Koperasi Sejahtera Bersama".into(),
                String::new(),
            ],
        ];
        let mut plain = Vec::new();
        plain_table(&mut plain, &header, &rows).unwrap();
        let mut house = Table::new();
        house
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .set_header(header.iter().map(|h| Cell::new(*h)));
        for row in &rows {
            house.add_row(row.clone());
        }
        assert_eq!(String::from_utf8(plain).unwrap(), format!("{house}\n"));
    }

    #[test]
    fn the_fast_rfc3339_matches_chrono() {
        for text in [
            "2026-12-07T08:00:00+08:00",
            "2026-01-01T00:00:59-03:30",
            "0999-02-28T23:59:01+00:00",
            "2026-06-30T12:34:56+14:00",
        ] {
            let t = chrono::DateTime::parse_from_rfc3339(text).unwrap();
            assert_eq!(std::str::from_utf8(&rfc3339_bytes(&t)).unwrap(), rfc3339(t));
            assert_eq!(local(t), t.format("%Y-%m-%d %H:%M").to_string());
        }
    }
}
