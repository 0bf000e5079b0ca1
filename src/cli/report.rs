//! `report` (`laporan`): how the SOP ran in a period, for the Kepala Dinas.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::NaiveDate;
use comfy_table::{Cell, CellAlignment};
use rust_i18n::t;
use serde::Serialize;

use super::{Context, Format};
use crate::calendar::Calendar;
use crate::render;
use crate::report::{self, Period, Report, Tally};
use crate::store::{self, Existing, Sops};

/// Report on a period for the Kepala Dinas: steps, times, cases and roles
///
/// Per step: the passes completed in the period, the median and 90th
/// percentile of the working time they took against the standard (waktu),
/// the share on time, and the TIDAK returns at a decision. Then the cases
/// opened and finished in the period and those active and overdue now, and
/// per role the share of its steps on time. A step counts in the period
/// when it was completed on one of its days (in the calendar's zone).
/// Percentiles are nearest-rank: always a time some pass really took.
///
/// --format json and --format csv give the same figures for scripts and
/// spreadsheets; --html writes a printable page (A4) with a chart per step.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "Examples:
  koperasi-sop report
  koperasi-sop laporan --from 2026-01-01 --to 2026-06-30 --html laporan-semester-1.html
  koperasi-sop report --from 2026-07-01 --format csv > laporan.csv")]
pub struct Args {
    /// First day of the period, YYYY-MM-DD [default: 1 January of --to's year]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    from: Option<NaiveDate>,

    /// Last day of the period, included, YYYY-MM-DD [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    to: Option<NaiveDate>,

    /// Also write the report as a self-contained, printable HTML page
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|e| t!("report.bad_date", error = e).into_owned())
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let today = ctx.now.with_timezone(&ctx.calendar.offset()).date_naive();
    let period = Period::new(args.from, args.to, today)?;
    let mut sops = Sops::new(&ctx.store, &ctx.sop);
    let mut tally = Tally::new(&ctx.sop, &ctx.calendar, ctx.now, period);
    let mut failed = false;
    // One case at a time: the tally keeps figures, not cases.
    let bad = ctx.store.each_case(|case| match sops.for_case(&case) {
        Ok(sop) => tally.add(&case, sop),
        Err(e) => {
            eprintln!("{} {e}", t!("main.error"));
            failed = true;
        }
    })?;
    failed |= super::report_bad_files(&bad);
    let report = tally.finish();

    if let Some(path) = &args.html {
        let page = report::html::page(&report, &ctx.calendar);
        write_file(path, page.as_bytes())?;
        eprintln!("{}", t!("report.wrote", path = path.display()));
    }

    let mut out = super::stdout();
    match ctx.format {
        Format::Json => render::json(&mut out, &report)?,
        Format::Csv => write_csv(&mut out, &report)?,
        Format::Table => table(&mut out, &report, &ctx.calendar)?,
    }
    super::finish(out, super::failure_if(failed))
}

/// Replaces `path` atomically: a reader never sees half a page.
fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let fail = || t!("report.cannot_write", path = path.display());
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| t!("report.needs_name", path = path.display()))
        .with_context(fail)?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    store::write_atomic(dir, name, bytes, Existing::Replace).with_context(fail)
}

