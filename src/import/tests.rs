use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

const SAMARINDA_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/data/koperasi-samarinda.csv"
));
const SAMARINDA_JSONL: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/data/koperasi-samarinda.jsonl"
));
const SALAH_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/data/koperasi-salah.csv"
));

fn parse_str(name: &str, text: &str, format: InputFormat) -> Parsed {
    parse(name, text.as_bytes(), format).expect("reading from memory")
}

fn csv(text: &str) -> Parsed {
    parse_str("data.csv", text, InputFormat::Csv)
}

fn jsonl(text: &str) -> Parsed {
    parse_str("data.jsonl", text, InputFormat::Jsonl)
}

fn json(text: &str) -> Parsed {
    parse_str("data.json", text, InputFormat::Json)
}

fn messages(errors: &[RowError]) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

/// The one record of an input that must have no errors.
fn only(parsed: Parsed) -> Keragaan {
    assert_eq!(messages(&parsed.errors), Vec::<String>::new());
    assert_eq!(parsed.rows.len(), 1, "{:?}", parsed.rows);
    parsed.rows.into_iter().next().expect("one row").record
}

fn nik(text: &str) -> crate::case::Nik {
    text.parse().expect("test NIK")
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test date")
}

/// A record with every field given.
fn full() -> Keragaan {
    Keragaan {
        nik: nik("6472010000123"),
        nama: "KSP Maju Bersama".into(),
        nomor_badan_hukum: Some("518/BH/XVI/2001".into()),
        tanggal_badan_hukum: Some(ymd(2001, 5, 2)),
        tanggal_rat: Some(ymd(2026, 3, 31)),
        alamat: Some("Jl. Juanda No. 7".into()),
        kelurahan: Some("Air Hitam".into()),
        kecamatan: Some("Samarinda Ulu".into()),
        kabupaten_kota: Some("Kota Samarinda".into()),
        provinsi: Some("Kalimantan Timur".into()),
        kode_pos: Some("75124".into()),
        telepon: Some("0541-123456".into()),
        email: Some("ksp@example.id".into()),
        bentuk: Some("Primer Kabupaten/Kota".into()),
        jenis: Some("Simpan Pinjam".into()),
        kelompok: Some("KSP".into()),
        sektor_usaha: Some("Jasa Keuangan".into()),
        anggota_pria: Some(40),
        anggota_wanita: Some(60),
        anggota_total: Some(100),
        manajer: Some(1),
        karyawan: Some(4),
        ketua: Some("Siti Rahmah".into()),
        sekretaris: Some("Budi Santoso".into()),
        bendahara: Some("Nur Aini".into()),
        pengawas: Some("Agus Salim".into()),
        status_aktif: Some(true),
        status_nik: Some(StatusNik::Bersertifikat),
        grade: Some(Grade::C1),
        kesehatan: Some(Kesehatan::CukupSehat),
        tahun_buku: Some(2025),
        modal_sendiri: Some(1_250_000),
        modal_luar: Some(500_000),
        aset: Some(2_000_000),
        volume_usaha: Some(3_000_000),
        shu: Some(-250_000),
        extra: BTreeMap::from([("Catatan Petugas".to_string(), "lengkap".to_string())]),
    }
}

// The record and its columns

#[test]
fn field_names_are_the_json_keys_in_struct_order() {
    let json = serde_json::to_value(full()).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    expected.push("extra");
    // serde_json's map is sorted: compare as sets, then the order separately.
    let mut sorted = expected.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // Field::ALL follows the struct: changed_fields reports in that order.
    let mut other = full();
    other.nik = nik("6472010000124");
    other.shu = None;
    other.nama = "lain".into();
    other.kode_pos = None;
    assert_eq!(
        full().changed_fields(&other),
        ["nik", "nama", "kode_pos", "shu"]
    );
}

#[test]
fn field_all_lists_every_field_once_in_order() {
    for (i, field) in Field::ALL.iter().enumerate() {
        assert_eq!(*field as usize, i, "{field:?}");
        assert_eq!(field.to_string(), field.name());
    }
}

#[test]
fn no_header_spelling_means_two_fields() {
    let mut seen: BTreeMap<String, Field> = BTreeMap::new();
    for field in Field::ALL {
        for name in std::iter::once(&field.name()).chain(field.aliases()) {
            let key = header_key(name);
            if let Some(other) = seen.insert(key.clone(), field) {
                assert_eq!(
                    other, field,
                    "{name:?} ({key}) means {other:?} and {field:?}"
                );
            }
            assert_eq!(match_header(name), Some(field), "{name}");
        }
    }
}

