//! The HTTP side: which scheme a registry speaks, authentication (anonymous,
//! basic, bearer tokens cached until they expire, one anonymous retry after
//! rejected credentials), and reading manifests, blobs and tag lists with
//! caps on size and time.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use reqwest::{Method, RequestBuilder, Response, StatusCode, header};
use sha2::{Digest as _, Sha256};

use super::{RegistryError, challenge::parse_challenges, media_types};

/// Limits and timeouts of every request.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    /// The longest one request may take, reading its body included.
    pub request_timeout: Duration,
    pub max_manifest_bytes: usize,
    pub max_config_bytes: usize,
    /// How many tags a repository listing reads at most.
    pub max_tags: usize,
    /// Extra CA certificates (PEM) trusted for every registry.
    pub trusted_ca_pem: Vec<Vec<u8>>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            max_manifest_bytes: 4 << 20,
            max_config_bytes: 8 << 20,
            max_tags: 10_000,
            trusted_ca_pem: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// A repository in a registry, as the importer talks to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    /// `host[:port]` of the registry's API (`registry-1.docker.io` for Docker Hub).
    pub registry: String,
    /// `library/ruby`.
    pub path: String,
    /// Plain HTTP and unverified TLS are allowed.
    pub insecure: bool,
    pub credentials: Option<Credentials>,
}

/// A manifest or blob as read, with the digest computed from its bytes.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    pub media_type: String,
    pub digest: String,
}

/// `(registry, scope, username)`: whose token it is.
type TokenKey = (String, String, String);

/// A registry client shared by every import (connections are reused).
pub struct RegistryClient {
    verified: reqwest::Client,
    unverified: reqwest::Client,
    options: ClientOptions,
    /// The base URL (`https://host`) each registry answered on, by
    /// `(registry, insecure)`.
    bases: Mutex<HashMap<(String, bool), String>>,
    /// Bearer tokens by `(registry, scope, username)` with their expiry.
    tokens: Mutex<HashMap<TokenKey, (String, Instant)>>,
    /// Clients that also trust a registry's own CAs, by registry.
    trusted: Mutex<TrustedClients>,
}

/// The per-registry CA bundles in use and the clients built with them.
#[derive(Default)]
struct TrustedClients {
    bundles: Vec<(String, String)>,
    clients: HashMap<String, reqwest::Client>,
}

/// A client with the limits of `options`, verifying TLS against the
/// system's roots plus `extra_roots` (PEM bundles), or not verifying at all.
fn build_client(
    options: &ClientOptions,
    verify: bool,
    extra_roots: &[&[u8]],
) -> Result<reqwest::Client, RegistryError> {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(options.connect_timeout)
        .timeout(options.request_timeout)
        .pool_idle_timeout(Duration::from_secs(90))
        .user_agent(concat!("image-stream-console/", env!("CARGO_PKG_VERSION")))
        .danger_accept_invalid_certs(!verify);
    for pem in extra_roots {
        for certificate in parse_certificates(pem)? {
            builder = builder.add_root_certificate(certificate);
        }
    }
    builder
        .build()
        .map_err(|e| RegistryError::Transport(e.to_string()))
}

/// The certificates of a PEM bundle; an error when there are none.
pub fn parse_certificates(pem: &[u8]) -> Result<Vec<reqwest::Certificate>, RegistryError> {
    let certificates = reqwest::Certificate::from_pem_bundle(pem)
        .map_err(|e| RegistryError::Malformed(format!("not a valid PEM certificate: {e}")))?;
    if certificates.is_empty() {
        return Err(RegistryError::Malformed(
            "no certificate in the PEM text".into(),
        ));
    }
    Ok(certificates)
}

impl std::fmt::Debug for RegistryClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryClient")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

enum Auth {
    Anonymous,
    Basic(Credentials),
    Bearer(String),
}

impl RegistryClient {
    pub fn new(options: ClientOptions) -> Result<Self, RegistryError> {
        let shared: Vec<&[u8]> = options.trusted_ca_pem.iter().map(Vec::as_slice).collect();
        Ok(RegistryClient {
            verified: build_client(&options, true, &shared)?,
            unverified: build_client(&options, false, &[])?,
            trusted: Mutex::new(TrustedClients::default()),
            options,
            bases: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
        })
    }

