//! A real SMTP server for the notice tests: aiosmtpd, started by the test
//! on a free port (`tests/support/smtp_server.py`), stopped and started
//! again to play a relay that is down and then back.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// How the server is run.
#[derive(Debug, Clone, Default)]
pub struct SmtpOptions {
    /// (certificate, key): STARTTLS required.
    pub starttls: Option<(PathBuf, PathBuf)>,
    /// `user:password`: AUTH required (over TLS).
    pub auth: Option<String>,
    /// A recipient the server refuses for good (550).
    pub reject: Option<String>,
}

pub struct SmtpServer {
    pub port: u16,
    pub dir: PathBuf,
    options: SmtpOptions,
    child: Option<Child>,
}

/// A port no one listens on now.
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().unwrap().port()
}

impl SmtpServer {
    /// A server writing the messages it accepts to `dir`, listening now.
    pub fn start(dir: &Path, options: SmtpOptions) -> SmtpServer {
        let mut s = SmtpServer {
            port: free_port(),
            dir: dir.to_owned(),
            options,
            child: None,
        };
        std::fs::create_dir_all(dir).unwrap();
        s.up();
        s
    }

    /// A server on a free port that is not running yet: the relay is down.
    pub fn down(dir: &Path, options: SmtpOptions) -> SmtpServer {
        std::fs::create_dir_all(dir).unwrap();
        SmtpServer {
            port: free_port(),
            dir: dir.to_owned(),
            options,
            child: None,
        }
    }

    /// Starts the server (again) on its port; returns once it listens.
    pub fn up(&mut self) {
        assert!(self.child.is_none(), "already running");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_server.py");
        let mut cmd = Command::new("python3");
        cmd.arg(&script)
            .args(["--port", &self.port.to_string()])
            .arg("--dir")
            .arg(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some((cert, key)) = &self.options.starttls {
            cmd.arg("--starttls").arg(cert).arg(key);
        }
        if let Some(auth) = &self.options.auth {
            cmd.args(["--auth", auth]);
        }
        if let Some(r) = &self.options.reject {
            cmd.args(["--reject", r]);
        }
        let mut child = cmd.spawn().expect("python3 must be installed");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        if first.trim() != "ready" {
            let out = child.wait_with_output().unwrap();
            panic!(
                "the SMTP test server did not start (it needs aiosmtpd: `python3 -m pip install aiosmtpd==1.4.6`, as .ci/run does): {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        self.child = Some(child);
    }

    /// Stops the server: the relay is down.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<Mail> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| Mail::parse(&std::fs::read_to_string(p).unwrap()))
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A received message: its headers and its body (decoded when it was sent
/// quoted-printable).
#[derive(Debug, Clone)]
pub struct Mail {
    pub raw: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Mail {
    fn parse(raw: &str) -> Mail {
        let raw_n = raw.replace("\r\n", "\n");
        let (head, body) = raw_n.split_once("\n\n").unwrap_or((&raw_n, ""));
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.lines() {
            if line.starts_with([' ', '\t']) {
                if let Some(last) = headers.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(line.trim());
                }
            } else if let Some((k, v)) = line.split_once(':') {
                headers.push((k.trim().to_owned(), v.trim().to_owned()));
            }
        }
        let qp = headers.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("Content-Transfer-Encoding")
                && v.eq_ignore_ascii_case("quoted-printable")
        });
        let body = if qp { decode_qp(body) } else { body.to_owned() };
        Mail {
            raw: raw_n.clone(),
            headers,
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body with its lines joined, as a person reads it.
    pub fn text(&self) -> String {
        self.body.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

fn decode_qp(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'=' if b.get(i + 1) == Some(&b'\n') => i += 2,
            b'=' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
                {
                    Ok(v) => out.push(v),
                    Err(_) => out.extend_from_slice(&b[i..i + 3]),
                }
                i += 3;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
