//! `koperasi-sop`: parse the arguments, run the command, map errors to exit
//! codes. Everything else lives in the library.

use std::io::{self, Write};
use std::process::ExitCode;

use koperasi_sop::cli;

fn main() -> ExitCode {
    let cli = cli::parse();
    match cli::run(cli) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            report(&err);
            ExitCode::FAILURE
        }
    }
}

/// `error: ...`, a numbered "Caused by" chain, and a hint when there is one.
fn report(err: &anyhow::Error) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "{} {err}", cli::text("main.error"));
    let causes: Vec<_> = err.chain().skip(1).collect();
    if !causes.is_empty() {
        let _ = writeln!(stderr, "{}", cli::text("main.caused_by"));
        for (i, cause) in causes.iter().enumerate() {
            let _ = writeln!(stderr, "  {}: {cause}", i + 1);
        }
    }
    if let Some(hint) = cli::hint(err) {
        let _ = writeln!(stderr, "{} {hint}", cli::text("main.hint"));
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
