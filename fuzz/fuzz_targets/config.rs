#![no_main]
//! Any text as a config file: a config or a one-line error, never a panic.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = portal_admin::config::Config::from_toml(text) {
            let msg = e.to_string();
            assert!(!msg.contains('\u{1b}'), "an escape in an error message");
        }
    }
});
