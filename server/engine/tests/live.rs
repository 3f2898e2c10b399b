//! Live updates on a real store (SQLite, or PostgreSQL when
//! `TEST_DATABASE_URL` names one): a follower is replayed what it missed and
//! then told of each change once; on PostgreSQL a change committed by one
//! replica reaches the pages of another.

use std::{sync::Arc, time::Duration};

use engine::{
    Services, Settings, imagestreams as is,
    live::{LiveFeed, LiveMessage},
    model::{ImageStream, ObjectMeta, live::LiveChange},
    store::{
        Backend, Store,
        testing::{TestStore, add_project, services_with_project},
    },
};
use futures::{Stream, StreamExt};

const STREAMS: &str = "imagestreams.image.openshift.io";
/// Long enough that only a wake-up (never the poll) can deliver in a test.
const NEVER: Duration = Duration::from_secs(3600);

fn stream(name: &str) -> ImageStream {
    ImageStream {
        metadata: ObjectMeta {
            name: name.into(),
            ..ObjectMeta::default()
        },
        ..ImageStream::default()
    }
}

async fn setup() -> (Services, TestStore) {
    let (services, store) = services_with_project("team", Settings::default()).await;
    add_project(&services.store, "other").await;
    (services, store)
}

/// Starts following `store` with a feed that only wakes up on commits and
/// notifications.
fn running_feed(store: &Store) -> (Arc<LiveFeed>, tokio::sync::oneshot::Sender<()>) {
    let feed = Arc::new(LiveFeed::with_poll(NEVER));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(feed.clone().run(store.clone(), async move {
        stopped.await.ok();
    }));
    (feed, stop)
}

async fn next(messages: &mut (impl Stream<Item = LiveMessage> + Unpin)) -> LiveMessage {
    tokio::time::timeout(Duration::from_secs(20), messages.next())
        .await
        .expect("a message within 20 s")
        .expect("the stream goes on")
}

async fn next_change(messages: &mut (impl Stream<Item = LiveMessage> + Unpin)) -> LiveChange {
    match next(messages).await {
        LiveMessage::Change(change) => (*change).clone(),
        other => panic!("expected a change, got {other:?}"),
    }
}

/// Waits until the feed's follower has read up to now (it reads the change
/// log once when it starts).
async fn settled(feed: &LiveFeed, store: &Store) {
    let mut messages = Box::pin(feed.follow(store, vec![], None).await.unwrap());
    assert!(matches!(
        next(&mut messages).await,
        LiveMessage::Ready { .. }
    ));
    tokio::time::sleep(Duration::from_millis(200)).await;
}

#[tokio::test]
async fn a_follower_is_replayed_what_it_missed_in_its_projects_then_told_of_each_new_change() {
    let (services, _store) = setup().await;
    let store = &services.store;
    let cursor = store.latest_change_id().await.unwrap();
    is::create(&services, "team", stream("ruby")).await.unwrap();
    is::create(&services, "other", stream("elsewhere"))
        .await
        .unwrap();
    is::create(&services, "team", stream("python"))
        .await
        .unwrap();

    let (feed, _stop) = running_feed(store);
    settled(&feed, store).await;
    let mut messages = Box::pin(
        feed.follow(store, vec!["team".into()], Some(cursor))
            .await
            .unwrap(),
    );
    let head = store.latest_change_id().await.unwrap();
    assert_eq!(
        next(&mut messages).await,
        LiveMessage::Ready { cursor: head }
    );
    let replayed = [
        next_change(&mut messages).await,
        next_change(&mut messages).await,
    ];
    assert_eq!(
        replayed.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["ruby", "python"],
        "only the project's changes, oldest first"
    );
    assert!(
        replayed
            .iter()
            .all(|c| c.resource == STREAMS && c.event == "ADDED")
    );

    is::create(&services, "other", stream("not-shown"))
        .await
        .unwrap();
    is::delete(&services, "team", "ruby").await.unwrap();
    let deleted = next_change(&mut messages).await;
    assert_eq!(
        (deleted.name.as_str(), deleted.event.as_str()),
        ("ruby", "DELETED"),
        "the other project's change is not sent"
    );
    assert!(deleted.id > head);
}

#[tokio::test]
async fn a_follower_far_behind_is_told_to_read_everything_again() {
    let (services, _store) = setup().await;
    let store = &services.store;
    let cursor = store.latest_change_id().await.unwrap();
    for n in 0..=engine::live::REPLAY_LIMIT {
        is::create(&services, "team", stream(&format!("s{n}")))
            .await
            .unwrap();
    }
    let feed = LiveFeed::with_poll(NEVER);
    let mut messages = Box::pin(feed.follow(store, vec![], Some(cursor)).await.unwrap());
    let head = store.latest_change_id().await.unwrap();
    assert_eq!(
        next(&mut messages).await,
        LiveMessage::Ready { cursor: head }
    );
    assert_eq!(
        next(&mut messages).await,
        LiveMessage::Reset { cursor: Some(head) }
    );
}

