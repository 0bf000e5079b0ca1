//! The index: one line per case holding what `status` needs, so `status`
//! reads one file instead of every case file.
//!
//! It is derived data. The case files are the truth; the index is rebuilt
//! from them (`reindex`, or by any reader) whenever it is missing, garbled
//! or stale, and it may be overwritten without asking.
//!
//! ```text
//! koperasi-sop index 1
//! c <id> <nik> <sop> <opened> <finished> <step> <started> <paused> <pauses> <keragaan> <mtime> <nama>
//! p <id>
//! b <file name> <reason>
//! ```
//!
//! Fields are separated by tabs; `-` is "none"; in text fields (`<sop>`,
//! `<nama>`, `b` lines) a backslash, tab, CR or LF is written `\\`, `\t`,
//! `\r`, `\n`. A `c` line is a case as last written; a later `c` line for
//! the same id replaces an earlier one.
//! A writer appends `p` before it replaces a case file and `c` after, with
//! the modification time of `cases/` once its file is in place. A reader
//! that finds a `p` without its `c` reads that case file itself; one that
//! finds `cases/` changed since the last `c` (a file added, removed or
//! renamed by hand, or a write cut short by a crash) rebuilds the index.
//! `b` lines name the files in `cases/` that are not readable cases.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::case::{Case, CaseId, CaseState, Interval, Nik, Time};

use super::BadFile;

pub(super) const HEADER: &str = "koperasi-sop index 2\n";

/// What `status` needs of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub id: CaseId,
    pub nik: Nik,
    pub nama: String,
    /// Digest of the SOP text the case runs under (shared: most cases run
    /// under one or two).
    pub sop: Arc<str>,
    pub opened_at: Time,
    pub finished_at: Option<Time>,
    /// The running step and when it started; `None` when done.
    pub step: Option<(u32, Time)>,
    /// Start of the pause in progress.
    pub paused_since: Option<Time>,
    /// Ended pauses of the running step.
    pub pauses: Vec<Interval>,
    /// Digest of the keragaan record, when the case has one.
    pub keragaan: Option<String>,
}

impl Summary {
    pub fn of(case: &Case) -> Summary {
        let (step, paused_since, pauses, finished_at) = match &case.state {
            CaseState::Active {
                step,
                step_started_at,
                pauses,
                paused,
            } => (
                Some((*step, *step_started_at)),
                paused.as_ref().map(|p| p.since),
                pauses.clone(),
                None,
            ),
            CaseState::Done { finished_at } => (None, None, Vec::new(), Some(*finished_at)),
        };
        Summary {
            id: case.id.clone(),
            nik: case.koperasi.nik.clone(),
            nama: case.koperasi.nama.clone(),
            sop: Arc::from(case.sop.digest.as_str()),
            opened_at: case.opened_at,
            finished_at,
            step,
            paused_since,
            pauses,
            keragaan: case.keragaan.as_ref().map(|k| k.digest()),
        }
    }

    pub fn is_done(&self) -> bool {
        self.step.is_none()
    }
}

/// The index as read.
#[derive(Debug, Default)]
pub(super) struct Parsed {
    /// Latest summary per case, in the order cases first appear.
    pub entries: Vec<Summary>,
    pub bad: Vec<BadFile>,
    /// Cases whose write began and has no `c` line yet.
    pub pending: Vec<CaseId>,
    /// The `cases/` modification time the last `c` line recorded.
    pub mtime: Option<u128>,
    /// Lines read, to decide when to compact.
    pub lines: usize,
}

/// Reads an index; `None` when it is not one (garbled, or another version).
/// An unterminated last line is a write in progress and is left out.
pub(super) fn parse(text: &str, cases_dir: &std::path::Path) -> Option<Parsed> {
    let body = text.strip_prefix(HEADER)?;
    // About one line per case: sized once, not grown (and copied) 17 times.
    let lines = body.len() / 160 + 16;
    let mut parsed = Parsed {
        entries: Vec::with_capacity(lines),
        ..Parsed::default()
    };
    let mut position: HashMap<CaseId, usize> = HashMap::with_capacity(lines);
    let mut pending: HashMap<CaseId, ()> = HashMap::new();
    let mut last_sop: Option<Arc<str>> = None;
    let complete = match body.rfind('\n') {
        Some(end) => &body[..=end],
        None => "",
    };
    for line in complete.lines() {
        parsed.lines += 1;
        let mut fields = line.split('\t');
        match fields.next()? {
            "c" => {
                let (summary, mtime) = case_line(&mut fields, &mut last_sop)?;
                pending.remove(&summary.id);
                parsed.mtime = Some(mtime);
                match position.get(&summary.id) {
                    Some(&i) => parsed.entries[i] = summary,
                    None => {
                        position.insert(summary.id.clone(), parsed.entries.len());
                        parsed.entries.push(summary);
                    }
                }
            }
            "p" => {
                pending.insert(fields.next()?.parse().ok()?, ());
            }
            "b" => parsed.bad.push(BadFile {
                path: cases_dir.join(unescape(fields.next()?)),
                reason: unescape(fields.next()?),
            }),
            _ => return None,
        }
    }
    parsed.pending = pending.into_keys().collect();
    parsed.pending.sort();
    Some(parsed)
}

