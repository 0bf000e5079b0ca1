//! Reading a case file never panics, whatever it holds: arbitrary bytes,
//! a real case file cut or with bytes changed, or one with any value
//! anywhere replaced, removed or added; schema 1 files too. What loads is
//! then used as `status`, `show` and `check` use it, which must not panic
//! either. (The SOP, calendar, waktu and time parsers have their own
//! properties in the library; the index parser in `store::index`.)

use std::path::PathBuf;

use koperasi_sop::calendar::Calendar;
use koperasi_sop::case::{self, Actor, Case, CaseId, Completion, Decision, Koperasi, Time};
use koperasi_sop::render::StatusRow;
use koperasi_sop::sop::Sop;
use koperasi_sop::store::{Store, Summary};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use serde_json::Value;

fn t(s: &str) -> Time {
    chrono::DateTime::parse_from_rfc3339(s).unwrap()
}

fn done(role: &str, at: &str, decision: Option<Decision>) -> Completion {
    Completion {
        role: role.into(),
        officer: Some("Siti".into()),
        decision,
        note: Some("catatan".into()),
        at: t(at),
    }
}

/// A case at step 1 again after a TIDAK return: passes only.
fn returned_case(sop: &Sop) -> Case {
    let koperasi = Koperasi {
        nik: "6472010000123".parse().unwrap(),
        nama: "Koperasi \"Maju\"\tBersama".into(),
    };
    let now = t("2026-12-31T08:00:00+08:00");
    let opened = t("2026-12-07T08:00:00+08:00");
    let case = case::open(CaseId::new(2026, 1), koperasi, sop, opened, now).unwrap();
    let case = case
        .advance(sop, done("jfu", "2026-12-07T08:10:00+08:00", None), now)
        .unwrap();
    case.advance(
        sop,
        done(
            "kepala_bidang",
            "2026-12-07T08:20:00+08:00",
            Some(Decision::Tidak),
        ),
        now,
    )
    .unwrap()
}

/// A case with passes, a TIDAK return, a pause and its resume.
fn rich_case(sop: &Sop) -> Case {
    let now = t("2026-12-31T08:00:00+08:00");
    let by = |role: &str, at: &str| Actor {
        role: role.into(),
        officer: None,
        at: t(at),
    };
    let mut case = returned_case(sop);
    case = case
        .pause(
            sop,
            by("jfu", "2026-12-07T09:00:00+08:00"),
            "menunggu dokumen",
            now,
        )
        .unwrap();
    case = case
        .resume(sop, by("jfu", "2026-12-08T09:00:00+08:00"), now)
        .unwrap();
    case = case
        .advance(sop, done("jfu", "2026-12-08T10:00:00+08:00", None), now)
        .unwrap();
    case = case
        .pause(
            sop,
            by("kepala_bidang", "2026-12-08T11:00:00+08:00"),
            "rapat",
            now,
        )
        .unwrap();
    case::verify(&case).unwrap();
    case
}

/// The same case as schema 1 wrote it: no chain, passes only.
fn as_schema_1(case: &Case) -> Value {
    let mut value = serde_json::to_value(case).unwrap();
    let fields = value.as_object_mut().unwrap();
    fields.insert("schema".into(), 1.into());
    fields.remove("head");
    fields.remove("pauses");
    fields.remove("paused");
    let history = fields["history"].as_array_mut().unwrap();
    history.retain(|e| e["kind"] == "pass");
    for entry in history.iter_mut() {
        let entry = entry.as_object_mut().unwrap();
        entry.remove("kind");
        entry.remove("prev");
    }
    value
}

