//! Who may do what: the roles a project member can hold, the verbs and
//! resources of every operation, and the one table that says which role
//! allows which verb on which resource. Every server function and API route
//! checks against this table (through `engine::access`).

use serde::{Deserialize, Serialize};

/// A role bound to a user or group in one project (or, for
/// `cluster-admin` and `self-provisioner`, across the installation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    ClusterAdmin,
    Admin,
    Edit,
    View,
    ImagePuller,
    ImagePusher,
    ImageBuilder,
    /// May request new projects (becoming their admin); every signed-in
    /// person holds it, as in OpenShift.
    SelfProvisioner,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 8] = [
        Role::ClusterAdmin,
        Role::Admin,
        Role::Edit,
        Role::View,
        Role::ImagePuller,
        Role::ImagePusher,
        Role::ImageBuilder,
        Role::SelfProvisioner,
    ];

    /// The roles a project admin hands out in a project.
    pub const PROJECT: [Role; 6] = [
        Role::Admin,
        Role::Edit,
        Role::View,
        Role::ImagePuller,
        Role::ImagePusher,
        Role::ImageBuilder,
    ];

    /// OpenShift's name of the role.
    pub fn name(self) -> &'static str {
        match self {
            Role::ClusterAdmin => "cluster-admin",
            Role::Admin => "admin",
            Role::Edit => "edit",
            Role::View => "view",
            Role::ImagePuller => "system:image-puller",
            Role::ImagePusher => "system:image-pusher",
            Role::ImageBuilder => "system:image-builder",
            Role::SelfProvisioner => "self-provisioner",
        }
    }

    /// The role called `name`, if there is one.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.name() == name)
    }

    /// Whether this role holds across every project.
    pub fn is_cluster_wide(self) -> bool {
        matches!(self, Role::ClusterAdmin | Role::SelfProvisioner)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What an operation does, in Kubernetes' verbs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verb {
    Get,
    List,
    Watch,
    Create,
    Update,
    Patch,
    Delete,
}

impl Verb {
    pub const ALL: [Verb; 7] = [
        Verb::Get,
        Verb::List,
        Verb::Watch,
        Verb::Create,
        Verb::Update,
        Verb::Patch,
        Verb::Delete,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::List => "list",
            Verb::Watch => "watch",
            Verb::Create => "create",
            Verb::Update => "update",
            Verb::Patch => "patch",
            Verb::Delete => "delete",
        }
    }

    /// Whether the verb changes state (and so needs CSRF protection when a
    /// browser session makes the call).
    pub fn changes(self) -> bool {
        !matches!(self, Verb::Get | Verb::List | Verb::Watch)
    }
}

/// What an operation acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Resource {
    /// Projects themselves (reading one, deleting it).
    Projects,
    /// Asking for a new project.
    ProjectRequests,
    ImageStreams,
    ImageStreamTags,
    ImageStreamImages,
    ImageStreamImports,
    ImageStreamMappings,
    /// Pulling (get) and pushing (update) a stream's images; what
    /// `system:image-puller` grants another project's service accounts.
    ImageStreamLayers,
    /// BuildConfigs, DeploymentConfigs and annotated workloads, with their
    /// builds, rollouts and trigger timelines.
    TriggerOwners,
    Webhooks,
    RoleBindings,
    /// Service accounts of a project and their API tokens.
    ServiceAccounts,
    /// Users of the installation (cluster-wide).
    Users,
    /// Pull secrets of a project (registry logins; passwords are never read
    /// back, only used by imports).
    Secrets,
    /// The audit log: a project's entries, or (cluster-wide) all of them.
    AuditEvents,
    /// Groups of people (cluster-wide).
    Groups,
    /// The server's metrics (`/metrics`, cluster-wide).
    Metrics,
    /// The cluster image policy (`images.config.openshift.io/cluster`).
    ClusterSettings,
    /// Images (cluster-wide, by digest): read by cluster admins, as
    /// OpenShift's image auditors read them.
    Images,
}

impl Resource {
    pub const ALL: [Resource; 19] = [
        Resource::Projects,
        Resource::ProjectRequests,
        Resource::ImageStreams,
        Resource::ImageStreamTags,
        Resource::ImageStreamImages,
        Resource::ImageStreamImports,
        Resource::ImageStreamMappings,
        Resource::ImageStreamLayers,
        Resource::TriggerOwners,
        Resource::Webhooks,
        Resource::RoleBindings,
        Resource::ServiceAccounts,
        Resource::Users,
        Resource::Secrets,
        Resource::AuditEvents,
        Resource::Groups,
        Resource::Metrics,
        Resource::ClusterSettings,
        Resource::Images,
    ];

