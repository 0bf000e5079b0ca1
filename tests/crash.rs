//! Crash safety: the binary is killed (SIGKILL) at random moments while it
//! opens and advances cases and imports data keragaan, and aborted at the
//! store's fault points. After a crash the data directory must hold every
//! case file whole with its chain intact, every step reported done exactly
//! once, no step nobody asked for, every case reported opened, every row of
//! a finished import in its case exactly once, never two active cases of
//! one cooperative, and an index from which `status` prints exactly what
//! the case files say.
//!
//! Each import reads its own `import-<op>.csv`, and a keragaan event names
//! the file and line it came from; a new row carries an `aset` no other
//! import's new row has. So the harness knows which operation wrote which
//! record, and what each row must do (open a case, update one, or leave it
//! unchanged) from the case files as they stood when it ran. A killed
//! import may have been applied fully, partly or not at all; it is often
//! run again at once, as whoever was importing would, and now and then an
//! older import is run again, giving cases back records they held before.
//!
//! `KOPERASI_SOP_CRASH_KILLS=N` sets how many processes are killed
//! mid-run (default 300; raise it for a long run) and
//! `KOPERASI_SOP_CRASH_SEED=N` which operations and delays are drawn.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use koperasi_sop::case::{Case, CaseId, Decision, Event};
use koperasi_sop::import::Keragaan;
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

/// What an import row must do, judged from the case files as they stood
/// when the import was started.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expect {
    /// No active case holds the NIK: one is opened with the row's record.
    Created,
    /// This active case holds another record: the row's replaces it.
    Updated(CaseId),
    /// This active case holds this very record: nothing is written.
    Unchanged(CaseId),
}

/// One row of an import's CSV; row `k` is on line `k + 2`.
#[derive(Debug, Clone)]
struct Row {
    nik: String,
    nama: String,
    /// Unique to the operation that first wrote the row: `op * 1000 + k`.
    aset: i64,
    expect: Expect,
}

