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
