//! The SMTP relay notices go through (`notify.smtp_url`), with `lettre`:
//! a maintained SMTP client with STARTTLS and TLS (rustls, the public web's
//! certificate authorities from `webpki-roots`), AUTH, timeouts and
//! RFC 5322 messages, so none of that is written here.
//!
//! What this module decides: which URLs are acceptable (no password in the
//! URL, no unencrypted connection to another host), where the password
//! comes from (a private file), and how a failure reads and whether it is
//! worth retrying.

use std::path::Path;
use std::time::Duration;

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{SmtpTransport, Transport};

use crate::config::NotifyConfig;
use crate::domain::Notice;
use crate::error::{Error, Result};

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protection {
    /// `smtp://` to a relay on this host: nothing leaves the machine.
    LocalPlain,
    /// `smtp://…?tls=required`: STARTTLS, refused when the relay does not offer it.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    Wrapper,
}

/// What `notify.smtp_url` names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Endpoint {
    protection: Protection,
    host: String,
    port: u16,
    user: Option<String>,
}

const LOCAL_HOSTS: [&str; 4] = ["localhost", "127.0.0.1", "[::1]", "::1"];

fn parse_url(text: &str, has_password_file: bool) -> std::result::Result<Endpoint, String> {
    let shown = crate::domain::text::printable(text);
    // Not repeated in the message: it may hold a password.
    let url = url::Url::parse(text.trim()).map_err(|e| {
        format!("is not a URL ({e}); for example smtp://localhost or smtps://relay.example.org")
    })?;
    if url.password().is_some() {
        return Err(
            "holds a password; put the password in notify.smtp_password_file (a file only you can read) and keep only the user name in the URL (smtps://USER@HOST)"
                .into(),
        );
    }
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| format!("\"{shown}\" names no host"))?
        .to_ascii_lowercase();
    if !matches!(url.path(), "" | "/") || url.fragment().is_some() {
        return Err(format!(
            "\"{shown}\" has a path; give only the scheme, host and port (smtp://HOST:PORT)"
        ));
    }
    let mut tls = None;
    for (k, v) in url.query_pairs() {
        match (k.as_ref(), v.as_ref()) {
            ("tls", "required") => tls = Some(()),
            ("tls", "opportunistic") => {
                return Err(
                    "tls=opportunistic falls back to no encryption when the relay (or someone in between) says so; use tls=required"
                        .into(),
                );
            }
            _ => {
                return Err(format!(
                    "\"{shown}\" has an unknown setting {k}={v}; the only one is tls=required (STARTTLS)"
                ));
            }
        }
    }
    let local = LOCAL_HOSTS.contains(&host.as_str());
    let protection = match (url.scheme(), tls) {
        ("smtps", None) => Protection::Wrapper,
        ("smtps", Some(())) => {
            return Err("smtps:// is already encrypted; drop ?tls=required".into());
        }
        ("smtp", Some(())) => Protection::StartTls,
        ("smtp", None) if local => Protection::LocalPlain,
        ("smtp", None) => {
            return Err(format!(
                "smtp://{host} would send notices unencrypted across the network; use smtps://{host} (TLS) or smtp://{host}?tls=required (STARTTLS), or a relay on this host (smtp://localhost)"
            ));
        }
        (other, _) => {
            return Err(format!(
                "the scheme {other}:// is not SMTP; use smtp:// or smtps://"
            ));
        }
    };
    let port = url.port().unwrap_or(match protection {
        Protection::LocalPlain => 25,
        Protection::StartTls => 587,
        Protection::Wrapper => 465,
    });
    let user = match url.username() {
        "" => None,
        u => Some(
            percent_encoding::percent_decode_str(u)
                .decode_utf8()
                .map_err(|_| format!("the user name in \"{shown}\" is not valid UTF-8"))?
                .into_owned(),
        ),
    };
    if user.is_some() && !has_password_file {
        return Err(
            "names a user but notify.smtp_password_file is not set; put the relay's password in a file only you can read and name it there"
                .into(),
        );
    }
    Ok(Endpoint {
        protection,
        host,
        port,
        user,
    })
}

/// Checks `notify.from`: an address, optionally with a display name.
pub fn check_from(text: &str) -> std::result::Result<(), String> {
    let shown = crate::domain::text::printable(text);
    if text.chars().any(crate::domain::text::is_forbidden_char) {
        return Err(format!(
            "\"{shown}\" contains a control or invisible character"
        ));
    }
    text.trim().parse::<Mailbox>().map(|_| ()).map_err(|_| {
        format!(
            "\"{shown}\" is not a sender address; for example portal@sunshine.example or Sunshine Pediatrics <portal@sunshine.example>"
        )
    })
}

/// Why an attempt to send failed, and whether another attempt may succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFailure {
    /// The relay refused the message for good (an SMTP 5xx answer): no
    /// retry will change that.
    pub permanent: bool,
    /// One sentence, never holding the relay's password.
    pub reason: String,
}

