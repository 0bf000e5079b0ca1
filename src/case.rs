//! A case (one cooperative's run through the SOP) and its history.
//!
//! Transitions are pure functions: they take a case, the SOP it was opened
//! under and the instant, and return a new case or a [`Refusal`]. Nothing
//! here touches the disk.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::sop::{Flow, Sop, Target};

/// The case-file schema this version of the tool writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// A time with its UTC offset, as the case files and JSON output carry it.
pub type Time = DateTime<FixedOffset>;

/// A case id: the year the case was opened and a number, e.g. `2026-0007`.
///
/// Short enough to type, and never a path separator: it names a file.
///
/// ```
/// use koperasi_sop::case::CaseId;
///
/// let id: CaseId = "2026-0007".parse().unwrap();
/// assert_eq!((id.year(), id.number()), (2026, 7));
/// assert!("../2026-0007".parse::<CaseId>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseId {
    year: u16,
    number: u32,
}

impl CaseId {
    pub fn new(year: u16, number: u32) -> CaseId {
        CaseId { year, number }
    }
    pub fn year(&self) -> u16 {
        self.year
    }
    pub fn number(&self) -> u32 {
        self.number
    }
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:04}", self.year, self.number)
    }
}

/// Why a text is not a case id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed case id {0:?}: a case id is the year and a number, like 2026-0007")]
pub struct CaseIdError(pub String);

impl FromStr for CaseId {
    type Err = CaseIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || CaseIdError(s.to_string());
        let (year, number) = s.split_once('-').ok_or_else(bad)?;
        let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4 || !all_digits(year) || number.len() < 4 || !all_digits(number) {
            return Err(bad());
        }
        let year = year.parse().map_err(|_| bad())?;
        let number: u32 = number.parse().map_err(|_| bad())?;
        // `2026-00007` and `2026-0007` would name two files for one case.
        if number == 0 || CaseId::new(year, number).to_string() != s {
            return Err(bad());
        }
        Ok(CaseId { year, number })
    }
}

impl TryFrom<String> for CaseId {
    type Error = CaseIdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<CaseId> for String {
    fn from(id: CaseId) -> String {
        id.to_string()
    }
}

/// Nomor Induk Koperasi: 13 digits, the first four the regency/city code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nik(String);

/// Why a text is not a NIK koperasi.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid NIK koperasi {text:?}: {reason}; a NIK koperasi has 13 digits, like 6472010000123 (spaces and dots are allowed between them)")]
pub struct NikError {
    pub text: String,
    pub reason: String,
}

impl FromStr for Nik {
    type Err = NikError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason: String| NikError {
            text: s.to_string(),
            reason,
        };
        let mut digits = String::with_capacity(13);
        for c in s.trim().chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' | '-' => {}
                other => return Err(err(format!("{other:?} is not a digit"))),
            }
        }
        match digits.len() {
            13 => Ok(Nik(digits)),
            16 => Err(err(
                "it has 16 digits, like a population NIK (NIK KTP), not a cooperative's".into(),
            )),
            n => Err(err(format!("it has {n} digits"))),
        }
    }
}

impl TryFrom<String> for Nik {
    type Error = NikError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Nik> for String {
    fn from(nik: Nik) -> String {
        nik.0
    }
}

impl fmt::Display for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The cooperative a case is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Koperasi {
    pub nik: Nik,
    pub nama: String,
}

/// Which SOP text a case runs under; it keeps it for its whole life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SopRef {
    /// Nomor SOP.
    pub nomor: String,
    /// Tanggal revisi, or tanggal efektif when never revised.
    pub versi: String,
    /// SHA-256 of the SOP's TOML text.
    pub digest: String,
}

impl SopRef {
    pub fn of(sop: &Sop) -> SopRef {
        SopRef {
            nomor: sop.identity.nomor.clone(),
            versi: sop.version(),
            digest: sop.digest.clone(),
        }
    }
}

