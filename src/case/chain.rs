//! The history as a hash chain: each entry records the SHA-256 of the one
//! before it, the first one that of the case's opening record, and the case
//! records the hash of the last one. Changing a time, an officer or a
//! decision, reordering entries or cutting the history breaks the chain.
//! Rewriting the whole chain does not; the chain shows edits, it does not
//! prevent them.

use rust_i18n::t;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Case, CaseState, Entry, Event};

/// SHA-256 (hex) of what a case is opened with.
pub(super) fn genesis(case: &Case) -> String {
    #[derive(Serialize)]
    struct Opening<'a> {
        id: &'a super::CaseId,
        koperasi: &'a super::Koperasi,
        sop: &'a super::SopRef,
        opened_at: &'a super::Time,
    }
    hex(&Opening {
        id: &case.id,
        koperasi: &case.koperasi,
        sop: &case.sop,
        opened_at: &case.opened_at,
    })
}

/// SHA-256 (hex) of an entry's JSON, as the next entry records it.
pub(super) fn hash(entry: &Entry) -> String {
    hex(entry)
}

fn hex(value: &impl Serialize) -> String {
    let bytes = serde_json::to_vec(value).expect("case data serializes");
    let digest = Sha256::digest(&bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Where a case's history stops matching its chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    /// Entry `entry` (1-based) does not record the hash of what precedes it:
    /// it, or something before it, was edited, removed or moved.
    #[error("{}", t!("broken.entry", entry = .entry))]
    Entry { entry: usize },
    /// The last entry does not match the case's recorded end of chain.
    #[error("{}", t!("broken.head"))]
    Head,
    /// The case's state says something its history does not.
    #[error("{}", t!("broken.state", reason = .0))]
    State(String),
    /// The stored keragaan record is not the one the history records.
    #[error("{}", t!("broken.keragaan"))]
    Keragaan,
}

/// Recomputes a case's chain; the first place it breaks, if any.
pub fn verify(case: &Case) -> Result<(), Broken> {
    let mut expected = genesis(case);
    for (i, entry) in case.history.iter().enumerate() {
        if entry.prev != expected {
            return Err(Broken::Entry { entry: i + 1 });
        }
        expected = hash(entry);
    }
    if case.head != expected {
        return Err(Broken::Head);
    }
    check_state(case)?;
    let recorded = case.history.iter().rev().find_map(|e| match &e.event {
        Event::Keragaan { digest, .. } => Some(digest),
        _ => None,
    });
    let stored = case.keragaan.as_ref().map(|k| k.digest());
    if recorded != stored.as_ref() {
        return Err(Broken::Keragaan);
    }
    Ok(())
}

/// The state must be where the history left the case.
fn check_state(case: &Case) -> Result<(), Broken> {
    check_pause(case)?;
    let last = case.passes().last();
    let expected_start = last.map_or(case.opened_at, |p| p.completed_at);
    match (&case.state, last) {
        (CaseState::Done { finished_at }, Some(p)) if *finished_at == p.completed_at => Ok(()),
        (CaseState::Done { .. }, _) => Err(Broken::State(t!("broken.done_not_last").into_owned())),
        (
            CaseState::Active {
                step_started_at, ..
            },
            _,
        ) if *step_started_at != expected_start => Err(Broken::State(
            t!(
                "broken.started",
                started = step_started_at,
                expected = expected_start
            )
            .into_owned(),
        )),
        _ => Ok(()),
    }
}

/// A pause in progress must be the one the last pause entry records, and
/// the ended pauses of the running step the ones its entries record.
fn check_pause(case: &Case) -> Result<(), Broken> {
    let CaseState::Active {
        step_started_at,
        pauses,
        paused,
        ..
    } = &case.state
    else {
        return Ok(());
    };
    let mut ended = Vec::new();
    let mut open: Option<(&super::Time, &String)> = None;
    for entry in &case.history {
        match &entry.event {
            Event::Pause { at, reason, .. } if at >= step_started_at => open = Some((at, reason)),
            Event::Resume { at, .. } if at >= step_started_at => {
                if let Some((from, _)) = open.take() {
                    ended.push(super::Interval {
                        from: *from,
                        to: *at,
                    });
                }
            }
            _ => {}
        }
    }
    let recorded = paused.as_ref().map(|p| (&p.since, &p.reason));
    if recorded != open || *pauses != ended {
        return Err(Broken::State(t!("broken.pauses").into_owned()));
    }
    Ok(())
}
