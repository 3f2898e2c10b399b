//! `oc import-image`: reading images from registries into image streams
//! (`ImageStreamImport`). A dry run reports what would be imported; a real
//! import writes the images, the spec tags and the tag events in one
//! transaction, following the history rules.

mod admission;
mod credentials;
mod failures;
mod fetch;
mod from_spec;
mod platform;
mod repository;
mod write;

pub use failures::outcome_of;
pub use from_spec::{import_now, request_for};
pub use platform::{PREFER_ARCH, PREFER_OS, Preference, choose_platform, server_platform};

use crate::access::pull_secrets::Keyring;
use crate::model::cluster_policy::ClusterImagePolicy;
use crate::{
    Error, Result, Services,
    imagestreams::require_project,
    model::{
        DockerImageReference, FieldError, IMAGE_STREAM_IMPORT_KIND, ImageImportStatus,
        ImageStreamImport, ImportMode, ImportOutcome, RepositoryImportSpec, SourceKind,
        TagImportPolicy,
        reference::is_docker_hub,
        validate_stream::{validate_stream_name, validate_tag_name},
    },
    registry::Repository,
};
use credentials::{Login, login_for, naming_secret};
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
    let checked = check(&request)?;
    let keyring = crate::access::pull_secrets::keyring(services, namespace).await?;
    let policy = crate::cluster_policy::current(services).await?;
    let context = &ImportContext {
        services,
        keyring: &keyring,
        policy: &policy,
        namespace,
    };
    // The stream as it is: its tags' annotations choose platforms.
    let stream = services
        .store
        .image_stream(namespace, &request.metadata.name)
        .await?;
    let stream = stream.as_ref();
    let started = std::time::Instant::now();
    // Images are fetched a few at a time (in order), so a request of many
    // tags does not wait for each registry round trip in turn.
    let fetched: Vec<Fetched> =
        futures::stream::iter(request.spec.images.clone().into_iter().zip(checked.images))
            .map(|(spec, reference)| async move {
                let tag = spec
                    .to
                    .as_ref()
                    .map_or(reference.tag.as_str(), |to| to.name.as_str());
                fetch_one(
                    context,
                    Preference::of_tag(stream, tag),
                    &spec.from.name,
                    &spec.import_policy,
                    &reference,
                )
                .await
            })
            .buffered(CONCURRENT_FETCHES)
            .collect()
            .await;
    let repository = match (&request.spec.repository, checked.repository) {
        (Some(spec), Some(reference)) => {
            Some(repository::fetch(context, stream, spec, &reference).await)
        }
        _ => None,
    };
    request.api_version = crate::model::stream_changes::IMAGE_STREAM_API_VERSION.into();
    request.kind = IMAGE_STREAM_IMPORT_KIND.into();
    request.status.images = request
        .spec
        .images
        .iter()
        .zip(&fetched)
        .map(|(spec, result)| {
            let tag = spec
                .to
                .as_ref()
                .map(|to| to.name.clone())
                .unwrap_or_default();
            image_status(tag, result)
        })
        .collect();
    request.status.repository = repository.as_ref().map(repository::status);
    if request.spec.import {
        let stream = write::record(
            services,
            namespace,
            &request,
            &fetched,
            repository.as_ref(),
            started.elapsed(),
        )
        .await?;
        request.status.import = Some(stream);
    }
    Ok(request)
}

/// What fetching one image gave: the image, or why not.
pub(crate) type Fetched = std::result::Result<FetchedImage, ImportOutcome>;

fn image_status(tag: String, result: &Fetched) -> ImageImportStatus {
    match result {
        Ok(found) => ImageImportStatus {
            status: ImportOutcome::success(),
            image: Some(found.image.clone()),
            tag,
            manifests: found.manifests.clone(),
            pull_secret: found.pull_secret.clone().unwrap_or_default(),
        },
        Err(outcome) => ImageImportStatus {
            status: outcome.clone(),
            image: None,
            tag,
            manifests: Vec::new(),
            pull_secret: String::new(),
        },
    }
}

/// How many images of one request are fetched at once.
const CONCURRENT_FETCHES: usize = 8;

/// What every image of one import request is read with.
pub(crate) struct ImportContext<'a> {
    services: &'a Services,
    /// The project's pull secrets.
    keyring: &'a Keyring,
    policy: &'a ClusterImagePolicy,
    namespace: &'a str,
}

