//! Server functions for the import form: a dry run as the user types
//! (what would be imported, or why not) and the import itself.

use engine::model::Time;
use leptos::{prelude::*, server_fn::codec::Json};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use engine::model::access::{Resource, Verb};

use crate::errors::ConsoleError;

/// What the form asks for, as `oc import-image` flags.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportForm {
    /// The pull spec, e.g. `quay.io/org/app:1.0`.
    pub from: String,
    pub stream: String,
    pub tag: String,
    pub insecure: bool,
    pub scheduled: bool,
    pub import_mode: String,
    pub reference_policy: String,
    /// `--all`: every tag of the repository (up to the server's limit).
    pub all: bool,
}

/// What a dry run found: the image the tag would point at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub digest: String,
    pub pull_spec: String,
    /// `os/arch` of the image, or every platform of a kept manifest list.
    pub platforms: Vec<String>,
    pub size: i64,
    pub created: Option<Time>,
    pub labels: Vec<(String, String)>,
    pub ports: Vec<String>,
    /// With `--all`: what each tag of the repository would get.
    pub repository: Option<RepositoryPreview>,
    /// The project's pull secret the registry was asked with (empty:
    /// anonymously): the same one the real import will present.
    pub pull_secret: String,
}

/// A whole repository's dry run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepositoryPreview {
    /// In import order: the tag and its digest, or why it would fail.
    pub tags: Vec<(String, Result<String, String>)>,
    /// Tags beyond the limit, which would not be imported.
    pub additional_tags: Vec<String>,
}

/// Looks the image up without importing. A registry problem is an error on
/// the `from` field.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "preview_import", input = Json)]
pub async fn preview_import(
    namespace: String,
    form: ImportForm,
) -> Result<ImportPreview, ConsoleError> {
    let services =
        super::authorized(Verb::Create, Resource::ImageStreamImports, &namespace).await?;
    let request = server_side::request(&form, false);
    let answer = super::respond(
        engine::imports::import(&services, &namespace, request)
            .await
            .map_err(server_side::on_form),
    )?;
    if let Some(repository) = answer.status.repository {
        if repository.images.is_empty() && !repository.status.is_success() {
            return super::respond(Err(engine::Error::invalid(
                "from",
                repository.status.message,
            )));
        }
        let pull_secret = repository
            .images
            .iter()
            .map(|status| status.pull_secret.clone())
            .find(|secret| !secret.is_empty())
            .unwrap_or_default();
        let tags = repository
            .images
            .into_iter()
            .map(|status| {
                let found = match status.image {
                    Some(image) if status.status.is_success() => Ok(image.metadata.name),
                    _ => Err(status.status.message),
                };
                (status.tag, found)
            })
            .collect();
        return Ok(ImportPreview {
            digest: String::new(),
            pull_spec: String::new(),
            platforms: Vec::new(),
            size: 0,
            created: None,
            labels: Vec::new(),
            ports: Vec::new(),
            repository: Some(RepositoryPreview {
                tags,
                additional_tags: repository.additional_tags,
            }),
            pull_secret,
        });
    }
    let status = answer.status.images.into_iter().next();
    match status {
        Some(status) if status.status.is_success() => {
            let image = status.image.unwrap_or_default();
            let meta = &image.docker_image_metadata;
            let platforms = if image.docker_image_manifests.is_empty() {
                vec![format!("{}/{}", meta.os, meta.architecture)]
            } else {
                image
                    .docker_image_manifests
                    .iter()
                    .map(|m| m.platform())
                    .collect()
            };
            let config = meta.config.clone().unwrap_or_default();
            Ok(ImportPreview {
                digest: image.metadata.name.clone(),
                pull_spec: image.docker_image_reference.clone(),
                platforms,
                size: meta.size,
                created: meta.created,
                labels: config.labels.into_iter().collect(),
                ports: config.exposed_ports.into_keys().collect(),
                repository: None,
                pull_secret: status.pull_secret,
            })
        }
        // The registry's answer belongs to the field the pull spec was typed in.
        Some(status) => super::respond(Err(engine::Error::invalid("from", status.status.message))),
        None => super::respond(Err(engine::Error::Internal(
            "the import answered nothing".into(),
        ))),
    }
}

/// `oc import-image`; answers `imagestream.image.openshift.io/<n> imported`.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "import_image", input = Json)]
pub async fn import_image(namespace: String, form: ImportForm) -> Result<String, ConsoleError> {
    let services =
        super::authorized(Verb::Create, Resource::ImageStreamImports, &namespace).await?;
    let request = server_side::request(&form, true);
    let answer = super::respond(
        engine::imports::import(&services, &namespace, request)
            .await
            .map_err(server_side::on_form),
    )?;
    if let Some(repository) = &answer.status.repository
        && repository.images.is_empty()
        && !repository.status.is_success()
    {
        return super::respond(Err(engine::Error::invalid(
            "from",
            repository.status.message.clone(),
        )));
    }
    match answer.status.images.first() {
        Some(status) if !status.status.is_success() => super::respond(Err(engine::Error::invalid(
            "from",
            status.status.message.clone(),
        ))),
        _ => Ok(format!(
            "imagestream.image.openshift.io/{} imported",
            form.stream
        )),
    }
}

