//! `report` (`laporan`): the figures for the Kepala Dinas checked against
//! values computed here, by hand and by a second implementation, from a
//! known set of cases; the CSV form; the HTML page, loaded and printed by
//! headless Chromium.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::TestEnv;
use serde_json::{json, Value};

/// Friday 18 December 2026, 16:00 WITA: the report is made then.
const NOW: &str = "2026-12-18T16:00:00+08:00";

/// Each step's standard in working minutes (1 hari = 450 menit).
const STANDARD: [i64; 10] = [30, 10, 30, 30, 5, 900, 450, 450, 450, 30];
const ROLES: [&str; 5] = [
    "jfu",
    "jf_pengawas",
    "kepala_bidang",
    "sekretaris",
    "kepala_dinas",
];

/// The cases, opened in this order (so 2026-0001 to 2026-0005).
const CASES: [(&str, &str, &str); 5] = [
    ("6472010000001", "Koperasi Maju Bersama", "2026-11-30 08:00"), // Mon
    ("6472010000002", "KSU Mahakam Sejahtera", "2026-12-02 10:00"), // Wed
    ("6472010000003", "Koperasi Tepian", "2026-12-11 11:00"),       // Fri
    ("6472010000004", "Koperasi Baru", "2026-12-18 15:50"),         // Fri, just now
    ("6472010000005", "Koperasi Lama", "2026-11-20 08:00"),         // Fri
];

/// One completed pass; `taken` is worked out by hand under the Samarinda
/// calendar (Mon-Thu 07:30-12:00, 13:00-16:00; Fri 07:30-11:30,
/// 13:00-16:30; no holidays in these weeks). No pass ends after closing
/// time, so a pass is on time exactly when `taken <= standard`.
struct P {
    case: usize,
    step: u32,
    role: &'static str,
    at: &'static str,
    decision: Option<&'static str>,
    taken: i64,
}

const fn p(
    case: usize,
    step: u32,
    role: &'static str,
    at: &'static str,
    decision: Option<&'static str>,
    taken: i64,
) -> P {
    P {
        case,
        step,
        role,
        at,
        decision,
        taken,
    }
}

const KB: &str = "kepala_bidang";
const JFP: &str = "jf_pengawas";
const T: Option<&str> = Some("tidak");
const Y: Option<&str> = Some("ya");

const PASSES: [P; 25] = [
    // Case 1: through a TIDAK return to the end.
    p(0, 1, "jfu", "2026-11-30 08:20", None, 20),
    p(0, 2, KB, "2026-11-30 11:55", T, 215), // 08:20-11:55
    p(0, 1, "jfu", "2026-11-30 13:10", None, 15), // 11:55-12:00, 13:00-13:10
    p(0, 2, KB, "2026-11-30 13:15", Y, 5),
    p(0, 3, JFP, "2026-12-01 07:45", None, 180), // Mon 13:15-16:00, Tue 07:30-07:45
    p(0, 4, JFP, "2026-12-01 08:00", None, 15),
    p(0, 5, "sekretaris", "2026-12-01 08:04", None, 4),
    p(0, 6, JFP, "2026-12-03 08:04", None, 900), // exactly 2 hari: due then, on time
    p(0, 7, JFP, "2026-12-04 09:00", None, 506), // Thu 236 + 180, Fri 90
    p(0, 8, KB, "2026-12-07 08:00", None, 390),  // Fri 150 + 210, Mon 30
    p(0, 9, KB, "2026-12-07 15:00", None, 360),
    p(0, 10, "jfu", "2026-12-08 07:40", None, 70), // Mon 60, Tue 10; finishes the case
    // Case 2: two TIDAK returns, now at step 4 since 3 December: overdue.
    p(1, 1, "jfu", "2026-12-02 10:25", None, 25),
    p(1, 2, KB, "2026-12-02 10:30", T, 5),
    p(1, 1, "jfu", "2026-12-03 09:00", None, 360), // Wed 90 + 180, Thu 90
    p(1, 2, KB, "2026-12-03 09:08", T, 8),
    p(1, 1, "jfu", "2026-12-03 09:30", None, 22),
    p(1, 2, KB, "2026-12-03 09:40", Y, 10), // exactly the standard
    p(1, 3, JFP, "2026-12-03 10:00", None, 20),
    // Case 3: over a Friday lunch and a weekend; step 6 since Monday: overdue.
    p(2, 1, "jfu", "2026-12-11 13:20", None, 50), // 11:00-11:30, 13:00-13:20
    p(2, 2, KB, "2026-12-11 13:25", Y, 5),
    p(2, 3, JFP, "2026-12-14 08:00", None, 215), // Fri 13:25-16:30, Mon 07:30-08:00
    p(2, 4, JFP, "2026-12-14 08:20", None, 20),
    p(2, 5, "kepala_dinas", "2026-12-14 08:22", None, 2),
    // Case 4 is at step 1 for ten minutes. Case 5: one pass in November,
    // then step 2 since: overdue.
    p(4, 1, "jfu", "2026-11-20 08:10", None, 10),
];

