//! Live updates: one task per process follows the store's change log and
//! fans each committed change out to every open page; a page that
//! reconnects is replayed what it missed.

mod feed;
mod follow;
mod retention;
mod sequencer;
mod watch;

pub use feed::{CachePosition, LiveFeed};
pub use follow::{LiveMessage, REPLAY_LIMIT};
pub use retention::{prune, run_retention};
pub use sequencer::{ChangeSequencer, GAP_WAIT};
pub use watch::{WatchEvent, WatchRefused, WatchScope, watch};