#[test]
fn headers_match_whatever_their_case_and_punctuation() {
    for (header, field) in [
        ("nik", Field::Nik),
        ("NIK", Field::Nik),
        ("nik_koperasi", Field::Nik),
        ("NIK Koperasi", Field::Nik),
        ("nomor_induk_koperasi", Field::Nik),
        ("Nomor Induk Koperasi", Field::Nik),
        ("no_induk_koperasi", Field::Nik),
        ("No. Induk Koperasi", Field::Nik),
        ("nama", Field::Nama),
        ("nama_koperasi", Field::Nama),
        ("Nama Koperasi", Field::Nama),
        ("jumlah_anggota_pria", Field::AnggotaPria),
        ("Jumlah Anggota (Pria)", Field::AnggotaPria),
        ("anggota_pria", Field::AnggotaPria),
        ("anggota_laki_laki", Field::AnggotaPria),
        ("Anggota Laki-laki", Field::AnggotaPria),
        ("pria", Field::AnggotaPria),
        ("laki_laki", Field::AnggotaPria),
        ("jumlah_anggota_wanita", Field::AnggotaWanita),
        ("anggota_wanita", Field::AnggotaWanita),
        ("anggota_perempuan", Field::AnggotaWanita),
        ("wanita", Field::AnggotaWanita),
        ("perempuan", Field::AnggotaWanita),
        ("jumlah_anggota", Field::AnggotaTotal),
        ("anggota", Field::AnggotaTotal),
        ("total_anggota", Field::AnggotaTotal),
        ("jumlah_anggota_total", Field::AnggotaTotal),
        ("tanggal_rat", Field::TanggalRat),
        ("tgl_rat", Field::TanggalRat),
        ("Tgl. RAT", Field::TanggalRat),
        ("tanggal_rat_terakhir", Field::TanggalRat),
        ("rat_terakhir", Field::TanggalRat),
        ("kabupaten_kota", Field::KabupatenKota),
        ("Kabupaten/Kota", Field::KabupatenKota),
        ("kab_kota", Field::KabupatenKota),
        ("kota", Field::KabupatenKota),
        ("kabupaten", Field::KabupatenKota),
        ("sektor", Field::SektorUsaha),
        ("sektor_usaha", Field::SektorUsaha),
        ("shu", Field::Shu),
        ("SHU (Rp)", Field::Shu),
        ("sisa_hasil_usaha", Field::Shu),
        ("volume_usaha", Field::VolumeUsaha),
        ("volume", Field::VolumeUsaha),
        ("modal_sendiri", Field::ModalSendiri),
        ("ms", Field::ModalSendiri),
        ("Modal Sendiri (Rp)", Field::ModalSendiri),
        ("tgl_badan_hukum", Field::TanggalBadanHukum),
        ("no_badan_hukum", Field::NomorBadanHukum),
        ("nomor_bh", Field::NomorBadanHukum),
        ("telp", Field::Telepon),
        ("no_telepon", Field::Telepon),
        ("No. Telp.", Field::Telepon),
        ("hp", Field::Telepon),
        ("e_mail", Field::Email),
        ("E-mail", Field::Email),
        ("kodepos", Field::KodePos),
        ("Kode Pos", Field::KodePos),
        ("jumlah_manajer", Field::Manajer),
        ("jumlah_karyawan", Field::Karyawan),
        ("status", Field::StatusAktif),
        ("status_koperasi", Field::StatusAktif),
        ("Status Aktif", Field::StatusAktif),
        ("Status NIK", Field::StatusNik),
        ("grade", Field::Grade),
        ("klasifikasi", Field::Grade),
        ("kesehatan", Field::Kesehatan),
        ("predikat_kesehatan", Field::Kesehatan),
        ("tahun_buku", Field::TahunBuku),
        ("tahun", Field::TahunBuku),
        ("asset", Field::Aset),
        ("total_aset", Field::Aset),
        ("Aset (Rp)", Field::Aset),
        ("  Kecamatan  ", Field::Kecamatan),
    ] {
        assert_eq!(match_header(header), Some(field), "{header:?}");
    }
    for unknown in [
        "Catatan Petugas",
        "Rp",
        "",
        "tahun berdiri",
        "nik ktp ketua",
    ] {
        assert_eq!(match_header(unknown), None, "{unknown:?}");
    }
}

#[test]
fn every_field_from_csv() {
    let text = "\
NIK Koperasi;Nama Koperasi;No. Badan Hukum;Tgl Badan Hukum;Tgl RAT;Alamat;Kelurahan;Kecamatan;Kab/Kota;Provinsi;Kode Pos;Telp;E-mail;Bentuk;Jenis;Kelompok;Sektor;Pria;Wanita;Jumlah Anggota;Manajer;Karyawan;Ketua;Sekretaris;Bendahara;Pengawas;Status;Status NIK;Grade;Kesehatan;Tahun Buku;Modal Sendiri;Modal Luar;Aset;Volume Usaha;SHU;Catatan Petugas
6472.0100.00123; KSP Maju Bersama ;518/BH/XVI/2001;02/05/2001;31/03/2026;Jl. Juanda No. 7;Air Hitam;Samarinda Ulu;Kota Samarinda;Kalimantan Timur;75124;0541-123456;ksp@example.id;Primer Kabupaten/Kota;simpan pinjam;KSP;Jasa Keuangan;40;60;100;1;4;Siti Rahmah;Budi Santoso;Nur Aini;Agus Salim;Aktif;Sudah Bersertifikat;c1;cukup sehat;2025;Rp 1.250.000;500.000;Rp. 2.000.000,-;3.000.000,00;-Rp 250.000; lengkap 
";
    assert_eq!(only(csv(text)), full());
}

#[test]
fn every_field_from_json_lines_and_json() {
    let object = r#"{"nik": "6472010000123", "nama": "KSP Maju Bersama", "nomor_badan_hukum": "518/BH/XVI/2001",
        "tanggal_badan_hukum": "2001-05-02", "tanggal_rat": "2026-03-31", "alamat": "Jl. Juanda No. 7",
        "kelurahan": "Air Hitam", "kecamatan": "Samarinda Ulu", "kabupaten_kota": "Kota Samarinda",
        "provinsi": "Kalimantan Timur", "kode_pos": "75124", "telepon": "0541-123456", "email": "ksp@example.id",
        "bentuk": "Primer Kabupaten/Kota", "jenis": "Simpan Pinjam", "kelompok": "KSP", "sektor_usaha": "Jasa Keuangan",
        "anggota_pria": 40, "anggota_wanita": "60", "anggota_total": 100, "manajer": 1, "karyawan": 4,
        "ketua": "Siti Rahmah", "sekretaris": "Budi Santoso", "bendahara": "Nur Aini", "pengawas": "Agus Salim",
        "status_aktif": true, "status_nik": "bersertifikat", "grade": "C1", "kesehatan": "Cukup Sehat",
        "tahun_buku": 2025, "modal_sendiri": 1250000, "modal_luar": "500.000", "aset": 2000000.0,
        "volume_usaha": "Rp 3.000.000", "shu": -250000, "Catatan Petugas": "lengkap"}"#;
    let line = object.replace('\n', " ");
    assert_eq!(only(jsonl(&line)), full());
    assert_eq!(only(json(&format!("[{object}]"))), full());
    // What the tool writes, it reads back.
    let written = serde_json::to_string(&full()).unwrap();
    assert_eq!(only(jsonl(&written)), full());
}

#[test]
fn empty_cells_are_not_given() {
    let text = "nik,nama,aset,tanggal_rat,status_aktif,grade,Catatan\n6472010000123,KSP A, , ,,,\n";
    let record = only(csv(text));
    assert_eq!(record, Keragaan::new(nik("6472010000123"), "KSP A"));
    let line =
        r#"{"nik": "6472010000123", "nama": "KSP A", "aset": null, "grade": "", "Catatan": null}"#;
    assert_eq!(
        only(jsonl(line)),
        Keragaan::new(nik("6472010000123"), "KSP A")
    );
}

