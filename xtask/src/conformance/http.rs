//! A small HTTP/1.1 client over one connection per request, from a chosen loopback source address.
//!
//! Written here rather than taken from a crate because the suite must send what clients should
//! not (unsafe request ids, wrong content types, oversized bodies) and must choose its source
//! address: each case gets its own, so the service's per-address rate limit counts cases apart.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

use socket2::{Domain, Socket, Type};

/// A request, built with the methods below and described in failure reports.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The `Host` header; the server's address when `None`.
    pub host: Option<String>,
    /// What the report prints instead of a header's value (a token's label, not the token).
    labels: Vec<(String, String)>,
    /// How long the answer may keep silent.
    patience: Duration,
}

impl Request {
    pub fn new(method: &str, path: &str) -> Self {
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
            host: None,
            labels: Vec::new(),
            patience: Duration::from_secs(30),
        }
    }

    /// Waits up to `patience` for the answer (an archive made by a lockfile tool takes a while).
    pub fn patience(mut self, patience: Duration) -> Self {
        self.patience = patience;
        self
    }

    /// Sends `Host: host` instead of the server's address (a client that lies about it).
    pub fn host(mut self, host: &str) -> Self {
        self.host = Some(host.to_owned());
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// `Authorization: Bearer TOKEN`, reported as `Bearer <label>`.
    pub fn bearer(self, token: &str, label: &str) -> Self {
        self.scheme("Bearer", token, label)
    }

    /// `Authorization: SCHEME TOKEN` (a scheme spelled otherwise), reported as `SCHEME <label>`.
    pub fn scheme(self, scheme: &str, token: &str, label: &str) -> Self {
        self.around(&format!("{scheme} "), token, "", label)
    }

    /// `Authorization: BEFORE TOKEN AFTER` with nothing added in between (whitespace cases),
    /// reported with the token as `<label>` and the whitespace escaped.
    pub fn around(mut self, before: &str, token: &str, after: &str, label: &str) -> Self {
        let shown = format!("{}<{label}>{}", before.escape_debug(), after.escape_debug());
        self.labels.push(("authorization".to_owned(), shown));
        self.header("Authorization", &format!("{before}{token}{after}"))
    }

    pub fn json(self, body: &serde_json::Value) -> Self {
        self.raw_body("application/json", body.to_string().into_bytes())
    }

    pub fn raw_body(mut self, content_type: &str, body: Vec<u8>) -> Self {
        self.body = body;
        self.header("Content-Type", content_type)
    }

    /// One line for a report: method, path, headers (secrets replaced by labels), body excerpt.
    pub fn describe(&self) -> String {
        let mut out = format!("{} {}", self.method, self.path);
        if let Some(host) = &self.host {
            let _ = write!(out, " | Host: {host}");
        }
        for (name, value) in &self.headers {
            let label =
                self.labels.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map_or(value.as_str(), |(_, l)| l);
            let _ = write!(out, " | {name}: {label}");
        }
        if !self.body.is_empty() {
            let text = String::from_utf8_lossy(&self.body);
            let excerpt: String = text.chars().take(120).collect();
            let more =
                if text.chars().count() > 120 { format!("… ({} bytes)", self.body.len()) } else { String::new() };
            let _ = write!(out, " | body: {excerpt}{more}");
        }
        out
    }
}

/// An answer: status, headers in order, the decoded body.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Status, headers and a body excerpt, for a report.
    pub fn describe(&self) -> String {
        let headers: Vec<_> = self.headers.iter().map(|(n, v)| format!("{n}: {v}")).collect();
        let text = self.text();
        let excerpt: String = text.chars().take(300).collect();
        format!("{} | {} | body: {excerpt}", self.status, headers.join(" | "))
    }
}

/// `head` as it goes on the wire, one byte per character (ISO-8859-1): a case can then send a
/// header byte such as 0xA0, which RFC 9110 (section 5.5) admits as `obs-text` and servers read as
/// that character. A character beyond U+00FF has no such byte: an error, not a guess.
fn latin1(head: &str) -> std::io::Result<Vec<u8>> {
    head.chars()
        .map(|c| {
            u8::try_from(u32::from(c)).map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("`{c}` has no ISO-8859-1 byte"))
            })
        })
        .collect()
}

/// Sends `request` to `server` from `source` and reads the whole answer (`Connection: close`).
pub fn send(server: SocketAddr, source: Ipv4Addr, request: &Request) -> std::io::Result<Response> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.bind(&SocketAddr::from((source, 0)).into())?;
    socket.connect_timeout(&server.into(), Duration::from_secs(5))?;
    let mut stream: TcpStream = socket.into();
    stream.set_read_timeout(Some(request.patience))?;

    let host = request.host.clone().unwrap_or_else(|| server.to_string());
    let mut head = format!("{} {} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n", request.method, request.path);
    for (name, value) in &request.headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    if !request.body.is_empty() || matches!(request.method.as_str(), "POST" | "PUT" | "PATCH") {
        let _ = write!(head, "Content-Length: {}\r\n", request.body.len());
    }
    head.push_str("\r\n");
    stream.write_all(&latin1(&head)?)?;
    // A server may answer (413) and close before reading a large body; the answer still counts.
    let _ = stream.write_all(&request.body);

    let mut raw = Vec::new();
    match stream.read_to_end(&mut raw) {
        Ok(_) => {}
        // A reset after a complete early answer: keep what arrived.
        Err(e) if !raw.is_empty() && e.kind() == std::io::ErrorKind::ConnectionReset => {}
        Err(e) => return Err(e),
    }
    parse(&raw)
}

pub fn parse(raw: &[u8]) -> std::io::Result<Response> {
    let invalid = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| invalid("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().ok_or_else(|| invalid("empty answer"))?;
    let status =
        status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| invalid("bad status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let body = &raw[split + 4..];
    let chunked =
        headers.iter().any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked"));
    // An answer to HEAD announces its encoding but sends no body at all.
    let body = if chunked && !body.is_empty() {
        dechunk(body).ok_or_else(|| invalid("bad chunked body"))?
    } else {
        body.to_vec()
    };
    Ok(Response { status, headers, body })
}

fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_chunked_answers() {
        let plain = parse(b"HTTP/1.1 201 Created\r\nLocation: /x/1\r\nContent-Length: 2\r\n\r\n{}").expect("parses");
        assert_eq!((plain.status, plain.header("location"), plain.text().as_str()), (201, Some("/x/1"), "{}"));
        let chunked = parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
            .expect("parses");
        assert_eq!(chunked.text(), "abcde");
    }

    #[test]
    fn reports_show_labels_instead_of_tokens() {
        let request = Request::new("GET", "/a").bearer("secret.token.value", "admin token");
        assert!(request.describe().contains("Bearer <admin token>"));
        assert!(!request.describe().contains("secret.token.value"));
        let spaced = Request::new("GET", "/a").around("Bearer \t", "secret.token.value", " ", "reader token");
        assert!(spaced.describe().contains("Bearer \\t<reader token> "), "{}", spaced.describe());
        assert!(!spaced.describe().contains("secret.token.value"));
    }

    #[test]
    fn the_head_goes_out_one_byte_per_character() {
        assert_eq!(latin1("Bearer \u{a0}x").expect("Latin-1"), b"Bearer \xa0x");
        assert_eq!(latin1("\u{20ac}").expect_err("beyond Latin-1").kind(), std::io::ErrorKind::InvalidInput);
    }
}
