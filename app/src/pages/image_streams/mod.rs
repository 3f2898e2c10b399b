//! The image stream pages: the list (`oc get is`), a stream's details (`oc
//! describe is`) with its YAML, and the dialogs that tag, apply and delete.

mod activity;
mod describe;
mod details;
mod list;
mod tag_dialog;
mod tag_page;
mod yaml_editor;

pub use details::StreamPage;
pub use list::ImageStreamsPage;
pub use tag_page::TagPage;
pub(crate) use yaml_editor::ApplyYamlDialog;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `:project` of the current route.
pub(crate) fn project_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("project").unwrap_or_default())
}
