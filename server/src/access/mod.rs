//! Sign-in over HTTP: the sign-in and sign-out form posts, sign-in through
//! an OpenID Connect provider, the session
//! cookie, the caller of an API request, and the first start's admin and
//! token.

mod bootstrap;
mod caller;
mod oidc;
mod sign_in;

pub use bootstrap::bootstrap;
pub use caller::{ApiCaller, credentials_of};
pub use oidc::{callback as oidc_callback, start as oidc_start};
pub use sign_in::{client_address, sign_in, sign_out};