/// The day case 1 finished (its step 10 pass); the others are running.
const FINISHED: [(usize, &str); 1] = [(0, "2026-12-08")];
/// Running now: cases 2, 3, 4 and 5; overdue: 2, 3 and 5.
const ACTIVE_NOW: usize = 4;
const OVERDUE_NOW: usize = 3;

fn id(case: usize) -> String {
    format!("2026-{:04}", case + 1)
}

fn env() -> TestEnv {
    let mut env = TestEnv::new();
    env.now = NOW.to_string();
    env
}

/// `args` with `--sop FILE` when the cases run under another SOP.
fn with_sop<'a>(args: &[&'a str], sop: Option<&'a str>) -> Vec<&'a str> {
    let mut all = args.to_vec();
    if let Some(sop) = sop {
        all.extend(["--sop", sop]);
    }
    all
}

/// Opens the cases and records the passes through the binary, and checks
/// each hand-worked `taken` against the case's own timeline.
fn build(env: &TestEnv, sop: Option<&str>) {
    for (nik, nama, at) in CASES {
        env.ok(&with_sop(
            &["open", "--nik", nik, "--nama", nama, "--at", at],
            sop,
        ));
    }
    for pass in &PASSES {
        let case = id(pass.case);
        let mut args = vec!["advance", &case, "--role", pass.role, "--at", pass.at];
        if let Some(d) = pass.decision {
            args.extend(["--decision", d]);
        }
        env.ok(&with_sop(&args, sop));
    }
    for case in 0..CASES.len() {
        let shown = env.json(&with_sop(&["show", &id(case)], sop));
        let history = shown["history"].as_array().expect("history");
        let mine: Vec<&P> = PASSES.iter().filter(|p| p.case == case).collect();
        for (pass, row) in mine.iter().zip(history) {
            assert_eq!(row["step"], pass.step);
            assert_eq!(
                row["taken_minutes"], pass.taken,
                "case {} step {} completed {}: hand-worked time",
                case, pass.step, pass.at
            );
            assert_eq!(row["late"], pass.taken > STANDARD[pass.step as usize - 1]);
        }
    }
}

/// Nearest rank, written again: the value at rank ceil(p/100 * n).
fn percentile(values: &[i64], p: f64) -> Value {
    if values.is_empty() {
        return Value::Null;
    }
    let mut v = values.to_vec();
    v.sort();
    let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
    json!(v[rank - 1])
}

fn share(part: usize, whole: usize) -> Value {
    if whole == 0 {
        Value::Null
    } else {
        json!(part as f64 / whole as f64)
    }
}

/// Kept its standard.
fn on_time(p: &P) -> bool {
    p.taken <= STANDARD[p.step as usize - 1]
}

fn in_period(at: &str, from: &str, to: &str) -> bool {
    let day = &at[..10];
    from <= day && day <= to
}

