//! Turning database errors into engine errors, once, at the store boundary.
//!
//! The SQL text and driver details go to the log; callers and users see a
//! short message that says what to do.

use crate::Error;

/// Maps a database error to an engine error, logging the cause.
///
/// Call sites that expect a particular failure (a missing row, a duplicate
/// name) check for it first and build a precise error; this is the fallback.
pub fn map_error(error: sqlx::Error) -> Error {
    match &error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_) => {
            tracing::warn!(error = %error, "database unavailable");
            Error::Unavailable("the database is not reachable right now; try again shortly".into())
        }
        _ => {
            tracing::error!(error = %error, "database error");
            Error::Internal("the database reported an error; details are in the server log".into())
        }
    }
}

/// Whether `error` is a unique-constraint violation (a duplicate name).
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}
