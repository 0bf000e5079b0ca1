//! The binary, driven end to end in a temporary data directory with a
//! pinned clock and a scrubbed environment.
#![allow(dead_code)] // each test file uses a part

pub mod record;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A Monday, 08:00 WITA, inside working hours.
pub const NOW: &str = "2026-12-07T08:00:00+08:00";

/// Variables of the caller's environment that would change what the
/// binary does.
const SCRUBBED: [&str; 15] = [
    "KOPERASI_SOP_DATA",
    "KOPERASI_SOP_FILE",
    "KOPERASI_SOP_CALENDAR",
    "KOPERASI_SOP_NOW",
    "KOPERASI_SOP_FORMAT",
    "KOPERASI_SOP_LOCK_TIMEOUT",
    "KOPERASI_SOP_CONFIG",
    "KOPERASI_SOP_LANG",
    "KOPERASI_SOP_COLOR",
    "KOPERASI_SOP_SOON",
    "KOPERASI_SOP_FAULT",
    "NO_COLOR",
    "CLICOLOR_FORCE",
    "LC_ALL",
    "LC_MESSAGES",
];

/// Who completes each step of the built-in SOP, YA at the step 2 decision.
pub const YA_PATH: [(&str, Option<&str>); 10] = [
    ("jfu", None),
    ("kepala_bidang", Some("ya")),
    ("jf_pengawas", None),
    ("jf_pengawas", None),
    ("kepala_dinas", None),
    ("jf_pengawas", None),
    ("jf_pengawas", None),
    ("kepala_bidang", None),
    ("kepala_bidang", None),
    ("jfu", None),
];

pub struct TestEnv {
    dir: TempDir,
    pub now: String,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("temp dir"),
            now: NOW.to_string(),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A path for a fixture file of the test's own.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write fixture");
        path
    }

    /// The binary with the data directory and clock of this environment,
    /// speaking English (tests/language.rs drives it in both languages).
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same as a `std::process::Command`, for tests that spawn the
    /// binary and wait for it, kill it, or run many at once.
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("koperasi-sop"));
        for var in SCRUBBED {
            cmd.env_remove(var);
        }
        // The profile lives in the test's own config directory.
        cmd.env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("HOME", self.dir.path())
            .env("LANG", "C")
            .env("KOPERASI_SOP_LANG", "en")
            .env("KOPERASI_SOP_DATA", self.data_dir())
            .env("KOPERASI_SOP_NOW", &self.now)
            .env("COLUMNS", "200");
        cmd
    }

    /// Completes the steps of case `id` from `step` (1-based) to the end of
    /// the built-in SOP on its YA path, each by an actor of the step, at the
    /// time `at` gives for the step (leaving out `--at` for `None`).
    pub fn run_to_end(&self, id: &str, step: usize, at: impl Fn(usize) -> Option<String>) {
        for n in step..=YA_PATH.len() {
            let (role, decision) = YA_PATH[n - 1];
            let mut args = vec![
                "advance".to_string(),
                id.into(),
                "--role".into(),
                role.into(),
            ];
            if let Some(d) = decision {
                args.extend(["--decision".into(), d.into()]);
            }
            if let Some(t) = at(n) {
                args.extend(["--at".into(), t]);
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            self.ok(&args);
        }
    }

    /// Runs with `args`, expects success, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run");
        assert!(
            out.status.success(),
            "koperasi-sop {args:?} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs with `args`, expects exit status 1, returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run");
        assert_eq!(
            out.status.code(),
            Some(1),
            "koperasi-sop {args:?} should fail with 1; stdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    /// Runs with `--format json`, expects success, parses stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let out = self.ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
    }

    /// Opens a case, returns its id.
    pub fn open(&self, nik: &str, nama: &str, at: &str) -> String {
        let v = self.json(&["open", "--nik", nik, "--nama", nama, "--at", at]);
        v["id"].as_str().expect("id").to_string()
    }

    /// Every file of the record under the data directory with its bytes:
    /// all but the derived files (`index`, `nik/`), which any command may
    /// rebuild.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        collect(&self.data_dir(), &self.data_dir(), &mut files);
        files.retain(|path, _| !(path.starts_with("index") || path.starts_with("nik")));
        files
    }
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let rel = path.strip_prefix(root).expect("under root").to_path_buf();
            files.insert(rel, std::fs::read(&path).unwrap_or_default());
        }
    }
}
