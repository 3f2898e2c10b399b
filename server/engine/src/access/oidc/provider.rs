//! The conversation with the provider: discovery (kept a few minutes), the
//! address the browser is sent to, and the answer's code exchanged for an
//! ID token whose signature, issuer, audience, expiry and nonce are checked.

use std::time::{Duration, Instant};

use base64::Engine as _;
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
    core::{CoreAuthenticationFlow, CoreClient, CoreJwsSigningAlgorithm, CoreProviderMetadata},
};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use crate::{Error, Result, access::secrets::same_secret};

/// How long the provider's discovery document (endpoints, keys) is reused.
const DISCOVERY_TTL: Duration = Duration::from_secs(300);
/// How long a request to the provider may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// How the console signs people in through a provider.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// The provider's issuer URL (its discovery document lives under it).
    pub issuer_url: String,
    /// The console's client id at the provider.
    pub client_id: String,
    /// The client secret, for a confidential client; `None` for a public one.
    pub client_secret: Option<String>,
    /// Where the provider sends the browser back: this server's
    /// `/auth/oidc/callback` as the browser reaches it.
    pub redirect_url: String,
    /// The claim that names the user here (`sub` when it is missing).
    pub username_claim: String,
    /// The claim that lists the groups a person is in, if any: their
    /// memberships follow it at every sign-in.
    pub groups_claim: Option<String>,
    /// Scopes to ask for besides `openid profile email` (some providers
    /// send groups only for a `groups` scope).
    pub extra_scopes: Vec<String>,
    /// The provider's name on the sign-in button.
    pub display_name: String,
    /// PEM certificates to trust for the provider besides the system's.
    pub extra_ca_pem: Option<Vec<u8>>,
}

/// Where to send the browser, and what it must bring back.
#[derive(Debug, Clone)]
pub struct SignInStart {
    pub authorize_url: String,
    pub pending: PendingSignIn,
}

/// The secrets of one sign-in in progress, kept by the browser (in an
/// HttpOnly cookie) until the provider sends it back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingSignIn {
    state: String,
    nonce: String,
    verifier: String,
    /// The page to open afterwards.
    pub next: String,
}

impl PendingSignIn {
    /// As a cookie value.
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    }

    /// From a cookie value; `None` if it is not one.
    pub fn decode(text: &str) -> Option<PendingSignIn> {
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text)
            .ok()?;
        serde_json::from_slice(&json).ok()
    }
}

/// Who the provider says signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    /// The user name they asked for (the username claim, else `sub`).
    pub preferred_name: String,
    /// The groups the groups claim names; `None` when no groups claim is
    /// configured (memberships are then left alone).
    pub groups: Option<Vec<String>>,
}

/// One configured provider.
pub struct OidcProvider {
    settings: OidcSettings,
    http: reqwest::Client,
    discovered: Mutex<Option<(CoreProviderMetadata, Instant)>>,
}

impl std::fmt::Debug for OidcProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcProvider")
            .field("issuer_url", &self.settings.issuer_url)
            .field("client_id", &self.settings.client_id)
            .finish_non_exhaustive()
    }
}

