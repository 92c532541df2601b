#![no_main]
//! Any bytes as an import file: a report or an error, never a panic.

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let f = common::fixture();
    let _ = f.portal.import_patients(
        &f.admin,
        "fuzz.csv",
        data,
        data.len() as u64,
        true,
        &mut (),
    );
});
