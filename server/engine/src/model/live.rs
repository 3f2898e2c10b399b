//! Live updates as the browser receives them: one committed change to an
//! object, named by its resource, project and name (the object itself is
//! read again by whoever cares).

use serde::{Deserialize, Serialize};

/// The server-sent event that carries one [`LiveChange`].
pub const CHANGE_EVENT: &str = "change";
/// The server-sent event that says changes may have been missed (the
/// browser was away too long): everything shown should be read again.
pub const RESET_EVENT: &str = "reset";
/// The server-sent event that opens a stream, carrying the cursor it starts at.
pub const READY_EVENT: &str = "ready";

/// One change in the store's change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveChange {
    /// Its position in the change log (the event id a reconnecting browser
    /// sends back as `Last-Event-ID`).
    pub id: i64,
    /// The resource, as the API names it (`imagestreams.image.openshift.io`).
    pub resource: String,
    /// The project; empty for cluster-scoped objects.
    pub namespace: String,
    pub name: String,
    /// `ADDED`, `MODIFIED` or `DELETED`.
    pub event: String,
}

/// Which changes a page shows; each part left empty matches anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveFilter {
    pub namespaces: Vec<String>,
    pub resource: Option<String>,
    pub name: Option<String>,
}

impl LiveFilter {
    /// Every change in these projects.
    pub fn projects(namespaces: impl IntoIterator<Item = String>) -> LiveFilter {
        LiveFilter {
            namespaces: namespaces.into_iter().collect(),
            ..LiveFilter::default()
        }
    }

    /// Only changes to this resource.
    pub fn resource(mut self, resource: &str) -> LiveFilter {
        self.resource = Some(resource.to_owned());
        self
    }

    /// Only changes to the object with this name.
    pub fn named(mut self, name: impl Into<String>) -> LiveFilter {
        self.name = Some(name.into());
        self
    }

    pub fn matches(&self, change: &LiveChange) -> bool {
        (self.namespaces.is_empty() || self.namespaces.contains(&change.namespace))
            && self
                .resource
                .as_ref()
                .is_none_or(|resource| *resource == change.resource)
            && self.name.as_ref().is_none_or(|name| *name == change.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(namespace: &str, resource: &str, name: &str) -> LiveChange {
        LiveChange {
            id: 1,
            resource: resource.into(),
            namespace: namespace.into(),
            name: name.into(),
            event: "MODIFIED".into(),
        }
    }

    #[test]
    fn each_part_of_a_filter_narrows_it() {
        let streams = "imagestreams.image.openshift.io";
        let any = LiveFilter::default();
        let team = LiveFilter::projects(["team".to_owned()]);
        let team_streams = team.clone().resource(streams);
        let ruby = team_streams.clone().named("ruby");
        let ruby_change = change("team", streams, "ruby");
        assert!(any.matches(&ruby_change));
        assert!(team.matches(&ruby_change));
        assert!(team_streams.matches(&ruby_change));
        assert!(ruby.matches(&ruby_change));
        assert!(!ruby.matches(&change("team", streams, "python")));
        assert!(!ruby.matches(&change("other", streams, "ruby")));
        assert!(!team_streams.matches(&change("team", "buildconfigs.build.openshift.io", "ruby")));
        assert!(team.matches(&change("team", "buildconfigs.build.openshift.io", "ruby")));
    }
}