/// The report's figures for the period, from the table above.
fn expected(from: &str, to: &str) -> Value {
    let passes: Vec<&P> = PASSES
        .iter()
        .filter(|p| in_period(p.at, from, to))
        .collect();
    let steps: Vec<Value> = (1..=10u32)
        .map(|n| {
            let here: Vec<&P> = passes.iter().copied().filter(|p| p.step == n).collect();
            let taken: Vec<i64> = here.iter().map(|p| p.taken).collect();
            let good = here.iter().filter(|p| on_time(p)).count();
            let tidak = here.iter().filter(|p| p.decision == T).count();
            json!({
                "step": n,
                "standard_minutes": STANDARD[n as usize - 1],
                "passes": here.len(),
                "on_time": good,
                "on_time_share": share(good, here.len()),
                "median_minutes": percentile(&taken, 50.0),
                "p90_minutes": percentile(&taken, 90.0),
                "tidak_returns": if n == 2 { json!(tidak) } else { Value::Null },
            })
        })
        .collect();
    let roles: Vec<Value> = ROLES
        .iter()
        .map(|role| {
            let here: Vec<&P> = passes.iter().copied().filter(|p| p.role == *role).collect();
            let good = here.iter().filter(|p| on_time(p)).count();
            json!({
                "role": role,
                "passes": here.len(),
                "on_time": good,
                "on_time_share": share(good, here.len()),
            })
        })
        .collect();
    let good = passes.iter().filter(|p| on_time(p)).count();
    json!({
        "period": { "from": from, "to": to },
        "cases": {
            "opened": CASES.iter().filter(|c| in_period(c.2, from, to)).count(),
            "finished": FINISHED.iter().filter(|f| in_period(f.1, from, to)).count(),
            "active_now": ACTIVE_NOW,
            "overdue_now": OVERDUE_NOW,
        },
        "passes": passes.len(),
        "on_time": good,
        "on_time_share": share(good, passes.len()),
        "tidak_returns": passes.iter().filter(|p| p.decision == T).count(),
        "steps": steps,
        "roles": roles,
    })
}

/// Every field of `expected` is in `actual` with the same value (shares
/// to within rounding of their decimal form).
fn assert_subset(actual: &Value, expected: &Value, at: &str) {
    match expected {
        Value::Object(fields) => {
            for (key, value) in fields {
                assert_subset(&actual[key], value, &format!("{at}.{key}"));
            }
        }
        Value::Array(items) => {
            let got = actual
                .as_array()
                .unwrap_or_else(|| panic!("{at}: not an array: {actual}"));
            assert_eq!(got.len(), items.len(), "{at}: length");
            for (i, item) in items.iter().enumerate() {
                assert_subset(&got[i], item, &format!("{at}[{i}]"));
            }
        }
        Value::Number(n) if n.is_f64() => {
            let got = actual
                .as_f64()
                .unwrap_or_else(|| panic!("{at}: expected {n}, got {actual}"));
            assert!(
                (got - n.as_f64().unwrap()).abs() < 1e-12,
                "{at}: {got} != {n}"
            );
        }
        _ => assert_eq!(actual, expected, "{at}"),
    }
}

#[test]
fn the_figures_match_values_computed_from_the_known_cases() {
    let env = env();
    build(&env, None);

    let year = env.json(&["report"]);
    assert_subset(&year, &expected("2026-01-01", "2026-12-18"), "report");
    // A few figures by hand as well, so a mistake shared by the report and
    // `expected` shows. Step 1 took 10, 15, 20, 22, 25, 50 and 360 minutes:
    // median rank 4 of 7, 90th percentile rank ceil(6.3) = 7.
    let s1 = &year["steps"][0];
    assert_eq!(
        (&s1["passes"], &s1["median_minutes"], &s1["p90_minutes"]),
        (&json!(7), &json!(22), &json!(360))
    );
    assert_eq!(s1["on_time"], 5);
    // Step 2 took 5, 5, 5, 8, 10 and 215 minutes; three answers were TIDAK.
    let s2 = &year["steps"][1];
    assert_eq!(
        (
            &s2["median_minutes"],
            &s2["p90_minutes"],
            &s2["tidak_returns"]
        ),
        (&json!(5), &json!(215), &json!(3))
    );
    assert_subset(&s2["on_time_share"], &json!(5.0 / 6.0), "step 2 share");
    assert_eq!(
        (&year["passes"], &year["on_time"]),
        (&json!(25), &json!(18))
    );
    assert_eq!(
        year["cases"],
        json!({"opened": 5, "finished": 1, "active_now": 4, "overdue_now": 3})
    );
    let kadis = &year["roles"][4];
    assert_eq!(
        (&kadis["role"], &kadis["passes"]),
        (&json!("kepala_dinas"), &json!(1))
    );
    assert_eq!(year["as_of"], NOW);
    assert_eq!(year["sop"]["nomor"], "000.8.3.3 / 380 / 100.14");
    assert_eq!(year["sop"]["disahkan_oleh"]["jabatan"], "Kepala Dinas");
    assert_eq!(year["steps"][5]["waktu"], "2 hari");

    // The alias gives the same report.
    assert_eq!(env.json(&["laporan"]), year);
}

