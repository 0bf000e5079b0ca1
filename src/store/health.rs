//! What `doctor` looks at: the derived files, leftovers of interrupted
//! writes, permissions and the lock.

use std::fs;
use std::io;
use std::path::PathBuf;

use super::{index, lock, Store, StoreError, Summary, WriteLock, LOCK, NIKS, SOPS};
use crate::case::{Case, CaseId};

/// How the index stands against the case files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexHealth {
    Missing,
    Garbled,
    /// A write began and never finished (a crash), or one is under way.
    Interrupted,
    /// These cases differ from their files (edited in place by hand), are
    /// missing from it, or are in it without a file.
    Disagrees(Vec<CaseId>),
    Current,
}

impl Store {
    /// Compares the index, as it is on disk, with the case files.
    pub fn index_health(&self, cases: &[Case]) -> Result<IndexHealth, StoreError> {
        let path = self.index_path();
        let text = match fs::read(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(IndexHealth::Missing),
            other => other.map_err(self.io(&path))?,
        };
        let Some(parsed) = String::from_utf8(text)
            .ok()
            .and_then(|t| index::parse(&t, &self.cases_dir()))
        else {
            return Ok(IndexHealth::Garbled);
        };
        if !parsed.pending.is_empty() {
            return Ok(IndexHealth::Interrupted);
        }
        let mut indexed: std::collections::HashMap<&CaseId, &Summary> =
            parsed.entries.iter().map(|s| (&s.id, s)).collect();
        let mut differ = Vec::new();
        for case in cases {
            match indexed.remove(&case.id) {
                Some(s) if *s == Summary::of(case) => {}
                _ => differ.push(case.id.clone()),
            }
        }
        differ.extend(indexed.into_keys().cloned());
        differ.sort();
        if differ.is_empty() {
            Ok(IndexHealth::Current)
        } else {
            Ok(IndexHealth::Disagrees(differ))
        }
    }

    /// Temporary files an interrupted write left behind. Only meaningful
    /// while holding the lock or when no writer runs.
    pub fn leftovers(&self) -> Result<Vec<PathBuf>, StoreError> {
        let mut found = Vec::new();
        for dir in [
            self.root.clone(),
            self.cases_dir(),
            self.root.join(SOPS),
            self.root.join(NIKS),
        ] {
            let entries = match fs::read_dir(&dir) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                other => other.map_err(self.io(&dir))?,
            };
            for entry in entries {
                let entry = entry.map_err(self.io(&dir))?;
                if entry.file_name().to_string_lossy().starts_with(".tmp-") {
                    found.push(entry.path());
                }
            }
        }
        found.sort();
        Ok(found)
    }

    /// Removes leftovers of interrupted writes; the lock proves no write
    /// is under way.
    pub fn remove_leftovers(&self, _lock: &WriteLock) -> Result<usize, StoreError> {
        let found = self.leftovers()?;
        for path in &found {
            fs::remove_file(path).map_err(self.io(path))?;
        }
        Ok(found.len())
    }

    /// Directories and files others than the owner may read or write.
    pub fn loose_permissions(&self) -> Result<Vec<(PathBuf, u32)>, StoreError> {
        let mut loose = Vec::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mut dirs = vec![self.root.clone()];
            while let Some(dir) = dirs.pop() {
                let meta = match fs::symlink_metadata(&dir) {
                    Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                    other => other.map_err(self.io(&dir))?,
                };
                let mode = meta.permissions().mode() & 0o777;
                if mode & 0o077 != 0 {
                    loose.push((dir.clone(), mode));
                }
                for entry in fs::read_dir(&dir).map_err(self.io(&dir))? {
                    let entry = entry.map_err(self.io(&dir))?;
                    let meta = entry.metadata().map_err(self.io(&entry.path()))?;
                    if meta.is_dir() {
                        dirs.push(entry.path());
                    } else if meta.is_file() {
                        let mode = meta.permissions().mode() & 0o777;
                        if mode & 0o077 != 0 {
                            loose.push((entry.path(), mode));
                        }
                    }
                }
            }
        }
        loose.sort();
        Ok(loose)
    }

    /// Makes the given paths the owner's only (0700 directories, 0600 files).
    pub fn tighten(&self, _lock: &WriteLock, paths: &[(PathBuf, u32)]) -> Result<(), StoreError> {
        #[cfg(unix)]
        for (path, _) in paths {
            use std::os::unix::fs::PermissionsExt;
            let mode = if path.is_dir() { 0o700 } else { 0o600 };
            fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(self.io(path))?;
        }
        let _ = paths;
        Ok(())
    }

    /// Active cases whose cooperative's `nik/` link does not name them.
    pub fn unlinked(&self, cases: &[Case]) -> Result<Vec<CaseId>, StoreError> {
        let mut unlinked = Vec::new();
        for case in cases.iter().filter(|c| !c.is_done()) {
            if self.linked(&case.koperasi.nik)?.as_ref() != Some(&case.id) {
                unlinked.push(case.id.clone());
            }
        }
        Ok(unlinked)
    }

    /// Years whose id counter is behind their highest case number: harmless
    /// (a new case steps over existing files), but a sign of a lost file.
    pub fn counter_behind(&self, cases: &[Case]) -> Result<Vec<u16>, StoreError> {
        let ids = self.read_ids()?;
        let mut behind: Vec<u16> = cases
            .iter()
            .filter(|c| {
                ids.get(&c.id.year())
                    .is_some_and(|next| *next <= c.id.number())
            })
            .map(|c| c.id.year())
            .collect();
        behind.dedup();
        Ok(behind)
    }

    /// Whether another process holds the writers' lock right now.
    pub fn lock_busy(&self) -> Result<bool, StoreError> {
        if !self.root.join(LOCK).exists() {
            return Ok(false);
        }
        Ok(lock::try_acquire(&self.root.join(LOCK))?.is_none())
    }
}