impl Row {
    /// The record the row gives: its NIK, name and aset, nothing else.
    fn record(&self) -> Keragaan {
        let nik = self.nik.parse().expect("a NIK");
        let mut record = Keragaan::new(nik, self.nama.as_str());
        record.aset = Some(self.aset);
        record
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
    /// `import import-<n>.csv`.
    Import {
        csv: PathBuf,
        rows: Vec<Row>,
        /// The import whose rows this one gives again.
        rerun_of: Option<usize>,
    },
}

const KINDS: [&str; 4] = ["open", "advance", "status", "import"];

impl Kind {
    /// Its place in [`KINDS`].
    fn class(&self) -> usize {
        match self {
            Kind::Open { .. } => 0,
            Kind::Advance { .. } => 1,
            Kind::Status => 2,
            Kind::Import { .. } => 3,
        }
    }
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
    /// The `created_ids` a successful `import` printed.
    created_ids: Vec<CaseId>,
}

/// What the histories hold, by the operation that asked for it.
#[derive(Debug, Default)]
struct Found {
    /// Advances, by op number.
    passes: BTreeSet<usize>,
    /// Import rows `(op, row)` that wrote a record, and the case that holds it.
    rows: BTreeMap<(usize, usize), CaseId>,
}

#[derive(Debug, Default)]
struct Figures {
    ops: usize,
    kills: usize,
    ops_by_kind: [usize; 4],
    kills_by_kind: [usize; 4],
    status_checks: usize,
    file_checks: usize,
    killed_opens_kept: usize,
    killed_opens_lost: usize,
    killed_advances_kept: usize,
    killed_advances_lost: usize,
    /// Killed imports by what they left: every row written, some, none.
    killed_imports_whole: usize,
    killed_imports_partial: usize,
    killed_imports_none: usize,
    /// Killed imports that had nothing to write (every row unchanged).
    killed_imports_idle: usize,
    reruns: usize,
    /// Rows of successful imports: created, updated, unchanged.
    rows_done: [usize; 3],
    leftovers: usize,
    /// Wall time spent running operations, and checking after them.
    in_ops: Duration,
    in_checks: Duration,
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
    /// Upper bound of the kill delay of each kind of operation, tuned so
    /// that about half of them are killed and half finish, wherever the
    /// time goes.
    delay_max: [Duration; 4],
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
            delay_max: [Duration::from_millis(15); 4],
            figures: Figures::default(),
        }
    }

    /// Draws the next operation; `None` when the case drawn turned out done.
    fn draw(&mut self) -> Option<Kind> {
        let n = self.log.len();
        if let Some(again) = self.rerun() {
            return Some(self.draw_import(Some(again)));
        }
        if self.rng.random_bool(0.1) {
            return Some(Kind::Status);
        }
        if self.rng.random_bool(0.15) {
            return Some(self.draw_import(None));
        }
        if self.active.len() < 3 || self.rng.random_bool(0.1) {
            // Names with a tab, a backslash and a quote, which the index escapes.
            return Some(Kind::Open {
                nik: format!("6472{n:09}"),
                nama: format!("Koperasi \"{n}\"\tMaju \\ Bersama"),
            });
        }
        // Among the oldest few, so that cases reach the end.
        let pick = self.rng.random_range(0..self.active.len().min(8));
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

    /// An import to run again: the one just run, often after a kill, as a
    /// user would, now and then after a success; or, rarely, an earlier
    /// one, whose rows give cases back records they held before.
    fn rerun(&mut self) -> Option<usize> {
        let last = self.log.len().checked_sub(1)?;
        let op = &self.log[last];
        if matches!(op.kind, Kind::Import { .. }) {
            let p = match op.outcome {
                Outcome::Killed => 0.7,
                Outcome::Succeeded => 0.1,
            };
            if self.rng.random_bool(p) {
                return Some(last);
            }
        }
        if !self.rng.random_bool(0.03) {
            return None;
        }
        let imports: Vec<usize> = (self.log.iter().enumerate())
            .filter(|(_, op)| matches!(op.kind, Kind::Import { .. }))
            .map(|(n, _)| n)
            .collect();
        (!imports.is_empty()).then(|| imports[self.rng.random_range(0..imports.len())])
    }

    /// An import of a few cooperatives never seen before and a few with an
    /// active case, each with an aset unique to this operation; or the
    /// rows of import `again`. What each row must do is judged from the
    /// case files now: nothing else runs until the import has.
    fn draw_import(&mut self, again: Option<usize>) -> Kind {
        let n = self.log.len();
        let record = record::read_cases(&self.env.data_dir());
        let active: BTreeMap<String, &Case> = (record.cases.values())
            .filter(|c| !c.is_done())
            .map(|c| (c.koperasi.nik.to_string(), c))
            .collect();
        let given: Vec<(String, String, i64)> = match again {
            Some(m) => {
                let Kind::Import { rows, .. } = &self.log[m].kind else {
                    unreachable!("only imports are run again");
                };
                rows.iter()
                    .map(|r| (r.nik.clone(), r.nama.clone(), r.aset))
                    .collect()
            }
            None => {
                let targets: Vec<&Case> = active.values().copied().collect();
                let updates = self.rng.random_range(0..=targets.len().min(3));
                let mut picked = BTreeSet::new();
                while picked.len() < updates {
                    picked.insert(self.rng.random_range(0..targets.len()));
                }
                // Fewer new cooperatives once there is plenty to advance.
                let most = if targets.len() < 20 { 2 } else { 1 };
                let fresh = self.rng.random_range(usize::from(updates == 0)..=most);
                let mut given = Vec::new();
                // New names with a quote, a comma and a backslash, which
                // the CSV quotes; updates keep the case's name.
                for k in 0..fresh {
                    let row = (
                        format!("6474{n:06}{k:03}"),
                        format!("Koperasi \"Impor {n}-{k}\", Maju \\ Jaya"),
                    );
                    given.insert(self.rng.random_range(0..=given.len()), row);
                }
                for i in picked {
                    let case = targets[i];
                    let row = (case.koperasi.nik.to_string(), case.koperasi.nama.clone());
                    given.insert(self.rng.random_range(0..=given.len()), row);
                }
                (given.into_iter().enumerate())
                    .map(|(k, (nik, nama))| (nik, nama, (n * 1000 + k) as i64))
                    .collect()
            }
        };
        let rows: Vec<Row> = (given.into_iter())
            .map(|(nik, nama, aset)| {
                let mut row = Row {
                    nik,
                    nama,
                    aset,
                    expect: Expect::Created,
                };
                if let Some(case) = active.get(&row.nik) {
                    row.expect = if case.keragaan.as_ref() == Some(&row.record()) {
                        Expect::Unchanged(case.id.clone())
                    } else {
                        Expect::Updated(case.id.clone())
                    };
                }
                row
            })
            .collect();
        let mut text = String::from("nik,nama,aset\n");
        for row in &rows {
            let nama = format!("\"{}\"", row.nama.replace('"', "\"\""));
            writeln!(text, "{},{nama},{}", row.nik, rupiah(row.aset)).expect("to a string");
        }
        Kind::Import {
            csv: self.env.write(&format!("import-{n}.csv"), &text),
            rows,
            rerun_of: again,
        }
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
            Kind::Import { csv, .. } => vec!["import".into(), csv.display().to_string()],
        };
        args.extend(["--format".into(), "json".into()]);
        args
    }

    /// Draws an operation, runs it and kills it after a random delay.
    fn step(&mut self) -> Option<Outcome> {
        let kind = self.draw()?;
        Some(self.run(kind, true))
    }

    /// Runs one operation; with `kill`, kills it after a random delay.
    fn run(&mut self, kind: Kind, kill: bool) -> Outcome {
        let n = self.log.len();
        let class = kind.class();
        let started = Instant::now();
        // An import writes in the last moments of its run: its kills are
        // drawn late, so that more land among its renames.
        let earliest = if class == 3 { 0.5 } else { 0.0 };
        let delay = self.delay_max[class].mul_f64(self.rng.random_range(earliest..1.0));
        let mut child = self
            .env
            .std_cmd()
            .args(Self::args(n, &kind))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn koperasi-sop");
        if kill {
            std::thread::sleep(delay);
            // Harmless when it has already exited: it is not reaped yet.
            child.kill().expect("kill");
        }
        let out: Output = child.wait_with_output().expect("wait");
        self.figures.in_ops += started.elapsed();
        self.figures.ops += 1;
        self.figures.ops_by_kind[class] += 1;
        let outcome = if out.status.success() {
            Outcome::Succeeded
        } else if out.status.signal() == Some(SIGKILL) {
            self.figures.kills += 1;
            self.figures.kills_by_kind[class] += 1;
            Outcome::Killed
        } else {
            panic!(
                "op-{n} {kind:?} failed without being killed ({}):\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        };
        // About half killed, half finished.
        if kill {
            self.delay_max[class] = match outcome {
                Outcome::Killed => self.delay_max[class].mul_f64(1.05),
                Outcome::Succeeded => self.delay_max[class].mul_f64(0.95),
            }
            .clamp(Duration::from_millis(1), Duration::from_secs(1));
        }
        let mut op = Op {
            kind,
            outcome,
            opened: None,
            created_ids: Vec::new(),
        };
        if outcome == Outcome::Succeeded {
            let printed: serde_json::Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("op-{n} {:?} printed no JSON ({e})", op.kind));
            match &op.kind {
                Kind::Open { .. } => {
                    let id: CaseId = printed["id"]
                        .as_str()
                        .expect("id")
                        .parse()
                        .expect("a case id");
                    self.active.insert(id.clone());
                    op.opened = Some(id);
                }
                Kind::Advance { id, .. } => {
                    assert_eq!(printed["id"], id.to_string());
                    if printed["state"] == "done" {
                        self.active.remove(id);
                    }
                }
                Kind::Status => {}
                Kind::Import { rows, .. } => {
                    op.created_ids = self.import_printed(n, rows, &printed);
                    self.active.extend(op.created_ids.iter().cloned());
                }
            }
        }
        if let Kind::Import {
            rerun_of: Some(_), ..
        } = op.kind
        {
            self.figures.reruns += 1;
        }
        self.log.push(op);
        outcome
    }

    /// Holds what a successful import printed against what its rows had
    /// to do; returns the ids it created.
    fn import_printed(
        &mut self,
        n: usize,
        rows: &[Row],
        printed: &serde_json::Value,
    ) -> Vec<CaseId> {
        let mut counts = [0; 3];
        for row in rows {
            counts[match row.expect {
                Expect::Created => 0,
                Expect::Updated(_) => 1,
                Expect::Unchanged(_) => 2,
            }] += 1;
        }
        let said = |field: &str| {
            printed[field]
                .as_u64()
                .unwrap_or_else(|| panic!("op-{n}: no {field} in {printed}"))
        };
        assert_eq!(
            [said("created"), said("updated"), said("unchanged")],
            counts.map(|c| c as u64),
            "op-{n}: created, updated, unchanged of rows {rows:?}"
        );
        assert_eq!(printed["dry_run"], false, "op-{n}: {printed}");
        assert_eq!(printed["rejected"], 0, "op-{n}: {printed}");
        assert_eq!(
            printed["errors"],
            serde_json::json!([]),
            "op-{n}: {printed}"
        );
        let ids: Vec<CaseId> = (printed["created_ids"].as_array())
            .unwrap_or_else(|| panic!("op-{n}: no created_ids in {printed}"))
            .iter()
            .map(|id| {
                id.as_str()
                    .and_then(|id| id.parse().ok())
                    .expect("a case id")
            })
            .collect();
        assert_eq!(ids.len(), counts[0], "op-{n}: created_ids {ids:?}");
        for (done, count) in self.figures.rows_done.iter_mut().zip(counts) {
            *done += count;
        }
        ids
    }

    /// Holds the data directory against the log: see the module comment.
    fn check(&mut self, with_status: bool) -> Record {
        let started = Instant::now();
        let record = record::read_cases(&self.env.data_dir());
        self.figures.file_checks += 1;
        self.figures.leftovers = record.leftovers;
        let ids_file = self.env.data_dir().join("ids.json");
        if let Ok(bytes) = std::fs::read(&ids_file) {
            serde_json::from_slice::<BTreeMap<String, u32>>(&bytes)
                .unwrap_or_else(|e| panic!("ids.json is not whole ({e})"));
        }
        self.check_links(&record);
        let found = self.check_histories(&record);
        self.check_opens(&record);
        self.check_advances(&found);
        self.check_imports(&found);
        if with_status {
            record::assert_status_agrees(&self.env, &record);
            self.figures.status_checks += 1;
        }
        // Cases a killed open or import left behind can be advanced and
        // updated like any other.
        for (id, case) in &record.cases {
            if !case.is_done() {
                self.active.insert(id.clone());
            }
        }
        self.figures.in_checks += started.elapsed();
        record
    }

    /// Never two active cases of one cooperative, and each active case is
    /// the one its `nik/` link names, so `open` refuses a second.
    fn check_links(&self, record: &Record) {
        let mut active: BTreeMap<String, &CaseId> = BTreeMap::new();
        for case in record.cases.values().filter(|c| !c.is_done()) {
            let nik = case.koperasi.nik.to_string();
            if let Some(other) = active.insert(nik.clone(), &case.id) {
                panic!("NIK {nik} has two active cases: {other} and {}", case.id);
            }
            let store = koperasi_sop::store::Store::new(self.env.data_dir());
            let linked = store
                .case_of(&case.koperasi.nik)
                .unwrap_or_else(|e| panic!("case {}: the link of NIK {nik}: {e}", case.id));
            assert_eq!(
                linked.map(|c| c.id),
                Some(case.id.clone()),
                "case {}: the link of NIK {nik} names another case",
                case.id
            );
        }
    }

    /// The import row a keragaan event's `source` names: `(op, row, row)`.
    fn import_row(&self, source: &str) -> Option<(usize, usize, &Row)> {
        let (file, line) = source.rsplit_once(':')?;
        let n: usize = (Path::new(file).file_name()?.to_str()?)
            .strip_prefix("import-")?
            .strip_suffix(".csv")?
            .parse()
            .ok()?;
        let Kind::Import { csv, rows, .. } = &self.log.get(n)?.kind else {
            return None;
        };
        let k = line.parse::<usize>().ok()?.checked_sub(2)?;
        (csv.as_path() == Path::new(file)).then_some((n, k, rows.get(k)?))
    }

    /// The import row that opened the case, if an import did.
    fn created_by(&self, case: &Case) -> Option<(usize, usize)> {
        let Event::Keragaan { source, .. } = &case.history.first()?.event else {
            return None;
        };
        let (n, k, row) = self.import_row(source)?;
        (row.expect == Expect::Created).then_some((n, k))
    }

    /// Every entry of every history is one some operation asked for, in
    /// the order they ran, once; every record is the last one imported.
    fn check_histories(&mut self, record: &Record) -> Found {
        let mut found = Found::default();
        let (mut done, mut tidak) = (0, 0);
        for case in record.cases.values() {
            done += usize::from(case.is_done());
            let mut last = None;
            let mut imported: Option<Keragaan> = None;
            for (i, entry) in case.history.iter().enumerate() {
                let n = match &entry.event {
                    Event::Pass(pass) => {
                        let n = self.advance_of(case, pass);
                        tidak += usize::from(pass.decision == Some(Decision::Tidak));
                        assert!(found.passes.insert(n), "op-{n} recorded twice");
                        n
                    }
                    Event::Keragaan { source, digest, .. } => {
                        let (n, k, row) = self.import_row(source).unwrap_or_else(|| {
                            panic!("case {}: a record nobody imported: {entry:?}", case.id)
                        });
                        assert_eq!(
                            row.nik,
                            case.koperasi.nik.to_string(),
                            "case {}: op-{n} row {k} is another cooperative's",
                            case.id
                        );
                        match &row.expect {
                            Expect::Created => {
                                assert_eq!(
                                    i, 0,
                                    "case {}: op-{n} row {k} opened a case, but not this one",
                                    case.id
                                );
                                assert_eq!(case.koperasi.nama, row.nama, "case {}", case.id);
                            }
                            Expect::Updated(id) => assert_eq!(
                                *id, case.id,
                                "op-{n} row {k} was to update another case"
                            ),
                            Expect::Unchanged(_) => panic!(
                                "case {}: op-{n} row {k} held the record the case had, and was written",
                                case.id
                            ),
                        }
                        let given = row.record();
                        assert_eq!(*digest, given.digest(), "case {}: op-{n} row {k}", case.id);
                        if let Some(other) = found.rows.insert((n, k), case.id.clone()) {
                            panic!("op-{n} row {k} recorded twice, in {other} and {}", case.id);
                        }
                        imported = Some(given);
                        n
                    }
                    other => panic!("case {}: an entry nobody asked for: {other:?}", case.id),
                };
                assert!(
                    last < Some(n),
                    "case {}: op-{n} recorded out of order",
                    case.id
                );
                last = Some(n);
            }
            assert_eq!(
                case.keragaan, imported,
                "case {}: the record is not the last one imported",
                case.id
            );
        }
        self.figures.cases = record.cases.len();
        self.figures.done = done;
        self.figures.tidak = tidak;
        found
    }

    /// The advance that recorded `pass` in `case`, which must be what it asked.
    fn advance_of(&self, case: &Case, pass: &koperasi_sop::case::Pass) -> usize {
        let n: usize = pass
            .note
            .as_deref()
            .and_then(|note| note.strip_prefix("op-"))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("case {}: a pass nobody asked for: {pass:?}", case.id));
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
        n
    }

    /// Every case an import did not open was opened by the one `open` of
    /// its NIK; every successful open's case is there.
    fn check_opens(&mut self, record: &Record) {
        let asked: BTreeMap<&str, usize> = (self.log.iter().enumerate())
            .filter_map(|(n, op)| match &op.kind {
                Kind::Open { nik, .. } => Some((nik.as_str(), n)),
                _ => None,
            })
            .collect();
        let mut by_op: BTreeMap<usize, &Case> = BTreeMap::new();
        for case in record.cases.values() {
            if self.created_by(case).is_some() {
                continue; // held against its import row
            }
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

    /// Every successful advance is recorded.
    fn check_advances(&mut self, found: &Found) {
        let (mut kept, mut lost) = (0, 0);
        for (n, op) in self.log.iter().enumerate() {
            if !matches!(op.kind, Kind::Advance { .. }) {
                continue;
            }
            match (op.outcome, found.passes.contains(&n)) {
                (Outcome::Succeeded, true) => {}
                (Outcome::Succeeded, false) => panic!("op-{n} {:?} succeeded and is lost", op.kind),
                (Outcome::Killed, true) => kept += 1,
                (Outcome::Killed, false) => lost += 1,
            }
        }
        self.figures.killed_advances_kept = kept;
        self.figures.killed_advances_lost = lost;
    }

    /// Every row a successful import wrote is recorded, and the cases its
    /// new rows opened are the ones it printed.
    fn check_imports(&mut self, found: &Found) {
        let mut killed = [0; 4];
        for (n, op) in self.log.iter().enumerate() {
            let Kind::Import { rows, .. } = &op.kind else {
                continue;
            };
            let writes: Vec<usize> = (rows.iter().enumerate())
                .filter(|(_, row)| !matches!(row.expect, Expect::Unchanged(_)))
                .map(|(k, _)| k)
                .collect();
            let applied = writes
                .iter()
                .filter(|&&k| found.rows.contains_key(&(n, k)))
                .count();
            match op.outcome {
                Outcome::Succeeded => {
                    for &k in &writes {
                        assert!(
                            found.rows.contains_key(&(n, k)),
                            "op-{n} row {k} {:?} was imported and is lost",
                            rows[k]
                        );
                    }
                    let opened: BTreeSet<&CaseId> = (rows.iter().enumerate())
                        .filter(|(_, row)| row.expect == Expect::Created)
                        .map(|(k, _)| &found.rows[&(n, k)])
                        .collect();
                    let printed: BTreeSet<&CaseId> = op.created_ids.iter().collect();
                    assert_eq!(printed, opened, "op-{n}: created_ids");
                }
                Outcome::Killed if writes.is_empty() => killed[3] += 1,
                Outcome::Killed if applied == writes.len() => killed[0] += 1,
                Outcome::Killed if applied > 0 => killed[1] += 1,
                Outcome::Killed => killed[2] += 1,
            }
        }
        let f = &mut self.figures;
        [
            f.killed_imports_whole,
            f.killed_imports_partial,
            f.killed_imports_none,
            f.killed_imports_idle,
        ] = killed;
    }
}

/// `1.250.000`: whole rupiah as Indonesian offices write them.
fn rupiah(amount: i64) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[test]
fn random_kills_lose_nothing_and_forge_nothing() {
    let kills = env_number("KOPERASI_SOP_CRASH_KILLS", 300) as usize;
    let seed = env_number("KOPERASI_SOP_CRASH_SEED", 35_2012);
    let mut h = Harness::new(seed);
    let started = Instant::now();
    // Bounded even if kills stopped landing.
    while h.figures.kills < kills && h.figures.ops < kills * 20 {
        if h.step() == Some(Outcome::Killed) {
            // Status now and then only, so that writers also run on
            // top of what a crash left.
            let with_status = h.rng.random_bool(0.5);
            h.check(with_status);
        }
    }
    // A last import, left to finish, over whatever the kills left.
    let last = h.draw_import(None);
    assert_eq!(h.run(last, false), Outcome::Succeeded);
    let record = h.check(true);
    let f = &h.figures;
    let by_kind = |counts: &[usize; 4]| {
        (KINDS.iter().zip(counts))
            .map(|(kind, count)| format!("{count} {kind}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    eprintln!(
        "crash harness (seed {seed}): {} operations ({}), {} killed mid-run ({}), in {:.1?} \
         ({:.1?} running operations, {:.1?} checking); \
         killed opens kept/lost {}/{}, killed advances kept/lost {}/{}, \
         killed imports written whole/partly/not at all/had nothing to write {}/{}/{}/{}; \
         {} imports run again; rows of successful imports created/updated/unchanged {}/{}/{}; \
         {} status checks, {} file checks; {} cases ({} done, {} TIDAK returns); \
         {} .tmp- leftovers",
        f.ops,
        by_kind(&f.ops_by_kind),
        f.kills,
        by_kind(&f.kills_by_kind),
        started.elapsed(),
        f.in_ops,
        f.in_checks,
        f.killed_opens_kept,
        f.killed_opens_lost,
        f.killed_advances_kept,
        f.killed_advances_lost,
        f.killed_imports_whole,
        f.killed_imports_partial,
        f.killed_imports_none,
        f.killed_imports_idle,
        f.reruns,
        f.rows_done[0],
        f.rows_done[1],
        f.rows_done[2],
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
    assert!(
        f.kills_by_kind[3] > 0 && f.rows_done[1] > 0,
        "imports were killed, and updated cases"
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
