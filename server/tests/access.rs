//! Sign-in and authorization through the real router: sessions (new id on
//! every sign-in, HttpOnly cookie, sign-out), CSRF on every change a session
//! makes, the sign-in rate limit, API tokens and their revocation, and a
//! viewer refused what the table does not give them.

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{Method, Request, StatusCode, header},
};
use engine::{
    Services, Settings,
    access::{create_api_token, hash_password},
    model::access::{Role, RoleBinding, Subject},
    store::testing::{TestStore, admin_token, fresh_store},
};
use leptos::config::LeptosOptions;
use serde_json::Value;
use server::{router::router, state::AppState};
use tower::ServiceExt;

const ADMIN_PASSWORD: &str = "admin password for tests";

async fn app() -> (Router, TestStore) {
    let store = fresh_store().await;
    admin_token(&store.store).await;
    let state = AppState::new(
        LeptosOptions::builder()
            .output_name("image-stream-console")
            .build(),
        Services::new(store.store.clone(), Settings::default()),
    );
    (router(state, 1024 * 1024), store)
}

struct Answer {
    status: StatusCode,
    headers: http::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .map_or("", |v| v.to_str().unwrap())
    }

    /// The session id the answer sets, if any.
    fn session(&self) -> Option<String> {
        let cookie = self.headers.get(header::SET_COOKIE)?.to_str().unwrap();
        let value = cookie.strip_prefix("isc_session=")?.split(';').next()?;
        (!value.is_empty()).then(|| value.to_owned())
    }
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn sign_in_request(user: &str, password: &str, accept: &str) -> Request<Body> {
    let form = serde_urlencoded::to_string([
        ("user", user),
        ("password", password),
        ("next", "/ns/team/imagestreams"),
    ])
    .unwrap();
    Request::post("/auth/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, accept)
        .header(header::HOST, "console.test")
        .header(header::COOKIE, "isc_session=chosen-by-an-attacker")
        .body(Body::from(form))
        .unwrap()
}

async fn sign_in(app: &Router, user: &str, password: &str) -> String {
    let answer = send(app, sign_in_request(user, password, "text/html")).await;
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "{}",
        answer.location()
    );
    answer.session().expect("a session cookie")
}

/// Calls a server function with a session cookie and, if given, a CSRF token.
async fn call(
    app: &Router,
    endpoint: &str,
    session: &str,
    csrf: Option<&str>,
    body: &str,
) -> Answer {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/console/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, format!("isc_session={session}"));
    if let Some(csrf) = csrf {
        request = request.header("x-csrf-token", csrf);
    }
    send(app, request.body(Body::from(body.to_owned())).unwrap()).await
}

/// The CSRF token of a session, as its pages receive it.
async fn csrf_of(app: &Router, session: &str) -> String {
    let answer = call(app, "current_user", session, None, "{}").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.json()["csrf_token"].as_str().unwrap().to_owned()
}

