//! Importing a whole repository (`oc import-image --all`,
//! `spec.repository`): its tags listed, put in import order, the first
//! `max_images_bulk_imported_per_repository` fetched and the rest reported
//! as additional tags.

use super::{
    CONCURRENT_FETCHES, Fetched, ImportContext, Preference, admission, fetch_one, image_status,
    login_for, naming_secret, outcome_of, repository_of,
};
use crate::model::{
    DEFAULT_TAG, DockerImageReference, ImageStream, ImportOutcome, RepositoryImportSpec,
    RepositoryImportStatus, prioritize_tags,
};
use futures::StreamExt;

/// What reading a repository gave.
pub struct RepositoryFetched {
    /// Why its tags could not be listed, if they could not.
    pub failure: Option<ImportOutcome>,
    /// Each imported tag with its pull spec (`<repository>:<tag>`) and result.
    pub tags: Vec<RepositoryTag>,
    /// Tags beyond the limit, in import order.
    pub additional_tags: Vec<String>,
}

pub struct RepositoryTag {
    pub tag: String,
    pub from: String,
    pub result: Fetched,
}

pub(crate) async fn fetch(
    context: &ImportContext<'_>,
    stream: Option<&ImageStream>,
    spec: &RepositoryImportSpec,
    reference: &DockerImageReference,
) -> RepositoryFetched {
    let ImportContext {
        services,
        keyring,
        policy,
        ..
    } = *context;
    let failed = |outcome| RepositoryFetched {
        failure: Some(outcome),
        tags: Vec::new(),
        additional_tags: Vec::new(),
    };
    // The tags are listed in the first registry the policy allows.
    let route = match admission::routes(policy, reference, spec.import_policy.insecure) {
        Ok(mut routes) => routes.swap_remove(0),
        Err(outcome) => return failed(outcome),
    };
    let login = match login_for(keyring, &route.reference, &spec.from.name) {
        Ok(login) => login,
        Err(outcome) => return failed(outcome),
    };
    let repository = repository_of(&route.reference, route.insecure, &login);
    let mut tags = match services.registries.tags(&repository).await {
        Ok(tags) => tags,
        Err(error) => {
            let outcome = outcome_of(&error, &spec.from.name, &repository.registry);
            return failed(naming_secret(outcome, &login));
        }
    };
    // Some registries list an empty tag; it means `latest`.
    for tag in &mut tags {
        if tag.is_empty() {
            *tag = DEFAULT_TAG.into();
        }
    }
    tags.sort();
    tags.dedup();
    prioritize_tags(&mut tags);
    let limit = services.settings.max_images_bulk_imported_per_repository;
    let additional_tags = if tags.len() > limit {
        tags.split_off(limit)
    } else {
        Vec::new()
    };
    let tags = futures::stream::iter(tags)
        .map(|tag| async move {
            let mut tagged = reference.clone();
            tagged.tag = tag.clone();
            let from = tagged.exact();
            let preference = Preference::of_tag(stream, &tag);
            let result = fetch_one(context, preference, &from, &spec.import_policy, &tagged).await;
            RepositoryTag { tag, from, result }
        })
        .buffered(CONCURRENT_FETCHES)
        .collect()
        .await;
    RepositoryFetched {
        failure: None,
        tags,
        additional_tags,
    }
}

/// `status.repository` of the request, in OpenShift's words.
pub fn status(fetched: &RepositoryFetched) -> RepositoryImportStatus {
    if let Some(failure) = &fetched.failure {
        return RepositoryImportStatus {
            status: failure.clone(),
            ..RepositoryImportStatus::default()
        };
    }
    let images: Vec<_> = fetched
        .tags
        .iter()
        .map(|tag| image_status(tag.tag.clone(), &tag.result))
        .collect();
    let failures = images.iter().filter(|i| !i.status.is_success()).count();
    let status = match failures {
        0 => ImportOutcome::success(),
        1 => ImportOutcome::failure(
            "ImportFailed",
            "one of the images from this repository failed to import",
            0,
        ),
        n => ImportOutcome::failure(
            "ImportFailed",
            format!("{n} of the images from this repository failed to import"),
            0,
        ),
    };
    RepositoryImportStatus {
        status,
        images,
        additional_tags: fetched.additional_tags.clone(),
    }
}
