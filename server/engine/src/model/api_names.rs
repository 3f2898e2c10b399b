//! How Kubernetes names what the authorization table speaks of: each
//! [`Resource`] as API groups and plurals, and each [`Verb`] by its name -
//! for the access reviews `kubectl auth can-i` sends.

use super::{
    access::{Resource, Verb},
    triggers::OwnerKind,
};

/// The image group, whose kinds OpenShift 3 also served in the core group.
const IMAGE_GROUP: &str = "image.openshift.io";

impl Verb {
    /// The verb Kubernetes calls `name` (`get`, `create`, ...).
    pub fn from_name(name: &str) -> Option<Verb> {
        Verb::ALL.into_iter().find(|verb| verb.name() == name)
    }
}

impl Resource {
    /// The `(group, plural)` pairs this resource is served or asked about
    /// as (`imagestreams/layers` for a subresource).
    pub fn api_names(self) -> Vec<(&'static str, &'static str)> {
        match self {
            Resource::Projects => vec![("project.openshift.io", "projects"), ("", "namespaces")],
            Resource::ImageStreamLayers => vec![(IMAGE_GROUP, "imagestreams/layers")],
            Resource::TriggerOwners => OwnerKind::ALL
                .into_iter()
                .map(|kind| {
                    let group = kind.api_version().rsplit_once('/').map_or("", |(g, _)| g);
                    (group, kind.resource())
                })
                .chain([("build.openshift.io", "builds")])
                .collect(),
            other => {
                let name = other.qualified_name();
                vec![match name.split_once('.') {
                    Some((plural, group)) => (group, plural),
                    None => ("", name),
                }]
            }
        }
    }

    /// The resource Kubernetes names `plural` (with `subresource`, if any)
    /// in `group`; the image kinds also in the core group, as OpenShift 3
    /// served them.
    pub fn from_api(group: &str, plural: &str, subresource: &str) -> Option<Resource> {
        let plural = if subresource.is_empty() {
            plural.to_owned()
        } else {
            format!("{plural}/{subresource}")
        };
        let named = |group: &str| {
            Resource::ALL.into_iter().find(|resource| {
                resource
                    .api_names()
                    .iter()
                    .any(|(g, p)| *g == group && *p == plural)
            })
        };
        named(group).or_else(|| {
            (group.is_empty() && plural.starts_with("imagestream"))
                .then(|| named(IMAGE_GROUP))
                .flatten()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resource_is_found_by_each_of_its_api_names() {
        for resource in Resource::ALL {
            for (group, plural) in resource.api_names() {
                let (plural, sub) = plural.split_once('/').unwrap_or((plural, ""));
                assert_eq!(
                    Resource::from_api(group, plural, sub),
                    Some(resource),
                    "{group}/{plural}"
                );
            }
        }
        assert_eq!(
            Resource::from_api("apps", "deployments", ""),
            Some(Resource::TriggerOwners)
        );
        assert_eq!(
            Resource::from_api("", "imagestreams", ""),
            Some(Resource::ImageStreams)
        );
        assert_eq!(Resource::from_api("apps", "replicasets", ""), None);
        assert_eq!(Verb::from_name("patch"), Some(Verb::Patch));
        assert_eq!(Verb::from_name("escalate"), None);
    }
}