#[test]
fn unknown_columns_are_kept_by_their_header() {
    let text = "NIK;Nama;Catatan Petugas;Tahun Berdiri\n6472010000123;KSP A; perlu dicek ;1999\n";
    let record = only(csv(text));
    assert_eq!(
        record.extra,
        BTreeMap::from([
            ("Catatan Petugas".to_string(), "perlu dicek".to_string()),
            ("Tahun Berdiri".to_string(), "1999".to_string()),
        ])
    );
    let line = r#"{"nik": "6472010000123", "nama": "KSP A", "rt": 3, "wajib": true}"#;
    let record = only(jsonl(line));
    assert_eq!(record.extra["rt"], "3");
    assert_eq!(record.extra["wajib"], "true");
}

#[test]
fn jenis_is_normalised_only_when_it_names_a_national_kind() {
    let text = "nik;nama;jenis\n6472010000123;A;SIMPAN PINJAM\n6472010000124;B;konsumen\n6472010000125;C;Serba Usaha\n";
    let parsed = csv(text);
    let jenis: Vec<_> = parsed.rows.iter().map(|r| r.record.jenis.clone()).collect();
    assert_eq!(
        jenis,
        [
            Some("Simpan Pinjam".to_string()),
            Some("Konsumen".to_string()),
            Some("Serba Usaha".to_string())
        ]
    );
}

#[test]
fn enums_are_normalised_or_refused() {
    let text = "nik;nama;status nik;grade;kesehatan\n\
                6472010000123;A;BELUM;C 2;DALAM PENGAWASAN KHUSUS\n\
                6472010000124;B;kedaluwarsa;d;sehat\n\
                6472010000125;C;hilang;E;kurang sehat\n";
    let parsed = csv(text);
    let got: Vec<_> = parsed
        .rows
        .iter()
        .map(|r| (r.record.status_nik, r.record.grade, r.record.kesehatan))
        .collect();
    assert_eq!(
        got,
        [
            (
                Some(StatusNik::Belum),
                Some(Grade::C2),
                Some(Kesehatan::DalamPengawasanKhusus)
            ),
            (
                Some(StatusNik::Expired),
                Some(Grade::D),
                Some(Kesehatan::Sehat)
            ),
        ]
    );
    assert_eq!(
        messages(&parsed.errors),
        [
            "data.csv:4: status nik: \"hilang\": status NIK is bersertifikat, belum or expired",
            "data.csv:4: grade: \"E\": grade is A, B, C1, C2 or D",
            "data.csv:4: kesehatan: \"kurang sehat\": kesehatan is Sehat, Cukup Sehat, Dalam Pengawasan or Dalam Pengawasan Khusus",
        ]
    );
}

#[test]
fn members_are_the_total_or_the_sum_of_both() {
    let mut k = Keragaan::new(nik("6472010000123"), "A");
    assert_eq!(k.members(), None);
    k.anggota_pria = Some(10);
    assert_eq!(k.members(), None);
    k.anggota_wanita = Some(5);
    assert_eq!(k.members(), Some(15));
    k.anggota_total = Some(20);
    assert_eq!(k.members(), Some(20));
    k.anggota_pria = None;
    assert_eq!(k.members(), Some(20));
}

#[test]
fn a_total_that_is_not_the_sum_is_refused() {
    let parsed = csv(
        "nik;nama;pria;wanita;jumlah anggota\n6472010000123;A;10;5;16\n6472010000124;B;10;;16\n",
    );
    assert_eq!(
        messages(&parsed.errors),
        ["data.csv:2: jumlah anggota: jumlah anggota 16 is not pria 10 + wanita 5 = 15; correct one of the three, or leave the total empty"]
    );
    assert_eq!(parsed.rows.len(), 1);
}

#[test]
fn digest_is_stable_and_sees_every_change() {
    let record = full();
    assert_eq!(record.digest(), full().digest());
    assert_eq!(record.digest().len(), 64);
    // Pinned: case files keep digests, so the canonical JSON must not drift.
    assert_eq!(Keragaan::new(nik("6472010000123"), "KSP A").digest(), {
        use sha2::{Digest, Sha256};
        let json = r#"{"nik":"6472010000123","nama":"KSP A"}"#;
        Sha256::digest(json)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    });
    let mut changed = full();
    changed
        .extra
        .insert("Catatan Petugas".into(), "lain".into());
    assert_ne!(changed.digest(), record.digest());
    assert_eq!(record.changed_fields(&changed), ["Catatan Petugas"]);
    changed.extra.clear();
    changed.extra.insert("Baru".into(), "x".into());
    changed.aset = Some(1);
    assert_eq!(
        record.changed_fields(&changed),
        ["aset", "Baru", "Catatan Petugas"]
    );
    assert!(record.changed_fields(&full()).is_empty());
}

#[test]
fn input_formats_from_file_names() {
    for (path, format) in [
        ("a.csv", Some(InputFormat::Csv)),
        ("dir/A.CSV", Some(InputFormat::Csv)),
        ("a.jsonl", Some(InputFormat::Jsonl)),
        ("a.ndjson", Some(InputFormat::Jsonl)),
        ("a.JSON", Some(InputFormat::Json)),
        ("a.xlsx", None),
        ("csv", None),
        ("-", None),
    ] {
        assert_eq!(InputFormat::from_path(Path::new(path)), format, "{path}");
    }
}

#[test]
fn row_errors_read_file_line_column_message() {
    let cell = RowError {
        file: "a.csv".into(),
        line: 7,
        column: Some("Aset".into()),
        message: "salah".into(),
    };
    assert_eq!(cell.to_string(), "a.csv:7: Aset: salah");
    let line = RowError {
        column: None,
        ..cell
    };
    assert_eq!(line.to_string(), "a.csv:7: salah");
    assert_eq!(
        Origin {
            file: "-".into(),
            line: 3
        }
        .to_string(),
        "-:3"
    );
}

// CSV

