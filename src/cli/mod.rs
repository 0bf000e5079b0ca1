//! The command line: one module per subcommand, each an `Args` struct and a
//! `run` function, and one dispatch `match`.

mod advance;
mod check;
mod config;
mod doctor;
mod import;
mod lang;
mod open;
mod pause;
mod reindex;
mod rekap;
mod report;
mod shell;
mod show;
mod sop;
mod status;
mod verify;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use rust_i18n::t;

pub use lang::Lang;

use crate::calendar::{Calendar, CalendarError};
use crate::case::{CaseIdError, Refusal, Time};
use crate::render::ColorChoice;
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

    /// Output format: a table for people, JSON for scripts, CSV for
    /// spreadsheets (status, check, show, rekap, report)
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

    /// Colour in tables: overdue red, due soon yellow
    #[arg(
        long,
        global = true,
        env = "KOPERASI_SOP_COLOR",
        value_name = "WHEN",
        value_enum,
        default_value_t = ColorChoice::Auto
    )]
    pub color: ColorChoice,

    /// The officer's profile [default: config.toml in the platform's config directory]
    #[arg(long, global = true, env = "KOPERASI_SOP_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Language of messages and help: id (Bahasa Indonesia) or en (English)
    /// [default: en when LC_ALL, LC_MESSAGES or LANG starts with en; else id]
    #[arg(
        long,
        global = true,
        env = "KOPERASI_SOP_LANG",
        value_name = "LANG",
        value_enum
    )]
    pub lang: Option<Lang>,

    /// Where each option's value came from (filled by `parse`).
    #[arg(skip)]
    pub sources: std::collections::BTreeMap<String, Source>,

    /// The subcommand's name as typed (filled by `parse`).
    #[arg(skip)]
    pub command_name: String,
}

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Flag,
    Environment,
    ConfigFile,
    Default,
}

impl Source {
    pub fn name(self) -> String {
        let key = match self {
            Source::Flag => "source.flag",
            Source::Environment => "source.environment",
            Source::ConfigFile => "source.config_file",
            Source::Default => "source.default",
        };
        text(key)
    }
}

/// Parses the command line, noting where each global option came from.
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    lang::set(lang::choose(&args, |name| std::env::var(name).ok()));
    let matches = command().get_matches_from(args);
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let (name, sub) = matches.subcommand().unzip();
    cli.global.command_name = name.unwrap_or_default().to_string();
    for id in [
        "data_dir",
        "sop",
        "calendar",
        "now",
        "format",
        "lock_timeout",
        "config",
    ] {
        // Global options are seen on the subcommand's matches too.
        let source = sub
            .and_then(|m| m.value_source(id))
            .or_else(|| matches.value_source(id));
        let source = match source {
            Some(clap::parser::ValueSource::CommandLine) => Source::Flag,
            Some(clap::parser::ValueSource::EnvVariable) => Source::Environment,
            Some(_) => Source::Default,
            None => continue,
        };
        cli.global.sources.insert(id.to_string(), source);
    }
    cli
}

/// The command line's definition, its help in the current language.
pub fn command() -> clap::Command {
    lang::localise(<Cli as clap::CommandFactory>::command())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people
    Table,
    /// JSON for scripts
    Json,
    /// RFC 4180 with a header row
    Csv,
}

#[derive(Debug, Subcommand)]
// The names stay English; each has an Indonesian alias.
pub enum Command {
    #[command(visible_alias = "buka")]
    Open(open::Args),
    #[command(visible_alias = "maju")]
    Advance(advance::Args),
    #[command(visible_alias = "keadaan")]
    Status(status::Args),
    #[command(visible_alias = "lihat")]
    Show(show::Args),
    #[command(visible_alias = "periksa")]
    Check(check::Args),
    #[command(visible_alias = "tunda")]
    Pause(pause::PauseArgs),
    #[command(visible_alias = "lanjut")]
    Resume(pause::ResumeArgs),
    #[command(visible_alias = "impor")]
    Import(import::Args),
    #[command(visible_alias = "rekapitulasi")]
    Rekap(rekap::Args),
    #[command(visible_alias = "verifikasi")]
    Verify(verify::Args),
    #[command(visible_alias = "diagnosa")]
    Doctor(doctor::Args),
    #[command(visible_alias = "indeks-ulang")]
    Reindex(reindex::Args),
    #[command(visible_alias = "prosedur")]
    Sop(sop::Args),
    #[command(visible_alias = "konfigurasi")]
    Config(config::Args),
    #[command(visible_alias = "pelengkapan")]
    Completions(shell::CompletionsArgs),
    #[command(visible_alias = "manual")]
    Man(shell::ManArgs),
    #[command(visible_alias = "laporan")]
    Report(report::Args),
}

