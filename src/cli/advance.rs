//! `advance`: an officer completes the case's current step.

use std::io::Write;
use std::process::ExitCode;

use clap::ValueEnum;
use rust_i18n::t;

use super::{Context, Format};
use crate::case::{CaseId, Completion, Decision};
use crate::render::{self, StatusRow};
use crate::store::{Sops, Summary};

/// Complete the current step of a case; the next step starts at the same instant
///
/// At a decision step (YA/TIDAK), --decision chooses the branch: in the
/// Samarinda SOP, step 2 TIDAK returns the file to step 1. After the last
/// step the case is done.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Case id, e.g. 2026-0007
    #[arg(value_name = "CASE")]
    case: String,

    /// Your role id; must be one of the current step's actors (see `sop show`)
    /// [default: the role in your profile, see `config init`]
    #[arg(long, value_name = "ROLE")]
    role: Option<String>,

    /// Your name, recorded in the history [default: your profile's]
    #[arg(long, value_name = "NAME")]
    officer: Option<String>,

    /// The answer at a decision step; refused at any other step
    #[arg(long, value_enum, value_name = "ya|tidak")]
    decision: Option<DecisionArg>,

    /// A note for the history, e.g. why the file was returned
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,

    /// When the step was completed [default: now]; not before the step started
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DecisionArg {
    Ya,
    Tidak,
}

impl From<DecisionArg> for Decision {
    fn from(d: DecisionArg) -> Decision {
        match d {
            DecisionArg::Ya => Decision::Ya,
            DecisionArg::Tidak => Decision::Tidak,
        }
    }
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let id: CaseId = args.case.parse()?;
    let at = ctx.time_or_now(args.at.as_deref(), "--at")?;
    let completion = Completion {
        role: ctx.role(args.role)?,
        officer: ctx.officer(args.officer),
        decision: args.decision.map(Decision::from),
        note: super::non_empty(args.note),
        at,
    };

    let lock = ctx.store.lock(ctx.lock_timeout)?;
    let case = ctx.store.load(&id)?;
    let mut sops = Sops::new(&ctx.store, &ctx.sop);
    let sop = sops.for_case(&case)?;
    let next = case.advance(sop, completion, ctx.now)?;
    ctx.store.save(&lock, &next)?;
    drop(lock);

    let mut out = super::stdout();
    let summary = Summary::of(&next);
    let row = StatusRow::new(&summary, sop, &ctx.calendar, ctx.now);
    match ctx.format {
        Format::Json => render::json(&mut out, &row)?,
        Format::Table | Format::Csv => {
            let done = next.passes().last().expect("advance adds a pass");
            let decision = done.decision.map(|d| format!(" ({d})")).unwrap_or_default();
            match next.running(sop, &ctx.calendar, ctx.now) {
                Some(running) => writeln!(
                    out,
                    "{}",
                    t!(
                        "advance.done_next",
                        id = id,
                        step = done.step,
                        role = done.role,
                        decision = decision,
                        next = running.step,
                        actors = row.roles.join(", "),
                        started = render::local(running.started_at),
                        due = render::local(running.due_at)
                    )
                )?,
                None => writeln!(
                    out,
                    "{}",
                    t!(
                        "advance.done_last",
                        id = id,
                        step = done.step,
                        role = done.role,
                        decision = decision
                    )
                )?,
            }
        }
    }
    super::finish(out, ExitCode::SUCCESS)
}
