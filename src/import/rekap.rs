//! Rekapitulasi: counts, members and money summed per sector, jenis,
//! kelompok or kecamatan, as the Kepala Bidang reports them.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::record::Keragaan;

/// The field a recap groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupBy {
    /// Sektor usaha.
    Sektor,
    /// Jenis koperasi.
    Jenis,
    /// Kelompok koperasi.
    Kelompok,
    /// Kecamatan.
    Kecamatan,
}

impl GroupBy {
    /// The name used on the command line and in the recap's `by`.
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Sektor => "sektor",
            GroupBy::Jenis => "jenis",
            GroupBy::Kelompok => "kelompok",
            GroupBy::Kecamatan => "kecamatan",
        }
    }

    fn of(self, record: &Keragaan) -> Option<&str> {
        match self {
            GroupBy::Sektor => record.sektor_usaha.as_deref(),
            GroupBy::Jenis => record.jenis.as_deref(),
            GroupBy::Kelompok => record.kelompok.as_deref(),
            GroupBy::Kecamatan => record.kecamatan.as_deref(),
        }
    }
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The group of records that leave the grouping field empty.
const NOT_GIVEN: &str = "(tidak diisi)";
/// The group name of the total row.
const TOTAL: &str = "Jumlah";

/// One line of a recap. Missing values count as 0; `anggota_total` is
/// each record's [`Keragaan::members`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RekapRow {
    pub group: String,
    pub count: u64,
    /// Records with status aktif given as aktif.
    pub active: u64,
    pub anggota_pria: u64,
    pub anggota_wanita: u64,
    pub anggota_total: u64,
    pub modal_sendiri: i64,
    pub modal_luar: i64,
    pub aset: i64,
    pub volume_usaha: i64,
    pub shu: i64,
}

impl RekapRow {
    fn new(group: &str) -> RekapRow {
        RekapRow {
            group: group.to_string(),
            ..RekapRow::default()
        }
    }

    // Saturating: a recap of absurd figures should show them, not panic.
    fn add(&mut self, r: &Keragaan) {
        let money = |sum: &mut i64, v: Option<i64>| *sum = sum.saturating_add(v.unwrap_or(0));
        let people = |sum: &mut u64, v: Option<u64>| *sum = sum.saturating_add(v.unwrap_or(0));
        self.count += 1;
        self.active += u64::from(r.status_aktif == Some(true));
        people(&mut self.anggota_pria, r.anggota_pria);
        people(&mut self.anggota_wanita, r.anggota_wanita);
        people(&mut self.anggota_total, r.members());
        money(&mut self.modal_sendiri, r.modal_sendiri);
        money(&mut self.modal_luar, r.modal_luar);
        money(&mut self.aset, r.aset);
        money(&mut self.volume_usaha, r.volume_usaha);
        money(&mut self.shu, r.shu);
    }
}

/// A recap: one row per group, sorted by name, and the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rekap {
    /// What it is grouped by: `sektor`, `jenis`, `kelompok` or `kecamatan`.
    pub by: String,
    pub groups: Vec<RekapRow>,
    /// The group "Jumlah": every record.
    pub total: RekapRow,
}

/// Sums the records per group of `by`; records without a value for it
/// form the group "(tidak diisi)".
pub fn rekap<'a>(records: impl IntoIterator<Item = &'a Keragaan>, by: GroupBy) -> Rekap {
    let mut groups: BTreeMap<&str, RekapRow> = BTreeMap::new();
    let mut total = RekapRow::new(TOTAL);
    for record in records {
        let name = by.of(record).unwrap_or(NOT_GIVEN);
        groups
            .entry(name)
            .or_insert_with(|| RekapRow::new(name))
            .add(record);
        total.add(record);
    }
    Rekap {
        by: by.name().to_string(),
        groups: groups.into_values().collect(),
        total,
    }
}

/// Rupiah the Indonesian way: `Rp 1.250.000`, `-Rp 250.000`, `Rp 0`.
///
/// ```
/// use koperasi_sop::import::rupiah;
///
/// assert_eq!(rupiah(1_250_000), "Rp 1.250.000");
/// assert_eq!(rupiah(-250_000), "-Rp 250.000");
/// ```
pub fn rupiah(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}Rp {grouped}")
}