    /// The resource as Kubernetes names it in messages: `<plural>.<group>`.
    pub fn qualified_name(self) -> &'static str {
        match self {
            Resource::Projects => "projects.project.openshift.io",
            Resource::ProjectRequests => "projectrequests.project.openshift.io",
            Resource::ImageStreams => "imagestreams.image.openshift.io",
            Resource::ImageStreamTags => "imagestreamtags.image.openshift.io",
            Resource::ImageStreamImages => "imagestreamimages.image.openshift.io",
            Resource::ImageStreamImports => "imagestreamimports.image.openshift.io",
            Resource::ImageStreamMappings => "imagestreammappings.image.openshift.io",
            Resource::ImageStreamLayers => "imagestreams/layers.image.openshift.io",
            Resource::TriggerOwners => "triggerowners.console.image-streams.io",
            Resource::Webhooks => "webhooks.console.image-streams.io",
            Resource::RoleBindings => "rolebindings.rbac.authorization.k8s.io",
            Resource::ServiceAccounts => "serviceaccounts",
            Resource::Users => "users.user.openshift.io",
            Resource::Secrets => "secrets",
            Resource::AuditEvents => "auditevents.console.image-streams.io",
            Resource::Groups => "groups.user.openshift.io",
            Resource::Metrics => "metrics",
            Resource::ClusterSettings => "images.config.openshift.io",
            Resource::Images => "images.image.openshift.io",
        }
    }

    /// The plural without its group.
    pub fn plural(self) -> &'static str {
        let name = self.qualified_name();
        name.split('.').next().unwrap_or(name)
    }
}

use Resource as R;
use Verb as V;

const READ: &[Verb] = &[V::Get, V::List, V::Watch];
const WRITE: &[Verb] = &[V::Create, V::Update, V::Patch, V::Delete];
const ALL_VERBS: &[Verb] = &Verb::ALL;

/// What a project reader may read.
const READABLE: &[Resource] = &[
    R::Projects,
    R::ImageStreams,
    R::ImageStreamTags,
    R::ImageStreamImages,
    R::ImageStreamLayers,
    R::TriggerOwners,
    R::Webhooks,
    R::ServiceAccounts,
];

/// What a project editor may change.
const EDITABLE: &[Resource] = &[
    R::ImageStreams,
    R::ImageStreamTags,
    R::ImageStreamImports,
    R::ImageStreamMappings,
    R::ImageStreamLayers,
    R::TriggerOwners,
    R::Webhooks,
    R::ServiceAccounts,
];

/// One line of the table: the role allows these verbs on these resources.
pub struct Rule {
    pub role: Role,
    pub verbs: &'static [Verb],
    pub resources: &'static [Resource],
}

/// The authorization table: a role allows exactly what its rules list.
pub const RULES: &[Rule] = &[
    Rule {
        role: Role::ClusterAdmin,
        verbs: ALL_VERBS,
        resources: &Resource::ALL,
    },
    Rule {
        role: Role::Admin,
        verbs: READ,
        resources: READABLE,
    },
    Rule {
        role: Role::Admin,
        verbs: WRITE,
        resources: EDITABLE,
    },
    Rule {
        role: Role::Admin,
        verbs: ALL_VERBS,
        resources: &[R::RoleBindings],
    },
    Rule {
        role: Role::Admin,
        verbs: &[V::Delete, V::Update, V::Patch],
        resources: &[R::Projects],
    },
    Rule {
        role: Role::Edit,
        verbs: READ,
        resources: READABLE,
    },
    Rule {
        role: Role::Edit,
        verbs: WRITE,
        resources: EDITABLE,
    },
    // A project's admins read what was changed in it, and by whom.
    Rule {
        role: Role::Admin,
        verbs: READ,
        resources: &[R::AuditEvents],
    },
    // Secrets are for editors: viewers do not even see which logins exist.
    Rule {
        role: Role::Admin,
        verbs: ALL_VERBS,
        resources: &[R::Secrets],
    },
    Rule {
        role: Role::Edit,
        verbs: ALL_VERBS,
        resources: &[R::Secrets],
    },
    Rule {
        role: Role::View,
        verbs: READ,
        resources: READABLE,
    },
    Rule {
        role: Role::ImagePuller,
        verbs: &[V::Get],
        resources: &[R::ImageStreamLayers],
    },
    Rule {
        role: Role::ImagePusher,
        verbs: &[V::Get, V::Update],
        resources: &[R::ImageStreamLayers],
    },
    // Pushing records the pushed image in its stream: a mapping.
    Rule {
        role: Role::ImagePusher,
        verbs: &[V::Create],
        resources: &[R::ImageStreamMappings],
    },
    Rule {
        role: Role::ImageBuilder,
        verbs: &[V::Get, V::Update],
        resources: &[R::ImageStreamLayers],
    },
    Rule {
        role: Role::ImageBuilder,
        verbs: &[V::Create],
        resources: &[R::ImageStreamMappings],
    },
    Rule {
        role: Role::SelfProvisioner,
        verbs: &[V::Create],
        resources: &[R::ProjectRequests],
    },
];