async fn add_user(store: &TestStore, name: &str, password: &str, role: Option<(&str, Role)>) {
    store
        .store
        .insert_user(name, &hash_password(password).unwrap())
        .await
        .unwrap();
    if let Some((namespace, role)) = role {
        store
            .store
            .insert_role_binding(&RoleBinding {
                namespace: namespace.into(),
                subject: Subject::User(name.into()),
                role,
            })
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn nobody_signed_in_sees_the_sign_in_form_and_programs_get_401() {
    let (app, _store) = app().await;
    let root = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    let page = send(
        &app,
        Request::get("/ns/team/catalog")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(root.status, StatusCode::OK, "{}", root.body);
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(r#"action="/auth/sign-in""#),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(r#"value="/ns/team/catalog""#),
        "returns to the page asked for"
    );

    let api = send(
        &app,
        Request::get("/apis/project.openshift.io/v1/projects")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert_eq!(api.json()["reason"], "Unauthorized");
    assert_eq!(api.json()["message"], "sign in first");

    let function = call(&app, "list_projects", "no-such-session", None, "").await;
    assert_eq!(
        function.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        function.body
    );
    assert!(
        function.body.contains("your session has ended"),
        "{}",
        function.body
    );

    let events = send(&app, Request::get("/events").body(Body::empty()).unwrap()).await;
    assert_eq!(events.status, StatusCode::UNAUTHORIZED);
    let metrics = send(&app, Request::get("/metrics").body(Body::empty()).unwrap()).await;
    assert_eq!(metrics.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn signing_in_always_makes_a_new_http_only_session() {
    let (app, _store) = app().await;
    let answer = send(&app, sign_in_request("admin", ADMIN_PASSWORD, "text/html")).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), "/ns/team/imagestreams");
    let cookie = answer.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.contains("; HttpOnly; SameSite=Lax;") && cookie.ends_with("; Secure"),
        "{cookie}"
    );
    let session = answer.session().unwrap();
    assert_ne!(session, "chosen-by-an-attacker", "no session fixation");
    assert_eq!(session.len(), 64);

    // The session works; the id the attacker planted never does.
    let page = send(
        &app,
        Request::get("/")
            .header(header::COOKIE, format!("isc_session={session}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(page.body.contains("Signed in as"), "{}", page.body);
    let planted = call(&app, "list_projects", "chosen-by-an-attacker", None, "").await;
    assert_eq!(planted.status, StatusCode::UNAUTHORIZED);

    // Two sign-ins, two sessions.
    assert_ne!(sign_in(&app, "admin", ADMIN_PASSWORD).await, session);
}

#[tokio::test]
async fn wrong_passwords_are_refused_without_saying_which_part_was_wrong() {
    let (app, _store) = app().await;
    for (user, password) in [("admin", "not the password"), ("nobody", ADMIN_PASSWORD)] {
        let browser = send(&app, sign_in_request(user, password, "text/html")).await;
        assert_eq!(browser.status, StatusCode::SEE_OTHER);
        assert!(
            browser
                .location()
                .starts_with("/login?error=wrong+user+name+or+password"),
            "{}",
            browser.location()
        );
        assert!(browser.session().is_none());
        let program = send(&app, sign_in_request(user, password, "application/json")).await;
        assert_eq!(program.status, StatusCode::UNAUTHORIZED);
        assert_eq!(program.json()["message"], "wrong user name or password");
    }
}

#[tokio::test]
async fn too_many_failures_lock_the_account_even_for_the_right_password() {
    let (app, _store) = app().await;
    for _ in 0..5 {
        let answer = send(&app, sign_in_request("admin", "guess", "application/json")).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    let locked = send(
        &app,
        sign_in_request("admin", ADMIN_PASSWORD, "application/json"),
    )
    .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        locked.json()["message"],
        "too many failed sign-ins; try again in 15 minutes"
    );
    assert!(locked.session().is_none());
}

#[tokio::test]
async fn a_sign_in_form_posted_from_another_site_is_refused() {
    let (app, _store) = app().await;
    let mut request = sign_in_request("admin", ADMIN_PASSWORD, "application/json");
    request
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    let answer = send(&app, request).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(answer.session().is_none());
}

#[tokio::test]
async fn changes_from_a_session_need_its_csrf_token() {
    let (app, store) = app().await;
    let session = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let create = r#"{"request":{"name":"team"}}"#;

    let missing = call(&app, "create_project", &session, None, create).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN, "{}", missing.body);
    assert!(missing.body.contains("CSRF"), "{}", missing.body);
    let forged = "0".repeat(64);
    let forged = call(&app, "create_project", &session, Some(&forged), create).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    assert!(
        store.store.get_project("team").await.is_err(),
        "nothing was created"
    );

    // Reading needs no token; changing with the right one works.
    let read = call(&app, "list_projects", &session, None, "").await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let token = csrf_of(&app, &session).await;
    let created = call(&app, "create_project", &session, Some(&token), create).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);

    // Another session's token is no good here.
    let other = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let other_token = csrf_of(&app, &other).await;
    let delete = r#"{"name":"team"}"#;
    let crossed = call(&app, "delete_project", &session, Some(&other_token), delete).await;
    assert_eq!(crossed.status, StatusCode::FORBIDDEN, "{}", crossed.body);
}

#[tokio::test]
async fn signing_out_ends_the_session_and_everywhere_ends_them_all() {
    let (app, _store) = app().await;
    let first = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let second = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let third = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let sign_out = |session: &str, csrf: &str, everywhere: bool| {
        let mut form = format!("csrf_token={csrf}");
        if everywhere {
            form.push_str("&everywhere=true");
        }
        Request::post("/auth/sign-out")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::COOKIE, format!("isc_session={session}"))
            .body(Body::from(form))
            .unwrap()
    };

    let forged = send(&app, sign_out(&first, "forged", false)).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let csrf = csrf_of(&app, &first).await;
    let out = send(&app, sign_out(&first, &csrf, false)).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        out.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .starts_with("isc_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    let ended = call(&app, "list_projects", &first, None, "").await;
    assert_eq!(ended.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        call(&app, "list_projects", &second, None, "").await.status,
        StatusCode::OK
    );

    let csrf = csrf_of(&app, &second).await;
    send(&app, sign_out(&second, &csrf, true)).await;
    for session in [&second, &third] {
        let ended = call(&app, "list_projects", session, None, "").await;
        assert_eq!(ended.status, StatusCode::UNAUTHORIZED);
    }

    // A page opened with an ended session still renders on the server,
    // offering Sign in that comes back to the same address.
    let page = send(
        &app,
        Request::get("/ns/team/imagestreams?q=ruby")
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, format!("isc_session={third}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    // 401 when the page's data ("Please sign in") is known before the
    // headers are sent, else 200: the page streams.
    assert!(
        [StatusCode::OK, StatusCode::UNAUTHORIZED].contains(&page.status),
        "{}",
        page.status
    );
    let link = page
        .body
        .split("href=\"/login?next=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no Sign in link: {}", page.body));
    assert_eq!(
        urlencoding_decode(link),
        "/ns/team/imagestreams?q=ruby",
        "{link}"
    );
}

/// `%xx` escapes and `+` decoded, as a browser reads a query value.
fn urlencoding_decode(text: &str) -> String {
    serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={text}"))
        .unwrap()
        .remove(0)
        .1
}

#[tokio::test]
async fn a_revoked_or_expired_token_is_refused() {
    let (app, store) = app().await;
    let list = |token: &str| {
        Request::get("/apis/project.openshift.io/v1/projects")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let made = create_api_token(&store.store, "admin", "ci", None)
        .await
        .unwrap();
    assert_eq!(send(&app, list(&made.token)).await.status, StatusCode::OK);
    store.store.revoke_api_token(&made.id).await.unwrap();
    let revoked = send(&app, list(&made.token)).await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
    assert_eq!(revoked.json()["message"], "the bearer token was revoked");

    let expired = create_api_token(&store.store, "admin", "old", Some(1))
        .await
        .unwrap();
    let answer = send(&app, list(&expired.token)).await;
    assert_eq!(answer.json()["message"], "the bearer token has expired");
    let unknown = send(&app, list("isc_not-a-token")).await;
    assert_eq!(unknown.json()["message"], "the bearer token is not valid");
}

#[tokio::test]
async fn a_viewer_reads_but_every_change_is_refused_with_kubernetes_words() {
    let (app, store) = app().await;
    engine::store::testing::add_project(&store.store, "team").await;
    add_user(
        &store,
        "vera",
        "vera's long password",
        Some(("team", Role::View)),
    )
    .await;
    let token = create_api_token(&store.store, "vera", "", None)
        .await
        .unwrap()
        .token;
    let request = |method: Method, path: &str, body: &str| {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let streams = "/apis/image.openshift.io/v1/namespaces/team/imagestreams";
    let listed = send(&app, request(Method::GET, streams, "")).await;
    assert_eq!(listed.status, StatusCode::OK);
    let created = send(
        &app,
        request(Method::POST, streams, r#"{"metadata":{"name":"ruby"}}"#),
    )
    .await;
    assert_eq!(created.status, StatusCode::FORBIDDEN);
    assert_eq!(
        created.json()["message"],
        "imagestreams.image.openshift.io is forbidden: User \"vera\" cannot create resource \
         \"imagestreams\" in API group \"image.openshift.io\" in the namespace \"team\""
    );
    // Another project is not even visible.
    let elsewhere = send(
        &app,
        request(
            Method::GET,
            "/apis/image.openshift.io/v1/namespaces/other/imagestreams",
            "",
        ),
    )
    .await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    let projects = send(
        &app,
        request(Method::GET, "/apis/project.openshift.io/v1/projects", ""),
    )
    .await;
    let listed = projects.json();
    let names: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["openshift", "team"]);

    // A server function called directly with crafted arguments is refused too.
    let session = sign_in(&app, "vera", "vera's long password").await;
    let csrf = csrf_of(&app, &session).await;
    let tag = r#"{"namespace":"team","request":{"source":"quay.io/x/y:1","destination":"ruby:1"}}"#;
    let refused = call(&app, "tag_image", &session, Some(&csrf), tag).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let delete = call(
        &app,
        "delete_project",
        &session,
        Some(&csrf),
        r#"{"name":"team"}"#,
    )
    .await;
    assert_eq!(delete.status, StatusCode::FORBIDDEN, "{}", delete.body);
    assert!(store.store.get_project("team").await.is_ok());
}

#[tokio::test]
async fn tagging_from_another_project_needs_pulling_rights_there() {
    let (app, store) = app().await;
    for project in ["team", "secret"] {
        engine::store::testing::add_project(&store.store, project).await;
    }
    add_user(
        &store,
        "eddie",
        "eddie's long password",
        Some(("team", Role::Edit)),
    )
    .await;
    let token = create_api_token(&store.store, "eddie", "", None)
        .await
        .unwrap()
        .token;
    let put = || {
        Request::put("/apis/image.openshift.io/v1/namespaces/team/imagestreamtags/app:1")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                r#"{"metadata":{"name":"app:1"},"tag":{"name":"1","from":{"kind":"ImageStreamTag","namespace":"secret","name":"base:1"}}}"#,
            ))
            .unwrap()
    };
    let refused = send(&app, put()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(
        refused.body.contains(
            r#"cannot get resource \"imagestreams/layers\" in API group \"image.openshift.io\" in the namespace \"secret\""#
        ),
        "{}",
        refused.body
    );
    // `oc policy add-role-to-user system:image-puller eddie -n secret`
    store
        .store
        .insert_role_binding(&RoleBinding {
            namespace: "secret".into(),
            subject: Subject::User("eddie".into()),
            role: Role::ImagePuller,
        })
        .await
        .unwrap();
    let allowed = send(&app, put()).await;
    assert_ne!(allowed.status, StatusCode::FORBIDDEN, "{}", allowed.body);
}

#[tokio::test]
async fn a_service_account_acts_with_its_roles_until_its_token_is_revoked() {
    let (app, store) = app().await;
    engine::store::testing::add_project(&store.store, "team").await;
    let session = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let csrf = csrf_of(&app, &session).await;
    let created = call(
        &app,
        "create_service_account",
        &session,
        Some(&csrf),
        r#"{"namespace":"team","name":"ci"}"#,
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let granted = call(
        &app,
        "add_member",
        &session,
        Some(&csrf),
        r#"{"namespace":"team","kind":"User","name":"system:serviceaccount:team:ci","role":"edit"}"#,
    )
    .await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.body);
    let issued = call(
        &app,
        "issue_token",
        &session,
        Some(&csrf),
        r#"{"namespace":"team","name":"ci","description":"pipeline","days":"30"}"#,
    )
    .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    let token = issued.json()["token"].as_str().unwrap().to_owned();
    let id = issued.json()["id"].as_str().unwrap().to_owned();

    let create_stream = |name: &str| {
        Request::post("/apis/image.openshift.io/v1/namespaces/team/imagestreams")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(format!(r#"{{"metadata":{{"name":"{name}"}}}}"#)))
            .unwrap()
    };
    assert_eq!(
        send(&app, create_stream("built")).await.status,
        StatusCode::CREATED
    );
    // Its project only, and it cannot ask for projects (it is not a person).
    let elsewhere = send(
        &app,
        Request::get("/apis/image.openshift.io/v1/namespaces/default/imagestreams")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    let project = send(
        &app,
        Request::post("/apis/project.openshift.io/v1/projectrequests")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"metadata":{"name":"mine"}}"#))
            .unwrap(),
    )
    .await;
    assert_eq!(project.status, StatusCode::FORBIDDEN, "{}", project.body);

    // The list shows the token, never its value.
    let listed = send(
        &app,
        Request::post("/api/console/list_service_accounts")
            .header(header::COOKIE, format!("isc_session={session}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::from("namespace=team"))
            .unwrap(),
    )
    .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert_eq!(listed.json()[0]["tokens"][0]["id"], id.as_str());
    assert_eq!(listed.json()[0]["tokens"][0]["description"], "pipeline");
    assert!(!listed.body.contains(&token));

    let revoked = call(
        &app,
        "revoke_token",
        &session,
        Some(&csrf),
        &format!(r#"{{"namespace":"team","name":"ci","id":"{id}"}}"#),
    )
    .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    let after = send(&app, create_stream("late")).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.json()["message"], "the bearer token was revoked");
}

#[tokio::test]
async fn a_person_makes_their_own_token_in_the_browser_and_it_acts_with_their_roles() {
    let (app, store) = app().await;
    engine::store::testing::add_project(&store.store, "team").await;
    add_user(
        &store,
        "vera",
        "vera's password here",
        Some(("team", Role::View)),
    )
    .await;
    let session = sign_in(&app, "vera", "vera's password here").await;
    let csrf = csrf_of(&app, &session).await;
    let body = r#"{"description":"laptop","days":"7"}"#;

    // Without the session's CSRF token nothing is issued.
    let forged = call(&app, "issue_personal_token", &session, None, body).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    let wrong_days = call(
        &app,
        "issue_personal_token",
        &session,
        Some(&csrf),
        r#"{"description":"laptop","days":"a week"}"#,
    )
    .await;
    assert_eq!(wrong_days.status, StatusCode::BAD_REQUEST);
    assert!(wrong_days.body.contains("days"), "{}", wrong_days.body);

    let issued = call(&app, "issue_personal_token", &session, Some(&csrf), body).await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    assert_eq!(issued.json()["user"], "vera");
    let token = issued.json()["token"].as_str().unwrap().to_owned();
    let id = issued.json()["id"].as_str().unwrap().to_owned();
    let bearer = |request: http::request::Builder| {
        request.header(header::AUTHORIZATION, format!("Bearer {token}"))
    };

    // The token reads what vera reads and is refused what she may not do.
    let read = send(
        &app,
        bearer(Request::get(
            "/apis/image.openshift.io/v1/namespaces/team/imagestreams",
        ))
        .body(Body::empty())
        .unwrap(),
    )
    .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let write = send(
        &app,
        bearer(Request::post(
            "/apis/image.openshift.io/v1/namespaces/team/imagestreams",
        ))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"metadata":{"name":"nope"}}"#))
        .unwrap(),
    )
    .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN, "{}", write.body);
    assert!(
        write.body.contains(r#"User \"vera\" cannot create"#),
        "{}",
        write.body
    );

    // A token cannot make another token for itself.
    let chained = send(
        &app,
        bearer(Request::post("/api/console/issue_personal_token"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(chained.status, StatusCode::FORBIDDEN, "{}", chained.body);
    assert!(
        chained.body.contains("signed-in browser"),
        "{}",
        chained.body
    );

    // The profile lists the token (never its value) and vera's role.
    let profile = call(&app, "load_profile", &session, None, "").await;
    assert_eq!(profile.status, StatusCode::OK, "{}", profile.body);
    let shown = profile.json();
    assert_eq!(shown["user"], "vera");
    let roles = shown["roles"].as_array().unwrap();
    let in_team = roles.iter().find(|role| role["namespace"] == "team");
    assert_eq!(in_team.unwrap()["role"], "View", "{roles:?}");
    assert!(
        roles.iter().any(|role| role["namespace"] == "openshift"
            && role["subject"]["Group"] == "system:authenticated"),
        "everyone signed in reads openshift: {roles:?}"
    );
    assert_eq!(shown["tokens"].as_array().unwrap().len(), 1);
    assert_eq!(shown["tokens"][0]["id"], id.as_str());
    assert_eq!(shown["tokens"][0]["description"], "laptop");
    assert!(!profile.body.contains(&token));

    // Nobody revokes a token of someone else: the admin's id is unknown to vera.
    let admins = create_api_token(&store.store, "admin", "ops", None)
        .await
        .unwrap();
    let foreign = call(
        &app,
        "revoke_personal_token",
        &session,
        Some(&csrf),
        &format!(r#"{{"id":"{}"}}"#, admins.id),
    )
    .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}", foreign.body);

    let revoked = call(
        &app,
        "revoke_personal_token",
        &session,
        Some(&csrf),
        &format!(r#"{{"id":"{id}"}}"#),
    )
    .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    let after = send(
        &app,
        bearer(Request::get(
            "/apis/image.openshift.io/v1/namespaces/team/imagestreams",
        ))
        .body(Body::empty())
        .unwrap(),
    )
    .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_identity_provider_is_offered_only_when_configured_and_stray_answers_are_refused_and_audited()
 {
    use engine::access::oidc::{OidcProvider, OidcSettings};
    use engine::model::audit::AuditFilter;
    let get = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
    let offered = |app: &Router| {
        let app = app.clone();
        async move {
            let answer = send(
                &app,
                Request::post("/api/console/sign_in_provider")
                    .header(header::ACCEPT, "application/json")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            answer.json()
        }
    };

    // Without a provider: nothing offered, nothing to start.
    let (app, _store) = app().await;
    assert_eq!(offered(&app).await, Value::Null);
    let start = send(&app, get("/auth/oidc/start?next=/ns/team/catalog")).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    assert_eq!(
        start.headers[header::LOCATION],
        "/login?error=sign-in+through+an+identity+provider+is+not+configured+on+this+server&next=%2Fns%2Fteam%2Fcatalog"
    );

    // With one (nothing is fetched from it until someone signs in), even
    // anyone not signed in hears its name.
    let store = fresh_store().await;
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable = format!("http://127.0.0.1:{port}");
    let provider = OidcProvider::new(OidcSettings {
        issuer_url: unreachable.clone(),
        client_id: "image-stream-console".into(),
        client_secret: None,
        redirect_url: "http://console.test/auth/oidc/callback".into(),
        username_claim: "preferred_username".into(),
        groups_claim: None,
        extra_scopes: Vec::new(),
        display_name: "Acme SSO".into(),
        extra_ca_pem: None,
    })
    .unwrap();
    let state = AppState::new(
        LeptosOptions::builder()
            .output_name("image-stream-console")
            .build(),
        Services::new(store.store.clone(), Settings::default()).with_oidc(provider),
    );
    let app = router(state, 1024 * 1024);
    assert_eq!(offered(&app).await, "Acme SSO");

    // A provider that cannot be reached sends the browser back to the form
    // with the reason.
    let start = send(&app, get("/auth/oidc/start?next=/ns/team/catalog")).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    let back: std::collections::HashMap<String, String> =
        serde_urlencoded::from_str(start.location().strip_prefix("/login?").unwrap()).unwrap();
    assert!(
        back["error"].starts_with(&format!(
            "the identity provider at {unreachable} cannot be used"
        )),
        "{back:?}"
    );
    assert_eq!(back["next"], "/ns/team/catalog");

    // An answer this browser never asked for (no sign-in cookie, or a
    // forged one) opens no session, and the refusal is in the audit log.
    for cookie in ["", "isc_oidc=eyJmb3JnZWQiOnRydWV9"] {
        let mut request = Request::get("/auth/oidc/callback?code=stolen&state=guessed");
        if !cookie.is_empty() {
            request = request.header(header::COOKIE, cookie);
        }
        let answer = send(&app, request.body(Body::empty()).unwrap()).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        assert!(
            answer
                .location()
                .starts_with("/login?error=this+sign-in+was+not+started+in+this+browser"),
            "{}",
            answer.location()
        );
        assert!(answer.session().is_none());
    }
    // The provider saying no (the person cancelled) is said on the form.
    let answer = send(
        &app,
        get("/auth/oidc/callback?error=access_denied&error_description=cancelled+by+the+user"),
    )
    .await;
    assert!(
        answer.location().contains(
            "the+identity+provider+refused+the+sign-in+%28access_denied%3A+cancelled+by+the+user%29"
        ),
        "{}",
        answer.location()
    );
    let entries = store
        .store
        .audit_entries(
            &AuditFilter {
                kind: "sessions".into(),
                failed_only: true,
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
    assert_eq!(entries.len(), 3, "{entries:?}");
    assert!(
        entries
            .iter()
            .all(|entry| entry.action == "sign-in" && entry.status == 401)
    );
}
