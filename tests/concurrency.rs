//! Many processes on one data directory at once: writers opening and
//! advancing the same cases, and a reader running `status` while they
//! write. Every operation that reported success must be recorded exactly
//! once, nothing refused may be recorded, every history must follow the
//! SOP and verify, and `status` must agree with the files.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use koperasi_sop::case::{Case, Decision};
use koperasi_sop::sop::{Flow, Sop, Target};
use proptest::prelude::RngExt;
use proptest::test_runner::{RngAlgorithm, TestRng};

use common::record;
use common::TestEnv;

const WRITERS: usize = 4;
const OPS_PER_WRITER: usize = 60;

/// What a writer asked for and what came of it.
#[derive(Debug)]
struct Asked {
    note: String,
    case: String,
    role: String,
    decision: Option<Decision>,
    done: bool,
}

/// The step each pass must have completed, by the SOP's flow from step 1;
/// and the step the case must be at after them.
fn assert_follows_the_sop(sop: &Sop, case: &Case) {
    let mut at = Some(sop.first_step().number);
    for (i, pass) in case.passes().enumerate() {
        assert_eq!(
            Some(pass.step),
            at,
            "case {} pass {}: {pass:?}",
            case.id,
            i + 1
        );
        let step = sop.step(pass.step).expect("a step of the SOP");
        assert!(
            step.actors.contains(&pass.role),
            "case {}: {pass:?}",
            case.id
        );
        let target = match (step.flow, pass.decision) {
            (Flow::Next(t), None) => t,
            (Flow::Decision { ya, .. }, Some(Decision::Ya)) => ya,
            (Flow::Decision { tidak, .. }, Some(Decision::Tidak)) => tidak,
            _ => panic!(
                "case {}: {pass:?} does not fit step {}",
                case.id, step.number
            ),
        };
        at = match target {
            Target::Step(n) => Some(n),
            Target::End => None,
        };
    }
    assert_eq!(case.current().map(|c| c.0), at, "case {}", case.id);
}

