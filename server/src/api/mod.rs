//! The Kubernetes-style HTTP API for programs: `project.openshift.io/v1` and
//! `image.openshift.io/v1`, in OpenShift's JSON, with errors as Kubernetes
//! `Status` objects. Every handler calls the same engine function the pages
//! call.

mod access_review;
mod apply;
mod body;
mod discovery;
mod dry_run;
mod field_manager;
mod image_stream_tags;
mod image_streams;
mod legacy;
mod list_options;
mod openapi;
mod openapi_v2;
pub mod page_cache;
mod patch;
mod projects;
pub(crate) mod protobuf;
mod schemas;
mod status;
mod strategic_merge;
mod table;
mod trigger_owners;
mod watch;

use axum::{
    Router,
    routing::{get, post},
};

use crate::state::AppState;

pub use status::ApiError;

/// The API routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(discovery::routes())
        .merge(openapi::routes())
        .merge(openapi_v2::routes())
        .merge(trigger_owners::routes())
        .merge(projects::routes())
        .route(
            "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
            post(access_review::access_review),
        )
        .route(
            "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
            post(access_review::rules_review),
        )
        .route(
            "/apis/image.openshift.io/v1/images",
            get(image_streams::list_images),
        )
        .route(
            "/apis/image.openshift.io/v1/images/{name}",
            get(image_streams::get_cluster_image),
        )
        .merge(image_routes("/apis/image.openshift.io/v1"))
        // OpenShift 3's legacy paths, where `apiVersion: v1` objects (as the
        // seeds write them) are found by kubectl.
        .merge(image_routes("/api/v1").layer(axum::middleware::from_fn(legacy::answer_as_v1)))
}

/// The `image.openshift.io/v1` routes under `base`.
fn image_routes(base: &str) -> Router<AppState> {
    let images = format!("{base}/namespaces/{{namespace}}");
    Router::new()
        .route(
            &format!("{base}/imagestreams"),
            get(image_streams::list_all),
        )
        .route(
            &format!("{images}/imagestreams"),
            get(image_streams::list).post(image_streams::create),
        )
        .route(
            &format!("{images}/imagestreams/{{name}}"),
            get(image_streams::get)
                .put(image_streams::replace)
                .patch(image_streams::patch)
                .delete(image_streams::delete),
        )
        .route(
            &format!("{images}/imagestreamtags"),
            get(image_stream_tags::list_tags).post(image_stream_tags::create_tag),
        )
        .route(
            &format!("{images}/imagestreamtags/{{id}}"),
            get(image_stream_tags::get_tag)
                .put(image_stream_tags::put_tag)
                .patch(image_stream_tags::patch_tag)
                .delete(image_stream_tags::delete_tag),
        )
        .route(
            &format!("{images}/imagestreamimages/{{id}}"),
            get(image_streams::get_image),
        )
        .route(
            &format!("{images}/imagestreammappings"),
            post(image_streams::map_image),
        )
        .route(
            &format!("{images}/imagestreamimports"),
            post(image_streams::import_images),
        )
}
