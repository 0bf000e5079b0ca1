//! The tests' own reading of a data directory, to hold the binary's
//! output against: the case files parsed straight with serde_json and
//! their chains verified, and the `status` rows they must give.

use std::collections::BTreeMap;
use std::path::Path;

use koperasi_sop::calendar::Calendar;
use koperasi_sop::case::{self, Case, CaseId};
use koperasi_sop::render::StatusRow;
use koperasi_sop::sop::Sop;
use koperasi_sop::store::Summary;
use serde_json::Value;

use super::TestEnv;

/// The case files of a data directory.
#[derive(Debug, Default)]
pub struct Record {
    pub cases: BTreeMap<CaseId, Case>,
    /// `.tmp-` files a killed writer left behind; every reader skips them.
    pub leftovers: usize,
}

/// Reads every file in `cases/`, panicking on any that is not a whole,
/// verified case file named for its id (`.tmp-` leftovers are counted).
pub fn read_cases(data_dir: &Path) -> Record {
    let mut record = Record::default();
    let dir = data_dir.join("cases");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return record;
    };
    for entry in entries {
        let entry = entry.expect("dir entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(".tmp-") {
            record.leftovers += 1;
            continue;
        }
        let id: CaseId = name
            .strip_suffix(".json")
            .and_then(|stem| stem.parse().ok())
            .unwrap_or_else(|| panic!("{name}: not a case file name"));
        let case = read_case(&entry.path());
        assert_eq!(case.id, id, "{name} holds case {}", case.id);
        record.cases.insert(id, case);
    }
    record
}

/// One case file, parsed and verified.
pub fn read_case(path: &Path) -> Case {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let case: Case = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "{}: not a whole case file ({e}):\n{}",
            path.display(),
            String::from_utf8_lossy(&bytes)
        )
    });
    assert_eq!(case.schema, case::SCHEMA_VERSION, "{}", path.display());
    if let Err(broken) = case::verify(&case) {
        panic!("{}: {broken}", path.display());
    }
    case
}

/// What `status --all --format json` must print for each case, by id,
/// computed from the case files (all under the built-in SOP and calendar)
/// rather than from the index.
pub fn expected_status<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    now: &str,
) -> BTreeMap<String, Value> {
    let sop = Sop::embedded().expect("built-in SOP");
    let calendar = Calendar::embedded().expect("built-in calendar");
    let now = calendar.parse_time(now).expect("the test's clock");
    cases
        .into_iter()
        .map(|case| {
            assert_eq!(
                case.sop.digest, sop.digest,
                "case {} runs under the built-in SOP",
                case.id
            );
            let summary = Summary::of(case);
            let row = StatusRow::new(&summary, &sop, &calendar, now);
            let value = serde_json::to_value(&row).expect("a row serializes");
            // Said independently of the library, for the fields that matter most.
            assert_eq!(
                value["state"],
                if case.is_done() { "done" } else { "active" }
            );
            assert_eq!(
                value["step"],
                serde_json::json!(case.current().map(|c| c.0))
            );
            (case.id.to_string(), value)
        })
        .collect()
}

/// `status --all --format json`, which reads the index, by id; it must
/// succeed with nothing on stderr.
pub fn status_by_id(env: &TestEnv) -> BTreeMap<String, Value> {
    let out = env
        .std_cmd()
        .args(["status", "--all", "--format", "json"])
        .output()
        .expect("run status");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "status failed ({}):\n{stderr}",
        out.status
    );
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).expect("status prints JSON");
    let mut by_id = BTreeMap::new();
    for row in rows {
        let id = row["id"].as_str().expect("an id").to_string();
        assert!(by_id.insert(id.clone(), row).is_none(), "{id} listed twice");
    }
    by_id
}

/// `status` agrees exactly with the case files.
pub fn assert_status_agrees(env: &TestEnv, record: &Record) {
    let shown = status_by_id(env);
    let expected = expected_status(record.cases.values(), &env.now);
    if shown != expected {
        let ids = |m: &BTreeMap<String, Value>| m.keys().cloned().collect::<Vec<_>>();
        for (id, row) in &expected {
            assert_eq!(shown.get(id), Some(row), "status row of {id}");
        }
        panic!(
            "status lists {:?}, the case files {:?}",
            ids(&shown),
            ids(&expected)
        );
    }
}
