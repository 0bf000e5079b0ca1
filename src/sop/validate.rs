//! The rules an SOP must keep, checked on the raw structs, all at once.

use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::NaiveDate;
use rust_i18n::t;
use toml::Spanned;

use super::load::{position, RawKeputusan, RawSop, RawStep};
use super::{Flow, Identity, Pengesah, Problem, Role, Step, Target};
use crate::toml_text::kind;
use crate::waktu::Waktu;

const DATE_EXAMPLE: &str = "2026-05-04";

struct Checker<'a> {
    src: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn report(&mut self, offset: usize, message: String) {
        let (line, column) = position(self.src, offset);
        self.problems.push(Problem {
            line,
            column,
            message,
        });
    }

    fn line(&self, offset: usize) -> usize {
        position(self.src, offset).0
    }

    /// `Some(None)` is "-" (never revised), allowed only when `dash_ok`.
    fn date(
        &mut self,
        value: &Spanned<toml::Value>,
        key: &str,
        dash_ok: bool,
    ) -> Option<Option<NaiveDate>> {
        let fix = if dash_ok {
            t!("sop.date.fix_dash", key = key, example = DATE_EXAMPLE)
        } else {
            t!("sop.date.fix", key = key, example = DATE_EXAMPLE)
        };
        let message = match value.get_ref() {
            toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    match NaiveDate::from_ymd_opt(
                        i32::from(d.year),
                        u32::from(d.month),
                        u32::from(d.day),
                    ) {
                        Some(date) => return Some(Some(date)),
                        None => {
                            t!("sop.date.not_calendar", key = key, value = dt, fix = fix)
                        }
                    }
                }
                _ => t!("sop.date.not_plain", key = key, value = dt, fix = fix),
            },
            toml::Value::String(s) if s.trim() == "-" && dash_ok => return Some(None),
            toml::Value::String(s) if s.trim() == "-" => {
                t!("sop.date.no_dash", key = key, fix = fix)
            }
            toml::Value::String(s) => {
                t!(
                    "sop.date.string",
                    key = key,
                    value = format!("{s:?}"),
                    fix = fix
                )
            }
            other => t!("sop.date.kind", key = key, kind = kind(other), fix = fix),
        }
        .into_owned();
        self.report(value.span().start, message);
        None
    }
}

/// A way to write a role id that keeps the rule: "Kepala Bidang" → "kepala_bidang".
fn suggest_id(id: &str) -> String {
    let mut out = String::new();
    for c in id.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_');
    if out.is_empty() {
        "kepala_bidang".to_string()
    } else {
        out.to_string()
    }
}

/// "1-4, 6, 8-10": the step numbers as a reader scans them.
fn ranges(numbers: &BTreeMap<u32, usize>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut iter = numbers.keys().copied().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while iter.peek() == Some(&(end.wrapping_add(1))) && end < u32::MAX {
            end = iter.next().unwrap_or(end);
        }
        out.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
    }
    out.join(", ")
}

/// A step whose own rules have been checked, waiting for the flow checks.
struct Draft {
    number: u32,
    /// Where a message about the step as a whole points: its `[[prosedur]]` header.
    at: usize,
    /// Where a loop message points: the value that sends the flow on.
    flow_at: usize,
    flow: Option<Flow>,
    actors: Vec<String>,
    waktu: Option<Waktu>,
    uraian: String,
    kelengkapan: String,
    output: String,
    keterangan: String,
}

