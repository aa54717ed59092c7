//! The HTTP helper against real axum routers on 127.0.0.1: responses framed by
//! `Content-Length` or chunked encoding, bodies kept as bytes, JSON both ways,
//! statuses with bodies, custom headers, and the failures a student reads when
//! a handler hangs, panics or answers with something that is not text.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Json;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use hyper::body::Frame;
use serde::Deserialize;
use serde_json::{Value, json};
use workbook_support::http::{Request, Server};

/// A short limit, so the tests that need one end quickly.
const SHORT: Duration = Duration::from_millis(300);

#[derive(Debug, PartialEq, Deserialize)]
struct Tag {
    id: i64,
    name: String,
}

#[derive(Deserialize)]
struct NewTag {
    name: String,
}

fn tags() -> Router {
    Router::new()
        .route(
            "/tags",
            get(|| async { Json(json!([{"id": 1, "name": "valuable"}])) }).post(
                |Json(tag): Json<NewTag>| async move {
                    if tag.name.trim().is_empty() {
                        return (
                            StatusCode::UNPROCESSABLE_ENTITY,
                            Json(json!({"error": "name must not be blank"})),
                        );
                    }
                    (
                        StatusCode::CREATED,
                        Json(json!({"id": 2, "name": tag.name})),
                    )
                },
            ),
        )
        .route(
            "/tags/{id}",
            get(|Path(id): Path<i64>| async move {
                if id == 1 {
                    Ok(Json(json!({"id": 1, "name": "valuable"})))
                } else {
                    Err((
                        StatusCode::NOT_FOUND,
                        Json(json!({"error": format!("no tag {id}")})),
                    ))
                }
            })
            .put(|Path(id): Path<i64>, Json(tag): Json<NewTag>| async move {
                Json(json!({"id": id, "name": tag.name}))
            })
            .patch(|Path(id): Path<i64>, Json(patch): Json<Value>| async move {
                Json(json!({"id": id, "patched": patch}))
            })
            .delete(|| async { StatusCode::NO_CONTENT }),
        )
}

#[tokio::test(flavor = "multi_thread")]
async fn json_goes_both_ways() {
    let server = Server::start(tags()).await.unwrap();

    let list = server.get("/tags").await.unwrap();
    assert_eq!(list.status, 200);
    assert_eq!(list.header("Content-Type"), Some("application/json"));
    assert_eq!(list.json().unwrap(), json!([{"id": 1, "name": "valuable"}]));

    let created = server
        .post("/tags", &json!({"name": "documents"}))
        .await
        .unwrap();
    created.expect_status(201).unwrap();
    assert_eq!(
        created.json_as::<Tag>().unwrap(),
        Tag {
            id: 2,
            name: "documents".to_owned()
        }
    );

    let put = server
        .put("/tags/3", &json!({"name": "papers"}))
        .await
        .unwrap();
    assert_eq!(put.json().unwrap(), json!({"id": 3, "name": "papers"}));
    let patched = server
        .patch("/tags/3", &json!({"name": "keys"}))
        .await
        .unwrap();
    assert_eq!(
        patched.json().unwrap(),
        json!({"id": 3, "patched": {"name": "keys"}})
    );
    let deleted = server.delete("/tags/3").await.unwrap();
    assert_eq!((deleted.status, deleted.body.as_slice()), (204, &b""[..]));
}

