//! Handing the account holder's handout over: written to a new file that
//! only its owner can read (mode 0600, never replacing a file), or printed
//! through the system spooler (`print.command`, default CUPS's `lp`) with
//! the text on the command's standard input — never on its command line,
//! where other users of the machine could read it in the process list.
//! The text comes from [`crate::present::handout`]; nothing here logs it
//! or puts it into an error.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::config::{PrintConfig, io_reason};
use crate::error::{Error, Input, Result};

/// How long the print command may take to accept the page.
pub const PRINT_TIMEOUT: Duration = Duration::from_secs(30);

/// Refuses a handout file that exists already, before anything is changed.
/// [`write_new_file`] checks again when it creates it.
pub fn check_new_file(path: &Path) -> Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(exists(path));
    }
    Ok(())
}

fn exists(path: &Path) -> Error {
    Error::Invalid {
        input: Input::HandoutFile,
        problem: format!(
            "{} already exists; a handout never replaces a file: choose a new name",
            path.display()
        ),
    }
}

/// Writes `text` to a new file `path`, mode 0600, refusing an existing one
/// (or a link in its place).
pub fn write_new_file(path: &Path, text: &str) -> Result<()> {
    use std::fs::OpenOptions;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    o.mode(0o600);
    let mut f = o.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => exists(path),
        _ => Error::Io(format!(
            "cannot create the handout {}: {}",
            path.display(),
            io_reason(&e)
        )),
    })?;
    let written = f.write_all(text.as_bytes()).and_then(|()| f.sync_all());
    if let Err(e) = written {
        drop(f);
        let _ = std::fs::remove_file(path);
        return Err(Error::Io(format!(
            "cannot write the handout {}: {}",
            path.display(),
            io_reason(&e)
        )));
    }
    Ok(())
}

/// Checks that the print command can be found, before anything is changed.
pub fn check_printer(cfg: &PrintConfig) -> Result<()> {
    let argv = cfg.argv();
    let program = argv.first().copied().unwrap_or("lp");
    if find_program(program).is_none() {
        return Err(Error::Io(format!(
            "the print command {program} was not found (print.command in the config; CUPS provides lp)"
        )));
    }
    Ok(())
}

fn find_program(program: &str) -> Option<std::path::PathBuf> {
    if program.contains('/') {
        let p = Path::new(program);
        return p.is_file().then(|| p.to_owned());
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
    })
}

/// Sends `text` to the print command on its standard input and waits (up
/// to [`PRINT_TIMEOUT`]) for it to accept the page. Returns the command's
/// first line of output (`lp` says `request id is Q-12 (1 file(s))`).
/// `secrets` are forms of the password: any line of the command's own
/// messages that holds one is left out of an error.
pub fn print(cfg: &PrintConfig, text: &str, secrets: &[&str]) -> Result<String> {
    let argv = cfg.argv();
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| Error::Config("print.command: is empty".into()))?;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            Error::Io(format!(
                "cannot run the print command {program}: {}",
                io_reason(&e)
            ))
        })?;
    // The page is a few kilobytes: it fits in the pipe, so writing it
    // never waits for the command to read.
    let fed = child
        .stdin
        .take()
        .map(|mut stdin| stdin.write_all(text.as_bytes()))
        .unwrap_or(Ok(()));
    let read_all = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(r) = r {
                let _ = r.take(64 * 1024).read_to_end(&mut buf);
            }
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = read_all(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let err = read_all(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + PRINT_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::Io(format!(
                    "the print command {program} did not finish within {} seconds; the handout was not printed",
                    PRINT_TIMEOUT.as_secs()
                )));
            }
            Err(e) => {
                return Err(Error::Io(format!(
                    "cannot wait for the print command {program}: {}",
                    io_reason(&e)
                )));
            }
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let first_line = |s: &str| {
        s.lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !secrets.iter().any(|x| !x.is_empty() && l.contains(x)))
            .map(crate::domain::text::printable)
            .unwrap_or_default()
    };
    if !status.success() {
        // The spooler's own sentence goes inside ours: without its full
        // stop ("No default destination.; the handout..." read badly).
        let why = first_line(&stderr);
        let why = why.trim_end_matches(['.', ';', ':', ',', '!']);
        return Err(Error::Io(format!(
            "the print command {program} failed ({status}){}{why}; the handout was not printed",
            if why.is_empty() { "" } else { ": " }
        )));
    }
    if let Err(e) = fed {
        return Err(Error::Io(format!(
            "the print command {program} did not take the page: {}",
            io_reason(&e)
        )));
    }
    Ok(first_line(&stdout))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handout_file_is_private_and_never_replaces_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("handout.txt");
        write_new_file(&path, "hello\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let err = write_new_file(&path, "other\n").unwrap_err();
        assert_eq!(err.input(), Some(Input::HandoutFile));
        assert!(err.to_string().contains("never replaces"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello\n");
        assert!(check_new_file(&path).is_err());
        #[cfg(unix)]
        {
            // A symbolic link in its place is not followed.
            let target = dir.path().join("target.txt");
            let link = dir.path().join("link.txt");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            assert!(write_new_file(&link, "secret\n").is_err());
            assert!(!target.exists());
        }
    }

    #[test]
    fn a_failing_print_command_says_so_without_the_password() {
        // A print command that echoes the page to its error output and
        // fails: its message is shown, the password line is not.
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("leaky-lp");
        std::fs::write(&script, "#!/bin/sh\ncat >&2\nexit 3\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
            let cfg = PrintConfig {
                command: script.display().to_string(),
            };
            let err = print(&cfg, "password: 7KRN-FY3U\nline two\n", &["7KRN-FY3U"])
                .unwrap_err()
                .to_string();
            assert!(!err.contains("7KRN"), "{err}");
            assert!(
                err.contains("line two") && err.contains("not printed"),
                "{err}"
            );
        }
        let missing = PrintConfig {
            command: "no-such-printer-command-here".into(),
        };
        assert!(
            check_printer(&missing)
                .unwrap_err()
                .to_string()
                .contains("was not found")
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_print_error_reads_no_default_destination_with_one_stop() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("lp");
        std::fs::write(
            &script,
            "#!/bin/sh\ncat >/dev/null\necho 'lp: No default destination.' >&2\nexit 1\n",
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
        let cfg = PrintConfig {
            command: script.display().to_string(),
        };
        let err = print(&cfg, "page\n", &[]).unwrap_err().to_string();
        assert!(
            err.ends_with("lp: No default destination; the handout was not printed"),
            "{err}"
        );
        assert!(!err.contains(".;"), "{err}");
    }
}
