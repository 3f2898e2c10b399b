//! API discovery as kubectl and client libraries read it: `/version`,
//! `/api`, `/apis` and each group version's resource list, with kinds,
//! verbs and short names, from one table of what this server serves.

use axum::{Json, Router, extract::Path, response::Response, routing::get};
use engine::model::triggers::OwnerKind;
use serde_json::{Value, json};

use super::status::not_found;
use crate::state::AppState;

/// One resource this server serves.
#[derive(Clone, Copy)]
pub struct ApiResource {
    /// `image.openshift.io/v1`, or `v1` for the core group.
    pub group_version: &'static str,
    /// The plural, as in the path (`imagestreams`).
    pub name: &'static str,
    pub singular: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    pub verbs: &'static [&'static str],
    pub short_names: &'static [&'static str],
}

const CRUD: &[&str] = &["create", "delete", "get", "list", "patch", "update"];
const ALL_VERBS: &[&str] = &[
    "create", "delete", "get", "list", "patch", "update", "watch",
];

const IMAGE: &str = "image.openshift.io/v1";
const PROJECT: &str = "project.openshift.io/v1";

/// The image and project resources (trigger owners come from [`OwnerKind`]).
const IMAGE_RESOURCES: &[ApiResource] = &[
    ApiResource {
        group_version: IMAGE,
        name: "imagestreams",
        singular: "imagestream",
        kind: "ImageStream",
        namespaced: true,
        verbs: ALL_VERBS,
        short_names: &["is"],
    },
    ApiResource {
        group_version: IMAGE,
        name: "imagestreamtags",
        singular: "imagestreamtag",
        kind: "ImageStreamTag",
        namespaced: true,
        verbs: &["create", "delete", "get", "list", "patch", "update"],
        short_names: &["istag"],
    },
    ApiResource {
        group_version: IMAGE,
        name: "imagestreamimages",
        singular: "imagestreamimage",
        kind: "ImageStreamImage",
        namespaced: true,
        verbs: &["get"],
        short_names: &["isimage"],
    },
    ApiResource {
        group_version: IMAGE,
        name: "imagestreamimports",
        singular: "imagestreamimport",
        kind: "ImageStreamImport",
        namespaced: true,
        verbs: &["create"],
        short_names: &[],
    },
    ApiResource {
        group_version: IMAGE,
        name: "imagestreammappings",
        singular: "imagestreammapping",
        kind: "ImageStreamMapping",
        namespaced: true,
        verbs: &["create"],
        short_names: &[],
    },
    ApiResource {
        group_version: IMAGE,
        name: "images",
        singular: "image",
        kind: "Image",
        namespaced: false,
        verbs: &["get", "list"],
        short_names: &[],
    },
    ApiResource {
        group_version: PROJECT,
        name: "projects",
        singular: "project",
        kind: "Project",
        namespaced: false,
        verbs: CRUD,
        short_names: &[],
    },
    ApiResource {
        group_version: PROJECT,
        name: "projectrequests",
        singular: "projectrequest",
        kind: "ProjectRequest",
        namespaced: false,
        verbs: &["create"],
        short_names: &[],
    },
];

fn owner_resource(kind: OwnerKind) -> ApiResource {
    let (singular, short_names): (&'static str, &'static [&'static str]) = match kind {
        OwnerKind::BuildConfig => ("buildconfig", &["bc"]),
        OwnerKind::DeploymentConfig => ("deploymentconfig", &["dc"]),
        OwnerKind::Deployment => ("deployment", &["deploy"]),
        OwnerKind::StatefulSet => ("statefulset", &["sts"]),
        OwnerKind::DaemonSet => ("daemonset", &["ds"]),
        OwnerKind::CronJob => ("cronjob", &["cj"]),
        OwnerKind::Job => ("job", &[]),
        OwnerKind::Pod => ("pod", &["po"]),
    };
    ApiResource {
        group_version: kind.api_version(),
        name: kind.resource(),
        singular,
        kind: kind.as_str(),
        namespaced: true,
        verbs: CRUD,
        short_names,
    }
}

/// Every resource served, in discovery order.
pub fn resources() -> Vec<ApiResource> {
    let mut all = IMAGE_RESOURCES.to_vec();
    // OpenShift 3's legacy core paths for the namespaced image resources,
    // where kubectl finds `apiVersion: v1` objects.
    all.extend(
        IMAGE_RESOURCES
            .iter()
            .filter(|r| r.group_version == IMAGE && r.namespaced)
            .map(|r| ApiResource {
                group_version: "v1",
                short_names: &[],
                ..*r
            }),
    );
    all.extend(OwnerKind::ALL.into_iter().map(owner_resource));
    all.push(ApiResource {
        group_version: "v1",
        name: "namespaces",
        singular: "namespace",
        kind: "Namespace",
        namespaced: false,
        verbs: CRUD,
        short_names: &["ns"],
    });
    for (name, kind) in [
        ("selfsubjectaccessreviews", "SelfSubjectAccessReview"),
        ("selfsubjectrulesreviews", "SelfSubjectRulesReview"),
    ] {
        all.push(ApiResource {
            group_version: "authorization.k8s.io/v1",
            name,
            singular: "",
            kind,
            namespaced: false,
            verbs: &["create"],
            short_names: &[],
        });
    }
    all.push(ApiResource {
        group_version: "build.openshift.io/v1",
        name: "builds",
        singular: "build",
        kind: "Build",
        namespaced: true,
        verbs: &["list"],
        short_names: &[],
    });
    all
}

/// The named group versions (everything but the core `v1`), in order.
fn group_versions() -> Vec<&'static str> {
    let mut versions: Vec<&'static str> = Vec::new();
    for resource in resources() {
        if resource.group_version != "v1" && !versions.contains(&resource.group_version) {
            versions.push(resource.group_version);
        }
    }
    versions
}

