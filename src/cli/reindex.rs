//! `reindex`: rebuild the index and the `nik/` links from the case files.

use std::io::Write;
use std::process::ExitCode;

use rust_i18n::t;
use serde::Serialize;

use super::{Context, Format};
use crate::render;

/// Rebuild the index `status` reads, and the links from each NIK to its
/// case, from the case files
///
/// Never needed in normal work: the index is kept up to date by every
/// command and rebuilt by itself when it is missing or a file in cases/ was
/// added, removed or renamed by hand. Run it after editing a case file in
/// place; `doctor` says when.
#[derive(Debug, clap::Args)]
pub struct Args {}

#[derive(Serialize)]
struct Reindexed {
    cases: usize,
    bad_files: usize,
}

pub fn run(ctx: &Context, _args: Args) -> anyhow::Result<ExitCode> {
    let lock = ctx.store.lock(ctx.lock_timeout)?;
    let (summaries, bad) = ctx.store.rebuild_index(&lock)?;
    drop(lock);
    let failed = super::report_bad_files(&bad);
    let mut out = super::stdout();
    match ctx.format {
        Format::Json => render::json(
            &mut out,
            &Reindexed {
                cases: summaries.len(),
                bad_files: bad.len(),
            },
        )?,
        Format::Table | Format::Csv => writeln!(
            out,
            "{}",
            t!("reindex.summary", cases = summaries.len(), bad = bad.len())
        )?,
    }
    super::finish(out, super::failure_if(failed))
}
