//! Run an Indonesian SOP-AP (Permenpan RB 35/2012) as tracked cases.
//!
//! Data flows one way: configuration ([`sop::Sop`], [`calendar::Calendar`]) →
//! a [`case::Case`] loaded from the [`store::Store`] → a pure transition →
//! an atomic write → [`render`].

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
