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
        &["status", "--color", "always", "--format", "csv"][..],
        &["check", "--color", "always", "--format", "csv"][..],
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

// ---- CSV ------------------------------------------------------------------

/// A JSON value as the CSV writes it.
fn as_field(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(as_field).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

/// Parses CSV output: the header and the records.
fn parse_csv(text: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(String::from)
        .collect();
    let records = reader
        .records()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("not CSV ({e}):\n{text}"));
    (header, records)
}

/// Checks that CSV rows carry the JSON objects' fields, column by column.
fn assert_csv_matches_json(text: &str, objects: &[Value]) {
    let (header, records) = parse_csv(text);
    assert_eq!(records.len(), objects.len(), "{text}");
    for (record, object) in records.iter().zip(objects) {
        let object = object.as_object().expect("object");
        let mut keys: Vec<&String> = object.keys().collect();
        let mut columns: Vec<&String> = header.iter().collect();
        keys.sort();
        columns.sort();
        assert_eq!(columns, keys, "the CSV columns are the JSON fields");
        for (name, field) in header.iter().zip(record) {
            assert_eq!(field, as_field(&object[name]), "column {name}");
        }
    }
}

#[test]
fn status_csv_has_the_json_fields_with_a_header_row() {
    let (env, [overdue, soon, _]) = three_cases();
    let text = env.ok(&["status", "--format", "csv"]);
    assert!(
        text.ends_with("\r\n"),
        "RFC 4180 ends lines with CRLF: {text:?}"
    );
    assert!(
        text.starts_with("id,nik,nama,state,step,roles,started_at,due_at,overdue,due_soon,"),
        "{text}"
    );
    let json = env.json(&["status"]);
    assert_csv_matches_json(&text, json.as_array().unwrap());

    let (header, records) = parse_csv(&text);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&records[0][col("id")], overdue.as_str());
    assert_eq!(&records[0][col("overdue")], "true");
    assert_eq!(&records[0][col("late_minutes")], "90");
    assert_eq!(&records[1][col("id")], soon.as_str());
    assert_eq!(&records[1][col("nama")], "Koperasi B, \"Baru\"");
    assert_eq!(&records[1][col("due_soon")], "true");
    assert_eq!(&records[1][col("roles")], "jfu");
    assert_eq!(&records[1][col("due_at")], "2026-12-07T10:05:00+08:00");
    assert_eq!(&records[1][col("finished_at")], "");
    // The comma and quotes are quoted, not split.
    assert!(text.contains(",\"Koperasi B, \"\"Baru\"\"\","), "{text}");
}

#[test]
fn csv_roles_of_a_step_with_several_actors_are_joined_with_semicolons() {
    let mut env = TestEnv::new();
    env.now = "2026-12-07T12:00:00+08:00".into();
    let id = env.open("6472010000001", "Koperasi A", "2026-12-07 08:00");
    for (role, at, extra) in [
        ("jfu", "2026-12-07 08:10", None),
        ("kepala_bidang", "2026-12-07 08:15", Some("ya")),
        ("jf_pengawas", "2026-12-07 08:30", None),
        ("jf_pengawas", "2026-12-07 09:00", None),
    ] {
        let mut args = vec!["advance", id.as_str(), "--role", role, "--at", at];
        if let Some(d) = extra {
            args.extend(["--decision", d]);
        }
        env.ok(&args);
    }
    let (header, records) = parse_csv(&env.ok(&["status", "--format", "csv"]));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&records[0][col("step")], "5");
    assert_eq!(
        &records[0][col("roles")],
        "kepala_bidang;sekretaris;kepala_dinas"
    );
}

#[test]
fn csv_has_its_header_row_when_nothing_matches() {
    let env = TestEnv::new();
    for (args, first) in [
        (&["status", "--format", "csv"][..], "id,nik,nama,"),
        (&["check", "--format", "csv"][..], "id,step,role,"),
    ] {
        let text = env.ok(args);
        assert_eq!(text.lines().count(), 1, "{args:?}: {text}");
        assert!(text.starts_with(first), "{args:?}: {text}");
    }
}

