//! Settings, read from a TOML file. Every key has a default; an unknown key is
//! an error that names it, so a typo never silently falls back to a default.
//!
//! Lookup order: `--config PATH`, then `$PORTAL_ADMIN_CONFIG`, then
//! `$XDG_CONFIG_HOME/portal-admin/config.toml`, then the built-in defaults.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub const CONFIG_ENV: &str = "PORTAL_ADMIN_CONFIG";

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub database: DatabaseConfig,
    pub temporary_password: TemporaryPasswordConfig,
    pub policy: PolicyConfig,
    pub lockout: LockoutConfig,
    pub hashing: HashingConfig,
    pub log: LogConfig,
    pub ui: UiConfig,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// Database file; `None` means the XDG data dir.
    pub path: Option<PathBuf>,
    /// redb page cache, in MiB.
    pub cache_mib: usize,
    /// How long a change waits for another operator's change to finish.
    pub busy_timeout_ms: u64,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            path: None,
            cache_mib: 16,
            busy_timeout_ms: 5000,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct TemporaryPasswordConfig {
    pub length: usize,
    pub alphabet: String,
    /// Characters per group when shown (`XXXX-XXXX-XXXX`); 0 shows no dashes.
    pub group: usize,
    pub ttl_hours: u32,
}

/// No look-alikes: no 0/O, 1/I/L, and no lower case to mishear over the phone.
pub const DEFAULT_TEMPORARY_ALPHABET: &str = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

