//! `oc import-image`: reading images from registries into image streams
//! (`ImageStreamImport`). A dry run reports what would be imported; a real
//! import writes the images, the spec tags and the tag events in one
//! transaction, following the history rules.

mod failures;
mod fetch;
mod write;

pub use failures::outcome_of;
pub use fetch::choose_platform;

use crate::{
    Error, Result, Services,
    imagestreams::require_project,
    model::{
        DockerImageReference, FieldError, IMAGE_STREAM_IMPORT_KIND, ImageImportSpec,
        ImageImportStatus, ImageStreamImport, ImportMode, ImportOutcome, SourceKind,
        reference::is_docker_hub,
        validate_stream::{validate_stream_name, validate_tag_name},
    },
    registry::Repository,
};
use fetch::{FetchedImage, Source, fetch_image};
use futures::StreamExt;

/// Where Docker Hub's API answers.
const DOCKER_HUB_API: &str = "registry-1.docker.io";

/// Runs the import `request` in `namespace` and returns it with its status.
pub async fn import(
    services: &Services,
    namespace: &str,
    mut request: ImageStreamImport,
) -> Result<ImageStreamImport> {
    require_project(services, namespace).await?;
    let references = check(&request)?;
    // Images are fetched a few at a time (in order), so a request of many
    // tags does not wait for each registry round trip in turn.
    let fetched: Vec<std::result::Result<FetchedImage, ImportOutcome>> =
        futures::stream::iter(request.spec.images.clone().into_iter().zip(references))
            .map(|(spec, reference)| async move {
                fetch_one(services, namespace, &spec, &reference).await
            })
            .buffered(CONCURRENT_FETCHES)
            .collect()
            .await;
    request.api_version = crate::model::stream_changes::IMAGE_STREAM_API_VERSION.into();
    request.kind = IMAGE_STREAM_IMPORT_KIND.into();
    request.status.images = request
        .spec
        .images
        .iter()
        .zip(&fetched)
        .map(|(spec, result)| match result {
            Ok(found) => ImageImportStatus {
                status: ImportOutcome::success(),
                image: Some(found.image.clone()),
                tag: spec
                    .to
                    .as_ref()
                    .map(|to| to.name.clone())
                    .unwrap_or_default(),
                manifests: found.manifests.clone(),
            },
            Err(outcome) => ImageImportStatus {
                status: outcome.clone(),
                image: None,
                tag: spec
                    .to
                    .as_ref()
                    .map(|to| to.name.clone())
                    .unwrap_or_default(),
                manifests: Vec::new(),
            },
        })
        .collect();
    if request.spec.import {
        let stream = write::record(services, namespace, &request, &fetched).await?;
        request.status.import = Some(stream);
    }
    Ok(request)
}

/// How many images of one request are fetched at once.
const CONCURRENT_FETCHES: usize = 8;

async fn fetch_one(
    services: &Services,
    namespace: &str,
    spec: &ImageImportSpec,
    reference: &DockerImageReference,
) -> std::result::Result<FetchedImage, ImportOutcome> {
    let import_mode = if spec.import_policy.import_mode.is_empty() {
        ImportMode::LEGACY
    } else {
        spec.import_policy.import_mode.as_str()
    };
    let registry = api_host(reference);
    let source = Source {
        reference,
        repository: Repository {
            registry: registry.clone(),
            path: reference.repository_path(),
            insecure: spec.import_policy.insecure,
            credentials: None,
        },
        import_mode,
        preferred_platform: server_platform(),
    };
    let result = fetch_image(&services.registries, &services.store, &source)
        .await
        .map_err(|error| outcome_of(&error, &spec.from.name, &registry));
    if let Err(outcome) = &result {
        tracing::info!(namespace, from = %spec.from.name, reason = %outcome.reason, "import failed");
    }
    result
}

/// `(os, arch)` of this server in OCI's words: `Legacy` prefers it.
fn server_platform() -> (String, String) {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "powerpc64" => "ppc64le",
        other => other,
    };
    ("linux".into(), arch.into())
}

/// The registry host to talk to for `reference` (Docker Hub's API host for
/// its names and for short names).
fn api_host(reference: &DockerImageReference) -> String {
    let registry = reference.registry_or_default();
    if is_docker_hub(registry) {
        DOCKER_HUB_API.into()
    } else {
        registry.to_owned()
    }
}

/// Validates the request and parses every `from`.
fn check(request: &ImageStreamImport) -> Result<Vec<DockerImageReference>> {
    let mut errors = Vec::new();
    if let Err(error) = validate_stream_name("metadata.name", &request.metadata.name) {
        errors.push(error);
    }
    if request.spec.repository.is_some() {
        errors.push(FieldError::new(
            "spec.repository",
            "Invalid value: importing a whole repository is not supported yet; list its tags in spec.images",
        ));
    }
    if request.spec.images.is_empty() && request.spec.repository.is_none() {
        errors.push(FieldError::new(
            "spec",
            "Required value: you must specify at least one image or a repository import",
        ));
    }
    let mut references = Vec::new();
    for (index, spec) in request.spec.images.iter().enumerate() {
        let at = format!("spec.images[{index}]");
        if spec.from.kind != SourceKind::DOCKER_IMAGE {
            errors.push(FieldError::new(
                format!("{at}.from.kind"),
                format!(
                    "Unsupported value: \"{}\": supported values: \"DockerImage\"",
                    spec.from.kind
                ),
            ));
        }
        match DockerImageReference::parse(&spec.from.name) {
            Ok(reference) => references.push(reference),
            Err(error) => errors.push(FieldError::new(
                format!("{at}.from.name"),
                format!("Invalid value: \"{}\": {error}", spec.from.name),
            )),
        }
        if let Some(to) = &spec.to
            && let Err(error) = validate_tag_name(&format!("{at}.to.name"), &to.name)
        {
            errors.push(error);
        }
        let mode = spec.import_policy.import_mode.as_str();
        if !mode.is_empty() && mode != ImportMode::LEGACY && mode != ImportMode::PRESERVE_ORIGINAL {
            errors.push(FieldError::new(
                format!("{at}.importPolicy.importMode"),
                format!("Unsupported value: \"{mode}\": supported values: \"Legacy\", \"PreserveOriginal\""),
            ));
        }
    }
    if errors.is_empty() {
        Ok(references)
    } else {
        Err(Error::Invalid(errors))
    }
}
