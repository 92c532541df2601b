//! The services: everything the full-screen app and the CLI can do, as
//! library calls that know nothing of terminals. Both clients call exactly
//! these; role checks live here, not in the clients.
//!
//! Slow work (argon2) always runs before a write transaction begins; the
//! transaction then re-reads what it changes and refuses the change with
//! [`Error::Conflict`] when someone else changed it in the meantime.

mod admin;
mod audit;
mod control_panel;
mod create_validate;
mod demo;
mod guardians;
mod history;
mod import;
mod lookup;
mod notify;
mod operators;
mod signin;

use std::path::Path;
use std::sync::Arc;

use time::{Duration, OffsetDateTime};

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::{Action, Email, NewEvent, PortalAccount, PortalSetup, Role};
use crate::error::{Error, Input, Missing, Result};
use crate::password::{Hasher, PasswordPolicy};
use crate::present::LocalTime;
use crate::store::{Store, StoreOptions};

pub use control_panel::AccountChange;
pub use create_validate::{
    CreateValidate, CreateValidateOutcome, CreateValidatePlan, IdentityChecks, Linked,
    PlannedChange, TemporaryLogin,
};
pub use demo::{DEMO_ADMIN, DEMO_STAFF, DemoSummary};
pub use guardians::{
    AddGuardian, ExpectedAccount, GuardianAdded, GuardianPlan, GuardianRemoved, GuardianView,
    LoginChangePlan, LoginChanged, guardians_sentence,
};
pub use history::{AccountDetails, HISTORY_MAX};
pub use import::{ImportOptions, ImportProgress, ImportReport, RowError};
pub use lookup::{AccountView, PatientView};
pub use notify::{Delivery, NoticeAttempt, NoticeLine, NotifyStatus, SendReport, backoff};
pub use operators::OperatorChange;
pub use signin::SignIn;

/// Who is acting: a signed-in operator, or the database file's owner at the
/// command line (`local:USER`, the user of the process's real uid). The
/// file's owner may only create a database, seed a demo and add the first
/// administrator; everything else needs an operator's sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    name: String,
    role: Role,
    local: bool,
    /// The operator's `session_epoch` when they signed in.
    epoch: u64,
}

impl Session {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// How this actor appears in the audit trail.
    pub fn actor(&self) -> String {
        if self.local {
            format!("local:{}", self.name)
        } else {
            format!("operator:{}", self.name)
        }
    }

    /// The role check alone, on the session as it was signed in (for
    /// questions; changes use [`Portal::authorize`], which also audits).
    fn require_admin(&self, what: &'static str) -> Result<()> {
        if self.local {
            Err(Error::NotSignedIn { what })
        } else if self.is_admin() {
            Ok(())
        } else {
            Err(Error::AdminOnly {
                what,
                operator: self.name.clone(),
            })
        }
    }
}

/// Why the operator's session `s` has ended, if it has (see
/// [`Portal::session_check`]).
fn session_refusal(s: &Session, op: &crate::domain::Operator) -> Option<Error> {
    let name = s.name.clone();
    if !op.is_active() {
        Some(Error::OperatorRevoked { name })
    } else if op.session_epoch != s.epoch {
        Some(Error::SessionEnded { name })
    } else {
        None
    }
}

/// The practice as the clients show it (title bar, `demo`, checks before
/// the app starts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Practice {
    /// A demo database (`portal-admin demo`): synthetic data only.
    pub demo: bool,
    /// The portal e-correspondent, once set up.
    pub setup: Option<PortalSetup>,
    pub patients: u64,
    pub accounts: u64,
    pub operators: u64,
    pub audit_events: u64,
}

/// The account holder, as the audit trail names them.
pub const HOLDER_ACTOR: &str = "account-holder";

pub struct Portal {
    store: Store,
    config: Config,
    clock: Arc<dyn Clock>,
    hasher: Hasher,
    policy: PasswordPolicy,
    /// The practice's clock face (`ui.time_zone`), for times inside
    /// sentences the services write (an operator's lockout).
    local: LocalTime,
}