#[test]
fn a_pass_counts_in_the_period_it_was_completed_in() {
    let env = env();
    build(&env, None);
    for (from, to) in [
        ("2026-12-01", "2026-12-07"),
        ("2026-12-08", "2026-12-08"),
        ("2026-11-30", "2026-11-30"),
        ("2026-12-14", "2026-12-31"),
        ("2026-06-01", "2026-06-30"),
    ] {
        let got = env.json(&["report", "--from", from, "--to", to]);
        assert_subset(&got, &expected(from, to), &format!("{from}..{to}"));
    }
    // Nothing in June: no medians, no shares; the running cases still show.
    let june = env.json(&["report", "--from", "2026-06-01", "--to", "2026-06-30"]);
    assert_eq!(june["steps"][0]["median_minutes"], Value::Null);
    assert_eq!(june["on_time_share"], Value::Null);
    assert_eq!(june["cases"]["overdue_now"], 3);
    // --to alone starts the period on 1 January of its year.
    let november = env.json(&["report", "--to", "2026-11-30"]);
    assert_subset(&november, &expected("2026-01-01", "2026-11-30"), "to");
}

#[test]
fn csv_has_a_row_per_step_role_total_and_case_count() {
    let env = env();
    build(&env, None);
    let json = env.json(&["report", "--from", "2026-12-01"]);
    let text = env.ok(&["report", "--from", "2026-12-01", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "from",
            "to",
            "kind",
            "key",
            "nama",
            "waktu",
            "standard_minutes",
            "passes",
            "on_time",
            "on_time_share",
            "median_minutes",
            "p90_minutes",
            "tidak_returns",
            "cases"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("RFC 4180 row")).collect();
    assert_eq!(rows.len(), 10 + 5 + 1 + 4);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let cell = |row: &csv::StringRecord, name: &str| row.get(col(name)).unwrap().to_string();
    // A number, or null for an empty cell.
    let num = |row: &csv::StringRecord, name: &str| -> Value {
        let text = cell(row, name);
        if text.is_empty() {
            Value::Null
        } else if let Ok(n) = text.parse::<i64>() {
            json!(n)
        } else {
            json!(text
                .parse::<f64>()
                .unwrap_or_else(|_| panic!("{name}: {text:?}")))
        }
    };
    for row in &rows {
        assert_eq!(
            (cell(row, "from"), cell(row, "to")),
            ("2026-12-01".into(), "2026-12-18".into())
        );
    }
    for (i, row) in rows[..10].iter().enumerate() {
        let step = &json["steps"][i];
        assert_eq!(cell(row, "kind"), "step");
        assert_eq!(cell(row, "key"), step["step"].to_string());
        // Uraian with commas and semicolons survive the quoting.
        assert_eq!(cell(row, "nama"), step["uraian"].as_str().unwrap());
        assert_eq!(cell(row, "waktu"), step["waktu"].as_str().unwrap());
        for name in [
            "standard_minutes",
            "passes",
            "on_time",
            "on_time_share",
            "median_minutes",
            "p90_minutes",
            "tidak_returns",
        ] {
            assert_subset(&num(row, name), &step[name], &format!("step {i} {name}"));
        }
        assert_eq!(cell(row, "cases"), "");
    }
    for (i, row) in rows[10..15].iter().enumerate() {
        let role = &json["roles"][i];
        assert_eq!(cell(row, "kind"), "role");
        assert_eq!(cell(row, "key"), role["role"].as_str().unwrap());
        for name in ["passes", "on_time", "on_time_share"] {
            assert_subset(&num(row, name), &role[name], &format!("role {i} {name}"));
        }
    }
    let total = &rows[15];
    assert_eq!(cell(total, "kind"), "total");
    assert_eq!(num(total, "passes"), json["passes"]);
    assert_eq!(num(total, "tidak_returns"), json["tidak_returns"]);
    for (row, key) in rows[16..]
        .iter()
        .zip(["opened", "finished", "active_now", "overdue_now"])
    {
        assert_eq!(
            (cell(row, "kind"), cell(row, "key")),
            ("cases".into(), key.to_string())
        );
        assert_eq!(num(row, "cases"), json["cases"][key]);
    }
}

#[test]
fn the_table_shows_every_step_and_role() {
    let env = env();
    build(&env, None);
    let out = env.ok(&["report", "--from", "2026-12-01"]);
    for text in [
        "Pelaksanaan Kegiatan Pemberdayaan dan Pengembangan Koperasi (000.8.3.3 / 380 / 100.14)",
        "Period 2026-12-01 to 2026-12-18; active and overdue as of 2026-12-18 16:00",
        "Cases: 3 opened, 1 finished in the period; 4 active now, 3 overdue now",
        "TIDAK returns: 2",
        "Kepala Bidang Pemberdayaan dan Pengembangan Koperasi",
        "2 hari",
        "nearest-rank",
    ] {
        assert!(out.contains(text), "{text:?} missing:\n{out}");
    }
    // Step 6 took exactly its 2 hari once, on time.
    let six = out
        .lines()
        .find(|l| l.contains("│ 6 "))
        .expect("step 6 row");
    assert!(
        six.contains("2 hari") && six.contains("1 (100.0%)"),
        "{six}"
    );
}

#[test]
fn bad_dates_and_an_empty_period_are_refused() {
    let env = env();
    for (option, value) in [
        ("--from", "2026-13-01"),
        ("--to", "18-12-2026"),
        ("--from", "kemarin"),
    ] {
        let out = env.cmd().args(["report", option, value]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{option} {value}: wrong usage");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(&format!("invalid value '{value}' for '{option} <DATE>'"))
                && err.contains("give a date as YYYY-MM-DD"),
            "{err}"
        );
    }
    let err = env.fails(&["report", "--from", "2026-12-10", "--to", "2026-12-01"]);
    assert!(
        err.contains(
            "the period is empty: it would start on 2026-12-10, after its end on 2026-12-01"
        ),
        "{err}"
    );
    assert!(err.contains("hint: give --from on or before --to"), "{err}");
    // --from after today, with --to left to default to today.
    let err = env.fails(&["report", "--from", "2026-12-19"]);
    assert!(err.contains("after its end on 2026-12-18"), "{err}");
}

#[test]
fn unreadable_case_files_are_named_and_the_rest_reported() {
    let env = env();
    build(&env, None);
    let cases = env.data_dir().join("cases");
    fs::write(cases.join("2026-0009.json"), "{ not a case").unwrap();
    let before = env.snapshot();
    let out = env
        .cmd()
        .args(["report", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["passes"], 25, "the good cases are all counted");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("2026-0009.json: not a readable case file"),
        "{err}"
    );
    assert_eq!(env.snapshot(), before);
}

/// The shipped SOP with `<`, `&` and quotes in its identity, which the
/// page must show as text.
fn tricky_sop(env: &TestEnv) -> PathBuf {
    let src = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sop/pemberdayaan-koperasi.toml"),
    )
    .unwrap();
    let src = src
        .replacen(
            r#"nama = "Pelaksanaan Kegiatan Pemberdayaan dan Pengembangan Koperasi""#,
            r#"nama = "Pelaksanaan <b>Kegiatan</b> & \"Uji\" Koperasi""#,
            1,
        )
        .replacen(
            r#"jabatan = "Kepala Dinas""#,
            r#"jabatan = "Kepala Dinas <Plt> & 'Pj'""#,
            1,
        );
    assert!(src.contains("<b>Kegiatan</b>") && src.contains("<Plt>"));
    env.write("tricky-sop.toml", &src)
}