fn table(out: &mut impl Write, r: &Report, calendar: &Calendar) -> anyhow::Result<()> {
    let time =
        |minutes: Option<i64>| minutes.map_or("-".into(), |m| render::work(m * 60, calendar));
    let share = |on_time: usize, share: Option<f64>| {
        share.map_or("-".into(), |s| format!("{on_time} ({:.1}%)", s * 100.0))
    };
    writeln!(out, "{} ({})", r.sop.nama, r.sop.nomor)?;
    writeln!(out, "{}, versi {}", r.sop.instansi, r.sop.versi)?;
    writeln!(
        out,
        "{}",
        t!(
            "report.period",
            from = r.period.from,
            to = r.period.to,
            now = render::local(r.now)
        )
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        t!(
            "report.cases",
            opened = r.cases.opened,
            finished = r.cases.finished,
            active = r.cases.active_now,
            overdue = r.cases.overdue_now
        )
    )?;
    writeln!(
        out,
        "{}",
        t!(
            "report.steps",
            passes = r.passes,
            on_time = share(r.on_time, r.on_time_share),
            tidak = r.tidak_returns
        )
    )?;

    let mut steps = render::table(&[
        t!("report.head.step"),
        t!("report.head.pelaksana"),
        t!("report.head.waktu"),
        t!("report.head.completed"),
        t!("report.head.median"),
        t!("report.head.p90"),
        t!("report.head.on_time"),
        t!("report.head.tidak"),
    ]);
    for s in &r.steps {
        steps.add_row(vec![
            Cell::new(s.step),
            Cell::new(s.roles.join(", ")),
            Cell::new(s.waktu.as_deref().unwrap_or("-")),
            Cell::new(s.passes).set_alignment(CellAlignment::Right),
            Cell::new(time(s.median_minutes)),
            Cell::new(time(s.p90_minutes)),
            Cell::new(share(s.on_time, s.on_time_share)).set_alignment(CellAlignment::Right),
            Cell::new(s.tidak_returns.map_or("-".into(), |t| t.to_string())),
        ]);
    }
    writeln!(out, "{steps}")?;

    let mut roles = render::table(&[
        t!("report.head.role"),
        t!("report.head.pelaksana"),
        t!("report.head.completed"),
        t!("report.head.on_time"),
    ]);
    for role in &r.roles {
        roles.add_row(vec![
            Cell::new(&role.role),
            Cell::new(&role.nama),
            Cell::new(role.passes).set_alignment(CellAlignment::Right),
            Cell::new(share(role.on_time, role.on_time_share)).set_alignment(CellAlignment::Right),
        ]);
    }
    writeln!(out, "{roles}")?;
    writeln!(
        out,
        "{}",
        t!("report.footnote", minutes = calendar.day_minutes())
    )?;
    Ok(())
}

/// One CSV row: a step, a role, the totals or a count of cases, told apart
/// by `kind`; the columns a kind has no figure for are empty.
#[derive(Serialize, Default)]
struct CsvRow<'a> {
    from: String,
    to: String,
    kind: &'static str,
    key: String,
    nama: &'a str,
    waktu: Option<&'a str>,
    standard_minutes: Option<i64>,
    passes: Option<usize>,
    on_time: Option<usize>,
    on_time_share: Option<f64>,
    median_minutes: Option<i64>,
    p90_minutes: Option<i64>,
    tidak_returns: Option<usize>,
    cases: Option<usize>,
}

fn write_csv(out: &mut impl Write, r: &Report) -> anyhow::Result<()> {
    let from = r.period.from.to_string();
    let to = r.period.to.to_string();
    let row = |kind, key: String| CsvRow {
        from: from.clone(),
        to: to.clone(),
        kind,
        key,
        ..CsvRow::default()
    };
    let mut w = csv::Writer::from_writer(out);
    for s in &r.steps {
        w.serialize(CsvRow {
            nama: &s.uraian,
            waktu: s.waktu.as_deref(),
            standard_minutes: s.standard_minutes,
            passes: Some(s.passes),
            on_time: Some(s.on_time),
            on_time_share: s.on_time_share,
            median_minutes: s.median_minutes,
            p90_minutes: s.p90_minutes,
            tidak_returns: s.tidak_returns,
            ..row("step", s.step.to_string())
        })?;
    }
    for role in &r.roles {
        w.serialize(CsvRow {
            nama: &role.nama,
            passes: Some(role.passes),
            on_time: Some(role.on_time),
            on_time_share: role.on_time_share,
            ..row("role", role.role.clone())
        })?;
    }
    w.serialize(CsvRow {
        passes: Some(r.passes),
        on_time: Some(r.on_time),
        on_time_share: r.on_time_share,
        tidak_returns: Some(r.tidak_returns),
        ..row("total", String::new())
    })?;
    for (key, count) in [
        ("opened", r.cases.opened),
        ("finished", r.cases.finished),
        ("active_now", r.cases.active_now),
        ("overdue_now", r.cases.overdue_now),
    ] {
        w.serialize(CsvRow {
            cases: Some(count),
            ..row("cases", key.to_string())
        })?;
    }
    w.flush()?;
    Ok(())
}
