//! Resource names as the OpenShift API spells them (they appear in messages
//! such as `imagestreams.image.openshift.io "ruby" not found`).

pub const PROJECTS: &str = "projects.project.openshift.io";
pub const IMAGE_STREAMS: &str = "imagestreams.image.openshift.io";
pub const IMAGE_STREAM_TAGS: &str = "imagestreamtags.image.openshift.io";
pub const IMAGE_STREAM_IMAGES: &str = "imagestreamimages.image.openshift.io";
pub const IMAGES: &str = "images.image.openshift.io";
