//! `nik/`: which case is each cooperative's latest, so `open` can refuse a
//! second active case without reading every case file.
//!
//! The links are kept in 100 shard files named by the NIK's last two
//! digits (`nik/23`), one `NIK<TAB>case id` line per cooperative, sorted.
//! A shard is small (about a thousand lines for 100,000 cooperatives), so
//! `open` reads and rewrites one small file, and an import of 100,000 new
//! cooperatives writes 100 files rather than 100,000. Derived data: a
//! wrong or lost shard is rebuilt from the case files.

use std::collections::BTreeMap;
use std::fs;
use std::io;

use super::{atomic, Batch, Existing, Store, StoreError, WriteLock, NIKS};
use crate::case::{CaseId, Nik};

/// The links of one shard: NIK → case id.
pub(super) type Shard = BTreeMap<String, CaseId>;

/// The shard a NIK's link lives in.
pub(super) fn shard_of(nik: &Nik) -> String {
    let digits = nik.to_string();
    digits[digits.len() - 2..].to_string()
}

impl Store {
    /// Reads a shard; lines that do not parse are left out (derived data).
    pub(super) fn read_shard(&self, shard: &str) -> Result<Shard, StoreError> {
        let path = self.root.join(NIKS).join(shard);
        let text = match fs::read(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Shard::new()),
            other => other.map_err(self.io(&path))?,
        };
        Ok(String::from_utf8_lossy(&text)
            .lines()
            .filter_map(|line| {
                let (nik, id) = line.split_once('\t')?;
                Some((nik.to_string(), id.parse().ok()?))
            })
            .collect())
    }

    /// The case id the link of `nik` names.
    pub(super) fn linked(&self, nik: &Nik) -> Result<Option<CaseId>, StoreError> {
        Ok(self.read_shard(&shard_of(nik))?.remove(&nik.to_string()))
    }

    /// Points the link of each NIK at its case: one read and one write per
    /// shard touched. With `durable`, each shard is synced; otherwise the
    /// caller makes the writes durable (an import syncs its whole batch).
    pub(super) fn link_niks(
        &self,
        _lock: &WriteLock,
        links: impl IntoIterator<Item = (Nik, CaseId)>,
        batch: Option<&mut Batch>,
    ) -> Result<(), StoreError> {
        let mut touched: BTreeMap<String, Vec<(String, CaseId)>> = BTreeMap::new();
        for (nik, id) in links {
            touched
                .entry(shard_of(&nik))
                .or_default()
                .push((nik.to_string(), id));
        }
        let dir = self.root.join(NIKS);
        let mut own = Batch::new();
        let durable = batch.is_none();
        let batch = match batch {
            Some(batch) => batch,
            None => &mut own,
        };
        for (shard, links) in touched {
            let mut current = self.read_shard(&shard)?;
            current.extend(links);
            batch
                .add(&dir, &shard, &shard_text(&current), Existing::Replace)
                .map_err(self.io(&dir.join(&shard)))?;
        }
        if durable {
            own.commit().map_err(self.io(&dir))?;
        }
        Ok(())
    }

    /// Writes every shard from scratch where it differs from `links`.
    pub(super) fn relink(
        &self,
        _lock: &WriteLock,
        links: BTreeMap<String, Shard>,
    ) -> Result<(), StoreError> {
        let dir = self.root.join(NIKS);
        if !dir.is_dir() {
            super::create_private_dir(&dir).map_err(self.io(&dir))?;
        }
        let mut batch = Batch::new();
        for shard in (0..100).map(|n| format!("{n:02}")) {
            let want = links.get(&shard).cloned().unwrap_or_default();
            if self.read_shard(&shard)? != want {
                batch
                    .add(&dir, &shard, &shard_text(&want), Existing::Replace)
                    .map_err(self.io(&dir.join(&shard)))?;
            }
        }
        // Files left from the layout with one file per NIK go.
        for entry in fs::read_dir(&dir).map_err(self.io(&dir))? {
            let entry = entry.map_err(self.io(&dir))?;
            if entry.file_name().len() > 2 && !entry.file_name().to_string_lossy().starts_with('.')
            {
                fs::remove_file(entry.path()).map_err(self.io(&entry.path()))?;
            }
        }
        batch.rename_unsynced().map_err(self.io(&dir))?;
        atomic::sync_dir(&dir).map_err(self.io(&dir))
    }
}

fn shard_text(links: &Shard) -> Vec<u8> {
    let mut text = String::with_capacity(links.len() * 24);
    for (nik, id) in links {
        text.push_str(nik);
        text.push('\t');
        text.push_str(&id.to_string());
        text.push('\n');
    }
    text.into_bytes()
}
