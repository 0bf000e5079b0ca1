//! The columns: which header means which field, and turning one row's
//! cells into a [`Keragaan`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use super::record::{Grade, Keragaan, Kesehatan, StatusNik};
use super::value::{self, ValueError};
use crate::case::Nik;
use rust_i18n::t;

/// A field of [`Keragaan`], as a column of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Nik,
    Nama,
    NomorBadanHukum,
    TanggalBadanHukum,
    TanggalRat,
    Alamat,
    Kelurahan,
    Kecamatan,
    KabupatenKota,
    Provinsi,
    KodePos,
    Telepon,
    Email,
    Bentuk,
    Jenis,
    Kelompok,
    SektorUsaha,
    AnggotaPria,
    AnggotaWanita,
    AnggotaTotal,
    Manajer,
    Karyawan,
    Ketua,
    Sekretaris,
    Bendahara,
    Pengawas,
    StatusAktif,
    StatusNik,
    Grade,
    Kesehatan,
    TahunBuku,
    ModalSendiri,
    ModalLuar,
    Aset,
    VolumeUsaha,
    Shu,
}

impl Field {
    /// Every field, in the order of [`Keragaan`].
    pub const ALL: [Field; 36] = [
        Field::Nik,
        Field::Nama,
        Field::NomorBadanHukum,
        Field::TanggalBadanHukum,
        Field::TanggalRat,
        Field::Alamat,
        Field::Kelurahan,
        Field::Kecamatan,
        Field::KabupatenKota,
        Field::Provinsi,
        Field::KodePos,
        Field::Telepon,
        Field::Email,
        Field::Bentuk,
        Field::Jenis,
        Field::Kelompok,
        Field::SektorUsaha,
        Field::AnggotaPria,
        Field::AnggotaWanita,
        Field::AnggotaTotal,
        Field::Manajer,
        Field::Karyawan,
        Field::Ketua,
        Field::Sekretaris,
        Field::Bendahara,
        Field::Pengawas,
        Field::StatusAktif,
        Field::StatusNik,
        Field::Grade,
        Field::Kesehatan,
        Field::TahunBuku,
        Field::ModalSendiri,
        Field::ModalLuar,
        Field::Aset,
        Field::VolumeUsaha,
        Field::Shu,
    ];

