// The catalog end to end: builder images of the shared openshift project and
// of the project itself as cards; a category filter and a search kept in the
// URL (a shared link shows the same view); a card's details; its tag's page
// with the image's metadata; the pull spec copied to the clipboard. The
// image is imported from a real registry.
import { expect, test, type APIRequestContext, type Page, openHydrated } from "./support/fixtures";
import { pushImage, startRegistry, type Registry } from "./support/registry";

const project = "e2e-catalog";
let registry: Registry;
let digest: string;

async function createStream(request: APIRequestContext, namespace: string, stream: object) {
  const response = await request.post(`/apis/image.openshift.io/v1/namespaces/${namespace}/imagestreams`, {
    data: { apiVersion: "image.openshift.io/v1", kind: "ImageStream", ...stream },
  });
  expect(response.status()).toBe(201);
}

function builderTag(name: string, words: string, from: string, description: string) {
  return {
    name,
    annotations: { tags: `builder,${words}`, iconClass: `icon-${words.split(",")[0]}`, description, sampleRepo: "https://example.com/sample.git", version: name },
    from: { kind: "DockerImage", name: from },
    importPolicy: { insecure: true },
  };
}

test.beforeAll(async ({ request }) => {
  registry = await startRegistry();
  digest = pushImage(registry, "builders/ruby", "3.3", "RUBY_VERSION=3.3");
  const created = await request.post("/apis/project.openshift.io/v1/projectrequests", { data: { metadata: { name: project } } });
  expect(created.status()).toBe(201);

  // A shared builder with two versions, imported from the registry.
  await createStream(request, "openshift", {
    metadata: { name: "e2e-ruby", annotations: { "openshift.io/display-name": "Ruby", "openshift.io/provider-display-name": "E2E Builders" } },
    spec: { tags: [
      builderTag("3.3", "ruby", `${registry.host}/builders/ruby:3.3`, "Build and run Ruby 3.3 applications."),
      builderTag("3.1", "ruby", `${registry.host}/builders/ruby:3.1`, "Build and run Ruby 3.1 applications."),
    ] },
  });
  const imported = await request.post(`/apis/image.openshift.io/v1/namespaces/openshift/imagestreamimports`, {
    data: {
      apiVersion: "image.openshift.io/v1",
      kind: "ImageStreamImport",
      metadata: { name: "e2e-ruby" },
      spec: { import: true, images: [{ from: { kind: "DockerImage", name: `${registry.host}/builders/ruby:3.3` }, to: { name: "3.3" }, importPolicy: { insecure: true } }] },
    },
  });
  expect(imported.status()).toBe(201);

  // The project's own database builder, and a stream that is no builder.
  await createStream(request, project, {
    metadata: { name: "postgresql", annotations: { "openshift.io/display-name": "PostgreSQL" } },
    spec: { tags: [builderTag("16", "postgresql,database", "quay.io/example/postgresql:16", "A PostgreSQL 16 server.")] },
  });
  await createStream(request, project, {
    metadata: { name: "tools" },
    spec: { tags: [{ name: "1", from: { kind: "DockerImage", name: "quay.io/example/tools:1" } }] },
  });
});

test.afterAll(() => registry?.stop());

test("browse, filter, open a card, open its tag, copy its pull spec", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await openHydrated(page, `/ns/${project}/catalog`);
  const cards = page.getByRole("list", { name: "Builder images" }).getByRole("article");
  await expect(cards).toHaveCount(2);
  const ruby = page.getByRole("article", { name: "Ruby" });
  await expect(ruby).toContainText("Provided by E2E Builders");
  await expect(ruby).toContainText("Versions: 3.3, 3.1");
  await expect(ruby.getByText("Shared")).toBeVisible();
  await expect(ruby.locator("img")).toHaveAttribute("src", "/icons/ruby.svg");

  // A category: the URL says so, the count follows.
  const categories = page.getByRole("navigation", { name: "Categories" });
  await categories.getByRole("link", { name: /^Databases\s*1$/ }).click();
  await expect(page).toHaveURL(/category=databases/);
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText("PostgreSQL");

  // A search within all items; a link to this view shows the same.
  await categories.getByRole("link", { name: /^All items\s*2$/ }).click();
  await expect(cards).toHaveCount(2);
  const search = page.getByRole("searchbox", { name: "Search the catalog" });
  await search.fill("ruby 3.3");
  await expect(page).toHaveURL(/q=ruby/);
  await expect(cards).toHaveCount(1);
  const shared = await context.newPage();
  await openHydrated(shared, page.url());
  await expect(shared.getByRole("searchbox", { name: "Search the catalog" })).toHaveValue("ruby 3.3");
  await expect(shared.getByRole("list", { name: "Builder images" }).getByRole("article")).toHaveCount(1);
  await shared.close();
  await search.fill("cobol");
  await expect(page.getByRole("heading", { name: "No items match" })).toBeVisible();
  await page.getByRole("link", { name: "Clear all filters" }).click();
  await expect(cards).toHaveCount(2);

  // The card's details: every version, the current pull spec.
  await ruby.getByRole("button", { name: "Ruby" }).click();
  const details = page.getByRole("dialog", { name: "Ruby" });
  const pullSpec = `${registry.host}/builders/ruby@${digest}`;
  await expect(details.getByText(pullSpec)).toBeVisible();
  await expect(details.getByRole("row", { name: /^Open tag 3\.1 / })).toContainText("not imported yet");
  await expect(details.getByRole("link", { name: "Import into e2e-catalog" })).toHaveAttribute("href", /\/ns\/e2e-catalog\/import\?from=/);

  // The tag's page: the image's metadata and its pull specs.
  await details.getByRole("link", { name: "Open tag 3.3" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "e2e-ruby:3.3" })).toBeVisible();
  await expect(page.getByText("RUBY_VERSION=3.3")).toBeVisible();
  await expect(page.getByText("8080/tcp")).toBeVisible();
  await expect(page.getByText("io.k8s.display-name=E2E app")).toBeVisible();
  await expect(page.getByRole("list", { name: "History of 3.3, newest first" }).getByRole("listitem")).toHaveCount(1);
  await expect(page.getByRole("textbox", { name: "Pull spec by digest" })).toHaveValue(pullSpec);
  await page.getByRole("button", { name: "Copy pull spec by digest" }).click();
  await expect(page.getByRole("button", { name: "Copy pull spec by digest" })).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(pullSpec);
});

test("the import action opens the import form filled in", async ({ page }) => {
  await openHydrated(page, `/ns/${project}/catalog?q=ruby`);
  await page.getByRole("article", { name: "Ruby" }).getByRole("link", { name: "Import" }).click();
  await expect(page.getByRole("heading", { name: "Import image" })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Image", exact: true })).toHaveValue(`${registry.host}/builders/ruby:3.3`);
  await expect(page.getByRole("textbox", { name: "Image stream" })).toHaveValue("e2e-ruby");
  await expect(page.getByRole("textbox", { name: "Tag", exact: true })).toHaveValue("3.3");
});
