// Triggers end to end: a BuildConfig added from YAML waits for its tag, an
// image pushed to the tag (an ImageStreamMapping, as the integrated registry
// sends) starts exactly one build, the timeline explains both evaluations,
// and the dry run says what a further move would start.
import { expect, test, type Page, openHydrated } from "./support/fixtures";
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";

const project = "e2e-triggers";
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;

const buildConfig = `apiVersion: build.openshift.io/v1
kind: BuildConfig
metadata:
  name: web-app
spec:
  strategy:
    sourceStrategy:
      from:
        kind: ImageStreamTag
        name: nodejs:latest
  triggers:
  - type: ImageChange
    imageChange: {}
`;

test.beforeAll(async ({ request }) => {
  const response = await request.post("/apis/project.openshift.io/v1/projectrequests", {
    data: { apiVersion: "project.openshift.io/v1", kind: "ProjectRequest", metadata: { name: project } },
  });
  expect(response.status()).toBe(201);
});

// A webhook receiver that checks each delivery's signature.
const secret = "e2e-secret-e2e-secret";
const received: { event: string; valid: boolean; body: any }[] = [];
let receiver: Server;
let receiverUrl = "";

test.beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const timestamp = request.headers["x-console-timestamp"];
      const expected = "sha256=" + createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
      received.push({ event: String(request.headers["x-console-event"]), valid: expected === request.headers["x-console-signature"], body: JSON.parse(body) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address();
  if (address && typeof address === "object") receiverUrl = `http://127.0.0.1:${address.port}/hook`;
});

test.afterAll(() => receiver?.close());

test("a build config waits for its tag, builds once when it moves, and explains why", async ({ page, request }) => {
  await openHydrated(page, `/ns/${project}/triggers`);
  await expect(page.getByRole("heading", { name: "No triggers yet" })).toBeVisible();
  await page.getByRole("button", { name: "Add from YAML" }).first().click();
  await page.getByRole("textbox", { name: "YAML or JSON" }).fill(buildConfig);
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await expect(page.getByRole("status").getByText("buildconfig.build.openshift.io/web-app created")).toBeVisible();

  const triggers = page.getByRole("table", { name: "Image change triggers" });
  await expect(triggers).toContainText(`${project}/nodejs:latest (build)`);
  await expect(triggers).toContainText("never");
  const timeline = page.getByRole("list", { name: "Trigger evaluations, newest first" });
  await expect(timeline).toContainText("not fired: the tag does not resolve to an image");

  const pushed = await request.post(`/apis/image.openshift.io/v1/namespaces/${project}/imagestreammappings`, {
    data: {
      metadata: { name: "nodejs" },
      image: { metadata: { name: digest(1) }, dockerImageReference: `quay.io/e2e/nodejs@${digest(1)}` },
      tag: "latest",
    },
  });
  expect(pushed.status()).toBe(201);

  // The engine acts on the change right after it commits.
  await expect(async () => {
    await page.getByRole("button", { name: "Refresh", exact: true }).click();
    await expect(page.getByRole("table", { name: "Builds and rollouts started by triggers" })).toContainText("web-app-1", { timeout: 500 });
  }).toPass({ timeout: 5_000 });
  const runs = page.getByRole("table", { name: "Builds and rollouts started by triggers" });
  // The image, shortened on screen, whole in its tooltip.
  await expect(runs).toContainText("build: quay.io/e2e/nodejs@sha256:000000000000…");
  await expect(runs.getByTitle(`quay.io/e2e/nodejs@${digest(1)}`)).toBeVisible();
  await expect(runs).not.toContainText("web-app-2");
  await expect(timeline.getByText("started build web-app-1")).toBeVisible();
  // One owner's own evaluations, however long ago.
  await page.getByLabel("Evaluations of").selectOption("BuildConfig/web-app");
  await expect(timeline.getByText("started build web-app-1")).toBeVisible();
  await expect(timeline).toContainText("not fired: the tag does not resolve to an image");
  await page.getByLabel("Evaluations of").selectOption("");

  await page.getByRole("textbox", { name: "Tag", exact: true }).fill("nodejs:latest");
  await page.getByRole("textbox", { name: "Moves to" }).fill(digest(2));
  await page.getByRole("button", { name: "What would fire?" }).click();
  await expect(page.getByText("BuildConfig/web-app: would fire and start web-app-2")).toBeVisible();
  await page.getByRole("textbox", { name: "Moves to" }).fill(digest(1));
  await page.getByRole("button", { name: "What would fire?" }).click();
  await expect(page.getByText("not fired: same image")).toBeVisible();

  // oc set triggers as buttons and a form: pause, resume, add.
  await triggers.getByRole("button", { name: "Pause trigger 0 of buildconfig/web-app" }).click();
  await expect(page.getByRole("status").getByText("buildconfig/web-app triggers updated").first()).toBeVisible();
  await expect(triggers.getByRole("button", { name: "Resume trigger 0 of buildconfig/web-app" })).toBeVisible();
  await expect(triggers).toContainText("paused");
  await triggers.getByRole("button", { name: "Resume trigger 0 of buildconfig/web-app" }).click();
  await expect(triggers.getByRole("button", { name: "Pause trigger 0 of buildconfig/web-app" })).toBeVisible();
  const add = page.getByRole("form", { name: "Add trigger" });
  await add.getByRole("textbox", { name: "Image stream tag" }).fill("ruby");
  await add.getByRole("button", { name: "Add trigger" }).click();
  await expect(add.getByText("must be <stream>:<tag>")).toBeVisible();
  await add.getByRole("textbox", { name: "Image stream tag" }).fill("ruby:latest");
  await add.getByRole("button", { name: "Add trigger" }).click();
  await expect(triggers).toContainText(`${project}/ruby:latest (build)`);
  await expect(runs).not.toContainText("web-app-2");

  // The stream's page names the triggers watching each tag.
  await openHydrated(page, `/ns/${project}/imagestreams/nodejs`);
  const tag = page.getByRole("article", { name: "Tag latest", exact: true });
  await expect(tag).toContainText("Triggers watching this tag: buildconfig/web-app");
});

