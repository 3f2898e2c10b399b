//! The caller of one request: who they are, the groups they are in, the role
//! bindings that name them, and whether their request may change things.

use crate::{
    Error, Result,
    model::access::{
        AUTHENTICATED_GROUP, PEOPLE_GROUP, Resource, Role, RoleBinding, SESSION_COOKIE, Subject,
        Verb, role_allows,
    },
    store::Store,
};

/// What a request presented: a session cookie (with the CSRF header, if
/// any), or a bearer token.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    pub session: Option<String>,
    pub csrf_token: Option<String>,
    pub bearer: Option<String>,
}

impl Credentials {
    /// Reads a request's `Cookie`, `Authorization` and `X-CSRF-Token`
    /// header values.
    pub fn from_headers(
        cookie: Option<&str>,
        authorization: Option<&str>,
        csrf_token: Option<&str>,
    ) -> Credentials {
        let session = cookie.and_then(|cookie| {
            cookie.split(';').find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                (name == SESSION_COOKIE && !value.is_empty()).then(|| value.to_owned())
            })
        });
        let bearer = authorization.and_then(|value| {
            let (scheme, token) = value.trim().split_once(' ')?;
            let token = token.trim();
            (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
        });
        Credentials {
            session,
            csrf_token: csrf_token.map(str::to_owned),
            bearer,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.session.is_none() && self.bearer.is_none()
    }
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: String,
    pub groups: Vec<String>,
    bindings: Vec<RoleBinding>,
    /// Whether a change may be made: always for tokens, and for a browser
    /// session only when the request carried the session's CSRF token.
    pub(super) may_change: bool,
    /// The session's CSRF token, for pages to send back.
    pub csrf_token: Option<String>,
    /// The hash of the session id the caller came with (none for tokens).
    pub(super) session_id_hash: Option<String>,
}

impl Caller {
    /// Loads the bindings of `user` and their groups.
    pub(super) async fn load(
        store: &Store,
        user: String,
        may_change: bool,
        csrf_token: Option<String>,
    ) -> Result<Caller> {
        let mut groups = groups_of(&user);
        groups.extend(store.groups_of_user(&user).await?);
        let mut subjects = vec![Subject::User(user.clone())];
        subjects.extend(groups.iter().cloned().map(Subject::Group));
        let bindings = store.role_bindings_of(&subjects).await?;
        Ok(Caller {
            user,
            groups,
            bindings,
            may_change,
            csrf_token,
            session_id_hash: None,
        })
    }

    /// `user` with their bindings, as if they had signed in (for the
    /// server's own work on someone's behalf, and tests).
    pub async fn of_user(store: &Store, user: &str) -> Result<Caller> {
        Caller::load(store, user.to_owned(), true, None).await
    }

    /// The server acting on its own behalf (start-up work, tests): a cluster
    /// admin named `system:<component>`. Never made from a request.
    pub fn system(component: &str) -> Caller {
        Caller {
            user: format!("system:{component}"),
            groups: vec![AUTHENTICATED_GROUP.to_owned()],
            bindings: vec![RoleBinding {
                namespace: String::new(),
                subject: Subject::User(format!("system:{component}")),
                role: Role::ClusterAdmin,
            }],
            may_change: true,
            csrf_token: None,
            session_id_hash: None,
        }
    }

    /// Whether the table lets this caller do `verb` on `resource` in
    /// `namespace` (empty for cluster-scoped resources).
    pub fn can(&self, verb: Verb, resource: Resource, namespace: &str) -> bool {
        self.bindings.iter().any(|binding| {
            (binding.namespace == namespace || binding.namespace.is_empty())
                && role_allows(binding.role, verb, resource)
        })
    }

    /// `Ok` if the caller may do this, else `Forbidden` in Kubernetes' words.
    pub fn require(&self, verb: Verb, resource: Resource, namespace: &str) -> Result<()> {
        if !self.can(verb, resource, namespace) {
            let scope = if namespace.is_empty() {
                "at the cluster scope".to_owned()
            } else {
                format!("in the namespace \"{namespace}\"")
            };
            let qualified = resource.qualified_name();
            let group = qualified.split_once('.').map_or("", |(_, group)| group);
            return Err(Error::Forbidden(format!(
                "{qualified} is forbidden: User \"{}\" cannot {} resource \"{}\" in API group \"{group}\" {scope}",
                self.user,
                verb.name(),
                resource.plural(),
            )));
        }
        if verb.changes() {
            self.require_may_change()?;
        }
        Ok(())
    }

