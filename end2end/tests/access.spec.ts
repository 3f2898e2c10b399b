// Team access in the browser: the admin creates a person and makes them a
// viewer; the viewer signs in through the form, lands on the page (and query)
// they opened, sees the catalog, and is refused an import; the admin makes
// them an editor; the import works.
import { expect, test, type Page, openHydrated } from "./support/fixtures";
import { pushImage, startRegistry, type Registry } from "./support/registry";

const project = "e2e-access";
const password = "vic's long first password";
let registry: Registry;

test.beforeAll(async ({ request }) => {
  registry = await startRegistry();
  pushImage(registry, "team/app", "1", "APP=1");
  const created = await request.post("/apis/project.openshift.io/v1/projectrequests", { data: { metadata: { name: project } } });
  expect(created.status()).toBe(201);
});

test.afterAll(() => registry?.stop());

async function addMember(admin: Page, name: string, role: string) {
  const form = admin.getByRole("form", { name: "Add member" });
  await form.getByLabel("User or group name").fill(name);
  await form.getByLabel("Role").selectOption(role);
  await form.getByRole("button", { name: "Add" }).click();
  await expect(admin.getByRole("status").getByText(`role "${role}" added: "${name}"`)).toBeVisible();
}

async function tryImport(page: Page) {
  await openHydrated(page, `/ns/${project}/import`);
  await page.getByRole("textbox", { name: "Image", exact: true }).fill(`${registry.host}/team/app:1`);
  await page.getByLabel("Allow plain HTTP or unverified TLS (--insecure)").check();
  await page.getByRole("button", { name: "Import", exact: true }).click();
}

test("a viewer is refused an import until the admin makes them an editor", async ({ page: admin, browser, baseURL }) => {
  await openHydrated(admin, `/ns/${project}/access`);
  // The admin who asked for the project is its first member.
  await expect(admin.getByRole("row", { name: /admin User admin/ })).toBeVisible();

  const create = admin.getByRole("form", { name: "Create user" });
  await create.getByLabel("User name").fill("vic");
  await create.getByLabel("First password").fill("short");
  await create.getByRole("button", { name: "Create user" }).click();
  await expect(create.getByText("must be at least 12 characters long")).toBeVisible();
  await create.getByLabel("First password").fill(password);
  await create.getByRole("button", { name: "Create user" }).click();
  await expect(admin.getByRole("status").getByText('user "vic" created')).toBeVisible();
  await addMember(admin, "vic", "view");
  await expect(admin.getByRole("row", { name: /vic User view/ })).toBeVisible();

  // Vic signs in through the form and lands on the page the link named.
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const vic = await context.newPage();
  await vic.goto(`/ns/${project}/catalog?q=app`);
  await vic.getByLabel("User name").fill("vic");
  await vic.getByLabel("Password").fill("a wrong password!");
  await vic.getByRole("button", { name: "Sign in" }).click();
  await expect(vic.getByRole("alert")).toHaveText("wrong user name or password");
  await vic.getByLabel("Password").fill(password);
  await vic.getByRole("button", { name: "Sign in" }).click();
  // The query string comes back too.
  await expect(vic).toHaveURL(new RegExp(`/ns/${project}/catalog\\?q=app`));
  await expect(vic.getByRole("heading", { name: "Catalog", level: 1 })).toBeVisible();
  await expect(vic.getByText("Signed in as vic")).toBeAttached();

  await tryImport(vic);
  await expect(vic.getByText(/User "vic" cannot create resource "imagestreamimports"/).first()).toBeVisible();

  await addMember(admin, "vic", "edit");
  await tryImport(vic);
  await expect(vic.getByRole("status").getByText("imagestream.image.openshift.io/app imported")).toBeVisible();
  await context.close();
});

