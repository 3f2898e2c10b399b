//! Configuration from flags and environment variables (`--help` lists both).

use std::{net::SocketAddr, path::PathBuf};

use clap::{Parser, ValueEnum, error::ErrorKind};
use engine::access::SecretsKey;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The samples' management state at first start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SamplesState {
    /// Install the shipped sample image streams into `openshift`.
    #[value(name = "Managed", alias = "managed")]
    Managed,
    /// Install none (a cluster admin may switch to Managed in the settings).
    #[value(name = "Removed", alias = "removed")]
    Removed,
}

/// The server's configuration.
#[derive(Clone, Parser)]
#[command(
    name = "image-stream-console",
    version,
    about = "Image Stream Console: OpenShift-style image streams for any team, as a web console and API."
)]
pub struct Config {
    /// Address and port to serve the console and the API on.
    #[arg(
        long,
        env = "ISC_LISTEN",
        default_value = "127.0.0.1:3000",
        value_name = "ADDR"
    )]
    pub listen: SocketAddr,

    /// Directory for the SQLite database and other state; created if missing.
    #[arg(
        long,
        env = "ISC_DATA_DIR",
        default_value = "./data",
        value_name = "DIR"
    )]
    pub data_dir: PathBuf,

    /// Database: sqlite://<file> or postgres://<user>[:<password>]@<host>[:<port>]/<database>
    /// [default: SQLite at <DATA_DIR>/console.db]. Use PostgreSQL to run several replicas.
    #[arg(
        long,
        env = "ISC_DATABASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub database_url: Option<String>,

    /// Log filter: a level (error, warn, info, debug, trace) or directives such as
    /// "info,engine=debug".
    #[arg(
        long,
        env = "ISC_LOG_LEVEL",
        default_value = "info",
        value_name = "FILTER"
    )]
    pub log_level: String,

    /// Log format.
    #[arg(long, env = "ISC_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Directory with the browser files cargo-leptos builds (pkg/ with wasm, JS, CSS)
    /// and the static assets.
    #[arg(
        long,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site",
        value_name = "DIR"
    )]
    pub site_root: PathBuf,

    /// Largest request body accepted, in bytes; larger requests get 413.
    #[arg(long, env = "ISC_MAX_BODY_BYTES", default_value_t = 2 * 1024 * 1024, value_name = "BYTES")]
    pub max_body_bytes: usize,

    /// The integrated registry's hostname: image streams live at
    /// <HOSTNAME>/<project>/<stream>, and reference policy Local pulls through it.
    #[arg(
        long,
        env = "ISC_INTERNAL_REGISTRY_HOSTNAME",
        default_value = engine::services::DEFAULT_INTERNAL_REGISTRY,
        value_name = "HOSTNAME"
    )]
    pub internal_registry_hostname: String,

    /// How many tags an import of a whole repository (--all) reads at most;
    /// the rest are listed as additional tags (maxImagesBulkImportedPerRepository).
    #[arg(
        long,
        env = "ISC_MAX_IMAGES_BULK_IMPORTED_PER_REPOSITORY",
        default_value_t = engine::services::DEFAULT_MAX_IMAGES_BULK_IMPORTED,
        value_name = "COUNT"
    )]
    pub max_images_bulk_imported_per_repository: usize,

    /// Seconds between checks of a scheduled tag (a tag may ask for its own
    /// interval with the console.image-streams.io/import-interval-seconds annotation).
    #[arg(
        long,
        env = "ISC_SCHEDULED_IMPORT_INTERVAL",
        default_value_t = 900,
        value_name = "SECONDS"
    )]
    pub scheduled_import_interval: u64,

    /// No tag is checked more often than this (scheduledImageImportMinimumIntervalSeconds).
    #[arg(
        long,
        env = "ISC_SCHEDULED_IMPORT_MINIMUM_INTERVAL",
        default_value_t = 60,
        value_name = "SECONDS"
    )]
    pub scheduled_import_minimum_interval: u64,

    /// Scheduled imports per minute over the whole installation, bursts of
    /// twice as many; 0 or less means unlimited (maxScheduledImageImportsPerMinute).
    #[arg(
        long,
        env = "ISC_MAX_SCHEDULED_IMPORTS_PER_MINUTE",
        default_value_t = 60,
        value_name = "COUNT",
        allow_negative_numbers = true
    )]
    pub max_scheduled_imports_per_minute: i64,

    /// Stop periodic checks of scheduled tags; first imports of new tags
    /// still run (disableScheduledImport).
    #[arg(long, env = "ISC_DISABLE_SCHEDULED_IMPORT")]
    pub disable_scheduled_import: bool,

    /// Scheduled imports running at once, over all registries.
    #[arg(
        long,
        env = "ISC_SCHEDULED_IMPORT_CONCURRENCY",
        default_value_t = 8,
        value_name = "COUNT"
    )]
    pub scheduled_import_concurrency: usize,

    /// Scheduled imports running at once against one registry host.
    #[arg(
        long,
        env = "ISC_SCHEDULED_IMPORT_PER_REGISTRY",
        default_value_t = 4,
        value_name = "COUNT"
    )]
    pub scheduled_import_per_registry: usize,

    /// Seconds a replica keeps the scheduled tags it claimed; if it dies,
    /// another replica takes them over after this.
    #[arg(
        long,
        env = "ISC_SCHEDULE_LEASE",
        default_value_t = 120,
        value_name = "SECONDS"
    )]
    pub schedule_lease: u64,

    /// Seconds in-flight requests get to finish after SIGTERM or SIGINT.
    #[arg(
        long,
        env = "ISC_SHUTDOWN_TIMEOUT",
        default_value_t = 30,
        value_name = "SECONDS"
    )]
    pub shutdown_timeout: u64,

    /// The first administrator (cluster-admin), created at the first start
    /// while nobody can sign in.
    #[arg(
        long,
        env = "ISC_ADMIN_USER",
        default_value = "admin",
        value_name = "NAME"
    )]
    pub admin_user: String,

    /// File holding the first administrator's password (at least 12
    /// characters). Without it, the first start generates a password and
    /// writes it to <DATA_DIR>/initial-admin-password.
    #[arg(long, env = "ISC_ADMIN_PASSWORD_FILE", value_name = "FILE")]
    pub admin_password_file: Option<PathBuf>,

    /// File holding an API token (at least 32 characters) that acts as the
    /// first administrator, so scripts and CI can call the API from the first
    /// start: send it as "Authorization: Bearer <token>".
    #[arg(long, env = "ISC_API_TOKEN_FILE", value_name = "FILE")]
    pub api_token_file: Option<PathBuf>,

    /// File holding the key pull secrets are sealed with at rest: 32 random
    /// bytes as 64 hex digits or base64 (make one with `openssl rand -hex
    /// 32`); keep it apart from the database. The key may instead be given
    /// in the environment variable ISC_SECRETS_KEY. Without a key the server
    /// runs but refuses to store pull secrets.
    #[arg(long, env = "ISC_SECRETS_KEY_FILE", value_name = "FILE")]
    pub secrets_key_file: Option<PathBuf>,

    /// Minutes a browser session may go unused before it ends.
    #[arg(
        long,
        env = "ISC_SESSION_IDLE_MINUTES",
        default_value_t = 480,
        value_name = "MINUTES"
    )]
    pub session_idle_minutes: u64,

    /// Hours a browser session lasts at most after signing in.
    #[arg(
        long,
        env = "ISC_SESSION_MAX_HOURS",
        default_value_t = 24,
        value_name = "HOURS"
    )]
    pub session_max_hours: u64,

    /// Days an audit log entry is kept (pruned hourly); 0 keeps every entry.
    #[arg(
        long,
        env = "ISC_AUDIT_RETENTION_DAYS",
        default_value_t = engine::services::DEFAULT_AUDIT_RETENTION_DAYS,
        value_name = "DAYS"
    )]
    pub audit_retention_days: u32,

    /// Hours the change log keeps an entry (pruned hourly): API watches and
    /// the pages' live updates resume within it; an older resource version
    /// is answered 410 Gone. 0 keeps every entry.
    #[arg(
        long,
        env = "ISC_CHANGE_LOG_RETENTION_HOURS",
        default_value_t = engine::services::DEFAULT_CHANGE_LOG_RETENTION_HOURS,
        value_name = "HOURS"
    )]
    pub change_log_retention_hours: u32,

    /// PEM file with the server's TLS certificate chain: the server then
    /// speaks HTTPS only. Needed for kubectl, which sends bearer tokens over
    /// TLS only. Give --tls-key-file with it.
    #[arg(
        long,
        env = "ISC_TLS_CERT_FILE",
        value_name = "FILE",
        requires = "tls_key_file"
    )]
    pub tls_cert_file: Option<PathBuf>,

    /// PEM file with the private key of --tls-cert-file.
    #[arg(
        long,
        env = "ISC_TLS_KEY_FILE",
        value_name = "FILE",
        requires = "tls_cert_file"
    )]
    pub tls_key_file: Option<PathBuf>,

    /// The samples' management state written at first start: Managed
    /// installs the shipped sample image streams into the `openshift`
    /// project; Removed installs none. Later starts keep the stored state,
    /// which cluster admins change on the Settings page.
    #[arg(
        long,
        env = "ISC_SAMPLES_MANAGEMENT_STATE",
        value_enum,
        default_value_t = SamplesState::Managed,
        value_name = "STATE"
    )]
    pub samples_management_state: SamplesState,

    /// Seconds between passes over the samples, in which failed sample
    /// imports are tried again.
    #[arg(
        long,
        env = "ISC_SAMPLES_RETRY_SECONDS",
        default_value_t = engine::samples::DEFAULT_RETRY.as_secs(),
        value_name = "SECONDS",
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub samples_retry_seconds: u64,

    /// Send the session cookie without the Secure attribute. Only for
    /// plain-HTTP set-ups on an address other than localhost: browsers keep
    /// Secure cookies over plain HTTP only on localhost.
    #[arg(long, env = "ISC_INSECURE_COOKIES")]
    pub insecure_cookies: bool,

    /// Let people sign in through this OpenID Connect provider (its issuer
    /// URL, e.g. https://sso.example.com/realms/team) besides passwords.
    /// A person's first sign-in makes their user, named by
    /// --oidc-username-claim. Give --oidc-client-id and --oidc-redirect-url
    /// with it.
    #[arg(
        long,
        env = "ISC_OIDC_ISSUER_URL",
        value_name = "URL",
        requires_all = ["oidc_client_id", "oidc_redirect_url"]
    )]
    pub oidc_issuer_url: Option<String>,

    /// The console's client id at the OpenID Connect provider.
    #[arg(long, env = "ISC_OIDC_CLIENT_ID", value_name = "ID")]
    pub oidc_client_id: Option<String>,

    /// File holding the client secret at the OpenID Connect provider (for a
    /// confidential client; a public client uses PKCE alone).
    #[arg(long, env = "ISC_OIDC_CLIENT_SECRET_FILE", value_name = "FILE")]
    pub oidc_client_secret_file: Option<PathBuf>,

    /// Where the provider sends the browser back: this console's address
    /// as browsers reach it, followed by /auth/oidc/callback. Register it
    /// at the provider as the client's redirect URI.
    #[arg(long, env = "ISC_OIDC_REDIRECT_URL", value_name = "URL")]
    pub oidc_redirect_url: Option<String>,

    /// The ID token claim that names the user here; `sub` when the token
    /// lacks it.
    #[arg(
        long,
        env = "ISC_OIDC_USERNAME_CLAIM",
        default_value = "preferred_username",
        value_name = "CLAIM"
    )]
    pub oidc_username_claim: String,

    /// The ID token (or userinfo) claim that lists a person's groups, e.g.
    /// `groups`: each sign-in puts them in the groups it names and takes
    /// them out of those an earlier sign-in's claim named and this one does
    /// not. Memberships given by cluster admins stay. Without it, sign-in
    /// leaves groups alone.
    #[arg(long, env = "ISC_OIDC_GROUPS_CLAIM", value_name = "CLAIM")]
    pub oidc_groups_claim: Option<String>,

    /// Scopes to ask the provider for besides `openid profile email`,
    /// comma-separated (some providers send groups only for a `groups`
    /// scope).
    #[arg(
        long,
        env = "ISC_OIDC_EXTRA_SCOPES",
        value_name = "SCOPES",
        value_delimiter = ','
    )]
    pub oidc_extra_scopes: Vec<String>,

    /// The provider's name on the sign-in page's button.
    #[arg(
        long,
        env = "ISC_OIDC_PROVIDER_NAME",
        default_value = "single sign-on",
        value_name = "NAME"
    )]
    pub oidc_provider_name: String,

    /// PEM file with CA certificates to trust for the provider besides the
    /// system's.
    #[arg(long, env = "ISC_OIDC_CA_FILE", value_name = "FILE")]
    pub oidc_ca_file: Option<PathBuf>,
}

