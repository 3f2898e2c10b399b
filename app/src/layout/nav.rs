//! The primary navigation. Project pages keep the current project in their
//! links; without one, they open the `default` project.

use leptos::prelude::*;
use leptos_router::components::A;

use super::CurrentProject;

/// The project named by a `/ns/<project>/…` path.
pub fn project_in_path(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/ns/")?;
    let name = rest.split('/').next()?;
    (!name.is_empty()).then(|| name.to_owned())
}

#[component]
pub(super) fn PrimaryNav() -> impl IntoView {
    let current = expect_context::<CurrentProject>().0;
    let in_project = move |page: &'static str| {
        move || {
            let project = current.get().unwrap_or_else(|| "default".into());
            format!("/ns/{project}/{page}")
        }
    };
    view! {
        <nav id="primary-nav" class="sidebar" aria-label="Primary">
            <ul class="nav-list">
                <li><A href=in_project("catalog")>"Catalog"</A></li>
                <li><A href=in_project("imagestreams")>"Image Streams"</A></li>
                <li><A href=in_project("triggers")>"Triggers"</A></li>
                <li><A href=in_project("access")>"Access"</A></li>
                <li><A href="/settings">"Settings"</A></li>
                <li><A href="/search">"Search"</A></li>
            </ul>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_project_in_project_paths_only() {
        assert_eq!(
            project_in_path("/ns/team-a/imagestreams").as_deref(),
            Some("team-a")
        );
        assert_eq!(project_in_path("/ns/team-a").as_deref(), Some("team-a"));
        assert_eq!(project_in_path("/ns/"), None);
        assert_eq!(project_in_path("/settings"), None);
    }
}
