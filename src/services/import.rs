//! Importing patients from a CSV file: all rows or none. Every bad row is
//! reported with its line number and reason; re-importing updates patients
//! by account number.

use std::io::Read;

use rayon::prelude::*;
use serde::Serialize;

use super::{Portal, Session};
use crate::domain::patient::{AUDIT_NAMED_PATIENTS, audit_patients_phrase};
use crate::domain::text::printable;
use crate::domain::{Action, NewEvent, Patient};
use crate::error::{Error, Result};
use crate::store::{ForeignLogin, PatientBatch};

pub const HEADER: [&str; 5] = [
    "account_number",
    "last_name",
    "first_name",
    "date_of_birth",
    "email",
];

/// Most bad rows reported in one run; the count of the rest is given.
pub const MAX_REPORTED_ERRORS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Bad rows (at most [`MAX_REPORTED_ERRORS`]); any makes the import refused.
    pub errors: Vec<RowError>,
    pub more_errors: u64,
    /// Rows imported (or that would be) with a caution: a patient's
    /// e-correspondent email, new to them, that is the login of a portal
    /// account not holding them (at most [`MAX_REPORTED_ERRORS`], unless
    /// [`ImportOptions::all_warnings`]).
    pub warnings: Vec<RowError>,
    pub more_warnings: u64,
    /// True when the rows were written (not a dry run, no errors).
    pub applied: bool,
}

/// How an import runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Check every row and say what would change, writing nothing.
    pub dry_run: bool,
    /// Keep every warning in the report, not the first
    /// [`MAX_REPORTED_ERRORS`] (`import --all-warnings`): the full list of
    /// warned rows, which the audit event names only the first
    /// [`AUDIT_NAMED_PATIENTS`] of.
    pub all_warnings: bool,
}

/// Told how far an import has come, for a progress bar.
pub trait ImportProgress {
    /// Reading and checking: `done` of `total` bytes.
    fn reading(&mut self, _done: u64, _total: u64) {}
    /// Writing: `done` of `total` rows.
    fn writing(&mut self, _done: u64, _total: u64) {}
}

impl ImportProgress for () {}

/// Rows read before they are checked, on every core at once.
const CHUNK: usize = 16_384;

/// One row as read: its line and its fields (still bytes).
type RawRow = (u64, csv::ByteRecord);

/// A chunk of rows after checking: the patients in order, their lines, and
/// the bad rows.
struct Checked {
    batch: PatientBatch,
    lines: Vec<u64>,
    errors: Vec<RowError>,
}

impl Portal {
    /// Imports the patients of the CSV `input` (named `source` in
    /// messages), or with `dry_run` says what it would change; the first
    /// [`MAX_REPORTED_ERRORS`] warnings are kept. See
    /// [`Portal::import_patients_with`].
    pub fn import_patients(
        &self,
        s: &Session,
        source: &str,
        input: impl Read,
        total_bytes: u64,
        dry_run: bool,
        progress: &mut dyn ImportProgress,
    ) -> Result<ImportReport> {
        let options = ImportOptions {
            dry_run,
            ..ImportOptions::default()
        };
        self.import_patients_with(s, source, input, total_bytes, options, progress)
    }

