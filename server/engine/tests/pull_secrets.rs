//! Pull secrets against real registries that require a login (Debian's
//! `docker-registry` with an htpasswd file, and one with bearer-token auth
//! behind a token server): imports present the matching secret, say which
//! one, and fail in clear words without it; passwords are sealed at rest and
//! never read back.

use base64::{Engine as _, engine::general_purpose::STANDARD};
use engine::registry::testing::{Layout, TestRegistry};
use engine::{
    Error, Services, Settings,
    access::{
        Caller, SecretsKey, no_secrets_key,
        pull_secrets::{self, NewPullSecret},
        service_accounts,
    },
    imports,
    model::{
        ImageImportSpec, ImageStreamImport, ImageStreamImportSpec, LocalObjectReference,
        ObjectMeta, ObjectReference, RepositoryImportSpec, TagImportPolicy,
        access::{Role, RoleBinding, Subject},
    },
    store::testing::{TestStore, services_with_project},
};
use sqlx::Row;

const NS: &str = "team";
const USER: &str = "robot";
const PASSWORD: &str = "correct-horse-battery";
const KEY: &str = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";

async fn setup() -> (Services, TestStore, TestRegistry) {
    setup_with(TestRegistry::start_with_login(USER, PASSWORD)).await
}

/// A project, the secrets key, and `registry` holding `private/app:1.0`.
async fn setup_with(registry: TestRegistry) -> (Services, TestStore, TestRegistry) {
    let (services, store) = services_with_project(NS, Settings::default()).await;
    let services = services.with_secrets_key(SecretsKey::parse(KEY).unwrap());
    let mut layout = Layout::new();
    let image = layout.image("linux", "amd64", "APP=1");
    layout.tag("1.0", image);
    registry.push(&layout.path(), "1.0", "private/app");
    (services, store, registry)
}

fn admin() -> Caller {
    Caller::system("test")
}

fn login(registry: &str, password: &str) -> NewPullSecret {
    NewPullSecret::Login {
        registry: registry.into(),
        username: USER.into(),
        password: password.into(),
    }
}

fn insecure() -> TagImportPolicy {
    TagImportPolicy {
        insecure: true,
        ..TagImportPolicy::default()
    }
}

fn one_image(from: &str, import: bool) -> ImageStreamImport {
    ImageStreamImport {
        metadata: ObjectMeta {
            name: "app".into(),
            ..ObjectMeta::default()
        },
        spec: ImageStreamImportSpec {
            import,
            images: vec![ImageImportSpec {
                from: ObjectReference {
                    kind: "DockerImage".into(),
                    name: from.into(),
                    ..ObjectReference::default()
                },
                to: Some(LocalObjectReference { name: "1.0".into() }),
                import_policy: insecure(),
                ..ImageImportSpec::default()
            }],
            repository: None,
        },
        ..ImageStreamImport::default()
    }
}

#[tokio::test]
async fn an_import_presents_the_matching_secret_and_says_which() {
    let (services, _store, registry) = setup().await;
    let from = format!("{}/private/app:1.0", registry.host);

    let anonymous = imports::import(&services, NS, one_image(&from, false))
        .await
        .unwrap();
    let status = &anonymous.status.images[0];
    assert_eq!(status.status.reason, "Unauthorized");
    assert_eq!(
        status.status.message,
        format!("you may not have access to the container image \"{from}\"")
    );
    assert_eq!(status.pull_secret, "");

    pull_secrets::create(
        &services,
        &admin(),
        NS,
        "wrong",
        login(&registry.host, "not-it"),
    )
    .await
    .unwrap();
    let refused = imports::import(&services, NS, one_image(&from, false))
        .await
        .unwrap();
    let status = &refused.status.images[0].status;
    assert_eq!(status.reason, "Unauthorized");
    assert_eq!(
        status.message,
        format!(
            "incorrect username or password for image \"{from}\" \
             (presented the credentials of pull secret \"wrong\")"
        )
    );

    // A more specific key (host and path) wins over the host-wide one.
    let config = format!(
        r#"{{"auths": {{"{}/private": {{"auth": "{}"}}}}}}"#,
        registry.host,
        STANDARD.encode(format!("{USER}:{PASSWORD}"))
    );
    pull_secrets::create(
        &services,
        &admin(),
        NS,
        "private-pull",
        NewPullSecret::DockerConfig(config),
    )
    .await
    .unwrap();
    let imported = imports::import(&services, NS, one_image(&from, true))
        .await
        .unwrap();
    let status = &imported.status.images[0];
    assert!(status.status.is_success(), "{:?}", status.status);
    assert_eq!(status.pull_secret, "private-pull");
    assert!(imported.status.import.is_some());

    // The same login serves a whole-repository import (tag listing included).
    let mut all = one_image(&from, false);
    all.spec.images.clear();
    all.spec.repository = Some(RepositoryImportSpec {
        from: ObjectReference {
            kind: "DockerImage".into(),
            name: format!("{}/private/app", registry.host),
            ..ObjectReference::default()
        },
        import_policy: insecure(),
        ..RepositoryImportSpec::default()
    });
    let repository = imports::import(&services, NS, all)
        .await
        .unwrap()
        .status
        .repository
        .unwrap();
    assert!(repository.status.is_success(), "{:?}", repository.status);
    assert_eq!(repository.images[0].pull_secret, "private-pull");

    // Deleted, the secret is presented no more.
    pull_secrets::delete(&services, &admin(), NS, "private-pull")
        .await
        .unwrap();
    let after = imports::import(&services, NS, one_image(&from, false))
        .await
        .unwrap();
    assert!(
        after.status.images[0]
            .status
            .message
            .contains("pull secret \"wrong\"")
    );
}

