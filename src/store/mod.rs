//! The data directory: one JSON file per case, the SOP texts cases were
//! opened under, the id counter, and the writers' lock.
//!
//! ```text
//! DATA/
//!   lock               writers' lock (std File::lock)
//!   cases/2026-0007.json
//!   sop/<sha256>.toml  every SOP text a case was opened under
//!   ids.json           next case number per year (rebuilt from cases/ if lost)
//! ```

mod atomic;
mod lock;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use atomic::{write as write_atomic, Existing};
pub use lock::WriteLock;

use crate::case::{Case, CaseId, SCHEMA_VERSION};
use crate::sop::{Sop, SopError};

/// Something the data directory could not do or give.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("no case {id} in {}", .dir.display())]
    NotFound { id: CaseId, dir: PathBuf },
    #[error("{}: {reason}", .path.display())]
    BadCase { path: PathBuf, reason: String },
    #[error("gave up waiting for the lock on {} after {} s; another koperasi-sop is still writing", .path.display(), .waited.as_secs())]
    LockTimeout { path: PathBuf, waited: Duration },
    #[error("case {id} was opened under SOP {nomor} versi {versi}, whose text {} is missing", .path.display())]
    SopMissing {
        id: CaseId,
        nomor: String,
        versi: String,
        path: PathBuf,
    },
    #[error("the SOP text case {id} was opened under is broken")]
    SopBroken {
        id: CaseId,
        #[source]
        source: Box<SopError>,
    },
}

impl StoreError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            StoreError::NotFound { .. } => {
                Some("list the cases with `koperasi-sop status --all`".into())
            }
            StoreError::BadCase { .. } => Some(
                "the file was left as it is; restore it from a backup or move it out of the data directory"
                    .into(),
            ),
            StoreError::LockTimeout { .. } => Some(
                "wait for the other process to finish, or raise --lock-timeout".into(),
            ),
            StoreError::SopMissing { .. } => Some(
                "restore that file from a backup; a case keeps the SOP text it was opened under"
                    .into(),
            ),
            _ => None,
        }
    }
}

/// A file in `cases/` that is not a readable case.
#[derive(Debug)]
pub struct BadFile {
    pub path: PathBuf,
    pub reason: String,
}

/// A data directory. Reading needs nothing; writing needs a [`WriteLock`].
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

const CASES: &str = "cases";
const SOPS: &str = "sop";
const IDS: &str = "ids.json";
const LOCK: &str = "lock";

impl Store {
    /// A store at `root`; nothing is created until the first write.
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn cases_dir(&self) -> PathBuf {
        self.root.join(CASES)
    }

    fn case_path(&self, id: &CaseId) -> PathBuf {
        self.cases_dir().join(format!("{id}.json"))
    }

