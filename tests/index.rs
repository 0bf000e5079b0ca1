//! The index and the case files always agree: `status` (which reads the
//! index) prints what a fresh rebuild prints and what the case files say,
//! after every kind of command, after the index is lost or garbled, and
//! after case files are added, removed or replaced by hand.
//!
//! `reindex` is not here yet: where a test deletes the index to force a
//! rebuild, `koperasi-sop reindex` must give the same (see `rebuilt`).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

use koperasi_sop::case::{self, Case, CaseId, Koperasi};
use koperasi_sop::sop::Sop;
use koperasi_sop::store::Store;
use serde_json::Value;

use common::record;
use common::TestEnv;

fn index(env: &TestEnv) -> PathBuf {
    env.data_dir().join("index")
}

fn case_file(env: &TestEnv, id: &str) -> PathBuf {
    env.data_dir().join("cases").join(format!("{id}.json"))
}

/// The index file's inode: it changes when the index is rewritten
/// (rebuilt), not when a writer appends to it.
fn index_inode(env: &TestEnv) -> u64 {
    fs::metadata(index(env)).expect("an index").ino()
}

/// What `status` prints after the index is deleted and built afresh.
fn rebuilt(env: &TestEnv) -> BTreeMap<String, Value> {
    fs::remove_file(index(env)).expect("an index to delete");
    let rows = record::status_by_id(env);
    assert!(index(env).is_file(), "status wrote a new index");
    env.ok(&["reindex"]);
    assert_eq!(
        record::status_by_id(env),
        rows,
        "reindex builds the same index"
    );
    rows
}

/// `status` from the index as it stands (no rebuild needed) equals the
/// case files and a fresh rebuild.
fn assert_served_from_the_index(env: &TestEnv, what: &str) {
    let inode = index_inode(env);
    let shown = record::status_by_id(env);
    assert_eq!(
        index_inode(env),
        inode,
        "after {what}, status needed no rebuild"
    );
    assert_agrees(env, &shown, what);
}

fn assert_agrees(env: &TestEnv, shown: &BTreeMap<String, Value>, what: &str) {
    let files = record::read_cases(&env.data_dir());
    let expected = record::expected_status(files.cases.values(), &env.now);
    assert_eq!(*shown, expected, "after {what}, status and the case files");
    assert_eq!(rebuilt(env), expected, "after {what}, a rebuilt index");
}

