// Signing in through an OpenID Connect provider: a real one (oidc-provider,
// started by the config) with its own sign-in and consent pages. A person's
// first sign-in makes their user here, with no roles, in the groups the
// provider names; an answer that does
// not belong to the browser, or a name someone here already has, is refused
// on the sign-in form with the reason.
import { expect, openHydrated, test, type Page } from "./support/fixtures";

/** Signs in as `login` on the provider's own pages and consents. */
async function atTheProvider(page: Page, login: string) {
  await expect(page).toHaveURL(/\/interaction\//);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("the provider checks this, not the console");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

async function freshBrowser(browser: import("@playwright/test").Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  // The provider's pages ask for a web font; nothing leaves this machine.
  await context.route(/fonts\.(googleapis|gstatic)\.com/, (route) => route.abort());
  return context.newPage();
}

test("a person signs in through the identity provider, lands where the link pointed and becomes a user with no roles, in the provider's groups", async ({ page: admin, browser, baseURL, request }) => {
  const olivia = await freshBrowser(browser, baseURL);
  await olivia.goto("/ns/openshift/catalog?q=ruby");
  await olivia.getByRole("link", { name: "Sign in with Test SSO" }).click();
  await atTheProvider(olivia, "olivia");
  await expect(olivia).toHaveURL(/\/ns\/openshift\/catalog\?q=ruby$/);
  await expect(olivia.getByRole("heading", { name: "Catalog", level: 1 })).toBeVisible();
  await expect(olivia.getByText("Signed in as olivia")).toBeAttached();
  // The sign-in's secrets are spent: only the session cookie stays.
  const cookies = await olivia.context().cookies();
  expect(cookies.map((cookie) => cookie.name).filter((name) => name.startsWith("isc_"))).toEqual(["isc_session"]);

  // Her password is the provider's business: her profile says so and has
  // no form for it.
  await openHydrated(olivia, "/profile");
  await expect(olivia.getByText("You sign in through the identity provider")).toBeVisible();
  await expect(olivia.getByLabel("Current password")).toHaveCount(0);

  // The admin sees her among the people, signing in through the provider
  // (so no password can be set for her).
  await openHydrated(admin, "/ns/openshift/access");
  const people = admin.getByRole("table", { name: "People who can sign in" });
  const row = people.getByRole("row", { name: /^olivia / });
  await expect(row).toContainText("Identity provider");
  await expect(row.getByRole("button", { name: "Set a new password for olivia" })).toHaveCount(0);
  // The provider's groups claim put her in its group.
  await expect(admin.getByRole("list", { name: "Members of sso-users" })).toContainText("olivia");

  // The audit log records the sign-in with her name.
  const audit = await request.get("/audit/export?user=olivia");
  expect(audit.status()).toBe(200);
  expect(await audit.text()).toContain("sign-in");

  // Signed out, the provider's session brings her straight back.
  await olivia.getByLabel("Account of olivia").click();
  await olivia.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(olivia.getByRole("link", { name: "Sign in with Test SSO" })).toBeVisible();
  await olivia.getByRole("link", { name: "Sign in with Test SSO" }).click();
  await expect(olivia.getByText("Signed in as olivia")).toBeAttached();
});

test("an answer this browser did not ask for, and a name someone here already has, are refused on the form", async ({ browser, baseURL }) => {
  const page = await freshBrowser(browser, baseURL);
  await page.goto("/auth/oidc/callback?code=stolen&state=forged");
  await expect(page).toHaveURL(/\/login\?/);
  await expect(page.getByRole("alert")).toHaveText(
    "this sign-in was not started in this browser or took longer than 10 minutes; sign in again",
  );
  // "admin" at the provider is not the admin here.
  await page.getByRole("link", { name: "Sign in with Test SSO" }).click();
  await atTheProvider(page, "admin");
  await expect(page.getByRole("alert")).toHaveText(
    'the user name "admin" is already taken by someone who does not sign in through this identity provider; ask a cluster admin',
  );
  await expect(page.getByLabel("User name")).toBeVisible();
});