/// Keputusan: the answer at a decision step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Ya,
    Tidak,
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Decision::Ya => "YA",
            Decision::Tidak => "TIDAK",
        })
    }
}

/// Where a case stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum CaseState {
    /// A step is running.
    Active { step: u32, step_started_at: Time },
    /// The last step was completed.
    Done { finished_at: Time },
}

/// One completed pass through a step: the SOP's "pencatatan" of who did
/// what, when, and that the file may go on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pass {
    pub step: u32,
    pub role: String,
    pub officer: Option<String>,
    pub started_at: Time,
    pub completed_at: Time,
    pub decision: Option<Decision>,
    pub note: Option<String>,
}

/// A case: one cooperative's file moving through the SOP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub schema: u32,
    pub id: CaseId,
    pub koperasi: Koperasi,
    pub sop: SopRef,
    pub opened_at: Time,
    #[serde(flatten)]
    pub state: CaseState,
    /// Append-only: a pass is added when its step is completed.
    pub history: Vec<Pass>,
}

/// An officer's request to complete the current step.
#[derive(Debug, Clone)]
pub struct Completion {
    pub role: String,
    pub officer: Option<String>,
    pub decision: Option<Decision>,
    pub note: Option<String>,
    pub at: Time,
}

/// Why a step may not be completed as asked. Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("case {id} is already done (finished {}); there is no step to complete", shown(.finished_at))]
    Done { id: CaseId, finished_at: Time },
    #[error("role {role:?} is not a role of this SOP; its roles are: {known}")]
    UnknownRole { role: String, known: String },
    #[error(
        "role {role:?} may not complete step {step} of case {id}; step {step} is for: {allowed}"
    )]
    RoleNotAllowed {
        id: CaseId,
        step: u32,
        role: String,
        allowed: String,
    },
    #[error(
        "step {step} of case {id} is a decision (YA/TIDAK): give --decision ya or --decision tidak"
    )]
    DecisionMissing { id: CaseId, step: u32 },
    #[error("step {step} of case {id} is not a decision; leave out --decision")]
    DecisionNotExpected { id: CaseId, step: u32 },
    #[error("the completion time {} is before step {step} of case {id} started ({})", shown(.at), shown(.started_at))]
    BeforeStart {
        id: CaseId,
        step: u32,
        at: Time,
        started_at: Time,
    },
    #[error("the completion time {} is later than now ({}); a step cannot be recorded as done in the future", shown(.at), shown(.now))]
    InFuture { at: Time, now: Time },
    #[error("the opening time {} is later than now ({})", shown(.at), shown(.now))]
    OpenInFuture { at: Time, now: Time },
    #[error("case {id} is at step {step}, which its SOP ({nomor}, versi {versi}) does not have")]
    UnknownStep {
        id: CaseId,
        step: u32,
        nomor: String,
        versi: String,
    },
}

/// A time in a message: `2026-12-07 08:00 +08:00`.
fn shown(t: &Time) -> String {
    t.format("%Y-%m-%d %H:%M %:z").to_string()
}

/// Opens a case at the SOP's first step.
pub fn open(
    id: CaseId,
    koperasi: Koperasi,
    sop: &Sop,
    at: Time,
    now: Time,
) -> Result<Case, Refusal> {
    if at > now {
        return Err(Refusal::OpenInFuture { at, now });
    }
    Ok(Case {
        schema: SCHEMA_VERSION,
        id,
        koperasi,
        sop: SopRef::of(sop),
        opened_at: at,
        state: CaseState::Active {
            step: sop.first_step().number,
            step_started_at: at,
        },
        history: Vec::new(),
    })
}

impl Case {
    /// The running step and when it started, or `None` when done.
    pub fn current(&self) -> Option<(u32, Time)> {
        match self.state {
            CaseState::Active {
                step,
                step_started_at,
            } => Some((step, step_started_at)),
            CaseState::Done { .. } => None,
        }
    }

