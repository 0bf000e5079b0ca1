//! The report for the Kepala Dinas (the SOP's step 9, and the review of the
//! department's key performance indicators, IKU): how the SOP ran in a
//! period, per step, per role and per case.
//!
//! Pure: the caller loads the cases and their SOPs and hands them to a
//! [`Tally`]; [`Tally::finish`] gives the figures; [`html`] prints them.
//!
//! A pass belongs to the period when it was completed in it (dates in the
//! calendar's zone, both ends included). Times taken are working time with
//! paused spans left out ([`Timed::taken_secs`]).

pub mod html;

use std::collections::BTreeMap;

use chrono::{Datelike, FixedOffset, NaiveDate};
use rust_i18n::t;
use serde::Serialize;

use crate::calendar::Calendar;
use crate::case::{Case, CaseState, Decision, Time, Timed};
use crate::render::rfc3339;
use crate::sop::{Flow, Sop};

/// The days a report covers, both ends included, in the calendar's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Why the dates given do not make a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", t!("report.empty_period", from = .from, to = .to))]
pub struct EmptyPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The period from `from` to `to`; `to` defaults to `today`, `from` to
    /// the first of January of `to`'s year.
    pub fn new(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Period, EmptyPeriod> {
        let to = to.unwrap_or(today);
        let from = from
            .or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1))
            .unwrap_or(to);
        if from > to {
            return Err(EmptyPeriod { from, to });
        }
        Ok(Period { from, to })
    }

    /// Whether `t` falls on a day of the period, read in `zone`.
    pub fn contains(&self, t: Time, zone: FixedOffset) -> bool {
        let day = t.with_timezone(&zone).date_naive();
        self.from <= day && day <= self.to
    }
}

/// The `p`-th percentile of `sorted` (ascending) by the nearest-rank
/// method: the value at rank ⌈p/100 × n⌉, counting from 1. The median is the
/// 50th percentile, so with an even count it is the lower of the two middle
/// values. Every result is a value of the list: a time some pass really
/// took. `None` when the list is empty.
///
/// ```
/// use koperasi_sop::report::nearest_rank;
///
/// let taken = [10, 20, 30, 40];
/// assert_eq!(nearest_rank(&taken, 50), Some(20)); // rank ⌈0.5 × 4⌉ = 2
/// assert_eq!(nearest_rank(&taken, 90), Some(40)); // rank ⌈0.9 × 4⌉ = 4
/// assert_eq!(nearest_rank(&[7], 90), Some(7));
/// assert_eq!(nearest_rank(&[], 50), None);
/// ```
pub fn nearest_rank(sorted: &[i64], p: u32) -> Option<i64> {
    let n = sorted.len();
    let rank = (p as usize * n).div_ceil(100).clamp(1, n.max(1));
    sorted.get(rank - 1).copied()
}

/// The SOP a report is about, as its identity part names it.
#[derive(Debug, Clone, Serialize)]
pub struct SopIdentity {
    pub nomor: String,
    pub nama: String,
    pub pemerintah: String,
    pub instansi: String,
    pub bidang: String,
    /// Tanggal revisi, or tanggal efektif when never revised.
    pub versi: String,
    pub disahkan_oleh: Pengesah,
}

/// Disahkan oleh: who approved the SOP.
#[derive(Debug, Clone, Serialize)]
pub struct Pengesah {
    pub jabatan: String,
    pub nama: String,
    pub nip: String,
}

impl SopIdentity {
    fn of(sop: &Sop) -> SopIdentity {
        let id = &sop.identity;
        SopIdentity {
            nomor: id.nomor.clone(),
            nama: id.nama.clone(),
            pemerintah: id.pemerintah.clone(),
            instansi: id.instansi.clone(),
            bidang: id.bidang.clone(),
            versi: sop.version(),
            disahkan_oleh: Pengesah {
                jabatan: id.disahkan_oleh.jabatan.clone(),
                nama: id.disahkan_oleh.nama.clone(),
                nip: id.disahkan_oleh.nip.clone(),
            },
        }
    }
}