/// Runs the command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let Cli { global, command } = cli;
    // Refused before anything is read or written.
    let csv = matches!(
        command,
        Command::Status(_)
            | Command::Show(_)
            | Command::Check(_)
            | Command::Rekap(_)
            | Command::Report(_)
    );
    if global.format == Format::Csv && !csv {
        let name = &global.command_name;
        let err = self::command().error(
            clap::error::ErrorKind::InvalidValue,
            t!("cli.no_csv", command = name).into_owned(),
        );
        err.print()?;
        return Ok(ExitCode::from(2));
    }
    match command {
        Command::Open(args) => in_context(&global, |ctx| open::run(ctx, args)),
        Command::Advance(args) => in_context(&global, |ctx| advance::run(ctx, args)),
        Command::Status(args) => in_context(&global, |ctx| status::run(ctx, args)),
        Command::Show(args) => in_context(&global, |ctx| show::run(ctx, args)),
        Command::Check(args) => in_context(&global, |ctx| check::run(ctx, args)),
        Command::Pause(args) => in_context(&global, |ctx| pause::pause(ctx, args)),
        Command::Resume(args) => in_context(&global, |ctx| pause::resume(ctx, args)),
        Command::Import(args) => in_context(&global, |ctx| import::run(ctx, args)),
        Command::Rekap(args) => in_context(&global, |ctx| rekap::run(ctx, args)),
        Command::Verify(args) => in_context(&global, |ctx| verify::run(ctx, args)),
        Command::Doctor(args) => in_context(&global, |ctx| doctor::run(ctx, args)),
        Command::Reindex(args) => in_context(&global, |ctx| reindex::run(ctx, args)),
        Command::Sop(args) => sop::run(&global, args),
        Command::Config(args) => config::run(&global, args),
        Command::Completions(args) => shell::completions(args),
        Command::Man(args) => shell::man(args),
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
        let year = chrono::Datelike::year(&date);
        eprintln!(
            "{} {}",
            t!("main.warning"),
            t!("cli.uncovered", year = year, date = date)
        );
    }
}

/// Everything a case command needs: the SOP, the calendar, the data
/// directory and the current time.
pub struct Context {
    /// The officer's profile, from the config file.
    pub profile: crate::config::Petugas,
    pub sop: Sop,
    pub calendar: Calendar,
    pub store: Store,
    pub now: Time,
    pub format: Format,
    pub lock_timeout: Duration,
    /// Colour tables (`--color`, NO_COLOR, a terminal).
    pub color: bool,
}

impl Context {
    fn load(global: &GlobalArgs) -> anyhow::Result<Context> {
        let settings = Settings::resolve(global)?;
        let sop = load_sop(&settings)?;
        let calendar = load_calendar(&settings)?;
        let now = match &global.now {
            Some(text) => calendar
                .parse_time(text)
                .with_context(|| t!("cli.invalid_option", option = "--now"))?,
            None => {
                let now = chrono::Utc::now().with_timezone(&calendar.offset());
                chrono::DurationRound::duration_trunc(now, chrono::TimeDelta::seconds(1))
                    .unwrap_or(now)
            }
        };
        let store = Store::new(settings.data_dir.0.clone());
        Ok(Context {
            profile: settings.config.petugas,
            sop,
            calendar,
            store,
            now,
            format: global.format,
            lock_timeout: Duration::from_secs(global.lock_timeout),
            color: global.color.enabled(),
        })
    }

    /// The role given, or the profile's.
    pub fn role(&self, given: Option<String>) -> anyhow::Result<String> {
        match non_empty(given).or_else(|| self.profile.peran.clone()) {
            Some(role) => Ok(role),
            None => anyhow::bail!("{}", t!("cli.no_role")),
        }
    }

    /// The officer given, or the profile's name with its NIP.
    pub fn officer(&self, given: Option<String>) -> Option<String> {
        non_empty(given).or_else(|| {
            let nama = self.profile.nama.clone()?;
            Some(match &self.profile.nip {
                Some(nip) => format!("{nama} (NIP {nip})"),
                None => nama,
            })
        })
    }

    /// Reads a time given on the command line (`--at`), or now.
    pub fn time_or_now(&self, text: Option<&str>, option: &str) -> anyhow::Result<Time> {
        match text {
            Some(text) => Ok(self
                .calendar
                .parse_time(text)
                .with_context(|| t!("cli.invalid_option", option = option))?),
            None => Ok(self.now),
        }
    }
}