/// `Auto-Submitted: auto-generated` (RFC 3834): mail systems do not answer
/// a notice with an out-of-office reply.
#[derive(Debug, Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// A connection recipe for the configured relay. Building one reads the
/// password and CA files; sending connects.
pub struct Relay {
    transport: SmtpTransport,
    from: Mailbox,
    /// `host:port`, for messages.
    shown: String,
    /// Never to appear in a message (the relay's password).
    secret: Option<zeroize::Zeroizing<String>>,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay")
            .field("relay", &self.shown)
            .finish_non_exhaustive()
    }
}

impl Relay {
    /// Checks `notify.smtp_url` (for the configuration's validation).
    pub fn check_url(url: &str, has_password_file: bool) -> std::result::Result<(), String> {
        parse_url(url, has_password_file).map(|_| ())
    }

    /// The relay `cfg` names, or `None` when notices are off.
    pub fn from_config(cfg: &NotifyConfig) -> Result<Option<Relay>> {
        let (Some(url), Some(from)) = (&cfg.smtp_url, &cfg.from) else {
            return Ok(None);
        };
        let config = |why: String| Error::Config(why);
        let ep = parse_url(url, cfg.smtp_password_file.is_some())
            .map_err(|why| config(format!("notify.smtp_url: {why}")))?;
        let from: Mailbox = from
            .trim()
            .parse()
            .map_err(|_| config("notify.from: not a sender address".into()))?;
        let tls_params = || -> Result<TlsParameters> {
            let mut b = TlsParameters::builder(ep.host.trim_matches(['[', ']']).to_owned());
            if let Some(ca) = &cfg.tls_ca_file {
                let pem = std::fs::read(ca).map_err(|e| {
                    config(format!(
                        "notify.tls_ca_file: cannot read {}: {}",
                        ca.display(),
                        crate::config::io_reason(&e)
                    ))
                })?;
                let cert = Certificate::from_pem(&pem).map_err(|_| {
                    config(format!(
                        "notify.tls_ca_file: {} is not a PEM certificate",
                        ca.display()
                    ))
                })?;
                b = b.add_root_certificate(cert);
            }
            b.build_rustls()
                .map_err(|e| config(format!("notify: cannot set up TLS: {e}")))
        };
        let tls = match ep.protection {
            Protection::LocalPlain => Tls::None,
            Protection::StartTls => Tls::Required(tls_params()?),
            Protection::Wrapper => Tls::Wrapper(tls_params()?),
        };
        let mut builder = SmtpTransport::builder_dangerous(ep.host.trim_matches(['[', ']']))
            .port(ep.port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(u64::from(cfg.timeout_seconds))));
        let mut secret = None;
        if let Some(user) = &ep.user {
            let file = cfg.smtp_password_file.as_deref().ok_or_else(|| {
                config("notify.smtp_password_file: needed for the user in notify.smtp_url".into())
            })?;
            let password = read_password_file(file)?;
            builder = builder.credentials(Credentials::new(user.clone(), password.to_string()));
            secret = Some(password);
        }
        Ok(Some(Relay {
            transport: builder.build(),
            from,
            shown: format!("{}:{}", ep.host, ep.port),
            secret,
        }))
    }

    /// `host:port` of the relay.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Sends one notice. `message_id` stays the same across attempts, so a
    /// relay or mailbox that got it twice (a sender that died after the
    /// relay took it) can tell.
    pub fn send(&self, notice: &Notice, message_id: &str) -> std::result::Result<(), SendFailure> {
        let permanent = |reason: String| SendFailure {
            permanent: true,
            reason,
        };
        let to: Mailbox = notice.to.as_str().parse().map_err(|_| {
            permanent(format!(
                "{} is not an address the relay can take",
                notice.to
            ))
        })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(notice.subject.clone())
            .message_id(Some(message_id.to_owned()))
            .header(ContentType::TEXT_PLAIN)
            .header(AutoSubmitted)
            .body(notice.body.clone())
            .map_err(|e| permanent(format!("the notice could not be written as an email: {e}")))?;
        self.transport
            .send(&message)
            .map(|_| ())
            .map_err(|e| self.failure(&e))
    }

    fn failure(&self, e: &lettre::transport::smtp::Error) -> SendFailure {
        use std::error::Error as _;
        let mut detail = e.to_string();
        let mut source = e.source();
        while let Some(s) = source {
            let more = s.to_string();
            if !detail.contains(&more) {
                detail.push_str(": ");
                detail.push_str(&more);
            }
            source = s.source();
        }
        let detail = match detail.find(" (os error") {
            Some(i) => {
                let end = detail[i..].find(')').map_or(detail.len(), |j| i + j + 1);
                format!("{}{}", &detail[..i], &detail[end..])
            }
            None => detail,
        };
        // A 5xx answer about the sign-in (530 authentication required, 534,
        // 535 credentials refused, 538) is the relay's configuration, not
        // this notice: worth retrying once an administrator fixes it.
        let code = e.status().map(|c| c.to_string()).unwrap_or_default();
        let about_sign_in = matches!(code.as_str(), "530" | "534" | "535" | "538");
        let permanent = e.is_permanent() && !about_sign_in;
        let tls = e.is_tls() || tls_in(e);
        let mut reason = if e.is_timeout() || silent(e) {
            format!("the relay {} did not answer in time", self.shown)
        } else if about_sign_in {
            format!(
                "the relay {} did not accept portal-admin's sign-in (check the user in notify.smtp_url and notify.smtp_password_file): {detail}",
                self.shown
            )
        } else if permanent {
            format!("the relay {} refused the notice: {detail}", self.shown)
        } else if e.is_transient() {
            format!(
                "the relay {} asked to try again later: {detail}",
                self.shown
            )
        } else if tls {
            format!(
                "TLS with the relay {} failed (if it uses the practice's own certificate authority, name it in notify.tls_ca_file): {detail}",
                self.shown
            )
        } else {
            format!("cannot reach the relay {}: {detail}", self.shown)
        };
        if let Some(secret) = self.secret.as_deref().filter(|s| !s.is_empty()) {
            reason = reason.replace(secret, "********");
        }
        SendFailure {
            permanent,
            reason: crate::domain::text::printable(&reason),
        }
    }
}