#[tokio::test]
async fn following_ends_when_the_feed_stops() {
    let (services, _store) = setup().await;
    let (feed, stop) = running_feed(&services.store);
    let mut messages = Box::pin(feed.follow(&services.store, vec![], None).await.unwrap());
    assert!(matches!(
        next(&mut messages).await,
        LiveMessage::Ready { .. }
    ));
    stop.send(()).unwrap();
    let ended = tokio::time::timeout(Duration::from_secs(10), messages.next())
        .await
        .expect("the stream ends promptly");
    assert_eq!(ended, None);
    assert!(feed.stopped());
}

#[tokio::test]
async fn on_postgres_a_change_committed_by_another_replica_reaches_this_one() {
    let (services, test_store) = setup().await;
    if services.store.backend() != Backend::Postgres {
        eprintln!("skipped: needs TEST_DATABASE_URL (PostgreSQL)");
        return;
    }
    // A second process's store on the same database, with its own feed.
    let other_replica = Store::open(&test_store.url).await.unwrap();
    let (feed, _stop) = running_feed(&other_replica);
    settled(&feed, &other_replica).await;
    let mut messages = Box::pin(
        feed.follow(&other_replica, vec!["team".into()], None)
            .await
            .unwrap(),
    );
    assert!(matches!(
        next(&mut messages).await,
        LiveMessage::Ready { .. }
    ));
    is::create(&services, "team", stream("from-replica-one"))
        .await
        .unwrap();
    let change = next_change(&mut messages).await;
    assert_eq!(change.name, "from-replica-one");
}

#[tokio::test]
async fn after_pruning_an_older_version_is_gone_for_watches_and_pages_and_new_ones_count_on() {
    use engine::live::{WatchEvent, WatchRefused, WatchScope, watch};
    let (services, _store) = setup().await;
    let store = &services.store;
    let before = store.latest_change_id().await.unwrap();
    is::create(&services, "team", stream("a")).await.unwrap();
    is::create(&services, "team", stream("b")).await.unwrap();
    let newest = store.latest_change_id().await.unwrap();

    let mut keep_all = services.clone();
    keep_all.settings.change_log_retention_hours = 0;
    assert_eq!(
        engine::live::prune(&keep_all).await.unwrap(),
        0,
        "0 keeps every entry"
    );
    assert_eq!(
        engine::live::prune(&services).await.unwrap(),
        0,
        "nothing is older than a day"
    );
    let far_future = engine::clock::from_millis(engine::clock::now_millis() + 86_400_000);
    assert!(store.prune_changes(far_future).await.unwrap() >= 1);
    assert_eq!(
        store.oldest_change_id().await.unwrap(),
        Some(newest),
        "the newest entry stays"
    );

    let (feed, _stop) = running_feed(store);
    settled(&feed, store).await;
    let scope = WatchScope {
        resource: STREAMS.to_owned(),
        namespace: Some("team".into()),
    };
    match watch(feed.clone(), store, scope.clone(), before).await {
        Err(WatchRefused::Gone { oldest }) => assert_eq!(oldest, newest),
        Err(WatchRefused::Failed(error)) => panic!("{error}"),
        Ok(_) => panic!("a pruned version must be gone"),
    }
    let mut page = Box::pin(feed.follow(store, vec![], Some(before)).await.unwrap());
    assert!(matches!(next(&mut page).await, LiveMessage::Ready { .. }));
    assert_eq!(
        next(&mut page).await,
        LiveMessage::Reset {
            cursor: Some(newest)
        }
    );

    // From the newest version on, a watch sees what follows, with versions
    // counting on from before the pruning.
    let mut changes = Box::pin(
        watch(feed.clone(), store, scope, newest)
            .await
            .ok()
            .unwrap(),
    );
    let created = is::create(&services, "team", stream("c")).await.unwrap();
    assert!(created.metadata.resource_version.parse::<i64>().unwrap() > newest);
    let event = tokio::time::timeout(Duration::from_secs(20), changes.next())
        .await
        .expect("an event within 20 s")
        .unwrap()
        .unwrap();
    match event {
        WatchEvent::Change { event, object } => {
            assert_eq!(event, "ADDED");
            assert_eq!(object["metadata"]["name"], "c");
            assert_eq!(
                object["metadata"]["resourceVersion"],
                created.metadata.resource_version.as_str()
            );
        }
        other => panic!("expected a change, got {other:?}"),
    }
}