#[test]
fn the_html_page_is_self_contained_escaped_and_written_atomically() {
    let env = env();
    let sop = tricky_sop(&env);
    let sop = sop.to_str().unwrap();
    build(&env, Some(sop));
    let out_dir = env.path("out");
    fs::create_dir(&out_dir).unwrap();
    let file = out_dir.join("laporan.html");
    fs::write(&file, "an older report").unwrap();
    let stdout = env.ok(&with_sop(
        &[
            "report",
            "--html",
            file.to_str().unwrap(),
            "--format",
            "json",
        ],
        Some(sop),
    ));
    let report: Value = serde_json::from_str(&stdout).expect("stdout is still the JSON report");
    let page = fs::read_to_string(&file).unwrap();
    let names: Vec<_> = fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["laporan.html"], "no temporary file left behind");

    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("@page { size: A4"));
    assert!(page.contains(
        r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">"#
    ));
    for external in [
        "http:", "https:", "src=", "href=", "<script", "@import", "url(",
    ] {
        assert!(!page.contains(external), "the page refers out: {external}");
    }
    assert!(
        page.contains(r#"<td id="sop-nama">Pelaksanaan &lt;b&gt;Kegiatan&lt;/b&gt; &amp; &quot;Uji&quot; Koperasi</td>"#),
        "identity escaped"
    );
    assert!(page.contains("Kepala Dinas &lt;Plt&gt; &amp; &#39;Pj&#39;"));
    assert!(!page.contains("<b>Kegiatan"));
    assert_eq!(
        report["sop"]["nama"],
        r#"Pelaksanaan <b>Kegiatan</b> & "Uji" Koperasi"#
    );
    for n in 1..=10 {
        assert!(page.contains(&format!(r#"<figure class="chart" id="chart-step-{n}">"#)));
    }
    assert_eq!(page.matches("<svg ").count(), 10, "one chart per step");

    // A directory that does not exist: an error naming the file; stdout empty.
    let missing = env.path("nowhere/laporan.html");
    let out = env
        .cmd()
        .args(["report", "--sop", sop, "--html", missing.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!("cannot write the report to {}", missing.display())),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

// ---- Headless Chromium ----

/// The browser, or `None` when it is missing and the test may be skipped.
/// It may be skipped only where KOPERASI_SOP_SKIP_BROWSER=1 says so: CI
/// installs Chromium (`.ci/run`) and fails without it.
fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
            .find(|path| path.is_file())
    });
    if found.is_none() {
        assert_eq!(
            std::env::var("KOPERASI_SOP_SKIP_BROWSER").as_deref(),
            Ok("1"),
            "chromium is not installed: install it (Debian: apt-get install chromium) \
             or set KOPERASI_SOP_SKIP_BROWSER=1 to skip the browser test on this machine"
        );
        eprintln!("skipped: chromium is not installed and KOPERASI_SOP_SKIP_BROWSER=1");
    }
    found
}

/// What the browser printed: stdout, and the log lines on stderr.
struct Run {
    stdout: String,
    stderr: String,
}

/// Runs headless Chromium on `page` with `action` (`--dump-dom`, ...),
/// offline and with a fresh profile; console messages go to stderr.
fn browse(browser: &Path, env: &TestEnv, page: &Path, action: &str) -> Run {
    let profile = tempfile::tempdir_in(env.path("")).unwrap();
    let (out, err) = (env.path("chromium.out"), env.path("chromium.err"));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            // No network: anything not in the file would fail to load.
            "--proxy-server=http://127.0.0.1:9",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(action)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out).unwrap())
        .stderr(fs::File::create(&err).unwrap())
        .spawn()
        .expect("start chromium");
    // A guard against a browser that hangs, not a measurement: the run
    // takes about a second.
    let deadline = Instant::now() + Duration::from_secs(300);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 5 minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let run = Run {
        stdout: fs::read_to_string(&out).unwrap(),
        stderr: fs::read_to_string(&err).unwrap(),
    };
    assert!(
        status.success(),
        "chromium failed: {status}\n{}",
        run.stderr
    );
    run
}

