//! The record an import produces: one cooperative's data keragaan.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_i18n::t;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::fields::Field;
use super::value::{words, ValueError};
use crate::case::Nik;

/// Data keragaan koperasi: one cooperative's profile as imported.
///
/// Every field but the NIK and the name is optional: an empty cell is "not
/// given". Field names are the canonical column names ([`Field::name`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keragaan {
    /// Nomor Induk Koperasi.
    pub nik: Nik,
    pub nama: String,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nomor_badan_hukum: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tanggal_badan_hukum: Option<NaiveDate>,
    /// Tanggal RAT terakhir: the last annual members' meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tanggal_rat: Option<NaiveDate>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alamat: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kelurahan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kecamatan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kabupaten_kota: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provinsi: Option<String>,
    /// Five digits, leading zeros kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kode_pos: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telepon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,

    /// Bentuk: Primer Kabupaten/Kota, Primer Provinsi, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bentuk: Option<String>,
    /// Jenis: Simpan Pinjam, Konsumen, Produsen, Pemasaran or Jasa when it
    /// names one of them; otherwise as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jenis: Option<String>,
    /// Kelompok: KSP, KSU, KUD, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kelompok: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sektor_usaha: Option<String>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anggota_pria: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anggota_wanita: Option<u64>,
    /// Jumlah anggota; when given with pria and wanita, their sum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anggota_total: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manajer: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub karyawan: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ketua: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sekretaris: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bendahara: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pengawas: Option<String>,

    /// Status aktif (inactive: no RAT for 3 years in a row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_aktif: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_nik: Option<StatusNik>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kesehatan: Option<Kesehatan>,

    /// Tahun buku: the book year the finance figures are for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tahun_buku: Option<i32>,
    /// Whole rupiah, like every amount below.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modal_sendiri: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modal_luar: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_usaha: Option<i64>,
    /// Sisa hasil usaha; negative in a year with a loss.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shu: Option<i64>,

    /// Columns the tool does not know, kept by their header as written, values trimmed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
}

impl Keragaan {
    /// A record with only the NIK and the name.
    pub fn new(nik: Nik, nama: impl Into<String>) -> Keragaan {
        Keragaan {
            nik,
            nama: nama.into(),
            nomor_badan_hukum: None,
            tanggal_badan_hukum: None,
            tanggal_rat: None,
            alamat: None,
            kelurahan: None,
            kecamatan: None,
            kabupaten_kota: None,
            provinsi: None,
            kode_pos: None,
            telepon: None,
            email: None,
            bentuk: None,
            jenis: None,
            kelompok: None,
            sektor_usaha: None,
            anggota_pria: None,
            anggota_wanita: None,
            anggota_total: None,
            manajer: None,
            karyawan: None,
            ketua: None,
            sekretaris: None,
            bendahara: None,
            pengawas: None,
            status_aktif: None,
            status_nik: None,
            grade: None,
            kesehatan: None,
            tahun_buku: None,
            modal_sendiri: None,
            modal_luar: None,
            aset: None,
            volume_usaha: None,
            shu: None,
            extra: BTreeMap::new(),
        }
    }

    /// SHA-256 (hex) of the canonical JSON: equal records, equal digests,
    /// so an import can see "unchanged" without reading case files.
    pub fn digest(&self) -> String {
        let json = serde_json::to_vec(self).expect("a keragaan serializes");
        Sha256::digest(json)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The fields whose values differ between `self` and `other`: canonical
    /// names in [`Field::ALL`] order, then extra columns by their header.
    pub fn changed_fields(&self, other: &Keragaan) -> Vec<String> {
        // Through JSON so a field added to the struct is compared without
        // another list to keep in step (a test checks the names agree).
        let a = as_map(self);
        let b = as_map(other);
        let mut changed: Vec<String> = Field::ALL
            .iter()
            .map(|f| f.name())
            .filter(|name| a.get(*name) != b.get(*name))
            .map(str::to_string)
            .collect();
        let keys: std::collections::BTreeSet<&String> =
            self.extra.keys().chain(other.extra.keys()).collect();
        changed.extend(
            keys.into_iter()
                .filter(|k| self.extra.get(*k) != other.extra.get(*k))
                .cloned(),
        );
        changed
    }

    /// Jumlah anggota: the total if given, else pria + wanita when both are given.
    pub fn members(&self) -> Option<u64> {
        self.anggota_total
            .or(match (self.anggota_pria, self.anggota_wanita) {
                (Some(pria), Some(wanita)) => Some(pria.saturating_add(wanita)),
                _ => None,
            })
    }
}

fn as_map(record: &Keragaan) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(record).expect("a keragaan serializes") {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// Status NIK: whether the NIK certificate has been issued and is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusNik {
    Bersertifikat,
    Belum,
    Expired,
}

impl FromStr for StatusNik {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match words(s).as_str() {
            "bersertifikat" | "sudah bersertifikat" | "sudah" | "sertifikat" => {
                Ok(StatusNik::Bersertifikat)
            }
            "belum" | "belum bersertifikat" => Ok(StatusNik::Belum),
            "expired" | "kedaluwarsa" | "kadaluwarsa" | "kadaluarsa" | "kedaluarsa" => {
                Ok(StatusNik::Expired)
            }
            _ => Err(ValueError {
                text: s.trim().to_string(),
                reason: t!("record.status_nik").into_owned(),
            }),
        }
    }
}

impl fmt::Display for StatusNik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StatusNik::Bersertifikat => "bersertifikat",
            StatusNik::Belum => "belum",
            StatusNik::Expired => "expired",
        })
    }
}

/// Grade: the cooperative's classification, A (best) to D.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grade {
    A,
    B,
    C1,
    C2,
    D,
}

impl FromStr for Grade {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // `c 1`, `C-1` and `c1` are all written.
        match words(s).replace(' ', "").as_str() {
            "a" => Ok(Grade::A),
            "b" => Ok(Grade::B),
            "c1" => Ok(Grade::C1),
            "c2" => Ok(Grade::C2),
            "d" => Ok(Grade::D),
            _ => Err(ValueError {
                text: s.trim().to_string(),
                reason: t!("record.grade").into_owned(),
            }),
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Predikat kesehatan: the result of the cooperative's health assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kesehatan {
    #[serde(rename = "Sehat")]
    Sehat,
    #[serde(rename = "Cukup Sehat")]
    CukupSehat,
    #[serde(rename = "Dalam Pengawasan")]
    DalamPengawasan,
    #[serde(rename = "Dalam Pengawasan Khusus")]
    DalamPengawasanKhusus,
}

impl FromStr for Kesehatan {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match words(s).as_str() {
            "sehat" => Ok(Kesehatan::Sehat),
            "cukup sehat" => Ok(Kesehatan::CukupSehat),
            "dalam pengawasan" => Ok(Kesehatan::DalamPengawasan),
            "dalam pengawasan khusus" => Ok(Kesehatan::DalamPengawasanKhusus),
            _ => Err(ValueError {
                text: s.trim().to_string(),
                reason: t!("record.kesehatan").into_owned(),
            }),
        }
    }
}

impl fmt::Display for Kesehatan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kesehatan::Sehat => "Sehat",
            Kesehatan::CukupSehat => "Cukup Sehat",
            Kesehatan::DalamPengawasan => "Dalam Pengawasan",
            Kesehatan::DalamPengawasanKhusus => "Dalam Pengawasan Khusus",
        })
    }
}
