//! `show`: one case's timeline.

use std::io::Write;
use std::process::ExitCode;

use rust_i18n::t;
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
            writeln!(out, "{}", t!("show.case", id = case.id))?;
            writeln!(
                out,
                "{}",
                t!(
                    "show.cooperative",
                    nama = case.koperasi.nama,
                    nik = case.koperasi.nik
                )
            )?;
            writeln!(
                out,
                "{}",
                t!(
                    "show.sop",
                    nama = sop.identity.nama,
                    nomor = case.sop.nomor,
                    versi = case.sop.versi
                )
            )?;
            writeln!(
                out,
                "{}",
                t!("show.opened", at = render::local(case.opened_at))
            )?;
            let state = match case.current() {
                Some((number, _)) => match sop.step(number) {
                    Some(step) => t!(
                        "show.at_step_of",
                        step = number,
                        actors = step.actors.join(", "),
                        uraian = step.uraian
                    ),
                    None => t!("show.at_step", step = number),
                },
                None => t!("show.done"),
            };
            writeln!(out, "{}", t!("show.state", state = state))?;
            if let Some(p) = case.paused() {
                writeln!(
                    out,
                    "{}",
                    t!(
                        "show.paused",
                        since = render::local(p.since),
                        by = p.officer.as_deref().unwrap_or(&p.role),
                        reason = p.reason
                    )
                )?;
            }
            for update in record_updates(&case) {
                writeln!(
                    out,
                    "{}",
                    t!(
                        "show.keragaan",
                        at = render::local(update.at),
                        source = update.source,
                        changed = update.changed.join(", ")
                    )
                )?;
            }
            let passes: Vec<_> = timeline.into_iter().map(|t| (String::new(), t)).collect();
            writeln!(out, "{}", render::pass_table(&passes, &ctx.calendar, false))?;
            let pauses = pauses(&case);
            if !pauses.is_empty() {
                let mut table = render::table(&[
                    t!("show.head.step"),
                    t!("show.head.paused"),
                    t!("show.head.resumed"),
                    t!("show.head.by"),
                    t!("show.head.reason"),
                ]);
                for p in pauses {
                    let by = match p.officer {
                        Some(officer) => format!("{officer} ({})", p.role),
                        None => p.role,
                    };
                    table.add_row(vec![
                        p.step.to_string(),
                        render::local(p.from),
                        p.to.map_or_else(|| t!("show.still_paused").into_owned(), render::local),
                        by,
                        p.reason,
                    ]);
                }
                writeln!(out, "{}\n{table}", t!("show.pauses"))?;
            }
        }
    }
    super::finish(out, ExitCode::SUCCESS)
}
