//! How long `import::parse` and `import::dedupe` take on 100,000 cooperatives
//! (a national deployment), as CSV and as JSON Lines.
//!
//! Run: `cargo run --release --example parse_speed [ROWS] [csv|jsonl]`

use std::time::Instant;

use koperasi_sop::import::{dedupe, parse, InputFormat};

const HEADER: &str = "NIK Koperasi;Nama Koperasi;No. Badan Hukum;Tgl Badan Hukum;Tanggal RAT Terakhir;Alamat;Kelurahan;Kecamatan;Kabupaten/Kota;Provinsi;Kode Pos;No. Telepon;E-mail;Jenis Koperasi;Kelompok Koperasi;Sektor Usaha;Jumlah Anggota Pria;Jumlah Anggota Wanita;Jumlah Anggota;Ketua;Status Koperasi;Status NIK;Grade;Predikat Kesehatan;Tahun Buku;Modal Sendiri (Rp);Modal Luar (Rp);Aset (Rp);Volume Usaha (Rp);SHU (Rp);Catatan Petugas";

fn main() {
    let rows: u64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let only = std::env::args().nth(2);
    let mut csv = String::from(HEADER);
    csv.push('\n');
    let mut jsonl = String::new();
    for i in 0..rows {
        let nik = format!("6472{:09}", i);
        let (pria, wanita) = (i % 300 + 5, i % 200 + 5);
        csv.push_str(&format!(
            "{nik};Koperasi Contoh {i};{i}/BH/XVI/2001;02/05/2001;31/03/2026;Jl. Juanda No. {};Air Hitam;Samarinda Ulu;Kota Samarinda;Kalimantan Timur;75124;0541-123456;k{i}@example.id;Simpan Pinjam;KSP;Jasa Keuangan;{pria};{wanita};{};Siti Rahmah;Aktif;bersertifikat;B;Cukup Sehat;2025;Rp 1.250.{:03};Rp. 500.000,-;2.000.000,50;3.000.000;-250.000;catatan {i}\n",
            i % 250,
            pria + wanita,
            i % 1000,
        ));
        jsonl.push_str(&format!(
            "{{\"nik\": \"{nik}\", \"nama\": \"Koperasi Contoh {i}\", \"nomor_badan_hukum\": \"{i}/BH/XVI/2001\", \"tanggal_badan_hukum\": \"2001-05-02\", \"tanggal_rat\": \"2026-03-31\", \"alamat\": \"Jl. Juanda No. {}\", \"kelurahan\": \"Air Hitam\", \"kecamatan\": \"Samarinda Ulu\", \"kabupaten_kota\": \"Kota Samarinda\", \"provinsi\": \"Kalimantan Timur\", \"kode_pos\": \"75124\", \"telepon\": \"0541-123456\", \"email\": \"k{i}@example.id\", \"jenis\": \"Simpan Pinjam\", \"kelompok\": \"KSP\", \"sektor_usaha\": \"Jasa Keuangan\", \"anggota_pria\": {pria}, \"anggota_wanita\": {wanita}, \"ketua\": \"Siti Rahmah\", \"status_aktif\": true, \"status_nik\": \"bersertifikat\", \"grade\": \"B\", \"kesehatan\": \"Cukup Sehat\", \"tahun_buku\": 2025, \"modal_sendiri\": 1250000, \"modal_luar\": 500000, \"aset\": 2000000, \"volume_usaha\": 3000000, \"shu\": -250000, \"catatan_petugas\": \"catatan {i}\"}}\n",
            i % 250,
        ));
    }
    for (key, name, text, format) in [
        ("csv", "CSV", &csv, InputFormat::Csv),
        ("jsonl", "JSON Lines", &jsonl, InputFormat::Jsonl),
    ] {
        if only.as_deref().is_some_and(|only| only != key) {
            continue;
        }
        // Best of five: the figure is the parser's, not the machine's warm-up.
        let (mut best_parse, mut best_dedupe, mut best_cpu) = (f64::MAX, f64::MAX, f64::MAX);
        let mut counts = (0, 0);
        for _ in 0..5 {
            let cpu_start = cpu_seconds();
            let start = Instant::now();
            let parsed = match parse("bench", text.as_bytes(), format) {
                Ok(parsed) => parsed,
                Err(e) => {
                    eprintln!("error: {e}");
                    std::process::exit(1);
                }
            };
            let parsed_at = Instant::now();
            let (kept, dup_errors) = dedupe(parsed.rows);
            best_dedupe = best_dedupe.min(parsed_at.elapsed().as_secs_f64());
            best_parse = best_parse.min((parsed_at - start).as_secs_f64());
            if let (Some(a), Some(b)) = (cpu_start, cpu_seconds()) {
                best_cpu = best_cpu.min(b - a);
            }
            counts = (kept.len(), parsed.errors.len() + dup_errors.len());
        }
        let cpu = if best_cpu < f64::MAX {
            format!(", on-CPU time of both {:.0} ms", best_cpu * 1000.0)
        } else {
            String::new()
        };
        println!(
            "{name}: {rows} rows, {:.1} MB: parse {:.0} ms, dedupe {:.0} ms (wall, best of 5){cpu}; {} kept, {} errors",
            text.len() as f64 / 1e6,
            best_parse * 1000.0,
            best_dedupe * 1000.0,
            counts.0,
            counts.1,
        );
    }
}

/// The time this thread has spent on a CPU (Linux): unlike wall time, not
/// inflated when other processes share the machine.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}
