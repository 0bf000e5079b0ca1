//! Run an Indonesian SOP-AP (Permenpan RB 35/2012) as tracked cases.
//!
//! Data flows one way: configuration ([`sop::Sop`], [`calendar::Calendar`]) →
//! a [`case::Case`] loaded from the [`store::Store`] → a pure transition →
//! an atomic write → [`render`].

rust_i18n::i18n!("locales", fallback = "en");

// `i18n!` reads the catalogs while compiling; these make a change to them
// rebuild the crate.
const _: &str = include_str!("../locales/en.yml");
const _: &str = include_str!("../locales/id.yml");

pub mod calendar;
pub mod case;
pub mod cli;
pub mod config;
pub mod import;
pub mod render;
pub mod report;
pub mod sop;
pub mod store;
pub mod waktu;

mod toml_text;
