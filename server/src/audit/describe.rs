//! What a request asks to change, read from its method, path and body: the
//! action, the kind of object, its project and name. Reads describe to
//! nothing and are not audited.

use http::Method;
use serde_json::Value;

/// The object a change is about.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    pub action: String,
    pub kind: String,
    pub namespace: String,
    /// The object's name, or [`CALLER`] when the object is the caller
    /// themself (their password, their session).
    pub name: String,
}

/// Stands for the signed-in caller in [`CHANGES`] and [`Target::name`]:
/// the audit layer writes the caller's name in its place.
pub const CALLER: &str = "@caller";

/// Server functions that only read: not audited. Every other server
/// function must be in [`CHANGES`] (a test checks both lists against the
/// registered functions).
pub const READS: &[&str] = &[
    "global_search",
    "load_catalog",
    "list_projects",
    "current_user",
    "sign_in_provider",
    "list_members",
    "list_service_accounts",
    "preview_import",
    "load_import_activity",
    "list_pull_secrets",
    "load_triggers_page",
    "load_owner_timeline",
    "tag_watchers",
    "dry_run_triggers",
    "load_webhooks",
    "list_image_streams",
    "get_image_stream",
    "export_image_stream",
    "get_image_stream_tag",
    "list_audit_log",
    "list_groups",
    "load_schedule",
    "tag_schedule",
    "load_cluster_settings",
    "load_samples",
    "list_users",
    "load_profile",
];

/// How each changing server function is described: its action, the kind of
/// object, and the JSON pointers of the object's name (the first present
/// wins) in its arguments.
pub const CHANGES: &[(&str, &str, &str, &[&str])] = &[
    ("apply_yaml", "apply", "manifests", &[]),
    ("create_project", "create", "projects", &["/request/name"]),
    ("delete_project", "delete", "projects", &["/name"]),
    ("add_member", "create", "rolebindings", &["/name"]),
    ("remove_member", "delete", "rolebindings", &["/name"]),
    ("create_user", "create", "users", &["/name"]),
    ("set_user_password", "update", "users", &["/name"]),
    ("delete_user", "delete", "users", &["/name"]),
    ("change_password", "update", "users", &[CALLER]),
    ("add_group_member", "update", "groups", &["/group"]),
    ("remove_group_member", "update", "groups", &["/group"]),
    (
        "create_service_account",
        "create",
        "serviceaccounts",
        &["/name"],
    ),
    (
        "delete_service_account",
        "delete",
        "serviceaccounts",
        &["/name"],
    ),
    ("issue_token", "create", "tokens", &["/name"]),
    ("revoke_token", "revoke", "tokens", &["/id"]),
    ("issue_personal_token", "create", "tokens", &[]),
    ("revoke_personal_token", "revoke", "tokens", &["/id"]),
    ("import_image", "import", "imagestreams", &["/form/stream"]),
    (
        "import_tag_now",
        "import",
        "imagestreamtags",
        &["/destination"],
    ),
    ("create_pull_secret", "create", "secrets", &["/name"]),
    ("delete_pull_secret", "delete", "secrets", &["/name"]),
    ("link_pull_secret", "link", "secrets", &["/secret"]),
    ("unlink_pull_secret", "unlink", "secrets", &["/secret"]),
    (
        "save_cluster_settings",
        "update",
        "images.config.openshift.io",
        &[],
    ),
    (
        "save_samples",
        "update",
        "configs.samples.operator.openshift.io",
        &[],
    ),
    (
        "delete_trigger_owner",
        "delete",
        "triggerowners",
        &["/name"],
    ),
    ("set_triggers", "update", "triggerowners", &["/name"]),
    ("add_trigger", "update", "triggerowners", &["/owner"]),
    ("create_webhook", "create", "webhooks", &["/webhook/name"]),
    ("delete_webhook", "delete", "webhooks", &["/name"]),
    ("redeliver_webhook", "redeliver", "webhooks", &["/id"]),
    (
        "tag_image",
        "tag",
        "imagestreamtags",
        &["/request/destination"],
    ),
    (
        "untag_image",
        "delete",
        "imagestreamtags",
        &["/destination"],
    ),
    ("delete_image_stream", "delete", "imagestreams", &["/name"]),
    ("set_image_lookup", "update", "imagestreams", &["/name"]),
];

const SERVER_FUNCTIONS: &str = "/api/console/";

/// The change `method` `path` with `body` asks for, or `None` for a read.
pub fn describe(method: &Method, path: &str, body: &[u8]) -> Option<Target> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    if let Some(endpoint) = path.strip_prefix(SERVER_FUNCTIONS) {
        return server_function(endpoint, body);
    }
    match path {
        "/auth/sign-in" => {
            let user = form_value(body, "user").unwrap_or_default();
            return Some(target("sign-in", "sessions", "", &user));
        }
        "/auth/sign-out" => return Some(target("sign-out", "sessions", "", CALLER)),
        _ => {}
    }
    api_route(method, path, body)
}