#[tokio::test(flavor = "multi_thread")]
async fn error_statuses_come_with_their_bodies() {
    let server = Server::start(tags()).await.unwrap();

    let missing = server.get("/tags/7").await.unwrap();
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json().unwrap(), json!({"error": "no tag 7"}));
    let failure = missing.expect_status(200).unwrap_err();
    assert_eq!(
        failure.message,
        "GET /tags/7 answered 404 Not Found, expected 200 OK"
    );
    assert_eq!(failure.evidence, [r#"body / тело: {"error":"no tag 7"}"#]);

    let nowhere = server.get("/nowhere").await.unwrap();
    assert_eq!((nowhere.status, nowhere.text().unwrap()), (404, ""));

    let blank = server.post("/tags", &json!({"name": " "})).await.unwrap();
    assert_eq!(blank.status, 422);
    assert_eq!(
        blank.json().unwrap(),
        json!({"error": "name must not be blank"})
    );

    // axum's own rejection: 422 with a plain-text body saying why.
    let rejected = server.post("/tags", &json!({"title": "x"})).await.unwrap();
    assert_eq!(rejected.status, 422);
    assert!(
        rejected.text().unwrap().contains("missing field `name`"),
        "{:?}",
        rejected.text()
    );
    let failure = rejected.json().unwrap_err();
    assert!(
        failure
            .message
            .starts_with("the body of the response to POST /tags is not JSON ("),
        "{failure}"
    );

    let failure = server.get("/tags/1").await.unwrap().json_as::<Vec<Tag>>();
    assert_eq!(
        failure.unwrap_err().message,
        "the JSON in the response to GET /tags/1 is not of the expected shape: \
         invalid type: map, expected a sequence"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_declared_length_is_read_exactly_on_a_connection_left_open() {
    // The server keeps the connection open after answering (keep-alive), so
    // only `Content-Length` says where the body ends: a client that read to
    // the end of the stream would wait for the time limit.
    let router =
        Router::new().route(
            "/echo",
            post(|body: Bytes| async move {
                ([(header::CONTENT_TYPE, "application/octet-stream")], body)
            }),
        );
    let server = Server::start(router).await.unwrap().with_limit(SHORT);
    let sent: Vec<u8> = (0..=255).chain(0..=255).collect();
    let started = Instant::now();
    let echoed = server
        .send(Request::new("POST", "/echo").body(sent.clone()))
        .await
        .unwrap();
    assert!(started.elapsed() < SHORT, "{:?}", started.elapsed());
    assert_eq!(echoed.header("content-length"), Some("512"));
    assert_eq!(echoed.header("transfer-encoding"), None);
    assert_eq!(echoed.body, sent);
}

/// A body of unknown length, so hyper sends it chunked.
struct Chunks(VecDeque<&'static [u8]>);

impl hyper::body::Body for Chunks {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(
            self.0
                .pop_front()
                .map(|chunk| Ok(Frame::data(Bytes::from_static(chunk)))),
        )
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn chunked_bodies_are_joined() {
    let router = Router::new().route(
        "/wiki",
        get(|| async { Body::new(Chunks(VecDeque::from([&b"Wiki"[..], b"pe", b"dia"]))) }),
    );
    let server = Server::start(router).await.unwrap().with_limit(SHORT);
    let response = server.get("/wiki").await.unwrap();
    assert_eq!(response.header("transfer-encoding"), Some("chunked"));
    assert_eq!(response.header("content-length"), None);
    assert_eq!(response.text().unwrap(), "Wikipedia");
}

#[tokio::test(flavor = "multi_thread")]
async fn bytes_that_are_not_text_are_kept_and_reported() {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\xff\x00";
    let router = Router::new().route(
        "/logo",
        get(|| async { ([(header::CONTENT_TYPE, "image/png")], PNG) }),
    );
    let server = Server::start(router).await.unwrap();
    let logo = server.get("/logo").await.unwrap();
    assert_eq!(logo.body, PNG);

    let failure = logo.text().unwrap_err();
    assert_eq!(
        failure.message,
        "the body of the response to GET /logo is not UTF-8 text \
         (byte 0 starts no character, Content-Type: image/png)"
    );
    assert_eq!(
        failure.message_ru.as_deref(),
        Some(
            "тело ответа на GET /logo — не текст в UTF-8 \
             (байт 0 не начинает символ, Content-Type: image/png)"
        )
    );
    assert_eq!(
        failure.evidence,
        [r"body / тело: \x89PNG\r\n\x1a\n\xff\x00"]
    );
    // JSON is text first: the same failure, not a mangled parse error.
    assert_eq!(logo.json().unwrap_err(), failure);
}

#[tokio::test(flavor = "multi_thread")]
async fn custom_headers_go_out_and_come_back() {
    let router = Router::new().route(
        "/whoami",
        get(|headers: HeaderMap| async move {
            let seen = |name: &str| {
                headers
                    .get_all(name)
                    .iter()
                    .map(|v| v.to_str().unwrap().to_owned())
                    .collect::<Vec<_>>()
            };
            (
                [("x-total-count", "3"), ("x-request-id", "r-1")],
                Json(json!({
                    "accept": seen("accept"),
                    "host": seen("host"),
                    "x-student": seen("x-student"),
                })),
            )
                .into_response()
        }),
    );
    let server = Server::start(router).await.unwrap();
    let response = server
        .send(
            Request::new("GET", "/whoami")
                .header("Accept", "application/json")
                .header("X-Student", "ann")
                .header("x-student", "bob"),
        )
        .await
        .unwrap();
    assert_eq!(response.header("X-Total-Count"), Some("3"));
    assert_eq!(response.header("x-request-id"), Some("r-1"));
    assert_eq!(
        response.json().unwrap(),
        json!({
            "accept": ["application/json"],
            "host": [server.addr().to_string()],
            "x-student": ["ann", "bob"],
        })
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_handler_that_hangs_fails_with_the_time_limit() {
    let router = Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            "late"
        }),
    );
    let server = Server::start(router).await.unwrap().with_limit(SHORT);
    let started = Instant::now();
    let failure = server.get("/slow").await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        failure.message,
        "GET /slow got no complete response within 300 ms: is a handler waiting forever, \
         for example for a pool connection that is never returned or a lock held across `.await`?"
    );
    assert_eq!(
        failure.message_ru.as_deref(),
        Some(
            "GET /slow не получил полного ответа за 300 мс: не ждёт ли обработчик вечно, \
             например соединения из пула, которое никто не вернул, или блокировки, \
             удерживаемой через `.await`?"
        )
    );
    // The server still answers afterwards.
    assert_eq!(server.get("/nowhere").await.unwrap().status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_handler_that_panics_is_a_readable_failure() {
    let router = Router::new().route(
        "/share/{people}",
        // A student's bug: dividing by zero panics inside the handler.
        get(|Path(people): Path<u32>| async move { (100 / people).to_string() }),
    );
    let server = Server::start(router).await.unwrap().with_limit(SHORT);
    let failure = server.get("/share/0").await.unwrap_err();
    assert_eq!(
        failure.message,
        "GET /share/0: the server closed the connection before answering in full; \
         did the handler panic?"
    );
    assert_eq!(
        failure.message_ru.as_deref(),
        Some(
            "GET /share/0: сервер закрыл соединение, не ответив до конца; \
             не упал ли обработчик с паникой?"
        )
    );
    assert_eq!(
        failure.evidence,
        ["error / ошибка: connection closed before message completed"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_past_the_limit_is_a_failure() {
    let size = workbook_support::http::BODY_LIMIT + 1;
    let router = Router::new().route("/huge", get(move || async move { vec![b'a'; size] }));
    let server = Server::start(router).await.unwrap();
    let failure = server.get("/huge").await.unwrap_err();
    assert_eq!(
        failure.message,
        "GET /huge: the response body is larger than 16 MiB, more than a check reads"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_to_one_server_run_concurrently() {
    // Every handler waits until all of them have started, so this only ends
    // if the requests really are in flight together.
    const REQUESTS: usize = 8;
    let barrier = Arc::new(tokio::sync::Barrier::new(REQUESTS));
    let router = Router::new().route(
        "/wait/{n}",
        get(move |Path(n): Path<usize>| async move {
            barrier.wait().await;
            Json(json!({"n": n}))
        }),
    );
    let server = Arc::new(
        Server::start(router)
            .await
            .unwrap()
            .with_limit(Duration::from_secs(1)),
    );
    let mut requests = tokio::task::JoinSet::new();
    for n in 0..REQUESTS {
        let server = Arc::clone(&server);
        requests.spawn(async move { (n, server.get(&format!("/wait/{n}")).await) });
    }
    let mut answered = 0;
    while let Some(joined) = requests.join_next().await {
        let (n, response) = joined.unwrap();
        assert_eq!(response.unwrap().json().unwrap(), json!({"n": n}));
        answered += 1;
    }
    assert_eq!(answered, REQUESTS);
}
