#![no_main]
//! Any text in the search box: a page of results or an error, never a panic.

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let f = common::fixture();
    let text = String::from_utf8_lossy(data);
    let (q, after) = match text.split_once('\u{0}') {
        Some((q, a)) => (q.to_owned(), Some(a.to_owned())),
        None => (text.into_owned(), None),
    };
    let _ = portal_admin::domain::PatientQuery::parse(&q, f.portal.now().date());
    let _ = f.portal.search_patients(&q, after.as_deref(), 7);
    let _ = f.portal.list_accounts(&q, after.as_deref(), 7);
});