/// Whether an API request asks only to see what its change would do, so
/// nothing was kept: `?dryRun=All`, `dryRun: ["All"]` in a delete's
/// `DeleteOptions`, or an `ImageStreamImport` with `spec.import: false`.
/// The audit log marks such entries; it still records them, as Kubernetes'
/// audit does, because the attempt says who tried what.
pub fn is_dry_run(method: &Method, path: &str, query: Option<&str>, body: &[u8]) -> bool {
    if !path.starts_with("/api/v1/") && !path.starts_with("/apis/") {
        return false;
    }
    let in_query = query.is_some_and(|query| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .unwrap_or_default()
            .iter()
            .any(|(key, value)| key == "dryRun" && value == "All")
    });
    if in_query {
        return true;
    }
    let Ok(body) = serde_json::from_slice::<Value>(body) else {
        return false;
    };
    let in_delete_options = *method == Method::DELETE
        && body
            .get("dryRun")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().any(|value| value == "All"));
    let import_preview = *method == Method::POST
        && path.ends_with("/imagestreamimports")
        && body.pointer("/spec/import") != Some(&Value::Bool(true));
    in_delete_options || import_preview
}

fn target(action: &str, kind: &str, namespace: &str, name: &str) -> Target {
    Target {
        action: action.into(),
        kind: kind.into(),
        namespace: namespace.into(),
        name: name.into(),
    }
}

fn server_function(endpoint: &str, body: &[u8]) -> Option<Target> {
    if READS.contains(&endpoint) {
        return None;
    }
    let arguments = arguments(body);
    let text = |pointer: &str| match arguments.pointer(pointer) {
        Some(Value::String(text)) => Some(text.clone()),
        Some(Value::Number(number)) => Some(number.to_string()),
        _ => None,
    };
    let Some((_, action, kind, names)) = CHANGES.iter().find(|(name, ..)| *name == endpoint) else {
        // Unknown to this table: still recorded, by its endpoint.
        return Some(target(
            endpoint,
            "",
            &text("/namespace").unwrap_or_default(),
            "",
        ));
    };
    let name = if *names == [CALLER] {
        CALLER.to_owned()
    } else {
        names
            .iter()
            .find_map(|pointer| text(pointer))
            .unwrap_or_default()
    };
    let namespace = if *kind == "projects" {
        name.clone()
    } else {
        text("/namespace").unwrap_or_default()
    };
    Some(target(action, kind, &namespace, &name))
}

/// A server function's arguments: a JSON object, or URL-encoded fields.
fn arguments(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap_or_else(|_| {
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        )
    })
}

fn form_value(body: &[u8], field: &str) -> Option<String> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    fields.into_iter().find(|(k, _)| k == field).map(|(_, v)| v)
}

