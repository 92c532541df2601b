//! Reading secrets at the command line: from the terminal without echo, or
//! one per line from standard input with `--password-stdin`.

use std::io::{BufRead, IsTerminal};

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::Secret;

pub enum SecretSource {
    Terminal,
    Stdin(std::io::StdinLock<'static>),
}

impl SecretSource {
    pub fn new(password_stdin: bool) -> SecretSource {
        if password_stdin {
            SecretSource::Stdin(std::io::stdin().lock())
        } else {
            SecretSource::Terminal
        }
    }

    /// Reads one secret. `prompt` is shown on the terminal only.
    pub fn read(&mut self, prompt: &str) -> Result<Secret> {
        match self {
            SecretSource::Terminal => {
                if !std::io::stdin().is_terminal() && std::fs::File::open("/dev/tty").is_err() {
                    return Err(Error::Usage(
                        "no terminal to ask for the password on; pipe it in with --password-stdin"
                            .into(),
                    ));
                }
                let s = rpassword::prompt_password(prompt).map_err(|e| {
                    Error::Io(format!(
                        "cannot read the password from the terminal: {}",
                        crate::config::io_reason(&e)
                    ))
                })?;
                Ok(Secret::new(s))
            }
            SecretSource::Stdin(lock) => {
                let mut line = Zeroizing::new(String::new());
                let n = lock.read_line(&mut line).map_err(|e| {
                    Error::Io(format!(
                        "cannot read standard input: {}",
                        crate::config::io_reason(&e)
                    ))
                })?;
                if n == 0 {
                    return Err(Error::Usage(format!(
                        "standard input ended before the secret asked for as \"{}\"",
                        prompt.trim_end_matches(": ").trim()
                    )));
                }
                let trimmed = line.strip_suffix('\n').unwrap_or(&line);
                let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
                Ok(Secret::from(trimmed))
            }
        }
    }
}