/// The environment variable that may hold the secrets key itself.
pub const SECRETS_KEY_VARIABLE: &str = "ISC_SECRETS_KEY";

impl Config {
    /// How the shared sample catalog is kept.
    pub fn samples_settings(&self) -> engine::samples::SamplesSettings {
        engine::samples::SamplesSettings {
            first_state: match self.samples_management_state {
                SamplesState::Managed => engine::model::samples::ManagementState::Managed,
                SamplesState::Removed => engine::model::samples::ManagementState::Removed,
            },
            retry: std::time::Duration::from_secs(self.samples_retry_seconds),
        }
    }

    /// The key pull secrets are sealed with, from `--secrets-key-file` or
    /// `ISC_SECRETS_KEY`; `None` if neither is given.
    pub fn secrets_key(&self) -> Result<Option<SecretsKey>, String> {
        let (text, origin) = match (&self.secrets_key_file, std::env::var(SECRETS_KEY_VARIABLE)) {
            (Some(_), Ok(_)) => {
                return Err(format!(
                    "give the secrets key once: --secrets-key-file or {SECRETS_KEY_VARIABLE}, not both"
                ));
            }
            (Some(path), Err(_)) => (
                std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
                path.display().to_string(),
            ),
            (None, Ok(text)) => (text, SECRETS_KEY_VARIABLE.to_owned()),
            (None, Err(_)) => return Ok(None),
        };
        SecretsKey::parse(&text)
            .map(Some)
            .map_err(|problem| format!("{origin}: {problem}"))
    }
}

