//! Encryption at rest of secrets the server must use later (pull secrets'
//! passwords, webhooks' signing secrets): XChaCha20-Poly1305 under a 32-byte
//! key the server is given (a file or an environment variable), never
//! stored beside the database. Each sealed value is bound to what it
//! belongs to (project and name), so rows cannot be swapped.

use base64::{Engine as _, engine::general_purpose::STANDARD};
use chacha20poly1305::{
    KeyInit, XChaCha20Poly1305, XNonce,
    aead::{Aead, Payload},
};

use crate::{Error, Result};

/// What sealed values start with; a later format gets a new prefix.
const FORMAT: &str = "v1:";
const NONCE_LEN: usize = 24;

/// What the server says when it has no key to seal `what` with.
pub fn no_secrets_key(what: &str) -> String {
    format!(
        "this server has no secrets key, so it cannot store {what}: start it with \
         --secrets-key-file <file> or ISC_SECRETS_KEY (32 random bytes, e.g. `openssl rand -hex 32`)"
    )
}

/// The key secrets are sealed with.
#[derive(Clone)]
pub struct SecretsKey {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for SecretsKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretsKey(..)")
    }
}

impl SecretsKey {
    /// Reads a key written as 64 hex digits or as base64 of 32 bytes
    /// (`openssl rand -hex 32`, `openssl rand -base64 32`); surrounding
    /// white space is ignored.
    pub fn parse(text: &str) -> std::result::Result<SecretsKey, String> {
        let text = text.trim();
        let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            (0..32)
                .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16))
                .collect::<std::result::Result<Vec<u8>, _>>()
                .map_err(|e| e.to_string())?
        } else {
            STANDARD.decode(text).map_err(|_| {
                "the secrets key must be 64 hex digits or base64 of 32 bytes \
                 (make one with `openssl rand -hex 32`)"
                    .to_owned()
            })?
        };
        if bytes.len() != 32 {
            return Err(format!(
                "the secrets key must be 32 bytes; this one is {} bytes \
                 (make one with `openssl rand -hex 32`)",
                bytes.len()
            ));
        }
        let cipher = XChaCha20Poly1305::new_from_slice(&bytes).map_err(|e| e.to_string())?;
        Ok(SecretsKey { cipher })
    }

    /// `plaintext` sealed and bound to `context` (which must be given again
    /// to open it).
    pub fn seal(&self, plaintext: &[u8], context: &str) -> Result<String> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|error| {
            Error::Internal(format!("the system's random generator failed: {error}"))
        })?;
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| Error::Internal("sealing a secret failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(format!("{FORMAT}{}", STANDARD.encode(out)))
    }

    /// The plaintext of a value [`seal`](Self::seal)ed with this key and
    /// `context`; an error if the key or the context differ or the value was
    /// altered.
    pub fn open(&self, sealed: &str, context: &str) -> std::result::Result<Vec<u8>, String> {
        let bytes = sealed
            .strip_prefix(FORMAT)
            .and_then(|rest| STANDARD.decode(rest).ok())
            .filter(|bytes| bytes.len() > NONCE_LEN)
            .ok_or("it is not in a format this server knows")?;
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| "it was sealed with a different secrets key, or altered".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn a_sealed_value_opens_with_its_key_and_context_only() {
        let key = SecretsKey::parse(HEX).unwrap();
        let sealed = key.seal(b"hunter2", "team/registry").unwrap();
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains("hunter2"));
        assert_eq!(key.open(&sealed, "team/registry").unwrap(), b"hunter2");
        assert!(key.open(&sealed, "other/registry").is_err());
        let other = SecretsKey::parse(&"ab".repeat(32)).unwrap();
        assert!(other.open(&sealed, "team/registry").is_err());
        let mut altered = sealed.clone();
        altered.pop();
        altered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert!(key.open(&altered, "team/registry").is_err());
    }

    #[test]
    fn sealing_twice_gives_different_values() {
        let key = SecretsKey::parse(HEX).unwrap();
        assert_ne!(key.seal(b"x", "c").unwrap(), key.seal(b"x", "c").unwrap());
    }

    #[test]
    fn keys_are_hex_or_base64_of_32_bytes() {
        assert!(SecretsKey::parse(&format!("  {HEX}\n")).is_ok());
        assert!(SecretsKey::parse(&STANDARD.encode([7u8; 32])).is_ok());
        let short = SecretsKey::parse(&STANDARD.encode([7u8; 16])).unwrap_err();
        assert!(short.contains("32 bytes; this one is 16"), "{short}");
        let junk = SecretsKey::parse("not a key!").unwrap_err();
        assert!(junk.contains("64 hex digits"), "{junk}");
    }
}
