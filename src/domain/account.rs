//! Portal accounts (the account holder's login) and the operators who use this app.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::email::Email;

/// A PHC-format password hash string (`$argon2id$v=19$m=...`). Its `Debug`
/// shows the algorithm and parameters only, never the salt or hash.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PasswordHash(pub String);

impl PasswordHash {
    /// `argon2id m=19456,t=2,p=1`: what `account show --json` reports.
    pub fn describe(&self) -> String {
        let mut parts = self.0.split('$').filter(|p| !p.is_empty());
        let alg = parts.next().unwrap_or("?");
        let params = parts.find(|p| p.starts_with("m=")).unwrap_or("?");
        format!("{alg} {params}")
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PasswordHash({})", self.describe())
    }
}

/// What kind of password the account holds now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordKind {
    /// Made by Create/Validate; typed without dashes and case-insensitively.
    Temporary,
    /// Set by an administrator in the Control Panel.
    AdminSet,
    /// Chosen by the account holder.
    Chosen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    Locked,
    Disabled,
}

impl AccountStatus {
    /// Status in words, never only in colour.
    pub fn label(self) -> &'static str {
        match self {
            AccountStatus::Active => "ACTIVE",
            AccountStatus::Locked => "LOCKED",
            AccountStatus::Disabled => "DISABLED",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalAccount {
    pub id: u64,
    /// Login email (the username), unique, lower case.
    pub email: Email,
    /// Account numbers of the patients on this account (siblings share one).
    pub patients: Vec<String>,
    pub password_hash: PasswordHash,
    pub password_kind: PasswordKind,
    pub reset_required: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub temp_expires_at: Option<OffsetDateTime>,
    pub disabled: bool,
    pub failed_count: u32,
    #[serde(with = "time::serde::rfc3339::option")]
    pub locked_until: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_sign_in: Option<OffsetDateTime>,
    /// Previous chosen passwords' hashes, newest first (only with `policy.history` > 0).
    #[serde(default)]
    pub password_history: Vec<PasswordHash>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Bumped by every change of credentials or administrative state
    /// (password, reset flag, disabled, linked patients) — not by sign-in
    /// bookkeeping. A change decided on an older version is refused.
    pub version: u64,
}

impl PortalAccount {
    pub fn status(&self, now: OffsetDateTime) -> AccountStatus {
        if self.disabled {
            AccountStatus::Disabled
        } else if self.locked_until.is_some_and(|t| t > now) {
            AccountStatus::Locked
        } else {
            AccountStatus::Active
        }
    }

    pub fn temp_expired(&self, now: OffsetDateTime) -> bool {
        self.reset_required
            && self.password_kind == PasswordKind::Temporary
            && self.temp_expires_at.is_some_and(|t| t <= now)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Staff,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "staff" => Ok(Role::Staff),
            "admin" => Ok(Role::Admin),
            other => Err(format!(
                "role must be staff or admin, not \"{}\"",
                super::text::printable(other)
            )),
        }
    }
}

/// A person who uses this app (front-desk staff or a portal administrator).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    pub username: String,
    pub role: Role,
    pub password_hash: PasswordHash,
    pub failed_count: u32,
    #[serde(with = "time::serde::rfc3339::option")]
    pub locked_until: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_sign_in: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub version: u64,
    /// An administrator disabled this operator: no sign-in until enabled.
    #[serde(default)]
    pub disabled: bool,
    /// An administrator removed this operator. The record stays, so the
    /// name (which the audit trail uses) is never given to someone else.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub removed_at: Option<OffsetDateTime>,
    /// An administrator set this password: the operator must choose their
    /// own at the next sign-in.
    #[serde(default)]
    pub must_change_password: bool,
    /// Raised by every disable, removal, password reset and password
    /// change: a session that began under an earlier value has ended
    /// ([`crate::Portal::session_check`]). Records written before it read as 0.
    #[serde(default)]
    pub session_epoch: u64,
}

impl Operator {
    /// A new operator with this password hash.
    pub fn new(
        username: String,
        role: Role,
        password_hash: PasswordHash,
        now: OffsetDateTime,
    ) -> Operator {
        Operator {
            username,
            role,
            password_hash,
            failed_count: 0,
            locked_until: None,
            last_sign_in: None,
            created_at: now,
            version: 1,
            disabled: false,
            removed_at: None,
            must_change_password: false,
            session_epoch: 0,
        }
    }

    pub fn is_removed(&self) -> bool {
        self.removed_at.is_some()
    }

    /// Can sign in and act: neither disabled nor removed.
    pub fn is_active(&self) -> bool {
        !self.disabled && !self.is_removed()
    }

    pub fn is_locked(&self, now: OffsetDateTime) -> bool {
        self.locked_until.is_some_and(|t| t > now)
    }
}

/// Operator names: 1 to 32 of a-z, 0-9, `.`, `_`, `-`; kept in lower case.
pub fn parse_operator_name(s: &str) -> Result<String, String> {
    let s = s.trim().to_ascii_lowercase();
    if s.is_empty() || s.len() > 32 {
        return Err("an operator name must be 1 to 32 characters".into());
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c))
    {
        return Err(format!(
            "operator name \"{}\" may only hold letters, digits, '.', '_' and '-'",
            super::text::printable(&s)
        ));
    }
    Ok(s)
}

/// The OP Patient Portal e-correspondent setup of the practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalSetup {
    /// Where account holders sign in (shown on the temporary login).
    pub sign_in_url: String,
    pub practice_id: String,
    /// Used to reject passwords built from the practice's own name.
    #[serde(default)]
    pub practice_name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_debug_hides_salt_and_output() {
        let h = PasswordHash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo".into());
        let shown = format!("{h:?}");
        assert_eq!(shown, "PasswordHash(argon2id m=19456,t=2,p=1)");
    }

    #[test]
    fn operator_names() {
        assert_eq!(
            parse_operator_name(" Front.Desk-1 ").unwrap(),
            "front.desk-1"
        );
        assert!(parse_operator_name("a b").is_err());
        assert!(parse_operator_name("").is_err());
    }
}
