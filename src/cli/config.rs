//! `config`: the officer's profile.

use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use rust_i18n::t;
use serde::Serialize;

use super::{load_sop, Format, GlobalArgs, Settings, Source};
use crate::render;
use crate::store::{write_atomic, Existing};

/// The officer's profile: name, NIP, role, and where the data, SOP and
/// calendar are
///
/// With a profile, `advance 2026-0007` needs no --role or --officer.
/// Settings come from, in order: a flag, the environment
/// (KOPERASI_SOP_*), the config file, the built-in default.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: ConfigCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ConfigCommand {
    #[command(visible_alias = "siapkan")]
    Init(InitArgs),
    /// Print the settings in use and where each comes from
    #[command(visible_alias = "tampil")]
    Show,
}

/// Write the profile, asking for what the flags do not give
///
/// --data-dir, --sop and --calendar given here are saved in the profile
/// too. Existing values are kept unless a new one is given.
#[derive(Debug, clap::Args)]
struct InitArgs {
    /// Your name, as the history records it
    #[arg(long, value_name = "NAME")]
    nama: Option<String>,

    /// Your NIP (Nomor Induk Pegawai)
    #[arg(long, value_name = "NIP")]
    nip: Option<String>,

    /// Your role id in the SOP, e.g. jfu (see `sop show`)
    #[arg(long, value_name = "ROLE")]
    peran: Option<String>,

    /// Ask nothing: fail if a required value (name, role) is missing
    #[arg(long)]
    no_input: bool,
}

pub fn run(global: &GlobalArgs, args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        ConfigCommand::Init(init) => run_init(global, init),
        ConfigCommand::Show => run_show(global),
    }
}

fn run_init(global: &GlobalArgs, args: InitArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings::resolve(global)?;
    let (path, _) = settings
        .config_path
        .clone()
        .with_context(|| t!("config.no_dir"))?;
    let sop = load_sop(&settings)?;
    let mut config = settings.config.clone();
    let roles: Vec<&str> = sop.roles.iter().map(|r| r.id.as_str()).collect();

    let mut input = io::stdin().lock();
    let mut ask = |what: &str, current: Option<&String>| -> anyhow::Result<Option<String>> {
        if args.no_input {
            return Ok(None);
        }
        let shown = current.map(|c| format!(" [{c}]")).unwrap_or_default();
        eprint!("{what}{shown}: ");
        io::stderr().flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        Ok(super::non_empty(Some(line)))
    };
    let nama = match super::non_empty(args.nama) {
        Some(n) => Some(n),
        None => ask(&t!("config.ask.nama"), config.petugas.nama.as_ref())?
            .or(config.petugas.nama.clone()),
    };
    let nip = match super::non_empty(args.nip) {
        Some(n) => Some(n),
        None => {
            ask(&t!("config.ask.nip"), config.petugas.nip.as_ref())?.or(config.petugas.nip.clone())
        }
    };
    let peran = match super::non_empty(args.peran) {
        Some(p) => Some(p),
        None => ask(
            &t!("config.ask.peran", roles = roles.join(", ")),
            config.petugas.peran.as_ref(),
        )?
        .or(config.petugas.peran.clone()),
    };
    let Some(nama) = nama else {
        anyhow::bail!("{}", t!("config.no_name"));
    };
    let Some(peran) = peran else {
        anyhow::bail!("{}", t!("config.no_role", roles = roles.join(", ")));
    };
    if sop.role(&peran).is_none() {
        anyhow::bail!(
            "{}",
            t!(
                "config.unknown_role",
                peran = peran,
                nomor = sop.identity.nomor,
                roles = roles.join(", ")
            )
        );
    }
    if let Some(nip) = &nip {
        if !nip.chars().all(|c| c.is_ascii_digit() || c == ' ') {
            anyhow::bail!("{}", t!("config.bad_nip", nip = nip));
        }
    }
    config.petugas.nama = Some(nama);
    config.petugas.nip = nip;
    config.petugas.peran = Some(peran);
    let given = |id: &str| global.sources.get(id) == Some(&Source::Flag);
    if given("data_dir") {
        config.berkas.data = global.data_dir.clone().map(absolute);
    }
    if given("sop") {
        config.berkas.sop = global.sop.clone().map(absolute);
    }
    if given("calendar") {
        config.berkas.kalender = global.calendar.clone().map(absolute);
    }

    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir)
        .with_context(|| t!("config.cannot_create", path = dir.display()))?;
    let name = path
        .file_name()
        .with_context(|| t!("config.no_file"))?
        .to_string_lossy()
        .into_owned();
    write_atomic(&dir, &name, config.to_toml().as_bytes(), Existing::Replace)
        .with_context(|| t!("config.cannot_write", path = path.display()))?;
    let mut out = super::stdout();
    match global.format {
        Format::Json => render::json(&mut out, &config)?,
        _ => writeln!(out, "{}", t!("config.written", path = path.display()))?,
    }
    super::finish(out, ExitCode::SUCCESS)
}

