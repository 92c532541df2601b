//! Importing patients from a CSV file: all rows or none. Every bad row is
//! reported with its line number and reason; re-importing updates patients
//! by account number.

use std::collections::HashMap;
use std::io::Read;

use serde::Serialize;

use super::{Portal, Session};
use crate::domain::text::printable;
use crate::domain::{Action, NewEvent, Patient};
use crate::error::{Error, Result};

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
    /// True when the rows were written (not a dry run, no errors).
    pub applied: bool,
}

/// Told how far an import has come, for a progress bar.
pub trait ImportProgress {
    /// Reading and checking: `done` of `total` bytes.
    fn reading(&mut self, _done: u64, _total: u64) {}
    /// Writing: `done` of `total` rows.
    fn writing(&mut self, _done: u64, _total: u64) {}
}

impl ImportProgress for () {}

impl Portal {
    pub fn import_patients(
        &self,
        s: &Session,
        source: &str,
        input: impl Read,
        total_bytes: u64,
        dry_run: bool,
        progress: &mut dyn ImportProgress,
    ) -> Result<ImportReport> {
        self.authorize(
            s,
            crate::domain::Role::Admin,
            "importing patients",
            Action::PatientsImported,
            &format!("patients from {source}"),
        )?;
        let today = self.now().date();
        let mut report = ImportReport::default();
        let bad = |report: &mut ImportReport, line: u64, message: String| {
            if report.errors.len() < MAX_REPORTED_ERRORS {
                report.errors.push(RowError { line, message });
            } else {
                report.more_errors += 1;
            }
        };
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut record = csv::ByteRecord::new();
        let mut patients: Vec<Patient> = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut first = true;
        loop {
            let line = rdr.position().line();
            match rdr.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(line, |p| p.line());
                    bad(
                        &mut report,
                        line,
                        format!("the file cannot be read as CSV here ({})", csv_reason(&e)),
                    );
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        break;
                    }
                    continue;
                }
            }
            let line = record.position().map_or(line, |p| p.line());
            if report.rows.is_multiple_of(4096) {
                progress.reading(record.position().map_or(0, |p| p.byte()), total_bytes);
            }
            let mut fields = Vec::with_capacity(5);
            let mut utf8_ok = true;
            for (i, f) in record.iter().enumerate() {
                match std::str::from_utf8(f) {
                    Ok(v) => fields.push(v),
                    Err(_) => {
                        let name = HEADER.get(i).copied().unwrap_or("a field");
                        bad(&mut report, line, format!("{name} is not valid UTF-8 text"));
                        utf8_ok = false;
                        break;
                    }
                }
            }
            if first {
                first = false;
                let got: Vec<String> = fields
                    .iter()
                    .map(|f| f.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
                    .collect();
                if !utf8_ok || got != HEADER {
                    return Err(Error::ImportRejected(format!(
                        "{source}: line {line}: the first line must be the header {} (found \"{}\")",
                        HEADER.join(","),
                        printable(&fields.join(","))
                            .chars()
                            .take(120)
                            .collect::<String>()
                    )));
                }
                continue;
            }
            if !utf8_ok {
                continue;
            }
            report.rows += 1;
            if fields.len() != HEADER.len() {
                bad(
                    &mut report,
                    line,
                    format!("expected {} fields, found {}", HEADER.len(), fields.len()),
                );
                continue;
            }
            match Patient::from_fields(fields[0], fields[1], fields[2], fields[3], fields[4], today)
            {
                Ok(p) => {
                    if let Some(prev) = seen.insert(p.account_number.clone(), line) {
                        bad(
                            &mut report,
                            line,
                            format!("account_number {} is also on line {prev}", p.account_number),
                        );
                        continue;
                    }
                    patients.push(p);
                }
                Err(msg) => bad(&mut report, line, msg),
            }
        }
        progress.reading(total_bytes, total_bytes);
        if first {
            return Err(Error::ImportRejected(format!(
                "{source} is empty: it needs the header {}",
                HEADER.join(",")
            )));
        }
        if !report.errors.is_empty() {
            return Ok(report);
        }
        if dry_run {
            let read = self.store.read()?;
            for p in &patients {
                match read.patient(&p.account_number)? {
                    None => report.created += 1,
                    Some(old) if old == *p => report.unchanged += 1,
                    Some(_) => report.updated += 1,
                }
            }
            return Ok(report);
        }
        let total = patients.len() as u64;
        let (created, updated) = self.store.write(self.now(), |tx| {
            let mut done = 0u64;
            let counted = patients.iter().inspect(|_| {
                done += 1;
                if done.is_multiple_of(8192) {
                    progress.writing(done, total);
                }
            });
            let (created, updated) = tx.put_patients(counted)?;
            tx.audit(NewEvent {
                actor: s.actor(),
                action: Action::PatientsImported,
                target: format!("patients from {}: {} rows", printable(source), total),
                outcome: format!(
                    "success: {created} created, {updated} updated, {} unchanged",
                    total - created - updated
                ),
            })?;
            Ok((created, updated))
        })?;
        progress.writing(total, total);
        report.created = created;
        report.updated = updated;
        report.unchanged = total - created - updated;
        report.applied = true;
        tracing::info!(
            operator = s.name(),
            rows = total,
            created,
            updated,
            "patients imported"
        );
        Ok(report)
    }
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