pub(super) fn build(
    src: &str,
    raw: RawSop,
) -> Result<(Identity, Vec<Role>, Vec<Step>), Vec<Problem>> {
    let mut c = Checker {
        src,
        problems: Vec::new(),
    };

    let id = raw.identitas;
    let pembuatan = c.date(&id.tanggal_pembuatan, "tanggal_pembuatan", false);
    let revisi = match &id.tanggal_revisi {
        Some(value) => c.date(value, "tanggal_revisi", true),
        None => Some(None),
    };
    let efektif = c.date(&id.tanggal_efektif, "tanggal_efektif", false);

    let roles = check_roles(&mut c, raw.pelaksana);
    let known: Vec<&str> = roles.iter().map(|r| r.id.as_str()).collect();

    let (raw_steps, steps_at) = match raw.prosedur {
        Some(s) => {
            let at = s.span().start;
            (s.into_inner(), at)
        }
        None => (Vec::new(), 0),
    };
    if raw_steps.is_empty() {
        c.report(steps_at, t!("sop.no_steps").into_owned());
    }

    // Numbers first: targets may point forward.
    let mut numbers: BTreeMap<u32, usize> = BTreeMap::new();
    let mut step_numbers: Vec<Option<u32>> = Vec::with_capacity(raw_steps.len());
    let mut flow_broken = false;
    for step in &raw_steps {
        let no = step.get_ref().no.get_ref();
        let at = step.get_ref().no.span().start;
        let number = if *no < 1 {
            c.report(at, t!("sop.step.number_low", no = no).into_owned());
            None
        } else if let Ok(n) = u32::try_from(*no) {
            Some(n)
        } else {
            c.report(at, t!("sop.step.number_high", no = no).into_owned());
            None
        };
        step_numbers.push(number);
        let Some(n) = number else {
            flow_broken = true;
            continue;
        };
        if let Some(&first) = numbers.get(&n) {
            let line = c.line(first);
            c.report(
                at,
                t!("sop.step.number_twice", no = n, line = line).into_owned(),
            );
            flow_broken = true;
        } else {
            numbers.insert(n, at);
        }
    }

    let mut checked = Vec::with_capacity(raw_steps.len());
    for (step, number) in raw_steps.into_iter().zip(step_numbers) {
        let header = step.span().start;
        let step = step.into_inner();
        let label = t!("sop.step.label", no = step.no.get_ref()).into_owned();
        let actors = check_actors(&mut c, &step, &label, &known);
        let waktu = match step.waktu.get_ref().parse::<Waktu>() {
            Ok(w) => Some(w),
            Err(e) => {
                c.report(step.waktu.span().start, format!("{label}: {e}"));
                None
            }
        };
        let (flow, ok) = check_flow(&mut c, &step, &label, &numbers);
        flow_broken |= !ok;
        let flow_at = step
            .lanjut
            .as_ref()
            .map(|l| l.span().start)
            .or(step.keputusan.as_ref().map(|k| k.span().start))
            .unwrap_or(header);
        if let Some(number) = number {
            checked.push(Draft {
                number,
                at: header,
                flow_at,
                flow,
                actors,
                waktu,
                uraian: step.uraian,
                kelengkapan: step.kelengkapan,
                output: step.output,
                keterangan: step.keterangan,
            });
        }
    }
    checked.sort_by_key(|s| s.number);

    // A broken target or a doubled number makes the graph ambiguous; its
    // problems are reported above, and reachability would only echo them.
    let mut flows = Vec::new();
    if !flow_broken && !checked.is_empty() {
        for (i, step) in checked.iter().enumerate() {
            let default = checked
                .get(i + 1)
                .map_or(Target::End, |next| Target::Step(next.number));
            flows.push(step.flow.unwrap_or(Flow::Next(default)));
        }
        check_graph(&mut c, &checked, &flows);
    }

    if !c.problems.is_empty() {
        c.problems.sort_by_key(|p| (p.line, p.column));
        return Err(c.problems);
    }
    let (Some(pembuatan), Some(revisi), Some(efektif)) =
        (pembuatan.flatten(), revisi, efektif.flatten())
    else {
        unreachable_problem(&mut c);
        return Err(c.problems);
    };

    let identity = Identity {
        nomor: id.nomor,
        nama: id.nama,
        pemerintah: id.pemerintah,
        instansi: id.instansi,
        bidang: id.bidang,
        tanggal_pembuatan: pembuatan,
        tanggal_revisi: revisi,
        tanggal_efektif: efektif,
        disahkan_oleh: Pengesah {
            jabatan: id.disahkan_oleh.jabatan,
            nama: id.disahkan_oleh.nama,
            nip: id.disahkan_oleh.nip,
        },
        dasar_hukum: id.dasar_hukum,
        kualifikasi_pelaksana: id.kualifikasi_pelaksana,
        keterkaitan: id.keterkaitan,
        peralatan_perlengkapan: id.peralatan_perlengkapan,
        peringatan: id.peringatan,
        pencatatan_pendataan: id.pencatatan_pendataan,
    };

    let mut steps = Vec::with_capacity(checked.len());
    for (step, flow) in checked.into_iter().zip(flows) {
        let Some(waktu) = step.waktu else {
            unreachable_problem(&mut c);
            return Err(c.problems);
        };
        steps.push(Step {
            number: step.number,
            uraian: step.uraian,
            actors: step.actors,
            kelengkapan: step.kelengkapan,
            waktu,
            output: step.output,
            keterangan: step.keterangan,
            flow,
        });
    }
    Ok((identity, roles, steps))
}

/// Every rule that failed has reported a problem; this stands in, rather
/// than a panic, should a failed value ever slip through unreported.
fn unreachable_problem(c: &mut Checker<'_>) {
    if c.problems.is_empty() {
        c.report(0, t!("sop.internal").into_owned());
    }
}