#[test]
fn four_writers_and_a_reader_lose_nothing_and_record_nothing_refused() {
    let env = TestEnv::new();
    let sop = Sop::embedded().unwrap();
    // Cases every writer advances, so that they race for the same case.
    let shared: Vec<String> = (0..3)
        .map(|i| {
            env.open(
                &format!("64729900000{i:02}"),
                "Koperasi Bersama",
                "2026-12-07 07:30",
            )
        })
        .collect();
    let opened: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
    let writing = AtomicBool::new(true);
    let run = |args: &[String]| env.std_cmd().args(args).output().expect("run");

    let (asked, reads): (Vec<Asked>, usize) = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (env, sop, shared, opened) = (&env, &sop, &shared, &opened);
                scope.spawn(move || {
                    let mut rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[w as u8; 32]);
                    let mut asked = Vec::new();
                    for i in 0..OPS_PER_WRITER {
                        let note = format!("w{w}-{i}");
                        let candidates: Vec<String> = if rng.random_bool(0.6) {
                            shared.clone()
                        } else {
                            opened
                                .lock()
                                .unwrap()
                                .iter()
                                .map(|(id, _)| id.clone())
                                .collect()
                        };
                        let active: Vec<(String, u32)> = candidates
                            .into_iter()
                            .filter_map(|id| {
                                let path = env.data_dir().join(format!("cases/{id}.json"));
                                let step = record::read_case(&path).current()?.0;
                                Some((id, step))
                            })
                            .collect();
                        if active.is_empty() || rng.random_bool(0.25) {
                            let nik = format!("6472{w:02}{i:07}");
                            let out = run(&[
                                "open".into(),
                                "--nik".into(),
                                nik.clone(),
                                "--nama".into(),
                                note.clone(),
                            ]);
                            assert!(
                                out.status.success(),
                                "{}",
                                String::from_utf8_lossy(&out.stderr)
                            );
                            let id = String::from_utf8(out.stdout).unwrap().trim().to_string();
                            opened.lock().unwrap().push((id, nik));
                            continue;
                        }
                        // The step as read a moment ago: another writer may
                        // have moved the case on since, and then this one
                        // is refused, or completes the step it now is at.
                        let (case, step) = active[rng.random_range(0..active.len())].clone();
                        let step = sop.step(step).unwrap();
                        let decision = match step.flow {
                            Flow::Decision { .. } => Some(if rng.random_bool(0.3) {
                                Decision::Tidak
                            } else {
                                Decision::Ya
                            }),
                            Flow::Next(_) => None,
                        };
                        let role = step.actors[rng.random_range(0..step.actors.len())].clone();
                        let mut args = vec![
                            "advance".into(),
                            case.clone(),
                            "--role".into(),
                            role.clone(),
                            "--note".into(),
                            note.clone(),
                        ];
                        if let Some(d) = decision {
                            args.extend(["--decision".into(), d.to_string().to_lowercase()]);
                        }
                        let out = run(&args);
                        let err = String::from_utf8_lossy(&out.stderr);
                        let refused = [
                            "may not complete step",
                            "is a decision",
                            "is not a decision",
                            "is already done",
                        ];
                        assert!(
                            out.status.success()
                                || (out.status.code() == Some(1)
                                    && refused.iter().any(|r| err.contains(r))),
                            "{args:?} failed otherwise than by a refusal:\n{err}"
                        );
                        asked.push(Asked {
                            note,
                            case,
                            role,
                            decision,
                            done: out.status.success(),
                        });
                    }
                    asked
                })
            })
            .collect();
        let reader = scope.spawn(|| {
            let mut reads = 0;
            while reads == 0 || writing.load(Ordering::Relaxed) {
                // A case reported opened before `status` started is listed.
                let known: Vec<String> = opened
                    .lock()
                    .unwrap()
                    .iter()
                    .map(|(id, _)| id.clone())
                    .collect();
                let shown = record::status_by_id(&env);
                for id in known.iter().chain(&shared) {
                    assert!(shown.contains_key(id), "status during writes lost {id}");
                }
                reads += 1;
            }
            reads
        });
        let asked = writers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect();
        writing.store(false, Ordering::Relaxed);
        (asked, reader.join().unwrap())
    });

    let record = record::read_cases(&env.data_dir());
    record::assert_status_agrees(&env, &record);
    let opened = opened.into_inner().unwrap();
    assert_eq!(
        record.cases.len(),
        shared.len() + opened.len(),
        "one case per open"
    );
    for (id, nik) in &opened {
        let case = &record.cases[&id.parse().unwrap()];
        assert_eq!(
            case.koperasi.nik.to_string(),
            *nik,
            "case {id} holds its own cooperative"
        );
    }
    let mut recorded: BTreeMap<String, (String, &koperasi_sop::case::Pass)> = BTreeMap::new();
    for case in record.cases.values() {
        assert_follows_the_sop(&sop, case);
        for pass in case.passes() {
            let note = pass.note.clone().expect("every advance has a note");
            assert!(
                recorded
                    .insert(note.clone(), (case.id.to_string(), pass))
                    .is_none(),
                "{note} recorded twice"
            );
        }
    }
    let mut done = BTreeSet::new();
    for a in &asked {
        match recorded.get(&a.note) {
            Some((case, pass)) => {
                assert!(a.done, "{} was refused and is recorded", a.note);
                assert_eq!(
                    (case, &pass.role, pass.decision),
                    (&a.case, &a.role, a.decision),
                    "{}",
                    a.note
                );
                done.insert(a.note.clone());
            }
            None => assert!(!a.done, "{} succeeded and is lost", a.note),
        }
    }
    assert_eq!(
        done.len(),
        recorded.len(),
        "nothing recorded that nobody asked for"
    );
    let refused = asked.len() - done.len();
    eprintln!(
        "{WRITERS} writers: {} operations ({} opens, {} advances done, {refused} refused); {reads} status reads during the writes",
        opened.len() + asked.len(),
        opened.len(),
        done.len(),
    );
    assert!(!done.is_empty(), "some advances were done");
}
