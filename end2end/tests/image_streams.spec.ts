// Image streams in the pages: create one from YAML, tag, alias, see the alias
// follow a push (an ImageStreamMapping, as a registry sends it), see the
// history grow, roll back, and edit the YAML.
import { expect, test, type APIRequestContext, type Page, openHydrated } from "./support/fixtures";

const project = "e2e-streams";
const digestA = "sha256:" + "a1".repeat(32);
const digestB = "sha256:" + "b2".repeat(32);

async function push(request: APIRequestContext, tag: string, digest: string) {
  const response = await request.post(`/apis/image.openshift.io/v1/namespaces/${project}/imagestreammappings`, {
    data: {
      apiVersion: "image.openshift.io/v1",
      kind: "ImageStreamMapping",
      metadata: { name: "ruby" },
      tag,
      image: { metadata: { name: digest }, dockerImageReference: `quay.io/example/ruby@${digest}` },
    },
  });
  expect(response.status()).toBe(201);
}

function tagBlock(page: Page, tag: string) {
  return page.getByRole("article", { name: `Tag ${tag}`, exact: true });
}

function history(page: Page, tag: string) {
  return tagBlock(page, tag).getByRole("list", { name: `History of ${tag}, newest first` }).getByRole("listitem");
}

test("create from YAML, tag, alias, push, roll back, edit YAML", async ({ page, request }) => {
  const created = await request.post("/apis/project.openshift.io/v1/projectrequests", { data: { metadata: { name: project } } });
  expect(created.status()).toBe(201);

  await openHydrated(page, `/ns/${project}/imagestreams`);
  await expect(page.getByRole("heading", { name: "No image streams yet" })).toBeVisible();

  // Create from YAML: a mistake is shown at its line, then fixed.
  await page.getByRole("button", { name: "Create from YAML" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create from YAML" });
  const editor = dialog.getByRole("textbox", { name: "YAML or JSON" });
  const yaml = [
    "apiVersion: image.openshift.io/v1",
    "kind: ImageStream",
    "metadata:",
    "  name: ruby",
    "spec:",
    "  tags:",
    "  - name: '2.0'",
    "    from:",
    "      kind: DockerImage",
    "      name: quay.io/example/ruby:2.0",
  ];
  await editor.fill([...yaml.slice(0, 4), "  nmae: typo", ...yaml.slice(4)].join("\n"));
  await dialog.getByRole("button", { name: "Apply" }).click();
  await expect(dialog.getByRole("button", { name: "Line 5" })).toBeVisible();
  await expect(dialog.getByText("unknown field `nmae`")).toBeVisible();
  await editor.fill(yaml.join("\n"));
  await dialog.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status").getByText("imagestream.image.openshift.io/ruby created")).toBeVisible();
  await expect(page.getByRole("link", { name: "ruby", exact: true })).toBeVisible();

  // The registry announces a push of 2.0.
  await push(request, "2.0", digestA);
  await page.getByRole("link", { name: "ruby", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "ruby" })).toBeVisible();
  await expect(tagBlock(page, "2.0")).toContainText("tagged from quay.io/example/ruby:2.0");
  await expect(history(page, "2.0")).toHaveCount(1);

  // Who manages the stream: the pages made it; a GitOps tool that applies it
  // (server-side apply) shows up without a reload.
  const managers = page.locator("dt", { hasText: "Managed by" }).locator("+ dd");
  await expect(managers).toHaveText("image-stream-console");
  const applied = await request.patch(`/apis/image.openshift.io/v1/namespaces/${project}/imagestreams/ruby?fieldManager=flux`, {
    headers: { "content-type": "application/apply-patch+yaml" },
    data: "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: ruby\n  labels:\n    owner: flux\n",
  });
  expect(applied.status()).toBe(200);
  await expect(managers).toContainText("flux (server-side apply)");
  await expect(page.getByText("owner=flux")).toBeVisible();

  // A permanent copy of 2.0.
  await page.getByRole("button", { name: "Add tag" }).click();
  const tagDialog = page.getByRole("dialog", { name: "Tag an image" });
  await tagDialog.getByRole("textbox", { name: "Source" }).fill("ruby:2.0");
  await tagDialog.getByRole("textbox", { name: "Destination" }).fill("ruby:static");
  await tagDialog.getByRole("button", { name: "Tag", exact: true }).click();
  await expect(page.getByRole("status").getByText(`Tag ruby:static set to ruby@${digestA}.`)).toBeVisible();

  // An alias that follows 2.0; the form checks as you type.
  await tagBlock(page, "2.0").getByRole("button", { name: "Add alias" }).click();
  await expect(tagDialog.getByRole("checkbox", { name: "Track the source tag (--alias)" })).toBeChecked();
  await tagDialog.getByRole("textbox", { name: "Destination" }).fill("python:latest");
  await tagDialog.getByRole("button", { name: "Tag", exact: true }).click();
  await expect(tagDialog.getByText("cannot set alias across different Image Streams")).toBeVisible();
  await tagDialog.getByRole("textbox", { name: "Destination" }).fill("ruby:latest");
  await tagDialog.getByRole("button", { name: "Tag", exact: true }).click();
  await expect(page.getByRole("status").getByText("Tag ruby:latest set up to track ruby:2.0.")).toBeVisible();
  await expect(history(page, "latest")).toHaveCount(1);

  // 2.0 moves: the alias follows, the permanent tag stays.
  await push(request, "2.0", digestB);
  await page.reload();
  await expect(history(page, "2.0")).toHaveCount(2);
  await expect(history(page, "latest")).toHaveCount(2);
  await expect(history(page, "latest").first()).toContainText(digestB);
  await expect(history(page, "static")).toHaveCount(1);

  // Roll 2.0 back to its first image: a new event on top (A→B→A).
  await tagBlock(page, "2.0").getByRole("button", { name: `Roll 2.0 back to ${digestA.slice(7, 19)}` }).click();
  await expect(page.getByRole("status").getByText(`Tag ruby:2.0 set to ruby@${digestA}.`)).toBeVisible();
  await expect(history(page, "2.0")).toHaveCount(3);
  await expect(history(page, "2.0").first()).toContainText(digestA);
  await expect(history(page, "latest").first()).toContainText(digestA);

  // The YAML tab shows the stream as oc get -o yaml does, and applies edits.
  await page.getByRole("link", { name: "YAML" }).click();
  const yamlText = page.getByRole("textbox", { name: "YAML" });
  await expect(yamlText).toHaveValue(/name: ruby/);
  const current = await yamlText.inputValue();
  await yamlText.fill(current.replace("  lookupPolicy:\n    local: false", "  lookupPolicy:\n    local: true"));
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status").getByText("imagestream.image.openshift.io/ruby configured")).toBeVisible();
  await page.getByRole("link", { name: "Details" }).click();
  await expect(page.getByText("local=true")).toBeVisible();
});