    /// Trusts each `(registry, pem)` CA bundle for its registry (`host` or
    /// `host:port`) from now on, in place of the bundles trusted before.
    /// Nothing changes when a bundle does not parse.
    pub fn trust(&self, bundles: &[(String, String)]) -> Result<(), RegistryError> {
        if self.trusted.lock().expect("trusted lock").bundles == bundles {
            return Ok(());
        }
        let mut clients = HashMap::new();
        for (registry, pem) in bundles {
            let mut extra: Vec<&[u8]> = self
                .options
                .trusted_ca_pem
                .iter()
                .map(Vec::as_slice)
                .collect();
            extra.push(pem.as_bytes());
            clients.insert(
                registry.to_ascii_lowercase(),
                build_client(&self.options, true, &extra)?,
            );
        }
        *self.trusted.lock().expect("trusted lock") = TrustedClients {
            bundles: bundles.to_vec(),
            clients,
        };
        // A registry that failed TLS before may answer over HTTPS now.
        self.bases.lock().expect("bases lock").clear();
        Ok(())
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// The client for `url`: without verification when insecure, else with
    /// the CAs trusted for its registry (`host:port`, then `host`).
    fn http(&self, insecure: bool, url: &str) -> reqwest::Client {
        if insecure {
            return self.unverified.clone();
        }
        let authority = url
            .split_once("://")
            .map_or(url, |(_, rest)| rest)
            .split('/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let host = authority.split(':').next().unwrap_or_default();
        let trusted = self.trusted.lock().expect("trusted lock");
        trusted
            .clients
            .get(&authority)
            .or_else(|| trusted.clients.get(host))
            .cloned()
            .unwrap_or_else(|| self.verified.clone())
    }

    /// Finds the scheme `repo`'s registry speaks with a `/v2/` ping: HTTPS,
    /// or plain HTTP when insecure is allowed. A registry that answers only
    /// plain HTTP without insecure is `HttpOnly`.
    async fn base(&self, repo: &Repository) -> Result<String, RegistryError> {
        let key = (repo.registry.clone(), repo.insecure);
        if let Some(base) = self.bases.lock().expect("bases lock").get(&key) {
            return Ok(base.clone());
        }
        let https = format!("https://{}", repo.registry);
        let http = format!("http://{}", repo.registry);
        let base = match self.ping(repo.insecure, &https).await {
            Ok(()) => https,
            Err(RegistryError::Transport(error)) => {
                let plain = self.ping(true, &http).await;
                match (plain, repo.insecure) {
                    (Ok(()), true) => http,
                    (Ok(()), false) => return Err(RegistryError::HttpOnly),
                    (Err(RegistryError::Transport(_)), _) => {
                        return Err(RegistryError::Transport(error));
                    }
                    (Err(other), true) => return Err(other),
                    (Err(_), false) => return Err(RegistryError::Transport(error)),
                }
            }
            Err(other) => return Err(other),
        };
        self.bases
            .lock()
            .expect("bases lock")
            .insert(key, base.clone());
        Ok(base)
    }

    async fn ping(&self, insecure: bool, base: &str) -> Result<(), RegistryError> {
        let response = self
            .http(insecure, base)
            .get(format!("{base}/v2/"))
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        let speaks_v2 = response
            .headers()
            .get("docker-distribution-api-version")
            .is_some_and(|v| v.as_bytes().starts_with(b"registry/2"));
        if status.is_success() || status == StatusCode::UNAUTHORIZED || speaks_v2 {
            Ok(())
        } else {
            Err(RegistryError::NotV2)
        }
    }

    /// Sends `GET <base>/v2/<path>/<suffix>`, authenticating as the registry
    /// asks: bearer tokens, basic credentials, and once more anonymously
    /// when the credentials are refused.
    async fn get(
        &self,
        repo: &Repository,
        suffix: &str,
        accept: Option<&str>,
    ) -> Result<Response, RegistryError> {
        let base = self.base(repo).await?;
        let url = format!("{base}/v2/{}/{suffix}", repo.path);
        let scope = format!("repository:{}:pull", repo.path);
        let username = repo
            .credentials
            .as_ref()
            .map(|c| c.username.clone())
            .unwrap_or_default();
        let token_key = (repo.registry.clone(), scope.clone(), username);
        let cached = {
            let tokens = self.tokens.lock().expect("tokens lock");
            tokens
                .get(&token_key)
                .filter(|(_, expires)| *expires > Instant::now())
                .map(|(token, _)| token.clone())
        };
        let mut auth = match cached {
            Some(token) => Auth::Bearer(token),
            None => Auth::Anonymous,
        };
        let mut credentials = repo.credentials.clone();
        // A token the token server has just issued and the registry still
        // refuses will not get better by asking again; a cached one might
        // have been revoked, so it is replaced once.
        let mut token_is_fresh = false;
        for _attempt in 0..4 {
            let response = self
                .send(
                    self.request(repo.insecure, Method::GET, &url, accept),
                    &auth,
                )
                .await?;
            if response.status() != StatusCode::UNAUTHORIZED {
                return Ok(response);
            }
            let challenges = response
                .headers()
                .get_all(header::WWW_AUTHENTICATE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(parse_challenges)
                .collect::<Vec<_>>();
            let next = if let Some(bearer) = challenges.iter().find(|c| c.scheme == "bearer") {
                if token_is_fresh {
                    None
                } else {
                    token_is_fresh = true;
                    match self
                        .token(repo.insecure, bearer, &scope, credentials.as_ref())
                        .await
                    {
                        Ok((token, lifetime)) => {
                            self.tokens.lock().expect("tokens lock").insert(
                                token_key.clone(),
                                (token.clone(), Instant::now() + lifetime),
                            );
                            Some(Auth::Bearer(token))
                        }
                        Err(RegistryError::Unauthorized { .. }) if credentials.is_some() => {
                            // Refused credentials: one anonymous try.
                            credentials = None;
                            match self.token(repo.insecure, bearer, &scope, None).await {
                                Ok((token, _)) => Some(Auth::Bearer(token)),
                                Err(_) => {
                                    return Err(RegistryError::Unauthorized {
                                        with_credentials: true,
                                    });
                                }
                            }
                        }
                        Err(other) => return Err(other),
                    }
                }
            } else if challenges.iter().any(|c| c.scheme == "basic") {
                match (&auth, &credentials) {
                    (Auth::Anonymous, Some(given)) => Some(Auth::Basic(given.clone())),
                    (Auth::Basic(_), Some(_)) => {
                        credentials = None;
                        Some(Auth::Anonymous)
                    }
                    _ => None,
                }
            } else {
                None
            };
            match next {
                Some(next) => auth = next,
                None => {
                    return Err(RegistryError::Unauthorized {
                        with_credentials: repo.credentials.is_some(),
                    });
                }
            }
        }
        Err(RegistryError::Unauthorized {
            with_credentials: repo.credentials.is_some(),
        })
    }

    fn request(
        &self,
        insecure: bool,
        method: Method,
        url: &str,
        accept: Option<&str>,
    ) -> RequestBuilder {
        let request = self.http(insecure, url).request(method, url);
        match accept {
            Some(accept) => request.header(header::ACCEPT, accept),
            None => request,
        }
    }

    async fn send(&self, request: RequestBuilder, auth: &Auth) -> Result<Response, RegistryError> {
        let request = match auth {
            Auth::Anonymous => request,
            Auth::Basic(c) => request.basic_auth(&c.username, Some(&c.password)),
            Auth::Bearer(token) => request.bearer_auth(token),
        };
        request.send().await.map_err(transport)
    }

    /// Asks the challenge's token server for a pull token.
    async fn token(
        &self,
        insecure: bool,
        challenge: &super::Challenge,
        scope: &str,
        credentials: Option<&Credentials>,
    ) -> Result<(String, Duration), RegistryError> {
        let realm = challenge.param("realm").ok_or_else(|| {
            RegistryError::Malformed("the bearer challenge names no realm".into())
        })?;
        let mut query = vec![(
            "scope",
            challenge.param("scope").unwrap_or(scope).to_owned(),
        )];
        if let Some(service) = challenge.param("service") {
            query.push(("service", service.to_owned()));
        }
        let mut request = self.http(insecure, realm).get(realm).query(&query);
        if let Some(c) = credentials {
            request = request.basic_auth(&c.username, Some(&c.password));
        }
        let response = request.send().await.map_err(transport)?;
        match response.status() {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                return Err(RegistryError::Unauthorized {
                    with_credentials: credentials.is_some(),
                });
            }
            status if !status.is_success() => {
                return Err(RegistryError::Server {
                    status: status.as_u16(),
                    message: format!("the token server at {realm} refused the request"),
                });
            }
            _ => {}
        }
        let body = read_capped(response, 1 << 20, "token response").await?;
        #[derive(serde::Deserialize)]
        struct TokenResponse {
            #[serde(default)]
            token: String,
            #[serde(default)]
            access_token: String,
            #[serde(default)]
            expires_in: Option<u64>,
        }
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
            RegistryError::Malformed(format!("the token server's answer is not valid: {e}"))
        })?;
        let token = if parsed.token.is_empty() {
            parsed.access_token
        } else {
            parsed.token
        };
        if token.is_empty() {
            return Err(RegistryError::Malformed(
                "the token server sent no token".into(),
            ));
        }
        // Tokens live 60 s unless told otherwise; refresh 10 s early.
        let lifetime = Duration::from_secs(parsed.expires_in.unwrap_or(60).max(20) - 10);
        Ok((token, lifetime))
    }

