//! The officer's profile: who runs the tool on this machine, and where
//! their data lives, so `advance 2026-0007` needs no --role or --officer.
//!
//! ```toml
//! [petugas]
//! nama = "Siti Rahmah"
//! nip = "198501012010012001"
//! peran = "jfu"
//!
//! [berkas]
//! data = "/srv/koperasi-sop"
//! sop = "/etc/koperasi-sop/sop.toml"
//! kalender = "/etc/koperasi-sop/kalender-2027.toml"
//! ```
//!
//! Settings come from, in order: a command-line flag, the environment, this
//! file, the built-in default.

use std::io;
use std::path::{Path, PathBuf};

use rust_i18n::t;
use serde::{Deserialize, Serialize};

/// The config file's content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default, skip_serializing_if = "Petugas::is_empty")]
    pub petugas: Petugas,
    #[serde(default, skip_serializing_if = "Berkas::is_empty")]
    pub berkas: Berkas,
}

/// The officer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Petugas {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nama: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nip: Option<String>,
    /// A role id of the SOP, e.g. `jfu`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peran: Option<String>,
}

impl Petugas {
    fn is_empty(&self) -> bool {
        *self == Petugas::default()
    }
}

/// Where the data, the SOP and the calendar are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Berkas {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sop: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kalender: Option<PathBuf>,
}

impl Berkas {
    fn is_empty(&self) -> bool {
        *self == Berkas::default()
    }
}

/// Why the config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}", t!("config.cannot_read", path = .path.display()))]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}:{line}:{column}: {message}", .path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

impl Config {
    /// Reads the config file at `path`; a missing file is an empty config
    /// unless `must_exist` (a path the user named).
    pub fn load(path: &Path, must_exist: bool) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound && !must_exist => {
                return Ok(Config::default())
            }
            other => other.map_err(|source| ConfigError::Io {
                path: path.to_path_buf(),
                source,
            })?,
        };
        Config::parse(&text, path)
    }

    /// Parses a config file's text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|span| line_column(text, span.start))
                .unwrap_or((1, 1));
            ConfigError::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                message: crate::toml_text::describe(e.message()),
            }
        })
    }

    /// The file's text, with a header saying what it is.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string_pretty(self).expect("a config serializes");
        format!(
            "# koperasi-sop: the officer's profile (see `koperasi-sop config --help`)\n\n{body}"
        )
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_round_trips_and_unknown_keys_are_named() {
        let config = Config {
            petugas: Petugas {
                nama: Some("Siti Rahmah".into()),
                nip: Some("198501012010012001".into()),
                peran: Some("jfu".into()),
            },
            berkas: Berkas {
                data: Some("/srv/koperasi".into()),
                ..Berkas::default()
            },
        };
        let text = config.to_toml();
        assert_eq!(Config::parse(&text, Path::new("c.toml")).unwrap(), config);
        let err = Config::parse(
            "[petugas]\nnama = \"x\"\nperan_ku = \"jfu\"\n",
            Path::new("c.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("c.toml:3:1: "), "{err}");
        assert!(err.contains("peran_ku"), "{err}");
    }

    #[test]
    fn a_missing_default_file_is_an_empty_profile() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("none.toml");
        assert_eq!(Config::load(&path, false).unwrap(), Config::default());
        assert!(Config::load(&path, true).is_err());
    }
}
