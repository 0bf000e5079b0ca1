//! A case from step 1 to done, and every refusal of `advance` and `open`.

mod common;

use common::TestEnv;
use serde_json::Value;

const NIK: &str = "6472010000123";

fn env_at(now: &str) -> TestEnv {
    let mut env = TestEnv::new();
    env.now = now.to_string();
    env
}

fn advance(env: &TestEnv, id: &str, role: &str, at: &str, extra: &[&str]) -> Value {
    let mut args = vec!["advance", id, "--role", role, "--at", at];
    args.extend(extra);
    env.json(&args)
}

#[test]
fn a_case_runs_from_step_1_to_done_through_a_tidak_return() {
    let env = env_at("2026-12-18T16:00:00+08:00");
    let id = env.open(NIK, "Koperasi Maju Bersama", "2026-12-07 08:00");
    assert_eq!(id, "2026-0001");

    let a = "2026-12-07 ";
    advance(
        &env,
        &id,
        "jfu",
        &format!("{a}08:20"),
        &["--officer", "Siti"],
    );
    let back = advance(
        &env,
        &id,
        "kepala_bidang",
        &format!("{a}08:25"),
        &["--decision", "tidak", "--note", "rekap sektor belum ada"],
    );
    assert_eq!(
        back["step"], 1,
        "TIDAK at step 2 returns the file to step 1"
    );
    assert_eq!(back["roles"], serde_json::json!(["jfu"]));
    advance(&env, &id, "jfu", &format!("{a}08:40"), &[]);
    let yes = advance(
        &env,
        &id,
        "kepala_bidang",
        &format!("{a}08:45"),
        &["--decision", "ya"],
    );
    assert_eq!(yes["step"], 3);
    advance(&env, &id, "jf_pengawas", &format!("{a}09:10"), &[]);
    advance(&env, &id, "jf_pengawas", &format!("{a}09:30"), &[]);
    // Step 5 may be completed by any of its three actors.
    let six = advance(&env, &id, "sekretaris", &format!("{a}09:34"), &[]);
    assert_eq!(six["step"], 6);
    assert_eq!(
        six["due_at"], "2026-12-09T09:34:00+08:00",
        "2 hari = two working days"
    );
    advance(&env, &id, "jf_pengawas", "2026-12-09 09:00", &[]);
    advance(&env, &id, "jf_pengawas", "2026-12-10 09:00", &[]);
    advance(&env, &id, "kepala_bidang", "2026-12-11 09:00", &[]);
    advance(&env, &id, "kepala_bidang", "2026-12-14 08:00", &[]);
    let done = advance(&env, &id, "jfu", "2026-12-14 08:20", &[]);
    assert_eq!(done["state"], "done");
    assert_eq!(done["step"], Value::Null);
    assert_eq!(done["due_at"], Value::Null);

    let shown = env.json(&["show", &id]);
    assert_eq!(shown["id"], id);
    assert_eq!(shown["nik"], NIK);
    assert_eq!(shown["nama"], "Koperasi Maju Bersama");
    assert_eq!(shown["state"], "done");
    assert_eq!(shown["step"], Value::Null);
    let history = shown["history"].as_array().expect("history");
    let steps: Vec<u64> = history
        .iter()
        .map(|p| p["step"].as_u64().unwrap())
        .collect();
    assert_eq!(steps, [1, 2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert_eq!(history[0]["officer"], "Siti");
    assert_eq!(history[0]["role"], "jfu");
    assert_eq!(history[0]["started_at"], "2026-12-07T08:00:00+08:00");
    assert_eq!(history[0]["completed_at"], "2026-12-07T08:20:00+08:00");
    assert_eq!(history[0]["due_at"], "2026-12-07T08:30:00+08:00");
    assert_eq!(history[0]["late"], false);
    assert_eq!(history[1]["decision"], "tidak");
    assert_eq!(history[1]["note"], "rekap sektor belum ada");
    assert_eq!(history[3]["decision"], "ya");
    assert_eq!(history[2]["decision"], Value::Null);
    assert_eq!(history[6]["role"], "sekretaris");
    // Step 9 (1 hari) started Fri 09:00 and ended Mon 08:00: 6.5 working hours, on time.
    assert_eq!(history[10]["late"], false);
    assert_eq!(history[10]["taken_minutes"], 390);

    let active = env.json(&["status"]);
    assert_eq!(active, serde_json::json!([]), "a done case is not active");
    let all = env.json(&["status", "--all"]);
    assert_eq!(all[0]["state"], "done");
    assert_eq!(all[0]["overdue"], false);
    assert_eq!(all[0]["roles"], serde_json::json!([]));
}

#[test]
fn open_prints_the_id_and_ids_count_up_per_year() {
    let env = env_at("2027-01-04T08:00:00+08:00");
    let out = env.ok(&[
        "open",
        "--nik",
        NIK,
        "--nama",
        "Koperasi A",
        "--at",
        "2026-12-07 08:00",
    ]);
    assert_eq!(out, "2026-0001\n");
    assert_eq!(
        env.open("6472010000124", "Koperasi B", "2026-12-08 08:00"),
        "2026-0002"
    );
    assert_eq!(
        env.open("6472010000125", "Koperasi C", "2027-01-04 08:00"),
        "2027-0001"
    );
    let file = env.data_dir().join("cases/2026-0002.json");
    let case: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    assert_eq!(case["id"], "2026-0002");
    assert_eq!(case["schema"], 2);
    assert_eq!(case["koperasi"]["nama"], "Koperasi B");
    assert_eq!(case["sop"]["nomor"], "000.8.3.3 / 380 / 100.14");
    assert_eq!(case["sop"]["versi"], "2026-05-04");
    assert_eq!(case["state"], "active");
    assert_eq!(case["step"], 1);
}

#[test]
fn nik_separators_are_ignored_and_bad_niks_refused() {
    let env = TestEnv::new();
    let id = env.open("6472 0100 00123", "Koperasi Titik", "2026-12-07 08:00");
    assert_eq!(env.json(&["show", &id])["nik"], NIK);
    let before = env.snapshot();
    let err = env.fails(&["open", "--nik", "64720100001", "--nama", "X"]);
    assert!(
        err.contains("invalid NIK koperasi \"64720100001\": it has 11 digits"),
        "{err}"
    );
    let err = env.fails(&["open", "--nik", "6472010000123456", "--nama", "X"]);
    assert!(err.contains("16 digits, like a population NIK"), "{err}");
    let err = env.fails(&["open", "--nik", NIK, "--nama", "  "]);
    assert!(err.contains("--nama is empty"), "{err}");
    let err = env.fails(&[
        "open",
        "--nik",
        NIK,
        "--nama",
        "X",
        "--at",
        "2026-12-07 09:00",
    ]);
    assert!(err.contains("later than now"), "{err}");
    assert_eq!(env.snapshot(), before, "a refused open writes nothing");
}

/// Asserts the command fails with 1, says `needle`, and leaves the data as it was.
fn refused(env: &TestEnv, args: &[&str], needle: &str) {
    let before = env.snapshot();
    let err = env.fails(args);
    assert!(err.contains(needle), "expected {needle:?} in:\n{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert_eq!(
        env.snapshot(),
        before,
        "{args:?} changed the data directory"
    );
}

#[test]
fn advance_refusals_say_why_and_write_nothing() {
    let env = TestEnv::new(); // now: Mon 2026-12-07 08:00
    let id = env.open(NIK, "Koperasi Sejahtera", "2026-12-07 07:30");

    refused(
        &env,
        &["advance", &id, "--role", "kepala_bidang"],
        "role \"kepala_bidang\" may not complete step 1 of case 2026-0001; step 1 is for: jfu",
    );
    refused(
        &env,
        &["advance", &id, "--role", "kepala_bidang"],
        "hint: see who holds case 2026-0001 now with `koperasi-sop show 2026-0001`",
    );
    refused(
        &env,
        &["advance", &id, "--role", "bupati"],
        "role \"bupati\" is not a role of this SOP",
    );
    refused(
        &env,
        &["advance", &id, "--role", "jfu", "--decision", "ya"],
        "step 1 of case 2026-0001 is not a decision; leave out --decision",
    );
    refused(
        &env,
        &["advance", &id, "--role", "jfu", "--at", "2026-12-07 07:00"],
        "is before step 1 of case 2026-0001 started",
    );
    refused(
        &env,
        &["advance", &id, "--role", "jfu", "--at", "2026-12-07 09:00"],
        "the time 2026-12-07 09:00 +08:00 is later than now (2026-12-07 08:00 +08:00)",
    );
    refused(
        &env,
        &["advance", &id, "--role", "jfu", "--at", "2026-12-07 09:00"],
        "hint: leave out --at to record the current time",
    );
    refused(
        &env,
        &["advance", "2026-0099", "--role", "jfu"],
        "no case 2026-0099",
    );
    refused(
        &env,
        &["advance", "../2026-0001", "--role", "jfu"],
        "malformed case id \"../2026-0001\"",
    );
    refused(
        &env,
        &["advance", "2026-1", "--role", "jfu"],
        "malformed case id",
    );
    refused(
        &env,
        &["advance", "2026-0099", "--role", "jfu"],
        "hint: list the cases with `koperasi-sop status --all`",
    );
    refused(
        &env,
        &["advance", &id, "--role", "jfu", "--at", "besok"],
        "cannot read time \"besok\"",
    );

    env.ok(&["advance", &id, "--role", "jfu", "--at", "2026-12-07 07:40"]);
    refused(
        &env,
        &["advance", &id, "--role", "kepala_bidang"],
        "step 2 of case 2026-0001 is a decision (YA/TIDAK): give --decision ya or --decision tidak",
    );
    let out = env
        .cmd()
        .args([
            "advance",
            &id,
            "--role",
            "kepala_bidang",
            "--decision",
            "mungkin",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "clap rejects an unknown decision as usage"
    );

    // Run the case to its end, then try once more.
    env.run_to_end(&id, 2, |_| None);
    refused(
        &env,
        &["advance", &id, "--role", "jfu"],
        "case 2026-0001 is already done",
    );
    refused(
        &env,
        &["advance", &id, "--role", "jfu"],
        "hint: see its history with `koperasi-sop show 2026-0001`",
    );
}

#[test]
fn a_bad_now_is_refused_with_the_accepted_forms() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["status", "--now", "next monday"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("invalid --now"), "{err}");
    assert!(
        err.contains("2026-12-07T08:00:00+08:00") && err.contains("2026-12-07 08:00"),
        "{err}"
    );
}

#[test]
fn global_options_work_after_the_subcommand() {
    let env = TestEnv::new();
    let id = env.open(NIK, "Koperasi A", "2026-12-07 07:30");
    let other = env.path("other-data");
    let out = env
        .cmd()
        .args(["status", "--data-dir"])
        .arg(&other)
        .args(["--format", "json", "--now", "2026-12-07 09:00"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        "[]",
        "another data dir is empty"
    );
    let rows = env.json(&["status", "--now", "2026-12-07 09:00"]);
    assert_eq!(rows[0]["id"], id.as_str());
    assert_eq!(rows[0]["overdue"], true);
}

#[test]
fn case_files_and_directories_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    env.open(NIK, "Koperasi A", "2026-12-07 07:30");
    let mode = |p: std::path::PathBuf| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(env.data_dir()), 0o700);
    assert_eq!(mode(env.data_dir().join("cases")), 0o700);
    assert_eq!(mode(env.data_dir().join("cases/2026-0001.json")), 0o600);
}

#[test]
fn tables_for_people_say_what_happened() {
    let env = env_at("2026-12-07T10:00:00+08:00");
    let id = env.open(NIK, "Koperasi Maju Bersama", "2026-12-07 08:00");
    let out = env.ok(&["advance", &id, "--role", "jfu", "--at", "2026-12-07 08:20"]);
    assert_eq!(
        out,
        "2026-0001: step 1 done by jfu; step 2 (kepala_bidang) started 2026-12-07 08:20, due 2026-12-07 08:30\n"
    );
    let out = env.ok(&[
        "advance",
        &id,
        "--role",
        "kepala_bidang",
        "--decision",
        "tidak",
        "--at",
        "2026-12-07 08:45",
        "--officer",
        "Pak Rudi",
        "--note",
        "data belum lengkap",
    ]);
    assert!(
        out.starts_with("2026-0001: step 2 done by kepala_bidang (TIDAK); step 1 (jfu)"),
        "{out}"
    );

    let shown = env.ok(&["show", &id]);
    for text in [
        "Case:        2026-0001",
        "Cooperative: Koperasi Maju Bersama (NIK 6472010000123)",
        "000.8.3.3 / 380 / 100.14, versi 2026-05-04",
        "State:       at step 1 (jfu): Mengumpulkan bahan",
        "Pak Rudi",
        "data belum lengkap",
        "TIDAK",
        "LATE",    // step 2 took 25 of its 10 minutes
        "on time", // step 1 took 20 of 30
        "OVERDUE", // step 1 again, since 08:45: 75 of 30 minutes at 10:00
    ] {
        assert!(shown.contains(text), "{text:?} missing:\n{shown}");
    }
    let status = env.ok(&["status"]);
    assert!(status.contains("OVERDUE 45 menit"), "{status}");
    assert!(
        status.contains("1 case(s), 1 overdue, as of 2026-12-07 10:00"),
        "{status}"
    );
}