    /// The manifest `reference` (a tag or a digest) of `repo`. A digest
    /// reference must match the bytes; so must a `Docker-Content-Digest`.
    pub async fn manifest(
        &self,
        repo: &Repository,
        reference: &str,
    ) -> Result<Fetched, RegistryError> {
        let response = self
            .get(
                repo,
                &format!("manifests/{reference}"),
                Some(media_types::MANIFEST_ACCEPT),
            )
            .await?;
        let response = check_status(response).await?;
        let header_digest = response
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim().to_owned())
            .unwrap_or_default();
        let bytes = read_capped(response, self.options.max_manifest_bytes, "manifest").await?;
        let digest = sha256_digest(&bytes);
        let expected = if reference.contains(':') {
            Some(reference.to_owned())
        } else {
            header_digest.filter(|d| d.starts_with("sha256:"))
        };
        if let Some(expected) = expected
            && expected != digest
        {
            return Err(RegistryError::Integrity(format!(
                "the manifest retrieved with digest {expected} does not match the digest calculated from the content {digest}"
            )));
        }
        let media_type = manifest_media_type(&content_type, &bytes)?;
        Ok(Fetched {
            bytes,
            media_type,
            digest,
        })
    }

    /// The blob `digest` (an image config), verified against its digest.
    pub async fn blob(&self, repo: &Repository, digest: &str) -> Result<Vec<u8>, RegistryError> {
        let response = self.get(repo, &format!("blobs/{digest}"), None).await?;
        let response = check_status(response).await?;
        let bytes = read_capped(
            response,
            self.options.max_config_bytes,
            "image configuration",
        )
        .await?;
        let actual = sha256_digest(&bytes);
        if digest.starts_with("sha256:") && actual != digest {
            return Err(RegistryError::Integrity(format!(
                "the blob {digest} does not match the digest calculated from the content {actual}"
            )));
        }
        Ok(bytes)
    }

    /// Every tag of `repo`, following `Link` pagination, at most `max_tags`.
    pub async fn tags(&self, repo: &Repository) -> Result<Vec<String>, RegistryError> {
        let mut tags = Vec::new();
        let mut suffix = "tags/list?n=1000".to_owned();
        loop {
            let response = check_status(self.get(repo, &suffix, None).await?).await?;
            let next = response
                .headers()
                .get(header::LINK)
                .and_then(|v| v.to_str().ok())
                .and_then(next_link);
            let body = read_capped(response, 4 << 20, "tag list").await?;
            #[derive(serde::Deserialize)]
            struct TagList {
                #[serde(default)]
                tags: Option<Vec<String>>,
            }
            let page: TagList = serde_json::from_slice(&body)
                .map_err(|e| RegistryError::Malformed(format!("the tag list is not valid: {e}")))?;
            tags.extend(page.tags.unwrap_or_default());
            if tags.len() >= self.options.max_tags {
                tags.truncate(self.options.max_tags);
                return Ok(tags);
            }
            match next {
                Some(link) => {
                    let prefix = format!("/v2/{}/", repo.path);
                    match link.strip_prefix(&prefix) {
                        Some(rest) => suffix = rest.to_owned(),
                        None => return Ok(tags),
                    }
                }
                None => return Ok(tags),
            }
        }
    }
}