#[tokio::test]
async fn passwords_are_sealed_at_rest_and_never_listed() {
    let (services, store, registry) = setup().await;
    let created = pull_secrets::create(
        &services,
        &admin(),
        NS,
        "login",
        login(&registry.host, PASSWORD),
    )
    .await
    .unwrap();
    assert_eq!(created.logins[0].registry, registry.host);
    assert_eq!(created.logins[0].username, USER);
    let listed = pull_secrets::list(&services, &admin(), NS).await.unwrap();
    assert_eq!(listed, vec![created.clone()]);
    assert!(!format!("{listed:?}").contains(PASSWORD));

    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&store.url).await.unwrap();
    let rows = sqlx::query("SELECT logins, sealed FROM pull_secrets")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let logins: String = rows[0].get("logins");
    let sealed: String = rows[0].get("sealed");
    assert!(!logins.contains(PASSWORD) && !sealed.contains(PASSWORD));
    assert!(!sealed.contains(&STANDARD.encode(PASSWORD)));
    assert!(sealed.starts_with("v1:"));

    // Another key cannot open it; the import says why instead of going anonymous.
    let other = services
        .clone()
        .with_secrets_key(SecretsKey::parse(&"42".repeat(32)).unwrap());
    let from = format!("{}/private/app:1.0", registry.host);
    let answer = imports::import(&other, NS, one_image(&from, false))
        .await
        .unwrap();
    let status = &answer.status.images[0].status;
    assert_eq!(status.reason, "Unauthorized");
    assert!(
        status.message.contains(
            "the pull secret \"login\" cannot be opened: it was sealed with a different secrets key"
        ),
        "{}",
        status.message
    );
}

