// The global search: `/` focuses the masthead box; a stream's name, a tag, the
// start of a digest and a registry each find what they name, across
// projects, and each hit opens its page.
import { expect, test } from "./support/fixtures";

const project = "e2e-search";
const digest = "sha256:" + "5e".repeat(32);

test.beforeAll(async ({ request }) => {
  const created = await request.post("/apis/project.openshift.io/v1/projectrequests", { data: { metadata: { name: project } } });
  expect(created.status()).toBe(201);
  const stream = await request.post(`/apis/image.openshift.io/v1/namespaces/${project}/imagestreams`, {
    data: {
      metadata: { name: "findable" },
      spec: { tags: [{ name: "edge", from: { kind: "DockerImage", name: "registry.e2e-search.example/team/findable:edge" } }] },
    },
  });
  expect(stream.status()).toBe(201);
  const mapped = await request.post(`/apis/image.openshift.io/v1/namespaces/${project}/imagestreammappings`, {
    data: {
      kind: "ImageStreamMapping",
      metadata: { name: "findable" },
      tag: "stable",
      image: { metadata: { name: digest }, dockerImageReference: `registry.e2e-search.example/team/findable@${digest}` },
    },
  });
  expect(mapped.status()).toBe(201);
});

test("find a stream, a tag, an image by digest prefix and a registry", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
  await page.keyboard.press("/");
  const box = page.getByRole("searchbox", { name: "Search all projects" }).first();
  await expect(box).toBeFocused();
  await box.fill("findable");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=findable$/);
  const streams = page.getByRole("region", { name: /^Image streams/ });
  await expect(streams.getByRole("link", { name: `${project}/findable`, exact: true })).toBeVisible();
  const tags = page.getByRole("region", { name: /^Tags/ });
  await expect(tags.getByRole("listitem")).toHaveCount(2);
  await expect(tags.getByRole("listitem").filter({ hasText: "findable:edge" })).toContainText("not imported yet");

  // The start of a digest finds the tag that points at it.
  await box.fill(digest.slice(0, "sha256:".length + 6));
  await box.press("Enter");
  const images = page.getByRole("region", { name: /^Images by digest/ });
  await expect(images.getByRole("listitem")).toHaveCount(1);
  await expect(images).toContainText(digest);
  await expect(images).toContainText("current image");
  await images.getByRole("link", { name: `${project}/findable:stable` }).click();
  await expect(page).toHaveURL(new RegExp(`/ns/${project}/imagestreams/findable/tags/stable$`));

  // A registry finds the tags imported from it.
  await page.goto("/search?q=registry.e2e-search.example%2Fteam");
  const repositories = page.getByRole("region", { name: /^Registries and repositories/ });
  await expect(repositories.getByRole("listitem")).toHaveCount(1);
  await expect(repositories).toContainText("registry.e2e-search.example/team/findable:edge");

  // Nothing found says so.
  await page.goto("/search?q=no-such-thing-anywhere");
  await expect(page.getByRole("heading", { name: "Nothing found for “no-such-thing-anywhere”" })).toBeVisible();
});
