//! Domain types shared by the server and the browser, with their validation
//! and the pure rules that change them.
//!
//! Nothing here touches the database or the network, so the console validates
//! what a user types with exactly the rules the server applies.

pub mod access;
mod api_names;
pub mod audit;
pub mod catalog;
pub mod cluster_policy;
mod field_error;
mod image;
mod image_stream;
pub mod import_activity;
pub mod kubeconfig;
pub mod live;
mod meta;
mod names;
mod project;
pub mod pull_secret;
pub mod reference;
pub mod samples;
pub mod schedule_overview;
pub mod search;
pub mod selectors;
mod serde_util;
pub mod stream_changes;
mod stream_import;
mod stream_objects;
pub mod tag_history;
mod tag_order;
mod tag_request;
mod timestamp;
pub mod triggers;
pub mod validate_stream;
pub mod webhooks;

pub use field_error::FieldError;
pub use image::{
    ContainerConfig, DockerImageMetadata, IMAGE_API_VERSION, Image, ImageLayer, ImageManifest,
};
pub use image_stream::{
    DEFAULT_TAG, IMAGE_STREAM_KIND, IMPORT_SUCCESS, INSECURE_REPOSITORY_ANNOTATION,
    ImageLookupPolicy, ImageStream, ImageStreamSpec, ImageStreamStatus, ImportMode,
    NamedTagEventList, ObjectReference, REPOSITORY_CHECK_ANNOTATION, ReferencePolicy, SourceKind,
    TagEvent, TagEventCondition, TagImportPolicy, TagReference, TagReferencePolicy,
};
pub use meta::{ListMeta, ObjectMeta};
pub use names::validate_dns_label;
pub use project::{NewProject, Project, SHARED_PROJECT};
pub use reference::DockerImageReference;
pub use stream_import::{
    IMAGE_STREAM_IMPORT_KIND, ImageImportSpec, ImageImportStatus, ImageStreamImport,
    ImageStreamImportSpec, ImageStreamImportStatus, ImportOutcome, LocalObjectReference,
    RepositoryImportSpec, RepositoryImportStatus,
};
pub use stream_objects::{
    ImageStreamImage, ImageStreamMapping, ImageStreamTag, resolved_pull_spec, split_stream_image,
    split_stream_tag,
};
pub use tag_order::prioritize_tags;
pub use tag_request::{CheckedTagRequest, SourceHint, TagRequest, split_destination};
pub use timestamp::Time;
