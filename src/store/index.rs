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
//! Fields are separated by tabs; `-` is "none". A `c` line is a case as
//! last written; a later `c` line for the same id replaces an earlier one.
//! A writer appends `p` before it replaces a case file and `c` after, with
//! the modification time of `cases/` once its file is in place. A reader
//! that finds a `p` without its `c` reads that case file itself; one that
//! finds `cases/` changed since the last `c` (a file added, removed or
//! renamed by hand, or a write cut short by a crash) rebuilds the index.
//! `b` lines name the files in `cases/` that are not readable cases.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::case::{Case, CaseId, CaseState, Interval, Nik, Time};

use super::BadFile;

pub(super) const HEADER: &str = "koperasi-sop index 1\n";

/// What `status` needs of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub id: CaseId,
    pub nik: Nik,
    pub nama: String,
    /// Digest of the SOP text the case runs under.
    pub sop: String,
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
            sop: case.sop.digest.clone(),
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
    let mut parsed = Parsed::default();
    let mut position: HashMap<CaseId, usize> = HashMap::new();
    let mut pending: HashMap<CaseId, ()> = HashMap::new();
    let complete = match body.rfind('\n') {
        Some(end) => &body[..=end],
        None => "",
    };
    for line in complete.lines() {
        parsed.lines += 1;
        let mut fields = line.split('\t');
        match fields.next()? {
            "c" => {
                let (summary, mtime) = case_line(&mut fields)?;
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

fn case_line<'a>(fields: &mut impl Iterator<Item = &'a str>) -> Option<(Summary, u128)> {
    let mut next = || fields.next();
    let id = next()?.parse().ok()?;
    let nik = next()?.parse().ok()?;
    let sop = next()?.to_string();
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

fn time(s: &str) -> Option<Time> {
    chrono::DateTime::parse_from_rfc3339(s).ok()
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
    let t = |t: &Time| t.to_rfc3339();
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
        s.sop,
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
            sop: "ab12".into(),
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

    #[test]
    fn garbage_is_not_an_index_but_a_torn_last_line_is_ignored() {
        let line = case_line_text(&sample(), 1);
        assert!(parse("", Path::new("c")).is_none());
        assert!(parse("koperasi-sop index 2\n", Path::new("c")).is_none());
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