test("add a webhook in the form, see it delivered signed when a tag moves", async ({ page, request }) => {
  await openHydrated(page, `/ns/${project}/triggers`);
  const form = page.getByRole("form", { name: "Add webhook" });
  await form.getByRole("textbox", { name: "Name" }).fill("ci");
  await form.getByRole("textbox", { name: "URL" }).fill(receiverUrl);
  await form.getByRole("textbox", { name: "Signing secret" }).fill("short");
  await form.getByRole("button", { name: "Add webhook" }).click();
  await expect(form.getByText("must be at least 16 characters")).toBeVisible();
  // Nothing typed is lost; fix the one field.
  await expect(form.getByRole("textbox", { name: "URL" })).toHaveValue(receiverUrl);
  await form.getByRole("textbox", { name: "Signing secret" }).fill(secret);
  await form.getByRole("button", { name: "Add webhook" }).click();
  await expect(page.getByRole("status").getByText("Webhook ci added.")).toBeVisible();
  await expect(page.getByRole("table", { name: "Webhooks" })).toContainText(receiverUrl);

  const pushed = await request.post(`/apis/image.openshift.io/v1/namespaces/${project}/imagestreammappings`, {
    data: {
      metadata: { name: "nodejs" },
      image: { metadata: { name: digest(3) }, dockerImageReference: `quay.io/e2e/nodejs@${digest(3)}` },
      tag: "latest",
    },
  });
  expect(pushed.status()).toBe(201);
  await expect.poll(() => received.map((r) => r.event).sort().join(",")).toBe("tag-moved,trigger-fired");
  expect(received.every((r) => r.valid)).toBe(true);
  const moved = received.find((r) => r.event === "tag-moved")!;
  expect(moved.body.new.digest).toBe(digest(3));
  expect(moved.body.old.digest).toBe(digest(1));

  const deliveries = page.getByRole("table", { name: "Webhook deliveries" });
  await expect(async () => {
    await page.getByRole("button", { name: "Refresh deliveries" }).click();
    await expect(deliveries).toContainText("delivered (200), 1 attempt", { timeout: 500 });
  }).toPass({ timeout: 5_000 });
  await deliveries.getByRole("button", { name: /Send delivery \d+ again/ }).first().click();
  await expect.poll(() => received.length).toBe(3);
});
