//! The portal's vocabulary: patients, portal accounts, operators, the audit
//! trail, and the text rules they share. No storage, no terminal.

pub mod account;
pub mod audit;
pub mod email;
pub mod guardian;
pub mod identity;
pub mod keys;
pub mod notice;
pub mod patient;
pub mod query;
pub mod text;
pub mod written_date;

pub use account::{
    AccountStatus, Operator, PasswordHash, PasswordKind, PortalAccount, PortalSetup, Role,
};
pub use audit::{Action, AuditEvent, ChainReport, NewEvent};
pub use email::Email;
pub use guardian::{Access, AgeRules, GuardianLink, LinkStatus, Relationship, RemovedLink};
pub use notice::{Notice, NoticeState, OutboxStats};
pub use patient::Patient;
pub use query::PatientQuery;
