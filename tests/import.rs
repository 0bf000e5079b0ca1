//! `import` and `rekap`: data keragaan from files into cases, and the
//! recap over them.

mod common;

use std::path::PathBuf;

use common::TestEnv;
use serde_json::Value;

fn sample(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/data")
        .join(name)
        .display()
        .to_string()
}

const SMALL_CSV: &str = "\u{feff}NIK Koperasi;Nama Koperasi;Kecamatan;Sektor Usaha;Jumlah Anggota Pria;Jumlah Anggota Wanita;Status Koperasi;Modal Sendiri;Modal Luar;Aset;Volume Usaha;SHU;Catatan Petugas
6472010000101;KSP Tepian Makmur;Samarinda Ulu;Jasa Keuangan;40;35;Aktif;Rp 150.000.000;Rp 100.000.000;Rp 250.000.000;1.000.000.000;Rp 12.500.000;lengkap
6472.0200.00102;KSU Mahakam;Palaran;Perdagangan;22;3;Tidak Aktif;90.000.000;0;90.000.000;45.000.000;-4.000.000;
6472030000103;Koperasi Nelayan;Palaran;Perikanan;70;8;aktif;1.250.000,50;Rp 0;1.250.000,50;500.000;0;
";

fn import_json(env: &TestEnv, args: &[&str]) -> (Option<i32>, Value) {
    let out = env
        .cmd()
        .arg("import")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), v)
}

#[test]
fn each_format_opens_a_case_per_cooperative_and_a_second_import_changes_nothing() {
    let env = TestEnv::new();
    let csv = sample("koperasi-samarinda.csv");
    let jsonl = sample("koperasi-samarinda.jsonl");
    let (code, v) = import_json(&env, &[&csv]);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["created"], 40);
    assert_eq!(v["rejected"], 0);
    let (code, v) = import_json(&env, &[&jsonl]);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["created"], 20);

    // A JSON array, from standard input.
    let lines = std::fs::read_to_string(&jsonl).unwrap();
    let array = format!("[\n{}\n]\n", lines.lines().collect::<Vec<_>>().join(",\n"));
    let out = env
        .cmd()
        .args(["import", "-", "--input-format", "json", "--format", "json"])
        .write_stdin(array)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["created"].as_u64(), v["unchanged"].as_u64()),
        (Some(0), Some(20))
    );

    let before = env.snapshot();
    let (code, v) = import_json(&env, &[&csv, &jsonl]);
    assert_eq!(code, Some(0));
    assert_eq!(
        (&v["created"], &v["updated"], &v["unchanged"]),
        (&Value::from(0), &Value::from(0), &Value::from(60))
    );
    assert_eq!(env.snapshot(), before, "a second import writes nothing");

    let rows = env.json(&["status"]);
    assert_eq!(rows.as_array().unwrap().len(), 60);
    assert!(rows.as_array().unwrap().iter().all(|r| r["step"] == 1));
    // The extra column is kept in the case, under its own header.
    let kept = rows.as_array().unwrap().iter().any(|r| {
        let shown = env.json(&["show", r["id"].as_str().unwrap()]);
        shown["keragaan"]["extra"]["Catatan Petugas"].is_string()
    });
    assert!(kept, "no case kept the Catatan Petugas column");
}