    /// Imports the patients of the CSV `input`: all rows or none, every bad
    /// row reported with its line; rows that give a patient another
    /// account's login as e-correspondent email are imported and warned
    /// of, and the audit event names them (the first
    /// [`AUDIT_NAMED_PATIENTS`], then how many more).
    pub fn import_patients_with(
        &self,
        s: &Session,
        source: &str,
        input: impl Read,
        total_bytes: u64,
        options: ImportOptions,
        progress: &mut dyn ImportProgress,
    ) -> Result<ImportReport> {
        let ImportOptions {
            dry_run,
            all_warnings,
        } = options;
        let warnings_kept = if all_warnings {
            usize::MAX
        } else {
            MAX_REPORTED_ERRORS
        };
        self.authorize(
            s,
            crate::domain::Role::Admin,
            "importing patients",
            Action::PatientsImported,
            &format!("patients from {source}"),
        )?;
        let today = self.now().date();
        let mut report = ImportReport::default();
        let mut errors: Vec<RowError> = Vec::new();
        let mut error_count = 0u64;
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(LineFinder::new(input));
        let mut batch = PatientBatch::new();
        let mut lines: Vec<u64> = Vec::new();
        let mut chunk: Vec<RawRow> = Vec::with_capacity(CHUNK);
        let mut first = true;
        let mut record = csv::ByteRecord::new();
        let mut more = true;
        while more {
            let start = rdr.position().clone();
            let read = rdr.read_byte_record(&mut record);
            let line = rdr.get_mut().line_at(start.byte(), start.line());
            let end = rdr.position().byte();
            rdr.get_mut().forget_before(end);
            match read {
                Ok(false) => more = false,
                Ok(true) => {
                    if first {
                        first = false;
                        check_header(source, line, &record)?;
                    } else {
                        report.rows += 1;
                        chunk.push((line, std::mem::take(&mut record)));
                    }
                }
                Err(e) => {
                    error_count += 1;
                    keep(
                        &mut errors,
                        RowError {
                            line,
                            message: format!(
                                "the file cannot be read as CSV here ({})",
                                csv_reason(&e)
                            ),
                        },
                    );
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        more = false;
                    }
                }
            }
            if chunk.len() == CHUNK || (!more && !chunk.is_empty()) {
                progress.reading(rdr.position().byte(), total_bytes);
                let rows = std::mem::take(&mut chunk);
                let checked: Vec<Checked> = rows
                    .par_chunks(1024)
                    .map(|rows| check_rows(rows, today))
                    .collect();
                for c in checked {
                    error_count += c.errors.len() as u64;
                    for e in c.errors {
                        keep(&mut errors, e);
                    }
                    batch.append(c.batch);
                    lines.extend(c.lines);
                }
                chunk = rows_buffer(CHUNK);
            }
        }
        progress.reading(total_bytes, total_bytes);
        if first {
            return Err(Error::ImportRejected(format!(
                "{source} is empty: it needs the header {}",
                HEADER.join(",")
            )));
        }
        // An account number twice in the file: both lines are named.
        let mut twice = duplicates(&batch, &lines);
        error_count += twice.len() as u64;
        twice.sort_unstable();
        for (line, first_line, account) in twice.into_iter().take(MAX_REPORTED_ERRORS) {
            errors.push(RowError {
                line,
                message: format!("account_number {account} is also on line {first_line}"),
            });
        }
        if error_count > 0 {
            errors.sort_by_key(|e| e.line);
            errors.truncate(MAX_REPORTED_ERRORS);
            report.more_errors = error_count - errors.len() as u64;
            report.errors = errors;
            return Ok(report);
        }
        tracing::debug!(rows = report.rows, "import: every row read and checked");
        if dry_run {
            let r = self.store.read()?.compare_batch(&batch)?;
            report.created = r.created;
            report.updated = r.updated;
            report.unchanged = r.unchanged;
            (report.warnings, report.more_warnings) =
                foreign_login_warnings(&batch, &lines, &r.foreign_logins, warnings_kept);
            return Ok(report);
        }
        let total = report.rows;
        let r = self.store.write(self.now(), |tx| {
            let r = tx.put_batch(&batch, &mut |done, all| {
                progress.writing(done * total / all.max(1), total)
            })?;
            let mut outcome = format!(
                "success: {} created, {} updated, {} unchanged",
                r.created, r.updated, r.unchanged
            );
            if !r.foreign_logins.is_empty() {
                // In the file's order: the trail is the record. A thousand
                // at most, then how many more and in all, so that a huge
                // import cannot make an event the history cannot show; the
                // import's own warnings (`--all-warnings`) list every row.
                let mut records: Vec<usize> = r.foreign_logins.iter().map(|f| f.record).collect();
                records.sort_unstable();
                let patients: Vec<&str> = records
                    .into_iter()
                    .map(|record| batch.account_number(record))
                    .collect();
                outcome.push_str(&format!(
                    "; warned: the e-correspondent email of {} is the login of a portal account that does not hold them",
                    audit_patients_phrase(&patients)
                ));
                if patients.len() > AUDIT_NAMED_PATIENTS {
                    outcome.push_str(&format!(" ({} patients in all)", patients.len()));
                }
            }
            tx.audit(NewEvent {
                actor: s.actor(),
                action: Action::PatientsImported,
                target: format!("patients from {}: {} rows", printable(source), total),
                outcome,
            })?;
            Ok(r)
        })?;
        (report.warnings, report.more_warnings) =
            foreign_login_warnings(&batch, &lines, &r.foreign_logins, warnings_kept);
        drop(lines);
        progress.writing(total, total);
        tracing::debug!("import: committed");
        // A first import of a large file: the space redb's last doubling of
        // the file left empty goes back (a 1M-row import: 572 → 444 MiB, in
        // about a second). Committed already: a failure here loses nothing,
        // so it is logged, not reported as a failed import.
        if let Err(e) = self.compact_after(r.created + r.updated) {
            tracing::warn!("the database file was not compacted after the import: {e}");
        }
        report.created = r.created;
        report.updated = r.updated;
        report.unchanged = r.unchanged;
        report.applied = true;
        tracing::info!(
            operator = s.name(),
            rows = total,
            created = r.created,
            updated = r.updated,
            "patients imported"
        );
        Ok(report)
    }
}