fn case_line<'a>(
    fields: &mut impl Iterator<Item = &'a str>,
    last_sop: &mut Option<Arc<str>>,
) -> Option<(Summary, u128)> {
    let mut next = || fields.next();
    let id = next()?.parse().ok()?;
    let nik = next()?.parse().ok()?;
    let sop = unescape(next()?);
    let sop = match last_sop {
        Some(shared) if **shared == *sop => shared.clone(),
        _ => {
            let shared: Arc<str> = Arc::from(sop);
            *last_sop = Some(shared.clone());
            shared
        }
    };
    let opened_at = time(next()?)?;
    let finished_at = optional(next()?, time)?;
    let step_number = optional(next()?, |s| s.parse::<u32>().ok())?;
    let started = optional(next()?, time)?;
    let paused_since = optional(next()?, time)?;
    let pauses = optional(next()?, |s| {
        s.split(',')
            .map(|pair| {
                let (from, to) = pair.split_once('/')?;
                Some(Interval {
                    from: time(from)?,
                    to: time(to)?,
                })
            })
            .collect::<Option<Vec<_>>>()
    })?
    .unwrap_or_default();
    let keragaan = optional(next()?, |s| Some(s.to_string()))?;
    let mtime = next()?.parse().ok()?;
    let nama = unescape(next()?);
    if next().is_some() {
        return None;
    }
    let step = match (step_number, started) {
        (Some(n), Some(t)) => Some((n, t)),
        (None, None) => None,
        _ => return None,
    };
    Some((
        Summary {
            id,
            nik,
            nama,
            sop,
            opened_at,
            finished_at,
            step,
            paused_since,
            pauses,
            keragaan,
        },
        mtime,
    ))
}

/// A time as the index writes it: Unix seconds, optionally `.nanoseconds`,
/// then the UTC offset in seconds with its sign: `1796601600+28800`.
/// Integers parse much faster than RFC 3339 text, and the index is read
/// whole by every `status`.
fn time(s: &str) -> Option<Time> {
    let split = s[1..].find(['+', '-'])? + 1;
    let (instant, offset) = s.split_at(split);
    let (secs, nanos) = match instant.split_once('.') {
        Some((secs, nanos)) => (secs, nanos.parse().ok()?),
        None => (instant, 0),
    };
    let offset = chrono::FixedOffset::east_opt(offset.parse().ok()?)?;
    let utc = chrono::DateTime::from_timestamp(secs.parse().ok()?, nanos)?;
    Some(utc.with_timezone(&offset))
}

fn time_text(t: &Time) -> String {
    let offset = t.offset().local_minus_utc();
    match t.timestamp_subsec_nanos() {
        0 => format!("{}{offset:+}", t.timestamp()),
        nanos => format!("{}.{nanos}{offset:+}", t.timestamp()),
    }
}

/// `-` is none; anything else must parse.
fn optional<T>(s: &str, parse: impl FnOnce(&str) -> Option<T>) -> Option<Option<T>> {
    if s == "-" {
        Some(None)
    } else {
        parse(s).map(Some)
    }
}

/// The `c` line of a case.
pub(super) fn case_line_text(s: &Summary, mtime: u128) -> String {
    let mut line = String::with_capacity(256);
    let t = time_text;
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    let pauses = if s.pauses.is_empty() {
        "-".to_string()
    } else {
        s.pauses
            .iter()
            .map(|p| format!("{}/{}", t(&p.from), t(&p.to)))
            .collect::<Vec<_>>()
            .join(",")
    };
    let _ = writeln!(
        line,
        "c\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        s.id,
        s.nik,
        // Hex when the tool wrote it, but a case file edited by hand may
        // hold anything, and a tab or newline would garble the index.
        escape(&s.sop),
        t(&s.opened_at),
        or_dash(s.finished_at.as_ref().map(t)),
        or_dash(s.step.map(|(n, _)| n.to_string())),
        or_dash(s.step.as_ref().map(|(_, at)| t(at))),
        or_dash(s.paused_since.as_ref().map(t)),
        pauses,
        or_dash(s.keragaan.clone()),
        mtime,
        escape(&s.nama),
    );
    line
}