fn absolute(path: PathBuf) -> PathBuf {
    std::path::absolute(&path).unwrap_or(path)
}

/// The value of a built-in setting in JSON, the same in every language.
const BUILT_IN: &str = "(built in)";

#[derive(Serialize)]
struct Setting {
    setting: &'static str,
    value: Option<String>,
    source: Source,
}

fn run_show(global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings::resolve(global)?;
    let path = |p: &PathBuf| Some(p.display().to_string());
    let from_config = |v: &Option<String>| {
        let source = if v.is_some() {
            Source::ConfigFile
        } else {
            Source::Default
        };
        (v.clone(), source)
    };
    let source = |id: &str| global.sources.get(id).copied().unwrap_or(Source::Default);
    let mut rows = vec![
        Setting {
            setting: "config",
            value: settings.config_path.as_ref().and_then(|(p, _)| path(p)),
            source: settings
                .config_path
                .as_ref()
                .map_or(Source::Default, |(_, s)| *s),
        },
        Setting {
            setting: "data_dir",
            value: path(&settings.data_dir.0),
            source: settings.data_dir.1,
        },
        Setting {
            setting: "sop",
            value: Some(
                settings
                    .sop
                    .as_ref()
                    .map_or(BUILT_IN.into(), |(p, _)| p.display().to_string()),
            ),
            source: settings.sop.as_ref().map_or(Source::Default, |(_, s)| *s),
        },
        Setting {
            setting: "calendar",
            value: Some(
                settings
                    .calendar
                    .as_ref()
                    .map_or(BUILT_IN.into(), |(p, _)| p.display().to_string()),
            ),
            source: settings
                .calendar
                .as_ref()
                .map_or(Source::Default, |(_, s)| *s),
        },
    ];
    for (setting, value) in [
        ("nama", &settings.config.petugas.nama),
        ("nip", &settings.config.petugas.nip),
        ("peran", &settings.config.petugas.peran),
    ] {
        let (value, source) = from_config(value);
        rows.push(Setting {
            setting,
            value,
            source,
        });
    }
    rows.push(Setting {
        setting: "format",
        value: Some(format!("{:?}", global.format).to_lowercase()),
        source: source("format"),
    });
    rows.push(Setting {
        setting: "lock_timeout",
        value: Some(global.lock_timeout.to_string()),
        source: source("lock_timeout"),
    });
    let mut out = super::stdout();
    match global.format {
        Format::Json => render::json(&mut out, &rows)?,
        _ => {
            let mut table = render::table(&[
                t!("config.head.setting"),
                t!("config.head.value"),
                t!("config.head.from"),
            ]);
            for row in &rows {
                let value = match row.value.as_deref() {
                    Some(BUILT_IN) => t!("config.built_in").into_owned(),
                    Some(value) => value.to_string(),
                    None => t!("config.not_set").into_owned(),
                };
                table.add_row(vec![row.setting.to_string(), value, row.source.name()]);
            }
            writeln!(out, "{table}")?;
        }
    }
    super::finish(out, ExitCode::SUCCESS)
}