    /// `Ok` if this request may change things: always for tokens, and for a
    /// browser session when it carried the session's CSRF token.
    pub fn require_may_change(&self) -> Result<()> {
        if !self.may_change {
            return Err(Error::Forbidden(
                "the request carries no valid CSRF token (X-CSRF-Token); reload the page and try again"
                    .into(),
            ));
        }
        Ok(())
    }

    /// The role bindings that name the caller or one of their groups.
    pub fn bindings(&self) -> &[RoleBinding] {
        &self.bindings
    }

    /// Whether the caller holds `cluster-admin`.
    pub fn is_cluster_admin(&self) -> bool {
        self.bindings
            .iter()
            .any(|binding| binding.role == Role::ClusterAdmin && binding.namespace.is_empty())
    }
}

/// The groups a user is in by their name: everyone is authenticated; people
/// are also `system:authenticated:oauth`; service accounts
/// (`system:serviceaccount:<ns>:<name>`) are in `system:serviceaccounts` and
/// `system:serviceaccounts:<ns>`.
fn groups_of(user: &str) -> Vec<String> {
    let mut groups = vec![AUTHENTICATED_GROUP.to_owned()];
    match user.strip_prefix("system:serviceaccount:") {
        Some(rest) => {
            groups.push("system:serviceaccounts".into());
            if let Some((namespace, _)) = rest.split_once(':') {
                groups.push(format!("system:serviceaccounts:{namespace}"));
            }
        }
        None => groups.push(PEOPLE_GROUP.into()),
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(bindings: Vec<RoleBinding>, may_change: bool) -> Caller {
        Caller {
            user: "bob".into(),
            groups: groups_of("bob"),
            bindings,
            may_change,
            csrf_token: None,
            session_id_hash: None,
        }
    }

    fn binding(namespace: &str, role: Role) -> RoleBinding {
        RoleBinding {
            namespace: namespace.into(),
            subject: Subject::User("bob".into()),
            role,
        }
    }

    #[test]
    fn a_role_holds_in_its_project_only() {
        let bob = caller(vec![binding("team", Role::Edit)], true);
        assert!(
            bob.require(Verb::Create, Resource::ImageStreams, "team")
                .is_ok()
        );
        let error = bob
            .require(Verb::Create, Resource::ImageStreams, "other")
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "imagestreams.image.openshift.io is forbidden: User \"bob\" cannot create resource \
             \"imagestreams\" in API group \"image.openshift.io\" in the namespace \"other\""
        );
    }

    #[test]
    fn cluster_admins_may_do_anything_anywhere() {
        let admin = caller(vec![binding("", Role::ClusterAdmin)], true);
        assert!(admin.is_cluster_admin());
        assert!(admin.can(Verb::Delete, Resource::Projects, "any"));
        assert!(admin.can(Verb::Create, Resource::Users, ""));
    }

    #[test]
    fn a_session_without_its_csrf_token_reads_but_cannot_change() {
        let bob = caller(vec![binding("team", Role::Edit)], false);
        assert!(
            bob.require(Verb::List, Resource::ImageStreams, "team")
                .is_ok()
        );
        let error = bob
            .require(Verb::Delete, Resource::ImageStreams, "team")
            .unwrap_err();
        assert!(error.to_string().contains("CSRF"), "{error}");
    }

    #[test]
    fn credentials_come_from_the_cookie_the_bearer_token_and_the_csrf_header() {
        let credentials = Credentials::from_headers(
            Some("theme=dark; isc_session=abc; other=1"),
            Some("Bearer  tok "),
            Some("csrf"),
        );
        assert_eq!(credentials.session.as_deref(), Some("abc"));
        assert_eq!(credentials.bearer.as_deref(), Some("tok"));
        assert_eq!(credentials.csrf_token.as_deref(), Some("csrf"));
        let none = Credentials::from_headers(Some("isc_session="), Some("Basic eDp5"), None);
        assert!(none.is_empty());
    }

    #[test]
    fn service_accounts_are_in_their_groups() {
        assert_eq!(
            groups_of("system:serviceaccount:a:default"),
            [
                "system:authenticated",
                "system:serviceaccounts",
                "system:serviceaccounts:a"
            ]
        );
        assert_eq!(
            groups_of("alice"),
            ["system:authenticated", "system:authenticated:oauth"]
        );
    }
}