pub(super) fn pending_line(id: &CaseId) -> String {
    format!("p\t{id}\n")
}

pub(super) fn bad_line(file: &BadFile) -> String {
    let name = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("b\t{}\t{}\n", escape(&name), escape(&file.reason))
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn sample() -> Summary {
        let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
        Summary {
            id: "2026-0007".parse().unwrap(),
            nik: "6472010000123".parse().unwrap(),
            nama: "Koperasi \"Maju\"\tBersama\\ \nSejahtera".into(),
            // Hex when the tool writes it; anything in a file edited by hand.
            sop: "ab\t12\n\\".into(),
            opened_at: t("2026-12-07T08:00:00+08:00"),
            finished_at: None,
            step: Some((3, t("2026-12-07T09:00:00+08:00"))),
            paused_since: Some(t("2026-12-08T09:00:00+08:00")),
            pauses: vec![Interval {
                from: t("2026-12-07T10:00:00+08:00"),
                to: t("2026-12-07T11:00:00+08:00"),
            }],
            keragaan: Some("ff".into()),
        }
    }

    #[test]
    fn a_case_line_round_trips_with_any_name() {
        let s = sample();
        let text = format!(
            "{HEADER}{}{}",
            pending_line(&s.id),
            case_line_text(&s, 1234)
        );
        let parsed = parse(&text, Path::new("cases")).unwrap();
        assert_eq!(parsed.entries, vec![s]);
        assert!(parsed.pending.is_empty());
        assert_eq!(parsed.mtime, Some(1234));
    }

    #[test]
    fn a_later_line_replaces_an_earlier_one_and_pending_stays_pending() {
        let mut s = sample();
        let first = case_line_text(&s, 1);
        s.step = None;
        s.finished_at = Some(s.opened_at);
        let text = format!(
            "{HEADER}{first}{}{}p\t2026-0008\n",
            pending_line(&s.id),
            case_line_text(&s, 2)
        );
        let parsed = parse(&text, Path::new("cases")).unwrap();
        assert_eq!(parsed.entries.len(), 1);
        assert!(parsed.entries[0].is_done());
        assert_eq!(parsed.pending, vec!["2026-0008".parse().unwrap()]);
    }

    mod generated {
        use super::*;
        use chrono::{DateTime, FixedOffset};
        use proptest::collection::vec;
        use proptest::option;
        use proptest::prelude::*;

        /// Years 0000–9999 (what a case id and RFC 3339 can write), any
        /// whole-minute offset, to the nanosecond.
        fn time() -> impl Strategy<Value = Time> {
            (
                -62_167_219_200i64..253_402_214_400,
                0u32..1_000_000_000,
                -(24 * 60 - 1)..24 * 60,
            )
                .prop_map(|(secs, nanos, minutes)| {
                    let offset = FixedOffset::east_opt(minutes * 60).expect("under a day");
                    DateTime::from_timestamp(secs, nanos)
                        .expect("in range")
                        .with_timezone(&offset)
                })
        }

        /// Any text, control characters included, often the ones the
        /// index escapes.
        fn text() -> impl Strategy<Value = String> {
            let escaped = prop::sample::select(vec!['\t', '\n', '\r', '\\', 't', 'n', '-', ' ']);
            prop_oneof![
                vec(any::<char>(), 0..16).prop_map(String::from_iter),
                vec(escaped, 0..12).prop_map(String::from_iter),
            ]
        }

        prop_compose! {
            fn summary()(
                year in 0u16..=9999,
                number in 1u32..,
                nik in 0u64..10_000_000_000_000,
                nama in text(),
                sop in text(),
                opened_at in time(),
                finished_at in option::of(time()),
                step in option::of((any::<u32>(), time())),
                paused_since in option::of(time()),
                pauses in vec((time(), time()), 0..3),
                keragaan in option::of("[0-9a-f]{64}"),
            ) -> Summary {
                Summary {
                    id: CaseId::new(year, number),
                    nik: format!("{nik:013}").parse().expect("13 digits"),
                    nama,
                    sop: sop.into(),
                    opened_at,
                    finished_at,
                    step,
                    paused_since,
                    pauses: pauses.into_iter().map(|(from, to)| Interval { from, to }).collect(),
                    keragaan,
                }
            }
        }

        /// Lines made of the pieces an index has, in any order and number.
        fn index_like_text() -> impl Strategy<Value = String> {
            let field = prop_oneof![
                prop::sample::select(vec![
                    "-",
                    "",
                    "2026-0007",
                    "2026-00007",
                    "6472010000123",
                    "2026-12-07T08:00:00+08:00",
                    "2026-12-07T08:00:00+08:00/2026-12-07T09:00:00+08:00",
                    "2026-12-07T08:00:00+08:00/",
                    "\\",
                    "\\t",
                ])
                .prop_map(String::from),
                any::<u128>().prop_map(|n| n.to_string()),
                text(),
            ];
            let line = (
                prop_oneof![Just("c"), Just("p"), Just("b"), Just("x"), Just("")],
                vec(field, 0..14),
            )
                .prop_map(|(kind, fields)| {
                    std::iter::once(kind.to_string())
                        .chain(fields)
                        .collect::<Vec<_>>()
                        .join("\t")
                });
            (vec(line, 0..6), any::<bool>()).prop_map(|(lines, torn)| {
                let mut text = lines.join("\n");
                if !torn {
                    text.push('\n');
                }
                text
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn any_text_after_the_header_is_read_or_refused_without_a_panic(
                text in prop_oneof![text(), index_like_text()],
            ) {
                let _ = parse(&text, Path::new("cases"));
                if let Some(parsed) = parse(&format!("{HEADER}{text}"), Path::new("cases")) {
                    prop_assert!(parsed.lines <= text.matches('\n').count());
                }
            }

            #[test]
            fn a_case_line_round_trips_for_any_summary(
                s in summary(),
                pending in any::<bool>(),
                mtime in any::<u128>(),
            ) {
                let line = case_line_text(&s, mtime);
                prop_assert_eq!(line.matches('\n').count(), 1, "one line: {:?}", line);
                let begun = if pending { pending_line(&s.id) } else { String::new() };
                let text = format!("{HEADER}{begun}{line}");
                let parsed = parse(&text, Path::new("cases"));
                prop_assert!(parsed.is_some(), "not read back: {:?}", line);
                let parsed = parsed.unwrap();
                prop_assert_eq!(parsed.entries, vec![s]);
                prop_assert!(parsed.pending.is_empty());
                prop_assert_eq!(parsed.mtime, Some(mtime));
            }

            #[test]
            fn a_bad_line_round_trips_for_any_name_and_reason(
                name in text().prop_filter("a file name", |n| {
                    !n.is_empty() && n != "." && n != ".." && !n.contains('/') && !n.contains('\0')
                }),
                reason in text(),
            ) {
                let file = BadFile { path: Path::new("cases").join(&name), reason };
                let parsed = parse(&format!("{HEADER}{}", bad_line(&file)), Path::new("cases"));
                prop_assert!(parsed.is_some());
                prop_assert_eq!(parsed.unwrap().bad, vec![file]);
            }
        }

        proptest! {
            // Each case builds several lines: fewer cases, as many lines.
            #![proptest_config(ProptestConfig::with_cases(1000))]

            #[test]
            fn an_index_cut_anywhere_reads_as_its_whole_lines(
                summaries in vec(summary(), 1..5),
                cut in any::<prop::sample::Index>(),
            ) {
                let lines: Vec<String> = summaries
                    .iter()
                    .enumerate()
                    .map(|(i, s)| case_line_text(s, i as u128))
                    .collect();
                let text = format!("{HEADER}{}", lines.concat());
                let mut end = HEADER.len() + cut.index(text.len() - HEADER.len() + 1);
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                let parsed = parse(&text[..end], Path::new("cases"));
                prop_assert!(parsed.is_some());
                let parsed = parsed.unwrap();
                let whole = text[HEADER.len()..end].matches('\n').count();
                prop_assert_eq!(parsed.lines, whole);
                let mut expected: Vec<Summary> = Vec::new();
                for s in &summaries[..whole] {
                    match expected.iter_mut().find(|e| e.id == s.id) {
                        Some(e) => *e = s.clone(),
                        None => expected.push(s.clone()),
                    }
                }
                prop_assert_eq!(parsed.entries, expected);
            }
        }
    }

    #[test]
    fn garbage_is_not_an_index_but_a_torn_last_line_is_ignored() {
        let line = case_line_text(&sample(), 1);
        assert!(parse("", Path::new("c")).is_none());
        assert!(parse("koperasi-sop index 1\n", Path::new("c")).is_none());
        assert!(parse(&format!("{HEADER}x\t1\n"), Path::new("c")).is_none());
        assert!(parse(
            &format!("{HEADER}{}", line.replace("6472", "64x2")),
            Path::new("c")
        )
        .is_none());
        let torn = format!("{HEADER}{line}{}", &line[..20]);
        assert_eq!(parse(&torn, Path::new("c")).unwrap().entries.len(), 1);
    }
}
