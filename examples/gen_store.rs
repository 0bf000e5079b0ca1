//! Writes a data directory of invented cases, and an import file of invented
//! cooperatives, for the benchmark (`bench/run.sh`) and for trying the tool
//! at scale.
//!
//! ```sh
//! cargo run --release --example gen_store -- --cases 10000 --seed 1 --dir /tmp/kop
//! cargo run --release --example gen_store -- --import-csv /tmp/baru.csv --rows 100000
//! ```
//!
//! The cases are made with the crate's own transitions (`case::open`,
//! `Case::advance`, `Case::pause`, `Case::resume`) and written with
//! `Store::write_batch`, so every file is exactly what `koperasi-sop` writes.
//! The same seed gives the same files, byte for byte. Half the cases are
//! opened through 2026 and run to the end; one in five is opened through
//! the year and gets stuck at some step (overdue, some of them paused); the
//! rest were opened in the last ten working days and are still moving.
//! Steps take mostly less than their standard, some longer, a few far
//! longer; files are returned (TIDAK) at the decision step, paused while
//! documents are awaited, and noted. Nothing happens after `--now`.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use chrono::TimeDelta;
use clap::Parser;

use koperasi_sop::calendar::Calendar;
use koperasi_sop::case::{self, Actor, Case, CaseId, Completion, Decision, Koperasi, Nik, Time};
use koperasi_sop::sop::{Flow, Sop};
use koperasi_sop::store::Store;

/// Generate a benchmark data directory and/or a keragaan import file
#[derive(Debug, Parser)]
struct Args {
    /// Number of cases to write into --dir
    #[arg(long, value_name = "N", requires = "dir")]
    cases: Option<u32>,

    /// Data directory to create; it must not hold cases yet
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,

    /// Seed: the same seed gives the same files
    #[arg(long, default_value_t = 1)]
    seed: u64,

    /// Nothing is recorded after this time
    #[arg(long, default_value = "2026-12-07T08:00:00+08:00", value_name = "TIME")]
    now: String,

    /// Write an import file (CSV, data keragaan koperasi) of --rows rows
    #[arg(long, value_name = "FILE", requires = "rows")]
    import_csv: Option<PathBuf>,

    /// Rows of the import file; their NIKs are not among the generated cases'
    #[arg(long, value_name = "N")]
    rows: Option<u32>,
}

/// Cases built and written per batch: bounds memory at 100,000 cases.
const CHUNK: usize = 10_000;

/// Serial numbers of import rows start here; generated cases use 1, 2, ...
const IMPORT_SERIAL: u64 = 5_000_000;

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    if args.cases.is_none() && args.import_csv.is_none() {
        bail!("nothing to do: give --cases N --dir DIR, or --import-csv FILE --rows N");
    }
    let calendar = Calendar::embedded()?;
    let now = calendar.parse_time(&args.now).context("invalid --now")?;
    if let (Some(n), Some(dir)) = (args.cases, &args.dir) {
        let started = Instant::now();
        write_store(dir, n as usize, args.seed, now)?;
        eprintln!(
            "{n} cases in {} ({:.1} s)",
            dir.display(),
            started.elapsed().as_secs_f64()
        );
    }
    if let (Some(path), Some(rows)) = (&args.import_csv, args.rows) {
        write_import(path, rows as u64, args.seed)?;
        eprintln!("{rows} rows in {}", path.display());
    }
    Ok(())
}