/// `</v2/a/tags/list?n=2&last=b>; rel="next"` → `/v2/a/tags/list?n=2&last=b`.
fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        params.contains("rel=\"next\"").then(|| {
            target
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned()
        })
    })
}

fn transport(error: reqwest::Error) -> RegistryError {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message = format!("{message}: {cause}");
        source = cause.source();
    }
    if error.is_timeout() {
        message = format!("timed out: {message}");
    }
    RegistryError::Transport(message)
}

/// Maps the registry's answer to success or an error by status.
async fn check_status(response: Response) -> Result<Response, RegistryError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    Err(match status {
        StatusCode::NOT_FOUND => RegistryError::NotFound,
        StatusCode::FORBIDDEN => RegistryError::Forbidden,
        StatusCode::UNAUTHORIZED => RegistryError::Unauthorized {
            with_credentials: false,
        },
        StatusCode::TOO_MANY_REQUESTS => RegistryError::RateLimited { retry_after },
        StatusCode::SERVICE_UNAVAILABLE => RegistryError::Unavailable { retry_after },
        _ => {
            let body = read_capped(response, 4096, "error")
                .await
                .unwrap_or_default();
            let text = String::from_utf8_lossy(&body).trim().to_owned();
            RegistryError::Server {
                status: status.as_u16(),
                message: if text.is_empty() {
                    status.canonical_reason().unwrap_or("error").to_owned()
                } else {
                    text
                },
            }
        }
    })
}

