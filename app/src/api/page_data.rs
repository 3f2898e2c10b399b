//! How pages load data from server functions: a `Resource` whose hydration
//! data is decoded by the same `serde_json` reader (`from_slice`) that
//! decodes a server function's answer. Leptos' default codec reads
//! hydration data with `from_str`, which instantiates every answer type's
//! deserialiser a second time in the wasm bundle.

use std::future::Future;

use leptos::{
    prelude::Resource,
    server::codee::{Decoder, Encoder},
};
use serde::{Serialize, de::DeserializeOwned};

/// JSON for hydration data, read as bytes.
pub struct SliceJson;

impl<T: Serialize> Encoder<T> for SliceJson {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, Self::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for SliceJson {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(text: &str) -> Result<T, Self::Error> {
        serde_json::from_slice(text.as_bytes())
    }
}

/// Data a page loads from the server, sent along with the first render.
pub type PageData<T> = Resource<T, SliceJson>;

/// Loads `fetcher(source())` now and again each time `source` changes, as
/// `Resource::new` does.
#[track_caller]
pub fn load<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> PageData<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}
