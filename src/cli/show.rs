//! `show`: one case's timeline.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::{Context, Format};
use crate::case::{Case, CaseId, Event, Time};
use crate::render::{self, PassRow};
use crate::store::Sops;

/// Show a case's timeline: every step pass with its times against the standard
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Case id, e.g. 2026-0007
    #[arg(value_name = "CASE")]
    case: String,
}

#[derive(Serialize)]
struct Shown {
    id: String,
    nik: String,
    nama: String,
    state: &'static str,
    step: Option<u32>,
    sop: crate::case::SopRef,
    opened_at: String,
    paused: bool,
    history: Vec<PassRow>,
    pauses: Vec<PauseRow>,
    /// The cooperative's data keragaan, when imported.
    keragaan: Option<crate::import::Keragaan>,
    /// Every time an import set or changed the record.
    keragaan_updates: Vec<RecordRow>,
}

/// An import that set or changed the keragaan record.
#[derive(Serialize)]
struct RecordRow {
    at: Time,
    /// `file:line` of the row.
    source: String,
    changed: Vec<String>,
}

fn record_updates(case: &Case) -> Vec<RecordRow> {
    case.history
        .iter()
        .filter_map(|e| match &e.event {
            Event::Keragaan {
                at,
                source,
                changed,
                ..
            } => Some(RecordRow {
                at: *at,
                source: source.clone(),
                changed: changed.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// A pause of a step, as `show` lists it.
#[derive(Serialize)]
struct PauseRow {
    step: u32,
    from: Time,
    /// Null while the pause goes on.
    to: Option<Time>,
    reason: String,
    role: String,
    officer: Option<String>,
}

/// Every pause in the history, each with its resume when there was one.
fn pauses(case: &Case) -> Vec<PauseRow> {
    let mut rows: Vec<PauseRow> = Vec::new();
    for entry in &case.history {
        match &entry.event {
            Event::Pause {
                step,
                at,
                role,
                officer,
                reason,
            } => rows.push(PauseRow {
                step: *step,
                from: *at,
                to: None,
                reason: reason.clone(),
                role: role.clone(),
                officer: officer.clone(),
            }),
            Event::Resume { at, .. } => {
                if let Some(open) = rows.last_mut().filter(|r| r.to.is_none()) {
                    open.to = Some(*at);
                }
            }
            _ => {}
        }
    }
    rows
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let id: CaseId = args.case.parse()?;
    let case = ctx.store.load(&id)?;
    let mut sops = Sops::new(&ctx.store, &ctx.sop);
    let sop = sops.for_case(&case)?;
    let timeline = case.timeline(sop, &ctx.calendar, ctx.now);

    let mut out = super::stdout();
    match ctx.format {
        Format::Json => render::json(
            &mut out,
            &Shown {
                id: case.id.to_string(),
                nik: case.koperasi.nik.to_string(),
                nama: case.koperasi.nama.clone(),
                state: render::state_name(&case),
                step: case.current().map(|c| c.0),
                sop: case.sop.clone(),
                opened_at: render::rfc3339(case.opened_at),
                paused: case.paused().is_some(),
                history: timeline.iter().map(PassRow::from).collect(),
                pauses: pauses(&case),
                keragaan: case.keragaan.clone(),
                keragaan_updates: record_updates(&case),
            },
        )?,
        Format::Csv => {
            let id = case.id.to_string();
            let passes = timeline.iter().map(|t| render::CasePass::new(&id, t));
            render::csv(&mut out, render::PASS_CSV, passes)?
        }
        Format::Table => {
            writeln!(out, "Case:        {}", case.id)?;
            writeln!(
                out,
                "Cooperative: {} (NIK {})",
                case.koperasi.nama, case.koperasi.nik
            )?;
            writeln!(
                out,
                "SOP:         {} ({}, versi {})",
                sop.identity.nama, case.sop.nomor, case.sop.versi
            )?;
            writeln!(out, "Opened:      {}", render::local(case.opened_at))?;
            let state = match case.current() {
                Some((number, _)) => match sop.step(number) {
                    Some(step) => format!(
                        "at step {number} ({}): {}",
                        step.actors.join(", "),
                        step.uraian
                    ),
                    None => format!("at step {number}"),
                },
                None => "done".to_string(),
            };
            writeln!(out, "State:       {state}")?;
            if let Some(p) = case.paused() {
                writeln!(
                    out,
                    "Paused:      since {} by {}: {}",
                    render::local(p.since),
                    p.officer.as_deref().unwrap_or(&p.role),
                    p.reason
                )?;
            }
            for update in record_updates(&case) {
                writeln!(
                    out,
                    "Keragaan:    {} from {}: {}",
                    render::local(update.at),
                    update.source,
                    update.changed.join(", ")
                )?;
            }
            let passes: Vec<_> = timeline.into_iter().map(|t| (String::new(), t)).collect();
            writeln!(out, "{}", render::pass_table(&passes, &ctx.calendar, false))?;
            let pauses = pauses(&case);
            if !pauses.is_empty() {
                let mut table = render::table(&["Step", "Paused", "Resumed", "By", "Reason"]);
                for p in pauses {
                    let by = match p.officer {
                        Some(officer) => format!("{officer} ({})", p.role),
                        None => p.role,
                    };
                    table.add_row(vec![
                        p.step.to_string(),
                        render::local(p.from),
                        p.to.map_or_else(|| "(paused)".into(), render::local),
                        by,
                        p.reason,
                    ]);
                }
                writeln!(out, "Pauses:\n{table}")?;
            }
        }
    }
    super::finish(out, ExitCode::SUCCESS)
}