test("a service account gets a token shown once, acts with its role, and stops when revoked", async ({ page: admin, playwright, baseURL }) => {
  await openHydrated(admin, `/ns/${project}/access`);
  const create = admin.getByRole("form", { name: "Create service account" });
  await create.getByLabel("Service account name").fill("ci");
  await create.getByRole("button", { name: "Create service account" }).click();
  const card = admin.getByRole("article", { name: "Service account ci" });
  await expect(card).toBeVisible();
  await card.getByLabel("Token description").fill("pipeline");
  await card.getByRole("button", { name: "New token" }).click();
  const token = await admin.getByRole("textbox", { name: "Token", exact: true }).inputValue();
  expect(token).toMatch(/^isc_[0-9a-f]{64}$/);
  await admin.getByText("kubeconfig for kubectl").click();
  const kubeconfig = admin.getByLabel("kubeconfig", { exact: true });
  await expect(kubeconfig).toContainText(`token: ${token}`);
  await expect(kubeconfig).toContainText(`namespace: ${project}`);
  await expect(kubeconfig).toContainText(`user: system:serviceaccount:${project}:ci`);
  await expect(kubeconfig).toContainText(`server: ${new URL(baseURL!).origin}`);

  const program = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const streams = `/apis/image.openshift.io/v1/namespaces/${project}/imagestreams`;
  expect((await program.get(streams)).status()).toBe(403);
  await addMember(admin, `system:serviceaccount:${project}:ci`, "view");
  expect((await program.get(streams)).status()).toBe(200);

  await admin.getByRole("button", { name: "Done" }).click();
  await expect(admin.getByRole("textbox", { name: "Token", exact: true })).toHaveCount(0);
  await expect(card.getByText("pipeline")).toBeVisible();
  await card.getByRole("button", { name: /^Revoke token / }).click();
  await expect(card.locator(".badge").filter({ hasText: "revoked" })).toBeVisible();
  expect((await program.get(streams)).status()).toBe(401);
  await program.dispose();
});

test("a group's role reaches its members, and leaves with them", async ({ page: admin, browser, baseURL }) => {
  await openHydrated(admin, `/ns/${project}/access`);
  const create = admin.getByRole("form", { name: "Create user" });
  await create.getByLabel("User name").fill("gus");
  await create.getByLabel("First password").fill(password);
  await create.getByRole("button", { name: "Create user" }).click();
  await expect(admin.getByRole("status").getByText('user "gus" created')).toBeVisible();

  const groups = admin.getByRole("form", { name: "Add to group" });
  await groups.getByLabel("Group").fill("builders");
  await groups.getByLabel("Person's user name").fill("gus");
  await groups.getByRole("button", { name: "Add to group" }).click();
  await expect(admin.getByRole("list", { name: "Members of builders" })).toContainText("gus");
  const add = admin.getByRole("form", { name: "Add member" });
  await add.getByLabel("Kind").selectOption("Group");
  await addMember(admin, "builders", "edit");

  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const gus = await context.newPage();
  await gus.goto(`/ns/${project}/import`);
  await gus.getByLabel("User name").fill("gus");
  await gus.getByLabel("Password").fill(password);
  await gus.getByRole("button", { name: "Sign in" }).click();
  await expect(gus.getByRole("heading", { name: "Import image" })).toBeVisible();
  await tryImport(gus);
  await expect(gus.getByRole("status").getByText("imagestream.image.openshift.io/app imported")).toBeVisible();

  await admin.getByRole("button", { name: "Remove gus from builders" }).click();
  await expect(admin.getByRole("heading", { name: "No groups" })).toBeVisible();
  await tryImport(gus);
  await expect(gus.getByText(/User "gus" cannot create resource "imagestreamimports"/).first()).toBeVisible();
  await context.close();
});

