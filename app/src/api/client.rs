//! The client every server function call goes through: the browser's
//! `fetch` (as Leptos' own client), plus the session's CSRF token in the
//! `X-CSRF-Token` header, without which the server refuses changes made with
//! a session cookie.

use std::future::Future;

use futures::{Sink, Stream};
use leptos::server_fn::{
    Bytes,
    client::{Client, browser::BrowserClient},
    error::FromServerFnError,
    request::browser::BrowserRequest,
    response::browser::BrowserResponse,
};

/// Leptos' browser client with the CSRF header.
pub struct ConsoleClient;

#[cfg(feature = "hydrate")]
thread_local! {
    static CSRF_TOKEN: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Remembers the signed-in session's CSRF token for the calls that follow.
pub fn remember_csrf_token(token: &str) {
    #[cfg(feature = "hydrate")]
    CSRF_TOKEN.with(|cell| *cell.borrow_mut() = Some(token.to_owned()));
    #[cfg(not(feature = "hydrate"))]
    let _ = token;
}

impl<E, I, O> Client<E, I, O> for ConsoleClient
where
    E: FromServerFnError,
    I: FromServerFnError,
    O: FromServerFnError,
{
    type Request = BrowserRequest;
    type Response = BrowserResponse;

    fn send(request: BrowserRequest) -> impl Future<Output = Result<BrowserResponse, E>> + Send {
        #[cfg(feature = "hydrate")]
        CSRF_TOKEN.with(|cell| {
            if let Some(token) = cell.borrow().as_deref() {
                request
                    .headers()
                    .set(engine::model::access::CSRF_HEADER, token);
            }
        });
        <BrowserClient as Client<E, I, O>>::send(request)
    }

    fn open_websocket(
        path: &str,
    ) -> impl Future<
        Output = Result<
            (
                impl Stream<Item = Result<Bytes, Bytes>> + Send + 'static,
                impl Sink<Bytes> + Send + 'static,
            ),
            E,
        >,
    > + Send {
        <BrowserClient as Client<E, I, O>>::open_websocket(path)
    }

    fn spawn(future: impl Future<Output = ()> + Send + 'static) {
        <BrowserClient as Client<E, I, O>>::spawn(future)
    }
}