impl OidcProvider {
    /// Checks the settings; nothing is fetched until the first sign-in.
    pub fn new(settings: OidcSettings) -> Result<OidcProvider> {
        IssuerUrl::new(settings.issuer_url.clone())
            .map_err(|e| Error::invalid("oidcIssuerUrl", format!("is not a URL: {e}")))?;
        RedirectUrl::new(settings.redirect_url.clone())
            .map_err(|e| Error::invalid("oidcRedirectUrl", format!("is not a URL: {e}")))?;
        if settings.client_id.trim().is_empty() {
            return Err(Error::invalid("oidcClientId", "Required value"));
        }
        // Following redirects would let a provider's answer point the
        // server at other addresses.
        let mut http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(REQUEST_TIMEOUT);
        if let Some(pem) = &settings.extra_ca_pem {
            let certificates = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| Error::invalid("oidcCaFile", format!("is not PEM: {e}")))?;
            if certificates.is_empty() {
                return Err(Error::invalid("oidcCaFile", "holds no certificate"));
            }
            for certificate in certificates {
                http = http.add_root_certificate(certificate);
            }
        }
        let http = http
            .build()
            .map_err(|e| Error::Internal(format!("cannot build the OIDC HTTP client: {e}")))?;
        Ok(OidcProvider {
            settings,
            http,
            discovered: Mutex::new(None),
        })
    }

    /// The provider's name on the sign-in page.
    pub fn display_name(&self) -> &str {
        &self.settings.display_name
    }

    /// Begins a sign-in: the provider's authorization address with a fresh
    /// state, nonce and PKCE challenge; `next` is the page to open after.
    pub async fn begin(&self, next: &str) -> Result<SignInStart> {
        let client = self.client(self.metadata().await?)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("profile".into()))
            .add_scope(Scope::new("email".into()))
            .add_scopes(self.settings.extra_scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge)
            .url();
        Ok(SignInStart {
            authorize_url: url.to_string(),
            pending: PendingSignIn {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                verifier: verifier.secret().clone(),
                next: next.to_owned(),
            },
        })
    }

    /// Finishes a sign-in: `state` must be the one this browser was sent
    /// with, and `iss`, when the provider names itself in its answer (RFC
    /// 9207), this provider; the code is exchanged for an ID token, which is
    /// verified.
    pub async fn finish(
        &self,
        pending: PendingSignIn,
        code: &str,
        state: &str,
        iss: Option<&str>,
    ) -> Result<Identity> {
        if !same_secret(state, &pending.state) {
            return Err(Error::Unauthenticated(
                "the identity provider's answer does not belong to this browser's sign-in; sign in again".into(),
            ));
        }
        let metadata = self.metadata().await?;
        let issuer = metadata.issuer().as_str();
        if let Some(iss) = iss
            && iss != issuer
        {
            return Err(Error::Unauthenticated(format!(
                "the sign-in answer comes from {iss}, not from the identity provider {issuer}"
            )));
        }
        // One read of the discovery document for the whole answer: the
        // issuer checked is the one whose keys verify the token.
        let client = self.client(metadata.clone())?;
        let answer = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| self.unreachable(e))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| {
                Error::Unauthenticated(format!(
                    "the identity provider refused the sign-in: {}",
                    describe(&e)
                ))
            })?;
        let token = answer.id_token().ok_or_else(|| {
            Error::Unauthenticated("the identity provider sent no ID token".into())
        })?;
        let algorithms: Vec<CoreJwsSigningAlgorithm> = metadata
            .id_token_signing_alg_values_supported()
            .iter()
            .filter(|alg| **alg != CoreJwsSigningAlgorithm::None)
            .cloned()
            .collect();
        let verifier = client.id_token_verifier().set_allowed_algs(algorithms);
        let claims = token
            .claims(&verifier, &Nonce::new(pending.nonce))
            .map_err(|e| {
                Error::Unauthenticated(format!(
                    "the identity provider's ID token is not valid: {e}"
                ))
            })?;
        let subject = claims.subject().as_str().to_owned();
        let mut all_claims = payload_of(&token.to_string()).unwrap_or_default();
        // Providers may keep profile claims out of the ID token and serve
        // them at the userinfo endpoint only.
        let wanted: Vec<&str> = std::iter::once(self.settings.username_claim.as_str())
            .chain(self.settings.groups_claim.as_deref())
            .collect();
        if wanted.iter().any(|claim| !all_claims.contains_key(*claim))
            && let Some(endpoint) = metadata.userinfo_endpoint()
        {
            let more = self
                .userinfo(endpoint.as_str(), answer.access_token().secret(), &subject)
                .await?;
            for (name, value) in more {
                all_claims.entry(name).or_insert(value);
            }
        }
        let preferred_name = string_claim(&all_claims, &self.settings.username_claim)
            .unwrap_or_else(|| subject.clone());
        let groups = self
            .settings
            .groups_claim
            .as_deref()
            .map(|claim| groups_claim(&all_claims, claim));
        Ok(Identity {
            issuer: claims.issuer().as_str().to_owned(),
            subject,
            preferred_name,
            groups,
        })
    }

    /// The claims of the userinfo endpoint, which must speak of the same
    /// subject as the ID token.
    async fn userinfo(&self, endpoint: &str, access_token: &str, subject: &str) -> Result<Claims> {
        let refused = |problem: String| {
            Error::Unauthenticated(format!(
                "the identity provider's userinfo endpoint {problem}"
            ))
        };
        let response = self
            .http
            .get(endpoint)
            .bearer_auth(access_token)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| refused(format!("cannot be reached: {}", describe(&e))))?;
        if !response.status().is_success() {
            return Err(refused(format!("answered {}", response.status())));
        }
        let claims: Claims = response
            .json()
            .await
            .map_err(|e| refused(format!("did not answer a JSON object: {e}")))?;
        if claims.get("sub").and_then(|sub| sub.as_str()) != Some(subject) {
            return Err(refused(
                "speaks of another subject than the ID token".into(),
            ));
        }
        Ok(claims)
    }

    /// A client of the provider `metadata` describes.
    fn client(
        &self,
        metadata: CoreProviderMetadata,
    ) -> Result<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
    > {
        let redirect = RedirectUrl::new(self.settings.redirect_url.clone())
            .map_err(|e| Error::invalid("oidcRedirectUrl", format!("is not a URL: {e}")))?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            self.settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect))
    }

    /// The discovery document, fetched again after [`DISCOVERY_TTL`] (so
    /// rotated keys are picked up).
    async fn metadata(&self) -> Result<CoreProviderMetadata> {
        let mut discovered = self.discovered.lock().await;
        if let Some((metadata, at)) = &*discovered
            && at.elapsed() < DISCOVERY_TTL
        {
            return Ok(metadata.clone());
        }
        let issuer = IssuerUrl::new(self.settings.issuer_url.clone())
            .map_err(|e| Error::invalid("oidcIssuerUrl", format!("is not a URL: {e}")))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| self.unreachable(e))?;
        *discovered = Some((metadata.clone(), Instant::now()));
        Ok(metadata)
    }

    fn unreachable(&self, error: impl std::error::Error) -> Error {
        Error::Unavailable(format!(
            "the identity provider at {} cannot be used: {}",
            self.settings.issuer_url,
            describe(&error)
        ))
    }
}

