//! `show`: one case's timeline.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::{Context, Format};
use crate::case::CaseId;
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
    history: Vec<PassRow>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let id: CaseId = args.case.parse()?;
    let case = ctx.store.load(&id)?;
    let mut sops = Sops::new(&ctx.store, &ctx.sop);
    let sop = sops.for_case(&case)?;
    let timeline = case.timeline(sop, &ctx.calendar, ctx.now);

    let mut out = super::stdout();
    match ctx.format {
        Format::Csv => return Err(super::csv_unavailable()),
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
                history: timeline.iter().map(PassRow::from).collect(),
            },
        )?,
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
            let passes: Vec<_> = timeline.into_iter().map(|t| (String::new(), t)).collect();
            writeln!(out, "{}", render::pass_table(&passes, &ctx.calendar, false))?;
        }
    }
    super::finish(out, ExitCode::SUCCESS)
}
