//! The audit log's retention: entries older than the configured days are
//! pruned; zero keeps everything.

use engine::{
    Settings, audit, clock,
    model::audit::{AuditFilter, NewAuditEntry},
    store::testing::services_with_project,
};

fn entry(name: &str, days_ago: i64) -> NewAuditEntry {
    NewAuditEntry {
        at_ms: clock::now_millis() - days_ago * 24 * 3600 * 1000,
        user: "admin".into(),
        action: "create".into(),
        kind: "imagestreams".into(),
        namespace: "team".into(),
        name: name.into(),
        client: "127.0.0.1".into(),
        status: 201,
        message: String::new(),
    }
}

#[tokio::test]
async fn entries_older_than_the_retention_are_pruned_and_zero_keeps_them() {
    let (services, _store) = services_with_project(
        "team",
        Settings {
            audit_retention_days: 30,
            ..Settings::default()
        },
    )
    .await;
    for (name, days) in [("old", 31), ("recent", 29), ("new", 0)] {
        audit::record(&services, entry(name, days)).await;
    }
    let mut keep_all = services.clone();
    keep_all.settings.audit_retention_days = 0;
    assert_eq!(audit::prune(&keep_all).await.unwrap(), 0);
    assert_eq!(audit::prune(&services).await.unwrap(), 1);
    let left: Vec<String> = services
        .store
        .audit_entries(&AuditFilter::default(), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(left, ["new", "recent"]);
}
