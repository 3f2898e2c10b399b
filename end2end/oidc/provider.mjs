// A real OpenID Connect provider for the browser tests: panva's certified
// oidc-provider, with its development sign-in pages (any login name and
// password are accepted; the login name becomes the account, in the group
// `sso-users`). It knows one client, the console under test.
//
//   OIDC_PORT=3301 CONSOLE_URL=http://127.0.0.1:3300 OIDC_CLIENT_SECRET=… node oidc/provider.mjs
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT ?? 3301);
const consoleUrl = process.env.CONSOLE_URL ?? "http://127.0.0.1:3300";
const clientSecret = process.env.OIDC_CLIENT_SECRET;
if (!clientSecret) {
  console.error("OIDC_CLIENT_SECRET is required");
  process.exit(2);
}

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: "image-stream-console",
      client_secret: clientSecret,
      redirect_uris: [`${consoleUrl}/auth/oidc/callback`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: {
    openid: ["sub"],
    profile: ["preferred_username", "name", "groups"],
    email: ["email"],
  },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: id, name: id, email: `${id}@example.test`, groups: ["sso-users"] };
      },
    };
  },
  cookies: { keys: ["browser-tests-only"] },
  features: { devInteractions: { enabled: true } },
});
provider.listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider listening on http://127.0.0.1:${port}`);
});
