//! Sign-in and authorization: who is calling (a browser session or an API
//! token), and whether the authorization table lets them do what they ask.
//! Every server function and API route goes through [`Caller::require`].

mod bootstrap;
mod caller;
pub mod groups;
mod login_limit;
pub mod members;
pub mod oidc;
mod passwords;
pub mod profile;
pub mod pull_secrets;
mod sealing;
mod secrets;
pub mod service_accounts;
mod sessions;
mod token_cache;
mod tokens;
pub mod users;

pub use bootstrap::{FirstAdmin, ensure_api_token, ensure_first_admin};
pub use caller::{Caller, Credentials};
pub use login_limit::LoginLimiter;
pub use passwords::{MIN_PASSWORD_LENGTH, hash_password};
pub use sealing::{SecretsKey, no_secrets_key};
pub use secrets::{random_secret, sha256_hex};
pub use sessions::{NewSession, SessionPolicy, authenticate, authenticate_at, sign_in, sign_out};
pub use token_cache::{TOKEN_CACHE_TTL, TokenCache};
pub use tokens::{MIN_TOKEN_LENGTH, NewApiToken, create_api_token};
