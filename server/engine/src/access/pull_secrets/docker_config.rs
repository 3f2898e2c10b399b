//! Docker's `config.json` (`kubernetes.io/dockerconfigjson`, with `auths`)
//! and the older `.dockercfg` (the same map without `auths`), read into
//! registry logins. Each login has an `auth` field (base64 of
//! `user:password`) or `username` and `password`.

use std::collections::BTreeMap;

use base64::{Engine as _, engine::general_purpose::STANDARD};
use serde::Deserialize;

use crate::model::FieldError;

/// One registry's login from a pull secret.
#[derive(Clone, PartialEq, Eq)]
pub struct RegistryLogin {
    /// As written in the file: `quay.io`, `registry.example.com/team`,
    /// `https://index.docker.io/v1/`, `*.example.com`.
    pub registry: String,
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for RegistryLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryLogin")
            .field("registry", &self.registry)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct ConfigFile {
    #[serde(default)]
    auths: Option<BTreeMap<String, AuthEntry>>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize, Default)]
struct AuthEntry {
    #[serde(default)]
    auth: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// The logins `text` holds; errors name the field (`config.json` or
/// `config.json: auths["<registry>"]`) and say what is wrong.
pub fn parse_docker_config(text: &str) -> Result<Vec<RegistryLogin>, FieldError> {
    const FIELD: &str = "config.json";
    let value: serde_json::Value = serde_json::from_str(text).map_err(|error| {
        FieldError::new(FIELD, format!("Invalid value: not valid JSON ({error})"))
    })?;
    let is_config = value.get("auths").is_some()
        || value.get("credsStore").is_some()
        || value.get("credHelpers").is_some();
    let (entries, prefix) = if is_config {
        let file: ConfigFile = serde_json::from_value(value)
            .map_err(|error| FieldError::new(FIELD, format!("Invalid value: {error}")))?;
        let entries = file.auths.unwrap_or_default();
        if entries.is_empty() {
            let helper = file.creds_store.is_some() || file.cred_helpers.is_some();
            let detail = if helper {
                "it keeps its passwords in a credential helper (credsStore or credHelpers); \
                 log in with `docker login --password-stdin` into a separate config file, \
                 or enter the registry, username and password instead"
            } else {
                "it holds no registry logins under \"auths\""
            };
            return Err(FieldError::new(FIELD, format!("Invalid value: {detail}")));
        }
        (entries, "auths")
    } else {
        let entries: BTreeMap<String, AuthEntry> = serde_json::from_value(value).map_err(|_| {
            FieldError::new(
                FIELD,
                "Invalid value: expected a docker config.json (an object with \"auths\") \
                     or a .dockercfg (an object of registries)",
            )
        })?;
        (entries, "")
    };
    if entries.is_empty() {
        return Err(FieldError::new(
            FIELD,
            "Invalid value: it holds no registry logins",
        ));
    }
    let mut logins = Vec::with_capacity(entries.len());
    for (registry, entry) in entries {
        let field = if prefix.is_empty() {
            format!("{FIELD}: [\"{registry}\"]")
        } else {
            format!("{FIELD}: {prefix}[\"{registry}\"]")
        };
        if registry.trim().is_empty() {
            return Err(FieldError::new(
                field,
                "Invalid value: the registry is empty",
            ));
        }
        let (username, password) = if entry.auth.is_empty() {
            (entry.username, entry.password)
        } else {
            decode_auth(&entry.auth).map_err(|problem| FieldError::new(&field, problem))?
        };
        if username.is_empty() || password.is_empty() {
            return Err(FieldError::new(
                field,
                "Required value: a login needs \"auth\" or \"username\" and \"password\"",
            ));
        }
        logins.push(RegistryLogin {
            registry: registry.trim().to_owned(),
            username,
            password,
        });
    }
    Ok(logins)
}

/// `auth`: base64 of `user:password`.
fn decode_auth(auth: &str) -> Result<(String, String), String> {
    let bytes = STANDARD
        .decode(auth.trim())
        .map_err(|_| "Invalid value: \"auth\" is not base64".to_owned())?;
    let text = String::from_utf8(bytes)
        .map_err(|_| "Invalid value: \"auth\" is not text once decoded".to_owned())?;
    match text.split_once(':') {
        Some((user, password)) => Ok((user.to_owned(), password.to_owned())),
        None => Err("Invalid value: \"auth\" must be base64 of user:password".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(user_password: &str) -> String {
        STANDARD.encode(user_password)
    }

    #[test]
    fn reads_auths_with_auth_or_username_and_password() {
        let text = format!(
            r#"{{"auths": {{
                "quay.io": {{"auth": "{}", "email": "a@b.c"}},
                "registry.example.com/team": {{"username": "bob", "password": "p:w"}}
            }}}}"#,
            auth("alice:s3cret:with:colons")
        );
        let logins = parse_docker_config(&text).unwrap();
        assert_eq!(logins.len(), 2);
        assert_eq!(logins[0].registry, "quay.io");
        assert_eq!(logins[0].username, "alice");
        assert_eq!(logins[0].password, "s3cret:with:colons");
        assert_eq!(logins[1].registry, "registry.example.com/team");
        assert_eq!(logins[1].password, "p:w");
    }

    #[test]
    fn reads_the_older_dockercfg() {
        let text = format!(
            r#"{{"https://index.docker.io/v1/": {{"auth": "{}"}}}}"#,
            auth("me:pw")
        );
        let logins = parse_docker_config(&text).unwrap();
        assert_eq!(logins[0].registry, "https://index.docker.io/v1/");
        assert_eq!(logins[0].username, "me");
    }

    #[test]
    fn errors_name_the_entry_and_the_problem() {
        let error = parse_docker_config("{nope").unwrap_err();
        assert_eq!(error.field, "config.json");
        assert!(
            error.message.contains("not valid JSON"),
            "{}",
            error.message
        );

        let error = parse_docker_config(r#"{"auths": {"quay.io": {"auth": "!!"}}}"#).unwrap_err();
        assert_eq!(error.field, "config.json: auths[\"quay.io\"]");
        assert!(error.message.contains("not base64"));

        let error =
            parse_docker_config(r#"{"auths": {"quay.io": {"username": "x"}}}"#).unwrap_err();
        assert!(
            error.message.contains("needs \"auth\""),
            "{}",
            error.message
        );

        let error = parse_docker_config(r#"{"auths": {}, "credsStore": "desktop"}"#).unwrap_err();
        assert!(
            error.message.contains("credential helper"),
            "{}",
            error.message
        );

        let error = parse_docker_config(r#"[1, 2]"#).unwrap_err();
        assert!(error.message.contains("expected a docker config.json"));
    }

    #[test]
    fn debug_output_leaves_the_password_out() {
        let login = RegistryLogin {
            registry: "r".into(),
            username: "u".into(),
            password: "very-secret".into(),
        };
        assert!(!format!("{login:?}").contains("very-secret"));
    }
}
