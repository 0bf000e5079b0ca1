//! The officer's profile: `config init`, `config show`, and commands that
//! take the officer's name and role from it.

mod common;

use common::TestEnv;
use serde_json::Value;

fn setting<'a>(rows: &'a Value, name: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["setting"] == name)
        .unwrap_or_else(|| panic!("no {name} in {rows}"))
}

#[test]
fn init_with_flags_then_advance_needs_no_role_or_officer() {
    let env = TestEnv::new();
    let out = env.ok(&[
        "config",
        "init",
        "--nama",
        "Siti Rahmah",
        "--nip",
        "198501012010012001",
        "--peran",
        "jfu",
        "--no-input",
    ]);
    assert!(out.contains("profile written to"), "{out}");
    let config = env.path("config/koperasi-sop/config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("nama = \"Siti Rahmah\""), "{text}");

    let id = env.open("6472010000123", "Koperasi A", "2026-12-07 07:30");
    env.ok(&["advance", &id]);
    let shown = env.json(&["show", &id]);
    assert_eq!(shown["history"][0]["role"], "jfu");
    assert_eq!(
        shown["history"][0]["officer"],
        "Siti Rahmah (NIP 198501012010012001)"
    );
    // A flag still wins over the profile.
    let err = env.fails(&["advance", &id]);
    assert!(
        err.contains("role \"jfu\" may not complete step 2"),
        "{err}"
    );
    env.ok(&[
        "advance",
        &id,
        "--role",
        "kepala_bidang",
        "--officer",
        "Budi",
        "--decision",
        "ya",
    ]);
}

#[test]
fn without_a_profile_the_role_is_asked_for() {
    let env = TestEnv::new();
    let id = env.open("6472010000123", "Koperasi A", "2026-12-07 07:30");
    let err = env.fails(&["advance", &id]);
    assert!(err.contains("no role given"), "{err}");
    assert!(err.contains("config init"), "{err}");
}

#[test]
fn init_asks_for_what_the_flags_do_not_give() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["config", "init"])
        .write_stdin("Siti Rahmah\n198501012010012001\nlurah\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Nama: "), "{err}");
    assert!(
        err.contains("Peran (jfu, jf_pengawas, kepala_bidang, sekretaris, kepala_dinas)"),
        "{err}"
    );
    assert!(err.contains("\"lurah\" is not a role"), "{err}");
    assert!(!env.path("config/koperasi-sop/config.toml").exists());

    let out = env
        .cmd()
        .args(["config", "init"])
        .write_stdin("Siti Rahmah\n\njf_pengawas\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = env.json(&["config", "show"]);
    assert_eq!(setting(&rows, "peran")["value"], "jf_pengawas");
    assert_eq!(setting(&rows, "nip")["value"], Value::Null);

    // Asked again, an empty answer keeps what is there.
    env.cmd()
        .args(["config", "init", "--nip", "19850101"])
        .write_stdin("\n\n")
        .assert()
        .success();
    let rows = env.json(&["config", "show"]);
    assert_eq!(setting(&rows, "nama")["value"], "Siti Rahmah");
    assert_eq!(setting(&rows, "nip")["value"], "19850101");
}

#[test]
fn show_says_where_each_setting_comes_from() {
    let env = TestEnv::new();
    let elsewhere = env.path("elsewhere");
    env.ok(&[
        "config",
        "init",
        "--nama",
        "Siti",
        "--peran",
        "jfu",
        "--no-input",
        "--data-dir",
        elsewhere.to_str().unwrap(),
    ]);
    // The environment (set by the test for every command) beats the file.
    let rows = env.json(&["config", "show"]);
    assert_eq!(setting(&rows, "data_dir")["source"], "environment");
    assert_eq!(setting(&rows, "nama")["source"], "config_file");
    assert_eq!(setting(&rows, "sop")["source"], "default");
    assert_eq!(setting(&rows, "config")["source"], "default");
    let rows: Value = serde_json::from_slice(
        &env.cmd()
            .env_remove("KOPERASI_SOP_DATA")
            .args(["config", "show", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(setting(&rows, "data_dir")["source"], "config_file");
    assert_eq!(
        setting(&rows, "data_dir")["value"],
        elsewhere.to_str().unwrap()
    );
    let rows = env.json(&["config", "show", "--data-dir", "/tmp/x"]);
    assert_eq!(setting(&rows, "data_dir")["source"], "flag");
    let table = env.ok(&["config", "show"]);
    assert!(table.contains("config file"), "{table}");
}

#[test]
fn a_broken_config_file_is_named_with_its_line() {
    let env = TestEnv::new();
    let bad = env.write(
        "bad.toml",
        "[petugas]\nnama = \"Siti\"\nperan_saya = \"jfu\"\n",
    );
    let err = env.fails(&["--config", bad.to_str().unwrap(), "status"]);
    assert!(err.contains("bad.toml:3:1: "), "{err}");
    assert!(err.contains("config show"), "{err}");
    let err = env.fails(&["--config", "tidak-ada.toml", "status"]);
    assert!(
        err.contains("cannot read the config file tidak-ada.toml"),
        "{err}"
    );
}