impl Default for TemporaryPasswordConfig {
    fn default() -> Self {
        TemporaryPasswordConfig {
            length: 12,
            alphabet: DEFAULT_TEMPORARY_ALPHABET.to_owned(),
            group: 4,
            ttl_hours: 72,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PolicyConfig {
    pub min_length: usize,
    pub max_length: usize,
    /// zxcvbn score 0..=4 a chosen password must reach.
    pub min_score: u8,
    /// How many previous passwords may not be reused; 0 (off) by default,
    /// as OWASP ASVS advises against history rules.
    pub history: usize,
    /// May an administrator set a permanent password (untick "Password Reset
    /// Required")? `false` forbids it (OWASP ASVS 6.4.6).
    pub admin_may_clear_reset_required: bool,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        PolicyConfig {
            min_length: 12,
            max_length: 128,
            min_score: 3,
            history: 0,
            admin_may_clear_reset_required: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LockoutConfig {
    /// Failed sign-ins in a row that lock an account or operator.
    pub max_failures: u32,
    /// How long the lock lasts.
    pub minutes: u32,
}

impl Default for LockoutConfig {
    fn default() -> Self {
        LockoutConfig {
            max_failures: 5,
            minutes: 15,
        }
    }
}

/// Argon2id cost. Defaults are the OWASP recommendation (19 MiB, t=2, p=1).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct HashingConfig {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for HashingConfig {
    fn default() -> Self {
        HashingConfig {
            memory_kib: 19456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// off, error, warn, info or debug.
    pub level: String,
    /// Log file; `None` means `$XDG_STATE_HOME/portal-admin/portal-admin.log`.
    pub file: Option<PathBuf>,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            level: "info".to_owned(),
            file: None,
        }
    }
}

/// The full-screen app.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct UiConfig {
    /// Minutes without a key press before the operator is signed out and the
    /// screen is cleared of patient data (HIPAA automatic logoff).
    pub idle_minutes: u32,
    /// `c` on the temporary login copies it to the operator's clipboard with
    /// an OSC 52 escape (write-only; works over SSH and in tmux).
    pub osc52_copy: bool,
    /// Draw borders with `+`, `-` and `|` for terminals without line glyphs.
    pub ascii_borders: bool,
    /// Monochrome theme (also chosen by `NO_COLOR` or `--mono`).
    pub mono: bool,
    /// Rows fetched per page of search results.
    pub page_size: usize,
}

impl Default for UiConfig {
    fn default() -> Self {
        UiConfig {
            idle_minutes: 10,
            osc52_copy: true,
            ascii_borders: false,
            mono: false,
            page_size: 50,
        }
    }
}

impl Config {
    /// Finds and reads the configuration (see the module doc for the order).
    /// Returns the config and the file it came from, if any.
    pub fn load(explicit: Option<&Path>) -> Result<(Config, Option<PathBuf>)> {
        let from_env = std::env::var_os(CONFIG_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let chosen = explicit.map(Path::to_path_buf).or(from_env);
        if let Some(path) = chosen {
            return Ok((Self::from_file(&path)?, Some(path)));
        }
        if let Some(path) = default_config_path().filter(|p| p.is_file()) {
            return Ok((Self::from_file(&path)?, Some(path)));
        }
        Ok((Config::default(), None))
    }

    pub fn from_file(path: &Path) -> Result<Config> {
        let text = std::fs::read(path).map_err(|e| {
            Error::Config(format!("cannot read {}: {}", path.display(), io_reason(&e)))
        })?;
        let text = String::from_utf8(text).map_err(|e| {
            Error::Config(format!(
                "{}: not UTF-8 text (bad byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ))
        })?;
        Self::from_toml(&text).map_err(|e| match e {
            Error::Config(msg) => Error::Config(format!("{}: {msg}", path.display())),
            other => other,
        })
    }

    pub fn from_toml(text: &str) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let msg = e.message().replace('\n', " ");
            let msg = crate::domain::text::printable(&msg);
            match line {
                Some(line) => Error::Config(format!("line {line}: {msg}")),
                None => Error::Config(msg),
            }
        })?;
        config.validate()?;
        Ok(config)
    }

    /// Checks ranges that TOML types cannot express.
    pub fn validate(&self) -> Result<()> {
        let bad = |key: &str, why: &str| Err(Error::Config(format!("{key}: {why}")));
        let t = &self.temporary_password;
        if !(8..=64).contains(&t.length) {
            return bad("temporary_password.length", "must be between 8 and 64");
        }
        let mut chars: Vec<char> = t.alphabet.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        if chars.len() != t.alphabet.chars().count() {
            return bad(
                "temporary_password.alphabet",
                "lists a character more than once",
            );
        }
        if chars.len() < 16 || chars.iter().any(|c| !c.is_ascii_alphanumeric()) {
            return bad(
                "temporary_password.alphabet",
                "must be at least 16 different letters or digits (A-Z, a-z, 0-9)",
            );
        }
        if t.group == 1 || t.group > 8 {
            return bad(
                "temporary_password.group",
                "must be 0 (no dashes) or 2 to 8",
            );
        }
        if !(1..=720).contains(&t.ttl_hours) {
            return bad(
                "temporary_password.ttl_hours",
                "must be between 1 and 720 (30 days)",
            );
        }
        let p = &self.policy;
        if p.min_length < 8 {
            return bad("policy.min_length", "must be at least 8 (NIST SP 800-63B)");
        }
        if p.max_length < 64 || p.max_length > 1024 {
            return bad(
                "policy.max_length",
                "must be between 64 and 1024 (NIST SP 800-63B asks for at least 64)",
            );
        }
        if p.min_length > p.max_length {
            return bad("policy.min_length", "is larger than policy.max_length");
        }
        if p.min_score > 4 {
            return bad("policy.min_score", "must be between 0 and 4");
        }
        if p.history > 24 {
            return bad("policy.history", "must be between 0 and 24");
        }
        let l = &self.lockout;
        if !(1..=100).contains(&l.max_failures) {
            return bad("lockout.max_failures", "must be between 1 and 100");
        }
        if !(1..=1440).contains(&l.minutes) {
            return bad("lockout.minutes", "must be between 1 and 1440 (a day)");
        }
        let h = &self.hashing;
        if !(1..=16).contains(&h.parallelism) {
            return bad("hashing.parallelism", "must be between 1 and 16");
        }
        if h.iterations == 0 || h.iterations > 64 {
            return bad("hashing.iterations", "must be between 1 and 64");
        }
        if h.memory_kib < 8 * h.parallelism || h.memory_kib > 4 * 1024 * 1024 {
            return bad(
                "hashing.memory_kib",
                "must be at least 8 × parallelism and at most 4194304 (4 GiB)",
            );
        }
        if !matches!(
            self.log.level.as_str(),
            "off" | "error" | "warn" | "info" | "debug"
        ) {
            return bad("log.level", "must be one of off, error, warn, info, debug");
        }
        if !(1..=240).contains(&self.ui.idle_minutes) {
            return bad("ui.idle_minutes", "must be between 1 and 240");
        }
        if !(10..=500).contains(&self.ui.page_size) {
            return bad("ui.page_size", "must be between 10 and 500");
        }
        if !(1..=4096).contains(&self.database.cache_mib) {
            return bad("database.cache_mib", "must be between 1 and 4096");
        }
        if !(100..=600_000).contains(&self.database.busy_timeout_ms) {
            return bad("database.busy_timeout_ms", "must be between 100 and 600000");
        }
        Ok(())
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "portal-admin")
}

pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// `$XDG_DATA_HOME/portal-admin/portal.redb`.
pub fn default_database_path() -> PathBuf {
    project_dirs()
        .map(|d| d.data_dir().join("portal.redb"))
        .unwrap_or_else(|| PathBuf::from("portal.redb"))
}

/// `$XDG_DATA_HOME/portal-admin/demo.redb`: the demo never touches the real file.
pub fn default_demo_database_path() -> PathBuf {
    project_dirs()
        .map(|d| d.data_dir().join("demo.redb"))
        .unwrap_or_else(|| PathBuf::from("demo.redb"))
}

/// `$XDG_STATE_HOME/portal-admin/portal-admin.log` (falls back to the data dir).
pub fn default_log_path() -> PathBuf {
    project_dirs()
        .map(|d| {
            d.state_dir()
                .unwrap_or_else(|| d.data_dir())
                .join("portal-admin.log")
        })
        .unwrap_or_else(|| PathBuf::from("portal-admin.log"))
}

/// The OS's reason for an I/O error, without the "(os error N)" noise.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_owned(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_named() {
        let err = Config::from_toml("[policy]\nmin_lenght = 14\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("min_lenght"), "{msg}");
        assert!(msg.contains("line 2"), "{msg}");
    }

    #[test]
    fn defaults_validate() {
        Config::default().validate().unwrap();
    }

    #[test]
    fn out_of_range_values_are_refused_with_their_key() {
        for (toml, key) in [
            ("[policy]\nmax_length = 32\n", "policy.max_length"),
            (
                "[temporary_password]\nalphabet = \"AB\"\n",
                "temporary_password.alphabet",
            ),
            (
                "[temporary_password]\nalphabet = \"AABCDEFGHJKMNPQRS\"\n",
                "temporary_password.alphabet",
            ),
            ("[lockout]\nmax_failures = 0\n", "lockout.max_failures"),
            ("[log]\nlevel = \"loud\"\n", "log.level"),
        ] {
            let msg = Config::from_toml(toml).unwrap_err().to_string();
            assert!(msg.contains(key), "{toml} -> {msg}");
        }
    }
}
