//! Password hashes: argon2id with OWASP's parameters, in the PHC string
//! format (algorithm, parameters and salt travel with the hash).

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier, password_hash::SaltString};

use crate::{Error, Result};

/// Shorter passwords are refused.
pub const MIN_PASSWORD_LENGTH: usize = 12;

/// Hashes a new password after checking its length.
pub fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD_LENGTH {
        return Err(Error::invalid(
            "password",
            format!("must be at least {MIN_PASSWORD_LENGTH} characters long"),
        ));
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|error| {
        Error::Internal(format!("the system's random generator failed: {error}"))
    })?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|error| Error::Internal(format!("cannot encode a salt: {error}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| Error::Internal(format!("cannot hash the password: {error}")))
}

/// Whether `password` matches the stored `hash`. With no hash (no such user)
/// a dummy hash is checked, so that the time taken does not tell whether a
/// user exists.
pub(super) fn verify_password(password: &str, hash: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy =
        DUMMY.get_or_init(|| hash_password("not the password of anybody").unwrap_or_default());
    let Ok(parsed) = PasswordHash::new(hash.unwrap_or(dummy)) else {
        return false;
    };
    let matches = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    matches && hash.is_some()
}

/// [`verify_password`] off the async threads (argon2 takes a while).
pub(super) async fn password_matches(password: &str, hash: Option<String>) -> Result<bool> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || verify_password(&password, hash.as_deref()))
        .await
        .map_err(|error| Error::Internal(format!("password check failed: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_only_their_password() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", Some(&hash)));
        assert!(!verify_password("correct horse battery!", Some(&hash)));
        assert!(!verify_password("not the password of anybody", None));
    }

    #[test]
    fn short_passwords_are_refused_naming_the_field() {
        let error = hash_password("short").unwrap_err();
        assert_eq!(
            error.to_string(),
            "password: must be at least 12 characters long"
        );
    }
}
