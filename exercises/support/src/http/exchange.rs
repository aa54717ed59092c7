//! One request and its response over a fresh TCP connection to 127.0.0.1,
//! spoken by hyper's HTTP/1.1 client, and what to tell the student when that
//! goes wrong: no answer within the limit, a connection closed half-way (a
//! handler that panicked), an answer that is not HTTP.

use std::error::Error;
use std::net::SocketAddr;
use std::time::Duration;

use http_body_util::{BodyExt as _, Full, LengthLimitError, Limited};
use hyper::body::Bytes;
use hyper::header::{HOST, HeaderName, HeaderValue};
use hyper::{Method, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

use super::{BODY_LIMIT, Request, Response};
use crate::failure::{Failure, fail};

/// What went wrong between sending and having the whole response.
#[derive(Debug)]
enum Trouble {
    /// The TCP connection could not be made.
    Connect(std::io::Error),
    /// HTTP failed: the connection closed early, the answer did not parse.
    Http(hyper::Error),
    /// The body passed [`BODY_LIMIT`].
    TooLarge,
    /// Reading the body failed otherwise.
    Body(Box<dyn Error + Send + Sync>),
}

/// Sends `request` to `addr` and reads the whole response within `limit`.
pub(super) async fn run(
    addr: SocketAddr,
    limit: Duration,
    request: Request,
) -> Result<Response, Failure> {
    let outgoing = outgoing(addr, &request)?;
    match tokio::time::timeout(limit, exchange(addr, outgoing)).await {
        Ok(Ok((parts, body))) => Ok(Response {
            method: request.method,
            path: request.path,
            status: parts.status.as_u16(),
            headers: parts
                .headers
                .iter()
                .map(|(name, value)| {
                    let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                    (name.as_str().to_owned(), value)
                })
                .collect(),
            body: body.to_vec(),
        }),
        Ok(Err(trouble)) => Err(explain(&request, addr, trouble)),
        Err(_) => Err(timed_out(&request, limit)),
    }
}

/// Connects, sends and reads. The connection is driven by a task of its own,
/// which is ended when this returns or is dropped at the time limit.
async fn exchange(
    addr: SocketAddr,
    request: hyper::Request<Full<Bytes>>,
) -> Result<(hyper::http::response::Parts, Bytes), Trouble> {
    let stream = TcpStream::connect(addr).await.map_err(Trouble::Connect)?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(Trouble::Http)?;
    // Errors of the connection reach `send_request` or the body as well.
    let _driver = AbortOnDrop(tokio::spawn(async move {
        let _ = connection.await;
    }));
    let response = sender.send_request(request).await.map_err(Trouble::Http)?;
    let (parts, body) = response.into_parts();
    let body = Limited::new(body, BODY_LIMIT)
        .collect()
        .await
        .map_err(|e| match e.downcast::<hyper::Error>() {
            Ok(e) => Trouble::Http(*e),
            Err(e) if e.is::<LengthLimitError>() => Trouble::TooLarge,
            Err(e) => Trouble::Body(e),
        })?
        .to_bytes();
    Ok((parts, body))
}

/// Ends a task when dropped.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The request as hyper sends it, or a failure saying why the check's own
/// request cannot be sent (a mistake of the check's author).
fn outgoing(addr: SocketAddr, request: &Request) -> Result<hyper::Request<Full<Bytes>>, Failure> {
    let malformed = |en: &str, ru: &str| {
        fail(format!(
            "the check's request `{}` cannot be sent: {en}",
            request.line()
        ))
        .ru(format!(
            "запрос проверки `{}` нельзя отправить: {ru}",
            request.line()
        ))
    };
    let method = Method::from_bytes(request.method.as_bytes())
        .map_err(|_| malformed("the method is not a valid token", "метод — не токен HTTP"))?;
    let uri = match request.path.parse::<Uri>() {
        Ok(uri) if request.path.starts_with('/') => uri,
        _ => {
            return Err(malformed(
                "the path must start with `/` and be percent-encoded",
                "путь должен начинаться с `/` и быть в percent-encoding",
            ));
        }
    };
    let mut builder = hyper::Request::builder().method(method).uri(uri);
    if !request.has_header("host") {
        builder = builder.header(HOST, addr.to_string());
    }
    for (name, value) in &request.headers {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            malformed(
                &format!("`{name}` is not a valid header name"),
                &format!("`{name}` — не имя заголовка"),
            )
        })?;
        let value = HeaderValue::from_str(value).map_err(|_| {
            malformed(
                &format!("the value of `{name}` is not a valid header value"),
                &format!("значение `{name}` — не значение заголовка"),
            )
        })?;
        builder = builder.header(name, value);
    }
    builder
        .body(Full::new(Bytes::from(request.body.clone())))
        .map_err(|e| malformed(&e.to_string(), &e.to_string()))
}

