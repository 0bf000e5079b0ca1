//! Crash safety: the binary is killed (SIGKILL) at random moments while it
//! opens and advances cases, and aborted at the store's fault points. After
//! a crash the data directory must hold every case file whole with its
//! chain intact, every step reported done exactly once, no step nobody
//! asked for, every case reported opened, and an index from which
//! `status` prints exactly what the case files say.
//!
//! `KOPERASI_SOP_CRASH_KILLS=N` sets how many processes are killed
//! mid-run (default 300; raise it for a long run) and
//! `KOPERASI_SOP_CRASH_SEED=N` which operations and delays are drawn.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::ExitStatusExt;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use koperasi_sop::case::{Case, CaseId, Decision, Event};
use koperasi_sop::sop::{Flow, Sop};
use proptest::prelude::RngExt;
use proptest::test_runner::{RngAlgorithm, TestRng};

use common::record::{self, Record};
use common::TestEnv;

const SIGKILL: i32 = 9;
const SIGABRT: i32 = 6;

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} is not a number")),
        Err(_) => default,
    }
}

/// An operation the harness started.
#[derive(Debug)]
enum Kind {
    Open {
        nik: String,
        nama: String,
    },
    /// Carries `--note op-<n>`, so its entry can be found in the history.
    Advance {
        id: CaseId,
        step: u32,
        role: String,
        decision: Option<Decision>,
    },
    /// `status` rebuilds the index when it finds it stale: a writer too.
    Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Exit status 0 and its output read.
    Succeeded,
    /// SIGKILL arrived before it finished: it may or may not have happened.
    Killed,
}

#[derive(Debug)]
struct Op {
    kind: Kind,
    outcome: Outcome,
    /// The id a successful `open` printed.
    opened: Option<CaseId>,
}

#[derive(Debug, Default)]
struct Figures {
    ops: usize,
    kills: usize,
    status_checks: usize,
    file_checks: usize,
    killed_opens_kept: usize,
    killed_opens_lost: usize,
    killed_advances_kept: usize,
    killed_advances_lost: usize,
    leftovers: usize,
    cases: usize,
    done: usize,
    tidak: usize,
}

struct Harness {
    env: TestEnv,
    sop: Sop,
    rng: TestRng,
    log: Vec<Op>,
    /// Cases not known to be done.
    active: BTreeSet<CaseId>,
    /// Upper bound of the kill delay, tuned so that about half of the
    /// processes are killed and half finish, wherever the time goes.
    delay_max: Duration,
    figures: Figures,
}

impl Harness {
    fn new(seed: u64) -> Harness {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        Harness {
            env: TestEnv::new(),
            sop: Sop::embedded().expect("built-in SOP"),
            rng: TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
            log: Vec::new(),
            active: BTreeSet::new(),
            delay_max: Duration::from_millis(15),
            figures: Figures::default(),
        }
    }

    /// Draws the next operation; `None` when the case drawn turned out done.
    fn draw(&mut self) -> Option<Kind> {
        let n = self.log.len();
        if self.rng.random_bool(0.1) {
            return Some(Kind::Status);
        }
        if self.active.len() < 3 || self.rng.random_bool(0.1) {
            // Names with a tab, a backslash and a quote, which the index escapes.
            return Some(Kind::Open {
                nik: format!("6472{n:09}"),
                nama: format!("Koperasi \"{n}\"\tMaju \\ Bersama"),
            });
        }
        let pick = self.rng.random_range(0..self.active.len());
        let id = self.active.iter().nth(pick).expect("in range").clone();
        let path = self.env.data_dir().join(format!("cases/{id}.json"));
        let case = record::read_case(&path);
        let Some((step, _)) = case.current() else {
            self.active.remove(&id);
            return None;
        };
        let step = self.sop.step(step).expect("a step of the SOP");
        let decision = match step.flow {
            Flow::Decision { .. } if self.rng.random_bool(0.3) => Some(Decision::Tidak),
            Flow::Decision { .. } => Some(Decision::Ya),
            Flow::Next(_) => None,
        };
        Some(Kind::Advance {
            id,
            step: step.number,
            role: step.actors[0].clone(),
            decision,
        })
    }