#[test]
fn csv_problems_are_all_reported_with_file_line_and_column() {
    let text = "NIK Koperasi,Nama Koperasi,Aset,Tanggal RAT,Jumlah Anggota\n\
                6472010000123,KSP A,\"1.250.000,50\",31/03/2026,120\n\
                ,KSP B,1,250,000,31/03/2026,5\n\
                6472010000124,,1.25,31/02/2026,12.5\n\
                6472010101900001,KSP C,\"1,250\",03/31/2026,-3\n\
                647201000012x,KSP D,,31/03/26,\n";
    let parsed = csv(text);
    assert_eq!(parsed.rows.len(), 1);
    assert_eq!(parsed.rows[0].record.aset, Some(1_250_001));
    assert_eq!(parsed.rows[0].origin.to_string(), "data.csv:2");
    assert_eq!(
        messages(&parsed.errors),
        [
            "data.csv:3: 7 fields, but the header has 5 columns; check for a missing or extra separator, or a value that needs quotes",
            "data.csv:4: Nama Koperasi: empty; every row needs the cooperative's name",
            "data.csv:4: Tanggal RAT: \"31/02/2026\": no such date: Februari 2026 has 28 days",
            "data.csv:4: Jumlah Anggota: \"12.5\": a dot must be followed by a group of exactly 3 digits, because dots separate thousands (1.250.000); for decimals use a comma: 12,5",
            "data.csv:4: Aset: \"1.25\": a dot must be followed by a group of exactly 3 digits, because dots separate thousands (1.250.000); for decimals use a comma: 1,25",
            "data.csv:5: NIK Koperasi: invalid NIK koperasi \"6472010101900001\": it has 16 digits, like a population NIK (NIK KTP), not a cooperative's; a NIK koperasi has 13 digits, like 6472010000123 (spaces and dots are allowed between them)",
            "data.csv:5: Tanggal RAT: \"03/31/2026\": there is no month 31; dates are day/month/year, like 31/03/2026",
            "data.csv:5: Jumlah Anggota: \"-3\": a count cannot be negative",
            "data.csv:5: Aset: \"1,250\": ambiguous: a comma followed by 3 digits may be English thousands or decimals; write 1.250 for thousands, or at most 2 decimals after the comma, like 1,25",
            "data.csv:6: NIK Koperasi: invalid NIK koperasi \"647201000012x\": 'x' is not a digit; a NIK koperasi has 13 digits, like 6472010000123 (spaces and dots are allowed between them)",
            "data.csv:6: Tanggal RAT: \"31/03/26\": a two-digit year; write the year in full, like 31/03/2026",
        ]
    );
}

#[test]
fn csv_missing_nik_is_named() {
    let parsed = csv("nik;nama\n;KSP A\n");
    assert_eq!(
        messages(&parsed.errors),
        ["data.csv:2: nik: empty; every row needs the cooperative's NIK koperasi (13 digits)"]
    );
}

#[test]
fn csv_separator_is_sniffed_from_the_header_outside_quotes() {
    // Two commas inside quotes, three semicolons outside.
    let text = "\"nik, koperasi\";nama;\"aset, rp\";catatan\n6472010000123;A;1.250.000,50;x,y\n";
    let record = only(csv(text));
    assert_eq!(record.aset, Some(1_250_001));
    assert_eq!(record.extra["catatan"], "x,y");
    let comma = "nik,nama,aset\n6472010000123,A,\"1.250.000,50\"\n";
    assert_eq!(only(csv(comma)).aset, Some(1_250_001));
    // Blank lines before the header do not hide its separators.
    let late = "\n\n nik;nama;aset\n6472010000123;A;1.250.000,50\n";
    let parsed = csv(late);
    assert_eq!(parsed.rows[0].record.aset, Some(1_250_001));
    assert_eq!(parsed.rows[0].origin.line, 4);
    // One column: nothing to sniff; still a (bad) header, not a crash.
    assert_eq!(
        messages(&csv("nik\n6472010000123\n").errors),
        ["data.csv:1: no nama column; the header needs one named nama, nama_koperasi"]
    );
}

#[test]
fn csv_with_bom_crlf_blank_lines_and_empty_rows() {
    let text = "\u{feff}NIK Koperasi;Nama Koperasi\r\n\r\n6472010000123;KSP A\r\n;\r\n  ;  \r\n\r\n6472010000124;KSP B\r\n";
    let parsed = csv(text);
    assert!(parsed.errors.is_empty(), "{:?}", messages(&parsed.errors));
    let lines: Vec<u64> = parsed.rows.iter().map(|r| r.origin.line).collect();
    assert_eq!(lines, [3, 7]);
}

#[test]
fn csv_line_numbers_count_newlines_inside_quotes() {
    let text = "nik;nama;alamat\n6472010000123;A;\"Jl. Juanda\nNo. 7\"\n6472010000124;B;x;extra\n6472010000125;\"C\n\nD\";y\n6472010000126;E;z\n";
    let parsed = csv(text);
    assert_eq!(
        messages(&parsed.errors),
        ["data.csv:4: 4 fields, but the header has 3 columns; check for a missing or extra separator, or a value that needs quotes"]
    );
    let rows: Vec<(u64, &str)> = parsed
        .rows
        .iter()
        .map(|r| (r.origin.line, r.record.nama.as_str()))
        .collect();
    assert_eq!(rows, [(2, "A"), (5, "C\n\nD"), (8, "E")]);
    assert_eq!(
        parsed.rows[0].record.alamat.as_deref(),
        Some("Jl. Juanda\nNo. 7")
    );
}

#[test]
fn csv_empty_file_and_header_only() {
    for empty in ["", "\u{feff}", "\n\n", " \n"] {
        assert_eq!(
            messages(&csv(empty).errors),
            ["data.csv:1: no header row: the file is empty; a CSV starts with a header naming its columns (NIK Koperasi;Nama Koperasi;...)"],
            "{empty:?}"
        );
    }
    let parsed = csv("NIK Koperasi;Nama Koperasi\n");
    assert!(parsed.rows.is_empty() && parsed.errors.is_empty());
}

#[test]
fn csv_header_problems_stop_the_file() {
    let parsed =
        csv("NIK;Nama;NIK Koperasi;Catatan;catatan;Catatan\n6472010000123;A;6472010000123;x;y;z\n");
    assert!(parsed.rows.is_empty());
    assert_eq!(
        messages(&parsed.errors),
        [
            "data.csv:1: NIK Koperasi: columns \"NIK\" and \"NIK Koperasi\" both mean nik; keep one",
            "data.csv:1: Catatan: this column appears twice; rename or remove one",
        ]
    );
    let parsed = csv("Nomor;Nama Koperasi\n6472010000123;A\n");
    assert_eq!(
        messages(&parsed.errors),
        ["data.csv:1: no nik column; the header needs one named nik, nik_koperasi, nomor_induk_koperasi, no_induk_koperasi, no_nik, nomor_nik"]
    );
}

#[test]
fn csv_columns_without_a_header_must_stay_empty() {
    let parsed = csv("nik;nama;;\n6472010000123;A;;\n6472010000124;B;;lupa\n");
    assert_eq!(parsed.rows.len(), 1);
    assert_eq!(
        messages(&parsed.errors),
        ["data.csv:3: column 4: \"lupa\" is in a column without a header; name the column or move the value"]
    );
}

