//! The HTTP surface, driven through the real router (pages rendered by Leptos,
//! server functions, health checks, middleware) on a real store.

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{Request, StatusCode, header},
};
use engine::{
    Services, Settings,
    store::testing::{TestStore, fresh_store},
};
use leptos::config::LeptosOptions;
use server::{router::router, state::AppState};
use tower::ServiceExt;

const BODY_LIMIT: usize = 64 * 1024;

const BEARER: &str = "Bearer isc_test_token_0123456789abcdef0123456789abcdef";

async fn app() -> (Router, TestStore) {
    let store = fresh_store().await;
    engine::store::testing::admin_token(&store.store).await;
    let state = AppState::new(
        LeptosOptions::builder()
            .output_name("image-stream-console")
            .build(),
        Services::new(store.store.clone(), Settings::default()),
    );
    (router(state, BODY_LIMIT), store)
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, http::HeaderMap, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn get(path: &str) -> Request<Body> {
    Request::get(path)
        .header(header::AUTHORIZATION, BEARER)
        .body(Body::empty())
        .unwrap()
}

fn post_json(path: &str, json: &str) -> Request<Body> {
    Request::post(path)
        .header(header::AUTHORIZATION, BEARER)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_LENGTH, json.len())
        .body(Body::from(json.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn the_home_page_is_rendered_on_the_server_with_the_projects() {
    let (app, _store) = app().await;
    let (status, headers, html) = send(&app, get("/")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert!(
        html.contains("<title>Projects · Image Stream Console</title>"),
        "{html}"
    );
    assert!(html.contains("Image Stream Console</span>"));
    // Hydration markers (`<!>`) may follow text: match up to them.
    assert!(
        html.contains(r#"<a href="/ns/openshift/imagestreams">openshift"#),
        "{html}"
    );
    assert!(
        html.contains(r#"href="/ns/default/catalog""#),
        "navigation links to the default project"
    );
}

#[tokio::test]
async fn pages_allow_only_their_own_inline_scripts() {
    let (app, _store) = app().await;
    let (_, headers, html) = send(&app, get("/")).await;
    let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert!(
        policy.contains("'wasm-unsafe-eval'") && policy.contains("frame-ancestors 'none'"),
        "{policy}"
    );
    let scripts = html.matches("<script").count();
    let with_nonce = html.matches(&format!("nonce=\"{nonce}\"")).count();
    assert!(scripts > 0);
    assert_eq!(
        scripts, with_nonce,
        "every inline script carries this response's nonce"
    );

    let (_, second, _) = send(&app, get("/")).await;
    assert_ne!(
        second[header::CONTENT_SECURITY_POLICY],
        headers[header::CONTENT_SECURITY_POLICY],
        "a fresh nonce per response"
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let (app, _store) = app().await;
    for path in ["/", "/healthz", "/no/such/page"] {
        let (_, headers, _) = send(&app, get(path)).await;
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{path}");
        assert_eq!(headers[header::REFERRER_POLICY], "same-origin", "{path}");
        assert!(
            headers.contains_key(header::CONTENT_SECURITY_POLICY),
            "{path}"
        );
    }
    let (_, headers, _) = send(&app, get("/healthz")).await;
    assert_eq!(
        headers[header::CONTENT_SECURITY_POLICY],
        "default-src 'none'; frame-ancestors 'none'"
    );
}

#[tokio::test]
async fn health_and_readiness() {
    let (app, store) = app().await;
    assert_eq!(send(&app, get("/healthz")).await.2, "ok\n");
    let (status, _, body) = send(&app, get("/readyz")).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ready\n"));

    store.store.close().await;
    let (status, _, body) = send(&app, get("/readyz")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("database"), "{body}");
    assert_eq!(
        send(&app, get("/healthz")).await.0,
        StatusCode::OK,
        "alive even when not ready"
    );
}

#[tokio::test]
async fn unknown_paths_get_the_404_page() {
    let (app, _store) = app().await;
    let (status, _, html) = send(&app, get("/no/such/page")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"), "{html}");
}

#[tokio::test]
async fn server_functions_write_to_the_store_and_name_bad_fields() {
    let (app, store) = app().await;
    let (status, _, body) = send(
        &app,
        post_json(
            "/api/console/create_project",
            r#"{"request":{"name":"team-a","display_name":"Team A"}}"#,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(r#""name":"team-a""#), "{body}");
    assert_eq!(
        engine::projects::get(&store, &engine::access::Caller::system("test"), "team-a")
            .await
            .unwrap()
            .display_name,
        "Team A"
    );

    let (status, _, body) = send(
        &app,
        post_json(
            "/api/console/create_project",
            r#"{"request":{"name":"Team_B"}}"#,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("metadata.name") && body.contains("RFC 1123"),
        "{body}"
    );
    assert!(
        engine::projects::get(&store, &engine::access::Caller::system("test"), "team_b")
            .await
            .is_err(),
        "nothing written"
    );

    let (status, _, body) = send(
        &app,
        post_json(
            "/api/console/create_project",
            r#"{"request":{"name":"team-a"}}"#,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        body.contains(
            r#""AlreadyExists":{"kind":"projects.project.openshift.io","name":"team-a"}"#
        ),
        "{body}"
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let (app, store) = app().await;
    let huge = format!(
        r#"{{"request":{{"name":"x","description":"{}"}}}}"#,
        "a".repeat(BODY_LIMIT)
    );
    let (status, _, _) = send(&app, post_json("/api/console/create_project", &huge)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        engine::projects::get(&store, &engine::access::Caller::system("test"), "x")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn pages_are_compressed_for_browsers_that_accept_it() {
    let (app, _store) = app().await;
    let request = Request::get("/")
        .header(header::AUTHORIZATION, BEARER)
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .body(Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
}