impl Config {
    /// The OpenID Connect sign-in settings, if a provider is configured.
    pub fn oidc_settings(&self) -> Result<Option<engine::access::oidc::OidcSettings>, String> {
        let Some(issuer_url) = &self.oidc_issuer_url else {
            return Ok(None);
        };
        let read = |path: &PathBuf| {
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
        };
        let client_secret = match &self.oidc_client_secret_file {
            Some(path) => {
                let secret = String::from_utf8(read(path)?)
                    .map_err(|_| format!("{} is not text", path.display()))?;
                let secret = secret.trim().to_owned();
                if secret.is_empty() {
                    return Err(format!("{} is empty", path.display()));
                }
                Some(secret)
            }
            None => None,
        };
        Ok(Some(engine::access::oidc::OidcSettings {
            issuer_url: issuer_url.clone(),
            client_id: self.oidc_client_id.clone().unwrap_or_default(),
            client_secret,
            redirect_url: self.oidc_redirect_url.clone().unwrap_or_default(),
            username_claim: self.oidc_username_claim.clone(),
            groups_claim: self
                .oidc_groups_claim
                .clone()
                .filter(|claim| !claim.trim().is_empty()),
            extra_scopes: self
                .oidc_extra_scopes
                .iter()
                .map(|scope| scope.trim().to_owned())
                .filter(|scope| !scope.is_empty())
                .collect(),
            display_name: self.oidc_provider_name.clone(),
            extra_ca_pem: self.oidc_ca_file.as_ref().map(read).transpose()?,
        }))
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &engine::store::redact(&self.database_url()))
            .field("log_level", &self.log_level)
            .field("log_format", &self.log_format)
            .field("site_root", &self.site_root)
            .field("max_body_bytes", &self.max_body_bytes)
            .field(
                "internal_registry_hostname",
                &self.internal_registry_hostname,
            )
            .field(
                "max_images_bulk_imported_per_repository",
                &self.max_images_bulk_imported_per_repository,
            )
            .field("scheduled_import_interval", &self.scheduled_import_interval)
            .field(
                "scheduled_import_minimum_interval",
                &self.scheduled_import_minimum_interval,
            )
            .field(
                "max_scheduled_imports_per_minute",
                &self.max_scheduled_imports_per_minute,
            )
            .field("disable_scheduled_import", &self.disable_scheduled_import)
            .field(
                "scheduled_import_concurrency",
                &self.scheduled_import_concurrency,
            )
            .field(
                "scheduled_import_per_registry",
                &self.scheduled_import_per_registry,
            )
            .field("schedule_lease", &self.schedule_lease)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .field("admin_user", &self.admin_user)
            .field("admin_password_file", &self.admin_password_file)
            .field("api_token_file", &self.api_token_file)
            .field("secrets_key_file", &self.secrets_key_file)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_max_hours", &self.session_max_hours)
            .field("audit_retention_days", &self.audit_retention_days)
            .field(
                "change_log_retention_hours",
                &self.change_log_retention_hours,
            )
            .field("samples_management_state", &self.samples_management_state)
            .field("samples_retry_seconds", &self.samples_retry_seconds)
            .field("tls_cert_file", &self.tls_cert_file)
            .field("tls_key_file", &self.tls_key_file)
            .field("insecure_cookies", &self.insecure_cookies)
            .field("oidc_issuer_url", &self.oidc_issuer_url)
            .field("oidc_client_id", &self.oidc_client_id)
            .field("oidc_client_secret_file", &self.oidc_client_secret_file)
            .field("oidc_redirect_url", &self.oidc_redirect_url)
            .field("oidc_username_claim", &self.oidc_username_claim)
            .field("oidc_groups_claim", &self.oidc_groups_claim)
            .field("oidc_extra_scopes", &self.oidc_extra_scopes)
            .field("oidc_provider_name", &self.oidc_provider_name)
            .field("oidc_ca_file", &self.oidc_ca_file)
            .finish()
    }
}