/// Console messages: a blocked or failed load, a policy violation, a
/// script error. The page has no script, so any is a fault.
fn console_messages(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

/// The text of the element with `id` in a serialized DOM.
fn cell<'a>(dom: &'a str, id: &str) -> &'a str {
    let open = format!(r#"id="{id}""#);
    let start = dom
        .find(&open)
        .unwrap_or_else(|| panic!("no #{id} in the page"));
    let rest = &dom[start..];
    let text = &rest[rest.find('>').unwrap() + 1..];
    &text[..text.find('<').unwrap()]
}

fn attr<'a>(dom: &'a str, id: &str, name: &str) -> &'a str {
    let open = format!(r#"id="{id}" {name}=""#);
    let start = dom
        .find(&open)
        .unwrap_or_else(|| panic!("no #{id} with {name}"))
        + open.len();
    &dom[start..start + dom[start..].find('"').unwrap()]
}

#[test]
fn chromium_loads_the_page_without_errors_and_prints_it_on_a4() {
    let Some(browser) = chromium() else { return };
    let env = env();
    let sop = tricky_sop(&env);
    let sop = sop.to_str().unwrap();
    build(&env, Some(sop));
    let page = env.path("laporan.html");
    let report = env.json(&with_sop(
        &["report", "--html", page.to_str().unwrap()],
        Some(sop),
    ));

    let run = browse(&browser, &env, &page, "--dump-dom");
    let dom = &run.stdout;
    assert_eq!(
        console_messages(&run.stderr),
        Vec::<&str>::new(),
        "the page loads cleanly"
    );
    assert!(dom
        .contains("<title>SOP report 000.8.3.3 / 380 / 100.14 (2026-01-01 – 2026-12-18)</title>"));
    // The identity, as text: Chromium would have made an element of <b>.
    assert_eq!(
        cell(dom, "sop-nama"),
        r#"Pelaksanaan &lt;b&gt;Kegiatan&lt;/b&gt; &amp; "Uji" Koperasi"#
    );
    assert_eq!(cell(dom, "sop-nomor"), "000.8.3.3 / 380 / 100.14");
    assert!(dom.contains("Kepala Dinas &lt;Plt&gt; &amp; 'Pj'<br>JUSMARAMDHANA ALUS, SH.,M.Si<br>NIP 197110301994031002"));
    assert_eq!(cell(dom, "period"), "2026-01-01 – 2026-12-18");
    // The figures: as the JSON report has them, which the tests above check.
    for (id, key) in [
        ("cases-opened", "opened"),
        ("cases-finished", "finished"),
        ("cases-active-now", "active_now"),
        ("cases-overdue-now", "overdue_now"),
    ] {
        assert_eq!(cell(dom, id), report["cases"][key].to_string(), "{id}");
    }
    assert_eq!(cell(dom, "passes"), "25");
    assert_eq!(cell(dom, "on-time"), "18&nbsp;(72.0%)");
    assert_eq!(cell(dom, "tidak-returns"), "3");
    for step in report["steps"].as_array().unwrap() {
        let n = step["step"].as_u64().unwrap();
        assert_eq!(
            cell(dom, &format!("step-{n}-passes")),
            step["passes"].to_string()
        );
        for (id, key) in [
            ("standard", "standard_minutes"),
            ("median", "median_minutes"),
            ("p90", "p90_minutes"),
        ] {
            let id = format!("step-{n}-{id}");
            match step[key].as_i64() {
                Some(minutes) => {
                    assert_eq!(attr(dom, &id, "data-minutes"), minutes.to_string(), "{id}")
                }
                None => assert_eq!(cell(dom, &id), "–", "{id}"),
            }
        }
        let on_time = match step["on_time_share"].as_f64() {
            Some(s) => format!("{}&nbsp;({:.1}%)", step["on_time"], s * 100.0),
            None => "–".into(),
        };
        assert_eq!(cell(dom, &format!("step-{n}-on-time")), on_time);
    }
    assert_eq!(cell(dom, "step-1-median"), "22&nbsp;menit");
    assert_eq!(cell(dom, "step-6-standard"), "2&nbsp;hari");
    assert_eq!(cell(dom, "step-2-tidak"), "3");
    assert_eq!(cell(dom, "role-kepala_bidang-passes"), "8");
    assert_eq!(cell(dom, "role-sekretaris-on-time"), "1&nbsp;(100.0%)");
    assert_eq!(dom.matches("<svg ").count(), 10);

    // It prints: a PDF on A4 paper (595 × 842 points).
    let pdf = env.path("laporan.pdf");
    browse(
        &browser,
        &env,
        &page,
        &format!("--print-to-pdf={}", pdf.display()),
    );
    let bytes = fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&bytes);
    let boxes: Vec<&str> = text.matches("/MediaBox [0 0 ").collect();
    assert!(!boxes.is_empty(), "no page in the PDF");
    for at in text
        .match_indices("/MediaBox [0 0 ")
        .map(|(i, m)| i + m.len())
    {
        let dims: Vec<f64> = text[at..at + text[at..].find(']').unwrap()]
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        assert!(
            (dims[0] - 595.3).abs() < 2.0 && (dims[1] - 841.9).abs() < 2.0,
            "page size {dims:?} is not A4"
        );
    }

    // The check above can fail: a page that loads a missing image and an
    // outside stylesheet shows in the console.
    let bad = env.write(
        "bad.html",
        &fs::read_to_string(&page).unwrap().replacen(
            "</header>",
            r#"<img src="missing.png"><link rel="stylesheet" href="https://example.invalid/x.css"></header>"#,
            1,
        ),
    );
    let run = browse(&browser, &env, &bad, "--dump-dom");
    assert_eq!(console_messages(&run.stderr).len(), 2, "{}", run.stderr);
}
