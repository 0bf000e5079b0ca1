//! `sop show` and `sop validate`: the SOP card, and a check of an SOP file.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use rust_i18n::t;
use serde_json::json;

use super::{load_calendar, load_sop, Format, GlobalArgs, Settings};
use crate::render;
use crate::sop::{Flow, Sop, Step, Target};

/// Show or check the SOP definition
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: SopCommand,
}

#[derive(Debug, Subcommand)]
enum SopCommand {
    /// Print the SOP card: identity, roles, and the steps with their mutu baku
    #[command(visible_alias = "tampil")]
    Show,
    /// Check an SOP file against every rule; exit 1 with file:line:column if broken
    ///
    /// Rules: TOML syntax and known keys; unique step numbers; every actor a
    /// declared role; every waktu readable; every branch target exists; every
    /// decision has YA and TIDAK; every step reachable from the first; the
    /// end reachable from every step.
    #[command(visible_alias = "validasi")]
    Validate {
        /// The SOP file [default: --sop, or the built-in SOP]
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
}

pub fn run(global: &GlobalArgs, args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        SopCommand::Show => show(global),
        SopCommand::Validate { file } => validate(global, file),
    }
}

fn validate(global: &GlobalArgs, file: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let sop = match &file {
        Some(path) => Sop::load(path)?,
        None => load_sop(&Settings::resolve(global)?)?,
    };
    let origin = file
        .or_else(|| global.sop.clone())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| crate::sop::EMBEDDED_ORIGIN.to_string());
    let mut out = super::stdout();
    match global.format {
        Format::Json => render::json(
            &mut out,
            &json!({ "file": origin, "valid": true, "steps": sop.steps.len(), "roles": sop.roles.len() }),
        )?,
        Format::Table | Format::Csv => writeln!(
            out,
            "{}",
            t!(
                "sop.valid",
                origin = origin,
                nama = sop.identity.nama,
                nomor = sop.identity.nomor,
                steps = sop.steps.len(),
                roles = sop.roles.len()
            )
        )?,
    }
    super::finish(out, ExitCode::SUCCESS)
}

fn target(t: Target) -> serde_json::Value {
    match t {
        Target::Step(n) => json!(n),
        Target::End => json!("selesai"),
    }
}

fn flow_text(step: &Step) -> String {
    let t = |t: Target| match t {
        Target::Step(n) => format!("{n}"),
        Target::End => "selesai".to_string(),
    };
    match step.flow {
        Flow::Next(next) => format!("→ {}", t(next)),
        Flow::Decision { ya, tidak } => format!("YA → {}\nTIDAK → {}", t(ya), t(tidak)),
    }
}

fn show(global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings::resolve(global)?;
    let sop = load_sop(&settings)?;
    let calendar = load_calendar(&settings)?;
    let id = &sop.identity;
    let mut out = super::stdout();
    match global.format {
        Format::Json => {
            let steps: Vec<_> = sop
                .steps
                .iter()
                .map(|s| {
                    let (next, decision) = match s.flow {
                        Flow::Next(t) => (target(t), None),
                        Flow::Decision { ya, tidak } => (
                            serde_json::Value::Null,
                            Some(json!({ "ya": target(ya), "tidak": target(tidak) })),
                        ),
                    };
                    json!({
                        "no": s.number,
                        "uraian": s.uraian,
                        "pelaksana": s.actors,
                        "kelengkapan": s.kelengkapan,
                        "waktu": s.waktu.to_string(),
                        "waktu_minutes": s.waktu.working_secs(calendar.day_minutes()) / 60,
                        "output": s.output,
                        "keterangan": s.keterangan,
                        "lanjut": next,
                        "keputusan": decision,
                    })
                })
                .collect();
            let roles: Vec<_> = sop
                .roles
                .iter()
                .map(|r| json!({ "id": r.id, "nama": r.nama }))
                .collect();
            render::json(
                &mut out,
                &json!({
                    "identitas": {
                        "nomor": id.nomor,
                        "nama": id.nama,
                        "pemerintah": id.pemerintah,
                        "instansi": id.instansi,
                        "bidang": id.bidang,
                        "tanggal_pembuatan": id.tanggal_pembuatan.to_string(),
                        "tanggal_revisi": id.tanggal_revisi.map(|d| d.to_string()),
                        "tanggal_efektif": id.tanggal_efektif.to_string(),
                        "disahkan_oleh": {
                            "jabatan": id.disahkan_oleh.jabatan,
                            "nama": id.disahkan_oleh.nama,
                            "nip": id.disahkan_oleh.nip,
                        },
                        "dasar_hukum": id.dasar_hukum,
                        "kualifikasi_pelaksana": id.kualifikasi_pelaksana,
                        "keterkaitan": id.keterkaitan,
                        "peralatan_perlengkapan": id.peralatan_perlengkapan,
                        "peringatan": id.peringatan,
                        "pencatatan_pendataan": id.pencatatan_pendataan,
                    },
                    "versi": sop.version(),
                    "digest": sop.digest,
                    "pelaksana": roles,
                    "prosedur": steps,
                }),
            )?;
        }
        Format::Table | Format::Csv => {
            writeln!(out, "{}", id.pemerintah.to_uppercase())?;
            writeln!(out, "{}", id.instansi.to_uppercase())?;
            writeln!(out, "{}", id.bidang)?;
            writeln!(out)?;
            writeln!(out, "Nama SOP:          {}", id.nama)?;
            writeln!(out, "Nomor SOP:         {}", id.nomor)?;
            writeln!(out, "Tanggal pembuatan: {}", id.tanggal_pembuatan)?;
            let revisi = id.tanggal_revisi.map_or("-".to_string(), |d| d.to_string());
            writeln!(out, "Tanggal revisi:    {revisi}")?;
            writeln!(out, "Tanggal efektif:   {}", id.tanggal_efektif)?;
            writeln!(
                out,
                "Disahkan oleh:     {}, {} (NIP {})",
                id.disahkan_oleh.jabatan, id.disahkan_oleh.nama, id.disahkan_oleh.nip
            )?;
            for (title, items) in [
                ("Dasar hukum", &id.dasar_hukum),
                ("Kualifikasi pelaksana", &id.kualifikasi_pelaksana),
                ("Keterkaitan", &id.keterkaitan),
                ("Peralatan/perlengkapan", &id.peralatan_perlengkapan),
                ("Peringatan", &id.peringatan),
                ("Pencatatan dan pendataan", &id.pencatatan_pendataan),
            ] {
                writeln!(out, "\n{title}:")?;
                for item in items {
                    writeln!(out, "  - {item}")?;
                }
            }
            writeln!(out, "\nPelaksana:")?;
            for role in &sop.roles {
                writeln!(out, "  {:<14} {}", role.id, role.nama)?;
            }
            writeln!(out)?;
            let mut table = render::table(&[
                "No",
                "Uraian prosedur",
                "Pelaksana",
                "Kelengkapan",
                "Waktu",
                "Output",
                "Alur",
            ]);
            for s in &sop.steps {
                table.add_row(vec![
                    s.number.to_string(),
                    s.uraian.clone(),
                    s.actors.join(", "),
                    s.kelengkapan.clone(),
                    s.waktu.to_string(),
                    s.output.clone(),
                    flow_text(s),
                ]);
            }
            writeln!(out, "{table}")?;
        }
    }
    super::finish(out, ExitCode::SUCCESS)
}
