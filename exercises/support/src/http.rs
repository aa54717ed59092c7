//! Real HTTP requests to a student's axum router: the router is served on an
//! ephemeral port of 127.0.0.1 and spoken to over TCP, so routing, extractors,
//! status codes, headers and bodies are exercised exactly as a client would
//! see them.
//!
//! The client is hyper's own HTTP/1.1 client (the hyper axum serves with), one
//! connection per request, so responses are framed by `Content-Length` or
//! chunked encoding as the protocol says, and bodies are kept as bytes. Every
//! request has a time limit; whatever goes wrong — no answer in time, a
//! handler that panicked, a body that is not UTF-8 or not JSON — comes back as
//! a [`Failure`] that names the request and is written for the student.
//!
//! ```text
//! let server = Server::start(router).await?;
//! let created = server.post("/tags", &json!({"name": "documents"})).await?;
//! created.expect_status(201)?;
//! let tag: Tag = created.json_as()?;
//! let listed = server
//!     .send(Request::new("GET", "/tags").header("accept", "application/json"))
//!     .await?;
//! ```

mod exchange;
mod request;
mod response;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;

use crate::failure::{Failure, fail};

pub use request::Request;
pub use response::Response;

/// How long one request may take, from connecting to the last byte of the
/// body, before the check fails; [`Server::with_limit`] changes it.
pub const REQUEST_LIMIT: Duration = Duration::from_secs(10);

/// The largest response body a check reads; a larger one is a failure rather
/// than memory spent on a runaway handler.
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// A router being served on 127.0.0.1; stopped when dropped.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
    limit: Duration,
}

impl Server {
    /// Serves `router` on 127.0.0.1 at a free port.
    pub async fn start(router: Router) -> Result<Server, Failure> {
        let cannot_listen = |e: std::io::Error| {
            fail(format!(
                "cannot start the HTTP server: listening on 127.0.0.1 failed: {e}"
            ))
            .ru(format!(
                "не удалось запустить HTTP-сервер: слушать 127.0.0.1 не вышло: {e}"
            ))
        };
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(cannot_listen)?;
        let addr = listener.local_addr().map_err(cannot_listen)?;
        let task = tokio::spawn(async move {
            // `serve` only returns if accepting fails for good; requests then
            // fail to connect and say so.
            let _ = axum::serve(listener, router).await;
        });
        Ok(Server {
            addr,
            task,
            limit: REQUEST_LIMIT,
        })
    }

    /// The same server with another time limit per request (the default is
    /// [`REQUEST_LIMIT`]).
    #[must_use]
    pub fn with_limit(mut self, limit: Duration) -> Server {
        self.limit = limit;
        self
    }

    /// The time limit per request.
    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// The address the router is served at.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Sends `request` on a new connection and reads the whole response.
    pub async fn send(&self, request: Request) -> Result<Response, Failure> {
        if self.task.is_finished() {
            return Err(fail(format!(
                "{}: the HTTP server is no longer running",
                request.line()
            ))
            .ru(format!(
                "{}: HTTP-сервер больше не работает",
                request.line()
            )));
        }
        exchange::run(self.addr, self.limit, request).await
    }

    /// Sends `method path`; `body`, if any, goes as JSON.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Response, Failure> {
        let request = Request::new(method, path);
        let request = match body {
            Some(body) => request.json(body),
            None => request,
        };
        self.send(request).await
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Result<Response, Failure> {
        self.request("GET", path, None).await
    }

    /// `DELETE path`.
    pub async fn delete(&self, path: &str) -> Result<Response, Failure> {
        self.request("DELETE", path, None).await
    }

    /// `POST path` with a JSON body.
    pub async fn post(&self, path: &str, body: &serde_json::Value) -> Result<Response, Failure> {
        self.request("POST", path, Some(body)).await
    }

    /// `PUT path` with a JSON body.
    pub async fn put(&self, path: &str, body: &serde_json::Value) -> Result<Response, Failure> {
        self.request("PUT", path, Some(body)).await
    }

    /// `PATCH path` with a JSON body.
    pub async fn patch(&self, path: &str, body: &serde_json::Value) -> Result<Response, Failure> {
        self.request("PATCH", path, Some(body)).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}