#[test]
fn csv_invalid_utf8_names_line_and_column() {
    let mut bytes =
        b"nik;nama;alamat\n6472010000123;A;Jl. Juanda\n6472010000124;Koperasi ".to_vec();
    bytes.extend_from_slice(b"Caf\xe9;Jl. \xff\n6472010000125;C;x\n");
    let parsed = parse("latin1.csv", bytes.as_slice(), InputFormat::Csv).unwrap();
    assert_eq!(parsed.rows.len(), 2);
    assert_eq!(
        messages(&parsed.errors),
        [
            "latin1.csv:3: nama: not valid UTF-8; save the file as UTF-8 (in Excel: \"CSV UTF-8\")",
            "latin1.csv:3: alamat: not valid UTF-8; save the file as UTF-8 (in Excel: \"CSV UTF-8\")",
        ]
    );
    let parsed = parse("h.csv", &b"nik;n\xe9ma\n"[..], InputFormat::Csv).unwrap();
    assert_eq!(
        messages(&parsed.errors)[0],
        "h.csv:1: column 2: not valid UTF-8; save the file as UTF-8 (in Excel: \"CSV UTF-8\")"
    );
}

#[test]
fn utf16_is_named_once() {
    let mut bytes = vec![0xFF, 0xFE];
    for c in "nik;nama\n6472010000123;A\n".encode_utf16() {
        bytes.extend_from_slice(&c.to_le_bytes());
    }
    for format in [InputFormat::Csv, InputFormat::Jsonl, InputFormat::Json] {
        let parsed = parse("utf16.csv", bytes.as_slice(), format).unwrap();
        assert_eq!(
            messages(&parsed.errors),
            ["utf16.csv:1: the file is UTF-16 text; save it as UTF-8 (in Excel: \"CSV UTF-8\")"]
        );
    }
}

#[test]
fn unreadable_input_is_the_io_error() {
    struct Broken;
    impl std::io::Read for Broken {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk on fire"))
        }
    }
    let err = parse("x.csv", Broken, InputFormat::Csv).unwrap_err();
    assert_eq!(err.to_string(), "disk on fire");
}

// JSON Lines and JSON

#[test]
fn json_lines_problems_are_all_reported() {
    let text = "\u{feff}{\"nik\": \"6472010000123\", \"nama\": \"A\"}\n\
                \n\
                [1, 2]\n\
                {\"nik\": \"6472010000124\", \"nama\": \n\
                {\"nama\": \"B\"}\n\
                {\"nik\": 6472010000125, \"nama\": \"C\", \"aset\": true, \"alamat\": {\"jalan\": \"x\"}}\n\
                {\"nik\": 472010000126, \"nama\": \"D\"}\n\
                {\"nik\": \"6472010000127\", \"NIK Koperasi\": \"6472010000127\", \"nama\": \"E\"}\n\
                {\"nik\": 6472010000128.0, \"nama\": \"F\", \"tanggal_rat\": 46112, \"status_aktif\": 0}\n\
                   {\"nik\": 6472010000129, \"nama\": \"G\", \"status_aktif\": 1}   \r\n";
    let parsed = jsonl(text);
    assert_eq!(
        messages(&parsed.errors),
        [
            "data.jsonl:3: an array, not a JSON object; each line holds one cooperative, like {\"nik\": \"6472010000123\", \"nama\": \"...\"}",
            "data.jsonl:4: invalid JSON at column 32: EOF while parsing a value",
            "data.jsonl:5: nik: missing; every row needs the cooperative's NIK koperasi (13 digits)",
            "data.jsonl:6: alamat: a value must be text, a number, true/false or null, not a list or an object",
            "data.jsonl:6: aset: \"true\": a number was expected, not true/false",
            "data.jsonl:7: nik: invalid NIK koperasi \"472010000126\": it has 12 digits; a NIK koperasi has 13 digits, like 6472010000123 (spaces and dots are allowed between them)",
            "data.jsonl:8: NIK Koperasi: \"nik\" and \"NIK Koperasi\" both mean nik; keep one",
            "data.jsonl:9: nik: \"6472010000128.0\": a NIK koperasi is 13 digits; write it as text, like \"6472010000123\"",
            "data.jsonl:9: tanggal_rat: \"46112\": a date is written as text, like \"2026-03-31\" or \"31/03/2026\"",
        ]
    );
    let rows: Vec<(u64, String, Option<bool>)> = parsed
        .rows
        .iter()
        .map(|r| {
            (
                r.origin.line,
                r.record.nik.to_string(),
                r.record.status_aktif,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (1, "6472010000123".to_string(), None),
            (10, "6472010000129".to_string(), Some(true))
        ]
    );
}

#[test]
fn json_lines_reject_invalid_utf8_by_line() {
    let bytes = b"{\"nik\": \"6472010000123\", \"nama\": \"A\"}\n{\"nik\": \"6472010000124\", \"nama\": \"Caf\xe9\"}\n";
    let parsed = parse("x.jsonl", &bytes[..], InputFormat::Jsonl).unwrap();
    assert_eq!(parsed.rows.len(), 1);
    assert_eq!(
        messages(&parsed.errors),
        ["x.jsonl:2: not valid UTF-8; save the file as UTF-8"]
    );
}

#[test]
fn json_arrays_give_each_element_its_line() {
    let text = r#"[
  {
    "nik": "6472010000123",
    "nama": "A"
  },
  {"nik": "6472010000124", "nama": "B", "aset": "1,250"},

  "not an object",
  {"nik": "6472010000125",
   "nama": "C"}
]
"#;
    let parsed = json(text);
    let lines: Vec<u64> = parsed.rows.iter().map(|r| r.origin.line).collect();
    assert_eq!(lines, [2, 9]);
    assert_eq!(
        messages(&parsed.errors),
        [
            "data.json:6: aset: \"1,250\": ambiguous: a comma followed by 3 digits may be English thousands or decimals; write 1.250 for thousands, or at most 2 decimals after the comma, like 1,25",
            "data.json:8: a string, not a JSON object; each element of the array is one cooperative",
        ]
    );
}