fn check_roles(c: &mut Checker<'_>, raw: Option<Spanned<Vec<super::load::RawRole>>>) -> Vec<Role> {
    let (raw, at) = match raw {
        Some(s) => {
            let at = s.span().start;
            (s.into_inner(), at)
        }
        None => (Vec::new(), 0),
    };
    if raw.is_empty() {
        c.report(at, t!("sop.no_roles").into_owned());
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut roles = Vec::with_capacity(raw.len());
    for role in raw {
        let at = role.id.span().start;
        let id = role.id.into_inner();
        if id.is_empty() {
            c.report(at, t!("sop.role.empty").into_owned());
        } else if !id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        {
            c.report(
                at,
                t!(
                    "sop.role.chars",
                    id = format!("{id:?}"),
                    suggestion = format!("{:?}", suggest_id(&id))
                )
                .into_owned(),
            );
        }
        if let Some(&first) = seen.get(&id) {
            let line = c.line(first);
            c.report(
                at,
                t!("sop.role.twice", id = format!("{id:?}"), line = line).into_owned(),
            );
        } else {
            seen.insert(id.clone(), at);
        }
        roles.push(Role {
            id,
            nama: role.nama,
        });
    }
    roles
}

fn check_actors(c: &mut Checker<'_>, step: &RawStep, label: &str, known: &[&str]) -> Vec<String> {
    let list = step.pelaksana.get_ref();
    if list.is_empty() {
        let example = known.first().copied().unwrap_or("jfu");
        c.report(
            step.pelaksana.span().start,
            t!("sop.actors.none", label = label, example = example).into_owned(),
        );
    }
    let mut actors: Vec<String> = Vec::with_capacity(list.len());
    for actor in list {
        let id = actor.get_ref();
        if !known.contains(&id.as_str()) {
            let roles = if known.is_empty() {
                t!("sop.actors.no_roles")
            } else {
                t!("sop.actors.roles", roles = known.join(", "))
            };
            c.report(
                actor.span().start,
                t!(
                    "sop.actors.unknown",
                    label = label,
                    id = format!("{id:?}"),
                    roles = roles
                )
                .into_owned(),
            );
        } else if actors.contains(id) {
            c.report(
                actor.span().start,
                t!("sop.actors.twice", label = label, id = format!("{id:?}")).into_owned(),
            );
        } else {
            actors.push(id.clone());
        }
    }
    actors
}

/// The step's own flow (`None` = on to the next step) and whether it is sound.
fn check_flow(
    c: &mut Checker<'_>,
    step: &RawStep,
    label: &str,
    numbers: &BTreeMap<u32, usize>,
) -> (Option<Flow>, bool) {
    let mut ok = true;
    let mut target = |c: &mut Checker<'_>, value: &Spanned<toml::Value>, key: &str| {
        let t = resolve(c, value, key, label, numbers);
        ok &= t.is_some();
        t
    };
    let lanjut = step.lanjut.as_ref().and_then(|v| target(c, v, "lanjut"));
    let flow = match &step.keputusan {
        None => lanjut.map(Flow::Next),
        Some(keputusan) => {
            let RawKeputusan { ya, tidak } = keputusan.get_ref();
            let ya = ya.as_ref().map(|v| target(c, v, "ya"));
            let tidak = tidak.as_ref().map(|v| target(c, v, "tidak"));
            let missing = match (&ya, &tidak) {
                (None, None) => Some(t!("sop.keputusan.add_both")),
                (None, Some(_)) => Some(t!("sop.keputusan.add_ya")),
                (Some(_), None) => Some(t!("sop.keputusan.add_tidak")),
                _ => None,
            };
            if let Some(add) = missing {
                c.report(
                    keputusan.span().start,
                    t!("sop.keputusan.incomplete", label = label, add = add).into_owned(),
                );
                ok = false;
            }
            if let Some(lanjut) = &step.lanjut {
                c.report(
                    lanjut.span().start,
                    t!("sop.keputusan.with_lanjut", label = label).into_owned(),
                );
                ok = false;
            }
            match (ya.flatten(), tidak.flatten()) {
                (Some(ya), Some(tidak)) => Some(Flow::Decision { ya, tidak }),
                _ => None,
            }
        }
    };
    (flow, ok)
}

