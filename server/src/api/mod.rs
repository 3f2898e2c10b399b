//! The Kubernetes-style HTTP API for programs: `project.openshift.io/v1` and
//! `image.openshift.io/v1`, in OpenShift's JSON, with errors as Kubernetes
//! `Status` objects. Every handler calls the same engine function the pages
//! call.

mod body;
mod image_streams;
mod projects;
mod status;
mod trigger_owners;

use axum::{
    Router,
    routing::{get, post},
};

use crate::state::AppState;

pub use status::ApiError;

/// The API routes.
pub fn routes() -> Router<AppState> {
    let images = "/apis/image.openshift.io/v1/namespaces/{namespace}";
    Router::new()
        .merge(trigger_owners::routes())
        .route(
            "/apis/project.openshift.io/v1/projectrequests",
            post(projects::request),
        )
        .route(
            "/apis/project.openshift.io/v1/projects",
            get(projects::list),
        )
        .route(
            "/apis/project.openshift.io/v1/projects/{name}",
            get(projects::get).delete(projects::delete),
        )
        .route(
            &format!("{images}/imagestreams"),
            get(image_streams::list).post(image_streams::create),
        )
        .route(
            &format!("{images}/imagestreams/{{name}}"),
            get(image_streams::get)
                .put(image_streams::replace)
                .delete(image_streams::delete),
        )
        .route(
            &format!("{images}/imagestreamtags/{{id}}"),
            get(image_streams::get_tag)
                .put(image_streams::put_tag)
                .delete(image_streams::delete_tag),
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
