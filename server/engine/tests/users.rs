//! The people of the installation: a cluster admin lists them, sets a new
//! password (their sessions end), and removes someone with every way they
//! had in; a person changes their own password with the current one. Each
//! rule is refused with a clear message when broken.

use engine::{
    Error, Services, Settings,
    access::{
        Caller, Credentials, authenticate, create_api_token, groups, members, sign_in, users,
    },
    model::access::{Resource, Role, RoleBinding, Subject, Verb},
    store::testing::services_with_project,
};

const NS: &str = "team";
const PASSWORD: &str = "a first password";

fn admin() -> Caller {
    Caller::system("test")
}

fn session(id: &str) -> Credentials {
    Credentials {
        session: Some(id.to_owned()),
        csrf_token: None,
        bearer: None,
    }
}

fn bearer(token: &str) -> Credentials {
    Credentials {
        session: None,
        csrf_token: None,
        bearer: Some(token.to_owned()),
    }
}

/// `name` with a password, an edit role in the project and a group.
async fn person(services: &Services, name: &str) {
    members::create_user(services, &admin(), name, PASSWORD)
        .await
        .unwrap();
    members::add(
        services,
        &admin(),
        RoleBinding {
            namespace: NS.into(),
            subject: Subject::User(name.into()),
            role: Role::Edit,
        },
    )
    .await
    .unwrap();
    groups::add_member(services, &admin(), "devs", name)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_list_shows_roles_and_groups_and_removing_someone_takes_every_way_in() {
    let (services, _store) = services_with_project(NS, Settings::default()).await;
    person(&services, "pat").await;
    person(&services, "sam").await;
    let listed = users::list(&services, &admin()).await.unwrap();
    let pat = listed.iter().find(|user| user.name == "pat").unwrap();
    assert_eq!(
        (pat.groups.clone(), pat.projects),
        (vec!["devs".to_owned()], 1)
    );
    assert!(!pat.cluster_admin);

    let signed_in = sign_in(&services, "pat", PASSWORD, "127.0.0.1")
        .await
        .unwrap();
    let token = create_api_token(&services.store, "pat", "ci", None)
        .await
        .unwrap();
    assert!(authenticate(&services, &bearer(&token.token)).await.is_ok());

    users::delete(&services, &admin(), "pat").await.unwrap();
    assert!(matches!(
        authenticate(&services, &session(&signed_in.id)).await,
        Err(Error::Unauthenticated(_))
    ));
    assert!(matches!(
        authenticate(&services, &bearer(&token.token)).await,
        Err(Error::Unauthenticated(_))
    ));
    assert!(
        sign_in(&services, "pat", PASSWORD, "127.0.0.1")
            .await
            .is_err()
    );
    let after = users::list(&services, &admin()).await.unwrap();
    assert!(after.iter().all(|user| user.name != "pat"));
    let groups = groups::list(&services, &admin()).await.unwrap();
    assert_eq!(groups[0].users, ["sam"]);
    let bindings = members::list(&services, &admin(), NS).await.unwrap();
    assert!(bindings.iter().all(|b| b.subject.name() != "pat"));
    // A person of the same name later starts with nothing.
    members::create_user(&services, &admin(), "pat", PASSWORD)
        .await
        .unwrap();
    let again = users::list(&services, &admin()).await.unwrap();
    let pat = again.iter().find(|user| user.name == "pat").unwrap();
    assert_eq!((pat.groups.len(), pat.projects), (0, 0));
    assert!(matches!(
        users::delete(&services, &admin(), "nobody").await,
        Err(Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn a_new_password_ends_the_sessions_and_only_cluster_admins_manage_people() {
    let (services, store) = services_with_project(NS, Settings::default()).await;
    person(&services, "pat").await;
    let old = sign_in(&services, "pat", PASSWORD, "127.0.0.1")
        .await
        .unwrap();
    users::set_password(&services, &admin(), "pat", "the second password")
        .await
        .unwrap();
    assert!(authenticate(&services, &session(&old.id)).await.is_err());
    assert!(
        sign_in(&services, "pat", PASSWORD, "127.0.0.2")
            .await
            .is_err()
    );
    assert!(
        sign_in(&services, "pat", "the second password", "127.0.0.3")
            .await
            .is_ok()
    );
    let short = users::set_password(&services, &admin(), "pat", "short").await;
    assert!(
        matches!(&short, Err(Error::Invalid(e)) if e[0].field == "password"),
        "{short:?}"
    );

    let pat = Caller::of_user(&store.store, "pat").await.unwrap();
    for refused in [
        users::list(&services, &pat).await.map(|_| ()),
        users::set_password(&services, &pat, "pat", "a third password!").await,
        users::delete(&services, &pat, "pat").await,
    ] {
        assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    }
}

#[tokio::test]
async fn nobody_removes_themselves_or_the_last_cluster_admin() {
    let (services, store) = services_with_project(NS, Settings::default()).await;
    members::create_user(&services, &admin(), "root", PASSWORD)
        .await
        .unwrap();
    store
        .store
        .insert_role_binding(&RoleBinding {
            namespace: String::new(),
            subject: Subject::User("root".into()),
            role: Role::ClusterAdmin,
        })
        .await
        .unwrap();
    let root = Caller::of_user(&store.store, "root").await.unwrap();
    let myself = users::delete(&services, &root, "root").await;
    assert!(
        matches!(&myself, Err(Error::Conflict(m)) if m.contains("cannot remove yourself")),
        "{myself:?}"
    );
    let last = users::delete(&services, &admin(), "root").await;
    assert!(
        matches!(&last, Err(Error::Conflict(m)) if m.contains("last cluster admin")),
        "{last:?}"
    );
}

#[tokio::test]
async fn people_change_their_own_password_with_the_current_one() {
    let (services, store) = services_with_project(NS, Settings::default()).await;
    person(&services, "pat").await;
    let pat = Caller::of_user(&store.store, "pat").await.unwrap();
    let wrong =
        users::change_own_password(&services, &pat, "not it at all", "a better password").await;
    assert!(
        matches!(&wrong, Err(Error::Invalid(e)) if e[0].field == "currentPassword"),
        "{wrong:?}"
    );
    let short = users::change_own_password(&services, &pat, PASSWORD, "short").await;
    assert!(
        matches!(&short, Err(Error::Invalid(e)) if e[0].field == "newPassword"),
        "{short:?}"
    );
    // Signed in twice: the session that changes the password stays, the
    // other one (whoever knew the old password) ends.
    let here = sign_in(&services, "pat", PASSWORD, "127.0.0.1")
        .await
        .unwrap();
    let elsewhere = sign_in(&services, "pat", PASSWORD, "10.0.0.9")
        .await
        .unwrap();
    let pat_here = authenticate(
        &services,
        &Credentials {
            session: Some(here.id.clone()),
            csrf_token: Some(here.csrf_token.clone()),
            bearer: None,
        },
    )
    .await
    .unwrap();
    users::change_own_password(&services, &pat_here, PASSWORD, "a better password")
        .await
        .unwrap();
    assert_eq!(
        authenticate(&services, &session(&here.id))
            .await
            .unwrap()
            .user,
        "pat"
    );
    assert!(matches!(
        authenticate(&services, &session(&elsewhere.id)).await,
        Err(Error::Unauthenticated(_))
    ));
    assert!(
        sign_in(&services, "pat", PASSWORD, "127.0.0.1")
            .await
            .is_err()
    );
    assert!(
        sign_in(&services, "pat", "a better password", "127.0.0.1")
            .await
            .is_ok()
    );
    // A program signed in with a token has no password to change.
    let program = Caller::of_user(&store.store, "system:serviceaccount:team:ci")
        .await
        .unwrap();
    let refused = users::change_own_password(&services, &program, "x", "a better password").await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
}

#[tokio::test]
async fn failed_sign_ins_count_on_every_replica_until_a_success_clears_them() {
    let (services, store) = services_with_project(NS, Settings::default()).await;
    person(&services, "pat").await;
    // A second replica: its own services on the same store.
    let other = Services::new(store.store.clone(), Settings::default());
    for (attempt, replica) in [&services, &other, &services, &other]
        .into_iter()
        .enumerate()
    {
        let failed = sign_in(replica, "pat", "not it", "10.0.0.1").await;
        assert!(
            matches!(failed, Err(Error::Unauthenticated(_))),
            "attempt {attempt}: {failed:?}"
        );
    }
    // The fourth failure leaves one try; a success clears the account.
    sign_in(&other, "pat", PASSWORD, "10.0.0.1").await.unwrap();
    for replica in [&services, &other, &services, &other, &services] {
        assert!(sign_in(replica, "pat", "not it", "10.0.0.2").await.is_err());
    }
    let locked = sign_in(&other, "pat", PASSWORD, "10.0.0.3").await;
    assert!(
        matches!(&locked, Err(Error::RateLimited(message))
            if message == "too many failed sign-ins; try again in 15 minutes"),
        "five failures on two replicas lock the account on both: {locked:?}"
    );
    assert!(matches!(
        sign_in(&services, "pat", PASSWORD, "10.0.0.3").await,
        Err(Error::RateLimited(_))
    ));
    // Someone else signs in meanwhile.
    person(&services, "sam").await;
    sign_in(&services, "sam", PASSWORD, "10.0.0.4")
        .await
        .unwrap();
}

#[tokio::test]
async fn people_of_the_identity_provider_are_made_at_first_sign_in_and_never_take_over_a_name() {
    use engine::access::oidc::{Identity, sign_in_with_identity};
    let (services, store) = services_with_project(NS, Settings::default()).await;
    person(&services, "pat").await;
    let olivia = Identity {
        issuer: "https://sso.example".into(),
        subject: "u-1".into(),
        preferred_name: "olivia".into(),
        groups: None,
    };
    let session = sign_in_with_identity(&services, &olivia, "127.0.0.1")
        .await
        .unwrap();
    assert_eq!(session.user, "olivia");
    let caller = authenticate(&services, &self::session(&session.id))
        .await
        .unwrap();
    assert_eq!(caller.user, "olivia");
    // A new user holds no role: the provider says who, the admins say what.
    assert!(!caller.is_cluster_admin());
    assert!(
        caller
            .require(Verb::List, Resource::ImageStreams, NS)
            .is_err(),
        "a new person sees no project of others"
    );
    // Renamed at the provider, the same subject is still olivia here.
    let renamed = Identity {
        preferred_name: "olivia.new".into(),
        ..olivia.clone()
    };
    let again = sign_in_with_identity(&services, &renamed, "127.0.0.1")
        .await
        .unwrap();
    assert_eq!(again.user, "olivia");
    // Another subject asking for a taken name is refused, whether the name
    // belongs to a provider's person or to someone with a password.
    for taken in ["olivia", "pat"] {
        let impostor = Identity {
            subject: format!("other-{taken}"),
            preferred_name: taken.into(),
            ..olivia.clone()
        };
        let refused = sign_in_with_identity(&services, &impostor, "127.0.0.1").await;
        assert!(
            matches!(&refused, Err(Error::Unauthenticated(m)) if m.contains("already taken")),
            "{refused:?}"
        );
    }
    let reserved = Identity {
        subject: "u-9".into(),
        preferred_name: "system:admin".into(),
        ..olivia.clone()
    };
    let refused = sign_in_with_identity(&services, &reserved, "127.0.0.1").await;
    assert!(
        matches!(&refused, Err(Error::Unauthenticated(m)) if m.contains("reserved")),
        "{refused:?}"
    );
    // Olivia has no password here: none signs her in, and none can be changed.
    assert!(
        sign_in(&services, "olivia", "", "127.0.0.1").await.is_err()
            && sign_in(&services, "olivia", "any password at all", "127.0.0.1")
                .await
                .is_err()
    );
    let olivia_changing = authenticate(
        &services,
        &Credentials {
            session: Some(session.id.clone()),
            csrf_token: Some(session.csrf_token.clone()),
            bearer: None,
        },
    )
    .await
    .unwrap();
    let refused =
        users::change_own_password(&services, &olivia_changing, "", "a brand new password").await;
    assert!(
        matches!(&refused, Err(Error::Forbidden(m)) if m.contains("identity provider")),
        "{refused:?}"
    );
    let refused = users::set_password(&services, &admin(), "olivia", "a password by admin").await;
    assert!(
        matches!(&refused, Err(Error::Conflict(m)) if m.contains("identity provider")),
        "{refused:?}"
    );
    // Her profile says where she signs in; a password person's does not.
    let profile = engine::access::profile::profile(&services, &caller)
        .await
        .unwrap();
    assert_eq!(
        profile.identity_provider.as_deref(),
        Some("https://sso.example")
    );
    let pat = Caller::of_user(&store.store, "pat").await.unwrap();
    let profile = engine::access::profile::profile(&services, &pat)
        .await
        .unwrap();
    assert_eq!(profile.identity_provider, None);
    // The users page says how each person signs in.
    let people = users::list(&services, &admin()).await.unwrap();
    let listed = |name: &str| people.iter().find(|p| p.name == name).unwrap().clone();
    assert_eq!(
        listed("olivia").identity_provider.as_deref(),
        Some("https://sso.example")
    );
    assert_eq!(listed("pat").identity_provider, None);
    // Removed, she loses her link and sessions; her next sign-in makes a
    // new user with no roles.
    users::delete(&services, &admin(), "olivia").await.unwrap();
    assert!(
        authenticate(&services, &self::session(&again.id))
            .await
            .is_err()
    );
    assert_eq!(
        store
            .store
            .identity_user("https://sso.example", "u-1")
            .await
            .unwrap(),
        None
    );
    let back = sign_in_with_identity(&services, &olivia, "127.0.0.1")
        .await
        .unwrap();
    assert_eq!(back.user, "olivia");
}

#[tokio::test]
async fn the_groups_claim_brings_memberships_up_to_date_at_every_sign_in_and_leaves_admins_ones() {
    use engine::access::oidc::{Identity, sign_in_with_identity};
    let (services, store) = services_with_project(NS, Settings::default()).await;
    let with_groups = |groups: &[&str]| Identity {
        issuer: "https://sso.example".into(),
        subject: "u-7".into(),
        preferred_name: "quinn".into(),
        groups: Some(groups.iter().map(|g| (*g).to_owned()).collect()),
    };
    // A role bound to a group reaches its members from the provider.
    members::add(
        &services,
        &admin(),
        RoleBinding {
            namespace: NS.into(),
            subject: Subject::Group("designers".into()),
            role: Role::View,
        },
    )
    .await
    .unwrap();
    let session =
        sign_in_with_identity(&services, &with_groups(&["designers", "sso"]), "127.0.0.1")
            .await
            .unwrap();
    let groups_of_quinn = || async { store.store.groups_of_user("quinn").await.unwrap() };
    assert_eq!(groups_of_quinn().await, ["designers", "sso"]);
    let quinn = authenticate(&services, &self::session(&session.id))
        .await
        .unwrap();
    assert!(
        quinn
            .require(Verb::List, Resource::ImageStreams, NS)
            .is_ok()
    );
    // An admin puts her in a group of their own.
    groups::add_member(&services, &admin(), "reviewers", "quinn")
        .await
        .unwrap();
    // The next sign-in's claim no longer names `designers`: she leaves it
    // (and its role), joins `ops`, and stays in the admin's group.
    sign_in_with_identity(&services, &with_groups(&["sso", "ops"]), "127.0.0.1")
        .await
        .unwrap();
    assert_eq!(groups_of_quinn().await, ["ops", "reviewers", "sso"]);
    let quinn = Caller::of_user(&store.store, "quinn").await.unwrap();
    assert!(
        quinn
            .require(Verb::List, Resource::ImageStreams, NS)
            .is_err()
    );
    // A claim naming the admin's group does not make it the provider's: a
    // later claim without it leaves it.
    sign_in_with_identity(&services, &with_groups(&["reviewers"]), "127.0.0.1")
        .await
        .unwrap();
    sign_in_with_identity(&services, &with_groups(&[]), "127.0.0.1")
        .await
        .unwrap();
    assert_eq!(groups_of_quinn().await, ["reviewers"]);
    // Without a groups claim configured, sign-in leaves groups alone.
    let no_claim = Identity {
        groups: None,
        ..with_groups(&[])
    };
    sign_in_with_identity(&services, &no_claim, "127.0.0.1")
        .await
        .unwrap();
    assert_eq!(groups_of_quinn().await, ["reviewers"]);
}
