//! `open`: a cooperative's file enters the SOP at its first step.

use std::io::Write;
use std::process::ExitCode;

use chrono::Datelike;
use serde::Serialize;

use super::{Context, Format};
use crate::case::{self, CaseId, Koperasi, Nik};
use crate::render;

/// Open a case for a cooperative at the SOP's first step and print its id
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Nomor Induk Koperasi: 13 digits (spaces and dots between them are ignored)
    #[arg(long, value_name = "NIK")]
    nik: String,

    /// The cooperative's name
    #[arg(long, value_name = "NAME")]
    nama: String,

    /// When the file arrived and step 1 started [default: now]
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
}

#[derive(Serialize)]
struct Opened {
    id: String,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let nik: Nik = args.nik.parse()?;
    let nama = args.nama.trim();
    if nama.is_empty() {
        anyhow::bail!("--nama is empty; give the cooperative's name");
    }
    let at = ctx.time_or_now(args.at.as_deref(), "--at")?;
    let koperasi = Koperasi {
        nik,
        nama: nama.to_string(),
    };
    let year = u16::try_from(at.year())
        .ok()
        .filter(|y| (1000..=9999).contains(y))
        .ok_or_else(|| anyhow::anyhow!("--at {at}: the year must have four digits"))?;
    // The store gives the case its number.
    let case = case::open(CaseId::new(year, 1), koperasi, &ctx.sop, at, ctx.now)?;

    let lock = ctx.store.lock(ctx.lock_timeout)?;
    ctx.store.keep_sop(&lock, &ctx.sop)?;
    let case = ctx.store.create(&lock, case)?;
    drop(lock);

    let mut out = super::stdout();
    match ctx.format {
        Format::Json => render::json(
            &mut out,
            &Opened {
                id: case.id.to_string(),
            },
        )?,
        Format::Table => writeln!(out, "{}", case.id)?,
        Format::Csv => return Err(super::csv_unavailable()),
    }
    super::finish(out, ExitCode::SUCCESS)
}
