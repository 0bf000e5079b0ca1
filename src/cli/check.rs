//! `check`: every step pass against its time standard.

use std::io::Write;
use std::process::ExitCode;

use rust_i18n::t;
use serde::Serialize;

use super::{Context, Format};
use crate::case::{Case, CaseId, Timed};
use crate::render::{self, CasePass};
use crate::store::Sops;

/// Check step passes against their time standards (one case, or all)
///
/// Prints a compliance table and the share of completed passes that kept
/// their standard. Exits 1 when a running step is overdue, so a script can
/// alert on it; 0 otherwise.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Case id, e.g. 2026-0007 [default: every case]
    #[arg(value_name = "CASE")]
    case: Option<String>,
}

#[derive(Serialize)]
struct Checked {
    passes: Vec<CasePass>,
    /// Completed passes.
    completed: usize,
    /// Completed passes that kept their standard.
    on_time: usize,
    /// on_time / completed; null when nothing is completed.
    on_time_share: Option<f64>,
    /// Running steps.
    running: usize,
    /// Running steps past their standard.
    overdue: usize,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let mut sops = Sops::new(&ctx.store, &ctx.sop);
    let mut passes: Vec<(String, Timed)> = Vec::new();
    let mut failed = false;
    // One case at a time: only its passes are kept.
    let mut take = |case: Case| match sops.for_case(&case) {
        Ok(sop) => passes.extend(
            case.timeline(sop, &ctx.calendar, ctx.now)
                .into_iter()
                .map(|t| (case.id.to_string(), t)),
        ),
        Err(e) => {
            eprintln!("{} {e}", t!("main.error"));
            failed = true;
        }
    };
    let bad = match &args.case {
        Some(text) => {
            let id: CaseId = text.parse()?;
            take(ctx.store.load(&id)?);
            Vec::new()
        }
        None => ctx.store.each_case(take)?,
    };
    failed |= super::report_bad_files(&bad);
    let completed = passes.iter().filter(|p| p.1.completed_at.is_some()).count();
    let on_time = passes
        .iter()
        .filter(|p| p.1.completed_at.is_some() && !p.1.late)
        .count();
    let running = passes.len() - completed;
    let overdue = passes
        .iter()
        .filter(|p| p.1.completed_at.is_none() && p.1.late)
        .count();
    let share = (completed > 0).then(|| on_time as f64 / completed as f64);

    let mut out = super::stdout();
    match ctx.format {
        Format::Json => render::json(
            &mut out,
            &Checked {
                passes: passes.iter().map(|(id, t)| CasePass::new(id, t)).collect(),
                completed,
                on_time,
                on_time_share: share,
                running,
                overdue,
            },
        )?,
        Format::Csv => render::csv(
            &mut out,
            render::PASS_CSV,
            passes.iter().map(|(id, t)| CasePass::new(id, t)),
        )?,
        Format::Table => {
            if !passes.is_empty() {
                let table = render::pass_table(&passes, &ctx.calendar, args.case.is_none());
                writeln!(out, "{table}")?;
            }
            match share {
                Some(share) => writeln!(
                    out,
                    "{}",
                    t!(
                        "check.share",
                        on_time = on_time,
                        completed = completed,
                        percent = format!("{:.1}", share * 100.0)
                    )
                )?,
                None => writeln!(out, "{}", t!("check.none_completed"))?,
            }
            writeln!(
                out,
                "{}",
                t!("check.running", running = running, overdue = overdue)
            )?;
        }
    }
    super::finish(out, super::failure_if(failed || overdue > 0))
}
