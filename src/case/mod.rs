//! A case (one cooperative's run through the SOP) and its history.
//!
//! Transitions are pure functions: they take a case, the SOP it was opened
//! under and the instant, and return a new case or a [`Refusal`]. Nothing
//! here touches the disk.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset};
use rust_i18n::t;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::import::Keragaan;
use crate::sop::{Flow, Sop, Target};

mod chain;
mod timing;

pub use chain::{verify, Broken};
pub use timing::{Interval, Timed};

/// The case-file schema this version of the tool writes and reads.
pub const SCHEMA_VERSION: u32 = 2;

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
#[error("{}", t!("case_id.malformed", text = .0))]
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
#[error("{}", t!("nik.invalid", text = .text, reason = .reason))]
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
                other => return Err(err(t!("nik.not_digit", char = other).into_owned())),
            }
        }
        match digits.len() {
            13 => Ok(Nik(digits)),
            16 => Err(err(t!("nik.population").into_owned())),
            n => Err(err(t!("nik.length", n = n).into_owned())),
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
    Active {
        step: u32,
        step_started_at: Time,
        /// Pauses of the running step that have ended.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pauses: Vec<Interval>,
        /// Set while the running step is paused.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        paused: Option<Paused>,
    },
    /// The last step was completed.
    Done { finished_at: Time },
}

/// A pause in progress: the step's clock is stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paused {
    pub since: Time,
    pub reason: String,
    pub role: String,
    pub officer: Option<String>,
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
    /// Spans the step was paused; they do not count against its standard.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pauses: Vec<Interval>,
}

/// Something recorded in a case's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Event {
    /// A step was completed.
    Pass(Pass),
    /// The running step was paused.
    Pause {
        step: u32,
        at: Time,
        role: String,
        officer: Option<String>,
        reason: String,
    },
    /// The paused step runs again.
    Resume {
        step: u32,
        at: Time,
        role: String,
        officer: Option<String>,
    },
    /// The cooperative's keragaan record was set or changed by an import.
    Keragaan {
        at: Time,
        /// Where the record came from: `file:line`.
        source: String,
        /// The fields that changed; every given field for the first record.
        changed: Vec<String>,
        /// SHA-256 of the record as stored, so the chain covers the data.
        digest: String,
    },
}

impl Event {
    /// When it happened.
    pub fn at(&self) -> Time {
        match self {
            Event::Pass(p) => p.completed_at,
            Event::Pause { at, .. } | Event::Resume { at, .. } | Event::Keragaan { at, .. } => *at,
        }
    }
}

/// A history entry: an event and the hash of the entry before it, so the
/// history is a chain (see [`verify`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    #[serde(flatten)]
    pub event: Event,
    /// SHA-256 (hex) of the previous entry; of the case's opening record
    /// for the first entry.
    pub prev: String,
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
    /// The cooperative's data keragaan, when imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keragaan: Option<Keragaan>,
    /// Append-only, each entry chained to the one before.
    pub history: Vec<Entry>,
    /// SHA-256 of the last entry (of the opening record when none): the
    /// end of the chain, so a cut history shows.
    pub head: String,
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

/// Who records a pause or a resume, and when.
#[derive(Debug, Clone)]
pub struct Actor {
    pub role: String,
    pub officer: Option<String>,
    pub at: Time,
}

/// Why a change may not be made as asked. Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{}", t!("refusal.done", id = .id, finished = shown(.finished_at)))]
    Done { id: CaseId, finished_at: Time },
    #[error("{}", t!("refusal.unknown_role", role = .role, known = .known))]
    UnknownRole { role: String, known: String },
    #[error("{}", t!("refusal.role_not_allowed", role = .role, step = .step, id = .id, allowed = .allowed))]
    RoleNotAllowed {
        id: CaseId,
        step: u32,
        role: String,
        allowed: String,
    },
    #[error("{}", t!("refusal.decision_missing", step = .step, id = .id))]
    DecisionMissing { id: CaseId, step: u32 },
    #[error("{}", t!("refusal.decision_not_expected", step = .step, id = .id))]
    DecisionNotExpected { id: CaseId, step: u32 },
    #[error("{}", t!("refusal.before_start", at = shown(.at), step = .step, id = .id, started = shown(.started_at)))]
    BeforeStart {
        id: CaseId,
        step: u32,
        at: Time,
        started_at: Time,
    },
    #[error("{}", t!("refusal.in_future", at = shown(.at), now = shown(.now)))]
    InFuture { at: Time, now: Time },
    #[error("{}", t!("refusal.open_in_future", at = shown(.at), now = shown(.now)))]
    OpenInFuture { at: Time, now: Time },
    #[error("{}", t!("refusal.unknown_step", id = .id, step = .step, nomor = .nomor, versi = .versi))]
    UnknownStep {
        id: CaseId,
        step: u32,
        nomor: String,
        versi: String,
    },
    #[error("{}", t!("refusal.paused", id = .id, since = shown(.since), reason = .reason))]
    Paused {
        id: CaseId,
        since: Time,
        reason: String,
    },
    #[error("{}", t!("refusal.already_open", nik = .nik, id = .id, step = .step))]
    AlreadyOpen { nik: Nik, id: CaseId, step: u32 },
    #[error("{}", t!("refusal.not_paused", id = .id))]
    NotPaused { id: CaseId },
    #[error("{}", t!("refusal.no_reason"))]
    NoReason,
    #[error("{}", t!("refusal.before_last", at = shown(.at), id = .id, last = shown(.last)))]
    BeforeLast { id: CaseId, at: Time, last: Time },
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
    let mut case = Case {
        schema: SCHEMA_VERSION,
        id,
        koperasi,
        sop: SopRef::of(sop),
        opened_at: at,
        state: CaseState::Active {
            step: sop.first_step().number,
            step_started_at: at,
            pauses: Vec::new(),
            paused: None,
        },
        keragaan: None,
        history: Vec::new(),
        head: String::new(),
    };
    case.head = chain::genesis(&case);
    Ok(case)
}