/// Whether `role` allows `verb` on `resource`.
pub fn role_allows(role: Role, verb: Verb, resource: Resource) -> bool {
    RULES.iter().any(|rule| {
        rule.role == role && rule.verbs.contains(&verb) && rule.resources.contains(&resource)
    })
}

/// Kubernetes' group every signed-in caller belongs to.
pub const AUTHENTICATED_GROUP: &str = "system:authenticated";
/// The group of people (not programs) who signed in.
pub const PEOPLE_GROUP: &str = "system:authenticated:oauth";

/// A binding of a role to a user or group, in a project or (namespace
/// empty) cluster-wide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleBinding {
    /// The project, or empty for a cluster-wide binding.
    pub namespace: String,
    pub subject: Subject,
    pub role: Role,
}

/// Who a binding names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Subject {
    /// A person, or a service account as `system:serviceaccount:<ns>:<name>`.
    User(String),
    Group(String),
}

impl Subject {
    pub fn kind(&self) -> &'static str {
        match self {
            Subject::User(_) => "User",
            Subject::Group(_) => "Group",
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Subject::User(name) | Subject::Group(name) => name,
        }
    }
}

/// Checks a user name: what people sign in with and bindings name.
pub fn validate_user_name(name: &str) -> Result<(), crate::model::FieldError> {
    let problem = if name.is_empty() {
        Some("must not be empty")
    } else if name.len() > 253 {
        Some("must be at most 253 characters long")
    } else if name
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '/')
    {
        Some("must not contain spaces, control characters or '/'")
    } else if name.starts_with("system:") {
        Some("names starting with 'system:' are reserved")
    } else {
        None
    };
    match problem {
        Some(message) => Err(crate::model::FieldError::new("user", message)),
        None => Ok(()),
    }
}

/// A group of people and its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub name: String,
    pub users: Vec<String>,
}

/// A service account of a project, with its API tokens (never their values).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceAccountView {
    pub namespace: String,
    pub name: String,
    pub tokens: Vec<TokenView>,
}

impl ServiceAccountView {
    /// The user name the account acts as: `system:serviceaccount:<ns>:<name>`.
    pub fn user(&self) -> String {
        service_account_user(&self.namespace, &self.name)
    }
}

/// `system:serviceaccount:<namespace>:<name>`.
pub fn service_account_user(namespace: &str, name: &str) -> String {
    format!("system:serviceaccount:{namespace}:{name}")
}

/// An API token as pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    pub id: String,
    pub description: String,
    pub created: crate::model::Time,
    pub expires: Option<crate::model::Time>,
    pub revoked: Option<crate::model::Time>,
}

/// A person's profile page: who they are, the groups they are in, the role
/// bindings that name them or their groups, and their own API tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub user: String,
    pub groups: Vec<String>,
    pub roles: Vec<RoleBinding>,
    pub tokens: Vec<TokenView>,
    /// The identity provider (issuer) they sign in through; `None` when
    /// they have a password here.
    #[serde(default)]
    pub identity_provider: Option<String>,
}

/// A person of the installation as the users list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub name: String,
    pub created: crate::model::Time,
    /// Holds `cluster-admin` cluster-wide.
    pub cluster_admin: bool,
    pub groups: Vec<String>,
    /// How many project roles they hold.
    pub projects: usize,
    /// The identity provider (issuer) they sign in through; `None` for a
    /// password.
    #[serde(default)]
    pub identity_provider: Option<String>,
}

/// The signed-in person as pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub user: String,
    /// Sent back in the `X-CSRF-Token` header with every change the page makes.
    pub csrf_token: String,
    pub cluster_admin: bool,
}

/// The header a browser session's changes carry their CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The cookie that holds the session id.
pub const SESSION_COOKIE: &str = "isc_session";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewers_read_but_never_change() {
        for resource in Resource::ALL {
            for verb in Verb::ALL {
                if role_allows(Role::View, verb, resource) {
                    assert!(!verb.changes(), "view allows {verb:?} on {resource:?}");
                }
            }
        }
        assert!(role_allows(Role::View, Verb::List, Resource::ImageStreams));
        assert!(!role_allows(Role::View, Verb::Get, Resource::RoleBindings));
    }

    #[test]
    fn only_admins_manage_members() {
        let managers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|role| role_allows(*role, Verb::Create, Resource::RoleBindings))
            .collect();
        assert_eq!(managers, [Role::ClusterAdmin, Role::Admin]);
    }

    #[test]
    fn pullers_pull_and_nothing_else() {
        for resource in Resource::ALL {
            for verb in Verb::ALL {
                let expected = resource == Resource::ImageStreamLayers && verb == Verb::Get;
                assert_eq!(
                    role_allows(Role::ImagePuller, verb, resource),
                    expected,
                    "{verb:?} {resource:?}"
                );
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.name()), Some(role));
        }
        assert_eq!(Role::parse("owner"), None);
        assert_eq!(Resource::ImageStreamLayers.plural(), "imagestreams/layers");
    }
}
