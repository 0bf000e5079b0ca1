//! Atomic file replacement: a reader sees the old file or the new one, never
//! half of either, and a crash after the call returns loses nothing.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use tempfile::NamedTempFile;

/// How to treat a file that already exists at the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    Replace,
    /// Fail with `AlreadyExists` rather than overwrite.
    Keep,
}

/// Writes `bytes` to `dir/name`: temporary file in the same directory, fsync,
/// rename, fsync of the directory so the rename itself is durable.
pub fn write(dir: &Path, name: &str, bytes: &[u8], existing: Existing) -> io::Result<()> {
    // tempfile creates the file readable and writable by its owner only.
    let mut tmp = NamedTempFile::with_prefix_in(".tmp-", dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    let dest = dir.join(name);
    match existing {
        Existing::Replace => tmp.persist(&dest).map(drop).map_err(|e| e.error)?,
        Existing::Keep => tmp
            .persist_noclobber(&dest)
            .map(drop)
            .map_err(|e| e.error)?,
    }
    sync_dir(dir)
}

/// Makes the directory's entries (a rename, a new file) durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Many files written together, as an import writes them: each to a
/// temporary file without a sync of its own, then one sync for all, then
/// the renames, then one sync per directory. A crash before `commit`
/// returns leaves some of the files in place, each whole.
#[derive(Default)]
pub struct Batch {
    staged: Vec<(tempfile::TempPath, std::path::PathBuf, Existing)>,
    dirs: Vec<std::path::PathBuf>,
}

impl Batch {
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Writes `bytes` to a temporary file beside `dir/name`.
    pub fn add(
        &mut self,
        dir: &Path,
        name: &str,
        bytes: &[u8],
        existing: Existing,
    ) -> io::Result<()> {
        let mut tmp = NamedTempFile::with_prefix_in(".tmp-", dir)?;
        tmp.write_all(bytes)?;
        // Closed now: an import may stage more files than a process may
        // keep open.
        self.staged
            .push((tmp.into_temp_path(), dir.join(name), existing));
        if !self.dirs.iter().any(|d| d == dir) {
            self.dirs.push(dir.to_path_buf());
        }
        Ok(())
    }

    /// Makes every staged file durable, renames each into place and makes
    /// the renames durable.
    pub fn commit(self) -> io::Result<()> {
        let Some((first, _, _)) = self.staged.first() else {
            return Ok(());
        };
        sync_all_files(first, self.staged.iter().map(|(tmp, _, _)| tmp.as_ref()))?;
        let dirs = self.dirs.clone();
        self.rename_unsynced()?;
        for dir in &dirs {
            sync_dir(dir)?;
        }
        Ok(())
    }

    /// Renames the staged files into place without syncing anything: for
    /// derived files that are rebuilt when lost.
    pub fn rename_unsynced(self) -> io::Result<()> {
        for (tmp, dest, existing) in self.staged {
            match existing {
                Existing::Replace => tmp.persist(&dest).map_err(|e| e.error)?,
                Existing::Keep => tmp.persist_noclobber(&dest).map_err(|e| e.error)?,
            }
        }
        Ok(())
    }
}

/// Flushes the files to disk: on Linux one `syncfs` for the whole file
/// system, which costs far less than an fsync per file; elsewhere an
/// fsync per file.
fn sync_all_files<'a>(
    any: &Path,
    #[allow(unused_variables)] files: impl Iterator<Item = &'a Path>,
) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let file = File::open(any)?;
        rustix::fs::syncfs(&file).map_err(io::Error::from)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = any;
        for path in files {
            File::open(path)?.sync_all()?;
        }
        Ok(())
    }
}