    /// The canonical name: the [`Keragaan`] field and JSON key.
    pub fn name(self) -> &'static str {
        self.spec().0
    }

    /// The headers that mean this field, besides its name. Matching ignores
    /// case and punctuation (see [`match_header`]).
    pub fn aliases(self) -> &'static [&'static str] {
        self.spec().1
    }

    fn spec(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Field::Nik => (
                "nik",
                &[
                    "nik_koperasi",
                    "nomor_induk_koperasi",
                    "no_induk_koperasi",
                    "no_nik",
                    "nomor_nik",
                ],
            ),
            Field::Nama => ("nama", &["nama_koperasi"]),
            Field::NomorBadanHukum => (
                "nomor_badan_hukum",
                &["no_badan_hukum", "nomor_bh", "no_bh", "badan_hukum"],
            ),
            Field::TanggalBadanHukum => (
                "tanggal_badan_hukum",
                &["tgl_badan_hukum", "tanggal_bh", "tgl_bh"],
            ),
            Field::TanggalRat => (
                "tanggal_rat",
                &[
                    "tgl_rat",
                    "tanggal_rat_terakhir",
                    "tgl_rat_terakhir",
                    "rat_terakhir",
                ],
            ),
            Field::Alamat => ("alamat", &["alamat_koperasi", "alamat_kantor"]),
            Field::Kelurahan => ("kelurahan", &["desa_kelurahan", "kelurahan_desa", "desa"]),
            Field::Kecamatan => ("kecamatan", &["kec"]),
            Field::KabupatenKota => (
                "kabupaten_kota",
                &["kab_kota", "kota", "kabupaten", "kota_kabupaten"],
            ),
            Field::Provinsi => ("provinsi", &["propinsi", "prov"]),
            Field::KodePos => ("kode_pos", &[]),
            Field::Telepon => (
                "telepon",
                &[
                    "telp",
                    "telpon",
                    "no_telepon",
                    "no_telp",
                    "nomor_telepon",
                    "hp",
                    "no_hp",
                    "telepon_hp",
                ],
            ),
            Field::Email => ("email", &["alamat_email"]),
            Field::Bentuk => ("bentuk", &["bentuk_koperasi"]),
            Field::Jenis => ("jenis", &["jenis_koperasi"]),
            Field::Kelompok => ("kelompok", &["kelompok_koperasi"]),
            Field::SektorUsaha => ("sektor_usaha", &["sektor"]),
            Field::AnggotaPria => (
                "anggota_pria",
                &[
                    "jumlah_anggota_pria",
                    "anggota_laki_laki",
                    "jumlah_anggota_laki_laki",
                    "pria",
                    "laki_laki",
                ],
            ),
            Field::AnggotaWanita => (
                "anggota_wanita",
                &[
                    "jumlah_anggota_wanita",
                    "anggota_perempuan",
                    "jumlah_anggota_perempuan",
                    "wanita",
                    "perempuan",
                ],
            ),
            Field::AnggotaTotal => (
                "anggota_total",
                &[
                    "jumlah_anggota",
                    "anggota",
                    "total_anggota",
                    "jumlah_anggota_total",
                ],
            ),
            Field::Manajer => ("manajer", &["jumlah_manajer", "manager"]),
            Field::Karyawan => ("karyawan", &["jumlah_karyawan"]),
            Field::Ketua => ("ketua", &["nama_ketua"]),
            Field::Sekretaris => ("sekretaris", &["nama_sekretaris"]),
            Field::Bendahara => ("bendahara", &["nama_bendahara"]),
            Field::Pengawas => ("pengawas", &["nama_pengawas", "ketua_pengawas"]),
            Field::StatusAktif => ("status_aktif", &["status", "status_koperasi", "aktif"]),
            Field::StatusNik => ("status_nik", &["status_sertifikat_nik", "sertifikat_nik"]),
            Field::Grade => ("grade", &["klasifikasi", "grade_koperasi"]),
            Field::Kesehatan => (
                "kesehatan",
                &[
                    "predikat_kesehatan",
                    "tingkat_kesehatan",
                    "kesehatan_koperasi",
                ],
            ),
            Field::TahunBuku => ("tahun_buku", &["tahun"]),
            Field::ModalSendiri => ("modal_sendiri", &["ms"]),
            Field::ModalLuar => ("modal_luar", &["ml"]),
            Field::Aset => ("aset", &["asset", "total_aset", "jumlah_aset"]),
            Field::VolumeUsaha => ("volume_usaha", &["volume"]),
            Field::Shu => ("shu", &["sisa_hasil_usaha"]),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A header reduced to what matching looks at: lowercase letters and digits
/// only, so `NIK Koperasi`, `nik_koperasi` and `NIK-KOPERASI` are one key.
/// A trailing unit `(Rp)` is dropped: `Aset (Rp)` is `aset`.
pub fn header_key(header: &str) -> String {
    let mut words: Vec<String> = header
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() > 1 && words.last().is_some_and(|w| w == "rp") {
        words.pop();
    }
    words.concat()
}

static BY_KEY: LazyLock<HashMap<String, Field>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for field in Field::ALL {
        for name in std::iter::once(&field.name()).chain(field.aliases()) {
            map.insert(header_key(name), field);
        }
    }
    map
});

/// The field a header (or JSON key) names, if the tool knows it.
pub fn match_header(header: &str) -> Option<Field> {
    BY_KEY.get(&header_key(header)).copied()
}

/// A cell's value before it is read as its field's type.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Raw<'a> {
    /// Trimmed text; empty means "not given".
    Text(&'a str),
    Number(&'a serde_json::Number),
    Bool(bool),
}

impl Raw<'_> {
    fn is_empty(&self) -> bool {
        matches!(self, Raw::Text(t) if t.is_empty())
    }

    fn to_text(self) -> String {
        self.as_text().into_owned()
    }

    /// The text, borrowed when it is text already (most cells).
    fn as_text(&self) -> Cow<'_, str> {
        match self {
            Raw::Text(t) => Cow::Borrowed(t),
            Raw::Number(n) => Cow::Owned(n.to_string()),
            Raw::Bool(b) => Cow::Owned(b.to_string()),
        }
    }
}

/// A problem with one row: the column (as the input names it) when the
/// problem is one cell's, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub column: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn cell(column: &str, message: impl Into<String>) -> Problem {
        Problem {
            column: Some(column.to_string()),
            message: message.into(),
        }
    }
}

/// One row's cells, by field, with the column each came from.
pub(crate) struct Cells<'a> {
    slots: [Option<(&'a str, Raw<'a>)>; Field::ALL.len()],
    /// Fields whose cell could not be read at all (already reported).
    unreadable: [bool; Field::ALL.len()],
    extra: Vec<(&'a str, Raw<'a>)>,
    problems: Vec<Problem>,
}

