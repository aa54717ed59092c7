//! A request a check sends: method, path, headers and body, built up with
//! small methods and checked only when sent, so building never fails.

/// A request to send with [`Server::send`](super::Server::send).
///
/// ```text
/// Request::new("PUT", "/tags/3")
///     .header("if-match", "\"v2\"")
///     .json(&json!({"name": "papers"}))
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub(super) method: String,
    pub(super) path: String,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

impl Request {
    /// `method path` with no headers and an empty body. `path` is what
    /// follows the host, `/tags?limit=5`, percent-encoded where needed.
    pub fn new(method: &str, path: &str) -> Request {
        Request {
            method: method.to_owned(),
            path: path.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header (sent as given, after any added before; `Host` and
    /// `Content-Length` are filled in unless given).
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body to `body` as JSON, with `Content-Type: application/json`
    /// unless a content type was given.
    #[must_use]
    pub fn json(mut self, body: &serde_json::Value) -> Request {
        if !self.has_header("content-type") {
            self = self.header("content-type", "application/json");
        }
        self.body(body.to_string())
    }

    /// Sets the body to these bytes as they are (no content type is added).
    #[must_use]
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Request {
        self.body = body.into();
        self
    }

    /// The method, as given.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path, as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// `METHOD path`, as messages name the request.
    pub(super) fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    pub(super) fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }
}
