//! The first start: the first administrator and the automation token, from
//! the files the operator named (`--admin-password-file`,
//! `--api-token-file`).

use std::path::{Path, PathBuf};

use engine::{
    Services,
    access::{FirstAdmin, ensure_api_token, ensure_first_admin},
};

use crate::config::Config;

/// Where a generated first password is written for the operator.
pub const GENERATED_PASSWORD_FILE: &str = "initial-admin-password";

/// Creates the first admin while nobody can sign in, and stores the
/// automation token. An error is one sentence naming the file or setting.
pub async fn bootstrap(config: &Config, services: &Services) -> Result<(), String> {
    let password = match &config.admin_password_file {
        Some(path) => Some(read_secret(path, "--admin-password-file")?),
        None => None,
    };
    let outcome = ensure_first_admin(&services.store, &config.admin_user, password.as_deref())
        .await
        .map_err(|error| format!("the first administrator cannot be created: {error}"))?;
    if let FirstAdmin::CreatedWithGeneratedPassword(password) = outcome {
        let path = config.data_dir.join(GENERATED_PASSWORD_FILE);
        write_private(&path, &password)
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
        tracing::warn!(
            user = %config.admin_user,
            file = %path.display(),
            "created the first administrator with a generated password; it is in the file named here"
        );
    }
    if let Some(path) = &config.api_token_file {
        let token = read_secret(path, "--api-token-file")?;
        ensure_api_token(&services.store, &config.admin_user, &token)
            .await
            .map_err(|error| format!("the token in {} cannot be used: {error}", path.display()))?;
    }
    Ok(())
}

fn read_secret(path: &PathBuf, flag: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("{flag}: cannot read {}: {error}", path.display()))?;
    let secret = text.trim_end_matches(['\n', '\r']).to_owned();
    if secret.is_empty() {
        return Err(format!("{flag}: {} is empty", path.display()));
    }
    Ok(secret)
}

/// Writes `text` readable by this user only.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path)?;
    writeln!(file, "{text}")
}