/// `/version`: this server, in the shape of Kubernetes' version info.
async fn version() -> Json<Value> {
    Json(json!({
        "major": "1",
        "minor": "31",
        "gitVersion": concat!("v1.31.0+image-stream-console-", env!("CARGO_PKG_VERSION")),
        "gitCommit": "",
        "gitTreeState": "clean",
        "buildDate": "",
        "goVersion": "",
        "compiler": "rustc",
        "platform": format!("{}/{}", std::env::consts::OS, go_arch()),
    }))
}

fn go_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    }
}

/// `/api`: the core group's versions.
async fn core_versions() -> Json<Value> {
    Json(json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{ "clientCIDR": "0.0.0.0/0", "serverAddress": "" }],
    }))
}

fn group_entry(group: &str, version: &str) -> Value {
    let group_version = format!("{group}/{version}");
    json!({
        "name": group,
        "versions": [{ "groupVersion": group_version, "version": version }],
        "preferredVersion": { "groupVersion": group_version, "version": version },
    })
}

/// `/apis`: every named group.
async fn groups() -> Json<Value> {
    let groups: Vec<Value> = group_versions()
        .into_iter()
        .filter_map(|gv| gv.split_once('/'))
        .map(|(group, version)| group_entry(group, version))
        .collect();
    Json(json!({ "kind": "APIGroupList", "apiVersion": "v1", "groups": groups }))
}

/// `/apis/{group}`
async fn group(Path(group): Path<String>) -> Response {
    let found = group_versions()
        .into_iter()
        .filter_map(|gv| gv.split_once('/'))
        .find(|(name, _)| *name == group);
    match found {
        Some((name, version)) => {
            let mut entry = group_entry(name, version);
            entry["kind"] = json!("APIGroup");
            entry["apiVersion"] = json!("v1");
            axum::response::IntoResponse::into_response(Json(entry))
        }
        None => not_found(format!("the server could not find the group {group}")),
    }
}

fn resource_list(group_version: &str) -> Option<Value> {
    let entries: Vec<Value> = resources()
        .into_iter()
        .filter(|r| r.group_version == group_version)
        .map(|r| {
            let mut entry = json!({
                "name": r.name,
                "singularName": r.singular,
                "namespaced": r.namespaced,
                "kind": r.kind,
                "verbs": r.verbs,
            });
            if !r.short_names.is_empty() {
                entry["shortNames"] = json!(r.short_names);
            }
            if r.group_version == IMAGE && r.name == "imagestreams" {
                entry["categories"] = json!(["all"]);
            }
            entry
        })
        .collect();
    (!entries.is_empty()).then(|| {
        json!({
            "kind": "APIResourceList",
            "apiVersion": "v1",
            "groupVersion": group_version,
            "resources": entries,
        })
    })
}

/// `/api/v1`
async fn core_resources() -> Response {
    versioned_resources("v1".to_owned())
}

/// `/apis/{group}/{version}`
async fn group_resources(Path((group, version)): Path<(String, String)>) -> Response {
    versioned_resources(format!("{group}/{version}"))
}

fn versioned_resources(group_version: String) -> Response {
    match resource_list(&group_version) {
        Some(list) => axum::response::IntoResponse::into_response(Json(list)),
        None => not_found(format!(
            "the server could not find the requested resource {group_version}"
        )),
    }
}

/// The discovery routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/version", get(version))
        .route("/api", get(core_versions))
        .route("/api/v1", get(core_resources))
        .route("/apis", get(groups))
        .route("/apis/{group}", get(group))
        .route("/apis/{group}/{version}", get(group_resources))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_version_lists_its_resources_and_image_streams_have_short_names() {
        for group_version in group_versions() {
            assert!(resource_list(group_version).is_some(), "{group_version}");
        }
        let image = resource_list(IMAGE).unwrap();
        let streams = image["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "imagestreams")
            .unwrap();
        assert_eq!(streams["shortNames"], json!(["is"]));
        assert_eq!(streams["kind"], "ImageStream");
        assert!(resource_list("image.openshift.io/v2").is_none());
        assert!(resource_list("v1").is_some(), "pods are core v1");
    }

    #[test]
    fn groups_are_listed_once_with_their_preferred_version() {
        let versions = group_versions();
        assert!(versions.contains(&IMAGE) && versions.contains(&"apps/v1"));
        let mut unique = versions.clone();
        unique.dedup();
        assert_eq!(unique.len(), versions.len());
    }
}
