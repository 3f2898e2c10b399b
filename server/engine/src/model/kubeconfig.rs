//! The kubeconfig a program or person uses with kubectl: this server, a
//! bearer token, and the project as the default namespace.

/// A kubeconfig for `server` (its origin, `https://…`), signing in as
/// `user` with `token`, in `namespace`. Over plain HTTP kubectl would not
/// send the token, so such a server is named as it is, with a comment.
pub fn kubeconfig(server: &str, namespace: &str, user: &str, token: &str) -> String {
    let name = "image-stream-console";
    let warning = if server.starts_with("http://") {
        "# kubectl sends tokens over HTTPS only: serve with --tls-cert-file and --tls-key-file.\n"
    } else {
        ""
    };
    format!(
        "{warning}apiVersion: v1\nkind: Config\nclusters:\n- name: {name}\n  cluster:\n    server: {server}\nusers:\n- name: {user}\n  user:\n    token: {token}\ncontexts:\n- name: {name}\n  context:\n    cluster: {name}\n    user: {user}\n    namespace: {namespace}\ncurrent-context: {name}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_server_token_and_namespace_and_warns_about_plain_http() {
        let config = kubeconfig(
            "https://console.example:3000",
            "team",
            "system:serviceaccount:team:ci",
            "s3cret",
        );
        assert!(config.starts_with("apiVersion: v1\n"));
        assert!(config.contains("    server: https://console.example:3000\n"));
        assert!(config.contains("    token: s3cret\n"));
        assert!(config.contains("    namespace: team\n"));
        assert!(config.contains("- name: system:serviceaccount:team:ci\n"));
        assert!(
            kubeconfig("http://localhost:3000", "team", "u", "t")
                .starts_with("# kubectl sends tokens over HTTPS only")
        );
    }
}
