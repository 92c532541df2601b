//! Patients on their way into the database, encoded compactly: a million
//! take about 100 MB here (as `Patient` values they would take 250), with
//! their search keys computed once — by whichever thread fills the batch.

use rayon::prelude::*;

use super::tables::{PatientKeys, get_varint, put_varint, row_head_jd, row_tail};
use crate::domain::Patient;
#[cfg(test)]
use time::Date;

/// Patients to write in one go ([`super::WriteTx::put_batch`]).
///
/// The bytes live in chunks that are never moved or copied once written
/// (a growing single buffer would briefly need twice its size): a batch
/// filled by another thread is appended as chunks of its own.
#[derive(Debug, Default, Clone)]
pub struct PatientBatch {
    chunks: Vec<Vec<u8>>,
    /// Per record: its chunk and where it ends there (it starts where the
    /// record before it ends, or at 0 when that one is in another chunk).
    ends: Vec<(u32, u32)>,
    /// The records in account-number order, once asked for.
    order: std::sync::OnceLock<Vec<u32>>,
}

/// Each record begins with a fixed header, so that reading one (a dozen
/// times per record in a batch write) needs next to no parsing: the lengths
/// of the account number and the email (u8), of the name key, tokens and row
/// tail (u16), and the date of birth (i32, Julian day), little-endian; then
/// the portal account id (LEB128) and the fields.
const HEADER: usize = 2 + 3 * 2 + 4;

/// A chunk is closed at this size and a new one begun.
const CHUNK_BYTES: usize = 1 << 20;

/// One patient of a batch, read in place. Text is kept as bytes until it
/// is asked for (the batch wrote it from `&str`, so it is UTF-8).
#[derive(Debug, Clone, Copy)]
pub(super) struct Rec<'a> {
    account: &'a [u8],
    name_key: &'a [u8],
    tokens: &'a [u8],
    pub date_of_birth: i32,
    /// The portal account to link, if the batch says (0: keep what is stored).
    pub account_id: u64,
    /// Last name, first name and email, as a row stores them.
    pub tail: &'a [u8],
    /// Where the email begins in `tail`.
    email_at: usize,
    email: &'a [u8],
}

fn text(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap_or("")
}

impl<'a> Rec<'a> {
    pub fn account(&self) -> &'a str {
        text(self.account)
    }

    #[cfg(test)]
    pub fn name_key(&self) -> &'a str {
        text(self.name_key)
    }

    pub fn name_key_bytes(&self) -> &'a [u8] {
        self.name_key
    }

    pub fn email(&self) -> Option<&'a str> {
        (!self.email.is_empty()).then(|| text(self.email))
    }

    pub fn email_bytes(&self) -> Option<&'a [u8]> {
        (!self.email.is_empty()).then_some(self.email)
    }

    #[cfg(test)]
    pub fn date_of_birth(&self) -> Date {
        Date::from_julian_day(self.date_of_birth).unwrap_or(Date::MIN)
    }

    pub fn tokens(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let b = self.tokens;
        let mut pos = 0;
        std::iter::from_fn(move || take_bytes(b, &mut pos))
    }

    /// The row to store, with the given portal account id.
    pub fn row(&self, account_id: Option<u64>, out: &mut Vec<u8>) {
        out.clear();
        row_head_jd(self.date_of_birth, account_id, out);
        out.extend_from_slice(self.tail);
    }

    /// The row without its email, for the email index (whose key holds it).
    pub fn row_without_email(&self, account_id: Option<u64>, out: &mut Vec<u8>) {
        out.clear();
        row_head_jd(self.date_of_birth, account_id, out);
        out.extend_from_slice(&self.tail[..self.email_at]);
        out.push(0);
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn take_bytes<'a>(b: &'a [u8], pos: &mut usize) -> Option<&'a [u8]> {
    if *pos >= b.len() {
        return None;
    }
    let n = usize::try_from(get_varint(b, pos)?).ok()?;
    let s = b.get(*pos..*pos + n)?;
    *pos += n;
    Some(s)
}