async fn fetch_one(
    context: &ImportContext<'_>,
    preference: Preference,
    from: &str,
    import_policy: &TagImportPolicy,
    reference: &DockerImageReference,
) -> Fetched {
    let ImportContext {
        services,
        keyring,
        policy,
        namespace,
    } = *context;
    let import_mode = if import_policy.import_mode.is_empty() {
        ImportMode::LEGACY
    } else {
        import_policy.import_mode.as_str()
    };
    let result = async {
        let mut first_failure = None;
        // A short name is tried in each search registry until one has it.
        for route in admission::routes(policy, reference, import_policy.insecure)? {
            let login = login_for(keyring, &route.reference, from)?;
            let source = Source {
                reference,
                repository: repository_of(&route.reference, route.insecure, &login),
                import_mode,
                preference: preference.clone(),
            };
            let registry = source.repository.registry.clone();
            match fetch_image(&services.registries, &services.store, &source).await {
                Ok(mut found) => {
                    found.pull_secret = login.secret.clone();
                    return Ok(found);
                }
                Err(error) => {
                    first_failure.get_or_insert_with(|| {
                        naming_secret(outcome_of(&error, from, &registry), &login)
                    });
                }
            }
        }
        Err(first_failure.expect("admission gives at least one route"))
    }
    .await;
    if let Err(outcome) = &result {
        tracing::info!(namespace, from, reason = %outcome.reason, "import failed");
    }
    result
}

/// The registry repository `reference` lives in, asked with `login`.
fn repository_of(reference: &DockerImageReference, insecure: bool, login: &Login) -> Repository {
    Repository {
        registry: api_host(reference),
        path: reference.repository_path(),
        insecure,
        credentials: login.credentials.clone(),
    }
}

/// The registry host to talk to for `reference` (Docker Hub's API host for
/// its names and for short names).
pub(crate) fn api_host(reference: &DockerImageReference) -> String {
    let registry = reference.registry_or_default();
    if is_docker_hub(registry) {
        DOCKER_HUB_API.into()
    } else {
        registry.to_owned()
    }
}

/// The request's references, parsed.
struct Checked {
    images: Vec<DockerImageReference>,
    repository: Option<DockerImageReference>,
}

/// Validates the request and parses every `from`.
fn check(request: &ImageStreamImport) -> Result<Checked> {
    let mut errors = Vec::new();
    if let Err(error) = validate_stream_name("metadata.name", &request.metadata.name) {
        errors.push(error);
    }
    if request.spec.images.is_empty() && request.spec.repository.is_none() {
        errors.push(FieldError::new(
            "spec",
            "Required value: you must specify at least one image or a repository import",
        ));
    }
    let mut repository = None;
    if let Some(spec) = &request.spec.repository {
        repository = check_repository(spec, &mut errors);
    }
    let mut references = Vec::new();
    for (index, spec) in request.spec.images.iter().enumerate() {
        let at = format!("spec.images[{index}]");
        check_kind(&format!("{at}.from.kind"), &spec.from.kind, &mut errors);
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
        check_mode(
            &format!("{at}.importPolicy.importMode"),
            &spec.import_policy,
            &mut errors,
        );
    }
    if errors.is_empty() {
        Ok(Checked {
            images: references,
            repository,
        })
    } else {
        Err(Error::Invalid(errors))
    }
}

fn check_repository(
    spec: &RepositoryImportSpec,
    errors: &mut Vec<FieldError>,
) -> Option<DockerImageReference> {
    check_kind("spec.repository.from.kind", &spec.from.kind, errors);
    check_mode(
        "spec.repository.importPolicy.importMode",
        &spec.import_policy,
        errors,
    );
    match DockerImageReference::parse(&spec.from.name) {
        Ok(reference) if !reference.tag.is_empty() || !reference.id.is_empty() => {
            errors.push(FieldError::new(
                "spec.repository.from.name",
                format!(
                    "Invalid value: \"{}\": you must specify an image repository, not a tag or ID",
                    spec.from.name
                ),
            ));
            None
        }
        Ok(reference) => Some(reference),
        Err(error) => {
            errors.push(FieldError::new(
                "spec.repository.from.name",
                format!("Invalid value: \"{}\": {error}", spec.from.name),
            ));
            None
        }
    }
}

fn check_kind(field: &str, kind: &str, errors: &mut Vec<FieldError>) {
    if kind != SourceKind::DOCKER_IMAGE {
        errors.push(FieldError::new(
            field,
            format!("Unsupported value: \"{kind}\": supported values: \"DockerImage\""),
        ));
    }
}

fn check_mode(field: &str, policy: &TagImportPolicy, errors: &mut Vec<FieldError>) {
    let mode = policy.import_mode.as_str();
    if !mode.is_empty() && mode != ImportMode::LEGACY && mode != ImportMode::PRESERVE_ORIGINAL {
        errors.push(FieldError::new(
            field,
            format!(
                "Unsupported value: \"{mode}\": supported values: \"Legacy\", \"PreserveOriginal\""
            ),
        ));
    }
}

/// The project's imports over the last day, by hour.
pub async fn activity(
    services: &Services,
    namespace: &str,
) -> Result<crate::model::import_activity::ImportActivity> {
    use crate::model::import_activity::ImportActivity;
    crate::imagestreams::require_project(services, namespace).await?;
    let now = crate::clock::now_millis();
    let counted = services
        .store
        .import_activity(namespace, ImportActivity::first_hour(now))
        .await?;
    Ok(ImportActivity::from_counts(now, &counted))
}
