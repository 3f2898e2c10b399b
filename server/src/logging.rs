//! Structured logs with `tracing`: human-readable text or JSON lines.

use tracing_subscriber::{EnvFilter, fmt};

use crate::config::{Config, LogFormat};

/// Installs the global subscriber; fails on a filter that does not parse.
pub fn init(config: &Config) -> Result<(), String> {
    let filter = EnvFilter::try_new(&config.log_level)
        .map_err(|error| format!("invalid --log-level {:?}: {error}", config.log_level))?;
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let result = match config.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    result.map_err(|error| format!("cannot set up logging: {error}"))
}
