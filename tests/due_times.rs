//! Due times in working time, as `status` reports them, and the warning for
//! dates the calendar does not cover.

mod common;

use common::TestEnv;

/// Opens a case at `at` and returns the due time of its step 1 (30 menit).
fn step1_due(at: &str) -> String {
    let mut env = TestEnv::new();
    env.now = "2026-12-31T15:00:00+08:00".into();
    let id = env.open("6472010000123", "Koperasi A", at);
    let rows = env.json(&["status"]);
    assert_eq!(rows[0]["id"], id.as_str());
    assert_eq!(rows[0]["step"], 1);
    rows[0]["due_at"].as_str().unwrap().to_string()
}

#[test]
fn the_lunch_break_does_not_count() {
    assert_eq!(step1_due("2026-12-07 11:45"), "2026-12-07T13:15:00+08:00");
}

#[test]
fn friday_has_its_own_hours() {
    // Friday closes at 11:30 for the break and reopens at 13:00.
    assert_eq!(step1_due("2026-12-04 11:15"), "2026-12-04T13:15:00+08:00");
}

#[test]
fn a_weekend_does_not_count() {
    // Friday closes at 16:30: 10 minutes on Friday, 20 on Monday.
    assert_eq!(step1_due("2026-12-04 16:20"), "2026-12-07T07:50:00+08:00");
}

#[test]
fn the_christmas_holidays_do_not_count() {
    // 24 Dec is cuti bersama, 25 Dec Natal, then the weekend.
    assert_eq!(step1_due("2026-12-23 15:50"), "2026-12-28T07:50:00+08:00");
}

#[test]
fn a_step_started_outside_working_hours_starts_its_clock_at_the_next_opening() {
    assert_eq!(step1_due("2026-12-05 09:00"), "2026-12-07T08:00:00+08:00"); // Saturday
    assert_eq!(step1_due("2026-12-07 18:00"), "2026-12-08T08:00:00+08:00"); // evening
    assert_eq!(step1_due("2026-12-08 06:00"), "2026-12-08T08:00:00+08:00"); // early
}

#[test]
fn two_working_days_are_not_48_clock_hours() {
    let mut env = TestEnv::new();
    env.now = "2026-12-31T15:00:00+08:00".into();
    let id = env.open("6472010000123", "Koperasi A", "2026-12-01 07:30");
    for (role, at, decision) in [
        ("jfu", "2026-12-01 08:00", None),
        ("kepala_bidang", "2026-12-01 08:10", Some("ya")),
        ("jf_pengawas", "2026-12-01 08:40", None),
        ("jf_pengawas", "2026-12-01 09:10", None),
        ("kepala_dinas", "2026-12-03 10:00", None), // step 5 ends Thursday 10:00
    ] {
        let mut args = vec!["advance", id.as_str(), "--role", role, "--at", at];
        if let Some(d) = decision {
            args.extend(["--decision", d]);
        }
        env.ok(&args);
    }
    let rows = env.json(&["status"]);
    assert_eq!(rows[0]["step"], 6);
    // Thu 10:00-16:00 less lunch = 300 min, Fri 450, Mon 150 from 07:30.
    assert_eq!(rows[0]["due_at"], "2026-12-07T10:00:00+08:00");
}

#[test]
fn status_shows_remaining_and_late_working_time_most_overdue_first() {
    let mut env = TestEnv::new();
    env.now = "2026-12-07T13:30:00+08:00".into();
    let fresh = env.open("6472010000001", "Koperasi Baru", "2026-12-07 13:20");
    let late = env.open("6472010000002", "Koperasi Lama", "2026-12-04 16:00");
    let later = env.open("6472010000003", "Koperasi Terlama", "2026-12-03 08:00");
    let rows = env.json(&["status"]);
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [later.as_str(), late.as_str(), fresh.as_str()]);
    assert_eq!(rows[2]["overdue"], false);
    assert_eq!(rows[2]["remaining_minutes"], 20);
    assert_eq!(rows[2]["late_minutes"], 0);
    // Started Fri 16:00: the 30 minutes fit before Friday's 16:30 close.
    assert_eq!(rows[1]["due_at"], "2026-12-04T16:30:00+08:00");
    assert_eq!(rows[1]["overdue"], true);
    // Late since Fri 16:30: Mon 07:30-12:00 (270) + 13:00-13:30 (30).
    assert_eq!(rows[1]["late_minutes"], 300);

    let overdue = env.json(&["status", "--overdue"]);
    assert_eq!(overdue.as_array().unwrap().len(), 2);
    let table = env.ok(&["status"]);
    assert!(table.contains("OVERDUE 5 jam"), "{table}");
    assert!(table.contains("20 menit left"), "{table}");
    assert!(table.contains("3 case(s), 2 overdue"), "{table}");
}

