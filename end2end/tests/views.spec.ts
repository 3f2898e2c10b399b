// Every page of the console, in the light and the dark theme, on a desktop
// and on a phone: it renders without an error and without console errors,
// nothing makes the page scroll sideways, and the dark theme really applies.
// A full-page screenshot of each lands in test-results/views/ for a person to
// look at (the way this file was first used to find and fix what looked wrong).
import { expect, test, type Page, openHydrated } from "./support/fixtures";
import { pushImage, startRegistry, type Registry } from "./support/registry";
import * as path from "node:path";

const project = "e2e-views";
let registry: Registry;

const buildConfig = `apiVersion: build.openshift.io/v1
kind: BuildConfig
metadata:
  name: web-app
spec:
  strategy:
    sourceStrategy:
      from:
        kind: ImageStreamTag
        name: app:1.0
  triggers:
  - type: ImageChange
    imageChange: {}
`;

const pages: [string, string][] = [
  ["projects", "/"],
  ["catalog", `/ns/${project}/catalog`],
  ["image-streams", `/ns/${project}/imagestreams`],
  ["stream", `/ns/${project}/imagestreams/app`],
  ["tag", `/ns/${project}/imagestreams/app/tags/1.0`],
  ["import", `/ns/${project}/import`],
  ["triggers", `/ns/${project}/triggers`],
  ["access", `/ns/${project}/access`],
  ["audit", `/ns/${project}/audit`],
  ["schedule", `/ns/${project}/schedule`],
  ["settings", "/settings"],
  ["search", "/search?q=app"],
  ["profile", "/profile"],
  ["not-found", "/no/such/page"],
];

const sizes = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

test.beforeAll(async ({ request }) => {
  registry = await startRegistry();
  pushImage(registry, "team/app", "1.0", "APP_VERSION=1.0");
  const created = await request.post("/apis/project.openshift.io/v1/projectrequests", { data: { metadata: { name: project } } });
  expect(created.status()).toBe(201);
  const stream = await request.post(`/apis/image.openshift.io/v1/namespaces/${project}/imagestreams`, {
    data: {
      apiVersion: "image.openshift.io/v1",
      kind: "ImageStream",
      metadata: { name: "app", annotations: { "openshift.io/display-name": "App" } },
      spec: { tags: [{
        name: "1.0",
        annotations: { tags: "builder,nodejs", iconClass: "icon-nodejs", description: "The app's builder image.", version: "1.0" },
        from: { kind: "DockerImage", name: `${registry.host}/team/app:1.0` },
        importPolicy: { insecure: true, scheduled: true },
      }] },
    },
  });
  expect(stream.status()).toBe(201);
  const imported = await request.post(`/apis/image.openshift.io/v1/namespaces/${project}/imagestreamimports`, {
    data: {
      apiVersion: "image.openshift.io/v1",
      kind: "ImageStreamImport",
      metadata: { name: "app" },
      spec: { import: true, images: [{ from: { kind: "DockerImage", name: `${registry.host}/team/app:1.0` }, to: { name: "1.0" }, importPolicy: { insecure: true, scheduled: true } }] },
    },
  });
  expect(imported.status()).toBe(201);
  const applied = await request.post("/api/console/apply_yaml", {
    data: { namespace: project, objects: "TriggerOwners", text: buildConfig },
  });
  expect(applied.status(), await applied.text()).toBe(200);
});

test.afterAll(() => registry?.stop());

/** The page's background colour, as the browser paints it. */
async function background(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

for (const [size, viewport] of Object.entries(sizes)) {
  test(`every page on a ${size}, light and dark: no error, no sideways scroll`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize(viewport);
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error on ${page.url()}: ${message.text()}`);
    });
    for (const [name, address] of pages) {
      const painted: Record<string, string> = {};
      for (const theme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: theme });
        await openHydrated(page, address);
        await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
        if (name !== "not-found") {
          await expect(page.locator(".error-panel"), `${address} shows an error`).toHaveCount(0);
        }
        // Skeletons give way to content before the picture is taken.
        await expect(page.locator(".skeleton")).toHaveCount(0);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) problems.push(`${address} (${theme}) scrolls sideways by ${overflow}px`);
        painted[theme] = await background(page);
        await page.screenshot({ path: path.join("test-results", "views", `${name}-${size}-${theme}.png`), fullPage: true });
      }
      if (painted.dark === painted.light) problems.push(`${address}: the dark theme paints the light background`);
    }
    // A not-found page asks for a resource that does not exist: that 404 is
    // the one expected console error.
    expect(problems.filter((p) => !p.includes("404"))).toEqual([]);
  });
}
