//! Standard output for results. A reader that goes away (`| head`, `| true`)
//! ends the command quietly instead of a panic; JSON never carries a raw
//! control or invisible character.

use std::fmt::Display;
use std::io::Write;

use serde::Serialize;

use crate::domain::text::is_forbidden_char;
use crate::error::{Error, Result};

/// Writes one line to standard output.
pub fn line(text: impl Display) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(write_error)
}

/// Writes `value` as JSON on one line (or pretty, over several).
pub fn json(value: &impl Serialize, pretty: bool) -> Result<()> {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    }
    .map_err(|e| Error::Internal(format!("cannot write JSON: {e}")))?;
    line(json_safe(&text))
}

/// JSON text with every control, bidirectional or invisible character
/// written as a `\uXXXX` escape: the same JSON value, and nothing in it that
/// a terminal would act on. serde_json already escapes U+0000 to U+001F in
/// strings (a raw newline or space is layout); DEL and what lies beyond
/// ASCII can only stand inside a string, so escaping them is safe.
pub fn json_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\u{7f}' || (!c.is_ascii() && (is_forbidden_char(c) || c.is_control())) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// True when standard output goes nowhere: it is `/dev/null` (the same
/// character device), which is also what a closed standard output becomes —
/// Rust's runtime reopens a closed descriptor 0, 1 or 2 as `/dev/null` at
/// start, so `>&-` looks exactly like `>/dev/null`. A write there succeeds
/// and nobody reads it.
pub fn goes_nowhere() -> bool {
    use rustix::fs::{FileType, fstat, stat};
    let (Ok(out), Ok(null)) = (fstat(std::io::stdout()), stat("/dev/null")) else {
        return false;
    };
    FileType::from_raw_mode(out.st_mode) == FileType::CharacterDevice
        && FileType::from_raw_mode(null.st_mode) == FileType::CharacterDevice
        && out.st_rdev == null.st_rdev
}

pub fn write_error(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Error::OutputClosed
    } else {
        Error::Io(format!(
            "cannot write to standard output: {}",
            crate::config::io_reason(&e)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_safe_escapes_c1_controls_and_bidi_but_keeps_the_value() {
        let value = serde_json::json!({"name": "a\u{9b}b\u{202e}c\u{1}\u{7f}é\n"});
        let text = json_safe(&serde_json::to_string_pretty(&value).unwrap());
        assert!(!text.contains('\u{9b}') && !text.contains('\u{202e}') && !text.contains('\u{7f}'));
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e"),
            "{text}"
        );
        assert!(text.contains('é'), "ordinary letters stay as they are");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