#[test]
fn json_syntax_errors_and_wrong_shapes_have_a_line() {
    let cases = [
        ("", "data.json:1: empty file; a .json input is one array of cooperatives, [{\"nik\": ..., \"nama\": ...}, ...]; for one object per line use a .jsonl file"),
        ("\n\n{\"nik\": \"6472010000123\"}", "data.json:3: a .json input is one array of cooperatives, [{\"nik\": ..., \"nama\": ...}, ...]; for one object per line use a .jsonl file"),
        ("[\n{\"nik\": \"6472010000123\",\n\"nama\" \"A\"}\n]", "data.json:3: invalid JSON: expected `:`"),
        ("[\n{\"nik\": \"6472010000123\", \"nama\": \"A\"}\n{\"nik\": \"6472010000124\"}]", "data.json:3: invalid JSON: expected , or ] after an element of the array"),
        ("[{\"nik\": \"6472010000123\", \"nama\": \"A\"},\n]", "data.json:2: invalid JSON: expected value"),
        ("[{\"nik\": \"6472010000123\", \"nama\": \"A\"}\n\n", "data.json:3: the file ends inside the array; close it with ]"),
        ("[{\"nik\": \"6472010000123\", \"nama\": \"A\"}]\n[]", "data.json:2: text after the closing ] of the array; a .json input is one array"),
    ];
    for (text, expected) in cases {
        let parsed = json(text);
        assert_eq!(messages(&parsed.errors), [expected], "{text:?}");
    }
    let parsed = json(" \u{feff}[ ] ");
    assert_eq!(parsed.errors.len(), 1, "a BOM only counts at the start");
    let parsed = json("\u{feff}[ ]\n");
    assert!(parsed.rows.is_empty() && parsed.errors.is_empty());
}

#[test]
fn the_same_data_reads_the_same_from_every_format() {
    let csv_text = "NIK Koperasi;Nama Koperasi;Aset;Tanggal RAT;Status\n6472010000123;KSP A;Rp 1.250.000;31/03/2026;Aktif\n";
    let jsonl_text = r#"{"nik_koperasi": "6472 0100 00123", "nama_koperasi": "KSP A", "aset": 1250000, "tgl_rat": "2026-03-31", "status": true}"#;
    let a = only(csv(csv_text));
    let b = only(jsonl(jsonl_text));
    let c = only(json(&format!("[{jsonl_text}]")));
    assert_eq!(a, b);
    assert_eq!(b, c);
    assert_eq!(a.digest(), c.digest());
}

// Duplicates

fn rows(text: &str, name: &str) -> Vec<Row> {
    let parsed = parse_str(name, text, InputFormat::Csv);
    assert!(parsed.errors.is_empty(), "{:?}", messages(&parsed.errors));
    parsed.rows
}

#[test]
fn a_repeated_nik_is_dropped_when_equal_and_refused_when_not() {
    let text = "nik;nama;aset;shu\n\
                6472010000123;A;100;10\n\
                6472010000124;B;200;20\n\
                6472010000123;A;100;10\n\
                6472010000123;A;150;15\n\
                6472 0100 00123;A;100;10\n";
    let (kept, errors) = dedupe(rows(text, "a.csv"));
    let kept: Vec<String> = kept.iter().map(|r| r.origin.to_string()).collect();
    assert_eq!(kept, ["a.csv:2", "a.csv:3"]);
    assert_eq!(
        messages(&errors),
        ["a.csv:5: nik: NIK 6472010000123 already given at line 2 with different data (fields: aset, shu); keep one row per cooperative"]
    );
}

#[test]
fn a_repeated_nik_is_found_across_files() {
    let mut all = rows("nik;nama;aset\n6472010000123;A;100\n", "a.csv");
    all.extend(rows(
        "nik;nama;aset;Catatan\n6472010000124;B;1;\n6472010000123;A;100;baru\n",
        "b.csv",
    ));
    let (kept, errors) = dedupe(all);
    assert_eq!(kept.len(), 2);
    assert_eq!(
        messages(&errors),
        ["b.csv:3: nik: NIK 6472010000123 already given at a.csv:2 with different data (fields: Catatan); keep one row per cooperative"]
    );
}

// The sample data in examples/data

#[test]
fn sample_csv_reads_clean() {
    let parsed = parse_str("koperasi-samarinda.csv", SAMARINDA_CSV, InputFormat::Csv);
    assert_eq!(messages(&parsed.errors), Vec::<String>::new());
    assert_eq!(parsed.rows.len(), 40);
    let first = &parsed.rows[0];
    assert_eq!(first.origin.to_string(), "koperasi-samarinda.csv:2");
    let k = &first.record;
    assert_eq!(k.nik.to_string(), "6472015800356");
    assert_eq!(k.nama, "Koperasi Nelayan Mulia Bersama");
    assert_eq!(k.tanggal_badan_hukum, Some(ymd(1989, 10, 28)));
    assert_eq!(k.tanggal_rat, Some(ymd(2026, 1, 26)));
    assert_eq!(k.kode_pos.as_deref(), Some("75124"));
    assert_eq!(k.email, None);
    assert_eq!(k.jenis.as_deref(), Some("Pemasaran"));
    assert_eq!(
        (k.anggota_pria, k.anggota_wanita, k.anggota_total),
        (Some(88), Some(140), Some(228))
    );
    assert_eq!(k.status_aktif, Some(true));
    assert_eq!(k.status_nik, Some(StatusNik::Expired));
    assert_eq!(k.grade, Some(Grade::A));
    assert_eq!(k.kesehatan, Some(Kesehatan::DalamPengawasanKhusus));
    assert_eq!(k.modal_sendiri, Some(756_496_000));
    assert_eq!(k.modal_luar, Some(1_379_000_000));
    assert_eq!(k.aset, Some(2_471_496_000));
    assert_eq!(k.shu, Some(46_370_000));
    assert!(k.extra.is_empty());
    let noted = parsed
        .rows
        .iter()
        .filter(|r| r.record.extra.contains_key("Catatan Petugas"))
        .count();
    assert!(noted > 0);
    let kecamatan: std::collections::BTreeSet<_> = parsed
        .rows
        .iter()
        .filter_map(|r| r.record.kecamatan.clone())
        .collect();
    assert_eq!(kecamatan.len(), 10);
    assert!(parsed
        .rows
        .iter()
        .any(|r| r.record.status_aktif == Some(false)));
    assert!(parsed
        .rows
        .iter()
        .any(|r| r.record.shu.is_some_and(|s| s < 0)));
}

#[test]
fn sample_jsonl_reads_clean_and_adds_other_cooperatives() {
    let a = parse_str("koperasi-samarinda.csv", SAMARINDA_CSV, InputFormat::Csv);
    let b = parse_str(
        "koperasi-samarinda.jsonl",
        SAMARINDA_JSONL,
        InputFormat::Jsonl,
    );
    assert_eq!(messages(&b.errors), Vec::<String>::new());
    assert_eq!(b.rows.len(), 20);
    assert!(b
        .rows
        .iter()
        .all(|r| r.record.nik.to_string().starts_with("6472")));
    let (kept, errors) = dedupe(a.rows.into_iter().chain(b.rows).collect());
    assert!(errors.is_empty());
    assert_eq!(kept.len(), 60);
}