impl Config {
    /// The scheduler's settings from the flags.
    pub fn schedule_settings(&self) -> engine::schedule::ScheduleSettings {
        engine::schedule::ScheduleSettings {
            interval: std::time::Duration::from_secs(self.scheduled_import_interval),
            minimum_interval: std::time::Duration::from_secs(
                self.scheduled_import_minimum_interval,
            ),
            max_imports_per_minute: self.max_scheduled_imports_per_minute,
            disabled: self.disable_scheduled_import,
            concurrency: self.scheduled_import_concurrency,
            per_host_concurrency: self.scheduled_import_per_registry,
            lease: std::time::Duration::from_secs(self.schedule_lease.max(1)),
        }
    }

    /// How long browser sessions last, from the flags.
    pub fn session_policy(&self) -> engine::access::SessionPolicy {
        engine::access::SessionPolicy {
            idle: std::time::Duration::from_secs(self.session_idle_minutes.max(1) * 60),
            absolute: std::time::Duration::from_secs(self.session_max_hours.max(1) * 3600),
        }
    }

    /// Parses the command line and environment. `--help` and `--version` print
    /// and exit 0; a mistake prints one line naming it and exits 2.
    pub fn parse_or_exit() -> Config {
        match Config::try_parse() {
            Ok(config) => config,
            Err(error)
                if matches!(
                    error.kind(),
                    ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
                ) =>
            {
                error.exit()
            }
            Err(error) => {
                eprintln!("{} (see --help)", first_line(&error.render().to_string()));
                std::process::exit(2);
            }
        }
    }

    /// The database URL, defaulting to SQLite in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("console.db").display()),
        }
    }
}

fn first_line(text: &str) -> &str {
    text.lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or(text)
        .trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, clap::Error> {
        Config::try_parse_from(std::iter::once("image-stream-console").chain(args.iter().copied()))
    }

    #[test]
    fn defaults_serve_sqlite_under_data_on_port_3000() {
        let config = parse(&[]).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url(), "sqlite://./data/console.db");
    }

    #[test]
    fn debug_output_hides_the_database_password() {
        let config = parse(&["--database-url", "postgres://app:hunter2@db/console"]).unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("postgres://app:***@db/console"), "{shown}");
    }

    #[test]
    fn a_mistake_is_reported_in_one_line() {
        let error = parse(&["--listen", "not-an-address"]).unwrap_err();
        let line = first_line(&error.render().to_string()).to_owned();
        assert!(
            line.starts_with("error: invalid value 'not-an-address' for '--listen <ADDR>'"),
            "{line}"
        );
    }
}
