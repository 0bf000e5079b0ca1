//! Reading an SOP's TOML text into raw, position-carrying structs.
//!
//! Every value a rule can point at is kept as a [`Spanned`] so a broken rule
//! is reported at its own line and column, not at the file.

use std::ops::Range;

use rust_i18n::t;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::{validate, Sop, SopError};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSop {
    pub identitas: RawIdentitas,
    pub pelaksana: Option<Spanned<Vec<RawRole>>>,
    pub prosedur: Option<Spanned<Vec<Spanned<RawStep>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIdentitas {
    pub nomor: String,
    pub nama: String,
    pub pemerintah: String,
    pub instansi: String,
    pub bidang: String,
    // Kept as values, not dates, so a quoted or malformed date is a rule
    // message with a fix rather than a bare type error.
    pub tanggal_pembuatan: Spanned<toml::Value>,
    pub tanggal_revisi: Option<Spanned<toml::Value>>,
    pub tanggal_efektif: Spanned<toml::Value>,
    pub dasar_hukum: Vec<String>,
    pub kualifikasi_pelaksana: Vec<String>,
    pub keterkaitan: Vec<String>,
    pub peralatan_perlengkapan: Vec<String>,
    pub peringatan: Vec<String>,
    pub pencatatan_pendataan: Vec<String>,
    pub disahkan_oleh: RawPengesah,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPengesah {
    pub jabatan: String,
    pub nama: String,
    // An SOP approved by an elected head (walikota, bupati) has no NIP.
    #[serde(default)]
    pub nip: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRole {
    pub id: Spanned<String>,
    pub nama: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStep {
    // Wider than the model's u32 so 0 and negatives reach the rules.
    pub no: Spanned<i64>,
    pub uraian: String,
    pub pelaksana: Spanned<Vec<Spanned<String>>>,
    pub kelengkapan: String,
    pub waktu: Spanned<String>,
    pub output: String,
    #[serde(default)]
    pub keterangan: String,
    pub lanjut: Option<Spanned<toml::Value>>,
    pub keputusan: Option<Spanned<RawKeputusan>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKeputusan {
    pub ya: Option<Spanned<toml::Value>>,
    pub tidak: Option<Spanned<toml::Value>>,
}

pub(super) fn from_toml(src: &str, origin: &str) -> Result<Sop, SopError> {
    let raw: RawSop = toml::from_str(src).map_err(|e| syntax_error(src, origin, &e))?;
    let (identity, roles, steps) =
        validate::build(src, raw).map_err(|problems| SopError::Invalid {
            origin: origin.to_string(),
            problems,
        })?;
    let digest = Sha256::digest(src.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Sop {
        identity,
        roles,
        steps,
        digest,
        source: src.to_string(),
    })
}

fn syntax_error(src: &str, origin: &str, error: &toml::de::Error) -> SopError {
    let span = error.span();
    let offset = span.as_ref().map_or(0, |s| s.start);
    let (line, column) = position(src, offset);
    let first = error.message().lines().next().unwrap_or("").trim();
    let what = crate::toml_text::describe(first);
    let message = match hint(first, key_on_line(src, span)) {
        Some(hint) => format!("{what}; {hint}"),
        None => what,
    };
    SopError::Syntax {
        origin: origin.to_string(),
        line,
        column,
        message,
    }
}

/// 1-based line and column (in characters) of a byte offset; never panics.
pub(super) fn position(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    (line, before[line_start..].chars().count() + 1)
}

/// The `key` of a `key = value` line holding the error, to tailor the hint.
fn key_on_line(src: &str, span: Option<Range<usize>>) -> Option<&str> {
    let offset = span?.start.min(src.len());
    let line_start = src.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = src.get(line_start..)?.lines().next()?.trim_start();
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(line.len());
    let (key, rest) = line.split_at(end);
    (!key.is_empty() && rest.trim_start().starts_with('=')).then_some(key)
}

/// An example of each key, as the fix for a missing key or a wrong type.
fn example(key: &str) -> Option<String> {
    let text = match key {
        "identitas" => t!("sop.example.identitas"),
        "disahkan_oleh" => t!("sop.example.disahkan_oleh"),
        "nomor" => "nomor = \"000.8.3.3 / 380 / 100.14\"".into(),
        "tanggal_pembuatan" | "tanggal_efektif" => t!("sop.example.date"),
        "dasar_hukum"
        | "kualifikasi_pelaksana"
        | "keterkaitan"
        | "peralatan_perlengkapan"
        | "peringatan"
        | "pencatatan_pendataan" => t!("sop.example.list"),
        "id" => "id = \"kepala_bidang\"".into(),
        "no" => t!("sop.example.no"),
        "pelaksana" => t!("sop.example.pelaksana"),
        "waktu" => t!("sop.example.waktu"),
        "keputusan" => t!("sop.example.keputusan"),
        "uraian" | "kelengkapan" | "output" | "keterangan" | "nama" | "pemerintah" | "instansi"
        | "bidang" | "jabatan" | "nip" => t!("sop.example.text"),
        _ => return None,
    };
    Some(text.into_owned())
}

/// The fix for a message of the `toml` crate (read in its English words).
fn hint(message: &str, key: Option<&str>) -> Option<String> {
    let quoted = |prefix: &str| {
        let rest = message.strip_prefix(prefix)?;
        rest.split('`').nth(1).map(str::to_string)
    };
    if let Some(missing) = quoted("missing field") {
        return Some(match example(&missing) {
            Some(e) => t!("sop.hint.add_example", key = missing, example = e).into_owned(),
            None => t!("sop.hint.add", key = missing).into_owned(),
        });
    }
    if let Some(unknown) = quoted("unknown field") {
        if unknown == "lanjut" && message.contains("`ya` or `tidak`") {
            return Some(t!("sop.hint.lanjut_in_keputusan").into_owned());
        }
        return Some(t!("sop.hint.remove_unknown", key = unknown).into_owned());
    }
    if message.starts_with("duplicate key") {
        return Some(t!("sop.hint.duplicate").into_owned());
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        if let Some(e) = key.and_then(example) {
            return Some(t!("sop.hint.write", example = e).into_owned());
        }
        if message.contains("expected a string") {
            return Some(t!("sop.hint.quote").into_owned());
        }
        if message.contains("expected a sequence") {
            return Some(t!("sop.hint.list").into_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_lines_and_characters() {
        let src = "a\nbé = 1\n";
        assert_eq!(position(src, 0), (1, 1));
        assert_eq!(position(src, 2), (2, 1));
        assert_eq!(position(src, 6), (2, 4));
        // Inside a character, and past the end: still an answer.
        assert_eq!(position(src, 4), (2, 2));
        assert_eq!(position(src, 999), (3, 1));
    }

    #[test]
    fn key_on_line_reads_the_assignment() {
        let src = "[x]\n  waktu = 3\n";
        assert_eq!(key_on_line(src, Some(14..15)), Some("waktu"));
        assert_eq!(key_on_line(src, Some(0..3)), None);
        assert_eq!(key_on_line(src, None), None);
    }
}