/// Reads a body, refusing more than `limit` bytes (a declared length is
/// checked first; the bytes are counted as they come).
async fn read_capped(
    mut response: Response,
    limit: usize,
    what: &'static str,
) -> Result<Vec<u8>, RegistryError> {
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(RegistryError::TooLarge { what, limit });
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        if bytes.len() + chunk.len() > limit {
            return Err(RegistryError::TooLarge { what, limit });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

pub(crate) fn sha256_digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let mut text = String::with_capacity(71);
    text.push_str("sha256:");
    for byte in hash {
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

/// The manifest's media type: the body's `mediaType`, else the header;
/// schema 1 is refused.
fn manifest_media_type(content_type: &str, bytes: &[u8]) -> Result<String, RegistryError> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Probe {
        #[serde(default)]
        schema_version: Option<u32>,
        #[serde(default)]
        media_type: Option<String>,
        #[serde(default)]
        manifests: Option<serde_json::Value>,
    }
    let probe: Probe = serde_json::from_slice(bytes)
        .map_err(|e| RegistryError::Malformed(format!("the manifest is not valid JSON: {e}")))?;
    if probe.schema_version == Some(1) || media_types::is_schema1(content_type) {
        return Err(RegistryError::Unsupported(
            "Docker schema 1 manifests are not supported; push the image again with a current client".into(),
        ));
    }
    let media_type = probe
        .media_type
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            if media_types::is_list(content_type) || media_types::is_image(content_type) {
                content_type.to_owned()
            } else if probe.manifests.is_some() {
                media_types::OCI_INDEX.to_owned()
            } else {
                media_types::OCI_MANIFEST.to_owned()
            }
        });
    if media_types::is_list(&media_type) || media_types::is_image(&media_type) {
        Ok(media_type)
    } else {
        Err(RegistryError::Unsupported(format!(
            "the manifest media type {media_type} is not an image"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_links() {
        assert_eq!(
            next_link(r#"</v2/a/tags/list?n=2&last=b>; rel="next""#).as_deref(),
            Some("/v2/a/tags/list?n=2&last=b")
        );
        assert_eq!(next_link(r#"</x>; rel="prev""#), None);
    }

    #[test]
    fn digests_are_sha256_hex() {
        assert_eq!(
            sha256_digest(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn schema1_is_refused_and_types_are_found() {
        assert!(matches!(
            manifest_media_type("", br#"{"schemaVersion":1}"#),
            Err(RegistryError::Unsupported(_))
        ));
        assert_eq!(
            manifest_media_type(
                media_types::OCI_INDEX,
                br#"{"schemaVersion":2,"manifests":[]}"#
            )
            .unwrap(),
            media_types::OCI_INDEX
        );
        assert_eq!(
            manifest_media_type("", br#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}"#).unwrap(),
            media_types::DOCKER_MANIFEST
        );
    }
}
