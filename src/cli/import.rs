//! `import`: data keragaan koperasi from files into cases.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use rust_i18n::t;
use serde::Serialize;

use super::{Context, Format};
use crate::case::{self, Case, CaseId, Koperasi, Nik};
use crate::import::{self, InputFormat, Row, RowError};
use crate::render;

/// Import data keragaan koperasi: open a case for each cooperative without
/// an active one, update the record of each that has one
///
/// Reads CSV (comma or semicolon separated, with a header row), JSON Lines
/// or a JSON array; the format comes from the extension (.csv, .jsonl,
/// .ndjson, .json), or from --input-format. `-` reads standard input.
/// Columns are matched by name (nik, "NIK Koperasi", nama_koperasi, ...);
/// unknown columns are kept in the record. The NIK koperasi is the key: a
/// row identical to what the cooperative's case holds changes nothing.
///
/// Every row is checked before anything is written: by default one bad row
/// means nothing is imported. Exit status 1 when any row was rejected.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "Examples:
  koperasi-sop import examples/data/koperasi-samarinda.csv
  koperasi-sop import --dry-run examples/data/*.csv examples/data/*.jsonl
  ods-export | koperasi-sop import - --input-format csv --format json")]
pub struct Args {
    /// Files to import; `-` for standard input
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// Report what would happen; write nothing
    #[arg(long)]
    dry_run: bool,

    /// Import the valid rows even when some are bad (still exits 1)
    #[arg(long)]
    skip_invalid: bool,

    /// The format of every input, instead of guessing it from the extension
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputFormat>,

    /// When new cases start step 1 and the records are taken [default: now]
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
}

/// What an import did, or would do with --dry-run.
#[derive(Debug, Default, Serialize)]
struct Outcome {
    dry_run: bool,
    created: usize,
    updated: usize,
    unchanged: usize,
    /// Rows not imported: bad, or (without --skip-invalid) every row.
    rejected: usize,
    errors: Vec<RowError>,
    /// The ids of the new cases.
    created_ids: Vec<String>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let at = ctx.time_or_now(args.at.as_deref(), "--at")?;
    if at > ctx.now {
        anyhow::bail!(
            "{}",
            t!(
                "import.at_future",
                at = render::local(at),
                now = render::local(ctx.now)
            )
        );
    }
    // The store is read before the input, and only what the import needs of
    // it is kept: the active case and record digest of each cooperative, so
    // a national store and a 100,000-row input are never in memory at once.
    // It is read again under the lock if a writer changed it meanwhile.
    let stamp = ctx.store.index_stamp()?;
    let (mut active, bad) = active_cases(ctx.store.summaries(ctx.lock_timeout)?);
    let failed_files = super::report_bad_files(&bad);

    let progress = Progress::new(&args.files);
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for path in &args.files {
        let parsed = read_input(path, args.input_format, &progress)?;
        // Moved, not copied, when there is one input: rows are large.
        if rows.is_empty() {
            rows = parsed.rows;
        } else {
            rows.extend(parsed.rows);
        }
        errors.extend(parsed.errors);
    }
    let (rows, repeats) = import::dedupe(rows);
    errors.extend(repeats);
    errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    progress.finish_reading(rows.len() + errors.len());

    let mut summary = Outcome {
        dry_run: args.dry_run,
        ..Outcome::default()
    };
    let bad_rows = {
        let mut lines: Vec<(&str, u64)> =
            errors.iter().map(|e| (e.file.as_str(), e.line)).collect();
        lines.dedup();
        lines.len()
    };
    for e in &errors {
        eprintln!("{} {e}", t!("main.error"));
    }
    if !errors.is_empty() && !args.skip_invalid {
        summary.rejected = bad_rows + rows.len();
        summary.errors = errors;
        eprintln!("{} {}", t!("main.hint"), t!("import.nothing_imported"));
        return print(ctx, &summary, ExitCode::FAILURE);
    }
    summary.rejected = bad_rows;
    summary.errors = errors;

    // Under the lock from the look-up to the write, so no other writer can
    // open a case for the same cooperative in between.
    let lock = if args.dry_run {
        None
    } else {
        Some(ctx.store.lock(ctx.lock_timeout)?)
    };
    if let Some(lock) = &lock {
        if ctx.store.index_stamp()? != stamp {
            active = active_cases(ctx.store.summaries_locked(lock)?).0;
        }
    }

    // Which rows make new cases; the rest are dropped in place, so the rows
    // are never held twice (100,000 rows are a large part of an import's
    // memory).
    let mut changed: Vec<Case> = Vec::new();
    let mut creates = Vec::with_capacity(rows.len());
    let year = chrono::Datelike::year(&at);
    let year = u16::try_from(year).context("--at: the year must have four digits")?;
    for Row { origin, record } in &rows {
        let create = match active.get(&record.nik) {
            Some((_, digest)) if digest.as_deref() == Some(record.digest().as_str()) => {
                summary.unchanged += 1;
                false
            }
            Some((id, _)) => {
                let current = ctx.store.load(id)?;
                match current.set_keragaan(record.clone(), origin.to_string(), at) {
                    Some(next) => {
                        summary.updated += 1;
                        changed.push(next);
                    }
                    None => summary.unchanged += 1,
                }
                false
            }
            None => {
                summary.created += 1;
                true
            }
        };
        creates.push(create);
    }
    drop(active);
    let mut creates = creates.into_iter();
    let mut fresh = rows;
    fresh.retain(|_| creates.next().unwrap_or(false));

    if let Some(lock) = &lock {
        if !fresh.is_empty() || !changed.is_empty() {
            progress.writing(fresh.len() + changed.len());
            ctx.store.keep_sop(lock, &ctx.sop)?;
            // Each new case is made as the store writes it, not all at once.
            let sop = &ctx.sop;
            let now = ctx.now;
            let cases = fresh.into_iter().map(|Row { origin, record }| {
                let koperasi = Koperasi {
                    nik: record.nik.clone(),
                    nama: record.nama.clone(),
                };
                // `at` is not after now: checked above.
                let opened = case::open(CaseId::new(year, 1), koperasi, sop, at, now)
                    .expect("the opening time was checked");
                opened
                    .set_keragaan(record, origin.to_string(), at)
                    .expect("a new case has no record yet")
            });
            let created = ctx.store.write_batch(lock, cases, changed)?;
            summary.created_ids = created.iter().map(|id| id.to_string()).collect();
        }
    }
    drop(lock);
    progress.clear();
    let failed = summary.rejected > 0 || failed_files;
    print(ctx, &summary, super::failure_if(failed))
}

/// Each cooperative's active case and the digest of its record.
type Active = HashMap<Nik, (CaseId, Option<String>)>;

fn active_cases(
    (summaries, bad): (Vec<crate::store::Summary>, Vec<crate::store::BadFile>),
) -> (Active, Vec<crate::store::BadFile>) {
    let active = summaries
        .into_iter()
        .filter(|s| !s.is_done())
        .map(|s| (s.nik, (s.id, s.keragaan)))
        .collect();
    (active, bad)
}

fn print(ctx: &Context, summary: &Outcome, code: ExitCode) -> anyhow::Result<ExitCode> {
    let mut out = super::stdout();
    match ctx.format {
        Format::Json => render::json(&mut out, summary)?,
        _ => {
            let key = if summary.dry_run {
                "import.summary_dry"
            } else {
                "import.summary"
            };
            writeln!(
                out,
                "{}",
                t!(
                    key,
                    created = summary.created,
                    updated = summary.updated,
                    unchanged = summary.unchanged,
                    rejected = summary.rejected
                )
            )?;
        }
    }
    super::finish(out, code)
}

fn read_input(
    path: &Path,
    format: Option<InputFormat>,
    progress: &Progress,
) -> anyhow::Result<import::Parsed> {
    let stdin = path.as_os_str() == "-";
    let format = match (format, stdin) {
        (Some(f), _) => f,
        (None, true) => anyhow::bail!("{}", t!("import.stdin_format")),
        (None, false) => InputFormat::from_path(path)
            .with_context(|| t!("import.unknown_extension", path = path.display()))?,
    };
    let name = path.display().to_string();
    let parsed = if stdin {
        import::parse(&name, progress.reader(io::stdin().lock()), format)
    } else {
        let file = File::open(path).with_context(|| t!("import.cannot_read", name = name))?;
        import::parse(&name, progress.reader(file), format)
    };
    parsed.with_context(|| t!("import.cannot_read", name = name))
}

/// A progress bar on stderr while a large import runs, when stderr is a
/// terminal; nothing when it is not.
struct Progress {
    bar: indicatif::ProgressBar,
}

impl Progress {
    fn new(files: &[PathBuf]) -> Progress {
        if !io::stderr().is_terminal() {
            return Progress {
                bar: indicatif::ProgressBar::hidden(),
            };
        }
        let total: u64 = files
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total),
            indicatif::ProgressDrawTarget::stderr_with_hz(10),
        );
        bar.set_style(
            indicatif::ProgressStyle::with_template(&format!(
                "{} {{bytes}}/{{total_bytes}} [{{bar:30}}] {{binary_bytes_per_sec}}, {{eta}} {}",
                t!("import.progress"),
                t!("import.progress_left")
            ))
            .expect("a valid template")
            .progress_chars("=> "),
        );
        Progress { bar }
    }

    fn reader<R: Read>(&self, inner: R) -> impl Read {
        self.bar.wrap_read(inner)
    }

    fn finish_reading(&self, rows: usize) {
        self.bar
            .set_style(indicatif::ProgressStyle::with_template("{msg}").expect("a valid template"));
        let secs = self.bar.elapsed().as_secs_f64();
        self.bar.set_message(
            t!(
                "import.rows_read",
                rows = rows,
                secs = format!("{secs:.1}"),
                rate = format!("{:.0}", rows as f64 / secs.max(0.001))
            )
            .into_owned(),
        );
    }

    fn writing(&self, cases: usize) {
        self.bar
            .set_message(t!("import.writing", cases = cases).into_owned());
        self.bar.tick();
    }

    fn clear(&self) {
        self.bar.finish_and_clear();
    }
}
