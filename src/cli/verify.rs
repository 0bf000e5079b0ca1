//! `verify`: recompute each case's hash chain.

use std::io::Write;
use std::process::ExitCode;

use rust_i18n::t;
use serde::Serialize;

use super::{Context, Format};
use crate::case::{self, Case, CaseId};
use crate::render;

/// Check that no case's history was edited, reordered or cut
///
/// Each history entry records the SHA-256 of the entry before it, and the
/// case records the hash of the last one. Changing a time, an officer or a
/// decision by hand breaks the chain and shows here. Someone who rewrites
/// the whole chain is not caught: the chain shows edits, it cannot forbid
/// them. Exits 1 when a case does not verify.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Case id, e.g. 2026-0007 [default: every case]
    #[arg(value_name = "CASE")]
    case: Option<String>,
}

#[derive(Serialize)]
pub(super) struct BrokenCase {
    pub id: String,
    /// The first history entry (1-based) that does not match; null when
    /// the problem is not one entry.
    pub entry: Option<usize>,
    pub problem: String,
}

#[derive(Serialize)]
struct Verified {
    verified: usize,
    broken: Vec<BrokenCase>,
}

/// The cases whose chain does not verify.
pub(super) fn broken(cases: &[Case]) -> Vec<BrokenCase> {
    cases
        .iter()
        .filter_map(|c| {
            case::verify(c).err().map(|e| BrokenCase {
                id: c.id.to_string(),
                entry: match e {
                    case::Broken::Entry { entry } => Some(entry),
                    case::Broken::Head if !c.history.is_empty() => Some(c.history.len()),
                    _ => None,
                },
                problem: e.to_string(),
            })
        })
        .collect()
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    // One case at a time: only the broken ones are kept.
    let mut count = 0;
    let mut broken = Vec::new();
    let mut failed = match &args.case {
        Some(text) => {
            let id: CaseId = text.parse()?;
            count = 1;
            broken = self::broken(std::slice::from_ref(&ctx.store.load(&id)?));
            false
        }
        None => {
            let bad = ctx.store.each_case(|case| {
                count += 1;
                broken.extend(self::broken(std::slice::from_ref(&case)));
            })?;
            super::report_bad_files(&bad)
        }
    };
    failed |= !broken.is_empty();
    let mut out = super::stdout();
    match ctx.format {
        Format::Json => render::json(
            &mut out,
            &Verified {
                verified: count - broken.len(),
                broken,
            },
        )?,
        Format::Table | Format::Csv => {
            for b in &broken {
                writeln!(out, "{}: {}", b.id, b.problem)?;
            }
            writeln!(
                out,
                "{}",
                t!(
                    "verify.summary",
                    verified = count - broken.len(),
                    broken = broken.len()
                )
            )?;
        }
    }
    super::finish(out, super::failure_if(failed))
}
