//! The language the binary speaks: Bahasa Indonesia unless English is
//! asked for with --lang, KOPERASI_SOP_LANG or an English locale. The other
//! tests run in English; these drive it in both.

mod common;

use assert_cmd::Command;
use common::TestEnv;

/// The binary as an office would run it: no language setting, `LANG=C`.
fn plain(env: &TestEnv) -> Command {
    let mut cmd = env.cmd();
    cmd.env_remove("KOPERASI_SOP_LANG");
    cmd
}

fn run(mut cmd: Command, args: &[&str]) -> (Option<i32>, String, String) {
    let out = cmd.args(args).output().expect("run");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

#[test]
fn indonesian_by_default_english_for_an_english_locale() {
    let env = TestEnv::new();
    let (code, out, _) = run(plain(&env), &["status"]);
    assert_eq!(code, Some(0));
    assert_eq!(out.trim(), "Tidak ada kasus yang sesuai.");

    let mut english = plain(&env);
    english.env("LANG", "en_US.UTF-8");
    let (_, out, _) = run(english, &["status"]);
    assert_eq!(out.trim(), "No cases match.");

    // LC_ALL comes before LANG.
    let mut indonesian = plain(&env);
    indonesian
        .env("LANG", "en_US.UTF-8")
        .env("LC_ALL", "id_ID.UTF-8");
    let (_, out, _) = run(indonesian, &["status"]);
    assert_eq!(out.trim(), "Tidak ada kasus yang sesuai.");
}

#[test]
fn the_flag_beats_the_variable_and_the_variable_beats_the_locale() {
    let env = TestEnv::new();
    let mut cmd = plain(&env);
    cmd.env("KOPERASI_SOP_LANG", "id");
    let (_, out, _) = run(cmd, &["--lang", "en", "status"]);
    assert_eq!(out.trim(), "No cases match.");

    let mut cmd = plain(&env);
    cmd.env("KOPERASI_SOP_LANG", "en");
    let (_, out, _) = run(cmd, &["status", "--lang=id"]);
    assert_eq!(out.trim(), "Tidak ada kasus yang sesuai.");

    let mut cmd = plain(&env);
    cmd.env("KOPERASI_SOP_LANG", "id")
        .env("LANG", "en_US.UTF-8");
    let (_, out, _) = run(cmd, &["status"]);
    assert_eq!(out.trim(), "Tidak ada kasus yang sesuai.");
}

#[test]
fn a_language_it_does_not_speak_is_refused() {
    let env = TestEnv::new();
    let (code, _, err) = run(plain(&env), &["--lang", "fr", "status"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("fr"), "{err}");
    let mut cmd = plain(&env);
    cmd.env("KOPERASI_SOP_LANG", "jv");
    let (code, _, err) = run(cmd, &["status"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(!env.data_dir().exists(), "nothing was written");
}

#[test]
fn help_in_both_languages() {
    let env = TestEnv::new();
    let (code, id, _) = run(plain(&env), &["--help"]);
    assert_eq!(code, Some(0));
    for text in [
        "Menjalankan SOP-AP (Permenpan RB 35/2012) sebagai kasus yang dilacak",
        "Penggunaan:",
        "Perintah:",
        "Opsi umum:",
        "Tampilkan bantuan",
        "Contoh:",
        "buka]",
        "Nilai yang dapat diberikan:",
    ] {
        assert!(id.contains(text), "no {text:?} in:\n{id}");
    }
    assert!(!id.contains("Run an SOP-AP"), "{id}");

    let (_, en, _) = run(env.cmd(), &["--help"]);
    for text in [
        "Run an SOP-AP (Permenpan RB 35/2012) as tracked cases",
        "Usage:",
        "Commands:",
        "Global options:",
        "Print help",
        "Examples:",
    ] {
        assert!(en.contains(text), "no {text:?} in:\n{en}");
    }

    let (_, id, _) = run(plain(&env), &["status", "-h"]);
    assert!(
        id.contains("Hanya kasus yang langkahnya telah melewati standar waktu"),
        "{id}"
    );
    let (_, en, _) = run(env.cmd(), &["keadaan", "-h"]);
    assert!(
        en.contains("Only cases whose current step is past its time standard"),
        "{en}"
    );
}

#[test]
fn every_indonesian_alias_runs_its_command() {
    let env = TestEnv::new();
    let id = plain(&env);
    let (code, out, err) = run(id, &["buka", "--nik", "6472010000123", "--nama", "KSP A"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.trim(), "2026-0001");
    let ok = |args: &[&str]| {
        let (code, out, err) = run(plain(&env), args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        out
    };
    let out = ok(&["maju", "2026-0001", "--role", "jfu"]);
    assert!(out.contains("langkah 1 diselesaikan oleh jfu"), "{out}");
    ok(&[
        "tunda",
        "2026-0001",
        "--role",
        "kepala_bidang",
        "--reason",
        "menunggu",
    ]);
    ok(&["lanjut", "2026-0001", "--role", "kepala_bidang"]);
    assert!(ok(&["keadaan"]).contains("2026-0001"));
    assert!(ok(&["lihat", "2026-0001"]).contains("Kasus:       2026-0001"));
    assert!(ok(&["periksa", "2026-0001"]).contains("tepat waktu"));
    assert!(ok(&["verifikasi"]).contains("1 kasus lolos pemeriksaan"));
    assert!(ok(&["diagnosa"]).contains("semua baik"));
    assert!(ok(&["indeks-ulang"]).contains("indeks dibangun ulang"));
    assert!(ok(&["prosedur", "tampil"]).contains("Nama SOP:"));
    assert!(ok(&["prosedur", "validasi"]).contains("sah:"));
    assert!(ok(&["konfigurasi", "tampil"]).contains("Pengaturan"));
    assert!(ok(&["pelengkapan", "bash"]).contains("koperasi-sop"));
    assert!(ok(&["manual"]).contains(".TH"));
    ok(&["laporan"]);
    ok(&["rekapitulasi"]);
    let csv = env.write("data.csv", "nik;nama\n6472010000456;KSP B\n");
    let out = ok(&["impor", csv.to_str().unwrap()]);
    assert!(out.contains("dibuat 1"), "{out}");
}

#[test]
fn a_refusal_in_both_languages() {
    let env = TestEnv::new();
    env.open("6472010000123", "KSP A", "2026-12-07 08:00");
    let args = ["advance", "2026-0001", "--role", "kepala_bidang"];
    let (code, _, id) = run(plain(&env), &args);
    assert_eq!(code, Some(1));
    assert!(
        id.contains(
            "kesalahan: Peran \"kepala_bidang\" tidak berwenang menyelesaikan langkah 1 kasus 2026-0001; langkah 1 dilaksanakan oleh: jfu"
        ),
        "{id}"
    );
    assert!(
        id.contains("petunjuk: lihat siapa yang memegang kasus 2026-0001"),
        "{id}"
    );
    let en = env.fails(&args);
    assert!(
        en.contains("error: role \"kepala_bidang\" may not complete step 1 of case 2026-0001"),
        "{en}"
    );
    assert!(en.contains("hint: see who holds case 2026-0001"), "{en}");
}

#[test]
fn the_status_table_in_both_languages() {
    let env = TestEnv::new();
    env.open("6472010000123", "KSP A", "2026-12-07 08:00");
    let (_, id, _) = run(plain(&env), &["status"]);
    for text in ["Kasus", "Koperasi", "Langkah", "Pelaksana", "Batas waktu"] {
        assert!(id.contains(text), "no {text:?} in:\n{id}");
    }
    assert!(id.contains("30 menit lagi"), "{id}");
    assert!(id.contains("1 kasus, 0 terlambat"), "{id}");
    let en = env.ok(&["status"]);
    for text in ["Case", "Cooperative", "Step", "Actors", "Due"] {
        assert!(en.contains(text), "no {text:?} in:\n{en}");
    }
    assert!(en.contains("30 menit left"), "{en}");
    // The JSON is the same in both.
    let (_, json_id, _) = run(plain(&env), &["status", "--format", "json"]);
    let json_en = env.ok(&["status", "--format", "json"]);
    assert_eq!(json_id, json_en);
    let rows: serde_json::Value = serde_json::from_str(&json_id).expect("JSON");
    assert_eq!(rows[0]["state"], "active", "{json_id}");
}

#[test]
fn an_import_row_error_in_both_languages() {
    let env = TestEnv::new();
    let csv = env.write(
        "data.csv",
        "nik;nama;aset\n6472010000123;KSP A;1,250,000\n647201;KSP B;\n",
    );
    let path = csv.to_str().unwrap();
    let (code, _, id) = run(plain(&env), &["import", path]);
    assert_eq!(code, Some(1));
    assert!(
        id.contains("data.csv:2: aset: \"1,250,000\": koma di antara kelompok 3 angka adalah pemisah ribuan gaya Inggris; tulis 1.250.000"),
        "{id}"
    );
    assert!(
        id.contains("data.csv:3: nik: NIK koperasi \"647201\" tidak sah: panjangnya 6 angka"),
        "{id}"
    );
    assert!(id.contains("petunjuk: tidak ada yang diimpor"), "{id}");
    let en = env.fails(&["import", path]);
    assert!(
        en.contains("data.csv:2: aset: \"1,250,000\": commas between groups of 3 digits are English thousands separators; write 1.250.000"),
        "{en}"
    );
    assert!(
        en.contains("data.csv:3: nik: invalid NIK koperasi \"647201\": it has 6 digits"),
        "{en}"
    );
    assert!(!env.data_dir().join("cases").exists(), "nothing imported");
}

/// The shipped SOP with the first `from` replaced by `to`.
fn shipped_with(replacements: &[(&str, &str)]) -> String {
    let mut text = include_str!("../sop/pemberdayaan-koperasi.toml").to_string();
    for (from, to) in replacements {
        assert!(text.contains(from), "{from:?} not in the shipped SOP");
        text = text.replacen(from, to, 1);
    }
    text
}

#[test]
fn sop_file_errors_in_both_languages() {
    let env = TestEnv::new();
    let missing = env.write("bad.toml", &shipped_with(&[("waktu = \"30 menit\"\n", "")]));
    let path = missing.to_str().unwrap();
    let (code, _, id) = run(plain(&env), &["sop", "validate", path]);
    assert_eq!(code, Some(1), "{id}");
    assert!(
        id.contains(&format!(
            "kesalahan: {path}:99:1: kunci `waktu` tidak ada; tambahkan waktu: standar waktu di dalam tanda kutip, mis. waktu = \"30 menit\""
        )),
        "{id}"
    );
    let en = env.fails(&["sop", "validate", path]);
    assert!(
        en.contains(&format!(
            "error: {path}:99:1: missing field `waktu`; add waktu: the time standard in quotes, e.g. waktu = \"30 menit\""
        )),
        "{en}"
    );

    // The rules of the form, each at its own line, all at once.
    let rules = env.write(
        "rules.toml",
        &shipped_with(&[
            (
                "pelaksana = [\"jfu\"]",
                "pelaksana = [\"jfu\", \"bendahara\"]",
            ),
            ("waktu = \"30 menit\"", "waktu = \"1,5 jam\""),
            ("ya = 3", "ya = 33"),
        ]),
    );
    let path = rules.to_str().unwrap();
    let (code, _, id) = run(plain(&env), &["sop", "validate", path]);
    assert_eq!(code, Some(1), "{id}");
    for text in [
        format!("{path}:102:21: langkah 1: pelaksana \"bendahara\" bukan peran yang dinyatakan; perannya: jfu, jf_pengawas, kepala_bidang, sekretaris, kepala_dinas"),
        format!("{path}:104:9: langkah 1: tidak dapat membaca waktu \"1,5 jam\": pecahan tidak diperbolehkan (bukan \"1,5 jam\" melainkan \"1 jam 30 menit\")"),
        format!("{path}:117:6: langkah 2: ya = 33 tidak menuju langkah mana pun; langkahnya: 1-10; gunakan salah satunya atau \"selesai\""),
    ] {
        assert!(id.contains(&text), "no {text:?} in:\n{id}");
    }
    let en = env.fails(&["sop", "validate", path]);
    for text in [
        format!("{path}:102:21: step 1: pelaksana \"bendahara\" is not a declared role; the roles are jfu, jf_pengawas"),
        format!("{path}:104:9: step 1: cannot read waktu \"1,5 jam\": fractions are not allowed"),
        format!("{path}:117:6: step 2: ya = 33 leads to no step; the steps are 1-10"),
    ] {
        assert!(en.contains(&text), "no {text:?} in:\n{en}");
    }

    // A TOML syntax error, in the words of the language.
    let syntax = env.write(
        "syntax.toml",
        &shipped_with(&[("pelaksana = [\"jfu\"]", "pelaksana = [\"jfu\"")]),
    );
    let path = syntax.to_str().unwrap();
    let (code, _, id) = run(plain(&env), &["sop", "validate", path]);
    assert_eq!(code, Some(1), "{id}");
    assert!(
        id.contains(&format!(
            "{path}:103:1: tidak ada koma di antara anggota daftar; diharapkan `,`"
        )),
        "{id}"
    );
    let en = env.fails(&["sop", "validate", path]);
    assert!(
        en.contains(&format!(
            "{path}:103:1: missing comma between array elements, expected `,`"
        )),
        "{en}"
    );
}

#[test]
fn calendar_config_and_time_errors_in_indonesian() {
    let env = TestEnv::new();
    let calendar = env.write(
        "kalender.toml",
        "nama = \"Uji\"\ntahun = [2026]\n[jam_kerja]\nsenin = [\"12:00-07:30\"]\n",
    );
    let path = calendar.to_str().unwrap();
    let (code, _, id) = run(plain(&env), &["--calendar", path, "status"]);
    assert_eq!(code, Some(1), "{id}");
    assert!(
        id.contains(&format!("{path}:4:10: jam_kerja.senin: rentang \"12:00-07:30\" berakhir sebelum dimulai; tulis sebagai \"07:30-12:00\"")),
        "{id}"
    );
    let en = env.fails(&["--calendar", path, "status"]);
    assert!(
        en.contains("jam_kerja.senin: period \"12:00-07:30\" ends before it starts"),
        "{en}"
    );

    let config = env.write(
        "profil.toml",
        "[petugas]\nnama = \"Siti\"\nperan_ku = \"jfu\"\n",
    );
    let path = config.to_str().unwrap();
    let (code, _, id) = run(plain(&env), &["--config", path, "config", "show"]);
    assert_eq!(code, Some(1), "{id}");
    assert!(
        id.contains(&format!("{path}:3:1: kunci `peran_ku` tidak dikenal; kunci yang diperbolehkan di sini: `nama`, `nip`, `peran`")),
        "{id}"
    );

    let args = [
        "open",
        "--nik",
        "6472010000123",
        "--nama",
        "KSP A",
        "--at",
        "07/12/2026 08:00",
    ];
    let (code, _, id) = run(plain(&env), &args);
    assert_eq!(code, Some(1), "{id}");
    assert!(
        id.contains("tanggal dengan '/' bermakna ganda (hari/bulan atau bulan/hari); tulis tahunnya lebih dahulu"),
        "{id}"
    );
    assert!(!env.data_dir().exists(), "nothing was written");
}

#[test]
fn the_html_report_in_both_languages() {
    let mut env = TestEnv::new();
    env.now = "2026-12-07T10:00:00+08:00".to_string();
    env.open("6472010000123", "KSP A", "2026-12-07 08:00");
    env.ok(&[
        "advance",
        "2026-0001",
        "--role",
        "jfu",
        "--at",
        "2026-12-07 08:20",
    ]);
    let page = env.path("laporan.html");
    let (code, _, err) = run(plain(&env), &["report", "--html", page.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let id = std::fs::read_to_string(&page).expect("page written");
    for text in [
        r#"<html lang="id">"#,
        "<title>Laporan SOP 000.8.3.3 / 380 / 100.14 (2026-01-01 – 2026-12-07)</title>",
        "<h1>Laporan Pelaksanaan SOP</h1>",
        "<th>Periode</th>",
        "<h2>Ringkasan</h2>",
        r#"<tr><th>Kasus yang dibuka dalam periode</th><td id="cases-opened">1</td></tr>"#,
        "<h2>Langkah</h2>",
        "<th>Uraian prosedur</th>",
        "<th>Tepat waktu</th>",
        "<h2>Waktu yang dipakai terhadap standar</h2>",
        "<b>Langkah 1</b> · waktu 30 menit · 1 selesai",
        "tidak ada yang diselesaikan",
        "<h2>Peran</h2>",
        "1 hari sama dengan 450 menit kerja",
    ] {
        assert!(id.contains(text), "no {text:?} in:\n{id}");
    }
    for english in [
        "SOP execution report",
        "Summary",
        "Roles",
        "completed",
        "On time",
    ] {
        assert!(!id.contains(english), "{english:?} in the Indonesian page");
    }

    env.ok(&["report", "--html", page.to_str().unwrap()]);
    let en = std::fs::read_to_string(&page).expect("page written");
    for text in [
        r#"<html lang="en">"#,
        "<h1>SOP execution report</h1>",
        "<h2>Summary</h2>",
        r#"<tr><th>Cases opened in the period</th><td id="cases-opened">1</td></tr>"#,
        "<b>Step 1</b> · waktu 30 menit · 1 completed",
        "<h2>Roles</h2>",
    ] {
        assert!(en.contains(text), "no {text:?} in:\n{en}");
    }
}
