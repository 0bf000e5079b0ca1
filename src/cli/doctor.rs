//! `doctor`: one look at everything that can be wrong with a data directory.

use std::io::Write;
use std::process::ExitCode;

use rust_i18n::t;
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
            fix: t!(fix).into_owned(),
            fixed,
        })
    };
    let busy = ctx.store.lock_busy()?;
    if busy {
        add(
            "lock",
            t!("doctor.lock").into_owned(),
            "doctor.lock.fix",
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
            "doctor.bad_file.fix",
            false,
        );
    }
    for broken in broken {
        add(
            "broken_chain",
            t!("doctor.broken", id = broken.id, problem = broken.problem).into_owned(),
            "doctor.broken.fix",
            false,
        );
    }
    let health = ctx.store.index_health(&cases)?;
    let index_problem = match &health {
        IndexHealth::Current => None,
        IndexHealth::Missing => Some(t!("doctor.index.missing")),
        IndexHealth::Garbled => Some(t!("doctor.index.garbled")),
        IndexHealth::Interrupted if busy => None,
        IndexHealth::Interrupted => Some(t!("doctor.index.interrupted")),
        IndexHealth::Disagrees(ids) => Some(t!(
            "doctor.index.disagrees",
            count = ids.len(),
            ids = list(ids.iter().map(|id| id.to_string()))
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
        add("index", message.into_owned(), "doctor.index.fix", fixed);
    }
    if relink {
        add(
            "nik_link",
            t!(
                "doctor.nik_link",
                ids = list(unlinked.iter().map(|id| id.to_string()))
            )
            .into_owned(),
            "doctor.nik_link.fix",
            fixed,
        );
    }
    for year in ctx.store.counter_behind(&cases)? {
        add(
            "counter",
            t!("doctor.counter", year = year).into_owned(),
            "doctor.counter.fix",
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
                t!(
                    "doctor.leftover",
                    count = leftovers.len(),
                    files = list(leftovers.iter().map(|p| p.display().to_string()))
                )
                .into_owned(),
                "doctor.leftover.fix",
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
            t!(
                "doctor.permissions",
                files = list(
                    loose
                        .iter()
                        .map(|(p, mode)| format!("{} ({mode:o})", p.display()))
                )
            )
            .into_owned(),
            "doctor.permissions.fix",
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
            Err(e) => add("sop", e.to_string(), "doctor.sop.fix", false),
        }
    }
    for date in ctx.calendar.uncovered_dates() {
        add(
            "calendar",
            t!(
                "doctor.calendar",
                year = chrono::Datelike::year(&date),
                date = date
            )
            .into_owned(),
            "doctor.calendar.fix",
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
                let state = if p.fixed {
                    t!("doctor.fixed")
                } else {
                    t!("doctor.problem")
                };
                writeln!(
                    out,
                    "{}",
                    t!(
                        "doctor.line",
                        state = state,
                        message = p.message,
                        fix = p.fix
                    )
                )?;
            }
            if ok {
                writeln!(out, "{}", t!("doctor.all_clear", count = cases.len()))?;
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
        n if n > 5 => t!("doctor.and_more", shown = shown, more = n - 5).into_owned(),
        _ => shown,
    }
}
