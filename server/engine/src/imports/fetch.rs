//! Reading one image from its registry: the manifest (or manifest list),
//! the chosen platform or every platform, and each image's configuration,
//! turned into `Image` objects.

use std::collections::BTreeMap;

use oci_spec::image::{ImageConfiguration, ImageIndex, ImageManifest as OciManifest};

use super::platform::{Preference, choose_platform};
use crate::{
    model::{
        ContainerConfig, DockerImageMetadata, DockerImageReference, IMAGE_API_VERSION, Image,
        ImageLayer, ImageManifest, ImportMode, ObjectMeta, Time,
    },
    registry::{RegistryClient, RegistryError, Repository, media_types},
    store::Store,
};

/// Where an image lives and how to choose among platforms.
pub struct Source<'a> {
    pub reference: &'a DockerImageReference,
    pub repository: Repository,
    pub import_mode: &'a str,
    /// The platform a `Legacy` import of a list prefers.
    pub preference: Preference,
}

/// What was found: the image the tag will point at (a list's own image with
/// `PreserveOriginal`), and with `PreserveOriginal` every platform's image.
pub struct FetchedImage {
    pub image: Image,
    pub manifests: Vec<Image>,
    /// The pull secret whose login the registry was asked with.
    pub pull_secret: Option<String>,
}

pub async fn fetch_image(
    client: &RegistryClient,
    store: &Store,
    source: &Source<'_>,
) -> Result<FetchedImage, RegistryError> {
    let reference = if source.reference.id.is_empty() {
        if source.reference.tag.is_empty() {
            "latest"
        } else {
            &source.reference.tag
        }
    } else {
        &source.reference.id
    };
    let top = client.manifest(&source.repository, reference).await?;
    if !media_types::is_list(&top.media_type) {
        let image = image_of(
            client,
            store,
            source,
            &top.bytes,
            &top.media_type,
            &top.digest,
        )
        .await?;
        return Ok(FetchedImage {
            image,
            manifests: Vec::new(),
            pull_secret: None,
        });
    }
    let index: ImageIndex = serde_json::from_slice(&top.bytes)
        .map_err(|e| RegistryError::Malformed(format!("the manifest list is not valid: {e}")))?;
    let entries: Vec<ImageManifest> = index
        .manifests()
        .iter()
        .map(|descriptor| {
            let platform = descriptor.platform().as_ref();
            ImageManifest {
                digest: descriptor.digest().to_string(),
                media_type: descriptor.media_type().to_string(),
                manifest_size: descriptor.size() as i64,
                architecture: platform
                    .map(|p| p.architecture().to_string())
                    .unwrap_or_default(),
                os: platform.map(|p| p.os().to_string()).unwrap_or_default(),
                variant: platform
                    .and_then(|p| p.variant().clone())
                    .unwrap_or_default(),
            }
        })
        .filter(|entry| entry.os != "unknown" && entry.architecture != "unknown")
        .collect();
    if entries.is_empty() {
        return Err(RegistryError::Malformed(
            "the manifest list names no images".into(),
        ));
    }
    if source.import_mode == ImportMode::PRESERVE_ORIGINAL {
        let mut manifests = Vec::with_capacity(entries.len());
        for entry in &entries {
            let child = client.manifest(&source.repository, &entry.digest).await?;
            manifests.push(
                image_of(
                    client,
                    store,
                    source,
                    &child.bytes,
                    &child.media_type,
                    &child.digest,
                )
                .await?,
            );
        }
        let image = Image {
            api_version: IMAGE_API_VERSION.into(),
            kind: "Image".into(),
            metadata: ObjectMeta {
                name: top.digest.clone(),
                ..ObjectMeta::default()
            },
            docker_image_reference: pull_spec(source, &top.digest),
            docker_image_metadata_version: "1.0".into(),
            docker_image_manifest_media_type: top.media_type.clone(),
            docker_image_manifests: entries,
            ..Image::default()
        };
        return Ok(FetchedImage {
            image,
            manifests,
            pull_secret: None,
        });
    }
    let chosen = choose_platform(&entries, &source.preference);
    let child = client.manifest(&source.repository, &chosen.digest).await?;
    let image = image_of(
        client,
        store,
        source,
        &child.bytes,
        &child.media_type,
        &child.digest,
    )
    .await?;
    Ok(FetchedImage {
        image,
        manifests: Vec::new(),
        pull_secret: None,
    })
}

