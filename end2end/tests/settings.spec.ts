// The cluster image policy in the browser: the admin blocks a registry in
// the settings (after being told that allowed and blocked registries cannot
// both be set); an import from it is refused in the form with the message;
// unblocking it lets the import through again, without a restart.
import { expect, test, type Page, openHydrated } from "./support/fixtures";
import { pushImage, startRegistry, type Registry } from "./support/registry";

const project = "e2e-settings";
let registry: Registry;
let digest: string;

test.beforeAll(async ({ request }) => {
  registry = await startRegistry();
  digest = pushImage(registry, "team/app", "1", "APP=1");
  const created = await request.post("/apis/project.openshift.io/v1/projectrequests", { data: { metadata: { name: project } } });
  expect(created.status()).toBe(201);
});

test.afterAll(() => registry?.stop());

async function savePolicy(page: Page) {
  await page.getByRole("button", { name: "Save policy" }).click();
}

async function previewImport(page: Page) {
  await openHydrated(page, `/ns/${project}/import`);
  await page.getByLabel("Allow plain HTTP or unverified TLS (--insecure)").check();
  await page.getByRole("textbox", { name: "Image", exact: true }).fill(`${registry.host}/team/app:1`);
}

test("the admin blocks a registry; the import form refuses it with the message", async ({ page }) => {
  await openHydrated(page, "/settings");
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
  const form = page.getByRole("form", { name: "Cluster image policy" });
  const blocked = form.getByRole("textbox", { name: "Blocked registries" });
  const allowed = form.getByRole("textbox", { name: "Allowed registries", exact: true });

  // Both lists at once: refused, naming the field, nothing saved.
  await blocked.fill(registry.host);
  await allowed.fill("quay.io");
  await savePolicy(page);
  await expect(form.getByText("registrySources: Invalid value: only one of allowedRegistries and blockedRegistries may be set")).toBeVisible();
  await expect(blocked).toHaveValue(registry.host);

  await allowed.fill("");
  await savePolicy(page);
  await expect(page.getByRole("status").getByText("Cluster image policy saved")).toBeVisible();
  await expect(form.getByText(/Last saved by admin/)).toBeVisible();

  await previewImport(page);
  await expect(
    page.getByText(
      `importing images from registry "${registry.host}" is forbidden: registry "${registry.host}" is blocked by registrySources.blockedRegistries`,
    ),
  ).toBeVisible();

  // Unblocked, the same form finds the image again.
  await openHydrated(page, "/settings");
  await blocked.fill("");
  await savePolicy(page);
  await expect(page.getByRole("status").getByText("Cluster image policy saved")).toBeVisible();
  await previewImport(page);
  const preview = page.getByRole("complementary", { name: "What would be imported" });
  await expect(preview.getByText(digest, { exact: true })).toBeVisible();
});
