//! `sop show`, `sop validate`, and SOP and calendar files that break a rule.

mod common;

use common::TestEnv;

const SHIPPED: &str = include_str!("../sop/pemberdayaan-koperasi.toml");
const CALENDAR: &str = include_str!("../sop/kalender-samarinda.toml");

/// The shipped SOP with line `line` (1-based) replaced by `with`.
fn shipped_with(line: usize, from: &str, to: &str) -> String {
    let mut lines: Vec<String> = SHIPPED.lines().map(String::from).collect();
    let target = &mut lines[line - 1];
    assert!(
        target.contains(from),
        "line {line} is {target:?}, not {from:?}"
    );
    *target = target.replace(from, to);
    lines.join("\n") + "\n"
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.trim() == needle)
        .expect("line in shipped SOP")
        + 1
}

/// `sop validate FILE` fails with `FILE:LINE:` and `message`, and so does
/// any command loading it with --sop, before touching the data directory.
fn rejected(env: &TestEnv, text: &str, line: usize, message: &str) {
    let file = env.write("bad-sop.toml", text);
    let err = env.fails(&["sop", "validate", file.to_str().unwrap()]);
    let place = format!("{}:{line}:", file.display());
    assert!(err.contains(&place), "expected {place:?} in:\n{err}");
    assert!(err.contains(message), "expected {message:?} in:\n{err}");
    let err = env.fails(&[
        "--sop",
        file.to_str().unwrap(),
        "open",
        "--nik",
        "6472010000123",
        "--nama",
        "A",
    ]);
    assert!(err.contains(&place), "{err}");
    assert!(!env.data_dir().exists(), "a broken SOP wrote nothing");
}

#[test]
fn the_shipped_sop_is_valid() {
    let env = TestEnv::new();
    let out = env.ok(&["sop", "validate"]);
    assert!(out.contains("valid"), "{out}");
    assert!(out.contains("10 steps, 5 roles"), "{out}");
    let file = env.write("copy.toml", SHIPPED);
    let v = env.json(&["sop", "validate", file.to_str().unwrap()]);
    assert_eq!(v["valid"], true);
}

#[test]
fn sop_show_prints_the_card_with_all_ten_steps() {
    let env = TestEnv::new();
    let card = env.json(&["sop", "show"]);
    let steps = card["prosedur"].as_array().unwrap();
    assert_eq!(steps.len(), 10);
    assert_eq!(card["identitas"]["nomor"], "000.8.3.3 / 380 / 100.14");
    assert_eq!(
        card["identitas"]["disahkan_oleh"]["nip"],
        "197110301994031002"
    );
    assert_eq!(card["identitas"]["tanggal_revisi"], serde_json::Value::Null);
    assert_eq!(card["pelaksana"].as_array().unwrap().len(), 5);
    assert_eq!(
        steps[1]["keputusan"],
        serde_json::json!({"ya": 3, "tidak": 1})
    );
    assert_eq!(
        steps[4]["pelaksana"],
        serde_json::json!(["kepala_bidang", "sekretaris", "kepala_dinas"])
    );
    assert_eq!(steps[5]["waktu"], "2 hari");
    assert_eq!(steps[5]["waktu_minutes"], 900);
    assert_eq!(steps[9]["lanjut"], "selesai");

    let table = env.ok(&["sop", "show"]);
    for step in steps {
        let uraian = step["uraian"].as_str().unwrap();
        assert!(
            table.contains(uraian),
            "table lacks step {}: {uraian}",
            step["no"]
        );
    }
    for text in [
        "JUSMARAMDHANA ALUS",
        "Dasar hukum",
        "Peringatan",
        "kepala_dinas",
        "YA → 3",
        "TIDAK → 1",
    ] {
        assert!(table.contains(text), "table lacks {text:?}");
    }
}

#[test]
fn a_duplicate_step_number_is_refused() {
    let env = TestEnv::new();
    let line = line_of(SHIPPED, "no = 3");
    rejected(
        &env,
        &shipped_with(line, "no = 3", "no = 2"),
        line,
        "step number 2 is used twice",
    );
}

#[test]
fn a_branch_to_a_missing_step_is_refused() {
    let env = TestEnv::new();
    let line = line_of(SHIPPED, "tidak = 1");
    rejected(
        &env,
        &shipped_with(line, "tidak = 1", "tidak = 11"),
        line,
        "tidak = 11 leads to no step",
    );
}

#[test]
fn a_decision_without_both_branches_is_refused() {
    let env = TestEnv::new();
    let line = line_of(SHIPPED, "tidak = 1");
    let text = shipped_with(line, "tidak = 1", "");
    let table = line_of(SHIPPED, "[prosedur.keputusan]");
    rejected(&env, &text, table, "keputusan needs both ya and tidak");
}

#[test]
fn an_undeclared_actor_is_refused() {
    let env = TestEnv::new();
    let line = line_of(SHIPPED, "pelaksana = [\"jfu\"]");
    rejected(
        &env,
        &shipped_with(line, "\"jfu\"", "\"jfx\""),
        line,
        "pelaksana \"jfx\" is not a declared role",
    );
}

