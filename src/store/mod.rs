//! The data directory: one JSON file per case, the SOP texts cases were
//! opened under, the id counter, and the writers' lock.
//!
//! ```text
//! DATA/
//!   lock               writers' lock (std File::lock)
//!   cases/2026-0007.json
//!   sop/<sha256>.toml  every SOP text a case was opened under
//!   ids.json           next case number per year (rebuilt from cases/ if lost)
//!   index              what `status` needs of every case (see `index`)
//!   nik/<nik>          the latest case of each cooperative
//! ```
//!
//! The case files and the SOP texts are the record. `ids.json`, `index`
//! and `nik/` are derived from them and rebuilt when lost or stale.

mod atomic;
mod fault;
mod health;
mod index;
mod lock;
mod niks;

use rust_i18n::t;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use atomic::{write as write_atomic, Batch, Existing};
pub use health::IndexHealth;
pub use index::Summary;
pub use lock::WriteLock;

use crate::case::{Case, CaseId, Nik, SCHEMA_VERSION};
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
    #[error("{}", t!("store.not_found", id = .id, dir = .dir.display()))]
    NotFound { id: CaseId, dir: PathBuf },
    #[error("{}: {reason}", .path.display())]
    BadCase { path: PathBuf, reason: String },
    #[error("{}", t!("store.lock_timeout", path = .path.display(), secs = .waited.as_secs()))]
    LockTimeout { path: PathBuf, waited: Duration },
    #[error("{}", t!("store.sop_missing", id = .id, what = .what, path = .path.display()))]
    SopMissing {
        id: CaseId,
        /// `SOP <nomor> versi <versi>` when known.
        what: String,
        path: PathBuf,
    },
    #[error("{}", t!("store.sop_broken", id = .id))]
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
            StoreError::NotFound { .. } => Some(t!("store.hint.not_found").into_owned()),
            StoreError::BadCase { reason, .. } if reason.contains(&*t!(NEWER)) => {
                Some(t!("store.hint.newer").into_owned())
            }
            StoreError::BadCase { .. } => Some(t!("store.hint.bad_case").into_owned()),
            StoreError::LockTimeout { .. } => Some(t!("store.hint.lock_timeout").into_owned()),
            StoreError::SopMissing { .. } => Some(t!("store.hint.sop_missing").into_owned()),
            _ => None,
        }
    }
}