    fn io<'a>(&self, path: &'a Path) -> impl FnOnce(io::Error) -> StoreError + 'a {
        move |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Creates the directories (owner-only) and takes the writers' lock.
    pub fn lock(&self, timeout: Duration) -> Result<WriteLock, StoreError> {
        for dir in [self.root.clone(), self.cases_dir(), self.root.join(SOPS)] {
            if !dir.is_dir() {
                create_private_dir(&dir).map_err(self.io(&dir))?;
                // The new directory's entry must survive a crash too.
                if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                    atomic::sync_dir(parent).map_err(self.io(parent))?;
                }
            }
        }
        lock::acquire(&self.root.join(LOCK), timeout)
    }

    /// Reads one case.
    pub fn load(&self, id: &CaseId) -> Result<Case, StoreError> {
        let path = self.case_path(id);
        match fs::symlink_metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(StoreError::NotFound {
                    id: id.clone(),
                    dir: self.root.clone(),
                })
            }
            Err(e) => return Err(self.io(&path)(e)),
            Ok(_) => {}
        }
        read_case(&path, Some(id))
    }

    /// Reads every case, sorted by id; files that are not readable cases
    /// are returned apart, each with its reason, and never touched.
    pub fn load_all(&self) -> Result<(Vec<Case>, Vec<BadFile>), StoreError> {
        let dir = self.cases_dir();
        let entries = match fs::read_dir(&dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((vec![], vec![])),
            other => other.map_err(self.io(&dir))?,
        };
        let mut cases = Vec::new();
        let mut bad = Vec::new();
        for entry in entries {
            let entry = entry.map_err(self.io(&dir))?;
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(".tmp-") {
                continue; // a write in progress, or one a crash interrupted
            }
            let id = name
                .strip_suffix(".json")
                .and_then(|stem| stem.parse::<CaseId>().ok());
            let Some(id) = id else {
                bad.push(BadFile {
                    path,
                    reason: "not a case file (expected a name like 2026-0007.json)".into(),
                });
                continue;
            };
            match read_case(&path, Some(&id)) {
                Ok(case) => cases.push(case),
                Err(StoreError::BadCase { path, reason }) => bad.push(BadFile { path, reason }),
                Err(StoreError::Io { path, source }) => bad.push(BadFile {
                    path,
                    reason: source.to_string(),
                }),
                Err(other) => return Err(other),
            }
        }
        cases.sort_by(|a, b| a.id.cmp(&b.id));
        bad.sort_by(|a, b| a.path.cmp(&b.path));
        Ok((cases, bad))
    }

    /// Writes a case over its previous version.
    pub fn save(&self, _lock: &WriteLock, case: &Case) -> Result<(), StoreError> {
        let dir = self.cases_dir();
        let bytes = case_bytes(case);
        write_atomic(
            &dir,
            &format!("{}.json", case.id),
            &bytes,
            Existing::Replace,
        )
        .map_err(self.io(&self.case_path(&case.id)))
    }

    /// Writes a new case under the next free number of its id's year (the
    /// number it carries is ignored), never over an existing file, and
    /// returns it with its id.
    pub fn create(&self, lock: &WriteLock, mut case: Case) -> Result<Case, StoreError> {
        let year = case.id.year();
        let mut next = self.read_ids()?;
        let mut number = match next.get(&year) {
            Some(n) => *n,
            None => self.highest_number(year)? + 1,
        };
        let dir = self.cases_dir();
        loop {
            case.id = CaseId::new(year, number);
            let name = format!("{}.json", case.id);
            match write_atomic(&dir, &name, &case_bytes(&case), Existing::Keep) {
                Ok(()) => {
                    next.insert(year, number + 1);
                    self.write_ids(lock, &next)?;
                    return Ok(case);
                }
                // The counter was behind the files (lost, or a crash between
                // the two writes): step over the existing case.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => number += 1,
                Err(e) => return Err(self.io(&dir.join(name))(e)),
            }
        }
    }

    fn read_ids(&self) -> Result<BTreeMap<u16, u32>, StoreError> {
        let path = self.root.join(IDS);
        match fs::read(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(self.io(&path)(e)),
            // The counter is derived data: when unreadable it is rebuilt
            // from the case files, and `create` never overwrites a case.
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).unwrap_or_default()),
        }
    }

    fn write_ids(&self, _lock: &WriteLock, ids: &BTreeMap<u16, u32>) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec_pretty(ids).expect("a map of numbers serializes");
        write_atomic(&self.root, IDS, &bytes, Existing::Replace)
            .map_err(self.io(&self.root.join(IDS)))
    }

    fn highest_number(&self, year: u16) -> Result<u32, StoreError> {
        let dir = self.cases_dir();
        let entries = fs::read_dir(&dir).map_err(self.io(&dir))?;
        let mut highest = 0;
        for entry in entries {
            let entry = entry.map_err(self.io(&dir))?;
            let name = entry.file_name();
            let id = name
                .to_str()
                .and_then(|n| n.strip_suffix(".json"))
                .and_then(|stem| stem.parse::<CaseId>().ok());
            if let Some(id) = id.filter(|id| id.year() == year) {
                highest = highest.max(id.number());
            }
        }
        Ok(highest)
    }

    fn sop_path(&self, digest: &str) -> PathBuf {
        self.root.join(SOPS).join(format!("{digest}.toml"))
    }

    /// Keeps the text of `sop` so cases opened under it keep it.
    pub fn keep_sop(&self, _lock: &WriteLock, sop: &Sop) -> Result<(), StoreError> {
        let path = self.sop_path(&sop.digest);
        if path.is_file() {
            return Ok(());
        }
        let dir = self.root.join(SOPS);
        match write_atomic(
            &dir,
            &format!("{}.toml", sop.digest),
            sop.source.as_bytes(),
            Existing::Keep,
        ) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(self.io(&path)(e)),
            _ => Ok(()),
        }
    }
}

