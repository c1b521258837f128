//! Writing files the user asked for without losing what was there.

use std::path::Path;

use anyhow::{Context, Result};

/// Writes beside the target and renames over it: a crash never leaves half a bank file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.writer()
        .write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.commit()
}

/// A file written beside its target and renamed over it on [`AtomicFile::commit`]; dropped
/// without committing, the partial file is removed and the target is left as it was.
pub struct AtomicFile {
    tmp: std::path::PathBuf,
    target: std::path::PathBuf,
    writer: std::io::BufWriter<EarlySync>,
    committed: bool,
}

impl AtomicFile {
    pub fn create(path: &Path) -> Result<Self> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let file = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        Ok(AtomicFile {
            tmp,
            target: path.to_path_buf(),
            writer: std::io::BufWriter::with_capacity(1 << 16, EarlySync::new(file)),
            committed: false,
        })
    }

    pub fn writer(&mut self) -> &mut dyn std::io::Write {
        &mut self.writer
    }

    /// Flushes and renames the file over its target.
    pub fn commit(mut self) -> Result<()> {
        use std::io::Write as _;
        self.writer
            .flush()
            .and_then(|()| self.writer.get_mut().sync_all())
            .with_context(|| format!("cannot write {}", self.tmp.display()))?;
        std::fs::rename(&self.tmp, &self.target)
            .with_context(|| format!("cannot write {}", self.target.display()))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// How much is written between two requests to write the file to disk in the background.
const EARLY_SYNC_BYTES: u64 = 8 << 20;

/// A file that, once a few MiB are written, is written to disk by a thread while more is
/// written: the sync on commit then waits only for the rest (a large import spent a fifth of
/// its time waiting for it). What the early syncs do is only ahead of time: the sync on
/// commit still makes the whole file durable, and reports any error.
struct EarlySync {
    file: std::fs::File,
    unsynced: u64,
    /// Requests (one waits at most) and the thread that serves them.
    syncer: Option<(std::sync::mpsc::SyncSender<()>, std::thread::JoinHandle<()>)>,
}

impl EarlySync {
    fn new(file: std::fs::File) -> Self {
        EarlySync {
            file,
            unsynced: 0,
            syncer: None,
        }
    }

    fn request_sync(&mut self) {
        if self.syncer.is_none() {
            // Without a second handle or a thread, the sync on commit does it all.
            let Ok(file) = self.file.try_clone() else {
                return;
            };
            let (requests, received) = std::sync::mpsc::sync_channel::<()>(1);
            let spawned = std::thread::Builder::new()
                .name("early-sync".into())
                .spawn(move || {
                    for () in received {
                        let _ = file.sync_data();
                    }
                });
            let Ok(thread) = spawned else { return };
            self.syncer = Some((requests, thread));
        }
        if let Some((requests, _)) = &self.syncer {
            // A request already waiting covers this one.
            let _ = requests.try_send(());
        }
    }

    /// Waits for the background syncs, then makes the whole file durable.
    fn sync_all(&mut self) -> std::io::Result<()> {
        if let Some((requests, thread)) = self.syncer.take() {
            drop(requests);
            let _ = thread.join();
        }
        self.file.sync_all()
    }
}

impl std::io::Write for EarlySync {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.unsynced += n as u64;
        if self.unsynced >= EARLY_SYNC_BYTES {
            self.unsynced = 0;
            self.request_sync();
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}