/// A file in `cases/` that is not a readable case.
#[derive(Debug, Clone, PartialEq, Eq)]
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
const INDEX: &str = "index";
const NIKS: &str = "nik";

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
        for dir in [
            self.root.clone(),
            self.cases_dir(),
            self.root.join(SOPS),
            self.root.join(NIKS),
        ] {
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
        let mut cases = Vec::new();
        let bad = self.each_case(|case| cases.push(case))?;
        Ok((cases, bad))
    }

    /// Reads every case in id order, one at a time, and hands each to
    /// `visit`: for work over a large store that need not hold every case
    /// at once. Returns the files that are not readable cases.
    pub fn each_case(&self, mut visit: impl FnMut(Case)) -> Result<Vec<BadFile>, StoreError> {
        let dir = self.cases_dir();
        let entries = match fs::read_dir(&dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(vec![]),
            other => other.map_err(self.io(&dir))?,
        };
        let mut ids = Vec::new();
        let mut bad = Vec::new();
        for entry in entries {
            let entry = entry.map_err(self.io(&dir))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(".tmp-") {
                continue; // a write in progress, or one a crash interrupted
            }
            match name
                .strip_suffix(".json")
                .and_then(|stem| stem.parse::<CaseId>().ok())
            {
                Some(id) => ids.push((id, entry.path())),
                None => bad.push(BadFile {
                    path: entry.path(),
                    reason: t!("store.bad.name").into_owned(),
                }),
            }
        }
        ids.sort_unstable();
        for (id, path) in ids {
            match read_case(&path, Some(&id)) {
                Ok(case) => visit(case),
                Err(StoreError::BadCase { path, reason }) => bad.push(BadFile { path, reason }),
                Err(StoreError::Io { path, source }) => bad.push(BadFile {
                    path,
                    reason: source.to_string(),
                }),
                Err(other) => return Err(other),
            }
        }
        bad.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(bad)
    }

    /// Writes a case over its previous version.
    pub fn save(&self, lock: &WriteLock, case: &Case) -> Result<(), StoreError> {
        self.begin(lock, std::slice::from_ref(&case.id))?;
        let dir = self.cases_dir();
        write_atomic(
            &dir,
            &format!("{}.json", case.id),
            &case_bytes(case),
            Existing::Replace,
        )
        .map_err(self.io(&self.case_path(&case.id)))?;
        fault::point("case-written");
        self.commit(lock, &[Summary::of(case)])
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
            let id = CaseId::new(year, number);
            // The counter may be behind the files (lost, or a crash between
            // the two writes): step over an existing case.
            if fs::symlink_metadata(self.case_path(&id)).is_ok() {
                number += 1;
                continue;
            }
            case.rekey(id);
            // The link after `begin`, which rebuilds a lost index and with
            // it every link, from files that do not hold this case yet.
            self.begin(lock, std::slice::from_ref(&case.id))?;
            self.link_niks(lock, [(case.koperasi.nik.clone(), case.id.clone())], None)?;
            let name = format!("{}.json", case.id);
            match write_atomic(&dir, &name, &case_bytes(&case), Existing::Keep) {
                Ok(()) => break,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => number += 1,
                Err(e) => return Err(self.io(&dir.join(name))(e)),
            }
        }
        fault::point("case-written");
        next.insert(year, number + 1);
        self.write_ids(lock, &next)?;
        self.commit(lock, &[Summary::of(&case)])?;
        Ok(case)
    }

    /// Writes many cases at once, as an import does: new ones (`fresh`,
    /// numbered here) and changed ones, and returns the new cases' ids.
    /// Each case is staged in a temporary file as it comes and then
    /// dropped, so a large import never holds all its cases in memory. The
    /// files are made durable together, then renamed into place; when this
    /// returns, all of them are on disk.
    pub fn write_batch(
        &self,
        lock: &WriteLock,
        fresh: impl IntoIterator<Item = Case>,
        changed: impl IntoIterator<Item = Case>,
    ) -> Result<Vec<CaseId>, StoreError> {
        // A missing index is rebuilt now, before anything is staged: the
        // rebuild clears temporary files, which it takes for leftovers.
        if !self.index_path().exists() {
            self.rebuild_index(lock)?;
        }
        let dir = self.cases_dir();
        let mut ids = self.read_ids()?;
        let mut numbers: BTreeMap<u16, u32> = BTreeMap::new();
        let mut batch = Batch::new();
        let mut summaries = Vec::new();
        let mut links = Vec::new();
        let stage = |batch: &mut Batch, case: &Case, existing| {
            batch
                .add(
                    &dir,
                    &format!("{}.json", case.id),
                    &case_bytes(case),
                    existing,
                )
                .map_err(self.io(&self.case_path(&case.id)))
        };
        for mut case in fresh {
            let year = case.id.year();
            let number = match numbers.get(&year) {
                Some(n) => *n,
                // Past both the counter and the files, whichever is ahead.
                None => ids
                    .get(&year)
                    .copied()
                    .unwrap_or(1)
                    .max(self.highest_number(year)? + 1),
            };
            numbers.insert(year, number + 1);
            case.rekey(CaseId::new(year, number));
            stage(&mut batch, &case, Existing::Keep)?;
            links.push((case.koperasi.nik.clone(), case.id.clone()));
            summaries.push(Summary::of(&case));
        }
        let created: Vec<CaseId> = summaries.iter().map(|s| s.id.clone()).collect();
        for case in changed {
            stage(&mut batch, &case, Existing::Replace)?;
            summaries.push(Summary::of(&case));
        }
        let begun: Vec<CaseId> = summaries.iter().map(|s| s.id.clone()).collect();
        self.begin(lock, &begun)?;
        // The links first, as `create` does: a crash between the two leaves
        // a link to a case not yet written (read as no case), never an
        // active case its link does not name.
        self.link_niks(lock, links, None)?;
        batch.commit().map_err(self.io(&dir))?;
        fault::point("batch-written");
        for (year, number) in numbers {
            ids.insert(year, number);
        }
        self.write_ids(lock, &ids)?;
        self.commit(lock, &summaries)?;
        Ok(created)
    }

    /// The latest case of a cooperative, if the `nik/` link names one that
    /// exists and holds that NIK.
    pub fn case_of(&self, nik: &Nik) -> Result<Option<Case>, StoreError> {
        let Some(id) = self.linked(nik)? else {
            return Ok(None);
        };
        match self.load(&id) {
            Ok(case) if case.koperasi.nik == *nik => Ok(Some(case)),
            Ok(_) | Err(StoreError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn index_path(&self) -> PathBuf {
        self.root.join(INDEX)
    }

    /// The modification time of `cases/` in nanoseconds; `None` when
    /// there is no such directory yet.
    fn cases_mtime(&self) -> Result<Option<u128>, StoreError> {
        let dir = self.cases_dir();
        let meta = match fs::metadata(&dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            other => other.map_err(self.io(&dir))?,
        };
        let modified = meta.modified().map_err(self.io(&dir))?;
        Ok(Some(
            modified
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        ))
    }

    /// Notes in the index that these cases are about to be written.
    fn begin(&self, lock: &WriteLock, ids: &[CaseId]) -> Result<(), StoreError> {
        let text: String = ids.iter().map(index::pending_line).collect();
        self.append_index(lock, &text)
    }

    /// Records in the index the cases just written.
    fn commit(&self, lock: &WriteLock, written: &[Summary]) -> Result<(), StoreError> {
        let mtime = self.cases_mtime()?.unwrap_or(0);
        let text: String = written
            .iter()
            .map(|s| index::case_line_text(s, mtime))
            .collect();
        self.append_index(lock, &text)
    }

    fn append_index(&self, lock: &WriteLock, text: &str) -> Result<(), StoreError> {
        let path = self.index_path();
        let file = fs::OpenOptions::new().append(true).open(&path);
        let mut file = match file {
            Ok(file) => file,
            // A missing index is built from the case files, which already
            // hold what this line would say.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.rebuild_index(lock)?;
                return Ok(());
            }
            Err(e) => return Err(self.io(&path)(e)),
        };
        // One write per call: appends under the lock never interleave, and
        // a reader ignores an unterminated last line.
        io::Write::write_all(&mut file, text.as_bytes()).map_err(self.io(&path))
    }

    /// What `status` needs of every case, from the index, and the files in
    /// `cases/` that are not readable cases. Rebuilds the index first when
    /// it is missing, garbled or stale (waiting for the lock, at most
    /// `lock_timeout`, to do so).
    pub fn summaries(
        &self,
        lock_timeout: Duration,
    ) -> Result<(Vec<Summary>, Vec<BadFile>), StoreError> {
        // The directory's time first: a write after it can only make the
        // index look stale, never fresh.
        let Some(mtime) = self.cases_mtime()? else {
            return Ok((Vec::new(), Vec::new()));
        };
        if let Some(parsed) = self.read_index()? {
            if parsed.pending.is_empty() && parsed.mtime == Some(mtime) {
                self.compact_if_worth_it(&parsed)?;
                return Ok((parsed.entries, parsed.bad));
            }
            if !parsed.pending.is_empty() {
                match lock::try_acquire(&self.root.join(LOCK))? {
                    // No writer is at work: a crash cut a write short.
                    Some(lock) => return self.rebuild_index(&lock),
                    // A writer is at work: read its cases from their files.
                    None => return self.with_pending(parsed),
                }
            }
        }
        // Missing, garbled, or changed behind its back. Look again under the
        // lock: a writer may have finished between the two reads.
        let lock = self.lock(lock_timeout)?;
        let mtime = self.cases_mtime()?;
        if let Some(parsed) = self.read_index()? {
            if parsed.pending.is_empty() && parsed.mtime == mtime {
                return Ok((parsed.entries, parsed.bad));
            }
        }
        self.rebuild_index(&lock)
    }

    /// Changes whenever a writer changes the index or a case file is added,
    /// removed or renamed: for a reader that must know whether what it read
    /// still holds.
    pub fn index_stamp(&self) -> Result<Option<(u64, std::time::SystemTime, u128)>, StoreError> {
        let path = self.index_path();
        let meta = match fs::metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            other => other.map_err(self.io(&path))?,
        };
        let modified = meta.modified().map_err(self.io(&path))?;
        Ok(Some((
            meta.len(),
            modified,
            self.cases_mtime()?.unwrap_or(0),
        )))
    }

    /// [`Store::summaries`] for a writer that holds the lock.
    pub fn summaries_locked(
        &self,
        lock: &WriteLock,
    ) -> Result<(Vec<Summary>, Vec<BadFile>), StoreError> {
        let mtime = self.cases_mtime()?;
        if mtime.is_none() {
            return Ok((Vec::new(), Vec::new()));
        }
        match self.read_index()? {
            Some(parsed) if parsed.pending.is_empty() && parsed.mtime == mtime => {
                Ok((parsed.entries, parsed.bad))
            }
            _ => self.rebuild_index(lock),
        }
    }

    fn with_pending(
        &self,
        mut parsed: index::Parsed,
    ) -> Result<(Vec<Summary>, Vec<BadFile>), StoreError> {
        for id in &parsed.pending {
            let fresh = match self.load(id) {
                Ok(case) => Some(Summary::of(&case)),
                Err(StoreError::NotFound { .. }) => None,
                Err(StoreError::BadCase { path, reason }) => {
                    parsed.bad.push(BadFile { path, reason });
                    None
                }
                Err(e) => return Err(e),
            };
            parsed.entries.retain(|s| s.id != *id);
            parsed.entries.extend(fresh);
        }
        Ok((parsed.entries, parsed.bad))
    }

    fn read_index(&self) -> Result<Option<index::Parsed>, StoreError> {
        let path = self.index_path();
        match fs::read_to_string(&path) {
            Ok(text) => Ok(index::parse(&text, &self.cases_dir())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            // Not UTF-8: garbled; it is rebuilt.
            Err(e) if e.kind() == io::ErrorKind::InvalidData => Ok(None),
            Err(e) => Err(self.io(&path)(e)),
        }
    }

    /// Rebuilds the index and the `nik/` links from the case files; returns
    /// what the index now says.
    pub fn rebuild_index(
        &self,
        lock: &WriteLock,
    ) -> Result<(Vec<Summary>, Vec<BadFile>), StoreError> {
        // Holding the lock, no write is under way: any temporary file is
        // a leftover of one a crash cut short.
        self.remove_leftovers(lock)?;
        let mtime = self.cases_mtime()?.unwrap_or(0);
        // One case at a time: a national store does not fit in memory whole.
        let mut summaries = Vec::new();
        let bad = self.each_case(|case| summaries.push(Summary::of(&case)))?;
        self.write_index(lock, &summaries, &bad, mtime)?;
        self.relink_niks(lock, &summaries)?;
        Ok((summaries, bad))
    }

    fn write_index(
        &self,
        _lock: &WriteLock,
        summaries: &[Summary],
        bad: &[BadFile],
        mtime: u128,
    ) -> Result<(), StoreError> {
        let mut text = String::with_capacity(64 + summaries.len() * 256);
        text.push_str(index::HEADER);
        for file in bad {
            text.push_str(&index::bad_line(file));
        }
        for summary in summaries {
            text.push_str(&index::case_line_text(summary, mtime));
        }
        write_atomic(&self.root, INDEX, text.as_bytes(), Existing::Replace)
            .map_err(self.io(&self.index_path()))
    }

    /// Points each cooperative's `nik/` link at its active case, or its
    /// latest one; only shards that are missing or wrong are written.
    fn relink_niks(&self, lock: &WriteLock, cases: &[Summary]) -> Result<(), StoreError> {
        let mut latest: HashMap<&Nik, &Summary> = HashMap::new();
        for case in cases {
            let slot = latest.entry(&case.nik).or_insert(case);
            // Active beats done; then the later case.
            if (!case.is_done(), &case.id) > (!slot.is_done(), &slot.id) {
                *slot = case;
            }
        }
        let mut shards: BTreeMap<String, niks::Shard> = BTreeMap::new();
        for (nik, case) in latest {
            shards
                .entry(niks::shard_of(nik))
                .or_default()
                .insert(nik.to_string(), case.id.clone());
        }
        self.relink(lock, shards)
    }

    /// Rewrites an index that has grown to more than twice its cases, when
    /// no writer is busy; otherwise leaves it for a later reader.
    fn compact_if_worth_it(&self, parsed: &index::Parsed) -> Result<(), StoreError> {
        if parsed.lines <= 2 * parsed.entries.len() + 1000 {
            return Ok(());
        }
        let Some(lock) = lock::try_acquire(&self.root.join(LOCK))? else {
            return Ok(());
        };
        // Only if nothing was appended since it was read.
        let Some(again) = self.read_index()? else {
            return Ok(());
        };
        if again.lines != parsed.lines || !again.pending.is_empty() {
            return Ok(());
        }
        let mtime = again.mtime.unwrap_or(0);
        self.write_index(&lock, &again.entries, &again.bad, mtime)
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
        self.get(&case.sop.digest, &case.id).map_err(|e| match e {
            StoreError::SopMissing { id, path, .. } => StoreError::SopMissing {
                id,
                what: t!(
                    "store.sop_version",
                    nomor = case.sop.nomor,
                    versi = case.sop.versi
                )
                .into_owned(),
                path,
            },
            other => other,
        })
    }

    /// The SOP with this digest if it was read before (by `get`).
    pub fn cached(&self, digest: &str) -> Option<&Sop> {
        if *digest == self.current.digest {
            Some(self.current)
        } else {
            self.kept.get(digest)
        }
    }

    /// The SOP text with this digest, which case `id` runs under.
    pub fn get(&mut self, digest: &str, id: &CaseId) -> Result<&Sop, StoreError> {
        if *digest == self.current.digest {
            return Ok(self.current);
        }
        if !self.kept.contains_key(digest) {
            let path = self.store.sop_path(digest);
            let sop = match Sop::load(&path) {
                Ok(sop) => sop,
                Err(SopError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
                    return Err(StoreError::SopMissing {
                        id: id.clone(),
                        what: t!("store.an_sop").into_owned(),
                        path,
                    })
                }
                Err(e) => {
                    return Err(StoreError::SopBroken {
                        id: id.clone(),
                        source: Box::new(e),
                    })
                }
            };
            self.kept.insert(digest.to_string(), sop);
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
            t!("store.bad.symlink")
        } else if meta.is_dir() {
            t!("store.bad.directory")
        } else {
            t!("store.bad.not_regular")
        };
        return Err(bad(what.into_owned()));
    }
    let bytes = fs::read(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let case: Case = match serde_json::from_slice(&bytes) {
        Ok(case) => case,
        Err(e) => match schema_of(&bytes) {
            Some(v) if v > SCHEMA_VERSION => return Err(bad(newer_schema(v))),
            // Schema 1 had no hash chain: its passes are chained on reading.
            Some(1) => serde_json::from_slice(&bytes)
                .and_then(crate::case::from_schema_1)
                .map_err(|e| bad(t!("store.bad.unreadable", error = e).into_owned()))?,
            _ => return Err(bad(t!("store.bad.unreadable", error = e).into_owned())),
        },
    };
    if case.schema > SCHEMA_VERSION {
        return Err(bad(newer_schema(case.schema)));
    }
    // The digest names a file under sop/: it must be nothing but a digest.
    let digest = &case.sop.digest;
    if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad(t!("store.bad.digest", digest = digest).into_owned()));
    }
    if let Some(expected) = expected {
        if case.id != *expected {
            return Err(bad(t!(
                "store.bad.wrong_id",
                expected = expected,
                id = case.id
            )
            .into_owned()));
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

/// The catalog key of the words that mark a file from a newer version,
/// for the hint.
const NEWER: &str = "store.bad.newer";

fn newer_schema(version: u32) -> String {
    t!(
        "store.bad.newer_schema",
        version = version,
        ours = env!("CARGO_PKG_VERSION"),
        schema = SCHEMA_VERSION,
        newer = t!(NEWER)
    )
    .into_owned()
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

#[cfg(test)]
mod batch_tests {
    use super::*;
    use crate::case::{self, Koperasi};

    #[test]
    fn a_batch_into_a_store_without_an_index_keeps_its_staged_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("data"));
        let sop = Sop::embedded().unwrap();
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-07T08:00:00+08:00").unwrap();
        let case = case::open(
            CaseId::new(2026, 1),
            Koperasi {
                nik: "6472010000123".parse().unwrap(),
                nama: "Koperasi A".into(),
            },
            &sop,
            at,
            at,
        )
        .unwrap();
        let lock = store.lock(Duration::from_secs(1)).unwrap();
        store.keep_sop(&lock, &sop).unwrap();
        let ids = store.write_batch(&lock, vec![case], Vec::new()).unwrap();
        assert_eq!(ids, [CaseId::new(2026, 1)]);
        assert!(store.load(&ids[0]).is_ok());
        let (summaries, bad) = store.summaries_locked(&lock).unwrap();
        assert_eq!((summaries.len(), bad.len()), (1, 0));
    }
}