impl std::fmt::Debug for Portal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Portal")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl Portal {
    /// Opens an existing database.
    pub fn open(path: &Path, config: Config, clock: Arc<dyn Clock>) -> Result<Portal> {
        let store = Store::open_upgrading(
            path,
            &StoreOptions::from_config(&config.database),
            clock.now(),
            &Self::file_owner().actor(),
        )?;
        Self::with_store(store, config, clock)
    }

    /// Creates a new, empty database (`init`).
    pub fn create(path: &Path, config: Config, clock: Arc<dyn Clock>) -> Result<Portal> {
        let actor = Self::file_owner().actor();
        let store = Store::create(
            path,
            &StoreOptions::from_config(&config.database),
            clock.now(),
            &actor,
        )?;
        Self::with_store(store, config, clock)
    }

    fn with_store(store: Store, config: Config, clock: Arc<dyn Clock>) -> Result<Portal> {
        config.validate()?;
        let hasher = Hasher::new(&config.hashing)?;
        let policy = PasswordPolicy::new(&config.policy);
        let local = LocalTime::new(&config.ui)?;
        Ok(Portal {
            store,
            config,
            clock,
            hasher,
            policy,
            local,
        })
    }

    /// The database file's owner at the command line: `local:NAME`, NAME
    /// being the user of the process's real uid (from the passwd file, via
    /// the `nix` crate; never from `$USER`, which anyone can set).
    pub fn file_owner() -> Session {
        let uid = nix::unistd::getuid();
        let name = match nix::unistd::User::from_uid(uid) {
            Ok(Some(user)) => user
                .name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || "._-".contains(*c))
                .take(32)
                .collect(),
            _ => String::new(),
        };
        Session {
            name: if name.is_empty() {
                format!("uid{uid}")
            } else {
                name
            },
            role: Role::Admin,
            local: true,
            epoch: 0,
        }
    }

    /// Checks, before a change, that `s` is an operator who is still active
    /// (not disabled or removed since signing in) and, for `Role::Admin`,
    /// an administrator. A refusal is written to the audit trail in its own
    /// transaction (`action` on `target`, outcome `failure: ...`).
    fn authorize(
        &self,
        s: &Session,
        need: Role,
        what: &'static str,
        action: Action,
        target: &str,
    ) -> Result<()> {
        let refusal = if s.local {
            Some(Error::NotSignedIn { what })
        } else {
            match self.store.read()?.operator(&s.name)? {
                Some(op) => session_refusal(s, &op).or_else(|| {
                    (need == Role::Admin && op.role != Role::Admin).then(|| Error::AdminOnly {
                        what,
                        operator: s.name.clone(),
                    })
                }),
                None => Some(Error::OperatorRevoked {
                    name: s.name.clone(),
                }),
            }
        };
        let Some(e) = refusal else {
            return Ok(());
        };
        self.store.write(self.now(), |tx| {
            tx.audit(NewEvent::failure(
                &s.actor(),
                action,
                crate::domain::text::printable(target),
                &e.to_string(),
            ))
        })?;
        tracing::warn!(operator = s.name(), action = action.as_str(), "refused");
        Err(e)
    }

    /// Whether the session `s` may still read and act: `Err` when its
    /// operator was disabled or removed ([`Error::OperatorRevoked`]), or
    /// since it began was disabled and enabled again, had their password
    /// reset by an administrator or changed it themselves
    /// ([`Error::SessionEnded`]). A lockout by someone else's failed
    /// sign-ins does not end it (the session proved the password). One read
    /// of the operator's record, no write and no audit event: cheap enough
    /// for the app to call before every screen of patient data. The file's
    /// owner at the command line has no record and always passes (what it
    /// may do is checked per action).
    pub fn session_check(&self, s: &Session) -> Result<()> {
        if s.local {
            return Ok(());
        }
        match self.store.read()?.operator(&s.name)? {
            Some(op) => session_refusal(s, &op).map_or(Ok(()), Err),
            None => Err(Error::OperatorRevoked {
                name: s.name.clone(),
            }),
        }
    }

    /// The practice's time zone (`ui.time_zone`, else the system's).
    pub fn local_time(&self) -> &LocalTime {
        &self.local
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// What the clients show about the practice: the demo flag, the portal
    /// e-correspondent, counts.
    pub fn practice(&self) -> Result<Practice> {
        let read = self.store.read()?;
        let counts = read.counts()?;
        Ok(Practice {
            demo: read.is_demo()?,
            setup: read.portal_setup()?,
            patients: counts.patients,
            accounts: counts.accounts,
            operators: counts.operators,
            audit_events: counts.audit_events,
        })
    }

    /// Ends the shared read snapshot: the next read sees every commit made
    /// so far, by any process (Ctrl-R; a client's own commits do this already).
    pub fn refresh(&self) {
        self.store.refresh();
    }

    pub fn hasher(&self) -> &Hasher {
        &self.hasher
    }

    /// Set when password hashing runs below the OWASP minimum (only with
    /// `hashing.allow_weak = true`, for tests): clients must show it — the
    /// app in its title bar, the CLI on standard error.
    pub fn weak_hashing_notice(&self) -> Option<String> {
        self.config.hashing.weak_notice()
    }

    /// What was found wrong with the database file's mode or owner when it
    /// was opened (a world-writable file is refused instead); clients show
    /// these sentences as warnings.
    pub fn file_warnings(&self) -> &[String] {
        self.store.warnings()
    }

    /// The upgrade this process made when it opened the file (a copy of
    /// the file as it was kept beside it), for the clients to say.
    pub fn upgraded(&self) -> Option<&crate::store::Upgrade> {
        self.store.upgraded()
    }

    /// The index this process rebuilt when it opened the file, because an
    /// older portal-admin still running had written to it since its upgrade.
    pub fn rebuilt(&self) -> Option<&crate::store::Rebuild> {
        self.store.rebuilt()
    }

    /// What opening the file did that people must hear of, one sentence
    /// each (the CLI prints them on standard error, the app on its first
    /// screen): an upgrade, a rebuild after an older portal-admin's writes.
    pub fn open_notices(&self) -> Vec<String> {
        let upgraded = self.upgraded().map(ToString::to_string);
        let rebuilt = self.rebuilt().map(ToString::to_string);
        upgraded.into_iter().chain(rebuilt).collect()
    }

    /// What this process rebuilt while it had the file open (an older
    /// portal-admin wrote to it since: see `Store::repair_if_stale`), said
    /// once: the app shows it to the person at the desk.
    pub fn take_repair_notice(&self) -> Option<String> {
        self.store.take_repaired().map(|r| r.to_string())
    }

    fn temp_ttl(&self) -> Duration {
        Duration::hours(i64::from(self.config.temporary_password.ttl_hours))
    }

    fn lock_duration(&self) -> Duration {
        Duration::minutes(i64::from(self.config.lockout.minutes))
    }

    /// The words of an account that a password must not be built from.
    fn user_inputs(
        &self,
        account: Option<&PortalAccount>,
        email: Option<&Email>,
    ) -> Result<Vec<String>> {
        let mut words = Vec::new();
        if let Some(e) = email.or(account.map(|a| &a.email)) {
            words.push(e.as_str().to_owned());
        }
        let read = self.store.read()?;
        if let Some(acc) = account {
            for no in &acc.patients {
                if let Some(p) = read.patient(no)? {
                    words.push(p.last_name);
                    words.push(p.first_name);
                }
            }
        }
        if let Some(setup) = read.portal_setup()? {
            words.push(setup.practice_id);
            words.extend(setup.practice_name);
        }
        Ok(words)
    }

    fn find_account(&self, email_text: &str) -> Result<PortalAccount> {
        let email = Email::parse(email_text).map_err(Error::invalid(Input::Email))?;
        let found = self.store.read()?.account_by_email(&email)?;
        found.ok_or_else(|| Missing::Account { email }.into())
    }
}