#[test]
fn sample_with_mistakes_reports_each_one() {
    let parsed = parse_str("koperasi-salah.csv", SALAH_CSV, InputFormat::Csv);
    assert_eq!(
        messages(&parsed.errors),
        [
            "koperasi-salah.csv:3: NIK Koperasi: empty; every row needs the cooperative's NIK koperasi (13 digits)",
            "koperasi-salah.csv:4: Nama Koperasi: empty; every row needs the cooperative's name",
            "koperasi-salah.csv:5: NIK Koperasi: invalid NIK koperasi \"6472010101900001\": it has 16 digits, like a population NIK (NIK KTP), not a cooperative's; a NIK koperasi has 13 digits, like 6472010000123 (spaces and dots are allowed between them)",
            "koperasi-salah.csv:6: Aset: \"1,250,000\": commas between groups of 3 digits are English thousands separators; write 1.250.000 (dots group thousands, a comma starts the decimals)",
            "koperasi-salah.csv:7: Tanggal RAT Terakhir: \"31/02/2026\": no such date: Februari 2026 has 28 days",
            "koperasi-salah.csv:8: Jumlah Anggota Pria: \"12,5\": a count is a whole number, without a decimal part; write it like 120",
            "koperasi-salah.csv:9: 8 fields, but the header has 9 columns; check for a missing or extra separator, or a value that needs quotes",
        ]
    );
    let lines: Vec<u64> = parsed.rows.iter().map(|r| r.origin.line).collect();
    assert_eq!(lines, [2, 10, 11, 12, 13]);
    let (kept, errors) = dedupe(parsed.rows);
    let lines: Vec<u64> = kept.iter().map(|r| r.origin.line).collect();
    assert_eq!(lines, [2, 10, 12]);
    assert_eq!(
        messages(&errors),
        ["koperasi-salah.csv:11: nik: NIK 6472070000107 already given at line 10 with different data (fields: aset, shu); keep one row per cooperative"]
    );
    assert_eq!(kept[2].record.shu, Some(-15_000_000));
}

/// Money in the sample CSV read with a deliberately naive rule (no
/// ambiguity to handle there): strip the sign, `Rp`, `Rp.`, `,-`, the dots.
fn naive_rupiah(text: &str) -> i64 {
    let negative = text.starts_with('-');
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let value: i64 = if digits.is_empty() {
        0
    } else {
        digits.parse().unwrap()
    };
    if negative {
        -value
    } else {
        value
    }
}

#[test]
fn recap_of_the_sample_matches_an_independent_sum() {
    let parsed = parse_str("koperasi-samarinda.csv", SAMARINDA_CSV, InputFormat::Csv);
    let records: Vec<Keragaan> = parsed.rows.into_iter().map(|r| r.record).collect();

    // Independently: split the lines by hand (the notes column is last, so
    // quoted semicolons in it do not shift the others).
    let mut lines = SAMARINDA_CSV.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (sektor, status, pria, wanita, total) = (
        col("Sektor Usaha"),
        col("Status Koperasi"),
        col("Jumlah Anggota Pria"),
        col("Jumlah Anggota Wanita"),
        col("Jumlah Anggota"),
    );
    let money = [
        col("Modal Sendiri (Rp)"),
        col("Modal Luar (Rp)"),
        col("Aset (Rp)"),
        col("Volume Usaha (Rp)"),
        col("SHU (Rp)"),
    ];
    let mut expected: BTreeMap<String, [i64; 10]> = BTreeMap::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let cells: Vec<&str> = line.splitn(header.len(), ';').collect();
        let n = |i: usize| cells[i].replace('.', "").parse::<i64>().unwrap_or(0);
        let sums = expected.entry(cells[sektor].to_string()).or_default();
        let members = if cells[total].is_empty() {
            n(pria) + n(wanita)
        } else {
            n(total)
        };
        let add = [
            1,
            i64::from(cells[status] == "Aktif"),
            n(pria),
            n(wanita),
            members,
            naive_rupiah(cells[money[0]]),
            naive_rupiah(cells[money[1]]),
            naive_rupiah(cells[money[2]]),
            naive_rupiah(cells[money[3]]),
            naive_rupiah(cells[money[4]]),
        ];
        for (s, a) in sums.iter_mut().zip(add) {
            *s += a;
        }
    }

    let recap = rekap(&records, GroupBy::Sektor);
    assert_eq!(recap.by, "sektor");
    let got: BTreeMap<String, [i64; 10]> = recap
        .groups
        .iter()
        .map(|g| {
            (
                g.group.clone(),
                [
                    g.count as i64,
                    g.active as i64,
                    g.anggota_pria as i64,
                    g.anggota_wanita as i64,
                    g.anggota_total as i64,
                    g.modal_sendiri,
                    g.modal_luar,
                    g.aset,
                    g.volume_usaha,
                    g.shu,
                ],
            )
        })
        .collect();
    assert_eq!(got, expected);
    let names: Vec<&str> = recap.groups.iter().map(|g| g.group.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);

    let mut total = [0i64; 10];
    for sums in expected.values() {
        for (t, s) in total.iter_mut().zip(sums) {
            *t += s;
        }
    }
    let t = &recap.total;
    assert_eq!(t.group, "Jumlah");
    assert_eq!(
        [
            t.count as i64,
            t.active as i64,
            t.anggota_total as i64,
            t.aset,
            t.shu
        ],
        [total[0], total[1], total[4], total[7], total[9]]
    );
    assert_eq!(t.count, 40);
}

