// Live updates: a change made in one browser (or pushed by a registry)
// appears within a second on pages open in another, with no reload; a page
// whose connection dropped catches up on what it missed when it is back.
import { expect, test, type APIRequestContext, type Page } from "./support/fixtures";
import * as net from "node:net";
import { ADMIN_STATE } from "./support/auth";

const project = "e2e-live";
const digestA = "sha256:" + "c3".repeat(32);
const digestB = "sha256:" + "d4".repeat(32);

async function openLive(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
  await expect(page.locator('[data-live="live"]')).toBeVisible();
  await expect(page.locator('[data-live="live"]')).toHaveText("Live");
}

async function push(request: APIRequestContext, tag: string, digest: string) {
  const response = await request.post(`/apis/image.openshift.io/v1/namespaces/${project}/imagestreammappings`, {
    data: {
      kind: "ImageStreamMapping",
      metadata: { name: "web" },
      tag,
      image: { metadata: { name: digest }, dockerImageReference: `quay.io/example/web@${digest}` },
    },
  });
  expect(response.status()).toBe(201);
}

function history(page: Page, tag: string) {
  return page
    .getByRole("article", { name: `Tag ${tag}`, exact: true })
    .getByRole("list", { name: `History of ${tag}, newest first` })
    .getByRole("listitem");
}

test.beforeAll(async ({ request }) => {
  const created = await request.post("/apis/project.openshift.io/v1/projectrequests", { data: { metadata: { name: project } } });
  expect(created.status()).toBe(201);
  const stream = await request.post(`/apis/image.openshift.io/v1/namespaces/${project}/imagestreams`, {
    data: { metadata: { name: "web" } },
  });
  expect(stream.status()).toBe(201);
  await push(request, "1.0", digestA);
});

test("a tag added in one browser and a push both appear on a stream page open in another", async ({ browser, request }) => {
  const watching = await browser.newContext({ storageState: ADMIN_STATE });
  const acting = await browser.newContext({ storageState: ADMIN_STATE });
  const watcher = await watching.newPage();
  const actor = await acting.newPage();
  await openLive(watcher, `/ns/${project}/imagestreams/web`);
  await expect(history(watcher, "1.0")).toHaveCount(1);
  await expect(watcher.getByRole("article", { name: "Tag stable", exact: true })).toHaveCount(0);

  // Someone else tags 1.0 as stable through the form.
  await actor.goto(`/ns/${project}/imagestreams/web`);
  await expect(actor.locator("html[data-hydrated]")).toHaveCount(1);
  await actor.getByRole("button", { name: "Add tag" }).click();
  const dialog = actor.getByRole("dialog", { name: "Tag an image" });
  await dialog.getByRole("textbox", { name: "Source" }).fill("web:1.0");
  await dialog.getByRole("textbox", { name: "Destination" }).fill("web:stable");
  await dialog.getByRole("button", { name: "Tag", exact: true }).click();
  await expect(actor.getByRole("status").getByText(`Tag web:stable set to web@${digestA}.`)).toBeVisible();
  await expect(history(watcher, "stable")).toHaveCount(1, { timeout: 1_000 });

  // The registry announces a push of 1.0: its history grows on both pages.
  await push(request, "1.0", digestB);
  await expect(history(watcher, "1.0")).toHaveCount(2, { timeout: 1_000 });
  await expect(history(watcher, "1.0").first()).toContainText(digestB);
  await expect(history(actor, "1.0")).toHaveCount(2, { timeout: 1_000 });
  await watching.close();
  await acting.close();
});

test("the catalog and the stream list follow changes too", async ({ page, request }) => {
  await openLive(page, `/ns/${project}/imagestreams`);
  await expect(page.getByRole("link", { name: "web", exact: true })).toBeVisible();
  const created = await request.post(`/apis/image.openshift.io/v1/namespaces/${project}/imagestreams`, {
    data: { metadata: { name: "arrived" } },
  });
  expect(created.status()).toBe(201);
  await expect(page.getByRole("link", { name: "arrived", exact: true })).toBeVisible({ timeout: 1_000 });
  const deleted = await request.delete(`/apis/image.openshift.io/v1/namespaces/${project}/imagestreams/arrived`);
  expect(deleted.status()).toBe(200);
  await expect(page.getByRole("link", { name: "arrived", exact: true })).toHaveCount(0, { timeout: 1_000 });

  await openLive(page, `/ns/${project}/catalog`);
  await expect(page.getByRole("article", { name: "Live Builder" })).toHaveCount(0);
  const builder = await request.post(`/apis/image.openshift.io/v1/namespaces/${project}/imagestreams`, {
    data: {
      metadata: { name: "live-builder", annotations: { "openshift.io/display-name": "Live Builder" } },
      spec: { tags: [{
        name: "1.0",
        annotations: { tags: "builder,golang", iconClass: "icon-go", description: "Appears without a reload." },
        from: { kind: "DockerImage", name: "quay.io/example/live-builder:1.0" },
      }] },
    },
  });
  expect(builder.status()).toBe(201);
  await expect(page.getByRole("article", { name: "Live Builder" })).toBeVisible({ timeout: 1_000 });
});

/// A TCP relay to the server whose connections can be cut, as a flaky
/// network would: while cut, open connections are reset and new ones refused.
async function relayTo(target: URL) {
  const sockets = new Set<net.Socket>();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      cut = false;
    },
    close() {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

test("a page whose connection dropped catches up when it is back", async ({ page, request, baseURL }) => {
  const relay = await relayTo(new URL(baseURL!));
  await openLive(page, `${relay.url}/ns/${project}/imagestreams`);
  relay.cut();
  await expect(page.locator('[data-live="reconnecting"]')).toBeVisible();
  await expect(page.locator('[data-live="reconnecting"]')).toHaveText("Reconnecting…");
  const created = await request.post(`/apis/image.openshift.io/v1/namespaces/${project}/imagestreams`, {
    data: { metadata: { name: "while-away" } },
  });
  expect(created.status()).toBe(201);
  await expect(page.getByRole("link", { name: "while-away", exact: true })).toHaveCount(0);
  relay.restore();
  await expect(page.locator('[data-live="live"]')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByRole("link", { name: "while-away", exact: true })).toBeVisible();
  relay.close();
});