/// Values a case file holds, and some it should not.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop::sample::select(vec![
            "",
            "2026-0001",
            "2026-0002",
            "6472010000123",
            "2026-12-07T08:00:00+08:00",
            "2026-12-09T08:00:00+08:00",
            "0000-01-01T00:00:00+23:59",
            "9999-12-31T23:59:59-23:59",
            "+10000-01-01T00:00:00Z",
            "active",
            "done",
            "pass",
            "pause",
            "resume",
            "keragaan",
            "ya",
            "tidak",
            "jfu",
            "kepala_bidang",
        ])
        .prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    let key = prop::sample::select(vec![
        "schema",
        "id",
        "koperasi",
        "nik",
        "nama",
        "sop",
        "digest",
        "opened_at",
        "state",
        "step",
        "step_started_at",
        "pauses",
        "paused",
        "since",
        "from",
        "to",
        "finished_at",
        "keragaan",
        "extra",
        "history",
        "kind",
        "prev",
        "head",
        "at",
        "role",
        "started_at",
        "completed_at",
        "decision",
        "changed",
    ])
    .prop_map(String::from);
    leaf.prop_recursive(3, 32, 5, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Value::Array),
            btree_map(key.clone(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// One change somewhere in `value`: `path` picks the place, `action`
/// whether the value there is replaced, removed, or given a sibling.
fn mutate(value: &mut Value, path: &[usize], action: u8, new: Value) {
    let Some((&pick, rest)) = path.split_first() else {
        *value = new;
        return;
    };
    match value {
        Value::Object(fields) if !fields.is_empty() => {
            let key = fields.keys().nth(pick % fields.len()).unwrap().clone();
            match (rest.is_empty(), action % 3) {
                (true, 1) => drop(fields.remove(&key)),
                (true, 2) => drop(fields.insert(format!("{key}_"), new)),
                _ => mutate(fields.get_mut(&key).unwrap(), rest, action, new),
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let i = pick % items.len();
            match (rest.is_empty(), action % 3) {
                (true, 1) => drop(items.remove(i)),
                (true, 2) => items.insert(i, new),
                _ => mutate(&mut items[i], rest, action, new),
            }
        }
        _ => *value = new,
    }
}

/// A data directory with one case file, read through the store as every
/// command reads it.
struct Reader {
    _dir: tempfile::TempDir,
    store: Store,
    file: PathBuf,
    sop: Sop,
    calendar: Calendar,
    now: Time,
    /// `rich_case`, made once.
    rich: Case,
}

impl Reader {
    fn new() -> Reader {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("cases")).unwrap();
        Reader {
            store: Store::new(dir.path()),
            file: dir.path().join("cases/2026-0001.json"),
            _dir: dir,
            rich: rich_case(&Sop::embedded().unwrap()),
            sop: Sop::embedded().unwrap(),
            calendar: Calendar::embedded().unwrap(),
            now: t("2026-12-31T08:00:00+08:00"),
        }
    }

    /// Loads `bytes` as case 2026-0001 both ways; they must agree, and a
    /// case that loads must serve every reader.
    fn read(&self, bytes: &[u8]) -> Result<Option<Case>, TestCaseError> {
        // Removed first: ext4 flushes a file truncated and written again
        // to disk on close, which would make the run wait on the disk.
        let _ = std::fs::remove_file(&self.file);
        std::fs::write(&self.file, bytes).unwrap();
        let id = CaseId::new(2026, 1);
        let one = self.store.load(&id);
        let (all, bad) = self.store.load_all().expect("the directory is readable");
        match one {
            Ok(case) => {
                prop_assert_eq!(&case.id, &id);
                prop_assert_eq!(all, vec![case.clone()]);
                prop_assert!(bad.is_empty());
                self.use_it(&case)?;
                Ok(Some(case))
            }
            Err(e) => {
                prop_assert!(all.is_empty());
                prop_assert_eq!(bad.len(), 1);
                prop_assert!(e.to_string().contains("2026-0001.json"), "{}", e);
                Ok(None)
            }
        }
    }

    fn use_it(&self, case: &Case) -> Result<(), TestCaseError> {
        let _ = case::verify(case);
        let _ = StatusRow::new(&Summary::of(case), &self.sop, &self.calendar, self.now);
        let _ = case.timeline(&self.sop, &self.calendar, self.now);
        // What loads is written back whole by the next change.
        let again: Case = serde_json::from_slice(&serde_json::to_vec(case).unwrap()).unwrap();
        prop_assert_eq!(&again, case);
        Ok(())
    }
}

#[test]
fn a_schema_1_file_reads_as_the_same_passes_chained() {
    let reader = Reader::new();
    // Schema 1 had no pauses.
    let case = returned_case(&reader.sop);
    let old = as_schema_1(&case);
    let read = reader
        .read(&serde_json::to_vec(&old).unwrap())
        .unwrap()
        .expect("it loads");
    assert_eq!(read.schema, case::SCHEMA_VERSION);
    case::verify(&read).unwrap();
    assert_eq!(
        read, case,
        "chained on reading as it would have been when written"
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        // An integration test has no source file proptest can place its
        // regressions beside.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..300)) {
        Reader::with(|r| r.read(&bytes).map(drop))?;
    }

    #[test]
    fn a_case_file_cut_or_with_bytes_changed_never_panics(
        cut in proptest::option::of(any::<prop::sample::Index>()),
        // Often a byte JSON allows there, so the file may still parse.
        changes in vec((any::<prop::sample::Index>(), prop_oneof![
            any::<u8>(),
            prop::sample::select(b"0123456789-:T+Z\" ,.[]{}acdeinpstuvy".to_vec()),
        ]), 0..4),
        schema_1 in any::<bool>(),
    ) {
        Reader::with(|r| {
            let case = &r.rich;
            let mut bytes = if schema_1 {
                serde_json::to_vec_pretty(&as_schema_1(case)).unwrap()
            } else {
                serde_json::to_vec_pretty(case).unwrap()
            };
            for (at, byte) in &changes {
                let i = at.index(bytes.len());
                bytes[i] = *byte;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len() + 1));
            }
            r.read(&bytes).map(drop)
        })?;
    }

    #[test]
    fn a_case_file_with_any_value_changed_never_panics(
        path in vec(any::<usize>(), 0..6),
        action in any::<u8>(),
        new in json_value(),
        schema_1 in any::<bool>(),
    ) {
        Reader::with(|r| {
            let mut value = if schema_1 {
                as_schema_1(&r.rich)
            } else {
                serde_json::to_value(&r.rich).unwrap()
            };
            mutate(&mut value, &path, action, new.clone());
            // Straight through serde and the schema 1 reader too.
            if let Ok(case) = serde_json::from_value::<Case>(value.clone()) {
                r.use_it(&case)?;
            }
            if let Ok(case) = case::from_schema_1(value.clone()) {
                r.use_it(&case)?;
            }
            r.read(&serde_json::to_vec(&value).unwrap()).map(drop)
        })?;
    }
}

impl Reader {
    /// Runs `f` with this thread's reader: one temporary directory per
    /// test thread, not one per generated case.
    fn with<T>(f: impl FnOnce(&Reader) -> T) -> T {
        thread_local! {
            static READER: Reader = Reader::new();
        }
        READER.with(f)
    }
}
