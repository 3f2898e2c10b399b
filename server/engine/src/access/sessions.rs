//! Browser sessions: signing in (rate-limited), finding the caller of a
//! request by session cookie or bearer token, signing out.
//!
//! A session id is 32 random bytes the browser keeps in an HttpOnly cookie;
//! the store keeps only its SHA-256. A session ends after `idle` without use
//! or `absolute` after sign-in, whichever comes first.

use std::time::Duration;

use super::{
    Caller, Credentials,
    passwords::password_matches,
    secrets::{random_secret, same_secret, sha256_hex},
    tokens::authenticate_token,
};
use crate::{Error, Result, Services, clock, store::SessionRow};

/// How long sessions last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session unused this long ends.
    pub idle: Duration,
    /// No session lasts longer than this after sign-in.
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: Duration::from_secs(8 * 3600),
            absolute: Duration::from_secs(24 * 3600),
        }
    }
}

/// How stale `last_seen` may get before a request records a new one.
const TOUCH_EVERY_MS: i64 = 60_000;

/// A session just made: the id goes into the cookie, the CSRF token into
/// every page.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: String,
    pub csrf_token: String,
    pub user: String,
}

/// Checks the password and opens a new session (always a new id: a session
/// id set before sign-in is never reused). `client` is the caller's address,
/// for the rate limit and the session list.
pub async fn sign_in(
    services: &Services,
    user: &str,
    password: &str,
    client: &str,
) -> Result<NewSession> {
    let (limiter, store) = (&services.login_limiter, &services.store);
    let now = clock::now_millis();
    limiter.check(store, user, client, now).await?;
    let hash = store.password_hash(user).await?;
    if !password_matches(password, hash).await? {
        limiter.record_failure(store, user, client, now).await?;
        return Err(Error::Unauthenticated("wrong user name or password".into()));
    }
    limiter.forget(store, user).await?;
    let session = open_session(services, user, client, now).await?;
    tracing::info!(user, client, "signed in");
    Ok(session)
}

/// A new session for `user`, who has just proven who they are.
pub(super) async fn open_session(
    services: &Services,
    user: &str,
    client: &str,
    now: i64,
) -> Result<NewSession> {
    let session = NewSession {
        id: random_secret()?,
        csrf_token: random_secret()?,
        user: user.to_owned(),
    };
    services
        .store
        .insert_session(&SessionRow {
            id_hash: sha256_hex(&session.id),
            user: session.user.clone(),
            csrf_token: session.csrf_token.clone(),
            created_ms: now,
            last_seen_ms: now,
            client: client.to_owned(),
        })
        .await?;
    Ok(session)
}

/// Ends the session the credentials name, or (`everywhere`) every session
/// of its user. Needs the session's CSRF token, so that another site cannot
/// sign people out.
pub async fn sign_out(
    services: &Services,
    credentials: &Credentials,
    everywhere: bool,
) -> Result<()> {
    let Some(id) = &credentials.session else {
        return Err(Error::Unauthenticated("nobody is signed in".into()));
    };
    let caller = authenticate(services, credentials).await?;
    if !caller.may_change {
        return Err(Error::Forbidden(
            "the sign-out carries no valid CSRF token; reload the page and try again".into(),
        ));
    }
    if everywhere {
        let ended = services.store.delete_sessions_of(&caller.user).await?;
        tracing::info!(user = %caller.user, sessions = ended, "signed out everywhere");
    } else {
        services.store.delete_session(&sha256_hex(id)).await?;
        tracing::info!(user = %caller.user, "signed out");
    }
    Ok(())
}

/// The caller of a request, or `Unauthenticated` saying why not.
pub async fn authenticate(services: &Services, credentials: &Credentials) -> Result<Caller> {
    authenticate_at(services, credentials, clock::now_millis()).await
}

/// [`authenticate`] at a given time (milliseconds since the epoch).
pub async fn authenticate_at(
    services: &Services,
    credentials: &Credentials,
    now_ms: i64,
) -> Result<Caller> {
    if let Some(token) = &credentials.bearer {
        return authenticate_token(&services.store, &services.token_cache, token, now_ms).await;
    }
    let Some(id) = &credentials.session else {
        return Err(Error::Unauthenticated("sign in first".into()));
    };
    let id_hash = sha256_hex(id);
    let store = &services.store;
    let Some(session) = store.session(&id_hash).await? else {
        return Err(Error::Unauthenticated(
            "your session has ended; sign in again".into(),
        ));
    };
    let policy = services.settings.sessions;
    let idle_end = session.last_seen_ms + millis(policy.idle);
    let absolute_end = session.created_ms + millis(policy.absolute);
    if now_ms >= idle_end || now_ms >= absolute_end {
        store.delete_session(&id_hash).await?;
        return Err(Error::Unauthenticated(
            "your session has expired; sign in again".into(),
        ));
    }
    if now_ms - session.last_seen_ms >= TOUCH_EVERY_MS {
        store.touch_session(&id_hash, now_ms).await?;
    }
    let may_change = credentials
        .csrf_token
        .as_deref()
        .is_some_and(|sent| same_secret(sent, &session.csrf_token));
    let mut caller =
        Caller::load(store, session.user, may_change, Some(session.csrf_token)).await?;
    caller.session_id_hash = Some(id_hash);
    Ok(caller)
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
