//! `open`: a cooperative's file enters the SOP at its first step.

use std::io::Write;
use std::process::ExitCode;

use chrono::Datelike;
use rust_i18n::t;
use serde::Serialize;

use super::{Context, Format};
use crate::case::{self, CaseId, Koperasi, Nik, Refusal};
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
        anyhow::bail!("{}", t!("open.empty_name"));
    }
    let at = ctx.time_or_now(args.at.as_deref(), "--at")?;
    let koperasi = Koperasi {
        nik,
        nama: nama.to_string(),
    };
    let year = u16::try_from(at.year())
        .ok()
        .filter(|y| (1000..=9999).contains(y))
        .ok_or_else(|| anyhow::anyhow!("{}", t!("cli.year_digits", at = at)))?;
    // The store gives the case its number.
    let case = case::open(CaseId::new(year, 1), koperasi, &ctx.sop, at, ctx.now)?;

    let lock = ctx.store.lock(ctx.lock_timeout)?;
    if let Some(existing) = ctx.store.case_of(&case.koperasi.nik)? {
        if let Some((step, _)) = existing.current() {
            return Err(Refusal::AlreadyOpen {
                nik: existing.koperasi.nik,
                id: existing.id,
                step,
            }
            .into());
        }
    }
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
        Format::Table | Format::Csv => writeln!(out, "{}", case.id)?,
    }
    super::finish(out, ExitCode::SUCCESS)
}