/// The SOPs cases run under: the current one, and the kept texts of
/// earlier ones, each read once.
pub struct Sops<'a> {
    store: &'a Store,
    current: &'a Sop,
    kept: HashMap<String, Sop>,
}

impl<'a> Sops<'a> {
    pub fn new(store: &'a Store, current: &'a Sop) -> Sops<'a> {
        Sops {
            store,
            current,
            kept: HashMap::new(),
        }
    }

    /// The SOP `case` was opened under.
    pub fn for_case(&mut self, case: &Case) -> Result<&Sop, StoreError> {
        let digest = &case.sop.digest;
        if *digest == self.current.digest {
            return Ok(self.current);
        }
        if !self.kept.contains_key(digest) {
            let path = self.store.sop_path(digest);
            let sop = match Sop::load(&path) {
                Ok(sop) => sop,
                Err(SopError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
                    return Err(StoreError::SopMissing {
                        id: case.id.clone(),
                        nomor: case.sop.nomor.clone(),
                        versi: case.sop.versi.clone(),
                        path,
                    })
                }
                Err(e) => {
                    return Err(StoreError::SopBroken {
                        id: case.id.clone(),
                        source: Box::new(e),
                    })
                }
            };
            self.kept.insert(digest.clone(), sop);
        }
        Ok(&self.kept[digest])
    }
}

fn case_bytes(case: &Case) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(case).expect("a case serializes");
    bytes.push(b'\n');
    bytes
}

fn read_case(path: &Path, expected: Option<&CaseId>) -> Result<Case, StoreError> {
    let bad = |reason: String| StoreError::BadCase {
        path: path.to_path_buf(),
        reason,
    };
    let meta = fs::symlink_metadata(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.file_type().is_file() {
        let what = if meta.file_type().is_symlink() {
            "a symbolic link"
        } else if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file"
        };
        return Err(bad(format!("{what}, not a case file")));
    }
    let bytes = fs::read(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let case: Case = match serde_json::from_slice(&bytes) {
        Ok(case) => case,
        Err(e) => {
            return Err(bad(match schema_of(&bytes) {
                Some(v) if v > SCHEMA_VERSION => newer_schema(v),
                _ => format!("not a readable case file: {e}"),
            }))
        }
    };
    if case.schema > SCHEMA_VERSION {
        return Err(bad(newer_schema(case.schema)));
    }
    if let Some(expected) = expected {
        if case.id != *expected {
            return Err(bad(format!(
                "the file is named for case {expected} but holds case {}",
                case.id
            )));
        }
    }
    Ok(case)
}

fn schema_of(bytes: &[u8]) -> Option<u32> {
    #[derive(serde::Deserialize)]
    struct Schema {
        schema: u32,
    }
    serde_json::from_slice::<Schema>(bytes)
        .ok()
        .map(|s| s.schema)
}

fn newer_schema(version: u32) -> String {
    format!(
        "written with case-file schema {version}, newer than this koperasi-sop {} reads (schema {SCHEMA_VERSION}); use a newer koperasi-sop",
        env!("CARGO_PKG_VERSION")
    )
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}