/// What the student reads when the exchange failed.
fn explain(request: &Request, addr: SocketAddr, trouble: Trouble) -> Failure {
    let line = request.line();
    match trouble {
        Trouble::Connect(e) => fail(format!(
            "{line}: could not connect to the HTTP server at {addr}: {e}"
        ))
        .ru(format!(
            "{line}: не удалось подключиться к HTTP-серверу {addr}: {e}"
        )),
        Trouble::Http(e) if e.is_incomplete_message() || e.is_closed() || e.is_canceled() => {
            fail(format!(
                "{line}: the server closed the connection before answering in full; did the handler panic?"
            ))
            .ru(format!(
                "{line}: сервер закрыл соединение, не ответив до конца; не упал ли обработчик с паникой?"
            ))
            .evidence(format!("error / ошибка: {}", chain(&e)))
        }
        Trouble::Http(e) if e.is_parse() => fail(format!(
            "{line}: the answer is not valid HTTP/1.1 ({})",
            chain(&e)
        ))
        .ru(format!("{line}: ответ — не HTTP/1.1 ({})", chain(&e))),
        Trouble::Http(e) => fail(format!("{line} failed: {}", chain(&e)))
            .ru(format!("{line} не удался: {}", chain(&e))),
        Trouble::TooLarge => {
            let mib = BODY_LIMIT / (1024 * 1024);
            fail(format!(
                "{line}: the response body is larger than {mib} MiB, more than a check reads"
            ))
            .ru(format!(
                "{line}: тело ответа больше {mib} МиБ — столько проверка не читает"
            ))
        }
        Trouble::Body(e) => fail(format!("{line}: reading the response body failed: {}", chain(&*e)))
            .ru(format!("{line}: не удалось прочитать тело ответа: {}", chain(&*e))),
    }
}

/// What the student reads when no whole response came within `limit`.
fn timed_out(request: &Request, limit: Duration) -> Failure {
    let line = request.line();
    let [en, ru] = duration(limit);
    fail(format!(
        "{line} got no complete response within {en}: is a handler waiting forever, \
         for example for a pool connection that is never returned or a lock held across `.await`?"
    ))
    .ru(format!(
        "{line} не получил полного ответа за {ru}: не ждёт ли обработчик вечно, \
         например соединения из пула, которое никто не вернул, или блокировки, удерживаемой через `.await`?"
    ))
}

/// `10 s` or `250 ms`, in English and Russian.
fn duration(limit: Duration) -> [String; 2] {
    if limit.subsec_nanos() == 0 {
        let s = limit.as_secs();
        [format!("{s} s"), format!("{s} с")]
    } else {
        let ms = limit.as_millis();
        [format!("{ms} ms"), format!("{ms} мс")]
    }
}

/// An error and its causes, `outer: inner`.
fn chain(error: &(dyn Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_in_the_unit_they_were_given_in() {
        assert_eq!(duration(Duration::from_secs(10)), ["10 s", "10 с"]);
        assert_eq!(duration(Duration::from_millis(300)), ["300 ms", "300 мс"]);
    }

    #[test]
    fn a_malformed_request_blames_the_check() {
        let addr = SocketAddr::from(([127, 0, 0, 1], 1));
        let failure = outgoing(addr, &Request::new("GET", "tags")).unwrap_err();
        assert_eq!(
            failure.message,
            "the check's request `GET tags` cannot be sent: the path must start with `/` and be percent-encoded"
        );
        let failure =
            outgoing(addr, &Request::new("GET", "/").header("bad name", "x")).unwrap_err();
        assert!(
            failure
                .message
                .ends_with("`bad name` is not a valid header name"),
            "{failure}"
        );
        let failure = outgoing(addr, &Request::new("GET", "/").header("x", "a\nb")).unwrap_err();
        assert!(
            failure
                .message
                .ends_with("the value of `x` is not a valid header value"),
            "{failure}"
        );
    }
}