/// Waits until a change to `cases/` gets a later modification time than
/// its last one. Where the file system's clock is coarse, a hand edit in
/// the same tick as the last write leaves the time as it was, and `status`
/// cannot tell until the next change.
fn wait_for_the_clock(env: &TestEnv) {
    let cases = env.data_dir().join("cases");
    let probe = env.path("probe");
    fs::create_dir_all(&probe).unwrap();
    let last = fs::metadata(&cases).unwrap().modified().unwrap();
    for _ in 0..2000 {
        let file = probe.join("p");
        fs::write(&file, "").unwrap();
        fs::remove_file(&file).unwrap();
        if fs::metadata(&probe).unwrap().modified().unwrap() > last {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    panic!("the file system clock did not move in 2000 tries");
}

/// Writes `bytes` to `cases/<name>` the way a person or a backup tool
/// replaces a file: a new file renamed over the old.
fn replace_by_hand(env: &TestEnv, name: &str, bytes: &[u8]) {
    wait_for_the_clock(env);
    let staged = env.path(name);
    fs::write(&staged, bytes).unwrap();
    fs::rename(&staged, env.data_dir().join("cases").join(name)).unwrap();
}

/// A whole case file made with the library, as another copy of the tool
/// would have written it.
fn foreign_case(id: &str, nik: &str) -> Vec<u8> {
    let sop = Sop::embedded().unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2026-12-07T07:00:00+08:00").unwrap();
    let koperasi = Koperasi {
        nik: nik.parse().unwrap(),
        nama: "Koperasi Pindahan".into(),
    };
    let case: Case = case::open(id.parse::<CaseId>().unwrap(), koperasi, &sop, at, at).unwrap();
    serde_json::to_vec_pretty(&case).unwrap()
}

#[test]
fn after_every_kind_of_command_status_is_served_from_an_index_that_agrees() {
    let env = TestEnv::new();
    let a = env.open("6472010000001", "Koperasi A", "2026-12-07 07:30");
    assert_agrees(&env, &record::status_by_id(&env), "the first open");
    let b = env.open(
        "6472010000002",
        "Koperasi \"B\"\tSejahtera",
        "2026-12-07 07:31",
    );
    assert_served_from_the_index(&env, "open");
    env.ok(&["advance", &a, "--role", "jfu", "--at", "2026-12-07 07:40"]);
    assert_served_from_the_index(&env, "advance");
    env.ok(&[
        "advance",
        &a,
        "--role",
        "kepala_bidang",
        "--decision",
        "tidak",
        "--at",
        "2026-12-07 07:45",
    ]);
    assert_served_from_the_index(&env, "a TIDAK return");
    env.run_to_end(&b, 1, |_| None);
    assert_eq!(env.json(&["show", &b])["state"], "done");
    assert_served_from_the_index(&env, "the last step");
    // Readers change nothing.
    for reader in [vec!["show", &a], vec!["check"], vec!["status", "--overdue"]] {
        env.cmd().args(&reader).output().unwrap();
        assert_served_from_the_index(&env, &reader.join(" "));
    }
    env.ok(&["pause", &a, "--role", "jfu", "--reason", "menunggu dokumen"]);
    assert_served_from_the_index(&env, "pause");
    env.ok(&["resume", &a, "--role", "jfu"]);
    assert_served_from_the_index(&env, "resume");
    let csv = env.write(
        "keragaan.csv",
        "nik,nama,aset\n6472010000001,Koperasi A,1.000.000\n6472010000009,Koperasi Baru,2.000.000\n",
    );
    env.ok(&["import", csv.to_str().unwrap()]);
    assert_served_from_the_index(&env, "an import of a new and a changed cooperative");
    env.ok(&["reindex"]);
    assert_served_from_the_index(&env, "reindex");
}

#[test]
fn a_lost_or_garbled_index_is_rebuilt_from_the_case_files() {
    let env = TestEnv::new();
    let a = env.open("6472010000001", "Koperasi A", "2026-12-07 07:30");
    env.open("6472010000002", "Koperasi B", "2026-12-07 07:30");
    env.ok(&["advance", &a, "--role", "jfu"]);
    let good = fs::read(index(&env)).unwrap();
    let text = String::from_utf8(good.clone()).unwrap();
    let last_line_start = text[..text.len() - 1].rfind('\n').unwrap() + 1;
    let garbled: Vec<(&str, Vec<u8>)> = vec![
        (
            "random bytes",
            (0..400u32).map(|i| (i * 97 % 251) as u8).collect(),
        ),
        (
            "text that is not an index",
            b"koperasi-sop\nc\t1\n".to_vec(),
        ),
        ("an empty file", Vec::new()),
        ("the header only", b"koperasi-sop index 2\n".to_vec()),
        (
            "another header version",
            text.replace("koperasi-sop index 2\n", "koperasi-sop index 1\n")
                .into_bytes(),
        ),
        (
            "a truncated last line",
            text.as_bytes()[..last_line_start + 30].to_vec(),
        ),
        (
            "a lost last line",
            text.as_bytes()[..last_line_start].to_vec(),
        ),
        (
            "a garbled line in the middle",
            text.replacen("\nc\t", "\nc\tx", 1).into_bytes(),
        ),
    ];
    let expected =
        record::expected_status(record::read_cases(&env.data_dir()).cases.values(), &env.now);
    for (what, bytes) in garbled {
        fs::write(index(&env), &bytes).unwrap();
        let shown = record::status_by_id(&env);
        assert_eq!(shown, expected, "status with {what}");
        assert_ne!(fs::read(index(&env)).unwrap(), bytes, "{what} was rebuilt");
        assert_served_from_the_index(&env, what);
    }
    // A lost index is rebuilt by a writer too, and nothing is lost.
    fs::remove_file(index(&env)).unwrap();
    env.ok(&["advance", &a, "--role", "kepala_bidang", "--decision", "ya"]);
    assert_served_from_the_index(&env, "an advance without an index");
    fs::remove_file(index(&env)).unwrap();
    env.open("6472010000003", "Koperasi C", "2026-12-07 07:30");
    assert_served_from_the_index(&env, "an open without an index");
    assert_eq!(record::status_by_id(&env).len(), 3);
}

#[test]
fn case_files_added_removed_or_replaced_by_hand_are_seen_without_reindex() {
    let env = TestEnv::new();
    let a = env.open("6472010000001", "Koperasi A", "2026-12-07 07:30");
    let b = env.open("6472010000002", "Koperasi B", "2026-12-07 07:30");
    let backup = fs::read(case_file(&env, &a)).unwrap();
    env.ok(&["advance", &a, "--role", "jfu"]);
    assert_served_from_the_index(&env, "advance");
    let step = |env: &TestEnv, id: &str| record::status_by_id(env)[id]["step"].clone();
    assert_eq!(step(&env, &a), 2);

    // Restored from a backup: a new file renamed over the old one.
    replace_by_hand(&env, &format!("{a}.json"), &backup);
    assert_eq!(step(&env, &a), 1, "status sees the restored file");
    assert_served_from_the_index(&env, "a file replaced by hand");

    // Deleted by hand.
    wait_for_the_clock(&env);
    fs::remove_file(case_file(&env, &b)).unwrap();
    assert!(
        !record::status_by_id(&env).contains_key(&b),
        "status sees the deletion"
    );
    assert_served_from_the_index(&env, "a file deleted by hand");

    // Copied in from another data directory.
    replace_by_hand(
        &env,
        "2026-0009.json",
        &foreign_case("2026-0009", "6472010000009"),
    );
    let shown = record::status_by_id(&env);
    assert_eq!(shown["2026-0009"]["nama"], "Koperasi Pindahan");
    assert_served_from_the_index(&env, "a file copied in by hand");

    // Renamed to a name it does not hold: named as a bad file, and the
    // case is no longer listed under either id.
    wait_for_the_clock(&env);
    fs::rename(case_file(&env, "2026-0009"), case_file(&env, "2026-0010")).unwrap();
    let out = env
        .cmd()
        .args(["status", "--all", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            "2026-0010.json: the file is named for case 2026-0010 but holds case 2026-0009"
        ),
        "{err}"
    );
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [a.as_str()]);
    // And renamed back: listed again, nothing reported.
    wait_for_the_clock(&env);
    fs::rename(case_file(&env, "2026-0010"), case_file(&env, "2026-0009")).unwrap();
    assert!(record::status_by_id(&env).contains_key("2026-0009"));
    assert_served_from_the_index(&env, "a file renamed back");
}

#[test]
fn an_edit_in_place_shows_in_check_at_once_and_in_status_after_a_rebuild() {
    let env = TestEnv::new();
    let a = env.open("6472010000001", "Koperasi A", "2026-12-07 07:50");
    let before = fs::read(case_file(&env, &a)).unwrap();
    env.ok(&["advance", &a, "--role", "jfu"]);
    assert_served_from_the_index(&env, "advance");

    // The same file rewritten where it stands (same inode): `cases/` does
    // not change, so the index still looks current.
    let path = case_file(&env, &a);
    let inode = fs::metadata(&path).unwrap().ino();
    fs::write(&path, &before).unwrap();
    assert_eq!(fs::metadata(&path).unwrap().ino(), inode);

    // Today: `status` shows the index's step 2 until the index is rebuilt
    // (`reindex`); `check` and `show` read the file and say step 1.
    assert_eq!(
        record::status_by_id(&env)[&a]["step"],
        2,
        "status still serves the index"
    );
    let checked = env.json(&["check"]);
    let running: Vec<&Value> = checked["passes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["completed_at"].is_null())
        .collect();
    assert_eq!(running.len(), 1);
    assert_eq!(running[0]["step"], 1, "check reads the file");
    assert_eq!(env.json(&["show", &a])["step"], 1, "show reads the file");
    // After a rebuild (`reindex`, or a lost index), status agrees again.
    assert_eq!(rebuilt(&env)[&a]["step"], 1);
    assert_served_from_the_index(&env, "an edit in place and a rebuild");
    // An advance works from the file as it is now.
    env.ok(&["advance", &a, "--role", "jfu"]);
    let case = record::read_case(&path);
    assert_eq!(
        case.passes().count(),
        1,
        "the edit dropped the first pass; one again now"
    );
    assert_served_from_the_index(&env, "an advance after the edit");
}

#[test]
fn an_index_grown_long_is_compacted_to_what_it_says() {
    let env = TestEnv::new();
    let a = env.open("6472010000001", "Koperasi A", "2026-12-07 07:30");
    env.open("6472010000002", "Koperasi B", "2026-12-07 07:30");
    env.ok(&["advance", &a, "--role", "jfu"]);
    let shown = record::status_by_id(&env);
    // As many lines as a long day of writes leaves: the same lines again.
    let text = fs::read_to_string(index(&env)).unwrap();
    let body: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
    let long = format!("{text}{}", body.repeat(1200 / body.lines().count() + 1));
    fs::write(index(&env), &long).unwrap();
    assert_eq!(
        record::status_by_id(&env),
        shown,
        "the long index says the same"
    );
    let compacted = fs::read_to_string(index(&env)).unwrap();
    assert_eq!(
        compacted.lines().count(),
        3,
        "a header and one line per case:\n{compacted}"
    );
    assert_served_from_the_index(&env, "compaction");
}

#[test]
fn a_case_file_holding_any_text_keeps_the_index_readable() {
    let env = TestEnv::new();
    env.open("6472010000001", "Koperasi A", "2026-12-07 07:30");
    // A hand-made file with tabs, newlines and backslashes where the
    // tool writes a hex digest: the index must escape it, or every
    // `status` would find the index garbled and rebuild it.
    let mut case: Case =
        serde_json::from_slice(&foreign_case("2026-0002", "6472010000002")).unwrap();
    case.sop.digest = "ab\tcd\nc\t2026-0003\\".into();
    replace_by_hand(&env, "2026-0002.json", &serde_json::to_vec(&case).unwrap());
    let first = env
        .cmd()
        .args(["status", "--format", "json"])
        .output()
        .unwrap();
    let inode = index_inode(&env);
    let again = env
        .cmd()
        .args(["status", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        index_inode(&env),
        inode,
        "the second status read the index it wrote"
    );
    assert_eq!(again, first);
    let err = String::from_utf8(again.stderr).unwrap();
    // Such a digest would name a file outside sop/: the file is refused.
    assert!(err.contains("2026-0002.json: its SOP digest"), "{err}");
    assert!(err.contains("is not a SHA-256 digest"), "{err}");
    let rows: Vec<Value> = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(rows.len(), 1, "the other case is listed");
}

#[test]
fn a_new_case_opened_without_an_index_is_its_cooperatives_latest() {
    let env = TestEnv::new();
    let nik = "6472010000001".parse().unwrap();
    let latest = |env: &TestEnv| {
        let case = Store::new(env.data_dir()).case_of(&nik).unwrap();
        case.map(|c| c.id.to_string())
    };
    let first = env.open("6472010000001", "Koperasi A", "2026-12-07 07:00");
    assert_eq!(latest(&env), Some(first.clone()));
    // The first case runs to its end, so the cooperative may start again.
    env.run_to_end(&first, 1, |n| {
        Some(format!("2026-12-07 07:{:02}", n * 3 - 2))
    });
    // The open rebuilds the lost index, and with it the `nik/` links,
    // from the files as they were before the new case.
    fs::remove_file(index(&env)).unwrap();
    let second = env.open("6472010000001", "Koperasi A", "2026-12-07 07:40");
    assert_eq!(latest(&env), Some(second.clone()), "the later active case");
    assert_served_from_the_index(&env, "an open without an index");
    assert_eq!(latest(&env), Some(second), "and after a rebuild");
}
