//! Reading and verifying the audit trail.

use super::Portal;
use crate::domain::audit::ChainVerifier;
use crate::domain::{AuditEvent, ChainReport};
use crate::error::Result;

impl Portal {
    /// Events after `after` (a sequence number), oldest first.
    pub fn audit_list(&self, after: u64, limit: usize) -> Result<Vec<AuditEvent>> {
        self.store.read()?.audit_events(after, limit)
    }

    /// Walks the whole chain: every event must follow the one before it,
    /// hash for hash, and the chain must end where the database says it does.
    pub fn audit_verify(&self) -> Result<ChainReport> {
        let read = self.store.read()?;
        let head = read.audit_head_recorded()?;
        let mut verifier = ChainVerifier::default();
        read.audit_walk(|ev| verifier.feed(ev))?;
        Ok(verifier.finish(head))
    }
}
