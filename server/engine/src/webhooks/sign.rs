//! The signature of a delivery: HMAC-SHA256 with the webhook's secret over
//! `<timestamp>.<body>`, sent as `sha256=<hex>`; receivers recompute it and
//! reject old timestamps to stop replays.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// `sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<body>")>`.
pub const SIGNATURE_HEADER: &str = "X-Console-Signature";
/// Seconds since the Unix epoch when the delivery was signed.
pub const TIMESTAMP_HEADER: &str = "X-Console-Timestamp";
/// The delivery's id: the same for every attempt, so receivers can drop repeats.
pub const DELIVERY_HEADER: &str = "X-Console-Delivery";
/// `tag-created`, `tag-moved`, `tag-deleted` or `trigger-fired`.
pub const EVENT_HEADER: &str = "X-Console-Event";

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The signature header's value for `body` sent at `timestamp`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// Whether `signature` is right for `body` and `timestamp` (compared in
/// constant time).
pub fn verify(secret: &str, timestamp: i64, body: &[u8], signature: &str) -> bool {
    let Some(hex) = signature.strip_prefix("sha256=") else {
        return false;
    };
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect();
    bytes.is_some_and(|bytes| mac(secret, timestamp, body).verify_slice(&bytes).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_with_its_secret_timestamp_and_body() {
        let signature = sign("0123456789abcdef", 1_700_000_000, b"{}");
        assert!(signature.starts_with("sha256=") && signature.len() == 7 + 64);
        assert!(verify("0123456789abcdef", 1_700_000_000, b"{}", &signature));
        assert!(!verify(
            "0123456789abcdeX",
            1_700_000_000,
            b"{}",
            &signature
        ));
        assert!(!verify(
            "0123456789abcdef",
            1_700_000_001,
            b"{}",
            &signature
        ));
        assert!(!verify(
            "0123456789abcdef",
            1_700_000_000,
            b"{ }",
            &signature
        ));
        assert!(!verify(
            "0123456789abcdef",
            1_700_000_000,
            b"{}",
            "sha256=zz"
        ));
    }
}
