//! A response as the client saw it, and the ways a check reads it: a header,
//! the body as text or JSON, the status it should have. Each reading that can
//! go wrong returns a [`Failure`] naming the request and quoting the body.

use std::fmt::Write as _;

use serde::de::DeserializeOwned;

use crate::failure::{Failure, fail};

/// How much of a body a message quotes.
const QUOTED: usize = 300;

/// A response as the client saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The method of the request this answers, as sent.
    pub method: String,
    /// The path of the request this answers, as sent.
    pub path: String,
    /// The status code.
    pub status: u16,
    /// Headers in the order received, names in lowercase; values that are not
    /// UTF-8 have their bad bytes replaced.
    pub headers: Vec<(String, String)>,
    /// The body, exactly as received (after chunked encoding is undone).
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Fails unless the status is `expected`, quoting the body (which often
    /// says why).
    pub fn expect_status(&self, expected: u16) -> Result<&Response, Failure> {
        if self.status == expected {
            return Ok(self);
        }
        let (got, want) = (status_line(self.status), status_line(expected));
        Err(
            fail(format!("{} answered {got}, expected {want}", self.line()))
                .ru(format!("{} ответил {got}, а ожидался {want}", self.line()))
                .evidence(self.quoted_body()),
        )
    }

    /// The body as text; a body that is not UTF-8 is a failure, never
    /// silently repaired.
    pub fn text(&self) -> Result<&str, Failure> {
        std::str::from_utf8(&self.body).map_err(|e| {
            let at = e.valid_up_to();
            let kind = self
                .header("content-type")
                .map(|t| format!(", Content-Type: {t}"))
                .unwrap_or_default();
            fail(format!(
                "the body of the response to {} is not UTF-8 text (byte {at} starts no character{kind})",
                self.line()
            ))
            .ru(format!(
                "тело ответа на {} — не текст в UTF-8 (байт {at} не начинает символ{kind})",
                self.line()
            ))
            .evidence(self.quoted_body())
        })
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> Result<serde_json::Value, Failure> {
        let text = self.text()?;
        serde_json::from_str(text).map_err(|e| {
            fail(format!(
                "the body of the response to {} is not JSON ({e})",
                self.line()
            ))
            .ru(format!("тело ответа на {} — не JSON ({e})", self.line()))
            .evidence(self.quoted_body())
        })
    }

    /// The body parsed as JSON into `T`: a body that is not JSON, or JSON of
    /// another shape (a missing field, a string for a number), is a failure
    /// saying which.
    pub fn json_as<T: DeserializeOwned>(&self) -> Result<T, Failure> {
        let value = self.json()?;
        serde_json::from_value(value).map_err(|e| {
            fail(format!(
                "the JSON in the response to {} is not of the expected shape: {e}",
                self.line()
            ))
            .ru(format!(
                "JSON в ответе на {} не той формы, что ожидалась: {e}",
                self.line()
            ))
            .evidence(self.quoted_body())
        })
    }

    /// `METHOD path`, as messages name the request.
    fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// The body for a message: the start of its text, or its bytes escaped
    /// when it is not UTF-8.
    fn quoted_body(&self) -> String {
        format!("body / тело: {}", quote(&self.body))
    }
}

/// `404 Not Found`.
fn status_line(status: u16) -> String {
    let reason = hyper::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// The start of `body`, readably: text as it is, other bytes escaped
/// (`\xff`), with the full length when cut.
fn quote(body: &[u8]) -> String {
    if body.is_empty() {
        return "(empty / пусто)".to_owned();
    }
    let (mut quoted, cut) = if let Ok(text) = std::str::from_utf8(body) {
        let quoted: String = text.chars().take(QUOTED).collect();
        let cut = quoted.len() < text.len();
        (quoted, cut)
    } else {
        let start = &body[..body.len().min(QUOTED)];
        (start.escape_ascii().to_string(), start.len() < body.len())
    };
    if cut {
        let _ = write!(quoted, "… ({} bytes / байт)", body.len());
    }
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &[u8]) -> Response {
        Response {
            method: "GET".to_owned(),
            path: "/x".to_owned(),
            status,
            headers: vec![("content-type".to_owned(), "image/png".to_owned())],
            body: body.to_vec(),
        }
    }

    #[test]
    fn bodies_are_quoted_readably() {
        assert_eq!(quote(b""), "(empty / пусто)");
        assert_eq!(quote("ёлка".as_bytes()), "ёлка");
        assert_eq!(quote(b"ok\xff\x00"), "ok\\xff\\x00");
        let long = "я".repeat(QUOTED + 1);
        assert_eq!(
            quote(long.as_bytes()),
            format!("{}… (602 bytes / байт)", "я".repeat(QUOTED))
        );
    }

    #[test]
    fn text_that_is_not_utf8_is_a_failure() {
        let failure = response(200, b"PNG\x89\r\n").text().unwrap_err();
        assert_eq!(
            failure.message,
            "the body of the response to GET /x is not UTF-8 text (byte 3 starts no character, Content-Type: image/png)"
        );
        assert_eq!(failure.evidence, ["body / тело: PNG\\x89\\r\\n"]);
    }

    #[test]
    fn a_wrong_status_names_both() {
        let failure = response(500, b"boom").expect_status(201).unwrap_err();
        assert_eq!(
            failure.message,
            "GET /x answered 500 Internal Server Error, expected 201 Created"
        );
        assert_eq!(
            failure.message_ru.as_deref(),
            Some("GET /x ответил 500 Internal Server Error, а ожидался 201 Created")
        );
        assert_eq!(failure.evidence, ["body / тело: boom"]);
        assert_eq!(status_line(599), "599");
    }
}
