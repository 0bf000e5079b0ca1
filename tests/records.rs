//! The record a case keeps: one active case per cooperative, pauses that
//! stop the clock, a history chain that shows edits, and `doctor`.

mod common;

use std::fs;

use common::TestEnv;
use serde_json::Value;

const NIK: &str = "6472010000123";

fn case_file(env: &TestEnv, id: &str) -> std::path::PathBuf {
    env.data_dir().join(format!("cases/{id}.json"))
}

fn edit(env: &TestEnv, id: &str, change: impl FnOnce(&mut Value)) {
    let path = case_file(env, id);
    let mut case: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    change(&mut case);
    fs::write(&path, serde_json::to_vec_pretty(&case).unwrap()).unwrap();
}

#[test]
fn a_cooperative_has_one_active_case_at_a_time() {
    let env = TestEnv::new();
    let id = env.open(NIK, "Koperasi A", "2026-12-07 07:00");
    let before = env.snapshot();
    let err = env.fails(&["open", "--nik", "6472.0100.00123", "--nama", "Koperasi A"]);
    assert!(
        err.contains(&format!(
            "cooperative {NIK} already has an active case, {id}, at step 1"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("koperasi-sop advance {id}")), "{err}");
    assert_eq!(env.snapshot(), before, "a refused open writes nothing");

    // Once that case is done, the cooperative may start again.
    env.run_to_end(&id, 1, |n| Some(format!("2026-12-07 07:{:02}", n * 5)));
    let again = env.open(NIK, "Koperasi A", "2026-12-07 07:59");
    assert_ne!(again, id);
    let rows = env.json(&["status", "--all"]);
    assert_eq!(rows.as_array().unwrap().len(), 2);
}

#[test]
fn a_pause_stops_the_clock_across_a_weekend_and_holidays() {
    let mut env = TestEnv::new();
    // Wednesday 23 December 2026, ten working minutes before closing;
    // 24 December is cuti bersama, 25 December Christmas, then a weekend.
    env.now = "2026-12-23T15:55:00+08:00".into();
    let id = env.open(NIK, "Koperasi A", "2026-12-23 15:50");
    let row = env.json(&["status"]);
    assert_eq!(row[0]["due_at"], "2026-12-28T07:50:00+08:00");

    let out = env.ok(&[
        "pause",
        &id,
        "--role",
        "jfu",
        "--officer",
        "Siti Rahmah",
        "--reason",
        "menunggu dokumen RAT dari koperasi",
    ]);
    assert!(out.contains("paused since 2026-12-23 15:55"), "{out}");

    // Paused, the step cannot be completed, and the due time keeps moving.
    env.now = "2026-12-28T08:00:00+08:00".into();
    let err = env.fails(&["advance", &id, "--role", "jfu"]);
    assert!(err.contains("is paused since 2026-12-23 15:55"), "{err}");
    assert!(err.contains(&format!("koperasi-sop resume {id}")), "{err}");
    let row = env.json(&["status"]);
    assert_eq!(row[0]["paused"], true);
    assert_eq!(row[0]["overdue"], false);
    assert_eq!(row[0]["due_at"], "2026-12-28T08:25:00+08:00");
    let table = env.ok(&["status"]);
    assert!(table.contains("PAUSED"), "{table}");

    // Resumed Monday 08:00: 5 minutes were used before the pause, 25 are
    // left, so it is due 08:25.
    env.ok(&["lanjut", &id, "--role", "jfu"]);
    env.now = "2026-12-28T08:20:00+08:00".into();
    let row = env.json(&["status"]);
    assert_eq!(row[0]["paused"], false);
    assert_eq!(row[0]["due_at"], "2026-12-28T08:25:00+08:00");
    assert_eq!(row[0]["remaining_minutes"], 5);

    env.now = "2026-12-28T08:30:00+08:00".into();
    env.ok(&["advance", &id, "--role", "jfu"]);
    let shown = env.json(&["show", &id]);
    let pass = &shown["history"][0];
    // 10 minutes Wednesday + 60 Monday, less 35 paused (5 + 30).
    assert_eq!(pass["taken_minutes"], 35);
    assert_eq!(pass["late"], true);
    assert_eq!(pass["due_at"], "2026-12-28T08:25:00+08:00");
    let pause = &shown["pauses"][0];
    assert_eq!(pause["reason"], "menunggu dokumen RAT dari koperasi");
    assert_eq!(pause["officer"], "Siti Rahmah");
    assert_eq!(pause["from"], "2026-12-23T15:55:00+08:00");
    assert_eq!(pause["to"], "2026-12-28T08:00:00+08:00");
    let table = env.ok(&["show", &id]);
    assert!(table.contains("Siti Rahmah (jfu)"), "{table}");
}

#[test]
fn pause_and_resume_refuse_what_makes_no_sense() {
    let env = TestEnv::new();
    let id = env.open(NIK, "Koperasi A", "2026-12-07 07:30");
    let before = env.snapshot();
    let err = env.fails(&["resume", &id, "--role", "jfu"]);
    assert!(err.contains(&format!("case {id} is not paused")), "{err}");
    let err = env.fails(&["pause", &id, "--role", "jfu", "--reason", "  "]);
    assert!(err.contains("a pause needs a reason"), "{err}");
    let err = env.fails(&["pause", &id, "--role", "lurah", "--reason", "x"]);
    assert!(
        err.contains("role \"lurah\" is not a role of this SOP"),
        "{err}"
    );
    let err = env.fails(&[
        "pause",
        &id,
        "--role",
        "jfu",
        "--reason",
        "x",
        "--at",
        "2026-12-07 07:00",
    ]);
    assert!(err.contains("before the last change"), "{err}");
    assert_eq!(env.snapshot(), before);
    env.ok(&["tunda", &id, "--role", "jfu", "--reason", "x"]);
    let err = env.fails(&["pause", &id, "--role", "jfu", "--reason", "y"]);
    assert!(err.contains("is paused since"), "{err}");
}

#[test]
fn verify_finds_an_edited_history() {
    let env = TestEnv::new();
    let id = env.open(NIK, "Koperasi A", "2026-12-07 07:30");
    env.ok(&[
        "advance",
        &id,
        "--role",
        "jfu",
        "--officer",
        "Siti",
        "--at",
        "2026-12-07 07:40",
    ]);
    env.ok(&[
        "advance",
        &id,
        "--role",
        "kepala_bidang",
        "--decision",
        "tidak",
        "--at",
        "2026-12-07 07:45",
    ]);
    env.ok(&["advance", &id, "--role", "jfu", "--at", "2026-12-07 07:50"]);
    let out = env.ok(&["verify"]);
    assert!(out.contains("1 case(s) verified, 0 broken"), "{out}");
    let pristine = fs::read(case_file(&env, &id)).unwrap();

    let broken = |change: &dyn Fn(&mut Value)| {
        fs::write(case_file(&env, &id), &pristine).unwrap();
        edit(&env, &id, change);
        let out = env
            .cmd()
            .args(["verify", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["broken"][0]["id"], id.as_str());
        v["broken"][0].clone()
    };
    // A changed time, officer or decision: the next entry no longer matches.
    let b = broken(&|c| c["history"][0]["completed_at"] = "2026-12-07T07:35:00+08:00".into());
    assert_eq!(b["entry"], 2);
    let b = broken(&|c| c["history"][0]["officer"] = "Budi".into());
    assert_eq!(b["entry"], 2);
    let b = broken(&|c| c["history"][1]["decision"] = "ya".into());
    assert_eq!(b["entry"], 3);
    // Reordered entries.
    let b = broken(&|c| c["history"].as_array_mut().unwrap().swap(0, 1));
    assert_eq!(b["entry"], 1);
    // A cut history: the case's end of chain no longer matches.
    let b = broken(&|c| {
        c["history"].as_array_mut().unwrap().pop();
    });
    assert!(
        b["problem"]
            .as_str()
            .unwrap()
            .contains("entries were cut off the end"),
        "{b}"
    );
    // The last entry edited.
    let b = broken(&|c| c["history"][2]["role"] = "kepala_dinas".into());
    assert_eq!(b["entry"], 3);

    let err = env.cmd().args(["verify", &id]).output().unwrap();
    assert_eq!(err.status.code(), Some(1));
    let text = String::from_utf8(err.stdout).unwrap();
    assert!(text.contains(&format!("{id}: ")), "{text}");
}

#[test]
fn doctor_gives_a_short_all_clear_and_names_each_problem() {
    let env = TestEnv::new();
    let id = env.open(NIK, "Koperasi A", "2026-12-07 07:30");
    env.open("6472010000124", "Koperasi B", "2026-12-07 07:31");
    assert_eq!(
        env.ok(&["doctor"]),
        "all clear: 2 case(s), nothing to fix\n"
    );

    // An edit in place the index does not know of, a leftover temporary
    // file, a file readable by others and a broken chain.
    edit(&env, &id, |c| {
        c["koperasi"]["nama"] = "Koperasi Z".into();
    });
    let leftover = env.data_dir().join("cases/.tmp-interrupted");
    fs::write(&leftover, "half").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(
            env.data_dir().join("ids.json"),
            fs::Permissions::from_mode(0o644),
        )
        .unwrap();
    }
    edit(&env, "2026-0002", |c| {
        c["opened_at"] = "2026-12-07T07:00:00+08:00".into()
    });

    let out = env
        .cmd()
        .args(["doctor", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    for kind in ["index", "leftover", "broken_chain"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    #[cfg(unix)]
    assert!(kinds.contains(&"permissions"), "{kinds:?}");

    // --fix repairs what it safely can; the broken chain stays a problem.
    let out = env.cmd().args(["doctor", "--fix"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!leftover.exists());
    let text = env.cmd().args(["doctor"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("case 2026-0002: the history does not end"),
        "{text}"
    );
    assert!(!text.contains("index differs"), "{text}");
    let rows = env.json(&["status"]);
    assert!(rows.to_string().contains("Koperasi Z"), "{rows}");
}

#[test]
fn reindex_rebuilds_the_index_from_the_case_files() {
    let env = TestEnv::new();
    let id = env.open(NIK, "Koperasi A", "2026-12-07 07:30");
    edit(&env, &id, |c| {
        c["koperasi"]["nama"] = "Koperasi Baru".into()
    });
    // An edit in place is not seen by status until the index is rebuilt.
    let out = env.ok(&["reindex"]);
    assert_eq!(out, "index rebuilt: 1 case(s), 0 unreadable file(s)\n");
    let rows = env.json(&["status"]);
    assert_eq!(rows[0]["nama"], "Koperasi Baru");
    let v = env.json(&["reindex"]);
    assert_eq!(v["cases"], 1);
}