impl Case {
    /// The running step and when it started, or `None` when done.
    pub fn current(&self) -> Option<(u32, Time)> {
        match self.state {
            CaseState::Active {
                step,
                step_started_at,
                ..
            } => Some((step, step_started_at)),
            CaseState::Done { .. } => None,
        }
    }

    pub fn is_done(&self) -> bool {
        matches!(self.state, CaseState::Done { .. })
    }

    /// The pause in progress, if any.
    pub fn paused(&self) -> Option<&Paused> {
        match &self.state {
            CaseState::Active { paused, .. } => paused.as_ref(),
            CaseState::Done { .. } => None,
        }
    }

    /// The completed steps, in order.
    pub fn passes(&self) -> impl Iterator<Item = &Pass> {
        self.history.iter().filter_map(|e| match &e.event {
            Event::Pass(p) => Some(p),
            _ => None,
        })
    }

    /// When the case last changed: a new event may not come before it.
    pub fn last_change(&self) -> Time {
        self.history
            .iter()
            .map(|e| e.event.at())
            .max()
            .unwrap_or(self.opened_at)
            .max(self.opened_at)
    }

    /// Gives the case another id (the store numbers new cases) and
    /// re-chains its history, which starts from the id.
    pub fn rekey(&mut self, id: CaseId) {
        self.id = id;
        self.rechain();
    }

    fn rechain(&mut self) {
        let entries = std::mem::take(&mut self.history);
        self.head = chain::genesis(self);
        for entry in entries {
            self.record(entry.event);
        }
    }

    /// Appends an event to the history, chained to the entry before.
    fn record(&mut self, event: Event) {
        let entry = Entry {
            event,
            prev: std::mem::take(&mut self.head),
        };
        self.head = chain::hash(&entry);
        self.history.push(entry);
    }

    fn check_time(&self, at: Time, now: Time) -> Result<(), Refusal> {
        if at > now {
            return Err(Refusal::InFuture { at, now });
        }
        let last = self.last_change();
        if at < last {
            return Err(Refusal::BeforeLast {
                id: self.id.clone(),
                at,
                last,
            });
        }
        Ok(())
    }

    fn known_role(&self, sop: &Sop, role: &str) -> Result<(), Refusal> {
        match sop.role(role) {
            Some(_) => Ok(()),
            None => Err(Refusal::UnknownRole {
                role: role.to_string(),
                known: join_ids(sop.roles.iter().map(|r| r.id.as_str())),
            }),
        }
    }