/// One case with a completed pass (officer and note with a comma, quotes
/// and a line break) and a running, overdue one.
fn advanced_case() -> (TestEnv, String) {
    let mut env = TestEnv::new();
    env.now = "2026-12-07T10:00:00+08:00".into();
    let id = env.open("6472010000001", "Koperasi A", "2026-12-07 08:00");
    env.ok(&[
        "advance",
        &id,
        "--role",
        "jfu",
        "--officer",
        "Siti, R.",
        "--note",
        "data \"ODS\" lengkap,\nrekap menyusul",
        "--at",
        "2026-12-07 08:20",
    ]);
    (env, id)
}

#[test]
fn show_csv_has_one_row_per_pass_with_the_case_id() {
    let (env, id) = advanced_case();
    let text = env.ok(&["show", &id, "--format", "csv"]);
    let json = env.json(&["show", &id]);
    let passes: Vec<Value> = json["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p["id"] = Value::from(id.clone());
            p
        })
        .collect();
    assert_eq!(passes.len(), 2);
    assert_csv_matches_json(&text, &passes);

    let (header, records) = parse_csv(&text);
    assert_eq!(header[0], "id");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&records[0][col("officer")], "Siti, R.");
    assert_eq!(
        &records[0][col("note")],
        "data \"ODS\" lengkap,\nrekap menyusul"
    );
    assert_eq!(
        &records[0][col("completed_at")],
        "2026-12-07T08:20:00+08:00"
    );
    assert_eq!(&records[0][col("late")], "false");
    assert_eq!(&records[1][col("step")], "2");
    assert_eq!(&records[1][col("completed_at")], "");
    assert_eq!(&records[1][col("late")], "true");
}

#[test]
fn check_csv_has_every_pass_of_every_case_and_keeps_the_exit_status() {
    let (env, a) = advanced_case();
    let b = env.open("6472010000002", "Koperasi B", "2026-12-07 09:50");
    let out = run(&env, &["check", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(1), "a running step is overdue");
    let text = stdout(&out);
    let json_out = run(&env, &["check", "--format", "json"]);
    let json: Value = serde_json::from_slice(&json_out.stdout).unwrap();
    assert_csv_matches_json(&text, json["passes"].as_array().unwrap());
    let (_, records) = parse_csv(&text);
    let cases: Vec<&str> = records.iter().map(|r| &r[0]).collect();
    assert_eq!(cases, [a.as_str(), a.as_str(), b.as_str()]);

    let text = stdout(&run(&env, &["check", &b, "--format", "csv"]));
    let (_, records) = parse_csv(&text);
    assert_eq!(records.len(), 1);
    assert_eq!(&records[0][0], b.as_str());
}

#[test]
fn csv_can_be_chosen_in_the_environment() {
    let (env, _) = three_cases();
    let out = env
        .cmd()
        .env("KOPERASI_SOP_FORMAT", "csv")
        .arg("status")
        .output()
        .unwrap();
    assert!(out.status.success());
    let (_, records) = parse_csv(&stdout(&out));
    assert_eq!(records.len(), 3);
}

#[test]
fn commands_without_a_table_of_rows_refuse_csv_as_wrong_usage() {
    let (env, [id, ..]) = three_cases();
    let before = env.snapshot();
    for args in [
        &[
            "open",
            "--nik",
            "6472010000009",
            "--nama",
            "X",
            "--format",
            "csv",
        ][..],
        &["advance", &id, "--role", "jfu", "--format", "csv"][..],
        &["sop", "show", "--format", "csv"][..],
    ] {
        let out = run(&env, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("`{}` has no CSV output", args[0])),
            "{err}"
        );
        assert!(
            err.contains("status, check, show, rekap and report"),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
    assert_eq!(env.snapshot(), before, "nothing was written");
}

// ---- Completions and the man page -----------------------------------------

const SUBCOMMANDS: [&str; 17] = [
    "open",
    "advance",
    "status",
    "show",
    "check",
    "sop",
    "completions",
    "man",
    "pause",
    "resume",
    "import",
    "rekap",
    "verify",
    "doctor",
    "reindex",
    "config",
    "report",
];

#[test]
fn completions_for_each_shell_name_every_subcommand_and_option() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = env.ok(&["completions", shell]);
        for name in SUBCOMMANDS {
            assert!(script.contains(name), "{shell}: no {name}");
        }
        for option in ["due-within", "soon", "color", "format"] {
            assert!(script.contains(option), "{shell}: no --{option}");
        }
        // PowerShell's and elvish's scripts complete names only.
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(script.contains("csv"), "{shell}: the formats are offered");
        }
    }
    let fish = env.ok(&["completions", "fish"]);
    assert!(fish.contains("complete -c koperasi-sop"), "{fish}");
    assert!(!env.data_dir().exists(), "no data directory is made");
}

