//! The optional online helpers: one small client per service, each used only when the user
//! asks. Every failure is a typed [`OnlineError`] with a message that says what to do.

pub mod github;
pub mod pypi;

use serde::de::DeserializeOwned;
use std::sync::Mutex;
use std::time::Duration;
use time::OffsetDateTime;

/// How long to wait for a connection, and for a whole answer.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long to wait for a whole answer.
pub const READ_TIMEOUT: Duration = Duration::from_secs(15);
/// The User-Agent every request carries: the app and where to reach its authors.
pub const USER_AGENT: &str = concat!(
    "pypi-recovery-assistant/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/pypi-recovery/pypi-recovery-assistant)"
);

/// Why an online action failed. Nothing was changed locally when it did.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OnlineError {
    /// No connection could be made.
    #[error("Could not reach {0}. Check your internet connection, then try again.")]
    Offline(&'static str),
    /// The host name could not be resolved.
    #[error(
        "Could not look up {0}'s address (DNS). Check your internet connection or DNS settings."
    )]
    Dns(&'static str),
    /// The secure connection failed.
    #[error("The secure connection to {0} failed (TLS). A proxy or a wrong system clock can cause this.")]
    Tls(&'static str),
    /// No answer in time.
    #[error("{0} did not answer in time. Try again in a moment.")]
    Timeout(&'static str),
    /// The thing asked for does not exist.
    #[error("{0} says this does not exist (404).")]
    NotFound(&'static str),
    /// PyPI has no project of that name.
    #[error("PyPI has no project called “{0}”. Check the name as it appears on pypi.org.")]
    NoProject(String),
    /// Too many requests; `retry` says when to try again, when the service said.
    #[error("{service} limits how often it can be asked. Nothing is lost; try again {}.", retry.map_or_else(|| "later".to_owned(), |retry| retry.to_string()))]
    RateLimited {
        /// The service.
        service: &'static str,
        /// When the limit resets.
        retry: Option<Retry>,
    },
    /// The service failed.
    #[error("{0} is having problems (HTTP {1}). Try again later.")]
    Server(&'static str, u16),
    /// Another unexpected status.
    #[error("{0} refused the request (HTTP {1}).")]
    Status(&'static str, u16),
    /// The answer could not be read.
    #[error("{0} sent an answer this app cannot read.")]
    Malformed(&'static str),
    /// The address given cannot be used.
    #[error("{0}")]
    BadInput(String),
}

/// When a rate-limited service may be asked again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// After this many seconds (a `Retry-After` header).
    InSeconds(u64),
    /// After this time (GitHub's `X-RateLimit-Reset`).
    At(OffsetDateTime),
}

impl std::fmt::Display for Retry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InSeconds(seconds) => write!(f, "in {seconds} seconds"),
            Self::At(time) => write!(f, "after {:02}:{:02} UTC", time.hour(), time.minute()),
        }
    }
}

/// The largest answer read, checked before and while reading: PyPI's JSON for a project with
/// thousands of releases runs to a few MB.
pub const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;
/// The ETag cache keeps the latest answers only, and only small ones.
const CACHE_ENTRIES: usize = 32;
const MAX_CACHED_BYTES: usize = 1024 * 1024;

/// Reads at most `max` bytes of `response`, refusing a larger one before or while reading.
pub(crate) fn read_capped(
    response: reqwest::blocking::Response,
    max: u64,
) -> Result<String, std::io::Error> {
    use std::io::Read;
    let too_large = || std::io::Error::other("the answer is too large");
    if response.content_length().is_some_and(|length| length > max) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    response
        .take(max + 1)
        .read_to_end(&mut body)
        .map_err(|error| {
            // reqwest wraps its own error; a body that stops arriving is a timeout, not garbage.
            let timed_out = (error.get_ref())
                .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
                .is_some_and(reqwest::Error::is_timeout);
            match timed_out {
                true => std::io::Error::new(std::io::ErrorKind::TimedOut, error),
                false => error,
            }
        })?;
    if body.len() as u64 > max {
        return Err(too_large());
    }
    String::from_utf8(body).map_err(std::io::Error::other)
}

/// A blocking HTTP client for one service, with ETag revalidation.
pub struct Client {
    service: &'static str,
    base: String,
    http: reqwest::blocking::Client,
    /// (URL, ETag, body) of the latest 200 answers, so a repeat costs the service nothing.
    cache: Mutex<Vec<(String, String, String)>>,
}

impl Client {
    /// A client for `service` at `base` (overridable for tests and mirrors).
    pub fn new(service: &'static str, base: &str) -> Result<Self, OnlineError> {
        Self::with_timeout(service, base, READ_TIMEOUT)
    }

    /// [`Client::new`] with another limit for a whole answer.
    pub fn with_timeout(
        service: &'static str,
        base: &str,
        timeout: Duration,
    ) -> Result<Self, OnlineError> {
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(OnlineError::BadInput(format!(
                "The {service} address must be an http(s) URL."
            )));
        }
        // reqwest is built without a crypto provider (Cargo.toml); this one serves the process.
        // An error only says one is installed already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::blocking::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(timeout)
            .user_agent(USER_AGENT)
            // A real service is https, and no redirect may downgrade it; only a local test
            // server (the base-URL override) speaks plain http.
            .https_only(base.starts_with("https://"))
            .build()
            .map_err(|_| OnlineError::Offline(service))?;
        Ok(Self {
            service,
            base: base.trim_end_matches('/').to_owned(),
            http,
            cache: Mutex::new(Vec::new()),
        })
    }

    /// The service's name, as messages give it.
    pub fn service(&self) -> &'static str {
        self.service
    }

    fn classify(&self, error: &reqwest::Error) -> OnlineError {
        if error.is_timeout() {
            return OnlineError::Timeout(self.service);
        }
        let mut chain = String::new();
        let mut source: Option<&dyn std::error::Error> = Some(error);
        while let Some(e) = source {
            chain.push_str(&e.to_string().to_lowercase());
            chain.push(' ');
            source = e.source();
        }
        if chain.contains("dns") || chain.contains("lookup address") {
            OnlineError::Dns(self.service)
        } else if chain.contains("certificate") || chain.contains("tls") {
            OnlineError::Tls(self.service)
        } else if error.is_decode() || error.is_body() {
            OnlineError::Malformed(self.service)
        } else {
            OnlineError::Offline(self.service)
        }
    }

    /// GETs `path` (with `Accept: application/json`); `Ok(None)` on 404.
    pub fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<Option<T>, OnlineError> {
        let Some(body) = self.get(path, &[("Accept", "application/json")])? else {
            return Ok(None);
        };
        serde_json::from_str(&body)
            .map(Some)
            .map_err(|_| OnlineError::Malformed(self.service))
    }

    /// GETs `path` with `headers`, and gives the body as text; `Ok(None)` on 404. An answer
    /// with an ETag is kept, and a repeat asks whether it changed.
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Result<Option<String>, OnlineError> {
        let url = format!("{}{path}", self.base);
        let cached = (self.cache.lock().unwrap_or_else(|p| p.into_inner()))
            .iter()
            .find(|(cached, _, _)| *cached == url)
            .map(|(_, etag, body)| (etag.clone(), body.clone()));
        let mut request = self.http.get(&url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some((etag, _)) = &cached {
            request = request.header("If-None-Match", etag);
        }
        let response = request.send().map_err(|e| self.classify(&e))?;
        let status = response.status().as_u16();
        match status {
            304 => match cached {
                Some((_, body)) => Ok(Some(body)),
                None => Err(OnlineError::Malformed(self.service)),
            },
            200..=299 => {
                let etag = response
                    .headers()
                    .get("etag")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                let body = read_capped(response, MAX_BODY_BYTES).map_err(|e| {
                    match e.kind() {
                        std::io::ErrorKind::TimedOut => OnlineError::Timeout(self.service),
                        _ => OnlineError::Malformed(self.service), // too large, cut off, not UTF-8
                    }
                })?;
                if let Some(etag) = etag.filter(|_| body.len() <= MAX_CACHED_BYTES) {
                    let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
                    cache.retain(|(cached, _, _)| *cached != url);
                    if cache.len() == CACHE_ENTRIES {
                        cache.remove(0);
                    }
                    cache.push((url, etag, body.clone()));
                }
                Ok(Some(body))
            }
            404 | 410 => Ok(None),
            _ => Err(self.refusal(status, response.headers())),
        }
    }

    /// Turns a non-success status into the error that explains it.
    fn refusal(&self, status: u16, headers: &reqwest::header::HeaderMap) -> OnlineError {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let exhausted = header("x-ratelimit-remaining").is_some_and(|v| v.trim() == "0");
        if status == 429 || (status == 403 && (exhausted || header("retry-after").is_some())) {
            let retry = header("retry-after")
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Retry::InSeconds)
                .or_else(|| {
                    header("x-ratelimit-reset")
                        .and_then(|v| v.trim().parse::<i64>().ok())
                        .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
                        .map(Retry::At)
                });
            return OnlineError::RateLimited {
                service: self.service,
                retry,
            };
        }
        if status >= 500 {
            OnlineError::Server(self.service, status)
        } else {
            OnlineError::Status(self.service, status)
        }
    }
}