    fn active(&self) -> Result<Running<'_>, Refusal> {
        match &self.state {
            CaseState::Active {
                step,
                step_started_at,
                pauses,
                paused,
            } => Ok(Running {
                step: *step,
                started_at: *step_started_at,
                pauses,
                paused: paused.as_ref(),
            }),
            CaseState::Done { finished_at } => Err(Refusal::Done {
                id: self.id.clone(),
                finished_at: *finished_at,
            }),
        }
    }

    /// Completes the running step and starts the next one at the same instant.
    ///
    /// `sop` must be the SOP the case was opened under.
    pub fn advance(&self, sop: &Sop, c: Completion, now: Time) -> Result<Case, Refusal> {
        let Running {
            step: number,
            started_at,
            pauses,
            paused,
        } = self.active()?;
        if let Some(p) = paused {
            return Err(Refusal::Paused {
                id: self.id.clone(),
                since: p.since,
                reason: p.reason.clone(),
            });
        }
        let step = sop.step(number).ok_or_else(|| Refusal::UnknownStep {
            id: self.id.clone(),
            step: number,
            nomor: self.sop.nomor.clone(),
            versi: self.sop.versi.clone(),
        })?;
        self.known_role(sop, &c.role)?;
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
        self.check_time(c.at, now)?;
        let mut next = self.clone();
        next.record(Event::Pass(Pass {
            step: number,
            role: c.role,
            officer: c.officer,
            started_at,
            completed_at: c.at,
            decision: c.decision,
            note: c.note,
            pauses: pauses.to_vec(),
        }));
        next.state = match target {
            Target::Step(step) => CaseState::Active {
                step,
                step_started_at: c.at,
                pauses: Vec::new(),
                paused: None,
            },
            Target::End => CaseState::Done { finished_at: c.at },
        };
        Ok(next)
    }

    /// Stops the running step's clock, e.g. while waiting for documents.
    pub fn pause(&self, sop: &Sop, by: Actor, reason: &str, now: Time) -> Result<Case, Refusal> {
        let Running { step, paused, .. } = self.active()?;
        if let Some(p) = paused {
            return Err(Refusal::Paused {
                id: self.id.clone(),
                since: p.since,
                reason: p.reason.clone(),
            });
        }
        self.known_role(sop, &by.role)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Refusal::NoReason);
        }
        self.check_time(by.at, now)?;
        let mut next = self.clone();
        next.record(Event::Pause {
            step,
            at: by.at,
            role: by.role.clone(),
            officer: by.officer.clone(),
            reason: reason.to_string(),
        });
        if let CaseState::Active { paused, .. } = &mut next.state {
            *paused = Some(Paused {
                since: by.at,
                reason: reason.to_string(),
                role: by.role,
                officer: by.officer,
            });
        }
        Ok(next)
    }

    /// Starts the paused step's clock again.
    pub fn resume(&self, sop: &Sop, by: Actor, now: Time) -> Result<Case, Refusal> {
        let Running { step, paused, .. } = self.active()?;
        let since = match paused {
            Some(p) => p.since,
            None => {
                return Err(Refusal::NotPaused {
                    id: self.id.clone(),
                })
            }
        };
        self.known_role(sop, &by.role)?;
        self.check_time(by.at, now)?;
        let mut next = self.clone();
        next.record(Event::Resume {
            step,
            at: by.at,
            role: by.role,
            officer: by.officer,
        });
        if let CaseState::Active { pauses, paused, .. } = &mut next.state {
            *paused = None;
            pauses.push(Interval {
                from: since,
                to: by.at,
            });
        }
        Ok(next)
    }

    /// Sets the keragaan record from an import; `None` when the case already
    /// holds exactly this record.
    pub fn set_keragaan(&self, record: Keragaan, source: String, at: Time) -> Option<Case> {
        let changed = match &self.keragaan {
            Some(old) if *old == record => return None,
            Some(old) => old.changed_fields(&record),
            None => given_fields(&record),
        };
        let mut next = self.clone();
        next.record(Event::Keragaan {
            // Never before the case's last change, so the history stays in order.
            at: at.max(self.last_change()),
            source,
            changed,
            digest: record.digest(),
        });
        next.keragaan = Some(record);
        Some(next)
    }

    /// Every pass with its due time and lateness: the completed ones in
    /// order, then the running step, if any.
    pub fn timeline(&self, sop: &Sop, calendar: &Calendar, now: Time) -> Vec<Timed> {
        let completed = self.passes().map(|p| Timed::completed(sop, calendar, p));
        completed.chain(self.running(sop, calendar, now)).collect()
    }

    /// The running step with its timing, or `None` when done.
    pub fn running(&self, sop: &Sop, calendar: &Calendar, now: Time) -> Option<Timed> {
        match &self.state {
            CaseState::Active {
                step,
                step_started_at,
                pauses,
                paused,
            } => Some(Timed::running(
                sop,
                calendar,
                *step,
                *step_started_at,
                pauses,
                paused.as_ref().map(|p| p.since),
                now,
            )),
            CaseState::Done { .. } => None,
        }
    }
}

/// Reads a case file of schema 1, which had no hash chain: its passes
/// become chained entries.
pub fn from_schema_1(mut value: serde_json::Value) -> Result<Case, serde_json::Error> {
    if let Some(history) = value.get_mut("history").and_then(|h| h.as_array_mut()) {
        for entry in history.iter_mut().filter_map(|e| e.as_object_mut()) {
            entry.insert("kind".into(), "pass".into());
            entry.insert("prev".into(), "".into());
        }
    }
    if let Some(fields) = value.as_object_mut() {
        fields.insert("head".into(), "".into());
        fields.insert("schema".into(), SCHEMA_VERSION.into());
    }
    let mut case: Case = serde_json::from_value(value)?;
    case.rechain();
    Ok(case)
}

/// The fields a first record gives, by name.
fn given_fields(record: &Keragaan) -> Vec<String> {
    let mut names = Vec::new();
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(record) {
        for (name, value) in fields {
            match value {
                serde_json::Value::Object(extra) if name == "extra" => {
                    names.extend(extra.keys().cloned())
                }
                _ => names.push(name),
            }
        }
    }
    names
}

/// The running step of an active case.
struct Running<'a> {
    step: u32,
    started_at: Time,
    pauses: &'a [Interval],
    paused: Option<&'a Paused>,
}

fn join_ids<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    ids.collect::<Vec<_>>().join(", ")
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
        assert_eq!(
            back.passes().nth(1).unwrap().decision,
            Some(Decision::Tidak)
        );
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