/// What bash offers for the words typed so far, the last one being
/// completed, with the script that `completions bash` prints loaded.
fn bash_completes(env: &TestEnv, words: &[&str]) -> String {
    let script = env.path("koperasi-sop.bash");
    std::fs::write(&script, env.ok(&["completions", "bash"])).unwrap();
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c"])
        .arg(
            r#"source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
               _koperasi__sop koperasi-sop "${@: -1}" "${@: -2:1}"; echo "${COMPREPLY[*]}""#,
        )
        .arg("bash")
        .arg(&script)
        .arg("koperasi-sop")
        .args(words)
        .output()
        .expect("run bash");
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out).trim().to_string()
}

#[test]
fn bash_completes_subcommands_their_options_and_values() {
    let env = TestEnv::new();
    assert_eq!(bash_completes(&env, &["sta"]), "status");
    // Past a subcommand too, though the name has a hyphen.
    assert_eq!(bash_completes(&env, &["status", "--due"]), "--due-within");
    assert_eq!(bash_completes(&env, &["status", "--soo"]), "--soon");
    assert_eq!(
        bash_completes(&env, &["check", "--format", ""]),
        "table json csv"
    );
    assert_eq!(bash_completes(&env, &["sop", "va"]), "validate validasi");
    assert_eq!(
        bash_completes(&env, &["status", "--color", ""]),
        "auto always never"
    );
}

#[test]
fn completions_for_an_unknown_shell_is_wrong_usage() {
    let env = TestEnv::new();
    let out = run(&env, &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("tcsh") && err.contains("bash"), "{err}");
}

#[test]
fn completions_help_says_how_to_install() {
    let env = TestEnv::new();
    let help = env.ok(&["completions", "--help"]);
    assert!(
        help.contains(
            "koperasi-sop completions bash > ~/.local/share/bash-completion/completions/koperasi-sop"
        ),
        "{help}"
    );
}

#[test]
fn the_man_page_is_roff_with_the_options_and_subcommands() {
    let env = TestEnv::new();
    let page = env.ok(&["man"]);
    assert!(page.contains(".TH koperasi-sop 1"), "{page}");
    for option in [
        "\\-\\-data\\-dir",
        "\\-\\-format",
        "\\-\\-color",
        "\\-\\-lock\\-timeout",
    ] {
        assert!(page.contains(option), "no {option}:\n{page}");
    }
    assert!(page.contains("KOPERASI_SOP_DATA"), "environment variables");
    for name in SUBCOMMANDS {
        assert!(
            page.contains(&format!("koperasi\\-sop\\-{name}(1)")),
            "no {name}"
        );
    }
    assert!(!env.data_dir().exists());
}

#[test]
fn man_dir_writes_a_page_per_subcommand() {
    let env = TestEnv::new();
    let dir = env.path("man/man1");
    let listed = env.ok(&["man", "--dir", dir.to_str().unwrap()]);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut expected: Vec<String> = SUBCOMMANDS
        .iter()
        .map(|s| format!("koperasi-sop-{s}.1"))
        .chain(
            [
                "koperasi-sop.1",
                "koperasi-sop-sop-show.1",
                "koperasi-sop-sop-validate.1",
                "koperasi-sop-config-init.1",
                "koperasi-sop-config-show.1",
            ]
            .map(String::from),
        )
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    assert_eq!(listed.lines().count(), expected.len(), "{listed}");
    let status = std::fs::read_to_string(dir.join("koperasi-sop-status.1")).unwrap();
    assert!(status.contains(".TH koperasi-sop-status 1"), "{status}");
    for option in ["\\-\\-due\\-within", "\\-\\-soon", "KOPERASI_SOP_SOON"] {
        assert!(status.contains(option), "no {option}:\n{status}");
    }
}

#[test]
fn man_dir_that_cannot_be_made_is_an_error_naming_it() {
    let env = TestEnv::new();
    let file = env.write("not-a-dir", "");
    let dir = file.join("man1");
    let out = run(&env, &["man", "--dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&dir.display().to_string()), "{err}");
}
