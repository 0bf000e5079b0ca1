//! `doctor`: one look at everything that can be wrong with a data directory.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::{Context, Format};
use crate::render;
use crate::store::{IndexHealth, Sops};

/// Check the data directory: unreadable files, broken history chains, the
/// index, leftovers of interrupted writes, the lock, permissions and the
/// calendar's coverage of running steps
///
/// Prints a one-line all-clear when everything is fine; otherwise each
/// problem with what to do, and exits 1. With --fix it repairs what is safe
/// to repair (rebuilds the index and NIK links, removes leftovers of
/// interrupted writes, makes files readable by their owner only); it never
/// touches a case file.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Repair what can be repaired without touching a case file
    #[arg(long)]
    fix: bool,
}

#[derive(Serialize)]
struct Problem {
    /// A stable name: bad_file, broken_chain, index, nik_link, counter,
    /// leftover, lock, permissions, calendar, sop.
    kind: &'static str,
    message: String,
    /// What to do about it.
    fix: String,
    /// Whether --fix repaired it.
    fixed: bool,
}

#[derive(Serialize)]
struct Report {
    ok: bool,
    cases: usize,
    problems: Vec<Problem>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let mut problems = Vec::new();
    let mut add = |kind, message: String, fix: &str, fixed: bool| {
        problems.push(Problem {
            kind,
            message,
            fix: fix.to_string(),
            fixed,
        })
    };
    let busy = ctx.store.lock_busy()?;
    if busy {
        add(
            "lock",
            "another koperasi-sop holds the writers' lock right now".into(),
            "run doctor again when it has finished; a lock is released when its process ends, so it cannot go stale",
            false,
        );
    }
    // With --fix, hold the lock for the whole look so nothing moves.
    let lock = if args.fix && !busy {
        Some(ctx.store.lock(ctx.lock_timeout)?)
    } else {
        None
    };
    // One case at a time: its summary and whether its chain holds.
    let mut cases = Vec::new();
    let mut broken = Vec::new();
    let bad = ctx.store.each_case(|case| {
        broken.extend(super::verify::broken(std::slice::from_ref(&case)));
        cases.push(crate::store::Summary::of(&case));
    })?;
    for file in &bad {
        add(
            "bad_file",
            format!("{}: {}", file.path.display(), file.reason),
            "restore it from a backup or move it out of the data directory; it is never rewritten",
            false,
        );
    }
    for broken in broken {
        add(
            "broken_chain",
            format!("case {}: {}", broken.id, broken.problem),
            "compare the file with a backup; `koperasi-sop verify` lists every case",
            false,
        );
    }
    let health = ctx.store.index_health(&cases)?;
    let index_problem = match &health {
        IndexHealth::Current => None,
        IndexHealth::Missing => Some("the index is missing".to_string()),
        IndexHealth::Garbled => Some("the index is not readable".to_string()),
        IndexHealth::Interrupted if busy => None,
        IndexHealth::Interrupted => Some("the index records a write that never finished".into()),
        IndexHealth::Disagrees(ids) => Some(format!(
            "the index differs from the case files for {} case(s): {}",
            ids.len(),
            list(ids.iter().map(|id| id.to_string()))
        )),
    };
    let unlinked = ctx.store.unlinked(&cases)?;
    let relink = !unlinked.is_empty();
    let reindex = index_problem.is_some() || relink;
    if let (true, Some(lock)) = (reindex, &lock) {
        ctx.store.rebuild_index(lock)?;
    }
    let fixed = reindex && lock.is_some();
    if let Some(message) = index_problem {
        add(
            "index",
            message,
            "run `koperasi-sop reindex` (or doctor --fix); status also rebuilds it by itself",
            fixed,
        );
    }
    if relink {
        add(
            "nik_link",
            format!(
                "the NIK links do not name the active case for {}",
                list(unlinked.iter().map(|id| id.to_string()))
            ),
            "run `koperasi-sop reindex` (or doctor --fix)",
            fixed,
        );
    }
    for year in ctx.store.counter_behind(&cases)? {
        add(
            "counter",
            format!("the case-number counter for {year} is behind its cases"),
            "nothing to do: a new case steps over existing numbers; ids.json may have been restored from an old backup",
            false,
        );
    }
    if !busy {
        let leftovers = ctx.store.leftovers()?;
        if !leftovers.is_empty() {
            let removed = match &lock {
                Some(lock) => ctx.store.remove_leftovers(lock)? > 0,
                None => false,
            };
            add(
                "leftover",
                format!(
                    "{} temporary file(s) left by interrupted writes: {}",
                    leftovers.len(),
                    list(leftovers.iter().map(|p| p.display().to_string()))
                ),
                "run doctor --fix to remove them; they never hold a case's only copy",
                removed,
            );
        }
    }
    let loose = ctx.store.loose_permissions()?;
    if !loose.is_empty() {
        if let Some(lock) = &lock {
            ctx.store.tighten(lock, &loose)?;
        }
        add(
            "permissions",
            format!(
                "readable by others than the owner: {}",
                list(
                    loose
                        .iter()
                        .map(|(p, mode)| format!("{} ({mode:o})", p.display()))
                )
            ),
            "run doctor --fix (or chmod 700 for directories, 600 for files): keragaan records hold names and phone numbers",
            lock.is_some(),
        );
    }
    drop(lock);
    let mut sops = Sops::new(&ctx.store, &ctx.sop);
    for case in cases.iter().filter(|c| !c.is_done()) {
        match sops.get(&case.sop, &case.id) {
            // Computing the due time records any year the calendar lacks.
            Ok(sop) => {
                let _ = crate::render::StatusRow::new(case, sop, &ctx.calendar, ctx.now);
            }
            Err(e) => add(
                "sop",
                e.to_string(),
                "restore the SOP text from a backup",
                false,
            ),
        }
    }
    for date in ctx.calendar.uncovered_dates() {
        add(
            "calendar",
            format!(
                "running steps fall due in {}, which the working calendar does not cover (first date: {date})",
                chrono::Datelike::year(&date)
            ),
            "give a calendar that lists that year's holidays with --calendar",
            false,
        );
    }

    let open: Vec<&Problem> = problems.iter().filter(|p| !p.fixed).collect();
    let ok = open.is_empty();
    let mut out = super::stdout();
    match ctx.format {
        Format::Json => render::json(
            &mut out,
            &Report {
                ok,
                cases: cases.len(),
                problems,
            },
        )?,
        Format::Table | Format::Csv => {
            for p in &problems {
                let state = if p.fixed { "fixed" } else { "problem" };
                writeln!(out, "{state}: {}\n  fix: {}", p.message, p.fix)?;
            }
            if ok {
                writeln!(out, "all clear: {} case(s), nothing to fix", cases.len())?;
            }
        }
    }
    super::finish(out, super::failure_if(!ok))
}

/// The first few items, and how many more.
fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    let shown = items.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    match items.len() {
        n if n > 5 => format!("{shown} and {} more", n - 5),
        _ => shown,
    }
}