/// The pull spec written to status: the user's reference with the tag
/// swapped for the digest.
fn pull_spec(source: &Source<'_>, digest: &str) -> String {
    source.reference.with_digest(digest).exact()
}

/// The image of a manifest: the stored one when this digest was imported
/// before (images never change), else read from the registry.
async fn image_of(
    client: &RegistryClient,
    store: &Store,
    source: &Source<'_>,
    bytes: &[u8],
    media_type: &str,
    digest: &str,
) -> Result<Image, RegistryError> {
    match store.image(digest).await {
        Ok(Some(mut stored)) if media_types::is_image(media_type) => {
            stored.docker_image_reference = pull_spec(source, digest);
            Ok(stored)
        }
        Ok(_) => single_image(client, source, bytes, media_type, digest).await,
        Err(error) => {
            tracing::warn!(%error, digest, "could not read a stored image; reading it from the registry");
            single_image(client, source, bytes, media_type, digest).await
        }
    }
}

async fn single_image(
    client: &RegistryClient,
    source: &Source<'_>,
    bytes: &[u8],
    media_type: &str,
    digest: &str,
) -> Result<Image, RegistryError> {
    if !media_types::is_image(media_type) {
        return Err(RegistryError::Unsupported(format!(
            "the manifest {digest} has media type {media_type}, not an image"
        )));
    }
    let manifest: OciManifest = serde_json::from_slice(bytes).map_err(|e| {
        RegistryError::Malformed(format!("the manifest {digest} is not valid: {e}"))
    })?;
    let config_digest = manifest.config().digest().to_string();
    let config_bytes = client.blob(&source.repository, &config_digest).await?;
    let config: ImageConfiguration = serde_json::from_slice(&config_bytes).map_err(|e| {
        RegistryError::Malformed(format!(
            "the image configuration {config_digest} is not valid: {e}"
        ))
    })?;
    let layers: Vec<ImageLayer> = manifest
        .layers()
        .iter()
        .map(|layer| ImageLayer {
            name: layer.digest().to_string(),
            size: layer.size() as i64,
            media_type: layer.media_type().to_string(),
        })
        .collect();
    let size = layers.iter().map(|l| l.size).sum::<i64>() + manifest.config().size() as i64;
    let container = config.config().as_ref().map(|c| ContainerConfig {
        env: c.env().clone().unwrap_or_default(),
        cmd: c.cmd().clone().unwrap_or_default(),
        entrypoint: c.entrypoint().clone().unwrap_or_default(),
        exposed_ports: c
            .exposed_ports()
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(|port| (port, serde_json::json!({})))
            .collect(),
        labels: c
            .labels()
            .clone()
            .unwrap_or_default()
            .into_iter()
            .collect::<BTreeMap<_, _>>(),
        user: c.user().clone().unwrap_or_default(),
        working_dir: c.working_dir().clone().unwrap_or_default(),
        ..ContainerConfig::default()
    });
    let created = config.created().as_deref().and_then(Time::parse);
    Ok(Image {
        api_version: IMAGE_API_VERSION.into(),
        kind: "Image".into(),
        metadata: ObjectMeta {
            name: digest.to_owned(),
            ..ObjectMeta::default()
        },
        docker_image_reference: pull_spec(source, digest),
        docker_image_metadata: DockerImageMetadata {
            kind: "DockerImage".into(),
            api_version: "1.0".into(),
            id: config_digest,
            created,
            architecture: config.architecture().to_string(),
            os: config.os().to_string(),
            variant: config.variant().clone().unwrap_or_default(),
            size,
            config: container,
            ..DockerImageMetadata::default()
        },
        docker_image_metadata_version: "1.0".into(),
        docker_image_manifest_media_type: media_type.to_owned(),
        docker_image_layers: layers,
        ..Image::default()
    })
}
