//! The writers' lock on a data directory.
//!
//! Readers never take it: every file is replaced atomically, so a reader
//! sees a whole file. Writers take it for one read-modify-write.

use rust_i18n::t;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use super::StoreError;

/// How long a writer waits before saying it is waiting.
const QUIET_WAIT: Duration = Duration::from_millis(500);
const POLL: Duration = Duration::from_millis(20);

/// Held while a process writes to the data directory; released on drop.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

/// Takes the exclusive lock on `path`, waiting at most `timeout`.
pub(super) fn acquire(path: &Path, timeout: Duration) -> Result<WriteLock, StoreError> {
    let io_err = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = open(path).map_err(io_err)?;
    let start = Instant::now();
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(WriteLock { _file: file }),
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => return Err(io_err(e)),
        }
        let waited = start.elapsed();
        if waited >= timeout {
            return Err(StoreError::LockTimeout {
                path: PathBuf::from(path),
                waited,
            });
        }
        if !told && waited >= QUIET_WAIT {
            eprintln!(
                "{}",
                t!(
                    "store.waiting",
                    path = path.display(),
                    secs = timeout.as_secs()
                )
            );
            told = true;
        }
        thread::sleep(POLL);
    }
}

/// Takes the lock on `path` if no other writer holds it, without waiting.
pub(super) fn try_acquire(path: &Path) -> Result<Option<WriteLock>, StoreError> {
    let io_err = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = open(path).map_err(io_err)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(WriteLock { _file: file })),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(io_err(e)),
    }
}

fn open(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}