impl<'a> Cells<'a> {
    pub fn new() -> Cells<'a> {
        Cells {
            slots: [None; Field::ALL.len()],
            unreadable: [false; Field::ALL.len()],
            extra: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Puts a cell of a known column. Two columns for one field in one
    /// row (only possible in JSON, where each object has its own keys) is a problem.
    pub fn put(&mut self, field: Field, column: &'a str, raw: Raw<'a>) {
        match &self.slots[field.index()] {
            Some((earlier, _)) => {
                let message = t!(
                    "import.both_mean",
                    earlier = earlier,
                    name = column,
                    field = field.name()
                );
                self.problems.push(Problem::cell(column, message));
            }
            None => self.slots[field.index()] = Some((column, raw)),
        }
    }

    /// Puts a cell of a column the tool does not know; kept in `extra` unless empty.
    pub fn put_extra(&mut self, column: &'a str, raw: Raw<'a>) {
        if !raw.is_empty() {
            self.extra.push((column, raw));
        }
    }

    /// Records a cell that could not be read as text, so the field is not
    /// also reported missing.
    pub fn unreadable(&mut self, field: Option<Field>, column: &str, message: &str) {
        if let Some(field) = field {
            self.unreadable[field.index()] = true;
        }
        self.problems.push(Problem::cell(column, message));
    }

    /// Records a problem found while reading the row.
    pub fn problem(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    fn required<T>(&mut self, field: Field, read: impl Fn(Raw) -> Result<T, String>) -> Option<T> {
        match self.slots[field.index()] {
            None if self.unreadable[field.index()] => None,
            None => {
                self.problems.push(Problem::cell(
                    field.name(),
                    t!("import.missing", what = required_what(field)),
                ));
                None
            }
            Some((column, raw)) if raw.is_empty() => {
                self.problems.push(Problem::cell(
                    column,
                    t!("import.empty", what = required_what(field)),
                ));
                None
            }
            Some(_) => self.optional(field, read),
        }
    }

    fn optional<T>(&mut self, field: Field, read: impl Fn(Raw) -> Result<T, String>) -> Option<T> {
        let (column, raw) = self.slots[field.index()]?;
        if raw.is_empty() {
            return None;
        }
        match read(raw) {
            Ok(value) => Some(value),
            Err(message) => {
                self.problems.push(Problem::cell(column, message));
                None
            }
        }
    }

    /// The record, or every problem the row has.
    pub fn build(mut self) -> Result<Keragaan, Vec<Problem>> {
        let nik = self.required(Field::Nik, nik);
        let nama = self.required(Field::Nama, text);
        let nomor_badan_hukum = self.optional(Field::NomorBadanHukum, text);
        let tanggal_badan_hukum = self.optional(Field::TanggalBadanHukum, date);
        let tanggal_rat = self.optional(Field::TanggalRat, date);
        let alamat = self.optional(Field::Alamat, text);
        let kelurahan = self.optional(Field::Kelurahan, text);
        let kecamatan = self.optional(Field::Kecamatan, text);
        let kabupaten_kota = self.optional(Field::KabupatenKota, text);
        let provinsi = self.optional(Field::Provinsi, text);
        let kode_pos = self.optional(Field::KodePos, |raw| {
            value::parse_kode_pos(&raw.as_text()).map_err(|e| e.to_string())
        });
        let telepon = self.optional(Field::Telepon, text);
        let email = self.optional(Field::Email, text);
        let bentuk = self.optional(Field::Bentuk, text);
        let jenis = self.optional(Field::Jenis, |raw| {
            Ok(value::normalise_jenis(&raw.as_text()))
        });
        let kelompok = self.optional(Field::Kelompok, text);
        let sektor_usaha = self.optional(Field::SektorUsaha, text);
        let anggota_pria = self.optional(Field::AnggotaPria, count);
        let anggota_wanita = self.optional(Field::AnggotaWanita, count);
        let anggota_total = self.optional(Field::AnggotaTotal, count);
        let manajer = self.optional(Field::Manajer, count);
        let karyawan = self.optional(Field::Karyawan, count);
        let ketua = self.optional(Field::Ketua, text);
        let sekretaris = self.optional(Field::Sekretaris, text);
        let bendahara = self.optional(Field::Bendahara, text);
        let pengawas = self.optional(Field::Pengawas, text);
        let status_aktif = self.optional(Field::StatusAktif, aktif);
        let status_nik = self.optional(Field::StatusNik, parsed::<StatusNik>);
        let grade = self.optional(Field::Grade, parsed::<Grade>);
        let kesehatan = self.optional(Field::Kesehatan, parsed::<Kesehatan>);
        let tahun_buku = self.optional(Field::TahunBuku, year);
        let modal_sendiri = self.optional(Field::ModalSendiri, rupiah);
        let modal_luar = self.optional(Field::ModalLuar, rupiah);
        let aset = self.optional(Field::Aset, rupiah);
        let volume_usaha = self.optional(Field::VolumeUsaha, rupiah);
        let shu = self.optional(Field::Shu, rupiah);

        if let (Some(total), Some(pria), Some(wanita)) =
            (anggota_total, anggota_pria, anggota_wanita)
        {
            if pria.checked_add(wanita) != Some(total) {
                let column =
                    self.slots[Field::AnggotaTotal.index()].map_or("anggota_total", |s| s.0);
                self.problems.push(Problem::cell(
                    column,
                    t!(
                        "import.anggota_sum",
                        total = total,
                        pria = pria,
                        wanita = wanita,
                        sum = u128::from(pria) + u128::from(wanita)
                    ),
                ));
            }
        }

        let extra = self
            .extra
            .iter()
            .map(|(column, raw)| (column.to_string(), raw.to_text()))
            .collect();
        match (nik, nama) {
            (Some(nik), Some(nama)) if self.problems.is_empty() => Ok(Keragaan {
                nik,
                nama,
                nomor_badan_hukum,
                tanggal_badan_hukum,
                tanggal_rat,
                alamat,
                kelurahan,
                kecamatan,
                kabupaten_kota,
                provinsi,
                kode_pos,
                telepon,
                email,
                bentuk,
                jenis,
                kelompok,
                sektor_usaha,
                anggota_pria,
                anggota_wanita,
                anggota_total,
                manajer,
                karyawan,
                ketua,
                sekretaris,
                bendahara,
                pengawas,
                status_aktif,
                status_nik,
                grade,
                kesehatan,
                tahun_buku,
                modal_sendiri,
                modal_luar,
                aset,
                volume_usaha,
                shu,
                extra,
            }),
            _ => Err(self.problems),
        }
    }
}

fn required_what(field: Field) -> String {
    match field {
        Field::Nik => t!("import.what_nik"),
        _ => t!("import.what_nama"),
    }
    .into_owned()
}

// Readers of one cell. Text cells take numbers too (a telephone number
// in JSON); typed cells say which kind of value they wanted.

fn text(raw: Raw) -> Result<String, String> {
    Ok(raw.to_text())
}

fn nik(raw: Raw) -> Result<Nik, String> {
    match raw {
        Raw::Bool(_) => Err(wrong_kind(raw, &t!(NIK_AS_TEXT))),
        Raw::Number(n) if n.as_u64().is_none() => Err(wrong_kind(raw, &t!(NIK_AS_TEXT))),
        // A number has no leading zeros to keep; one that lost them fails the 13-digit check.
        Raw::Text(_) | Raw::Number(_) => raw.as_text().parse::<Nik>().map_err(|e| e.to_string()),
    }
}

const NIK_AS_TEXT: &str = "import.nik_as_text";

fn date(raw: Raw) -> Result<chrono::NaiveDate, String> {
    match raw {
        Raw::Text(t) => value::parse_date(t).map_err(|e| e.to_string()),
        other => Err(wrong_kind(other, &t!("import.date_as_text"))),
    }
}

fn wrong_kind(raw: Raw, reason: &str) -> String {
    ValueError {
        text: raw.to_text(),
        reason: reason.into(),
    }
    .to_string()
}

fn count(raw: Raw) -> Result<u64, String> {
    match raw {
        Raw::Text(t) => value::parse_count(t),
        Raw::Number(n) => value::count_from_json(n),
        Raw::Bool(b) => Err(not_a_number(b)),
    }
    .map_err(|e| e.to_string())
}

fn rupiah(raw: Raw) -> Result<i64, String> {
    match raw {
        Raw::Text(t) => value::parse_rupiah(t),
        Raw::Number(n) => value::rupiah_from_json(n),
        Raw::Bool(b) => Err(not_a_number(b)),
    }
    .map_err(|e| e.to_string())
}

fn year(raw: Raw) -> Result<i32, String> {
    value::parse_year(&raw.as_text()).map_err(|e| e.to_string())
}

fn aktif(raw: Raw) -> Result<bool, String> {
    match raw {
        Raw::Bool(b) => Ok(b),
        other => value::parse_aktif(&other.as_text()).map_err(|e| e.to_string()),
    }
}

fn parsed<T: std::str::FromStr<Err = ValueError>>(raw: Raw) -> Result<T, String> {
    raw.as_text().parse::<T>().map_err(|e| e.to_string())
}

fn not_a_number(b: bool) -> ValueError {
    ValueError {
        text: b.to_string(),
        reason: t!("import.not_bool").into_owned(),
    }
}
