//! Settings, read from a TOML file. Every key has a default; an unknown key is
//! an error that names it, so a typo never silently falls back to a default.
//!
//! Lookup order: `--config PATH`, then `$PORTAL_ADMIN_CONFIG`, then
//! `$XDG_CONFIG_HOME/portal-admin/config.toml`, then the built-in defaults.
//!
//! Longer than most files on purpose: every section's struct, its defaults
//! and the range checks of its keys stay together, so a key's default and
//! what it may be are read in one place.

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
    pub print: PrintConfig,
    pub notify: NotifyConfig,
    pub guardians: GuardiansConfig,
}

/// Age rules for guardians' portal access (in whole years, on the
/// patient's birthday in the practice's time zone).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct GuardiansConfig {
    /// A guardian's access is limited from this birthday.
    pub limited_from_age: u8,
    /// A guardian's access ends at this birthday: the link shows as ended
    /// and is not offered for resets.
    pub end_at_age: u8,
    /// A patient may have an account of their own (`self`) from this birthday.
    pub self_account_from_age: u8,
}

impl Default for GuardiansConfig {
    fn default() -> Self {
        GuardiansConfig {
            limited_from_age: 12,
            end_at_age: 18,
            self_account_from_age: 13,
        }
    }
}

impl GuardiansConfig {
    pub fn rules(&self) -> crate::domain::AgeRules {
        crate::domain::AgeRules {
            limited_from_age: self.limited_from_age,
            end_at_age: self.end_at_age,
            self_account_from_age: self.self_account_from_age,
        }
    }
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
    /// Most index entries one search reads before it stops and shows what
    /// it found (`Page::stopped_early`): the cost of one key press, bounded.
    pub search_budget: u64,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            path: None,
            cache_mib: 16,
            busy_timeout_ms: 5000,
            search_budget: 20_000,
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

/// Ten symbols no two of which are confused when read aloud over a phone
/// line or written by hand (see `docs/security.md`, "Temporary passwords").
pub const DEFAULT_TEMPORARY_ALPHABET: &str = "3467FKNRUY";

/// The alphabet of temporary passwords issued before the readable one
/// (`ABCDEFGHJKMNPQRSTUVWXYZ23456789`, 12 characters). Passwords issued with
/// it keep working until they expire: sign-in only drops separators and
/// upper-cases.
pub const PREVIOUS_TEMPORARY_ALPHABET: &str = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// The least entropy a temporary password may have, in bits.
pub const MIN_TEMPORARY_BITS: f64 = 50.0;

impl Default for TemporaryPasswordConfig {
    fn default() -> Self {
        TemporaryPasswordConfig {
            length: 16,
            alphabet: DEFAULT_TEMPORARY_ALPHABET.to_owned(),
            group: 4,
            ttl_hours: 72,
        }
    }
}

impl TemporaryPasswordConfig {
    /// Entropy of one temporary password: `length × log2(alphabet size)`
    /// (every character drawn uniformly and independently).
    pub fn bits(&self) -> f64 {
        let n = self.alphabet.chars().count().max(1) as f64;
        self.length as f64 * n.log2()
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
    /// How staff may have checked the account holder's identity and
    /// authority before Create/Validate (HIPAA 45 CFR 164.514(h)); the
    /// choice is recorded in the audit event.
    pub identity_checks: Vec<String>,
    /// Must staff record one of `identity_checks` for every Create/Validate?
    pub identity_check_required: bool,
}

/// The identity checks a practice starts with.
pub const DEFAULT_IDENTITY_CHECKS: [&str; 3] = [
    "in person, photo ID",
    "in person, known to staff",
    "by phone, date of birth and address",
];

impl Default for PolicyConfig {
    fn default() -> Self {
        PolicyConfig {
            min_length: 12,
            max_length: 128,
            min_score: 3,
            history: 0,
            admin_may_clear_reset_required: true,
            identity_checks: DEFAULT_IDENTITY_CHECKS.map(String::from).to_vec(),
            identity_check_required: true,
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

/// Argon2id cost. Defaults are the OWASP recommendation (19 MiB, t=2, p=1);
/// anything below the OWASP minimum is refused at start unless `allow_weak`.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct HashingConfig {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    /// Accept settings below the OWASP minimum. For tests only: clients then
    /// say so (the CLI on standard error, the app in its title bar).
    pub allow_weak: bool,
}

impl Default for HashingConfig {
    fn default() -> Self {
        HashingConfig {
            memory_kib: 19456,
            iterations: 2,
            parallelism: 1,
            allow_weak: false,
        }
    }
}

/// The most memory `hashing.memory_kib` may ask for: 1 GiB (54 times the
/// OWASP default). Beyond it a hash needs more memory than a front-desk
/// computer can be trusted to have free — 4 GiB failed every reset with
/// "out of memory" — and takes seconds.
pub const MAX_HASHING_MEMORY_KIB: u32 = 1024 * 1024;

/// The OWASP Password Storage Cheat Sheet's argon2id configurations, as
/// (iterations, least memory in KiB): equal defences, trading memory for
/// time. More iterations than the last row need no more memory than it.
pub const OWASP_ARGON2ID_MINIMUM: [(u32, u32); 5] =
    [(1, 47104), (2, 19456), (3, 12288), (4, 9216), (5, 7168)];

impl HashingConfig {
    /// The least memory OWASP accepts with `iterations` passes.
    pub fn owasp_min_memory_kib(iterations: u32) -> u32 {
        OWASP_ARGON2ID_MINIMUM
            .iter()
            .rev()
            .find(|(t, _)| iterations >= *t)
            .map_or(OWASP_ARGON2ID_MINIMUM[0].1, |(_, m)| *m)
    }

    /// True when these settings are below the OWASP minimum.
    pub fn is_weak(&self) -> bool {
        self.memory_kib < Self::owasp_min_memory_kib(self.iterations)
    }

    /// Why these settings are refused, or `None` when they are at or above
    /// the OWASP minimum or `allow_weak` accepts them.
    pub fn refusal(&self) -> Option<String> {
        (self.is_weak() && !self.allow_weak).then(|| {
            let table: Vec<String> = OWASP_ARGON2ID_MINIMUM
                .iter()
                .map(|(t, m)| format!("{m} with {t}"))
                .collect();
            format!(
                "{} KiB with {} iteration{} is below the OWASP minimum for argon2id \
                 (memory_kib with iterations: {} or more); raise hashing.memory_kib or \
                 hashing.iterations (hashing.allow_weak = true is for tests only)",
                self.memory_kib,
                self.iterations,
                if self.iterations == 1 { "" } else { "s" },
                table.join(", ")
            )
        })
    }

    /// What clients show while hashing runs below the OWASP minimum (only
    /// possible with `allow_weak`): the CLI on standard error, the app in
    /// its title bar. `None` with safe settings.
    pub fn weak_notice(&self) -> Option<String> {
        (self.is_weak() && self.allow_weak).then(|| {
            format!(
                "WEAK password hashing (argon2id m={},t={}): hashing.allow_weak is for tests only",
                self.memory_kib, self.iterations
            )
        })
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
    /// The practice's time zone, an IANA name (`America/New_York`): every
    /// time staff read aloud or the CLI prints is in it. `None`: the
    /// system's (`TZ`, else `/etc/localtime`).
    pub time_zone: Option<String>,
}

impl Default for UiConfig {
    fn default() -> Self {
        UiConfig {
            idle_minutes: 10,
            osc52_copy: true,
            ascii_borders: false,
            mono: false,
            page_size: 50,
            time_zone: None,
        }
    }
}

/// Printing the account holder's handout.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PrintConfig {
    /// The print command and its arguments, split at spaces (no shell, no
    /// quoting): `lp` (CUPS), `lp -d frontdesk`. The handout goes to its
    /// standard input, never on its command line.
    pub command: String,
}

impl Default for PrintConfig {
    fn default() -> Self {
        PrintConfig {
            command: "lp".to_owned(),
        }
    }
}

impl PrintConfig {
    /// The program and its arguments.
    pub fn argv(&self) -> Vec<&str> {
        self.command.split_whitespace().collect()
    }
}

/// Notices to account holders after every change to their login (a reset,
/// a link, a guardian change, a new login email), by email through an SMTP
/// relay. Off until both `smtp_url` and `from` are set.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct NotifyConfig {
    /// Where notices are sent: `smtp://localhost` (a relay on the same
    /// host, no encryption), `smtps://relay.example.org` (TLS from the
    /// start, port 465) or `smtp://relay.example.org?tls=required`
    /// (STARTTLS, port 587). A user name may be given
    /// (`smtps://portal@relay.example.org`); its password is read from
    /// `smtp_password_file`, never from this file.
    pub smtp_url: Option<String>,
    /// The sender: `portal@sunshine.example` or
    /// `Sunshine Pediatrics <portal@sunshine.example>`.
    pub from: Option<String>,
    /// Who the account holder calls when a change was not theirs: "the
    /// front desk at (555) 010-0199". Default: the practice's name.
    pub contact: Option<String>,
    /// A file holding the SMTP password (one line), readable by its owner
    /// only. Needed when `smtp_url` names a user.
    pub smtp_password_file: Option<PathBuf>,
    /// Extra certificate authority (PEM) to trust for the relay's TLS
    /// certificate, for a relay with a private CA; the public web's
    /// authorities are always trusted.
    pub tls_ca_file: Option<PathBuf>,
    /// How long one attempt may take (connecting, talking), in seconds.
    pub timeout_seconds: u32,
    /// Seconds before the first retry of a notice the relay did not take;
    /// each retry waits twice as long as the one before, at most four hours.
    pub retry_after_seconds: u32,
    /// Attempts before a notice is given up (marked failed and audited).
    pub max_attempts: u32,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            smtp_url: None,
            from: None,
            contact: None,
            smtp_password_file: None,
            tls_ca_file: None,
            timeout_seconds: 10,
            retry_after_seconds: 60,
            max_attempts: 10,
        }
    }
}

impl NotifyConfig {
    /// Notices are sent only when both the relay and the sender are set.
    pub fn enabled(&self) -> bool {
        self.smtp_url.is_some() && self.from.is_some()
    }
}

impl Config {
    /// Finds and reads the configuration (see the module doc for the order).
    /// Returns the config and the file it came from, if any. A file that
    /// anyone on the computer can change is refused (it decides the hashing
    /// cost, the password policy and where the log goes); lesser risks are
    /// told by [`crate::files::startup_notices`].
    pub fn load(explicit: Option<&Path>) -> Result<(Config, Option<PathBuf>)> {
        let from_env = std::env::var_os(CONFIG_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let chosen = explicit.map(Path::to_path_buf).or(from_env);
        let path = match chosen {
            Some(path) => path,
            None => match default_config_path().filter(|p| p.is_file()) {
                Some(path) => path,
                None => return Ok((Config::default(), None)),
            },
        };
        let config = Self::from_file(&path)?;
        crate::files::check(&path, crate::files::Kind::Config)?;
        Ok((config, Some(path)))
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

    /// Reads settings from TOML text. An out-of-range value is refused with
    /// its key and the line it is on.
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
        config.check().map_err(|Refusal { keys, why }| {
            // Named by the first of its keys that the file sets, with its line.
            match keys.iter().find_map(|k| key_line(text, k).map(|l| (k, l))) {
                Some((key, line)) => Error::Config(format!("line {line}: {key}: {why}")),
                None => Error::Config(format!("{}: {why}", keys[0])),
            }
        })?;
        Ok(config)
    }

    /// Checks ranges that TOML types cannot express, and the argon2 floor.
    pub fn validate(&self) -> Result<()> {
        self.check()
            .map_err(|Refusal { keys, why }| Error::Config(format!("{}: {why}", keys[0])))
    }

    fn check(&self) -> std::result::Result<(), Refusal> {
        let bad = |key: &'static str, why: &str| {
            Err(Refusal {
                keys: vec![key],
                why: why.to_owned(),
            })
        };
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
        if chars.len() < 8 || chars.iter().any(|c| !c.is_ascii_alphanumeric()) {
            return bad(
                "temporary_password.alphabet",
                "must be at least 8 different letters or digits (A-Z, a-z, 0-9)",
            );
        }
        if t.bits() < MIN_TEMPORARY_BITS {
            return Err(Refusal {
                keys: vec!["temporary_password.length", "temporary_password.alphabet"],
                why: format!(
                    "{} characters from an alphabet of {} give {:.1} bits; at least {MIN_TEMPORARY_BITS} are needed (make it longer)",
                    t.length,
                    chars.len(),
                    t.bits()
                ),
            });
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
        self.validate_identity_checks()?;
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
        if h.memory_kib < 8 * h.parallelism || h.memory_kib > MAX_HASHING_MEMORY_KIB {
            return bad(
                "hashing.memory_kib",
                "must be at least 8 × parallelism and at most 1048576 (1 GiB: every sign-in and reset needs that much memory free, and takes seconds)",
            );
        }
        if let Some(why) = h.refusal() {
            // Named by whichever of the two keys the file sets.
            return Err(Refusal {
                keys: vec!["hashing.memory_kib", "hashing.iterations"],
                why,
            });
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
        if let Some(zone) = &self.ui.time_zone {
            crate::present::LocalTime::zone(zone).map_err(|why| Refusal {
                keys: vec!["ui.time_zone"],
                why: why.to_string(),
            })?;
        }
        if self.print.argv().is_empty() {
            return bad("print.command", "is empty; the default is \"lp\"");
        }
        if let Some(c) = self.print.command.chars().find(|c| c.is_control()) {
            return Err(Refusal {
                keys: vec!["print.command"],
                why: format!("contains a control character (U+{:04X})", c as u32),
            });
        }
        self.validate_notify()?;
        let g = &self.guardians;
        if !(1..=25).contains(&g.end_at_age) {
            return bad("guardians.end_at_age", "must be between 1 and 25");
        }
        if !(1..=25).contains(&g.limited_from_age) || g.limited_from_age > g.end_at_age {
            return bad(
                "guardians.limited_from_age",
                "must be between 1 and guardians.end_at_age",
            );
        }
        if !(1..=25).contains(&g.self_account_from_age) || g.self_account_from_age > g.end_at_age {
            return bad(
                "guardians.self_account_from_age",
                "must be between 1 and guardians.end_at_age (else a patient would be left with no account at all)",
            );
        }
        if !(1..=4096).contains(&self.database.cache_mib) {
            return bad("database.cache_mib", "must be between 1 and 4096");
        }
        if !(100..=600_000).contains(&self.database.busy_timeout_ms) {
            return bad("database.busy_timeout_ms", "must be between 100 and 600000");
        }
        if !(1..=100_000_000).contains(&self.database.search_budget) {
            return bad("database.search_budget", "must be between 1 and 100000000");
        }
        Ok(())
    }
}

impl Config {
    fn validate_identity_checks(&self) -> std::result::Result<(), Refusal> {
        let refuse = |why: String| Refusal {
            keys: vec!["policy.identity_checks"],
            why,
        };
        let p = &self.policy;
        if p.identity_check_required && p.identity_checks.is_empty() {
            return Err(refuse(
                "is empty while policy.identity_check_required is true; list at least one way of checking".into(),
            ));
        }
        let mut seen: Vec<String> = Vec::new();
        for (i, choice) in p.identity_checks.iter().enumerate() {
            let n = i + 1;
            let cleaned = crate::domain::text::clean_field(&format!("choice {n}"), choice, 80)
                .map_err(refuse)?;
            let folded = crate::domain::identity::fold(&cleaned);
            if seen.contains(&folded) {
                return Err(refuse(format!(
                    "choice {n} (\"{}\") is listed twice",
                    crate::domain::text::printable(&cleaned)
                )));
            }
            seen.push(folded);
        }
        Ok(())
    }
}

impl Config {
    fn validate_notify(&self) -> std::result::Result<(), Refusal> {
        let n = &self.notify;
        let refuse = |key: &'static str, why: String| Refusal {
            keys: vec![key],
            why,
        };
        match (&n.smtp_url, &n.from) {
            (Some(_), None) => {
                return Err(refuse(
                    "notify.smtp_url",
                    "is set but notify.from is not; set both to send notices, or neither".into(),
                ));
            }
            (None, Some(_)) => {
                return Err(refuse(
                    "notify.from",
                    "is set but notify.smtp_url is not; set both to send notices, or neither"
                        .into(),
                ));
            }
            _ => {}
        }
        if let Some(url) = &n.smtp_url {
            crate::notify::Relay::check_url(url, n.smtp_password_file.is_some())
                .map_err(|why| refuse("notify.smtp_url", why))?;
        }
        if let Some(from) = &n.from {
            crate::notify::check_from(from).map_err(|why| refuse("notify.from", why))?;
        }
        if let Some(contact) = &n.contact {
            crate::domain::text::clean_field("the contact", contact, 200)
                .map_err(|why| refuse("notify.contact", why))?;
        }
        if !(1..=120).contains(&n.timeout_seconds) {
            return Err(refuse(
                "notify.timeout_seconds",
                "must be between 1 and 120".into(),
            ));
        }
        if !(1..=3600).contains(&n.retry_after_seconds) {
            return Err(refuse(
                "notify.retry_after_seconds",
                "must be between 1 and 3600 (an hour)".into(),
            ));
        }
        if !(1..=50).contains(&n.max_attempts) {
            return Err(refuse(
                "notify.max_attempts",
                "must be between 1 and 50".into(),
            ));
        }
        Ok(())
    }
}

/// A value refused by [`Config::check`]: the key (or keys, the first named)
/// it concerns and why.
struct Refusal {
    keys: Vec<&'static str>,
    why: String,
}

/// The line of the file on which `key` (`section.name`) is set, if it is.
fn key_line(text: &str, key: &str) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).ok()?;
    let (name, sections) = key
        .split('.')
        .collect::<Vec<_>>()
        .split_last()
        .map(|(n, s)| (*n, s.to_vec()))?;
    let mut table: &DeTable = doc.get_ref();
    for section in sections {
        let (_, value) = table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == section)?;
        match value.get_ref() {
            DeValue::Table(t) => table = t,
            _ => return None,
        }
    }
    let (k, _) = table.iter().find(|(k, _)| k.get_ref().as_ref() == name)?;
    Some(text[..k.span().start.min(text.len())].matches('\n').count() + 1)
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
            // Lower-case, as the sentence it goes into continues.
            let s = e.to_string();
            let s = match s.find(" (os error") {
                Some(i) => &s[..i],
                None => &s,
            };
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_lowercase().chain(c).collect())
                .unwrap_or_default()
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
    fn an_unknown_time_zone_is_refused_at_start_naming_the_key() {
        let msg = Config::from_toml("[ui]\ntime_zone = \"America/Nowhere\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("ui.time_zone") && msg.contains("America/Nowhere"),
            "{msg}"
        );
        let ok = Config::from_toml("[ui]\ntime_zone = \"America/New_York\"\n").unwrap();
        assert_eq!(ok.ui.time_zone.as_deref(), Some("America/New_York"));
    }

    #[test]
    fn temporary_passwords_under_fifty_bits_are_refused() {
        // 14 characters of 10 symbols: 46.5 bits.
        let msg = Config::from_toml("[temporary_password]\nlength = 14\n")
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("temporary_password.length") && msg.contains("46.5 bits"),
            "{msg}"
        );
        // The previous alphabet at its old length still passes (59 bits).
        Config::from_toml(
            "[temporary_password]\nlength = 12\nalphabet = \"ABCDEFGHJKMNPQRSTUVWXYZ23456789\"\n",
        )
        .unwrap();
    }

    #[test]
    fn identity_checks_may_be_optional_and_then_empty() {
        let c =
            Config::from_toml("[policy]\nidentity_check_required = false\nidentity_checks = []\n")
                .unwrap();
        assert!(!c.policy.identity_check_required);
        assert_eq!(Config::default().policy.identity_checks.len(), 3);
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
            ("[ui]\ntime_zone = \"Mars/Olympus\"\n", "ui.time_zone"),
            ("[print]\ncommand = \"  \"\n", "print.command"),
            ("[policy]\nidentity_checks = []\n", "policy.identity_checks"),
            (
                "[policy]\nidentity_checks = [\"by phone\", \"By  Phone\"]\n",
                "policy.identity_checks",
            ),
            (
                "[policy]\nidentity_checks = [\"in person\\u001b[2J\"]\n",
                "policy.identity_checks",
            ),
        ] {
            let msg = Config::from_toml(toml).unwrap_err().to_string();
            assert!(msg.contains(key), "{toml} -> {msg}");
            assert!(msg.contains(": line 2: "), "{toml} -> {msg}");
        }
    }

    #[test]
    fn the_owasp_table_and_its_equivalents() {
        for (t, m) in [
            (1, 47104),
            (2, 19456),
            (3, 12288),
            (4, 9216),
            (5, 7168),
            (9, 7168),
        ] {
            assert_eq!(HashingConfig::owasp_min_memory_kib(t), m, "t={t}");
            let at = HashingConfig {
                memory_kib: m,
                iterations: t,
                ..HashingConfig::default()
            };
            assert!(!at.is_weak(), "m={m} t={t} is the minimum itself");
            let below = HashingConfig {
                memory_kib: m - 1,
                ..at
            };
            assert!(
                below.is_weak() && below.refusal().is_some(),
                "m={} t={t}",
                m - 1
            );
            assert_eq!(below.weak_notice(), None, "refused, not noticed");
            let allowed = HashingConfig {
                allow_weak: true,
                ..below
            };
            assert_eq!(allowed.refusal(), None);
            assert!(allowed.weak_notice().unwrap().contains("WEAK"));
        }
        assert_eq!(HashingConfig::default().weak_notice(), None);
    }

    #[test]
    fn a_weak_setting_is_named_with_its_line_however_it_is_written() {
        for (toml, want) in [
            (
                "# costs\n[hashing]\nparallelism = 1\nmemory_kib = 8\niterations = 1\n",
                "line 4: hashing.memory_kib: 8 KiB with 1 iteration is below the OWASP minimum",
            ),
            (
                "[log]\nlevel = \"info\"\n\n[hashing]\niterations = 1\n",
                "line 5: hashing.iterations: 19456 KiB with 1 iteration",
            ),
            (
                "hashing.memory_kib = 9000\nhashing.iterations = 4\n",
                "line 1: hashing.memory_kib: 9000 KiB with 4 iterations",
            ),
            (
                "\nhashing = { iterations = 3, memory_kib = 12000 }\n",
                "line 2: hashing.memory_kib: 12000 KiB with 3 iterations",
            ),
        ] {
            let msg = Config::from_toml(toml).unwrap_err().to_string();
            assert!(msg.contains(want), "{toml:?} -> {msg}");
            assert!(msg.contains("allow_weak"), "{msg}");
        }
    }

    #[test]
    fn hashing_memory_above_one_gib_is_refused_at_start_naming_the_key() {
        // The tester's 4 GiB, accepted before, failed every reset later.
        for kib in [4_194_304u32, 1_048_577] {
            let toml = format!("[hashing]\nmemory_kib = {kib}\n");
            let msg = Config::from_toml(&toml).unwrap_err().to_string();
            assert!(
                msg.contains("line 2: hashing.memory_kib") && msg.contains("1 GiB"),
                "{kib}: {msg}"
            );
        }
        let at_ceiling = Config::from_toml("[hashing]\nmemory_kib = 1048576\n").unwrap();
        assert_eq!(at_ceiling.hashing.memory_kib, MAX_HASHING_MEMORY_KIB);
    }
}
