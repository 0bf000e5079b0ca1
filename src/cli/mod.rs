//! The command line: one module per subcommand, each an `Args` struct and a
//! `run` function, and one dispatch `match`.

mod advance;
mod check;
mod open;
mod report;
mod show;
mod sop;
mod status;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};

use crate::calendar::{Calendar, CalendarError};
use crate::case::{CaseIdError, Refusal, Time};
use crate::sop::{Sop, SopError};
use crate::store::{BadFile, Store, StoreError};

/// Run an SOP-AP (Permenpan RB 35/2012) as tracked cases.
///
/// Each cooperative's file is a case that moves through the SOP's numbered
/// steps. Officers complete steps with `advance`; the supervisor sees with
/// `status` which cases are overdue and where. Time standards (waktu) count
/// working time only: working hours, no weekends, no holidays.
///
/// The shipped SOP (Dinas Koperasi, UKM dan Perindustrian Kota Samarinda,
/// "Pelaksanaan Kegiatan Pemberdayaan dan Pengembangan Koperasi") and the
/// 2026 Samarinda working calendar are built in; --sop and --calendar load
/// others.
///
/// Exit status: 0 success; 1 error, refusal, or (check) an overdue step;
/// 2 wrong usage.
#[derive(Debug, Parser)]
#[command(
    name = "koperasi-sop",
    version,
    max_term_width = 100,
    after_long_help = "Examples:
  koperasi-sop open --nik 6472010000123 --nama \"Koperasi Maju Bersama\"
  koperasi-sop advance 2026-0001 --role jfu --officer \"Siti Rahmah\"
  koperasi-sop advance 2026-0001 --role kepala_bidang --decision tidak --note \"rekap belum ada\"
  koperasi-sop status --overdue
  koperasi-sop show 2026-0001 --format json"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand accepts, before or after its name.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Data directory holding the cases [default: the platform's data directory]
    #[arg(long, global = true, env = "KOPERASI_SOP_DATA", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// SOP definition (TOML) to use instead of the built-in one
    #[arg(long, global = true, env = "KOPERASI_SOP_FILE", value_name = "FILE")]
    pub sop: Option<PathBuf>,

    /// Working calendar (TOML) to use instead of the built-in one
    #[arg(
        long,
        global = true,
        env = "KOPERASI_SOP_CALENDAR",
        value_name = "FILE"
    )]
    pub calendar: Option<PathBuf>,

    /// Compute as if the current time were TIME
    ///
    /// RFC 3339 (2026-12-07T08:00:00+08:00) or "2026-12-07 08:00" in the
    /// calendar's zone. For what-if questions, scripts and tests.
    #[arg(long, global = true, env = "KOPERASI_SOP_NOW", value_name = "TIME")]
    pub now: Option<String>,

    /// Output format: a table for people, JSON for scripts, CSV for spreadsheets
    #[arg(
        long,
        global = true,
        env = "KOPERASI_SOP_FORMAT",
        value_enum,
        default_value_t = Format::Table
    )]
    pub format: Format,

    /// Seconds a writer waits for another writer's lock before giving up
    #[arg(
        long,
        global = true,
        env = "KOPERASI_SOP_LOCK_TIMEOUT",
        value_name = "SECONDS",
        default_value_t = 30
    )]
    pub lock_timeout: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Open(open::Args),
    Advance(advance::Args),
    Status(status::Args),
    Show(show::Args),
    Check(check::Args),
    Sop(sop::Args),
    #[command(visible_alias = "laporan")]
    Report(report::Args),
}

/// Runs the command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let Cli { global, command } = cli;
    if global.format == Format::Csv && !matches!(command, Command::Report(_)) {
        return Err(csv_unavailable());
    }
    match command {
        Command::Open(args) => in_context(&global, |ctx| open::run(ctx, args)),
        Command::Advance(args) => in_context(&global, |ctx| advance::run(ctx, args)),
        Command::Status(args) => in_context(&global, |ctx| status::run(ctx, args)),
        Command::Show(args) => in_context(&global, |ctx| show::run(ctx, args)),
        Command::Check(args) => in_context(&global, |ctx| check::run(ctx, args)),
        Command::Sop(args) => sop::run(&global, args),
        Command::Report(args) => in_context(&global, |ctx| report::run(ctx, args)),
    }
}

/// Runs a case command with its context, then prints any calendar-coverage
/// warning the command's computations caused, whether it succeeded or not.
fn in_context(
    global: &GlobalArgs,
    command: impl FnOnce(&Context) -> anyhow::Result<ExitCode>,
) -> anyhow::Result<ExitCode> {
    let ctx = Context::load(global)?;
    let result = command(&ctx);
    warn_uncovered(&ctx.calendar);
    result
}

