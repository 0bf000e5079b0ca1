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