impl Portal {
    /// After writing `written` patients: when they are most of the file
    /// (a first import, the demo), gives the space the write left unused
    /// back to the file system — redb grows a file by doubling it.
    pub(super) fn compact_after(&self, written: u64) -> Result<()> {
        let patients = self.store.read()?.counts()?.patients;
        if written >= 10_000 && written * 2 >= patients {
            let done = self.store.compact()?;
            tracing::info!(
                compacted = done,
                "database file compacted after a large write"
            );
        }
        Ok(())
    }
}

/// R2 (fresh re-check, 2026-11-29): an import may give a patient an email
/// that is another family's login — the practice's records decide, so the
/// row is imported — but a typo there would link the child to that family
/// at the next Create/Validate, so each such row is pointed out, in line
/// order: the first `kept` warnings and how many more there are.
fn foreign_login_warnings(
    batch: &PatientBatch,
    lines: &[u64],
    found: &[ForeignLogin],
    kept: usize,
) -> (Vec<RowError>, u64) {
    let mut warnings: Vec<RowError> = found
        .iter()
        .map(|f| {
            let patient = batch.account_number(f.record);
            let email = batch.email(f.record).unwrap_or("");
            let then = if f.has_account {
                "once the patient has no guardian on the portal, a Create/Validate would link them to it"
            } else {
                "a Create/Validate would link them to it"
            };
            RowError {
                line: lines.get(f.record).copied().unwrap_or(0),
                message: format!(
                    "patient {patient}'s e-correspondent email {email} is the login of a portal account that does not hold this patient; {then}"
                ),
            }
        })
        .collect();
    warnings.sort_by_key(|w| w.line);
    let more = warnings.len().saturating_sub(kept) as u64;
    warnings.truncate(kept);
    (warnings, more)
}

/// The file as the CSV reader reads it, with the bytes not yet behind the
/// current row kept, to give each row the line it begins on.
///
/// Finding 3 (fresh eyes, session 6): the csv crate dates a record from
/// where the one before it ended. A CRLF row ends at its `\r` and the `\n`
/// is read with the next row (so every row of a Windows file came out one
/// line early), and blank lines before a row are read with it too. The row
/// begins at the first byte after those `\r` and `\n`; its line is the csv
/// crate's count at the end of the row before plus the line ends skipped.
///
/// The csv crate counts lines by `\n` alone, while it also ends rows at a
/// lone `\r` (classic Mac OS files): every row of such a file was "line 1".
/// A lone `\r` (one not followed by `\n`) is a line end here too, as an
/// editor shows it: the ones before the row are counted as the reader goes.
struct LineFinder<R> {
    inner: R,
    /// Bytes read from `inner` from offset `base` on.
    kept: Vec<u8>,
    base: u64,
    /// Lone `\r`s in the file before offset `counted` (`base <= counted`).
    lone_cr: u64,
    counted: u64,
}

/// Kept bytes behind the current row are dropped once there are this many
/// (dropping them after every row would move the read-ahead each time).
const FORGET_AT: usize = 1 << 16;

impl<R> LineFinder<R> {
    fn new(inner: R) -> Self {
        LineFinder {
            inner,
            kept: Vec::new(),
            base: 0,
            lone_cr: 0,
            counted: 0,
        }
    }

    /// Whether the kept byte at `i` is a lone `\r`: one followed by
    /// anything but `\n`, or by the end of the file.
    fn lone_cr_at(&self, i: usize) -> bool {
        self.kept.get(i) == Some(&b'\r') && self.kept.get(i + 1) != Some(&b'\n')
    }