#[test]
fn an_update_to_an_active_case_is_recorded_in_its_history() {
    let env = TestEnv::new();
    let first = env.write("a.csv", SMALL_CSV);
    let (_, v) = import_json(&env, &[first.to_str().unwrap()]);
    assert_eq!(v["created"], 3);
    let id = v["created_ids"][0].as_str().unwrap().to_string();
    env.ok(&["advance", &id, "--role", "jfu"]);

    let changed = SMALL_CSV.replace(
        "Rp 250.000.000;1.000.000.000",
        "Rp 275.000.000;1.100.000.000",
    );
    let second = env.write("b.csv", &changed);
    let (code, v) = import_json(&env, &[second.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert_eq!(
        (
            v["created"].as_u64(),
            v["updated"].as_u64(),
            v["unchanged"].as_u64()
        ),
        (Some(0), Some(1), Some(2))
    );

    let shown = env.json(&["show", &id]);
    assert_eq!(shown["keragaan"]["aset"], 275_000_000);
    assert_eq!(shown["keragaan"]["volume_usaha"], 1_100_000_000);
    let updates = shown["keragaan_updates"].as_array().unwrap();
    assert_eq!(updates.len(), 2);
    assert_eq!(
        updates[1]["changed"],
        serde_json::json!(["aset", "volume_usaha"])
    );
    assert!(updates[1]["source"].as_str().unwrap().ends_with("b.csv:2"));
    // The case keeps its step: an update does not move it.
    assert_eq!(shown["step"], 2);
    let table = env.ok(&["show", &id]);
    assert!(table.contains("aset, volume_usaha"), "{table}");
    let out = env.ok(&["verify"]);
    assert!(out.contains("3 case(s) verified, 0 broken"), "{out}");
}

#[test]
fn every_bad_row_is_named_with_file_line_and_column_and_nothing_is_written() {
    let env = TestEnv::new();
    env.open("6472099999999", "Koperasi Lama", "2026-12-07 07:30");
    let before = env.snapshot();
    let salah = sample("koperasi-salah.csv");
    let out = env.cmd().args(["import", &salah]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    for (line, what) in [
        (3, "NIK Koperasi: empty"),
        (4, "Nama Koperasi: empty"),
        (5, "16 digits, like a population NIK"),
        (6, "Aset: \"1,250,000\""),
        (7, "Tanggal RAT Terakhir: \"31/02/2026\": no such date"),
        (8, "Jumlah Anggota Pria: \"12,5\""),
        (9, "8 fields, but the header has 9 columns"),
        (11, "already given at line 10 with different data"),
    ] {
        let needle = format!("koperasi-salah.csv:{line}: ");
        let found = err
            .lines()
            .find(|l| l.contains(&needle))
            .unwrap_or_else(|| panic!("line {line} not named:\n{err}"));
        assert!(
            found.contains(what),
            "line {line}: expected {what:?} in {found:?}"
        );
    }
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(env.snapshot(), before, "a refused import writes nothing");

    // Invalid UTF-8 is named with its line too.
    let bytes = b"nik,nama\n6472010000101,Koperasi \xff\xfe\n".to_vec();
    let path = env.path("latin1.csv");
    std::fs::write(&path, bytes).unwrap();
    let err = env.fails(&["import", path.to_str().unwrap()]);
    assert!(err.contains("latin1.csv:2: "), "{err}");
    assert!(err.to_lowercase().contains("utf-8"), "{err}");
    assert_eq!(env.snapshot(), before);

    // An unknown extension, and stdin without a format.
    let odd = env.write("data.txt", "nik,nama\n");
    let err = env.fails(&["import", odd.to_str().unwrap()]);
    assert!(err.contains("cannot tell the format"), "{err}");
    let err = env.fails(&["import", "-"]);
    assert!(err.contains("--input-format"), "{err}");
    let err = env.fails(&["import", "tidak-ada.csv"]);
    assert!(err.contains("tidak-ada.csv"), "{err}");
}

#[test]
fn skip_invalid_imports_the_good_rows_and_still_fails() {
    let env = TestEnv::new();
    let salah = sample("koperasi-salah.csv");
    let (code, v) = import_json(&env, &[&salah, "--skip-invalid"]);
    assert_eq!(code, Some(1));
    // Line 2 (and its identical repeat on line 13), line 10 and line 12.
    assert_eq!(v["created"], 3, "{v}");
    assert_eq!(v["rejected"], 8);
    assert_eq!(v["errors"].as_array().unwrap().len(), 8);
    assert_eq!(v["errors"][0]["line"], 3);
    assert_eq!(v["errors"][0]["column"], "NIK Koperasi");
    let rows = env.json(&["status"]);
    assert_eq!(rows.as_array().unwrap().len(), 3);
}

#[test]
fn a_dry_run_reports_and_writes_nothing() {
    let env = TestEnv::new();
    let csv = env.write("a.csv", SMALL_CSV);
    let (code, v) = import_json(&env, &[csv.to_str().unwrap(), "--dry-run"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        (v["dry_run"].as_bool(), v["created"].as_u64()),
        (Some(true), Some(3))
    );
    assert!(!env.data_dir().join("cases").exists() || env.snapshot().is_empty());
    let out = env.ok(&["import", csv.to_str().unwrap(), "--dry-run"]);
    assert!(
        out.contains("dry run, nothing written: would create 3"),
        "{out}"
    );
    let (_, v) = import_json(&env, &[csv.to_str().unwrap()]);
    assert_eq!(v["created"], 3);
}

#[test]
fn the_recap_sums_each_group() {
    let env = TestEnv::new();
    let csv = env.write("a.csv", SMALL_CSV);
    env.ok(&["import", csv.to_str().unwrap()]);

    let v = env.json(&["rekap", "--by", "kecamatan"]);
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    let palaran = &groups[0];
    assert_eq!(palaran["group"], "Palaran");
    assert_eq!(palaran["count"], 2);
    assert_eq!(palaran["active"], 1);
    assert_eq!(palaran["anggota_pria"], 22 + 70);
    assert_eq!(palaran["anggota_wanita"], 3 + 8);
    assert_eq!(palaran["anggota_total"], 22 + 3 + 70 + 8);
    // 1.250.000,50 is rounded to whole rupiah, half away from zero.
    assert_eq!(palaran["modal_sendiri"], 90_000_000 + 1_250_001);
    assert_eq!(palaran["aset"], 90_000_000 + 1_250_001);
    assert_eq!(palaran["volume_usaha"], 45_000_000 + 500_000);
    assert_eq!(palaran["shu"], -4_000_000);
    let total = &v["total"];
    assert_eq!(total["count"], 3);
    assert_eq!(total["modal_luar"], 100_000_000);
    assert_eq!(total["aset"], 250_000_000 + 90_000_000 + 1_250_001);
    assert_eq!(total["shu"], 12_500_000 - 4_000_000);

    let table = env.ok(&["rekap", "--by", "kecamatan"]);
    assert!(table.contains("Rp 341.250.001"), "{table}");
    assert!(table.contains("-Rp 4.000.000"), "{table}");
    let csv_out = env.ok(&["rekap", "--by", "sektor", "--format", "csv"]);
    let mut lines = csv_out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "group,count,active,anggota_pria,anggota_wanita,anggota_total,modal_sendiri,modal_luar,aset,volume_usaha,shu"
    );
    assert!(
        csv_out.contains(
            "Jasa Keuangan,1,1,40,35,75,150000000,100000000,250000000,1000000000,12500000"
        ),
        "{csv_out}"
    );
}

#[test]
fn the_recap_of_the_sample_matches_sums_computed_here() {
    let env = TestEnv::new();
    let jsonl = sample("koperasi-samarinda.jsonl");
    env.ok(&["import", &jsonl]);
    let text = std::fs::read_to_string(&jsonl).unwrap();
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let sum = |field: &str| -> i64 { records.iter().map(|r| r[field].as_i64().unwrap_or(0)).sum() };
    let v = env.json(&["rekap", "--by", "jenis"]);
    for field in [
        "modal_sendiri",
        "modal_luar",
        "aset",
        "volume_usaha",
        "shu",
        "anggota_pria",
        "anggota_wanita",
    ] {
        assert_eq!(v["total"][field].as_i64().unwrap(), sum(field), "{field}");
    }
    let active = records.iter().filter(|r| r["status_aktif"] == true).count();
    assert_eq!(v["total"]["active"].as_u64().unwrap() as usize, active);
    assert_eq!(
        v["total"]["count"].as_u64().unwrap() as usize,
        records.len()
    );
}

#[test]
fn an_import_into_a_data_directory_without_an_index_builds_one() {
    let env = TestEnv::new();
    let id = env.open("6472099999999", "Koperasi Lama", "2026-12-07 07:30");
    std::fs::remove_file(env.data_dir().join("index")).unwrap();
    let csv = env.write("a.csv", SMALL_CSV);
    let (code, v) = import_json(&env, &[csv.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["created"], 3);
    let rows = env.json(&["status"]);
    assert_eq!(rows.as_array().unwrap().len(), 4, "{rows}");
    assert!(rows.to_string().contains(&id));
}
