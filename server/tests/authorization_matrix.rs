//! The authorization matrix: every server function and every API route,
//! called by a user holding each role in the project `team` (and by one
//! holding none), through the real router. Each call must be refused with
//! 403 exactly when the authorization table (`engine::model::access`) says
//! so, and never be refused when it allows; nobody is ever answered 401 with
//! a valid token.

use axum::{
    Router,
    body::to_bytes,
    http::{Method, Request, StatusCode, header},
};
use engine::{
    Services, Settings,
    access::{Caller, SecretsKey, create_api_token, hash_password},
    model::{
        NewProject,
        access::{Resource, Role, Verb, role_allows},
        catalog::CatalogQuery,
        triggers::{OwnerKind, TriggerEdit},
        webhooks::{NewWebhook, WebhookEvent},
    },
    store::testing::{TestStore, admin_token, fake_digest, fresh_store, mapping},
};
use leptos::config::LeptosOptions;
use serde_json::{Value, json};
use server::{router::router, state::AppState};
use tower::ServiceExt;

/// Who may call an operation.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Decided by the table: `verb` on `resource` in `namespace`.
    Table(Verb, Resource, &'static str),
    /// Anyone signed in (the answer holds only what they may see).
    Everyone,
}

/// How an operation is called.
enum Call {
    /// A server function: its endpoint and its arguments as JSON (or, for
    /// functions taking URL-encoded arguments, as a query string).
    Function(&'static str, Args),
    Api(Method, String, Option<Value>),
}

struct Operation {
    name: String,
    rule: Rule,
    call: Call,
}

enum Args {
    Json(Value),
    Form(&'static str),
}

fn function(endpoint: &'static str, rule: Rule, body: Args) -> Operation {
    Operation {
        name: format!("server function {endpoint}"),
        rule,
        call: Call::Function(endpoint, body),
    }
}

fn api(method: Method, path: &str, rule: Rule, body: Option<Value>) -> Operation {
    Operation {
        name: format!("{method} {path}"),
        rule,
        call: Call::Api(method, path.to_owned(), body),
    }
}

const IS: &str = "/apis/image.openshift.io/v1/namespaces/team";

/// Every operation, reads first and the destructive ones last (each role
/// gets a fresh store, so one role's changes never decide another's answer).
fn operations() -> Vec<Operation> {
    use Args::{Form, Json};
    use Resource as R;
    use Rule::{Everyone, Table};
    use Verb as V;
    let import_form = json!({
        "from": "127.0.0.1:1/nowhere/app:1", "stream": "app", "tag": "1", "insecure": true,
        "scheduled": false, "import_mode": "Legacy", "reference_policy": "Source", "all": false,
    });
    let webhook = NewWebhook {
        name: "hook".into(),
        url: "http://127.0.0.1:1/hook".into(),
        secret: "a secret of sixteen or more".into(),
        events: vec![WebhookEvent::TagMoved],
    };
    let mut operations = vec![
        function("current_user", Everyone, Form("")),
        api(
            Method::POST,
            "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
            Everyone,
            Some(json!({"spec": {"resourceAttributes": {
                "namespace": "team", "verb": "get", "group": "image.openshift.io", "resource": "imagestreams"}}})),
        ),
        api(
            Method::POST,
            "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
            Everyone,
            Some(json!({"spec": {"namespace": "team"}})),
        ),
        function("sign_in_provider", Everyone, Form("")),
        function("list_projects", Everyone, Form("")),
        function("global_search", Everyone, Form("query=ruby")),
        function(
            "load_catalog",
            Table(V::List, R::ImageStreams, "team"),
            Json(json!({"namespace": "team", "query": CatalogQuery::default()})),
        ),
        function(
            "list_image_streams",
            Table(V::List, R::ImageStreams, "team"),
            Form("namespace=team"),
        ),
        function(
            "list_image_streams",
            Table(V::List, R::ImageStreams, "other"),
            Form("namespace=other"),
        ),
        function(
            "get_image_stream",
            Table(V::Get, R::ImageStreams, "team"),
            Form("namespace=team&name=ruby"),
        ),
        function(
            "export_image_stream",
            Table(V::Get, R::ImageStreams, "team"),
            Form("namespace=team&name=ruby"),
        ),
        function(
            "get_image_stream_tag",
            Table(V::Get, R::ImageStreamTags, "team"),
            Form("namespace=team&name=ruby&tag=1"),
        ),
        function(
            "load_import_activity",
            Table(V::List, R::ImageStreams, "team"),
            Form("namespace=team"),
        ),
        function(
            "load_triggers_page",
            Table(V::List, R::TriggerOwners, "team"),
            Form("namespace=team"),
        ),
        function(
            "load_owner_timeline",
            Table(V::List, R::TriggerOwners, "team"),
            Json(json!({"namespace": "team", "kind": "BuildConfig", "name": "web"})),
        ),
        function(
            "tag_watchers",
            Table(V::List, R::TriggerOwners, "team"),
            Form("namespace=team&stream=ruby"),
        ),
        function(
            "dry_run_triggers",
            Table(V::List, R::TriggerOwners, "team"),
            Json(json!({"namespace": "team", "tag": "ruby:1", "target": fake_digest(9)})),
        ),
        function(
            "load_webhooks",
            Table(V::List, R::Webhooks, "team"),
            Form("namespace=team"),
        ),
        function(
            "list_members",
            Table(V::List, R::RoleBindings, "team"),
            Form("namespace=team"),
        ),
        function(
            "preview_import",
            Table(V::Create, R::ImageStreamImports, "team"),
            Json(json!({"namespace": "team", "form": import_form})),
        ),
        function(
            "import_image",
            Table(V::Create, R::ImageStreamImports, "team"),
            Json(json!({"namespace": "team", "form": import_form})),
        ),
        function(
            "tag_image",
            Table(V::Update, R::ImageStreamTags, "team"),
            Json(json!({"namespace": "team", "request": {
                "source": "quay.io/team/app:1", "destination": "app:1"}})),
        ),
        function(
            "set_image_lookup",
            Table(V::Update, R::ImageStreams, "team"),
            Json(json!({"namespace": "team", "name": "ruby", "local": true})),
        ),
        function(
            "apply_yaml",
            Table(V::Update, R::ImageStreams, "team"),
            Json(json!({"namespace": "team", "objects": "ImageStreams",
                "text": "kind: ImageStream\napiVersion: image.openshift.io/v1\nmetadata:\n  name: applied\n"})),
        ),
        function(
            "apply_yaml",
            Table(V::Update, R::TriggerOwners, "team"),
            Json(json!({"namespace": "team", "objects": "TriggerOwners",
                "text": "kind: BuildConfig\napiVersion: build.openshift.io/v1\nmetadata:\n  name: web\nspec:\n  strategy:\n    sourceStrategy:\n      from:\n        kind: ImageStreamTag\n        name: ruby:1\n  triggers:\n  - type: ImageChange\n    imageChange: {}\n"})),
        ),
        function(
            "set_triggers",
            Table(V::Update, R::TriggerOwners, "team"),
            Json(
                json!({"namespace": "team", "kind": OwnerKind::BuildConfig, "name": "web",
                "edit": TriggerEdit::SetPaused { index: 0, paused: true }}),
            ),
        ),
        function(
            "add_trigger",
            Table(V::Update, R::TriggerOwners, "team"),
            Json(
                json!({"namespace": "team", "owner": "BuildConfig/web", "tag": "ruby:1", "containers": ""}),
            ),
        ),
        function(
            "create_webhook",
            Table(V::Create, R::Webhooks, "team"),
            Json(json!({"namespace": "team", "webhook": webhook})),
        ),
        function(
            "redeliver_webhook",
            Table(V::Update, R::Webhooks, "team"),
            Json(json!({"namespace": "team", "id": 1})),
        ),
        function(
            "add_member",
            Table(V::Create, R::RoleBindings, "team"),
            Json(json!({"namespace": "team", "kind": "User", "name": "newcomer", "role": "view"})),
        ),
        function(
            "list_service_accounts",
            Table(V::List, R::ServiceAccounts, "team"),
            Form("namespace=team"),
        ),
        function(
            "create_service_account",
            Table(V::Create, R::ServiceAccounts, "team"),
            Json(json!({"namespace": "team", "name": "robot"})),
        ),
        function(
            "issue_token",
            Table(V::Create, R::ServiceAccounts, "team"),
            Json(json!({"namespace": "team", "name": "robot", "description": "", "days": ""})),
        ),
        function(
            "revoke_token",
            Table(V::Update, R::ServiceAccounts, "team"),
            Json(json!({"namespace": "team", "name": "robot", "id": "no-such-token"})),
        ),
        function(
            "list_audit_log",
            Table(V::List, R::AuditEvents, "team"),
            Json(json!({"filter": {"namespace": "team"}})),
        ),
        function(
            "list_audit_log",
            Table(V::List, R::AuditEvents, ""),
            Json(json!({"filter": {}})),
        ),
        function(
            "import_tag_now",
            Table(V::Create, R::ImageStreamImports, "team"),
            Json(json!({"namespace": "team", "destination": "ruby:1"})),
        ),
        function("list_groups", Table(V::List, R::Groups, ""), Form("")),
        function(
            "load_cluster_settings",
            Table(V::Get, R::ClusterSettings, ""),
            Form(""),
        ),
        function(
            "save_cluster_settings",
            Table(V::Update, R::ClusterSettings, ""),
            Json(json!({"policy": {}, "resource_version": 0})),
        ),
        function("list_users", Table(V::List, R::Users, ""), Form("")),
        function(
            "set_user_password",
            Table(V::Update, R::Users, ""),
            Json(json!({"name": "nobody", "password": "a long enough password"})),
        ),
        function(
            "delete_user",
            Table(V::Delete, R::Users, ""),
            Json(json!({"name": "nobody"})),
        ),
        // Everyone with a password may change it (this one is wrong: 422).
        function(
            "change_password",
            Everyone,
            Json(json!({"current_password": "not it", "new_password": "a long enough password"})),
        ),
        function(
            "load_samples",
            Table(V::Get, R::ClusterSettings, ""),
            Form(""),
        ),
        function(
            "save_samples",
            Table(V::Update, R::ClusterSettings, ""),
            Json(json!({"config": {"managementState": "Removed"}, "resource_version": 0})),
        ),
        api(Method::GET, "/metrics", Table(V::Get, R::Metrics, ""), None),
        api(
            Method::GET,
            "/audit/export?namespace=team",
            Table(V::List, R::AuditEvents, "team"),
            None,
        ),
        api(
            Method::GET,
            "/audit/export?namespace=",
            Table(V::List, R::AuditEvents, ""),
            None,
        ),
        api(
            Method::GET,
            "/apis/image.openshift.io/v1/images",
            Table(V::List, R::Images, ""),
            None,
        ),
        api(
            Method::GET,
            "/apis/image.openshift.io/v1/images/sha256:0000000000000000000000000000000000000000000000000000000000000000",
            Table(V::Get, R::Images, ""),
            None,
        ),
        function(
            "add_group_member",
            Table(V::Update, R::Groups, ""),
            Json(json!({"group": "devs", "user": "u"})),
        ),
        function(
            "remove_group_member",
            Table(V::Update, R::Groups, ""),
            Json(json!({"group": "devs", "user": "u"})),
        ),
        function(
            "list_pull_secrets",
            Table(V::List, R::Secrets, "team"),
            Form("namespace=team"),
        ),
        function(
            "create_pull_secret",
            Table(V::Create, R::Secrets, "team"),
            Json(json!({
                "namespace": "team", "name": "quay", "registry": "quay.io", "username": "robot",
                "password": "a password", "config_json": "",
            })),
        ),
        function(
            "link_pull_secret",
            Table(V::Get, R::Secrets, "team"),
            Json(json!({"namespace": "team", "secret": "quay", "account": "robot"})),
        ),
        function(
            "unlink_pull_secret",
            Table(V::Update, R::ServiceAccounts, "team"),
            Json(json!({"namespace": "team", "secret": "quay", "account": "robot"})),
        ),
        function(
            "create_user",
            Table(V::Create, R::Users, ""),
            Json(json!({"name": "created", "password": "a long first password"})),
        ),
        function(
            "create_project",
            Table(V::Create, R::ProjectRequests, ""),
            Json(json!({"request": NewProject { name: "fresh".into(), ..Default::default() }})),
        ),
        api(
            Method::GET,
            "/apis/project.openshift.io/v1/projects",
            Everyone,
            None,
        ),
        api(
            Method::GET,
            "/apis/project.openshift.io/v1/projects/team",
            Table(V::Get, R::Projects, "team"),
            None,
        ),
        api(
            Method::POST,
            "/apis/project.openshift.io/v1/projectrequests",
            Table(V::Create, R::ProjectRequests, ""),
            Some(json!({"metadata": {"name": "requested"}})),
        ),
        api(
            Method::POST,
            "/api/v1/namespaces",
            Table(V::Create, R::ProjectRequests, ""),
            Some(json!({"metadata": {"name": "made"}})),
        ),
        api(
            Method::PUT,
            "/api/v1/namespaces/team",
            Table(V::Update, R::Projects, "team"),
            Some(json!({"metadata": {"name": "team"}})),
        ),
        api(
            Method::PATCH,
            "/apis/project.openshift.io/v1/projects/team",
            Table(V::Update, R::Projects, "team"),
            Some(json!({"metadata": {"annotations": {"openshift.io/display-name": "Team"}}})),
        ),
        api(
            Method::GET,
            &format!("{IS}/imagestreams"),
            Table(V::List, R::ImageStreams, "team"),
            None,
        ),
        api(
            Method::GET,
            "/apis/image.openshift.io/v1/namespaces/other/imagestreams",
            Table(V::List, R::ImageStreams, "other"),
            None,
        ),
        api(
            Method::GET,
            &format!("{IS}/imagestreams/ruby"),
            Table(V::Get, R::ImageStreams, "team"),
            None,
        ),
        api(
            Method::GET,
            &format!("{IS}/imagestreamtags/ruby:1"),
            Table(V::Get, R::ImageStreamTags, "team"),
            None,
        ),
        api(
            Method::GET,
            &format!("{IS}/imagestreamimages/ruby@{}", &fake_digest(1)[..16]),
            Table(V::Get, R::ImageStreamImages, "team"),
            None,
        ),
        api(
            Method::GET,
            "/events?namespaces=team",
            Table(V::Watch, R::ImageStreams, "team"),
            None,
        ),
        api(
            Method::POST,
            &format!("{IS}/imagestreams"),
            Table(V::Create, R::ImageStreams, "team"),
            Some(json!({"metadata": {"name": "posted"}})),
        ),
        api(
            Method::PUT,
            &format!("{IS}/imagestreams/ruby"),
            Table(V::Update, R::ImageStreams, "team"),
            Some(json!({"metadata": {"name": "ruby"}})),
        ),
        api(
            Method::PUT,
            &format!("{IS}/imagestreamtags/ruby:2"),
            Table(V::Update, R::ImageStreamTags, "team"),
            Some(json!({"metadata": {"name": "ruby:2"},
                "tag": {"from": {"kind": "DockerImage", "name": "quay.io/team/ruby:2"}}})),
        ),
        api(
            Method::POST,
            &format!("{IS}/imagestreamtags"),
            Table(V::Create, R::ImageStreamTags, "team"),
            Some(json!({"metadata": {"name": "ruby:posted"},
                "tag": {"from": {"kind": "DockerImage", "name": "quay.io/team/ruby:4"}}})),
        ),
        // A PATCH in a format no patch has (415) once allowed: the
        // authorization is checked first.
        api(
            Method::PATCH,
            &format!("{IS}/imagestreamtags/ruby:1"),
            Table(V::Update, R::ImageStreamTags, "team"),
            Some(json!({"metadata": {"annotations": {"a": "b"}}})),
        ),
        api(
            Method::POST,
            &format!("{IS}/imagestreammappings"),
            Table(V::Create, R::ImageStreamMappings, "team"),
            Some(
                serde_json::to_value(mapping("ruby", "3", &fake_digest(3), "quay.io/team/ruby@x"))
                    .unwrap(),
            ),
        ),
        api(
            Method::POST,
            &format!("{IS}/imagestreamimports"),
            Table(V::Create, R::ImageStreamImports, "team"),
            Some(
                json!({"metadata": {"name": "app"}, "spec": {"import": false, "images": [
                {"from": {"kind": "DockerImage", "name": "127.0.0.1:1/nowhere/app:1"}}]}}),
            ),
        ),
        api(
            Method::GET,
            "/apis/build.openshift.io/v1/namespaces/team/builds",
            Table(V::List, R::TriggerOwners, "team"),
            None,
        ),
    ];
    for kind in OwnerKind::ALL {
        let base = match kind.api_version() {
            "v1" => "/api/v1".to_owned(),
            version => format!("/apis/{version}"),
        };
        let collection = format!("{base}/namespaces/team/{}", kind.resource());
        let object = json!({"apiVersion": kind.api_version(), "kind": kind.as_str(),
            "metadata": {"name": "owned"}});
        operations.push(api(
            Method::GET,
            &collection,
            Table(V::List, R::TriggerOwners, "team"),
            None,
        ));
        operations.push(api(
            Method::POST,
            &collection,
            Table(V::Create, R::TriggerOwners, "team"),
            Some(object.clone()),
        ));
        operations.push(api(
            Method::GET,
            &format!("{collection}/owned"),
            Table(V::Get, R::TriggerOwners, "team"),
            None,
        ));
        operations.push(api(
            Method::PUT,
            &format!("{collection}/owned"),
            Table(V::Update, R::TriggerOwners, "team"),
            Some(object),
        ));
        operations.push(api(
            Method::DELETE,
            &format!("{collection}/owned"),
            Table(V::Delete, R::TriggerOwners, "team"),
            None,
        ));
    }
    // The destructive ones last.
    operations.extend([
        function(
            "delete_webhook",
            Table(V::Delete, R::Webhooks, "team"),
            Json(json!({"namespace": "team", "name": "hook"})),
        ),
        function(
            "delete_trigger_owner",
            Table(V::Delete, R::TriggerOwners, "team"),
            Json(json!({"namespace": "team", "kind": OwnerKind::BuildConfig, "name": "web"})),
        ),
        function(
            "delete_pull_secret",
            Table(V::Delete, R::Secrets, "team"),
            Json(json!({"namespace": "team", "name": "quay"})),
        ),
        function(
            "delete_service_account",
            Table(V::Delete, R::ServiceAccounts, "team"),
            Json(json!({"namespace": "team", "name": "robot"})),
        ),
        function(
            "remove_member",
            Table(V::Delete, R::RoleBindings, "team"),
            Json(json!({"namespace": "team", "kind": "User", "name": "newcomer", "role": "view"})),
        ),
        function(
            "untag_image",
            Table(V::Delete, R::ImageStreamTags, "team"),
            Json(json!({"namespace": "team", "destination": "ruby:1"})),
        ),
        api(
            Method::DELETE,
            &format!("{IS}/imagestreamtags/ruby:3"),
            Table(V::Delete, R::ImageStreamTags, "team"),
            None,
        ),
        api(
            Method::DELETE,
            &format!("{IS}/imagestreams/posted"),
            Table(V::Delete, R::ImageStreams, "team"),
            None,
        ),
        function(
            "delete_image_stream",
            Table(V::Delete, R::ImageStreams, "team"),
            Json(json!({"namespace": "team", "name": "ruby"})),
        ),
        api(
            Method::DELETE,
            "/apis/project.openshift.io/v1/projects/requested",
            Table(V::Delete, R::Projects, "requested"),
            None,
        ),
        api(
            Method::DELETE,
            "/api/v1/namespaces/made",
            Table(V::Delete, R::Projects, "made"),
            None,
        ),
        function(
            "delete_project",
            Table(V::Delete, R::Projects, "team"),
            Json(json!({"name": "team"})),
        ),
    ]);
    operations
}

/// Whether the table lets a person holding `role` in `team` (cluster-wide
/// for cluster-admin) do this, counting what every person holds: `view` in
/// `openshift`, `self-provisioner`, and `admin` of the projects they asked
/// for earlier in the run (`fresh`, `requested`, `made`).
fn allowed(role: Option<Role>, verb: Verb, resource: Resource, namespace: &str) -> bool {
    let mut held: Vec<(&str, Role)> = vec![
        ("openshift", Role::View),
        ("", Role::SelfProvisioner),
        ("fresh", Role::Admin),
        ("requested", Role::Admin),
        ("made", Role::Admin),
    ];
    match role {
        Some(Role::ClusterAdmin) => held.push(("", Role::ClusterAdmin)),
        Some(role) => held.push(("team", role)),
        None => {}
    }
    held.iter().any(|(bound, role)| {
        (bound.is_empty() || *bound == namespace) && role_allows(*role, verb, resource)
    })
}

/// A fresh installation: project `team` with stream `ruby` (tag `1` has an
/// image), project `other`, and the user `u` holding `role`; returns the app
/// and `u`'s token.
async fn installation(role: Option<Role>) -> (Router, TestStore, String) {
    let store = fresh_store().await;
    admin_token(&store.store).await;
    let services = Services::new(store.store.clone(), Settings::default())
        .with_secrets_key(SecretsKey::parse(&"5a".repeat(32)).expect("a valid key"));
    let system = Caller::system("test");
    for name in ["team", "other"] {
        let request = NewProject {
            name: name.into(),
            ..Default::default()
        };
        engine::projects::create(&store.store, &system, request)
            .await
            .unwrap();
    }
    engine::imagestreams::map_image(
        &services,
        "team",
        mapping(
            "ruby",
            "1",
            &fake_digest(1),
            &format!("quay.io/team/ruby@{}", fake_digest(1)),
        ),
    )
    .await
    .unwrap();
    store
        .store
        .insert_user("u", &hash_password("u's long password").unwrap())
        .await
        .unwrap();
    if let Some(role) = role {
        let namespace = if role.is_cluster_wide() { "" } else { "team" };
        store
            .store
            .insert_role_binding(&engine::model::access::RoleBinding {
                namespace: namespace.into(),
                subject: engine::model::access::Subject::User("u".into()),
                role,
            })
            .await
            .unwrap();
    }
    let token = create_api_token(&store.store, "u", "matrix", None)
        .await
        .unwrap()
        .token;
    let app = router(
        AppState::new(
            LeptosOptions::builder()
                .output_name("image-stream-console")
                .build(),
            services,
        ),
        1024 * 1024,
    );
    (app, store, token)
}

async fn status_of(app: &Router, token: &str, call: &Call) -> (StatusCode, String) {
    let request = match call {
        Call::Function(endpoint, body) => {
            let (content_type, body) = match body {
                Args::Json(value) => ("application/json", value.to_string()),
                Args::Form(form) => ("application/x-www-form-urlencoded", (*form).to_owned()),
            };
            Request::post(format!("/api/console/{endpoint}"))
                .header(header::CONTENT_TYPE, content_type)
                .header(header::ACCEPT, "application/json")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(axum::body::Body::from(body))
                .unwrap()
        }
        Call::Api(method, path, body) => Request::builder()
            .method(method.clone())
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(body.as_ref().map_or_else(axum::body::Body::empty, |body| {
                axum::body::Body::from(body.to_string())
            }))
            .unwrap(),
    };
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    if response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"text/event-stream"))
    {
        // The live stream never ends; its status is the answer.
        return (status, String::new());
    }
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn every_function_and_route_answers_every_role_as_the_table_says() {
    let roles: Vec<Option<Role>> = std::iter::once(None)
        .chain(Role::PROJECT.into_iter().map(Some))
        .chain([Some(Role::ClusterAdmin)])
        .collect();
    let operations = operations();
    let mut wrong = Vec::new();
    let mut checked = 0;
    let mut refused = 0;
    for role in &roles {
        let (app, _store, token) = installation(*role).await;
        for operation in &operations {
            let expected = match operation.rule {
                Rule::Everyone => true,
                Rule::Table(verb, resource, namespace) => allowed(*role, verb, resource, namespace),
            };
            let (status, body) = status_of(&app, &token, &operation.call).await;
            checked += 1;
            let denied = status == StatusCode::FORBIDDEN;
            if denied {
                refused += 1;
            }
            let right = if expected {
                !denied && status != StatusCode::UNAUTHORIZED
            } else {
                denied
            };
            if !right {
                let role = role.map_or("no role", Role::name);
                let want = if expected { "allowed" } else { "403" };
                wrong.push(format!(
                    "{role}: {} answered {status}, expected {want}: {}",
                    operation.name,
                    body.chars().take(200).collect::<String>()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong answers:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    // The matrix refuses a good part of what it tries (it is not all "allowed").
    assert!(refused > checked / 4, "{refused} of {checked} refused");
}
