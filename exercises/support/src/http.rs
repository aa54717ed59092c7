//! Real HTTP requests to a student's axum router: the router is served on an
//! ephemeral port of 127.0.0.1 and spoken to over TCP, so routing, extractors,
//! status codes, headers and JSON bodies are exercised exactly as a client
//! would see them. The client is a few lines of HTTP/1.1 (`Connection: close`),
//! which is all a check needs; every request has a time limit.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::failure::{Failure, fail};

/// How long one request may take before the check fails.
pub const REQUEST_LIMIT: Duration = Duration::from_secs(10);

/// A router being served; stopped when dropped.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

/// A response as the client saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers, names in lowercase.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl Response {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> Result<serde_json::Value, Failure> {
        serde_json::from_str(&self.body).map_err(|e| {
            fail(format!(
                "the response body is not JSON ({e}): {}",
                short(&self.body)
            ))
            .ru(format!(
                "тело ответа — не JSON ({e}): {}",
                short(&self.body)
            ))
        })
    }
}

fn short(text: &str) -> String {
    let cut: String = text.chars().take(200).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

impl Server {
    /// Serves `router` on 127.0.0.1 at a free port.
    pub async fn start(router: Router) -> Result<Server, Failure> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| {
            fail(format!("cannot listen on 127.0.0.1: {e}"))
                .ru(format!("не удалось слушать 127.0.0.1: {e}"))
        })?;
        let addr = listener.local_addr().map_err(|e| fail(e.to_string()))?;
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(Server { addr, task })
    }

    /// Sends a request; `body`, if any, goes as JSON.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Response, Failure> {
        let body = body.map(serde_json::Value::to_string).unwrap_or_default();
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        if !body.is_empty() {
            request.push_str("Content-Type: application/json\r\n");
        }
        let _ = write!(request, "Content-Length: {}\r\n\r\n{body}", body.len());
        let exchange = async {
            let mut stream = TcpStream::connect(self.addr).await?;
            stream.write_all(request.as_bytes()).await?;
            let mut raw = Vec::new();
            stream.read_to_end(&mut raw).await?;
            Ok::<_, std::io::Error>(raw)
        };
        let raw = match tokio::time::timeout(REQUEST_LIMIT, exchange).await {
            Ok(Ok(raw)) => raw,
            Ok(Err(e)) => {
                return Err(fail(format!("{method} {path} failed: {e}"))
                    .ru(format!("{method} {path} не удался: {e}")));
            }
            Err(_) => {
                let seconds = REQUEST_LIMIT.as_secs();
                return Err(fail(format!(
                    "{method} {path} got no response within {seconds} s"
                ))
                .ru(format!("{method} {path} не получил ответа за {seconds} с")));
            }
        };
        parse(&raw).ok_or_else(|| {
            fail(format!("{method} {path}: the response is not valid HTTP"))
                .ru(format!("{method} {path}: ответ — не HTTP"))
        })
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Result<Response, Failure> {
        self.request("GET", path, None).await
    }

    /// `POST path` with a JSON body.
    pub async fn post(&self, path: &str, body: &serde_json::Value) -> Result<Response, Failure> {
        self.request("POST", path, Some(body)).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Parses a complete HTTP/1.1 response (plain or chunked body).
fn parse(raw: &[u8]) -> Option<Response> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    if chunked {
        body = dechunk(&body)?;
    }
    Some(Response {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use axum::Json;
    use axum::extract::Path;
    use axum::http::StatusCode;
    use axum::routing::get;
    use serde_json::{Value, json};

    use super::*;

    fn router() -> Router {
        Router::new()
            .route(
                "/tags",
                get(|| async { Json(json!([{"id": 1, "name": "valuable"}])) }).post(
                    |Json(body): Json<Value>| async move {
                        match body.get("name").and_then(Value::as_str) {
                            Some(name) if !name.trim().is_empty() => {
                                (StatusCode::CREATED, Json(json!({"id": 2, "name": name})))
                            }
                            _ => (
                                StatusCode::UNPROCESSABLE_ENTITY,
                                Json(json!({"error": "name is required"})),
                            ),
                        }
                    },
                ),
            )
            .route(
                "/tags/{id}",
                get(|Path(id): Path<i64>| async move {
                    if id == 1 {
                        Ok(Json(json!({"id": 1})))
                    } else {
                        Err(StatusCode::NOT_FOUND)
                    }
                }),
            )
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn requests_go_over_real_http() {
        let server = Server::start(router()).await.unwrap();
        let list = server.get("/tags").await.unwrap();
        assert_eq!(list.status, 200);
        assert_eq!(list.header("Content-Type"), Some("application/json"));
        assert_eq!(list.json().unwrap(), json!([{"id": 1, "name": "valuable"}]));
        let created = server
            .post("/tags", &json!({"name": "documents"}))
            .await
            .unwrap();
        assert_eq!(
            (created.status, created.json().unwrap()),
            (201, json!({"id": 2, "name": "documents"}))
        );
        assert_eq!(
            server
                .post("/tags", &json!({"name": " "}))
                .await
                .unwrap()
                .status,
            422
        );
        assert_eq!(server.get("/tags/7").await.unwrap().status, 404);
        assert_eq!(server.get("/nowhere").await.unwrap().status, 404);
        // A body that is not JSON is a readable failure, not a panic.
        let failure = server.get("/tags/7").await.unwrap().json().unwrap_err();
        assert!(failure.message.contains("not JSON"), "{failure}");
    }

    #[test]
    fn chunked_bodies_are_joined() {
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n";
        assert_eq!(parse(raw).unwrap().body, "Wikipedia");
    }
}
