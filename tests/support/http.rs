//! A local HTTP server for client tests: canned answers by path, every request recorded.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One canned answer.
#[derive(Clone)]
pub struct Reply {
    pub status: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    pub fn json(body: impl Into<String>) -> Self {
        Self {
            status: "200 OK",
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn text(body: impl Into<String>) -> Self {
        Self {
            headers: vec![("Content-Type".into(), "text/plain".into())],
            ..Self::json(body)
        }
    }

    pub fn status(status: &'static str) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: String::new(),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// Routes are matched in order by path prefix; a reply with an ETag answers a matching
/// If-None-Match with 304; the first request line and headers of every
/// request are kept (lower-cased) for assertions.
pub struct Server {
    pub url: String,
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(routes: Vec<(&'static str, Reply)>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let routes = routes.clone();
                let seen = seen.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut request = String::new();
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                            break;
                        }
                        request.push_str(&line);
                    }
                    let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    seen.lock().unwrap().push(request.to_lowercase());
                    let mut reply = routes
                        .iter()
                        .find(|(prefix, _)| path.starts_with(prefix))
                        .map(|(_, reply)| reply.clone())
                        .unwrap_or_else(|| Reply::status("404 Not Found"));
                    // Like GitHub and PyPI's CDN: a matching If-None-Match gets 304, no body.
                    let etag = reply
                        .headers
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case("etag"))
                        .map(|(_, v)| v.to_lowercase());
                    if let Some(etag) = etag {
                        if request
                            .to_lowercase()
                            .contains(&format!("if-none-match: {etag}"))
                        {
                            reply = Reply::status("304 Not Modified");
                        }
                    }
                    std::thread::sleep(reply.delay);
                    let mut head = format!(
                        "HTTP/1.1 {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                        reply.status,
                        reply.body.len()
                    );
                    for (name, value) in &reply.headers {
                        let _ = write!(head, "{name}: {value}\r\n");
                    }
                    let _ = stream.write_all(format!("{head}\r\n{}", reply.body).as_bytes());
                });
            }
        });
        Self { url, requests }
    }

    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// An address where nothing listens: a port bound and let go at once, so connecting is refused.
pub fn refused_url() -> String {
    let address = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    format!("http://{address}")
}
