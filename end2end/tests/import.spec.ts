// The import form against a real registry: type a pull spec, see what would
// be imported (a dry run as you type), import, and land on the stream page
// with the new tag and its image.
import { expect, test, type Page, openHydrated } from "./support/fixtures";
import { pushImage, startRegistry, type Registry } from "./support/registry";

const project = "e2e-import";
let registry: Registry;
let digest: string;

test.beforeAll(async ({ request }) => {
  registry = await startRegistry();
  digest = pushImage(registry, "team/webapp", "1.2", "WEBAPP=1");
  const response = await request.post("/apis/project.openshift.io/v1/projectrequests", {
    data: { apiVersion: "project.openshift.io/v1", kind: "ProjectRequest", metadata: { name: project } },
  });
  expect(response.status()).toBe(201);
});

test.afterAll(() => registry?.stop());

test("type a pull spec, see the preview, import, land on the stream", async ({ page }) => {
  await openHydrated(page, `/ns/${project}/imagestreams`);
  const activity = page.getByRole("img", { name: /in the last 24 hours|Last 24 hours/ });
  await expect(activity).toHaveAccessibleName("No imports in the last 24 hours");
  await page.getByRole("link", { name: "Import image" }).first().click();
  await expect(page.getByRole("heading", { name: "Import image" })).toBeVisible();

  const image = page.getByRole("textbox", { name: "Image", exact: true });
  // Plain HTTP without the insecure flag: the registry's answer at the field.
  await image.fill(`${registry.host}/team/webapp:1.2`);
  await expect(page.getByText(`the repository ${registry.host} is HTTP only and requires the insecure flag to import`)).toBeVisible();
  // Stream and tag follow the pull spec.
  await expect(page.getByRole("textbox", { name: "Image stream" })).toHaveValue("webapp");
  await expect(page.getByRole("textbox", { name: "Tag", exact: true })).toHaveValue("1.2");

  await page.getByLabel("Allow plain HTTP or unverified TLS (--insecure)").check();
  const preview = page.getByRole("complementary", { name: "What would be imported" });
  await expect(preview.getByText(digest, { exact: true })).toBeVisible();
  await expect(preview.getByText("linux/amd64")).toBeVisible();
  await expect(preview.getByText("8080/tcp")).toBeVisible();
  await expect(preview.getByText("io.k8s.display-name=E2E app")).toBeVisible();

  // A tag that does not exist is named as not found.
  await image.fill(`${registry.host}/team/webapp:9.9`);
  await expect(page.getByText(`dockerimage.image.openshift.io "${registry.host}/team/webapp:9.9" not found`)).toBeVisible();
  await image.fill(`${registry.host}/team/webapp:1.2`);
  await expect(preview.getByText(digest, { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").getByText("imagestream.image.openshift.io/webapp imported")).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/ns/${project}/imagestreams/webapp$`));
  const tag = page.getByRole("article", { name: "Tag 1.2", exact: true });
  await expect(tag).toContainText(`${registry.host}/team/webapp@${digest}`);

  // The registry moves the tag; *Import now* follows it (oc import-image webapp:1.2).
  const moved = pushImage(registry, "team/webapp", "1.2", "WEBAPP=2");
  await tag.getByRole("button", { name: "Import webapp:1.2 now" }).click();
  await expect(page.getByRole("status").getByText("webapp:1.2 imported")).toBeVisible();
  await expect(tag).toContainText(`${registry.host}/team/webapp@${moved}`);

  // Both imports show in the project's activity chart.
  await page.getByRole("link", { name: "Image Streams" }).first().click();
  await expect(activity).toHaveAccessibleName("Last 24 hours: 2 imported, 0 failed");
});

test("import every tag of a repository (--all), previewed in import order", async ({ page }) => {
  const digests = new Map<string, string>();
  for (const tag of ["1.0", "latest", "2.0"]) {
    digests.set(tag, pushImage(registry, "team/tools", tag, `TOOLS=${tag}`));
  }
  await openHydrated(page, `/ns/${project}/import`);
  await page.getByLabel("Every tag of the repository (--all)").check();
  await expect(page.getByRole("textbox", { name: "Tag", exact: true })).toHaveCount(0);
  await page.getByLabel("Allow plain HTTP or unverified TLS (--insecure)").check();
  await page.getByRole("textbox", { name: "Image", exact: true }).fill(`${registry.host}/team/tools`);
  await expect(page.getByRole("textbox", { name: "Image stream" })).toHaveValue("tools");

  const preview = page.getByRole("complementary", { name: "What would be imported" });
  await expect(preview.getByRole("heading", { name: "Would import 3 tags" })).toBeVisible();
  await expect(preview.getByRole("rowheader")).toHaveText(["latest", "2.0", "1.0"]);
  await expect(preview.getByText(digests.get("2.0")!, { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").getByText("imagestream.image.openshift.io/tools imported")).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/ns/${project}/imagestreams/tools$`));
  for (const [tag, digest] of digests) {
    await expect(page.getByRole("article", { name: `Tag ${tag}`, exact: true })).toContainText(
      `${registry.host}/team/tools@${digest}`,
    );
  }
});

test("a scheduled import shows its next check on the tag and in the schedule overview", async ({ page }) => {
  pushImage(registry, "team/cron", "1", "CRON=1");
  await openHydrated(page, `/ns/${project}/import`);
  await page.getByRole("textbox", { name: "Image", exact: true }).fill(`${registry.host}/team/cron:1`);
  await page.getByLabel("Allow plain HTTP or unverified TLS (--insecure)").check();
  await page.getByLabel("Re-import periodically (--scheduled)").check();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").getByText("imagestream.image.openshift.io/cron imported")).toBeVisible();

  await openHydrated(page, `/ns/${project}/imagestreams/cron/tags/1`);
  await expect(page.getByLabel("Import schedule")).toContainText("Checked again every interval: next check in");
  await page.getByRole("link", { name: "Import schedule" }).click();
  await expect(page.getByRole("heading", { name: "Import schedule", level: 1 })).toBeVisible();
  const due = page.getByRole("table", { name: "Due soon" });
  await expect(due.getByRole("row", { name: /cron:1 scheduled/ })).toContainText("imported");
  await expect(page.getByText("No scheduled tag is failing.")).toBeVisible();
});
