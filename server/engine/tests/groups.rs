//! Groups of people: a role bound to a group applies to its members from
//! their next request; only cluster admins manage groups; names are checked.

use engine::{
    Error, Settings,
    access::{Caller, groups, members},
    model::access::{GroupView, Resource, Role, RoleBinding, Subject, Verb},
    store::testing::services_with_project,
};

const NS: &str = "team";

#[tokio::test]
async fn a_group_role_applies_to_its_members_while_they_are_in_it() {
    let (services, store) = services_with_project(NS, Settings::default()).await;
    let admin = Caller::system("test");
    members::add(
        &services,
        &admin,
        RoleBinding {
            namespace: NS.into(),
            subject: Subject::Group("devs".into()),
            role: Role::Edit,
        },
    )
    .await
    .unwrap();
    let vic = || Caller::of_user(&store.store, "vic");
    assert!(
        !vic()
            .await
            .unwrap()
            .can(Verb::Create, Resource::ImageStreams, NS)
    );

    groups::add_member(&services, &admin, "devs", "vic")
        .await
        .unwrap();
    groups::add_member(&services, &admin, "devs", "ann")
        .await
        .unwrap();
    groups::add_member(&services, &admin, "ops", "vic")
        .await
        .unwrap();
    let caller = vic().await.unwrap();
    assert!(caller.can(Verb::Create, Resource::ImageStreams, NS));
    assert!(
        !caller.can(Verb::Delete, Resource::Projects, NS),
        "edit, not admin"
    );
    assert_eq!(
        groups::list(&services, &admin).await.unwrap(),
        vec![
            GroupView {
                name: "devs".into(),
                users: vec!["ann".into(), "vic".into()]
            },
            GroupView {
                name: "ops".into(),
                users: vec!["vic".into()]
            },
        ]
    );

    groups::remove_member(&services, &admin, "devs", "vic")
        .await
        .unwrap();
    assert!(
        !vic()
            .await
            .unwrap()
            .can(Verb::Create, Resource::ImageStreams, NS)
    );
    let again = groups::remove_member(&services, &admin, "devs", "vic")
        .await
        .unwrap_err();
    assert!(matches!(again, Error::NotFound { .. }), "{again:?}");
}

#[tokio::test]
async fn only_cluster_admins_manage_groups_and_names_are_checked() {
    let (services, store) = services_with_project(NS, Settings::default()).await;
    let admin = Caller::system("test");
    members::add(
        &services,
        &admin,
        RoleBinding {
            namespace: NS.into(),
            subject: Subject::User("pat".into()),
            role: Role::Admin,
        },
    )
    .await
    .unwrap();
    let project_admin = Caller::of_user(&store.store, "pat").await.unwrap();
    let refused = groups::add_member(&services, &project_admin, "devs", "pat")
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
    assert!(matches!(
        groups::list(&services, &project_admin).await,
        Err(Error::Forbidden(_))
    ));

    let invalid = groups::add_member(&services, &admin, "system:masters", "a b")
        .await
        .unwrap_err();
    let Error::Invalid(errors) = invalid else {
        panic!("expected field errors, got {invalid:?}")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["group", "user"]);
    assert!(
        errors[0].message.contains("reserved"),
        "{}",
        errors[0].message
    );
}