    fn args(n: usize, kind: &Kind) -> Vec<String> {
        let mut args: Vec<String> = match kind {
            Kind::Open { nik, nama } => vec![
                "open".into(),
                "--nik".into(),
                nik.clone(),
                "--nama".into(),
                nama.clone(),
            ],
            Kind::Advance {
                id, role, decision, ..
            } => {
                let mut a = vec![
                    "advance".into(),
                    id.to_string(),
                    "--role".into(),
                    role.clone(),
                    "--note".into(),
                    format!("op-{n}"),
                ];
                if let Some(d) = decision {
                    a.push("--decision".into());
                    a.push(d.to_string().to_lowercase());
                }
                a
            }
            Kind::Status => vec!["status".into(), "--all".into()],
        };
        args.extend(["--format".into(), "json".into()]);
        args
    }

    /// Runs one operation and kills it after a random delay.
    fn step(&mut self) -> Option<Outcome> {
        let kind = self.draw()?;
        let n = self.log.len();
        let delay = self.delay_max.mul_f64(self.rng.random_range(0.0..1.0));
        let mut child = self
            .env
            .std_cmd()
            .args(Self::args(n, &kind))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn koperasi-sop");
        std::thread::sleep(delay);
        // Harmless when it has already exited: it is not reaped yet.
        child.kill().expect("kill");
        let out: Output = child.wait_with_output().expect("wait");
        self.figures.ops += 1;
        let outcome = if out.status.success() {
            Outcome::Succeeded
        } else if out.status.signal() == Some(SIGKILL) {
            Outcome::Killed
        } else {
            panic!(
                "op-{n} {kind:?} failed without being killed ({}):\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        };
        // About half killed, half finished.
        self.delay_max = match outcome {
            Outcome::Killed => self.delay_max.mul_f64(1.05),
            Outcome::Succeeded => self.delay_max.mul_f64(0.95),
        }
        .clamp(Duration::from_millis(1), Duration::from_secs(1));
        let mut opened = None;
        if outcome == Outcome::Succeeded {
            let printed: serde_json::Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("op-{n} {kind:?} printed no JSON ({e})"));
            match &kind {
                Kind::Open { .. } => {
                    let id: CaseId = printed["id"]
                        .as_str()
                        .expect("id")
                        .parse()
                        .expect("a case id");
                    self.active.insert(id.clone());
                    opened = Some(id);
                }
                Kind::Advance { id, .. } => {
                    assert_eq!(printed["id"], id.to_string());
                    if printed["state"] == "done" {
                        self.active.remove(id);
                    }
                }
                Kind::Status => {}
            }
        }
        self.log.push(Op {
            kind,
            outcome,
            opened,
        });
        Some(outcome)
    }

    /// Holds the data directory against the log: see the module comment.
    fn check(&mut self, with_status: bool) -> Record {
        let record = record::read_cases(&self.env.data_dir());
        self.figures.file_checks += 1;
        self.figures.leftovers = record.leftovers;
        let ids_file = self.env.data_dir().join("ids.json");
        if let Ok(bytes) = std::fs::read(&ids_file) {
            serde_json::from_slice::<BTreeMap<String, u32>>(&bytes)
                .unwrap_or_else(|e| panic!("ids.json is not whole ({e})"));
        }
        self.check_opens(&record);
        self.check_advances(&record);
        if with_status {
            record::assert_status_agrees(&self.env, &record);
            self.figures.status_checks += 1;
        }
        // Cases a killed open left behind can be advanced like any other.
        for (id, case) in &record.cases {
            if !case.is_done() {
                self.active.insert(id.clone());
            }
        }
        record
    }

    fn check_opens(&mut self, record: &Record) {
        let asked: BTreeMap<&str, usize> = (self.log.iter().enumerate())
            .filter_map(|(n, op)| match &op.kind {
                Kind::Open { nik, .. } => Some((nik.as_str(), n)),
                _ => None,
            })
            .collect();
        let mut by_op: BTreeMap<usize, &Case> = BTreeMap::new();
        for case in record.cases.values() {
            let nik = case.koperasi.nik.to_string();
            let n = *asked.get(nik.as_str()).unwrap_or_else(|| {
                panic!("case {} holds NIK {nik}, which no open asked for", case.id)
            });
            if let Some(other) = by_op.insert(n, case) {
                panic!(
                    "op-{n} opened once, and cases {} and {} hold its NIK",
                    other.id, case.id
                );
            }
        }
        let (mut kept, mut lost) = (0, 0);
        for (nik, &n) in &asked {
            let op = &self.log[n];
            let Kind::Open { nama, .. } = &op.kind else {
                unreachable!("only opens are asked");
            };
            match (op.outcome, by_op.get(&n)) {
                (Outcome::Succeeded, Some(case)) => {
                    assert_eq!(
                        Some(&case.id),
                        op.opened.as_ref(),
                        "op-{n}: open printed another id"
                    );
                    assert_eq!(case.koperasi.nama, *nama, "op-{n}");
                }
                (Outcome::Succeeded, None) => {
                    panic!(
                        "op-{n}: case {:?} for NIK {nik} was opened and is lost",
                        op.opened
                    )
                }
                (Outcome::Killed, Some(_)) => kept += 1,
                (Outcome::Killed, None) => lost += 1,
            }
        }
        self.figures.killed_opens_kept = kept;
        self.figures.killed_opens_lost = lost;
    }

    fn check_advances(&mut self, record: &Record) {
        let mut found: BTreeSet<usize> = BTreeSet::new();
        let (mut done, mut tidak) = (0, 0);
        for case in record.cases.values() {
            done += usize::from(case.is_done());
            let mut last = None;
            for entry in &case.history {
                let Event::Pass(pass) = &entry.event else {
                    panic!("case {}: an entry nobody asked for: {entry:?}", case.id);
                };
                let n: usize = pass
                    .note
                    .as_deref()
                    .and_then(|note| note.strip_prefix("op-"))
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| {
                        panic!("case {}: a pass nobody asked for: {pass:?}", case.id)
                    });
                let asked = self.log.get(n).map(|op| &op.kind);
                let Some(Kind::Advance {
                    id,
                    step,
                    role,
                    decision,
                }) = asked
                else {
                    panic!("case {}: op-{n} was not an advance: {asked:?}", case.id);
                };
                assert_eq!(
                    (id, *step, role, *decision),
                    (&case.id, pass.step, &pass.role, pass.decision),
                    "case {}: op-{n} recorded as something else",
                    case.id
                );
                tidak += usize::from(pass.decision == Some(Decision::Tidak));
                assert!(
                    last < Some(n),
                    "case {}: op-{n} recorded out of order",
                    case.id
                );
                last = Some(n);
                assert!(found.insert(n), "op-{n} recorded twice");
            }
        }
        let (mut kept, mut lost) = (0, 0);
        for (n, op) in self.log.iter().enumerate() {
            if !matches!(op.kind, Kind::Advance { .. }) {
                continue;
            }
            match (op.outcome, found.contains(&n)) {
                (Outcome::Succeeded, true) => {}
                (Outcome::Succeeded, false) => panic!("op-{n} {:?} succeeded and is lost", op.kind),
                (Outcome::Killed, true) => kept += 1,
                (Outcome::Killed, false) => lost += 1,
            }
        }
        self.figures.killed_advances_kept = kept;
        self.figures.killed_advances_lost = lost;
        self.figures.cases = record.cases.len();
        self.figures.done = done;
        self.figures.tidak = tidak;
    }
}