#[test]
fn status_filters_by_role_and_step() {
    let env = TestEnv::new();
    let a = env.open("6472010000001", "Koperasi A", "2026-12-07 07:30");
    let b = env.open("6472010000002", "Koperasi B", "2026-12-07 07:30");
    env.ok(&["advance", &b, "--role", "jfu", "--at", "2026-12-07 07:45"]);
    let by_role = env.json(&["status", "--role", "kepala_bidang"]);
    assert_eq!(by_role.as_array().unwrap().len(), 1);
    assert_eq!(by_role[0]["id"], b.as_str());
    assert_eq!(by_role[0]["roles"], serde_json::json!(["kepala_bidang"]));
    let by_step = env.json(&["status", "--step", "1"]);
    assert_eq!(by_step.as_array().unwrap().len(), 1);
    assert_eq!(by_step[0]["id"], a.as_str());
    let err = env.fails(&["status", "--role", "camat"]);
    assert!(
        err.contains("--role \"camat\" is not a role of this SOP"),
        "{err}"
    );
    let err = env.fails(&["status", "--step", "11"]);
    assert!(err.contains("this SOP has no step 11"), "{err}");
}

#[test]
fn check_exits_1_when_a_running_step_is_overdue() {
    let mut env = TestEnv::new();
    env.now = "2026-12-07T08:30:00+08:00".into();
    let id = env.open("6472010000123", "Koperasi A", "2026-12-07 07:30");
    env.ok(&["advance", &id, "--role", "jfu", "--at", "2026-12-07 08:10"]); // 40 min: late
    env.ok(&[
        "advance",
        &id,
        "--role",
        "kepala_bidang",
        "--decision",
        "ya",
        "--at",
        "2026-12-07 08:15",
    ]);
    let report = env.json(&["check", &id]);
    assert_eq!(report["completed"], 2);
    assert_eq!(report["on_time"], 1);
    assert_eq!(report["on_time_share"], 0.5);
    assert_eq!(report["running"], 1);
    assert_eq!(report["overdue"], 0);
    assert_eq!(report["passes"][0]["late"], true);
    assert_eq!(report["passes"][0]["id"], id.as_str());

    // Step 3 (30 menit) started 08:15; at 09:00 it is 15 minutes late.
    let out = env
        .cmd()
        .args(["check", "--now", "2026-12-07 09:00"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "an overdue running step fails check"
    );
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("1 of 2 completed passes on time (50.0%)"),
        "{table}"
    );
    assert!(table.contains("1 running, 1 overdue"), "{table}");
    let out = env
        .cmd()
        .args(["check", "--now", "2026-12-07 08:30"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "nothing overdue yet at 08:30");
}

#[test]
fn a_date_beyond_the_calendar_is_named_in_a_warning() {
    let mut env = TestEnv::new();
    env.now = "2027-01-04T09:00:00+08:00".into();
    env.open("6472010000123", "Koperasi A", "2026-12-31 15:45");
    let out = env.cmd().args(["status"]).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("warning: the working calendar does not cover 2027"),
        "{err}"
    );
    assert!(
        err.contains("2027-01-01"),
        "names the first uncovered date: {err}"
    );

    let mut inside = TestEnv::new();
    inside.now = "2026-12-07T09:00:00+08:00".into();
    inside.open("6472010000123", "Koperasi A", "2026-12-07 08:00");
    let out = inside.cmd().args(["status"]).output().unwrap();
    assert!(
        String::from_utf8(out.stderr).unwrap().is_empty(),
        "no warning inside 2026"
    );
}
