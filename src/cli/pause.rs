//! `pause` and `resume`: stop and restart a running step's clock, e.g.
//! while the cooperative's documents are awaited.

use std::io::Write;
use std::process::ExitCode;

use super::{Context, Format};
use crate::case::{Actor, Case, CaseId};
use crate::render::{self, StatusRow};
use crate::store::{Sops, Summary};
use rust_i18n::t;

/// Pause a case's running step: paused working time does not count against
/// its standard, and its due time moves on by the paused span
///
/// A paused step cannot be completed until it is resumed.
#[derive(Debug, clap::Args)]
pub struct PauseArgs {
    /// Case id, e.g. 2026-0007
    #[arg(value_name = "CASE")]
    case: String,

    /// Why the step waits, e.g. "menunggu dokumen dari koperasi"
    #[arg(long, value_name = "TEXT")]
    reason: String,

    #[command(flatten)]
    who: Who,
}

/// Resume a paused case: its running step's clock starts again
#[derive(Debug, clap::Args)]
pub struct ResumeArgs {
    /// Case id, e.g. 2026-0007
    #[arg(value_name = "CASE")]
    case: String,

    #[command(flatten)]
    who: Who,
}

#[derive(Debug, clap::Args)]
struct Who {
    /// Your role id (see `sop show`) [default: your profile's]
    #[arg(long, value_name = "ROLE")]
    role: Option<String>,

    /// Your name, recorded in the history [default: your profile's]
    #[arg(long, value_name = "NAME")]
    officer: Option<String>,

    /// When it happened [default: now]
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
}

pub fn pause(ctx: &Context, args: PauseArgs) -> anyhow::Result<ExitCode> {
    change(ctx, &args.case, &args.who, |case, sop, by| {
        case.pause(sop, by, &args.reason, ctx.now)
    })
}

pub fn resume(ctx: &Context, args: ResumeArgs) -> anyhow::Result<ExitCode> {
    change(ctx, &args.case, &args.who, |case, sop, by| {
        case.resume(sop, by, ctx.now)
    })
}

fn change(
    ctx: &Context,
    case: &str,
    who: &Who,
    apply: impl FnOnce(&Case, &crate::sop::Sop, Actor) -> Result<Case, crate::case::Refusal>,
) -> anyhow::Result<ExitCode> {
    let id: CaseId = case.parse()?;
    let by = Actor {
        role: ctx.role(who.role.clone())?,
        officer: ctx.officer(who.officer.clone()),
        at: ctx.time_or_now(who.at.as_deref(), "--at")?,
    };
    let lock = ctx.store.lock(ctx.lock_timeout)?;
    let case = ctx.store.load(&id)?;
    let mut sops = Sops::new(&ctx.store, &ctx.sop);
    let sop = sops.for_case(&case)?;
    let next = apply(&case, sop, by)?;
    ctx.store.save(&lock, &next)?;
    drop(lock);

    let summary = Summary::of(&next);
    let row = StatusRow::new(&summary, sop, &ctx.calendar, ctx.now);
    let mut out = super::stdout();
    match ctx.format {
        Format::Json => render::json(&mut out, &row)?,
        Format::Table | Format::Csv => match next.paused() {
            Some(p) => writeln!(
                out,
                "{}",
                t!(
                    "pause.paused",
                    id = id,
                    step = row.step.unwrap_or_default(),
                    since = render::local(p.since),
                    reason = p.reason
                )
            )?,
            None => writeln!(
                out,
                "{}",
                t!(
                    "pause.resumed",
                    id = id,
                    step = row.step.unwrap_or_default(),
                    due = row
                        .running
                        .as_ref()
                        .map(|t| render::local(t.due_at))
                        .unwrap_or_default()
                )
            )?,
        },
    }
    super::finish(out, ExitCode::SUCCESS)
}
