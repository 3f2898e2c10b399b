//! Reading request bodies strictly: JSON only, and an unknown or misplaced
//! field is refused with its path, as Kubernetes' strict field validation does.

use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::status::bad_request;

/// A body that could not be read as the expected object.
pub struct BadBody(String);

impl IntoResponse for BadBody {
    fn into_response(self) -> Response {
        bad_request(self.0)
    }
}

/// Decodes a JSON body as `kind`, or explains (400) which field is wrong.
pub fn decode<T: DeserializeOwned>(body: &[u8], kind: &str) -> Result<T, BadBody> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let place = if path == "." { String::new() } else { format!("{path}: ") };
        BadBody(format!(
            "{kind} in version \"v1\" cannot be handled as a {kind}: strict decoding error: {place}{}",
            error.inner()
        ))
    })
}
