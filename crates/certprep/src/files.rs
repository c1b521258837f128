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
    writer: std::io::BufWriter<std::fs::File>,
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
            writer: std::io::BufWriter::with_capacity(1 << 16, file),
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
            .and_then(|()| self.writer.get_ref().sync_all())
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
