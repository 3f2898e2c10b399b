//! Image streams as text: YAML and JSON read strictly and safely (every
//! problem named by path and line), written back as `oc get -o yaml` prints,
//! and applied (created or updated) all together or not at all.

mod apply;
mod decode;
mod export;
mod locate;
mod yaml_tree;

pub use apply::{Applied, AppliedAction, LAST_APPLIED, apply};
pub use decode::{Decoded, decode_image_streams, read_document};
pub use export::{to_json, to_yaml};
pub use yaml_tree::Limits;
pub(crate) use yaml_tree::{parse_documents, to_json as node_to_json};
