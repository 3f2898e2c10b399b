// Pull secrets in the browser: a registry that requires a login refuses the
// import form's preview; the admin adds a pull secret on the Access page
// (a missing password is named at its field; the password never shows
// again); the preview then names the secret and the import works. The
// audit log shows each change, filtered by kind.
import { expect, test, type Page, openHydrated } from "./support/fixtures";
import { pushImage, startRegistry, type Registry } from "./support/registry";

const project = "e2e-secrets";
const user = "robot";
const password = "the robot's registry password";
let registry: Registry;
let digest: string;

test.beforeAll(async ({ request }) => {
  registry = await startRegistry({ user, password });
  digest = pushImage(registry, "private/app", "2.0", "PRIVATE=1");
  const created = await request.post("/apis/project.openshift.io/v1/projectrequests", { data: { metadata: { name: project } } });
  expect(created.status()).toBe(201);
});

test.afterAll(() => registry?.stop());

async function typeImage(page: Page) {
  await openHydrated(page, `/ns/${project}/import`);
  await page.getByRole("textbox", { name: "Image", exact: true }).fill(`${registry.host}/private/app:2.0`);
  await page.getByLabel("Allow plain HTTP or unverified TLS (--insecure)").check();
}

test("a pull secret lets the import form reach a private registry, and says so", async ({ page }) => {
  await typeImage(page);
  await expect(page.getByText(`you may not have access to the container image "${registry.host}/private/app:2.0"`)).toBeVisible();

  await openHydrated(page, `/ns/${project}/access`);
  await expect(page.getByRole("heading", { name: "No pull secrets" })).toBeVisible();
  const form = page.getByRole("form", { name: "Create pull secret" });
  await form.getByLabel("Secret name").fill("robot-login");
  await form.getByLabel("Registry").fill(registry.host);
  await form.getByLabel("Username").fill(user);
  await form.getByRole("button", { name: "Add pull secret" }).click();
  await expect(form.locator("#pull-secret-password-error")).toHaveText("Required value");
  await form.getByLabel("Password or token").fill(password);
  await form.getByRole("button", { name: "Add pull secret" }).click();
  await expect(page.getByRole("status").getByText("secret/robot-login created")).toBeVisible();

  const card = page.getByRole("article", { name: "Pull secret robot-login" });
  await expect(card.getByRole("list", { name: "Registry logins" })).toContainText(`${registry.host}as ${user}`);
  await expect(form.getByLabel("Password or token")).toHaveValue("");
  expect(await page.content()).not.toContain(password);

  await typeImage(page);
  const preview = page.getByRole("complementary", { name: "What would be imported" });
  await expect(preview.getByText(digest, { exact: true })).toBeVisible();
  await expect(preview.getByText('Asked with the login of pull secret "robot-login".')).toBeVisible();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").getByText("imagestream.image.openshift.io/app imported")).toBeVisible();

  await openHydrated(page, `/ns/${project}/access`);
  await page.getByRole("link", { name: "Audit log: who changed what in this project" }).click();
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  const rows = page.locator("table.audit-table tbody tr");
  await expect(rows.first()).toContainText(`imagestreams/app in ${project}`);
  await expect(rows.first()).toContainText("import");
  await expect(page.getByRole("row", { name: new RegExp(`admin create secrets/robot-login in ${project}.*400`) })).toBeVisible();
  await page.getByLabel("Kind").selectOption("secrets");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/kind=secrets/);
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText("200");
  await expect(rows.nth(1)).toContainText("Required value");
  expect(await page.content()).not.toContain(password);
});
