//! For the office: warnings before a step is overdue (SEGERA), colour in a
//! terminal, CSV for spreadsheets, shell completions and the man page.

mod common;

use std::process::Output;

use common::TestEnv;
use serde_json::Value;

const ESC: &str = "\x1b[";

/// Three cases on step 1 (30 menit) at 10:00: one overdue since 08:30, one
/// with 5 of its 30 minutes left (83% used), one with 25 left (17% used).
fn three_cases() -> (TestEnv, [String; 3]) {
    let mut env = TestEnv::new();
    env.now = "2026-12-07T10:00:00+08:00".into();
    let overdue = env.open("6472010000001", "Koperasi Lama", "2026-12-07 08:00");
    let soon = env.open("6472010000002", "Koperasi B, \"Baru\"", "2026-12-07 09:35");
    let fresh = env.open("6472010000003", "Koperasi Segar", "2026-12-07 09:55");
    (env, [overdue, soon, fresh])
}

fn run(env: &TestEnv, args: &[&str]) -> Output {
    env.cmd().args(args).output().expect("run")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("utf-8 stderr")
}

fn ids(rows: &Value) -> Vec<&str> {
    rows.as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect()
}

/// The table line of a case.
fn line_of<'a>(table: &'a str, id: &str) -> &'a str {
    table
        .lines()
        .find(|l| l.contains(id))
        .unwrap_or_else(|| panic!("no line for {id} in:\n{table}"))
}

// ---- SEGERA: due soon -------------------------------------------------

