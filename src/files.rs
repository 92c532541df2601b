//! The files portal-admin trusts — the database, the configuration, the log
//! and the folders it creates — checked for who can change or read them.
//!
//! One rule for all (see `docs/deployment.md`): what anyone on the machine
//! could change is refused; what a group or another user could change, or
//! what others could read of patient data, is named in a warning; folders
//! portal-admin creates are private to their owner (0700) whatever the
//! umask, and so are the files (0600).

use std::fs::{File, Metadata, OpenOptions};
use std::io;
use std::path::Path;

use crate::config::{Config, io_reason};
use crate::error::{Error, Result};

/// Creates `dir` and any missing parents, each readable only by its owner
/// (0700, whatever the umask); folders that exist are left as they are.
pub fn create_private_dir_all(dir: &Path) -> io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// What a checked file is, for the sentences about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Patient data and password hashes: private to its owner.
    Database,
    /// Settings that decide the security of everything else: only its owner
    /// (or root) may change it; anyone may read it.
    Config,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Database => "database",
            Kind::Config => "configuration file",
        }
    }
}

/// Checks the mode and owner of a file portal-admin is about to use.
/// Refuses a world-writable file; returns a warning sentence for each other
/// risk found (an empty list when the file is as `docs/deployment.md` asks).
pub fn check(path: &Path, kind: Kind) -> Result<Vec<String>> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::Io(format!(
            "cannot read the {} {}: {}",
            kind.name(),
            path.display(),
            io_reason(&e)
        ))
    })?;
    check_metadata(path, &meta, kind)
}

#[cfg(unix)]
fn check_metadata(path: &Path, meta: &Metadata, kind: Kind) -> Result<Vec<String>> {
    use std::os::unix::fs::MetadataExt;
    let mode = meta.mode() & 0o7777;
    let shown = path.display();
    let what = kind.name();
    if mode & 0o002 != 0 {
        return Err(Error::UnsafeFile(format!(
            "the {what} {shown} can be changed by anyone on this computer (mode {mode:04o}); \
             make it private with `chmod 600 {shown}` and try again"
        )));
    }
    let mut warnings = Vec::new();
    if mode & 0o020 != 0 {
        warnings.push(format!(
            "the {what} {shown} can be changed by its group (mode {mode:04o}): everyone in it can \
             change what portal-admin trusts; `chmod g-w {shown}` unless that is intended"
        ));
    }
    if kind == Kind::Database && mode & 0o044 != 0 {
        warnings.push(format!(
            "the database {shown} can be read by other users (mode {mode:04o}): it holds patient data \
             and password hashes; `chmod 600 {shown}`"
        ));
    }
    let me = effective_uid();
    let owner = meta.uid();
    let foreign = match kind {
        Kind::Database => owner != me,
        Kind::Config => owner != me && owner != 0,
    };
    if foreign {
        warnings.push(format!(
            "the {what} {shown} belongs to user id {owner}, not to the user running portal-admin \
             ({me}): whoever owns it can change anything in it"
        ));
    }
    if kind == Kind::Database
        && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(dmeta) = std::fs::metadata(dir)
        && dmeta.mode() & 0o002 != 0
        && dmeta.mode() & 0o1000 == 0
    {
        warnings.push(format!(
            "the folder {} can be changed by anyone on this computer (mode {:04o}): someone could \
             put another file in the database's place; keep the database in a private folder",
            dir.display(),
            dmeta.mode() & 0o7777
        ));
    }
    Ok(warnings)
}

#[cfg(not(unix))]
fn check_metadata(_path: &Path, _meta: &Metadata, _kind: Kind) -> Result<Vec<String>> {
    Ok(Vec::new())
}

/// The user id this process acts as (owner of the files it creates).
#[cfg(unix)]
pub fn effective_uid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// Opens the log for appending, never through a symbolic link and never a
/// file someone else owns; a log readable by others is made private (0600)
/// and said so. Returns the file and that sentence, or why it was refused.
pub fn open_log(path: &Path) -> std::result::Result<(File, Option<String>), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir_all(dir).map_err(|e| io_reason(&e))?;
    }
    let mut o = OpenOptions::new();
    o.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NOFOLLOW: a symbolic link planted in the log's place is refused
        // (ELOOP) instead of followed to a file of the attacker's choosing.
        // O_NONBLOCK: a FIFO in its place does not hang the start.
        o.mode(0o600).custom_flags(
            (rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32,
        );
    }
    let file = o.open(path).map_err(|e| {
        if is_symlink(path) {
            "it is a symbolic link (refused: the log is never written through a link)".to_owned()
        } else {
            io_reason(&e)
        }
    })?;
    // Checked on the open file itself, so nothing can be swapped in between.
    let meta = file.metadata().map_err(|e| io_reason(&e))?;
    if !meta.is_file() {
        return Err("it is not a regular file".to_owned());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let me = effective_uid();
        if meta.uid() != me {
            return Err(format!(
                "it belongs to user id {}, not to the user running portal-admin ({me})",
                meta.uid()
            ));
        }
        let mode = meta.mode() & 0o7777;
        if mode & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| io_reason(&e))?;
            return Ok((
                file,
                Some(format!(
                    "the log file {} was open to others (mode {mode:04o}); it is now 0600",
                    path.display()
                )),
            ));
        }
    }
    Ok((file, None))
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// What the command line says on standard error before it starts (and the
/// app may show): weak hashing allowed for tests, and a configuration file
/// that others can change. A world-writable configuration is refused
/// earlier, by [`Config::load`].
pub fn startup_notices(config: &Config, config_path: Option<&Path>) -> Vec<String> {
    let mut notices: Vec<String> = config.hashing.weak_notice().into_iter().collect();
    if let Some(path) = config_path
        && let Ok(warnings) = check(path, Kind::Config)
    {
        notices.extend(warnings);
    }
    notices
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    fn chmod(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn world_writable_is_refused_group_writable_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("f");
        std::fs::write(&f, "x").unwrap();
        chmod(&f, 0o600);
        assert_eq!(check(&f, Kind::Database).unwrap(), Vec::<String>::new());
        chmod(&f, 0o666);
        let err = check(&f, Kind::Database).unwrap_err().to_string();
        assert!(
            err.contains("anyone on this computer") && err.contains("0666"),
            "{err}"
        );
        assert!(check(&f, Kind::Config).is_err());
        chmod(&f, 0o660);
        let w = check(&f, Kind::Database).unwrap();
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("changed by its group"), "{w:?}");
        assert!(w[1].contains("read by other users"), "{w:?}");
        assert_eq!(check(&f, Kind::Config).unwrap().len(), 1);
        chmod(&f, 0o644);
        assert!(check(&f, Kind::Database).unwrap()[0].contains("read by other users"));
        assert_eq!(
            check(&f, Kind::Config).unwrap(),
            Vec::<String>::new(),
            "a readable config is fine"
        );
    }

    #[test]
    fn private_folders_whatever_the_umask() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b/c");
        create_private_dir_all(&deep).unwrap();
        for d in ["a", "a/b", "a/b/c"] {
            let mode = std::fs::metadata(dir.path().join(d)).unwrap().mode() & 0o777;
            assert_eq!(mode, 0o700, "{d}");
        }
    }
}