    /// The line of the first character of the row read from byte `start`,
    /// where the csv crate counted `line`. Rows are asked for in order.
    fn line_at(&mut self, start: u64, line: u64) -> u64 {
        let at = |pos: u64| {
            pos.checked_sub(self.base)
                .and_then(|o| usize::try_from(o).ok())
                .unwrap_or(usize::MAX)
        };
        let (from, to) = (at(self.counted), at(start).min(self.kept.len()));
        if from < to {
            self.lone_cr += (from..to).filter(|&i| self.lone_cr_at(i)).count() as u64;
            self.counted = start;
        }
        let skipped = (to..self.kept.len())
            .take_while(|&i| matches!(self.kept[i], b'\r' | b'\n'))
            .filter(|&i| self.kept[i] == b'\n' || self.lone_cr_at(i))
            .count();
        line + self.lone_cr + skipped as u64
    }

    /// The rows before byte `pos` are done with (as far as their lone
    /// `\r`s are counted).
    fn forget_before(&mut self, pos: u64) {
        let pos = pos.min(self.counted);
        let done = usize::try_from(pos.saturating_sub(self.base)).unwrap_or(usize::MAX);
        if done >= FORGET_AT && done <= self.kept.len() {
            self.kept.drain(..done);
            self.base = pos;
        }
    }
}

impl<R: Read> Read for LineFinder<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.kept
            .extend_from_slice(buf.get(..n).unwrap_or_default());
        Ok(n)
    }
}

fn rows_buffer(n: usize) -> Vec<RawRow> {
    Vec::with_capacity(n)
}

/// Keeps the first bad rows (they arrive in line order) for the report; the
/// caller counts them all.
fn keep(errors: &mut Vec<RowError>, e: RowError) {
    if errors.len() < MAX_REPORTED_ERRORS {
        errors.push(e);
    }
}

fn check_header(source: &str, line: u64, record: &csv::ByteRecord) -> Result<()> {
    let fields: Vec<String> = record
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let utf8 = record.iter().all(|f| std::str::from_utf8(f).is_ok());
    let got: Vec<String> = fields
        .iter()
        .map(|f| f.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    if !utf8 || got != HEADER {
        return Err(Error::ImportRejected(format!(
            "{source}: line {line}: the first line must be the header {} (found \"{}\")",
            HEADER.join(","),
            printable(&fields.join(","))
                .chars()
                .take(120)
                .collect::<String>()
        )));
    }
    Ok(())
}

/// Checks rows (on whichever thread runs it): each becomes a patient in the
/// batch or a bad row with its reason.
fn check_rows(rows: &[RawRow], today: time::Date) -> Checked {
    let mut out = Checked {
        batch: PatientBatch::new(),
        lines: Vec::with_capacity(rows.len()),
        errors: Vec::new(),
    };
    for (line, record) in rows {
        let line = *line;
        let mut fields = [""; 5];
        let mut bad = None;
        for (i, f) in record.iter().enumerate() {
            match std::str::from_utf8(f) {
                Ok(v) if i < 5 => fields[i] = v,
                Ok(_) => {}
                Err(_) => {
                    let name = HEADER.get(i).copied().unwrap_or("a field");
                    bad = Some(format!("{name} is not valid UTF-8 text"));
                    break;
                }
            }
        }
        if bad.is_none() && record.len() != HEADER.len() {
            bad = Some(format!(
                "expected {} fields, found {}",
                HEADER.len(),
                record.len()
            ));
        }
        if let Some(message) = bad {
            out.errors.push(RowError { line, message });
            continue;
        }
        match Patient::from_fields(fields[0], fields[1], fields[2], fields[3], fields[4], today) {
            Ok(p) => match out.batch.push(&p, None) {
                Ok(()) => out.lines.push(line),
                Err(e) => out.errors.push(RowError {
                    line,
                    message: e.to_string(),
                }),
            },
            Err(message) => out.errors.push(RowError { line, message }),
        }
    }
    out
}

/// Account numbers on more than one line: (later line, first line, number).
fn duplicates(batch: &PatientBatch, lines: &[u64]) -> Vec<(u64, u64, String)> {
    // In account-number order, records of one number by position (= line).
    let order = batch.by_account_number();
    let mut out = Vec::new();
    for w in order
        .chunk_by(|&a, &b| batch.account_number(a as usize) == batch.account_number(b as usize))
    {
        for &later in &w[1..] {
            out.push((
                lines[later as usize],
                lines[w[0] as usize],
                batch.account_number(w[0] as usize).to_owned(),
            ));
        }
    }
    out
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => crate::config::io_reason(io),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("expected {expected_len} fields, found {len}")
        }
        _ => "malformed CSV".into(),
    }
}