/// The figures of one step.
#[derive(Debug, Clone, Serialize)]
pub struct StepFigures {
    pub step: u32,
    /// Uraian prosedur; empty for a step only an earlier SOP text had.
    pub uraian: String,
    /// The roles that may complete it.
    pub roles: Vec<String>,
    /// The time standard as the SOP writes it (`30 menit`); null for a step
    /// only an earlier SOP text had.
    pub waktu: Option<String>,
    /// The standard in working minutes, by the current SOP text.
    pub standard_minutes: Option<i64>,
    /// Passes completed in the period.
    pub passes: usize,
    /// Of those, completed by their due time (each against the standard of
    /// the SOP text its case runs under).
    pub on_time: usize,
    /// on_time / passes; null when there are no passes.
    pub on_time_share: Option<f64>,
    /// Working minutes taken: the median (nearest rank); null when no passes.
    pub median_minutes: Option<i64>,
    /// Working minutes taken: the 90th percentile (nearest rank).
    pub p90_minutes: Option<i64>,
    /// Passes that answered TIDAK and sent the file back; null when the step
    /// is not a decision.
    pub tidak_returns: Option<usize>,
}

/// The figures of one role (swimlane).
#[derive(Debug, Clone, Serialize)]
pub struct RoleFigures {
    pub role: String,
    pub nama: String,
    /// Passes this role completed in the period.
    pub passes: usize,
    pub on_time: usize,
    pub on_time_share: Option<f64>,
}

/// Cases counted by what happened to them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CaseFigures {
    /// Opened in the period.
    pub opened: usize,
    /// Finished (last step completed) in the period.
    pub finished: usize,
    /// Still running at `as_of`.
    pub active_now: usize,
    /// Running at `as_of` with their step past its standard.
    pub overdue_now: usize,
}

/// The whole report; its JSON form is a contract with scripts (README).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub sop: SopIdentity,
    /// The working calendar's name.
    pub calendar: String,
    pub period: Period,
    /// The instant `active_now` and `overdue_now` are counted at.
    pub as_of: String,
    #[serde(skip)]
    pub now: Time,
    pub cases: CaseFigures,
    /// All passes completed in the period.
    pub passes: usize,
    pub on_time: usize,
    pub on_time_share: Option<f64>,
    /// TIDAK answers at decision steps in the period.
    pub tidak_returns: usize,
    pub steps: Vec<StepFigures>,
    pub roles: Vec<RoleFigures>,
}

#[derive(Debug, Default)]
struct StepTally {
    uraian: String,
    roles: Vec<String>,
    waktu: Option<String>,
    standard_secs: Option<i64>,
    decision: bool,
    taken_secs: Vec<i64>,
    on_time: usize,
    tidak: usize,
}

#[derive(Debug)]
struct RoleTally {
    role: String,
    nama: String,
    passes: usize,
    on_time: usize,
}

/// Gathers the figures case by case.
pub struct Tally<'a> {
    sop: &'a Sop,
    calendar: &'a Calendar,
    now: Time,
    period: Period,
    steps: BTreeMap<u32, StepTally>,
    roles: Vec<RoleTally>,
    cases: CaseFigures,
}