    pub fn is_done(&self) -> bool {
        matches!(self.state, CaseState::Done { .. })
    }

    /// Completes the running step and starts the next one at the same instant.
    ///
    /// `sop` must be the SOP the case was opened under.
    pub fn advance(&self, sop: &Sop, c: Completion, now: Time) -> Result<Case, Refusal> {
        let (number, started_at) = match self.state {
            CaseState::Active {
                step,
                step_started_at,
            } => (step, step_started_at),
            CaseState::Done { finished_at } => {
                return Err(Refusal::Done {
                    id: self.id.clone(),
                    finished_at,
                })
            }
        };
        let step = sop.step(number).ok_or_else(|| Refusal::UnknownStep {
            id: self.id.clone(),
            step: number,
            nomor: self.sop.nomor.clone(),
            versi: self.sop.versi.clone(),
        })?;
        if sop.role(&c.role).is_none() {
            return Err(Refusal::UnknownRole {
                role: c.role,
                known: join_ids(sop.roles.iter().map(|r| r.id.as_str())),
            });
        }
        if !step.actors.contains(&c.role) {
            return Err(Refusal::RoleNotAllowed {
                id: self.id.clone(),
                step: number,
                role: c.role,
                allowed: join_ids(step.actors.iter().map(String::as_str)),
            });
        }
        let target = match (step.flow, c.decision) {
            (Flow::Next(target), None) => target,
            (Flow::Next(_), Some(_)) => {
                return Err(Refusal::DecisionNotExpected {
                    id: self.id.clone(),
                    step: number,
                })
            }
            (Flow::Decision { .. }, None) => {
                return Err(Refusal::DecisionMissing {
                    id: self.id.clone(),
                    step: number,
                })
            }
            (Flow::Decision { ya, .. }, Some(Decision::Ya)) => ya,
            (Flow::Decision { tidak, .. }, Some(Decision::Tidak)) => tidak,
        };
        if c.at < started_at {
            return Err(Refusal::BeforeStart {
                id: self.id.clone(),
                step: number,
                at: c.at,
                started_at,
            });
        }
        if c.at > now {
            return Err(Refusal::InFuture { at: c.at, now });
        }
        let mut next = self.clone();
        next.history.push(Pass {
            step: number,
            role: c.role,
            officer: c.officer,
            started_at,
            completed_at: c.at,
            decision: c.decision,
            note: c.note,
        });
        next.state = match target {
            Target::Step(step) => CaseState::Active {
                step,
                step_started_at: c.at,
            },
            Target::End => CaseState::Done { finished_at: c.at },
        };
        Ok(next)
    }

    /// Every pass with its due time and lateness: the completed ones in
    /// order, then the running step, if any.
    pub fn timeline(&self, sop: &Sop, calendar: &Calendar, now: Time) -> Vec<Timed> {
        let completed = self.history.iter().map(|p| {
            Timed::new(
                sop,
                calendar,
                p.step,
                p.started_at,
                Some(p.completed_at),
                now,
                Some(p),
            )
        });
        let running = self
            .current()
            .map(|(step, started)| Timed::new(sop, calendar, step, started, None, now, None));
        completed.chain(running).collect()
    }

    /// The running step with its timing, or `None` when done.
    pub fn running(&self, sop: &Sop, calendar: &Calendar, now: Time) -> Option<Timed> {
        self.current()
            .map(|(step, started)| Timed::new(sop, calendar, step, started, None, now, None))
    }
}

fn join_ids<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    ids.collect::<Vec<_>>().join(", ")
}

/// A pass, completed or running, measured against its time standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timed {
    pub step: u32,
    /// Who completed it; `None` while running.
    pub role: Option<String>,
    pub officer: Option<String>,
    pub started_at: Time,
    pub completed_at: Option<Time>,
    pub decision: Option<Decision>,
    pub note: Option<String>,
    /// Start plus the standard, in working time.
    pub due_at: Time,
    /// The standard, in working seconds; 0 when the step is unknown to the SOP.
    pub standard_secs: i64,
    /// Working seconds from the start to completion, or to now while running.
    pub taken_secs: i64,
    /// Completed after due, or still running past due.
    pub late: bool,
}

