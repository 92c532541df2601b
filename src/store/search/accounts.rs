//! Control Panel → Users: portal accounts by parts of their logins.

use super::*;

impl ReadTx {
    /// Portal accounts whose login has a part beginning with each word of
    /// `text` (Control Panel → Users), ordered by the matching part of the
    /// longest word; every account by login when `text` is empty. The
    /// cursor is the last account's part key.
    ///
    /// Reads at most about `budget` index entries, as
    /// [`ReadTx::search_patients`] does (`example net` reads every login
    /// at an `example` domain to find the `.net` ones).
    pub fn search_accounts(
        &self,
        text: &str,
        after: Option<&str>,
        limit: usize,
        budget: u64,
    ) -> Result<Page<PortalAccount>> {
        // A separator before a word (`+kids`, `.garcia`) begins no part:
        // the word after it does, as in the patient lookup.
        let words: Vec<String> = text
            .split_whitespace()
            .map(|w| w.trim_start_matches(['.', '_', '-', '+']))
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        let driver = words
            .iter()
            .max_by(|a, b| a.len().cmp(&b.len()).then(b.cmp(a)))
            .cloned();
        let word = driver.clone().unwrap_or_default();
        let logins = self.shared(IDX_ACCOUNT_EMAIL)?;
        let parts = self.shared(IDX_ACCOUNT_EMAIL_PART)?;
        let accounts = self.shared(ACCOUNTS)?;
        let inner = word.strip_prefix('@').unwrap_or(&word).to_owned();
        let start = |prefix: &str| match after {
            Some(a) if a > prefix => a.to_owned(),
            _ => prefix.to_owned(),
        };
        let mut whole = if word.starts_with('@') {
            None
        } else {
            Some(logins.range::<&str>(start(&word).as_str()..)?.peekable())
        };
        let mut inside = if driver.is_some() {
            Some(parts.range::<&str>(start(&inner).as_str()..)?.peekable())
        } else {
            None
        };
        // A word that begins no part of any login (`net`: the last label of
        // a domain is no part) matches nothing: no need to walk the others.
        let begins_some = |w: &str| -> Result<bool> {
            let inner = w.strip_prefix('@').unwrap_or(w);
            let first = |t: &ReadOnlyTable<&'static str, u64>, from: &str| -> Result<bool> {
                Ok(match t.range::<&str>(from..)?.next().transpose()? {
                    Some((k, _)) => k.value().starts_with(from),
                    None => false,
                })
            };
            Ok(first(&parts, inner)? || (!w.starts_with('@') && first(&logins, w)?))
        };
        for w in &words {
            if !begins_some(w)? {
                return Ok(Page::empty());
            }
        }
        let mut out: Vec<(String, PortalAccount)> = Vec::new();
        let all_match = |email: &str| {
            words
                .iter()
                .all(|w| smallest_matching_part(email, w).is_some())
        };
        // Parts read, the last of them, and whether the budget ran out.
        let mut read = 0u64;
        let mut last: Option<String> = None;
        let mut stopped = false;
        while out.len() <= limit {
            if read >= budget {
                stopped = true;
                break;
            }
            let a = match whole.as_mut().map(|w| w.peek()) {
                Some(Some(Ok((k, _)))) if k.value().starts_with(word.as_str()) => {
                    Some(format!("{}{KEY_SEP}", k.value()))
                }
                Some(Some(Err(_))) => {
                    whole.as_mut().and_then(|w| w.next()).transpose()?;
                    None
                }
                _ => None,
            };
            let b = match inside.as_mut().map(|w| w.peek()) {
                Some(Some(Ok((k, _)))) if k.value().starts_with(inner.as_str()) => {
                    Some(k.value().to_owned())
                }
                Some(Some(Err(_))) => {
                    inside.as_mut().and_then(|w| w.next()).transpose()?;
                    None
                }
                _ => None,
            };
            let (part, id) = match (a, b) {
                (None, None) => break,
                (Some(a), b) if b.as_ref().is_none_or(|b| a < *b) => {
                    let Some((_, v)) = whole.as_mut().and_then(|w| w.next()).transpose()? else {
                        break;
                    };
                    (a, v.value())
                }
                (_, _) => {
                    let Some((k, v)) = inside.as_mut().and_then(|w| w.next()).transpose()? else {
                        break;
                    };
                    (k.value().to_owned(), v.value())
                }
            };
            if after.is_some_and(|a| part.as_str() <= a) {
                continue;
            }
            read += 1;
            last = Some(part.clone());
            let Some((email, at)) = email_of_part_key(&part) else {
                continue;
            };
            if driver.is_some()
                && (!email_part_matches(&email, at, &word)
                    || smallest_matching_part(&email, &word).as_deref() != Some(part.as_str())
                    || !all_match(&email))
            {
                continue;
            }
            let acc = account_in(&*accounts, id)?.ok_or_else(|| {
                Error::Storage(format!("the login {email} names a missing account {id}"))
            })?;
            out.push((part, acc));
        }
        let (next, stopped_early) = if out.len() > limit {
            out.truncate(limit);
            (out.last().map(|(p, _)| p.clone()), false)
        } else if stopped {
            // On from the last part read (at or after the cursor).
            (last.or_else(|| after.map(str::to_owned)), true)
        } else {
            (None, false)
        };
        Ok(Page {
            items: out.into_iter().map(|(_, a)| a).collect(),
            next,
            stopped_early,
        })
    }
}
