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

// The shared samples: the admin switches them on, read from a mirror (this
// test's registry, which has Ruby but not Python). The catalog shows the
// imported Ruby sample, and the Python sample as not imported yet with the
// reason - never as a broken card. Removed takes them away again.
test("the admin turns the samples on from a mirror; the catalog shows them, unimported ones with the reason", async ({ page }) => {
  pushImage(registry, "library/ruby", "3.3", "RUBY=3.3");
  pushImage(registry, "library/ruby", "3.2", "RUBY=3.2");
  await openHydrated(page, "/settings");
  const policy = page.getByRole("form", { name: "Cluster image policy" });
  await policy.getByRole("textbox", { name: "Insecure registries" }).fill(registry.host);
  await savePolicy(page);
  await expect(page.getByRole("status").getByText("Cluster image policy saved")).toBeVisible();

  const samples = page.getByRole("form", { name: "Samples" });
  await expect(samples.getByRole("row", { name: /Ruby ruby/ })).toContainText("Not installed");
  await samples.getByLabel("Management state").selectOption("Managed");
  await samples.getByRole("textbox", { name: "Samples registry" }).fill(`https://${registry.host}`);
  for (const name of ["nodejs", "golang", "php", "perl", "httpd", "nginx", "java", "dotnet", "postgresql", "mysql", "mariadb", "redis"]) {
    await samples.getByRole("checkbox", { name: `Skip ${name} (skippedImagestreams)` }).check();
  }
  // A scheme in the mirror is refused, naming the field; nothing is installed.
  await samples.getByRole("button", { name: "Save samples" }).click();
  await expect(samples.getByText(/samplesRegistry: Invalid value: ".*": give the host without a scheme/)).toBeVisible();
  await expect(samples.getByRole("row", { name: /Ruby ruby/ })).toContainText("Not installed");

  await samples.getByRole("textbox", { name: "Samples registry" }).fill(registry.host);
  await samples.getByRole("button", { name: "Save samples" }).click();
  await expect(page.getByRole("status").getByText(/Samples saved/)).toBeVisible();
  await expect(samples.getByRole("row", { name: /Ruby ruby/ })).toContainText("Installed");
  await expect(samples.getByRole("row", { name: /Ruby ruby/ })).toContainText(`${registry.host}/library/ruby:3.3`);
  await expect(samples.getByRole("row", { name: /Go golang/ })).toContainText("Skipped");
  // The table follows the imports as they land, without a reload.
  await expect(samples.getByRole("row", { name: /Ruby ruby/ })).toContainText("Installed, 3 of 3 tags imported", { timeout: 15_000 });

  // The catalog follows the imports as they land.
  await openHydrated(page, `/ns/${project}/catalog?q=python`);
  const python = page.locator("article", { has: page.locator("#card-openshift-python") });
  await expect(python.getByText("Not imported yet")).toBeVisible({ timeout: 15_000 });
  await expect(python).toContainText("library/python");
  await openHydrated(page, `/ns/${project}/catalog`);
  const ruby = page.locator("article", { has: page.locator("#card-openshift-ruby") });
  await expect(ruby).toContainText("Versions: 3.3, 3.2");
  await expect(ruby.getByText("Not imported yet")).toHaveCount(0, { timeout: 15_000 });
  await ruby.getByRole("button", { name: "Ruby" }).click();
  await expect(page.getByRole("dialog", { name: "Ruby" }).getByText(new RegExp(`${registry.host}/library/ruby@sha256:`)).first()).toBeVisible();

  // Removed: the managed samples go; the catalog no longer shows them.
  await openHydrated(page, "/settings");
  await samples.getByLabel("Management state").selectOption("Removed");
  await samples.getByRole("button", { name: "Save samples" }).click();
  await expect(page.getByRole("status").getByText("Samples saved; the managed samples were removed.")).toBeVisible();
  await expect(samples.getByRole("row", { name: /Ruby ruby/ })).toContainText("Not installed");
  await openHydrated(page, `/ns/${project}/catalog`);
  await expect(page.locator("#card-openshift-ruby")).toHaveCount(0);
});

// The integrated registry's hostname, changed in the settings: a stream's
// image repository follows at once, without a restart; emptied, it goes back.
test("the admin renames the integrated registry; a stream's repository follows", async ({ page, request }) => {
  const stream = await request.post(`/apis/image.openshift.io/v1/namespaces/${project}/imagestreams`, {
    data: { apiVersion: "image.openshift.io/v1", kind: "ImageStream", metadata: { name: "hosted" } },
  });
  expect(stream.status()).toBe(201);
  await openHydrated(page, "/settings");
  const form = page.getByRole("form", { name: "Cluster image policy" });
  const hostname = form.getByRole("textbox", { name: "Internal registry hostname" });
  await hostname.fill("https://registry.e2e.example");
  await savePolicy(page);
  await expect(form.getByText('internalRegistryHostname: Invalid value: "https://registry.e2e.example": give the host without a scheme (no https://)')).toBeVisible();
  await hostname.fill("registry.e2e.example:5000");
  await savePolicy(page);
  await expect(page.getByRole("status").getByText("Cluster image policy saved")).toBeVisible();

  await openHydrated(page, `/ns/${project}/imagestreams/hosted`);
  await expect(page.getByRole("textbox", { name: "Image repository" })).toHaveValue(`registry.e2e.example:5000/${project}/hosted`);

  await openHydrated(page, "/settings");
  await hostname.fill("");
  await savePolicy(page);
  await expect(page.getByRole("status").getByText("Cluster image policy saved")).toBeVisible();
  await openHydrated(page, `/ns/${project}/imagestreams/hosted`);
  await expect(page.getByRole("textbox", { name: "Image repository" })).toHaveValue(`image-registry.openshift-image-registry.svc:5000/${project}/hosted`);
});