/// An account number as typed by a client.
fn parse_patient(text: &str) -> Result<String> {
    crate::domain::patient::parse_account_number(text).map_err(Error::invalid(Input::Patient))
}

/// The version a change is decided on: the caller's, which must still be
/// current, or the one just read.
fn check_version(acc: &PortalAccount, expected: Option<u64>) -> Result<u64> {
    match expected {
        Some(v) if v != acc.version => {
            Err(Error::Conflict(format!("the portal account {}", acc.email)))
        }
        Some(v) => Ok(v),
        None => Ok(acc.version),
    }
}

/// Re-reads an account inside the write transaction and refuses if it
/// changed since `observed`.
fn reread(tx: &crate::store::WriteTx, id: u64, observed: u64) -> Result<PortalAccount> {
    let acc = tx
        .account(id)?
        .ok_or_else(|| Error::Conflict(format!("portal account {id}")))?;
    if acc.version != observed {
        return Err(Error::Conflict(format!("the portal account {}", acc.email)));
    }
    Ok(acc)
}

fn bump(acc: &mut PortalAccount, now: OffsetDateTime) {
    acc.version += 1;
    acc.updated_at = now;
}

fn account_target(acc: &PortalAccount) -> String {
    format!("account {} <{}>", acc.id, acc.email)
}