/// `/apis/<group>/<version>/[namespaces/<ns>/]<resource>[/<name>]` and the
/// project requests.
fn api_route(method: &Method, path: &str, body: &[u8]) -> Option<Target> {
    // `/apis/<group>/<version>/…` or the core group's `/api/<version>/…`.
    let (rest, prefix_parts) = match path.strip_prefix("/apis/") {
        Some(rest) => (rest, 2),
        None => (path.strip_prefix("/api/")?, 1),
    };
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    // Access reviews ask a question; they change nothing.
    if parts.first() == Some(&"authorization.k8s.io") {
        return None;
    }
    let (namespace, resource, name) = match parts.get(prefix_parts..)? {
        ["namespaces", namespace, resource, name, ..] => (*namespace, *resource, *name),
        ["namespaces", namespace, resource] => (*namespace, *resource, ""),
        [resource, name, ..] => ("", *resource, *name),
        [resource] => ("", *resource, ""),
        _ => return None,
    };
    let body_name = || {
        serde_json::from_slice::<Value>(body)
            .ok()
            // kubectl sends a Namespace in protobuf.
            .or_else(|| crate::api::protobuf::object_metadata(body))
            .and_then(|v| {
                v.pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .unwrap_or_default()
    };
    let name = if name.is_empty() {
        body_name()
    } else {
        name.to_owned()
    };
    let action = match (method, resource) {
        (&Method::POST, "imagestreamimports") => "import",
        (&Method::POST, _) => "create",
        (&Method::PUT, _) => "update",
        (&Method::PATCH, _) => "patch",
        (&Method::DELETE, _) => "delete",
        _ => method.as_str(),
    };
    let (kind, namespace) = match resource {
        "projectrequests" | "projects" | "namespaces" => ("projects", name.as_str()),
        other => (other, namespace),
    };
    Some(target(&action.to_lowercase(), kind, namespace, &name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dry_runs_are_told_apart() {
        let streams = "/apis/image.openshift.io/v1/namespaces/a/imagestreams";
        let imports = "/apis/image.openshift.io/v1/namespaces/a/imagestreamimports";
        assert!(is_dry_run(
            &Method::POST,
            streams,
            Some("dryRun=All"),
            b"{}"
        ));
        assert!(is_dry_run(
            &Method::PATCH,
            &format!("{streams}/web"),
            Some("fieldManager=kubectl&dryRun=All"),
            b"{}"
        ));
        assert!(!is_dry_run(&Method::POST, streams, None, b"{}"));
        assert!(!is_dry_run(&Method::POST, streams, Some("dryRun="), b"{}"));
        assert!(is_dry_run(
            &Method::DELETE,
            &format!("{streams}/web"),
            None,
            br#"{"kind":"DeleteOptions","dryRun":["All"]}"#
        ));
        assert!(!is_dry_run(
            &Method::DELETE,
            &format!("{streams}/web"),
            None,
            br#"{"kind":"DeleteOptions"}"#
        ));
        assert!(is_dry_run(
            &Method::POST,
            imports,
            None,
            br#"{"spec":{"import":false}}"#
        ));
        assert!(!is_dry_run(
            &Method::POST,
            imports,
            None,
            br#"{"spec":{"import":true}}"#
        ));
        // Server functions say nothing about dry runs in their query.
        assert!(!is_dry_run(
            &Method::POST,
            "/api/console/tag_image",
            Some("dryRun=All"),
            b""
        ));
    }

    #[test]
    fn reads_are_not_described() {
        assert_eq!(
            describe(
                &Method::GET,
                "/apis/image.openshift.io/v1/namespaces/a/imagestreams",
                b""
            ),
            None
        );
        assert_eq!(
            describe(
                &Method::POST,
                "/api/console/list_pull_secrets",
                b"namespace=a"
            ),
            None
        );
    }

    #[test]
    fn server_functions_name_their_object() {
        let body = br#"{"namespace":"team","name":"quay","registry":"quay.io","password":"x"}"#;
        assert_eq!(
            describe(&Method::POST, "/api/console/create_pull_secret", body),
            Some(target("create", "secrets", "team", "quay"))
        );
        let body = br#"{"namespace":"team","form":{"from":"ruby:3","stream":"ruby"}}"#;
        assert_eq!(
            describe(&Method::POST, "/api/console/import_image", body),
            Some(target("import", "imagestreams", "team", "ruby"))
        );
        let body = br#"{"request":{"name":"fresh","display_name":""}}"#;
        assert_eq!(
            describe(&Method::POST, "/api/console/create_project", body),
            Some(target("create", "projects", "fresh", "fresh"))
        );
        assert_eq!(
            describe(
                &Method::POST,
                "/api/console/redeliver_webhook",
                br#"{"namespace":"t","id":7}"#
            ),
            Some(target("redeliver", "webhooks", "t", "7"))
        );
    }

    #[test]
    fn api_routes_name_their_object_from_the_path_or_the_body() {
        let base = "/apis/image.openshift.io/v1/namespaces/team";
        assert_eq!(
            describe(&Method::DELETE, &format!("{base}/imagestreams/ruby"), b""),
            Some(target("delete", "imagestreams", "team", "ruby"))
        );
        assert_eq!(
            describe(
                &Method::DELETE,
                "/api/v1/namespaces/team/imagestreams/ruby",
                b""
            ),
            Some(target("delete", "imagestreams", "team", "ruby")),
            "the core group's legacy path names its object too"
        );
        assert_eq!(
            describe(
                &Method::POST,
                &format!("{base}/imagestreams"),
                br#"{"metadata":{"name":"new"}}"#
            ),
            Some(target("create", "imagestreams", "team", "new"))
        );
        assert_eq!(
            describe(
                &Method::POST,
                &format!("{base}/imagestreamimports"),
                br#"{"metadata":{"name":"app"}}"#
            ),
            Some(target("import", "imagestreamimports", "team", "app"))
        );
        assert_eq!(
            describe(
                &Method::POST,
                "/apis/project.openshift.io/v1/projectrequests",
                br#"{"metadata":{"name":"p"}}"#
            ),
            Some(target("create", "projects", "p", "p"))
        );
        assert_eq!(
            describe(&Method::DELETE, "/api/v1/namespaces/made", b""),
            Some(target("delete", "projects", "made", "made")),
            "a namespace is a project"
        );
        assert_eq!(
            describe(
                &Method::POST,
                "/api/v1/namespaces",
                br#"{"metadata":{"name":"made"}}"#
            ),
            Some(target("create", "projects", "made", "made"))
        );
    }

    #[test]
    fn sign_in_names_the_user_but_never_the_password() {
        let described = describe(
            &Method::POST,
            "/auth/sign-in",
            b"user=vic&password=hunter2hunter2",
        )
        .unwrap();
        assert_eq!(described, target("sign-in", "sessions", "", "vic"));
    }

    #[test]
    fn access_reviews_are_questions_not_changes() {
        for review in ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] {
            let path = format!("/apis/authorization.k8s.io/v1/{review}");
            assert_eq!(describe(&Method::POST, &path, b"{}"), None);
        }
    }
}
