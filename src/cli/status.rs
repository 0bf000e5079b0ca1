//! `status`: which cases are where, and which are overdue.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use comfy_table::{Cell, Color};
use rust_i18n::t;

use super::{Context, Format};
use crate::render::{self, StatusRow};
use crate::store::Sops;
use crate::waktu::Waktu;

/// Show the active cases: current step, its actors, due time, overdue first
///
/// Sorted by due time, so the most overdue case comes first. Remaining and
/// late times are working time (see `sop show` for the standards). A step
/// that has used --soon percent of its standard is marked SEGERA (due soon);
/// in a terminal, overdue rows are red and due-soon rows yellow.
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

    /// Only cases whose current step falls due within this working time,
    /// overdue ones included: 2h, 30min, "1 hari", "2 jam 30 menit"
    #[arg(long, value_name = "DURATION")]
    due_within: Option<Waktu>,

    /// Mark a running step due soon (SEGERA) once it has used this share of
    /// its standard
    #[arg(
        long,
        env = "KOPERASI_SOP_SOON",
        value_name = "PERCENT",
        default_value_t = render::DEFAULT_SOON_PERCENT,
        value_parser = percent
    )]
    soon: u8,
}

/// A share from 1 to 100, with or without a `%`.
fn percent(text: &str) -> Result<u8, String> {
    let digits = text.trim().trim_end_matches('%').trim_end();
    digits
        .parse()
        .ok()
        .filter(|p| (1..=100).contains(p))
        .ok_or_else(|| t!("status.percent", text = text).into_owned())
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    if let Some(role) = &args.role {
        if ctx.sop.role(role).is_none() {
            anyhow::bail!(
                "{}",
                t!(
                    "status.unknown_role",
                    role = role,
                    roles = ctx
                        .sop
                        .roles
                        .iter()
                        .map(|r| r.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            );
        }
    }
    if let Some(step) = args.step {
        if ctx.sop.step(step).is_none() {
            let steps = ctx
                .sop
                .steps
                .iter()
                .map(|s| s.number.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            anyhow::bail!("{}", t!("status.unknown_step", step = step, steps = steps));
        }
    }
    let (cases, bad) = ctx.store.summaries(ctx.lock_timeout)?;
    let mut failed = super::report_bad_files(&bad);
    // Every SOP text the cases run under, read once; a case whose text is
    // lost is named and left out.
    let mut sops = Sops::new(&ctx.store, &ctx.sop);
    let mut missing: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut last: Option<&str> = None;
    for case in &cases {
        if last == Some(&*case.sop) {
            continue;
        }
        last = Some(&case.sop);
        if sops.cached(&case.sop).is_none() && !missing.contains(&*case.sop) {
            if let Err(e) = sops.get(&case.sop, &case.id) {
                eprintln!("{} {e}", t!("main.error"));
                failed = true;
                missing.insert(&case.sop);
            }
        }
    }
    let within = args
        .due_within
        .map(|w| w.working_secs(ctx.calendar.day_minutes()));
    let mut rows: Vec<StatusRow> = Vec::with_capacity(cases.len());
    for case in &cases {
        if case.is_done() && !args.all {
            continue;
        }
        if args.step.is_some() && case.step.map(|(n, _)| n) != args.step {
            continue;
        }
        let Some(sop) = sops.cached(&case.sop) else {
            continue;
        };
        let mut row = StatusRow::new(case, sop, &ctx.calendar, ctx.now);
        row.mark_due_soon(args.soon);
        if args.overdue && !row.overdue {
            continue;
        }
        // Done cases have no margin and never fall due.
        if within.is_some_and(|within| row.margin_secs.is_none_or(|m| m > within)) {
            continue;
        }
        if let Some(role) = &args.role {
            if !row.roles.contains(role) {
                continue;
            }
        }
        rows.push(row);
    }
    // Most overdue first: the earliest due; finished cases last; ties in
    // id order. Sorting the keys, not the rows, keeps a large sort cheap.
    let mut order: Vec<_> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let due = r.running.as_ref().map(|t| t.due_at);
            (r.running.is_none(), due, r.id, i)
        })
        .collect();
    order.sort_unstable();
    let rows: Vec<&StatusRow> = order.iter().map(|&(.., i)| &rows[i]).collect();

    let mut out = super::stdout();
    match ctx.format {
        Format::Json => {
            render::json_lines_parallel(&mut out, &rows)?;
        }
        Format::Csv => {
            render::csv(&mut out, render::STATUS_CSV, &rows)?;
        }
        Format::Table if rows.is_empty() => {
            writeln!(out, "{}", t!("status.none"))?;
        }
        Format::Table => {
            let header = [
                t!("status.head.case"),
                t!("status.head.nik"),
                t!("status.head.cooperative"),
                t!("status.head.step"),
                t!("status.head.actors"),
                t!("status.head.started"),
                t!("status.head.due"),
                t!("status.head.margin"),
            ];
            let cells = |row: &StatusRow| {
                let (step, started, due) = match &row.running {
                    Some(t) => (
                        t.step.to_string(),
                        render::local(t.started_at),
                        render::local(t.due_at),
                    ),
                    None => (t!("status.done").into_owned(), String::new(), String::new()),
                };
                [
                    row.id.to_string(),
                    row.nik.to_string(),
                    row.nama.to_string(),
                    step,
                    row.roles.join(", "),
                    started,
                    due,
                    row.margin_text(&ctx.calendar),
                ]
            };
            if !ctx.color && !std::io::stdout().is_terminal() {
                // Piped and plain: the same table, written directly.
                let lines: Vec<Vec<String>> = rows.iter().map(|r| cells(r).to_vec()).collect();
                render::plain_table(&mut out, &header, &lines)?;
            } else {
                let mut table = render::table(&header);
                if ctx.color {
                    table.enforce_styling();
                }
                for row in &rows {
                    let colour = match (ctx.color, row.overdue, row.due_soon) {
                        (true, true, _) => Some(Color::Red),
                        (true, false, true) => Some(Color::Yellow),
                        _ => None,
                    };
                    table.add_row(cells(row).map(|text| match colour {
                        Some(colour) => Cell::new(text).fg(colour),
                        None => Cell::new(text),
                    }));
                }
                writeln!(out, "{table}")?;
            }
            let overdue = rows.iter().filter(|r| r.overdue).count();
            let soon = rows.iter().filter(|r| r.due_soon).count();
            writeln!(
                out,
                "{}",
                t!(
                    "status.footer",
                    count = rows.len(),
                    overdue = overdue,
                    now = render::local(ctx.now),
                    soon = soon,
                    percent = args.soon
                )
            )?;
        }
    }
    super::finish(out, super::failure_if(failed))
}