impl<'a> Tally<'a> {
    /// A report on `period` as of `now`, named after `sop` (the current SOP
    /// text): its steps and roles come first, in its order.
    pub fn new(sop: &'a Sop, calendar: &'a Calendar, now: Time, period: Period) -> Tally<'a> {
        let steps = sop
            .steps
            .iter()
            .map(|s| {
                (
                    s.number,
                    StepTally {
                        uraian: s.uraian.clone(),
                        roles: s.actors.clone(),
                        waktu: Some(s.waktu.to_string()),
                        standard_secs: Some(s.waktu.working_secs(calendar.day_minutes())),
                        decision: matches!(s.flow, Flow::Decision { .. }),
                        ..StepTally::default()
                    },
                )
            })
            .collect();
        let roles = sop
            .roles
            .iter()
            .map(|r| RoleTally {
                role: r.id.clone(),
                nama: r.nama.clone(),
                passes: 0,
                on_time: 0,
            })
            .collect();
        Tally {
            sop,
            calendar,
            now,
            period,
            steps,
            roles,
            cases: CaseFigures::default(),
        }
    }

    /// Counts `case`, which runs under `case_sop`.
    pub fn add(&mut self, case: &Case, case_sop: &Sop) {
        let zone = self.calendar.offset();
        if self.period.contains(case.opened_at, zone) {
            self.cases.opened += 1;
        }
        if let CaseState::Done { finished_at } = case.state {
            if self.period.contains(finished_at, zone) {
                self.cases.finished += 1;
            }
        }
        for timed in case.timeline(case_sop, self.calendar, self.now) {
            match timed.completed_at {
                Some(at) if self.period.contains(at, zone) => self.count(&timed, case_sop),
                Some(_) => {}
                None => {
                    self.cases.active_now += 1;
                    if timed.late {
                        self.cases.overdue_now += 1;
                    }
                }
            }
        }
    }

    fn count(&mut self, timed: &Timed, case_sop: &Sop) {
        let on_time = usize::from(!timed.late);
        let step = self.steps.entry(timed.step).or_insert_with(|| {
            // A step the current SOP text lacks: described by the case's own.
            let known = case_sop.step(timed.step);
            StepTally {
                uraian: known.map(|s| s.uraian.clone()).unwrap_or_default(),
                roles: known.map(|s| s.actors.clone()).unwrap_or_default(),
                decision: known.is_some_and(|s| matches!(s.flow, Flow::Decision { .. })),
                ..StepTally::default()
            }
        });
        step.taken_secs.push(timed.taken_secs);
        step.on_time += on_time;
        if timed.decision.is_some() {
            step.decision = true;
        }
        if timed.decision == Some(Decision::Tidak) {
            step.tidak += 1;
        }
        let role = timed.role.clone().unwrap_or_default();
        let index = match self.roles.iter().position(|r| r.role == role) {
            Some(i) => i,
            None => {
                let nama = case_sop
                    .role(&role)
                    .map_or_else(|| role.clone(), |r| r.nama.clone());
                self.roles.push(RoleTally {
                    role,
                    nama,
                    passes: 0,
                    on_time: 0,
                });
                self.roles.len() - 1
            }
        };
        self.roles[index].passes += 1;
        self.roles[index].on_time += on_time;
    }

    /// The figures.
    pub fn finish(self) -> Report {
        let steps: Vec<StepFigures> = self
            .steps
            .into_iter()
            .map(|(number, mut s)| {
                s.taken_secs.sort_unstable();
                let passes = s.taken_secs.len();
                StepFigures {
                    step: number,
                    uraian: s.uraian,
                    roles: s.roles,
                    waktu: s.waktu,
                    standard_minutes: s.standard_secs.map(|secs| secs / 60),
                    passes,
                    on_time: s.on_time,
                    on_time_share: share(s.on_time, passes),
                    median_minutes: nearest_rank(&s.taken_secs, 50).map(|secs| secs / 60),
                    p90_minutes: nearest_rank(&s.taken_secs, 90).map(|secs| secs / 60),
                    tidak_returns: s.decision.then_some(s.tidak),
                }
            })
            .collect();
        let passes = steps.iter().map(|s| s.passes).sum();
        let on_time = steps.iter().map(|s| s.on_time).sum();
        Report {
            sop: SopIdentity::of(self.sop),
            calendar: self.calendar.name().to_string(),
            period: self.period,
            as_of: rfc3339(self.now),
            now: self.now,
            cases: self.cases,
            passes,
            on_time,
            on_time_share: share(on_time, passes),
            tidak_returns: steps.iter().filter_map(|s| s.tidak_returns).sum(),
            steps,
            roles: self
                .roles
                .into_iter()
                .map(|r| RoleFigures {
                    on_time_share: share(r.on_time, r.passes),
                    role: r.role,
                    nama: r.nama,
                    passes: r.passes,
                    on_time: r.on_time,
                })
                .collect(),
        }
    }
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{open, CaseId, Completion, Koperasi};

    fn t(s: &str) -> Time {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn step(case: Case, sop: &Sop, role: &str, at: &str, decision: Option<Decision>) -> Case {
        let c = Completion {
            role: role.into(),
            officer: None,
            decision,
            note: None,
            at: t(at),
        };
        case.advance(sop, c, t("2026-12-31T16:00:00+08:00"))
            .unwrap()
    }

    fn fresh(n: u32, at: &str) -> Case {
        let sop = Sop::embedded().unwrap();
        let koperasi = Koperasi {
            nik: "6472010000123".parse().unwrap(),
            nama: "Koperasi A".into(),
        };
        open(CaseId::new(2026, n), koperasi, &sop, t(at), t(at)).unwrap()
    }

    #[test]
    fn nearest_rank_takes_the_value_at_the_rounded_up_rank() {
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(nearest_rank(&v, 50), Some(5));
        assert_eq!(nearest_rank(&v, 90), Some(9));
        assert_eq!(nearest_rank(&v, 91), Some(10));
        assert_eq!(nearest_rank(&v, 100), Some(10));
        assert_eq!(nearest_rank(&v, 0), Some(1));
        assert_eq!(nearest_rank(&[3, 8, 9], 50), Some(8));
        assert_eq!(nearest_rank(&[3, 8, 9], 90), Some(9));
    }

    #[test]
    fn the_period_defaults_to_the_year_so_far_and_refuses_to_run_backwards() {
        let today = d("2026-12-07");
        let p = Period::new(None, None, today).unwrap();
        assert_eq!((p.from, p.to), (d("2026-01-01"), today));
        let p = Period::new(None, Some(d("2025-06-30")), today).unwrap();
        assert_eq!(p.from, d("2025-01-01"), "from follows the year of to");
        let err = Period::new(Some(d("2026-12-08")), None, today).unwrap_err();
        assert_eq!(err.from, d("2026-12-08"));
        let zone = FixedOffset::east_opt(8 * 3600).unwrap();
        let p = Period::new(Some(d("2026-12-07")), Some(d("2026-12-07")), today).unwrap();
        // 23:59 WITA on the last day is in; midnight after it is not, even
        // though it is still the 7th in UTC.
        assert!(p.contains(t("2026-12-07T23:59:59+08:00"), zone));
        assert!(!p.contains(t("2026-12-08T00:00:00+08:00"), zone));
        assert!(!p.contains(t("2026-12-07T16:30:00Z"), zone));
        assert!(p.contains(t("2026-12-06T16:00:00Z"), zone));
    }

    #[test]
    fn passes_are_counted_by_step_and_role_in_the_period() {
        let sop = Sop::embedded().unwrap();
        let cal = Calendar::embedded().unwrap();
        // Monday 7 Dec: step 1 on time (20 min), TIDAK back at step 2 after
        // 5 min, step 1 again late (45 min), step 2 YA after 10 min.
        let a = fresh(1, "2026-12-07T08:00:00+08:00");
        let a = step(a, &sop, "jfu", "2026-12-07T08:20:00+08:00", None);
        let a = step(
            a,
            &sop,
            "kepala_bidang",
            "2026-12-07T08:25:00+08:00",
            Some(Decision::Tidak),
        );
        let a = step(a, &sop, "jfu", "2026-12-07T09:10:00+08:00", None);
        let a = step(
            a,
            &sop,
            "kepala_bidang",
            "2026-12-07T09:20:00+08:00",
            Some(Decision::Ya),
        );
        // Opened before the period; its step 1 pass falls before it too.
        let b = fresh(2, "2026-11-30T08:00:00+08:00");
        let b = step(b, &sop, "jfu", "2026-11-30T08:10:00+08:00", None);

        let now = t("2026-12-08T08:00:00+08:00");
        let period = Period::new(Some(d("2026-12-01")), None, d("2026-12-08")).unwrap();
        let mut tally = Tally::new(&sop, &cal, now, period);
        tally.add(&a, &sop);
        tally.add(&b, &sop);
        let r = tally.finish();

        assert_eq!(r.steps.len(), 10, "every step of the SOP has a row");
        let s1 = &r.steps[0];
        assert_eq!((s1.passes, s1.on_time), (2, 1));
        assert_eq!((s1.median_minutes, s1.p90_minutes), (Some(20), Some(45)));
        assert_eq!(s1.standard_minutes, Some(30));
        assert_eq!(s1.tidak_returns, None);
        let s2 = &r.steps[1];
        assert_eq!((s2.passes, s2.on_time, s2.tidak_returns), (2, 2, Some(1)));
        assert_eq!(s2.on_time_share, Some(1.0));
        let s3 = &r.steps[2];
        assert_eq!(
            (s3.passes, s3.median_minutes, s3.on_time_share),
            (0, None, None)
        );
        assert_eq!((r.passes, r.on_time, r.tidak_returns), (4, 3, 1));
        assert_eq!(r.cases.opened, 1);
        assert_eq!(r.cases.finished, 0);
        // a runs step 3 since Mon 09:20 (due 09:50); b step 2 since 30 Nov.
        assert_eq!((r.cases.active_now, r.cases.overdue_now), (2, 2));
        let jfu = r.roles.iter().find(|r| r.role == "jfu").unwrap();
        assert_eq!(
            (jfu.passes, jfu.on_time, jfu.on_time_share),
            (2, 1, Some(0.5))
        );
        let kadis = r.roles.iter().find(|r| r.role == "kepala_dinas").unwrap();
        assert_eq!((kadis.passes, kadis.on_time_share), (0, None));
    }
}