#[test]
fn status_marks_a_step_that_used_three_quarters_of_its_standard_as_due_soon() {
    let (env, [overdue, soon, fresh]) = three_cases();
    let rows = env.json(&["status"]);
    assert_eq!(ids(&rows), [&overdue, &soon, &fresh]);
    let flags: Vec<(bool, bool)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["overdue"].as_bool().unwrap(),
                r["due_soon"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(flags, [(true, false), (false, true), (false, false)]);

    let table = env.ok(&["status"]);
    assert!(
        line_of(&table, &overdue).contains("OVERDUE 1 jam 30 menit"),
        "{table}"
    );
    assert!(
        line_of(&table, &soon).contains("SEGERA 5 menit left"),
        "{table}"
    );
    let fresh_line = line_of(&table, &fresh);
    assert!(fresh_line.contains("25 menit left"), "{table}");
    assert!(!fresh_line.contains("SEGERA"), "{table}");
    assert!(
        table.contains("3 case(s), 1 overdue, as of 2026-12-07 10:00; 1 due soon (SEGERA: 75% or more of the standard used)"),
        "{table}"
    );
}

#[test]
fn the_due_soon_share_is_75_percent_inclusive() {
    let mut env = TestEnv::new();
    env.now = "2026-12-07T10:00:00+08:00".into();
    // 22.5 of 30 minutes used is exactly 75%; 22 minutes is 73%.
    let at_75 = env.open("6472010000001", "Tepat", "2026-12-07T09:37:30+08:00");
    let below = env.open("6472010000002", "Kurang", "2026-12-07T09:38:00+08:00");
    let rows = env.json(&["status"]);
    assert_eq!(ids(&rows), [&at_75, &below]);
    assert_eq!(rows[0]["due_soon"], true);
    assert_eq!(rows[1]["due_soon"], false);
}

#[test]
fn the_due_soon_share_is_set_with_soon_or_its_environment_variable() {
    let (env, [_, _, fresh]) = three_cases();
    // The fresh case used 5 of 30 minutes: 17%.
    for args in [
        &["status", "--soon", "15"][..],
        &["status", "--soon", "15%"][..],
    ] {
        let rows = env.json(args);
        assert_eq!(rows[2]["id"], fresh.as_str());
        assert_eq!(rows[2]["due_soon"], true, "{args:?}");
    }
    let rows = env.json(&["status", "--soon", "20"]);
    assert_eq!(rows[2]["due_soon"], false);

    let out = env
        .cmd()
        .env("KOPERASI_SOP_SOON", "15")
        .args(["status", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[2]["due_soon"], true);
    // A share above 100 would never be reached; 90% leaves the 83% case out.
    let rows = env.json(&["status", "--soon", "90"]);
    assert_eq!(rows[1]["due_soon"], false);
}

#[test]
fn a_share_outside_1_to_100_is_wrong_usage() {
    let (env, _) = three_cases();
    let before = env.snapshot();
    for bad in ["0", "101", "abc", "-5", "7.5"] {
        let out = run(&env, &["status", &format!("--soon={bad}")]);
        assert_eq!(out.status.code(), Some(2), "--soon {bad}");
        let err = stderr(&out);
        assert!(err.contains("--soon"), "{err}");
        assert!(err.contains("from 1 to 100"), "{err}");
        assert!(out.stdout.is_empty());
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn due_within_lists_what_falls_due_within_that_working_time_overdue_included() {
    let (env, [overdue, soon, fresh]) = three_cases();
    let rows = env.json(&["status", "--due-within", "10 menit"]);
    assert_eq!(ids(&rows), [&overdue, &soon]);
    let rows = env.json(&["status", "--due-within", "5min"]);
    assert_eq!(
        ids(&rows),
        [&overdue, &soon],
        "exactly 5 minutes left is within 5"
    );
    let rows = env.json(&["status", "--due-within", "4min"]);
    assert_eq!(ids(&rows), [&overdue]);
    for all in ["1 hari", "2h", "25 menit"] {
        let rows = env.json(&["status", "--due-within", all]);
        assert_eq!(ids(&rows), [&overdue, &soon, &fresh], "{all}");
    }
    // With --overdue both must hold.
    let rows = env.json(&["status", "--due-within", "10 menit", "--overdue"]);
    assert_eq!(ids(&rows), [&overdue]);
}

#[test]
fn due_within_counts_working_time_not_clock_time() {
    // Opened Friday 16:20, ten minutes before Friday's close: step 1 is due
    // Monday 07:50, 63 clock hours on but 25 working minutes.
    let mut env = TestEnv::new();
    env.now = "2026-12-04T16:25:00+08:00".into();
    let a = env.open("6472010000001", "Jumat", "2026-12-04 16:20");
    let rows = env.json(&["status", "--due-within", "25 menit"]);
    assert_eq!(ids(&rows), [&a]);
    assert_eq!(rows[0]["due_at"], "2026-12-07T07:50:00+08:00");
    let rows = env.json(&["status", "--due-within", "24 menit"]);
    assert_eq!(ids(&rows), Vec::<&str>::new());
    // The weekend does not count: on Monday at 07:30, 20 minutes are left.
    env.now = "2026-12-07T07:30:00+08:00".into();
    let rows = env.json(&["status", "--due-within", "20 menit"]);
    assert_eq!(ids(&rows), [&a]);
    let rows = env.json(&["status", "--due-within", "19 menit"]);
    assert_eq!(ids(&rows), Vec::<&str>::new());
}

#[test]
fn a_bad_due_within_duration_is_wrong_usage_naming_it() {
    let (env, _) = three_cases();
    let out = run(&env, &["status", "--due-within", "3 tahun"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("--due-within"), "{err}");
    assert!(err.contains("3 tahun"), "{err}");
    assert!(
        err.contains("30 menit"),
        "the error shows how to write it: {err}"
    );
}

// ---- Colour -------------------------------------------------------------

#[test]
fn color_always_paints_overdue_red_and_due_soon_yellow() {
    let (env, [overdue, soon, fresh]) = three_cases();
    let table = env.ok(&["status", "--color", "always"]);
    let red = "\x1b[38;5;9m";
    let yellow = "\x1b[38;5;11m";
    assert!(line_of(&table, &overdue).contains(red), "{table:?}");
    assert!(line_of(&table, &soon).contains(yellow), "{table:?}");
    assert!(!line_of(&table, &soon).contains(red), "{table:?}");
    assert!(!line_of(&table, &fresh).contains(ESC), "{table:?}");
    // The words stay, for whoever cannot see the colour.
    assert!(table.contains("OVERDUE"), "{table:?}");

    let out = env
        .cmd()
        .env("KOPERASI_SOP_COLOR", "always")
        .arg("status")
        .output()
        .unwrap();
    assert!(stdout(&out).contains(red), "KOPERASI_SOP_COLOR=always");
}

#[test]
fn no_colour_when_never_piped_or_in_machine_formats() {
    let (env, _) = three_cases();
    for args in [
        &["status"][..],
        &["status", "--color", "never"][..],
        &["status", "--color", "auto"][..],
        &["status", "--color", "always", "--format", "json"][..],
    ] {
        let out = run(&env, args);
        let text = stdout(&out);
        assert!(!text.is_empty(), "{args:?}");
        assert!(!text.contains(ESC), "{args:?} printed colour: {text:?}");
    }
    let out = env
        .cmd()
        .env("NO_COLOR", "1")
        .arg("status")
        .output()
        .unwrap();
    assert!(!stdout(&out).contains(ESC));
    let out = run(&env, &["status", "--color", "sometimes"]);
    assert_eq!(out.status.code(), Some(2));
}

/// `status` on a terminal: script(1) runs it on a pseudo-terminal.
#[cfg(target_os = "linux")]
fn status_on_a_terminal(env: &TestEnv, no_color: Option<&str>) -> String {
    let bin = assert_cmd::cargo::cargo_bin("koperasi-sop");
    let mut cmd = std::process::Command::new("script");
    for var in [
        "NO_COLOR",
        "KOPERASI_SOP_COLOR",
        "KOPERASI_SOP_FORMAT",
        "KOPERASI_SOP_SOON",
    ] {
        cmd.env_remove(var);
    }
    if let Some(value) = no_color {
        cmd.env("NO_COLOR", value);
    }
    let out = cmd
        .env("KOPERASI_SOP_DATA", env.data_dir())
        .env("KOPERASI_SOP_NOW", &env.now)
        .env("TERM", "xterm")
        .args(["-q", "-e", "-c"])
        // A fresh pseudo-terminal may say it is 0 columns wide.
        .arg(format!("stty cols 200; '{}' status", bin.display()))
        .arg("/dev/null")
        .output()
        .expect("run script(1), from util-linux");
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

#[cfg(target_os = "linux")]
#[test]
fn auto_colours_a_terminal_unless_no_color_is_set() {
    let (env, [overdue, ..]) = three_cases();
    let coloured = status_on_a_terminal(&env, None);
    assert!(line_of(&coloured, &overdue).contains(ESC), "{coloured:?}");
    let plain = status_on_a_terminal(&env, Some("1"));
    assert!(plain.contains(&overdue), "{plain:?}");
    assert!(!plain.contains(ESC), "NO_COLOR=1: {plain:?}");
    let empty = status_on_a_terminal(&env, Some(""));
    assert!(
        empty.contains(ESC),
        "an empty NO_COLOR counts as unset: {empty:?}"
    );
}
