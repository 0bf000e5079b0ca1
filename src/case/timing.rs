//! A step measured against its time standard (waktu), in working time,
//! with paused spans left out.

use serde::{Deserialize, Serialize};

use super::{Decision, Pass, Time};
use crate::calendar::Calendar;
use crate::sop::Sop;

/// A span of time, e.g. a pause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interval {
    pub from: Time,
    pub to: Time,
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
    /// Start plus the standard plus the paused working time, in working time.
    pub due_at: Time,
    /// The standard, in working seconds; 0 when the step is unknown to the SOP.
    pub standard_secs: i64,
    /// Working seconds from the start to completion (or to now while
    /// running), paused spans left out.
    pub taken_secs: i64,
    /// Paused working seconds, included the pause in progress.
    pub paused_secs: i64,
    /// Paused right now.
    pub paused: bool,
    /// Completed after due, or still running past due.
    pub late: bool,
}

impl Timed {
    pub(super) fn completed(sop: &Sop, calendar: &Calendar, pass: &Pass) -> Timed {
        let clock = Timed::running(
            sop,
            calendar,
            pass.step,
            pass.started_at,
            &pass.pauses,
            None,
            pass.completed_at,
        );
        Timed {
            step: pass.step,
            role: Some(pass.role.clone()),
            officer: pass.officer.clone(),
            started_at: pass.started_at,
            completed_at: Some(pass.completed_at),
            decision: pass.decision,
            note: pass.note.clone(),
            paused: false,
            ..clock
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

    /// Step `step`, started at `started_at`, measured up to `end` (now,
    /// while it runs), with its ended pauses and the start of the pause in
    /// progress.
    pub fn running(
        sop: &Sop,
        calendar: &Calendar,
        step: u32,
        started_at: Time,
        pauses: &[Interval],
        paused_since: Option<Time>,
        end: Time,
    ) -> Timed {
        let standard_secs = sop
            .step(step)
            .map_or(0, |s| s.waktu.working_secs(calendar.day_minutes()));
        let mut due_at = calendar.add_working(started_at, standard_secs);
        let open = paused_since.map(|from| Interval {
            from,
            to: end.max(from),
        });
        let mut paused_secs = 0;
        // A pause that starts before the step is due moves the due time on by
        // its working length; one that starts after cannot undo the lateness.
        for pause in pauses.iter().chain(open.as_ref()) {
            let secs = calendar.working_between(pause.from, pause.to);
            paused_secs += secs;
            if pause.from < due_at {
                due_at = calendar.add_working(due_at, secs);
            }
        }
        Timed {
            step,
            role: None,
            officer: None,
            started_at,
            completed_at: None,
            decision: None,
            note: None,
            due_at,
            standard_secs,
            taken_secs: (calendar.working_between(started_at, end) - paused_secs).max(0),
            paused_secs,
            paused: paused_since.is_some(),
            late: end > due_at,
        }
    }
}