impl PatientBatch {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Adds a patient; `account_id` links it to a portal account (`None`
    /// keeps the link already stored, if any). Refuses names or an email
    /// too long to have been checked (fields are limited well below).
    pub fn push(&mut self, p: &Patient, account_id: Option<u64>) -> crate::error::Result<()> {
        let keys = PatientKeys::of(p);
        let email = p.email.as_ref().map_or("", |e| e.as_str());
        let mut tokens = Vec::new();
        for t in &keys.tokens {
            put_str(&mut tokens, t);
        }
        let mut tail = Vec::with_capacity(p.last_name.len() + p.first_name.len() + email.len() + 6);
        row_tail(&p.last_name, &p.first_name, email, &mut tail);
        let too_long = || crate::error::Error::Invalid {
            input: crate::error::Input::Patient,
            problem: format!(
                "patient {}: a name or the email is too long to store",
                crate::domain::text::printable(&p.account_number)
            ),
        };
        let byte = |n: usize| u8::try_from(n).map_err(|_| too_long());
        let short = |n: usize| u16::try_from(n).map_err(|_| too_long());
        let mut header = [0u8; HEADER];
        header[0] = byte(p.account_number.len())?;
        header[1] = byte(email.len())?;
        header[2..4].copy_from_slice(&short(keys.name.len())?.to_le_bytes());
        header[4..6].copy_from_slice(&short(tokens.len())?.to_le_bytes());
        header[6..8].copy_from_slice(&short(tail.len())?.to_le_bytes());
        header[8..12].copy_from_slice(&p.date_of_birth.to_julian_day().to_le_bytes());
        let mut id = Vec::with_capacity(4);
        put_varint(&mut id, account_id.unwrap_or(0));
        let lens = [
            p.account_number.len(),
            keys.name.len(),
            tokens.len(),
            tail.len(),
        ];
        let size = HEADER + id.len() + lens.iter().sum::<usize>();
        if self
            .chunks
            .last()
            .is_none_or(|c| c.len() + size > CHUNK_BYTES)
        {
            self.chunks.push(Vec::with_capacity((64 << 10).max(size)));
        }
        let chunk = self.chunks.len() - 1;
        let d = &mut self.chunks[chunk];
        d.extend_from_slice(&header);
        d.extend_from_slice(&id);
        d.extend_from_slice(p.account_number.as_bytes());
        d.extend_from_slice(keys.name.as_bytes());
        d.extend_from_slice(&tokens);
        d.extend_from_slice(&tail);
        let end = d.len() as u32;
        self.ends.push((chunk as u32, end));
        self.order.take();
        Ok(())
    }

    /// The records in account-number order (sorted once, then kept).
    pub fn by_account_number(&self) -> &[u32] {
        self.order.get_or_init(|| {
            let accounts: Vec<&str> = (0..self.len()).map(|i| self.account_number(i)).collect();
            let mut order: Vec<u32> = (0..self.len() as u32).collect();
            order.par_sort_unstable_by(|&a, &b| {
                accounts[a as usize]
                    .cmp(accounts[b as usize])
                    .then(a.cmp(&b))
            });
            order
        })
    }

    /// Appends another batch (filled by another thread) after this one,
    /// taking its chunks as they are.
    pub fn append(&mut self, other: PatientBatch) {
        let base = self.chunks.len() as u32;
        self.chunks.extend(other.chunks.into_iter().map(|mut c| {
            c.shrink_to_fit();
            c
        }));
        self.ends
            .extend(other.ends.iter().map(|&(c, e)| (c + base, e)));
        self.order.take();
    }

    fn bytes(&self, i: usize) -> &[u8] {
        let (chunk, end) = self.ends[i];
        let start = match i.checked_sub(1).map(|j| self.ends[j]) {
            Some((c, e)) if c == chunk => e,
            _ => 0,
        };
        &self.chunks[chunk as usize][start as usize..end as usize]
    }

    pub fn account_number(&self, i: usize) -> &str {
        let b = self.bytes(i);
        let mut pos = HEADER;
        if b.len() < HEADER || get_varint(b, &mut pos).is_none() {
            return "";
        }
        b.get(pos..pos + b[0] as usize).map_or("", text)
    }

    /// The e-correspondent email of record `i`, if it has one.
    pub fn email(&self, i: usize) -> Option<&str> {
        self.rec(i).email()
    }

    pub(super) fn rec(&self, i: usize) -> Rec<'_> {
        let b = self.bytes(i);
        // The batch wrote these bytes itself: they always parse.
        parse(b).unwrap_or(Rec {
            account: &[],
            name_key: &[],
            tokens: &[],
            date_of_birth: 0,
            account_id: 0,
            tail: &[],
            email_at: 0,
            email: &[],
        })
    }
}