#[test]
fn recap_by_kecamatan_of_both_samples_covers_samarinda() {
    let a = parse_str("a.csv", SAMARINDA_CSV, InputFormat::Csv);
    let b = parse_str("b.jsonl", SAMARINDA_JSONL, InputFormat::Jsonl);
    let records: Vec<Keragaan> = a.rows.into_iter().chain(b.rows).map(|r| r.record).collect();
    let recap = rekap(&records, GroupBy::Kecamatan);
    let names: Vec<&str> = recap.groups.iter().map(|g| g.group.as_str()).collect();
    assert_eq!(
        names,
        [
            "Loa Janan Ilir",
            "Palaran",
            "Samarinda Ilir",
            "Samarinda Kota",
            "Samarinda Seberang",
            "Samarinda Ulu",
            "Samarinda Utara",
            "Sambutan",
            "Sungai Kunjang",
            "Sungai Pinang",
        ]
    );
    assert!(recap.groups.iter().all(|g| g.count == 6));
    assert_eq!(recap.total.count, 60);
    // JSONL money independently: the sum of the JSON numbers.
    let jsonl_aset: i64 = SAMARINDA_JSONL
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["aset"]
                .as_i64()
                .unwrap()
        })
        .sum();
    let csv_only = rekap(records.iter().take(40), GroupBy::Kecamatan);
    assert_eq!(recap.total.aset - csv_only.total.aset, jsonl_aset);
}

#[test]
fn recap_groups_missing_values_and_sums_members() {
    let mut a = Keragaan::new(nik("6472010000123"), "A");
    a.jenis = Some("Jasa".into());
    a.anggota_pria = Some(3);
    a.anggota_wanita = Some(4);
    a.status_aktif = Some(true);
    a.shu = Some(-100);
    let mut b = Keragaan::new(nik("6472010000124"), "B");
    b.anggota_total = Some(10);
    b.anggota_pria = Some(6);
    b.status_aktif = Some(false);
    b.shu = Some(50);
    let c = Keragaan::new(nik("6472010000125"), "C");
    let recap = rekap([&a, &b, &c], GroupBy::Jenis);
    assert_eq!(recap.by, "jenis");
    let groups: Vec<(&str, u64, u64, u64, u64, i64)> = recap
        .groups
        .iter()
        .map(|g| {
            (
                g.group.as_str(),
                g.count,
                g.active,
                g.anggota_pria,
                g.anggota_total,
                g.shu,
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("(tidak diisi)", 2, 0, 6, 10, 50),
            ("Jasa", 1, 1, 3, 7, -100)
        ]
    );
    assert_eq!(
        (
            recap.total.count,
            recap.total.active,
            recap.total.anggota_total,
            recap.total.shu
        ),
        (3, 1, 17, -50)
    );
    let empty = rekap(std::iter::empty(), GroupBy::Kelompok);
    assert!(empty.groups.is_empty());
    assert_eq!(empty.total.count, 0);
}

#[test]
fn rupiah_is_written_the_indonesian_way() {
    for (amount, text) in [
        (0, "Rp 0"),
        (999, "Rp 999"),
        (1_000, "Rp 1.000"),
        (1_250_000, "Rp 1.250.000"),
        (-250_000, "-Rp 250.000"),
        (i64::MIN, "-Rp 9.223.372.036.854.775.808"),
    ] {
        assert_eq!(rupiah(amount), text);
    }
}

// Never a panic, whatever the input

/// Text made of pieces that reach deep into the readers.
fn pieces(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(pieces), 0..max).prop_map(|p| p.concat())
}

const CSV_PIECES: &[&str] = &[
    "nik",
    "nama",
    "aset",
    "jumlah anggota",
    "pria",
    "wanita",
    "Catatan",
    "6472010000123",
    "A",
    ";",
    ";",
    ",",
    ",",
    "\"",
    "\n",
    "\r\n",
    " ",
    "1.250.000",
    "1,5",
    "31/02/2026",
    "2026-03-31",
    "Rp ",
    "-",
    "\u{feff}",
    "\u{e9}",
];

const JSON_PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    ",",
    "\"nik\"",
    "\"nama\"",
    "\"aset\"",
    "\"extra\"",
    "\"6472010000123\"",
    "6472010000123",
    "\"A\"",
    "null",
    "true",
    "1.5",
    "-3",
    "1e999",
    "\"1,250\"",
    "\n",
    " ",
    "\"",
    "\\",
    "\u{feff}",
];

/// Every error has a line, and never one past the input's end.
fn check_lines(bytes: &[u8], parsed: &Parsed) -> Result<(), TestCaseError> {
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    for e in &parsed.errors {
        prop_assert!(e.line >= 1 && e.line <= lines, "{} (of {} lines)", e, lines);
    }
    for r in &parsed.rows {
        prop_assert!(r.origin.line >= 1 && r.origin.line <= lines, "{}", r.origin);
    }
    Ok(())
}

/// The start of a sample: its header and a few rows.
fn excerpt(text: &str, lines: usize) -> &str {
    let end = text
        .match_indices('\n')
        .nth(lines - 1)
        .map_or(text.len(), |(i, _)| i + 1);
    &text[..end]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        for format in [InputFormat::Csv, InputFormat::Jsonl, InputFormat::Json] {
            let parsed = parse("fuzz", bytes.as_slice(), format).unwrap();
            check_lines(&bytes, &parsed)?;
        }
    }

    #[test]
    fn parse_never_panics_on_csv_like_text(text in pieces(CSV_PIECES, 40)) {
        let parsed = parse("fuzz.csv", text.as_bytes(), InputFormat::Csv).unwrap();
        check_lines(text.as_bytes(), &parsed)?;
        let _ = dedupe(parsed.rows);
    }

    #[test]
    fn parse_never_panics_on_json_like_text(text in pieces(JSON_PIECES, 40)) {
        for format in [InputFormat::Jsonl, InputFormat::Json] {
            let parsed = parse("fuzz", text.as_bytes(), format).unwrap();
            check_lines(text.as_bytes(), &parsed)?;
        }
    }

}

proptest! {
    // Fewer cases: each parses two whole sample excerpts (about 1 ms unoptimized).
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn damaged_samples_never_panic(
        at in 0usize..2000,
        len in 0usize..40,
        replacement in proptest::collection::vec(any::<u8>(), 0..6),
    ) {
        for (text, format) in [
            (excerpt(SAMARINDA_CSV, 4), InputFormat::Csv),
            (excerpt(SAMARINDA_JSONL, 3), InputFormat::Jsonl),
        ] {
            let bytes = text.as_bytes();
            let start = at.min(bytes.len());
            let end = (start + len).min(bytes.len());
            let mut damaged = bytes[..start].to_vec();
            damaged.extend_from_slice(&replacement);
            damaged.extend_from_slice(&bytes[end..]);
            let parsed = parse("fuzz", damaged.as_slice(), format).unwrap();
            check_lines(&damaged, &parsed)?;
            // One damaged place cannot make rows vanish without a word.
            prop_assert!(!parsed.rows.is_empty() || !parsed.errors.is_empty());
        }
    }
}