#[test]
fn random_kills_lose_nothing_and_forge_nothing() {
    let kills = env_number("KOPERASI_SOP_CRASH_KILLS", 300) as usize;
    let seed = env_number("KOPERASI_SOP_CRASH_SEED", 35_2012);
    let mut h = Harness::new(seed);
    let started = Instant::now();
    // Bounded even if kills stopped landing.
    while h.figures.kills < kills && h.figures.ops < kills * 20 {
        match h.step() {
            Some(Outcome::Killed) => {
                h.figures.kills += 1;
                // Status now and then only, so that writers also run on
                // top of what a crash left.
                let with_status = h.rng.random_bool(0.5);
                h.check(with_status);
            }
            Some(Outcome::Succeeded) | None => {}
        }
    }
    let record = h.check(true);
    let f = &h.figures;
    eprintln!(
        "crash harness (seed {seed}): {} operations, {} killed mid-run, in {:.1?}; \
         killed opens kept/lost {}/{}, killed advances kept/lost {}/{}; \
         {} status checks, {} file checks; {} cases ({} done, {} TIDAK returns); \
         {} .tmp- leftovers",
        f.ops,
        f.kills,
        started.elapsed(),
        f.killed_opens_kept,
        f.killed_opens_lost,
        f.killed_advances_kept,
        f.killed_advances_lost,
        f.status_checks,
        f.file_checks,
        f.cases,
        f.done,
        f.tidak,
        f.leftovers,
    );
    assert!(f.kills >= kills, "only {} of {kills} kills landed", f.kills);
    assert!(
        f.done > 0 && f.tidak > 0,
        "the run reached the end and a TIDAK return"
    );
    // The leftovers never get in anyone's way: a final round of work on
    // every active case succeeds.
    for (id, case) in record.cases.iter().filter(|(_, c)| !c.is_done()).take(5) {
        let step = h.sop.step(case.current().expect("active").0).expect("step");
        let mut cmd = h.env.std_cmd();
        cmd.args(["advance", &id.to_string(), "--role", &step.actors[0]]);
        if matches!(step.flow, Flow::Decision { .. }) {
            cmd.args(["--decision", "ya"]);
        }
        let out = cmd.output().expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Runs the binary with `KOPERASI_SOP_FAULT=<point>`; it must abort.
fn aborted_at(env: &TestEnv, point: &str, args: &[&str]) -> String {
    let out = env
        .std_cmd()
        .env("KOPERASI_SOP_FAULT", point)
        .args(args)
        .output()
        .expect("run");
    assert_eq!(
        out.status.signal(),
        Some(SIGABRT),
        "{args:?} aborted at {point}"
    );
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(err.contains(&format!("fault injected at {point}")), "{err}");
    assert!(out.stdout.is_empty(), "nothing was reported done");
    err
}

#[test]
fn an_open_cut_after_its_case_file_is_written_is_found_by_status_and_the_next_open() {
    let env = TestEnv::new();
    let first = env.open("6472010000001", "Koperasi A", "2026-12-07 07:30");
    aborted_at(
        &env,
        "case-written",
        &["open", "--nik", "6472010000002", "--nama", "Koperasi B"],
    );
    // The file is in place, whole, and the index has not heard of it.
    let record = record::read_cases(&env.data_dir());
    let ids: Vec<String> = record.cases.keys().map(|id| id.to_string()).collect();
    assert_eq!(ids, [first.as_str(), "2026-0002"]);
    let index = std::fs::read_to_string(env.data_dir().join("index")).unwrap();
    assert!(
        index.ends_with("p\t2026-0002\n"),
        "a write begun, not committed:\n{index}"
    );
    record::assert_status_agrees(&env, &record);
    // The id counter was not moved; the next open steps over the file.
    let third = env.open("6472010000003", "Koperasi C", "2026-12-07 07:30");
    assert_eq!(third, "2026-0003");
    record::assert_status_agrees(&env, &record::read_cases(&env.data_dir()));
    env.ok(&["advance", "2026-0002", "--role", "jfu"]);
    record::assert_status_agrees(&env, &record::read_cases(&env.data_dir()));
}

#[test]
fn an_advance_cut_after_its_case_file_is_written_is_kept_once() {
    let env = TestEnv::new();
    let a = env.open("6472010000001", "Koperasi A", "2026-12-07 07:30");
    let b = env.open("6472010000002", "Koperasi B", "2026-12-07 07:30");
    // Warm the index, so that a stale line would show.
    record::assert_status_agrees(&env, &record::read_cases(&env.data_dir()));
    aborted_at(
        &env,
        "case-written",
        &["advance", &a, "--role", "jfu", "--note", "cut"],
    );
    let record = record::read_cases(&env.data_dir());
    assert_eq!(
        record.cases[&a.parse().unwrap()].current().unwrap().0,
        2,
        "the step is done"
    );
    // Another writer first, on top of the unfinished index entry.
    env.ok(&["advance", &b, "--role", "jfu"]);
    record::assert_status_agrees(&env, &record::read_cases(&env.data_dir()));
    // The next advance of the same case works and the cut one is there once.
    env.ok(&[
        "advance",
        &a,
        "--role",
        "kepala_bidang",
        "--decision",
        "tidak",
    ]);
    let record = record::read_cases(&env.data_dir());
    let case = &record.cases[&a.parse().unwrap()];
    let notes: Vec<_> = case.passes().map(|p| p.note.clone()).collect();
    assert_eq!(notes, [Some("cut".to_string()), None]);
    assert_eq!(case.current().unwrap().0, 1, "TIDAK returned it to step 1");
    record::assert_status_agrees(&env, &record);

    // A cut advance, then the same case advanced again before any reader.
    aborted_at(&env, "case-written", &["advance", &a, "--role", "jfu"]);
    env.ok(&["advance", &a, "--role", "kepala_bidang", "--decision", "ya"]);
    let record = record::read_cases(&env.data_dir());
    assert_eq!(record.cases[&a.parse().unwrap()].passes().count(), 4);
    record::assert_status_agrees(&env, &record);
}

#[test]
fn an_import_cut_after_its_batch_is_written_loses_nothing_and_repeats_cleanly() {
    let env = TestEnv::new();
    let existing = env.open("6472010000001", "Koperasi A", "2026-12-07 07:30");
    // One cooperative with an active case (its record changes) and three new.
    let csv = env.write(
        "keragaan.csv",
        "nik;nama;aset\n\
         6472010000001;Koperasi A;Rp 1.000.000\n\
         6472010000002;Koperasi B;Rp 2.000.000\n\
         6472010000003;Koperasi C;Rp 3.000.000\n\
         6472010000004;Koperasi D;Rp 4.000.000\n",
    );
    let csv = csv.to_str().unwrap();
    aborted_at(&env, "batch-written", &["import", csv]);
    // Every case of the batch is whole on disk, the index has not been
    // told, and status still agrees with the files.
    let record = record::read_cases(&env.data_dir());
    assert_eq!(record.cases.len(), 4, "the three new cases and the old one");
    let a = &record.cases[&existing.parse().unwrap()];
    assert_eq!(a.keragaan.as_ref().unwrap().aset, Some(1_000_000));
    record::assert_status_agrees(&env, &record);
    // The same import again changes nothing: the batch was complete.
    let again = env.json(&["import", csv]);
    assert_eq!(again["created"], 0, "{again}");
    assert_eq!(again["updated"], 0, "{again}");
    assert_eq!(again["unchanged"], 4, "{again}");
    // The id counter was not moved; the next open steps over the batch.
    let next = env.open("6472010000005", "Koperasi E", "2026-12-07 07:30");
    assert_eq!(next, "2026-0005");
    record::assert_status_agrees(&env, &record::read_cases(&env.data_dir()));
    let out = env.ok(&["verify"]);
    assert!(out.contains("5 case(s) verified, 0 broken"), "{out}");
}
