//! The data directory: files the tool cannot read, the writers' lock,
//! concurrent writers, help text and pipes.

mod common;

use std::fs;

use common::TestEnv;

#[test]
fn unreadable_case_files_are_named_and_left_alone_while_good_cases_show() {
    let env = TestEnv::new();
    let good = env.open("6472010000123", "Koperasi Baik", "2026-12-07 07:30");
    let cases = env.data_dir().join("cases");
    let text = fs::read_to_string(cases.join(format!("{good}.json"))).unwrap();
    fs::write(cases.join("2026-0002.json"), &text[..text.len() / 2]).unwrap();
    fs::write(
        cases.join("2026-0003.json"),
        text.replace(&good, "2026-0009"),
    )
    .unwrap();
    fs::write(
        cases.join("2026-0004.json"),
        text.replace(&good, "2026-0004")
            .replace("\"schema\": 2", "\"schema\": 99"),
    )
    .unwrap();
    fs::write(cases.join("catatan.txt"), "bukan kasus").unwrap();
    fs::create_dir(cases.join("2026-0005.json")).unwrap();
    std::os::unix::fs::symlink(
        cases.join(format!("{good}.json")),
        cases.join("2026-0006.json"),
    )
    .unwrap();
    let before = env.snapshot();

    for command in [vec!["status"], vec!["check"]] {
        let out = env
            .cmd()
            .args(&command)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{command:?} exits 1 when a file is bad"
        );
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let text = rows.to_string();
        assert!(
            text.contains(&good),
            "{command:?} still shows the good case: {text}"
        );
        let err = String::from_utf8(out.stderr).unwrap();
        for (file, reason) in [
            ("2026-0002.json", "not a readable case file"),
            (
                "2026-0003.json",
                "named for case 2026-0003 but holds case 2026-0009",
            ),
            ("2026-0004.json", "schema 99, newer than this koperasi-sop"),
            ("catatan.txt", "not a case file"),
            ("2026-0005.json", "a directory"),
            ("2026-0006.json", "a symbolic link"),
        ] {
            let line = err
                .lines()
                .find(|l| l.contains(file))
                .unwrap_or_else(|| panic!("{file} not named:\n{err}"));
            assert!(
                line.contains(reason),
                "{file}: expected {reason:?} in {line:?}"
            );
        }
    }
    let err = env.fails(&["advance", "2026-0002", "--role", "jfu"]);
    assert!(
        err.contains("2026-0002.json: not a readable case file"),
        "{err}"
    );
    assert!(err.contains("hint: the file was left as it is"), "{err}");
    let err = env.fails(&["advance", "2026-0004", "--role", "jfu"]);
    assert!(err.contains("use a newer koperasi-sop"), "{err}");
    assert_eq!(env.snapshot(), before, "no bad file was rewritten");

    // The good case still advances, and a new case steps over every
    // existing file, readable or not.
    env.ok(&["advance", &good, "--role", "jfu"]);
    let next = env.open("6472010000124", "Koperasi Baru", "2026-12-07 07:40");
    assert_eq!(next, "2026-0007");
    for (path, bytes) in &before {
        // 2026-0006.json is a link to the good case, which has moved on.
        let skip = [format!("{good}.json"), "2026-0006.json".to_string()];
        if path.starts_with("cases") && !skip.iter().any(|s| path.ends_with(s)) {
            assert_eq!(
                &fs::read(env.data_dir().join(path)).unwrap_or_default(),
                bytes,
                "{path:?}"
            );
        }
    }
    let link = fs::symlink_metadata(cases.join("2026-0006.json")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
}

#[test]
fn a_lost_id_counter_never_overwrites_a_case() {
    let env = TestEnv::new();
    env.open("6472010000001", "Koperasi A", "2026-12-07 07:30");
    env.open("6472010000002", "Koperasi B", "2026-12-07 07:30");
    fs::write(env.data_dir().join("ids.json"), "{\"2026\": 1}").unwrap();
    let third = env.open("6472010000003", "Koperasi C", "2026-12-07 07:30");
    assert_eq!(
        third, "2026-0003",
        "a counter behind the files steps over them"
    );
    fs::remove_file(env.data_dir().join("ids.json")).unwrap();
    assert_eq!(
        env.open("6472010000004", "Koperasi D", "2026-12-07 07:30"),
        "2026-0004"
    );
    let a = env.json(&["show", "2026-0001"]);
    assert_eq!(a["nama"], "Koperasi A");
}

