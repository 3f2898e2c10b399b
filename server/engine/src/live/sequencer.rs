//! Delivering each change log entry once, in the face of PostgreSQL
//! sequences: ids are handed out when a transaction inserts, but become
//! visible when it commits, so id 11 can be read before id 10 exists. A gap
//! below a visible id is waited for (it may be a transaction still
//! committing) for [`GAP_WAIT`], then given up (it was rolled back).

use std::{
    collections::BTreeSet,
    time::{Duration, Instant},
};

use crate::model::live::LiveChange;

/// How long a missing id below visible ones is waited for.
pub const GAP_WAIT: Duration = Duration::from_secs(10);

/// What has been delivered so far.
#[derive(Debug)]
pub struct ChangeSequencer {
    /// Every id up to here was delivered or given up on.
    floor: i64,
    /// Delivered ids above `floor`.
    delivered: BTreeSet<i64>,
    /// The lowest missing id and when it was first missed.
    gap: Option<(i64, Instant)>,
}

impl ChangeSequencer {
    /// Starts after `floor` (the newest id when following began).
    pub fn starting_after(floor: i64) -> ChangeSequencer {
        ChangeSequencer {
            floor,
            delivered: BTreeSet::new(),
            gap: None,
        }
    }

    /// Where the next read starts (exclusive).
    pub fn read_after(&self) -> i64 {
        self.floor
    }

    /// Whether an id below a delivered one is still awaited (read again soon).
    pub fn awaiting_gap(&self) -> bool {
        self.gap.is_some()
    }

    /// Takes the entries read after [`read_after`](Self::read_after) and
    /// returns those not delivered before, oldest first.
    pub fn accept(&mut self, read: Vec<LiveChange>, now: Instant) -> Vec<LiveChange> {
        let fresh: Vec<LiveChange> = read
            .into_iter()
            .filter(|change| change.id > self.floor && self.delivered.insert(change.id))
            .collect();
        self.settle(now);
        fresh
    }

    /// Raises the floor over delivered ids and over gaps waited out.
    fn settle(&mut self, now: Instant) {
        loop {
            let next = self.floor + 1;
            if self.delivered.remove(&next) {
                self.floor = next;
                continue;
            }
            if self.delivered.is_empty() {
                self.gap = None;
                return;
            }
            match self.gap {
                Some((missing, since)) if missing == next => {
                    if now.duration_since(since) < GAP_WAIT {
                        return;
                    }
                    self.floor = next;
                    self.gap = None;
                }
                _ => {
                    self.gap = Some((next, now));
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(ids: &[i64]) -> Vec<LiveChange> {
        ids.iter()
            .map(|&id| LiveChange {
                id,
                resource: "imagestreams.image.openshift.io".into(),
                namespace: "team".into(),
                name: format!("s{id}"),
                event: "MODIFIED".into(),
            })
            .collect()
    }

    fn ids(changes: &[LiveChange]) -> Vec<i64> {
        changes.iter().map(|change| change.id).collect()
    }

    #[test]
    fn entries_in_order_are_delivered_once() {
        let now = Instant::now();
        let mut sequencer = ChangeSequencer::starting_after(4);
        assert_eq!(ids(&sequencer.accept(changes(&[5, 6, 7]), now)), [5, 6, 7]);
        assert_eq!(sequencer.read_after(), 7);
        assert!(!sequencer.awaiting_gap());
        assert!(sequencer.accept(changes(&[]), now).is_empty());
        assert_eq!(ids(&sequencer.accept(changes(&[8]), now)), [8]);
    }

    #[test]
    fn entries_at_or_below_the_start_are_never_delivered() {
        let mut sequencer = ChangeSequencer::starting_after(10);
        assert!(
            sequencer
                .accept(changes(&[9, 10]), Instant::now())
                .is_empty()
        );
    }

    #[test]
    fn an_entry_that_commits_late_is_delivered_when_it_appears() {
        let start = Instant::now();
        let mut sequencer = ChangeSequencer::starting_after(0);
        // 2 is still committing while 1 and 3 are visible.
        assert_eq!(ids(&sequencer.accept(changes(&[1, 3]), start)), [1, 3]);
        assert!(sequencer.awaiting_gap());
        assert_eq!(sequencer.read_after(), 1, "the next read covers the gap");
        let later = start + Duration::from_secs(1);
        assert_eq!(
            ids(&sequencer.accept(changes(&[2, 3, 4]), later)),
            [2, 4],
            "3 is not delivered twice"
        );
        assert!(!sequencer.awaiting_gap());
        assert_eq!(sequencer.read_after(), 4);
    }

    #[test]
    fn a_gap_that_never_fills_is_given_up_after_the_wait() {
        let start = Instant::now();
        let mut sequencer = ChangeSequencer::starting_after(0);
        sequencer.accept(changes(&[1, 3, 5]), start);
        sequencer.accept(changes(&[3, 5]), start + GAP_WAIT / 2);
        assert_eq!(sequencer.read_after(), 1);
        // 2 was rolled back; 4 too. Each is waited for in turn.
        sequencer.accept(changes(&[3, 5]), start + GAP_WAIT);
        assert_eq!(sequencer.read_after(), 3, "2 given up, 3 delivered");
        assert!(sequencer.awaiting_gap(), "now 4 is missing");
        sequencer.accept(changes(&[5]), start + GAP_WAIT * 2);
        assert_eq!(sequencer.read_after(), 5);
        assert!(!sequencer.awaiting_gap());
    }
}