fn write_store(dir: &Path, n: usize, seed: u64, now: Time) -> anyhow::Result<()> {
    if dir.join("cases").is_dir() && fs::read_dir(dir.join("cases"))?.next().is_some() {
        bail!(
            "{} already holds cases; give an empty or new directory",
            dir.display()
        );
    }
    let sop = Sop::embedded()?;
    let calendar = Calendar::embedded()?;
    let drawn = draw_cases(&calendar, n, seed, now);
    let store = Store::new(dir);
    let lock = store.lock(Duration::from_secs(5))?;
    store.keep_sop(&lock, &sop)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    for chunk in drawn.chunks(CHUNK) {
        // Each case depends only on the seed and its own draw, so the cases
        // can be built on every core and still come out the same.
        let per = chunk.len().div_ceil(threads);
        let built: Vec<Case> = std::thread::scope(|scope| {
            let workers: Vec<_> = chunk
                .chunks(per)
                .map(|part| {
                    let sop = &sop;
                    scope.spawn(move || -> anyhow::Result<Vec<Case>> {
                        let calendar = Calendar::embedded()?;
                        part.iter()
                            .map(|draw| build_case(sop, &calendar, draw.clone(), now))
                            .collect()
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("a generator thread panicked"))
                .collect::<anyhow::Result<Vec<Vec<Case>>>>()
        })?
        .into_iter()
        .flatten()
        .collect();
        store.write_batch(&lock, built, Vec::new())?;
    }
    // The index as `reindex` leaves it: one line per case.
    store.rebuild_index(&lock)?;
    Ok(())
}

/// What becomes of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Runs to the end (unless `now` comes first).
    Done,
    /// Stops at this step and stays there: a file stuck on a desk.
    Stuck(u32),
    /// Opened in the last two weeks and still moving.
    Recent,
}

/// A case before it is built: when it opens, its fate, and the random
/// stream it is built from.
#[derive(Debug, Clone)]
struct Draw {
    serial: u64,
    opened: Time,
    fate: Fate,
    rng: Rng,
}

/// Half the cases run to the end, one in five gets stuck at a step, the
/// rest were opened in the last ten working days. Returned in order of
/// opening, which is the order of their ids.
fn draw_cases(calendar: &Calendar, n: usize, seed: u64, now: Time) -> Vec<Draw> {
    let year_start = calendar
        .parse_time("2026-01-01 00:00")
        .expect("a valid time");
    let day = i64::from(calendar.day_minutes()) * 60;
    let total = calendar.working_between(year_start, now).max(20 * day);
    let mut drawn: Vec<Draw> = (0..n as u64)
        .map(|j| {
            let mut rng = Rng::new(seed, j);
            let (fate, from, to) = match rng.unit() {
                u if u < 0.5 => (Fate::Done, 0, total - 15 * day),
                u if u < 0.7 => (Fate::Stuck(1 + rng.below(10) as u32), 0, total - day),
                _ => (Fate::Recent, total - 10 * day, total - 60),
            };
            let secs = from + rng.below((to - from) as u64) as i64;
            Draw {
                serial: j + 1,
                // On the minute, as an officer would type it.
                opened: calendar.add_working(year_start, secs / 60 * 60 + 60),
                fate,
                rng,
            }
        })
        .collect();
    drawn.sort_by_key(|d| (d.opened, d.serial));
    drawn
}

/// One case, run through the SOP until its fate or until `now`.
fn build_case(sop: &Sop, calendar: &Calendar, draw: Draw, now: Time) -> anyhow::Result<Case> {
    let Draw {
        serial,
        opened,
        fate,
        mut rng,
    } = draw;
    let rng = &mut rng;
    let koperasi = Koperasi {
        nik: nik(rng, serial)?,
        nama: cooperative_name(rng),
    };
    let mut case = case::open(CaseId::new(2026, 1), koperasi, sop, opened, now)?;
    let officers: Vec<(String, &str)> = sop
        .roles
        .iter()
        .map(|r| (r.id.clone(), *rng.pick(officers_of(&r.id))))
        .collect();
    let officer_of = |role: &str| {
        officers
            .iter()
            .find(|(id, _)| id == role)
            .map(|(_, name)| name.to_string())
    };
    let mut returns = 0;
    while let Some((number, started)) = case.current() {
        if fate == Fate::Stuck(number) {
            maybe_pause_running(&mut case, sop, calendar, rng, started, now)?;
            break;
        }
        let Some(step) = sop.step(number) else { break };
        let actor = rng.pick(&step.actors).clone();
        let standard = step.waktu.working_secs(calendar.day_minutes()).max(60);
        // Working time the step takes: mostly within the standard.
        let factor = match rng.unit() {
            u if u < 0.70 => 0.2 + 0.8 * rng.unit(),
            u if u < 0.92 => 1.0 + 2.0 * rng.unit(),
            _ => 3.0 + 17.0 * rng.unit(),
        };
        let taken = ((standard as f64 * factor) as i64 / 60).max(1) * 60;
        let mut at = calendar.add_working(started, taken);
        // Now and then the file waits for documents: a pause, later resumed.
        if rng.chance(0.03) {
            let pause_at = calendar.add_working(started, taken / 180 * 60);
            // Some hours later on the clock, at the next working minute.
            let waited = TimeDelta::hours(2 + rng.below(96) as i64);
            let resume_at = calendar.add_working(pause_at + waited, 60);
            if pause_at > now {
                break;
            }
            let by = Actor {
                role: actor.clone(),
                officer: officer_of(&actor),
                at: pause_at,
            };
            let reason = *rng.pick(PAUSE_REASONS);
            case = case.pause(sop, by, reason, now)?;
            if resume_at > now {
                break; // still waiting
            }
            let by = Actor {
                role: actor.clone(),
                officer: officer_of(&actor),
                at: resume_at,
            };
            case = case.resume(sop, by, now)?;
            at = calendar.add_working(resume_at, taken - taken / 180 * 60);
        }
        if at > now {
            break; // still running
        }
        let decision = match step.flow {
            Flow::Decision { .. } if returns < 2 && rng.chance(0.15) => {
                returns += 1;
                Some(Decision::Tidak)
            }
            Flow::Decision { .. } => Some(Decision::Ya),
            Flow::Next(_) => None,
        };
        let note = match decision {
            Some(Decision::Tidak) => Some(rng.pick(RETURN_NOTES).to_string()),
            _ if rng.chance(0.25) => Some(rng.pick(NOTES).to_string()),
            _ => None,
        };
        let completion = Completion {
            officer: officer_of(&actor),
            role: actor,
            decision,
            note,
            at,
        };
        case = case.advance(sop, completion, now)?;
    }
    Ok(case)
}

/// Some cases stopped at a step are waiting, paused, for documents.
fn maybe_pause_running(
    case: &mut Case,
    sop: &Sop,
    calendar: &Calendar,
    rng: &mut Rng,
    started: Time,
    now: Time,
) -> anyhow::Result<()> {
    if case.paused().is_some() || !rng.chance(0.12) {
        return Ok(());
    }
    let Some(step) = case.current().and_then(|(n, _)| sop.step(n)) else {
        return Ok(());
    };
    let since = case.last_change().max(started);
    let room = calendar.working_between(since, now) / 60;
    if room < 2 {
        return Ok(());
    }
    let at = calendar.add_working(since, 60 * (1 + rng.below(room as u64 - 1) as i64));
    let role = rng.pick(&step.actors).clone();
    let by = Actor {
        officer: Some(rng.pick(officers_of(&role)).to_string()),
        role,
        at,
    };
    let reason = *rng.pick(PAUSE_REASONS);
    *case = case.pause(sop, by, reason, now)?;
    Ok(())
}

/// A 13-digit NIK koperasi of Samarinda (6472): a kecamatan code and a
/// serial number that makes it unique.
fn nik(rng: &mut Rng, serial: u64) -> anyhow::Result<Nik> {
    let kecamatan = 1 + rng.below(KECAMATAN.len() as u64);
    Ok(format!("6472{kecamatan:02}{serial:07}").parse::<Nik>()?)
}

fn cooperative_name(rng: &mut Rng) -> String {
    format!(
        "{} {} {}",
        rng.pick(KINDS),
        rng.pick(NAME_WORDS),
        rng.pick(NAME_TAILS)
    )
}

fn officers_of(role: &str) -> &'static [&'static str] {
    match role {
        "jfu" => &["Siti Rahmah", "Nur Aini", "Muhammad Arif", "Rina Marlina"],
        "jf_pengawas" => &[
            "Hendra Gunawan",
            "Dewi Lestari",
            "Andi Saputra",
            "Yusuf Hidayat",
            "Fitriani",
            "Bambang Irawan",
        ],
        "kepala_bidang" => &["Drs. Syahrani, M.Si"],
        "sekretaris" => &["Hj. Erna Susanti, S.E."],
        "kepala_dinas" => &["Ir. Abdul Rahman, M.T."],
        _ => &["Petugas"],
    }
}

const KECAMATAN: &[&str] = &[
    "Samarinda Ulu",
    "Samarinda Ilir",
    "Samarinda Utara",
    "Samarinda Seberang",
    "Sungai Kunjang",
    "Palaran",
    "Sambutan",
    "Sungai Pinang",
    "Samarinda Kota",
    "Loa Janan Ilir",
];

const KINDS: &[&str] = &[
    "Koperasi Simpan Pinjam",
    "Koperasi Serba Usaha",
    "KUD",
    "KPRI",
    "Koperasi Konsumen",
    "Koperasi Produsen",
    "Koperasi Nelayan",
    "Koperasi Jasa Angkutan",
    "Koperasi Kelurahan Merah Putih",
];

const NAME_WORDS: &[&str] = &[
    "Maju",
    "Mahakam",
    "Tepian",
    "Karya",
    "Sejahtera",
    "Mulia",
    "Harapan",
    "Bahari",
    "Sentosa",
    "Jaya",
    "Berkah",
    "Makmur",
    "Mandiri",
    "Bersama",
];

const NAME_TAILS: &[&str] = &[
    "Bersama",
    "Sejahtera",
    "Makmur",
    "Abadi",
    "Utama",
    "Lestari",
    "Sentosa",
    "Jaya",
    "Mandiri",
    "Berkah",
    "Permai",
];

const NOTES: &[&str] = &[
    "data keragaan dari ODS lengkap",
    "kertas kerja sudah diparaf",
    "jadwal kunjungan lapangan disepakati dengan pengurus",
    "pengurus koperasi hadir lengkap",
    "laporan dikirim ke Kepala Bidang",
    "perlu pendampingan pembukuan",
    "RAT belum dilaksanakan tahun ini",
    "berkas diarsipkan",
];

const RETURN_NOTES: &[&str] = &[
    "rekapitulasi sektor belum ada",
    "data keragaan tidak lengkap",
    "data ODS berbeda dengan data manual",
];

const PAUSE_REASONS: &[&str] = &[
    "menunggu dokumen dari koperasi",
    "pengurus koperasi belum dapat ditemui",
    "menunggu jadwal rapat verifikasi",
];

/// The import file: new cooperatives, in the columns regional apps export,
/// with amounts written as offices write them (`1.250.000`).
fn write_import(path: &Path, rows: u64, seed: u64) -> anyhow::Result<()> {
    let file =
        fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = BufWriter::new(file);
    write_rows(&mut out, rows, seed)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn write_rows(out: &mut impl Write, rows: u64, seed: u64) -> io::Result<()> {
    writeln!(
        out,
        "nik,nama,kecamatan,kabupaten_kota,provinsi,jenis,kelompok,sektor_usaha,\
         anggota_pria,anggota_wanita,ketua,tanggal_rat,status_aktif,grade,kesehatan,\
         tahun_buku,modal_sendiri,aset,volume_usaha,shu"
    )?;
    // Jenis, kelompok, sektor usaha, and how such a cooperative is named.
    const JENIS: &[(&str, &str, &str, &str)] = &[
        (
            "Simpan Pinjam",
            "KSP",
            "Jasa Keuangan",
            "Koperasi Simpan Pinjam",
        ),
        ("Konsumen", "KSU", "Perdagangan", "Koperasi Serba Usaha"),
        ("Produsen", "KUD", "Pertanian", "KUD"),
        ("Pemasaran", "KSU", "Perikanan", "Koperasi Nelayan"),
        ("Jasa", "Kopjas", "Transportasi", "Koperasi Jasa Angkutan"),
    ];
    const GRADES: &[&str] = &["A", "B", "C1", "C2", "D"];
    const KESEHATAN: &[&str] = &[
        "Sehat",
        "Cukup Sehat",
        "Dalam Pengawasan",
        "Dalam Pengawasan Khusus",
    ];
    const KETUA: &[&str] = &[
        "Wahyu Pratama",
        "Rina Marlina",
        "Maya Sari",
        "Muhammad Rizky",
        "Dewi Lestari",
        "Agus Salim",
        "Sri Wahyuni",
    ];
    for i in 0..rows {
        let mut rng = Rng::new(seed ^ 0x1a2b_3c4d, i);
        let kecamatan = 1 + rng.below(KECAMATAN.len() as u64);
        let (jenis, kelompok, sektor, kind) = *rng.pick(JENIS);
        let modal = 10_000_000 + rng.below(2_000_000) * 1000;
        let aset = modal + rng.below(3_000_000) * 1000;
        let rat = 1 + rng.below(120);
        let nama = format!("{kind} {} {}", rng.pick(NAME_WORDS), rng.pick(NAME_TAILS));
        writeln!(
            out,
            "6472{kecamatan:02}{serial:07},{nama},{kec},Kota Samarinda,Kalimantan Timur,\
             {jenis},{kelompok},{sektor},{pria},{wanita},{ketua},{day:02}/{month:02}/2026,\
             {aktif},{grade},{kesehatan},2025,{modal},{aset},{volume},{shu}",
            serial = IMPORT_SERIAL + i,
            kec = KECAMATAN[kecamatan as usize - 1],
            pria = 5 + rng.below(400),
            wanita = 5 + rng.below(400),
            ketua = rng.pick(KETUA),
            day = 1 + rat % 28,
            month = 1 + rat / 28,
            aktif = if rng.chance(0.8) {
                "Aktif"
            } else {
                "Tidak Aktif"
            },
            grade = rng.pick(GRADES),
            kesehatan = rng.pick(KESEHATAN),
            modal = rupiah(modal),
            aset = rupiah(aset),
            volume = rupiah(rng.below(5_000_000) * 1000),
            shu = rupiah(rng.below(200_000) * 1000),
        )?;
    }
    Ok(())
}

/// `1250000` → `1.250.000`.
fn rupiah(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A small deterministic generator (SplitMix64): the files must not change
/// with a dependency's version.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    /// A stream for item `i` of a run seeded with `seed`.
    fn new(seed: u64, i: u64) -> Rng {
        let mut rng = Rng(seed ^ i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// In `0..n`; `n` must be positive.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// In `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Time {
        Calendar::embedded()
            .unwrap()
            .parse_time("2026-12-07T08:00:00+08:00")
            .unwrap()
    }

    fn case_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = fs::read_dir(dir.join("cases"))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn the_same_seed_writes_the_same_cases_and_another_seed_others() {
        let tmp = tempfile::tempdir().unwrap();
        let [a, b, c] = ["a", "b", "c"].map(|d| tmp.path().join(d));
        write_store(&a, 60, 7, now()).unwrap();
        write_store(&b, 60, 7, now()).unwrap();
        write_store(&c, 60, 8, now()).unwrap();
        assert_eq!(case_files(&a).len(), 60);
        assert_eq!(case_files(&a), case_files(&b));
        assert_ne!(case_files(&a), case_files(&c));
    }

    #[test]
    fn cases_are_whole_chained_mixed_and_nothing_happens_after_now() {
        let tmp = tempfile::tempdir().unwrap();
        write_store(tmp.path(), 300, 1, now()).unwrap();
        let store = Store::new(tmp.path());
        let (cases, bad) = store.load_all().unwrap();
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(cases.len(), 300);
        for case in &cases {
            assert_eq!(case::verify(case), Ok(()), "{}", case.id);
            assert!(case.last_change() <= now(), "{}", case.id);
        }
        let done = cases.iter().filter(|c| c.is_done()).count();
        let paused = cases.iter().filter(|c| c.paused().is_some()).count();
        let returned = cases
            .iter()
            .filter(|c| c.passes().any(|p| p.decision == Some(Decision::Tidak)))
            .count();
        let steps: std::collections::BTreeSet<u32> = cases
            .iter()
            .filter_map(|c| c.current())
            .map(|c| c.0)
            .collect();
        assert!((100..250).contains(&done), "{done} done");
        assert!(
            paused > 0 && returned > 0,
            "{paused} paused, {returned} returned"
        );
        assert_eq!(
            steps.len(),
            10,
            "active cases stand at every step: {steps:?}"
        );
        // The index the generator leaves is fresh: status reads it as is.
        let (summaries, bad) = store.summaries(Duration::from_secs(1)).unwrap();
        assert_eq!((summaries.len(), bad.len()), (300, 0));
    }

    #[test]
    fn a_directory_with_cases_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        write_store(tmp.path(), 5, 1, now()).unwrap();
        let err = write_store(tmp.path(), 5, 1, now()).unwrap_err();
        assert!(err.to_string().contains("already holds cases"), "{err}");
        assert_eq!(case_files(tmp.path()).len(), 5);
    }

    #[test]
    fn import_rows_have_distinct_new_niks_and_office_amounts() {
        let mut out = Vec::new();
        write_rows(&mut out, 500, 1).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        let columns = header.split(',').count();
        let mut niks = std::collections::HashSet::new();
        for line in lines {
            let cells: Vec<&str> = line.split(',').collect();
            assert_eq!(cells.len(), columns, "{line}");
            let nik: Nik = cells[0].parse().unwrap();
            assert!(nik.to_string().starts_with("6472"));
            // Not a NIK of a generated case (serials 1, 2, ...).
            assert!(cells[0][6..].parse::<u64>().unwrap() >= IMPORT_SERIAL);
            assert!(niks.insert(nik), "{line}");
        }
        assert_eq!(niks.len(), 500);
        assert_eq!(rupiah(0), "0");
        assert_eq!(rupiah(999), "999");
        assert_eq!(rupiah(1_250_000), "1.250.000");
    }
}
