//! Logs go to a file (never the screen), without colours, readable by its
//! owner only. They name operators and opaque ids — never a password, a
//! keystroke of one, or patient details. The file is opened by
//! [`crate::files::open_log`]: never through a symbolic link, never one
//! that someone else owns, and made 0600 when it was open to others.

use std::path::PathBuf;

use tracing_subscriber::EnvFilter;

use crate::config::LogConfig;

/// Guard that flushes the log when dropped; keep it alive for the run.
pub struct LogGuard {
    _flush_on_drop: Option<tracing_appender::non_blocking::WorkerGuard>,
}

/// Starts logging to the configured file. Returns a warning sentence when
/// the file cannot be opened (the program then runs without a log) or when
/// its mode had to be made private.
pub fn init(cfg: &LogConfig) -> (LogGuard, Option<String>) {
    if cfg.level == "off" {
        return (
            LogGuard {
                _flush_on_drop: None,
            },
            None,
        );
    }
    let path = cfg
        .file
        .clone()
        .unwrap_or_else(crate::config::default_log_path);
    match crate::files::open_log(&path) {
        Ok((file, notice)) => {
            let (writer, guard) = tracing_appender::non_blocking(file);
            let filter = EnvFilter::new(format!("portal_admin={}", cfg.level));
            let ok = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_ansi(false)
                .with_target(false)
                .with_writer(writer)
                .try_init()
                .is_ok();
            (
                LogGuard {
                    _flush_on_drop: ok.then_some(guard),
                },
                notice,
            )
        }
        Err(e) => (
            LogGuard {
                _flush_on_drop: None,
            },
            Some(format!(
                "cannot write the log file {}: {}; continuing without a log",
                path.display(),
                e
            )),
        ),
    }
}

/// Where the log goes with this configuration (for `--help`).
pub fn path(cfg: &LogConfig) -> PathBuf {
    cfg.file
        .clone()
        .unwrap_or_else(crate::config::default_log_path)
}
