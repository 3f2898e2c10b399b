//! The kinds of objects that may own image change triggers, with the API
//! group, resource name and pod spec location of each.

use serde::{Deserialize, Serialize};

/// A kind of trigger owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OwnerKind {
    BuildConfig,
    DeploymentConfig,
    Deployment,
    StatefulSet,
    DaemonSet,
    CronJob,
    Job,
    Pod,
}

impl OwnerKind {
    /// Every kind, in the order pages list them.
    pub const ALL: [OwnerKind; 8] = [
        OwnerKind::BuildConfig,
        OwnerKind::DeploymentConfig,
        OwnerKind::Deployment,
        OwnerKind::StatefulSet,
        OwnerKind::DaemonSet,
        OwnerKind::CronJob,
        OwnerKind::Job,
        OwnerKind::Pod,
    ];

    /// The `kind` field's value.
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::BuildConfig => "BuildConfig",
            OwnerKind::DeploymentConfig => "DeploymentConfig",
            OwnerKind::Deployment => "Deployment",
            OwnerKind::StatefulSet => "StatefulSet",
            OwnerKind::DaemonSet => "DaemonSet",
            OwnerKind::CronJob => "CronJob",
            OwnerKind::Job => "Job",
            OwnerKind::Pod => "Pod",
        }
    }

    /// The kind named `kind`, if it can own triggers.
    pub fn parse(kind: &str) -> Option<OwnerKind> {
        OwnerKind::ALL.into_iter().find(|k| k.as_str() == kind)
    }

    /// The kind served under the plural resource name `resource`.
    pub fn from_resource(resource: &str) -> Option<OwnerKind> {
        OwnerKind::ALL
            .into_iter()
            .find(|k| k.resource() == resource)
    }

    /// The plural resource name in API paths.
    pub fn resource(self) -> &'static str {
        match self {
            OwnerKind::BuildConfig => "buildconfigs",
            OwnerKind::DeploymentConfig => "deploymentconfigs",
            OwnerKind::Deployment => "deployments",
            OwnerKind::StatefulSet => "statefulsets",
            OwnerKind::DaemonSet => "daemonsets",
            OwnerKind::CronJob => "cronjobs",
            OwnerKind::Job => "jobs",
            OwnerKind::Pod => "pods",
        }
    }

    /// The API group (`""` for the core group of Pods).
    pub fn group(self) -> &'static str {
        self.api_version()
            .split_once('/')
            .map_or("", |(group, _)| group)
    }

    /// `apiVersion` of the kind.
    pub fn api_version(self) -> &'static str {
        match self {
            OwnerKind::BuildConfig => "build.openshift.io/v1",
            OwnerKind::DeploymentConfig => "apps.openshift.io/v1",
            OwnerKind::Deployment | OwnerKind::StatefulSet | OwnerKind::DaemonSet => "apps/v1",
            OwnerKind::CronJob | OwnerKind::Job => "batch/v1",
            OwnerKind::Pod => "v1",
        }
    }

    /// The resource as messages name it (`buildconfigs.build.openshift.io`).
    pub fn qualified_resource(self) -> String {
        match self.api_version().split_once('/') {
            Some((group, _)) => format!("{}.{group}", self.resource()),
            None => self.resource().to_owned(),
        }
    }

    /// Where the pod spec sits, for kinds whose triggers name containers.
    pub fn pod_spec_path(self) -> &'static [&'static str] {
        match self {
            OwnerKind::BuildConfig => &[],
            OwnerKind::DeploymentConfig
            | OwnerKind::Deployment
            | OwnerKind::StatefulSet
            | OwnerKind::DaemonSet
            | OwnerKind::Job => &["spec", "template", "spec"],
            OwnerKind::CronJob => &["spec", "jobTemplate", "spec", "template", "spec"],
            OwnerKind::Pod => &["spec"],
        }
    }

    /// Whether the kind keeps its triggers in the annotation.
    pub fn uses_annotation(self) -> bool {
        !matches!(self, OwnerKind::BuildConfig | OwnerKind::DeploymentConfig)
    }
}

impl std::fmt::Display for OwnerKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