fn warn_uncovered(calendar: &Calendar) {
    for date in calendar.uncovered_dates() {
        eprintln!(
            "warning: the working calendar does not cover {year}: {date} and later dates of {year} were counted with weekday hours only, without holidays; give a calendar that lists {year}'s holidays with --calendar",
            year = chrono::Datelike::year(&date),
        );
    }
}

/// Everything a case command needs: the SOP, the calendar, the data
/// directory and the current time.
pub struct Context {
    pub sop: Sop,
    pub calendar: Calendar,
    pub store: Store,
    pub now: Time,
    pub format: Format,
    pub lock_timeout: Duration,
}

impl Context {
    fn load(global: &GlobalArgs) -> anyhow::Result<Context> {
        let sop = load_sop(global)?;
        let calendar = load_calendar(global)?;
        let now = match &global.now {
            Some(text) => calendar.parse_time(text).context("invalid --now")?,
            None => {
                let now = chrono::Utc::now().with_timezone(&calendar.offset());
                chrono::DurationRound::duration_trunc(now, chrono::TimeDelta::seconds(1))
                    .unwrap_or(now)
            }
        };
        let store = Store::new(data_dir(global)?);
        Ok(Context {
            sop,
            calendar,
            store,
            now,
            format: global.format,
            lock_timeout: Duration::from_secs(global.lock_timeout),
        })
    }

    /// Reads a time given on the command line (`--at`), or now.
    pub fn time_or_now(&self, text: Option<&str>, option: &str) -> anyhow::Result<Time> {
        match text {
            Some(text) => Ok(self
                .calendar
                .parse_time(text)
                .with_context(|| format!("invalid {option}"))?),
            None => Ok(self.now),
        }
    }
}

fn load_sop(global: &GlobalArgs) -> Result<Sop, SopError> {
    match &global.sop {
        Some(path) => Sop::load(path),
        None => Sop::embedded(),
    }
}

fn load_calendar(global: &GlobalArgs) -> Result<Calendar, CalendarError> {
    match &global.calendar {
        Some(path) => Calendar::load(path),
        None => Calendar::embedded(),
    }
}

fn data_dir(global: &GlobalArgs) -> anyhow::Result<PathBuf> {
    if let Some(dir) = &global.data_dir {
        return Ok(dir.clone());
    }
    let dirs = directories::ProjectDirs::from("id", "", "koperasi-sop")
        .context("cannot find a home directory for the default data directory; give --data-dir or set KOPERASI_SOP_DATA")?;
    Ok(dirs.data_dir().to_path_buf())
}

/// The refusal of `--format csv` by a command that has no CSV form.
pub fn csv_unavailable() -> anyhow::Error {
    anyhow::anyhow!(
        "--format csv is not available for this command; use --format table or --format json"
    )
}

/// Prints files that are not readable cases; returns whether there were any.
pub fn report_bad_files(bad: &[BadFile]) -> bool {
    for file in bad {
        eprintln!(
            "error: {}: {} (left untouched)",
            file.path.display(),
            file.reason
        );
    }
    !bad.is_empty()
}

/// The exit code of a command that ran but found something wrong.
pub fn failure_if(failed: bool) -> ExitCode {
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// What the user can do about an error, if the error knows.
pub fn hint(err: &anyhow::Error) -> Option<String> {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<StoreError>() {
            return e.hint();
        }
        if let Some(r) = cause.downcast_ref::<Refusal>() {
            return refusal_hint(r);
        }
        if let Some(SopError::Io { .. }) = cause.downcast_ref::<SopError>() {
            return Some("check the path given with --sop or KOPERASI_SOP_FILE".into());
        }
        if let Some(CalendarError::Io { .. }) = cause.downcast_ref::<CalendarError>() {
            return Some("check the path given with --calendar or KOPERASI_SOP_CALENDAR".into());
        }
        if cause.is::<crate::report::EmptyPeriod>() {
            return Some(
                "give --from on or before --to; --to defaults to today, --from to 1 January of --to's year"
                    .into(),
            );
        }
        if cause.is::<CaseIdError>() {
            return Some("list the cases with `koperasi-sop status --all`".into());
        }
    }
    None
}

fn refusal_hint(r: &Refusal) -> Option<String> {
    match r {
        Refusal::RoleNotAllowed { id, .. } => Some(format!(
            "see who holds case {id} now with `koperasi-sop show {id}`"
        )),
        Refusal::Done { id, .. } => Some(format!("see its history with `koperasi-sop show {id}`")),
        Refusal::InFuture { .. } | Refusal::OpenInFuture { .. } => {
            Some("leave out --at to record the current time".into())
        }
        _ => None,
    }
}

/// Writes to stdout; a closed pipe ends the command quietly (see main).
pub fn stdout() -> std::io::StdoutLock<'static> {
    std::io::stdout().lock()
}

/// Flushes and returns `code`, so a write error surfaces as an error.
pub fn finish(mut out: impl Write, code: ExitCode) -> anyhow::Result<ExitCode> {
    out.flush()?;
    Ok(code)
}