#[test]
fn a_writer_waiting_for_the_lock_says_so_and_gives_up_after_the_timeout() {
    let env = TestEnv::new();
    let id = env.open("6472010000123", "Koperasi A", "2026-12-07 07:30");
    let before = env.snapshot();
    let lock = fs::OpenOptions::new()
        .write(true)
        .open(env.data_dir().join("lock"))
        .unwrap();
    lock.lock().unwrap();
    let out = env
        .cmd()
        .args(["advance", &id, "--role", "jfu", "--lock-timeout", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("waiting for the lock on"), "{err}");
    assert!(err.contains("gave up waiting for the lock"), "{err}");
    assert_eq!(env.snapshot(), before);
    lock.unlock().unwrap();
    env.ok(&["advance", &id, "--role", "jfu"]);
}

#[test]
fn concurrent_writers_lose_nothing() {
    let env = TestEnv::new();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("koperasi-sop"))
            .env("KOPERASI_SOP_DATA", env.data_dir())
            .env("KOPERASI_SOP_NOW", &env.now)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let opened: Vec<(String, String)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|w| {
                scope.spawn(move || {
                    (0..15)
                        .map(|i| {
                            let nik = format!("6472{w:02}{i:07}");
                            let id = run(&[
                                "open",
                                "--nik",
                                &nik,
                                "--nama",
                                "K",
                                "--at",
                                "2026-12-07 07:30",
                            ]);
                            run(&["advance", &id, "--role", "jfu", "--at", "2026-12-07 07:45"]);
                            (id, nik)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let ids: std::collections::BTreeSet<_> = opened.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(ids.len(), 60, "every open got its own id");
    for (id, nik) in &opened {
        let case = env.json(&["show", id]);
        assert_eq!(
            case["nik"],
            nik.as_str(),
            "case {id} holds its own cooperative"
        );
        assert_eq!(case["step"], 2, "case {id} kept its advance");
        assert_eq!(case["history"].as_array().unwrap().len(), 2);
    }
}

#[test]
fn every_command_has_help() {
    let env = TestEnv::new();
    for args in [
        vec!["--help"],
        vec!["open", "--help"],
        vec!["advance", "--help"],
        vec!["status", "--help"],
        vec!["show", "--help"],
        vec!["check", "--help"],
        vec!["sop", "--help"],
        vec!["sop", "show", "--help"],
        vec!["sop", "validate", "--help"],
    ] {
        let out = env.ok(&args);
        assert!(out.contains("Usage: koperasi-sop"), "{args:?}:\n{out}");
        assert!(
            out.contains("--data-dir"),
            "{args:?} lists the global options"
        );
    }
    let advance = env.ok(&["advance", "--help"]);
    assert!(advance.contains("--decision <ya|tidak>"), "{advance}");
    let out = env.cmd().arg("bogus").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "usage errors exit 2");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let env = TestEnv::new();
    let first = env.open(
        "6472010000001",
        "Koperasi Dengan Nama Panjang",
        "2026-12-07 07:30",
    );
    // Far more output than a pipe buffer holds: copies of the first case.
    let cases = env.data_dir().join("cases");
    let text = fs::read_to_string(cases.join(format!("{first}.json"))).unwrap();
    for n in 2..=400 {
        let id = format!("2026-{n:04}");
        fs::write(cases.join(format!("{id}.json")), text.replace(&first, &id)).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("koperasi-sop");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' status --format json | head -c 10 >/dev/null; echo ${{PIPESTATUS[0]}}",
            bin.display()
        ))
        .env("KOPERASI_SOP_DATA", env.data_dir())
        .env("KOPERASI_SOP_NOW", &env.now)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.is_empty(), "nothing on stderr: {err}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        "0",
        "exit status 0"
    );
}

/// Writes `bytes` as case file `name` into the data directory by hand.
fn put_case_file(env: &TestEnv, name: &str, bytes: &[u8]) {
    fs::write(env.data_dir().join("cases").join(name), bytes).unwrap();
}

#[test]
fn case_files_that_are_not_json_or_not_a_case_are_named_where_and_left_alone() {
    let env = TestEnv::new();
    let good = env.open("6472010000123", "Koperasi Baik", "2026-12-07 07:30");
    let text =
        fs::read_to_string(env.data_dir().join("cases").join(format!("{good}.json"))).unwrap();
    let as_case = |id: &str, text: &str| text.replace(&good, id).into_bytes();
    let kinds: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "2026-0002",
            b"bukan JSON sama sekali".to_vec(),
            "not a readable case file: expected value at line 1 column 1",
        ),
        (
            "2026-0003",
            Vec::new(),
            "not a readable case file: EOF while parsing a value at line 1 column 0",
        ),
        (
            "2026-0004",
            b"[1, 2, 3]\n".to_vec(),
            "not a readable case file: invalid type: sequence, expected struct Case",
        ),
        (
            "2026-0005",
            as_case("2026-0005", &text.replace("6472010000123", "64720")),
            "invalid NIK koperasi \"64720\": it has 5 digits",
        ),
        (
            "2026-0006",
            as_case("2026-0006", &text.replace("\"active\"", "\"hilang\"")),
            "unknown variant `hilang`, expected `active` or `done` at line 19",
        ),
        (
            "2026-0007",
            b"\xff\xfe{\"schema\": 2}".to_vec(),
            "not a readable case file: expected value at line 1 column 1",
        ),
        (
            "2026-0008",
            as_case("2026-0008", &format!("{text}}}\n")),
            "not a readable case file: trailing characters at line 20",
        ),
        (
            "2026-0009",
            as_case(
                "2026-0009",
                &text.replace("\"schema\": 2", "\"schema\": \"dua\""),
            ),
            "not a readable case file: invalid type: string \"dua\", expected u32 at line 2",
        ),
    ];
    for (id, bytes, _) in &kinds {
        put_case_file(&env, &format!("{id}.json"), bytes);
    }
    let before = env.snapshot();

    // Twice: the first status rebuilds the index, the second reads it.
    for command in [vec!["status"], vec!["status"], vec!["check"]] {
        let out = env.cmd().args(&command).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{command:?}");
        assert!(String::from_utf8(out.stdout).unwrap().contains(&good));
        let err = String::from_utf8(out.stderr).unwrap();
        for (id, _, reason) in &kinds {
            let line = err
                .lines()
                .find(|l| l.contains(&format!("cases/{id}.json: ")))
                .unwrap_or_else(|| panic!("{command:?} does not name {id}:\n{err}"));
            assert!(
                line.contains(reason),
                "{id}: expected {reason:?} in {line:?}"
            );
            assert!(line.ends_with("(left untouched)"), "{line}");
        }
    }
    for (id, _, reason) in &kinds {
        for command in [vec!["show", id], vec!["advance", id, "--role", "jfu"]] {
            let err = env.fails(&command);
            assert!(err.contains(&format!("{id}.json: ")), "{command:?}: {err}");
            assert!(err.contains(reason), "{command:?}: {err}");
            assert!(err.contains("hint: the file was left as it is"), "{err}");
        }
    }
    assert_eq!(env.snapshot(), before, "no bad file was rewritten");
    env.ok(&["advance", &good, "--role", "jfu"]);
    let next = env.open("6472010000124", "Koperasi Baru", "2026-12-07 07:40");
    assert_eq!(next, "2026-0010", "a new case steps over every file");
}

