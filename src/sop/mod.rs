//! The SOP definition: model, TOML loading, validation.
//!
//! The TOML keys follow the SOP-AP form's own words (Permenpan RB 35/2012),
//! so an SOP author can transcribe a paper SOP field by field.

use std::path::Path;

use chrono::NaiveDate;
use rust_i18n::t;

use crate::waktu::Waktu;

mod load;
mod validate;

/// The embedded default SOP: Dinas Koperasi, UKM dan Perindustrian Kota
/// Samarinda, "Pelaksanaan Kegiatan Pemberdayaan dan Pengembangan Koperasi".
pub const EMBEDDED_SOURCE: &str = include_str!("../../sop/pemberdayaan-koperasi.toml");
/// The name the embedded SOP goes by in messages.
pub const EMBEDDED_ORIGIN: &str = "(embedded) sop/pemberdayaan-koperasi.toml";

/// A loaded and validated SOP.
#[derive(Debug, Clone)]
pub struct Sop {
    pub identity: Identity,
    /// Pelaksana: the roles (swimlanes), in the order of the form.
    pub roles: Vec<Role>,
    /// Prosedur: the steps, sorted by number.
    pub steps: Vec<Step>,
    /// SHA-256 (hex) of the TOML source: tells two texts of an SOP apart.
    pub digest: String,
    /// The TOML source itself, kept so a case can keep the SOP it was opened under.
    pub source: String,
}

/// The identity part of the SOP-AP form.
#[derive(Debug, Clone)]
pub struct Identity {
    /// Nomor SOP.
    pub nomor: String,
    /// Nama SOP.
    pub nama: String,
    /// Pemerintah daerah (e.g. "Pemerintah Kota Samarinda").
    pub pemerintah: String,
    /// Instansi: the department.
    pub instansi: String,
    /// Bidang: the division within the department.
    pub bidang: String,
    pub tanggal_pembuatan: NaiveDate,
    /// `None` when never revised ("-").
    pub tanggal_revisi: Option<NaiveDate>,
    pub tanggal_efektif: NaiveDate,
    pub disahkan_oleh: Pengesah,
    pub dasar_hukum: Vec<String>,
    pub kualifikasi_pelaksana: Vec<String>,
    pub keterkaitan: Vec<String>,
    pub peralatan_perlengkapan: Vec<String>,
    pub peringatan: Vec<String>,
    pub pencatatan_pendataan: Vec<String>,
}

/// Disahkan oleh: who approved the SOP.
#[derive(Debug, Clone)]
pub struct Pengesah {
    pub jabatan: String,
    pub nama: String,
    pub nip: String,
}

/// A role (swimlane) of the flowchart.
#[derive(Debug, Clone)]
pub struct Role {
    /// Short id used on the command line, e.g. `kepala_bidang`.
    pub id: String,
    /// The name as the form writes it.
    pub nama: String,
}

/// A step (one row of the flowchart).
#[derive(Debug, Clone)]
pub struct Step {
    /// No.: the step number.
    pub number: u32,
    /// Uraian prosedur: the activity.
    pub uraian: String,
    /// Pelaksana: ids of the roles any of whom may complete the step.
    pub actors: Vec<String>,
    /// Kelengkapan: inputs the step requires.
    pub kelengkapan: String,
    /// Waktu: the time standard.
    pub waktu: Waktu,
    /// Output: what the step produces.
    pub output: String,
    /// Keterangan: remarks.
    pub keterangan: String,
    pub flow: Flow,
}

/// Where a step leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// A process step: on to one target.
    Next(Target),
    /// A decision (diamond): YA to one target, TIDAK to another.
    Decision { ya: Target, tidak: Target },
}

/// A flow target: a step number or the end (selesai).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Step(u32),
    End,
}

/// One broken rule in an SOP file, at a place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Why an SOP could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SopError {
    #[error("{}", t!("sop.cannot_read", path = .path, error = .source))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// TOML syntax error, or a value of the wrong type.
    #[error("{origin}:{line}:{column}: {message}")]
    Syntax {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// One or more broken rules; Display prints one `origin:line:column: message` per line.
    #[error("{}", format_problems(.origin, .problems))]
    Invalid {
        origin: String,
        problems: Vec<Problem>,
    },
}

fn format_problems(origin: &str, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("{origin}:{}:{}: {}", p.line, p.column, p.message))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Sop {
    pub fn embedded() -> Result<Sop, SopError> {
        Sop::from_toml(EMBEDDED_SOURCE, EMBEDDED_ORIGIN)
    }
    /// Reads and validates the SOP at `path`; messages name the path.
    pub fn load(path: &Path) -> Result<Sop, SopError> {
        let src = std::fs::read_to_string(path).map_err(|source| SopError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Sop::from_toml(&src, &path.display().to_string())
    }
    /// Parses and validates an SOP text; `origin` names it in messages.
    pub fn from_toml(src: &str, origin: &str) -> Result<Sop, SopError> {
        load::from_toml(src, origin)
    }
    /// The version a case records: tanggal revisi, or tanggal efektif when never revised.
    pub fn version(&self) -> String {
        self.identity
            .tanggal_revisi
            .unwrap_or(self.identity.tanggal_efektif)
            .to_string()
    }
    /// The first step: where every case starts.
    pub fn first_step(&self) -> &Step {
        &self.steps[0]
    }
    pub fn step(&self, number: u32) -> Option<&Step> {
        self.steps.iter().find(|s| s.number == number)
    }
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }
}

#[cfg(test)]
mod tests;
