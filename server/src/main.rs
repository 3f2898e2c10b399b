//! The Image Stream Console server binary: read the configuration, set up
//! logging, run until SIGTERM or SIGINT. Everything else lives in the library.

use std::process::ExitCode;

use server::{config::Config, logging, startup};

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse_or_exit();
    if let Err(error) = logging::init(&config) {
        eprintln!("error: {error}");
        return ExitCode::from(2);
    }
    match startup::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