fn resolve(
    c: &mut Checker<'_>,
    value: &Spanned<toml::Value>,
    key: &str,
    label: &str,
    numbers: &BTreeMap<u32, usize>,
) -> Option<Target> {
    let steps = if numbers.is_empty() {
        t!("sop.target.no_steps")
    } else {
        t!("sop.target.steps", steps = ranges(numbers))
    };
    let message = match value.get_ref() {
        toml::Value::Integer(n) => match u32::try_from(*n) {
            Ok(n) if numbers.contains_key(&n) => return Some(Target::Step(n)),
            _ => t!(
                "sop.target.nowhere",
                label = label,
                key = key,
                n = n,
                steps = steps
            ),
        },
        toml::Value::String(s) if s.trim().eq_ignore_ascii_case("selesai") => {
            return Some(Target::End)
        }
        toml::Value::String(s) if s.trim().parse::<i64>().is_ok() => {
            t!(
                "sop.target.quoted",
                label = label,
                key = key,
                value = format!("{s:?}"),
                n = s.trim()
            )
        }
        toml::Value::String(s) => {
            t!(
                "sop.target.neither",
                label = label,
                key = key,
                value = format!("{s:?}"),
                steps = steps
            )
        }
        other => t!(
            "sop.target.kind",
            label = label,
            key = key,
            kind = kind(other)
        ),
    };
    c.report(value.span().start, message.into_owned());
    None
}

/// Every step reachable from the first; selesai reachable from every step.
fn check_graph(c: &mut Checker<'_>, steps: &[Draft], flows: &[Flow]) {
    let index: HashMap<u32, usize> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.number, i))
        .collect();
    // `None` stands for selesai.
    let successors: Vec<Vec<Option<usize>>> = flows
        .iter()
        .map(|flow| {
            let targets = match *flow {
                Flow::Next(t) => vec![t],
                Flow::Decision { ya, tidak } => vec![ya, tidak],
            };
            targets
                .into_iter()
                .map(|t| match t {
                    Target::Step(n) => index.get(&n).copied(),
                    Target::End => None,
                })
                .collect()
        })
        .collect();

    let first = steps[0].number;
    let mut reached = vec![false; steps.len()];
    let mut queue = VecDeque::from([0]);
    reached[0] = true;
    while let Some(i) = queue.pop_front() {
        for &j in successors[i].iter().flatten() {
            if !reached[j] {
                reached[j] = true;
                queue.push_back(j);
            }
        }
    }
    for (step, reached) in steps.iter().zip(&reached) {
        if !reached {
            c.report(
                step.at,
                t!("sop.graph.unreachable", no = step.number, first = first).into_owned(),
            );
        }
    }

    let mut predecessors = vec![Vec::new(); steps.len()];
    let mut ends = vec![false; steps.len()];
    let mut queue = VecDeque::new();
    for (i, succ) in successors.iter().enumerate() {
        for s in succ {
            match s {
                Some(j) => predecessors[*j].push(i),
                None if !ends[i] => {
                    ends[i] = true;
                    queue.push_back(i);
                }
                None => {}
            }
        }
    }
    while let Some(i) = queue.pop_front() {
        for &p in &predecessors[i] {
            if !ends[p] {
                ends[p] = true;
                queue.push_back(p);
            }
        }
    }

    // Every successor of a step that cannot end cannot end either, so a walk
    // from one stays among them until it closes a loop. Steps stay marked
    // across walks, so each loop is found, and reported, once.
    let mut walked: Vec<Option<usize>> = vec![None; steps.len()];
    for start in 0..steps.len() {
        if ends[start] || walked[start].is_some() {
            continue;
        }
        let mut path = Vec::new();
        let mut i = start;
        let mut closed = true;
        while walked[i].is_none() {
            walked[i] = Some(start);
            path.push(i);
            match successors[i].iter().flatten().copied().find(|&j| !ends[j]) {
                Some(next) => i = next,
                None => {
                    closed = false;
                    break;
                }
            }
        }
        // A walk that ran into an earlier walk's steps found no new loop.
        if !closed || walked[i] != Some(start) {
            continue;
        }
        let Some(pos) = path.iter().position(|&p| p == i) else {
            continue;
        };
        let mut cycle = path[pos..].to_vec();
        let Some(lowest) = cycle
            .iter()
            .enumerate()
            .min_by_key(|(_, &j)| steps[j].number)
            .map(|(k, _)| k)
        else {
            continue;
        };
        cycle.rotate_left(lowest);
        let mut names: Vec<String> = cycle.iter().map(|&j| steps[j].number.to_string()).collect();
        names.push(names[0].clone());
        c.report(
            steps[cycle[0]].flow_at,
            t!("sop.graph.loop", steps = names.join(" → ")).into_owned(),
        );
    }
}
