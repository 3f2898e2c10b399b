//! Sign-in through an OpenID Connect provider (the authorization code flow
//! with PKCE), as an option beside passwords. The provider's people become
//! users here at their first sign-in (see [`identities`]).

mod identities;
mod provider;

pub use identities::sign_in_with_identity;
pub use provider::{Identity, OidcProvider, OidcSettings, PendingSignIn, SignInStart};