#[test]
fn a_case_file_of_a_newer_schema_names_the_schema_it_needs() {
    let env = TestEnv::new();
    let good = env.open("6472010000123", "Koperasi Baik", "2026-12-07 07:30");
    let text =
        fs::read_to_string(env.data_dir().join("cases").join(format!("{good}.json"))).unwrap();
    // A newer file this version can parse, and one whose shape it cannot.
    let newer = text.replace("\"schema\": 2", "\"schema\": 3");
    put_case_file(
        &env,
        "2026-0002.json",
        newer.replace(&good, "2026-0002").as_bytes(),
    );
    let reshaped = newer.replace("\"active\"", "\"diarsipkan\"");
    put_case_file(
        &env,
        "2026-0003.json",
        reshaped.replace(&good, "2026-0003").as_bytes(),
    );
    let before = env.snapshot();
    let message = "written with case-file schema 3, newer than this koperasi-sop \
                   0.1.0 reads (schema 2); use a newer koperasi-sop";
    let message = message.replace("0.1.0", env!("CARGO_PKG_VERSION"));
    for id in ["2026-0002", "2026-0003"] {
        for command in [
            vec!["show", id],
            vec!["advance", id, "--role", "jfu"],
            vec!["check", id],
        ] {
            let err = env.fails(&command);
            assert!(
                err.contains(&format!("{id}.json: {message}")),
                "{command:?}:\n{err}"
            );
        }
    }
    let err = env.fails(&["status"]);
    assert_eq!(err.matches(&message).count(), 2, "{err}");
    assert_eq!(env.snapshot(), before, "the newer files were not rewritten");
}

#[test]
fn an_unreadable_case_file_is_named_and_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    let a = env.open("6472010000001", "Koperasi A", "2026-12-07 07:30");
    let b = env.open("6472010000002", "Koperasi B", "2026-12-07 07:30");
    let path = env.data_dir().join("cases").join(format!("{b}.json"));
    let bytes = fs::read(&path).unwrap();
    // Warm the index, so the chmod below happens to an indexed case.
    env.ok(&["status"]);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&path).is_ok() {
        // Root (or CAP_DAC_OVERRIDE) reads it anyway; nothing to test here.
        eprintln!("note: skipped the mode-000 case file: this process reads it regardless (root?)");
        return;
    }
    let denied = format!("{b}.json: Permission denied");

    // `status` reads the index, and a chmod does not change `cases/`: it
    // still lists the case as last written.
    let listed = env.json(&["status"]);
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    // Every command that reads the file names it.
    let err = env.fails(&["check"]);
    assert!(
        err.contains(&format!("{denied} (os error 13) (left untouched)")),
        "{err}"
    );
    for command in [
        vec!["show", &b],
        vec!["advance", &b, "--role", "jfu"],
        vec!["check", &b],
    ] {
        let err = env.fails(&command);
        assert!(err.contains(&denied), "{command:?}:\n{err}");
    }
    // A rebuilt index names it, and lists the rest.
    fs::remove_file(env.data_dir().join("index")).unwrap();
    let out = env
        .cmd()
        .args(["status", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains(&denied));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(rows[0]["id"], a.as_str());
    // Work on the other cases goes on.
    env.ok(&["advance", &a, "--role", "jfu"]);
    assert_eq!(
        env.open("6472010000003", "Koperasi C", "2026-12-07 07:30"),
        "2026-0003"
    );
    // And the file is as it was.
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o000, "its mode was not changed");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(
        fs::read(&path).unwrap(),
        bytes,
        "its bytes were not changed"
    );
}
