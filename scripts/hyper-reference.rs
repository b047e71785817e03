//! The reference for scripts/bench-public.sh: the smallest server on the
//! stack Fridhem is built on (tokio + hyper's HTTP/1.1 connection, one
//! thread, the same allocator), answering every request with one fixed response. The
//! response is the one Fridhem sent for its start page, headers and body,
//! so both servers put the same bytes on the wire; the difference is what
//! Fridhem does per request (routing, middleware, the page cache, the log).
//!
//!   cargo run --release --example hyper-reference -- ADDRESS HEAD_FILE BODY_FILE
//!
//! HEAD_FILE is a response head as `curl -D` writes it; the status line,
//! `date`, `content-length` and `connection` are left to hyper, as in
//! Fridhem.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{HeaderName, HeaderValue, Response};
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(address), Some(head), Some(body)) = (args.next(), args.next(), args.next()) else {
        eprintln!("usage: hyper-reference ADDRESS HEAD_FILE BODY_FILE");
        std::process::exit(2);
    };
    let head = std::fs::read_to_string(head).expect("the head file can be read");
    let body = Bytes::from(std::fs::read(body).expect("the body file can be read"));
    let mut headers = vec![];
    for line in head.lines().skip(1) {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "date" | "content-length" | "connection" | "transfer-encoding"
        ) {
            continue;
        }
        headers.push((
            HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
            HeaderValue::from_str(value.trim()).expect("a header value"),
        ));
    }
    let headers = Arc::new(headers);

    // As Fridhem with FRIDHEM_WORKER_THREADS=1: one thread for everything.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&address)
            .await
            .expect("the address is free");
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder.timer(TokioTimer::new()).keep_alive(true);
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            let headers = headers.clone();
            let body = body.clone();
            let service = service_fn(move |_request| {
                let mut response = Response::new(Body::from(body.clone()));
                for (name, value) in headers.iter() {
                    response.headers_mut().append(name.clone(), value.clone());
                }
                async move { Ok::<_, Infallible>(response) }
            });
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::spawn(async move {
                let _ = connection.await;
            });
        }
    });
}
