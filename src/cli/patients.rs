//! `patients search`: the same lookup as the app.

use clap::Subcommand;

use super::Ctx;
use super::output::{self, line};
use crate::domain::text::printable;
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum PatientsCmd {
    /// Search by any part of a name (words in any order), "last, first", a date of birth as written, an account number or any part of an email.
    Search {
        query: String,
        /// How many patients to print (1 to 1000).
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=1000))]
        limit: u64,
        #[arg(long)]
        json: bool,
        /// Read on however many index entries it takes to find --limit
        /// patients or to reach the end (without it, a search stops after
        /// reading 10 × database.search_budget entries without a match,
        /// and exits 11: what it printed is what it found).
        #[arg(long)]
        read_all: bool,
    },
}

/// A search that stopped early (it read its `database.search_budget` index
/// entries) goes on page after page until it has `--limit` rows — but not
/// past this many budgets read in a row without finding a patient.
const BUDGETS_WITHOUT_A_MATCH: u64 = 10;

/// The exit code of a search that stopped reading before it had `--limit`
/// rows or reached the end: what it printed is what it found, and more
/// patients may match (with `--json` the list looks the same either way,
/// so a script needs the code to tell "nobody" from "gave up").
pub const EXIT_STOPPED_READING: i32 = 11;

pub(super) fn run(ctx: &Ctx, cmd: PatientsCmd) -> Result<i32> {
    let PatientsCmd::Search {
        query,
        limit,
        json,
        read_all,
    } = cmd;
    let limit = limit as usize;
    let portal = ctx.open()?;
    let mut page = portal.search_patients(&query, None, limit)?;
    // Each page that stopped early read a budget of entries: `barren` of
    // them in a row found nobody.
    let mut barren = u64::from(page.items.is_empty());
    let mut gave_up = false;
    while page.stopped_early && page.items.len() < limit {
        if !read_all && barren >= BUDGETS_WITHOUT_A_MATCH {
            gave_up = true;
            break;
        }
        let Some(after) = page.next.take() else { break };
        let more = portal.search_patients(&query, Some(&after), limit - page.items.len())?;
        barren = if more.items.is_empty() { barren + 1 } else { 0 };
        page.items.extend(more.items);
        page.next = more.next;
        page.stopped_early = more.stopped_early;
    }
    let read = gave_up.then(|| barren.saturating_mul(ctx.config.database.search_budget));
    if json {
        let rows: Vec<_> = page
            .items
            .iter()
            .map(|r| {
                serde_json::json!({
                    "account_number": r.account_number(),
                    "last_name": r.last_name(),
                    "first_name": r.first_name(),
                    "date_of_birth": r.date_of_birth.to_string(),
                    "email": r.email(),
                    "portal_account": r.account_id,
                    // Added in session 7: the guardian's login the row was
                    // found by, when not its own email (else null).
                    "matched_login": r.matched_login(),
                })
            })
            .collect();
        output::json(&rows, false)?;
        say_if_more(&page, limit, &query, read);
        return Ok(exit_code(gave_up));
    }
    for r in &page.items {
        // A row found through a guardian's login shows that login, said
        // to be one (fresh eyes, session 6, finding 12).
        let email = match r.matched_login() {
            Some(login) => format!("{login} (guardian login)"),
            None => r.email().unwrap_or("-").to_owned(),
        };
        line(format_args!(
            "{}\t{}\t{}\t{}\t{}",
            r.account_number(),
            printable(&r.display_name()),
            r.date_of_birth,
            email,
            if r.account_id.is_some() {
                "portal"
            } else {
                "no portal"
            }
        ))?;
    }
    if page.items.is_empty() && read.is_none() {
        eprintln!("no patient matches \"{}\"", printable(&query));
    }
    say_if_more(&page, limit, &query, read);
    Ok(exit_code(gave_up))
}

fn exit_code(gave_up: bool) -> i32 {
    if gave_up { EXIT_STOPPED_READING } else { 0 }
}

/// One line on standard error when more patients match than were printed,
/// or may match after the search stopped having `read` entries without a
/// match (with `--json` too: a script can tell the list was cut).
fn say_if_more<T>(page: &crate::store::Page<T>, limit: usize, query: &str, read: Option<u64>) {
    match read {
        Some(read) if page.items.is_empty() => eprintln!(
            "no patient matches \"{}\" in the first {} index entries read, and the search stopped there: \
             narrow it (more letters, a date of birth) or pass --read-all to read on",
            printable(query),
            grouped(read)
        ),
        Some(read) => eprintln!(
            "the search stopped after reading {} more index entries with no further match; more \
             patients may match: narrow the search, or pass --read-all to read on",
            grouped(read)
        ),
        None if !page.items.is_empty() && page.next.is_some() => eprintln!(
            "more patients match: narrow the search, or raise --limit (at most 1000; {limit} now)"
        ),
        None => {}
    }
}

/// `200000` as `200,000`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped_by_thousands() {
        for (n, text) in [
            (0, "0"),
            (10, "10"),
            (999, "999"),
            (1_000, "1,000"),
            (200_000, "200,000"),
            (1_000_000_000, "1,000,000,000"),
        ] {
            assert_eq!(super::grouped(n), text);
        }
    }
}
