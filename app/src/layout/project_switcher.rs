//! The project switcher in the masthead: choosing a project opens the same
//! page in that project.

use crate::api::{page_data, page_data::PageData};
use engine::model::Project;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use super::CurrentProject;
use crate::{api::projects::list_projects, errors::ConsoleError};

/// The list of projects, loaded once per page and refreshed after a project is
/// created or deleted.
#[derive(Clone, Copy)]
pub struct ProjectList(pub PageData<Result<Vec<Project>, ConsoleError>>);

impl ProjectList {
    /// Creates the resource; call once at the root.
    pub fn provide() {
        provide_context(ProjectList(page_data::load(|| (), |_| list_projects())));
    }

    /// The app's project list.
    pub fn get() -> ProjectList {
        expect_context::<ProjectList>()
    }
}

/// Where choosing `project` leads from `path`: the same page in that project,
/// or its image streams from a cluster-wide page.
fn switch_path(path: &str, project: &str) -> String {
    match path
        .strip_prefix("/ns/")
        .and_then(|rest| rest.split_once('/'))
    {
        Some((_, page)) if !page.is_empty() => {
            let section = page.split('/').next().unwrap_or(page);
            format!("/ns/{project}/{section}")
        }
        _ => format!("/ns/{project}/imagestreams"),
    }
}

#[component]
pub(super) fn ProjectSwitcher() -> impl IntoView {
    let projects = ProjectList::get().0;
    let current = expect_context::<CurrentProject>().0;
    let navigate = use_navigate();
    let location = use_location();
    let on_change = move |event| {
        let project = event_target_value(&event);
        let target = if project.is_empty() {
            "/".to_owned()
        } else {
            switch_path(&location.pathname.get_untracked(), &project)
        };
        navigate(&target, Default::default());
    };
    let switcher = move || {
        let on_change = on_change.clone();
        Suspend::new(async move {
            let list = projects.await.unwrap_or_default();
            let selected = current.get_untracked();
            let options = list
                .into_iter()
                .map(|project| {
                    let is_current = selected.as_deref() == Some(project.name.as_str());
                    view! {
                        <option value=project.name.clone() selected=is_current>
                            {project.title().to_owned()}
                        </option>
                    }
                })
                .collect_view();
            view! {
                <select
                    id="project-switcher"
                    on:change=on_change
                    prop:value=move || current.get().unwrap_or_default()
                >
                    <option value="" selected=selected.is_none()>"All projects"</option>
                    {options}
                </select>
            }
        })
    };
    let loading = || {
        view! {
            <select id="project-switcher" disabled>
                <option>"All projects"</option>
            </select>
        }
    };
    view! {
        <div class="project-switcher">
            <label for="project-switcher">"Project"</label>
            <Transition fallback=loading>{switcher}</Transition>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_keeps_the_section() {
        assert_eq!(switch_path("/ns/a/catalog", "b"), "/ns/b/catalog");
        assert_eq!(
            switch_path("/ns/a/imagestreams/ruby", "b"),
            "/ns/b/imagestreams"
        );
        assert_eq!(switch_path("/", "b"), "/ns/b/imagestreams");
        assert_eq!(switch_path("/settings", "b"), "/ns/b/imagestreams");
    }
}
