//! `status`: which cases are where, and which are overdue.

use std::io::Write;
use std::process::ExitCode;

use comfy_table::Cell;

use super::{Context, Format};
use crate::render::{self, StatusRow};
use crate::store::Sops;

/// Show the active cases: current step, its actors, due time, overdue first
///
/// Sorted by due time, so the most overdue case comes first. Remaining and
/// late times are working time (see `sop show` for the standards).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only cases whose current step is past its time standard
    #[arg(long)]
    overdue: bool,

    /// Only cases whose current step this role may complete
    #[arg(long, value_name = "ROLE")]
    role: Option<String>,

    /// Only cases at this step
    #[arg(long, value_name = "N")]
    step: Option<u32>,

    /// Include finished cases
    #[arg(long)]
    all: bool,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    if let Some(role) = &args.role {
        if ctx.sop.role(role).is_none() {
            anyhow::bail!(
                "--role {role:?} is not a role of this SOP; its roles are: {}",
                ctx.sop
                    .roles
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    if let Some(step) = args.step {
        if ctx.sop.step(step).is_none() {
            anyhow::bail!(
                "--step {step}: this SOP has no step {step}; its steps are {}",
                ctx.sop
                    .steps
                    .iter()
                    .map(|s| s.number.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let (cases, bad) = ctx.store.summaries(ctx.lock_timeout)?;
    let mut failed = super::report_bad_files(&bad);
    let mut sops = Sops::new(&ctx.store, &ctx.sop);
    let mut rows: Vec<StatusRow> = Vec::new();
    for case in &cases {
        if case.is_done() && !args.all {
            continue;
        }
        let sop = match sops.get(&case.sop, &case.id) {
            Ok(sop) => sop,
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
                continue;
            }
        };
        let row = StatusRow::new(case, sop, &ctx.calendar, ctx.now);
        if args.overdue && !row.overdue {
            continue;
        }
        if args.step.is_some() && row.step != args.step {
            continue;
        }
        if let Some(role) = &args.role {
            if !row.roles.contains(role) {
                continue;
            }
        }
        rows.push(row);
    }
    // Most overdue first: the earliest due; finished cases last. Cases
    // were loaded in id order and the sort is stable.
    rows.sort_by_key(|r| (r.running.is_none(), r.running.as_ref().map(|t| t.due_at)));

    let mut out = super::stdout();
    match ctx.format {
        Format::Csv => return Err(super::csv_unavailable()),
        Format::Json => {
            render::json(&mut out, &rows)?;
        }
        Format::Table if rows.is_empty() => {
            writeln!(out, "No cases match.")?;
        }
        Format::Table => {
            let mut table = render::table(&[
                "Case",
                "NIK",
                "Cooperative",
                "Step",
                "Actors",
                "Started",
                "Due",
                "Remaining / late",
            ]);
            for row in &rows {
                let (step, started, due) = match &row.running {
                    Some(t) => (
                        t.step.to_string(),
                        render::local(t.started_at),
                        render::local(t.due_at),
                    ),
                    None => ("done".into(), String::new(), String::new()),
                };
                table.add_row(vec![
                    Cell::new(&row.id),
                    Cell::new(&row.nik),
                    Cell::new(&row.nama),
                    Cell::new(step),
                    Cell::new(row.roles.join(", ")),
                    Cell::new(started),
                    Cell::new(due),
                    Cell::new(row.margin_text(&ctx.calendar)),
                ]);
            }
            writeln!(out, "{table}")?;
            let overdue = rows.iter().filter(|r| r.overdue).count();
            writeln!(
                out,
                "{} case(s), {overdue} overdue, as of {}",
                rows.len(),
                render::local(ctx.now)
            )?;
        }
    }
    super::finish(out, super::failure_if(failed))
}