/// The effective settings: each from a flag, the environment, the config
/// file or the default, in that order.
pub struct Settings {
    /// The config file, whether it exists, and where its path came from.
    pub config_path: Option<(PathBuf, Source)>,
    pub config: crate::config::Config,
    pub data_dir: (PathBuf, Source),
    pub sop: Option<(PathBuf, Source)>,
    pub calendar: Option<(PathBuf, Source)>,
}

impl Settings {
    pub fn resolve(global: &GlobalArgs) -> anyhow::Result<Settings> {
        let source = |id: &str| global.sources.get(id).copied().unwrap_or(Source::Flag);
        let dirs = directories::ProjectDirs::from("id", "", "koperasi-sop");
        let config_path = match &global.config {
            Some(path) => Some((path.clone(), source("config"))),
            None => dirs
                .as_ref()
                .map(|d| (d.config_dir().join("config.toml"), Source::Default)),
        };
        let config = match &config_path {
            Some((path, source)) => crate::config::Config::load(path, *source != Source::Default)?,
            None => crate::config::Config::default(),
        };
        let from_config = |v: &Option<PathBuf>| v.clone().map(|p| (p, Source::ConfigFile));
        let data_dir = match (&global.data_dir, from_config(&config.berkas.data)) {
            (Some(dir), _) => (dir.clone(), source("data_dir")),
            (None, Some(dir)) => dir,
            (None, None) => (
                dirs.as_ref()
                    .with_context(|| t!("cli.no_home"))?
                    .data_dir()
                    .to_path_buf(),
                Source::Default,
            ),
        };
        let sop = match &global.sop {
            Some(path) => Some((path.clone(), source("sop"))),
            None => from_config(&config.berkas.sop),
        };
        let calendar = match &global.calendar {
            Some(path) => Some((path.clone(), source("calendar"))),
            None => from_config(&config.berkas.kalender),
        };
        Ok(Settings {
            config_path,
            config,
            data_dir,
            sop,
            calendar,
        })
    }
}

fn load_sop(settings: &Settings) -> Result<Sop, SopError> {
    match &settings.sop {
        Some((path, _)) => Sop::load(path),
        None => Sop::embedded(),
    }
}

fn load_calendar(settings: &Settings) -> Result<Calendar, CalendarError> {
    match &settings.calendar {
        Some((path, _)) => Calendar::load(path),
        None => Calendar::embedded(),
    }
}

/// Prints files that are not readable cases; returns whether there were any.
pub fn report_bad_files(bad: &[BadFile]) -> bool {
    for file in bad {
        eprintln!(
            "{} {}",
            t!("main.error"),
            t!(
                "cli.bad_file",
                path = file.path.display(),
                reason = file.reason
            )
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
            return Some(text("hint.sop_io"));
        }
        if let Some(CalendarError::Io { .. }) = cause.downcast_ref::<CalendarError>() {
            return Some(text("hint.calendar_io"));
        }
        if cause.is::<crate::config::ConfigError>() {
            return Some(text("hint.config"));
        }
        if cause.is::<crate::report::EmptyPeriod>() {
            return Some(text("hint.empty_period"));
        }
        if cause.is::<CaseIdError>() {
            return Some(text("hint.case_id"));
        }
    }
    None
}

fn refusal_hint(r: &Refusal) -> Option<String> {
    let hint = match r {
        Refusal::RoleNotAllowed { id, .. } => t!("hint.role_not_allowed", id = id),
        Refusal::Done { id, .. } => t!("hint.done", id = id),
        Refusal::AlreadyOpen { id, .. } => t!("hint.already_open", id = id),
        Refusal::Paused { id, .. } => t!("hint.paused", id = id),
        Refusal::NotPaused { id } => t!("hint.not_paused", id = id),
        Refusal::BeforeLast { .. } => t!("hint.before_last"),
        Refusal::InFuture { .. } | Refusal::OpenInFuture { .. } => t!("hint.in_future"),
        _ => return None,
    };
    Some(hint.into_owned())
}

/// A text option with its blanks trimmed; `None` when nothing is left.
pub fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// The catalog's text for `key`, in the current language.
pub fn text(key: &str) -> String {
    t!(key).into_owned()
}

/// Writes to stdout, buffered (stdout alone flushes at every line, which
/// costs a system call per line of a large JSON answer); a closed pipe ends
/// the command quietly (see main).
pub fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock())
}

/// Flushes and returns `code`, so a write error surfaces as an error.
pub fn finish(mut out: impl Write, code: ExitCode) -> anyhow::Result<ExitCode> {
    out.flush()?;
    Ok(code)
}