#[tokio::test]
async fn without_a_key_nothing_is_stored_and_the_message_says_how_to_give_one() {
    let (services, _store) = services_with_project(NS, Settings::default()).await;
    let error = pull_secrets::create(&services, &admin(), NS, "login", login("quay.io", "pw"))
        .await
        .unwrap_err();
    let expected = no_secrets_key("pull secrets");
    assert!(
        matches!(&error, Error::Unavailable(message) if *message == expected),
        "{error:?}"
    );
    assert!(
        pull_secrets::list(&services, &admin(), NS)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn bad_input_names_each_field() {
    let (services, _store) = services_with_project(NS, Settings::default()).await;
    let services = services.with_secrets_key(SecretsKey::parse(KEY).unwrap());
    let error = pull_secrets::create(
        &services,
        &admin(),
        NS,
        "Bad_Name",
        NewPullSecret::Login {
            registry: "quay .io".into(),
            username: " ".into(),
            password: String::new(),
        },
    )
    .await
    .unwrap_err();
    let Error::Invalid(errors) = error else {
        panic!("expected field errors, got {error:?}")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["name", "registry", "username", "password"]);

    let error = pull_secrets::create(
        &services,
        &admin(),
        NS,
        "config",
        NewPullSecret::DockerConfig(r#"{"auths": {"quay.io": {"auth": "%%"}}}"#.into()),
    )
    .await
    .unwrap_err();
    let Error::Invalid(errors) = error else {
        panic!("expected field errors, got {error:?}")
    };
    assert_eq!(errors[0].field, "config.json: auths[\"quay.io\"]");

    pull_secrets::create(&services, &admin(), NS, "taken", login("quay.io", "pw"))
        .await
        .unwrap();
    let again = pull_secrets::create(&services, &admin(), NS, "taken", login("quay.io", "pw"))
        .await
        .unwrap_err();
    assert!(matches!(again, Error::AlreadyExists { .. }), "{again:?}");
}

#[tokio::test]
async fn secrets_link_to_service_accounts_and_viewers_cannot_see_them() {
    let (services, store) = services_with_project(NS, Settings::default()).await;
    let services = services.with_secrets_key(SecretsKey::parse(KEY).unwrap());
    pull_secrets::create(&services, &admin(), NS, "quay", login("quay.io", "pw"))
        .await
        .unwrap();
    service_accounts::create(&services, &admin(), NS, "builder")
        .await
        .unwrap();
    pull_secrets::link(&services, &admin(), NS, "quay", "builder")
        .await
        .unwrap();
    let listed = pull_secrets::list(&services, &admin(), NS).await.unwrap();
    assert_eq!(listed[0].service_accounts, ["builder"]);
    let missing = pull_secrets::link(&services, &admin(), NS, "quay", "nobody")
        .await
        .unwrap_err();
    assert!(matches!(missing, Error::NotFound { .. }), "{missing:?}");

    service_accounts::delete(&services, &admin(), NS, "builder")
        .await
        .unwrap();
    let listed = pull_secrets::list(&services, &admin(), NS).await.unwrap();
    assert!(listed[0].service_accounts.is_empty());

    for (role, allowed) in [(Role::View, false), (Role::Edit, true), (Role::Admin, true)] {
        let user = format!("user-{role}");
        store
            .store
            .insert_role_binding(&RoleBinding {
                namespace: NS.into(),
                subject: Subject::User(user.clone()),
                role,
            })
            .await
            .unwrap();
        let caller = Caller::of_user(&store.store, &user).await.unwrap();
        let listed = pull_secrets::list(&services, &caller, NS).await;
        assert_eq!(listed.is_ok(), allowed, "{role}: {listed:?}");
    }
}

#[tokio::test]
async fn a_registry_behind_a_token_server_takes_the_secret_through_a_bearer_token() {
    let (services, _store, registry) =
        setup_with(TestRegistry::start_with_token_server(USER, PASSWORD)).await;
    let from = format!("{}/private/app:1.0", registry.host);
    let pull_scope = vec!["repository:private/app:pull".to_owned()];
    let pull_requests = |account: &str| {
        registry
            .token_requests()
            .into_iter()
            .filter(|request| {
                request.granted && request.account == account && request.scopes == pull_scope
            })
            .count()
    };

    // Anonymous: the token server hands out a token that grants nothing.
    let anonymous = imports::import(&services, NS, one_image(&from, false))
        .await
        .unwrap();
    let status = &anonymous.status.images[0];
    assert_eq!(status.status.reason, "Unauthorized");
    assert_eq!(
        status.status.message,
        format!("you may not have access to the container image \"{from}\"")
    );
    assert_eq!(
        pull_requests(""),
        1,
        "a token that was refused is not asked for again: {:?}",
        registry.token_requests()
    );

    // A wrong password: the token server refuses it, one anonymous try follows.
    let anonymous_before = pull_requests("");
    pull_secrets::create(
        &services,
        &admin(),
        NS,
        "wrong",
        login(&registry.host, "not-it"),
    )
    .await
    .unwrap();
    let refused = imports::import(&services, NS, one_image(&from, false))
        .await
        .unwrap();
    assert_eq!(
        refused.status.images[0].status.message,
        format!(
            "incorrect username or password for image \"{from}\" \
             (presented the credentials of pull secret \"wrong\")"
        )
    );
    assert_eq!(pull_requests(""), anonymous_before + 1);
    pull_secrets::delete(&services, &admin(), NS, "wrong")
        .await
        .unwrap();

    // The right login: a token scoped to the repository, asked for once and
    // reused by the next import while it lasts.
    pull_secrets::create(
        &services,
        &admin(),
        NS,
        "token-login",
        login(&registry.host, PASSWORD),
    )
    .await
    .unwrap();
    let imported = imports::import(&services, NS, one_image(&from, true))
        .await
        .unwrap();
    let status = &imported.status.images[0];
    assert!(status.status.is_success(), "{:?}", status.status);
    assert_eq!(status.pull_secret, "token-login");
    assert_eq!(
        status
            .image
            .as_ref()
            .unwrap()
            .docker_image_metadata
            .config
            .as_ref()
            .unwrap()
            .env,
        ["APP=1"]
    );
    assert_eq!(pull_requests(USER), 1, "{:?}", registry.token_requests());

    let again = imports::import(&services, NS, one_image(&from, false))
        .await
        .unwrap();
    assert!(again.status.images[0].status.is_success());
    assert_eq!(
        pull_requests(USER),
        1,
        "the cached token serves the second import: {:?}",
        registry.token_requests()
    );
}