test("a person makes their own API token and kubeconfig on their profile, and revokes it", async ({ page: admin, playwright, baseURL }) => {
  await openHydrated(admin, `/ns/${project}/catalog`);
  await admin.getByRole("button", { name: "Account of admin" }).or(admin.getByLabel("Account of admin")).first().click();
  await admin.getByRole("link", { name: "Your profile and API tokens" }).click();
  await expect(admin).toHaveURL(/\/profile$/);
  await expect(admin.getByRole("heading", { name: "Your profile", level: 1 })).toBeVisible();
  await expect(admin.getByRole("heading", { name: "admin", level: 2 })).toBeVisible();
  await expect(admin.getByRole("row", { name: /every project cluster-admin you/ })).toBeVisible();
  await expect(admin.getByRole("row", { name: new RegExp(`${project} admin you`) })).toBeVisible();

  // Before a token is made the kubeconfig says where one goes.
  const kubeconfig = admin.getByLabel("kubeconfig", { exact: true }).last();
  await expect(kubeconfig).toContainText("token: <paste one of your tokens here>");
  await expect(kubeconfig).toContainText(`server: ${new URL(baseURL!).origin}`);
  await admin.getByLabel("Default project").selectOption(project);
  await expect(kubeconfig).toContainText(`namespace: ${project}`);

  const form = admin.getByRole("form", { name: "New personal token" });
  await form.getByLabel("Expires after (days)").fill("none");
  await form.getByRole("button", { name: "New token" }).click();
  await expect(form.getByText("must be a whole number of days, or empty")).toBeVisible();
  await form.getByLabel("Token description").fill("my laptop");
  await form.getByLabel("Expires after (days)").fill("30");
  await form.getByRole("button", { name: "New token" }).click();
  const token = await admin.getByRole("textbox", { name: "Token", exact: true }).inputValue();
  expect(token).toMatch(/^isc_[0-9a-f]{64}$/);
  await expect(kubeconfig).toContainText(`token: ${token}`);
  await expect(kubeconfig).toContainText("user: admin");

  const program = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const streams = `/apis/image.openshift.io/v1/namespaces/${project}/imagestreams`;
  expect((await program.get(streams)).status()).toBe(200);

  const row = admin.getByRole("listitem").filter({ hasText: "my laptop" });
  await expect(row.locator(".badge").filter({ hasText: "expires" })).toBeVisible();
  await row.getByRole("button", { name: /^Revoke token / }).click();
  await expect(row.locator(".badge").filter({ hasText: "revoked" })).toBeVisible();
  expect((await program.get(streams)).status()).toBe(401);
  await program.dispose();
});

test("the admin sets someone's password and removes them; a person changes their own password", async ({ page: admin, browser, baseURL }) => {
  await openHydrated(admin, `/ns/${project}/access`);
  const create = admin.getByRole("form", { name: "Create user" });
  await create.getByLabel("User name").fill("rita");
  await create.getByLabel("First password").fill(password);
  await create.getByRole("button", { name: "Create user" }).click();
  await expect(admin.getByRole("status").getByText('user "rita" created')).toBeVisible();
  const people = admin.getByRole("table", { name: "People who can sign in" });
  await expect(people.getByRole("row", { name: /^rita / })).toBeVisible();
  await expect(people.getByRole("row", { name: /^admin cluster-admin/ })).toBeVisible();

  // Rita changes her own password on her profile: the current one is checked.
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const rita = await context.newPage();
  const signIn = async (secret: string) => {
    await rita.getByLabel("User name").fill("rita");
    await rita.getByLabel("Password", { exact: true }).fill(secret);
    await rita.getByRole("button", { name: "Sign in" }).click();
  };
  await rita.goto("/profile");
  await signIn(password);
  await expect(rita.getByRole("heading", { name: "Your profile", level: 1 })).toBeVisible();
  await expect(rita.locator("html[data-hydrated]")).toHaveCount(1);
  const form = rita.getByRole("form", { name: "Password" });
  await form.getByLabel("Current password").fill("not my password");
  await form.getByLabel("New password").fill("rita's own new password");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("is not your current password")).toBeVisible();
  await form.getByLabel("Current password").fill(password);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(rita.getByRole("status").getByText("your password was changed")).toBeVisible();

  // The admin sets another one: Rita's session ends; the new one works.
  await people.getByRole("button", { name: "Set a new password for rita" }).click();
  const dialog = admin.getByRole("dialog", { name: "New password for rita" });
  await dialog.getByRole("textbox", { name: "New password" }).fill("a password from the admin");
  await dialog.getByRole("button", { name: "Set password" }).click();
  await expect(admin.getByRole("status").getByText('new password set for "rita"; their sessions have ended')).toBeVisible();
  // Her page now says the session ended; she signs in again.
  await openHydrated(rita, "/profile");
  await expect(rita.getByText("your session has ended; sign in again")).toBeVisible();
  await rita.getByRole("link", { name: "Sign in" }).click();
  await signIn("a password from the admin");
  await expect(rita.getByRole("heading", { name: "Your profile", level: 1 })).toBeVisible();

  // Removed, she is signed out and cannot sign in again.
  await people.getByRole("button", { name: "Remove rita" }).click();
  await admin.getByRole("dialog", { name: "Remove rita?" }).getByRole("button", { name: "Remove" }).click();
  await expect(admin.getByRole("status").getByText('user "rita" removed')).toBeVisible();
  await expect(people.getByRole("row", { name: /^rita / })).toHaveCount(0);
  await rita.goto("/login?next=/profile");
  await signIn("a password from the admin");
  await expect(rita.getByRole("alert")).toHaveText("wrong user name or password");
  await context.close();
});