/// `oc import-image STREAM:TAG`: imports the tag again from its registry,
/// as its spec says, now. A registry's refusal is the error's message.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "import_tag_now", input = Json)]
pub async fn import_tag_now(
    namespace: String,
    destination: String,
) -> Result<String, ConsoleError> {
    let services =
        super::authorized(Verb::Create, Resource::ImageStreamImports, &namespace).await?;
    let (stream, tag) = super::respond(
        engine::model::split_destination(&destination).map_err(|e| engine::Error::Invalid(vec![e])),
    )?;
    let answer =
        super::respond(engine::imports::import_now(&services, &namespace, &stream, &tag).await)?;
    match answer.status.images.first() {
        // As with the import form, the registry's answer is about the input.
        Some(status) if !status.status.is_success() => super::respond(Err(engine::Error::invalid(
            "tag",
            format!("{destination}: {}", status.status.message),
        ))),
        _ => Ok(format!("{destination} imported")),
    }
}

#[cfg(feature = "ssr")]
mod server_side {
    use engine::model::{
        DockerImageReference, FieldError, ImageImportSpec, ImageStreamImport,
        ImageStreamImportSpec, LocalObjectReference, ObjectMeta, ObjectReference,
        RepositoryImportSpec, SourceKind, TagImportPolicy, TagReferencePolicy,
    };

    use super::ImportForm;

    pub fn request(form: &ImportForm, import: bool) -> ImageStreamImport {
        ImageStreamImport {
            metadata: ObjectMeta {
                // A dry run needs no real stream; any valid name will do.
                name: if import || !form.stream.is_empty() {
                    form.stream.clone()
                } else {
                    "preview".into()
                },
                ..ObjectMeta::default()
            },
            spec: if form.all {
                repository_spec(form, import)
            } else {
                image_spec(form, import)
            },
            ..ImageStreamImport::default()
        }
    }

    fn policy(form: &ImportForm) -> TagImportPolicy {
        TagImportPolicy {
            insecure: form.insecure,
            scheduled: form.scheduled,
            import_mode: form.import_mode.clone(),
        }
    }

    fn image_spec(form: &ImportForm, import: bool) -> ImageStreamImportSpec {
        ImageStreamImportSpec {
            import,
            images: vec![ImageImportSpec {
                from: ObjectReference {
                    kind: SourceKind::DOCKER_IMAGE.into(),
                    name: form.from.trim().to_owned(),
                    ..ObjectReference::default()
                },
                to: Some(LocalObjectReference {
                    name: form.tag.clone(),
                }),
                import_policy: policy(form),
                reference_policy: TagReferencePolicy {
                    kind: form.reference_policy.clone(),
                },
                include_manifest: false,
            }],
            repository: None,
        }
    }

    /// `--all`: the repository of the pull spec (a tag typed with it is
    /// dropped, as `oc import-image --all` does).
    fn repository_spec(form: &ImportForm, import: bool) -> ImageStreamImportSpec {
        let from = form.from.trim();
        let name = DockerImageReference::parse(from)
            .map(|reference| reference.as_repository().exact())
            .unwrap_or_else(|_| from.to_owned());
        ImageStreamImportSpec {
            import,
            images: Vec::new(),
            repository: Some(RepositoryImportSpec {
                from: ObjectReference {
                    kind: SourceKind::DOCKER_IMAGE.into(),
                    name,
                    ..ObjectReference::default()
                },
                import_policy: policy(form),
                reference_policy: TagReferencePolicy {
                    kind: form.reference_policy.clone(),
                },
                include_manifest: false,
            }),
        }
    }

    /// Names the form's fields instead of the API's paths.
    pub fn on_form(error: engine::Error) -> engine::Error {
        match error {
            engine::Error::Invalid(fields) => engine::Error::Invalid(
                fields
                    .into_iter()
                    .map(|f| {
                        let field = match f.field.as_str() {
                            "metadata.name" => "stream",
                            "spec.images[0].from.name"
                            | "spec.images[0].from.kind"
                            | "spec.repository.from.name"
                            | "spec.repository.from.kind" => "from",
                            "spec.images[0].to.name" => "tag",
                            "spec.images[0].importPolicy.importMode"
                            | "spec.repository.importPolicy.importMode" => "import_mode",
                            other => other,
                        };
                        FieldError::new(field, f.message)
                    })
                    .collect(),
            ),
            other => other,
        }
    }
}

/// The project's imports over the last day, by hour.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "load_import_activity")]
pub async fn load_import_activity(
    namespace: String,
) -> Result<engine::model::import_activity::ImportActivity, ConsoleError> {
    let services = super::authorized(Verb::List, Resource::ImageStreams, &namespace).await?;
    super::respond(engine::imports::activity(&services, &namespace).await)
}
