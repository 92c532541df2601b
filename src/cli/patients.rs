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
    },
}

pub(super) fn run(ctx: &Ctx, cmd: PatientsCmd) -> Result<i32> {
    let PatientsCmd::Search { query, limit, json } = cmd;
    let limit = limit as usize;
    let portal = ctx.open()?;
    let mut page = portal.search_patients(&query, None, limit)?;
    // A search that stopped early (its budget of index entries read) goes
    // on: the command line has no key press to keep quick.
    while page.stopped_early && page.items.len() < limit {
        let Some(after) = page.next.take() else { break };
        let more = portal.search_patients(&query, Some(&after), limit - page.items.len())?;
        page.items.extend(more.items);
        page.next = more.next;
        page.stopped_early = more.stopped_early;
    }
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
                })
            })
            .collect();
        output::json(&rows, false)?;
        say_if_more(&page, limit);
        return Ok(0);
    }
    for r in &page.items {
        line(format_args!(
            "{}\t{}\t{}\t{}\t{}",
            r.account_number(),
            printable(&r.display_name()),
            r.date_of_birth,
            r.email().unwrap_or("-"),
            if r.account_id.is_some() {
                "portal"
            } else {
                "no portal"
            }
        ))?;
    }
    if page.items.is_empty() {
        eprintln!("no patient matches \"{}\"", printable(&query));
    }
    say_if_more(&page, limit);
    Ok(0)
}

/// One line on standard error when more patients match than were printed
/// (with `--json` too: a script can tell the list was cut).
fn say_if_more<T>(page: &crate::store::Page<T>, limit: usize) {
    if !page.items.is_empty() && page.next.is_some() {
        eprintln!(
            "more patients match: narrow the search, or raise --limit (at most 1000; {limit} now)"
        );
    }
}