/// Whether `e` is a read that gave up waiting (a socket timeout reads as
/// "would block" on Linux, which lettre does not count as a timeout).
fn silent(e: &lettre::transport::smtp::Error) -> bool {
    use std::error::Error as _;
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            );
        }
        source = s.source();
    }
    false
}

/// Whether `e` came from TLS (rustls) — a certificate not trusted, a
/// handshake refused — which lettre reports as a network error.
fn tls_in(e: &lettre::transport::smtp::Error) -> bool {
    use std::error::Error as _;
    let mut source = e.source();
    while let Some(s) = source {
        if s.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && io
                .get_ref()
                .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
        {
            return true;
        }
        source = s.source();
    }
    false
}

/// Reads the relay's password from `path`, which only its owner may read.
fn read_password_file(path: &Path) -> Result<zeroize::Zeroizing<String>> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::Config(format!(
            "notify.smtp_password_file: cannot read {shown}: {}",
            crate::config::io_reason(&e)
        ))
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mode = meta.mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(Error::UnsafeFile(format!(
                "notify.smtp_password_file {shown} can be read by other users (mode {mode:04o}); `chmod 600 {shown}`"
            )));
        }
    }
    let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
        Error::Config(format!(
            "notify.smtp_password_file: cannot read {shown}: {}",
            crate::config::io_reason(&e)
        ))
    })?);
    let line = text.trim_end_matches(['\n', '\r']);
    if line.is_empty() || line.contains('\n') {
        return Err(Error::Config(format!(
            "notify.smtp_password_file: {shown} must hold the password on one line"
        )));
    }
    Ok(zeroize::Zeroizing::new(line.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_that_would_leak_or_downgrade_are_refused() {
        for (url, want) in [
            ("smtp://relay.example.org", "unencrypted"),
            (
                "smtp://u:pw@relay.example.org?tls=required",
                "holds a password",
            ),
            ("smtp://relay.example.org?tls=opportunistic", "tls=required"),
            ("smtps://portal@relay.example.org", "smtp_password_file"),
            ("http://relay.example.org", "not SMTP"),
            ("smtp://relay.example.org/x?tls=required", "path"),
            (
                "smtp://relay.example.org?tls=required&x=1",
                "unknown setting",
            ),
            ("not a url", "not a URL"),
        ] {
            let err = parse_url(url, false).unwrap_err();
            assert!(err.contains(want), "{url}: {err}");
            assert!(
                !err.contains("pw"),
                "{url}: the password is never repeated: {err}"
            );
        }
    }

    #[test]
    fn the_three_ways_to_reach_a_relay() {
        let local = parse_url("smtp://localhost:2525", false).unwrap();
        assert_eq!(
            (local.protection, local.port),
            (Protection::LocalPlain, 2525)
        );
        let starttls = parse_url("smtp://portal%40x@Relay.Example.org?tls=required", true).unwrap();
        assert_eq!(starttls.protection, Protection::StartTls);
        assert_eq!(starttls.port, 587);
        assert_eq!(starttls.host, "relay.example.org");
        assert_eq!(starttls.user.as_deref(), Some("portal@x"));
        let wrapper = parse_url("smtps://relay.example.org", false).unwrap();
        assert_eq!(
            (wrapper.protection, wrapper.port),
            (Protection::Wrapper, 465)
        );
        assert_eq!(
            parse_url("smtp://[::1]:25", false).unwrap().protection,
            Protection::LocalPlain
        );
    }

    #[test]
    fn sender_addresses() {
        check_from("portal@sunshine.example").unwrap();
        check_from("Sunshine Pediatrics <portal@sunshine.example>").unwrap();
        assert!(check_from("nobody").is_err());
        assert!(check_from("x <a@b.example>\u{1b}[2J").is_err());
    }
}