#[test]
fn an_unreadable_waktu_is_refused() {
    let env = TestEnv::new();
    let line = line_of(SHIPPED, "waktu = \"10 menit\"");
    rejected(
        &env,
        &shipped_with(line, "10 menit", "sepuluh menit"),
        line,
        "cannot read waktu \"sepuluh menit\"",
    );
}

#[test]
fn an_unreachable_step_is_refused() {
    let env = TestEnv::new();
    let line = line_of(SHIPPED, "ya = 3");
    let text = shipped_with(line, "ya = 3", "ya = 4");
    let step3 = line_of(SHIPPED, "no = 3") - 1; // its [[prosedur]] header
    rejected(
        &env,
        &text,
        step3,
        "step 3 cannot be reached from the first step",
    );
}

#[test]
fn a_loop_with_no_way_to_the_end_is_refused() {
    let env = TestEnv::new();
    let line = line_of(SHIPPED, "lanjut = \"selesai\"");
    let text = shipped_with(line, "\"selesai\"", "9");
    let step9 = line_of(SHIPPED, "no = 9") - 1;
    rejected(&env, &text, step9, "loop with no way to selesai");
}

#[test]
fn a_toml_syntax_error_names_line_and_column() {
    let env = TestEnv::new();
    let line = line_of(SHIPPED, "waktu = \"10 menit\"");
    let text = shipped_with(line, "10 menit\"", "10 menit");
    rejected(&env, &text, line, "invalid basic string");
}

#[test]
fn a_missing_sop_file_says_which() {
    let env = TestEnv::new();
    let err = env.fails(&["--sop", "/nonexistent/sop.toml", "status"]);
    assert!(
        err.contains("cannot read SOP file /nonexistent/sop.toml"),
        "{err}"
    );
    assert!(
        err.contains("hint: check the path given with --sop"),
        "{err}"
    );
}

#[test]
fn another_calendar_can_be_given_and_a_broken_one_is_refused() {
    let mut env = TestEnv::new();
    env.now = "2026-12-07T13:00:00+08:00".into();
    // A calendar where Monday works 08:00-16:00 without a break.
    let text = CALENDAR.replace(
        "senin  = [\"07:30-12:00\", \"13:00-16:00\"]",
        "senin  = [\"08:00-16:00\"]",
    );
    assert_ne!(text, CALENDAR);
    let file = env.write("kalender.toml", &text);
    env.open("6472010000123", "Koperasi A", "2026-12-07 11:45");
    let rows = env.json(&["--calendar", file.to_str().unwrap(), "status"]);
    assert_eq!(rows[0]["due_at"], "2026-12-07T12:15:00+08:00");

    let broken = CALENDAR.replace("\"13:00-16:00\"]", "\"16:00-13:00\"]");
    let line = line_of(&broken, "senin  = [\"07:30-12:00\", \"16:00-13:00\"]");
    let file = env.write("kalender-rusak.toml", &broken);
    let err = env.fails(&["--calendar", file.to_str().unwrap(), "status"]);
    assert!(
        err.contains(&format!("{}:{line}:", file.display())),
        "{err}"
    );
    assert!(err.contains("16:00-13:00"), "{err}");
}

#[test]
fn a_case_keeps_the_sop_it_was_opened_under() {
    let env = TestEnv::new();
    let old = env.open("6472010000123", "Koperasi Lama", "2026-12-07 07:30");
    // A revised SOP where step 1 takes 1 jam.
    let line = line_of(SHIPPED, "waktu = \"30 menit\"");
    let revised = shipped_with(line, "30 menit", "1 jam")
        .replace("tanggal_revisi = \"-\"", "tanggal_revisi = 2026-11-01");
    let file = env.write("revisi.toml", &revised);
    let sop = file.to_str().unwrap();
    let new = env.json(&[
        "--sop",
        sop,
        "open",
        "--nik",
        "6472010000124",
        "--nama",
        "Koperasi Baru",
        "--at",
        "2026-12-07 07:30",
    ]);
    let rows = env.json(&["--sop", sop, "status"]);
    let due = |id: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["due_at"]
            .clone()
    };
    assert_eq!(
        due(&old),
        "2026-12-07T08:00:00+08:00",
        "the old case keeps 30 menit"
    );
    assert_eq!(
        due(new["id"].as_str().unwrap()),
        "2026-12-07T08:30:00+08:00"
    );
    let shown = env.json(&["show", new["id"].as_str().unwrap()]);
    assert_eq!(shown["sop"]["versi"], "2026-11-01");

    // Without the kept copy of its SOP, the case says what is missing.
    let kept = std::fs::read_dir(env.data_dir().join("sop")).unwrap();
    for entry in kept {
        let path = entry.unwrap().path();
        if std::fs::read_to_string(&path).unwrap().contains("1 jam") {
            std::fs::remove_file(path).unwrap();
        }
    }
    let err = env.fails(&["show", new["id"].as_str().unwrap()]);
    assert!(
        err.contains("was opened under SOP 000.8.3.3 / 380 / 100.14 versi 2026-11-01"),
        "{err}"
    );
    assert!(err.contains("is missing"), "{err}");
}