/// A repository's address as `url::Url` reads it: the host lowercased and without `www.`, and
/// the first two path segments (owner and repository, `.git` dropped) where there are two.
pub(crate) struct RepoAddress {
    pub url: url::Url,
    pub host: String,
    pub owner_and_name: Option<(String, String)>,
}

/// Reads `scheme://host/owner/repo…`, or git's `git@host:owner/repo` (not a URL: read as the
/// `ssh://` address it stands for). `None` when it is not an address with a host.
pub(crate) fn repo_address(text: &str) -> Option<RepoAddress> {
    let text = text.trim();
    let url = match text.strip_prefix("git@") {
        Some(rest) if !rest.contains("://") => {
            let (host, path) = rest.split_once(':')?;
            url::Url::parse(&format!("ssh://git@{host}/{path}")).ok()?
        }
        _ => url::Url::parse(text).ok()?,
    };
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    let mut segments = url.path_segments()?.filter(|s| !s.is_empty());
    let owner_and_name = match (segments.next(), segments.next()) {
        (Some(owner), Some(name)) => Some((
            owner.to_owned(),
            name.strip_suffix(".git").unwrap_or(name).to_owned(),
        )),
        _ => None,
    };
    Some(RepoAddress {
        url,
        host,
        owner_and_name,
    })
}

/// Rejects text that cannot be part of a URL path segment we build: empty, too long,
/// whitespace, separators, `..`, or anything outside `[A-Za-z0-9._-]`.
pub(crate) fn path_segment<'a>(text: &'a str, what: &str) -> Result<&'a str, OnlineError> {
    let ok = !text.is_empty()
        && text.len() <= 100
        && text != "."
        && !text.contains("..")
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(text)
    } else {
        Err(OnlineError::BadInput(format!(
            "“{}” is not a valid {what}.",
            text.chars().take(40).collect::<String>()
        )))
    }
}