fn parse(b: &[u8]) -> Option<Rec<'_>> {
    let h = b.get(..HEADER)?;
    let short = |i: usize| u16::from_le_bytes([h[i], h[i + 1]]) as usize;
    let (account_len, email_len) = (h[0] as usize, h[1] as usize);
    let (name_len, tokens_len, tail_len) = (short(2), short(4), short(6));
    let date_of_birth = i32::from_le_bytes(h[8..12].try_into().ok()?);
    let mut pos = HEADER;
    let account_id = get_varint(b, &mut pos)?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let s = b.get(pos..pos + n)?;
        pos += n;
        Some(s)
    };
    let account = take(account_len)?;
    let name_key = take(name_len)?;
    let tokens = take(tokens_len)?;
    let tail = take(tail_len)?;
    let email_at = tail_len.checked_sub(email_len + varint_len(email_len))?;
    let email = tail.get(tail_len - email_len..)?;
    Some(Rec {
        account,
        name_key,
        tokens,
        date_of_birth,
        account_id,
        tail,
        email_at,
        email,
    })
}

/// Bytes of the LEB128 form of `n`.
fn varint_len(n: usize) -> usize {
    let mut len = 1;
    let mut n = n >> 7;
    while n > 0 {
        len += 1;
        n >>= 7;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Email;
    use time::macros::date;

    #[test]
    fn records_read_back_as_written() {
        let p = Patient {
            account_number: "A-1".into(),
            last_name: "van der Berg".into(),
            first_name: "Zoë Anne".into(),
            date_of_birth: date!(2020 - 02 - 29),
            email: Some(Email::parse("x.y@example.org").unwrap()),
        };
        let mut b = PatientBatch::new();
        b.push(&p, Some(7)).unwrap();
        let mut q = p.clone();
        q.email = None;
        q.account_number = "A-2".into();
        let mut other = PatientBatch::new();
        other.push(&q, None).unwrap();
        b.append(other);
        let r = b.rec(0);
        assert_eq!(r.account(), "A-1");
        assert_eq!(r.name_key(), "vanderberg zoeanne A-1");
        assert_eq!(
            r.tokens().collect::<Vec<_>>(),
            [b"anne".as_slice(), b"berg", b"der", b"zoeanne"]
        );
        assert_eq!(r.account_id, 7);
        assert_eq!(r.email(), Some("x.y@example.org"));
        assert_eq!(r.date_of_birth(), p.date_of_birth);
        let mut row = Vec::new();
        r.row(Some(7), &mut row);
        let back = super::super::tables::RowRef::parse(&row).unwrap();
        assert_eq!(back.patient("A-1").unwrap(), p);
        r.row_without_email(Some(7), &mut row);
        let back = super::super::tables::RowRef::parse(&row).unwrap();
        assert_eq!((back.email, back.account_id), (None, Some(7)));
        assert_eq!(back.first_name, "Zoë Anne");
        let r2 = b.rec(1);
        assert_eq!((r2.account(), r2.email(), r2.account_id), ("A-2", None, 0));
    }
}
