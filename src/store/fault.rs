//! Fault injection for the crash tests: `KOPERASI_SOP_FAULT=<point>` makes
//! the process abort at that point, as a power cut or `kill -9` would.
//! Unset (always, outside the tests), it costs one environment lookup.

use std::sync::OnceLock;

/// Aborts the process if `KOPERASI_SOP_FAULT` names this point.
pub(crate) fn point(name: &str) {
    static FAULT: OnceLock<Option<String>> = OnceLock::new();
    let fault = FAULT.get_or_init(|| std::env::var("KOPERASI_SOP_FAULT").ok());
    if fault.as_deref() == Some(name) {
        eprintln!("koperasi-sop: fault injected at {name}");
        std::process::abort();
    }
}