impl Timed {
    fn new(
        sop: &Sop,
        calendar: &Calendar,
        step: u32,
        started_at: Time,
        completed_at: Option<Time>,
        now: Time,
        pass: Option<&Pass>,
    ) -> Timed {
        let standard_secs = sop
            .step(step)
            .map_or(0, |s| s.waktu.working_secs(calendar.day_minutes()));
        let due_at = calendar.add_working(started_at, standard_secs);
        let end = completed_at.unwrap_or(now);
        Timed {
            step,
            role: pass.map(|p| p.role.clone()),
            officer: pass.and_then(|p| p.officer.clone()),
            started_at,
            completed_at,
            decision: pass.and_then(|p| p.decision),
            note: pass.and_then(|p| p.note.clone()),
            due_at,
            standard_secs,
            taken_secs: calendar.working_between(started_at, end),
            late: end > due_at,
        }
    }

    /// Working seconds left before due (positive) or past due (negative).
    pub fn margin_secs(&self, calendar: &Calendar, now: Time) -> i64 {
        if now > self.due_at {
            -calendar.working_between(self.due_at, now)
        } else {
            calendar.working_between(now, self.due_at)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Time {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn fresh() -> (Sop, Case) {
        let sop = Sop::embedded().unwrap();
        let koperasi = Koperasi {
            nik: "6472010000123".parse().unwrap(),
            nama: "Koperasi A".into(),
        };
        let at = t("2026-12-07T08:00:00+08:00");
        let case = open(CaseId::new(2026, 7), koperasi, &sop, at, at).unwrap();
        (sop, case)
    }

    fn done_by(role: &str, at: &str, decision: Option<Decision>) -> Completion {
        Completion {
            role: role.into(),
            officer: None,
            decision,
            note: None,
            at: t(at),
        }
    }

    #[test]
    fn case_ids_are_year_and_number() {
        let id: CaseId = "2026-0007".parse().unwrap();
        assert_eq!((id.year(), id.number()), (2026, 7));
        assert_eq!(id.to_string(), "2026-0007");
        assert_eq!(CaseId::new(2026, 123456).to_string(), "2026-123456");
        for bad in [
            "",
            "2026",
            "2026-7",
            "2026-00007",
            "2026-0000",
            "26-0007",
            "2026/0007",
            "../x",
            "2026-00a7",
            "2026-0007.json",
        ] {
            assert!(bad.parse::<CaseId>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn niks_have_13_digits() {
        assert_eq!(
            "6472.0100.00123".parse::<Nik>().unwrap().to_string(),
            "6472010000123"
        );
        assert_eq!(
            " 0012010000123 ".parse::<Nik>().unwrap().to_string(),
            "0012010000123"
        );
        assert!("647201000012".parse::<Nik>().is_err());
        assert!("647201000012x".parse::<Nik>().is_err());
        assert!("6472010000123456"
            .parse::<Nik>()
            .unwrap_err()
            .reason
            .contains("16 digits"));
    }

    #[test]
    fn a_case_opens_at_the_first_step() {
        let (_, case) = fresh();
        assert_eq!(case.current(), Some((1, t("2026-12-07T08:00:00+08:00"))));
        assert!(case.history.is_empty());
        assert_eq!(case.schema, SCHEMA_VERSION);
    }

    #[test]
    fn tidak_at_step_2_returns_to_step_1_and_ya_goes_on() {
        let (sop, case) = fresh();
        let now = t("2026-12-08T08:00:00+08:00");
        let c = case
            .advance(&sop, done_by("jfu", "2026-12-07T08:10:00+08:00", None), now)
            .unwrap();
        let back = c
            .advance(
                &sop,
                done_by(
                    "kepala_bidang",
                    "2026-12-07T08:15:00+08:00",
                    Some(Decision::Tidak),
                ),
                now,
            )
            .unwrap();
        assert_eq!(back.current(), Some((1, t("2026-12-07T08:15:00+08:00"))));
        assert_eq!(back.history.len(), 2);
        assert_eq!(back.history[1].decision, Some(Decision::Tidak));
        let on = c
            .advance(
                &sop,
                done_by(
                    "kepala_bidang",
                    "2026-12-07T08:15:00+08:00",
                    Some(Decision::Ya),
                ),
                now,
            )
            .unwrap();
        assert_eq!(on.current().map(|c| c.0), Some(3));
        // The input case is untouched: transitions are pure.
        assert_eq!(c.history.len(), 1);
    }

    #[test]
    fn refusals() {
        let (sop, case) = fresh();
        let now = t("2026-12-08T08:00:00+08:00");
        let refuse = |c: Completion| case.advance(&sop, c, now).unwrap_err();
        assert!(matches!(
            refuse(done_by("kepala_dinas", "2026-12-07T09:00:00+08:00", None)),
            Refusal::RoleNotAllowed { step: 1, .. }
        ));
        assert!(matches!(
            refuse(done_by("lurah", "2026-12-07T09:00:00+08:00", None)),
            Refusal::UnknownRole { .. }
        ));
        assert!(matches!(
            refuse(done_by(
                "jfu",
                "2026-12-07T09:00:00+08:00",
                Some(Decision::Ya)
            )),
            Refusal::DecisionNotExpected { .. }
        ));
        assert!(matches!(
            refuse(done_by("jfu", "2026-12-07T07:59:59+08:00", None)),
            Refusal::BeforeStart { .. }
        ));
        assert!(matches!(
            refuse(done_by("jfu", "2026-12-08T08:00:01+08:00", None)),
            Refusal::InFuture { .. }
        ));
        let at2 = case
            .advance(&sop, done_by("jfu", "2026-12-07T08:10:00+08:00", None), now)
            .unwrap();
        assert!(matches!(
            at2.advance(
                &sop,
                done_by("kepala_bidang", "2026-12-07T08:20:00+08:00", None),
                now
            ),
            Err(Refusal::DecisionMissing { step: 2, .. })
        ));
    }

    #[test]
    fn the_last_step_finishes_the_case() {
        let (sop, mut case) = fresh();
        let now = t("2026-12-31T08:00:00+08:00");
        let at = "2026-12-07T09:00:00+08:00";
        for (role, decision) in [
            ("jfu", None),
            ("kepala_bidang", Some(Decision::Ya)),
            ("jf_pengawas", None),
            ("jf_pengawas", None),
            ("kepala_bidang", None),
            ("jf_pengawas", None),
            ("jf_pengawas", None),
            ("kepala_bidang", None),
            ("kepala_bidang", None),
            ("jfu", None),
        ] {
            case = case
                .advance(&sop, done_by(role, at, decision), now)
                .unwrap();
        }
        assert_eq!(case.state, CaseState::Done { finished_at: t(at) });
        assert_eq!(case.history.len(), 10);
        assert!(matches!(
            case.advance(&sop, done_by("jfu", at, None), now),
            Err(Refusal::Done { .. })
        ));
    }

    #[test]
    fn a_case_file_round_trips() {
        let (sop, case) = fresh();
        let now = t("2026-12-08T08:00:00+08:00");
        let case = case
            .advance(&sop, done_by("jfu", "2026-12-07T08:10:00+08:00", None), now)
            .unwrap();
        let json = serde_json::to_string(&case).unwrap();
        assert!(json.contains(r#""state":"active","step":2"#), "{json}");
        let back: Case = serde_json::from_str(&json).unwrap();
        assert_eq!(back, case);
    }
}