/// An error with its causes, as one line.
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Claims by name.
type Claims = serde_json::Map<String, serde_json::Value>;

/// The claims of a (verified) JWT.
fn payload_of(jwt: &str) -> Option<Claims> {
    let payload = jwt.split('.').nth(1)?;
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&json).ok()
}

/// A claim that is a string which is not blank.
fn string_claim(claims: &Claims, name: &str) -> Option<String> {
    claims
        .get(name)?
        .as_str()
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
}

/// The group names of a groups claim: a list of strings or one string;
/// a missing claim is no group. Names that cannot be group names here are
/// left out (and logged).
fn groups_claim(claims: &Claims, name: &str) -> Vec<String> {
    let names: Vec<&str> = match claims.get(name) {
        Some(serde_json::Value::Array(values)) => {
            values.iter().filter_map(|value| value.as_str()).collect()
        }
        Some(serde_json::Value::String(value)) => vec![value.as_str()],
        _ => Vec::new(),
    };
    let mut groups: Vec<String> = Vec::new();
    for group in names.into_iter().map(str::trim) {
        match crate::model::access::validate_user_name(group) {
            Ok(()) if !groups.iter().any(|known| known == group) => groups.push(group.to_owned()),
            Ok(()) => {}
            Err(problem) => {
                tracing::warn!(group, problem = %problem.message, "a group of the identity provider's groups claim cannot be a group here; left out")
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_sign_in_survives_its_cookie_and_garbage_is_refused() {
        let pending = PendingSignIn {
            state: "s".into(),
            nonce: "n".into(),
            verifier: "v".into(),
            next: "/ns/team/catalog".into(),
        };
        let back = PendingSignIn::decode(&pending.encode()).unwrap();
        assert_eq!(back.next, "/ns/team/catalog");
        assert_eq!(back.verifier, "v");
        assert!(PendingSignIn::decode("not base64 json!").is_none());
    }

    #[test]
    fn claims_are_read_by_name_and_empty_ones_count_as_missing() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"sub":"1234","preferred_username":"ana","email":" "}"#);
        let claims = payload_of(&format!("e30.{payload}.sig")).unwrap();
        assert_eq!(
            string_claim(&claims, "preferred_username").as_deref(),
            Some("ana")
        );
        assert_eq!(string_claim(&claims, "email"), None);
        assert_eq!(string_claim(&claims, "groups"), None);
        assert!(payload_of("not a jwt").is_none());
    }

    #[test]
    fn groups_come_as_a_list_or_one_name_and_bad_names_are_left_out() {
        let claims: Claims = serde_json::from_str(
            r#"{"groups":["devs","system:masters","ops","devs","a/b"],"team":"ops","n":3}"#,
        )
        .unwrap();
        assert_eq!(groups_claim(&claims, "groups"), ["devs", "ops"]);
        assert_eq!(groups_claim(&claims, "team"), ["ops"]);
        assert!(groups_claim(&claims, "n").is_empty());
        assert!(groups_claim(&claims, "missing").is_empty());
    }

    #[test]
    fn bad_settings_name_the_setting() {
        let settings = OidcSettings {
            issuer_url: "not a url".into(),
            client_id: "console".into(),
            client_secret: None,
            redirect_url: "http://127.0.0.1/auth/oidc/callback".into(),
            username_claim: "preferred_username".into(),
            groups_claim: None,
            extra_scopes: Vec::new(),
            display_name: "SSO".into(),
            extra_ca_pem: None,
        };
        let error = OidcProvider::new(settings.clone()).unwrap_err();
        assert!(error.to_string().starts_with("oidcIssuerUrl: is not a URL"));
        let error = OidcProvider::new(OidcSettings {
            issuer_url: "https://sso.example".into(),
            client_id: " ".into(),
            ..settings
        })
        .unwrap_err();
        assert_eq!(error.to_string(), "oidcClientId: Required value");
    }
}
